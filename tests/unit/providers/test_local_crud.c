/*
 * test_local_crud.c - the local provider's cloud: create/read/update/
 * delete/find on a scratch cloud file, computed ids and ARNs, reference
 * checks, out-of-band edits, damaged files, the latency and failure knobs,
 * and calls that really overlap in time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "providers/local/internal.h"

struct fx {
    char dir[64];
    char *path;
    struct tsk_pctx *p;
    struct tsk_diags d;
};

static void clear_env(void)
{
    unsetenv("TUSKFORM_LOCAL_LATENCY_MS");
    unsetenv("TUSKFORM_LOCAL_FAIL");
}

static int open_fx(struct fx *f)
{
    struct tsk_provider_cfg cfg = {f->dir, "shop", "eu-west-1"};
    setenv("TUSKFORM_LOCAL_CLOUD", f->path, 1);
    return tsk_local_configure(&f->p, &cfg, &f->d);
}

static int setup(void **state)
{
    struct fx *f = tsk_xcalloc(1, sizeof(*f));
    strcpy(f->dir, "/tmp/tsk-local-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->path = tsk_xasprintf("%s/cloud.db", f->dir);
    clear_env();
    assert_int_equal(open_fx(f), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tsk_local_close(f->p);
    tsk_diags_release(&f->d);
    char *cmd = tsk_xasprintf("rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(f->path);
    free(f);
    clear_env();
    return 0;
}

static cJSON *function_attrs(const char *name, int memory)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddStringToObject(a, "handler", "index.handle");
    cJSON_AddNumberToObject(a, "memory_size", memory);
    cJSON_AddNumberToObject(a, "timeout", 30);
    cJSON *env = cJSON_AddObjectToObject(a, "environment");
    cJSON_AddStringToObject(env, "STAGE", "dev");
    return a;
}

static char *create(struct fx *f, const char *addr, const cJSON *planned,
                    cJSON **out)
{
    struct tsk_rcall c = {f->p, addr, "shop"};
    char *id = NULL;
    cJSON *o = NULL;
    int rc = tsk_local_create(&c, planned, &id, &o, &f->d);
    if (rc) {
        assert_null(id);
        assert_null(o);
        return NULL;
    }
    if (out)
        *out = o;
    else
        cJSON_Delete(o);
    return id;
}

static const char *sattr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_local_crud__create_read_assigns_ids(void **state)
{
    struct fx *f = *state;
    cJSON *in = function_attrs("shop-api", 256), *out = NULL;
    char *id = create(f, "local_function.api", in, &out);
    assert_non_null(id);
    assert_int_equal(strncmp(id, "function-", 9), 0);
    assert_int_equal(strlen(id), 9 + 12);
    assert_string_equal(sattr(out, "id"), id);
    assert_string_equal(sattr(out, "arn"),
                        "arn:local:eu-west-1:function:shop-api");
    assert_string_equal(sattr(out, "handler"), "index.handle");

    struct tsk_rcall c = {f->p, "local_function.api", "shop"};
    cJSON *got = NULL;
    assert_int_equal(tsk_local_read(&c, id, NULL, &got, &f->d), 0);
    assert_true(cJSON_Compare(got, out, 1));
    cJSON_Delete(got);

    /* A second object gets another id. */
    char *id2 = create(f, "local_function.web", in, NULL);
    assert_non_null(id2);
    assert_string_not_equal(id, id2);
    assert_int_equal(f->d.nerr, 0);
    cJSON_Delete(in);
    cJSON_Delete(out);
    free(id);
    free(id2);
}

static void test_local_crud__read_missing_is_null(void **state)
{
    struct fx *f = *state;
    struct tsk_rcall c = {f->p, "local_function.api", "shop"};
    cJSON *got = (cJSON *)1;
    assert_int_equal(tsk_local_read(&c, "function-000000000000", NULL, &got,
                                    &f->d),
                     0);
    assert_null(got);
    assert_int_equal(f->d.nerr, 0);
}

static void test_local_crud__unknown_type_is_error(void **state)
{
    struct fx *f = *state;
    struct tsk_rcall c = {f->p, "aws_lambda_function.api", "shop"};
    cJSON *got = NULL;
    assert_int_not_equal(tsk_local_read(&c, "x", NULL, &got, &f->d), 0);
    assert_int_equal(f->d.nerr, 1);
    assert_non_null(strstr(f->d.v.v[0].summary, "not a resource of the local"));
}

static void test_local_crud__missing_required_listed(void **state)
{
    struct fx *f = *state;
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "name", "x");
    assert_null(create(f, "local_function.x", in, NULL));
    /* handler, memory_size and timeout are each named. */
    assert_int_equal(f->d.nerr, 3);
    assert_non_null(strstr(f->d.v.v[0].summary, "\"handler\""));
    assert_string_equal(f->d.v.v[0].addr, "local_function.x");
    cJSON_Delete(in);
}

static cJSON *trigger_attrs(const char *function_arn)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "kind", "sqs");
    cJSON_AddStringToObject(t, "function_arn", function_arn);
    cJSON_AddNumberToObject(t, "batch_size", 10);
    return t;
}

static void test_local_crud__reference_must_exist(void **state)
{
    struct fx *f = *state;
    cJSON *t = trigger_attrs("arn:local:eu-west-1:function:nope");
    assert_null(create(f, "local_trigger.orders", t, NULL));
    assert_int_equal(f->d.nerr, 1);
    assert_non_null(strstr(f->d.v.v[0].summary, "local_function"));
    assert_non_null(strstr(f->d.v.v[0].summary, "does not exist"));
    cJSON_Delete(t);

    /* Nothing was left behind by the failed create. */
    struct tsk_rcall c = {f->p, "local_trigger.orders", "shop"};
    char *fid = NULL;
    cJSON *fo = NULL;
    assert_int_equal(tsk_local_find(&c, NULL, &fid, &fo, &f->d), 0);
    assert_null(fid);

    cJSON *fn = function_attrs("orders", 128), *out = NULL;
    char *id = create(f, "local_function.orders", fn, &out);
    assert_non_null(id);
    t = trigger_attrs(sattr(out, "arn"));
    char *tid = create(f, "local_trigger.orders", t, NULL);
    assert_non_null(tid);
    assert_int_equal(strncmp(tid, "trigger-", 8), 0);
    cJSON_Delete(t);
    /* By id works as well as by ARN. */
    t = trigger_attrs(id);
    char *tid2 = create(f, "local_trigger.orders2", t, NULL);
    assert_non_null(tid2);
    cJSON_Delete(t);
    cJSON_Delete(fn);
    cJSON_Delete(out);
    free(id);
    free(tid);
    free(tid2);
}

static void test_local_crud__update_keeps_computed(void **state)
{
    struct fx *f = *state;
    cJSON *in = function_attrs("api", 128), *out = NULL;
    char *id = create(f, "local_function.api", in, &out);
    struct tsk_rcall c = {f->p, "local_function.api", "shop"};
    cJSON *planned = function_attrs("api", 512), *upd = NULL;
    assert_int_equal(tsk_local_update(&c, id, out, planned, &upd, &f->d), 0);
    assert_string_equal(sattr(upd, "id"), id);
    assert_string_equal(sattr(upd, "arn"), sattr(out, "arn"));
    assert_int_equal(
        cJSON_GetObjectItemCaseSensitive(upd, "memory_size")->valueint, 512);
    cJSON *got = NULL;
    assert_int_equal(tsk_local_read(&c, id, NULL, &got, &f->d), 0);
    assert_true(cJSON_Compare(got, upd, 1));
    cJSON_Delete(got);

    /* Updating an object that is gone is an error naming it. */
    cJSON *x = NULL;
    assert_int_equal(tsk_local_update(&c, "function-aaaaaaaaaaaa", out,
                                      planned, &x, &f->d),
                     TSK_ENOTFOUND);
    assert_null(x);
    assert_non_null(strstr(f->d.v.v[0].summary, "does not exist"));
    cJSON_Delete(in);
    cJSON_Delete(out);
    cJSON_Delete(planned);
    cJSON_Delete(upd);
    free(id);
}

static void test_local_crud__delete_is_idempotent(void **state)
{
    struct fx *f = *state;
    cJSON *in = function_attrs("api", 128);
    char *id = create(f, "local_function.api", in, NULL);
    struct tsk_rcall c = {f->p, "local_function.api", "shop"};
    assert_int_equal(tsk_local_delete(&c, id, NULL, &f->d), 0);
    cJSON *got = NULL;
    assert_int_equal(tsk_local_read(&c, id, NULL, &got, &f->d), 0);
    assert_null(got);
    assert_int_equal(tsk_local_delete(&c, id, NULL, &f->d), 0);
    assert_int_equal(f->d.nerr, 0);
    cJSON_Delete(in);
    free(id);
}

static void test_local_crud__find_by_tags(void **state)
{
    struct fx *f = *state;
    cJSON *in = function_attrs("api", 128);
    char *id = create(f, "local_function.api", in, NULL);
    struct tsk_rcall c = {f->p, "local_function.api", "shop"};
    char *fid = NULL;
    cJSON *fo = NULL;
    assert_int_equal(tsk_local_find(&c, in, &fid, &fo, &f->d), 0);
    assert_string_equal(fid, id);
    assert_string_equal(sattr(fo, "name"), "api");
    free(fid);
    cJSON_Delete(fo);
    /* Another address finds nothing. */
    struct tsk_rcall other = {f->p, "local_function.web", "shop"};
    assert_int_equal(tsk_local_find(&other, in, &fid, &fo, &f->d), 0);
    assert_null(fid);
    assert_null(fo);
    cJSON_Delete(in);
    free(id);
}

static sqlite3 *raw(struct fx *f)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static void test_local_crud__out_of_band_edit_is_read(void **state)
{
    struct fx *f = *state;
    cJSON *in = function_attrs("api", 128);
    char *id = create(f, "local_function.api", in, NULL);
    sqlite3 *db = raw(f);
    char *sql = tsk_xasprintf("UPDATE objects SET attrs = json_set(attrs,"
                              " '$.memory_size', 1024) WHERE id = '%s'",
                              id);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    struct tsk_rcall c = {f->p, "local_function.api", "shop"};
    cJSON *got = NULL;
    assert_int_equal(tsk_local_read(&c, id, NULL, &got, &f->d), 0);
    assert_int_equal(
        cJSON_GetObjectItemCaseSensitive(got, "memory_size")->valueint, 1024);
    cJSON_Delete(got);

    /* A damaged row is an error naming the object, not a crash. */
    sql = tsk_xasprintf("UPDATE objects SET attrs = '{broken' WHERE id = '%s'",
                        id);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    got = NULL;
    assert_int_not_equal(tsk_local_read(&c, id, NULL, &got, &f->d), 0);
    assert_null(got);
    assert_non_null(strstr(f->d.v.v[0].summary, id));
    assert_non_null(strstr(f->d.v.v[0].summary, "damaged"));
    sqlite3_close(db);
    cJSON_Delete(in);
    free(id);
}

static void test_local_crud__foreign_file_left_untouched(void **state)
{
    struct fx *f = *state;
    char *other = tsk_xasprintf("%s/other.db", f->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE mine(x); INSERT INTO mine"
                                      " VALUES (1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct tsk_pctx *p = NULL;
    struct tsk_provider_cfg cfg = {f->dir, "shop", NULL};
    setenv("TUSKFORM_LOCAL_CLOUD", other, 1);
    assert_int_not_equal(tsk_local_configure(&p, &cfg, &f->d), 0);
    assert_null(p);
    assert_non_null(strstr(f->d.v.v[0].summary, "not a tuskform local cloud"));

    /* Not a database at all. */
    FILE *fp = fopen(other, "w");
    fputs("hello, this is text\n", fp);
    fclose(fp);
    assert_int_not_equal(tsk_local_configure(&p, &cfg, &f->d), 0);
    struct tsk_buf b = TSK_BUF_INIT;
    assert_int_equal(tsk_read_file(other, &b), 0);
    assert_string_equal(b.ptr, "hello, this is text\n");
    tsk_buf_release(&b);
    free(other);
}

static void test_local_crud__fail_knob_create(void **state)
{
    struct fx *f = *state;
    tsk_local_close(f->p);
    setenv("TUSKFORM_LOCAL_FAIL",
           "create:local_function.bad,lost-create:local_function.lost", 1);
    assert_int_equal(open_fx(f), 0);
    cJSON *in = function_attrs("x", 128);
    assert_null(create(f, "local_function.bad", in, NULL));
    assert_non_null(strstr(f->d.v.v[0].summary, "injected failure"));
    char *ok = create(f, "local_function.good", in, NULL);
    assert_non_null(ok);

    /* A lost response: the call fails, yet the object exists and can be
     * found by its tags. */
    assert_null(create(f, "local_function.lost", in, NULL));
    struct tsk_rcall c = {f->p, "local_function.lost", "shop"};
    char *fid = NULL;
    cJSON *fo = NULL;
    assert_int_equal(tsk_local_find(&c, in, &fid, &fo, &f->d), 0);
    assert_non_null(fid);
    struct tsk_rcall cb = {f->p, "local_function.bad", "shop"};
    char *bid = NULL;
    cJSON *bo = NULL;
    assert_int_equal(tsk_local_find(&cb, in, &bid, &bo, &f->d), 0);
    assert_null(bid);
    assert_int_equal(f->d.nerr, 2);
    free(fid);
    cJSON_Delete(fo);
    free(ok);
    cJSON_Delete(in);
}

static int count_fails(struct fx *f, const char *spec)
{
    tsk_local_close(f->p);
    setenv("TUSKFORM_LOCAL_FAIL", spec, 1);
    assert_int_equal(open_fx(f), 0);
    int fails = 0;
    for (int i = 0; i < 200; i++) {
        char addr[64];
        snprintf(addr, sizeof(addr), "local_function.f%d", i);
        if (tsk_local__knobs(f->p, "create", addr, NULL, &f->d))
            fails++;
    }
    return fails;
}

static void test_local_crud__fail_rate_is_reproducible(void **state)
{
    struct fx *f = *state;
    int a = count_fails(f, "rate:0.25:seed:42");
    int b = count_fails(f, "rate:0.25:seed:42");
    assert_int_equal(a, b);
    assert_in_range(a, 25, 75); /* about 50 of 200 */
    assert_int_equal(count_fails(f, "rate:0"), 0);
    assert_int_equal(count_fails(f, "rate:1:seed:3"), 200);
    /* Restricted to deletes: creates never fail. */
    assert_int_equal(count_fails(f, "rate:1:seed:3:op:delete"), 0);

    tsk_local_close(f->p);
    f->p = NULL;
    setenv("TUSKFORM_LOCAL_FAIL", "rate:lots", 1);
    tsk_diags_release(&f->d);
    assert_int_not_equal(open_fx(f), 0);
    assert_non_null(strstr(f->d.v.v[f->d.v.n - 1].summary, "rate:lots"));
    unsetenv("TUSKFORM_LOCAL_FAIL");
    assert_int_equal(open_fx(f), 0);
}

struct span {
    struct fx *f;
    int i;
    double start, end;
    int rc;
};

static double now_s(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void *create_thread(void *arg)
{
    struct span *s = arg;
    char addr[64], name[32];
    snprintf(addr, sizeof(addr), "local_function.c%d", s->i);
    snprintf(name, sizeof(name), "c%d", s->i);
    cJSON *in = function_attrs(name, 128), *out = NULL;
    struct tsk_rcall c = {s->f->p, addr, "shop"};
    struct tsk_diags d = {0};
    char *id = NULL;
    s->start = now_s();
    s->rc = tsk_local_create(&c, in, &id, &out, &d);
    s->end = now_s();
    free(id);
    cJSON_Delete(out);
    cJSON_Delete(in);
    tsk_diags_release(&d);
    return NULL;
}

/* With latency, calls from several threads overlap: each one is still in
 * flight when another starts (a global lock would serialise them). */
static void test_local_crud__calls_run_concurrently(void **state)
{
    struct fx *f = *state;
    tsk_local_close(f->p);
    setenv("TUSKFORM_LOCAL_LATENCY_MS", "400", 1);
    assert_int_equal(open_fx(f), 0);
    enum { N = 6 };
    struct span s[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        s[i] = (struct span){f, i, 0, 0, -1};
        assert_int_equal(pthread_create(&t[i], NULL, create_thread, &s[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    double last_start = 0, first_end = 1e300;
    for (int i = 0; i < N; i++) {
        assert_int_equal(s[i].rc, 0);
        assert_true(s[i].end - s[i].start >= 0.399);
        if (s[i].start > last_start)
            last_start = s[i].start;
        if (s[i].end < first_end)
            first_end = s[i].end;
    }
    assert_true(last_start < first_end);
    sqlite3 *db = raw(f);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM objects", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), N);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_local_crud__bad_latency_is_error(void **state)
{
    struct fx *f = *state;
    tsk_local_close(f->p);
    f->p = NULL;
    setenv("TUSKFORM_LOCAL_LATENCY_MS", "fast", 1);
    assert_int_not_equal(open_fx(f), 0);
    assert_non_null(strstr(f->d.v.v[0].summary, "TUSKFORM_LOCAL_LATENCY_MS"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_local_crud__create_read_assigns_ids),
        T(test_local_crud__read_missing_is_null),
        T(test_local_crud__unknown_type_is_error),
        T(test_local_crud__missing_required_listed),
        T(test_local_crud__reference_must_exist),
        T(test_local_crud__update_keeps_computed),
        T(test_local_crud__delete_is_idempotent),
        T(test_local_crud__find_by_tags),
        T(test_local_crud__out_of_band_edit_is_read),
        T(test_local_crud__foreign_file_left_untouched),
        T(test_local_crud__fail_knob_create),
        T(test_local_crud__fail_rate_is_reproducible),
        T(test_local_crud__calls_run_concurrently),
        T(test_local_crud__bad_latency_is_error),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_scan.c - reading resources without a snapshot (tsk_state_scan) and
 * the reader handle that reads alongside a writer (tsk_state_open_reader). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "unit/state/helpers.h"

static void put_n(struct store_fx *f, int n)
{
    char addr[64];
    /* stored out of address order */
    for (int i = 0; i < n; i++) {
        snprintf(addr, sizeof addr, "local_function.f%04d", (i * 37) % n);
        struct tsk_state_res r = make_res(addr, 4);
        r.tainted = i % 2;
        assert_int_equal(tsk_state_put(f->st, &r, 0, &f->d), 0);
        free_res(&r);
    }
}

/* What a scan saw: copies of the rows, and where to stop. */
struct seen {
    TSK_ARRAY(struct tsk_state_rec) v;
    int stop_after; /* 0: never */
};

static int collect(void *arg, const struct tsk_state_rec *r, size_t attrs_len)
{
    struct seen *s = arg;
    assert_null(r->block_);
    assert_int_equal(attrs_len, strlen(r->attrs_json));
    struct tsk_state_rec *c = TSK_ARRAY_PUSH(s->v);
    c->address = tsk_xstrdup(r->address);
    c->type = tsk_xstrdup(r->type);
    c->remote_id = r->remote_id ? tsk_xstrdup(r->remote_id) : NULL;
    c->attrs_json = tsk_xstrdup(r->attrs_json);
    c->sensitive_json = tsk_xstrdup(r->sensitive_json);
    c->deps_json = tsk_xstrdup(r->deps_json);
    c->tainted = r->tainted;
    return s->stop_after && (int)s->v.n >= s->stop_after ? 7 : 0;
}

static void seen_free(struct seen *s)
{
    for (size_t i = 0; i < s->v.n; i++) {
        struct tsk_state_rec *c = &s->v.v[i];
        free(c->address);
        free(c->type);
        free(c->remote_id);
        free(c->attrs_json);
        free(c->sensitive_json);
        free(c->deps_json);
    }
    TSK_ARRAY_FREE(s->v);
}

static void test_state_scan__every_row_as_stored(void **state)
{
    struct store_fx *f = *state;
    enum { N = 300 };
    put_n(f, N);
    struct seen s = {0};
    int64_t serial = 0;
    assert_int_equal(tsk_state_scan(f->st, collect, &s, &serial, &f->d), 0);
    assert_int_equal(f->d.nerr, 0);
    assert_int_equal(serial, N);
    assert_int_equal(s.v.n, N);
    /* The same records as the snapshot (which is sorted). */
    struct tsk_state_snap *snap;
    assert_int_equal(tsk_state_load(&snap, f->st, &f->d), 0);
    assert_int_equal(snap->res.n, N);
    for (size_t i = 0; i < s.v.n; i++) {
        const struct tsk_state_rec *r =
            tsk_state_snap_find(snap, s.v.v[i].address);
        assert_non_null(r);
        assert_string_equal(r->type, s.v.v[i].type);
        assert_string_equal(r->remote_id, s.v.v[i].remote_id);
        assert_string_equal(r->attrs_json, s.v.v[i].attrs_json);
        assert_string_equal(r->sensitive_json, s.v.v[i].sensitive_json);
        assert_string_equal(r->deps_json, s.v.v[i].deps_json);
        assert_int_equal(r->tainted, s.v.v[i].tainted);
    }
    /* stored order, not address order */
    assert_string_equal(s.v.v[1].address, "local_function.f0037");
    for (size_t i = 1; i < snap->res.n; i++)
        assert_true(strcmp(snap->res.v[i - 1].address, snap->res.v[i].address) <
                    0);
    tsk_state_snap_free(snap);
    seen_free(&s);
}

static void test_state_scan__stops_when_asked(void **state)
{
    struct store_fx *f = *state;
    put_n(f, 50);
    struct seen s = {.stop_after = 10};
    int64_t serial = 0;
    assert_int_equal(tsk_state_scan(f->st, collect, &s, &serial, &f->d), 7);
    assert_int_equal(s.v.n, 10);
    assert_int_equal(serial, -1);
    assert_int_equal(f->d.nerr, 0);
    seen_free(&s);
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_state_scan__damaged_rows_reported_and_skipped(void **state)
{
    struct store_fx *f = *state;
    put_n(f, 5);
    raw_exec(f->path, "UPDATE resources SET attributes = '[1]' WHERE "
                      "address = 'local_function.f0002'");
    struct seen s = {0};
    int64_t serial = 0;
    assert_int_equal(tsk_state_scan(f->st, collect, &s, &serial, &f->d),
                     TSK_EINVAL);
    assert_int_equal(serial, -1);
    assert_int_equal(s.v.n, 4);
    assert_int_equal(f->d.nerr, 1);
    assert_string_equal(f->d.v.v[0].addr, "local_function.f0002");
    assert_non_null(strstr(f->d.v.v[0].summary, "invalid attributes JSON"));
    seen_free(&s);
}

static int exists(const char *dir, const char *name)
{
    char *p = tsk_xasprintf("%s/.tuskform/%s", dir, name);
    int r = access(p, F_OK) == 0;
    free(p);
    return r;
}

static void test_state_scan__reader_leaves_no_wal(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state *rd = NULL;
    put_n(f, 20);
    tsk_state_close(f->st);
    f->st = NULL;
    assert_false(exists(f->dir, "state.db-wal"));
    size_t n0, n1;
    char *before = slurp(f->path, &n0);

    assert_int_equal(tsk_state_open_reader(&rd, f->path, &f->d), 0);
    struct seen s = {0};
    int64_t serial = 0;
    assert_int_equal(tsk_state_scan(rd, collect, &s, &serial, &f->d), 0);
    assert_int_equal(s.v.n, 20);
    assert_int_equal(serial, 20);
    seen_free(&s);
    /* it never writes, never locks */
    struct tsk_state_lock_opts lo = {"plan", 0};
    assert_int_equal(tsk_state_lock(rd, &lo, &f->d), TSK_EINVAL);
    struct tsk_state_res r = make_res("local_function.x", 1);
    assert_true(tsk_state_put(rd, &r, 0, &f->d) < 0);
    free_res(&r);
    tsk_diags_release(&f->d);
    tsk_state_close(rd);

    /* the folder is as it was */
    assert_false(exists(f->dir, "state.db-wal"));
    assert_false(exists(f->dir, "state.db-shm"));
    char *after = slurp(f->path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

static void test_state_scan__reader_beside_a_writer(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state *rd = NULL;
    put_n(f, 10);
    assert_int_equal(tsk_state_open_reader(&rd, f->path, &f->d), 0);
    assert_string_equal(tsk_state_lineage(rd), tsk_state_lineage(f->st));
    /* the writer goes on while the reader is open, and is seen */
    struct tsk_state_res r = make_res("local_function.new", 1);
    assert_int_equal(tsk_state_put(f->st, &r, 0, &f->d), 0);
    free_res(&r);
    struct seen s = {0};
    int64_t serial = 0;
    assert_int_equal(tsk_state_scan(rd, collect, &s, &serial, &f->d), 0);
    assert_int_equal(s.v.n, 11);
    assert_int_equal(serial, tsk_state_serial(f->st));
    seen_free(&s);
    tsk_state_close(rd);
    /* closing the reader first leaves the writer working */
    assert_int_equal(tsk_state_delete(f->st, "local_function.new", 0, &f->d),
                     0);
    assert_int_equal(f->d.nerr, 0);
    tsk_state_close(f->st);
    f->st = NULL;
    assert_false(exists(f->dir, "state.db-wal"));
}

static void test_state_scan__reader_missing_or_empty(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state *rd = NULL;
    char *missing = tsk_xasprintf("%s/none.db", f->dir);
    assert_int_equal(tsk_state_open_reader(&rd, missing, &f->d), TSK_ENOTFOUND);
    assert_null(rd);
    assert_int_equal(access(missing, F_OK), -1);
    spit(missing, "", 0);
    assert_int_equal(tsk_state_open_reader(&rd, missing, &f->d), TSK_ENOTFOUND);
    assert_int_equal(f->d.v.n, 0);
    free(missing);
    /* not a state: refused, as by any open */
    char *junk = tsk_xasprintf("%s/junk.db", f->dir);
    char bytes[100];
    memset(bytes, 'x', sizeof bytes);
    spit(junk, bytes, sizeof bytes);
    assert_int_equal(tsk_state_open_reader(&rd, junk, &f->d), TSK_EINVAL);
    assert_int_equal(f->d.nerr, 1);
    free(junk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(n)                                                                   \
    cmocka_unit_test_setup_teardown(test_state_scan__##n, store_fx_setup,      \
                                    store_fx_teardown)
        T(every_row_as_stored),
        T(stops_when_asked),
        T(damaged_rows_reported_and_skipped),
        T(reader_leaves_no_wal),
        T(reader_beside_a_writer),
        T(reader_missing_or_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_local_scan.c - reads of the local provider made together: a batch
 * large against the cloud file (answered from one scan of the objects
 * table) gives every call exactly what its own lookup gives (same, changed,
 * gone, another type, the same id twice, a damaged row); and batches of
 * several threads at once are read together while each call still waits
 * its own latency, at the same time as the other threads' calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "providers/local/internal.h"
#include "unit/providers/local_fx.h"

static int setup(void **state)
{
    return local_fx_open(state, NULL, "read:local_function.f0007");
}

static int setup_slow(void **state)
{
    return local_fx_open(state, "40", "read:local_function.f0007");
}

#define NOBJ 400

static char *attrs_text(int i, int memory)
{
    return tsk_xasprintf("{\"id\":\"function-%06d\",\"name\":\"f%04d\","
                         "\"memory_size\":%d}",
                         i, i, memory);
}

/* NOBJ functions in the cloud file, then out-of-band changes. */
static void fill(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < NOBJ; i++) {
        char *t = attrs_text(i, 128);
        /* the text holds no single quote */
        char *sql = tsk_xasprintf(
            "INSERT INTO objects(id, type, name, arn, attrs, created, "
            "updated) VALUES('function-%06d', 'local_function', 'f%04d', "
            "'arn:local:f%04d', '%s', 't', 't')",
            i, i, i, t);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        free(sql);
        free(t);
    }
    const char *oob =
        "UPDATE objects SET attrs = json_set(attrs, '$.memory_size', 512)"
        " WHERE id = 'function-000003';"
        "DELETE FROM objects WHERE id = 'function-000004';"
        "UPDATE objects SET type = 'local_queue' WHERE id = 'function-000005';"
        "UPDATE objects SET attrs = '{oops' WHERE id = 'function-000006';"
        "UPDATE objects SET attrs = ' ' || attrs WHERE id = 'function-000008';"
        "COMMIT;";
    assert_int_equal(sqlite3_exec(db, oob, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* The reads of every object as the state holds it, one more than NOBJ
 * (function-000009 twice) and one of an id that never existed. */
static struct tsk_pcall *make_reads(struct tsk_pctx *p, size_t *n,
                                    char ***texts)
{
    size_t m = NOBJ + 2;
    struct tsk_pcall *pc = tsk_xcalloc(m, sizeof(*pc));
    char **t = tsk_xcalloc(m, sizeof(*t));
    for (size_t k = 0; k < m; k++) {
        int i = k < NOBJ ? (int)k : k == NOBJ ? 9 : 999999;
        char addr[64], id[32];
        snprintf(addr, sizeof(addr), "local_function.f%04d", i);
        snprintf(id, sizeof(id), "function-%06d", i);
        t[k] = attrs_text(i, 128);
        pc[k].op = 'r';
        pc[k].c = (struct tsk_rcall){p, tsk_xstrdup(addr), "shop"};
        pc[k].id = tsk_xstrdup(id);
        pc[k].prior_text = t[k];
    }
    *n = m;
    *texts = t;
    return pc;
}

static void free_reads(struct tsk_pcall *pc, char **t, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free((char *)pc[k].c.addr);
        free((char *)pc[k].id);
        free(t[k]);
        cJSON_Delete(pc[k].out);
        tsk_diags_release(&pc[k].d);
    }
    free(pc);
    free(t);
}

static void test_local_scan__batch_reads_as_lookups_do(void **state)
{
    struct local_fx *f = *state;
    fill(f->path);
    size_t n;
    char **t1, **t2;
    struct tsk_pcall *all = make_reads(f->p, &n, &t1);
    struct tsk_pcall *one = make_reads(f->p, &n, &t2);
    tsk_local__call_many(f->p, all, n); /* most of the table: one scan */
    for (size_t k = 0; k < n; k++)
        tsk_local__call_many(f->p, &one[k], 1); /* one lookup each */
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(all[k].rc, one[k].rc);
        assert_int_equal(all[k].same, one[k].same);
        assert_int_equal(all[k].d.nerr, one[k].d.nerr);
        assert_int_equal(all[k].out != NULL, one[k].out != NULL);
        if (all[k].out) {
            char *a = cJSON_PrintUnformatted(all[k].out);
            char *b = cJSON_PrintUnformatted(one[k].out);
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
        if (all[k].d.v.n)
            assert_string_equal(all[k].d.v.v[0].summary,
                                one[k].d.v.v[0].summary);
    }
    /* What each one is: unchanged, changed, gone, another type (gone), a
     * damaged row and a failure point (errors), the same text laid out
     * otherwise (read, no change), the same id twice, never existed. */
    assert_true(all[0].same && all[0].rc == 0 && !all[0].out);
    assert_true(!all[3].same && all[3].rc == 0 && all[3].out);
    assert_int_equal(
        cJSON_GetObjectItem(all[3].out, "memory_size")->valuedouble, 512);
    assert_true(!all[4].same && all[4].rc == 0 && !all[4].out);
    assert_true(!all[5].same && all[5].rc == 0 && !all[5].out);
    assert_true(all[6].rc != 0 && strstr(all[6].d.v.v[0].summary, "damaged"));
    assert_true(all[7].rc != 0 && strstr(all[7].d.v.v[0].summary, "injected"));
    assert_true(!all[8].same && all[8].rc == 0 && all[8].out);
    assert_true(all[9].same && all[NOBJ].same);
    assert_true(!all[NOBJ + 1].same && all[NOBJ + 1].rc == 0 &&
                !all[NOBJ + 1].out);
    free_reads(all, t1, n);
    free_reads(one, t2, n);
}

struct reader {
    struct tsk_pcall *pc;
    size_t n;
    pthread_t t;
};

static void *read_batch(void *arg)
{
    struct reader *r = arg;
    tsk_local__call_many(r->pc->c.pctx, r->pc, r->n);
    return NULL;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
test_local_scan__threads_read_together_latency_overlaps(void **state)
{
    struct local_fx *f = *state;
    fill(f->path);
    size_t n;
    char **t;
    struct tsk_pcall *pc = make_reads(f->p, &n, &t);
    /* 8 threads, 3 reads each (40 ms each): about 120 ms, not 960 ms. */
    enum { NT = 8, PER = 3 };
    struct reader r[NT];
    double t0 = now_ms();
    for (int i = 0; i < NT; i++) {
        r[i] = (struct reader){pc + (size_t)i * PER, PER, 0};
        assert_int_equal(pthread_create(&r[i].t, NULL, read_batch, &r[i]), 0);
    }
    for (int i = 0; i < NT; i++)
        pthread_join(r[i].t, NULL);
    double ms = now_ms() - t0;
    assert_true(ms >= PER * 40 - 5);
    assert_true(ms < NT * PER * 40 / 2);
    assert_true(pc[0].same && pc[1].same && pc[2].same);
    assert_true(pc[3].out && !pc[4].out && !pc[5].out);
    assert_true(pc[6].rc != 0 && pc[7].rc != 0);
    assert_true(pc[8].out && pc[9].same);
    free_reads(pc, t, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_local_scan__batch_reads_as_lookups_do, setup,
            local_fx_teardown),
        cmocka_unit_test_setup_teardown(
            test_local_scan__threads_read_together_latency_overlaps, setup_slow,
            local_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

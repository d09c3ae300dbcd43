/* test_threads.c - commits from several threads, as the parallel apply
 * makes them: one shared handle (with the lock's heartbeat running), and
 * one handle per thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>

#include "unit/state/helpers.h"

enum { NTHREADS = 6, PER_THREAD = 60 };

struct worker {
    struct tsk_state *st;
    const char *path; /* open an own handle when set */
    int no;
    int failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct tsk_diags d = {0};
    struct tsk_state *st = w->st;
    char addr[64], token[37];
    if (w->path && tsk_state_open(&st, w->path, NULL, &d) != 0) {
        w->failures = PER_THREAD;
        tsk_diags_release(&d);
        return NULL;
    }
    for (int i = 0; i < PER_THREAD; i++) {
        snprintf(addr, sizeof addr, "local_function.t%d_%03d", w->no, i);
        tsk_state_uuid(token);
        struct tsk_state_intent in = {.address = addr,
                                      .action = "create",
                                      .provider = "local",
                                      .token = token};
        int64_t jid;
        struct tsk_state_res r = make_res(addr, 8);
        if (tsk_state_journal_add(&jid, st, &in, &d) != 0 ||
            tsk_state_put(st, &r, jid, &d) != 0)
            w->failures++;
        free_res(&r);
    }
    if (w->path)
        tsk_state_close(st);
    tsk_diags_release(&d);
    return NULL;
}

static void run_workers(struct tsk_state *shared, const char *path)
{
    pthread_t th[NTHREADS];
    struct worker w[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (struct worker){shared, shared ? NULL : path, i, 0};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
}

static void check_result(struct tsk_state *st)
{
    struct tsk_diags d = {0};
    struct tsk_state_snap *snap;
    struct tsk_state_intent_list l;
    char addr[64];
    assert_int_equal(tsk_state_serial(st), NTHREADS * PER_THREAD);
    assert_int_equal(tsk_state_load(&snap, st, &d), 0);
    assert_int_equal(snap->res.n, NTHREADS * PER_THREAD);
    for (int t = 0; t < NTHREADS; t++)
        for (int i = 0; i < PER_THREAD; i++) {
            snprintf(addr, sizeof addr, "local_function.t%d_%03d", t, i);
            assert_non_null(tsk_state_snap_find(snap, addr));
        }
    tsk_state_snap_free(snap);
    assert_int_equal(tsk_state_journal_list(&l, st, &d), 0);
    assert_int_equal(l.v.n, 0); /* every intent cleared with its result */
    tsk_state_intent_list_release(&l);
    assert_int_equal(d.nerr, 0);
    tsk_diags_release(&d);
}

static void test_state_threads__shared_handle(void **state)
{
    (void)state;
    char *path, *dir = scratch(&path);
    struct tsk_state *st;
    struct tsk_diags d = {0};
    struct tsk_state_lock_opts o = {"apply", 0};
    setenv("TUSKFORM_LOCK_HEARTBEAT_MS", "5", 1);
    assert_int_equal(tsk_state_open(&st, path, NULL, &d), 0);
    assert_int_equal(tsk_state_lock(st, &o, &d), 0);
    run_workers(st, NULL);
    assert_false(tsk_state_lock_lost(st));
    check_result(st);
    assert_int_equal(tsk_state_unlock(st, &d), 0);
    assert_int_equal(d.nerr + d.nwarn, 0);
    tsk_state_close(st);
    unsetenv("TUSKFORM_LOCK_HEARTBEAT_MS");
    tsk_diags_release(&d);
    rm_tree(dir);
    free(dir);
    free(path);
}

static void test_state_threads__handle_per_thread(void **state)
{
    (void)state;
    char *path, *dir = scratch(&path);
    struct tsk_state *st;
    struct tsk_diags d = {0};
    assert_int_equal(tsk_state_open(&st, path, NULL, &d), 0);
    run_workers(NULL, path);
    check_result(st);
    tsk_state_close(st);
    tsk_diags_release(&d);
    rm_tree(dir);
    free(dir);
    free(path);
}

struct opener {
    const char *path;
    char lineage[64];
    int rc;
};

static void *open_new(void *arg)
{
    struct opener *o = arg;
    struct tsk_state *st;
    struct tsk_diags d = {0};
    o->rc = tsk_state_open(&st, o->path, NULL, &d);
    if (o->rc == 0) {
        snprintf(o->lineage, sizeof o->lineage, "%s", tsk_state_lineage(st));
        tsk_state_close(st);
    }
    tsk_diags_release(&d);
    return NULL;
}

/* Several runs start at once in a folder that was never initialised: all
 * of them open the one state that gets created. */
static void test_state_threads__concurrent_creation(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        char *path, *dir = scratch(&path);
        pthread_t th[NTHREADS];
        struct opener o[NTHREADS];
        for (int i = 0; i < NTHREADS; i++) {
            o[i] = (struct opener){.path = path};
            assert_int_equal(pthread_create(&th[i], NULL, open_new, &o[i]), 0);
        }
        for (int i = 0; i < NTHREADS; i++) {
            pthread_join(th[i], NULL);
            assert_int_equal(o[i].rc, 0);
            assert_string_equal(o[i].lineage, o[0].lineage);
        }
        rm_tree(dir);
        free(dir);
        free(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_threads__shared_handle),
        cmocka_unit_test(test_state_threads__handle_per_thread),
        cmocka_unit_test(test_state_threads__concurrent_creation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

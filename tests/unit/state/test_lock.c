/* test_lock.c - the state lock lease: conflicts and their message, waiting,
 * takeover of a dead holder's and of an expired lease, heartbeats, and
 * force-unlock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>

#include "unit/state/helpers.h"

struct fx {
    char *dir, *path;
    struct tsk_state *a, *b; /* two handles, as two runs would have */
    struct tsk_diags d;
};

static int setup(void **state)
{
    struct fx *f = tsk_xcalloc(1, sizeof *f);
    unsetenv("TUSKFORM_LOCK_HEARTBEAT_MS");
    unsetenv("TUSKFORM_LOCK_LEASE_MS");
    f->dir = scratch(&f->path);
    assert_int_equal(tsk_state_open(&f->a, f->path, NULL, &f->d), 0);
    assert_int_equal(tsk_state_open(&f->b, f->path, NULL, &f->d), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tsk_state_close(f->a);
    tsk_state_close(f->b);
    tsk_diags_release(&f->d);
    rm_tree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void assert_has(const struct tsk_diags *d, const char *want)
{
    char *t = diag_text(d);
    if (!strstr(t, want))
        fail_msg("expected \"%s\" in:\n%s", want, t);
    free(t);
}

static void test_state_lock__conflict_message(void **state)
{
    struct fx *f = *state;
    struct tsk_state_lock_opts apply = {"apply", 0}, plan = {"plan", 0};
    char want[256];
    assert_int_equal(tsk_state_lock(f->a, &apply, &f->d), 0);
    assert_int_equal(f->d.nerr + f->d.nwarn, 0);
    const char *id = tsk_state_lock_id(f->a);
    assert_non_null(id);
    assert_null(tsk_state_lock_id(f->b));
    assert_int_equal(tsk_state_lock(f->b, &plan, &f->d), TSK_ELOCKED);
    assert_int_equal(f->d.nerr, 1);
    snprintf(want, sizeof want,
             "Error acquiring the state lock: held by "
             "apply (id %s, pid %d on host ",
             id, (int)getpid());
    assert_has(&f->d, want);
    assert_has(&f->d, ", since 20");
    assert_has(&f->d, "Wait for it with -lock-timeout=DURATION");
    snprintf(want, sizeof want, "remove it with 'tuskform force-unlock %s'",
             id);
    assert_has(&f->d, want);
    assert_null(tsk_state_lock_id(f->b));
    /* Locking twice from one handle is a programming error. */
    assert_int_equal(tsk_state_lock(f->a, &apply, &f->d), TSK_EINVAL);

    struct tsk_state_lock_info li;
    assert_int_equal(tsk_state_lock_read(&li, f->b, &f->d), 0);
    assert_string_equal(li.id, id);
    assert_string_equal(li.operation, "apply");
    assert_int_equal(li.pid, getpid());
    assert_int_equal(li.lease_ms, TSK_STATE_LEASE_MS);
    tsk_state_lock_info_release(&li);

    /* Released: the other handle takes it without any warning. */
    assert_int_equal(tsk_state_unlock(f->a, &f->d), 0);
    assert_null(tsk_state_lock_id(f->a));
    assert_int_equal(tsk_state_lock_read(&li, f->b, &f->d), TSK_ENOTFOUND);
    assert_int_equal(tsk_state_lock(f->b, &plan, &f->d), 0);
    assert_int_equal(f->d.nwarn, 0);
    assert_false(tsk_state_lock_lost(f->b));
    /* Closing a handle releases its lock. */
    tsk_state_close(f->b);
    f->b = NULL;
    assert_int_equal(tsk_state_lock(f->a, &apply, &f->d), 0);
    assert_int_equal(f->d.nwarn, 0);
}

struct unlocker {
    struct tsk_state *st;
    long after_ms;
};

static void *unlock_later(void *arg)
{
    struct unlocker *u = arg;
    struct tsk_diags d = {0};
    sleep_ms(u->after_ms);
    tsk_state_unlock(u->st, &d);
    tsk_diags_release(&d);
    return NULL;
}

static void test_state_lock__timeout_waits(void **state)
{
    struct fx *f = *state;
    struct tsk_state_lock_opts apply = {"apply", 0};
    assert_int_equal(tsk_state_lock(f->a, &apply, &f->d), 0);

    /* Too short a wait: fails after about the timeout. */
    struct tsk_state_lock_opts wait = {"destroy", 250};
    int64_t t0 = mono_ms();
    assert_int_equal(tsk_state_lock(f->b, &wait, &f->d), TSK_ELOCKED);
    assert_true(mono_ms() - t0 >= 240);
    assert_has(&f->d, "still after waiting");

    /* The holder finishes while we wait: we get it. */
    pthread_t th;
    struct unlocker u = {f->a, 300};
    assert_int_equal(pthread_create(&th, NULL, unlock_later, &u), 0);
    wait.timeout_ms = 10000;
    t0 = mono_ms();
    int rc = tsk_state_lock(f->b, &wait, &f->d);
    int64_t waited = mono_ms() - t0;
    pthread_join(th, NULL);
    assert_int_equal(rc, 0);
    assert_true(waited >= 250);
    assert_true(waited < 8000);
    assert_non_null(tsk_state_lock_id(f->b));
    assert_int_equal(f->d.nerr, 1);
}

/* A child process takes the lock and exits without releasing it. */
static void test_state_lock__takeover_dead_process(void **state)
{
    struct fx *f = *state;
    int status;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct tsk_state *st;
        struct tsk_diags d = {0};
        struct tsk_state_lock_opts o = {"apply", 0};
        if (tsk_state_open(&st, f->path, NULL, &d) != 0 ||
            tsk_state_lock(st, &o, &d) != 0)
            _exit(3);
        _exit(0); /* killed, in effect: no unlock */
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    struct tsk_state_lock_info li;
    assert_int_equal(tsk_state_lock_read(&li, f->a, &f->d), 0);
    assert_int_equal(li.pid, pid);
    char *old = tsk_xstrdup(li.id);
    tsk_state_lock_info_release(&li);

    struct tsk_state_lock_opts o = {"apply", 0};
    assert_int_equal(tsk_state_lock(f->a, &o, &f->d), 0);
    assert_int_equal(f->d.nerr, 0);
    assert_int_equal(f->d.nwarn, 1);
    char want[128];
    snprintf(want, sizeof want, "its process %d on this host is gone",
             (int)pid);
    assert_has(&f->d, want);
    assert_has(&f->d, old);
    assert_has(&f->d, "took over the state lock");
    assert_string_not_equal(tsk_state_lock_id(f->a), old);
    free(old);
}

static void test_state_lock__takeover_expired_lease(void **state)
{
    struct fx *f = *state;
    struct tsk_state_lock_opts o = {"apply", 0};
    /* a's heartbeat never comes within its 200 ms lease. */
    setenv("TUSKFORM_LOCK_HEARTBEAT_MS", "100000", 1);
    setenv("TUSKFORM_LOCK_LEASE_MS", "200", 1);
    assert_int_equal(tsk_state_lock(f->a, &o, &f->d), 0);
    char *a_id = tsk_xstrdup(tsk_state_lock_id(f->a));
    unsetenv("TUSKFORM_LOCK_HEARTBEAT_MS");
    unsetenv("TUSKFORM_LOCK_LEASE_MS");
    assert_int_equal(tsk_state_lock(f->b, &o, &f->d), TSK_ELOCKED);
    sleep_ms(400);
    assert_int_equal(tsk_state_lock(f->b, &o, &f->d), 0);
    assert_int_equal(f->d.nwarn, 1);
    assert_has(&f->d, "its heartbeat expired");
    assert_has(&f->d, a_id);

    /* The old holder can no longer write, and learns it lost the lock. */
    struct tsk_state_res r = make_res("local_function.x", 1);
    assert_int_equal(tsk_state_put(f->a, &r, 0, &f->d), TSK_ELOCKED);
    assert_has(&f->d, "was removed or taken over");
    assert_true(tsk_state_lock_lost(f->a));
    assert_int_equal(tsk_state_serial(f->b), 0);
    assert_int_equal(tsk_state_put(f->b, &r, 0, &f->d), 0);
    free_res(&r);
    /* Its unlock leaves the new holder's lock alone. */
    tsk_state_unlock(f->a, &f->d);
    struct tsk_state_lock_info li;
    assert_int_equal(tsk_state_lock_read(&li, f->a, &f->d), 0);
    assert_string_equal(li.id, tsk_state_lock_id(f->b));
    tsk_state_lock_info_release(&li);
    free(a_id);
}

static void test_state_lock__heartbeat_keeps_lease(void **state)
{
    struct fx *f = *state;
    struct tsk_state_lock_opts o = {"apply", 0};
    struct tsk_state_lock_info l1, l2;
    setenv("TUSKFORM_LOCK_HEARTBEAT_MS", "50", 1);
    setenv("TUSKFORM_LOCK_LEASE_MS", "400", 1);
    assert_int_equal(tsk_state_lock(f->a, &o, &f->d), 0);
    assert_int_equal(tsk_state_lock_read(&l1, f->b, &f->d), 0);
    sleep_ms(1000); /* more than twice the lease */
    assert_int_equal(tsk_state_lock_read(&l2, f->b, &f->d), 0);
    assert_true(l2.heartbeat_ms > l1.heartbeat_ms);
    assert_int_equal(l2.lease_ms, 400);
    assert_int_equal(tsk_state_lock(f->b, &o, &f->d), TSK_ELOCKED);
    assert_false(tsk_state_lock_lost(f->a));
    tsk_state_lock_info_release(&l1);
    tsk_state_lock_info_release(&l2);
    unsetenv("TUSKFORM_LOCK_HEARTBEAT_MS");
    unsetenv("TUSKFORM_LOCK_LEASE_MS");
}

static void test_state_lock__force_unlock(void **state)
{
    struct fx *f = *state;
    struct tsk_state_lock_opts o = {"apply", 0};
    setenv("TUSKFORM_LOCK_HEARTBEAT_MS", "30", 1);
    assert_int_equal(tsk_state_force_unlock(f->b, "nope", &f->d),
                     TSK_ENOTFOUND);
    assert_has(&f->d, "the state is not locked");
    assert_int_equal(tsk_state_lock(f->a, &o, &f->d), 0);
    char *id = tsk_xstrdup(tsk_state_lock_id(f->a));
    assert_int_equal(tsk_state_force_unlock(f->b, "wrong-id", &f->d),
                     TSK_ENOTFOUND);
    assert_has(&f->d, "the lock is held by apply (id ");
    assert_has(&f->d, id);
    assert_int_equal(tsk_state_force_unlock(f->b, id, &f->d), 0);
    assert_int_equal(f->d.nerr, 2);
    sleep_ms(200); /* a's heartbeat finds its lease gone */
    assert_true(tsk_state_lock_lost(f->a));
    assert_int_equal(tsk_state_lock(f->b, &o, &f->d), 0);
    assert_int_equal(f->d.nwarn, 0);
    /* Intents carry the lock id they were written under. */
    struct tsk_state_intent in = {.address = "a.b", .action = "create"};
    int64_t j;
    struct tsk_state_intent_list l;
    assert_int_equal(tsk_state_journal_add(&j, f->b, &in, &f->d), 0);
    assert_int_equal(tsk_state_journal_list(&l, f->a, &f->d), 0);
    assert_int_equal(l.v.n, 1);
    assert_string_equal(l.v.v[0].lock_id, tsk_state_lock_id(f->b));
    tsk_state_intent_list_release(&l);
    /* Force-unlocking our own lock is an ordinary unlock. */
    char *bid = tsk_xstrdup(tsk_state_lock_id(f->b));
    assert_int_equal(tsk_state_force_unlock(f->b, bid, &f->d), 0);
    assert_null(tsk_state_lock_id(f->b));
    free(bid);
    free(id);
    unsetenv("TUSKFORM_LOCK_HEARTBEAT_MS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(n)                                                                   \
    cmocka_unit_test_setup_teardown(test_state_lock__##n, setup, teardown)
        T(conflict_message),      T(timeout_waits),
        T(takeover_dead_process), T(takeover_expired_lease),
        T(heartbeat_keeps_lease), T(force_unlock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

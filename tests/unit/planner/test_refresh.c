/* test_refresh.c - refresh through a fake provider, and the thread pool. */
#include "plan_fixtures.h"
#include "planner/pool.h"

#include <pthread.h>

static void test_drift_changed_deleted_and_same(void **state)
{
    (void)state;
    fx_objs objs = {0};
    struct tsk_plan plan = {0};
    struct tsk_diags d = {0};
    memset(fake_remote, 0, sizeof(fake_remote));
    fake_remote[0][0] = "1";
    fake_remote[0][1] = "{\"name\":\"a\",\"memory\":256,\"env\":{\"K\":\"v\","
                        "\"S\":\"new-secret\"}}";
    fake_remote[1][0] = "2";
    fake_remote[1][1] = ""; /* gone */
    fake_remote[2][0] = "3";
    fake_remote[2][1] = "{\"name\":\"c\"}";
    struct tsk_object *a =
        fx_obj(&objs, "test_fn.a", "1",
               "{\"name\":\"a\",\"memory\":128,\"env\":{\"K\":\"v\","
               "\"S\":\"old-secret\"}}",
               NULL);
    *TSK_ARRAY_PUSH(a->sensitive) = tsk_xstrdup("env.S");
    fx_obj(&objs, "test_fn.b", "2", "{\"name\":\"b\"}", NULL);
    fx_obj(&objs, "test_fn.c", "3", "{\"name\":\"c\"}", NULL);
    struct tsk_refresh_opts o = {&test_prov, NULL, "stack", 4};
    assert_int_equal(tsk_refresh(&plan, objs.v, objs.n, &o, &d), 0);
    assert_int_equal(d.nerr, 0);
    assert_int_equal(plan.drift.n, 2);
    const struct tsk_drift *dr = &plan.drift.v[0];
    assert_string_equal(dr->addr, "test_fn.a");
    assert_int_equal(dr->kind, TSK_DRIFT_CHANGED);
    assert_int_equal(dr->paths.n, 2);
    assert_string_equal(dr->paths.v[0], "memory");
    assert_string_equal(dr->paths.v[1], "env.S");
    assert_true(tsk_strs_has(dr->sensitive.v, dr->sensitive.n, "env.S"));
    assert_true(tsk_strs_has(dr->sensitive.v, dr->sensitive.n, "password"));
    fx_assert_json(dr->state_attrs, "{\"name\":\"a\",\"memory\":128,"
                                    "\"env\":{\"K\":\"v\",\"S\":"
                                    "\"old-secret\"}}");
    /* the object now holds what was read */
    fx_assert_json(objs.v[0].attrs, fake_remote[0][1]);
    assert_string_equal(plan.drift.v[1].addr, "test_fn.b");
    assert_int_equal(plan.drift.v[1].kind, TSK_DRIFT_DELETED);
    assert_null(objs.v[1].addr); /* gone */
    assert_string_equal(objs.v[2].addr, "test_fn.c");

    /* a diff over the refreshed objects recreates the deleted one */
    struct tsk_graph g = {0};
    g.prov = &test_prov;
    fx_node(&g, "test_fn", "b", "{\"name\":\"b\"}");
    assert_int_equal(tsk_diff(&plan, &g, NULL, objs.v, objs.n, NULL, &d), 0);
    assert_int_equal(fx_change(&plan, "test_fn.b")->action, TSK_CREATE);
    assert_int_equal(fx_change(&plan, "test_fn.a")->action, TSK_DELETE);
    fx_graph_free(&g);
    tsk_plan_free(&plan);
    fx_objs_free(&objs);
    tsk_diags_release(&d);
}

static void test_read_errors_and_unknown_types(void **state)
{
    (void)state;
    fx_objs objs = {0};
    struct tsk_plan plan = {0};
    struct tsk_diags d = {0};
    memset(fake_remote, 0, sizeof(fake_remote));
    fake_remote[0][0] = "1";
    fake_remote[0][1] = NULL; /* error */
    fake_remote[1][0] = "2";
    fake_remote[1][1] = "{\"name\":\"x\"}";
    fx_obj(&objs, "test_fn.a", "1", "{\"name\":\"a\"}", NULL);
    fx_obj(&objs, "test_fn.b", "2", "{\"name\":\"b\"}", NULL);
    fx_obj(&objs, "other_thing.c", "3", "{}", NULL);
    struct tsk_refresh_opts o = {&test_prov, NULL, "stack", 0};
    assert_int_equal(tsk_refresh(&plan, objs.v, objs.n, &o, &d), TSK_ERROR);
    assert_int_equal(d.nerr, 1);
    assert_int_equal(d.nwarn, 1);
    int saw_err = 0;
    for (size_t i = 0; i < d.v.n; i++)
        if (d.v.v[i].sev == TSK_SEV_ERROR) {
            saw_err = 1;
            assert_string_equal(d.v.v[i].addr, "test_fn.a");
            assert_non_null(strstr(d.v.v[i].summary, "access denied"));
        }
    assert_true(saw_err);
    /* the other reads still ran */
    assert_int_equal(plan.drift.n, 1);
    assert_string_equal(plan.drift.v[0].addr, "test_fn.b");
    fx_assert_json(objs.v[0].attrs, "{\"name\":\"a\"}");
    tsk_plan_free(&plan);
    fx_objs_free(&objs);
    tsk_diags_release(&d);
}

struct count {
    pthread_mutex_t mu;
    int hits[1000];
    int total;
};

static void bump(void *ctx, size_t i)
{
    struct count *c = ctx;
    pthread_mutex_lock(&c->mu);
    c->hits[i]++;
    c->total++;
    pthread_mutex_unlock(&c->mu);
}

static void test_pool_runs_every_job_once(void **state)
{
    (void)state;
    int threads[] = {0, 1, 3, 16, 2000};
    for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
        struct count c = {.total = 0};
        pthread_mutex_init(&c.mu, NULL);
        tsk_pool_run(threads[t], 1000, bump, &c);
        assert_int_equal(c.total, 1000);
        for (int i = 0; i < 1000; i++)
            assert_int_equal(c.hits[i], 1);
        pthread_mutex_destroy(&c.mu);
    }
    tsk_pool_run(4, 0, bump, NULL); /* no jobs: fn is never called */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drift_changed_deleted_and_same),
        cmocka_unit_test(test_read_errors_and_unknown_types),
        cmocka_unit_test(test_pool_runs_every_job_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

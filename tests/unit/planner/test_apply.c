/*
 * test_apply.c - the apply walk on the local provider with a real state
 * file: references resolved as producers finish, per-resource commits,
 * failures that skip only their dependents and taint the failed create,
 * updates, create-before-destroy replacements, deletes in reverse order,
 * parallel calls, interrupts, cycles and the summary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>

#include "unit/planner/apply_fx.h"

static int setup(void **state)
{
    *state = afx_new();
    return 0;
}

static int teardown(void **state)
{
    afx_free(*state);
    return 0;
}

/* f1 <- t1, f2: three creates, the trigger after its function. */
static void build_basic(struct afx *f)
{
    uint32_t f1 = afx_fn(f, "f1", 128);
    afx_fn(f, "f2", 256);
    afx_trigger(f, "t1", f1);
}

static void test_apply__creates_and_resolves_references(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    build_basic(f);
    afx_plan_create(f, &p);
    assert_int_equal(afx_apply(f, &p, 4, &rep), 0);
    assert_int_equal(rep.added, 3);
    assert_int_equal(rep.changed + rep.destroyed, 0);
    assert_int_equal(f->d.nerr, 0);
    assert_int_equal(afx_state_count(f), 3);
    assert_int_equal(afx_journal_count(f), 0);
    assert_int_equal(afx_cloud_count(f, NULL), 3);

    char *fid = NULL;
    cJSON *fa = afx_state_attrs(f, "local_function.f1", NULL, &fid);
    cJSON *ta = afx_state_attrs(f, "local_trigger.t1", NULL, NULL);
    assert_string_equal(afx_str(fa, "id"), fid);
    assert_string_equal(afx_str(ta, "function_arn"), afx_str(fa, "arn"));
    /* The trigger started only after its function was created. */
    assert_true(afx_at(f, "local_function.f1: Creation complete") <
                afx_at(f, "local_trigger.t1: Creating..."));
    assert_true(afx_at(f, "[id=function-") > 0);
    cJSON_Delete(fa);
    cJSON_Delete(ta);
    free(fid);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply__failure_skips_dependents_only(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    build_basic(f);
    setenv("TUSKFORM_LOCAL_FAIL", "create:local_function.f1", 1);
    afx_open_cloud(f);
    afx_plan_create(f, &p);
    assert_int_equal(afx_apply(f, &p, 2, &rep), TSK_ERROR);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.failed.n, 1);
    assert_string_equal(rep.failed.v[0], "local_function.f1");
    assert_int_equal(rep.skipped.n, 1);
    assert_string_equal(rep.skipped.v[0],
                        "local_trigger.t1 (needs local_function.f1)");
    assert_int_equal(rep.tainted.n, 1);
    /* The error names the address. */
    assert_int_equal(f->d.nerr, 1);
    assert_string_equal(f->d.v.v[0].addr, "local_function.f1");

    int tainted = 0;
    cJSON *a = afx_state_attrs(f, "local_function.f1", &tainted, NULL);
    assert_non_null(a);
    assert_int_equal(tainted, 1);
    cJSON_Delete(a);
    assert_null(afx_state_attrs(f, "local_trigger.t1", NULL, NULL));
    a = afx_state_attrs(f, "local_function.f2", &tainted, NULL);
    assert_non_null(a);
    assert_int_equal(tainted, 0);
    cJSON_Delete(a);
    assert_int_equal(afx_cloud_count(f, NULL), 1);

    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    tsk_apply_summary(&rep, 0, mem, 0);
    fclose(mem);
    assert_string_equal(
        buf, "\nApply failed! Resources: 1 added, 0 changed, 0 destroyed.\n"
             "\nNot done:\n"
             "  - failed:      local_function.f1 (left tainted: the next "
             "apply replaces it)\n"
             "  - skipped:     local_trigger.t1 (needs local_function.f1)\n");
    free(buf);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply__update_and_replace(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    build_basic(f);
    afx_plan_create(f, &p);
    assert_int_equal(afx_apply(f, &p, 4, &rep), 0);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
    char *old_t = NULL;
    cJSON_Delete(afx_state_attrs(f, "local_trigger.t1", NULL, &old_t));

    /* f1's memory changes; the trigger is replaced create-first. */
    memset(&p, 0, sizeof(p));
    cJSON_ReplaceItemInObject(f->g.nodes.v[0].attrs, "memory_size",
                              cJSON_CreateNumber(1024));
    struct tsk_change *c1 = afx_change(f, &p, 0, NULL, TSK_UPDATE);
    afx_prior(f, c1);
    cJSON_AddStringToObject(c1->after, "id", c1->id);
    cJSON_AddStringToObject(c1->after, "arn", afx_str(c1->before, "arn"));
    struct tsk_change *ct = afx_change(f, &p, 2, NULL, TSK_REPLACE_CD);
    afx_prior(f, ct);
    cJSON_AddStringToObject(ct->after, "function_arn",
                            afx_str(c1->before, "arn"));
    cJSON_DeleteItemFromObject(ct->after_unknown, "function_arn");
    assert_int_equal(afx_apply(f, &p, 4, &rep), 0);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.changed, 1);
    assert_int_equal(rep.destroyed, 1);

    cJSON *fa = afx_state_attrs(f, "local_function.f1", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(fa, "memory_size")->valueint, 1024);
    cJSON_Delete(fa);
    char *new_t = NULL;
    cJSON_Delete(afx_state_attrs(f, "local_trigger.t1", NULL, &new_t));
    assert_string_not_equal(old_t, new_t);
    char *q = tsk_xasprintf("id = '%s'", old_t);
    assert_int_equal(afx_cloud_count(f, q), 0);
    free(q);
    assert_int_equal(afx_cloud_count(f, NULL), 3);
    assert_int_equal(afx_journal_count(f), 0);
    /* The old trigger went only after the new one existed. */
    assert_true(afx_at(f, "local_trigger.t1: Creation complete") <
                afx_at(f, "local_trigger.t1: Destroying..."));
    free(old_t);
    free(new_t);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply__deletes_dependents_first(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    build_basic(f);
    afx_plan_create(f, &p);
    assert_int_equal(afx_apply(f, &p, 4, &rep), 0);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);

    /* Deletes listed function first: the walk still deletes the trigger
     * first, because it depends on the function. */
    memset(&p, 0, sizeof(p));
    struct tsk_change *cf = afx_change(f, &p, UINT32_MAX,
                                       "local_function.f1", TSK_DELETE);
    afx_prior(f, cf);
    struct tsk_change *ct =
        afx_change(f, &p, UINT32_MAX, "local_trigger.t1", TSK_DELETE);
    afx_prior(f, ct);
    *TSK_ARRAY_PUSH(ct->deps) = tsk_xstrdup("local_function.f1");
    assert_int_equal(afx_apply(f, &p, 4, &rep), 0);
    assert_int_equal(rep.destroyed, 2);
    assert_true(afx_at(f, "local_trigger.t1: Destruction complete") >= 0);
    assert_true(afx_at(f, "local_trigger.t1: Destruction complete") <
                afx_at(f, "local_function.f1: Destroying..."));
    assert_int_equal(afx_state_count(f), 1);
    assert_int_equal(afx_cloud_count(f, NULL), 1);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply__calls_overlap(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    char name[16];
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof(name), "p%d", i);
        afx_fn(f, name, 128);
    }
    setenv("TUSKFORM_LOCAL_LATENCY_MS", "500", 1);
    afx_open_cloud(f);
    afx_plan_create(f, &p);
    assert_int_equal(afx_apply(f, &p, 6, &rep), 0);
    /* Every call started before the first one finished. */
    long first_done = afx_at(f, "Creation complete");
    for (int i = 0; i < 6; i++) {
        char line[64];
        snprintf(line, sizeof(line), "local_function.p%d: Creating...", i);
        assert_true(afx_at(f, line) >= 0);
        assert_true(afx_at(f, line) < first_done);
    }
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply__still_lines(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    afx_fn(f, "slow", 128);
    setenv("TUSKFORM_LOCAL_LATENCY_MS", "2300", 1);
    afx_open_cloud(f);
    afx_plan_create(f, &p);
    assert_int_equal(afx_apply(f, &p, 1, &rep), 0);
    assert_true(afx_at(f, "local_function.slow: Still creating... [1s "
                          "elapsed]") > 0);
    assert_true(afx_at(f, "local_function.slow: Still creating... [2s "
                          "elapsed]") > 0);
    assert_true(afx_at(f, "local_function.slow: Creation complete after 2s") >
                0);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void *interrupt_later(void *arg)
{
    struct afx *f = arg;
    usleep(600 * 1000);
    f->intr = 1;
    return NULL;
}

static void test_apply__interrupt_lets_calls_finish(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    char name[16];
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof(name), "i%d", i);
        afx_fn(f, name, 128);
    }
    setenv("TUSKFORM_LOCAL_LATENCY_MS", "400", 1);
    afx_open_cloud(f);
    afx_plan_create(f, &p);
    pthread_t t;
    pthread_create(&t, NULL, interrupt_later, f);
    assert_int_equal(afx_apply(f, &p, 2, &rep), TSK_ERROR);
    pthread_join(t, NULL);
    assert_true(rep.interrupted);
    /* Two finished before the interrupt, two were in flight and finished:
     * four done, two never started; state and cloud agree. */
    assert_int_equal(rep.added, 4);
    assert_int_equal(rep.not_started.n, 2);
    assert_int_equal(afx_state_count(f), 4);
    assert_int_equal(afx_cloud_count(f, NULL), 4);
    assert_int_equal(afx_journal_count(f), 0);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply__cycle_is_refused(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p = {0};
    struct tsk_apply_report rep;
    uint32_t a = afx_fn(f, "a", 128), b = afx_fn(f, "b", 128);
    (void)a;
    (void)b;
    struct tsk_change *ca = afx_change(f, &p, 0, NULL, TSK_CREATE);
    *TSK_ARRAY_PUSH(ca->deps) = tsk_xstrdup("local_function.b");
    struct tsk_change *cb = afx_change(f, &p, 1, NULL, TSK_CREATE);
    *TSK_ARRAY_PUSH(cb->deps) = tsk_xstrdup("local_function.a");
    assert_int_equal(afx_apply(f, &p, 2, &rep), TSK_EINVAL);
    assert_non_null(strstr(f->d.v.v[0].summary, "cycle"));
    assert_non_null(strstr(f->d.v.v[0].detail, "local_function.a"));
    assert_non_null(strstr(f->d.v.v[0].detail, "local_function.b"));
    assert_int_equal(afx_cloud_count(f, NULL), 0);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply__noop_plan_and_summary(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p = {0};
    struct tsk_apply_report rep;
    afx_fn(f, "a", 128);
    afx_change(f, &p, 0, NULL, TSK_NOOP);
    assert_int_equal(afx_apply(f, &p, 2, &rep), 0);
    assert_string_equal(f->out, "");
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    tsk_apply_summary(&rep, 0, mem, 0);
    rep.destroyed = 3;
    tsk_apply_summary(&rep, 1, mem, 0);
    fclose(mem);
    assert_string_equal(
        buf, "\nApply complete! Resources: 0 added, 0 changed, 0 destroyed.\n"
             "\nDestroy complete! Resources: 3 destroyed.\n");
    free(buf);
    char *line = tsk_apply_summary_line(&rep);
    assert_string_equal(line, "0 added, 0 changed, 3 destroyed");
    free(line);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_apply__creates_and_resolves_references),
        T(test_apply__failure_skips_dependents_only),
        T(test_apply__update_and_replace),
        T(test_apply__deletes_dependents_first),
        T(test_apply__calls_overlap),
        T(test_apply__still_lines),
        T(test_apply__interrupt_lets_calls_finish),
        T(test_apply__cycle_is_refused),
        T(test_apply__noop_plan_and_summary),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

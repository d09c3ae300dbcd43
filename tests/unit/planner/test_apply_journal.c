/*
 * test_apply_journal.c - settling the journal an interrupted apply left:
 * lost create responses adopted, failed creates cleared, objects made by a
 * killed run adopted, deletes that finished forgotten, deposed objects of a
 * create-before-destroy replacement deleted, updates re-read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

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

static int64_t intent(struct afx *f, const char *addr, const char *action,
                      const char *token, const char *provider)
{
    struct tsk_state_intent in = {
        .address = (char *)addr,
        .action = (char *)action,
        .provider = (char *)provider,
        .token = (char *)token,
    };
    int64_t id = 0;
    assert_int_equal(tsk_state_journal_add(&id, f->st, &in, &f->d), 0);
    return id;
}

/* Creates an object in the cloud directly, as a killed run would have. */
static char *cloud_create(struct afx *f, uint32_t n, cJSON **out)
{
    struct tsk_rcall c = {f->pctx, f->g.nodes.v[n].addr, "shop"};
    char *id = NULL;
    cJSON *o = NULL;
    assert_int_equal(tsk_local_create(&c, f->g.nodes.v[n].attrs, &id, &o,
                                      &f->d),
                     0);
    if (out)
        *out = o;
    else
        cJSON_Delete(o);
    return id;
}

static void record(struct afx *f, const char *addr, const char *id,
                   const cJSON *attrs)
{
    struct tsk_state_res res = {.address = addr,
                                .type = "local_function",
                                .provider = "local",
                                .remote_id = id,
                                .attrs = attrs};
    assert_int_equal(tsk_state_put(f->st, &res, 0, &f->d), 0);
}

static void test_apply_journal__lost_create_is_adopted(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    uint32_t f1 = afx_fn(f, "f1", 128);
    afx_trigger(f, "t1", f1);
    setenv("TUSKFORM_LOCAL_FAIL", "lost-create:local_function.f1", 1);
    afx_open_cloud(f);
    afx_plan_create(f, &p);
    assert_int_equal(afx_apply(f, &p, 2, &rep), TSK_ERROR);
    assert_int_equal(afx_journal_count(f), 1);
    assert_int_equal(afx_cloud_count(f, NULL), 1);
    char *id = NULL;
    cJSON_Delete(afx_state_attrs(f, "local_function.f1", NULL, &id));
    assert_null(id); /* tainted, without an id */

    unsetenv("TUSKFORM_LOCAL_FAIL");
    afx_open_cloud(f);
    int n = -1;
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(afx_journal_count(f), 0);
    int tainted = 0;
    cJSON *a = afx_state_attrs(f, "local_function.f1", &tainted, &id);
    assert_non_null(id);
    assert_int_equal(tainted, 1); /* its create failed: replaced next */
    char *q = tsk_xasprintf("id = '%s'", id);
    assert_int_equal(afx_cloud_count(f, q), 1);
    assert_true(afx_at(f, "local_function.f1: adopted function-") == 0);
    free(q);
    free(id);
    cJSON_Delete(a);
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply_journal__failed_create_is_cleared(void **state)
{
    struct afx *f = *state;
    struct tsk_plan p;
    struct tsk_apply_report rep;
    afx_fn(f, "f1", 128);
    setenv("TUSKFORM_LOCAL_FAIL", "create:local_function.f1", 1);
    afx_open_cloud(f);
    afx_plan_create(f, &p);
    assert_int_equal(afx_apply(f, &p, 2, &rep), TSK_ERROR);
    assert_int_equal(afx_journal_count(f), 1);
    unsetenv("TUSKFORM_LOCAL_FAIL");
    afx_open_cloud(f);
    int n = -1;
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(afx_journal_count(f), 0);
    assert_int_equal(afx_cloud_count(f, NULL), 0);
    assert_string_equal(f->out, "");
    tsk_apply_report_release(&rep);
    tsk_plan_free(&p);
}

static void test_apply_journal__killed_create_is_adopted(void **state)
{
    struct afx *f = *state;
    uint32_t f1 = afx_fn(f, "f1", 128);
    uint32_t t1 = afx_trigger(f, "t1", f1);
    (void)t1;
    intent(f, "local_function.f1", "create", NULL, "local");
    cJSON *made = NULL;
    char *id = cloud_create(f, f1, &made);
    int n = -1;
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 1);
    int tainted = 1;
    char *sid = NULL;
    cJSON *a = afx_state_attrs(f, "local_function.f1", &tainted, &sid);
    assert_string_equal(sid, id);
    assert_int_equal(tainted, 0);
    assert_true(cJSON_Compare(a, made, 1));
    assert_int_equal(afx_journal_count(f), 0);
    /* Running it again finds nothing more to do. */
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 0);
    cJSON_Delete(a);
    cJSON_Delete(made);
    free(id);
    free(sid);
}

static void test_apply_journal__finished_delete_is_forgotten(void **state)
{
    struct afx *f = *state;
    uint32_t f1 = afx_fn(f, "f1", 128);
    cJSON *made = NULL;
    char *id = cloud_create(f, f1, &made);
    record(f, "local_function.f1", id, made);
    intent(f, "local_function.f1", "delete", id, "local");
    struct tsk_rcall c = {f->pctx, "local_function.f1", "shop"};
    assert_int_equal(tsk_local_delete(&c, id, NULL, &f->d), 0);
    int n = -1;
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(afx_state_count(f), 0);
    assert_int_equal(afx_journal_count(f), 0);
    cJSON_Delete(made);
    free(id);
}

static void test_apply_journal__unstarted_delete_keeps_object(void **state)
{
    struct afx *f = *state;
    uint32_t f1 = afx_fn(f, "f1", 128);
    cJSON *made = NULL;
    char *id = cloud_create(f, f1, &made);
    record(f, "local_function.f1", id, made);
    intent(f, "local_function.f1", "delete", id, "local");
    int n = -1;
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(afx_state_count(f), 1);
    assert_int_equal(afx_cloud_count(f, NULL), 1);
    cJSON_Delete(made);
    free(id);
}

static void test_apply_journal__deposed_object_is_deleted(void **state)
{
    struct afx *f = *state;
    uint32_t f1 = afx_fn(f, "f1", 128);
    cJSON *old = NULL, *cur = NULL;
    char *old_id = cloud_create(f, f1, &old);
    char *new_id = cloud_create(f, f1, &cur);
    /* The new object was recorded; the old one's delete never ran. */
    record(f, "local_function.f1", new_id, cur);
    intent(f, "local_function.f1", "delete", old_id, "local");
    int n = -1;
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 1);
    char *q = tsk_xasprintf("id = '%s'", old_id);
    assert_int_equal(afx_cloud_count(f, q), 0);
    free(q);
    assert_int_equal(afx_cloud_count(f, NULL), 1);
    assert_int_equal(afx_state_count(f), 1);
    cJSON_Delete(old);
    cJSON_Delete(cur);
    free(old_id);
    free(new_id);
}

static void test_apply_journal__update_is_reread(void **state)
{
    struct afx *f = *state;
    uint32_t f1 = afx_fn(f, "f1", 128);
    cJSON *made = NULL;
    char *id = cloud_create(f, f1, &made);
    record(f, "local_function.f1", id, made);
    intent(f, "local_function.f1", "update", id, "local");
    /* The update happened in the cloud before the kill. */
    struct tsk_rcall c = {f->pctx, "local_function.f1", "shop"};
    cJSON *planned = cJSON_Duplicate(made, 1), *out = NULL;
    cJSON_ReplaceItemInObject(planned, "memory_size", cJSON_CreateNumber(2048));
    assert_int_equal(tsk_local_update(&c, id, made, planned, &out, &f->d), 0);
    int n = -1;
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 1);
    cJSON *a = afx_state_attrs(f, "local_function.f1", NULL, NULL);
    assert_int_equal(cJSON_GetObjectItem(a, "memory_size")->valueint, 2048);
    cJSON_Delete(a);
    cJSON_Delete(planned);
    cJSON_Delete(out);
    cJSON_Delete(made);
    free(id);
}

static void test_apply_journal__other_provider_left_pending(void **state)
{
    struct afx *f = *state;
    intent(f, "aws_lambda_function.x", "create", NULL, "aws");
    int n = -1;
    assert_int_equal(afx_recover(f, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(afx_journal_count(f), 1);
    assert_int_equal(f->d.nwarn, 1);
    assert_non_null(strstr(f->d.v.v[0].summary, "aws_lambda_function.x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_apply_journal__lost_create_is_adopted),
        T(test_apply_journal__failed_create_is_cleared),
        T(test_apply_journal__killed_create_is_adopted),
        T(test_apply_journal__finished_delete_is_forgotten),
        T(test_apply_journal__unstarted_delete_keeps_object),
        T(test_apply_journal__deposed_object_is_deleted),
        T(test_apply_journal__update_is_reread),
        T(test_apply_journal__other_provider_left_pending),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_diff.c - the diff: actions, values, unknowns, sensitivity, order. */
#include "plan_fixtures.h"
#include "planner/diff_int.h"

struct fx {
    struct tsk_graph g;
    fx_objs prior;
    struct tsk_plan plan;
    struct tsk_diags d;
};

static int setup(void **state)
{
    struct fx *f = tsk_xcalloc(1, sizeof(*f));
    f->g.prov = &test_prov;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    fx_graph_free(&f->g);
    fx_objs_free(&f->prior);
    tsk_plan_free(&f->plan);
    tsk_diags_release(&f->d);
    free(f);
    return 0;
}

static void run(struct fx *f, const struct tsk_diff_opts *o)
{
    assert_int_equal(tsk_diff(&f->plan, &f->g, NULL, f->prior.v, f->prior.n,
                              o, &f->d),
                     0);
    assert_int_equal(f->d.nerr, 0);
}

static void test_create_marks_computed_unknown(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "api", "{\"name\":\"api\",\"memory\":128}");
    run(f, NULL);
    assert_int_equal(f->plan.changes.n, 1);
    const struct tsk_change *c = &f->plan.changes.v[0];
    assert_int_equal(c->action, TSK_CREATE);
    assert_null(c->before);
    fx_assert_json(c->after, "{\"name\":\"api\",\"memory\":128}");
    fx_assert_json(c->after_unknown, "{\"arn\":true}");
    assert_string_equal(c->name, "api");
    assert_string_equal(c->type, "test_fn");
    assert_string_equal(c->provider, "test");
    /* the schema's sensitive attribute is listed even when unset */
    assert_true(tsk_strs_has(c->sensitive.v, c->sensitive.n, "password"));
}

static void test_noop_keeps_computed(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "api",
            "{\"name\":\"api\",\"env\":{\"A\":\"1\",\"B\":\"2\"}}");
    fx_obj(&f->prior, "test_fn.api", "id-1",
           "{\"name\":\"api\",\"env\":{\"B\":\"2\",\"A\":\"1\"},"
           "\"arn\":\"arn:1\"}",
           NULL);
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_fn.api");
    assert_int_equal(c->action, TSK_NOOP);
    assert_string_equal(c->id, "id-1");
    fx_assert_json(c->after, "{\"name\":\"api\",\"env\":{\"A\":\"1\","
                             "\"B\":\"2\"},\"arn\":\"arn:1\"}");
    fx_assert_json(c->after_unknown, "{}");
}

static void test_update_number(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "api", "{\"name\":\"api\",\"memory\":256}");
    fx_obj(&f->prior, "test_fn.api", "id-1",
           "{\"name\":\"api\",\"memory\":128,\"arn\":\"arn:1\"}", NULL);
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_fn.api");
    assert_int_equal(c->action, TSK_UPDATE);
    assert_int_equal(c->reason, TSK_REASON_NONE);
    assert_int_equal(c->replace_paths.n, 0);
    fx_assert_json(c->before, "{\"name\":\"api\",\"memory\":128,"
                              "\"arn\":\"arn:1\"}");
    fx_assert_json(c->after, "{\"name\":\"api\",\"memory\":256,"
                             "\"arn\":\"arn:1\"}");
}

static void test_type_change_is_update(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "api", "{\"name\":\"api\",\"memory\":128}");
    fx_obj(&f->prior, "test_fn.api", "id-1",
           "{\"name\":\"api\",\"memory\":\"128\",\"arn\":\"a\"}", NULL);
    run(f, NULL);
    assert_int_equal(fx_change(&f->plan, "test_fn.api")->action, TSK_UPDATE);
}

static void test_nested_map_and_list_changes(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "a",
            "{\"name\":\"a\",\"env\":{\"X\":{\"deep\":[1,2]}}}");
    fx_node(&f->g, "test_fn", "b", "{\"name\":\"b\",\"layers\":[\"l2\","
                                   "\"l1\"]}");
    fx_node(&f->g, "test_fn", "c", "{\"name\":\"c\",\"env\":{\"X\":{\"deep\""
                                   ":[1,2]}},\"layers\":[\"l1\"]}");
    fx_obj(&f->prior, "test_fn.a", "1",
           "{\"name\":\"a\",\"env\":{\"X\":{\"deep\":[1,3]}}}", NULL);
    fx_obj(&f->prior, "test_fn.b", "2",
           "{\"name\":\"b\",\"layers\":[\"l1\",\"l2\"]}", NULL);
    fx_obj(&f->prior, "test_fn.c", "3",
           "{\"name\":\"c\",\"env\":{\"X\":{\"deep\":[1,2]}},"
           "\"layers\":[\"l1\"]}",
           NULL);
    run(f, NULL);
    assert_int_equal(fx_change(&f->plan, "test_fn.a")->action, TSK_UPDATE);
    /* list order is significant */
    assert_int_equal(fx_change(&f->plan, "test_fn.b")->action, TSK_UPDATE);
    assert_int_equal(fx_change(&f->plan, "test_fn.c")->action, TSK_NOOP);
}

static void test_removed_optional_attribute(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "api", "{\"name\":\"api\"}");
    fx_obj(&f->prior, "test_fn.api", "1",
           "{\"name\":\"api\",\"tags\":{\"team\":\"x\"},\"arn\":\"a\","
           "\"extra\":7}",
           NULL);
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_fn.api");
    assert_int_equal(c->action, TSK_UPDATE);
    /* tags removed; computed arn and attributes unknown to the schema stay */
    fx_assert_json(c->after, "{\"name\":\"api\",\"arn\":\"a\",\"extra\":7}");
}

static void test_force_new_replaces(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "api", "{\"name\":\"api-v2\",\"memory\":256}");
    fx_node(&f->g, "test_cbd", "x", "{\"name\":\"x2\"}");
    fx_obj(&f->prior, "test_fn.api", "1",
           "{\"name\":\"api-v1\",\"memory\":128,\"arn\":\"arn:1\"}", NULL);
    fx_obj(&f->prior, "test_cbd.x", "2", "{\"name\":\"x1\",\"arn\":\"a\"}",
           NULL);
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_fn.api");
    assert_int_equal(c->action, TSK_REPLACE_DC);
    assert_int_equal(c->reason, TSK_REASON_CANNOT_UPDATE);
    assert_int_equal(c->replace_paths.n, 1);
    assert_string_equal(c->replace_paths.v[0], "name");
    fx_assert_json(c->after, "{\"name\":\"api-v2\",\"memory\":256}");
    fx_assert_json(c->after_unknown, "{\"arn\":true}");
    assert_int_equal(fx_change(&f->plan, "test_cbd.x")->action,
                     TSK_REPLACE_CD);
}

static void test_unknown_reference_forces_replacement(void **state)
{
    struct fx *f = *state;
    uint32_t fn = fx_node(&f->g, "test_fn", "api", "{\"name\":\"api-v2\"}");
    uint32_t t = fx_node(&f->g, "test_trigger", "t", "{\"batch\":10}");
    fx_ref(&f->g, t, "fn_arn", fn, "arn");
    fx_obj(&f->prior, "test_fn.api", "1",
           "{\"name\":\"api-v1\",\"arn\":\"arn:1\"}", NULL);
    fx_obj(&f->prior, "test_trigger.t", "2",
           "{\"fn_arn\":\"arn:1\",\"batch\":10,\"uuid\":\"u\"}",
           "test_fn.api", NULL);
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_trigger.t");
    assert_int_equal(c->action, TSK_REPLACE_DC);
    assert_string_equal(c->replace_paths.v[0], "fn_arn");
    fx_assert_json(c->after, "{\"batch\":10}");
    fx_assert_json(c->after_unknown, "{\"fn_arn\":true,\"uuid\":true}");
    assert_true(fx_pos(&f->plan, "test_fn.api") <
                fx_pos(&f->plan, "test_trigger.t"));
}

static void test_known_reference_resolves(void **state)
{
    struct fx *f = *state;
    uint32_t fn = fx_node(&f->g, "test_fn", "api", "{\"name\":\"api\","
                                                   "\"memory\":512}");
    uint32_t t = fx_node(&f->g, "test_trigger", "t", "{}");
    fx_ref(&f->g, t, "fn_arn", fn, "arn");
    fx_obj(&f->prior, "test_fn.api", "1",
           "{\"name\":\"api\",\"memory\":128,\"arn\":\"arn:1\"}", NULL);
    fx_obj(&f->prior, "test_trigger.t", "2",
           "{\"fn_arn\":\"arn:1\",\"uuid\":\"u\"}", "test_fn.api", NULL);
    run(f, NULL);
    /* an in-place update keeps the arn known: the trigger does not change */
    assert_int_equal(fx_change(&f->plan, "test_fn.api")->action, TSK_UPDATE);
    const struct tsk_change *c = fx_change(&f->plan, "test_trigger.t");
    assert_int_equal(c->action, TSK_NOOP);
    fx_assert_json(c->after, "{\"fn_arn\":\"arn:1\",\"uuid\":\"u\"}");
}

static void test_reference_to_created_is_unknown(void **state)
{
    struct fx *f = *state;
    uint32_t fn = fx_node(&f->g, "test_fn", "api", "{\"name\":\"api\"}");
    uint32_t t = fx_node(&f->g, "test_trigger", "t", "{}");
    fx_ref(&f->g, t, "fn_arn", fn, "arn");
    /* a configured (known) value of a created target is known */
    fx_ref(&f->g, t, "secret", fn, "name");
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_trigger.t");
    assert_int_equal(c->action, TSK_CREATE);
    fx_assert_json(c->after, "{\"secret\":\"api\"}");
    fx_assert_json(c->after_unknown, "{\"fn_arn\":true,\"uuid\":true}");
}

static void test_sensitive_paths(void **state)
{
    struct fx *f = *state;
    uint32_t fn = fx_node(&f->g, "test_fn", "api",
                          "{\"name\":\"api\",\"password\":\"hunter2\","
                          "\"env\":{\"TOKEN\":\"t0k\",\"MODE\":\"x\"}}");
    *TSK_ARRAY_PUSH(f->g.nodes.v[fn].sensitive) = tsk_xstrdup("env.TOKEN");
    uint32_t t = fx_node(&f->g, "test_trigger", "t", "{}");
    fx_ref(&f->g, t, "fn_arn", fn, "arn");
    fx_ref(&f->g, t, "secret", fn, "env.TOKEN");
    fx_obj(&f->prior, "test_fn.api", "1",
           "{\"name\":\"api\",\"password\":\"old\",\"env\":{\"TOKEN\":\"t0k\","
           "\"MODE\":\"x\"},\"arn\":\"a\"}",
           NULL);
    struct tsk_object *o = fx_obj(&f->prior, "test_trigger.t", "2",
                                  "{\"fn_arn\":\"a\",\"secret\":\"t0k\"}",
                                  NULL);
    *TSK_ARRAY_PUSH(o->sensitive) = tsk_xstrdup("secret");
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_fn.api");
    assert_int_equal(c->action, TSK_UPDATE);
    assert_true(tsk_strs_has(c->sensitive.v, c->sensitive.n, "password"));
    assert_true(tsk_strs_has(c->sensitive.v, c->sensitive.n, "env.TOKEN"));
    c = fx_change(&f->plan, "test_trigger.t");
    /* sensitivity follows the reference */
    assert_true(tsk_strs_has(c->sensitive.v, c->sensitive.n, "secret"));
    assert_int_equal(c->action, TSK_NOOP);
}

static void test_tainted_and_requested(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "a", "{\"name\":\"a\"}");
    fx_node(&f->g, "test_fn", "b", "{\"name\":\"b\"}");
    fx_node(&f->g, "test_fn", "c", "{\"name\":\"c\"}");
    fx_obj(&f->prior, "test_fn.a", "1", "{\"name\":\"a\",\"arn\":\"1\"}",
           NULL)
        ->tainted = 1;
    fx_obj(&f->prior, "test_fn.b", "2", "{\"name\":\"b\",\"arn\":\"2\"}",
           NULL);
    fx_obj(&f->prior, "test_fn.c", "3", "{\"name\":\"c\",\"arn\":\"3\"}",
           NULL);
    const char *rep[] = {"test_fn.b", "test_fn.nope"};
    struct tsk_diff_opts o = {.replace = rep, .nreplace = 2};
    run(f, &o);
    const struct tsk_change *a = fx_change(&f->plan, "test_fn.a");
    assert_int_equal(a->action, TSK_REPLACE_DC);
    assert_int_equal(a->reason, TSK_REASON_TAINTED);
    fx_assert_json(a->after_unknown, "{\"arn\":true}");
    const struct tsk_change *b = fx_change(&f->plan, "test_fn.b");
    assert_int_equal(b->action, TSK_REPLACE_DC);
    assert_int_equal(b->reason, TSK_REASON_REQUESTED);
    assert_int_equal(b->replace_paths.n, 0);
    assert_int_equal(fx_change(&f->plan, "test_fn.c")->action, TSK_NOOP);
    assert_int_equal(f->d.nwarn, 1); /* -replace=test_fn.nope */
    assert_non_null(strstr(f->d.v.v[0].summary, "test_fn.nope"));
}

static void test_deletes_in_reverse_order(void **state)
{
    struct fx *f = *state;
    fx_node(&f->g, "test_fn", "keep", "{\"name\":\"keep\"}");
    /* addresses sort the dependency first; order must still be reversed */
    fx_obj(&f->prior, "test_fn.a_old", "1", "{\"name\":\"old\"}", NULL);
    fx_obj(&f->prior, "test_trigger.z_old", "2", "{\"fn_arn\":\"x\"}",
           "test_fn.a_old", NULL);
    fx_obj(&f->prior, "test_fn.keep", "3", "{\"name\":\"keep\"}", NULL);
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_fn.a_old");
    assert_int_equal(c->action, TSK_DELETE);
    assert_int_equal(c->reason, TSK_REASON_NO_CONFIG);
    assert_null(c->after);
    fx_assert_json(c->before, "{\"name\":\"old\"}");
    assert_int_equal(fx_change(&f->plan, "test_trigger.z_old")->action,
                     TSK_DELETE);
    assert_true(fx_pos(&f->plan, "test_trigger.z_old") <
                fx_pos(&f->plan, "test_fn.a_old"));
    int add, chg, del;
    tsk_plan_counts(&f->plan, &add, &chg, &del);
    assert_int_equal(add, 0);
    assert_int_equal(chg, 0);
    assert_int_equal(del, 2);
}

static void test_dependent_moves_before_delete(void **state)
{
    struct fx *f = *state;
    uint32_t fn = fx_node(&f->g, "test_fn", "new", "{\"name\":\"new\"}");
    uint32_t t = fx_node(&f->g, "test_trigger", "a", "{\"batch\":1}");
    fx_ref(&f->g, t, "fn_arn", fn, "arn");
    fx_obj(&f->prior, "test_fn.new", "1", "{\"name\":\"new\",\"arn\":\"n\"}",
           NULL);
    fx_obj(&f->prior, "test_fn.old", "2", "{\"name\":\"old\",\"arn\":\"o\"}",
           NULL);
    fx_obj(&f->prior, "test_trigger.a", "3",
           "{\"fn_arn\":\"o\",\"batch\":1}", "test_fn.old", NULL);
    run(f, NULL);
    const struct tsk_change *c = fx_change(&f->plan, "test_trigger.a");
    assert_int_equal(c->action, TSK_REPLACE_DC);
    /* the trigger stops using the old function before it is deleted */
    assert_true(fx_pos(&f->plan, "test_trigger.a") <
                fx_pos(&f->plan, "test_fn.old"));
}

static void test_destroy_mode(void **state)
{
    struct fx *f = *state;
    uint32_t fn = fx_node(&f->g, "test_fn", "b", "{\"name\":\"b\"}");
    uint32_t t = fx_node(&f->g, "test_trigger", "a", "{}");
    fx_ref(&f->g, t, "fn_arn", fn, "arn");
    fx_obj(&f->prior, "test_fn.b", "1", "{\"name\":\"b\"}", NULL);
    /* no stored dependency: the configuration's one still orders it */
    fx_obj(&f->prior, "test_trigger.a", "2", "{\"fn_arn\":\"x\"}", NULL);
    fx_obj(&f->prior, "test_trigger.c", "3", "{\"fn_arn\":\"x\"}",
           "test_fn.b", NULL);
    struct tsk_diff_opts o = {.destroy = 1};
    run(f, &o);
    assert_int_equal(f->plan.changes.n, 3);
    assert_true(f->plan.destroy);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(f->plan.changes.v[i].action, TSK_DELETE);
        assert_int_equal(f->plan.changes.v[i].reason, TSK_REASON_DESTROY);
        assert_null(tsk_reason_name(f->plan.changes.v[i].reason));
    }
    assert_string_equal(f->plan.changes.v[2].addr, "test_fn.b");
}

static void test_targets_with_dependencies(void **state)
{
    struct fx *f = *state;
    uint32_t a = fx_node(&f->g, "test_fn", "a", "{\"name\":\"a\"}");
    fx_node(&f->g, "test_fn", "b", "{\"name\":\"b\"}");
    uint32_t t = fx_node(&f->g, "test_trigger", "t", "{}");
    fx_ref(&f->g, t, "fn_arn", a, "arn");
    fx_obj(&f->prior, "test_fn.gone", "9", "{\"name\":\"g\"}", NULL);
    const char *tg[] = {"test_trigger.t", "test_fn.missing"};
    struct tsk_diff_opts o = {.targets = tg, .ntargets = 2};
    run(f, &o);
    assert_int_equal(f->plan.changes.n, 2);
    assert_string_equal(f->plan.changes.v[0].addr, "test_fn.a");
    assert_string_equal(f->plan.changes.v[1].addr, "test_trigger.t");
    assert_int_equal(f->d.nwarn, 2); /* the unknown target, and "in effect" */
}

static void test_target_an_orphan_and_destroy_target(void **state)
{
    struct fx *f = *state;
    uint32_t a = fx_node(&f->g, "test_fn", "a", "{\"name\":\"a\"}");
    uint32_t t = fx_node(&f->g, "test_trigger", "t", "{}");
    fx_ref(&f->g, t, "fn_arn", a, "arn");
    fx_obj(&f->prior, "test_fn.a", "1", "{\"name\":\"a\"}", NULL);
    fx_obj(&f->prior, "test_trigger.t", "2", "{\"fn_arn\":\"x\"}", NULL);
    fx_obj(&f->prior, "test_fn.gone", "3", "{\"name\":\"g\"}", NULL);
    fx_obj(&f->prior, "test_fn.other", "4", "{\"name\":\"o\"}", NULL);
    const char *tg[] = {"test_fn.gone"};
    struct tsk_diff_opts o = {.targets = tg, .ntargets = 1};
    run(f, &o);
    assert_int_equal(f->plan.changes.n, 1);
    assert_int_equal(f->plan.changes.v[0].action, TSK_DELETE);
    tsk_plan_free(&f->plan);
    /* destroy -target: the target and what depends on it */
    const char *tg2[] = {"test_fn.a"};
    struct tsk_diff_opts o2 = {.destroy = 1, .targets = tg2, .ntargets = 1};
    run(f, &o2);
    assert_int_equal(f->plan.changes.n, 2);
    assert_string_equal(f->plan.changes.v[0].addr, "test_trigger.t");
    assert_string_equal(f->plan.changes.v[1].addr, "test_fn.a");
}

static void test_order_argument_and_refresh_only(void **state)
{
    struct fx *f = *state;
    /* nodes added dependent first; the order array says otherwise */
    uint32_t t = fx_node(&f->g, "test_trigger", "a", "{}");
    uint32_t fn = fx_node(&f->g, "test_fn", "z", "{\"name\":\"z\"}");
    fx_ref(&f->g, t, "fn_arn", fn, "arn");
    uint32_t order[] = {fn, t};
    assert_int_equal(tsk_diff(&f->plan, &f->g, order, NULL, 0, NULL, &f->d),
                     0);
    assert_string_equal(f->plan.changes.v[0].addr, "test_fn.z");
    fx_assert_json(f->plan.changes.v[1].after_unknown,
                   "{\"fn_arn\":true,\"uuid\":true}");
    tsk_plan_free(&f->plan);
    struct tsk_diff_opts o = {.refresh_only = 1};
    run(f, &o);
    assert_int_equal(f->plan.changes.n, 0);
    assert_true(f->plan.refresh_only);
}

/* With the graph's order and nothing to delete, the diff leaves the
 * changes in that order without sorting them: the sort would keep it. */
static void test_graph_order_needs_no_sort(void **state)
{
    struct fx *f = *state;
    /* triggers added before the functions they refer to, a chain of
     * three and a function two triggers share */
    uint32_t t1 = fx_node(&f->g, "test_trigger", "t1", "{}");
    uint32_t t2 = fx_node(&f->g, "test_trigger", "t2", "{}");
    uint32_t c = fx_node(&f->g, "test_cbd", "c", "{}");
    uint32_t b = fx_node(&f->g, "test_fn", "b", "{\"name\":\"b\"}");
    uint32_t a = fx_node(&f->g, "test_fn", "a", "{\"name\":\"a\"}");
    fx_ref(&f->g, t1, "fn_arn", b, "arn");
    fx_ref(&f->g, t2, "fn_arn", b, "arn");
    fx_ref(&f->g, b, "role", a, "arn");
    *TSK_ARRAY_PUSH(f->g.nodes.v[c].deps) = t2;
    uint32_t order[] = {a, b, t1, t2, c}; /* dependencies first */
    /* one prior object: an update and creates, no delete */
    fx_obj(&f->prior, "test_fn.a", "id-a", "{\"name\":\"old\"}", NULL);
    assert_int_equal(
        tsk_diff(&f->plan, &f->g, order, f->prior.v, f->prior.n, NULL, &f->d),
        0);
    size_t n = f->plan.changes.n;
    assert_int_equal(n, 5);
    const char *before[5];
    for (size_t i = 0; i < n; i++) {
        assert_int_not_equal(f->plan.changes.v[i].action, TSK_DELETE);
        before[i] = f->plan.changes.v[i].addr;
        assert_string_equal(before[i], f->g.nodes.v[order[i]].addr);
    }
    const struct tsk_object *prior_of[5] = {0};
    tsk_diff__order(&f->plan, 0, prior_of);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(f->plan.changes.v[i].addr, before[i]);
}

static void test_plan_helpers(void **state)
{
    (void)state;
    cJSON *a = tsk_action_json(TSK_REPLACE_DC);
    fx_assert_json(a, "[\"delete\",\"create\"]");
    cJSON_Delete(a);
    a = tsk_action_json(TSK_REPLACE_CD);
    fx_assert_json(a, "[\"create\",\"delete\"]");
    cJSON_Delete(a);
    a = tsk_action_json(TSK_NOOP);
    fx_assert_json(a, "[\"no-op\"]");
    cJSON_Delete(a);
    assert_string_equal(tsk_reason_name(TSK_REASON_NO_CONFIG),
                        "delete_because_no_resource_config");
    assert_string_equal(tsk_reason_name(TSK_REASON_TAINTED),
                        "replace_because_tainted");
    assert_null(tsk_reason_name(TSK_REASON_NONE));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_create_marks_computed_unknown),
        T(test_noop_keeps_computed),
        T(test_update_number),
        T(test_type_change_is_update),
        T(test_nested_map_and_list_changes),
        T(test_removed_optional_attribute),
        T(test_force_new_replaces),
        T(test_unknown_reference_forces_replacement),
        T(test_known_reference_resolves),
        T(test_reference_to_created_is_unknown),
        T(test_sensitive_paths),
        T(test_tainted_and_requested),
        T(test_deletes_in_reverse_order),
        T(test_dependent_moves_before_delete),
        T(test_destroy_mode),
        T(test_targets_with_dependencies),
        T(test_target_an_orphan_and_destroy_target),
        T(test_order_argument_and_refresh_only),
        T(test_graph_order_needs_no_sort),
        T(test_plan_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_render_json.c - the JSON plan: Terraform's plan format (the field
 * names and shapes of its documentation), with sensitive values redacted
 * in before/after unless asked.
 */
#include "plan_fixtures.h"
#include "planner/render.h"

static cJSON *doc_of(const struct tsk_plan *p, int show)
{
    struct tsk_render_opts o = {0, show};
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_render_json(&b, p, &o);
    /* one document, one line */
    assert_int_equal(b.ptr[b.len - 1], '\n');
    assert_ptr_equal(strchr(b.ptr, '\n'), b.ptr + b.len - 1);
    cJSON *doc = cJSON_Parse(b.ptr);
    assert_non_null(doc);
    tsk_buf_release(&b);
    return doc;
}

static struct tsk_plan sample(void)
{
    struct tsk_plan p = {0};
    p.tool_version = tsk_xstrdup("9.9.9");
    p.lineage = tsk_xstrdup("lin-1");
    p.serial = 7;
    struct tsk_change *c = fx_add_change(
        &p, "test_fn.api", TSK_REPLACE_DC,
        "{\"name\":\"v1\",\"password\":\"hunter2\",\"env\":{\"T\":\"tok\","
        "\"M\":\"m\"}}",
        "{\"name\":\"v2\",\"password\":\"hunter3\",\"env\":{\"T\":\"tok\","
        "\"M\":\"m\"}}",
        "{\"arn\":true}", "password,env.T");
    c->reason = TSK_REASON_CANNOT_UPDATE;
    *TSK_ARRAY_PUSH(c->replace_paths) = tsk_xstrdup("name");
    fx_add_change(&p, "test_fn.new", TSK_CREATE, NULL, "{\"name\":\"n\"}",
                  "{\"arn\":true}", NULL);
    fx_add_change(&p, "test_fn.old", TSK_DELETE, "{\"name\":\"o\"}", NULL,
                  NULL, NULL)
        ->reason = TSK_REASON_NO_CONFIG;
    fx_add_change(&p, "test_fn.same", TSK_NOOP, "{\"name\":\"s\"}",
                  "{\"name\":\"s\"}", NULL, NULL);
    fx_add_drift(&p, "test_fn.same", "{\"name\":\"s\",\"password\":\"pw1\"}",
                 "{\"name\":\"s\",\"password\":\"pw2\"}");
    *TSK_ARRAY_PUSH(p.drift.v[0].sensitive) = tsk_xstrdup("password");
    return p;
}

static const cJSON *get(const cJSON *v, const char *path)
{
    const cJSON *r = tsk_path_get(v, path);
    if (!r)
        fail_msg("no %s", path);
    return r;
}

static void test_top_level(void **state)
{
    (void)state;
    struct tsk_plan p = sample();
    cJSON *doc = doc_of(&p, 0);
    assert_string_equal(get(doc, "format_version")->valuestring, "1.2");
    assert_string_equal(get(doc, "terraform_version")->valuestring, "9.9.9");
    assert_int_equal(cJSON_GetArraySize(get(doc, "resource_changes")), 4);
    assert_int_equal(cJSON_GetArraySize(get(doc, "resource_drift")), 1);
    assert_true(cJSON_IsTrue(get(doc, "applyable")));
    assert_true(cJSON_IsFalse(get(doc, "errored")));
    assert_string_equal(get(doc, "tuskform.lineage")->valuestring, "lin-1");
    assert_int_equal(get(doc, "tuskform.serial")->valueint, 7);
    /* prior_state: objects that exist, by address */
    const cJSON *res = get(doc, "prior_state.values.root_module.resources");
    assert_int_equal(cJSON_GetArraySize(res), 3);
    assert_string_equal(get(res, "0.address")->valuestring, "test_fn.api");
    assert_string_equal(get(res, "1.address")->valuestring, "test_fn.old");
    fx_assert_json(get(res, "0.values"),
                   "{\"name\":\"v1\",\"password\":\"(sensitive value)\","
                   "\"env\":{\"T\":\"(sensitive value)\",\"M\":\"m\"}}");
    fx_assert_json(get(res, "0.sensitive_values"),
                   "{\"password\":true,\"env\":{\"T\":true}}");
    cJSON_Delete(doc);
    tsk_plan_free(&p);
}

static void test_resource_changes(void **state)
{
    (void)state;
    struct tsk_plan p = sample();
    cJSON *doc = doc_of(&p, 0);
    const cJSON *rc = get(doc, "resource_changes");
    const cJSON *a = cJSON_GetArrayItem(rc, 0);
    assert_string_equal(get(a, "address")->valuestring, "test_fn.api");
    assert_string_equal(get(a, "mode")->valuestring, "managed");
    assert_string_equal(get(a, "type")->valuestring, "test_fn");
    assert_string_equal(get(a, "name")->valuestring, "api");
    assert_string_equal(get(a, "provider_name")->valuestring, "test");
    assert_string_equal(get(a, "action_reason")->valuestring,
                        "replace_because_cannot_update");
    fx_assert_json(get(a, "change.actions"), "[\"delete\",\"create\"]");
    fx_assert_json(get(a, "change.before"),
                   "{\"name\":\"v1\",\"password\":\"(sensitive value)\","
                   "\"env\":{\"T\":\"(sensitive value)\",\"M\":\"m\"}}");
    fx_assert_json(get(a, "change.after"),
                   "{\"name\":\"v2\",\"password\":\"(sensitive value)\","
                   "\"env\":{\"T\":\"(sensitive value)\",\"M\":\"m\"}}");
    fx_assert_json(get(a, "change.after_unknown"), "{\"arn\":true}");
    fx_assert_json(get(a, "change.before_sensitive"),
                   "{\"password\":true,\"env\":{\"T\":true}}");
    fx_assert_json(get(a, "change.after_sensitive"),
                   "{\"password\":true,\"env\":{\"T\":true}}");
    fx_assert_json(get(a, "change.replace_paths"), "[[\"name\"]]");

    const cJSON *c = cJSON_GetArrayItem(rc, 1);
    fx_assert_json(get(c, "change.actions"), "[\"create\"]");
    assert_true(cJSON_IsNull(get(c, "change.before")));
    assert_true(cJSON_IsFalse(get(c, "change.before_sensitive")));
    fx_assert_json(get(c, "change.after_sensitive"), "{}");
    assert_null(tsk_path_get(c, "change.replace_paths"));
    assert_null(tsk_path_get(c, "action_reason"));

    const cJSON *d = cJSON_GetArrayItem(rc, 2);
    fx_assert_json(get(d, "change.actions"), "[\"delete\"]");
    assert_true(cJSON_IsNull(get(d, "change.after")));
    assert_string_equal(get(d, "action_reason")->valuestring,
                        "delete_because_no_resource_config");
    fx_assert_json(get(cJSON_GetArrayItem(rc, 3), "change.actions"),
                   "[\"no-op\"]");

    const cJSON *dr = cJSON_GetArrayItem(get(doc, "resource_drift"), 0);
    fx_assert_json(get(dr, "change.actions"), "[\"update\"]");
    fx_assert_json(get(dr, "change.before"),
                   "{\"name\":\"s\",\"password\":\"(sensitive value)\"}");
    fx_assert_json(get(dr, "change.after_sensitive"), "{\"password\":true}");
    cJSON_Delete(doc);
    tsk_plan_free(&p);
}

static void test_no_secret_anywhere_unless_shown(void **state)
{
    (void)state;
    struct tsk_plan p = sample();
    struct tsk_render_opts o = {0, 0};
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_render_json(&b, &p, &o);
    assert_null(strstr(b.ptr, "hunter"));
    assert_null(strstr(b.ptr, "tok\""));
    assert_null(strstr(b.ptr, "pw1"));
    tsk_buf_reset(&b);
    o.show_sensitive = 1;
    tsk_render_json(&b, &p, &o);
    assert_non_null(strstr(b.ptr, "hunter2"));
    assert_non_null(strstr(b.ptr, "pw2"));
    tsk_buf_release(&b);
    cJSON *doc = doc_of(&p, 1);
    /* the masks still say what is sensitive */
    fx_assert_json(tsk_path_get(doc, "resource_changes.0.change."
                                     "after_sensitive"),
                   "{\"password\":true,\"env\":{\"T\":true}}");
    assert_true(cJSON_IsFalse(tsk_path_get(doc, "tuskform.sensitive_"
                                                "redacted")));
    cJSON_Delete(doc);
    tsk_plan_free(&p);
}

static void test_empty_plan(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    cJSON *doc = doc_of(&p, 0);
    fx_assert_json(get(doc, "resource_changes"), "[]");
    fx_assert_json(get(doc, "resource_drift"), "[]");
    assert_true(cJSON_IsFalse(get(doc, "applyable")));
    cJSON_Delete(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_level),
        cmocka_unit_test(test_resource_changes),
        cmocka_unit_test(test_no_secret_anywhere_unless_shown),
        cmocka_unit_test(test_empty_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

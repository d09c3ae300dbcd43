/*
 * test_render_md.c - the markdown plan for pull requests; expected
 * comments written by hand from the layout in the issue (title with
 * counts, call-outs, per-function table, collapsed drift and full plan).
 */
#include "plan_fixtures.h"
#include "planner/render.h"

static char *render(const struct tsk_plan *p)
{
    struct tsk_render_opts o = {1, 0}; /* colour is never used in markdown */
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_render_md(&b, p, &o);
    return tsk_buf_detach(&b, NULL);
}

static void expect(const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        print_error("--- got ---\n%s--- want ---\n%s", got, want);
        fail();
    }
}

static void test_whole_comment(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.api", TSK_UPDATE,
                  "{\"memory\":128,\"name\":\"api\"}",
                  "{\"memory\":256,\"name\":\"api\"}", NULL, NULL)
        ->function = "api";
    char *got = render(&p);
    expect(got, "### tuskform plan: 0 to add, 1 to change, 0 to destroy\n"
                "\n"
                "| Function | Resource | Action | Changed attributes |\n"
                "|---|---|---|---|\n"
                "| `api` | `test_fn.api` | ~ update | `memory` |\n"
                "\n"
                "<details><summary>Full plan</summary>\n"
                "\n"
                "```diff\n"
                "\n"
                "tuskform used the selected providers to generate the "
                "following execution\n"
                "plan. Resource actions are indicated with the following "
                "symbols:\n"
                "!   update in-place\n"
                "\n"
                "tuskform will perform the following actions:\n"
                "\n"
                "  # test_fn.api will be updated in-place\n"
                "!   resource \"test_fn\" \"api\" {\n"
                "!       memory = 128 -> 256\n"
                "        name   = \"api\"\n"
                "    }\n"
                "\n"
                "Plan: 0 to add, 1 to change, 0 to destroy.\n"
                "```\n"
                "\n"
                "</details>\n");
    free(got);
    tsk_plan_free(&p);
}

static void test_callouts_table_drift(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.api", TSK_UPDATE, "{\"memory\":128}",
                  "{\"memory\":256}", NULL, NULL)
        ->function = "api";
    struct tsk_change *t =
        fx_add_change(&p, "test_trigger.t", TSK_REPLACE_DC,
                      "{\"fn_arn\":\"a\"}", "{}", "{\"fn_arn\":true}", NULL);
    t->function = "api";
    t->reason = TSK_REASON_CANNOT_UPDATE;
    *TSK_ARRAY_PUSH(t->replace_paths) = tsk_xstrdup("fn_arn");
    fx_add_change(&p, "test_fn.old", TSK_DELETE, "{\"name\":\"o\"}", NULL,
                  NULL, NULL)
        ->reason = TSK_REASON_NO_CONFIG;
    fx_add_change(&p, "test_fn.new", TSK_CREATE, NULL, "{\"name\":\"n\"}",
                  NULL, NULL)
        ->function = "worker";
    fx_add_drift(&p, "test_fn.api", "{\"memory\":64}", "{\"memory\":128}");
    char *got = render(&p);
    const char *head =
        "### tuskform plan: 2 to add, 1 to change, 2 to destroy\n"
        "\n"
        "> [!CAUTION]\n"
        "> This plan destroys or replaces resources:\n"
        "> - `test_trigger.t` will be **replaced** (`fn_arn` forces "
        "replacement)\n"
        "> - `test_fn.old` will be **destroyed** (not in configuration)\n"
        "\n"
        "| Function | Resource | Action | Changed attributes |\n"
        "|---|---|---|---|\n"
        "| `api` | `test_fn.api` | ~ update | `memory` |\n"
        "| `api` | `test_trigger.t` | -/+ replace | `fn_arn` (forces "
        "replacement) |\n"
        "| `worker` | `test_fn.new` | + create | |\n"
        "| (none) | `test_fn.old` | - destroy | |\n"
        "\n"
        "<details><summary>Drift: 1 object changed outside "
        "tuskform</summary>\n"
        "\n"
        "| Resource | Drift | Attributes |\n"
        "|---|---|---|\n"
        "| `test_fn.api` | changed | `memory` |\n"
        "\n"
        "</details>\n"
        "\n"
        "<details><summary>Full plan</summary>\n"
        "\n"
        "```diff\n";
    if (strncmp(got, head, strlen(head)) != 0)
        expect(got, head);
    assert_non_null(strstr(got, "\n-/+ resource \"test_trigger\" \"t\" {\n"));
    assert_non_null(strstr(got, "\n-   resource \"test_fn\" \"old\" {\n"));
    assert_null(strchr(got, '\033'));
    free(got);
    tsk_plan_free(&p);
}

static void test_no_changes_and_size_limit(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    char *got = render(&p);
    expect(got, "### tuskform plan: no changes\n\nYour infrastructure "
                "matches the configuration.\n\n");
    free(got);
    /* a huge plan stays under GitHub's comment limit */
    for (int i = 0; i < 3000; i++) {
        char addr[64];
        snprintf(addr, sizeof(addr), "test_fn.f%04d", i);
        fx_add_change(&p, addr, TSK_CREATE, NULL,
                      "{\"name\":\"a-rather-long-function-name\"}", NULL,
                      NULL);
    }
    got = render(&p);
    assert_true(strlen(got) < 65536);
    assert_non_null(strstr(got, "(truncated: run `tuskform show PLANFILE`"));
    assert_non_null(strstr(got, "```\n\n</details>\n"));
    free(got);
    tsk_plan_free(&p);
}

static void test_cells_cannot_break_the_table(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.a|b", TSK_CREATE, NULL, "{}", NULL, NULL)
        ->function = "x`y|z";
    char *got = render(&p);
    assert_non_null(strstr(got, "| `x'y\\|z` | `test_fn.a\\|b` | + create "
                                "| |\n"));
    free(got);
    tsk_plan_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_comment),
        cmocka_unit_test(test_callouts_table_drift),
        cmocka_unit_test(test_no_changes_and_size_limit),
        cmocka_unit_test(test_cells_cannot_break_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

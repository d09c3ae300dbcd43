/*
 * test_render_text.c - the text plan. Expected outputs are written by hand
 * from Terraform's plan format (see the design, section 4, and the
 * anchors' section 1.2), adapted to tuskform's name.
 */
#include "plan_fixtures.h"
#include "planner/render.h"

static char *render(const struct tsk_plan *p, int color, int show)
{
    struct tsk_render_opts o = {color, show};
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_render_text(&b, p, &o);
    return tsk_buf_detach(&b, NULL);
}

static void expect(const struct tsk_plan *p, const char *want)
{
    char *got = render(p, 0, 0);
    if (strcmp(got, want) != 0) {
        print_error("--- got ---\n%s--- want ---\n%s", got, want);
        free(got);
        fail();
    }
    free(got);
}

static void test_create(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.api", TSK_CREATE, NULL,
                  "{\"name\":\"api\",\"memory\":128,\"layers\":[\"l1\"],"
                  "\"env\":{\"A\":\"1\"}}",
                  "{\"arn\":true}", "password");
    expect(&p,
           "\n"
           "tuskform used the selected providers to generate the following "
           "execution\n"
           "plan. Resource actions are indicated with the following "
           "symbols:\n"
           "  + create\n"
           "\n"
           "tuskform will perform the following actions:\n"
           "\n"
           "  # test_fn.api will be created\n"
           "  + resource \"test_fn\" \"api\" {\n"
           "      + arn    = (known after apply)\n"
           "      + env    = {\n"
           "          + \"A\" = \"1\"\n"
           "        }\n"
           "      + layers = [\n"
           "          + \"l1\",\n"
           "        ]\n"
           "      + memory = 128\n"
           "      + name   = \"api\"\n"
           "    }\n"
           "\n"
           "Plan: 1 to add, 0 to change, 0 to destroy.\n");
    tsk_plan_free(&p);
}

static void test_update_replace_delete(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.api", TSK_UPDATE,
                  "{\"name\":\"api\",\"memory\":128,\"arn\":\"arn:1\","
                  "\"env\":{\"A\":\"1\",\"B\":\"2\",\"C\":\"3\"},"
                  "\"password\":\"old\"}",
                  "{\"name\":\"api\",\"memory\":256,\"arn\":\"arn:1\","
                  "\"env\":{\"A\":\"1\",\"B\":\"20\",\"D\":\"4\"},"
                  "\"password\":\"new\"}",
                  NULL, "password");
    struct tsk_change *x = fx_add_change(
        &p, "test_fn.x", TSK_REPLACE_DC,
        "{\"name\":\"x1\",\"arn\":\"arn:x\",\"memory\":128}",
        "{\"name\":\"x2\",\"memory\":128}", "{\"arn\":true}", NULL);
    x->reason = TSK_REASON_CANNOT_UPDATE;
    *TSK_ARRAY_PUSH(x->replace_paths) = tsk_xstrdup("name");
    fx_add_change(&p, "test_fn.same", TSK_NOOP, "{\"name\":\"s\"}",
                  "{\"name\":\"s\"}", NULL, NULL);
    fx_add_change(&p, "test_fn.old", TSK_DELETE,
                  "{\"name\":\"old\",\"tags\":{\"t\":\"1\"}}", NULL, NULL,
                  NULL)
        ->reason = TSK_REASON_NO_CONFIG;
    expect(&p,
           "\n"
           "tuskform used the selected providers to generate the following "
           "execution\n"
           "plan. Resource actions are indicated with the following "
           "symbols:\n"
           "  ~ update in-place\n"
           "  - destroy\n"
           "-/+ destroy and then create replacement\n"
           "\n"
           "tuskform will perform the following actions:\n"
           "\n"
           "  # test_fn.api will be updated in-place\n"
           "  ~ resource \"test_fn\" \"api\" {\n"
           "      ~ env      = {\n"
           "          ~ \"B\" = \"2\" -> \"20\"\n"
           "          - \"C\" = \"3\" -> null\n"
           "          + \"D\" = \"4\"\n"
           "            # (1 unchanged element hidden)\n"
           "        }\n"
           "      ~ memory   = 128 -> 256\n"
           "        name     = \"api\"\n"
           "      ~ password = (sensitive value)\n"
           "        # (1 unchanged attribute hidden)\n"
           "    }\n"
           "\n"
           "  # test_fn.x must be replaced\n"
           "-/+ resource \"test_fn\" \"x\" {\n"
           "      ~ arn    = \"arn:x\" -> (known after apply)\n"
           "      ~ name   = \"x1\" -> \"x2\" # forces replacement\n"
           "        # (1 unchanged attribute hidden)\n"
           "    }\n"
           "\n"
           "  # test_fn.old will be destroyed\n"
           "  # (because test_fn.old is not in configuration)\n"
           "  - resource \"test_fn\" \"old\" {\n"
           "      - name = \"old\" -> null\n"
           "      - tags = {\n"
           "          - \"t\" = \"1\"\n"
           "        } -> null\n"
           "    }\n"
           "\n"
           "Plan: 1 to add, 1 to change, 2 to destroy.\n");
    tsk_plan_free(&p);
}

static void test_replace_reasons_and_lists(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.t", TSK_REPLACE_CD, "{\"name\":\"t\"}",
                  "{\"name\":\"t\"}", NULL, NULL)
        ->reason = TSK_REASON_TAINTED;
    fx_add_change(&p, "test_fn.r", TSK_UPDATE,
                  "{\"layers\":[\"a\",\"b\",\"c\"],\"memory\":\"128\"}",
                  "{\"layers\":[\"a\",\"d\",\"c\"],\"memory\":128}", NULL,
                  NULL);
    expect(&p,
           "\n"
           "tuskform used the selected providers to generate the following "
           "execution\n"
           "plan. Resource actions are indicated with the following "
           "symbols:\n"
           "  ~ update in-place\n"
           "+/- create replacement and then destroy\n"
           "\n"
           "tuskform will perform the following actions:\n"
           "\n"
           "  # test_fn.t is tainted, so it must be replaced\n"
           "+/- resource \"test_fn\" \"t\" {\n"
           "        name = \"t\"\n"
           "    }\n"
           "\n"
           "  # test_fn.r will be updated in-place\n"
           "  ~ resource \"test_fn\" \"r\" {\n"
           "      ~ layers = [\n"
           "          - \"b\",\n"
           "          + \"d\",\n"
           "            # (2 unchanged elements hidden)\n"
           "        ]\n"
           "      ~ memory = \"128\" -> 128\n"
           "    }\n"
           "\n"
           "Plan: 1 to add, 1 to change, 1 to destroy.\n");
    tsk_plan_free(&p);
}

static void test_no_changes(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.s", TSK_NOOP, "{\"name\":\"s\"}",
                  "{\"name\":\"s\"}", NULL, NULL);
    expect(&p, "\n"
               "No changes. Your infrastructure matches the configuration.\n"
               "\n"
               "tuskform has compared your real infrastructure against your "
               "configuration\n"
               "and found no differences, so no changes are needed.\n");
    tsk_plan_free(&p);
}

static void test_drift_section(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_drift(&p, "test_fn.api", "{\"memory\":128,\"name\":\"api\"}",
                 "{\"memory\":256,\"name\":\"api\"}");
    fx_add_drift(&p, "test_fn.gone", "{\"name\":\"gone\"}", NULL);
    fx_add_change(&p, "test_fn.gone", TSK_CREATE, NULL, "{\"name\":\"gone\"}",
                  NULL, NULL);
    expect(&p,
           "\n"
           "Note: Objects have changed outside of tuskform\n"
           "\n"
           "tuskform detected the following changes made outside of tuskform "
           "since the\n"
           "last \"tuskform apply\" which may have affected this plan:\n"
           "\n"
           "  # test_fn.api has changed\n"
           "  ~ resource \"test_fn\" \"api\" {\n"
           "      ~ memory = 128 -> 256\n"
           "        name   = \"api\"\n"
           "    }\n"
           "\n"
           "  # test_fn.gone has been deleted\n"
           "  - resource \"test_fn\" \"gone\" {\n"
           "      - name = \"gone\" -> null\n"
           "    }\n"
           "\n"
           "\n"
           "Unless you have made equivalent changes to your configuration, "
           "the following\n"
           "plan may include actions to undo or respond to these changes.\n"
           "\n"
           "─────────────────────────────────────────────────────────────────"
           "────────────\n"
           "\n"
           "tuskform used the selected providers to generate the following "
           "execution\n"
           "plan. Resource actions are indicated with the following "
           "symbols:\n"
           "  + create\n"
           "\n"
           "tuskform will perform the following actions:\n"
           "\n"
           "  # test_fn.gone will be created\n"
           "  + resource \"test_fn\" \"gone\" {\n"
           "      + name = \"gone\"\n"
           "    }\n"
           "\n"
           "Plan: 1 to add, 0 to change, 0 to destroy.\n");
    tsk_plan_free(&p);
}

static void test_refresh_only(void **state)
{
    (void)state;
    struct tsk_plan p = {.refresh_only = 1};
    expect(&p, "\n"
               "No changes. Your infrastructure still matches the "
               "configuration.\n"
               "\n"
               "tuskform has checked that the real remote objects still match "
               "the\n"
               "result of your most recent changes, and found no "
               "differences.\n");
    fx_add_drift(&p, "test_fn.api", "{\"memory\":1}", "{\"memory\":2}");
    char *got = render(&p, 0, 0);
    assert_non_null(strstr(got, "This is a refresh-only plan, so tuskform "
                                "will not take any actions to undo\n"));
    assert_null(strstr(got, "Plan:"));
    assert_null(strstr(got, "Unless you have"));
    free(got);
    tsk_plan_free(&p);
}

static void test_sensitive_redaction(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.api", TSK_CREATE, NULL,
                  "{\"name\":\"api\",\"password\":\"hunter2\","
                  "\"env\":{\"TOKEN\":\"t0k3n\",\"MODE\":\"x\"}}",
                  NULL, "password,env.TOKEN");
    fx_add_change(&p, "test_fn.b", TSK_UPDATE, "{\"password\":\"s3cret-a\"}",
                  "{}", NULL, "password");
    fx_add_drift(&p, "test_fn.c", "{\"password\":\"dr1ft-a\"}",
                 "{\"password\":\"dr1ft-b\"}");
    struct tsk_drift *dr = &p.drift.v[0];
    *TSK_ARRAY_PUSH(dr->sensitive) = tsk_xstrdup("password");
    char *got = render(&p, 0, 0);
    assert_non_null(strstr(got, "      + env      = {\n"
                                "          + \"MODE\"  = \"x\"\n"
                                "          + \"TOKEN\" = (sensitive value)\n"
                                "        }\n"));
    assert_non_null(strstr(got, "      + password = (sensitive value)\n"));
    assert_non_null(strstr(got, "      - password = (sensitive value) -> "
                                "null\n"));
    assert_non_null(strstr(got, "      ~ password = (sensitive value)\n"));
    assert_null(strstr(got, "hunter2"));
    assert_null(strstr(got, "t0k3n"));
    assert_null(strstr(got, "s3cret"));
    assert_null(strstr(got, "dr1ft"));
    free(got);
    got = render(&p, 0, 1);
    assert_non_null(strstr(got, "hunter2"));
    assert_non_null(strstr(got, "t0k3n"));
    assert_non_null(strstr(got, "\"dr1ft-a\" -> \"dr1ft-b\""));
    free(got);
    tsk_plan_free(&p);
}

static void test_colour_only_when_asked(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.api", TSK_CREATE, NULL, "{\"name\":\"a\"}",
                  NULL, NULL);
    char *plain = render(&p, 0, 0), *col = render(&p, 1, 0);
    assert_null(strchr(plain, '\033'));
    assert_non_null(strstr(col, "\033[32m+\033[0m resource"));
    assert_non_null(strstr(col, "\033[1mPlan:\033[0m 1 to add"));
    free(plain);
    free(col);
    tsk_plan_free(&p);
}

/* Objects with more keys than fit on the renderer's stack: the union of
 * both sides' keys in order, with each side's own value. */
static void test_many_keys(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    struct tsk_buf before = TSK_BUF_INIT, after = TSK_BUF_INIT;
    struct tsk_buf want = TSK_BUF_INIT;
    /* before has k00..k39 even, after k00..k39 odd and even: 40 keys in
     * all, written in descending order so that the sort has work */
    tsk_buf_adds(&before, "{");
    tsk_buf_adds(&after, "{");
    for (int i = 39; i >= 0; i--) {
        if (i % 2 == 0)
            tsk_buf_addf(&before, "%s\"k%02d\":%d",
                         before.len > 1 ? "," : "", i, i);
        tsk_buf_addf(&after, "%s\"k%02d\":%d", after.len > 1 ? "," : "",
                     i, i == 10 ? 1000 : i);
    }
    tsk_buf_adds(&before, "}");
    tsk_buf_adds(&after, "}");
    fx_add_change(&p, "test_fn.wide", TSK_UPDATE, before.ptr, after.ptr,
                  NULL, NULL);
    char *got = render(&p, 0, 0);
    tsk_buf_adds(&want, "  ~ resource \"test_fn\" \"wide\" {\n");
    for (int i = 1; i < 40; i += 2) {
        if (i == 11)
            tsk_buf_adds(&want, "      ~ k10 = 10 -> 1000\n");
        tsk_buf_addf(&want, "      + k%02d = %d\n", i, i);
    }
    tsk_buf_adds(&want, "        # (19 unchanged attributes hidden)\n"
                        "    }\n");
    if (!strstr(got, want.ptr)) {
        print_error("--- got ---\n%s--- want ---\n%s", got, want.ptr);
        fail();
    }
    free(got);
    tsk_buf_release(&before);
    tsk_buf_release(&after);
    tsk_buf_release(&want);
    tsk_plan_free(&p);
}

/* A key twice in one object (JSON allows it): the first is its value, as
 * a lookup by name finds it. */
static void test_duplicate_keys(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.dup", TSK_UPDATE,
                  "{\"a\":1,\"b\":2,\"a\":5}", "{\"b\":3,\"a\":1}", NULL,
                  NULL);
    fx_add_change(&p, "test_fn.dup2", TSK_UPDATE, "{\"m\":{\"x\":1,\"x\":2}}",
                  "{\"m\":{\"x\":2}}", NULL, NULL);
    char *got = render(&p, 0, 0);
    assert_non_null(strstr(got, "  ~ resource \"test_fn\" \"dup\" {\n"
                                "      ~ b = 2 -> 3\n"
                                "        # (1 unchanged attribute hidden)\n"
                                "    }\n"));
    assert_non_null(strstr(got, "      ~ m = {\n"
                                "          ~ \"x\" = 1 -> 2\n"
                                "        }\n"));
    free(got);
    tsk_plan_free(&p);
}

/* Sensitive paths inside lists and maps, at several depths: each value is
 * checked at its own path, and a sibling stays visible. */
static void test_sensitive_nested(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.n", TSK_CREATE, NULL,
                  "{\"cfg\":{\"keys\":[\"pub\",\"s3cret\"],"
                  "\"db\":{\"user\":\"u\",\"pass\":\"pw0\"}},"
                  "\"tail\":\"t\"}",
                  NULL, "cfg.keys.1,cfg.db.pass");
    char *got = render(&p, 0, 0);
    const char *want = "      + cfg  = {\n"
                       "          + \"db\"   = {\n"
                       "              + \"pass\" = (sensitive value)\n"
                       "              + \"user\" = \"u\"\n"
                       "            }\n"
                       "          + \"keys\" = [\n"
                       "              + \"pub\",\n"
                       "              + (sensitive value),\n"
                       "            ]\n"
                       "        }\n"
                       "      + tail = \"t\"\n";
    if (!strstr(got, want)) {
        print_error("--- got ---\n%s--- want ---\n%s", got, want);
        fail();
    }
    assert_null(strstr(got, "s3cret"));
    assert_null(strstr(got, "pw0"));
    free(got);
    tsk_plan_free(&p);
}

/* Strings that need escapes print as JSON strings. */
static void test_escaped_strings(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    fx_add_change(&p, "test_fn.e", TSK_CREATE, NULL,
                  "{\"q\":\"say \\\"hi\\\"\\n\",\"u\":\"caf\u00e9\"}", NULL,
                  NULL);
    char *got = render(&p, 0, 0);
    assert_non_null(strstr(got, "      + q = \"say \\\"hi\\\"\\n\"\n"));
    assert_non_null(strstr(got, "      + u = \"caf\xc3\xa9\"\n"));
    free(got);
    tsk_plan_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_update_replace_delete),
        cmocka_unit_test(test_replace_reasons_and_lists),
        cmocka_unit_test(test_no_changes),
        cmocka_unit_test(test_drift_section),
        cmocka_unit_test(test_refresh_only),
        cmocka_unit_test(test_sensitive_redaction),
        cmocka_unit_test(test_colour_only_when_asked),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_sensitive_nested),
        cmocka_unit_test(test_escaped_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_gitops.c - the intent diff of two hand-built graphs (added, removed,
 * changed, rewired, sensitive values redacted), its text, JSON and
 * markdown (the 65,000-character limit), and the commit checks of saved
 * plans and applies.
 */
#include "plan_fixtures.h"
#include "planner/gitops.h"

#define SECRET "hunter2-do-not-print"

static uint32_t add(struct tsk_graph *g, const char *type, const char *name,
                    const char *json, const char *fn)
{
    struct tsk_diags d = {0};
    uint32_t i = tsk_graph_add(g, type, name, fx_json(json), NULL, &d);
    assert_int_not_equal(i, UINT32_MAX);
    assert_int_equal(d.nerr, 0);
    if (fn)
        tsk_graph_set_function(g, i, fn);
    return i;
}

/* base: functions a (128 MB, secret env), b, old; a trigger on a.
 * head: a at 256 MB with a new secret, b unchanged, old gone, new added,
 * and the trigger rewired to b with a new batch size. */
static void build(struct tsk_graph *base, struct tsk_graph *head)
{
    tsk_graph_init(base, &test_prov, "shop");
    tsk_graph_init(head, &test_prov, "shop");
    uint32_t a = add(base, "test_fn", "a",
                     "{\"name\":\"shop-a\",\"memory\":128,\"env\":{\"K\":"
                     "\"old-" SECRET
                     "\",\"STAGE\":\"dev\"},\"password\":\"p1-" SECRET "\"}",
                     "a");
    add(base, "test_fn", "b", "{\"name\":\"shop-b\",\"memory\":128}", "b");
    add(base, "test_fn", "old", "{\"name\":\"shop-old\"}", "old");
    uint32_t t = add(base, "test_trigger", "q", "{\"batch\":10}", "a");
    tsk_graph_ref(base, t, "fn_arn", a, "arn");
    tsk_graph_sensitive(base, a, "env.K");

    a = add(head, "test_fn", "a",
            "{\"name\":\"shop-a\",\"memory\":256,\"env\":{\"K\":\"new-" SECRET
            "\",\"STAGE\":\"dev\"},\"password\":\"p2-" SECRET "\"}",
            "a");
    uint32_t b =
        add(head, "test_fn", "b", "{\"name\":\"shop-b\",\"memory\":128}", "b");
    add(head, "test_fn", "new",
        "{\"name\":\"shop-new\",\"password\":\"" SECRET
        "\",\"env\":{\"K\":\"" SECRET "\"}}",
        "new");
    tsk_graph_sensitive(head, a, "env.K");
    tsk_graph_sensitive(head, 2, "env.K");
    t = add(head, "test_trigger", "q", "{\"batch\":20}", "b");
    tsk_graph_ref(head, t, "fn_arn", b, "arn");
}

static void test_same_graphs_do_not_differ(void **state)
{
    (void)state;
    struct tsk_graph base, head;
    struct tsk_intent in;
    build(&base, &head);
    assert_int_equal(tsk_intent_diff(&in, &head, &head), 0);
    assert_int_equal(in.res.n, 0);
    assert_int_equal(in.fn_added.v.n + in.fn_removed.v.n + in.fn_changed.v.n,
                     0);
    in.base = tsk_xstrdup("main");
    in.head = tsk_xstrdup("HEAD");
    in.base_commit = tsk_xstrdup("0123456789abcdef0123456789abcdef01234567");
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_intent_text(&b, &in, 0);
    assert_string_equal(b.ptr, "No changes in intent between main "
                               "(0123456789ab) and HEAD ((none)).\n");
    tsk_buf_release(&b);
    tsk_intent_release(&in);
    tsk_graph_free(&base);
    tsk_graph_free(&head);
}

static const char want_text[] =
    "Changes in intent from main (0123456789ab) to feature (fedcba987654):\n"
    "\n"
    "Functions: added new; removed old; changed a, b\n"
    "\n"
    "  ~ test_fn.a  (function a)\n"
    "      env.K: (sensitive value) -> (sensitive value)\n"
    "      memory: 128 -> 256\n"
    "      password: (sensitive value) -> (sensitive value)\n"
    "  + test_fn.new  (function new)\n"
    "  - test_fn.old  (function old)\n"
    "  ~ test_trigger.q  (function b)\n"
    "      batch: 10 -> 20\n"
    "      fn_arn: test_fn.a.arn -> test_fn.b.arn\n"
    "\n"
    "Intent: 1 to add, 2 to change, 1 to remove.\n";

static void diff_sample(struct tsk_intent *in)
{
    struct tsk_graph base, head;
    build(&base, &head);
    assert_int_equal(tsk_intent_diff(in, &base, &head), 1);
    /* the intent owns copies: the graphs can go */
    tsk_graph_free(&base);
    tsk_graph_free(&head);
    in->base = tsk_xstrdup("main");
    in->head = tsk_xstrdup("feature");
    in->base_commit = tsk_xstrdup("0123456789abcdef0123456789abcdef01234567");
    in->head_commit = tsk_xstrdup("fedcba9876543210fedcba9876543210fedcba98");
}

static void test_text_names_every_change(void **state)
{
    (void)state;
    struct tsk_intent in;
    diff_sample(&in);
    assert_int_equal(in.added, 1);
    assert_int_equal(in.changed, 2);
    assert_int_equal(in.removed, 1);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_intent_text(&b, &in, 0);
    assert_string_equal(b.ptr, want_text);
    assert_null(strstr(b.ptr, SECRET));
    tsk_buf_release(&b);
    tsk_intent_release(&in);
}

static void test_json_is_complete_and_redacted(void **state)
{
    (void)state;
    struct tsk_intent in;
    diff_sample(&in);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_intent_json(&b, &in);
    assert_null(strstr(b.ptr, SECRET));
    assert_int_equal(b.ptr[b.len - 1], '\n');
    cJSON *doc = cJSON_Parse(b.ptr);
    assert_non_null(doc);
    fx_assert_json(cJSON_GetObjectItem(doc, "summary"),
                   "{\"add\":1,\"change\":2,\"remove\":1}");
    fx_assert_json(cJSON_GetObjectItem(doc, "functions"),
                   "{\"added\":[\"new\"],\"removed\":[\"old\"],"
                   "\"changed\":[\"a\",\"b\"]}");
    fx_assert_json(cJSON_GetObjectItem(doc, "base"),
                   "{\"ref\":\"main\",\"commit\":"
                   "\"0123456789abcdef0123456789abcdef01234567\"}");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "differ")));
    cJSON *res = cJSON_GetObjectItem(doc, "resources");
    assert_int_equal(cJSON_GetArraySize(res), 4);
    fx_assert_json(cJSON_GetArrayItem(res, 1),
                   "{\"address\":\"test_fn.new\",\"type\":\"test_fn\","
                   "\"function\":\"new\",\"change\":\"add\",\"at\":null,"
                   "\"values\":{\"name\":\"shop-new\",\"password\":"
                   "\"(sensitive value)\",\"env\":{\"K\":"
                   "\"(sensitive value)\"}}}");
    fx_assert_json(cJSON_GetArrayItem(res, 3),
                   "{\"address\":\"test_trigger.q\",\"type\":"
                   "\"test_trigger\",\"function\":\"b\",\"change\":"
                   "\"change\",\"at\":null,\"attributes\":["
                   "{\"path\":\"batch\",\"before\":10,\"after\":20,"
                   "\"sensitive\":false},"
                   "{\"path\":\"fn_arn\",\"before\":{\"$ref\":"
                   "\"test_fn.a.arn\"},\"after\":{\"$ref\":\"test_fn.b.arn\"},"
                   "\"sensitive\":false}]}");
    cJSON_Delete(doc);
    tsk_buf_release(&b);
    tsk_intent_release(&in);
}

static void test_markdown_small(void **state)
{
    (void)state;
    struct tsk_intent in;
    diff_sample(&in);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_intent_md(&b, &in);
    assert_null(strstr(b.ptr, SECRET));
    assert_non_null(strstr(b.ptr, "### tuskform diff: 1 to add, 2 to change, "
                                  "1 to remove\n"));
    assert_non_null(strstr(b.ptr, "`feature` (`fedcba987654`) compared with "
                                  "`main` (`0123456789ab`)"));
    assert_non_null(strstr(b.ptr, "| `test_trigger.q` | `b` | ~ change | "
                                  "`batch`: `10` → `20`<br>`fn_arn`: "
                                  "`test_fn.a.arn` → `test_fn.b.arn` |\n"));
    assert_non_null(strstr(b.ptr, "| `test_fn.old` | `old` | - remove | |\n"));
    assert_null(strstr(b.ptr, "left out"));
    tsk_buf_release(&b);
    tsk_intent_release(&in);
}

/* 3,000 functions added: the comment stops under the limit and says how
 * many resources it left out. */
static void test_markdown_stays_under_the_limit(void **state)
{
    (void)state;
    struct tsk_graph base, head;
    struct tsk_intent in;
    tsk_graph_init(&base, &test_prov, "big");
    tsk_graph_init(&head, &test_prov, "big");
    char name[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof(name), "function-with-a-long-name-%04d", i);
        add(&head, "test_fn", name, "{\"name\":\"x\",\"memory\":128}", name);
    }
    assert_int_equal(tsk_intent_diff(&in, &base, &head), 1);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_intent_md(&b, &in);
    assert_true(b.len <= TSK_MD_LIMIT);
    assert_true(b.len > TSK_MD_LIMIT - 2000); /* it used the room it had */
    size_t rows = 0;
    for (const char *p = b.ptr; (p = strstr(p, "| + add |")); p++)
        rows++;
    char want[128];
    snprintf(want, sizeof(want),
             "%zu more resources left out (%zu to add, "
             "0 to change, 0 to remove)",
             3000 - rows, 3000 - rows);
    assert_non_null(strstr(b.ptr, want));
    assert_non_null(strstr(b.ptr, " and 2980 more\n")); /* function names */
    tsk_buf_release(&b);
    tsk_intent_release(&in);
    tsk_graph_free(&base);
    tsk_graph_free(&head);
}

static void test_commit_check(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_git_info a = {(char *)"aaaaaaaaaaaa1111", (char *)"main", 0};
    struct tsk_git_info b = {(char *)"bbbbbbbbbbbb2222", NULL, 1};
    struct tsk_git_info none = {0};

    assert_int_equal(tsk_gitops_check_commit(&a, &a, 0, &d), 0);
    assert_int_equal(tsk_gitops_check_commit(&none, &none, 0, &d), 0);
    assert_int_equal(d.v.n, 0);
    assert_int_equal(tsk_gitops_check_commit(&a, &b, 0, &d), TSK_ECONFLICT);
    assert_int_equal(d.nerr, 1);
    assert_string_equal(d.v.v[0].summary,
                        "Saved plan was made for commit aaaaaaaaaaaa "
                        "(branch main), but commit bbbbbbbbbbbb (dirty work "
                        "tree) is checked out");
    assert_non_null(strstr(d.v.v[0].detail, "-allow-other-commit"));
    tsk_diags_release(&d);
    assert_int_equal(tsk_gitops_check_commit(&a, &b, 1, &d), 0);
    assert_int_equal(d.nerr, 0);
    assert_int_equal(d.nwarn, 1);
    tsk_diags_release(&d);
    assert_int_equal(tsk_gitops_check_commit(&a, &none, 0, &d), TSK_ECONFLICT);
    assert_non_null(strstr(d.v.v[0].summary, "but no git commit"));
    tsk_diags_release(&d);
    assert_int_equal(tsk_gitops_check_commit(&none, &b, 0, &d), TSK_ECONFLICT);
    tsk_diags_release(&d);
}

static void test_clean_check(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_git_info clean = {(char *)"aaaaaaaaaaaa1111", NULL, 0};
    struct tsk_git_info dirty = {(char *)"bbbbbbbbbbbb2222", NULL, 1};
    struct tsk_git_info none = {0};
    assert_int_equal(tsk_gitops_check_clean(&clean, 1, &d), 0);
    assert_int_equal(tsk_gitops_check_clean(&none, 0, &d), 0);
    assert_int_equal(d.v.n, 0);
    assert_int_equal(tsk_gitops_check_clean(&dirty, 0, &d), 0);
    assert_int_equal(d.nwarn, 1);
    assert_non_null(strstr(d.v.v[0].summary, "uncommitted changes"));
    tsk_diags_release(&d);
    assert_int_equal(tsk_gitops_check_clean(&dirty, 1, &d), TSK_ECONFLICT);
    assert_int_equal(d.nerr, 1);
    assert_non_null(strstr(d.v.v[0].summary, "-require-clean"));
    tsk_diags_release(&d);
    assert_int_equal(tsk_gitops_check_clean(&none, 1, &d), TSK_ECONFLICT);
    tsk_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_graphs_do_not_differ),
        cmocka_unit_test(test_text_names_every_change),
        cmocka_unit_test(test_json_is_complete_and_redacted),
        cmocka_unit_test(test_markdown_small),
        cmocka_unit_test(test_markdown_stays_under_the_limit),
        cmocka_unit_test(test_commit_check),
        cmocka_unit_test(test_clean_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_gitops_md.c - the drift report (JSON and markdown, sensitive values
 * redacted) and the last pass over markdown comments: the commit line and
 * the hard 65,000-character limit with fences and <details> closed.
 */
#include "plan_fixtures.h"
#include "planner/gitops.h"

#define SECRET "hunter2-do-not-print"

static void sample(struct tsk_plan *p)
{
    memset(p, 0, sizeof(*p));
    struct tsk_drift *dr =
        fx_add_drift(p, "test_fn.api",
                     "{\"env\":{\"PASS\":\"a-" SECRET
                     "\",\"STAGE\":\"dev\"},\"memory\":512}",
                     "{\"env\":{\"PASS\":\"b-" SECRET
                     "\",\"STAGE\":\"dev\"},\"memory\":1024}");
    dr->id = tsk_xstrdup("fn-1");
    *TSK_ARRAY_PUSH(dr->sensitive) = tsk_xstrdup("env.PASS");
    fx_add_drift(p, "test_trigger.q", "{\"batch\":10}", NULL);
}

static void test_drift_json(void **state)
{
    (void)state;
    struct tsk_plan p;
    sample(&p);
    cJSON *j = tsk_gitops_drift_json(&p, 5, 0);
    char *s = cJSON_PrintUnformatted(j);
    assert_null(strstr(s, SECRET));
    free(s);
    fx_assert_json(j, "{\"summary\":{\"managed\":6,\"in_sync\":4,\"drifted\":2,"
                      "\"changed\":1,\"deleted\":1},\"resources\":["
                      "{\"address\":\"test_fn.api\",\"type\":\"test_fn\","
                      "\"id\":\"fn-1\",\"status\":\"changed\",\"attributes\":["
                      "{\"path\":\"env.PASS\",\"state\":\"(sensitive value)\","
                      "\"remote\":\"(sensitive value)\",\"sensitive\":true},"
                      "{\"path\":\"memory\",\"state\":512,\"remote\":1024,"
                      "\"sensitive\":false}]},"
                      "{\"address\":\"test_trigger.q\",\"type\":"
                      "\"test_trigger\",\"id\":null,\"status\":\"deleted\"}]}");
    cJSON_Delete(j);
    /* -show-sensitive shows them */
    j = tsk_gitops_drift_json(&p, 5, 1);
    s = cJSON_PrintUnformatted(j);
    assert_non_null(strstr(s, "b-" SECRET));
    free(s);
    cJSON_Delete(j);
    tsk_plan_free(&p);
}

static void test_drift_md(void **state)
{
    (void)state;
    struct tsk_plan p;
    sample(&p);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_gitops_drift_md(&b, &p, 5, 0);
    assert_null(strstr(b.ptr, SECRET));
    const char *want =
        "### :warning: tuskform drift: 2 of 6 managed objects changed "
        "outside tuskform\n\n1 changed, 1 deleted.\n\n"
        "| Resource | Drift | Attribute | In state | In the cloud |\n"
        "|---|---|---|---|---|\n"
        "| `test_fn.api` | changed | `env.PASS` | _(sensitive value)_ | "
        "_(sensitive value)_ |\n"
        "| `test_fn.api` | changed | `memory` | `512` | `1024` |\n"
        "| `test_trigger.q` | **deleted** | | | _(none)_ |\n\n";
    assert_memory_equal(b.ptr, want, strlen(want));
    tsk_buf_release(&b);
    tsk_plan_free(&p);

    struct tsk_plan none = {0};
    tsk_gitops_drift_md(&b, &none, 1, 0);
    assert_string_equal(b.ptr, "### tuskform drift: no drift\n\nThe 1 managed "
                               "object matches the state.\n");
    tsk_buf_release(&b);
}

static void test_commit_line(void **state)
{
    (void)state;
    struct tsk_buf b = TSK_BUF_INIT;
    struct tsk_git_info g = {(char *)"0123456789abcdef0123", (char *)"main", 0};
    tsk_buf_adds(&b, "prefix kept\n### tuskform plan: 1 to add\n\nbody\n");
    tsk_gitops_md_finish(&b, 12, &g, 0, NULL);
    assert_string_equal(b.ptr, "prefix kept\n### tuskform plan: 1 to add\n\n"
                               "Made for commit `0123456789ab` on branch "
                               "`main`.\n\nbody\n");
    tsk_buf_release(&b);

    struct tsk_git_info dirty = {(char *)"0123456789abcdef0123", NULL, 1};
    tsk_buf_adds(&b, "no title\n");
    tsk_gitops_md_finish(&b, 0, &dirty, 0, NULL);
    assert_string_equal(b.ptr, "Made for commit `0123456789ab`. :warning: The "
                               "work tree had uncommitted changes: this is "
                               "not exactly that commit.\n\nno title\n");
    tsk_buf_release(&b);

    struct tsk_git_info nogit = {0};
    tsk_buf_adds(&b, "### t\n\nx\n");
    tsk_gitops_md_finish(&b, 0, &nogit, 0, NULL);
    assert_string_equal(b.ptr, "### t\n\nx\n");
    tsk_buf_release(&b);
}

static size_t count_lines_starting(const char *s, const char *with)
{
    size_t n = 0, w = strlen(with);
    for (const char *l = s; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
        n += strncmp(l, with, w) == 0;
    return n;
}

static void test_hard_limit(void **state)
{
    (void)state;
    struct tsk_buf b = TSK_BUF_INIT;
    struct tsk_git_info g = {(char *)"0123456789abcdef0123", (char *)"main", 0};
    tsk_buf_adds(&b, "### big\n\n<details><summary>Full plan</summary>\n\n"
                     "```diff\n");
    for (int i = 0; i < 5000; i++)
        tsk_buf_addf(&b, "+ resource \"local_function\" \"f%04d\" {}\n", i);
    tsk_buf_adds(&b, "```\n\n</details>\n");
    size_t before = b.len;
    tsk_gitops_md_finish(&b, 0, &g, 0, "run `tuskform show PLANFILE`");
    assert_true(b.len <= TSK_MD_LIMIT);
    assert_true(b.len > TSK_MD_LIMIT - 1000);
    assert_non_null(strstr(b.ptr, "Made for commit `0123456789ab`"));
    /* the fence and the details are closed, in that order */
    assert_int_equal(count_lines_starting(b.ptr, "```") % 2, 0);
    assert_int_equal(count_lines_starting(b.ptr, "<details>"),
                     count_lines_starting(b.ptr, "</details>"));
    const char *close = strstr(b.ptr, "```\n\n</details>\n\n_This comment");
    assert_non_null(close);
    /* the note says what was left out, and where to see it */
    size_t shown = 0;
    for (const char *p = b.ptr; (p = strstr(p, "+ resource")); p++)
        shown++;
    char want[200];
    snprintf(want, sizeof(want), "the last %zu lines", 5000 - shown + 3);
    assert_non_null(strstr(b.ptr, want));
    assert_non_null(strstr(b.ptr, "For everything, run `tuskform show "
                                  "PLANFILE`._\n"));
    assert_true(before > b.len);
    tsk_buf_release(&b);
}

/* 2,000 functions drifted: the issue comment still fits, and says so. */
static void test_big_drift_fits(void **state)
{
    (void)state;
    struct tsk_plan p = {0};
    char addr[64];
    for (int i = 0; i < 2000; i++) {
        snprintf(addr, sizeof(addr), "test_fn.function_number_%04d", i);
        fx_add_drift(&p, addr, "{\"memory\":512,\"timeout\":30}",
                     i % 10 ? "{\"memory\":1024,\"timeout\":60}" : NULL);
    }
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_gitops_drift_md(&b, &p, 1800, 0);
    assert_true(b.len > TSK_MD_LIMIT);
    tsk_gitops_md_finish(&b, 0, NULL, 0, "run `tuskform drift -json`");
    assert_true(b.len <= TSK_MD_LIMIT);
    assert_non_null(strstr(b.ptr, "### :warning: tuskform drift: 2000 of 2000 "
                                  "managed objects changed outside "
                                  "tuskform\n"));
    assert_non_null(strstr(b.ptr, "were left out. For everything, run "
                                  "`tuskform drift -json`._\n"));
    tsk_buf_release(&b);
    tsk_plan_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drift_json),
        cmocka_unit_test(test_drift_md),
        cmocka_unit_test(test_commit_line),
        cmocka_unit_test(test_hard_limit),
        cmocka_unit_test(test_big_drift_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

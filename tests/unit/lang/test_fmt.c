/* test_fmt.c - the canonical layout of fmt.h, written out by hand: spacing,
 * indentation, blank lines, comments, strings kept byte for byte,
 * idempotence, refusals with positions, and the unified diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "planner/tsk/fmt.h"

/* Formats text; returns the result (caller frees) or NULL on refusal, with
 * the first error's position in *line and *col when given. */
static char *fmt_n(const char *text, size_t len, uint32_t *line,
                   uint32_t *col)
{
    struct tsk_buf out = TSK_BUF_INIT;
    struct tsk_diags d = {0};
    struct tsk_src *src = tsk_fmt_src_new("t.tsk", text, len);
    int rc = tsk_fmt_src(&out, src, &d);
    char *res = NULL;
    if (rc == 0) {
        assert_int_equal(d.nerr, 0);
        res = tsk_buf_detach(&out, NULL);
    } else {
        assert_int_equal(rc, TSK_ERROR);
        assert_true(d.nerr > 0);
        if (line)
            *line = d.v.v[0].pos.line;
        if (col)
            *col = d.v.v[0].pos.col;
    }
    tsk_buf_release(&out);
    tsk_diags_release(&d);
    tsk_src_free(src);
    return res;
}

static char *fmt(const char *text)
{
    return fmt_n(text, strlen(text), NULL, NULL);
}

/* in formats to want, and want is a fixed point. */
static void assert_fmt(const char *in, const char *want)
{
    char *got = fmt(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    char *again = fmt(got);
    assert_non_null(again);
    assert_string_equal(again, want);
    free(got);
    free(again);
}

static void assert_refused(const char *in, uint32_t line, uint32_t col)
{
    uint32_t l = 0, c = 0;
    char *got = fmt_n(in, strlen(in), &l, &c);
    assert_null(got);
    assert_int_equal(l, line);
    assert_int_equal(c, col);
}

static void test_assignments(void **state)
{
    (void)state;
    assert_fmt("a=1", "a = 1\n");
    assert_fmt("b:2\n", "b = 2\n");
    assert_fmt("c   =    \"x\"   \n", "c = \"x\"\n");
    assert_fmt("$g:\"v\"\n", "$g = \"v\"\n");
    assert_fmt("tags . team = 'p'\n", "tags.team = 'p'\n");
    assert_fmt("\"quoted key\"=1\n", "\"quoted key\" = 1\n");
    assert_fmt("a=1;b=2 ;c=3;\n", "a = 1; b = 2; c = 3;\n");
    assert_fmt("audit-log=a-1\n", "audit-log = a-1\n");
}

static void test_operators(void **state)
{
    (void)state;
    assert_fmt("x=1+2*3 -4/2%3\n", "x = 1 + 2 * 3 - 4 / 2 % 3\n");
    assert_fmt("x=(1+2)*3\n", "x = (1 + 2) * 3\n");
    assert_fmt("x = - 5\n", "x = -5\n");
    assert_fmt("x = a - -1\n", "x = a - -1\n");
    assert_fmt("x = - -4\n", "x = - -4\n");
    assert_fmt("x = ! true\n", "x = !true\n");
    assert_fmt("x=a<=b&&c!=d||!e\n", "x = a <= b && c != d || !e\n");
    assert_fmt("x=$n?1:2\n", "x = $n ? 1 : 2\n");
    assert_fmt("x:a?b:c?d:e\n", "x = a ? b : c ? d : e\n");
    assert_fmt("x = ( - 2 )\n", "x = (-2)\n");
    assert_fmt("r = 8000-9000\n", "r = 8000-9000\n");
    assert_fmt("n = 007 + 1.50e3\n", "n = 007 + 1.50e3\n");
}

static void test_postfix_calls_literals(void **state)
{
    (void)state;
    assert_fmt("x = t . a [ 0 ] [\"k\"]\n", "x = t.a[0][\"k\"]\n");
    assert_fmt("x = $cfg.ports [1]\n", "x = $cfg.ports[1]\n");
    assert_fmt("x = @if ( true ,1,2 )\n", "x = @if(true, 1, 2)\n");
    assert_fmt("x = @env(\"A\",\"b\")+\"c\"\n",
               "x = @env(\"A\", \"b\") + \"c\"\n");
    assert_fmt("x = [ 1 , 2 ,[3] ]\n", "x = [1, 2, [3]]\n");
    assert_fmt("x = [ ]\n", "x = []\n");
    assert_fmt("x = {a=1,b:{c=2}}\n", "x = { a = 1, b = { c = 2 } }\n");
    assert_fmt("x = { }\n", "x = {}\n");
    assert_fmt("x = [{a=1},{b=2}]\n", "x = [{ a = 1 }, { b = 2 }]\n");
    assert_fmt("x = @json({\"a\":1})\n", "x = @json({ \"a\" = 1 })\n");
}

static void test_sections_and_blank_lines(void **state)
{
    (void)state;
    assert_fmt("\n\n[ a . b ]\nx=1\n", "[a.b]\nx = 1\n");
    assert_fmt("a = 1\n[s]\nb = 2\n[t]\n[u]\n",
               "a = 1\n\n[s]\nb = 2\n\n[t]\n\n[u]\n");
    assert_fmt("a = 1\n\n\n\nb = 2\n\n\n", "a = 1\n\nb = 2\n");
    /* comments on top of a header stay attached to it */
    assert_fmt("a = 1\n# about s\n// more\n[s]\n",
               "a = 1\n\n# about s\n// more\n[s]\n");
    assert_fmt("# file comment\n[s]\n", "# file comment\n[s]\n");
    assert_fmt("a = 1\n\n\n# about s\n[s]\n", "a = 1\n\n# about s\n[s]\n");
}

static void test_comments(void **state)
{
    (void)state;
    assert_fmt("x = 1   # c   \n", "x = 1 # c\n");
    assert_fmt("x = 1// c\n", "x = 1 // c\n");
    assert_fmt("   # indented\nx = 1\n", "# indented\nx = 1\n");
    assert_fmt("url = \"http://x/#y\" # real\n",
               "url = \"http://x/#y\" # real\n");
}

static void test_blocks(void **state)
{
    (void)state;
    assert_fmt("srv{a=1;b=2}\n", "srv { a = 1; b = 2 }\n");
    assert_fmt("limits {\nmemory = 512\n  inner {\n deep = true\n}\n}\n",
               "limits {\n    memory = 512\n    inner {\n        deep = true\n"
               "    }\n}\n");
    assert_fmt("warmup>\ninterval = 300\n nested >\nx = 1\n<\n<\n",
               "warmup >\n    interval = 300\n    nested >\n        x = 1\n"
               "    <\n<\n");
    assert_fmt("outer {\n  # note\n  a = 1\n}\n",
               "outer {\n    # note\n    a = 1\n}\n");
    assert_fmt("x = a>b\n", "x = a > b\n");
}

static void test_multiline_values(void **state)
{
    (void)state;
    assert_fmt("f = {\nhandler = \"H\",\n  events = [\"http\"],\n"
               "env = { S = \"p\" }\n}\n",
               "f = {\n    handler = \"H\",\n    events = [\"http\"],\n"
               "    env = { S = \"p\" }\n}\n");
    assert_fmt("a = [\n1,\n  2, # two\n\n\n 3,\n]\n",
               "a = [\n    1,\n    2, # two\n\n    3,\n]\n");
    assert_fmt("a = [[\n1\n]]\n", "a = [[\n    1\n]]\n");
    assert_fmt("t = { a = [\n1, 2\n], b = 3 }\n",
               "t = { a = [\n    1, 2\n], b = 3 }\n");
    assert_fmt("s = (1 +\n2 +\n 3)\n", "s = (1 +\n    2 +\n    3)\n");
    assert_fmt("x = {\n  a = {\n b = 1\n }\n}\n",
               "x = {\n    a = {\n        b = 1\n    }\n}\n");
    /* a colon inside ( ) or [ ] is a conditional's, even across lines */
    assert_fmt("x = (a ?\n1 :\n2)\n", "x = (a ?\n    1 :\n    2)\n");
}

static void test_strings_kept(void **state)
{
    (void)state;
    assert_fmt("s = \"a  b\\n\\t\"\n", "s = \"a  b\\n\\t\"\n");
    assert_fmt("s = 'it\\'s'\n", "s = 'it\\'s'\n");
    /* triple-quoted text, trailing blanks and all, is kept */
    assert_fmt("  t = \"\"\"\n  line one   \n\n\n line two\n\"\"\"   \nu=1\n",
               "t = \"\"\"\n  line one   \n\n\n line two\n\"\"\"\nu = 1\n");
    assert_fmt("k = \"\xc3\xa9\xe2\x9c\x93\"\n", "k = \"\xc3\xa9\xe2\x9c\x93\"\n");
}

static void test_line_endings_and_bom(void **state)
{
    (void)state;
    assert_fmt("\xef\xbb\xbf" "a = 1\r\n[s]\r\nb = 2\r\n",
               "a = 1\n\n[s]\nb = 2\n");
    assert_fmt("a = 1", "a = 1\n");
    assert_fmt("", "");
    assert_fmt("\n\n\n", "");
    assert_fmt("# only a comment", "# only a comment\n");
}

static void test_refusals(void **state)
{
    (void)state;
    assert_refused("a = 1\nb = \"open\n", 2, 5);
    assert_refused("a = \"\\q\"\n", 1, 6);
    assert_refused("a = 99999999999999999999\n", 1, 5);
    assert_refused("[s]\nt = {\n  a = 1\n", 2, 5);
    assert_refused("a = [1, 2\n", 1, 5);
    assert_refused("a = 1]\n", 1, 6);
    assert_refused("b {\n  x = 1\n", 1, 3);
    assert_refused("w >\n  x = 1\n", 1, 3);
    assert_refused("b {\n  [s]\n}\n", 2, 3);
    assert_refused("x = (1 + 2}\n", 1, 11);
    /* a NUL byte is not valid TSK text */
    uint32_t l = 0, c = 0;
    assert_null(fmt_n("a = 1\n\0b = 2\n", 13, &l, &c));
    assert_int_equal(l, 2);
}

static char *diff(const char *a, const char *b)
{
    struct tsk_buf out = TSK_BUF_INIT;
    tsk_fmt_diff(&out, "x.tsk", a, strlen(a), b, strlen(b));
    return tsk_buf_detach(&out, NULL);
}

static void test_diff(void **state)
{
    (void)state;
    char *d = diff("a\nb\nc\n", "a\nb\nc\n");
    assert_string_equal(d, "");
    free(d);
    d = diff("a\nb\nc\n", "a\nB\nc\n");
    assert_string_equal(d, "--- a/x.tsk\n+++ b/x.tsk\n@@ -1,3 +1,3 @@\n"
                           " a\n-b\n+B\n c\n");
    free(d);
    /* two changes far apart: two hunks with 3 lines of context */
    d = diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
             "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n");
    assert_string_equal(d, "--- a/x.tsk\n+++ b/x.tsk\n"
                           "@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n"
                           "@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n");
    free(d);
    /* insertion into an empty file, and a missing final newline */
    d = diff("", "a\n");
    assert_string_equal(d, "--- a/x.tsk\n+++ b/x.tsk\n@@ -0,0 +1,1 @@\n+a\n");
    free(d);
    d = diff("a = 1", "a = 1\n");
    assert_string_equal(d, "--- a/x.tsk\n+++ b/x.tsk\n@@ -1,1 +1,1 @@\n"
                           "-a = 1\n\\ No newline at end of file\n+a = 1\n");
    free(d);
    d = diff("a\nb\n", "b\n");
    assert_string_equal(d, "--- a/x.tsk\n+++ b/x.tsk\n@@ -1,2 +1,1 @@\n"
                           "-a\n b\n");
    free(d);
}

static void test_diff_large(void **state)
{
    (void)state;
    /* every line differs: past the edit limit the diff stays correct */
    struct tsk_buf a = TSK_BUF_INIT, b = TSK_BUF_INIT, out = TSK_BUF_INIT;
    for (int i = 0; i < 3000; i++) {
        tsk_buf_addf(&a, "a%d\n", i);
        tsk_buf_addf(&b, "b%d\n", i);
    }
    tsk_fmt_diff(&out, "x.tsk", a.ptr, a.len, b.ptr, b.len);
    assert_non_null(strstr(out.ptr, "@@ -1,3000 +1,3000 @@\n-a0\n"));
    assert_non_null(strstr(out.ptr, "\n+b2999\n"));
    tsk_buf_release(&a);
    tsk_buf_release(&b);
    tsk_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assignments),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_postfix_calls_literals),
        cmocka_unit_test(test_sections_and_blank_lines),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_multiline_values),
        cmocka_unit_test(test_strings_kept),
        cmocka_unit_test(test_line_endings_and_bom),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_diff_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

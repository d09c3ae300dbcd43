/* test_errors.c - every error with its position (line:col), as the
 * "Errors" section of the language page says, plus recovery. */
#include "unit/lang/helpers.h"

static void test_lexical_errors(void **state)
{
    (void)state;
    /* the opening quote of an unterminated string */
    assert_error("[f]\n    handler = \"UserHandler::handle,\n", 2, 15,
                 "unterminated string");
    assert_error("a = '''x\n", 1, 7, "unterminated string");
    assert_error("a = \"\"\"never closed\n\nb = 1", 1, 5,
                 "unterminated triple-quoted string");
    /* the backslash of a bad escape */
    assert_error("a = \"ok \\x41\"", 1, 9, "invalid escape");
    assert_error("a = \"\\u12\"", 1, 6, "unicode escape");
    assert_error("a = \"\\u{110000}\"", 1, 6, "unicode escape");
    /* the first digit of a bad number */
    assert_error("a = 99999999999999999999", 1, 5, "out of range");
    assert_error("a = -99999999999999999999", 1, 6, "out of range");
    assert_error("a = 9223372036854775808", 1, 5, "out of range");
    assert_error("a = 1e400", 1, 5, "out of range");
    assert_error("a = 12abc", 1, 5, "invalid number");
    assert_error("a = 1.", 1, 5, "invalid number");
    assert_error("a = ~", 1, 5, "unexpected character");
    assert_error("a = 1 & 2", 1, 7, "'&&'");
}

static void test_range_errors(void **state)
{
    (void)state;
    char *hint;
    assert_error("d = 2024-01-01", 1, 5, "2024-01-01");
    hint = first_detail("d = 2024-01-01");
    assert_non_null(strstr(hint, "quote it"));
    assert_non_null(strstr(hint, "a - b"));
    free(hint);
    assert_error("v = 1.5-2", 1, 5, "range");
    assert_error("r = 9000-8000", 1, 5, "min must not exceed max");
    assert_error("r = 1 + 8000-9000", 1, 9, "whole value");
    assert_error("r = 8000-9000 + 1", 1, 5, "whole value");
}

static void test_missing_value_points_at_separator(void **state)
{
    (void)state;
    assert_error("a =\nb = 1", 1, 3, "missing value");
    assert_error("a:   # nothing\n", 1, 2, "missing value");
    assert_error("s { a = }", 1, 7, "missing value");
    assert_error("t = { a = , b = 1 }", 1, 9, "missing value");
    assert_error("$g =", 1, 4, "missing value");
}

static void test_unclosed_brackets_point_at_opener(void **state)
{
    (void)state;
    assert_error("a = (1 + 2\nb = 3", 1, 5, "unclosed '('");
    assert_error("a = [1, 2\n", 1, 5, "unclosed '['");
    assert_error("x = 1\na = {\n  b = 1\n", 2, 5, "unclosed '{'");
    assert_error("a = {\n  b = 1\n[next]\nc = 2", 1, 5, "unclosed '{'");
    assert_error("blk {\n  a = 1\n", 1, 5, "unclosed block");
    assert_error("blk >\n  a = 1\n", 1, 5, "unclosed block");
    assert_error("a = @env(\"X\"", 1, 9, "unclosed '('");
}

static void test_operator_errors_point_at_operator(void **state)
{
    (void)state;
    assert_error("a = 1 / 0", 1, 7, "division by zero");
    assert_error("a = 1 % 0", 1, 7, "division by zero");
    assert_error("a = 1.5 / 0.0", 1, 9, "division by zero");
    assert_error("a = 9223372036854775807 + 1", 1, 25, "overflow");
    assert_error("a = -9223372036854775807 - 2", 1, 26, "overflow");
    assert_error("a = 4611686018427387904 * 2", 1, 25, "overflow");
    assert_error("a = 1e308 * 10", 1, 11, "finite");
    assert_error("a = 1.5 % 2", 1, 9, "integers");
    assert_error("a = [1] + 1", 1, 9, "'+' needs");
    assert_error("a = \"s\" + [1]", 1, 9, "concatenate");
    assert_error("a = \"s\" + null", 1, 9, "concatenate");
    assert_error("a = \"s\" - 1", 1, 9, "'-' needs two numbers");
    assert_error("a = 1 < \"2\"", 1, 7, "two numbers or two strings");
    assert_error("a = 1 && true", 1, 7, "'&&' needs booleans");
    assert_error("a = false || 0", 1, 11, "'||' needs booleans");
    assert_error("a = !1", 1, 5, "'!' needs a boolean");
    assert_error("a = -\"x\"", 1, 5, "'-' needs a number");
    assert_error("a = 1 < 2 < 3", 1, 11, "do not chain");
    assert_error("a = 1 == 1 == true", 1, 12, "do not chain");
}

static void test_ternary_needs_boolean(void **state)
{
    (void)state;
    char *hint;
    assert_error("$n = 3\nv = $n ? 1 : 2", 2, 8, "must be a boolean");
    assert_error("$n = 3\nv = $n ? 1 : 2", 2, 8, "integer");
    hint = first_detail("$n = 3\nv = $n ? 1 : 2");
    assert_non_null(strstr(hint, "truthiness"));
    free(hint);
    assert_error("v = @if(\"x\", 1, 2)", 1, 5, "must be a boolean");
}

static void test_names(void **state)
{
    (void)state;
    char *hint;
    assert_error("a = $nope", 1, 5, "undefined variable '$nope'");
    assert_error("a = $later\n$later = 1", 1, 5, "undefined variable");
    assert_error("a = production", 1, 5, "unknown name 'production'");
    hint = first_detail("a = production");
    assert_non_null(strstr(hint, "quote it"));
    free(hint);
    assert_error("a = True", 1, 5, "unknown name");
    /* a bare name only sees the current section */
    assert_error("[a]\nx = 1\n[b]\ny = x", 4, 5, "unknown name 'x'");
    /* nor the section around a block */
    assert_error("[a]\nx = 1\nblk {\n  y = x\n}", 4, 7, "unknown name 'x'");
    assert_error("$t = {a = 1}\nv = $t.b", 2, 7, "no key 'b'");
    assert_error("$t = [1]\nv = $t[3]", 2, 7, "out of range");
    assert_error("$t = 5\nv = $t.x", 2, 7, "cannot read key");
}

static void test_unsupported_functions(void **state)
{
    (void)state;
    char *hint;
    assert_error("a = @query(\"SELECT 1\")", 1, 5,
                 "@query is not supported: configuration must be "
                 "deterministic");
    hint = first_detail("a = @query(\"SELECT 1\")");
    assert_non_null(strstr(hint, "@env"));
    assert_non_null(strstr(hint, "@hash"));
    free(hint);
    const char *io[] = {"cache", "request", "graphql", "mongodb", "redis",
                        "postgresql", "mysql", "sqlite", "learn", "optimize",
                        "metrics"};
    for (size_t i = 0; i < sizeof(io) / sizeof(*io); i++) {
        char text[64], what[64];
        snprintf(text, sizeof(text), "x = @%s(1)", io[i]);
        snprintf(what, sizeof(what), "@%s is not supported", io[i]);
        assert_error(text, 1, 5, what);
    }
    assert_error("a = @frobnicate()", 1, 5, "@frobnicate is not supported");
    /* also in an untaken branch */
    assert_error("a = true ? 1 : @cache(\"k\")", 1, 16, "@cache is not supported");
    assert_error("a = @if(true, 1, @redis(\"k\"))", 1, 18, "@redis");
    assert_error("a = false && @metrics(1)", 1, 14, "@metrics");
    /* arity and argument errors at the @ */
    assert_error("a = @env()", 1, 5, "takes");
    assert_error("a = @string(\"reverse\", \"x\")", 1, 5, "unknown operation");
    assert_error("a = @hash(\"sha1\", \"x\")", 1, 5, "unknown algorithm");
    assert_error("a = @base64(\"decode\", \"!!\")", 1, 5, "invalid base64");
    assert_error("a = @string(\"upper\", 1)", 1, 5, "must be a string");
}

static void test_structure_errors(void **state)
{
    (void)state;
    char *hint;
    assert_error("[[functions]]\nname = 1", 1, 1, "arrays of tables");
    hint = first_detail("[[functions]]\nname = 1");
    assert_non_null(strstr(hint, "array of inline tables"));
    free(hint);
    assert_error("blk {\n  [s]\n}", 2, 3, "section header");
    assert_error("a = 1\na.b = 2", 2, 1, "cannot add keys below 'a'");
    assert_error("a = 1\n[a.b]\n", 2, 2, "cannot add keys below 'a'");
    assert_error("t = { x = 1 }\nt.y = 2", 2, 1, "inline table");
    assert_error("t = { x = 1 }\n[t]\ny = 2", 2, 2, "inline table");
    assert_error("t = { x = 1 }\nt { y = 2 }", 2, 1, "inline table");
    assert_error("a = 1 2", 1, 7, "expected end of line");
    assert_error("= 1", 1, 1, "expected a key");
    assert_error("a b = 1", 1, 3, "expected '='");
    assert_error("}", 1, 1, "unexpected '}'");
    assert_error("w >\n a = 1\n < x\n", 3, 2, "alone on its line");
    assert_error("w > a = 1\n<", 1, 5, "must end its line");
    assert_error("a = [1 2]", 1, 8, "expected ',' or ']'");
    assert_error("t = { a = 1 b = 2 }", 1, 13, "expected ',' or '}'");
}

static void test_recovery_and_all_errors(void **state)
{
    (void)state;
    const char *text = "a = \"open\n"
                       "b = 1 / 0\n"
                       "c = [1, (2 +\n"
                       "  3), @query(1)]\n"
                       "d = {\n"
                       "  e = $nope\n"
                       "  f = 2\n"
                       "}\n"
                       "g = ok\n"
                       "h = 1\n";
    assert_error(text, 1, 5, "unterminated");
    assert_error(text, 2, 7, "division by zero");
    assert_error(text, 4, 7, "@query");
    assert_error(text, 6, 7, "undefined variable");
    assert_error(text, 9, 5, "unknown name 'ok'");
    assert_int_equal(count_errors(text), 5);
    /* evaluation goes on: h is in the partial document */
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    assert_int_not_equal(tsk_doc_load_string(&doc, "t.tsk", text, strlen(text),
                                             &d), 0);
    assert_non_null(doc);
    assert_int_equal(tsk_doc_lookup(doc, "h")->u.i, 1);
    assert_null(tsk_doc_lookup(doc, "b"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);
}

/* "line:col " of every error of text, in order (caller frees). */
static char *error_positions(const char *text)
{
    struct tsk_diags d = {0};
    struct tsk_buf b = TSK_BUF_INIT;
    load_diags(text, &d);
    for (size_t i = 0; i < d.v.n; i++)
        if (d.v.v[i].sev == TSK_SEV_ERROR)
            tsk_buf_addf(&b, "%u:%u ", d.v.v[i].pos.line, d.v.v[i].pos.col);
    tsk_diags_release(&d);
    tsk_buf_adds(&b, "");
    return tsk_buf_detach(&b, NULL);
}

#define assert_error_positions(text, want)                                     \
    do {                                                                       \
        char *got_ = error_positions(text);                                    \
        if (strcmp(got_, want) != 0)                                           \
            fail_msg("for:\n%s\nerrors at: %s\nwant:      %s", text, got_,     \
                     want);                                                    \
        free(got_);                                                            \
    } while (0)

/* A statement reports its first error only, whatever follows it in the
 * statement (a syntax error, another failed operation, a bad token); the
 * next statement reports its own. Array items and inline-table entries
 * are values of their own: each reports its first error. */
static void test_one_error_per_statement(void **state)
{
    (void)state;
    assert_error_positions("sum = 1-2 + 3", "1:7 ");
    assert_error_positions("sum = 1-2 + 3\nok = 1-2\nbad = 8000-9000 * 2",
                           "1:7 3:7 ");
    const char *text = "a = 1-2 + 3\n"                  /* range, then + */
                       "b = [1-2 + 3 + * 1, 4]\n"       /* then '*' */
                       "c = (1-2 + )\n"                 /* then ')' */
                       "d = {h = 1-2 + 3 + , i = 2}\n"  /* then ',' */
                       "e = $x + $y\n"                  /* two failures */
                       "f = @query(1, $z)\n"            /* unsupported */
                       "g = $x + \"open\n"              /* bad token */
                       "h = 1-2\n"
                       "i = 1 / 0 + 1 % 0\n"
                       "blk {\n"
                       "  j = $x $y\n"
                       "  k = 1 + * 2\n"
                       "  l = 2\n"
                       "}\n"
                       "m = @if(1, 2) + $w\n"
                       "n = [\n"
                       "  $v +\n"
                       "    * 2,\n"
                       "  $u 3 4,\n"
                       "  1-2 + (3 +\n"
                       "  4)\n"
                       "] + [1 +]\n"
                       "o = 1\n";
    assert_error_positions(text, "1:5 2:6 3:6 4:10 5:5 6:5 7:5 9:7 11:7 "
                                 "12:11 15:5 17:3 19:3 20:3 ");
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    tsk_doc_load_string(&doc, "t.tsk", text, strlen(text), &d);
    assert_non_null(doc);
    assert_int_equal(tsk_doc_lookup(doc, "h.min")->u.i, 1);
    assert_int_equal(tsk_doc_lookup(doc, "blk.l")->u.i, 2);
    assert_int_equal(tsk_doc_lookup(doc, "o")->u.i, 1);
    assert_null(tsk_doc_lookup(doc, "a"));
    assert_null(tsk_doc_lookup(doc, "n"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    /* every item and entry reports its first error */
    assert_error_positions("p = [$x + $y, 1, $z + 1-2, 9-5]\n"
                           "q = {\n"
                           "  r = @cache(\"5m\", 1) + $s\n"
                           "  t = [$s, 2] * 2\n"
                           "  u = { v = $s + 1, w = $s }\n"
                           "  x = 1\n"
                           "}\n",
                           "1:6 1:18 1:28 3:7 4:8 5:13 5:25 ");
}

static void test_error_limit(void **state)
{
    (void)state;
    struct tsk_buf b = TSK_BUF_INIT;
    for (int i = 0; i < 200; i++)
        tsk_buf_addf(&b, "k%d = $missing\n", i);
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    tsk_doc_load_string(&doc, "t.tsk", b.ptr, b.len, &d);
    assert_int_equal(d.v.n, 50);
    assert_true(d.nerr > 50);
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    tsk_buf_release(&b);
}

static void test_printed_format(void **state)
{
    (void)state;
    const char *text = "[functions]\n    handler = \"UserHandler::handle,\n";
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    tsk_doc_load_string(&doc, "functions.tsk", text, strlen(text), &d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tsk_diags_print(&d, f, 0);
    fclose(f);
    assert_non_null(strstr(buf, "functions.tsk:2:15: error: unterminated "
                                "string\n"
                                "        handler = \"UserHandler::handle,\n"
                                "                  ^\n"));
    free(buf);
    tsk_doc_free(doc);
    tsk_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lexical_errors),
        cmocka_unit_test(test_range_errors),
        cmocka_unit_test(test_missing_value_points_at_separator),
        cmocka_unit_test(test_unclosed_brackets_point_at_opener),
        cmocka_unit_test(test_operator_errors_point_at_operator),
        cmocka_unit_test(test_ternary_needs_boolean),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_unsupported_functions),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_recovery_and_all_errors),
        cmocka_unit_test(test_one_error_per_statement),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_printed_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

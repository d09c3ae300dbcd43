/* test_eval.c - expressions (precedence, typing), globals, bare names and
 * the @ functions. */
#include "unit/lang/helpers.h"

#include <unistd.h>

static void test_arithmetic(void **state)
{
    (void)state;
    assert_json("a = 1 + 2 * 3\nb = (1 + 2) * 3\nc = 10 - 4 - 3\nd = 2 * -3",
                "{\"a\":7,\"b\":9,\"c\":3,\"d\":-6}");
    assert_json("a = 7 / 2\nb = 8 / 2\nc = -8 / 2\nd = 1.0 / 4",
                "{\"a\":3.5,\"b\":4,\"c\":-4,\"d\":0.25}");
    assert_json("a = 7 % 3\nb = -7 % 3\nc = 7 % -3",
                "{\"a\":1,\"b\":-1,\"c\":1}");
    assert_json("a = 1 + 0.5\nb = 3 * 0.5\nc = 2.0 * 750",
                "{\"a\":1.5,\"b\":1.5,\"c\":1500.0}");
    assert_json("a = - 5\nb = -(2 + 3)\nc = --4", "{\"a\":-5,\"b\":-5,\"c\":4}");
}

static void test_concatenation(void **state)
{
    (void)state;
    assert_json("a = \"x\" + 1\nb = 1.5 + \"y\"\nc = \"v\" + true\n"
                "d = \"n\" + 1500.0 + \"/\" + 1e300",
                "{\"a\":\"x1\",\"b\":\"1.5y\",\"c\":\"vtrue\","
                "\"d\":\"n1500.0/1e+300\"}");
    assert_json("a = 1 + 2 + \"x\"", "{\"a\":\"3x\"}");
    /* chains extend the last result in place; stored strings never change */
    assert_json("x = \"a\" + \"b\"\ny = x + \"c\"\nz = [x + 1, x + 2]\nw = x",
                "{\"x\":\"ab\",\"y\":\"abc\",\"z\":[\"ab1\",\"ab2\"],"
                "\"w\":\"ab\"}");
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_buf_adds(&b, "x = \"s\"");
    for (int i = 0; i < 50000; i++)
        tsk_buf_adds(&b, " + \"0123456789\"");
    char *got = eval_json(b.ptr);
    assert_non_null(got);
    assert_int_equal(strlen(got), strlen("{\"x\":\"s\"}") + 500000);
    free(got);
    tsk_buf_release(&b);
}

/* A long chain of '+' stays linear: 100,000 terms (quadratic copying took
 * minutes and gigabytes here). Only "it finishes" is asserted about time. */
static void test_long_concatenation_chain(void **state)
{
    (void)state;
    enum { TERMS = 100000 };
    struct tsk_buf src = TSK_BUF_INIT, want = TSK_BUF_INIT;
    tsk_buf_adds(&src, "x = \"<\"");
    tsk_buf_adds(&want, "{\"x\":\"<");
    for (int i = 0; i < TERMS; i++) {
        /* strings, with a number every so often */
        if (i % 1000 == 999) {
            tsk_buf_addf(&src, " + %d", i);
            tsk_buf_addf(&want, "%d", i);
        } else {
            tsk_buf_addf(&src, " + \"%c%c\"", 'a' + i % 26, '0' + i % 10);
            tsk_buf_addf(&want, "%c%c", 'a' + i % 26, '0' + i % 10);
        }
    }
    tsk_buf_adds(&src, " + \">\"\ny = x + \"!\"\n");
    tsk_buf_adds(&want, ">\"");
    char *got = eval_json_n(src.ptr, src.len);
    assert_non_null(got);
    /* x is whole, and y (which extends it) left it unchanged */
    assert_true(strlen(got) > want.len);
    assert_memory_equal(got, want.ptr, want.len);
    assert_int_equal(strncmp(got + want.len, ",\"y\":\"<a0b1", 11), 0);
    size_t n = strlen(got);
    assert_string_equal(got + n - 4, ">!\"}");
    free(got);
    tsk_buf_release(&src);
    tsk_buf_release(&want);
}

/* A result extended in place is never one that was stored, passed on or
 * taken apart: each of these values keeps its text. */
static void test_concatenation_never_changes_stored_strings(void **state)
{
    (void)state;
    assert_json("$g = \"a\" + \"b\"\nu = $g + \"c\"\nv = $g",
                "{\"u\":\"abc\",\"v\":\"ab\"}");
    assert_json("t = { k = \"a\" + \"b\", l = 1 }\nw = t.k + \"d\"\nt2 = t",
                "{\"t\":{\"k\":\"ab\",\"l\":1},\"w\":\"abd\","
                "\"t2\":{\"k\":\"ab\",\"l\":1}}");
    assert_json("arr = [\"a\" + \"b\", \"c\" + \"d\"]\nq = arr[0] + \"z\"\n"
                "r = arr[1] + arr[0]\ns = arr",
                "{\"arr\":[\"ab\",\"cd\"],\"q\":\"abz\",\"r\":\"cdab\","
                "\"s\":[\"ab\",\"cd\"]}");
    assert_json("a = (\"a\" + \"b\") + (\"c\" + \"d\") + \"e\"\n"
                "b = @string(\"upper\", \"a\" + \"b\") + \"c\"\n"
                "c = @if(true, \"a\" + \"b\", \"z\") + \"c\"\n"
                "d = (\"x\" + \"y\") == (\"x\" + \"y\" + \"\")\n"
                "e = 1 + 2 + \"a\" + 1.5 + true",
                "{\"a\":\"abcde\",\"b\":\"ABc\",\"c\":\"abc\",\"d\":true,"
                "\"e\":\"3a1.5true\"}");
}

static void test_comparisons_and_logic(void **state)
{
    (void)state;
    assert_json("a = 1 == 1.0\nb = \"a\" < \"b\"\nc = 2 >= 3\nd = [1,2] == [1,2]\n"
                "e = {a=1,b=2} == {b=2,a=1}\nf = 1 == \"1\"\ng = null == null\n"
                "h = 1 != 2",
                "{\"a\":true,\"b\":true,\"c\":false,\"d\":true,\"e\":true,"
                "\"f\":false,\"g\":true,\"h\":true}");
    assert_json("a = true && false || true\nb = !false\nc = 1 < 2 && 2 < 3\n"
                "d = 1 < 2 == true",
                "{\"a\":true,\"b\":true,\"c\":true,\"d\":true}");
    assert_json("$env = \"staging\"\ndebug = $env != \"production\"",
                "{\"debug\":true}");
    /* short-circuit: the right side is not evaluated */
    assert_json("a = false && 1 / 0 == 1\nb = true || $nope",
                "{\"a\":false,\"b\":true}");
}

static void test_ternary(void **state)
{
    (void)state;
    assert_json("a = true ? 1 : 2\nb = false ? 1 : false ? 2 : 3\n"
                "c = 1 < 2 ? \"y\" : \"n\"",
                "{\"a\":1,\"b\":3,\"c\":\"y\"}");
    /* only the chosen branch is evaluated */
    assert_json("a = true ? 1 : 1 / 0\nb = false ? $missing : 2",
                "{\"a\":1,\"b\":2}");
}

static void test_postfix(void **state)
{
    (void)state;
    assert_json("$t = { a = [10, 20, { b = \"x\" }] }\n"
                "v = $t.a[1]\nw = $t.a[2].b\nx = $t[\"a\"][0]\ny = [5,6][1]",
                "{\"v\":20,\"w\":\"x\",\"x\":10,\"y\":6}");
}

static void test_globals(void **state)
{
    (void)state;
    assert_json("$a = 2\n[s]\n$b = $a * 3\nv = $b\n[t]\nw = $b + $a",
                "{\"s\":{\"v\":6},\"t\":{\"w\":8}}");
    assert_json("$x = 1\n$x = 2\nv = $x", "{\"v\":2}");
}

static void test_bare_names(void **state)
{
    (void)state;
    assert_json("[api]\nbase = \"/v1\"\nhealth = base + \"/health\"",
                "{\"api\":{\"base\":\"/v1\",\"health\":\"/v1/health\"}}");
    assert_json("blk {\n  n = 2\n  m = n * n\n}", "{\"blk\":{\"n\":2,\"m\":4}}");
    assert_json("t = { a = 1, b = a + 1 }", "{\"t\":{\"a\":1,\"b\":2}}");
    assert_json("[s]\nbase = 2\nt = { a = base * 2 }",
                "{\"s\":{\"base\":2,\"t\":{\"a\":4}}}");
    /* a referenced block table is copied, later merges do not leak */
    assert_json("[s]\nb { x = 1 }\nc = b\nb { y = 2 }",
                "{\"s\":{\"b\":{\"x\":1,\"y\":2},\"c\":{\"x\":1}}}");
}

static void test_env(void **state)
{
    (void)state;
    setenv("TSK_T_STR", "hello", 1);
    setenv("TSK_T_NUM", "3", 1);
    setenv("TSK_T_BOOL", "true", 1);
    unsetenv("TSK_T_UNSET");
    assert_json("a = @env(\"TSK_T_STR\")\nb = @env(\"TSK_T_NUM\", 1)\n"
                "c = @env(\"TSK_T_NUM\", 1.5)\nd = @env(\"TSK_T_BOOL\", false)\n"
                "e = @env(\"TSK_T_UNSET\", 7)\nf = @env(\"TSK_T_NUM\", \"x\")\n"
                "g = @env(\"TSK_T_UNSET\", \"dflt\")",
                "{\"a\":\"hello\",\"b\":3,\"c\":3.0,\"d\":true,\"e\":7,"
                "\"f\":\"3\",\"g\":\"dflt\"}");
    assert_error("a = @env(\"TSK_T_UNSET\")", 1, 5, "not set");
    assert_error("a = @env(\"TSK_T_STR\", 1)", 1, 5, "not an integer");
    assert_error("a = @env(\"TSK_T_STR\", 1.0)", 1, 5, "not a number");
    assert_error("x = 1\na = @env(\"TSK_T_NUM\", true)", 2, 5,
                 "not a boolean");
}

static void test_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsk-lang-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], tsk[256];
    snprintf(path, sizeof(path), "%s/policy.json", dir);
    snprintf(tsk, sizeof(tsk), "%s/main.tsk", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"v\": 1}\n", f);
    fclose(f);
    const char *text = "p = @file(\"policy.json\")\nj = @json(@file(\"policy.json\"))";
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    assert_int_equal(tsk_doc_load_string(&doc, tsk, text, strlen(text), &d), 0);
    assert_string_equal(tsk_doc_lookup(doc, "p")->u.str.s, "{\"v\": 1}\n");
    assert_int_equal(tsk_doc_lookup(doc, "j.v")->kind, TSK_V_INT);
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    /* missing file: error at the @ */
    text = "x = 1\np = @file(\"nope.txt\")";
    doc = NULL;
    assert_int_not_equal(tsk_doc_load_string(&doc, tsk, text, strlen(text), &d),
                         0);
    assert_int_equal(d.v.v[0].pos.line, 2);
    assert_int_equal(d.v.v[0].pos.col, 5);
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    unlink(path);
    rmdir(dir);
}

static void test_json_function(void **state)
{
    (void)state;
    assert_json("j = @json('{\"a\": [1, 2.5, \"s\", true, null], \"b\": {\"c\": "
                "-3}, \"u\": \"\\\\u00e9\\\\ud83d\\\\ude00\"}')",
                "{\"j\":{\"a\":[1,2.5,\"s\",true,null],\"b\":{\"c\":-3},"
                "\"u\":\"\xc3\xa9\xf0\x9f\x98\x80\"}}");
    assert_json("j = @json(\"12345678901234567\")", "{\"j\":12345678901234567}");
    assert_error("x = @json(\"{bad\")", 1, 5, "invalid JSON");
}

static void test_date(void **state)
{
    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1); /* 2023-11-14 22:13:20 UTC */
    assert_json("d = @date(\"Y-m-d H:i:s\")\ne = @date(\"D, d M Y\")\n"
                "f = @date(\"\\\\Y=Y N jS F y G g A U\")\ng = @date(\"c\")",
                "{\"d\":\"2023-11-14 22:13:20\",\"e\":\"Tue, 14 Nov 2023\","
                "\"f\":\"Y=2023 2 14th November 23 22 10 PM 1700000000\","
                "\"g\":\"2023-11-14T22:13:20+00:00\"}");
    assert_warning("d = @date(\"Y\")", 1, 5, "@date");
    unsetenv("SOURCE_DATE_EPOCH");
}

static void test_if_string_base64_hash(void **state)
{
    (void)state;
    assert_json("a = @if(1 < 2, \"yes\", 1 / 0)\nb = @if(false, $nope, 2)",
                "{\"a\":\"yes\",\"b\":2}");
    assert_json("a = @string(\"upper\", \"abc\xc3\xa9\")\n"
                "b = @string(\"lower\", \"ABC\")\n"
                "c = @string(\"trim\", \" \\t x y \\n\")\n"
                "d = @string(\"length\", \"h\xc3\xa9llo\")",
                "{\"a\":\"ABC\xc3\xa9\",\"b\":\"abc\",\"c\":\"x y\",\"d\":5}");
    assert_json("e = @base64(\"encode\", \"hello\")\n"
                "d = @base64(\"decode\", \"aGVsbG8=\")\n"
                "z = @base64(\"encode\", \"\")",
                "{\"e\":\"aGVsbG8=\",\"d\":\"hello\",\"z\":\"\"}");
    assert_json("s = @hash(\"sha256\", \"abc\")\nm = @hash(\"md5\", \"abc\")",
                "{\"s\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb41"
                "0ff61f20015ad\",\"m\":\"900150983cd24fb0d6963f7d28e17f72\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_concatenation),
        cmocka_unit_test(test_long_concatenation_chain),
        cmocka_unit_test(test_concatenation_never_changes_stored_strings),
        cmocka_unit_test(test_comparisons_and_logic),
        cmocka_unit_test(test_ternary),
        cmocka_unit_test(test_postfix),
        cmocka_unit_test(test_globals),
        cmocka_unit_test(test_bare_names),
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_json_function),
        cmocka_unit_test(test_date),
        cmocka_unit_test(test_if_string_base64_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_json.c - JSON output: number forms, string escapes, pretty layout,
 * and the lookup API. */
#include "unit/lang/helpers.h"

#include <unistd.h>

static void test_doubles_shortest_round_trip(void **state)
{
    (void)state;
    assert_json("a = 1500.0\nb = 0.75\nc = 1e300\nd = 0.1\ne = 1.0e-7\n"
                "f = 123456.789\ng = 2.5e15\nh = -0.0\ni = 0.1 + 0.2\n"
                "j = 1e15\nk = 100.0",
                "{\"a\":1500.0,\"b\":0.75,\"c\":1e+300,\"d\":0.1,\"e\":1e-07,"
                "\"f\":123456.789,\"g\":2.5e+15,\"h\":-0.0,"
                "\"i\":0.30000000000000004,\"j\":1e+15,\"k\":100.0}");
    struct tsk_buf b = TSK_BUF_INIT;
    struct tsk_value v = {.kind = TSK_V_DOUBLE};
    v.u.d = 5e-324;
    tsk_value_to_json(&b, &v, 0);
    assert_string_equal(b.ptr, "4.94065645841247e-324"); /* %.15g reads back */
    tsk_buf_reset(&b);
    v.u.d = 1.7976931348623157e308;
    tsk_value_to_json(&b, &v, 0);
    assert_string_equal(b.ptr, "1.7976931348623157e+308");
    tsk_buf_release(&b);
}

static void test_ints_exact(void **state)
{
    (void)state;
    assert_json("a = 9007199254740993\nb = -1\nc = 0",
                "{\"a\":9007199254740993,\"b\":-1,\"c\":0}");
}

static void test_string_escapes(void **state)
{
    (void)state;
    assert_json("s = \"q\\\" b\\\\ n\\n t\\t r\\r z\\0 \\u0001 \\u001f \\u007f\"",
                "{\"s\":\"q\\\" b\\\\ n\\n t\\t r\\r z\\u0000 \\u0001 \\u001f "
                "\x7f\"}");
    assert_json("s = \"\\u{e9} / \xe2\x82\xac\"",
                "{\"s\":\"\xc3\xa9 / \xe2\x82\xac\"}");
    assert_json("\"k\\\"ey\" = 1", "{\"k\\\"ey\":1}");
    /* a long string with an escape late (exercises the fast scan) */
    assert_json("s = \"abcdefghijklmnopqrstuvwxyz0123456789\\\"abc\"",
                "{\"s\":\"abcdefghijklmnopqrstuvwxyz0123456789\\\"abc\"}");
}

static void test_pretty(void **state)
{
    (void)state;
    const char *text = "a = 1\nb = [1, {c = []}]\nd = {}\ne { f = \"x\" }";
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    assert_int_equal(tsk_doc_load_string(&doc, "t.tsk", text, strlen(text), &d),
                     0);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_table_to_json(&b, tsk_doc_root(doc), 2);
    assert_string_equal(b.ptr, "{\n"
                               "  \"a\": 1,\n"
                               "  \"b\": [\n"
                               "    1,\n"
                               "    {\n"
                               "      \"c\": []\n"
                               "    }\n"
                               "  ],\n"
                               "  \"d\": {},\n"
                               "  \"e\": {\n"
                               "    \"f\": \"x\"\n"
                               "  }\n"
                               "}");
    /* streaming writer: same text and a newline */
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    assert_int_equal(tsk_table_write_json(f, tsk_doc_root(doc), 2), 0);
    fclose(f);
    assert_int_equal(len, b.len + 1);
    assert_memory_equal(mem, b.ptr, b.len);
    assert_int_equal(mem[b.len], '\n');
    free(mem);
    /* empty document */
    tsk_buf_release(&b);
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    assert_json("# nothing\n", "{}");
}

static void test_lookup_api(void **state)
{
    (void)state;
    const char *text = "[a.b]\nc = [10, {d = \"x\"}]\n";
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    assert_int_equal(tsk_doc_load_string(&doc, "t.tsk", text, strlen(text), &d),
                     0);
    assert_int_equal(tsk_doc_lookup(doc, "a.b.c.0")->u.i, 10);
    assert_string_equal(tsk_doc_lookup(doc, "a.b.c.1.d")->u.str.s, "x");
    assert_int_equal(tsk_doc_lookup(doc, "a.b")->kind, TSK_V_TABLE);
    assert_null(tsk_doc_lookup(doc, "a.x"));
    assert_null(tsk_doc_lookup(doc, "a.b.c.2"));
    assert_null(tsk_doc_lookup(doc, ""));
    assert_null(tsk_table_get(tsk_doc_root(doc), "zz"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    assert_string_equal(tsk_vkind_name(TSK_V_STRING), "string");
    assert_string_equal(tsk_vkind_name(TSK_V_INT), "integer");
    assert_string_equal(tsk_vkind_name(TSK_V_TABLE), "table");
}

static void test_load_files_merge(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsk-lang-files-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p1[256], p2[256], p3[256];
    snprintf(p1, sizeof(p1), "%s/a.tsk", dir);
    snprintf(p2, sizeof(p2), "%s/b.tsk", dir);
    snprintf(p3, sizeof(p3), "%s/c.txt", dir);
    FILE *f = fopen(p1, "w");
    fputs("$stage = \"prod\"\n[s]\nx = 1\n", f);
    fclose(f);
    f = fopen(p2, "w");
    fputs("[s]\ny = $stage\n", f);
    fclose(f);
    f = fopen(p3, "w");
    fputs("ignored", f);
    fclose(f);
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    assert_int_equal(tsk_doc_load_dir(&doc, dir, NULL, &d), 0);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_table_to_json(&b, tsk_doc_root(doc), 0);
    assert_string_equal(b.ptr, "{\"s\":{\"x\":1,\"y\":\"prod\"}}");
    tsk_buf_release(&b);
    tsk_doc_free(doc);
    /* the same leaf key in two files is an error */
    f = fopen(p2, "w");
    fputs("[s]\nx = 2\n", f);
    fclose(f);
    assert_int_not_equal(tsk_doc_load_dir(&doc, dir, NULL, &d), 0);
    assert_int_equal(d.v.v[0].pos.line, 2);
    assert_non_null(strstr(d.v.v[0].summary, "another file"));
    assert_non_null(strstr(d.v.v[0].pos.src->name, "b.tsk"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    /* files in argument order; a display prefix */
    const char *paths[] = {p2, p1};
    struct tsk_load_opts o = {.display_prefix = "REF:"};
    assert_int_not_equal(tsk_doc_load_files(&doc, paths, 2, &o, &d), 0);
    assert_non_null(strstr(d.v.v[0].pos.src->name, "REF:"));
    assert_non_null(strstr(d.v.v[0].pos.src->name, "a.tsk"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    unlink(p1);
    unlink(p2);
    unlink(p3);
    rmdir(dir);
}

static int fake_read(void *ctx, const char *path, struct tsk_buf *out)
{
    (void)ctx;
    if (strcmp(path, "mem.tsk") != 0)
        return TSK_EIO;
    tsk_buf_adds(out, "v = 1\n");
    return 0;
}

static void test_custom_reader(void **state)
{
    (void)state;
    const char *paths[] = {"mem.tsk", "gone.tsk"};
    struct tsk_load_opts o = {.read_file = fake_read};
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    assert_int_not_equal(tsk_doc_load_files(&doc, paths, 2, &o, &d), 0);
    assert_int_equal(tsk_doc_lookup(doc, "v")->u.i, 1);
    assert_int_equal(d.nerr, 1);
    assert_non_null(strstr(d.v.v[0].summary, "gone.tsk"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doubles_shortest_round_trip),
        cmocka_unit_test(test_ints_exact),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_pretty),
        cmocka_unit_test(test_lookup_api),
        cmocka_unit_test(test_load_files_merge),
        cmocka_unit_test(test_custom_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

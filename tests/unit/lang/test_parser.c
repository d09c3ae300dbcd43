/* test_parser.c - structure: sections, blocks, keys, inline tables,
 * arrays, separators, ranges, duplicates; JSON written by hand from the
 * language page. */
#include "unit/lang/helpers.h"

static void test_language_page_example(void **state)
{
    (void)state;
    assert_json(
        "$stage = @env(\"TSK_TEST_UNSET_STAGE\", \"dev\")\n"
        "[serverless_architecture]\n"
        "provider = \"aws_lambda\"\n"
        "[serverless_architecture.functions]\n"
        "user_management = {\n"
        "    handler = \"UserHandler::handle\", # comment\n"
        "    events = [\"http\", \"s3\"],\n"
        "    environment = { STAGE = \"production\" }\n"
        "}\n"
        "limits {\n"
        "    memory = 512\n"
        "}\n"
        "warmup >\n"
        "    interval = 300\n"
        "<\n"
        "tags.team = \"payments\"\n",
        "{\"serverless_architecture\":{\"provider\":\"aws_lambda\","
        "\"functions\":{\"user_management\":{\"handler\":"
        "\"UserHandler::handle\",\"events\":[\"http\",\"s3\"],"
        "\"environment\":{\"STAGE\":\"production\"}},\"limits\":{\"memory\":"
        "512},\"warmup\":{\"interval\":300},\"tags\":{\"team\":"
        "\"payments\"}}}}");
}

static void test_scalars(void **state)
{
    (void)state;
    assert_json("a = 1\nb = -2\nc = 1.5\nd = true\ne = false\nf = null\n"
                "g = \"s\"\nh = 's'",
                "{\"a\":1,\"b\":-2,\"c\":1.5,\"d\":true,\"e\":false,"
                "\"f\":null,\"g\":\"s\",\"h\":\"s\"}");
    assert_json("a = 007\nb = 1e3\nc = 2.50", "{\"a\":7,\"b\":1000.0,\"c\":2.5}");
    assert_json("a = -9223372036854775808\nb = 9223372036854775807",
                "{\"a\":-9223372036854775808,\"b\":9223372036854775807}");
}

static void test_colon_and_semicolons(void **state)
{
    (void)state;
    assert_json("provider: \"aws\"; n: 2\n", "{\"provider\":\"aws\",\"n\":2}");
    assert_json("srv { a = 1; b = 2 }", "{\"srv\":{\"a\":1,\"b\":2}}");
}

static void test_bom_crlf_comments(void **state)
{
    (void)state;
    assert_json("\xef\xbb\xbf# c\r\na = 1 // two\r\n// x = 2\r\nb = \"#//\"\r\n",
                "{\"a\":1,\"b\":\"#//\"}");
}

static void test_sections(void **state)
{
    (void)state;
    assert_json("[a]\nx = 1\n[a.b.c]\ny = 2\n[a]\nz = 3\n",
                "{\"a\":{\"x\":1,\"b\":{\"c\":{\"y\":2}},\"z\":3}}");
    assert_json("top = 1\n[s]\nk = 2", "{\"top\":1,\"s\":{\"k\":2}}");
    assert_json("[\"my key\".x]\na = 1", "{\"my key\":{\"x\":{\"a\":1}}}");
    assert_json("[ a . b ]\nc = 1", "{\"a\":{\"b\":{\"c\":1}}}");
}

static void test_blocks_nest_and_merge(void **state)
{
    (void)state;
    assert_json("a {\n  b {\n    c > \n      d = 1\n    <\n  }\n}\n"
                "a { e = 2 }\n",
                "{\"a\":{\"b\":{\"c\":{\"d\":1}},\"e\":2}}");
    assert_json("[s]\nblk {\n x = 1\n}\n", "{\"s\":{\"blk\":{\"x\":1}}}");
    assert_json("a.b { c = 1 }", "{\"a\":{\"b\":{\"c\":1}}}");
    assert_json("w >\n i = 1\n<\nw >\n j = 2\n<",
                "{\"w\":{\"i\":1,\"j\":2}}");
    assert_json("e {\n}\n", "{\"e\":{}}");
}

static void test_dotted_and_quoted_keys(void **state)
{
    (void)state;
    assert_json("tags.team = \"p\"\ntags.env = \"d\"",
                "{\"tags\":{\"team\":\"p\",\"env\":\"d\"}}");
    assert_json("\"a b\" = 1\n'c.d' = 2\n\"x\".\"y\" = 3",
                "{\"a b\":1,\"c.d\":2,\"x\":{\"y\":3}}");
    assert_json("audit-log = 1\na-1 = 2", "{\"audit-log\":1,\"a-1\":2}");
    assert_json("true = 1", "{\"true\":1}");
}

static void test_inline_tables(void **state)
{
    (void)state;
    assert_json("t = {}", "{\"t\":{}}");
    assert_json("t = { a = 1, b = 2 }", "{\"t\":{\"a\":1,\"b\":2}}");
    assert_json("t = {\n  a = 1\n  b: 2,\n\n  # c\n  c = 3,\n}\n",
                "{\"t\":{\"a\":1,\"b\":2,\"c\":3}}");
    assert_json("t = { a.b = 1, a.c = 2 }",
                "{\"t\":{\"a\":{\"b\":1,\"c\":2}}}");
    assert_json("t = { x = { y = { z = [1, {w = 2}] } } }",
                "{\"t\":{\"x\":{\"y\":{\"z\":[1,{\"w\":2}]}}}}");
    assert_json("t = {a = 1,\n b = 2\n}", "{\"t\":{\"a\":1,\"b\":2}}");
}

static void test_arrays(void **state)
{
    (void)state;
    assert_json("a = []", "{\"a\":[]}");
    assert_json("a = [1, \"two\", 3.0, true, null, [4], {k = 5}]",
                "{\"a\":[1,\"two\",3.0,true,null,[4],{\"k\":5}]}");
    assert_json("a = [\n  1,\n  2\n\n  3 # c\n  // d\n  ,4,\n]",
                "{\"a\":[1,2,3,4]}");
    assert_json("a = [[1,\n2], [\n]]", "{\"a\":[[1,2],[]]}");
    /* inside brackets a line break after an operator is insignificant */
    assert_json("a = [1 +\n 2, true ?\n 3 :\n 4]\nt = { b = 2 *\n 3 }",
                "{\"a\":[3,3],\"t\":{\"b\":6}}");
    /* more items than the small buffer */
    assert_json("a = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]",
                "{\"a\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,"
                "20]}");
}

static void test_ranges(void **state)
{
    (void)state;
    assert_json("ports = 8000-9000",
                "{\"ports\":{\"min\":8000,\"max\":9000,\"type\":\"range\"}}");
    assert_json("p = [1-2, 3-3]\nq = { r = 10-20 }",
                "{\"p\":[{\"min\":1,\"max\":2,\"type\":\"range\"},{\"min\":3,"
                "\"max\":3,\"type\":\"range\"}],\"q\":{\"r\":{\"min\":10,"
                "\"max\":20,\"type\":\"range\"}}}");
    assert_json("d = 10 - 3", "{\"d\":7}");
}

static void test_duplicate_key_replaces_in_place(void **state)
{
    (void)state;
    assert_json("a = 1\nb = 2\na = 3", "{\"a\":3,\"b\":2}");
    assert_warning("a = 1\nb = 2\na = 3", 3, 1, "t.tsk:1:1");
    assert_warning("t = { x = 1, x = 2 }", 1, 14, "duplicate key 'x'");
    assert_warning("[s]\nk.v = 1\n[s]\nk.v = 2", 4, 3, "duplicate key 'k.v'");
}

static void test_multiline_strings(void **state)
{
    (void)state;
    assert_json("s = \"\"\"\nline1\n  \"quoted\" \\n\nend\"\"\"",
                "{\"s\":\"line1\\n  \\\"quoted\\\" \\\\n\\nend\"}");
    assert_json("s = \"\"\"x\"\"\"\nt = 1", "{\"s\":\"x\",\"t\":1}");
}

static void test_many_keys(void **state)
{
    (void)state;
    struct tsk_buf b = TSK_BUF_INIT;
    for (int i = 0; i < 20000; i++)
        tsk_buf_addf(&b, "k%d = %d\n", i, i);
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    assert_int_equal(tsk_doc_load_string(&doc, "m.tsk", b.ptr, b.len, &d), 0);
    const struct tsk_table *root = tsk_doc_root(doc);
    assert_int_equal(root->n, 20000);
    for (int i = 0; i < 20000; i += 997) {
        char k[16];
        snprintf(k, sizeof(k), "k%d", i);
        const struct tsk_value *v = tsk_table_get(root, k);
        assert_non_null(v);
        assert_int_equal(v->u.i, i);
        assert_string_equal(root->e[i].key, k);
    }
    assert_null(tsk_table_find(root, "k20000"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    tsk_buf_release(&b);
}

static void test_value_positions(void **state)
{
    (void)state;
    const char *text = "[s]\n  a = 1\n  b = { c = \"x\" }\n";
    struct tsk_diags d = {0};
    struct tsk_doc *doc;
    assert_int_equal(tsk_doc_load_string(&doc, "p.tsk", text, strlen(text),
                                         &d), 0);
    const struct tsk_value *a = tsk_doc_lookup(doc, "s.a");
    assert_non_null(a);
    assert_int_equal(a->pos.line, 2);
    assert_int_equal(a->pos.col, 7);
    assert_string_equal(a->pos.src->name, "p.tsk");
    const struct tsk_entry *e = tsk_table_find(tsk_doc_root(doc), "s");
    const struct tsk_entry *b = tsk_table_find(e->val.u.tab, "b");
    assert_int_equal(b->key_pos.line, 3);
    assert_int_equal(b->key_pos.col, 3);
    assert_true(b->val.u.tab->is_inline);
    const struct tsk_value *c = tsk_doc_lookup(doc, "s.b.c");
    assert_int_equal(c->pos.col, 13);
    assert_string_equal(c->u.str.s, "x");
    tsk_doc_free(doc);
    tsk_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_language_page_example),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_colon_and_semicolons),
        cmocka_unit_test(test_bom_crlf_comments),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_blocks_nest_and_merge),
        cmocka_unit_test(test_dotted_and_quoted_keys),
        cmocka_unit_test(test_inline_tables),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_duplicate_key_replaces_in_place),
        cmocka_unit_test(test_multiline_strings),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_value_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_large_file.c - files of 64 KiB and more, which the loader reads into
 * the document's arena (huge-page backed) instead of a buffer of their
 * own: values, positions after a BOM, sizes on a page boundary, several
 * large files in one document, and big tables (hash index, key lengths). */
#include "unit/lang/helpers.h"

#include <unistd.h>

/* Writes a file of n generated entries "k<i> = <i>" (and a BOM first when
 * bom), padded with a comment to exactly pad bytes when pad > 0. */
static void write_big(const char *path, int n, int bom, size_t pad)
{
    struct tsk_buf b = TSK_BUF_INIT;
    if (bom)
        tsk_buf_add(&b, "\xEF\xBB\xBF", 3);
    tsk_buf_adds(&b, "[big]\n");
    for (int i = 0; i < n; i++)
        tsk_buf_addf(&b, "k%05d = { v = %d, s = \"s%d\" }\n", i, i, i);
    if (pad) {
        assert_true(b.len + 2 <= pad);
        tsk_buf_addch(&b, '#');
        while (b.len + 1 < pad)
            tsk_buf_addch(&b, 'x');
        tsk_buf_addch(&b, '\n');
        assert_int_equal(b.len, pad);
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.ptr, 1, b.len, f), b.len);
    fclose(f);
    tsk_buf_release(&b);
}

static void check_big(const struct tsk_doc *doc, int n, const char *prefix)
{
    char path[64];
    snprintf(path, sizeof(path), "%s.k%05d.v", prefix, n - 1);
    const struct tsk_value *v = tsk_doc_lookup(doc, path);
    assert_non_null(v);
    assert_int_equal(v->kind, TSK_V_INT);
    assert_int_equal(v->u.i, n - 1);
    snprintf(path, sizeof(path), "%s.k%05d.s", prefix, n / 2);
    v = tsk_doc_lookup(doc, path);
    assert_non_null(v);
    assert_int_equal(v->kind, TSK_V_STRING);
    char want[16];
    snprintf(want, sizeof(want), "s%d", n / 2);
    assert_string_equal(v->u.str.s, want);
    const struct tsk_value *t = tsk_doc_lookup(doc, prefix);
    assert_non_null(t);
    assert_int_equal(t->kind, TSK_V_TABLE);
    assert_int_equal(t->u.tab->n, (size_t)n);
    assert_non_null(tsk_table_find(t->u.tab, "k00000"));
    assert_null(tsk_table_find(t->u.tab, "k0000"));
    assert_null(tsk_table_find(t->u.tab, "k000000"));
}

static void test_large_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsk-lang-large-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[64], b[64], c[64];
    snprintf(a, sizeof(a), "%s/a.tsk", dir);
    snprintf(b, sizeof(b), "%s/b.tsk", dir);
    snprintf(c, sizeof(c), "%s/c.tsk", dir);
    write_big(a, 5000, 1, 0);         /* ~190 KB, with a BOM */
    write_big(b, 3000, 0, 4096 * 30); /* exactly 30 pages */
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    const char *one[] = {a};
    assert_int_equal(tsk_doc_load_files(&doc, one, 1, NULL, &d), 0);
    check_big(doc, 5000, "big");
    /* the BOM is not part of the text: line 2 starts at column 1 */
    const struct tsk_value *v = tsk_doc_lookup(doc, "big.k00000");
    assert_non_null(v);
    assert_int_equal(v->pos.line, 2);
    assert_int_equal(v->pos.col, 10);
    tsk_doc_free(doc);

    /* two large files: the same section in both is an error (a key set
     * in two files), reported with both positions */
    const char *two[] = {a, b};
    doc = NULL;
    assert_int_equal(tsk_doc_load_files(&doc, two, 2, NULL, &d), TSK_ERROR);
    assert_true(d.nerr > 0);
    tsk_diags_release(&d);
    tsk_doc_free(doc);

    /* a page-sized file evaluates like any other */
    memset(&d, 0, sizeof(d));
    const char *pg[] = {b};
    doc = NULL;
    assert_int_equal(tsk_doc_load_files(&doc, pg, 1, NULL, &d), 0);
    check_big(doc, 3000, "big");
    struct tsk_buf out = TSK_BUF_INIT;
    tsk_table_to_json(&out, tsk_doc_root(doc), 0);
    assert_non_null(strstr(out.ptr, "\"k02999\":{\"v\":2999,\"s\":\"s2999\"}"));
    tsk_buf_release(&out);
    tsk_doc_free(doc);
    tsk_diags_release(&d);

    /* an unreadable large path falls back and reports */
    memset(&d, 0, sizeof(d));
    const char *missing[] = {c};
    doc = NULL;
    assert_int_equal(tsk_doc_load_files(&doc, missing, 1, NULL, &d), TSK_ERROR);
    tsk_diags_release(&d);
    tsk_doc_free(doc);

    unlink(a);
    unlink(b);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

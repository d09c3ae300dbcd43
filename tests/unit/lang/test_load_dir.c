/*
 * test_load_dir.c - tsk_doc_load_dir on folders that give it nothing to
 * load: an empty folder, a folder with only other files (and a folder
 * named like a *.tsk file), and a missing folder. Each is an error naming
 * the folder with an empty document, never a crash: the empty folder once
 * passed qsort a NULL array (UBSan: "null pointer passed as argument 1",
 * load.c), which this build aborts on. Then one file sorts and loads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "planner/tsk/tsk.h"

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(remove(path), 0);
}

/* Loads dir and expects one error that contains want, an empty
 * document, and *out set. */
static void expect_empty_error(const char *dir, const char *want)
{
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    assert_int_equal(tsk_doc_load_dir(&doc, dir, NULL, &d), TSK_ERROR);
    assert_non_null(doc);
    assert_int_equal(d.nerr, 1);
    assert_int_equal(d.v.n, 1);
    assert_non_null(strstr(d.v.v[0].summary, want));
    assert_non_null(strstr(d.v.v[0].summary, dir));
    assert_null(d.v.v[0].pos.src);
    assert_non_null(tsk_doc_root(doc));
    assert_int_equal(tsk_doc_root(doc)->n, 0);
    tsk_doc_free(doc);
    tsk_diags_release(&d);
}

static void test_empty_folder(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsk-lang-empty-XXXXXX";
    assert_non_null(mkdtemp(dir));
    expect_empty_error(dir, "no *.tsk files in");
    /* with a custom reader too: listing still uses the file system */
    struct tsk_load_opts o = {.display_prefix = "REF:"};
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    assert_int_equal(tsk_doc_load_dir(&doc, dir, &o, &d), TSK_ERROR);
    assert_non_null(doc);
    assert_int_equal(d.nerr, 1);
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    assert_int_equal(rmdir(dir), 0);
}

static void test_no_tsk_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsk-lang-none-XXXXXX";
    char sub[128];
    assert_non_null(mkdtemp(dir));
    write_file(dir, "README.md", "# not configuration\n");
    write_file(dir, ".tsk", "x = 1\n"); /* no name before .tsk */
    write_file(dir, "main.tsk.bak", "x = 1\n");
    snprintf(sub, sizeof(sub), "%s/nested.tsk", dir);
    assert_int_equal(mkdir(sub, 0700), 0); /* a folder, not a file */
    expect_empty_error(dir, "no *.tsk files in");
    assert_int_equal(rmdir(sub), 0);
    remove_file(dir, "README.md");
    remove_file(dir, ".tsk");
    remove_file(dir, "main.tsk.bak");
    assert_int_equal(rmdir(dir), 0);
}

static void test_missing_folder(void **state)
{
    (void)state;
    expect_empty_error("/nonexistent/tsk-lang-gone", "cannot read folder");
}

static void test_single_and_sorted(void **state)
{
    (void)state;
    char dir[] = "/tmp/tsk-lang-one-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "only.tsk", "[s]\nx = 1\n");
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    struct tsk_buf b = TSK_BUF_INIT;
    assert_int_equal(tsk_doc_load_dir(&doc, dir, NULL, &d), 0);
    tsk_table_to_json(&b, tsk_doc_root(doc), 0);
    assert_string_equal(b.ptr, "{\"s\":{\"x\":1}}");
    tsk_doc_free(doc);
    /* b.tsk names a global that a.tsk defines: a.tsk must come first */
    write_file(dir, "b.tsk", "[t]\ny = $g\n");
    write_file(dir, "a.tsk", "$g = 7\n");
    assert_int_equal(tsk_doc_load_dir(&doc, dir, NULL, &d), 0);
    tsk_buf_reset(&b);
    tsk_table_to_json(&b, tsk_doc_root(doc), 0);
    assert_string_equal(b.ptr, "{\"t\":{\"y\":7},\"s\":{\"x\":1}}");
    assert_int_equal(d.nerr, 0);
    tsk_doc_free(doc);
    tsk_buf_release(&b);
    tsk_diags_release(&d);
    remove_file(dir, "only.tsk");
    remove_file(dir, "a.tsk");
    remove_file(dir, "b.tsk");
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_folder),
        cmocka_unit_test(test_no_tsk_files),
        cmocka_unit_test(test_missing_folder),
        cmocka_unit_test(test_single_and_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

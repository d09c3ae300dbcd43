/*
 * test_git.c - planner/git.c against real repositories made with the git
 * command in a temporary folder: commit info (id, branch, dirty, detached,
 * unborn), configuration loaded from a commit's tree without touching the
 * work tree, diagnostics named REF:path, digests, and bad revisions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "planner/config.h"
#include "planner/git.h"
#include "planner/tsk/tsk.h"

static char top[] = "/tmp/tsk_test_git_XXXXXX";
static char repo[256], infra[512];
static char c1[41], c2[41]; /* commit ids: memory 128, then 256 */

static void sh(const char *fmt, ...) TSK_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    if (rc != 0)
        fail_msg("command failed (%d): %s", rc, cmd);
}

/* The first line of a command's output, without its newline. */
static void sh_out(char *out, size_t n, const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    out[0] = '\0';
    if (fgets(out, (int)n, p))
        out[strcspn(out, "\n")] = '\0';
    assert_int_equal(pclose(p), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static const char *cfg(int memory)
{
    static char buf[512];
    snprintf(buf, sizeof(buf),
             "[serverless_architecture]\n"
             "provider = \"local\"\n"
             "service = \"shop\"\n"
             "memory_size = %d\n"
             "[serverless_architecture.functions]\n"
             "api = { handler = \"Api::handle\" }\n",
             memory);
    return buf;
}

#define GIT "git -C '%s' -c user.name=t -c user.email=t@example.com "

/* repo: infra/main.tsk at c1 (memory 128) and c2 (256) on main; branch
 * "broken" with a syntax error at line 3; branch "later" adds app/. */
static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(top));
    snprintf(repo, sizeof(repo), "%s/repo", top);
    snprintf(infra, sizeof(infra), "%s/infra", repo);
    sh("mkdir -p '%s' && git init -q -b main '%s'", infra, repo);
    char path[600];
    snprintf(path, sizeof(path), "%s/main.tsk", infra);
    write_file(path, cfg(128));
    sh(GIT "add -A && " GIT "commit -q -m one", repo, repo);
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse HEAD", repo);
    sh_out(c1, sizeof(c1), cmd);
    write_file(path, cfg(256));
    sh(GIT "commit -q -am two", repo);
    sh_out(c2, sizeof(c2), cmd);
    sh(GIT "checkout -q -b broken", repo);
    write_file(path, "[serverless_architecture]\nprovider = \"local\"\n"
                     "memory_size = = 3\n");
    sh(GIT "commit -q -am broken && " GIT "checkout -q main", repo, repo);
    write_file(path, cfg(256));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sh("rm -rf '%s'", top);
    return 0;
}

static void test_info_outside_a_repository(void **state)
{
    (void)state;
    struct tsk_git_info gi = {(char *)"x", (char *)"y", 7};
    assert_int_equal(tsk_git_info(&gi, top), TSK_ENOTFOUND);
    assert_null(gi.commit);
    assert_null(gi.branch);
    assert_int_equal(gi.dirty, 0);
    tsk_git_info_release(&gi);
}

static void test_info_clean_and_dirty(void **state)
{
    (void)state;
    struct tsk_git_info gi;
    char path[600];
    assert_int_equal(tsk_git_info(&gi, infra), 0);
    assert_string_equal(gi.commit, c2);
    assert_string_equal(gi.branch, "main");
    assert_int_equal(gi.dirty, 0);
    tsk_git_info_release(&gi);

    /* untracked files that are not configuration: still clean */
    snprintf(path, sizeof(path), "%s/plan.out", infra);
    write_file(path, "x");
    sh("mkdir -p '%s/.tuskform' && echo x > '%s/.tuskform/state.db'", infra,
       infra);
    assert_int_equal(tsk_git_info(&gi, infra), 0);
    assert_int_equal(gi.dirty, 0);
    tsk_git_info_release(&gi);

    /* an untracked *.tsk in a new folder changes the configuration */
    sh("mkdir -p '%s/extra' && echo 'a = 1' > '%s/extra/more.tsk'", infra,
       infra);
    assert_int_equal(tsk_git_info(&gi, infra), 0);
    assert_int_equal(gi.dirty, 1);
    tsk_git_info_release(&gi);
    sh("rm -rf '%s/extra'", infra);

    /* a changed tracked file, then the same change staged */
    snprintf(path, sizeof(path), "%s/main.tsk", infra);
    write_file(path, cfg(512));
    assert_int_equal(tsk_git_info(&gi, infra), 0);
    assert_int_equal(gi.dirty, 1);
    tsk_git_info_release(&gi);
    sh(GIT "add infra/main.tsk", repo);
    assert_int_equal(tsk_git_info(&gi, repo), 0);
    assert_int_equal(gi.dirty, 1);
    tsk_git_info_release(&gi);

    sh(GIT "reset -q --hard && rm -rf '%s/.tuskform' '%s/plan.out'", repo,
       infra, infra);
    assert_int_equal(tsk_git_info(&gi, infra), 0);
    assert_int_equal(gi.dirty, 0);
    tsk_git_info_release(&gi);
}

static void test_info_detached_and_unborn(void **state)
{
    (void)state;
    struct tsk_git_info gi;
    sh(GIT "checkout -q --detach %s", repo, c1);
    int rc = tsk_git_info(&gi, infra);
    sh(GIT "checkout -q main", repo);
    assert_int_equal(rc, 0);
    assert_string_equal(gi.commit, c1);
    assert_null(gi.branch);
    assert_int_equal(gi.dirty, 0);
    tsk_git_info_release(&gi);

    char empty[600];
    snprintf(empty, sizeof(empty), "%s/empty", top);
    sh("git init -q '%s'", empty);
    assert_int_equal(tsk_git_info(&gi, empty), TSK_ENOTFOUND);
    assert_null(gi.commit);
}

/* memory_size of the document, or -1. */
static long doc_memory(const struct tsk_doc *doc)
{
    const struct tsk_value *v =
        tsk_doc_lookup(doc, "serverless_architecture.memory_size");
    return v && v->kind == TSK_V_INT ? (long)v->u.i : -1;
}

static void test_load_from_older_commit(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    char path[600];
    /* the work tree has an uncommitted change: it must not be read */
    snprintf(path, sizeof(path), "%s/main.tsk", infra);
    write_file(path, cfg(999));

    assert_int_equal(tsk_git_load_dir(&doc, infra, c1, &d), 0);
    assert_int_equal(d.nerr, 0);
    assert_int_equal(doc_memory(doc), 128);
    tsk_doc_free(doc);
    assert_int_equal(tsk_git_load_dir(&doc, infra, "HEAD", &d), 0);
    assert_int_equal(doc_memory(doc), 256);
    tsk_doc_free(doc);
    /* a relative folder and a revision expression */
    char cwd[600];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(repo), 0);
    assert_int_equal(tsk_git_load_dir(&doc, "infra", "main~1", &d), 0);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(doc_memory(doc), 128);
    tsk_doc_free(doc);

    /* the work tree was not touched: the edit is still there */
    struct tsk_buf b = TSK_BUF_INIT;
    assert_int_equal(tsk_read_file(path, &b), 0);
    assert_non_null(strstr(b.ptr, "memory_size = 999"));
    tsk_buf_release(&b);
    char head[64], cmd[700];
    snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse HEAD", repo);
    sh_out(head, sizeof(head), cmd);
    assert_string_equal(head, c2);
    sh(GIT "checkout -q -- infra/main.tsk", repo);
    tsk_diags_release(&d);
}

static void test_load_names_ref_and_path(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    assert_int_equal(tsk_git_load_dir(&doc, infra, "broken", &d), TSK_ERROR);
    assert_non_null(doc);
    assert_true(d.nerr >= 1);
    const struct tsk_diag *dg = &d.v.v[0];
    assert_non_null(dg->pos.src);
    assert_string_equal(dg->pos.src->name, "broken:infra/main.tsk");
    assert_int_equal(dg->pos.line, 3);
    assert_int_equal(dg->pos.col, 15);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    tsk_diags_print(&d, f, 0);
    fclose(f);
    assert_non_null(strstr(text, "broken:infra/main.tsk:3:15: error:"));
    free(text);
    tsk_diags_release(&d);
    tsk_doc_free(doc);
}

/* @file inside a configuration read from a commit reads the commit's
 * file, also through "..", and nothing outside the tree. */
static void test_file_function_reads_the_commit(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    char path[600];
    sh(GIT "checkout -q -b withfile", repo);
    snprintf(path, sizeof(path), "%s/NOTES.txt", repo);
    write_file(path, "from-commit");
    snprintf(path, sizeof(path), "%s/extra.tsk", infra);
    write_file(path, "note = @file(\"../NOTES.txt\")\n"
                     "same = @file(\"./sub/../main.tsk\")\n");
    sh(GIT "add -A && " GIT "commit -q -m withfile", repo, repo);
    snprintf(path, sizeof(path), "%s/NOTES.txt", repo);
    write_file(path, "from-work-tree");
    assert_int_equal(tsk_git_load_dir(&doc, infra, "withfile", &d), 0);
    const struct tsk_value *v = tsk_doc_lookup(doc, "note");
    assert_non_null(v);
    assert_string_equal(v->u.str.s, "from-commit");
    v = tsk_doc_lookup(doc, "same");
    assert_non_null(strstr(v->u.str.s, "memory_size = 256"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);

    /* above the top of the tree, or absolute: not in the commit */
    snprintf(path, sizeof(path), "%s/extra.tsk", infra);
    write_file(path, "a = @file(\"../../outside.txt\")\n"
                     "b = @file(\"/etc/hostname\")\n");
    sh(GIT "commit -q -am outside", repo);
    assert_int_equal(tsk_git_load_dir(&doc, infra, "withfile", &d), TSK_ERROR);
    assert_int_equal(d.nerr, 2);
    assert_non_null(strstr(d.v.v[0].summary, "cannot read"));
    assert_non_null(strstr(d.v.v[0].summary, "No such file"));
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    sh(GIT "checkout -q -f main && rm -f '%s/NOTES.txt' '%s/extra.tsk'", repo,
       repo, infra);
}

static void test_bad_revisions_and_folders(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    char other[600];

    assert_int_equal(tsk_git_load_dir(&doc, infra, "no-such-branch", &d),
                     TSK_ERROR);
    assert_non_null(doc); /* always set, as the loader's contract says */
    assert_int_equal(tsk_doc_root(doc)->n, 0);
    tsk_doc_free(doc);
    assert_int_equal(d.nerr, 1);
    assert_non_null(strstr(d.v.v[0].summary, "\"no-such-branch\" not found"));
    tsk_diags_release(&d);

    /* a blob is not a commit */
    assert_int_equal(tsk_git_load_dir(&doc, infra, "HEAD:infra/main.tsk", &d),
                     TSK_ERROR);
    assert_non_null(strstr(d.v.v[0].summary, "does not name a commit"));
    tsk_diags_release(&d);
    tsk_doc_free(doc);

    /* a folder with no configuration at that commit */
    snprintf(other, sizeof(other), "%s/app", repo);
    sh("mkdir -p '%s'", other);
    assert_int_equal(tsk_git_load_dir(&doc, other, "HEAD", &d), TSK_ERROR);
    assert_non_null(strstr(d.v.v[0].summary, "no *.tsk files in app at git "
                                             "revision \"HEAD\""));
    tsk_diags_release(&d);
    tsk_doc_free(doc);
    assert_int_equal(tsk_git_has_config(other, "HEAD", &d), 0);
    assert_int_equal(tsk_git_has_config(infra, "HEAD", &d), 1);
    assert_int_equal(tsk_git_has_config(infra, "nope", &d), TSK_ERROR);
    assert_int_equal(d.nerr, 1);
    tsk_diags_release(&d);
    sh("rmdir '%s'", other);

    /* not a repository at all */
    assert_int_equal(tsk_git_load_dir(&doc, top, "HEAD", &d), TSK_ERROR);
    assert_non_null(strstr(d.v.v[0].summary, "not inside a git repository"));
    tsk_diags_release(&d);
    tsk_doc_free(doc);
    assert_null(tsk_git_resolve(top, "HEAD", &d));
    assert_int_equal(d.nerr, 1);
    tsk_diags_release(&d);
}

static void test_resolve(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    char *id = tsk_git_resolve(infra, "main", &d);
    assert_non_null(id);
    assert_string_equal(id, c2);
    free(id);
    id = tsk_git_resolve(infra, "HEAD~1", &d);
    assert_string_equal(id, c1);
    free(id);
    char abbrev[13];
    memcpy(abbrev, c1, 12);
    abbrev[12] = '\0';
    id = tsk_git_resolve(repo, abbrev, &d);
    assert_string_equal(id, c1);
    free(id);
    assert_int_equal(d.nerr, 0);
    assert_null(tsk_git_resolve(infra, "HEAD~9", &d));
    assert_int_equal(d.nerr, 1);
    tsk_diags_release(&d);
}

static void test_ref_info(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    struct tsk_git_info gi;
    assert_int_equal(tsk_git_ref_info(&gi, infra, "broken", &d), 0);
    assert_string_equal(gi.branch, "broken");
    assert_int_equal(strlen(gi.commit), 40);
    assert_string_not_equal(gi.commit, c2);
    assert_int_equal(gi.dirty, 0);
    tsk_git_info_release(&gi);
    assert_int_equal(tsk_git_ref_info(&gi, infra, "main~1", &d), 0);
    assert_string_equal(gi.commit, c1);
    assert_null(gi.branch);
    tsk_git_info_release(&gi);
    assert_int_equal(d.nerr, 0);
    assert_int_equal(tsk_git_ref_info(&gi, infra, "nope", &d), TSK_ERROR);
    assert_null(gi.commit);
    assert_int_equal(d.nerr, 1);
    tsk_diags_release(&d);
}

/* A commit's digest equals the work tree's digest for the same files. */
static void test_digest_matches_work_tree(void **state)
{
    (void)state;
    struct tsk_diags d = {0};
    char at_head[65], at_c1[65], wt[65];
    assert_int_equal(tsk_git_digest_dir(infra, "HEAD", at_head, &d), 0);
    assert_int_equal(tsk_git_digest_dir(infra, c1, at_c1, &d), 0);
    assert_int_equal(tsk_config_digest(infra, wt, &d), 0);
    assert_int_equal(d.nerr, 0);
    assert_int_equal(strlen(at_head), 64);
    assert_string_equal(at_head, wt);
    assert_string_not_equal(at_c1, wt);
    assert_int_equal(tsk_git_digest_dir(infra, "nope", at_head, &d), TSK_ERROR);
    assert_string_equal(at_head, "");
    tsk_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info_outside_a_repository),
        cmocka_unit_test(test_info_clean_and_dirty),
        cmocka_unit_test(test_info_detached_and_unborn),
        cmocka_unit_test(test_load_from_older_commit),
        cmocka_unit_test(test_load_names_ref_and_path),
        cmocka_unit_test(test_file_function_reads_the_commit),
        cmocka_unit_test(test_bad_revisions_and_folders),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_ref_info),
        cmocka_unit_test(test_digest_matches_work_tree),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

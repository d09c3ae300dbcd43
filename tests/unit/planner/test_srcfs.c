/*
 * test_srcfs.c - source trees (planner/srcfs.h): the file system, and a
 * git commit's tree (tsk_git_srcfs_open) on a real repository made with
 * the git command. A configuration loaded from a commit resolves `source`
 * in that commit (also after the folder left the work tree), hashes the
 * commit's code, and gives the same code hash and the same AWS zip bytes
 * as a checkout of that commit, with the same source path; paths are the
 * process's own, mapped into the commit; symbolic links are followed
 * inside the tree only; a missing source is named REF:path.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <sys/stat.h>
#include <unistd.h>

#include "planner/config.h"
#include "planner/git.h"
#include "planner/srcfs.h"
#include "providers/aws/aws_provider.h"

static char top[] = "/tmp/tsk_test_srcfs_XXXXXX";
static char repo[256], infra[512];
static char c1[41], c2[41]; /* the code, then the code with a new handler */

static void sh(const char *fmt, ...) TSK_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    if (rc != 0)
        fail_msg("command failed (%d): %s", rc, cmd);
}

static void rev_parse(char out[41], const char *rev)
{
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse '%s'", repo, rev);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    out[0] = '\0';
    assert_non_null(fgets(out, 41, p));
    assert_int_equal(pclose(p), 0);
}

static void write_at(const char *rel, const char *text)
{
    char path[700];
    snprintf(path, sizeof(path), "%s/%s", repo, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

#define GIT "git -C '%s' -c user.name=t -c user.email=t@example.com "

static const char main_tsk[] =
    "[serverless_architecture]\n"
    "provider = \"local\"\n"
    "service = \"shop\"\n"
    "runtime = \"php:8.4\"\n"
    "[serverless_architecture.functions]\n"
    "api = { handler = \"Api::handle\", source = \"src/api\" }\n"
    "bundle = { handler = \"B::run\", source = \"../pkg/bundle.zip\" }\n";

/*
 * infra/main.tsk with functions api (folder infra/src/api: a handler, a
 * nested file, an executable, a hidden file, a link to the handler, links
 * that leave the tree or loop) and bundle (pkg/bundle.zip). c1: that; c2:
 * the handler changed. Branch "gone" names a source that is not there.
 * The work tree then loses src/ and pkg/.
 */
static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(top));
    snprintf(repo, sizeof(repo), "%s/repo", top);
    snprintf(infra, sizeof(infra), "%s/infra", repo);
    sh("mkdir -p '%s/src/api/lib' '%s/pkg' && git init -q -b main '%s'", infra,
       repo, repo);
    write_at("infra/main.tsk", main_tsk);
    write_at("infra/src/api/handler.php", "<?php echo 'v1';\n");
    write_at("infra/src/api/lib/util.php", "<?php function u() {}\n");
    write_at("infra/src/api/run.sh", "#!/bin/sh\nexit 0\n");
    write_at("infra/src/api/.hidden", "not code\n");
    write_at("pkg/bundle.zip", "PK\005\006 not really a zip\n");
    sh("chmod 755 '%s/src/api/run.sh' && cd '%s/src/api' && "
       "ln -s handler.php link.php && ln -s lib liblink",
       infra, infra);
    sh(GIT "add -A && " GIT "commit -q -m one", repo, repo);
    rev_parse(c1, "HEAD");
    write_at("infra/src/api/handler.php", "<?php echo 'v2';\n");
    sh(GIT "commit -q -am two", repo);
    rev_parse(c2, "HEAD");
    /* links that the tree cannot follow, on a branch of their own */
    sh(GIT
       "checkout -q -b links && cd '%s/src' && ln -s /etc abs && "
       "ln -s ../../.. above && ln -s loop2 loop1 && ln -s loop1 loop2 && " GIT
       "add -A && " GIT "commit -q -m links && " GIT "checkout -q main",
       repo, infra, repo, repo, repo);
    sh(GIT "checkout -q -b gone && sed -i 's|src/api|src/gone|' "
           "'%s/main.tsk' && " GIT "commit -q -am gone && " GIT
           "checkout -q main",
       repo, infra, repo, repo);
    sh("rm -rf '%s/src' '%s/pkg'", infra, repo);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sh("rm -rf '%s'", top);
    return 0;
}

static void test_disk(void **state)
{
    (void)state;
    struct tsk_srcfs_stat st;
    struct tsk_srcfs_names names = {0};
    struct tsk_buf b = TSK_BUF_INIT;
    char dir[600], path[700];
    snprintf(dir, sizeof(dir), "%s/disk", top);
    sh("mkdir -p '%s/sub' && printf 'abc' > '%s/b.txt' && "
       "printf x > '%s/a.sh' && chmod 755 '%s/a.sh'",
       dir, dir, dir, dir);

    assert_int_equal(tsk_srcfs_stat(NULL, dir, &st), 0);
    assert_int_equal(st.type, TSK_SRCFS_DIR);
    snprintf(path, sizeof(path), "%s/a.sh", dir);
    assert_int_equal(tsk_srcfs_stat(&tsk_srcfs_disk, path, &st), 0);
    assert_int_equal(st.type, TSK_SRCFS_FILE);
    assert_int_equal(st.exec, 1);
    snprintf(path, sizeof(path), "%s/nope", dir);
    assert_int_equal(tsk_srcfs_stat(NULL, path, &st), TSK_ENOTFOUND);
    assert_int_equal(errno, ENOENT);

    assert_int_equal(tsk_srcfs_list(NULL, dir, &names), 0);
    assert_int_equal(names.v.n, 3); /* sorted, no "." and ".." */
    assert_string_equal(names.v.v[0], "a.sh");
    assert_string_equal(names.v.v[1], "b.txt");
    assert_string_equal(names.v.v[2], "sub");
    assert_int_not_equal(tsk_srcfs_list(NULL, path, &names), 0);
    assert_int_equal(names.v.n, 0);

    snprintf(path, sizeof(path), "%s/b.txt", dir);
    tsk_buf_adds(&b, "stale");
    assert_int_equal(tsk_srcfs_read(NULL, path, &b), 0);
    assert_string_equal(b.ptr, "abc");
    char *t = tsk_srcfs_path_of(NULL, "x/main.tsk");
    assert_string_equal(t, "x/main.tsk");
    free(t);
    t = tsk_srcfs_display(&tsk_srcfs_disk, "x/src");
    assert_string_equal(t, "x/src");
    free(t);
    tsk_buf_release(&b);
    tsk_srcfs_names_release(&names);
    tsk_srcfs_release(NULL); /* harmless */
}

static void test_git_tree(void **state)
{
    (void)state;
    struct tsk_srcfs fs;
    struct tsk_srcfs_stat st;
    struct tsk_srcfs_names names = {0};
    struct tsk_buf b = TSK_BUF_INIT;
    struct tsk_diags d = {0};
    char name[128], want_path[600], cwd[512];

    /* paths as the process sees them: relative to the current folder */
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(repo), 0);
    assert_int_equal(tsk_git_srcfs_open(&fs, infra, c1, &d), 0);
    snprintf(name, sizeof(name), "%s:infra/main.tsk", c1);
    char *t = tsk_srcfs_path_of(&fs, name); /* as tsk_doc_load_dir names it */
    snprintf(want_path, sizeof(want_path), "%s/main.tsk", infra);
    assert_string_equal(t, want_path);
    free(t);
    t = tsk_srcfs_display(&fs, "infra/./src/x");
    snprintf(name, sizeof(name), "%s:infra/src/x", c1);
    assert_string_equal(t, name);
    free(t);
    t = tsk_srcfs_display(&fs, want_path);
    snprintf(name, sizeof(name), "%s:infra/main.tsk", c1);
    assert_string_equal(t, name);
    free(t);

    assert_int_equal(tsk_srcfs_stat(&fs, ".", &st), 0);
    assert_int_equal(st.type, TSK_SRCFS_DIR);
    assert_int_equal(tsk_srcfs_stat(&fs, "../repo/infra/src", &st), 0);
    assert_int_equal(st.type, TSK_SRCFS_DIR);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/../infra/src/api", &st), 0);
    assert_int_equal(st.type, TSK_SRCFS_DIR);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/api/run.sh", &st), 0);
    assert_int_equal(st.type, TSK_SRCFS_FILE);
    assert_int_equal(st.exec, 1);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/api/handler.php", &st), 0);
    assert_int_equal(st.exec, 0);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/api/link.php", &st), 0);
    assert_int_equal(st.type, TSK_SRCFS_FILE);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/api/liblink/util.php", &st),
                     0);
    assert_int_equal(st.type, TSK_SRCFS_FILE);
    /* what a commit does not have, whatever the disk has */
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/nope", &st), TSK_ENOTFOUND);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(tsk_srcfs_stat(&fs, "/etc", &st), TSK_ENOTFOUND);
    assert_int_equal(tsk_srcfs_stat(&fs, "../elsewhere", &st), TSK_ENOTFOUND);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/main.tsk/x", &st),
                     TSK_ENOTFOUND);

    assert_int_equal(tsk_srcfs_list(&fs, "infra/src/api", &names), 0);
    const char *want[] = {".hidden", "handler.php", "lib",
                          "liblink", "link.php",    "run.sh"};
    assert_int_equal(names.v.n, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(names.v.v[i], want[i]);
    assert_int_equal(tsk_srcfs_list(&fs, "infra/src/api/liblink", &names), 0);
    assert_int_equal(names.v.n, 1);
    assert_string_equal(names.v.v[0], "util.php");
    assert_int_not_equal(tsk_srcfs_list(&fs, "infra/main.tsk", &names), 0);
    assert_int_equal(errno, ENOTDIR);
    assert_int_not_equal(tsk_srcfs_list(&fs, "nope", &names), 0);

    assert_int_equal(tsk_srcfs_read(&fs, "infra/src/api/handler.php", &b), 0);
    assert_string_equal(b.ptr, "<?php echo 'v1';\n");
    assert_int_equal(tsk_srcfs_read(&fs, "infra/src/api/link.php", &b), 0);
    assert_string_equal(b.ptr, "<?php echo 'v1';\n");
    assert_int_not_equal(tsk_srcfs_read(&fs, "infra/src", &b), 0);
    assert_int_equal(errno, EISDIR);
    assert_int_not_equal(tsk_srcfs_read(&fs, "infra/src/nope", &b), 0);
    tsk_srcfs_release(&fs);
    assert_null(fs.ctx);

    /* the second commit has the new handler */
    assert_int_equal(tsk_git_srcfs_open(&fs, infra, c2, &d), 0);
    assert_int_equal(tsk_srcfs_read(&fs, "infra/src/api/handler.php", &b), 0);
    assert_string_equal(b.ptr, "<?php echo 'v2';\n");
    tsk_srcfs_release(&fs);
    assert_int_equal(d.nerr, 0);

    /* a bad revision is an error, and leaves nothing to release */
    assert_int_equal(tsk_git_srcfs_open(&fs, infra, "no-such-ref", &d),
                     TSK_ERROR);
    assert_int_equal(d.nerr, 1);
    assert_null(fs.ctx);
    tsk_srcfs_release(&fs);
    assert_int_equal(chdir(cwd), 0);
    tsk_buf_release(&b);
    tsk_srcfs_names_release(&names);
    tsk_diags_release(&d);
}

static void test_links_stay_in_the_tree(void **state)
{
    (void)state;
    struct tsk_srcfs fs;
    struct tsk_srcfs_stat st;
    struct tsk_diags d = {0};
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(repo), 0);
    assert_int_equal(tsk_git_srcfs_open(&fs, infra, "links", &d), 0);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/abs", &st), TSK_ENOTFOUND);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/abs/passwd", &st),
                     TSK_ENOTFOUND);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/above", &st),
                     TSK_ENOTFOUND);
    assert_int_equal(tsk_srcfs_stat(&fs, "infra/src/loop1", &st),
                     TSK_ENOTFOUND);
    assert_int_equal(errno, ELOOP);
    tsk_srcfs_release(&fs);
    tsk_diags_release(&d);
    assert_int_equal(chdir(cwd), 0);
}

static const cJSON *fn_attr(const struct tsk_config *c, const char *fn,
                            const char *key)
{
    char addr[64];
    snprintf(addr, sizeof(addr), "local_function.%s", fn);
    uint32_t i = tsk_graph_find(&c->graph, addr);
    assert_true(i != UINT32_MAX);
    return cJSON_GetObjectItemCaseSensitive(c->graph.nodes.v[i].attrs, key);
}

/* Loads infra at ref (NULL: the work tree); returns the api's hash. */
static char *load_hash(const char *ref, struct tsk_config **c)
{
    struct tsk_diags d = {0};
    struct tsk_config_opts co = {.git_ref = ref};
    int rc = tsk_config_load(c, infra, &co, &d);
    if (rc != 0 || d.nerr)
        tsk_diags_print(&d, stderr, 0);
    assert_int_equal(rc, 0);
    assert_int_equal(d.nerr, 0);
    tsk_diags_release(&d);
    const cJSON *h = fn_attr(*c, "api", "source_code_hash");
    assert_true(cJSON_IsString(h));
    assert_int_equal(strlen(h->valuestring), 64);
    assert_non_null(fn_attr(*c, "bundle", "source_code_hash"));
    return tsk_xstrdup(h->valuestring);
}

static void test_config_from_commits(void **state)
{
    (void)state;
    struct tsk_config *c = NULL;
    struct stat sb;
    char path[600];
    snprintf(path, sizeof(path), "%s/src", infra);
    assert_int_not_equal(stat(path, &sb), 0); /* not in the work tree */

    char *h1 = load_hash(c1, &c);
    const struct tsk_model_function *f =
        tsk_model_find_function(c->model, "api");
    assert_non_null(f);
    snprintf(path, sizeof(path), "%s/src/api", infra);
    assert_string_equal(f->source_path, path); /* as for the work tree */
    snprintf(path, sizeof(path), "%s/src", infra);
    assert_ptr_equal(c->model->srcfs, &c->srcfs);
    tsk_config_free(c);
    char *h2 = load_hash(c2, &c);
    tsk_config_free(c);
    assert_string_not_equal(h1, h2); /* only the handler changed */

    /* the work tree is not needed, and was not touched */
    assert_int_not_equal(stat(path, &sb), 0);

    /* a checkout of c1 hashes to the same as c1's tree, and zips to the
     * same bytes (the link and the executable included) */
    sh(GIT "checkout -q %s -- infra/src pkg", repo, c1);
    char *hw = load_hash(NULL, &c);
    assert_null(c->model->srcfs);
    tsk_config_free(c);
    assert_string_equal(hw, h1);

    struct tsk_srcfs fs;
    struct tsk_buf zg = TSK_BUF_INIT, zw = TSK_BUF_INIT;
    struct tsk_diags d = {0};
    char api[700], zip[700];
    snprintf(api, sizeof(api), "%s/src/api", infra);
    snprintf(zip, sizeof(zip), "%s/pkg/bundle.zip", repo);
    assert_int_equal(tsk_git_srcfs_open(&fs, infra, c1, &d), 0);
    assert_int_equal(tsk_aws_zip_source_in(&fs, api, &zg, &d), 0);
    assert_int_equal(tsk_aws_zip_source(api, &zw, &d), 0);
    assert_true(zg.len > 0);
    assert_int_equal(zg.len, zw.len);
    assert_memory_equal(zg.ptr, zw.ptr, zg.len);
    /* a .zip is taken as it is */
    assert_int_equal(tsk_aws_zip_source_in(&fs, zip, &zg, &d), 0);
    assert_string_equal(zg.ptr, "PK\005\006 not really a zip\n");
    /* and what is not there is named with the revision */
    snprintf(zip, sizeof(zip), "%s/nope", infra);
    assert_int_not_equal(tsk_aws_zip_source_in(&fs, zip, &zg, &d), 0);
    assert_non_null(strstr(d.v.v[0].summary, c1));
    assert_non_null(strstr(d.v.v[0].summary, ":infra/nope"));
    tsk_srcfs_release(&fs);
    tsk_diags_release(&d);
    tsk_buf_release(&zg);
    tsk_buf_release(&zw);

    sh("rm -rf '%s/src' '%s/pkg' && " GIT "reset -q", infra, repo, repo);
    free(h1);
    free(h2);
    free(hw);
}

static void test_missing_source_names_the_commit(void **state)
{
    (void)state;
    struct tsk_config *c = NULL;
    struct tsk_diags d = {0};
    struct tsk_config_opts co = {.git_ref = "gone"};
    assert_int_equal(tsk_config_load(&c, infra, &co, &d), TSK_ERROR);
    assert_int_equal(d.nerr, 1);
    const struct tsk_diag *dg = &d.v.v[0];
    assert_string_equal(dg->summary, "source \"src/gone\" does not exist");
    assert_non_null(dg->detail);
    assert_string_equal(dg->detail,
                        "looked for gone:infra/src/gone (relative to the "
                        "file)");
    assert_non_null(dg->pos.src);
    assert_string_equal(dg->pos.src->name, "gone:infra/main.tsk");
    assert_int_equal(dg->pos.line, 6);
    tsk_config_free(c);
    tsk_diags_release(&d);

    /* the work tree has no src/ either: the plain error, as before */
    assert_int_equal(tsk_config_load(&c, infra, NULL, &d), TSK_ERROR);
    assert_true(d.nerr >= 1);
    assert_string_equal(d.v.v[0].summary, "source \"src/api\" does not exist");
    assert_non_null(strstr(d.v.v[0].detail, "infra/src/api (relative"));
    assert_null(strstr(d.v.v[0].detail, ":infra"));
    tsk_config_free(c);
    tsk_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disk),
        cmocka_unit_test(test_git_tree),
        cmocka_unit_test(test_links_stay_in_the_tree),
        cmocka_unit_test(test_config_from_commits),
        cmocka_unit_test(test_missing_source_names_the_commit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

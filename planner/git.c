/* git.c - commit info and configuration read from a commit's tree. */
#include "git.h"
#include "git_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <openssl/evp.h>

static void git_init_once(void)
{
    static int done;
    if (!done) { /* libgit2 counts inits; one for the process is enough */
        git_libgit2_init();
        done = 1;
    }
}

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

static int open_repo(git_repository **repo, const char *dir)
{
    git_init_once();
    return git_repository_open_ext(repo, dir, 0, NULL);
}

/* Whether path names a configuration file (*.tsk). */
static int is_tsk_path(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 4 && strcmp(path + n - 4, ".tsk") == 0;
}

/*
 * Changes to tracked files (index or work tree) make the tree dirty, and so
 * does an untracked *.tsk file: it changes the configuration without being
 * in the commit. Other untracked files (.tuskform/, plan files, build
 * output) do not, or every run after the first would be dirty.
 */
static int is_dirty(git_repository *repo)
{
    git_status_options so;
    git_status_list *list = NULL;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES |
               GIT_STATUS_OPT_INCLUDE_UNTRACKED |
               GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
    if (git_status_list_new(&list, repo, &so) < 0)
        return 1; /* cannot tell: say dirty, the cautious answer */
    int dirty = 0;
    size_t n = git_status_list_entrycount(list);
    for (size_t i = 0; i < n && !dirty; i++) {
        const git_status_entry *e = git_status_byindex(list, i);
        if (e->status != GIT_STATUS_WT_NEW)
            dirty = 1;
        else if (e->index_to_workdir &&
                 is_tsk_path(e->index_to_workdir->new_file.path))
            dirty = 1;
    }
    git_status_list_free(list);
    return dirty;
}

int tsk_git_info(struct tsk_git_info *info, const char *dir)
{
    git_repository *repo = NULL;
    git_reference *head = NULL;
    git_oid oid;
    char hex[GIT_OID_HEXSZ + 1];

    memset(info, 0, sizeof(*info));
    if (open_repo(&repo, dir) < 0)
        return TSK_ENOTFOUND;
    if (git_repository_head(&head, repo) < 0) { /* unborn branch */
        git_repository_free(repo);
        return TSK_ENOTFOUND;
    }
    if (git_reference_name_to_id(&oid, repo, "HEAD") == 0) {
        git_oid_tostr(hex, sizeof(hex), &oid);
        info->commit = tsk_xstrdup(hex);
    }
    if (git_reference_is_branch(head))
        info->branch = tsk_xstrdup(git_reference_shorthand(head));
    info->dirty = is_dirty(repo);
    git_reference_free(head);
    git_repository_free(repo);
    return TSK_OK;
}

void tsk_git_info_release(struct tsk_git_info *info)
{
    free(info->commit);
    free(info->branch);
    memset(info, 0, sizeof(*info));
}

/* The path of dir inside the work tree ("" for the top), or NULL. */
static char *repo_relative(git_repository *repo, const char *dir)
{
    char real[PATH_MAX];
    const char *wd = git_repository_workdir(repo);
    if (!wd || !realpath(dir, real))
        return NULL;
    char top[PATH_MAX];
    if (!realpath(wd, top))
        return NULL;
    size_t n = strlen(top);
    if (strncmp(real, top, n) != 0 || (real[n] != '/' && real[n] != '\0'))
        return NULL;
    return tsk_xstrdup(real[n] == '/' ? real + n + 1 : "");
}

/*
 * A path inside the tree without "." and ".." steps ("infra/../x" is "x"),
 * or NULL when it is absolute or climbs above the top: a commit has nothing
 * there. Caller frees.
 */
char *tsk_git__tree_path(const char *path)
{
    if (path[0] == '/')
        return NULL;
    char *out = tsk_xmalloc(strlen(path) + 1);
    size_t n = 0;
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (n == 0) {
                free(out);
                return NULL;
            }
            while (n > 0 && out[n - 1] != '/')
                n--;
            n = n > 0 ? n - 1 : 0; /* drop the step and its slash */
        } else if (len > 0 && !(len == 1 && p[0] == '.')) {
            if (n > 0)
                out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p += len + (p[len] == '/');
    }
    out[n] = '\0';
    return out;
}

/* read_file for the loader (git_int.h). */
int tsk_git__read_blob(void *vctx, const char *path, struct tsk_buf *out)
{
    struct tsk_git__blobs *c = vctx;
    git_tree_entry *e = NULL;
    git_blob *blob = NULL;
    char *p = tsk_git__tree_path(path);
    errno = ENOENT;
    if (!p || !*p || git_tree_entry_bypath(&e, c->tree, p) < 0) {
        free(p);
        return TSK_ENOTFOUND;
    }
    free(p);
    int rc = TSK_EIO;
    if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
        git_blob_lookup(&blob, c->repo, git_tree_entry_id(e)) == 0) {
        tsk_buf_add(out, git_blob_rawcontent(blob),
                    (size_t)git_blob_rawsize(blob));
        rc = TSK_OK;
    }
    git_blob_free(blob);
    git_tree_entry_free(e);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct strvec {
    char **v;
    size_t n, alloc;
};

/* The *.tsk blobs of folder rel in tree, sorted by name (caller frees). */
static int list_tsk(git_tree *tree, const char *rel, struct strvec *out)
{
    git_tree *sub = NULL;
    git_tree_entry *e = NULL;
    git_tree *t = tree;
    if (*rel) {
        if (git_tree_entry_bypath(&e, tree, rel) < 0 ||
            git_tree_entry_type(e) != GIT_OBJECT_TREE ||
            git_tree_lookup(&sub, git_tree_owner(tree), git_tree_entry_id(e)) <
                0) {
            git_tree_entry_free(e);
            return TSK_ENOTFOUND;
        }
        git_tree_entry_free(e);
        t = sub;
    }
    for (size_t i = 0; i < git_tree_entrycount(t); i++) {
        const git_tree_entry *te = git_tree_entry_byindex(t, i);
        const char *name = git_tree_entry_name(te);
        size_t len = strlen(name);
        if (git_tree_entry_type(te) != GIT_OBJECT_BLOB || len < 5 ||
            strcmp(name + len - 4, ".tsk") != 0)
            continue;
        *TSK_ARRAY_PUSH(*out) =
            *rel ? tsk_xasprintf("%s/%s", rel, name) : tsk_xstrdup(name);
    }
    if (out->n > 1) /* qsort(NULL, 0, ...) is undefined */
        qsort(out->v, out->n, sizeof(char *), cmp_str);
    git_tree_free(sub);
    return TSK_OK;
}

static int peel_commit(git_commit **commit, git_repository *repo,
                       const char *ref, struct tsk_diags *d)
{
    git_object *obj = NULL;
    if (git_revparse_single(&obj, repo, ref) < 0)
        return tsk_diag_error(d, NULL, "git revision \"%s\" not found: %s", ref,
                              git_msg());
    int rc = git_object_peel((git_object **)commit, obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc < 0)
        return tsk_diag_error(
            d, NULL, "git revision \"%s\" does not name a commit", ref);
    return TSK_OK;
}

char *tsk_git_resolve(const char *dir, const char *ref, struct tsk_diags *d)
{
    git_repository *repo = NULL;
    git_commit *commit = NULL;
    char hex[GIT_OID_HEXSZ + 1];
    if (open_repo(&repo, dir) < 0) {
        tsk_diag_error(d, NULL, "%s is not inside a git repository", dir);
        return NULL;
    }
    char *out = NULL;
    if (peel_commit(&commit, repo, ref, d) == 0) {
        git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
        out = tsk_xstrdup(hex);
    }
    git_commit_free(commit);
    git_repository_free(repo);
    return out;
}

void tsk_git__tree_close(struct tsk_git__tree *g)
{
    free(g->rel);
    git_tree_free(g->tree);
    git_commit_free(g->commit);
    git_repository_free(g->repo);
    memset(g, 0, sizeof(*g));
}

int tsk_git__tree_open(struct tsk_git__tree *g, const char *dir,
                       const char *ref, struct tsk_diags *d)
{
    memset(g, 0, sizeof(*g));
    if (open_repo(&g->repo, dir) < 0)
        return tsk_diag_error(d, NULL,
                              "git revision \"%s\": %s is not inside a "
                              "git repository",
                              ref, dir);
    if (!(g->rel = repo_relative(g->repo, dir))) {
        tsk_diag_error(d, NULL,
                       "git revision \"%s\": %s is outside the "
                       "work tree of its repository",
                       ref, dir);
        goto fail;
    }
    if (peel_commit(&g->commit, g->repo, ref, d) < 0)
        goto fail;
    if (git_commit_tree(&g->tree, g->commit) < 0) {
        tsk_diag_error(d, NULL, "git revision \"%s\": %s", ref, git_msg());
        goto fail;
    }
    return TSK_OK;
fail:
    tsk_git__tree_close(g);
    return TSK_ERROR;
}

/* The *.tsk paths of the folder at that commit; an error when none. */
static int gtree_list(struct tsk_git__tree *g, const char *ref,
                      struct strvec *files, struct tsk_diags *d)
{
    if (list_tsk(g->tree, g->rel, files) < 0 || files->n == 0)
        return tsk_diag_error(d, NULL,
                              "no *.tsk files in %s at git revision "
                              "\"%s\"",
                              *g->rel ? g->rel : "the repository's top folder",
                              ref);
    return TSK_OK;
}

static void strvec_release(struct strvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    TSK_ARRAY_FREE(*v);
}

int tsk_git_load_dir(struct tsk_doc **out, const char *dir, const char *ref,
                     struct tsk_diags *d)
{
    struct tsk_git__tree g;
    struct strvec files = {0};

    *out = NULL;
    int rc = tsk_git__tree_open(&g, dir, ref, d);
    if (rc == 0)
        rc = gtree_list(&g, ref, &files, d);
    if (rc != 0) {
        struct tsk_diags none = {0}; /* an empty document: nothing to say */
        tsk_doc_load_files(out, NULL, 0, NULL, &none);
        tsk_diags_release(&none);
    } else {
        struct tsk_git__blobs ctx = {g.repo, g.tree};
        char *prefix = tsk_xasprintf("%s:", ref);
        struct tsk_load_opts lo = {.read_file = tsk_git__read_blob,
                                   .ctx = &ctx,
                                   .display_prefix = prefix};
        rc = tsk_doc_load_files(out, (const char *const *)files.v, files.n, &lo,
                                d);
        free(prefix);
    }
    strvec_release(&files);
    tsk_git__tree_close(&g);
    return rc ? TSK_ERROR : 0;
}

int tsk_git_has_config(const char *dir, const char *ref, struct tsk_diags *d)
{
    struct tsk_git__tree g;
    struct strvec files = {0};
    if (tsk_git__tree_open(&g, dir, ref, d) < 0)
        return TSK_ERROR;
    int has = list_tsk(g.tree, g.rel, &files) == 0 && files.n > 0;
    strvec_release(&files);
    tsk_git__tree_close(&g);
    return has;
}

int tsk_git_ref_info(struct tsk_git_info *info, const char *dir,
                     const char *ref, struct tsk_diags *d)
{
    git_repository *repo = NULL;
    git_reference *br = NULL;
    memset(info, 0, sizeof(*info));
    if (!(info->commit = tsk_git_resolve(dir, ref, d)))
        return TSK_ERROR;
    if (open_repo(&repo, dir) == 0 &&
        git_branch_lookup(&br, repo, ref, GIT_BRANCH_LOCAL) == 0)
        info->branch = tsk_xstrdup(git_reference_shorthand(br));
    git_reference_free(br);
    git_repository_free(repo);
    return TSK_OK;
}

/* Feeds one file to the digest as tsk_config_digest does: base name, NUL,
 * decimal length, NUL, contents. */
static void digest_file(EVP_MD_CTX *md, const char *path,
                        const struct tsk_buf *text)
{
    const char *base = strrchr(path, '/');
    char num[32];
    base = base ? base + 1 : path;
    int nl = snprintf(num, sizeof(num), "%zu", text->len);
    EVP_DigestUpdate(md, base, strlen(base) + 1);
    EVP_DigestUpdate(md, num, (size_t)nl + 1);
    EVP_DigestUpdate(md, text->ptr, text->len);
}

int tsk_git_digest_dir(const char *dir, const char *ref, char out[65],
                       struct tsk_diags *d)
{
    struct tsk_git__tree g;
    struct strvec files = {0};
    struct tsk_buf text = TSK_BUF_INIT;
    unsigned char sum[EVP_MAX_MD_SIZE];
    unsigned len = 0;

    out[0] = '\0';
    if (tsk_git__tree_open(&g, dir, ref, d) < 0)
        return TSK_ERROR;
    int rc = gtree_list(&g, ref, &files, d);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md)
        abort();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    struct tsk_git__blobs ctx = {g.repo, g.tree};
    for (size_t i = 0; rc == 0 && i < files.n; i++) {
        const char *base = strrchr(files.v[i], '/');
        if ((base ? base + 1 : files.v[i])[0] == '.')
            continue; /* the digest skips hidden files, as config.c does */
        tsk_buf_reset(&text);
        if (tsk_git__read_blob(&ctx, files.v[i], &text) != 0)
            rc = tsk_diag_error(d, NULL, "git revision \"%s\": cannot read %s",
                                ref, files.v[i]);
        else
            digest_file(md, files.v[i], &text);
    }
    EVP_DigestFinal_ex(md, sum, &len);
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; rc == 0 && i < len && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", sum[i]);
    tsk_buf_release(&text);
    strvec_release(&files);
    tsk_git__tree_close(&g);
    return rc;
}

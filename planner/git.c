/* git.c - commit info and configuration read from a commit's tree. */
#include "git.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

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

static int is_dirty(git_repository *repo)
{
    git_status_options so;
    git_status_list *list = NULL;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    if (git_status_list_new(&list, repo, &so) < 0)
        return 1; /* cannot tell: say dirty, the cautious answer */
    int dirty = git_status_list_entrycount(list) > 0;
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

struct tree_ctx {
    git_repository *repo;
    git_tree *tree;
};

/* read_file for the loader: a blob of the commit's tree by its path. */
static int read_blob(void *vctx, const char *path, struct tsk_buf *out)
{
    struct tree_ctx *c = vctx;
    git_tree_entry *e = NULL;
    git_blob *blob = NULL;
    const char *p = path;
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    if (git_tree_entry_bypath(&e, c->tree, p) < 0)
        return TSK_ENOTFOUND;
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

/* The *.tsk blobs of folder rel in tree, sorted by name (caller frees). */
struct strvec {
    char **v;
    size_t n, alloc;
};

static int list_tsk(git_tree *tree, const char *rel, struct strvec *out)
{
    git_tree *sub = NULL;
    git_tree_entry *e = NULL;
    git_tree *t = tree;
    if (*rel) {
        if (git_tree_entry_bypath(&e, tree, rel) < 0 ||
            git_tree_entry_type(e) != GIT_OBJECT_TREE ||
            git_tree_lookup(&sub, git_tree_owner(tree),
                            git_tree_entry_id(e)) < 0) {
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
    qsort(out->v, out->n, sizeof(char *), cmp_str);
    git_tree_free(sub);
    return TSK_OK;
}

static int peel_commit(git_commit **commit, git_repository *repo,
                       const char *ref, struct tsk_diags *d)
{
    git_object *obj = NULL;
    if (git_revparse_single(&obj, repo, ref) < 0)
        return tsk_diag_error(d, NULL, "-git-ref=%s: no such revision in "
                              "the repository: %s", ref, git_msg());
    int rc = git_object_peel((git_object **)commit, obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc < 0)
        return tsk_diag_error(d, NULL, "-git-ref=%s does not name a commit",
                              ref);
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

int tsk_git_load_dir(struct tsk_doc **out, const char *dir, const char *ref,
                     struct tsk_diags *d)
{
    git_repository *repo = NULL;
    git_commit *commit = NULL;
    struct tree_ctx ctx = {0};
    struct strvec files = {0};
    char *rel = NULL, *prefix = NULL;
    int rc = TSK_ERROR;

    *out = NULL;
    if (open_repo(&repo, dir) < 0)
        return tsk_diag_error(d, NULL, "-git-ref=%s: %s is not inside a git "
                              "repository", ref, dir);
    if (!(rel = repo_relative(repo, dir))) {
        tsk_diag_error(d, NULL, "-git-ref=%s: %s is outside the work tree of "
                       "its repository", ref, dir);
        goto done;
    }
    if (peel_commit(&commit, repo, ref, d) < 0)
        goto done;
    ctx.repo = repo;
    if (git_commit_tree(&ctx.tree, commit) < 0) {
        tsk_diag_error(d, NULL, "-git-ref=%s: %s", ref, git_msg());
        goto done;
    }
    if (list_tsk(ctx.tree, rel, &files) < 0 || files.n == 0) {
        tsk_diag_error(d, NULL, "-git-ref=%s: no *.tsk files in %s at that "
                       "commit", ref, *rel ? rel : "the repository's top "
                       "folder");
        goto done;
    }
    prefix = tsk_xasprintf("%s:", ref);
    struct tsk_load_opts lo = {.read_file = read_blob, .ctx = &ctx,
                               .display_prefix = prefix};
    rc = tsk_doc_load_files(out, (const char *const *)files.v, files.n, &lo,
                            d);
done:
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    TSK_ARRAY_FREE(files);
    free(rel);
    free(prefix);
    git_tree_free(ctx.tree);
    git_commit_free(commit);
    git_repository_free(repo);
    return rc;
}

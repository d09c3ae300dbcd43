/*
 * git_srcfs.c - the tree of a git commit as a source tree (srcfs.h,
 * tsk_git_srcfs_open in git.h): the function sources -git-ref and `diff`
 * hash and package, read from the commit without touching the work tree.
 */
#include "planner/git.h"
#include "planner/git_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct git_srcfs {
    struct tsk_git__tree g;
    struct tsk_git__blobs t;
    char *prefix; /* "REF:" */
    char *dir;    /* the configuration's folder as given */
    char *top;    /* real path of the work tree's top (no trailing '/') */
    char *cwd;    /* real path of the current folder when opened */
};

/*
 * The path in the commit's tree of a path as the process sees it: made
 * absolute against the current folder, "." and ".." resolved, then taken
 * relative to the work tree's top ("" for the top). NULL when it lies
 * outside the repository. Caller frees.
 */
static char *to_tree(const struct git_srcfs *s, const char *path)
{
    char *abs = path[0] == '/' ? tsk_xstrdup(path)
                               : tsk_xasprintf("%s/%s", s->cwd, path);
    char *norm = tsk_git__tree_path(abs + 1); /* without the leading '/' */
    const char *top = s->top + 1;
    size_t n = strlen(top);
    char *out = NULL;
    free(abs);
    if (!norm)
        return NULL;
    if (n == 0)
        out = tsk_xstrdup(norm);
    else if (strncmp(norm, top, n) == 0 && (norm[n] == '/' || !norm[n]))
        out = tsk_xstrdup(norm[n] ? norm + n + 1 : "");
    free(norm);
    return out;
}

/* tsk_srcfs.file_path: "REF:rel/main.tsk" -> dir/main.tsk, named as
 * tsk_doc_load_dir names the same file of the work tree. */
static char *gfs_file_path(void *ctx, const char *name)
{
    const struct git_srcfs *s = ctx;
    size_t np = strlen(s->prefix), nr = strlen(s->g.rel);
    if (strncmp(name, s->prefix, np) != 0)
        return tsk_xstrdup(name);
    const char *t = name + np;
    if (nr && (strncmp(t, s->g.rel, nr) != 0 || t[nr] != '/'))
        return tsk_xasprintf("%s/%s", s->top, t); /* not in dir: absolute */
    const char *base = nr ? t + nr + 1 : t;
    if (strcmp(s->dir, ".") == 0)
        return tsk_xstrdup(base);
    size_t nd = strlen(s->dir);
    return tsk_xasprintf("%s%s%s", s->dir,
                         nd && s->dir[nd - 1] == '/' ? "" : "/", base);
}

/* tsk_srcfs.display: "REF:path/in/repo" (the path as given when it lies
 * outside the repository). */
static char *gfs_display(void *ctx, const char *path)
{
    const struct git_srcfs *s = ctx;
    char *t = to_tree(s, path);
    char *out = tsk_xasprintf("%s%s", s->prefix, t ? t : path);
    free(t);
    return out;
}

#define MAX_LINKS 40 /* as Linux: more is a loop (ELOOP) */

/* The target of the symbolic link entry e (caller frees), or NULL. */
static char *link_target(struct git_srcfs *s, const git_tree_entry *e)
{
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, s->g.repo, git_tree_entry_id(e)) < 0)
        return NULL;
    char *t =
        tsk_xstrndup(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
    git_blob_free(blob);
    return t;
}

/*
 * path in the tree (to_tree) with every symbolic link in it
 * replaced by its target, as the file system of a checkout would follow
 * it: relative targets resolve against the link's folder; absolute ones,
 * and ones above the top, lead nowhere. Returns the path (caller frees;
 * it may name nothing), or NULL with errno ENOENT or ELOOP.
 */
static char *resolve(struct git_srcfs *s, const char *path)
{
    char *p = to_tree(s, path);
    int hops = 0;
    size_t i = 0;
    while (p && p[i]) {
        size_t end = i + strcspn(p + i, "/");
        char save = p[end];
        git_tree_entry *e = NULL;
        p[end] = '\0';
        int found = git_tree_entry_bypath(&e, s->g.tree, p) == 0;
        p[end] = save;
        if (!found)
            break; /* nothing there: the caller finds nothing either */
        if (git_tree_entry_filemode(e) != GIT_FILEMODE_LINK) {
            git_tree_entry_free(e);
            i = end + (save == '/');
            continue;
        }
        char *target = link_target(s, e);
        git_tree_entry_free(e);
        if (++hops > MAX_LINKS || !target || !*target || target[0] == '/') {
            errno = hops > MAX_LINKS ? ELOOP : ENOENT;
            free(target);
            free(p);
            return NULL;
        }
        char *next = tsk_xasprintf("%.*s%s%s", (int)i, p, target, p + end);
        free(target);
        free(p);
        p = tsk_git__tree_path(next);
        free(next);
        i = 0; /* the target may hold links of its own */
    }
    if (!p)
        errno = ENOENT;
    return p;
}

/* The entry at path (links followed), or NULL for the top; TSK_ENOTFOUND
 * with errno ENOENT (or ELOOP) when there is none. */
static int gfs_entry(struct git_srcfs *s, const char *path, git_tree_entry **e)
{
    char *p = resolve(s, path);
    *e = NULL;
    int rc = TSK_OK;
    if (!p || (*p && git_tree_entry_bypath(e, s->g.tree, p) < 0)) {
        if (p)
            errno = ENOENT;
        *e = NULL;
        rc = TSK_ENOTFOUND;
    }
    free(p);
    return rc;
}

static int gfs_stat(void *ctx, const char *path, struct tsk_srcfs_stat *st)
{
    git_tree_entry *e;
    int rc = gfs_entry(ctx, path, &e);
    if (rc != 0)
        return rc;
    st->type = TSK_SRCFS_DIR;
    st->exec = 0;
    switch (e ? git_tree_entry_filemode(e) : GIT_FILEMODE_TREE) {
    case GIT_FILEMODE_TREE:
        break;
    case GIT_FILEMODE_BLOB_EXECUTABLE:
        st->exec = 1;
        /* fallthrough */
    case GIT_FILEMODE_BLOB:
        st->type = TSK_SRCFS_FILE;
        break;
    default: /* a submodule (links were followed) */
        st->type = TSK_SRCFS_OTHER;
        break;
    }
    git_tree_entry_free(e);
    return TSK_OK;
}

static int gfs_list(void *ctx, const char *path, struct tsk_srcfs_names *out)
{
    struct git_srcfs *s = ctx;
    git_tree_entry *e;
    git_tree *sub = NULL;
    int rc = gfs_entry(s, path, &e);
    if (rc != 0)
        return rc;
    if (e && (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
              git_tree_lookup(&sub, s->g.repo, git_tree_entry_id(e)) < 0)) {
        git_tree_entry_free(e);
        errno = ENOTDIR;
        return TSK_EIO;
    }
    const git_tree *t = sub ? sub : s->g.tree;
    for (size_t i = 0; i < git_tree_entrycount(t); i++)
        *TSK_ARRAY_PUSH(out->v) =
            tsk_xstrdup(git_tree_entry_name(git_tree_entry_byindex(t, i)));
    git_tree_free(sub);
    git_tree_entry_free(e);
    return TSK_OK;
}

static int gfs_read(void *ctx, const char *path, struct tsk_buf *out)
{
    struct git_srcfs *s = ctx;
    struct tsk_srcfs_stat st;
    int rc = gfs_stat(s, path, &st);
    if (rc == 0 && st.type != TSK_SRCFS_FILE) {
        errno = st.type == TSK_SRCFS_DIR ? EISDIR : EINVAL;
        return TSK_EIO;
    }
    char *p = rc == 0 ? resolve(s, path) : NULL;
    if (rc == 0 && (!p || tsk_git__read_blob(&s->t, p, out) != 0)) {
        errno = EIO;
        rc = TSK_EIO;
    }
    free(p);
    return rc;
}

static void gfs_close(void *ctx)
{
    struct git_srcfs *s = ctx;
    tsk_git__tree_close(&s->g);
    free(s->prefix);
    free(s->dir);
    free(s->top);
    free(s->cwd);
    free(s);
}

int tsk_git_srcfs_open(struct tsk_srcfs *fs, const char *dir, const char *ref,
                       struct tsk_diags *d)
{
    struct git_srcfs *s = tsk_xcalloc(1, sizeof(*s));
    memset(fs, 0, sizeof(*fs));
    if (tsk_git__tree_open(&s->g, dir, ref, d) < 0) {
        free(s);
        return TSK_ERROR;
    }
    s->t.repo = s->g.repo;
    s->t.tree = s->g.tree;
    s->prefix = tsk_xasprintf("%s:", ref);
    s->dir = tsk_xstrdup(dir);
    const char *wd = git_repository_workdir(s->g.repo);
    char top[PATH_MAX], cwd[PATH_MAX];
    if (!wd || !realpath(wd, top) || !realpath(".", cwd)) {
        tsk_diag_error(d, NULL,
                       "git revision \"%s\": cannot resolve the "
                       "work tree of %s: %s",
                       ref, dir, strerror(errno));
        gfs_close(s);
        return TSK_ERROR;
    }
    s->top = tsk_xstrdup(top);
    s->cwd = tsk_xstrdup(cwd);
    fs->stat = gfs_stat;
    fs->list = gfs_list;
    fs->read = gfs_read;
    fs->file_path = gfs_file_path;
    fs->display = gfs_display;
    fs->close = gfs_close;
    fs->ctx = s;
    return TSK_OK;
}

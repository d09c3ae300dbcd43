/*
 * git_srcfs.c - the tree of a git commit as a source tree (srcfs.h,
 * tsk_git_srcfs_open in git.h): the function sources -git-ref and `diff`
 * hash and package, read from the commit without touching the work tree.
 */
#include "planner/git.h"
#include "planner/git_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct git_srcfs {
    struct tsk_git__tree g;
    struct tsk_git__blobs t;
    char *prefix;
};

/* The entry at path (normalised by tsk_git__tree_path), or NULL for the
 * top; TSK_ENOTFOUND with errno ENOENT when there is none. */
static int gfs_entry(struct git_srcfs *s, const char *path, git_tree_entry **e)
{
    char *p = tsk_git__tree_path(path);
    *e = NULL;
    int rc = TSK_OK;
    if (!p || (*p && git_tree_entry_bypath(e, s->g.tree, p) < 0)) {
        *e = NULL;
        errno = ENOENT;
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
    default: /* symbolic links and submodules are not followed */
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
    if (rc == 0 && (rc = tsk_git__read_blob(&s->t, path, out)) != 0)
        errno = EIO;
    return rc;
}

static void gfs_close(void *ctx)
{
    struct git_srcfs *s = ctx;
    tsk_git__tree_close(&s->g);
    free(s->prefix);
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
    fs->stat = gfs_stat;
    fs->list = gfs_list;
    fs->read = gfs_read;
    fs->close = gfs_close;
    fs->ctx = s;
    fs->prefix = s->prefix;
    return TSK_OK;
}

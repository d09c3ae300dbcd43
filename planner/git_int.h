/*
 * git_int.h - private to planner/git*.c: a commit's tree opened for a
 * folder of the work tree, and reading its blobs by path. git.c loads and
 * digests configurations with them, git_srcfs.c serves function sources.
 *
 * Ownership: a struct tsk_git__tree owns its repository, commit, tree and
 * rel (tsk_git__tree_close); struct tsk_git__blobs borrows one.
 */
#ifndef TSK_GIT_INT_H
#define TSK_GIT_INT_H

#include <git2.h>

#include "planner/util/util.h"

/* A commit's tree opened for the folder dir of the work tree. */
struct tsk_git__tree {
    git_repository *repo;
    git_commit *commit;
    git_tree *tree;
    char *rel; /* dir's path inside the work tree, "" for the top */
};

/* What tsk_git__read_blob reads from (borrowed). */
struct tsk_git__blobs {
    git_repository *repo;
    git_tree *tree;
};

/** Opens the repository around dir and the tree of commit ref. 0, or
 * TSK_ERROR after an error in d (g cleared). */
int tsk_git__tree_open(struct tsk_git__tree *g, const char *dir,
                       const char *ref, struct tsk_diags *d);
void tsk_git__tree_close(struct tsk_git__tree *g);

/**
 * A path inside the tree without "." and ".." steps ("infra/../x" is "x"),
 * or NULL when it is absolute or climbs above the top: a commit has nothing
 * there. Caller frees.
 */
char *tsk_git__tree_path(const char *path);

/** read_file for the loader (vctx: struct tsk_git__blobs): the blob at
 * path appended to out. 0, TSK_ENOTFOUND (errno ENOENT), or TSK_EIO. */
int tsk_git__read_blob(void *vctx, const char *path, struct tsk_buf *out);

#endif

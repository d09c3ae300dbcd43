/*
 * srcfs.h - a read-only tree of function sources, so that every stage that
 * touches the code a `source` key names (the model checks that it exists,
 * the local provider hashes it, the AWS provider zips it) reads it from
 * the same place as the *.tsk files: the file system (the work tree), or
 * the tree of a git commit (planner/git.h, tsk_git_srcfs_open) for
 * -git-ref and `diff`, which never read or touch the work tree.
 *
 * Paths are those the tree understands: for the file system, paths as the
 * process sees them; for a commit, paths inside its tree relative to the
 * repository's top ("infra/src"; "." and ".." steps are resolved, nothing
 * above the top exists). A tree's `prefix` ("REF:") is what the TSK loader
 * prepended to the names of the files it read from that tree, and what
 * messages prepend to a path of the tree.
 *
 * Ownership: a struct tsk_srcfs is a small value holding callbacks and a
 * context; whoever opened it releases it (tsk_srcfs_release) after every
 * borrower (the model, lowering) is done. tsk_srcfs_disk is static and
 * never released. Every function that takes a tree takes NULL as the file
 * system.
 */
#ifndef TSK_SRCFS_H
#define TSK_SRCFS_H

#include "planner/util/util.h"

enum tsk_srcfs_type {
    TSK_SRCFS_FILE,  /* a regular file (code, or a .zip) */
    TSK_SRCFS_DIR,   /* a folder */
    TSK_SRCFS_OTHER, /* anything else: device, socket, git link: not code */
};

struct tsk_srcfs_stat {
    enum tsk_srcfs_type type;
    int exec; /* a file its owner may execute */
};

/* Names of entries of a folder (each owned; tsk_srcfs_names_release). */
struct tsk_srcfs_names {
    TSK_ARRAY(char *) v;
};

struct tsk_srcfs {
    /* Describes path (symbolic links followed on the file system). 0, or
     * TSK_ENOTFOUND / TSK_EIO with errno saying why. */
    int (*stat)(void *ctx, const char *path, struct tsk_srcfs_stat *st);
    /* Appends the entry names of folder path, in any order, "." and ".."
     * included or not. 0, or a negative error with errno set. */
    int (*list)(void *ctx, const char *path, struct tsk_srcfs_names *out);
    /* Appends the whole file to out. 0, or a negative error with errno. */
    int (*read)(void *ctx, const char *path, struct tsk_buf *out);
    /* Frees ctx (tsk_srcfs_release), or NULL. */
    void (*close)(void *ctx);
    void *ctx;
    const char *prefix; /* "REF:" for a commit's tree, NULL on disk */
};

/** The file system (the work tree). */
extern const struct tsk_srcfs tsk_srcfs_disk;

/** fs->stat; fs NULL is the file system. */
int tsk_srcfs_stat(const struct tsk_srcfs *fs, const char *path,
                   struct tsk_srcfs_stat *st);

/** The entry names of folder path sorted byte-wise, without "." and "..",
 * into out (emptied first). 0, or a negative error with errno set (out
 * then empty). */
int tsk_srcfs_list(const struct tsk_srcfs *fs, const char *path,
                   struct tsk_srcfs_names *out);

/** Reads the whole file path into out (emptied first); out is
 * NUL-terminated after a success. 0, or a negative error with errno. */
int tsk_srcfs_read(const struct tsk_srcfs *fs, const char *path,
                   struct tsk_buf *out);

/** "" on disk, else the tree's prefix: for messages ("%s%s", prefix,
 * path). */
const char *tsk_srcfs_prefix(const struct tsk_srcfs *fs);

/** The path in fs of a file the TSK loader read from it, given the name
 * it shows (struct tsk_src name): name without fs's prefix. Borrows
 * name. */
const char *tsk_srcfs_path_of(const struct tsk_srcfs *fs, const char *name);

/** Frees the tree's context (its close callback) and clears *fs; NULL is
 * left alone, and a tree without close (a copy of tsk_srcfs_disk) is only
 * cleared. */
void tsk_srcfs_release(struct tsk_srcfs *fs);

void tsk_srcfs_names_release(struct tsk_srcfs_names *n);

#endif

/*
 * srcfs.h - a read-only tree of function sources, so that every stage that
 * touches the code a `source` key names (the model checks that it exists,
 * the local provider hashes it, the AWS provider zips it) reads it from
 * the same place as the *.tsk files: the file system (the work tree), or
 * the tree of a git commit (planner/git.h, tsk_git_srcfs_open) for
 * -git-ref and `diff`, which never read or touch the work tree.
 *
 * Paths are the same in every tree: paths as the process sees them
 * (relative to the current folder, or absolute), so the model resolves
 * `source`, and the AWS provider records `filename`, exactly as for the
 * work tree, and a plan made from a commit applies in a checkout of it. A
 * commit's tree maps them into the commit (the top of the repository's
 * work tree is the top of the commit's tree; "." and ".." are resolved on
 * the way; nothing outside the repository exists) and shows them in
 * messages as "REF:path/in/repo", as the TSK loader names its files.
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
    TSK_SRCFS_OTHER, /* anything else: device, socket, submodule: not code */
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
    /* Describes path (symbolic links followed). 0, or TSK_ENOTFOUND /
     * TSK_EIO with errno saying why. */
    int (*stat)(void *ctx, const char *path, struct tsk_srcfs_stat *st);
    /* Appends the entry names of folder path, in any order, "." and ".."
     * included or not. 0, or a negative error with errno set. */
    int (*list)(void *ctx, const char *path, struct tsk_srcfs_names *out);
    /* Appends the whole file to out. 0, or a negative error with errno. */
    int (*read)(void *ctx, const char *path, struct tsk_buf *out);
    /* The path of a *.tsk file the loader read from this tree, given the
     * name it shows (struct tsk_src name); caller frees. NULL: the name. */
    char *(*file_path)(void *ctx, const char *name);
    /* How messages show path; caller frees. NULL: the path itself. */
    char *(*display)(void *ctx, const char *path);
    /* Frees ctx (tsk_srcfs_release), or NULL. */
    void (*close)(void *ctx);
    void *ctx;
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

/** The path in fs of a *.tsk file the TSK loader read from it, given the
 * name it shows (struct tsk_src name): on disk the name itself, for a
 * commit "REF:infra/main.tsk" -> the path of infra/main.tsk as the
 * process sees it. Caller frees. */
char *tsk_srcfs_path_of(const struct tsk_srcfs *fs, const char *name);

/** path as messages show it: itself on disk, "REF:path/in/repo" for a
 * commit. Caller frees. */
char *tsk_srcfs_display(const struct tsk_srcfs *fs, const char *path);

/** Frees the tree's context (its close callback) and clears *fs; NULL is
 * left alone, and a tree without close (a copy of tsk_srcfs_disk) is only
 * cleared. */
void tsk_srcfs_release(struct tsk_srcfs *fs);

void tsk_srcfs_names_release(struct tsk_srcfs_names *n);

#endif

/*
 * git.h - the configuration as git sees it (libgit2): the commit the work
 * tree is at (id, branch, dirty), and the *.tsk files of a folder (and the
 * function sources they name, as a source tree) read from any commit's
 * tree without checking it out or touching the work tree.
 *
 * Ownership: struct tsk_git_info strings are owned by the struct
 * (tsk_git_info_release). A document loaded from a commit owns its sources
 * like any other (tsk_doc_free); a source tree owns its open repository
 * until tsk_srcfs_release; libgit2 objects never escape this module.
 */
#ifndef TSK_GIT_H
#define TSK_GIT_H

#include "planner/plan.h"
#include "planner/srcfs.h"
#include "planner/tsk/tsk.h"
#include "planner/util/util.h"

/**
 * Describes the repository around dir: HEAD's commit id (40 hex digits),
 * its branch (NULL when detached), and whether the work tree or index has
 * changes (untracked files ignored). Returns TSK_ENOTFOUND outside a
 * repository (info left empty), TSK_ERROR on a libgit2 failure.
 */
int tsk_git_info(struct tsk_git_info *info, const char *dir);
void tsk_git_info_release(struct tsk_git_info *info);

/**
 * Describes revision ref as a plan records it: its full commit id, the
 * branch when ref names a local branch (else NULL), never dirty (a
 * commit's tree has no uncommitted changes). Returns 0, or TSK_ERROR after
 * an error in d (info left empty).
 */
int tsk_git_ref_info(struct tsk_git_info *info, const char *dir,
                     const char *ref, struct tsk_diags *d);

/**
 * Whether folder dir holds *.tsk files at revision ref: 1 yes, 0 no (also
 * when the folder did not exist then), TSK_ERROR after an error in d (no
 * repository, unknown revision).
 */
int tsk_git_has_config(const char *dir, const char *ref, struct tsk_diags *d);

/**
 * Loads every *.tsk file of folder dir as it is in the tree of commit ref
 * (a branch, tag, commit id or any revision expression). Diagnostics name
 * files "REF:path/in/repo.tsk". *out is always set when the files were
 * found (as tsk_doc_load_files), else to an empty document: *out is always
 * set. Errors (unknown ref, no repository, no *.tsk in that folder at that
 * commit) go to d. The work tree and index are never touched: @file reads
 * the commit's files too ("../x" works inside the tree; absolute paths and
 * paths above its top are not found).
 */
int tsk_git_load_dir(struct tsk_doc **out, const char *dir, const char *ref,
                     struct tsk_diags *d);

/**
 * The configuration digest of folder dir at commit ref: the same sha256
 * tsk_config_digest computes for the same files in the work tree, so a plan
 * made from a commit matches an apply from a clean checkout of it.
 */
int tsk_git_digest_dir(const char *dir, const char *ref, char out[65],
                       struct tsk_diags *d);

/**
 * Opens the tree of commit ref as a source tree (planner/srcfs.h) for the
 * repository around dir. Paths are taken as the process sees them, as on
 * disk (relative ones against the current folder at this call), and
 * mapped into the commit; messages show them as "REF:path/in/repo", and
 * the path of a file tsk_git_load_dir(dir, ref) named "REF:x/main.tsk" is
 * dir/main.tsk, as tsk_doc_load_dir would name it. Executable blobs are
 * executable files; symbolic links are followed as a checkout would
 * (relative to the link; absolute targets and targets outside the
 * repository lead nowhere); submodules are TSK_SRCFS_OTHER. Release *fs
 * with tsk_srcfs_release. Returns 0, or TSK_ERROR after an error in d
 * (*fs cleared).
 */
int tsk_git_srcfs_open(struct tsk_srcfs *fs, const char *dir, const char *ref,
                       struct tsk_diags *d);

/** Resolves ref to a full commit id (caller frees), or NULL with an error. */
char *tsk_git_resolve(const char *dir, const char *ref, struct tsk_diags *d);

#endif

/*
 * lazy_git.c - the libgit2 functions tuskform uses, loaded on first use.
 *
 * tuskform is not linked against libgit2: loading it and its dependencies
 * at process start cost every command ~9 ms, while only the git-aware
 * commands (diff BASE HEAD, -git-ref, plan files that record a commit) use
 * it. These definitions have libgit2's own prototypes, so the planner
 * includes <git2.h> and calls as usual; the first call dlopens the library
 * by the SONAME found at configure time (TSK_SONAME_GIT2) through
 * planner/util/lazy.h, and a library that cannot be loaded ends the process
 * with "tuskform: cannot load SONAME: ...". The definitions are not
 * exported from the executable, so they never interpose on libgit2's
 * internal calls.
 */
#include <git2.h>
#include <pthread.h>

#include "planner/util/lazy.h"

#ifndef TSK_SONAME_GIT2
#define TSK_SONAME_GIT2 "libgit2.so.1.5"
#endif

#define GIT_SYMS(X)                                                            \
    X(git_blob_free)                                                           \
    X(git_blob_lookup)                                                         \
    X(git_blob_rawcontent)                                                     \
    X(git_blob_rawsize)                                                        \
    X(git_branch_lookup)                                                       \
    X(git_commit_free)                                                         \
    X(git_commit_id)                                                           \
    X(git_commit_tree)                                                         \
    X(git_error_last)                                                          \
    X(git_libgit2_init)                                                        \
    X(git_libgit2_version)                                                     \
    X(git_object_free)                                                         \
    X(git_object_peel)                                                         \
    X(git_oid_tostr)                                                           \
    X(git_reference_free)                                                      \
    X(git_reference_is_branch)                                                 \
    X(git_reference_name_to_id)                                                \
    X(git_reference_shorthand)                                                 \
    X(git_repository_free)                                                     \
    X(git_repository_head)                                                     \
    X(git_repository_open_ext)                                                 \
    X(git_repository_workdir)                                                  \
    X(git_revparse_single)                                                     \
    X(git_status_byindex)                                                      \
    X(git_status_list_entrycount)                                              \
    X(git_status_list_free)                                                    \
    X(git_status_list_new)                                                     \
    X(git_status_options_init)                                                 \
    X(git_tree_entry_byindex)                                                  \
    X(git_tree_entry_bypath)                                                   \
    X(git_tree_entry_filemode)                                                 \
    X(git_tree_entry_free)                                                     \
    X(git_tree_entry_id)                                                       \
    X(git_tree_entry_name)                                                     \
    X(git_tree_entry_type)                                                     \
    X(git_tree_entrycount)                                                     \
    X(git_tree_free)                                                           \
    X(git_tree_lookup)                                                         \
    X(git_tree_owner)

enum {
#define X(n) S_##n,
    GIT_SYMS(X)
#undef X
        S_COUNT
};

static const char *const names[S_COUNT] = {
#define X(n) #n,
    GIT_SYMS(X)
#undef X
};

static void *syms[S_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    tsk_lazy_load(TSK_SONAME_GIT2, names, syms, S_COUNT);
}

/* The resolved function n, with its own type. */
#define FN(n) (pthread_once(&once, load), (__typeof__(&n))syms[S_##n])

void git_blob_free(git_blob *blob)
{
    FN(git_blob_free)(blob);
}

int git_blob_lookup(git_blob **blob, git_repository *repo, const git_oid *id)
{
    return FN(git_blob_lookup)(blob, repo, id);
}

const void *git_blob_rawcontent(const git_blob *blob)
{
    return FN(git_blob_rawcontent)(blob);
}

git_object_size_t git_blob_rawsize(const git_blob *blob)
{
    return FN(git_blob_rawsize)(blob);
}

int git_branch_lookup(git_reference **out, git_repository *repo,
                      const char *branch_name, git_branch_t branch_type)
{
    return FN(git_branch_lookup)(out, repo, branch_name, branch_type);
}

void git_commit_free(git_commit *commit)
{
    FN(git_commit_free)(commit);
}

const git_oid *git_commit_id(const git_commit *commit)
{
    return FN(git_commit_id)(commit);
}

int git_commit_tree(git_tree **tree_out, const git_commit *commit)
{
    return FN(git_commit_tree)(tree_out, commit);
}

const git_error *git_error_last(void)
{
    return FN(git_error_last)();
}

int git_libgit2_init(void)
{
    return FN(git_libgit2_init)();
}

int git_libgit2_version(int *major, int *minor, int *rev)
{
    return FN(git_libgit2_version)(major, minor, rev);
}

void git_object_free(git_object *object)
{
    FN(git_object_free)(object);
}

int git_object_peel(git_object **peeled, const git_object *object,
                    git_object_t target_type)
{
    return FN(git_object_peel)(peeled, object, target_type);
}

char *git_oid_tostr(char *out, size_t n, const git_oid *id)
{
    return FN(git_oid_tostr)(out, n, id);
}

void git_reference_free(git_reference *ref)
{
    FN(git_reference_free)(ref);
}

int git_reference_is_branch(const git_reference *ref)
{
    return FN(git_reference_is_branch)(ref);
}

int git_reference_name_to_id(git_oid *out, git_repository *repo,
                             const char *name)
{
    return FN(git_reference_name_to_id)(out, repo, name);
}

const char *git_reference_shorthand(const git_reference *ref)
{
    return FN(git_reference_shorthand)(ref);
}

void git_repository_free(git_repository *repo)
{
    FN(git_repository_free)(repo);
}

int git_repository_head(git_reference **out, git_repository *repo)
{
    return FN(git_repository_head)(out, repo);
}

int git_repository_open_ext(git_repository **out, const char *path,
                            unsigned int flags, const char *ceiling_dirs)
{
    return FN(git_repository_open_ext)(out, path, flags, ceiling_dirs);
}

const char *git_repository_workdir(const git_repository *repo)
{
    return FN(git_repository_workdir)(repo);
}

int git_revparse_single(git_object **out, git_repository *repo,
                        const char *spec)
{
    return FN(git_revparse_single)(out, repo, spec);
}

const git_status_entry *git_status_byindex(git_status_list *statuslist,
                                           size_t idx)
{
    return FN(git_status_byindex)(statuslist, idx);
}

size_t git_status_list_entrycount(git_status_list *statuslist)
{
    return FN(git_status_list_entrycount)(statuslist);
}

void git_status_list_free(git_status_list *statuslist)
{
    FN(git_status_list_free)(statuslist);
}

int git_status_list_new(git_status_list **out, git_repository *repo,
                        const git_status_options *opts)
{
    return FN(git_status_list_new)(out, repo, opts);
}

int git_status_options_init(git_status_options *opts, unsigned int version)
{
    return FN(git_status_options_init)(opts, version);
}

const git_tree_entry *git_tree_entry_byindex(const git_tree *tree, size_t idx)
{
    return FN(git_tree_entry_byindex)(tree, idx);
}

int git_tree_entry_bypath(git_tree_entry **out, const git_tree *root,
                          const char *path)
{
    return FN(git_tree_entry_bypath)(out, root, path);
}

git_filemode_t git_tree_entry_filemode(const git_tree_entry *entry)
{
    return FN(git_tree_entry_filemode)(entry);
}

void git_tree_entry_free(git_tree_entry *entry)
{
    FN(git_tree_entry_free)(entry);
}

const git_oid *git_tree_entry_id(const git_tree_entry *entry)
{
    return FN(git_tree_entry_id)(entry);
}

const char *git_tree_entry_name(const git_tree_entry *entry)
{
    return FN(git_tree_entry_name)(entry);
}

git_object_t git_tree_entry_type(const git_tree_entry *entry)
{
    return FN(git_tree_entry_type)(entry);
}

size_t git_tree_entrycount(const git_tree *tree)
{
    return FN(git_tree_entrycount)(tree);
}

void git_tree_free(git_tree *tree)
{
    FN(git_tree_free)(tree);
}

int git_tree_lookup(git_tree **out, git_repository *repo, const git_oid *id)
{
    return FN(git_tree_lookup)(out, repo, id);
}

git_repository *git_tree_owner(const git_tree *tree)
{
    return FN(git_tree_owner)(tree);
}

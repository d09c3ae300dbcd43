/*
 * lower_source.c - the sha256 of a function's code, so that editing the
 * code shows as an update of local_function.source_code_hash. A .zip (or
 * any file) hashes its bytes; a folder hashes, for every regular file below
 * it in byte-wise order of relative path, the path, a NUL, the length in
 * decimal, a NUL and the contents. Hidden entries (".git", ".tuskform")
 * are skipped. The code is read through the model's source tree (the work
 * tree, or a git commit's tree for -git-ref and `diff`).
 */
#include "providers/local/lower.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "planner/srcfs.h"

#define MAX_DEPTH 32

struct paths {
    TSK_ARRAY(char *) v;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the regular files below root/rel; returns 0 or errno. */
static int walk(const struct tsk_srcfs *fs, const char *root, const char *rel,
                int depth, struct paths *out)
{
    char *path = *rel ? tsk_xasprintf("%s/%s", root, rel) : tsk_xstrdup(root);
    struct tsk_srcfs_names names = {0};
    int rc = 0;
    if (tsk_srcfs_list(fs, path, &names) != 0) {
        rc = errno ? errno : EIO;
        free(path);
        return rc;
    }
    for (size_t i = 0; rc == 0 && i < names.v.n; i++) {
        struct tsk_srcfs_stat st;
        const char *name = names.v.v[i];
        if (name[0] == '.')
            continue;
        char *child =
            *rel ? tsk_xasprintf("%s/%s", rel, name) : tsk_xstrdup(name);
        char *full = tsk_xasprintf("%s/%s", root, child);
        if (tsk_srcfs_stat(fs, full, &st) != 0)
            rc = errno ? errno : EIO;
        else if (st.type == TSK_SRCFS_DIR && depth < MAX_DEPTH)
            rc = walk(fs, root, child, depth + 1, out);
        else if (st.type == TSK_SRCFS_FILE) {
            *TSK_ARRAY_PUSH(out->v) = child;
            child = NULL;
        }
        free(child);
        free(full);
    }
    tsk_srcfs_names_release(&names);
    free(path);
    return rc;
}

static int hash_file(EVP_MD_CTX *md, const struct tsk_srcfs *fs,
                     const char *path, const char *rel)
{
    struct tsk_buf b = TSK_BUF_INIT;
    char num[32];
    if (tsk_srcfs_read(fs, path, &b) != 0) {
        int e = errno ? errno : EIO;
        tsk_buf_release(&b);
        return e;
    }
    if (rel) {
        int n = snprintf(num, sizeof(num), "%zu", b.len);
        EVP_DigestUpdate(md, rel, strlen(rel) + 1);
        EVP_DigestUpdate(md, num, (size_t)n + 1);
    }
    EVP_DigestUpdate(md, b.ptr, b.len);
    tsk_buf_release(&b);
    return 0;
}

int tsk_local__source_hash(const char *path, char out[65])
{
    return tsk_local__source_hash_in(NULL, path, out);
}

int tsk_local__source_hash_in(const struct tsk_srcfs *fs, const char *path,
                              char out[65])
{
    struct tsk_srcfs_stat st;
    struct paths files = {0};
    unsigned char sum[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    int rc;
    EVP_MD_CTX *md;

    if (tsk_srcfs_stat(fs, path, &st) != 0)
        return errno ? errno : ENOENT;
    md = EVP_MD_CTX_new();
    if (!md)
        abort();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    if (st.type == TSK_SRCFS_DIR) {
        rc = walk(fs, path, "", 0, &files);
        if (files.v.n > 1)
            qsort(files.v.v, files.v.n, sizeof(char *), cmp_str);
        for (size_t i = 0; rc == 0 && i < files.v.n; i++) {
            char *full = tsk_xasprintf("%s/%s", path, files.v.v[i]);
            rc = hash_file(md, fs, full, files.v.v[i]);
            free(full);
        }
    } else {
        rc = hash_file(md, fs, path, NULL);
    }
    EVP_DigestFinal_ex(md, sum, &len);
    EVP_MD_CTX_free(md);
    for (size_t i = 0; i < files.v.n; i++)
        free(files.v.v[i]);
    TSK_ARRAY_FREE(files.v);
    for (unsigned i = 0; rc == 0 && i < len && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", sum[i]);
    return rc;
}

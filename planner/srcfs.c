/*
 * srcfs.c - the file-system source tree and the wrappers every user of a
 * struct tsk_srcfs calls (see srcfs.h). The git-tree implementation lives
 * with the rest of libgit2 in git.c.
 */
#include "planner/srcfs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int disk_stat(void *ctx, const char *path, struct tsk_srcfs_stat *st)
{
    struct stat sb;
    (void)ctx;
    if (stat(path, &sb) != 0)
        return errno == ENOENT || errno == ENOTDIR ? TSK_ENOTFOUND : TSK_EIO;
    st->type = S_ISDIR(sb.st_mode)   ? TSK_SRCFS_DIR
               : S_ISREG(sb.st_mode) ? TSK_SRCFS_FILE
                                     : TSK_SRCFS_OTHER;
    st->exec = (sb.st_mode & S_IXUSR) != 0;
    return TSK_OK;
}

static int disk_list(void *ctx, const char *path, struct tsk_srcfs_names *out)
{
    DIR *dp = opendir(path);
    struct dirent *e;
    (void)ctx;
    if (!dp)
        return TSK_EIO;
    for (errno = 0; (e = readdir(dp)); errno = 0)
        *TSK_ARRAY_PUSH(out->v) = tsk_xstrdup(e->d_name);
    int err = errno; /* readdir's: 0 at the end of the folder */
    closedir(dp);
    errno = err;
    return err ? TSK_EIO : TSK_OK;
}

static int disk_read(void *ctx, const char *path, struct tsk_buf *out)
{
    (void)ctx;
    return tsk_read_file(path, out);
}

const struct tsk_srcfs tsk_srcfs_disk = {
    .stat = disk_stat, .list = disk_list, .read = disk_read};

static const struct tsk_srcfs *or_disk(const struct tsk_srcfs *fs)
{
    return fs && fs->stat ? fs : &tsk_srcfs_disk;
}

int tsk_srcfs_stat(const struct tsk_srcfs *fs, const char *path,
                   struct tsk_srcfs_stat *st)
{
    fs = or_disk(fs);
    memset(st, 0, sizeof(*st));
    errno = 0;
    return fs->stat(fs->ctx, path, st);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tsk_srcfs_list(const struct tsk_srcfs *fs, const char *path,
                   struct tsk_srcfs_names *out)
{
    fs = or_disk(fs);
    tsk_srcfs_names_release(out);
    errno = 0;
    int rc = fs->list(fs->ctx, path, out);
    if (rc != 0) {
        int e = errno ? errno : EIO;
        tsk_srcfs_names_release(out);
        errno = e;
        return rc;
    }
    size_t k = 0;
    for (size_t i = 0; i < out->v.n; i++) {
        char *n = out->v.v[i];
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
            free(n);
        else
            out->v.v[k++] = n;
    }
    out->v.n = k;
    if (k > 1)
        qsort(out->v.v, k, sizeof(*out->v.v), cmp_str);
    return TSK_OK;
}

int tsk_srcfs_read(const struct tsk_srcfs *fs, const char *path,
                   struct tsk_buf *out)
{
    fs = or_disk(fs);
    tsk_buf_reset(out);
    errno = 0;
    int rc = fs->read(fs->ctx, path, out);
    if (rc != 0 && !errno)
        errno = EIO;
    return rc;
}

char *tsk_srcfs_path_of(const struct tsk_srcfs *fs, const char *name)
{
    if (fs && fs->file_path)
        return fs->file_path(fs->ctx, name);
    return tsk_xstrdup(name);
}

char *tsk_srcfs_display(const struct tsk_srcfs *fs, const char *path)
{
    if (fs && fs->display)
        return fs->display(fs->ctx, path);
    return tsk_xstrdup(path);
}

void tsk_srcfs_release(struct tsk_srcfs *fs)
{
    if (!fs)
        return;
    if (fs->close)
        fs->close(fs->ctx);
    memset(fs, 0, sizeof(*fs));
}

void tsk_srcfs_names_release(struct tsk_srcfs_names *n)
{
    for (size_t i = 0; i < n->v.n; i++)
        free(n->v.v[i]);
    TSK_ARRAY_FREE(n->v);
}

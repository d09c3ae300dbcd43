/*
 * zip.c - the deployment package: a deterministic zip of a source folder,
 * so that an unchanged folder always gives the same bytes and therefore
 * the same CodeSha256 (no diff). Regular files only, paths relative to the
 * folder with '/' separators, sorted bytewise; every entry has the DOS
 * time 1980-01-01 00:00:00, Unix mode 0644 (0755 when the owner may
 * execute it), no extra fields, and raw deflate data (level 9). A path that
 * ends in .zip is used as it is. The code is read through a source tree
 * (planner/srcfs.h): the work tree, or a git commit's tree at plan time.
 */
#include "providers/aws/internal.h"

#include <errno.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "planner/srcfs.h"

#define DOS_DATE_1980 0x0021 /* 1980-01-01: (0 << 9) | (1 << 5) | 1 */
#define MAX_FILES 100000

struct entry {
    char *rel;
    int exec;
};
typedef TSK_ARRAY(struct entry) entries_t;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->rel,
                  ((const struct entry *)b)->rel);
}

static int walk(const struct tsk_srcfs *fs, const char *root,
                const char *rel, entries_t *out, struct tsk_diags *d)
{
    char *dir = rel ? tsk_xasprintf("%s/%s", root, rel) : tsk_xstrdup(root);
    struct tsk_srcfs_names names = {0};
    int rc = 0;
    if (tsk_srcfs_list(fs, dir, &names) != 0) {
        int e = errno;
        char *shown = tsk_srcfs_display(fs, dir);
        tsk_diag_error(d, NULL, "cannot read folder %s: %s", shown,
                       strerror(e));
        free(shown);
        free(dir);
        return TSK_EIO;
    }
    for (size_t i = 0; rc == 0 && i < names.v.n; i++) {
        const char *name = names.v.v[i];
        char *r = rel ? tsk_xasprintf("%s/%s", rel, name) : tsk_xstrdup(name);
        char *full = tsk_xasprintf("%s/%s", root, r);
        struct tsk_srcfs_stat st;
        if (tsk_srcfs_stat(fs, full, &st) != 0) {
            int e = errno;
            char *shown = tsk_srcfs_display(fs, full);
            rc = tsk_diag_error(d, NULL, "cannot read %s: %s", shown,
                                strerror(e));
            free(shown);
            free(r);
        } else if (st.type == TSK_SRCFS_DIR) {
            rc = walk(fs, root, r, out, d);
            free(r);
        } else if (st.type == TSK_SRCFS_FILE && out->n < MAX_FILES) {
            struct entry *e = TSK_ARRAY_PUSH(*out);
            e->rel = r;
            e->exec = st.exec;
        } else {
            free(r); /* sockets, fifos, devices: not code */
        }
        free(full);
    }
    tsk_srcfs_names_release(&names);
    free(dir);
    return rc;
}

static void put16(struct tsk_buf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    tsk_buf_add(b, x, 2);
}

static void put32(struct tsk_buf *b, unsigned long v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    tsk_buf_add(b, x, 4);
}

/* Raw deflate of data into out; returns 0 or TSK_ERROR. */
static int deflate_raw(const struct tsk_buf *data, struct tsk_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return TSK_ERROR;
    uLong bound = deflateBound(&z, (uLong)data->len);
    tsk_buf_grow(out, bound + 16);
    z.next_in = (Bytef *)data->ptr;
    z.avail_in = (uInt)data->len;
    z.next_out = (Bytef *)out->ptr + out->len;
    z.avail_out = (uInt)(bound + 16);
    int zr = deflate(&z, Z_FINISH);
    if (zr == Z_STREAM_END)
        out->len += z.total_out;
    deflateEnd(&z);
    return zr == Z_STREAM_END ? 0 : TSK_ERROR;
}

struct cdir {
    unsigned long crc, csize, usize, offset;
    unsigned method;
};

static void local_header(struct tsk_buf *zip, const char *name,
                         const struct cdir *c)
{
    put32(zip, 0x04034b50);
    put16(zip, 20);               /* version needed */
    put16(zip, 0);                /* flags */
    put16(zip, c->method);
    put16(zip, 0);                /* time 00:00:00 */
    put16(zip, DOS_DATE_1980);
    put32(zip, c->crc);
    put32(zip, c->csize);
    put32(zip, c->usize);
    put16(zip, (unsigned)strlen(name));
    put16(zip, 0);                /* extra */
    tsk_buf_adds(zip, name);
}

static void central_header(struct tsk_buf *cd, const char *name,
                           const struct cdir *c, int exec)
{
    unsigned long mode = exec ? 0100755 : 0100644;
    put32(cd, 0x02014b50);
    put16(cd, (3 << 8) | 20);     /* made by Unix, 2.0 */
    put16(cd, 20);
    put16(cd, 0);
    put16(cd, c->method);
    put16(cd, 0);
    put16(cd, DOS_DATE_1980);
    put32(cd, c->crc);
    put32(cd, c->csize);
    put32(cd, c->usize);
    put16(cd, (unsigned)strlen(name));
    put16(cd, 0);                 /* extra */
    put16(cd, 0);                 /* comment */
    put16(cd, 0);                 /* disk */
    put16(cd, 0);                 /* internal attributes */
    put32(cd, mode << 16);        /* external: Unix mode */
    put32(cd, c->offset);
    tsk_buf_adds(cd, name);
}

static int add_file(const struct tsk_srcfs *fs, const char *root,
                    const struct entry *e, struct tsk_buf *zip,
                    struct tsk_buf *cd, struct tsk_diags *d)
{
    struct tsk_buf data = TSK_BUF_INIT, comp = TSK_BUF_INIT;
    char *full = tsk_xasprintf("%s/%s", root, e->rel);
    int rc = tsk_srcfs_read(fs, full, &data);
    if (rc) {
        int err = errno;
        char *shown = tsk_srcfs_display(fs, full);
        tsk_diag_error(d, NULL, "cannot read %s: %s", shown, strerror(err));
        free(shown);
        goto done;
    }
    if (data.len > 0xfffffffful || zip->len > 0xfffffffful) {
        rc = tsk_diag_error(d, NULL, "%s: too large for a zip without "
                                     "zip64", full);
        goto done;
    }
    struct cdir c = {0};
    c.crc = crc32(0L, (const Bytef *)data.ptr, (uInt)data.len);
    c.usize = data.len;
    c.offset = zip->len;
    c.method = 8;
    if (deflate_raw(&data, &comp) != 0 || comp.len >= data.len) {
        c.method = 0; /* stored: deflate did not help */
        c.csize = data.len;
    } else {
        c.csize = comp.len;
    }
    local_header(zip, e->rel, &c);
    if (c.method == 8)
        tsk_buf_add(zip, comp.ptr, comp.len);
    else
        tsk_buf_add(zip, data.ptr, data.len);
    central_header(cd, e->rel, &c, e->exec);
done:
    free(full);
    tsk_buf_release(&data);
    tsk_buf_release(&comp);
    return rc;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

int tsk_aws_zip_source(const char *path, struct tsk_buf *out,
                       struct tsk_diags *d)
{
    return tsk_aws_zip_source_in(NULL, path, out, d);
}

int tsk_aws_zip_source_in(const struct tsk_srcfs *fs, const char *path,
                          struct tsk_buf *out, struct tsk_diags *d)
{
    struct tsk_srcfs_stat st;
    entries_t files = {0};
    struct tsk_buf cd = TSK_BUF_INIT;
    int rc;
    tsk_buf_reset(out);
    if (!path)
        return tsk_diag_error(d, NULL, "cannot read the code at (none): %s",
                              strerror(ENOENT)),
               TSK_EIO;
    int st_rc = tsk_srcfs_stat(fs, path, &st), e = errno;
    char *shown = tsk_srcfs_display(fs, path); /* in messages */
    if (st_rc != 0) {
        tsk_diag_error(d, NULL, "cannot read the code at %s: %s", shown,
                       strerror(e));
        free(shown);
        return TSK_EIO;
    }
    if (st.type != TSK_SRCFS_DIR) {
        rc = 0;
        if (!has_suffix(path, ".zip")) {
            tsk_diag_error(d, NULL, "code at %s is neither a folder nor a "
                           ".zip file", shown);
            rc = TSK_EINVAL;
        } else if (tsk_srcfs_read(fs, path, out) != 0) {
            tsk_diag_error(d, NULL, "cannot read %s: %s", shown,
                           strerror(errno));
            rc = TSK_EIO;
        }
        free(shown);
        return rc;
    }
    rc = walk(fs, path, NULL, &files, d);
    if (rc == 0 && files.n == 0)
        rc = tsk_diag_error(d, NULL, "the code folder %s has no files", shown);
    if (rc == 0 && files.n > 0xffff)
        rc = tsk_diag_error(d, NULL, "the code folder %s has too many files",
                            shown);
    free(shown);
    if (files.n)
        qsort(files.v, files.n, sizeof(*files.v), cmp_entry);
    for (size_t i = 0; rc == 0 && i < files.n; i++)
        rc = add_file(fs, path, &files.v[i], out, &cd, d);
    if (rc == 0) {
        unsigned long cd_off = out->len;
        tsk_buf_add(out, cd.ptr, cd.len);
        put32(out, 0x06054b50);
        put16(out, 0);
        put16(out, 0);
        put16(out, (unsigned)files.n);
        put16(out, (unsigned)files.n);
        put32(out, cd.len);
        put32(out, cd_off);
        put16(out, 0);
    }
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i].rel);
    TSK_ARRAY_FREE(files);
    tsk_buf_release(&cd);
    if (rc)
        tsk_buf_release(out);
    return rc ? (rc == TSK_ERROR ? TSK_EIO : rc) : 0;
}

char *aws__base64(const void *data, size_t len)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *h = data;
    char *out = tsk_xmalloc((len + 2) / 3 * 4 + 1);
    size_t k = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)h[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)h[i + 1] << 8;
        if (i + 2 < len)
            v |= h[i + 2];
        out[k++] = b64[(v >> 18) & 63];
        out[k++] = b64[(v >> 12) & 63];
        out[k++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[k++] = i + 2 < len ? b64[v & 63] : '=';
    }
    out[k] = '\0';
    return out;
}

char *tsk_aws_code_sha256(const void *data, size_t len)
{
    unsigned char h[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)data, len, h);
    return aws__base64(h, sizeof(h));
}

/*
 * config.c - the pipeline from a folder of *.tsk files to a checked and
 * ordered resource graph (see config.h), and the configuration digest.
 */
#include "planner/config.h"
#include "planner/heap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "planner/git.h"
#include "providers/provider.h"

struct names {
    TSK_ARRAY(char *) v;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.tsk file names of dir (no subfolders), sorted byte-wise. */
static int list_tsk(const char *dir, struct names *out, struct tsk_diags *d)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    if (!dp)
        return tsk_diag_error(d, NULL, "cannot read folder %s: %s", dir,
                              strerror(errno));
    while ((e = readdir(dp))) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".tsk") == 0 &&
            e->d_name[0] != '.')
            *TSK_ARRAY_PUSH(out->v) = tsk_xstrdup(e->d_name);
    }
    closedir(dp);
    if (out->v.n)
        qsort(out->v.v, out->v.n, sizeof(char *), cmp_str);
    return 0;
}

static void names_release(struct names *n)
{
    for (size_t i = 0; i < n->v.n; i++)
        free(n->v.v[i]);
    TSK_ARRAY_FREE(n->v);
}

static int read_one(const struct tsk_load_opts *lo, const char *path,
                    struct tsk_buf *out)
{
    if (lo && lo->read_file)
        return lo->read_file(lo->ctx, path, out);
    return tsk_read_file(path, out);
}

/* Hashes the file at path as digest_with does (name, length, contents),
 * read in blocks: no heap copy of a large file. Returns 0; 1 when the
 * file is not a plain file, cannot be read or changes while read (md is
 * then spoilt: the caller starts over the usual way). */
static int digest_blocks(EVP_MD_CTX *md, const char *name, const char *path)
{
    struct stat st;
    char num[32], block[16 * 1024];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return 1;
    }
    size_t want = (size_t)st.st_size, got = 0;
    int nl = snprintf(num, sizeof(num), "%zu", want);
    EVP_DigestUpdate(md, name, strlen(name) + 1);
    EVP_DigestUpdate(md, num, (size_t)nl + 1);
    for (;;) {
        ssize_t r = read(fd, block, sizeof(block));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            got = want + 1;
        if (r <= 0 || (got += (size_t)r) > want)
            break;
        EVP_DigestUpdate(md, block, (size_t)r);
    }
    close(fd);
    return got == want ? 0 : 1;
}

/* Hashes every file with digest_blocks; returns 0, or 1 when one of them
 * could not be hashed so. */
static int digest_direct(EVP_MD_CTX *md, const char *dir,
                         const struct names *files)
{
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    for (size_t i = 0; i < files->v.n; i++) {
        char *path = tsk_xasprintf("%s/%s", dir, files->v.v[i]);
        int r = digest_blocks(md, files->v.v[i], path);
        free(path);
        if (r != 0)
            return 1;
    }
    return 0;
}

static int digest_with(const char *dir, const struct tsk_load_opts *lo,
                       char out[65], struct tsk_diags *d)
{
    struct names files = {0};
    struct tsk_buf text = TSK_BUF_INIT;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sum[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    int rc = list_tsk(dir, &files, d);

    out[0] = '\0';
    if (!md)
        abort();
    /* Files are hashed as they are read, unless a reader is given or
     * anything is odd: then over again, each file read whole. */
    int done = rc == 0 && !(lo && lo->read_file) &&
               digest_direct(md, dir, &files) == 0;
    if (!done)
        EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    for (size_t i = 0; !done && rc == 0 && i < files.v.n; i++) {
        char *path = tsk_xasprintf("%s/%s", dir, files.v.v[i]);
        char num[32];
        tsk_buf_reset(&text);
        if (read_one(lo, path, &text) != 0) {
            tsk_diag_error(d, NULL, "cannot read %s: %s", path,
                           strerror(errno));
            rc = TSK_EIO;
        } else {
            int nl = snprintf(num, sizeof(num), "%zu", text.len);
            EVP_DigestUpdate(md, files.v.v[i], strlen(files.v.v[i]) + 1);
            EVP_DigestUpdate(md, num, (size_t)nl + 1);
            EVP_DigestUpdate(md, text.ptr, text.len);
        }
        free(path);
    }
    EVP_DigestFinal_ex(md, sum, &len);
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; rc == 0 && i < len && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", sum[i]);
    tsk_buf_release(&text);
    names_release(&files);
    return rc;
}

int tsk_config_digest(const char *dir, char out[65], struct tsk_diags *d)
{
    return digest_with(dir, NULL, out, d);
}

/* The service, else the last component of the folder's absolute path. */
static char *stack_name(const struct tsk_model *m, const char *dir)
{
    char abs[PATH_MAX];
    if (m && m->service)
        return tsk_xstrdup(m->service);
    if (!realpath(dir, abs))
        return tsk_xstrdup(dir);
    const char *base = strrchr(abs, '/');
    base = base && base[1] ? base + 1 : abs;
    return tsk_xstrdup(base);
}

/* The driver for the model's provider, or an error at `provider = ...`. */
static const struct tsk_provider *pick_provider(const struct tsk_model *m,
                                                struct tsk_diags *d)
{
    const char *name = tsk_model_provider_name(m->provider);
    const struct tsk_provider *p = tsk_provider_find(name);
    if (!p) {
        tsk_diag_error(d, &m->provider_pos, "provider \"%s\" is not known",
                       m->provider_name ? m->provider_name : "");
        return NULL;
    }
    if (!p->supported || !p->lower) {
        tsk_diag_error(d, &m->provider_pos, "lowering for %s is not "
                                            "supported yet",
                       p->name);
        tsk_diag_detail(d, "supported for now: local");
        return NULL;
    }
    return p;
}

int tsk_config_load(struct tsk_config **out, const char *dir,
                    const struct tsk_config_opts *opts, struct tsk_diags *d)
{
    static const struct tsk_config_opts none = {0};
    struct tsk_config *c = tsk_xcalloc(1, sizeof(*c));
    int nerr0 = d->nerr;

    if (!opts)
        opts = &none;
    /* Large configurations make millions of small objects: a huge-page
     * heap saves most of the page faults (planner/heap.h). */
    tsk_heap_prepare((size_t)768 << 20);
    *out = c;
    c->dir = tsk_xstrdup(dir);
    if (opts->git_ref) {
        if (tsk_git_load_dir(&c->doc, dir, opts->git_ref, d) != 0 ||
            tsk_git_digest_dir(dir, opts->git_ref, c->digest, d) != 0 ||
            tsk_git_srcfs_open(&c->srcfs, dir, opts->git_ref, d) != 0)
            return TSK_ERROR;
    } else if (tsk_doc_load_dir(&c->doc, dir, opts->load, d) != 0 ||
               digest_with(dir, opts->load, c->digest, d) != 0) {
        return TSK_ERROR;
    }
    struct tsk_model_opts mo = {.srcfs = c->srcfs.stat ? &c->srcfs : NULL};
    if (tsk_model_build_opts(&c->model, c->doc, &mo, d) != 0 || d->nerr > nerr0)
        return TSK_ERROR;
    c->stack = stack_name(c->model, dir);
    if (opts->model_only)
        return 0;
    c->provider = pick_provider(c->model, d);
    if (!c->provider)
        return TSK_ERROR;
    tsk_graph_init(&c->graph, c->provider, c->stack);
    c->lowered = 1;
    if (c->provider->lower(c->model, &c->graph, d) != 0 || d->nerr > nerr0)
        return TSK_ERROR;
    return tsk_graph_check(&c->graph, &c->order, d);
}

void tsk_config_free(struct tsk_config *c)
{
    if (!c)
        return;
    free(c->order);
    if (c->lowered)
        tsk_graph_free(&c->graph);
    if (c->model)
        tsk_model_free(c->model);
    tsk_doc_free(c->doc);
    tsk_srcfs_release(&c->srcfs);
    free(c->stack);
    free(c->dir);
    free(c);
}

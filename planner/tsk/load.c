/* load.c - reading *.tsk files (file system or a caller's reader) into one
 * document, in order, sharing globals. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads a whole file with one allocation of its size. */
static int read_fs(const char *path, struct tsk_buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return TSK_EIO;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return TSK_EIO;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        tsk_buf_grow(out, (size_t)st.st_size + 1);
    for (;;) {
        if (out->alloc <= out->len + 1)
            tsk_buf_grow(out, 65536);
        ssize_t n = read(fd, out->ptr + out->len, out->alloc - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            errno = e;
            return TSK_EIO;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->ptr[out->len] = '\0';
    }
    close(fd);
    return 0;
}

int tsk_load_read(const struct tsk_load_opts *opts, const char *path,
                  struct tsk_buf *out)
{
    errno = 0;
    if (opts && opts->read_file)
        return opts->read_file(opts->ctx, path, out);
    return read_fs(path, out);
}

/* Makes a source of text (takes the bytes of b), dropping a leading BOM. */
static struct tsk_src *make_src(const char *prefix, const char *name,
                                struct tsk_buf *b)
{
    struct tsk_src *s = tsk_xcalloc(1, sizeof(*s));
    s->name = tsk_xasprintf("%s%s", prefix ? prefix : "", name);
    size_t len;
    char *text = tsk_buf_detach(b, &len);
    if (!text) {
        text = tsk_xstrdup("");
        len = 0;
    }
    if (len >= 3 && (unsigned char)text[0] == 0xEF &&
        (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF) {
        memmove(text, text + 3, len - 3);
        len -= 3;
        text[len] = '\0';
    }
    s->text = text;
    s->len = len;
    return s;
}

/* Reads a regular file of 64 KiB or more into the document's arena, which
 * it first sizes for the whole document (about ARENA_PER_BYTE bytes per
 * source byte), so that the text and everything made from it share huge
 * pages (doc.c). Returns the source, or NULL to fall back to reading into
 * a buffer of its own (small files, special files, errors: the fallback
 * reports them). */
#define ARENA_FILE_MIN 65536
#define ARENA_PER_BYTE 8

static struct tsk_src *arena_src(struct tsk_doc *doc, const char *prefix,
                                 const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size < ARENA_FILE_MIN || (uint64_t)st.st_size >= UINT32_MAX) {
        close(fd);
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    tsk_arena_reserve(&doc->arena, len * (ARENA_PER_BYTE + 1) + 4096);
    char *text = tsk_arena_alloc(&doc->arena, len + 1);
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, text + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != len) /* changed or unreadable: read it the ordinary way */
        return NULL;
    text[len] = '\0';
    struct tsk_src *s = tsk_xcalloc(1, sizeof(*s));
    s->name = tsk_xasprintf("%s%s", prefix ? prefix : "", path);
    s->text = text;
    s->len = len;
    if (len >= 3 && (unsigned char)text[0] == 0xEF &&
        (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF) {
        s->text = text + 3;
        s->len = len - 3;
    }
    struct tsk_map *mp = TSK_ARRAY_PUSH(doc->maps);
    mp->src = s; /* the text is the arena's: not freed alone */
    return s;
}

static void parse_src(struct tsk_parser *p, struct tsk_src *src,
                      const char *path)
{
    *TSK_ARRAY_PUSH(p->doc->srcs) = src;
    p->src = src;
    p->path = path;
    p->file_index++;
    if (src->len > UINT32_MAX - 1) {
        struct tsk_pos pos = {src, 1, 1, 0};
        tsk_diag_error(p->d, &pos, "file too large (4 GiB or more)");
        return;
    }
    tsk_parse_file(p);
}

static void parser_init(struct tsk_parser *p, struct tsk_doc *doc,
                        struct tsk_diags *d, const struct tsk_load_opts *opts)
{
    memset(p, 0, sizeof(*p));
    p->doc = doc;
    p->d = d;
    p->opts = opts;
    p->sbuf = (struct tsk_buf)TSK_BUF_INIT;
    if (!d->max_errors)
        d->max_errors = 50;
}

static void parser_release(struct tsk_parser *p)
{
    for (size_t i = 0; i < p->ipool.n; i++)
        free(p->ipool.v[i].e);
    TSK_ARRAY_FREE(p->ipool);
    TSK_ARRAY_FREE(p->scopes);
    TSK_ARRAY_FREE(p->keys);
    tsk_buf_release(&p->sbuf);
}

int tsk_doc_load_files(struct tsk_doc **out, const char *const *paths,
                       size_t n, const struct tsk_load_opts *opts,
                       struct tsk_diags *d)
{
    struct tsk_doc *doc = tsk_doc_new();
    struct tsk_parser p;
    int nerr0 = d->nerr;
    const char *prefix = opts ? opts->display_prefix : NULL;
    *out = doc;
    parser_init(&p, doc, d, opts);
    for (size_t i = 0; i < n && !p.halt; i++) {
        struct tsk_buf b = TSK_BUF_INIT;
        struct tsk_src *ms = opts && opts->read_file ? NULL
                             : arena_src(doc, prefix, paths[i]);
        if (ms) {
            parse_src(&p, ms, paths[i]);
            continue;
        }
        if (tsk_load_read(opts, paths[i], &b) != 0) {
            int e = errno;
            tsk_buf_release(&b);
            tsk_diag_error(d, NULL, "cannot read %s%s: %s", prefix ? prefix : "",
                           paths[i], e ? strerror(e) : "read failed");
            continue;
        }
        parse_src(&p, make_src(prefix, paths[i], &b), paths[i]);
    }
    parser_release(&p);
    return d->nerr > nerr0 ? TSK_ERROR : 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tsk_doc_load_dir(struct tsk_doc **out, const char *dir,
                     const struct tsk_load_opts *opts, struct tsk_diags *d)
{
    DIR *dh = opendir(dir);
    TSK_ARRAY(char *) names = {0};
    if (!dh) {
        *out = tsk_doc_new();
        if (!d->max_errors)
            d->max_errors = 50;
        return tsk_diag_error(d, NULL, "cannot read folder %s: %s", dir,
                              strerror(errno));
    }
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".tsk") != 0)
            continue;
        char *path = strcmp(dir, ".") == 0
                         ? tsk_xstrdup(de->d_name)
                         : tsk_xasprintf("%s%s%s", dir,
                                         dir[0] && dir[strlen(dir) - 1] == '/'
                                             ? "" : "/",
                                         de->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        *TSK_ARRAY_PUSH(names) = path;
    }
    closedir(dh);
    if (names.n > 1) /* qsort(NULL, 0, ...) is undefined behaviour */
        qsort(names.v, names.n, sizeof(*names.v), cmp_str);
    int rc;
    if (names.n == 0) {
        *out = tsk_doc_new();
        if (!d->max_errors)
            d->max_errors = 50;
        rc = tsk_diag_error(d, NULL, "no *.tsk files in %s", dir);
    } else {
        rc = tsk_doc_load_files(out, (const char *const *)names.v, names.n,
                                opts, d);
    }
    for (size_t i = 0; i < names.n; i++)
        free(names.v[i]);
    TSK_ARRAY_FREE(names);
    return rc;
}

int tsk_doc_load_string(struct tsk_doc **out, const char *name,
                        const char *text, size_t len, struct tsk_diags *d)
{
    struct tsk_doc *doc = tsk_doc_new();
    struct tsk_parser p;
    int nerr0 = d->nerr;
    struct tsk_buf b = TSK_BUF_INIT;
    *out = doc;
    tsk_buf_add(&b, text, len);
    parser_init(&p, doc, d, NULL);
    parse_src(&p, make_src(NULL, name, &b), name);
    parser_release(&p);
    return d->nerr > nerr0 ? TSK_ERROR : 0;
}

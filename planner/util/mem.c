/* mem.c - allocation wrappers that abort on out-of-memory, file reading. */
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "tuskform: out of memory (%zu bytes)\n", n);
    abort();
}

void *tsk_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *tsk_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *tsk_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *tsk_xstrdup(const char *s)
{
    return tsk_xstrndup(s, strlen(s));
}

char *tsk_xstrndup(const char *s, size_t n)
{
    char *p = tsk_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *tsk_xasprintf(const char *fmt, ...)
{
    struct tsk_buf b = TSK_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tsk_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    return tsk_buf_detach(&b, NULL);
}

int tsk_read_file(const char *path, struct tsk_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    if (!f)
        return TSK_EIO;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        tsk_buf_add(out, chunk, n);
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        errno = e;
        return TSK_EIO;
    }
    fclose(f);
    return TSK_OK;
}

struct tsk_src *tsk_src_new(const char *name, const char *text, size_t len)
{
    struct tsk_src *s = tsk_xcalloc(1, sizeof(*s));
    s->name = tsk_xstrdup(name);
    s->text = tsk_xstrndup(text, len);
    s->len = len;
    return s;
}

void tsk_src_free(struct tsk_src *src)
{
    if (!src)
        return;
    free(src->name);
    free(src->text);
    free(src);
}

void tsk_permute(void *v, size_t n, size_t size, size_t *from)
{
    char *b = v, *tmp = NULL;
    for (size_t k = 0; k < n; k++) {
        if (from[k] == k)
            continue;
        if (!tmp)
            tmp = tsk_xmalloc(size);
        memcpy(tmp, b + k * size, size);
        for (size_t j = k;;) {
            size_t src = from[j];
            from[j] = j; /* done */
            if (src == k) {
                memcpy(b + j * size, tmp, size);
                break;
            }
            memcpy(b + j * size, b + src * size, size);
            j = src;
        }
    }
    free(tmp);
}

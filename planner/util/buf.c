/* buf.c - the growable string buffer (struct tsk_buf). */
#include "util.h"

#include <stdlib.h>
#include <string.h>

char tsk_buf__empty[1];

void tsk_buf_grow(struct tsk_buf *b, size_t extra)
{
    size_t want = b->len + extra + 1;
    if (want <= b->alloc)
        return;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < want)
        n *= 2;
    if (b->alloc == 0) {
        b->ptr = tsk_xmalloc(n);
        b->ptr[0] = '\0';
    } else {
        b->ptr = tsk_xrealloc(b->ptr, n);
    }
    b->alloc = n;
}

void tsk_buf_add(struct tsk_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    tsk_buf_grow(b, n);
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void tsk_buf_adds(struct tsk_buf *b, const char *s)
{
    tsk_buf_add(b, s, strlen(s));
}

void tsk_buf_addch(struct tsk_buf *b, char c)
{
    tsk_buf_grow(b, 1);
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
}

void tsk_buf_vaddf(struct tsk_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n <= 0)
        return;
    tsk_buf_grow(b, (size_t)n);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void tsk_buf_addf(struct tsk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tsk_buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void tsk_buf_reset(struct tsk_buf *b)
{
    b->len = 0;
    if (b->alloc)
        b->ptr[0] = '\0';
}

char *tsk_buf_detach(struct tsk_buf *b, size_t *len)
{
    char *p;
    if (b->alloc == 0)
        p = tsk_xstrdup("");
    else
        p = b->ptr;
    if (len)
        *len = b->len;
    b->ptr = tsk_buf__empty;
    b->len = b->alloc = 0;
    return p;
}

void tsk_buf_release(struct tsk_buf *b)
{
    if (b->alloc)
        free(b->ptr);
    b->ptr = tsk_buf__empty;
    b->len = b->alloc = 0;
}

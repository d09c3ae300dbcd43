/* bump.c - the bump allocator of util.h: blocks carved from chunks. */
#include "util.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#define BUMP_CHUNK ((size_t)64 * 1024)

struct tsk_bump_chunk {
    struct tsk_bump_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

void *tsk_bump_alloc(struct tsk_bump *b, size_t n, size_t align)
{
    struct tsk_bump_chunk *c = b->chunks;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->cap || c->cap - at < n) {
        size_t cap = n > BUMP_CHUNK ? n : BUMP_CHUNK;
        c = tsk_xmalloc(sizeof(*c) + cap);
        c->cap = cap;
        c->next = b->chunks;
        b->chunks = c;
        at = 0; /* data is aligned for any type */
    }
    c->used = at + n;
    return (char *)c->data + at;
}

void tsk_bump_giveback(struct tsk_bump *b, size_t n)
{
    if (b->chunks && n <= b->chunks->used)
        b->chunks->used -= n;
}

void tsk_bump_free(struct tsk_bump *b)
{
    for (struct tsk_bump_chunk *c = b->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    b->chunks = NULL;
}

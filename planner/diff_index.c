/* diff_index.c - the address index of the diff: a hash table. */
#include "planner/diff_int.h"

#include <stdlib.h>

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void tsk_diff__aidx_init(struct tsk_aidx *x, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 2)
        cap *= 2;
    x->v = tsk_xcalloc(cap, sizeof(*x->v));
    x->mask = cap - 1;
    x->n = 0;
}

void tsk_diff__aidx_put(struct tsk_aidx *x, const char *addr, size_t i)
{
    if (2 * (x->n + 1) > x->mask + 1) { /* more than planned: grow */
        struct tsk_aidx old = *x;
        tsk_diff__aidx_init(x, 2 * old.n + 2);
        for (size_t k = 0; k <= old.mask; k++)
            if (old.v[k].addr)
                tsk_diff__aidx_put(x, old.v[k].addr, old.v[k].i);
        free(old.v);
    }
    uint32_t h = hash(addr);
    for (size_t k = h & x->mask;; k = (k + 1) & x->mask) {
        struct tsk_aidx_slot *s = &x->v[k];
        if (!s->addr) {
            *s = (struct tsk_aidx_slot){addr, i, h};
            x->n++;
            return;
        }
        if (s->h == h && strcmp(s->addr, addr) == 0)
            return;
    }
}

size_t tsk_diff__aidx_find(const struct tsk_aidx *x, const char *addr)
{
    if (!x->v || !addr)
        return SIZE_MAX;
    uint32_t h = hash(addr);
    for (size_t k = h & x->mask;; k = (k + 1) & x->mask) {
        const struct tsk_aidx_slot *s = &x->v[k];
        if (!s->addr)
            return SIZE_MAX;
        if (s->h == h && strcmp(s->addr, addr) == 0)
            return s->i;
    }
}

void tsk_diff__aidx_free(struct tsk_aidx *x)
{
    free(x->v);
    memset(x, 0, sizeof(*x));
}

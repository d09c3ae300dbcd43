/* strpool.c - interned strings and shared cJSON member names. */
#include "planner/strpool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "planner/util/util.h"

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void put(char **slots, size_t cap, char *s)
{
    size_t i = (size_t)hash(s) & (cap - 1);
    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = s;
}

/* Keeps the load factor under 1/2. */
static void grow(struct tsk_strpool *p)
{
    if (2 * (p->n + 1) <= p->cap)
        return;
    size_t cap = p->cap ? 2 * p->cap : 64;
    char **slots = tsk_xcalloc(cap, sizeof(*slots));
    for (size_t i = 0; i < p->cap; i++)
        if (p->slots[i])
            put(slots, cap, p->slots[i]);
    free(p->slots);
    p->slots = slots;
    p->cap = cap;
}

const char *tsk_strpool_get(struct tsk_strpool *p, const char *s)
{
    if (!s)
        return NULL;
    if (p->cap) {
        size_t i = (size_t)hash(s) & (p->cap - 1);
        for (; p->slots[i]; i = (i + 1) & (p->cap - 1))
            if (strcmp(p->slots[i], s) == 0)
                return p->slots[i];
    }
    grow(p);
    char *own = tsk_xstrdup(s);
    put(p->slots, p->cap, own);
    p->n++;
    return own;
}

void tsk_strpool_keys(struct tsk_strpool *p, cJSON *tree)
{
    for (cJSON *c = tree ? tree->child : NULL; c; c = c->next) {
        if (c->string && !(c->type & cJSON_StringIsConst)) {
            char *old = c->string;
            c->string = (char *)tsk_strpool_get(p, old);
            c->type |= cJSON_StringIsConst;
            cJSON_free(old);
        }
        if (c->child)
            tsk_strpool_keys(p, c);
    }
}

void tsk_strpool_free(struct tsk_strpool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->cap; i++)
        free(p->slots[i]);
    free(p->slots);
    memset(p, 0, sizeof(*p));
}

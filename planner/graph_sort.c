/*
 * graph_sort.c - sorting node indexes by address (tsk_graph__sort), for
 * the deterministic order, the cycle reports and the DOT and JSON output.
 */
#include "planner/graph.h"
#include "planner/graph_int.h"

#include <stdlib.h>
#include <string.h>

/* Sorting by address. An address is "type.name", and every node's type
 * is the pooled copy, so addresses compare as (the rank of "type."
 * among the types present, then the name); the name compares by its
 * first 8 bytes as a big-endian number, then by the rest. Each entry
 * carries its keys, so most comparisons read no string at all. */
struct sort_key {
    uint64_t name8;
    uint32_t type;
    uint32_t node;
};

/* The first 8 bytes of s as a big-endian number, zero-padded. */
static uint64_t prefix8(const char *s)
{
    uint64_t k = 0;
    int i = 0;
    for (; i < 8 && s[i]; i++)
        k = k << 8 | (unsigned char)s[i];
    return i == 0 ? 0 : i == 8 ? k : k << (8 * (8 - i));
}

/* by_addr: the keys could not be ranked (rank_types), compare the whole
 * addresses instead. */
static int key_cmp(const struct tsk_graph *g, const struct sort_key *a,
                   const struct sort_key *b, int by_addr)
{
    if (by_addr)
        return strcmp(g->nodes.v[a->node].addr, g->nodes.v[b->node].addr);
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->name8 != b->name8)
        return a->name8 < b->name8 ? -1 : 1;
    if ((a->name8 & 0xff) == 0) /* both names end within 8 bytes */
        return 0;
    return strcmp(g->nodes.v[a->node].name + 8, g->nodes.v[b->node].name + 8);
}

static void key_msort(const struct tsk_graph *g, struct sort_key *v,
                      struct sort_key *tmp, size_t n, int by_addr)
{
    if (n < 2)
        return;
    size_t h = n / 2, i = 0, j = h, k = 0;
    key_msort(g, v, tmp, h, by_addr);
    key_msort(g, v + h, tmp, n - h, by_addr);
    if (key_cmp(g, &v[h - 1], &v[h], by_addr) <= 0)
        return; /* already in order */
    while (i < h && j < n) {
        if (key_cmp(g, &v[j], &v[i], by_addr) < 0)
            tmp[k++] = v[j++];
        else
            tmp[k++] = v[i++];
    }
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
}

/* strcmp of "a." and "b."; *tied is set when the order of the two
 * types alone cannot decide between their addresses (a type that goes
 * on with a '.' where the other ends). */
static int type_dot_cmp(const char *a, const char *b, int *tied)
{
    for (;; a++, b++) {
        unsigned char x = *a ? (unsigned char)*a : '.';
        unsigned char y = *b ? (unsigned char)*b : '.';
        if (x != y)
            return x < y ? -1 : 1;
        if (!*a || !*b) {
            if (*a || *b)
                *tied = 1;
            return 0;
        }
    }
}

#define MAX_SORT_TYPES 64

/* Ranks the distinct types of v[0..n) into key[]; returns 0 when the
 * keys cannot order the addresses (too many types, or a tie). */
static int rank_types(const struct tsk_graph *g, const uint32_t *v, size_t n,
                      struct sort_key *key)
{
    const char *types[MAX_SORT_TYPES];
    uint32_t rank[MAX_SORT_TYPES];
    size_t nt = 0;
    int tied = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = g->nodes.v[v[i]].type;
        size_t k = 0;
        while (k < nt && types[k] != t)
            k++;
        if (k == nt) {
            if (nt == MAX_SORT_TYPES)
                return 0;
            types[nt++] = t;
        }
        key[i].type = (uint32_t)k;
    }
    for (size_t a = 0; a < nt; a++) {
        rank[a] = 0;
        for (size_t b = 0; b < nt; b++)
            if (b != a && type_dot_cmp(types[b], types[a], &tied) < 0)
                rank[a]++;
    }
    if (tied)
        return 0;
    for (size_t i = 0; i < n; i++)
        key[i].type = rank[key[i].type];
    return 1;
}

void tsk_graph__sort(const struct tsk_graph *g, uint32_t *v, size_t n)
{
    if (n < 2)
        return;
    struct sort_key *key = tsk_xmalloc(2 * n * sizeof(*key));
    int by_addr = !rank_types(g, v, n, key);
    for (size_t i = 0; i < n; i++) {
        key[i].node = v[i];
        key[i].name8 = by_addr ? 0 : prefix8(g->nodes.v[v[i]].name);
    }
    key_msort(g, key, key + n, n, by_addr);
    for (size_t i = 0; i < n; i++)
        v[i] = key[i].node;
    free(key);
}

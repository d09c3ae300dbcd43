/*
 * graph.c - building the desired-state graph: nodes, the address index,
 * references and dependencies. Checking and ordering are in graph_check.c,
 * sorting by address in graph_sort.c, DOT and JSON output in graph_out.c.
 */
#include "planner/graph.h"
#include "planner/graph_int.h"

#include <stdlib.h>
#include <string.h>

#include "planner/strpool.h"
#include "providers/provider.h"

enum pool_use { POOL_TYPE, POOL_FUNCTION, POOL_ATTR, POOL_TARGET, POOL_USES };

/* Open addressing: slot = (32-bit hash << 32) | (node index + 1), 0 =
 * empty; cap a power of 2. The stored hash spares most string compares
 * and every string read when the table grows. The strings nodes share
 * (types, reference attribute names, function keys, sensitive paths) are
 * pooled, and addresses are carved from chunks: a node costs no
 * allocation of its own but its attributes and edge arrays. */
struct tsk_graph__index {
    uint64_t *slots;
    size_t cap;
    struct tsk_strpool strs;
    struct {
        const char *in, *out;
    } last[POOL_USES]; /* per use: the last string looked up, its copy */
    struct tsk_bump addrs; /* the addresses */
};

static uint32_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (uint32_t)(h ^ (h >> 32));
}

static void index_put(struct tsk_graph__index *ix, uint32_t h, uint32_t node)
{
    size_t mask = ix->cap - 1, i = (size_t)h & mask;
    while (ix->slots[i])
        i = (i + 1) & mask;
    ix->slots[i] = (uint64_t)h << 32 | (uint64_t)(node + 1);
}

/* Makes room for n entries at a load factor under 1/2. */
static void index_reserve(struct tsk_graph__index *ix, size_t n)
{
    if (ix->cap >= 2 * n + 2)
        return;
    size_t cap = ix->cap ? ix->cap : 64;
    while (cap < 2 * n + 2)
        cap *= 2;
    uint64_t *old = ix->slots;
    size_t ocap = ix->cap;
    ix->slots = tsk_xcalloc(cap, sizeof(*ix->slots));
    ix->cap = cap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i])
            index_put(ix, (uint32_t)(old[i] >> 32),
                      (uint32_t)(old[i] & 0xffffffffu) - 1);
    free(old);
}

/* The node at addr (hash h), or UINT32_MAX; *slot gets the empty slot
 * where it would go. */
static uint32_t index_get(const struct tsk_graph *g, const char *addr,
                          uint32_t h, size_t *slot)
{
    const struct tsk_graph__index *ix = g->index;
    size_t mask = ix->cap - 1, i = (size_t)h & mask;
    for (; ix->slots[i]; i = (i + 1) & mask) {
        uint64_t e = ix->slots[i];
        if ((uint32_t)(e >> 32) != h)
            continue;
        uint32_t k = (uint32_t)(e & 0xffffffffu) - 1;
        if (strcmp(g->nodes.v[k].addr, addr) == 0)
            return k;
    }
    if (slot)
        *slot = i;
    return UINT32_MAX;
}

/* The pooled copy of s. Lookups repeat: a function's nodes come one
 * after another, with the same key, type names and attribute names, so
 * each use remembers its last string (compared, not trusted by address:
 * the caller's string may be a reused buffer). */
static const char *pooled(struct tsk_graph *g, enum pool_use use, const char *s)
{
    struct tsk_graph__index *ix = g->index;
    if (!s)
        s = "";
    if (s == ix->last[use].in && strcmp(s, ix->last[use].out) == 0)
        return ix->last[use].out;
    ix->last[use].in = s;
    ix->last[use].out = tsk_strpool_get(&ix->strs, s);
    return ix->last[use].out;
}

void tsk_graph_init(struct tsk_graph *g, const struct tsk_provider *prov,
                    const char *stack)
{
    memset(g, 0, sizeof(*g));
    g->prov = prov;
    g->stack = tsk_xstrdup(stack ? stack : "");
    g->index = tsk_xcalloc(1, sizeof(*g->index));
}

void tsk_graph_reserve(struct tsk_graph *g, size_t n)
{
    if (n > UINT32_MAX - 2)
        return;
    TSK_ARRAY_GROW(g->nodes, n);
    index_reserve(g->index, n);
}

void tsk_graph_free(struct tsk_graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nodes.n; i++) {
        struct tsk_node *n = &g->nodes.v[i];
        /* addresses and pooled strings go with the index */
        cJSON_Delete(n->attrs);
        TSK_ARRAY_FREE(n->refs);
        TSK_ARRAY_FREE(n->sensitive);
        TSK_ARRAY_FREE(n->deps);
        TSK_ARRAY_FREE(n->rdeps);
    }
    TSK_ARRAY_FREE(g->nodes);
    free(g->stack);
    if (g->index) {
        free(g->index->slots);
        tsk_strpool_free(&g->index->strs);
        tsk_bump_free(&g->index->addrs);
    }
    free(g->index);
    memset(g, 0, sizeof(*g));
}

uint32_t tsk_graph_find(const struct tsk_graph *g, const char *addr)
{
    const struct tsk_graph__index *ix = g->index;
    if (!ix || ix->cap == 0 || !addr)
        return UINT32_MAX;
    return index_get(g, addr, hash_str(addr), NULL);
}

int tsk_graph_name_ok(const char *name)
{
    if (!name || !*name)
        return 0;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

uint32_t tsk_graph_add(struct tsk_graph *g, const char *type, const char *name,
                       cJSON *attrs, const struct tsk_pos *pos,
                       struct tsk_diags *d)
{
    const struct tsk_provider *prov = g->prov;
    const struct tsk_resource_type *rt;

    if (!prov)
        prov = tsk_provider_for_type(type);
    rt = tsk_provider_type(prov, type);
    if (!rt) {
        tsk_diag_error(d, pos,
                       "resource type \"%s\" is not a type of "
                       "provider \"%s\"",
                       type ? type : "", prov ? prov->name : "(none)");
        cJSON_Delete(attrs);
        return UINT32_MAX;
    }
    if (!tsk_graph_name_ok(name)) {
        tsk_diag_error(d, pos,
                       "invalid resource name \"%s\" for %s: use "
                       "letters, digits, '_' and '-'",
                       name ? name : "", type);
        cJSON_Delete(attrs);
        return UINT32_MAX;
    }
    if (g->nodes.n >= UINT32_MAX - 2)
        abort(); /* more nodes than indexes: cannot happen in practice */
    struct tsk_graph__index *ix = g->index;
    index_reserve(ix, g->nodes.n + 1);
    /* "type.name", the name inside the address */
    size_t tl = strlen(type), nl = strlen(name), slot = 0;
    char *addr = tsk_bump_alloc(&ix->addrs, tl + nl + 2, 1);
    memcpy(addr, type, tl);
    addr[tl] = '.';
    memcpy(addr + tl + 1, name, nl + 1);
    uint32_t h = hash_str(addr);
    uint32_t prev = index_get(g, addr, h, &slot);
    if (prev != UINT32_MAX) {
        const struct tsk_pos *pp = &g->nodes.v[prev].pos;
        tsk_diag_error(d, pos, "two resources have the address %s", addr);
        tsk_diag_addr(d, addr);
        if (pp->src)
            tsk_diag_detail(d, "the other is made at %s:%u:%u", pp->src->name,
                            pp->line, pp->col);
        tsk_bump_giveback(&ix->addrs, tl + nl + 2);
        cJSON_Delete(attrs);
        return UINT32_MAX;
    }
    struct tsk_node *n = TSK_ARRAY_PUSH(g->nodes);
    uint32_t idx = (uint32_t)(g->nodes.n - 1);
    n->addr = addr;
    n->name = addr + tl + 1;
    n->type = (char *)pooled(g, POOL_TYPE, type);
    n->rt = rt;
    n->prov = prov;
    n->attrs = attrs ? attrs : cJSON_CreateObject();
    if (!n->attrs)
        abort();
    if (pos)
        n->pos = *pos;
    ix->slots[slot] = (uint64_t)h << 32 | (uint64_t)(idx + 1);
    return idx;
}

/* Appends a zeroed slot to a node's edge array, growing it from `first`
 * entries by doubling: most nodes have one or two edges, which the
 * general arrays' first growth (9 entries) would overshoot. */
#define EDGE_PUSH(a, first)                                                    \
    ((a).n == (a).alloc                                                        \
         ? ((a).alloc = (a).alloc ? 2 * (a).alloc : (first),                   \
            (a).v = tsk_xrealloc((a).v, (a).alloc * sizeof(*(a).v)))           \
         : (a).v,                                                              \
     memset(&(a).v[(a).n], 0, sizeof(*(a).v)), &(a).v[(a).n++])

static int has_u32(const uint32_t *v, size_t n, uint32_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

void tsk_graph_dep(struct tsk_graph *g, uint32_t node, uint32_t target)
{
    if (node >= g->nodes.n || target >= g->nodes.n)
        return;
    struct tsk_node *n = &g->nodes.v[node];
    if (has_u32(n->deps.v, n->deps.n, target))
        return;
    *EDGE_PUSH(n->deps, 4) = target;
    struct tsk_node *t = &g->nodes.v[target];
    *EDGE_PUSH(t->rdeps, 4) = node;
}

void tsk_graph_ref(struct tsk_graph *g, uint32_t node, const char *attr,
                   uint32_t target, const char *target_attr)
{
    if (node >= g->nodes.n || target >= g->nodes.n)
        return;
    const char *a = pooled(g, POOL_ATTR, attr);
    const char *ta = pooled(g, POOL_TARGET, target_attr);
    struct tsk_ref *r = EDGE_PUSH(g->nodes.v[node].refs, 1);
    r->attr = (char *)a;
    r->target = target;
    r->target_attr = (char *)ta;
    tsk_graph_dep(g, node, target);
}

void tsk_graph_set_function(struct tsk_graph *g, uint32_t node, const char *key)
{
    if (node >= g->nodes.n)
        return;
    g->nodes.v[node].function = key ? pooled(g, POOL_FUNCTION, key) : NULL;
}

void tsk_graph_sensitive(struct tsk_graph *g, uint32_t node, const char *path)
{
    if (node >= g->nodes.n || !path)
        return;
    const char *p = pooled(g, POOL_ATTR, path);
    *EDGE_PUSH(g->nodes.v[node].sensitive, 2) = (char *)p;
}

const struct tsk_ref *tsk_graph_ref_of(const struct tsk_graph *g, uint32_t node,
                                       const char *attr)
{
    if (node >= g->nodes.n || !attr)
        return NULL;
    const struct tsk_node *n = &g->nodes.v[node];
    for (size_t i = 0; i < n->refs.n; i++) {
        const char *ra = n->refs.v[i].attr;
        if (ra == attr || (ra[0] == attr[0] && strcmp(ra, attr) == 0))
            return &n->refs.v[i];
    }
    return NULL;
}

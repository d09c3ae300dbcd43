/*
 * graph.c - building the desired-state graph: nodes, the address index,
 * references and dependencies. Checking and ordering are in graph_check.c,
 * DOT and JSON output in graph_out.c.
 */
#include "planner/graph.h"
#include "planner/graph_int.h"

#include <stdlib.h>
#include <string.h>

#include "providers/provider.h"

/* Open addressing: slot = node index + 1, 0 = empty; cap a power of 2. */
struct tsk_graph__index {
    uint32_t *slots;
    size_t cap;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void index_put(struct tsk_graph__index *ix, const char *addr,
                      uint32_t node)
{
    size_t mask = ix->cap - 1, i = (size_t)hash_str(addr) & mask;
    while (ix->slots[i])
        i = (i + 1) & mask;
    ix->slots[i] = node + 1;
}

/* Makes room for n entries at a load factor under 1/2. */
static void index_reserve(struct tsk_graph *g, size_t n)
{
    struct tsk_graph__index *ix = g->index;
    if (ix->cap >= 2 * n + 2)
        return;
    size_t cap = ix->cap ? ix->cap : 64;
    while (cap < 2 * n + 2)
        cap *= 2;
    free(ix->slots);
    ix->slots = tsk_xcalloc(cap, sizeof(*ix->slots));
    ix->cap = cap;
    for (size_t i = 0; i + 1 < n && i < g->nodes.n; i++)
        index_put(ix, g->nodes.v[i].addr, (uint32_t)i);
}

void tsk_graph_init(struct tsk_graph *g, const struct tsk_provider *prov,
                    const char *stack)
{
    memset(g, 0, sizeof(*g));
    g->prov = prov;
    g->stack = tsk_xstrdup(stack ? stack : "");
    g->index = tsk_xcalloc(1, sizeof(*g->index));
}

void tsk_graph_free(struct tsk_graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nodes.n; i++) {
        struct tsk_node *n = &g->nodes.v[i];
        free(n->addr); /* type and name live in its block */
        cJSON_Delete(n->attrs);
        for (size_t j = 0; j < n->refs.n; j++) {
            free(n->refs.v[j].attr);
            free(n->refs.v[j].target_attr);
        }
        TSK_ARRAY_FREE(n->refs);
        for (size_t j = 0; j < n->sensitive.n; j++)
            free(n->sensitive.v[j]);
        TSK_ARRAY_FREE(n->sensitive);
        TSK_ARRAY_FREE(n->deps);
        TSK_ARRAY_FREE(n->rdeps);
        free((char *)n->function);
    }
    TSK_ARRAY_FREE(g->nodes);
    free(g->stack);
    if (g->index)
        free(g->index->slots);
    free(g->index);
    memset(g, 0, sizeof(*g));
}

uint32_t tsk_graph_find(const struct tsk_graph *g, const char *addr)
{
    const struct tsk_graph__index *ix = g->index;
    if (!ix || ix->cap == 0 || !addr)
        return UINT32_MAX;
    size_t mask = ix->cap - 1, i = (size_t)hash_str(addr) & mask;
    for (; ix->slots[i]; i = (i + 1) & mask) {
        uint32_t k = ix->slots[i] - 1;
        if (strcmp(g->nodes.v[k].addr, addr) == 0)
            return k;
    }
    return UINT32_MAX;
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
    char *addr;

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
    /* One block: "type.name\0type\0", name inside the address. */
    size_t tl = strlen(type), nl = strlen(name);
    addr = tsk_xmalloc(2 * tl + nl + 3);
    memcpy(addr, type, tl);
    addr[tl] = '.';
    memcpy(addr + tl + 1, name, nl + 1);
    memcpy(addr + tl + nl + 2, type, tl + 1);
    uint32_t prev = tsk_graph_find(g, addr);
    if (prev != UINT32_MAX) {
        const struct tsk_pos *pp = &g->nodes.v[prev].pos;
        tsk_diag_error(d, pos, "two resources have the address %s", addr);
        tsk_diag_addr(d, addr);
        if (pp->src)
            tsk_diag_detail(d, "the other is made at %s:%u:%u", pp->src->name,
                            pp->line, pp->col);
        free(addr);
        cJSON_Delete(attrs);
        return UINT32_MAX;
    }
    if (g->nodes.n >= UINT32_MAX - 1)
        abort(); /* more nodes than indexes: cannot happen in practice */
    struct tsk_node *n = TSK_ARRAY_PUSH(g->nodes);
    uint32_t idx = (uint32_t)(g->nodes.n - 1);
    n->addr = addr;
    n->name = addr + tl + 1;
    n->type = addr + tl + nl + 2;
    n->rt = rt;
    n->prov = prov;
    n->attrs = attrs ? attrs : cJSON_CreateObject();
    if (!n->attrs)
        abort();
    if (pos)
        n->pos = *pos;
    index_reserve(g, g->nodes.n);
    index_put(g->index, addr, idx);
    return idx;
}

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
    *TSK_ARRAY_PUSH(n->deps) = target;
    struct tsk_node *t = &g->nodes.v[target];
    *TSK_ARRAY_PUSH(t->rdeps) = node;
}

void tsk_graph_ref(struct tsk_graph *g, uint32_t node, const char *attr,
                   uint32_t target, const char *target_attr)
{
    if (node >= g->nodes.n || target >= g->nodes.n)
        return;
    struct tsk_ref *r = TSK_ARRAY_PUSH(g->nodes.v[node].refs);
    r->attr = tsk_xstrdup(attr);
    r->target = target;
    r->target_attr = tsk_xstrdup(target_attr);
    tsk_graph_dep(g, node, target);
}

void tsk_graph_set_function(struct tsk_graph *g, uint32_t node, const char *key)
{
    if (node >= g->nodes.n)
        return;
    struct tsk_node *n = &g->nodes.v[node];
    free((char *)n->function);
    n->function = key ? tsk_xstrdup(key) : NULL;
}

void tsk_graph_sensitive(struct tsk_graph *g, uint32_t node, const char *path)
{
    if (node >= g->nodes.n || !path)
        return;
    *TSK_ARRAY_PUSH(g->nodes.v[node].sensitive) = tsk_xstrdup(path);
}

const struct tsk_ref *tsk_graph_ref_of(const struct tsk_graph *g, uint32_t node,
                                       const char *attr)
{
    if (node >= g->nodes.n || !attr)
        return NULL;
    const struct tsk_node *n = &g->nodes.v[node];
    for (size_t i = 0; i < n->refs.n; i++)
        if (strcmp(n->refs.v[i].attr, attr) == 0)
            return &n->refs.v[i];
    return NULL;
}

static void msort(const struct tsk_graph *g, uint32_t *v, uint32_t *tmp,
                  size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2, i = 0, j = h, k = 0;
    msort(g, v, tmp, h);
    msort(g, v + h, tmp, n - h);
    while (i < h && j < n) {
        if (strcmp(g->nodes.v[v[j]].addr, g->nodes.v[v[i]].addr) < 0)
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

void tsk_graph__sort(const struct tsk_graph *g, uint32_t *v, size_t n)
{
    uint32_t *tmp = tsk_xmalloc((n + 1) * sizeof(*tmp));
    msort(g, v, tmp, n);
    free(tmp);
}

/*
 * graph_check.c - checking a graph against its types' schemas, finding
 * cycles (Tarjan's strongly connected components, iteratively so deep
 * chains cannot overflow the stack) and the deterministic topological
 * order (Kahn's algorithm, ties broken by address with a min-heap).
 */
#include "planner/graph.h"
#include "planner/graph_int.h"

#include <stdlib.h>
#include <string.h>

#include "providers/provider.h"

static const char *type_name(enum tsk_attr_type t)
{
    switch (t) {
    case TSK_T_STRING:
        return "string";
    case TSK_T_NUMBER:
        return "number";
    case TSK_T_BOOL:
        return "bool";
    case TSK_T_LIST:
        return "list";
    case TSK_T_MAP:
        return "map of strings";
    case TSK_T_OBJECT:
        return "object";
    }
    return "value";
}

static const char *json_kind(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsNumber(v))
        return "number";
    if (cJSON_IsBool(v))
        return "bool";
    if (cJSON_IsArray(v))
        return "list";
    if (cJSON_IsObject(v))
        return "object";
    return "null";
}

static int type_ok(enum tsk_attr_type t, const cJSON *v)
{
    switch (t) {
    case TSK_T_STRING:
        return cJSON_IsString(v);
    case TSK_T_NUMBER:
        return cJSON_IsNumber(v);
    case TSK_T_BOOL:
        return cJSON_IsBool(v);
    case TSK_T_LIST:
        return cJSON_IsArray(v);
    case TSK_T_MAP:
        if (!cJSON_IsObject(v))
            return 0;
        for (const cJSON *c = v->child; c; c = c->next)
            if (!cJSON_IsString(c))
                return 0;
        return 1;
    case TSK_T_OBJECT:
        return cJSON_IsObject(v);
    }
    return 0;
}

/* tsk_schema_attr, first by address: the lowering's constant attribute
 * names are usually the very strings of the schema tables. */
static const struct tsk_attr_schema *attr_of(const struct tsk_schema *s,
                                             const char *name)
{
    if (!s || !s->attrs || !name)
        return NULL;
    for (const struct tsk_attr_schema *a = s->attrs; a->name; a++)
        if (a->name == name)
            return a;
    return tsk_schema_attr(s, name);
}

/* The member of object o named name (cJSON_GetObjectItemCaseSensitive). */
static const cJSON *member(const cJSON *o, const char *name)
{
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next)
        if (c->string && (c->string == name || strcmp(c->string, name) == 0))
            return c;
    return NULL;
}

static int node_error(struct tsk_diags *d, const struct tsk_node *n,
                      const char *msg, const char *attr)
{
    tsk_diag_error(d, &n->pos, "%s: attribute \"%s\" %s", n->addr, attr, msg);
    tsk_diag_addr(d, n->addr);
    return TSK_ERROR;
}

/* Unknown names, computed-only attributes set, and value types. */
static int check_values(const struct tsk_graph *g, uint32_t i,
                        struct tsk_diags *d)
{
    const struct tsk_node *n = &g->nodes.v[i];
    const struct tsk_schema *s = n->rt ? n->rt->schema : NULL;
    int rc = 0;
    if (!s)
        return 0;
    for (const cJSON *c = n->attrs ? n->attrs->child : NULL; c; c = c->next) {
        const struct tsk_attr_schema *a = attr_of(s, c->string);
        if (!a) {
            const char *names[64];
            size_t k = 0;
            for (const struct tsk_attr_schema *x = s->attrs; x->name && k < 64;
                 x++)
                names[k++] = x->name;
            rc = node_error(d, n, "is not in the schema", c->string);
            const char *dym = tsk_did_you_mean(c->string, names, k);
            if (dym)
                tsk_diag_detail(d, "did you mean \"%s\"?", dym);
        } else if (!(a->flags & (TSK_A_REQUIRED | TSK_A_OPTIONAL))) {
            rc = node_error(d, n,
                            "is computed by the provider and cannot "
                            "be set",
                            c->string);
        } else if (!cJSON_IsNull(c) && !type_ok(a->type, c)) {
            rc = node_error(d, n, "has the wrong type", c->string);
            tsk_diag_detail(d, "expected a %s, got a %s", type_name(a->type),
                            json_kind(c));
        } else if (tsk_graph_ref_of(g, i, c->string)) {
            rc = node_error(d, n,
                            "is set both by a value and by a "
                            "reference",
                            c->string);
        }
    }
    return rc;
}

/* References: known attributes on both ends, the referenced type. */
static int check_refs(const struct tsk_graph *g, uint32_t i,
                      struct tsk_diags *d)
{
    const struct tsk_node *n = &g->nodes.v[i];
    const struct tsk_schema *s = n->rt ? n->rt->schema : NULL;
    int rc = 0;
    for (size_t k = 0; s && k < n->refs.n; k++) {
        const struct tsk_ref *r = &n->refs.v[k];
        const struct tsk_node *t = &g->nodes.v[r->target];
        const struct tsk_attr_schema *a = attr_of(s, r->attr);
        if (!a) {
            rc = node_error(d, n, "is not in the schema", r->attr);
            continue;
        }
        if (t->rt && !attr_of(t->rt->schema, r->target_attr)) {
            rc = node_error(d, n,
                            "refers to an attribute its target does "
                            "not have",
                            r->attr);
            tsk_diag_detail(d, "%s has no attribute \"%s\"", t->addr,
                            r->target_attr);
        } else if (a->ref_type && strcmp(a->ref_type, t->type) != 0) {
            rc = node_error(d, n, "refers to the wrong resource type", r->attr);
            tsk_diag_detail(d, "it must refer to a %s, not to %s", a->ref_type,
                            t->addr);
        }
    }
    return rc;
}

static int check_required(const struct tsk_graph *g, uint32_t i,
                          struct tsk_diags *d)
{
    const struct tsk_node *n = &g->nodes.v[i];
    const struct tsk_schema *s = n->rt ? n->rt->schema : NULL;
    int rc = 0;
    for (const struct tsk_attr_schema *a = s ? s->attrs : NULL; a && a->name;
         a++) {
        if (!(a->flags & TSK_A_REQUIRED))
            continue;
        const cJSON *v = member(n->attrs, a->name);
        if ((v && !cJSON_IsNull(v)) || tsk_graph_ref_of(g, i, a->name))
            continue;
        rc = node_error(d, n, "is required but not set", a->name);
    }
    return rc;
}

/* ---- ordering helpers ------------------------------------------------- */

/* Reports one strongly connected component as one cycle error: the
 * members by address, then one detail line per member with its position
 * and the members it depends on. in[] marks the members. */
static void report_cycle(const struct tsk_graph *g, uint32_t *m, size_t nm,
                         unsigned char *in, struct tsk_diags *d)
{
    struct tsk_buf list = TSK_BUF_INIT, deps = TSK_BUF_INIT;
    struct tsk_buf detail = TSK_BUF_INIT;
    TSK_ARRAY(uint32_t) dv = {0};
    tsk_graph__sort(g, m, nm);
    for (size_t i = 0; i < nm; i++) {
        in[m[i]] = 1;
        tsk_buf_addf(&list, "%s%s", i ? ", " : "", g->nodes.v[m[i]].addr);
    }
    const struct tsk_node *first = &g->nodes.v[m[0]];
    tsk_diag_error(d, &first->pos,
                   "dependency cycle between %zu "
                   "resource%s: %s",
                   nm, nm == 1 ? "" : "s", list.ptr);
    tsk_diag_addr(d, first->addr);
    for (size_t i = 0; i < nm; i++) {
        const struct tsk_node *n = &g->nodes.v[m[i]];
        dv.n = 0;
        for (size_t j = 0; j < n->deps.n; j++)
            if (in[n->deps.v[j]])
                *TSK_ARRAY_PUSH(dv) = n->deps.v[j];
        tsk_graph__sort(g, dv.v, dv.n);
        tsk_buf_reset(&deps);
        for (size_t j = 0; j < dv.n; j++)
            tsk_buf_addf(&deps, "%s%s", j ? ", " : "",
                         g->nodes.v[dv.v[j]].addr);
        if (i)
            tsk_buf_addch(&detail, '\n');
        if (n->pos.src)
            tsk_buf_addf(&detail, "%s (%s:%u:%u) depends on %s", n->addr,
                         n->pos.src->name, n->pos.line, n->pos.col, deps.ptr);
        else
            tsk_buf_addf(&detail, "%s (no source position) depends on %s",
                         n->addr, deps.ptr);
    }
    tsk_diag_detail(d, "%s", detail.ptr);
    tsk_buf_release(&detail);
    for (size_t i = 0; i < nm; i++)
        in[m[i]] = 0;
    TSK_ARRAY_FREE(dv);
    tsk_buf_release(&deps);
    tsk_buf_release(&list);
}

/* ---- adjacency ----------------------------------------------------------- */

/* The dependencies (or the dependents) of every node in two flat arrays:
 * node i's are v[off[i]..off[i+1]), in the nodes' own order. Walking them
 * reads memory in order instead of a node struct and an array per node. */
struct adj {
    uint32_t *off, *v;
};

static void adj_build(const struct tsk_graph *g, int reverse, struct adj *a)
{
    size_t n = g->nodes.n, e = 0;
    a->off = tsk_xmalloc((n + 1) * sizeof(*a->off));
    for (size_t i = 0; i < n; i++) {
        a->off[i] = (uint32_t)e;
        e += reverse ? g->nodes.v[i].rdeps.n : g->nodes.v[i].deps.n;
    }
    a->off[n] = (uint32_t)e;
    a->v = tsk_xmalloc((e + 1) * sizeof(*a->v));
    for (size_t i = 0; i < n; i++) {
        const struct tsk_node *nd = &g->nodes.v[i];
        size_t k = reverse ? nd->rdeps.n : nd->deps.n;
        if (k)
            memcpy(a->v + a->off[i], reverse ? nd->rdeps.v : nd->deps.v,
                   k * sizeof(*a->v));
    }
}

/* Whether node i's list holds x. */
static int adj_has(const struct adj *a, uint32_t i, uint32_t x)
{
    for (uint32_t k = a->off[i]; k < a->off[i + 1]; k++)
        if (a->v[k] == x)
            return 1;
    return 0;
}

static void adj_free(struct adj *a)
{
    free(a->off);
    free(a->v);
}

/* ---- Tarjan's strongly connected components ---------------------------- */

#define UNSEEN UINT32_MAX

/* Finds every cycle (a component of 2+ nodes, or a node depending on
 * itself) and reports each once. Returns how many were found. */
static int find_cycles(const struct tsk_graph *g, const struct adj *dep,
                       struct tsk_diags *d)
{
    size_t n = g->nodes.n;
    uint32_t *index = tsk_xmalloc((n + 1) * sizeof(*index));
    uint32_t *low = tsk_xmalloc((n + 1) * sizeof(*low));
    uint32_t *stack = tsk_xmalloc((n + 1) * sizeof(*stack));
    uint32_t *calls = tsk_xmalloc((n + 1) * sizeof(*calls));
    uint32_t *edge = tsk_xcalloc(n + 1, sizeof(*edge));
    unsigned char *on = tsk_xcalloc(n + 1, 1);
    unsigned char *in = tsk_xcalloc(n + 1, 1);
    uint32_t next = 0;
    size_t sp = 0, csp = 0;
    int cycles = 0;

    for (size_t i = 0; i < n; i++)
        index[i] = UNSEEN;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != UNSEEN)
            continue;
        index[root] = low[root] = next++;
        stack[sp++] = root;
        on[root] = 1;
        calls[csp++] = root;
        while (csp) {
            uint32_t v = calls[csp - 1];
            if (edge[v] < dep->off[v + 1] - dep->off[v]) {
                uint32_t w = dep->v[dep->off[v] + edge[v]++];
                if (index[w] == UNSEEN) {
                    index[w] = low[w] = next++;
                    stack[sp++] = w;
                    on[w] = 1;
                    calls[csp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            csp--;
            if (csp && low[v] < low[calls[csp - 1]])
                low[calls[csp - 1]] = low[v];
            if (low[v] != index[v])
                continue;
            size_t top = sp;
            do {
                on[stack[--sp]] = 0;
            } while (stack[sp] != v);
            size_t nm = top - sp;
            if (nm > 1 || adj_has(dep, v, v)) {
                report_cycle(g, stack + sp, nm, in, d);
                cycles++;
            }
        }
    }
    free(index);
    free(low);
    free(stack);
    free(calls);
    free(edge);
    free(on);
    free(in);
    return cycles;
}

/* ---- topological order --------------------------------------------------- */

/* The heap orders nodes by the rank of their address (addresses are
 * unique): one sort instead of a string comparison per heap step. */
struct heap {
    const uint32_t *rank;
    uint32_t *v;
    size_t n;
};

static int rank_less(const struct heap *h, uint32_t a, uint32_t b)
{
    return h->rank[a] < h->rank[b];
}

static void heap_push(struct heap *h, uint32_t x)
{
    size_t i = h->n++;
    h->v[i] = x;
    while (i > 0 && rank_less(h, h->v[i], h->v[(i - 1) / 2])) {
        uint32_t t = h->v[i];
        h->v[i] = h->v[(i - 1) / 2];
        h->v[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static uint32_t heap_pop(struct heap *h)
{
    uint32_t top = h->v[0];
    size_t i = 0;
    h->v[0] = h->v[--h->n];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && rank_less(h, h->v[l], h->v[m]))
            m = l;
        if (r < h->n && rank_less(h, h->v[r], h->v[m]))
            m = r;
        if (m == i)
            break;
        uint32_t t = h->v[i];
        h->v[i] = h->v[m];
        h->v[m] = t;
        i = m;
    }
    return top;
}

/* Kahn's algorithm: of the nodes whose dependencies are all placed, the
 * smallest address goes next. The graph must be acyclic. */
static uint32_t *topo_order(const struct tsk_graph *g, const struct adj *dep)
{
    size_t n = g->nodes.n, k = 0;
    uint32_t *pending = tsk_xcalloc(n + 1, sizeof(*pending));
    struct adj rdep;
    uint32_t *order = tsk_xmalloc((n + 1) * sizeof(*order));
    uint32_t *rank = tsk_xmalloc((n + 1) * sizeof(*rank));
    struct heap h = {rank, tsk_xmalloc((n + 1) * sizeof(uint32_t)), 0};

    for (uint32_t i = 0; i < n; i++)
        h.v[i] = i;
    tsk_graph__sort(g, h.v, n);
    for (uint32_t i = 0; i < n; i++)
        rank[h.v[i]] = i;

    adj_build(g, 1, &rdep);
    for (uint32_t i = 0; i < n; i++) {
        pending[i] = dep->off[i + 1] - dep->off[i];
        if (pending[i] == 0)
            heap_push(&h, i);
    }
    while (h.n) {
        uint32_t v = heap_pop(&h);
        order[k++] = v;
        for (uint32_t j = rdep.off[v]; j < rdep.off[v + 1]; j++)
            if (--pending[rdep.v[j]] == 0)
                heap_push(&h, rdep.v[j]);
    }
    adj_free(&rdep);
    free(h.v);
    free(rank);
    free(pending);
    if (k != n) { /* cannot happen after find_cycles found none */
        free(order);
        return NULL;
    }
    return order;
}

int tsk_graph_check(struct tsk_graph *g, uint32_t **order, struct tsk_diags *d)
{
    int rc = 0;
    *order = NULL;
    for (uint32_t i = 0; i < g->nodes.n; i++) {
        if (check_values(g, i, d) < 0)
            rc = TSK_ERROR;
        if (check_refs(g, i, d) < 0)
            rc = TSK_ERROR;
        if (check_required(g, i, d) < 0)
            rc = TSK_ERROR;
    }
    struct adj dep;
    adj_build(g, 0, &dep);
    if (find_cycles(g, &dep, d) > 0 || rc < 0) {
        adj_free(&dep);
        return TSK_ERROR;
    }
    *order = topo_order(g, &dep);
    adj_free(&dep);
    if (!*order)
        return tsk_diag_error(d, NULL,
                              "internal error: the resource graph "
                              "could not be ordered");
    return 0;
}

int tsk_graph_is_sensitive(const struct tsk_graph *g, uint32_t node,
                           const char *path)
{
    if (node >= g->nodes.n || !path)
        return 0;
    const struct tsk_node *n = &g->nodes.v[node];
    size_t top = strcspn(path, ".");
    for (size_t i = 0; i < n->sensitive.n; i++) {
        const char *s = n->sensitive.v[i];
        /* a listed path covers itself and everything below it */
        size_t sl = strlen(s);
        if (strncmp(path, s, sl) == 0 && (path[sl] == '\0' || path[sl] == '.'))
            return 1;
    }
    if (n->rt && n->rt->schema) {
        char name[128];
        if (top >= sizeof(name))
            return 0;
        memcpy(name, path, top);
        name[top] = '\0';
        const struct tsk_attr_schema *a = tsk_schema_attr(n->rt->schema, name);
        return a && (a->flags & TSK_A_SENSITIVE);
    }
    return 0;
}

/* diff_order.c - -target selection and change ordering. */
#include "planner/diff_int.h"

#include <stdlib.h>

/* Marks node n and everything it depends on. */
static void select_deps(const struct tsk_graph *g, uint32_t n,
                        unsigned char *sel)
{
    TSK_ARRAY(uint32_t) stack = {0};
    *TSK_ARRAY_PUSH(stack) = n;
    while (stack.n) {
        uint32_t x = stack.v[--stack.n];
        if (sel[x])
            continue;
        sel[x] = 1;
        const struct tsk_node *nd = &g->nodes.v[x];
        for (size_t i = 0; i < nd->deps.n; i++)
            if (!sel[nd->deps.v[i]])
                *TSK_ARRAY_PUSH(stack) = nd->deps.v[i];
    }
    TSK_ARRAY_FREE(stack);
}

/*
 * Destroy mode: marks prior object p and every prior object that depends
 * on it (by its stored dependencies, or through the configuration).
 */
static void select_dependents(const struct tsk_graph *g,
                              const struct tsk_object *prior, size_t nprior,
                              const struct tsk_aidx *nodes, size_t p,
                              unsigned char *sel)
{
    TSK_ARRAY(size_t) stack = {0};
    *TSK_ARRAY_PUSH(stack) = p;
    while (stack.n) {
        size_t x = stack.v[--stack.n];
        if (sel[x])
            continue;
        sel[x] = 1;
        const char *addr = prior[x].addr;
        size_t n = tsk_diff__aidx_find(nodes, addr);
        for (size_t i = 0; i < nprior; i++) {
            if (sel[i] || !prior[i].addr)
                continue;
            int dep = tsk_strs_has(prior[i].deps.v, prior[i].deps.n, addr);
            size_t m = tsk_diff__aidx_find(nodes, prior[i].addr);
            if (!dep && n != SIZE_MAX && m != SIZE_MAX) {
                const struct tsk_node *nd = &g->nodes.v[m];
                for (size_t k = 0; k < nd->deps.n && !dep; k++)
                    dep = nd->deps.v[k] == n;
            }
            if (dep)
                *TSK_ARRAY_PUSH(stack) = i;
        }
    }
    TSK_ARRAY_FREE(stack);
}

void tsk_diff__select(const struct tsk_graph *g, const struct tsk_object *prior,
                      size_t nprior, const struct tsk_aidx *nodes,
                      const struct tsk_aidx *priors,
                      const struct tsk_diff_opts *o, unsigned char *sel_node,
                      unsigned char *sel_prior, struct tsk_diags *d)
{
    size_t nn = g ? g->nodes.n : 0;
    if (!o->ntargets) {
        memset(sel_node, 1, nn);
        memset(sel_prior, 1, nprior);
        return;
    }
    memset(sel_node, 0, nn);
    memset(sel_prior, 0, nprior);
    for (size_t t = 0; t < o->ntargets; t++) {
        const char *a = o->targets[t];
        size_t n = tsk_diff__aidx_find(nodes, a);
        size_t p = tsk_diff__aidx_find(priors, a);
        if (n == SIZE_MAX && p == SIZE_MAX) {
            tsk_diag_warning(d, NULL,
                             "-target=%s matches no resource in "
                             "the configuration or the state",
                             a);
            continue;
        }
        if (o->destroy) {
            if (p != SIZE_MAX)
                select_dependents(g, prior, nprior, nodes, p, sel_prior);
        } else if (n != SIZE_MAX) {
            select_deps(g, (uint32_t)n, sel_node);
        } else {
            sel_prior[p] = 1; /* an object no longer configured: delete */
        }
    }
    if (!o->destroy) /* prior objects of selected nodes are in play too */
        for (size_t i = 0; i < nprior; i++) {
            size_t n = tsk_diff__aidx_find(nodes, prior[i].addr);
            if (n != SIZE_MAX && sel_node[n])
                sel_prior[i] = 1;
        }
    tsk_diag_warning(d, NULL, "Resource targeting is in effect");
    tsk_diag_detail(d, "The plan covers only the targeted resources and what "
                       "they depend on (with -destroy: what depends on "
                       "them), so it may be incomplete. Use -target only "
                       "in exceptional circumstances.");
}

/* A min-heap of change positions: ties in a topological sort keep the
 * existing order. */
struct heap {
    size_t *v, n;
};

static void heap_push(struct heap *h, size_t x)
{
    size_t i = h->n++;
    h->v[i] = x;
    while (i && h->v[(i - 1) / 2] > h->v[i]) {
        size_t p = (i - 1) / 2, t = h->v[p];
        h->v[p] = h->v[i];
        h->v[i] = t;
        i = p;
    }
}

static size_t heap_pop(struct heap *h)
{
    size_t top = h->v[0], i = 0;
    h->v[0] = h->v[--h->n];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && h->v[l] < h->v[m])
            m = l;
        if (r < h->n && h->v[r] < h->v[m])
            m = r;
        if (m == i)
            return top;
        size_t t = h->v[m];
        h->v[m] = h->v[i];
        h->v[i] = t;
        i = m;
    }
}

struct edge {
    size_t from, to;
};
typedef TSK_ARRAY(struct edge) edgevec;

static void add_edges(edgevec *e, const struct tsk_change *c,
                      const struct tsk_aidx *idx, size_t i,
                      const struct tsk_object *prior)
{
    int del = c[i].action == TSK_DELETE;
    for (size_t k = 0; k < c[i].deps.n; k++) {
        size_t j = tsk_diff__aidx_find(idx, c[i].deps.v[k]);
        if (j == SIZE_MAX || j == i)
            continue;
        int jdel = c[j].action == TSK_DELETE;
        if (!del && !jdel)
            *TSK_ARRAY_PUSH(*e) = (struct edge){j, i};
        else if (del && jdel)
            *TSK_ARRAY_PUSH(*e) = (struct edge){i, j};
    }
    if (del || !prior)
        return;
    for (size_t k = 0; k < prior->deps.n; k++) {
        size_t j = tsk_diff__aidx_find(idx, prior->deps.v[k]);
        if (j != SIZE_MAX && j != i && c[j].action == TSK_DELETE)
            *TSK_ARRAY_PUSH(*e) = (struct edge){i, j};
    }
}

void tsk_diff__order(struct tsk_plan *plan, size_t first,
                     const struct tsk_object *const *prior_of)
{
    size_t n = plan->changes.n - first;
    struct tsk_change *c = plan->changes.v + first;
    if (n < 2)
        return;
    struct tsk_aidx idx;
    tsk_diff__aidx_init(&idx, n);
    for (size_t i = 0; i < n; i++)
        tsk_diff__aidx_put(&idx, c[i].addr, i);
    edgevec e = {0};
    for (size_t i = 0; i < n; i++)
        add_edges(&e, c, &idx, i, prior_of[i]);
    tsk_diff__aidx_free(&idx);
    /* Edges grouped by their start (a counting sort): to[start[x] ..
     * start[x + 1]) are the changes that wait for x. */
    size_t *start = tsk_xcalloc(n + 2, sizeof(size_t));
    size_t *indeg = tsk_xcalloc(n, sizeof(size_t));
    size_t *to = tsk_xmalloc((e.n + 1) * sizeof(size_t));
    for (size_t k = 0; k < e.n; k++) {
        start[e.v[k].from + 2]++;
        indeg[e.v[k].to]++;
    }
    for (size_t i = 0; i < n; i++)
        start[i + 2] += start[i + 1];
    for (size_t k = 0; k < e.n; k++)
        to[start[e.v[k].from + 1]++] = e.v[k].to;
    struct heap h = {tsk_xmalloc(n * sizeof(size_t)), 0};
    for (size_t i = 0; i < n; i++)
        if (!indeg[i])
            heap_push(&h, i);
    size_t *out = tsk_xmalloc(n * sizeof(size_t)), m = 0;
    unsigned char *done = tsk_xcalloc(n, 1);
    while (h.n) {
        size_t x = heap_pop(&h);
        out[m++] = x;
        done[x] = 1;
        for (size_t k = start[x]; k < start[x + 1]; k++)
            if (--indeg[to[k]] == 0)
                heap_push(&h, to[k]);
    }
    for (size_t i = 0; i < n && m < n; i++) /* a cycle in stored deps */
        if (!done[i])
            out[m++] = i;
    tsk_permute(c, n, sizeof(*c), out);
    free(done);
    free(out);
    free(h.v);
    free(indeg);
    free(start);
    free(to);
    TSK_ARRAY_FREE(e);
}

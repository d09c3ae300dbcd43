/*
 * graph_out.c - the graph as Graphviz DOT and as JSON, both in address
 * order so that the same graph always prints the same bytes. Sensitive
 * values are redacted in the JSON.
 */
#include "planner/graph.h"
#include "planner/graph_int.h"

#include <stdlib.h>
#include <string.h>

#include "providers/provider.h"

#define REDACTED "(sensitive value)"

static uint32_t *sorted_nodes(const struct tsk_graph *g, const uint32_t *src,
                              size_t n)
{
    uint32_t *v = tsk_xmalloc((n + 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = src ? src[i] : (uint32_t)i;
    tsk_graph__sort(g, v, n);
    return v;
}

static void dot_quote(struct tsk_buf *out, const char *s)
{
    tsk_buf_addch(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            tsk_buf_addch(out, '\\');
        if (*s == '\n')
            tsk_buf_adds(out, "\\n");
        else
            tsk_buf_addch(out, *s);
    }
    tsk_buf_addch(out, '"');
}

/* The attributes of n that refer to target, sorted, comma-separated. */
static void edge_label(const struct tsk_node *n, uint32_t target,
                       struct tsk_buf *out)
{
    const char *names[64];
    size_t k = 0;
    for (size_t i = 0; i < n->refs.n && k < 64; i++)
        if (n->refs.v[i].target == target)
            names[k++] = n->refs.v[i].attr;
    for (size_t i = 1; i < k; i++) {
        const char *x = names[i];
        size_t j = i;
        while (j > 0 && strcmp(x, names[j - 1]) < 0) {
            names[j] = names[j - 1];
            j--;
        }
        names[j] = x;
    }
    for (size_t i = 0; i < k; i++)
        if (i == 0 || strcmp(names[i], names[i - 1]) != 0)
            tsk_buf_addf(out, "%s%s", out->len ? ", " : "", names[i]);
}

void tsk_graph_dot(const struct tsk_graph *g, struct tsk_buf *out)
{
    uint32_t *v = sorted_nodes(g, NULL, g->nodes.n);
    struct tsk_buf label = TSK_BUF_INIT;

    tsk_buf_adds(out, "digraph tuskform {\n"
                      "  rankdir = \"RL\";\n"
                      "  node [shape = \"box\"];\n");
    for (size_t i = 0; i < g->nodes.n; i++) {
        tsk_buf_adds(out, "  ");
        dot_quote(out, g->nodes.v[v[i]].addr);
        tsk_buf_adds(out, ";\n");
    }
    for (size_t i = 0; i < g->nodes.n; i++) {
        const struct tsk_node *n = &g->nodes.v[v[i]];
        uint32_t *deps = sorted_nodes(g, n->deps.v, n->deps.n);
        for (size_t j = 0; j < n->deps.n; j++) {
            tsk_buf_adds(out, "  ");
            dot_quote(out, n->addr);
            tsk_buf_adds(out, " -> ");
            dot_quote(out, g->nodes.v[deps[j]].addr);
            tsk_buf_reset(&label);
            edge_label(n, deps[j], &label);
            if (label.len) {
                tsk_buf_adds(out, " [label = ");
                dot_quote(out, label.ptr);
                tsk_buf_addch(out, ']');
            }
            tsk_buf_adds(out, ";\n");
        }
        free(deps);
    }
    tsk_buf_adds(out, "}\n");
    tsk_buf_release(&label);
    free(v);
}

static cJSON *redaction(void)
{
    cJSON *r = cJSON_CreateString(REDACTED);
    if (!r)
        abort();
    return r;
}

/* A copy of the node's attributes with sensitive values replaced: whole
 * attributes, and single entries of a map ("environment.KEY"). */
static cJSON *redacted_attrs(const struct tsk_graph *g, uint32_t i)
{
    cJSON *obj = cJSON_Duplicate(g->nodes.v[i].attrs, 1);
    struct tsk_buf path = TSK_BUF_INIT;
    if (!obj)
        abort();
    for (cJSON *c = obj->child, *next; c; c = next) {
        next = c->next;
        if (tsk_graph_is_sensitive(g, i, c->string)) {
            cJSON_ReplaceItemInObjectCaseSensitive(obj, c->string, redaction());
            continue;
        }
        if (!cJSON_IsObject(c))
            continue;
        for (cJSON *e = c->child, *enext; e; e = enext) {
            enext = e->next;
            tsk_buf_reset(&path);
            tsk_buf_addf(&path, "%s.%s", c->string, e->string);
            if (tsk_graph_is_sensitive(g, i, path.ptr))
                cJSON_ReplaceItemInObjectCaseSensitive(c, e->string,
                                                       redaction());
        }
    }
    tsk_buf_release(&path);
    return obj;
}

static cJSON *node_json(const struct tsk_graph *g, uint32_t i)
{
    const struct tsk_node *n = &g->nodes.v[i];
    cJSON *o = cJSON_CreateObject();
    cJSON *refs = cJSON_CreateArray(), *deps = cJSON_CreateArray();
    cJSON *sens = cJSON_CreateArray();
    if (!o || !refs || !deps || !sens)
        abort();
    cJSON_AddStringToObject(o, "address", n->addr);
    cJSON_AddStringToObject(o, "type", n->type);
    cJSON_AddStringToObject(o, "name", n->name);
    if (n->function)
        cJSON_AddStringToObject(o, "function", n->function);
    else
        cJSON_AddNullToObject(o, "function");
    cJSON_AddItemToObject(o, "values", redacted_attrs(g, i));
    for (size_t k = 0; k < n->refs.n; k++) {
        const struct tsk_ref *r = &n->refs.v[k];
        cJSON *ro = cJSON_CreateObject();
        if (!ro)
            abort();
        cJSON_AddStringToObject(ro, "attribute", r->attr);
        cJSON_AddStringToObject(ro, "resource", g->nodes.v[r->target].addr);
        cJSON_AddStringToObject(ro, "resource_attribute", r->target_attr);
        cJSON_AddItemToArray(refs, ro);
    }
    cJSON_AddItemToObject(o, "references", refs);
    uint32_t *dv = sorted_nodes(g, n->deps.v, n->deps.n);
    for (size_t k = 0; k < n->deps.n; k++)
        cJSON_AddItemToArray(deps, cJSON_CreateString(g->nodes.v[dv[k]].addr));
    free(dv);
    cJSON_AddItemToObject(o, "depends_on", deps);
    for (size_t k = 0; k < n->sensitive.n; k++)
        cJSON_AddItemToArray(sens, cJSON_CreateString(n->sensitive.v[k]));
    cJSON_AddItemToObject(o, "sensitive_paths", sens);
    return o;
}

void tsk_graph_json(const struct tsk_graph *g, struct tsk_buf *out)
{
    cJSON *root = cJSON_CreateObject(), *res = cJSON_CreateArray();
    uint32_t *v = sorted_nodes(g, NULL, g->nodes.n);
    if (!root || !res)
        abort();
    cJSON_AddStringToObject(root, "format_version", "1.0");
    cJSON_AddStringToObject(root, "provider", g->prov ? g->prov->name : "");
    cJSON_AddStringToObject(root, "stack", g->stack ? g->stack : "");
    for (size_t i = 0; i < g->nodes.n; i++)
        cJSON_AddItemToArray(res, node_json(g, v[i]));
    cJSON_AddItemToObject(root, "resources", res);
    char *text = cJSON_Print(root);
    if (!text)
        abort();
    tsk_buf_adds(out, text);
    tsk_buf_addch(out, '\n');
    cJSON_free(text);
    cJSON_Delete(root);
    free(v);
}

/*
 * plan_fixtures.h - hand-built graphs, prior objects and plans for the
 * planner's unit tests, with a tiny test provider (types test_fn,
 * test_trigger, test_cbd) whose read callback serves a table.
 */
#ifndef TSK_TEST_PLAN_FIXTURES_H
#define TSK_TEST_PLAN_FIXTURES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

/* Each test uses some of these helpers. */
#pragma GCC diagnostic ignored "-Wunused-function"

#include "planner/attrpath.h"
#include "planner/diff.h"
#include "planner/graph.h"
#include "planner/plan.h"

static const struct tsk_attr_schema fn_attrs[] = {
    {"name", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW, NULL, NULL},
    {"memory", TSK_T_NUMBER, TSK_A_OPTIONAL, NULL, NULL},
    {"env", TSK_T_MAP, TSK_A_OPTIONAL, NULL, NULL},
    {"layers", TSK_T_LIST, TSK_A_OPTIONAL, NULL, NULL},
    {"tags", TSK_T_MAP, TSK_A_OPTIONAL, NULL, NULL},
    {"password", TSK_T_STRING, TSK_A_OPTIONAL | TSK_A_SENSITIVE, NULL, NULL},
    {"arn", TSK_T_STRING, TSK_A_COMPUTED, NULL, NULL},
    {NULL, 0, 0, NULL, NULL},
};
static const struct tsk_attr_schema trig_attrs[] = {
    {"fn_arn", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW, "test_fn",
     NULL},
    {"batch", TSK_T_NUMBER, TSK_A_OPTIONAL, NULL, NULL},
    {"secret", TSK_T_STRING, TSK_A_OPTIONAL, NULL, NULL},
    {"uuid", TSK_T_STRING, TSK_A_COMPUTED, NULL, NULL},
    {NULL, 0, 0, NULL, NULL},
};
static const struct tsk_schema fn_schema = {fn_attrs, 0};
static const struct tsk_schema trig_schema = {trig_attrs, 0};
static const struct tsk_schema cbd_schema = {fn_attrs, 1};

/* The read callback's table: id -> attributes JSON ("" = gone, NULL =
 * error). */
static const char *fake_remote[64][2];
static int fake_read(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    (void)c;
    (void)prior;
    *out = NULL;
    for (size_t i = 0; i < 64 && fake_remote[i][0]; i++) {
        if (strcmp(fake_remote[i][0], id) != 0)
            continue;
        if (!fake_remote[i][1])
            return tsk_diag_error(d, NULL, "read %s: access denied", id);
        if (fake_remote[i][1][0])
            *out = cJSON_Parse(fake_remote[i][1]);
        return 0;
    }
    return tsk_diag_error(d, NULL, "read %s: not in the fake table", id);
}

static const struct tsk_resource_type t_fn = {"test_fn", &fn_schema,
                                              fake_read, NULL, NULL, NULL,
                                              NULL, NULL};
static const struct tsk_resource_type t_trig = {"test_trigger", &trig_schema,
                                                fake_read, NULL, NULL, NULL,
                                                NULL, NULL};
static const struct tsk_resource_type t_cbd = {"test_cbd", &cbd_schema,
                                               fake_read, NULL, NULL, NULL,
                                               NULL, NULL};
static const struct tsk_resource_type *const test_types[] = {&t_fn, &t_trig,
                                                             &t_cbd, NULL};
static const struct tsk_provider test_prov = {
    "test", "", 1, NULL, NULL, NULL, test_types, NULL};

static const struct tsk_resource_type *fx_type(const char *t)
{
    for (size_t i = 0; test_types[i]; i++)
        if (strcmp(test_types[i]->name, t) == 0)
            return test_types[i];
    return NULL;
}

static cJSON *fx_json(const char *s)
{
    cJSON *v = cJSON_Parse(s);
    assert_non_null(v);
    return v;
}

/* Adds a node "type.name" with attributes json; returns its index. */
static uint32_t fx_node(struct tsk_graph *g, const char *type,
                        const char *name, const char *json)
{
    struct tsk_node *n = TSK_ARRAY_PUSH(g->nodes);
    n->addr = tsk_xasprintf("%s.%s", type, name);
    n->type = tsk_xstrdup(type);
    n->name = tsk_xstrdup(name);
    n->rt = fx_type(type);
    n->prov = &test_prov;
    n->attrs = fx_json(json);
    return (uint32_t)(g->nodes.n - 1);
}

static void fx_ref(struct tsk_graph *g, uint32_t n, const char *attr,
                   uint32_t target, const char *tattr)
{
    struct tsk_ref *r = TSK_ARRAY_PUSH(g->nodes.v[n].refs);
    r->attr = tsk_xstrdup(attr);
    r->target = target;
    r->target_attr = tsk_xstrdup(tattr);
    *TSK_ARRAY_PUSH(g->nodes.v[n].deps) = target;
    *TSK_ARRAY_PUSH(g->nodes.v[target].rdeps) = n;
}

static void fx_graph_free(struct tsk_graph *g)
{
    for (size_t i = 0; i < g->nodes.n; i++) {
        struct tsk_node *n = &g->nodes.v[i];
        free(n->addr);
        free(n->type);
        free(n->name);
        cJSON_Delete(n->attrs);
        for (size_t k = 0; k < n->refs.n; k++) {
            free(n->refs.v[k].attr);
            free(n->refs.v[k].target_attr);
        }
        TSK_ARRAY_FREE(n->refs);
        for (size_t k = 0; k < n->sensitive.n; k++)
            free(n->sensitive.v[k]);
        TSK_ARRAY_FREE(n->sensitive);
        TSK_ARRAY_FREE(n->deps);
        TSK_ARRAY_FREE(n->rdeps);
    }
    TSK_ARRAY_FREE(g->nodes);
}

typedef TSK_ARRAY(struct tsk_object) fx_objs;

/* Adds a prior object; deps is a NULL-terminated list of addresses. */
static struct tsk_object *fx_obj(fx_objs *v, const char *addr,
                                 const char *id, const char *json, ...)
{
    struct tsk_object *o = TSK_ARRAY_PUSH(*v);
    const char *dot = strchr(addr, '.');
    o->addr = tsk_xstrdup(addr);
    o->type = tsk_xstrndup(addr, (size_t)(dot - addr));
    o->provider = tsk_xstrdup("test");
    o->id = tsk_xstrdup(id);
    o->attrs = fx_json(json);
    va_list ap;
    va_start(ap, json);
    for (const char *dep; (dep = va_arg(ap, const char *));)
        *TSK_ARRAY_PUSH(o->deps) = tsk_xstrdup(dep);
    va_end(ap);
    return o;
}

static void fx_objs_free(fx_objs *v)
{
    for (size_t i = 0; i < v->n; i++)
        tsk_object_release(&v->v[i]);
    TSK_ARRAY_FREE(*v);
}

static const struct tsk_change *fx_change(const struct tsk_plan *p,
                                          const char *addr)
{
    for (size_t i = 0; i < p->changes.n; i++)
        if (strcmp(p->changes.v[i].addr, addr) == 0)
            return &p->changes.v[i];
    return NULL;
}

static size_t fx_pos(const struct tsk_plan *p, const char *addr)
{
    for (size_t i = 0; i < p->changes.n; i++)
        if (strcmp(p->changes.v[i].addr, addr) == 0)
            return i;
    fail_msg("%s is not in the plan", addr);
    return 0;
}

/* Asserts JSON value v equals the JSON text want. */
static void fx_assert_json(const cJSON *v, const char *want)
{
    cJSON *w = fx_json(want);
    if (!cJSON_Compare(v, w, 1)) {
        char *got = v ? cJSON_PrintUnformatted(v) : NULL;
        fail_msg("got %s, want %s", got ? got : "NULL", want);
    }
    cJSON_Delete(w);
}

#endif

/* Builds a change by hand (for renderer and planfile tests). sens is a
 * comma-separated list of sensitive paths, or NULL. */
static struct tsk_change *fx_add_change(struct tsk_plan *p, const char *addr,
                                        enum tsk_action a, const char *before,
                                        const char *after, const char *unknown,
                                        const char *sens)
{
    struct tsk_change *c = TSK_ARRAY_PUSH(p->changes);
    const char *dot = strchr(addr, '.');
    c->addr = tsk_xstrdup(addr);
    c->type = tsk_xstrndup(addr, (size_t)(dot - addr));
    c->name = tsk_xstrdup(dot + 1);
    c->provider = tsk_xstrdup("test");
    c->action = a;
    c->before = before ? fx_json(before) : NULL;
    c->after = after ? fx_json(after) : NULL;
    c->after_unknown = fx_json(unknown ? unknown : "{}");
    c->node = UINT32_MAX;
    for (const char *s = sens; s && *s;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        *TSK_ARRAY_PUSH(c->sensitive) = tsk_xstrndup(s, n);
        s += n + (comma ? 1 : 0);
    }
    return c;
}

static struct tsk_drift *fx_add_drift(struct tsk_plan *p, const char *addr,
                                      const char *state, const char *remote)
{
    struct tsk_drift *dr = TSK_ARRAY_PUSH(p->drift);
    const char *dot = strchr(addr, '.');
    dr->addr = tsk_xstrdup(addr);
    dr->type = tsk_xstrndup(addr, (size_t)(dot - addr));
    dr->provider = tsk_xstrdup("test");
    dr->kind = remote ? TSK_DRIFT_CHANGED : TSK_DRIFT_DELETED;
    dr->state_attrs = fx_json(state);
    dr->remote_attrs = remote ? fx_json(remote) : NULL;
    if (remote)
        tsk_path_diff(dr->state_attrs, dr->remote_attrs, NULL,
                      (tsk_strvec *)(void *)&dr->paths);
    return dr;
}

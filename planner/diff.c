/*
 * diff.c - plans each configured node against its prior object: resolves
 * references (unknown while their target is created or replaced), compares
 * attributes, and picks no-op, create, update or replace; then adds the
 * deletes and orders everything (diff_order.c).
 */
#include "planner/diff_int.h"

#include <stdlib.h>

/* What planning decided for one node, kept until every node is planned
 * because references read their targets' planned values. */
struct nplan {
    cJSON *after, *unknown; /* owned until moved into the change */
    enum tsk_action action;
    enum tsk_reason reason;
    const struct tsk_object *prior;
    tsk_strvec forced;    /* force_new attributes that changed */
    tsk_strvec sensitive; /* sensitive through references */
};

struct dctx {
    const struct tsk_graph *g;
    const struct tsk_diff_opts *o;
    const struct tsk_object *prior;
    size_t nprior;
    struct tsk_aidx *nodes, *priors;
    struct nplan *np;
    struct tsk_plan *plan;
};

static const struct tsk_attr_schema *attr_schema(const struct tsk_schema *s,
                                                 const char *name)
{
    for (const struct tsk_attr_schema *a = s ? s->attrs : NULL; a && a->name;
         a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

static int is_replace(enum tsk_action a)
{
    return a == TSK_REPLACE_DC || a == TSK_REPLACE_CD;
}

/* 1 when path or an attribute above it is marked unknown. */
static int unknown_at(const cJSON *unk, const char *path)
{
    if (!unk || !unk->child)
        return 0;
    char *p = tsk_xstrdup(path);
    int hit = 0;
    for (char *dot = p;; dot++) {
        if (*dot != '.' && *dot != '\0')
            continue;
        char save = *dot;
        *dot = '\0';
        hit = cJSON_IsTrue(tsk_path_get(unk, p));
        *dot = save;
        if (hit || save == '\0')
            break;
    }
    free(p);
    return hit;
}

static int sensitive_in(const struct tsk_node *nd, const char *path)
{
    const struct tsk_attr_schema *as =
        attr_schema(nd->rt ? nd->rt->schema : NULL, path);
    if (as && (as->flags & TSK_A_SENSITIVE))
        return 1;
    return tsk_path_covered((const char *const *)nd->sensitive.v,
                            nd->sensitive.n, path);
}

static void resolve_ref(struct dctx *c, struct nplan *me,
                        const struct tsk_ref *r)
{
    const struct nplan *t = &c->np[r->target];
    const cJSON *v = t->after ? tsk_path_get(t->after, r->target_attr) : NULL;
    if (!t->after || unknown_at(t->unknown, r->target_attr) ||
        (!v && (t->action == TSK_CREATE || is_replace(t->action))))
        tsk_path_set_take(me->unknown, r->attr, cJSON_CreateTrue());
    else if (v)
        tsk_path_set_take(me->after, r->attr, cJSON_Duplicate(v, 1));
    if (sensitive_in(&c->g->nodes.v[r->target], r->target_attr) ||
        tsk_path_covered((const char *const *)t->sensitive.v, t->sensitive.n,
                         r->target_attr))
        TSK_STRS_ADD_UNIQUE(me->sensitive, r->attr);
}

static int requested(const struct tsk_diff_opts *o, const char *addr)
{
    for (size_t i = 0; i < o->nreplace; i++)
        if (strcmp(o->replace[i], addr) == 0)
            return 1;
    return 0;
}

/* Borrowed attribute names (keys of the trees being compared). */
typedef TSK_ARRAY(const char *) namevec;

/* Adds every key of obj to names, once. */
static void add_keys(namevec *names, const cJSON *obj)
{
    for (const cJSON *k = obj ? obj->child : NULL; k; k = k->next) {
        size_t i = 0;
        /* the names are often pooled: the same pointer is the same name */
        while (k->string && i < names->n && names->v[i] != k->string &&
               strcmp(names->v[i], k->string))
            i++;
        if (k->string && i == names->n)
            *TSK_ARRAY_PUSH(*names) = k->string;
    }
}

/*
 * Compares one top-level attribute. Unset in the configuration: computed
 * (or unknown to the schema) keeps the prior value; otherwise it is
 * removed. Returns 1 when it changes.
 */
static int compare_attr(struct nplan *me, const struct tsk_node *nd,
                        const char *name, namevec *carried)
{
    const struct tsk_attr_schema *as =
        attr_schema(nd->rt ? nd->rt->schema : NULL, name);
    const cJSON *pv = tsk_path_get(me->prior->attrs, name);
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(me->after, name);
    int unk = cJSON_GetObjectItemCaseSensitive(me->unknown, name) != NULL;
    if (!av && !unk) {
        if (!pv)
            return 0;
        if (!as || (as->flags & TSK_A_COMPUTED)) {
            cJSON_AddItemToObject(me->after, name, cJSON_Duplicate(pv, 1));
            *TSK_ARRAY_PUSH(*carried) = name; /* a key of the prior */
            return 0;
        }
        return !cJSON_IsNull(pv);
    }
    if (!unk && tsk_value_eq(pv, av))
        return 0;
    if (as && (as->flags & TSK_A_FORCE_NEW))
        TSK_STRS_ADD_UNIQUE(me->forced, name);
    return 1;
}

/* After a create or replace, computed values are unknown until apply. */
static void mark_computed_unknown(struct nplan *me, const struct tsk_node *nd,
                                  const namevec *carried)
{
    for (size_t i = 0; i < carried->n; i++) {
        cJSON_DeleteItemFromObjectCaseSensitive(me->after, carried->v[i]);
        tsk_path_set_take(me->unknown, carried->v[i], cJSON_CreateTrue());
    }
    const struct tsk_schema *s = nd->rt ? nd->rt->schema : NULL;
    for (const struct tsk_attr_schema *a = s ? s->attrs : NULL; a && a->name;
         a++) {
        if (!(a->flags & TSK_A_COMPUTED) ||
            cJSON_GetObjectItemCaseSensitive(me->after, a->name) ||
            cJSON_GetObjectItemCaseSensitive(me->unknown, a->name))
            continue;
        /* schema names are constants: the key is not copied */
        cJSON_AddItemToObjectCS(me->unknown, a->name, cJSON_CreateTrue());
    }
}

static void plan_node(struct dctx *c, uint32_t n)
{
    const struct tsk_node *nd = &c->g->nodes.v[n];
    struct nplan *me = &c->np[n];
    size_t p = tsk_diff__aidx_find(c->priors, c->nprior, nd->addr);
    me->prior = p == SIZE_MAX ? NULL : &c->prior[p];
    if (c->o->take_attrs) {
        /* take_attrs: the caller handed over a modifiable graph */
        struct tsk_node *mn = (struct tsk_node *)nd;
        me->after = mn->attrs;
        mn->attrs = NULL;
    } else {
        me->after = nd->attrs ? cJSON_Duplicate(nd->attrs, 1) : NULL;
    }
    if (!cJSON_IsObject(me->after)) {
        cJSON_Delete(me->after);
        me->after = cJSON_CreateObject();
    }
    me->unknown = cJSON_CreateObject();
    for (size_t i = 0; i < nd->refs.n; i++)
        if (nd->refs.v[i].target < c->g->nodes.n)
            resolve_ref(c, me, &nd->refs.v[i]);

    namevec names = {0}, carried = {0};
    int changed = 0;
    if (me->prior) {
        add_keys(&names, me->after);
        add_keys(&names, me->unknown);
        add_keys(&names, me->prior->attrs);
        for (size_t i = 0; i < names.n; i++)
            changed |= compare_attr(me, nd, names.v[i], &carried);
    }
    if (!me->prior) {
        me->action = TSK_CREATE;
    } else if (me->prior->tainted || requested(c->o, nd->addr) ||
               me->forced.n) {
        me->reason = me->prior->tainted          ? TSK_REASON_TAINTED
                     : requested(c->o, nd->addr) ? TSK_REASON_REQUESTED
                                                 : TSK_REASON_CANNOT_UPDATE;
        const struct tsk_schema *s = nd->rt ? nd->rt->schema : NULL;
        me->action =
            s && s->create_before_destroy ? TSK_REPLACE_CD : TSK_REPLACE_DC;
    } else {
        me->action = changed ? TSK_UPDATE : TSK_NOOP;
    }
    if (me->action == TSK_CREATE || is_replace(me->action))
        mark_computed_unknown(me, nd, &carried);
    TSK_ARRAY_FREE(names);
    TSK_ARRAY_FREE(carried);
}

static char *name_of(const char *addr)
{
    const char *dot = strchr(addr, '.');
    return tsk_xstrdup(dot ? dot + 1 : addr);
}

static const char *pooled(struct tsk_plan *plan, const char *s)
{
    if (!s)
        return NULL;
    if (plan->owned.n && strcmp(plan->owned.v[plan->owned.n - 1], s) == 0)
        return plan->owned.v[plan->owned.n - 1];
    return *TSK_ARRAY_PUSH(plan->owned) = tsk_xstrdup(s);
}

static void add_sensitive(struct tsk_change *ch, const struct tsk_schema *s,
                          char *const *extra, size_t nextra)
{
    for (const struct tsk_attr_schema *a = s ? s->attrs : NULL; a && a->name;
         a++)
        if (a->flags & TSK_A_SENSITIVE)
            TSK_STRS_ADD_UNIQUE(ch->sensitive, a->name);
    for (size_t i = 0; i < nextra; i++)
        TSK_STRS_ADD_UNIQUE(ch->sensitive, extra[i]);
}

/* The before of a change: the prior's attributes, copied or borrowed. */
static cJSON *before_of(const struct dctx *c, const cJSON *attrs)
{
    cJSON *b = NULL;
    if (!attrs)
        return cJSON_CreateObject();
    if (c->o->borrow_prior && cJSON_IsObject(attrs))
        b = cJSON_CreateObjectReference(attrs->child);
    else
        b = cJSON_Duplicate(attrs, 1);
    return b ? b : cJSON_CreateObject();
}

static void emit_node(struct dctx *c, uint32_t n)
{
    const struct tsk_node *nd = &c->g->nodes.v[n];
    struct nplan *me = &c->np[n];
    struct tsk_change *ch = TSK_ARRAY_PUSH(c->plan->changes);
    const struct tsk_provider *pv = nd->prov ? nd->prov : c->g->prov;
    ch->addr = tsk_xstrdup(nd->addr);
    ch->type = tsk_xstrdup(nd->type ? nd->type : "");
    ch->name = nd->name ? tsk_xstrdup(nd->name) : name_of(nd->addr);
    ch->provider = tsk_xstrdup(pv ? pv->name : "");
    ch->action = me->action;
    ch->reason = me->reason;
    if (me->prior) {
        ch->id = me->prior->id ? tsk_xstrdup(me->prior->id) : NULL;
        ch->before = before_of(c, me->prior->attrs);
    }
    ch->after = me->after;
    ch->after_unknown = me->unknown;
    me->after = me->unknown = NULL;
    add_sensitive(ch, nd->rt ? nd->rt->schema : NULL, nd->sensitive.v,
                  nd->sensitive.n);
    add_sensitive(ch, NULL, me->sensitive.v, me->sensitive.n);
    if (me->prior)
        add_sensitive(ch, NULL, me->prior->sensitive.v, me->prior->sensitive.n);
    if (me->reason == TSK_REASON_CANNOT_UPDATE)
        TSK_STRS_MOVE(ch->replace_paths, me->forced);
    for (size_t i = 0; i < nd->deps.n; i++)
        if (nd->deps.v[i] < c->g->nodes.n)
            TSK_STRS_ADD_UNIQUE(ch->deps, c->g->nodes.v[nd->deps.v[i]].addr);
    ch->node = n;
    ch->function = pooled(c->plan, nd->function);
}

static const struct tsk_resource_type *type_of(const struct tsk_graph *g,
                                               const char *type)
{
    const struct tsk_provider *p = g ? g->prov : NULL;
    for (size_t i = 0; p && p->types && p->types[i]; i++)
        if (strcmp(p->types[i]->name, type) == 0)
            return p->types[i];
    return NULL;
}

static void emit_delete(struct dctx *c, const struct tsk_object *o)
{
    struct tsk_change *ch = TSK_ARRAY_PUSH(c->plan->changes);
    const struct tsk_resource_type *rt = type_of(c->g, o->type ? o->type : "");
    ch->addr = tsk_xstrdup(o->addr);
    ch->type = tsk_xstrdup(o->type ? o->type : "");
    ch->name = name_of(o->addr);
    ch->provider = tsk_xstrdup(o->provider ? o->provider : "");
    ch->action = TSK_DELETE;
    ch->reason = c->o->destroy ? TSK_REASON_DESTROY : TSK_REASON_NO_CONFIG;
    ch->id = o->id ? tsk_xstrdup(o->id) : NULL;
    ch->before = before_of(c, o->attrs);
    ch->after_unknown = cJSON_CreateObject();
    add_sensitive(ch, rt ? rt->schema : NULL, o->sensitive.v, o->sensitive.n);
    for (size_t i = 0; i < o->deps.n; i++)
        TSK_STRS_ADD_UNIQUE(ch->deps, o->deps.v[i]);
    /* Destroy mode: what the configuration says it depends on counts too. */
    size_t n = tsk_diff__aidx_find(c->nodes, c->g ? c->g->nodes.n : 0, o->addr);
    if (c->o->destroy && n != SIZE_MAX) {
        const struct tsk_node *nd = &c->g->nodes.v[n];
        for (size_t i = 0; i < nd->deps.n; i++)
            TSK_STRS_ADD_UNIQUE(ch->deps, c->g->nodes.v[nd->deps.v[i]].addr);
    }
    ch->node = n == SIZE_MAX ? UINT32_MAX : (uint32_t)n;
}

static void warn_replace(struct dctx *c, struct tsk_diags *d)
{
    for (size_t i = 0; i < c->o->nreplace; i++) {
        const char *a = c->o->replace[i];
        if (tsk_diff__aidx_find(c->priors, c->nprior, a) == SIZE_MAX ||
            tsk_diff__aidx_find(c->nodes, c->g ? c->g->nodes.n : 0, a) ==
                SIZE_MAX)
            tsk_diag_warning(d, NULL,
                             "-replace=%s matches no existing resource in the "
                             "configuration; nothing to replace",
                             a);
    }
}

static void index_all(struct dctx *c)
{
    size_t nn = c->g ? c->g->nodes.n : 0, np = 0;
    c->nodes = tsk_xmalloc((nn + 1) * sizeof(*c->nodes));
    for (size_t i = 0; i < nn; i++)
        c->nodes[i] = (struct tsk_aidx){c->g->nodes.v[i].addr, i};
    tsk_diff__aidx_sort(c->nodes, nn);
    c->priors = tsk_xmalloc((c->nprior + 1) * sizeof(*c->priors));
    for (size_t i = 0; i < c->nprior; i++)
        if (c->prior[i].addr)
            c->priors[np++] = (struct tsk_aidx){c->prior[i].addr, i};
    tsk_diff__aidx_sort(c->priors, np);
    c->nprior = np; /* the index covers live objects only */
}

static void plan_all(struct dctx *c, const uint32_t *order,
                     const unsigned char *sel_node,
                     const unsigned char *sel_prior)
{
    size_t nn = c->g ? c->g->nodes.n : 0;
    /* Orphans first (sorted by address), then nodes in graph order. */
    for (size_t k = 0; k < c->nprior; k++) {
        size_t i = c->priors[k].i;
        int orphan =
            tsk_diff__aidx_find(c->nodes, nn, c->prior[i].addr) == SIZE_MAX;
        if (sel_prior[i] && (c->o->destroy || orphan))
            emit_delete(c, &c->prior[i]);
    }
    if (c->o->destroy)
        return;
    for (size_t k = 0; k < nn; k++)
        plan_node(c, order ? order[k] : (uint32_t)k);
    for (size_t k = 0; k < nn; k++) {
        uint32_t n = order ? order[k] : (uint32_t)k;
        if (sel_node[n])
            emit_node(c, n);
    }
}

int tsk_diff(struct tsk_plan *plan, const struct tsk_graph *g,
             const uint32_t *order, const struct tsk_object *prior,
             size_t nprior, const struct tsk_diff_opts *opts,
             struct tsk_diags *d)
{
    static const struct tsk_diff_opts none = {0};
    struct dctx c = {g,   opts ? opts : &none, prior, nprior, NULL, NULL, NULL,
                     plan};
    size_t nn = g ? g->nodes.n : 0, first = plan->changes.n;
    plan->destroy = c.o->destroy;
    plan->refresh_only = c.o->refresh_only;
    if (c.o->refresh_only)
        return 0;
    index_all(&c);
    unsigned char *sel_node = tsk_xcalloc(nn + 1, 1);
    unsigned char *sel_prior = tsk_xcalloc(nprior + 1, 1);
    tsk_diff__select(g, prior, nprior, c.nodes, c.priors, c.nprior, c.o,
                     sel_node, sel_prior, d);
    if (!c.o->destroy)
        warn_replace(&c, d);
    c.np = tsk_xcalloc(nn + 1, sizeof(*c.np));
    plan_all(&c, order, sel_node, sel_prior);

    size_t nch = plan->changes.n - first;
    const struct tsk_object **prior_of =
        tsk_xcalloc(nch + 1, sizeof(*prior_of));
    for (size_t i = 0; i < nch; i++) {
        const struct tsk_change *ch = &plan->changes.v[first + i];
        if (ch->action != TSK_DELETE && ch->node < nn)
            prior_of[i] = c.np[ch->node].prior;
    }
    tsk_diff__order(plan, first, prior_of);
    free(prior_of);
    for (size_t i = 0; i < nn; i++) {
        cJSON_Delete(c.np[i].after);
        cJSON_Delete(c.np[i].unknown);
        tsk_strvec_free(&c.np[i].forced);
        tsk_strvec_free(&c.np[i].sensitive);
    }
    free(c.np);
    free(sel_node);
    free(sel_prior);
    free(c.nodes);
    free(c.priors);
    return 0;
}

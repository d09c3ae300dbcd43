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
    /* A no-op whose after is exactly its prior's stored text (after and
     * unknown NULL): the text (tsk_change.text), and the values that
     * references read from it so far (an object: attr -> value, or an
     * invalid item where it has none). */
    const char *same;
    cJSON *read;
    enum tsk_action action;
    enum tsk_reason reason;
    const struct tsk_object *prior;
    tsk_strvec forced;    /* force_new attributes that changed */
    tsk_strvec sensitive; /* sensitive through references */
};

/* Borrowed attribute names (keys of the trees being compared). */
typedef TSK_ARRAY(const char *) namevec;

/* Computed values the after keeps from the prior, in order: s is the
 * prior's member when the value is still to be parsed (text), else NULL
 * (the value is in the after already). */
struct carry {
    const char *name;
    const struct tsk_jspan *s;
};
typedef TSK_ARRAY(struct carry) carryvec;

struct dctx {
    const struct tsk_graph *g;
    const struct tsk_diff_opts *o;
    const struct tsk_object *prior;
    size_t nprior;
    /* nodes is built only when something looks nodes up by address
     * (-destroy, -target, -replace); it is empty otherwise */
    struct tsk_aidx nodes, priors;
    size_t *prior_at;       /* node -> its prior object, or SIZE_MAX */
    unsigned char *matched; /* prior object -> 1 when a node has it */
    struct nplan *np;
    struct tsk_plan *plan;
    struct tsk_diff__pview pv; /* the prior being compared, as text */
    namevec names;             /* scratch: the attribute names of one node */
    carryvec carried;          /* scratch: its carried values */
};

static const struct tsk_attr_schema *attr_schema(const struct tsk_schema *s,
                                                 const char *name)
{
    for (const struct tsk_attr_schema *a = s ? s->attrs : NULL; a && a->name;
         a++)
        /* names are mostly the same constants as the schema's */
        if (a->name == name || strcmp(a->name, name) == 0)
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

/* The value at path of t's text (t->same), as cached in t->read. */
static const cJSON *text_value(struct nplan *t, const char *path)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(t->read, path);
    if (v)
        return v;
    if (!t->read)
        t->read = cJSON_CreateObject();
    v = tsk_diff__text_get(t->same, path);
    if (!v) {
        v = cJSON_CreateNull();
        v->type = cJSON_Invalid; /* none */
    }
    cJSON_AddItemToObject(t->read, path, v);
    return v;
}

static void resolve_ref(struct dctx *c, struct nplan *me,
                        const struct tsk_ref *r)
{
    const struct nplan *t = &c->np[r->target];
    const cJSON *v = t->after ? tsk_path_get(t->after, r->target_attr) : NULL;
    if (t->same) {
        /* a no-op kept as its text: the value is read from there, once */
        const cJSON *tv = text_value(&c->np[r->target], r->target_attr);
        if ((tv->type & 0xFF) != cJSON_Invalid)
            tsk_path_set_take(me->after, r->attr, cJSON_Duplicate(tv, 1));
    } else if (!t->after || unknown_at(t->unknown, r->target_attr) ||
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
                        const char *name, carryvec *carried)
{
    const struct tsk_attr_schema *as =
        attr_schema(nd->rt ? nd->rt->schema : NULL, name);
    const cJSON *pv = tsk_path_get(tsk_object_attrs(me->prior), name);
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(me->after, name);
    int unk = cJSON_GetObjectItemCaseSensitive(me->unknown, name) != NULL;
    if (!av && !unk) {
        if (!pv)
            return 0;
        if (!as || (as->flags & TSK_A_COMPUTED)) {
            cJSON_AddItemToObject(me->after, name, cJSON_Duplicate(pv, 1));
            /* name: a key of the prior */
            *TSK_ARRAY_PUSH(*carried) = (struct carry){name, NULL};
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

/* compare_attr on the prior's text: s is the prior's member (or NULL). A
 * carried value is parsed only once the action is known (carry_in). */
static int compare_text(struct nplan *me, const struct tsk_node *nd,
                        const char *name, const struct tsk_jspan *s,
                        struct tsk_diff__pview *v, carryvec *carried)
{
    const struct tsk_attr_schema *as =
        attr_schema(nd->rt ? nd->rt->schema : NULL, name);
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(me->after, name);
    int unk = cJSON_GetObjectItemCaseSensitive(me->unknown, name) != NULL;
    if (!av && !unk) {
        if (!s)
            return 0;
        if (!as || (as->flags & TSK_A_COMPUTED)) {
            /* name: a key of the view */
            *TSK_ARRAY_PUSH(*carried) = (struct carry){name, s};
            return 0;
        }
        return !(s->vlen == 4 && memcmp(s->val, "null", 4) == 0);
    }
    if (!unk && (s ? tsk_diff__pview_eq(v, s, av) : tsk_value_eq(NULL, av)))
        return 0;
    if (as && (as->flags & TSK_A_FORCE_NEW))
        TSK_STRS_ADD_UNIQUE(me->forced, name);
    return 1;
}

/* Compares every attribute of the node with its prior's: from the prior's
 * text when it is not parsed, else from its tree. Returns 1 on a change. */
static int compare_prior(struct dctx *c, struct nplan *me,
                         const struct tsk_node *nd, namevec *names,
                         carryvec *carried)
{
    int changed = 0;
    add_keys(names, me->after);
    add_keys(names, me->unknown);
    struct tsk_diff__pview *v = &c->pv;
    if (tsk_diff__pview_open(v, me->prior, names->v, names->n) != 0) {
        add_keys(names, tsk_object_attrs(me->prior));
        for (size_t i = 0; i < names->n; i++)
            changed |= compare_attr(me, nd, names->v[i], carried);
        return changed;
    }
    for (size_t i = 0; i < v->sp.n; i++) {
        const char *k = tsk_diff__pview_key(v, i);
        size_t j = 0;
        while (j < names->n && strcmp(names->v[j], k))
            j++;
        if (j == names->n)
            *TSK_ARRAY_PUSH(*names) = k;
    }
    for (size_t i = 0; i < names->n; i++)
        changed |=
            compare_text(me, nd, names->v[i],
                         tsk_diff__pview_find(v, names->v[i]), v, carried);
    return changed;
}

/* After a create or replace, computed values are unknown until apply. */
static void mark_computed_unknown(struct nplan *me, const struct tsk_node *nd,
                                  const carryvec *carried)
{
    for (size_t i = 0; i < carried->n; i++) {
        if (!carried->v[i].s)
            cJSON_DeleteItemFromObjectCaseSensitive(me->after,
                                                    carried->v[i].name);
        tsk_path_set_take(me->unknown, carried->v[i].name, cJSON_CreateTrue());
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

/* Appends the carried values still to parse to the after, in order. */
static void carry_in(struct nplan *me, const carryvec *carried)
{
    for (size_t i = 0; i < carried->n; i++)
        if (carried->v[i].s)
            cJSON_AddItemToObject(me->after, carried->v[i].name,
                                  tsk_diff__span_value(carried->v[i].s));
}

/*
 * Whether a no-op's after, once its carried values are in, would be
 * written exactly as its prior's stored text: compared from that text
 * (borrowed by the plan), every configured value equal by its bytes, the
 * same members in the same order, carried values already in canonical
 * form, and the text itself compact. Then the change keeps the text.
 */
static int same_as_text(const struct dctx *c, const struct nplan *me,
                        const carryvec *carried)
{
    const struct tsk_diff__pview *v = &c->pv;
    if (!c->o->borrow_prior || !me->prior || v->text != me->prior->text ||
        v->inexact || (me->unknown && me->unknown->child) ||
        !tsk_jspan_compact(v->text, v->sp.v, v->sp.n))
        return 0;
    size_t i = 0;
    for (const cJSON *k = me->after->child; k; k = k->next, i++)
        if (i == v->sp.n || !k->string ||
            strcmp(k->string, tsk_diff__pview_key(v, i)) != 0)
            return 0;
    for (size_t j = 0; j < carried->n; j++, i++)
        if (i == v->sp.n || carried->v[j].s != &v->sp.v[i] ||
            !tsk_jspan_canonical(carried->v[j].s->val, carried->v[j].s->vlen))
            return 0;
    return i == v->sp.n;
}

static void plan_node(struct dctx *c, uint32_t n)
{
    const struct tsk_node *nd = &c->g->nodes.v[n];
    struct nplan *me = &c->np[n];
    size_t p = c->prior_at[n];
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

    namevec names = c->names;
    carryvec carried = c->carried;
    names.n = carried.n = 0;
    int changed = 0;
    if (me->prior)
        changed = compare_prior(c, me, nd, &names, &carried);
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
    if (me->action == TSK_CREATE || is_replace(me->action)) {
        mark_computed_unknown(me, nd, &carried);
    } else if (me->action == TSK_NOOP && same_as_text(c, me, &carried)) {
        /* the configured tree is done with: its memory serves what
         * follows rather than new pages */
        cJSON_Delete(me->after);
        cJSON_Delete(me->unknown);
        me->after = me->unknown = NULL;
        me->same = me->prior->text;
    } else {
        carry_in(me, &carried);
    }
    c->names = names; /* kept for the next node */
    c->carried = carried;
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

/* A no-op's before when its prior is still text: a raw item referring to
 * the text (borrowed), or NULL to use the tree. */
static cJSON *raw_before(const struct dctx *c, const struct tsk_object *o)
{
    if (!c->o->borrow_prior || o->attrs || !o->text)
        return NULL;
    cJSON *b = cJSON_CreateNull();
    if (b) {
        b->type = cJSON_Raw | cJSON_IsReference;
        b->valuestring = o->text;
    }
    return b;
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

/* A string of the change: borrowed (see tsk_change.borrowed) or copied. */
static char *str_of(const struct tsk_change *ch, const char *s)
{
    return !s ? NULL : ch->borrowed ? (char *)s : tsk_xstrdup(s);
}

/* Adds dep to ch->deps unless it is there, borrowed or copied. */
/* Room for n deps in ch: a borrowing change's array is carved from the
 * plan (tsk_plan.carve), one malloc fewer per change. */
static void deps_room(struct tsk_plan *plan, struct tsk_change *ch, size_t n)
{
    if (!ch->borrowed) {
        TSK_ARRAY_GROW(ch->deps, n);
    } else if (n) {
        ch->deps.v = tsk_bump_alloc(&plan->carve, n * sizeof(*ch->deps.v),
                                    _Alignof(char *));
        ch->deps.alloc = n;
    }
}

static void add_dep(struct tsk_change *ch, const char *dep)
{
    if (!tsk_strs_has(ch->deps.v, ch->deps.n, dep))
        *TSK_ARRAY_PUSH(ch->deps) = str_of(ch, dep);
}

static void emit_node(struct dctx *c, uint32_t n)
{
    const struct tsk_node *nd = &c->g->nodes.v[n];
    struct nplan *me = &c->np[n];
    struct tsk_change *ch = TSK_ARRAY_PUSH(c->plan->changes);
    const struct tsk_provider *pv = nd->prov ? nd->prov : c->g->prov;
    const char *dot = strchr(nd->addr, '.');
    ch->borrowed = c->o->borrow_prior;
    ch->addr = str_of(ch, nd->addr);
    ch->type = str_of(ch, nd->type ? nd->type : "");
    ch->name = str_of(ch, nd->name ? nd->name : dot ? dot + 1 : nd->addr);
    ch->provider = str_of(ch, pv ? pv->name : "");
    ch->action = me->action;
    ch->reason = me->reason;
    if (me->prior) {
        ch->id = str_of(ch, me->prior->id);
        ch->text = me->same;
        ch->before = me->action == TSK_NOOP && !me->same
                         ? raw_before(c, me->prior)
                         : NULL;
        if (!ch->before && !me->same)
            ch->before = before_of(c, tsk_object_attrs(me->prior));
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
    deps_room(c->plan, ch, nd->deps.n);
    for (size_t i = 0; i < nd->deps.n; i++)
        if (nd->deps.v[i] < c->g->nodes.n)
            add_dep(ch, c->g->nodes.v[nd->deps.v[i]].addr);
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
    const char *dot = strchr(o->addr, '.');
    ch->borrowed = c->o->borrow_prior;
    ch->addr = str_of(ch, o->addr);
    ch->type = str_of(ch, o->type ? o->type : "");
    ch->name = str_of(ch, dot ? dot + 1 : o->addr);
    ch->provider = str_of(ch, o->provider ? o->provider : "");
    ch->action = TSK_DELETE;
    ch->reason = c->o->destroy ? TSK_REASON_DESTROY : TSK_REASON_NO_CONFIG;
    ch->id = str_of(ch, o->id);
    ch->before = before_of(c, tsk_object_attrs(o));
    ch->after_unknown = cJSON_CreateObject();
    add_sensitive(ch, rt ? rt->schema : NULL, o->sensitive.v, o->sensitive.n);
    /* Destroy mode: what the configuration says it depends on counts too. */
    size_t n = tsk_diff__aidx_find(&c->nodes, o->addr);
    const struct tsk_node *nd =
        c->o->destroy && n != SIZE_MAX ? &c->g->nodes.v[n] : NULL;
    deps_room(c->plan, ch, o->deps.n + (nd ? nd->deps.n : 0));
    for (size_t i = 0; i < o->deps.n; i++)
        add_dep(ch, o->deps.v[i]);
    if (nd) {
        for (size_t i = 0; i < nd->deps.n; i++)
            add_dep(ch, c->g->nodes.v[nd->deps.v[i]].addr);
    }
    ch->node = n == SIZE_MAX ? UINT32_MAX : (uint32_t)n;
}

static void warn_replace(struct dctx *c, struct tsk_diags *d)
{
    for (size_t i = 0; i < c->o->nreplace; i++) {
        const char *a = c->o->replace[i];
        if (tsk_diff__aidx_find(&c->priors, a) == SIZE_MAX ||
            tsk_diff__aidx_find(&c->nodes, a) == SIZE_MAX)
            tsk_diag_warning(d, NULL,
                             "-replace=%s matches no existing resource in the "
                             "configuration; nothing to replace",
                             a);
    }
}

static void index_all(struct dctx *c)
{
    size_t nn = c->g ? c->g->nodes.n : 0;
    if (c->o->destroy || c->o->ntargets || c->o->nreplace) {
        tsk_diff__aidx_init(&c->nodes, nn);
        for (size_t i = 0; i < nn; i++)
            tsk_diff__aidx_put(&c->nodes, c->g->nodes.v[i].addr, i);
    }
    tsk_diff__aidx_init(&c->priors, c->nprior);
    for (size_t i = 0; i < c->nprior; i++)
        if (c->prior[i].addr) /* the index covers live objects only */
            tsk_diff__aidx_put(&c->priors, c->prior[i].addr, i);
    c->prior_at = tsk_xmalloc((nn + 1) * sizeof(*c->prior_at));
    c->matched = tsk_xcalloc(c->nprior + 1, 1);
    for (size_t i = 0; i < nn; i++) {
        size_t p = tsk_diff__aidx_find(&c->priors, c->g->nodes.v[i].addr);
        c->prior_at[i] = p;
        if (p != SIZE_MAX)
            c->matched[p] = 1;
    }
}

static int by_addr(const void *a, const void *b)
{
    const struct tsk_object *x = *(const struct tsk_object *const *)a;
    const struct tsk_object *y = *(const struct tsk_object *const *)b;
    return strcmp(x->addr, y->addr);
}

/* The prior objects to delete, sorted by address. */
static void emit_deletes(struct dctx *c, const unsigned char *sel_prior)
{
    const struct tsk_object **del =
        tsk_xmalloc((c->nprior + 1) * sizeof(*del));
    size_t n = 0;
    for (size_t i = 0; i < c->nprior; i++) {
        const struct tsk_object *o = &c->prior[i];
        if (!o->addr)
            continue; /* gone (refresh) */
        int orphan = !c->matched[i];
        if (sel_prior[i] && (c->o->destroy || orphan))
            del[n++] = o;
    }
    if (n > 1)
        qsort(del, n, sizeof(*del), by_addr);
    for (size_t k = 0; k < n; k++)
        emit_delete(c, del[k]);
    free(del);
}

static void plan_all(struct dctx *c, const uint32_t *order,
                     const unsigned char *sel_node,
                     const unsigned char *sel_prior)
{
    size_t nn = c->g ? c->g->nodes.n : 0, orphans = 0;
    for (size_t i = 0; i < c->nprior; i++)
        orphans += c->o->destroy || !c->matched[i];
    /* Orphans first (sorted by address), then nodes in graph order. */
    TSK_ARRAY_GROW(c->plan->changes,
                   c->plan->changes.n + (c->o->destroy ? 0 : nn) + orphans);
    emit_deletes(c, sel_prior);
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
    struct dctx c = {.g = g,
                     .o = opts ? opts : &none,
                     .prior = prior,
                     .nprior = nprior,
                     .plan = plan};
    size_t nn = g ? g->nodes.n : 0, first = plan->changes.n;
    plan->destroy = c.o->destroy;
    plan->refresh_only = c.o->refresh_only;
    if (c.o->refresh_only)
        return 0;
    index_all(&c);
    unsigned char *sel_node = tsk_xcalloc(nn + 1, 1);
    unsigned char *sel_prior = tsk_xcalloc(nprior + 1, 1);
    tsk_diff__select(g, prior, nprior, &c.nodes, &c.priors, c.o, sel_node,
                     sel_prior, d);
    if (!c.o->destroy)
        warn_replace(&c, d);
    c.np = tsk_xcalloc(nn + 1, sizeof(*c.np));
    plan_all(&c, order, sel_node, sel_prior);

    size_t nch = plan->changes.n - first, ndel = 0;
    for (size_t i = 0; i < nch; i++)
        ndel += plan->changes.v[first + i].action == TSK_DELETE;
    /* Without deletes the changes are the nodes' in the graph's order,
     * which has dependencies first: every ordering edge already points
     * forward, and the ordering (ties keep their place) keeps them as
     * they are. */
    if (ndel || !order) {
        const struct tsk_object **prior_of =
            tsk_xcalloc(nch + 1, sizeof(*prior_of));
        for (size_t i = 0; i < nch; i++) {
            const struct tsk_change *ch = &plan->changes.v[first + i];
            if (ch->action != TSK_DELETE && ch->node < nn)
                prior_of[i] = c.np[ch->node].prior;
        }
        tsk_diff__order(plan, first, prior_of);
        free(prior_of);
    }
    for (size_t i = 0; i < nn; i++) {
        cJSON_Delete(c.np[i].after);
        cJSON_Delete(c.np[i].unknown);
        cJSON_Delete(c.np[i].read);
        tsk_strvec_free(&c.np[i].forced);
        tsk_strvec_free(&c.np[i].sensitive);
    }
    free(c.np);
    free(sel_node);
    free(sel_prior);
    tsk_diff__aidx_free(&c.nodes);
    free(c.prior_at);
    free(c.matched);
    tsk_diff__aidx_free(&c.priors);
    tsk_diff__pview_free(&c.pv);
    TSK_ARRAY_FREE(c.names);
    TSK_ARRAY_FREE(c.carried);
    return 0;
}

/*
 * refresh.c - reads every prior object through its provider, in parallel
 * (in batches when the provider has call_many), and records what changed
 * outside tuskform as drift.
 */
#include "planner/attrpath.h"
#include "planner/diff.h"
#include "planner/pool.h"

#include <stdlib.h>
#include <string.h>

struct rjob {
    cJSON *out;
    int rc;
    struct tsk_diags d;
};

struct rctx {
    const struct tsk_refresh_opts *o;
    struct tsk_object *objs;
    const struct tsk_resource_type **rt; /* each object's, NULL: skipped */
    struct rjob *jobs;                   /* unbatched reads */
    /* Batched reads (the provider has call_many): the calls of every read
     * at once, batch k being pc[k * per .. (k + 1) * per) of the npc. */
    struct tsk_pcall *pc;
    size_t npc, per;
};

static void read_one(void *arg, size_t i)
{
    struct rctx *c = arg;
    struct rjob *j = &c->jobs[i];
    struct tsk_object *ob = &c->objs[i];
    if (!c->rt[i])
        return;
    struct tsk_rcall call = {c->o->pctx, ob->addr, c->o->stack};
    /* each job reads its own object: parsing it here is not shared */
    j->rc = c->rt[i]->read(&call, ob->id ? ob->id : "", tsk_object_attrs(ob),
                           &j->out, &j->d);
}

static void read_chunk(void *arg, size_t k)
{
    struct rctx *c = arg;
    size_t lo = k * c->per, hi = lo + c->per;
    if (hi > c->npc)
        hi = c->npc;
    c->o->prov->call_many(c->o->pctx, c->pc + lo, hi - lo);
}

/*
 * Every read through call_many, in one batch per worker: a provider may
 * answer reads made at the same time together (the local one reads its
 * file once for all of them), and each worker still makes its share of
 * the calls (and waits their latency) at the same time as the others.
 * The calls, in object order, are the caller's (release them).
 */
static struct tsk_pcall *read_batched(struct rctx *c, size_t n, int par,
                                      size_t *npc)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += c->rt[i] != NULL;
    struct tsk_pcall *pc = tsk_xcalloc(m + 1, sizeof(*pc));
    m = 0;
    for (size_t i = 0; i < n; i++) {
        const struct tsk_object *ob = &c->objs[i];
        if (!c->rt[i])
            continue;
        /* the stored text when there is one: nothing parsed to compare */
        pc[m++] = (struct tsk_pcall){
            .op = 'r',
            .rt = c->rt[i],
            .c = {c->o->pctx, ob->addr, c->o->stack},
            .id = ob->id ? ob->id : "",
            .prior = ob->text && !ob->attrs ? NULL : tsk_object_attrs(ob),
            .prior_text = ob->attrs ? NULL : ob->text,
        };
    }
    c->pc = pc;
    c->npc = m;
    c->per = (m + (size_t)par - 1) / (size_t)par;
    if (c->per < 1)
        c->per = 1;
    tsk_pool_run(par, (m + c->per - 1) / c->per, read_chunk, c);
    *npc = m;
    return pc;
}

static const struct tsk_resource_type *find_type(const struct tsk_provider *p,
                                                 const char *type)
{
    for (size_t i = 0; p && p->types && p->types[i]; i++)
        if (type && strcmp(p->types[i]->name, type) == 0)
            return p->types[i];
    return NULL;
}

static struct tsk_drift *add_drift(struct tsk_plan *plan,
                                   const struct tsk_object *ob,
                                   const struct tsk_resource_type *rt)
{
    struct tsk_drift *dr = TSK_ARRAY_PUSH(plan->drift);
    dr->addr = tsk_xstrdup(ob->addr);
    dr->type = tsk_xstrdup(ob->type ? ob->type : "");
    dr->provider = tsk_xstrdup(ob->provider ? ob->provider : "");
    dr->id = ob->id ? tsk_xstrdup(ob->id) : NULL;
    dr->state_attrs = cJSON_Duplicate(tsk_object_attrs(ob), 1);
    for (size_t i = 0; i < ob->sensitive.n; i++)
        TSK_STRS_ADD_UNIQUE(dr->sensitive, ob->sensitive.v[i]);
    const struct tsk_attr_schema *a =
        rt && rt->schema ? rt->schema->attrs : NULL;
    for (; a && a->name; a++)
        if (a->flags & TSK_A_SENSITIVE)
            TSK_STRS_ADD_UNIQUE(dr->sensitive, a->name);
    return dr;
}

/* Compares what was read (out, taken; NULL: gone) with what the state
 * holds. */
static void settle(struct tsk_plan *plan, struct tsk_object *ob,
                   const struct tsk_resource_type *rt, int same, cJSON *out)
{
    if (same)
        return;
    if (!out) {
        struct tsk_drift *dr = add_drift(plan, ob, rt);
        dr->kind = TSK_DRIFT_DELETED;
        tsk_object_release(ob); /* addr NULL: gone */
        return;
    }
    tsk_strvec paths = {0};
    tsk_path_diff(tsk_object_attrs(ob), out, NULL, &paths);
    if (paths.n) {
        struct tsk_drift *dr = add_drift(plan, ob, rt);
        dr->kind = TSK_DRIFT_CHANGED;
        dr->remote_attrs = cJSON_Duplicate(out, 1);
        TSK_STRS_MOVE(dr->paths, paths);
    }
    tsk_strvec_free(&paths);
    tsk_object_set_attrs(ob, out);
}

/* Reports a read's diagnostics under its object's address and settles
 * it: 1 when the read failed. Takes out and releases rd. */
static int finish(struct tsk_plan *plan, struct tsk_object *ob,
                  const struct tsk_resource_type *rt, int rc, int same,
                  cJSON *out, struct tsk_diags *rd, struct tsk_diags *d)
{
    if (rc && !rd->nerr)
        tsk_diag_error(rd, NULL, "reading %s failed", ob->addr);
    for (size_t k = 0; k < rd->v.n; k++)
        if (!rd->v.v[k].addr) /* reported under its object's address */
            rd->v.v[k].addr = tsk_xstrdup(ob->addr);
    tsk_diags_move(d, rd);
    if (rc) {
        cJSON_Delete(out);
        return 1;
    }
    settle(plan, ob, rt, same && !out, out);
    return 0;
}

int tsk_refresh(struct tsk_plan *plan, struct tsk_object *objs, size_t n,
                const struct tsk_refresh_opts *opts, struct tsk_diags *d)
{
    const struct tsk_resource_type **rt = tsk_xcalloc(n + 1, sizeof(*rt));
    struct rctx c = {opts, objs, rt, NULL, NULL, 0, 0};
    const char *last = NULL; /* objects of a type come together */
    const struct tsk_resource_type *last_rt = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!objs[i].addr)
            continue;
        const char *type = objs[i].type;
        if (!last || !type || strcmp(type, last) != 0) {
            last = type;
            last_rt = find_type(opts->prov, type);
        }
        rt[i] = last_rt;
        if (!rt[i] || !rt[i]->read) {
            rt[i] = NULL;
            tsk_diag_warning(d, NULL,
                             "%s: provider \"%s\" cannot read type "
                             "\"%s\"; refresh skipped it",
                             objs[i].addr, opts->prov ? opts->prov->name : "?",
                             objs[i].type ? objs[i].type : "?");
            tsk_diag_addr(d, objs[i].addr);
        }
    }
    int par = opts->parallelism > 0 ? opts->parallelism : 10;
    int failed = 0;
    if (opts->prov && opts->prov->call_many) {
        size_t m = 0;
        struct tsk_pcall *pc = read_batched(&c, n, par, &m);
        for (size_t i = 0, k = 0; i < n && k < m; i++) {
            if (!rt[i])
                continue;
            struct tsk_pcall *r = &pc[k++];
            failed |=
                finish(plan, &objs[i], rt[i], r->rc, r->same, r->out, &r->d, d);
        }
        free(pc);
    } else {
        c.jobs = tsk_xcalloc(n + 1, sizeof(*c.jobs));
        tsk_pool_run(par, n, read_one, &c);
        for (size_t i = 0; i < n; i++) {
            struct rjob *j = &c.jobs[i];
            if (rt[i])
                failed |=
                    finish(plan, &objs[i], rt[i], j->rc, 0, j->out, &j->d, d);
        }
        free(c.jobs);
    }
    free(rt);
    return failed ? TSK_ERROR : 0;
}

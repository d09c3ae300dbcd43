/*
 * refresh.c - reads every prior object through its provider, in parallel
 * (in batches when the provider has call_many), and records what changed
 * outside tuskform as drift.
 */
#include "planner/attrpath.h"
#include "planner/diff.h"
#include "planner/pool.h"

#include <stdlib.h>

struct rjob {
    const struct tsk_resource_type *rt;
    cJSON *out;
    int same; /* the object is exactly as state holds it (out NULL) */
    int rc;
    struct tsk_diags d;
};

struct rctx {
    const struct tsk_refresh_opts *o;
    struct tsk_object *objs;
    struct rjob *jobs;
    /* Batched reads (the provider has call_many): chunk k reads the
     * objects idx[k * per .. (k + 1) * per) of the nidx to read. */
    const size_t *idx;
    size_t nidx, per;
};

/* Reads per batch: enough batches for every worker to take several (so
 * that slow reads still spread evenly), at most MAX_PER each. */
#define MAX_PER 512

static void read_one(void *arg, size_t i)
{
    struct rctx *c = arg;
    struct rjob *j = &c->jobs[i];
    struct tsk_object *ob = &c->objs[i];
    if (!j->rt)
        return;
    struct tsk_rcall call = {c->o->pctx, ob->addr, c->o->stack};
    /* each job reads its own object: parsing it here is not shared */
    j->rc = j->rt->read(&call, ob->id ? ob->id : "", tsk_object_attrs(ob),
                        &j->out, &j->d);
    if (j->rc && !j->d.nerr)
        tsk_diag_error(&j->d, NULL, "reading %s failed", ob->addr);
}

static void read_chunk(void *arg, size_t k)
{
    struct rctx *c = arg;
    size_t lo = k * c->per, hi = lo + c->per;
    if (hi > c->nidx)
        hi = c->nidx;
    struct tsk_pcall *pc = tsk_xcalloc(hi - lo + 1, sizeof(*pc));
    for (size_t m = 0; m < hi - lo; m++) {
        const struct tsk_object *ob = &c->objs[c->idx[lo + m]];
        /* the stored text when there is one: nothing parsed to compare */
        pc[m] = (struct tsk_pcall){
            .op = 'r',
            .rt = c->jobs[c->idx[lo + m]].rt,
            .c = {c->o->pctx, ob->addr, c->o->stack},
            .id = ob->id ? ob->id : "",
            .prior = ob->text && !ob->attrs ? NULL : tsk_object_attrs(ob),
            .prior_text = ob->attrs ? NULL : ob->text,
        };
    }
    c->o->prov->call_many(c->o->pctx, pc, hi - lo);
    for (size_t m = 0; m < hi - lo; m++) {
        struct rjob *j = &c->jobs[c->idx[lo + m]];
        j->out = pc[m].out;
        j->same = pc[m].same && !pc[m].out;
        j->rc = pc[m].rc;
        j->d = pc[m].d;
        if (j->rc && !j->d.nerr)
            tsk_diag_error(&j->d, NULL, "reading %s failed",
                           c->objs[c->idx[lo + m]].addr);
    }
    free(pc);
}

/* Every read, batched through call_many when the provider has it. */
static void read_all(struct rctx *c, size_t n, int par)
{
    if (!c->o->prov || !c->o->prov->call_many) {
        tsk_pool_run(par, n, read_one, c);
        return;
    }
    size_t *idx = tsk_xcalloc(n + 1, sizeof(*idx)), m = 0;
    for (size_t i = 0; i < n; i++)
        if (c->jobs[i].rt)
            idx[m++] = i;
    size_t want = (size_t)par * 4;
    c->idx = idx;
    c->nidx = m;
    c->per = (m + want - 1) / want;
    if (c->per > MAX_PER)
        c->per = MAX_PER;
    if (c->per < 1)
        c->per = 1;
    tsk_pool_run(par, (m + c->per - 1) / c->per, read_chunk, c);
    free(idx);
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

/* Compares what was read with what the state holds; takes j->out. */
static void settle(struct tsk_plan *plan, struct tsk_object *ob, struct rjob *j)
{
    if (j->same)
        return;
    if (!j->out) {
        struct tsk_drift *dr = add_drift(plan, ob, j->rt);
        dr->kind = TSK_DRIFT_DELETED;
        tsk_object_release(ob); /* addr NULL: gone */
        return;
    }
    tsk_strvec paths = {0};
    tsk_path_diff(tsk_object_attrs(ob), j->out, NULL, &paths);
    if (paths.n) {
        struct tsk_drift *dr = add_drift(plan, ob, j->rt);
        dr->kind = TSK_DRIFT_CHANGED;
        dr->remote_attrs = cJSON_Duplicate(j->out, 1);
        TSK_STRS_MOVE(dr->paths, paths);
    }
    tsk_strvec_free(&paths);
    tsk_object_set_attrs(ob, j->out);
    j->out = NULL;
}

int tsk_refresh(struct tsk_plan *plan, struct tsk_object *objs, size_t n,
                const struct tsk_refresh_opts *opts, struct tsk_diags *d)
{
    struct rjob *jobs = tsk_xcalloc(n + 1, sizeof(*jobs));
    struct rctx c = {opts, objs, jobs, NULL, 0, 0};
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (!objs[i].addr)
            continue;
        jobs[i].rt = find_type(opts->prov, objs[i].type);
        if (!jobs[i].rt || !jobs[i].rt->read) {
            jobs[i].rt = NULL;
            tsk_diag_warning(d, NULL,
                             "%s: provider \"%s\" cannot read type "
                             "\"%s\"; refresh skipped it",
                             objs[i].addr, opts->prov ? opts->prov->name : "?",
                             objs[i].type ? objs[i].type : "?");
            tsk_diag_addr(d, objs[i].addr);
        }
    }
    read_all(&c, n, opts->parallelism > 0 ? opts->parallelism : 10);
    for (size_t i = 0; i < n; i++) {
        struct rjob *j = &jobs[i];
        for (size_t k = 0; k < j->d.v.n; k++) {
            struct tsk_diag *dg = &j->d.v.v[k];
            if (dg->sev == TSK_SEV_ERROR)
                tsk_diag_error(d, &dg->pos, "%s", dg->summary);
            else
                tsk_diag_warning(d, &dg->pos, "%s", dg->summary);
            if (dg->detail)
                tsk_diag_detail(d, "%s", dg->detail);
            tsk_diag_addr(d, dg->addr ? dg->addr : objs[i].addr);
        }
        if (j->rt && j->rc) {
            rc = TSK_ERROR;
            cJSON_Delete(j->out);
        } else if (j->rt) {
            settle(plan, &objs[i], j);
        }
        tsk_diags_release(&j->d);
    }
    free(jobs);
    return rc;
}

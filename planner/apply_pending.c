/*
 * apply_pending.c - the journal as plan and drift see it. They write
 * nothing (drift takes no lock; a plan must not touch the cloud or move
 * the serial its saved file records), so the pending intents of an
 * interrupted apply are not settled here: the objects pending creates
 * made are looked up and counted as present in memory, as the next apply
 * will adopt them, so that the plan does not create them a second time.
 */
#include "planner/apply_int.h"

#include <stdlib.h>
#include <string.h>

void tsk_apply_found_release(struct tsk_apply_found *f)
{
    for (size_t i = 0; i < f->v.n; i++)
        tsk_object_release(&f->v.v[i]);
    TSK_ARRAY_FREE(f->v);
    memset(f, 0, sizeof(*f));
}

static void strs_from_json(struct tsk_object *ob, const cJSON *sens,
                           const cJSON *deps)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, sens)
    {
        if (cJSON_IsString(e))
            *TSK_ARRAY_PUSH(ob->sensitive) = tsk_xstrdup(e->valuestring);
    }
    cJSON_ArrayForEach(e, deps)
    {
        if (cJSON_IsString(e))
            *TSK_ARRAY_PUSH(ob->deps) = tsk_xstrdup(e->valuestring);
    }
}

/* Fills sensitive paths and dependencies from the record, else the node. */
static void describe(struct tsk_object *ob, const struct tsk_state_rec *rec,
                     const struct tsk_apply_opts *o)
{
    if (rec) {
        cJSON *sens = tsk_state_rec_sensitive(rec);
        cJSON *deps = tsk_state_rec_deps(rec);
        strs_from_json(ob, sens, deps);
        cJSON_Delete(sens);
        cJSON_Delete(deps);
        ob->tainted = rec->tainted;
        return;
    }
    const struct tsk_graph *g = o->g;
    uint32_t n = g ? tsk_graph_find(g, ob->addr) : UINT32_MAX;
    if (n == UINT32_MAX)
        return;
    const struct tsk_node *nd = &g->nodes.v[n];
    for (size_t i = 0; i < nd->sensitive.n; i++)
        *TSK_ARRAY_PUSH(ob->sensitive) = tsk_xstrdup(nd->sensitive.v[i]);
    for (size_t i = 0; i < nd->deps.n; i++)
        *TSK_ARRAY_PUSH(ob->deps) = tsk_xstrdup(g->nodes.v[nd->deps.v[i]].addr);
}

/* Looks the object of one pending create up; adds it to out when it
 * exists and is not what state records. */
static void look_up(struct tsk_apply_found *out, const struct tsk_apply_opts *o,
                    const struct tsk_state_intent *in, struct tsk_diags *d)
{
    char type[256];
    const char *dot = strchr(in->address, '.');
    if (!dot || (size_t)(dot - in->address) >= sizeof(type))
        return;
    snprintf(type, sizeof(type), "%.*s", (int)(dot - in->address), in->address);
    const struct tsk_resource_type *rt = tsk_provider_type(o->prov, type);
    if (!rt || !rt->find ||
        (in->provider && o->prov && strcmp(in->provider, o->prov->name) != 0))
        return; /* the apply that settles it says why */
    struct tsk_state_rec rec;
    struct tsk_diags scratch = {0};
    int have = tsk_state_get(&rec, o->st, in->address, &scratch) == 0;
    tsk_diags_release(&scratch);
    const struct tsk_graph *g = o->g;
    uint32_t n = g ? tsk_graph_find(g, in->address) : UINT32_MAX;
    cJSON *rec_attrs = have ? tsk_state_rec_attrs(&rec) : NULL;
    const cJSON *planned = n != UINT32_MAX ? g->nodes.v[n].attrs : rec_attrs;
    struct tsk_rcall c = {o->pctx, in->address, o->stack};
    char *id = NULL;
    cJSON *attrs = NULL;
    struct tsk_diags fd = {0};
    int rc = rt->find(&c, planned, &id, &attrs, &fd);
    if (rc) {
        tsk_diag_warning(d, NULL,
                         "%s: an interrupted apply may have created it, and "
                         "looking it up failed: %s",
                         in->address,
                         fd.v.n ? fd.v.v[0].summary : "unknown error");
        tsk_diag_addr(d, in->address);
    } else if (id && attrs &&
               !(have && rec.remote_id && strcmp(rec.remote_id, id) == 0)) {
        struct tsk_object *ob = NULL;
        for (size_t i = 0; i < out->v.n && !ob; i++)
            if (strcmp(out->v.v[i].addr, in->address) == 0)
                ob = &out->v.v[i]; /* a later intent: the newest wins */
        if (ob)
            tsk_object_release(ob);
        else
            ob = TSK_ARRAY_PUSH(out->v);
        ob->addr = tsk_xstrdup(in->address);
        ob->type = tsk_xstrdup(type);
        ob->provider = tsk_xstrdup(in->provider ? in->provider : o->prov->name);
        ob->id = id;
        tsk_object_set_attrs(ob, attrs);
        id = NULL;
        attrs = NULL;
        describe(ob, have ? &rec : NULL, o);
    }
    tsk_diags_release(&fd);
    free(id);
    cJSON_Delete(attrs);
    cJSON_Delete(rec_attrs);
    if (have)
        tsk_state_rec_release(&rec);
}

static int cmp_obj(const void *a, const void *b)
{
    return strcmp(((const struct tsk_object *)a)->addr,
                  ((const struct tsk_object *)b)->addr);
}

int tsk_apply_pending_found(struct tsk_apply_found *out,
                            const struct tsk_apply_opts *o, struct tsk_diags *d)
{
    memset(out, 0, sizeof(*out));
    if (!o->st)
        return 0;
    struct tsk_state_intent_list l = {0};
    int rc = tsk_state_journal_list(&l, o->st, d);
    if (rc)
        return rc;
    out->npending = l.v.n;
    for (size_t i = 0; i < l.v.n; i++)
        if (l.v.v[i].address && l.v.v[i].action &&
            strcmp(l.v.v[i].action, "create") == 0)
            look_up(out, o, &l.v.v[i], d);
    tsk_state_intent_list_release(&l);
    if (out->v.n > 1)
        qsort(out->v.v, out->v.n, sizeof(out->v.v[0]), cmp_obj);
    return 0;
}

/*
 * apply_exec.c - one operation of the walk: resolve the values that were
 * unknown at plan time from what its dependencies produced, write the
 * journal intent, make the provider call, and store the result in state in
 * the same transaction that clears the intent.
 *
 * A create-before-destroy replacement records an intent for the old
 * ("deposed") object before the new one is created, so that a crash
 * between the two can never leave the old object unrecorded.
 */
#include "planner/apply_int.h"

#include <stdlib.h>
#include <string.h>

cJSON *tsk_apply__strs_json(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

const struct tsk_resource_type *
tsk_apply__type(const struct tsk_apply_opts *o, const char *type,
                const char *addr, struct tsk_diags *d)
{
    const struct tsk_resource_type *rt = tsk_provider_type(o->prov, type);
    if (!rt) {
        tsk_diag_error(d, NULL, "%s: provider %s has no resource type %s",
                       addr, o->prov ? o->prov->name : "(none)", type);
        tsk_diag_addr(d, addr);
    }
    return rt;
}

/* 1 when path, or an attribute above it, is marked unknown. */
static int unknown_at(const cJSON *unk, const char *path)
{
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

/* The value of target.attr as applied in this run, else as stored. */
static cJSON *produced(struct tsk_apply_run *r, const char *target,
                       const char *attr)
{
    cJSON *v = NULL;
    size_t j = tsk_apply__find(r, target);
    pthread_mutex_lock(&r->mu);
    if (j != SIZE_MAX && r->results[j])
        v = cJSON_Duplicate(tsk_path_get(r->results[j], attr), 1);
    pthread_mutex_unlock(&r->mu);
    if (v)
        return v;
    struct tsk_state_rec rec;
    struct tsk_diags scratch = {0};
    if (tsk_state_get(&rec, r->o->st, target, &scratch) == 0) {
        cJSON *attrs = tsk_state_rec_attrs(&rec);
        v = cJSON_Duplicate(tsk_path_get(attrs, attr), 1);
        cJSON_Delete(attrs);
        tsk_state_rec_release(&rec);
    }
    tsk_diags_release(&scratch);
    return v;
}

/* The planned attributes with every reference that was unknown at plan
 * time filled in from its producer; NULL after an error. */
static cJSON *resolve(struct tsk_apply_run *r, const struct tsk_change *ch,
                      struct tsk_diags *d)
{
    cJSON *planned = ch->after ? cJSON_Duplicate(ch->after, 1) : NULL;
    if (!cJSON_IsObject(planned)) {
        cJSON_Delete(planned);
        planned = cJSON_CreateObject();
    }
    const struct tsk_graph *g = r->o->g;
    if (!g || ch->node >= g->nodes.n ||
        strcmp(g->nodes.v[ch->node].addr, ch->addr) != 0)
        return planned;
    const struct tsk_node *nd = &g->nodes.v[ch->node];
    for (size_t i = 0; i < nd->refs.n; i++) {
        const struct tsk_ref *ref = &nd->refs.v[i];
        if (ref->target >= g->nodes.n ||
            (!unknown_at(ch->after_unknown, ref->attr) &&
             tsk_path_get(planned, ref->attr)))
            continue;
        const char *target = g->nodes.v[ref->target].addr;
        cJSON *v = produced(r, target, ref->target_attr);
        if (!v || cJSON_IsNull(v)) {
            cJSON_Delete(v);
            cJSON_Delete(planned);
            tsk_diag_error(d, NULL, "%s: the value of %s (%s.%s) is not known",
                           ch->addr, ref->attr, target, ref->target_attr);
            tsk_diag_addr(d, ch->addr);
            return NULL;
        }
        tsk_path_set_take(planned, ref->attr, v);
    }
    return planned;
}

static int journal(int64_t *jid, struct tsk_apply_run *r,
                   const struct tsk_change *ch, const char *action,
                   const char *token, struct tsk_diags *d)
{
    struct tsk_state_intent in = {
        .address = ch->addr,
        .action = (char *)action,
        .provider = ch->provider,
        .token = (char *)token,
        .lock_id = (char *)tsk_state_lock_id(r->o->st),
    };
    return tsk_state_journal_add(jid, r->o->st, &in, d);
}

static void clear(struct tsk_apply_run *r, int64_t jid)
{
    struct tsk_diags scratch = {0};
    if (jid > 0)
        tsk_state_journal_clear(r->o->st, jid, &scratch);
    tsk_diags_release(&scratch);
}

static int store(struct tsk_apply_run *r, const struct tsk_change *ch,
                 const char *id, cJSON *attrs, int tainted, int64_t jid,
                 struct tsk_diags *d)
{
    cJSON *sens = tsk_apply__strs_json(ch->sensitive.v, ch->sensitive.n);
    cJSON *deps = tsk_apply__strs_json(ch->deps.v, ch->deps.n);
    struct tsk_state_res res = {.address = ch->addr,
                                .type = ch->type,
                                .provider = ch->provider,
                                .remote_id = id,
                                .attrs = attrs,
                                .sensitive = sens,
                                .deps = deps,
                                .tainted = tainted};
    int rc = tsk_state_put(r->o->st, &res, jid, d);
    cJSON_Delete(sens);
    cJSON_Delete(deps);
    if (rc)
        tsk_diag_addr(d, ch->addr);
    return rc;
}

static void keep_result(struct tsk_apply_run *r, struct tsk_apply_op *op,
                        cJSON *attrs, const char *id)
{
    pthread_mutex_lock(&r->mu);
    cJSON_Delete(r->results[op->ch]);
    r->results[op->ch] = attrs;
    free(op->id);
    op->id = id ? tsk_xstrdup(id) : NULL;
    pthread_mutex_unlock(&r->mu);
}

static int exec_create(struct tsk_apply_run *r, struct tsk_apply_op *op,
                       const struct tsk_resource_type *rt,
                       const struct tsk_rcall *c, struct tsk_diags *d)
{
    const struct tsk_change *ch = &r->plan->changes.v[op->ch];
    int cd = ch->action == TSK_REPLACE_CD && ch->id;
    int64_t jid = 0;
    cJSON *planned = resolve(r, ch, d), *out = NULL;
    char *id = NULL;
    if (!planned)
        return TSK_ERROR;
    int rc = cd ? journal(&r->deposed_jid[op->ch], r, ch, "delete", ch->id, d)
                : 0;
    if (!rc)
        rc = journal(&jid, r, ch, "create", NULL, d);
    if (rc) {
        cJSON_Delete(planned);
        return rc;
    }
    rc = rt->create(c, planned, &id, &out, d);
    if (rc == 0 && (!id || !out)) {
        tsk_diag_error(d, NULL, "%s: the provider returned no object",
                       ch->addr);
        tsk_diag_addr(d, ch->addr);
        rc = TSK_ERROR;
    }
    if (rc == 0) {
        rc = store(r, ch, id, out, 0, jid, d);
        if (rc == 0)
            keep_result(r, op, out, id);
        else
            cJSON_Delete(out);
    } else if (cd) {
        /* The old object stays recorded and in place. The create intent
         * stays pending: the next run looks for a lost response. */
        cJSON_Delete(out);
        clear(r, r->deposed_jid[op->ch]);
        r->deposed_jid[op->ch] = 0;
    } else {
        cJSON_Delete(out);
        /* Tainted, so the next plan replaces it; the intent stays pending
         * so that an object the failed call did make is found. */
        struct tsk_diags scratch = {0};
        if (store(r, ch, id, planned, 1, 0, &scratch) == 0) {
            pthread_mutex_lock(&r->mu);
            *TSK_ARRAY_PUSH(r->rep->tainted) = tsk_xstrdup(ch->addr);
            pthread_mutex_unlock(&r->mu);
        }
        tsk_apply__diags_move(d, &scratch);
    }
    free(id);
    cJSON_Delete(planned);
    return rc;
}

static int exec_update(struct tsk_apply_run *r, struct tsk_apply_op *op,
                       const struct tsk_resource_type *rt,
                       const struct tsk_rcall *c, struct tsk_diags *d)
{
    const struct tsk_change *ch = &r->plan->changes.v[op->ch];
    int64_t jid = 0;
    cJSON *planned = resolve(r, ch, d), *out = NULL;
    if (!planned)
        return TSK_ERROR;
    int rc = journal(&jid, r, ch, "update", ch->id, d);
    if (!rc) {
        rc = rt->update(c, ch->id, ch->before, planned, &out, d);
        if (rc == 0 && !out) {
            tsk_diag_error(d, NULL, "%s: the provider returned no object",
                           ch->addr);
            rc = TSK_ERROR;
        }
        if (rc == 0)
            rc = store(r, ch, ch->id, out, 0, jid, d);
        else
            clear(r, jid);
    }
    if (rc == 0)
        keep_result(r, op, out, ch->id);
    else
        cJSON_Delete(out);
    cJSON_Delete(planned);
    return rc;
}

static int exec_delete(struct tsk_apply_run *r, struct tsk_apply_op *op,
                       const struct tsk_resource_type *rt,
                       const struct tsk_rcall *c, struct tsk_diags *d)
{
    const struct tsk_change *ch = &r->plan->changes.v[op->ch];
    if (ch->action == TSK_REPLACE_CD) {
        /* The old object: state already records the new one. On failure
         * its intent stays pending and the next run deletes it. */
        int rc = ch->id ? rt->delete(c, ch->id, ch->before, d) : 0;
        if (rc == 0)
            clear(r, r->deposed_jid[op->ch]);
        return rc;
    }
    int64_t jid = 0;
    int rc = journal(&jid, r, ch, "delete", ch->id, d);
    if (rc)
        return rc;
    if (ch->id && (rc = rt->delete(c, ch->id, ch->before, d)) != 0) {
        clear(r, jid);
        return rc;
    }
    struct tsk_diags scratch = {0};
    rc = tsk_state_delete(r->o->st, ch->addr, jid, &scratch);
    if (rc == TSK_ENOTFOUND) { /* already forgotten (state rm) */
        clear(r, jid);
        rc = 0;
    } else {
        tsk_apply__diags_move(d, &scratch);
    }
    tsk_diags_release(&scratch);
    return rc;
}

int tsk_apply__exec(struct tsk_apply_run *r, struct tsk_apply_op *op,
                    struct tsk_diags *d)
{
    const struct tsk_change *ch = &r->plan->changes.v[op->ch];
    const struct tsk_resource_type *rt =
        tsk_apply__type(r->o, ch->type, ch->addr, d);
    if (!rt)
        return TSK_EINVAL;
    struct tsk_rcall c = {r->o->pctx, ch->addr, r->o->stack};
    switch (op->kind) {
    case TSK_OP_CREATE:
        return exec_create(r, op, rt, &c, d);
    case TSK_OP_UPDATE:
        return exec_update(r, op, rt, &c, d);
    default:
        return exec_delete(r, op, rt, &c, d);
    }
}

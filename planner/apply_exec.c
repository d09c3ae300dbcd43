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
        tsk_diags_move(d, &scratch);
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
    rc = ch->id ? rt->delete(c, ch->id, ch->before, d) : 0;
    if (rc) {
        clear(r, jid);
        return rc;
    }
    struct tsk_diags scratch = {0};
    rc = tsk_state_delete(r->o->st, ch->addr, jid, &scratch);
    if (rc == TSK_ENOTFOUND) { /* already forgotten (state rm) */
        clear(r, jid);
        rc = 0;
    } else {
        tsk_diags_move(d, &scratch);
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
    int rc;
    switch (op->kind) {
    case TSK_OP_CREATE:
        rc = exec_create(r, op, rt, &c, d);
        break;
    case TSK_OP_UPDATE:
        rc = exec_update(r, op, rt, &c, d);
        break;
    default:
        rc = exec_delete(r, op, rt, &c, d);
        break;
    }
    return rc;
}

int tsk_apply__batchable(const struct tsk_apply_run *r,
                         const struct tsk_apply_op *op)
{
    enum tsk_action a = r->plan->changes.v[op->ch].action;
    return a == TSK_CREATE || a == TSK_UPDATE || a == TSK_DELETE ||
           (a == TSK_REPLACE_DC && op->kind == TSK_OP_CREATE);
}

/* What one operation of a batch carries between its phases. */
struct bop {
    struct tsk_apply_op *op;
    const struct tsk_change *ch;
    const struct tsk_resource_type *rt;
    cJSON *planned, *out;
    char *id;
    int64_t jid;
    int called; /* the call succeeded: its result is to be stored */
};

static int batch_stop(struct tsk_apply_run *r)
{
    pthread_mutex_lock(&r->mu);
    int stop = r->stopping ||
               (r->o->interrupt && *r->o->interrupt > 0);
    pthread_mutex_unlock(&r->mu);
    return stop;
}

static void batch_start_line(struct tsk_apply_run *r, struct tsk_apply_op *op)
{
    pthread_mutex_lock(&r->mu);
    op->t0_ms = tsk_apply__now_ms();
    op->still_ms = 0;
    op->queued = 0; /* its call starts: "Still ..." lines count now */
    tsk_apply__progress_start(r, op);
    pthread_mutex_unlock(&r->mu);
}

/* What follows the call of one operation (made alone or in a call_many
 * batch) that returned rc, with its results in b: failures handled as
 * exec_create/update/delete do, a delete's state row removed. */
static int batch_after(struct tsk_apply_run *r, struct bop *b, int rc,
                       struct tsk_diags *d)
{
    const struct tsk_change *ch = b->ch;
    switch (b->op->kind) {
    case TSK_OP_CREATE:
        if (rc == 0 && (!b->id || !b->out)) {
            tsk_diag_error(d, NULL, "%s: the provider returned no object",
                           ch->addr);
            tsk_diag_addr(d, ch->addr);
            rc = TSK_ERROR;
        }
        if (rc) {
            /* Tainted, so the next plan replaces it; the intent stays
             * pending so that an object the failed call did make is
             * found. */
            struct tsk_diags scratch = {0};
            if (store(r, ch, b->id, b->planned, 1, 0, &scratch) == 0) {
                pthread_mutex_lock(&r->mu);
                *TSK_ARRAY_PUSH(r->rep->tainted) = tsk_xstrdup(ch->addr);
                pthread_mutex_unlock(&r->mu);
            }
            tsk_diags_move(d, &scratch);
        }
        break;
    case TSK_OP_UPDATE:
        if (rc == 0 && !b->out) {
            tsk_diag_error(d, NULL, "%s: the provider returned no object",
                           ch->addr);
            rc = TSK_ERROR;
        }
        if (rc)
            clear(r, b->jid);
        else
            b->id = ch->id ? tsk_xstrdup(ch->id) : NULL;
        break;
    default: {
        if (rc) {
            clear(r, b->jid);
            break;
        }
        struct tsk_diags scratch = {0};
        rc = tsk_state_delete(r->o->st, ch->addr, b->jid, &scratch);
        if (rc == TSK_ENOTFOUND) { /* already forgotten (state rm) */
            clear(r, b->jid);
            rc = 0;
        } else {
            tsk_diags_move(d, &scratch);
        }
        tsk_diags_release(&scratch);
        return rc;
    }
    }
    if (rc) {
        cJSON_Delete(b->out);
        b->out = NULL;
    }
    b->called = rc == 0;
    return rc;
}

/* The call of one operation whose intent is committed; the result is left
 * in b for the store. */
static int batch_call(struct tsk_apply_run *r, struct bop *b,
                      struct tsk_diags *d)
{
    const struct tsk_change *ch = b->ch;
    struct tsk_rcall c = {r->o->pctx, ch->addr, r->o->stack};
    int rc;
    switch (b->op->kind) {
    case TSK_OP_CREATE:
        rc = b->rt->create(&c, b->planned, &b->id, &b->out, d);
        break;
    case TSK_OP_UPDATE:
        rc = b->rt->update(&c, ch->id, ch->before, b->planned, &b->out, d);
        break;
    default:
        rc = ch->id ? b->rt->delete(&c, ch->id, ch->before, d) : 0;
        break;
    }
    return batch_after(r, b, rc, d);
}

/* The calls of b[0..n) whose rcs[i] is 0, made with the provider's
 * call_many (every intent is committed already). */
static void batch_many(struct tsk_apply_run *r, struct bop *b, size_t n,
                       int *rcs, struct tsk_diags *ds)
{
    struct tsk_pcall *pc = tsk_xcalloc(n + 1, sizeof(*pc));
    size_t *at = tsk_xcalloc(n + 1, sizeof(*at)), m = 0;
    static const char op[] = {
        [TSK_OP_CREATE] = 'c',
        [TSK_OP_UPDATE] = 'u',
        [TSK_OP_DELETE] = 'd',
    };
    for (size_t i = 0; i < n; i++) {
        if (rcs[i])
            continue;
        const struct tsk_change *ch = b[i].ch;
        batch_start_line(r, b[i].op);
        if (b[i].op->kind == TSK_OP_DELETE && !ch->id) {
            rcs[i] = batch_after(r, &b[i], 0, &ds[i]);
            continue;
        }
        pc[m] = (struct tsk_pcall){
            .op = op[b[i].op->kind],
            .rt = b[i].rt,
            .c = {r->o->pctx, ch->addr, r->o->stack},
            .id = b[i].op->kind == TSK_OP_CREATE ? NULL : ch->id,
            .prior = ch->before,
            .planned = b[i].planned,
        };
        at[m++] = i;
    }
    if (m)
        r->o->prov->call_many(r->o->pctx, pc, m);
    for (size_t k = 0; k < m; k++) {
        size_t i = at[k];
        b[i].id = pc[k].out_id;
        b[i].out = pc[k].out;
        tsk_diags_move(&ds[i], &pc[k].d);
        rcs[i] = batch_after(r, &b[i], pc[k].rc, &ds[i]);
    }
    free(pc);
    free(at);
}

/* Stores the results of the calls that succeeded, in one transaction. */
static void batch_store(struct tsk_apply_run *r, struct bop *b, size_t n,
                        int *rcs, struct tsk_diags *ds)
{
    struct tsk_state_res *res = tsk_xcalloc(n + 1, sizeof(*res));
    int64_t *jids = tsk_xcalloc(n + 1, sizeof(*jids));
    size_t *at = tsk_xcalloc(n + 1, sizeof(*at)), m = 0;
    int *src = tsk_xcalloc(n + 1, sizeof(*src));
    struct tsk_diags *sd = tsk_xcalloc(n + 1, sizeof(*sd));
    for (size_t i = 0; i < n; i++) {
        if (!b[i].called || b[i].op->kind == TSK_OP_DELETE)
            continue;
        const struct tsk_change *ch = b[i].ch;
        res[m] = (struct tsk_state_res){
            .address = ch->addr,
            .type = ch->type,
            .provider = ch->provider,
            .remote_id = b[i].id,
            .attrs = b[i].out,
            .sensitive = tsk_apply__strs_json(ch->sensitive.v,
                                              ch->sensitive.n),
            .deps = tsk_apply__strs_json(ch->deps.v, ch->deps.n),
        };
        jids[m] = b[i].jid;
        at[m++] = i;
    }
    if (m)
        tsk_state_put_n(r->o->st, res, jids, m, src, sd);
    for (size_t k = 0; k < m; k++) {
        size_t i = at[k];
        cJSON_Delete((cJSON *)res[k].sensitive);
        cJSON_Delete((cJSON *)res[k].deps);
        rcs[i] = src[k];
        tsk_diags_move(&ds[i], &sd[k]);
        if (src[k] == 0) {
            keep_result(r, b[i].op, b[i].out, b[i].id);
            b[i].out = NULL;
        } else {
            tsk_diag_addr(&ds[i], b[i].ch->addr);
        }
    }
    free(res);
    free(jids);
    free(at);
    free(src);
    free(sd);
}

/* Writes the intents of the operations still to run, in one transaction;
 * one that fails is not run. */
static void batch_intents(struct tsk_apply_run *r, struct bop *b, size_t n,
                          int *rcs, struct tsk_diags *ds)
{
    struct tsk_state_intent *in = tsk_xcalloc(n + 1, sizeof(*in));
    int64_t *ids = tsk_xcalloc(n + 1, sizeof(*ids));
    size_t *at = tsk_xcalloc(n + 1, sizeof(*at)), m = 0;
    int *irc = tsk_xcalloc(n + 1, sizeof(*irc));
    struct tsk_diags *id = tsk_xcalloc(n + 1, sizeof(*id));
    static const char *const action[] = {
        [TSK_OP_CREATE] = "create",
        [TSK_OP_UPDATE] = "update",
        [TSK_OP_DELETE] = "delete",
    };
    for (size_t i = 0; i < n; i++) {
        if (rcs[i])
            continue;
        const struct tsk_change *ch = b[i].ch;
        in[m] = (struct tsk_state_intent){
            .address = ch->addr,
            .action = (char *)action[b[i].op->kind],
            .provider = ch->provider,
            .token = b[i].op->kind == TSK_OP_CREATE ? NULL : ch->id,
            .lock_id = (char *)tsk_state_lock_id(r->o->st),
        };
        at[m++] = i;
    }
    if (m)
        tsk_state_journal_add_n(ids, r->o->st, in, m, irc, id);
    for (size_t k = 0; k < m; k++) {
        size_t i = at[k];
        b[i].jid = ids[k];
        rcs[i] = irc[k];
        tsk_diags_move(&ds[i], &id[k]);
    }
    free(in);
    free(ids);
    free(at);
    free(irc);
    free(id);
}

void tsk_apply__exec_batch(struct tsk_apply_run *r, const uint32_t *ops,
                           size_t n, int *rcs, struct tsk_diags *ds)
{
    struct bop *b = tsk_xcalloc(n + 1, sizeof(*b));
    for (size_t i = 0; i < n; i++) {
        b[i].op = &r->ops.v[ops[i]];
        b[i].ch = &r->plan->changes.v[b[i].op->ch];
        b[i].rt = tsk_apply__type(r->o, b[i].ch->type, b[i].ch->addr, &ds[i]);
        rcs[i] = b[i].rt ? 0 : TSK_EINVAL;
        if (!rcs[i] && b[i].op->kind != TSK_OP_DELETE &&
            !(b[i].planned = resolve(r, b[i].ch, &ds[i])))
            rcs[i] = TSK_ERROR;
    }
    batch_intents(r, b, n, rcs, ds);
    int64_t t0 = tsk_apply__now_ms();
    int many = r->o->prov && r->o->prov->call_many, made = 0;
    for (size_t i = 0; i < n; i++) {
        if (rcs[i])
            continue;
        /* After one call that was fast, a provider with call_many makes
         * the rest of the batch at once (sharing one durable write). */
        if (made && many && !batch_stop(r) &&
            (tsk_apply__now_ms() - t0) * (int64_t)(n - i) <
                TSK_APPLY_BATCH_MS) {
            batch_many(r, b + i, n - i, rcs + i, ds + i);
            break;
        }
        /* Slow calls (a remote cloud) end the batch early, so that what
         * finished is stored and its dependents start without waiting for
         * the calls of the whole batch. */
        if (i > 0 && (batch_stop(r) ||
                      tsk_apply__now_ms() - t0 >= TSK_APPLY_BATCH_MS)) {
            clear(r, b[i].jid);
            rcs[i] = TSK_APPLY_NOT_STARTED;
            continue;
        }
        batch_start_line(r, b[i].op);
        rcs[i] = batch_call(r, &b[i], &ds[i]);
        made = 1;
    }
    batch_store(r, b, n, rcs, ds);
    for (size_t i = 0; i < n; i++) {
        cJSON_Delete(b[i].planned);
        cJSON_Delete(b[i].out);
        free(b[i].id);
    }
    free(b);
}

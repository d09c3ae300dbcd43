/*
 * apply_journal.c - settling the journal a killed or interrupted apply left
 * behind. An intent is written before every provider call and cleared in
 * the transaction that stores its result, so a pending intent means "this
 * call may or may not have happened": the object is looked up in the
 * provider and the state made to agree with what exists.
 *
 *   create  found and not recorded: adopted into state (a create-before-
 *           destroy replacement's old object is then deleted); not found:
 *           nothing happened
 *   update  exists: its attributes are stored; gone: it is forgotten
 *   delete  gone but recorded: forgotten; exists and recorded: nothing
 *           happened; exists but not recorded: the old object of a
 *           create-before-destroy replacement, deleted now
 */
#include "planner/apply_int.h"
#include "planner/attrpath.h"

#include <stdlib.h>
#include <string.h>

struct settle {
    const struct tsk_apply_opts *o;
    const struct tsk_state_intent *in;
    const struct tsk_resource_type *rt;
    struct tsk_rcall c;
    struct tsk_state_rec rec; /* the recorded object, if have_rec */
    cJSON *rec_attrs, *rec_sens, *rec_deps; /* parsed from rec */
    int have_rec;
};

static void say(const struct settle *s, const char *fmt, const char *id)
{
    if (!s->o->progress)
        return;
    fprintf(s->o->progress, "%s: ", s->in->address);
    fprintf(s->o->progress, fmt, id ? id : "");
    fputc('\n', s->o->progress);
}

static int recorded_as(const struct settle *s, const char *id)
{
    return s->have_rec && s->rec.remote_id && id &&
           strcmp(s->rec.remote_id, id) == 0;
}

static const struct tsk_node *node_of(const struct settle *s)
{
    const struct tsk_graph *g = s->o->g;
    uint32_t n = g ? tsk_graph_find(g, s->in->address) : UINT32_MAX;
    return n == UINT32_MAX ? NULL : &g->nodes.v[n];
}

static int clear(const struct settle *s, struct tsk_diags *d)
{
    return tsk_state_journal_clear(s->o->st, s->in->id, d);
}

/* Stores id/attrs for the intent's address, keeping what the record knew
 * (sensitive paths, dependencies, taint), and clears the intent. */
static int adopt(const struct settle *s, const char *id, cJSON *attrs,
                 struct tsk_diags *d)
{
    const struct tsk_node *nd = node_of(s);
    cJSON *sens = s->rec_sens ? cJSON_Duplicate(s->rec_sens, 1)
                  : nd ? tsk_apply__strs_json(nd->sensitive.v, nd->sensitive.n)
                       : cJSON_CreateArray();
    cJSON *deps = s->rec_deps ? cJSON_Duplicate(s->rec_deps, 1)
                              : cJSON_CreateArray();
    if (!s->rec_deps && nd)
        for (size_t i = 0; i < nd->deps.n; i++)
            cJSON_AddItemToArray(deps, cJSON_CreateString(
                                           s->o->g->nodes.v[nd->deps.v[i]].addr));
    char type[256];
    const char *dot = strchr(s->in->address, '.');
    size_t n = dot ? (size_t)(dot - s->in->address) : 0;
    snprintf(type, sizeof(type), "%.*s", (int)n, s->in->address);
    struct tsk_state_res res = {.address = s->in->address,
                                .type = type,
                                .provider = s->in->provider,
                                .remote_id = id,
                                .attrs = attrs,
                                .sensitive = sens,
                                .deps = deps,
                                .tainted = s->have_rec && s->rec.tainted};
    int rc = tsk_state_put(s->o->st, &res, s->in->id, d);
    cJSON_Delete(sens);
    cJSON_Delete(deps);
    return rc;
}

/* The node's configured attributes with its references filled in from
 * what state records for their targets (made before it, since they are its
 * dependencies), so that find can look up objects named through another
 * (a route by its API id, a target by its rule); else the recorded ones. */
static cJSON *find_attrs(const struct settle *s)
{
    const struct tsk_node *nd = node_of(s);
    if (!nd)
        return s->rec_attrs ? cJSON_Duplicate(s->rec_attrs, 1) : NULL;
    cJSON *p = cJSON_IsObject(nd->attrs) ? cJSON_Duplicate(nd->attrs, 1)
                                         : cJSON_CreateObject();
    const struct tsk_graph *g = s->o->g;
    for (size_t i = 0; i < nd->refs.n; i++) {
        const struct tsk_ref *ref = &nd->refs.v[i];
        struct tsk_state_rec rec;
        struct tsk_diags scratch = {0};
        if (ref->target >= g->nodes.n || tsk_path_get(p, ref->attr) ||
            tsk_state_get(&rec, s->o->st, g->nodes.v[ref->target].addr,
                          &scratch) != 0) {
            tsk_diags_release(&scratch);
            continue;
        }
        cJSON *attrs = tsk_state_rec_attrs(&rec);
        cJSON *v = tsk_path_get(attrs, ref->target_attr);
        if (v && !cJSON_IsNull(v))
            tsk_path_set_take(p, ref->attr, cJSON_Duplicate(v, 1));
        cJSON_Delete(attrs);
        tsk_state_rec_release(&rec);
        tsk_diags_release(&scratch);
    }
    return p;
}

static int settle_create(struct settle *s, struct tsk_diags *d)
{
    if (!s->rt->find) {
        tsk_diag_warning(d, NULL,
                         "%s: an interrupted apply may have created it, and "
                         "its type cannot be looked up; check the provider by "
                         "hand",
                         s->in->address);
        return clear(s, d);
    }
    char *id = NULL;
    cJSON *out = NULL, *planned = find_attrs(s);
    int rc = s->rt->find(&s->c, planned, &id, &out, d);
    cJSON_Delete(planned);
    if (rc == 0 && (!id || recorded_as(s, id))) {
        rc = clear(s, d);
    } else if (rc == 0) {
        char *old = s->have_rec && s->rec.remote_id
                        ? tsk_xstrdup(s->rec.remote_id)
                        : NULL;
        rc = adopt(s, id, out, d);
        if (rc == 0)
            say(s, "adopted %s, created by an interrupted apply", id);
        /* A create-before-destroy replacement made it: the old object
         * was to be deleted once the new one existed. */
        if (rc == 0 && old && (rc = s->rt->delete(&s->c, old, NULL, d)) == 0)
            say(s, "deleted %s, replaced by an interrupted apply", old);
        free(old);
    }
    free(id);
    cJSON_Delete(out);
    return rc;
}

static int settle_read(struct settle *s, int is_delete, struct tsk_diags *d)
{
    const char *id = s->in->token;
    cJSON *out = NULL;
    if (!id)
        return clear(s, d);
    int rc = s->rt->read(&s->c, id, NULL, &out, d);
    if (rc)
        return rc;
    if (!out) {
        if (recorded_as(s, id)) {
            rc = tsk_state_delete(s->o->st, s->in->address, s->in->id, d);
            if (rc == 0)
                say(s, "forgot %s: it no longer exists", id);
            return rc;
        }
        return clear(s, d);
    }
    if (recorded_as(s, id)) {
        rc = is_delete ? clear(s, d) : adopt(s, id, out, d);
    } else if (is_delete) {
        rc = s->rt->delete(&s->c, id, NULL, d);
        if (rc == 0 && (rc = clear(s, d)) == 0)
            say(s, "deleted %s, left by an interrupted replacement", id);
    } else {
        rc = clear(s, d);
    }
    cJSON_Delete(out);
    return rc;
}

static int settle_one(const struct tsk_apply_opts *o,
                      const struct tsk_state_intent *in, struct tsk_diags *d)
{
    struct settle s = {.o = o, .in = in};
    char type[256];
    const char *dot = in->address ? strchr(in->address, '.') : NULL;
    size_t n = dot ? (size_t)(dot - in->address) : 0;
    snprintf(type, sizeof(type), "%.*s", (int)n, in->address ? in->address : "");
    s.rt = tsk_provider_type(o->prov, type);
    if (!s.rt || (in->provider && o->prov &&
                  strcmp(in->provider, o->prov->name) != 0)) {
        tsk_diag_warning(d, NULL,
                         "%s: a pending operation of an interrupted apply "
                         "belongs to provider %s, not configured here; left "
                         "pending",
                         in->address, in->provider ? in->provider : "?");
        return TSK_ENOTFOUND;
    }
    s.c = (struct tsk_rcall){o->pctx, in->address, o->stack};
    struct tsk_diags scratch = {0};
    s.have_rec = tsk_state_get(&s.rec, o->st, in->address, &scratch) == 0;
    tsk_diags_release(&scratch);
    if (s.have_rec) {
        s.rec_attrs = tsk_state_rec_attrs(&s.rec);
        s.rec_sens = tsk_state_rec_sensitive(&s.rec);
        s.rec_deps = tsk_state_rec_deps(&s.rec);
    }
    int rc;
    if (strcmp(in->action, "create") == 0)
        rc = settle_create(&s, d);
    else
        rc = settle_read(&s, strcmp(in->action, "delete") == 0, d);
    if (s.have_rec)
        tsk_state_rec_release(&s.rec);
    cJSON_Delete(s.rec_attrs);
    cJSON_Delete(s.rec_sens);
    cJSON_Delete(s.rec_deps);
    return rc;
}

int tsk_apply_recover(int *nsettled, const struct tsk_apply_opts *o,
                      struct tsk_diags *d)
{
    struct tsk_state_intent_list l = {0};
    int rc = tsk_state_journal_list(&l, o->st, d), err = 0, done = 0;
    if (rc)
        return rc;
    for (size_t i = 0; i < l.v.n; i++) {
        rc = settle_one(o, &l.v.v[i], d);
        if (rc == 0)
            done++;
        else if (rc != TSK_ENOTFOUND)
            err = rc;
    }
    if (err)
        tsk_diag_detail(d, "Operations of an interrupted apply are still "
                           "pending; they are retried on the next run.");
    tsk_state_intent_list_release(&l);
    if (nsettled)
        *nsettled = done;
    return err;
}

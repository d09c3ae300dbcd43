/*
 * render_json.c - the plan in Terraform's JSON plan format (format_version
 * "1.2"), so existing plan tools read it. Unlike Terraform, sensitive
 * values are redacted in before/after too (the masks still mark them),
 * unless -show-sensitive. tuskform's own fields are under "tuskform".
 */
#include "planner/attrpath.h"
#include "planner/render.h"

#include <stdlib.h>

#define FORMAT_VERSION "1.2"

static cJSON *value(const cJSON *v, char *const *sens, size_t n,
                    const struct tsk_render_opts *o)
{
    if (!v)
        return cJSON_CreateNull();
    if (o->show_sensitive)
        return cJSON_Duplicate(v, 1);
    return tsk_redact_dup(v, (const char *const *)sens, n);
}

static cJSON *mask(const cJSON *v, char *const *sens, size_t n)
{
    if (!v)
        return cJSON_CreateFalse();
    return tsk_sensitive_mask(v, (const char *const *)sens, n);
}

static void add_str(cJSON *obj, const char *k, const char *v)
{
    cJSON_AddItemToObject(obj, k,
                          v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

static cJSON *head(const char *addr, const char *type, const char *provider)
{
    cJSON *rc = cJSON_CreateObject();
    const char *dot = strchr(addr, '.');
    add_str(rc, "address", addr);
    add_str(rc, "mode", "managed");
    add_str(rc, "type", type);
    add_str(rc, "name", dot ? dot + 1 : addr);
    add_str(rc, "provider_name", provider);
    return rc;
}

static cJSON *change_json(const struct tsk_change *c,
                          const struct tsk_render_opts *o)
{
    cJSON *rc = head(c->addr, c->type, c->provider);
    cJSON *ch = cJSON_AddObjectToObject(rc, "change");
    cJSON *tmp = NULL, *atmp = NULL;
    const cJSON *before = tsk_change_before(c, &tmp);
    /* a change kept as text: before and after are the same tree */
    const cJSON *after = c->text && !c->after && !c->before
                             ? before
                             : tsk_change_after(c, &atmp);
    cJSON_AddItemToObject(ch, "actions", tsk_action_json(c->action));
    cJSON_AddItemToObject(ch, "before",
                          value(before, c->sensitive.v, c->sensitive.n, o));
    cJSON_AddItemToObject(ch, "after",
                          value(after, c->sensitive.v, c->sensitive.n, o));
    cJSON_AddItemToObject(ch, "after_unknown",
                          c->after_unknown
                              ? cJSON_Duplicate(c->after_unknown, 1)
                              : cJSON_CreateObject());
    cJSON_AddItemToObject(ch, "before_sensitive",
                          mask(before, c->sensitive.v, c->sensitive.n));
    cJSON_AddItemToObject(ch, "after_sensitive",
                          mask(after, c->sensitive.v, c->sensitive.n));
    if (c->replace_paths.n) {
        cJSON *rp = cJSON_AddArrayToObject(ch, "replace_paths");
        for (size_t i = 0; i < c->replace_paths.n; i++)
            cJSON_AddItemToArray(
                rp, tsk_path_steps(before, c->replace_paths.v[i]));
    }
    cJSON_Delete(tmp);
    cJSON_Delete(atmp);
    const char *reason = tsk_reason_name(c->reason);
    if (reason)
        add_str(rc, "action_reason", reason);
    return rc;
}

static cJSON *drift_json(const struct tsk_drift *dr,
                         const struct tsk_render_opts *o)
{
    cJSON *rc = head(dr->addr, dr->type, dr->provider);
    cJSON *ch = cJSON_AddObjectToObject(rc, "change");
    cJSON_AddItemToObject(ch, "actions",
                          tsk_action_json(dr->kind == TSK_DRIFT_DELETED
                                              ? TSK_DELETE
                                              : TSK_UPDATE));
    cJSON_AddItemToObject(
        ch, "before",
        value(dr->state_attrs, dr->sensitive.v, dr->sensitive.n, o));
    cJSON_AddItemToObject(
        ch, "after",
        value(dr->remote_attrs, dr->sensitive.v, dr->sensitive.n, o));
    cJSON_AddItemToObject(ch, "after_unknown", cJSON_CreateObject());
    cJSON_AddItemToObject(
        ch, "before_sensitive",
        mask(dr->state_attrs, dr->sensitive.v, dr->sensitive.n));
    cJSON_AddItemToObject(
        ch, "after_sensitive",
        mask(dr->remote_attrs, dr->sensitive.v, dr->sensitive.n));
    return rc;
}

static int by_addr(const void *a, const void *b)
{
    const struct tsk_change *x = *(const struct tsk_change *const *)a;
    const struct tsk_change *y = *(const struct tsk_change *const *)b;
    return strcmp(x->addr, y->addr);
}

/* A state-shaped list of resources: before (prior) or after (planned). */
static cJSON *values_json(const struct tsk_plan *p, int after,
                          const struct tsk_render_opts *o)
{
    const struct tsk_change **v = tsk_xmalloc((p->changes.n + 1) * sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < p->changes.n; i++)
        if (p->changes.v[i].text || (after ? p->changes.v[i].after != NULL
                                           : p->changes.v[i].before != NULL))
            v[n++] = &p->changes.v[i];
    if (n > 1)
        qsort(v, n, sizeof(*v), by_addr);
    cJSON *vals = cJSON_CreateObject();
    cJSON *rm = cJSON_AddObjectToObject(vals, "root_module");
    cJSON *res = cJSON_AddArrayToObject(rm, "resources");
    for (size_t i = 0; i < n; i++) {
        const struct tsk_change *c = v[i];
        cJSON *tmp = NULL;
        const cJSON *val =
            after ? tsk_change_after(c, &tmp) : tsk_change_before(c, &tmp);
        cJSON *r = head(c->addr, c->type, c->provider);
        cJSON_AddNumberToObject(r, "schema_version", 0);
        cJSON_AddItemToObject(r, "values",
                              value(val, c->sensitive.v, c->sensitive.n, o));
        cJSON_AddItemToObject(r, "sensitive_values",
                              mask(val, c->sensitive.v, c->sensitive.n));
        cJSON_Delete(tmp);
        cJSON_AddItemToArray(res, r);
    }
    free(v);
    return vals;
}

static cJSON *meta_json(const struct tsk_plan *p,
                        const struct tsk_render_opts *o)
{
    cJSON *m = cJSON_CreateObject();
    add_str(m, "lineage", p->lineage);
    cJSON_AddNumberToObject(m, "serial", (double)p->serial);
    add_str(m, "config_digest", p->config_digest);
    add_str(m, "provider", p->provider);
    cJSON *g = cJSON_AddObjectToObject(m, "git");
    add_str(g, "commit", p->git.commit);
    add_str(g, "branch", p->git.branch);
    cJSON_AddBoolToObject(g, "dirty", p->git.dirty);
    cJSON_AddBoolToObject(m, "destroy", p->destroy);
    cJSON_AddBoolToObject(m, "refresh_only", p->refresh_only);
    cJSON_AddBoolToObject(m, "sensitive_redacted", !o->show_sensitive);
    return m;
}

cJSON *tsk_render_json_doc(const struct tsk_plan *p,
                           const struct tsk_render_opts *o)
{
    static const struct tsk_render_opts none = {0};
    o = o ? o : &none;
    cJSON *doc = cJSON_CreateObject();
    const char *ver = p->tool_version ? p->tool_version : TSK_VERSION;
    add_str(doc, "format_version", FORMAT_VERSION);
    add_str(doc, "terraform_version", ver);
    add_str(doc, "tuskform_version", ver);
    cJSON_AddItemToObject(doc, "planned_values", values_json(p, 1, o));
    cJSON *drift = cJSON_AddArrayToObject(doc, "resource_drift");
    for (size_t i = 0; i < p->drift.n; i++)
        cJSON_AddItemToArray(drift, drift_json(&p->drift.v[i], o));
    cJSON *rc = cJSON_AddArrayToObject(doc, "resource_changes");
    int changes = 0;
    for (size_t i = 0; i < p->changes.n; i++) {
        cJSON_AddItemToArray(rc, change_json(&p->changes.v[i], o));
        changes |= p->changes.v[i].action != TSK_NOOP;
    }
    cJSON_AddObjectToObject(doc, "output_changes");
    cJSON *prior = cJSON_AddObjectToObject(doc, "prior_state");
    add_str(prior, "format_version", "1.0");
    add_str(prior, "terraform_version", ver);
    cJSON_AddItemToObject(prior, "values", values_json(p, 0, o));
    cJSON_AddBoolToObject(doc, "applyable",
                          !p->errored && (changes || p->drift.n));
    cJSON_AddBoolToObject(doc, "complete", !p->errored);
    cJSON_AddBoolToObject(doc, "errored", p->errored);
    cJSON_AddItemToObject(doc, "tuskform", meta_json(p, o));
    if (p->cost)
        cJSON_AddItemToObject(doc, "cost", cJSON_Duplicate(p->cost, 1));
    return doc;
}

void tsk_render_json(struct tsk_buf *out, const struct tsk_plan *p,
                     const struct tsk_render_opts *o)
{
    cJSON *doc = tsk_render_json_doc(p, o);
    char *s = cJSON_PrintUnformatted(doc);
    tsk_buf_adds(out, s);
    tsk_buf_addch(out, '\n');
    cJSON_free(s);
    cJSON_Delete(doc);
}

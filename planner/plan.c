/* plan.c - releasing plans and objects, counting changes, action names. */
#include "planner/plan.h"

#include "planner/util/jsonspan.h"

#include <stdlib.h>
#include <string.h>

static void strs_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void tsk_object_release(struct tsk_object *o)
{
    if (!o)
        return;
    free(o->addr);
    if (!o->packed) {
        free(o->type);
        free(o->provider);
        free(o->id);
        free(o->text);
    }
    cJSON_Delete(o->attrs);
    strs_free(o->sensitive.v, o->sensitive.n);
    strs_free(o->deps.v, o->deps.n);
    memset(o, 0, sizeof(*o));
}

void tsk_object_pack(struct tsk_object *o, const char *addr, const char *type,
                     const char *provider, const char *id, const char *text,
                     size_t text_len)
{
    const char *s[4] = {addr, type, provider, id};
    size_t len[4], total = text_len + 1;
    for (int i = 0; i < 4; i++)
        total += len[i] = s[i] ? strlen(s[i]) + 1 : 0;
    char *b = tsk_xmalloc(total), *at = b;
    char **dst[4] = {&o->addr, &o->type, &o->provider, &o->id};
    for (int i = 0; i < 4; i++) {
        *dst[i] = s[i] ? memcpy(at, s[i], len[i]) : NULL;
        at += len[i];
    }
    memcpy(at, text, text_len);
    at[text_len] = '\0';
    o->text = at;
    o->packed = 1;
}

static void change_release(struct tsk_change *c)
{
    if (c->borrowed) {
        c->deps.v = NULL; /* in the plan's carve */
        c->deps.n = 0;
    } else {
        free(c->addr);
        free(c->type);
        free(c->name);
        free(c->provider);
        free(c->id);
    }
    cJSON_Delete(c->before);
    cJSON_Delete(c->after);
    cJSON_Delete(c->after_unknown);
    strs_free(c->sensitive.v, c->sensitive.n);
    strs_free(c->replace_paths.v, c->replace_paths.n);
    strs_free(c->deps.v, c->deps.n);
}

static void drift_release(struct tsk_drift *dr)
{
    free(dr->addr);
    free(dr->type);
    free(dr->provider);
    free(dr->id);
    cJSON_Delete(dr->state_attrs);
    cJSON_Delete(dr->remote_attrs);
    strs_free(dr->paths.v, dr->paths.n);
    strs_free(dr->sensitive.v, dr->sensitive.n);
}

void tsk_plan_free(struct tsk_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->changes.n; i++)
        change_release(&p->changes.v[i]);
    TSK_ARRAY_FREE(p->changes);
    tsk_bump_free(&p->carve);
    for (size_t i = 0; i < p->drift.n; i++)
        drift_release(&p->drift.v[i]);
    TSK_ARRAY_FREE(p->drift);
    free(p->lineage);
    free(p->config_digest);
    free(p->tool_version);
    free(p->provider);
    free(p->git.commit);
    free(p->git.branch);
    cJSON_Delete(p->cost);
    strs_free(p->owned.v, p->owned.n);
    memset(p, 0, sizeof(*p));
}

void tsk_plan_counts(const struct tsk_plan *p, int *add, int *change,
                     int *destroy)
{
    int a = 0, c = 0, x = 0;
    for (size_t i = 0; i < p->changes.n; i++) {
        switch (p->changes.v[i].action) {
        case TSK_CREATE:
            a++;
            break;
        case TSK_UPDATE:
            c++;
            break;
        case TSK_DELETE:
            x++;
            break;
        case TSK_REPLACE_DC:
        case TSK_REPLACE_CD:
            a++; /* a replacement counts once as add, once as destroy */
            x++;
            break;
        case TSK_NOOP:
        case TSK_READ:
            break;
        }
    }
    if (add)
        *add = a;
    if (change)
        *change = c;
    if (destroy)
        *destroy = x;
}

cJSON *tsk_action_json(enum tsk_action a)
{
    static const char *const one[] = {
        [TSK_NOOP] = "no-op",    [TSK_CREATE] = "create", [TSK_READ] = "read",
        [TSK_UPDATE] = "update", [TSK_DELETE] = "delete",
    };
    cJSON *arr = cJSON_CreateArray();
    if (a == TSK_REPLACE_DC) {
        cJSON_AddItemToArray(arr, cJSON_CreateString("delete"));
        cJSON_AddItemToArray(arr, cJSON_CreateString("create"));
    } else if (a == TSK_REPLACE_CD) {
        cJSON_AddItemToArray(arr, cJSON_CreateString("create"));
        cJSON_AddItemToArray(arr, cJSON_CreateString("delete"));
    } else if ((unsigned)a <= TSK_DELETE) {
        cJSON_AddItemToArray(arr, cJSON_CreateString(one[a]));
    }
    return arr;
}

/*
 * TSK_REASON_DESTROY has no Terraform action_reason (destroy mode gives
 * none), so it maps to NULL like TSK_REASON_NONE; saved plans keep it
 * under their own names (planfile.c).
 */
const char *tsk_reason_name(enum tsk_reason r)
{
    switch (r) {
    case TSK_REASON_TAINTED:
        return "replace_because_tainted";
    case TSK_REASON_REQUESTED:
        return "replace_by_request";
    case TSK_REASON_CANNOT_UPDATE:
        return "replace_because_cannot_update";
    case TSK_REASON_NO_CONFIG:
        return "delete_because_no_resource_config";
    case TSK_REASON_NONE:
    case TSK_REASON_DESTROY:
        break;
    }
    return NULL;
}

cJSON *tsk_object_attrs(const struct tsk_object *o)
{
    struct tsk_object *m = (struct tsk_object *)o; /* the parse cache */
    if (!o)
        return NULL;
    if (!m->attrs) {
        m->attrs = o->text ? cJSON_Parse(o->text) : NULL;
        if (!cJSON_IsObject(m->attrs)) {
            cJSON_Delete(m->attrs);
            m->attrs = cJSON_CreateObject();
            if (!m->packed)
                free(m->text); /* not the text of attrs */
            m->text = NULL;
        }
    }
    return m->attrs;
}

void tsk_object_set_attrs(struct tsk_object *o, cJSON *attrs)
{
    cJSON_Delete(o->attrs);
    o->attrs = attrs;
    if (!o->packed)
        free(o->text);
    o->text = NULL;
}

int tsk_object_has_attrs(const struct tsk_object *o)
{
    return o && (o->attrs || o->text);
}

static int wanted(const char *const *names, const char *k, size_t n)
{
    for (; *names; names++)
        if (strlen(*names) == n && memcmp(*names, k, n) == 0)
            return 1;
    return 0;
}

cJSON *tsk_object_pick(const struct tsk_object *o, const char *const *names)
{
    cJSON *out = cJSON_CreateObject();
    tsk_jspans sp = {0};
    int plain = !o->attrs && o->text && tsk_jspan_split(o->text, &sp) == 0;
    for (size_t i = 0; plain && i < sp.n; i++)
        plain = !memchr(sp.v[i].key, '\\', sp.v[i].klen); /* escaped key */
    if (plain) {
        for (size_t i = 0; i < sp.n; i++) {
            const struct tsk_jspan *s = &sp.v[i];
            if (!wanted(names, s->key, s->klen) ||
                tsk_jspan_find(sp.v, i, s->key, s->klen))
                continue;
            cJSON *v = cJSON_ParseWithLength(s->val, s->vlen);
            char *k = tsk_xstrndup(s->key, s->klen);
            cJSON_AddItemToObject(out, k, v ? v : cJSON_CreateNull());
            free(k);
        }
        TSK_ARRAY_FREE(sp);
        return out;
    }
    TSK_ARRAY_FREE(sp);
    const cJSON *a = tsk_object_attrs(o);
    for (const cJSON *k = a->child; k; k = k->next)
        if (k->string && wanted(names, k->string, strlen(k->string)) &&
            cJSON_GetObjectItemCaseSensitive(a, k->string) == k)
            cJSON_AddItemToObject(out, k->string, cJSON_Duplicate(k, 1));
    return out;
}

/* A new tree parsed from text: an empty object when it does not parse. */
static cJSON *parse_text(const char *text)
{
    cJSON *t = cJSON_Parse(text);
    return t ? t : cJSON_CreateObject();
}

const cJSON *tsk_change_before(const struct tsk_change *c, cJSON **tmp)
{
    *tmp = NULL;
    if (c->text && !c->before)
        return *tmp = parse_text(c->text);
    if (!c->before || (c->before->type & 0xFF) != cJSON_Raw)
        return c->before;
    return *tmp = parse_text(c->before->valuestring);
}

const cJSON *tsk_change_after(const struct tsk_change *c, cJSON **tmp)
{
    *tmp = NULL;
    if (c->text && !c->after)
        return *tmp = parse_text(c->text);
    return c->after;
}

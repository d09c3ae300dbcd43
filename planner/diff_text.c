/*
 * diff_text.c - a prior object's attributes compared from their stored
 * text: a configured value equals the prior's when its canonical print
 * (the state stores cJSON's unformatted print) is the same bytes, and only
 * values whose bytes differ, or that are carried into the plan, are
 * parsed.
 */
#include "planner/diff_int.h"
#include "planner/jsonw.h"

#include <stdlib.h>

static int dotted(const char *s, size_t n)
{
    return memchr(s, '.', n) != NULL;
}

int tsk_diff__pview_open(struct tsk_diff__pview *v, const struct tsk_object *o,
                         const char *const *names, size_t nnames)
{
    v->sp.n = 0;
    v->text = NULL;
    if (o->attrs || !o->text)
        return -1;
    for (size_t i = 0; i < nnames; i++)
        if (strchr(names[i], '.'))
            return -1;
    if (tsk_jspan_split(o->text, &v->sp) != 0)
        return -1;
    for (size_t i = 0; i < v->sp.n; i++) {
        const struct tsk_jspan *s = &v->sp.v[i];
        if (memchr(s->key, '\\', s->klen) || dotted(s->key, s->klen))
            return -1;
    }
    tsk_buf_reset(&v->keys);
    tsk_buf_add(&v->keys, o->text, strlen(o->text));
    for (size_t i = 0; i < v->sp.n; i++) {
        const struct tsk_jspan *s = &v->sp.v[i];
        v->keys.ptr[(size_t)(s->key - o->text) + s->klen] = '\0';
    }
    v->text = o->text;
    return 0;
}

const char *tsk_diff__pview_key(const struct tsk_diff__pview *v, size_t i)
{
    return v->keys.ptr + (v->sp.v[i].key - v->text);
}

const struct tsk_jspan *tsk_diff__pview_find(const struct tsk_diff__pview *v,
                                             const char *name)
{
    return tsk_jspan_find(v->sp.v, v->sp.n, name, strlen(name));
}

cJSON *tsk_diff__span_value(const struct tsk_jspan *s)
{
    cJSON *j = cJSON_ParseWithLength(s->val, s->vlen);
    return j ? j : cJSON_CreateNull();
}

int tsk_diff__pview_eq(struct tsk_diff__pview *v, const struct tsk_jspan *s,
                       const cJSON *av)
{
    tsk_buf_reset(&v->print);
    tsk_jsonw_print(&v->print, av);
    if (v->print.len == s->vlen && memcmp(v->print.ptr, s->val, s->vlen) == 0)
        return 1;
    cJSON *pv = tsk_diff__span_value(s);
    int eq = tsk_value_eq(pv, av);
    cJSON_Delete(pv);
    return eq;
}

void tsk_diff__pview_free(struct tsk_diff__pview *v)
{
    TSK_ARRAY_FREE(v->sp);
    tsk_buf_release(&v->keys);
    tsk_buf_release(&v->print);
}

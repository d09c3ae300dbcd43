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
    v->inexact = 0;
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
    TSK_ARRAY_GROW(v->koff, v->sp.n);
    for (size_t i = 0; i < v->sp.n; i++) {
        const struct tsk_jspan *s = &v->sp.v[i];
        v->koff.v[i] = v->keys.len;
        tsk_buf_add(&v->keys, s->key, s->klen + 1);
        v->keys.ptr[v->keys.len - 1] = '\0';
    }
    v->text = o->text;
    return 0;
}

const char *tsk_diff__pview_key(const struct tsk_diff__pview *v, size_t i)
{
    return v->keys.ptr + v->koff.v[i];
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

/* 1 when the string value av prints (tsk_jsonw) as exactly the member's
 * bytes, for a string whose bytes need no escape; 0 when that is not
 * known this way. */
static int same_plain_string(const struct tsk_jspan *s, const cJSON *av)
{
    if (!cJSON_IsString(av) || !av->valuestring || s->vlen < 2 ||
        s->val[0] != '"')
        return 0;
    const unsigned char *a = (const unsigned char *)av->valuestring;
    const unsigned char *b = (const unsigned char *)s->val + 1;
    size_t n = s->vlen - 2, i = 0;
    while (i < n && a[i] == b[i] && tsk_jsonw_plain(a[i]))
        i++;
    return i == n && a[n] == '\0';
}

int tsk_diff__pview_eq(struct tsk_diff__pview *v, const struct tsk_jspan *s,
                       const cJSON *av)
{
    if (same_plain_string(s, av))
        return 1;
    tsk_buf_reset(&v->print);
    tsk_jsonw_print(&v->print, av);
    if (v->print.len == s->vlen && memcmp(v->print.ptr, s->val, s->vlen) == 0)
        return 1;
    cJSON *pv = tsk_diff__span_value(s);
    int eq = tsk_value_eq(pv, av);
    cJSON_Delete(pv);
    v->inexact |= eq;
    return eq;
}

cJSON *tsk_diff__text_get(const char *text, const char *path)
{
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    struct tsk_jspan s;
    cJSON *v = tsk_jspan_member(text, path, n, &s) == 1
                   ? cJSON_ParseWithLength(s.val, s.vlen)
                   : NULL;
    if (!v || !dot)
        return v;
    cJSON *at = tsk_path_get(v, dot + 1);
    cJSON *out = at ? cJSON_Duplicate(at, 1) : NULL;
    cJSON_Delete(v);
    return out;
}

void tsk_diff__pview_free(struct tsk_diff__pview *v)
{
    TSK_ARRAY_FREE(v->sp);
    tsk_buf_release(&v->keys);
    TSK_ARRAY_FREE(v->koff);
    tsk_buf_release(&v->print);
}

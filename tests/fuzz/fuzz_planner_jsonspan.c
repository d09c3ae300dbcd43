/* fuzz_planner_jsonspan.c - feeds arbitrary text to the member scanner the
 * diff uses on stored attributes (planner/jsonspan.c).
 *
 * Nothing may crash or read outside the text. When the scanner accepts
 * the text, every span must lie inside it, tsk_jspan_skip must measure
 * each value exactly, each value must parse with cJSON, and the whole text
 * must parse with cJSON into an object with as many members (the diff
 * falls back to cJSON's reading of a value whenever bytes differ, so the
 * two must agree on what a well-formed stored object is); abort
 * otherwise. Then the checks a no-op kept as its stored text relies on:
 * tsk_jspan_member finds what the split found first, tsk_jspan_compact
 * holds exactly when the text is cJSON's unformatted print of the
 * members, and a value tsk_jspan_canonical accepts prints back (parsed by
 * cJSON, written by cJSON) as the same bytes. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "planner/util/jsonspan.h"

static int inside(const char *s, size_t n, const char *p, size_t len)
{
    return p >= s && p <= s + n && len <= (size_t)(s + n - p);
}

/* cJSON's print of a parsed value, compared with the bytes it came from,
 * for values tsk_jspan_canonical accepts. */
static void check_canonical(const char *val, size_t n)
{
    if (!tsk_jspan_canonical(val, n))
        return;
    cJSON *x = cJSON_ParseWithLength(val, n);
    char *p = x ? cJSON_PrintUnformatted(x) : NULL;
    if (!p || strlen(p) != n || memcmp(p, val, n) != 0)
        abort();
    cJSON_free(p);
    cJSON_Delete(x);
}

static void check_member_and_layout(const char *s, size_t n,
                                    const tsk_jspans *v)
{
    for (size_t i = 0; i < v->n; i++) {
        struct tsk_jspan m;
        if (tsk_jspan_member(s, v->v[i].key, v->v[i].klen, &m) != 1 ||
            m.val != tsk_jspan_find(v->v, v->n, v->v[i].key, v->v[i].klen)->val)
            abort();
    }
    struct tsk_jspan m;
    if (tsk_jspan_member(s, "\x01", 1, &m) != 0) /* no key is a control */
        abort();
    /* compact: the text is '{' "key":value (',' ...) '}' and nothing else */
    size_t len = 2;
    for (size_t i = 0; i < v->n; i++)
        len += v->v[i].klen + v->v[i].vlen + 3 + (i > 0);
    char *re = malloc(len + 1), *at = re;
    *at++ = '{';
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            *at++ = ',';
        *at++ = '"';
        memcpy(at, v->v[i].key, v->v[i].klen);
        at += v->v[i].klen;
        *at++ = '"';
        *at++ = ':';
        memcpy(at, v->v[i].val, v->v[i].vlen);
        at += v->v[i].vlen;
    }
    *at++ = '}';
    *at = '\0';
    if (tsk_jspan_compact(s, v->v, v->n) != (len == n && memcmp(re, s, n) == 0))
        abort();
    free(re);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    size_t n = strlen(s); /* the stored text ends at its first NUL */
    tsk_jspans v = {0};
    int rc = tsk_jspan_split(s, &v);
    for (size_t i = 0; i < v.n; i++)
        if (!inside(s, n, v.v[i].key, v.v[i].klen) ||
            !inside(s, n, v.v[i].val, v.v[i].vlen))
            abort();
    if (rc == 0) {
        for (size_t i = 0; i < v.n; i++) {
            const struct tsk_jspan *m = &v.v[i];
            if (tsk_jspan_skip(m->val) != m->vlen)
                abort();
            cJSON *x = cJSON_ParseWithLength(m->val, m->vlen);
            if (!x)
                abort();
            cJSON_Delete(x);
            if (tsk_jspan_find(v.v, v.n, m->key, m->klen) > m)
                abort(); /* the first member with that key comes first */
        }
        cJSON *whole = cJSON_Parse(s);
        if (!cJSON_IsObject(whole) || (size_t)cJSON_GetArraySize(whole) != v.n)
            abort();
        cJSON_Delete(whole);
        check_member_and_layout(s, n, &v);
    }
    for (size_t i = 0; rc == 0 && i < v.n; i++)
        check_canonical(v.v[i].val, v.v[i].vlen);
    TSK_ARRAY_FREE(v);
    free(s);
    return 0;
}

/* fuzz_planner_jsonspan.c - feeds arbitrary text to the member scanner the
 * diff uses on stored attributes (planner/jsonspan.c).
 *
 * Nothing may crash or read outside the text. When the scanner accepts
 * the text, every span must lie inside it, tsk_jspan_skip must measure
 * each value exactly, each value must parse with cJSON, and the whole text
 * must parse with cJSON into an object with as many members (the diff
 * falls back to cJSON's reading of a value whenever bytes differ, so the
 * two must agree on what a well-formed stored object is); abort
 * otherwise. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "planner/jsonspan.h"

static int inside(const char *s, size_t n, const char *p, size_t len)
{
    return p >= s && p <= s + n && len <= (size_t)(s + n - p);
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
    }
    TSK_ARRAY_FREE(v);
    free(s);
    return 0;
}

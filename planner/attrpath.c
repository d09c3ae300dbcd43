/* attrpath.c - dotted attribute paths over cJSON values. */
#include "planner/attrpath.h"

#include <ctype.h>
#include <stdlib.h>

static int is_index(const char *s, size_t n)
{
    if (n == 0 || n > 9)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* One step of a path: the child named by s[0..n) of v, or NULL. */
static cJSON *step(const cJSON *v, const char *s, size_t n)
{
    if (cJSON_IsArray(v)) {
        if (!is_index(s, n))
            return NULL;
        return cJSON_GetArrayItem(v, atoi(s));
    }
    if (!cJSON_IsObject(v))
        return NULL;
    for (cJSON *c = v->child; c; c = c->next)
        if (c->string && strlen(c->string) == n && memcmp(c->string, s, n) == 0)
            return c;
    return NULL;
}

cJSON *tsk_path_get(const cJSON *root, const char *path)
{
    const cJSON *v = root;
    const char *p = path;
    while (v) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        v = step(v, p, n);
        if (!dot)
            break;
        p = dot + 1;
    }
    return (cJSON *)v;
}

void tsk_path_set_take(cJSON *root, const char *path, cJSON *val)
{
    cJSON *v = root;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char *key = tsk_xstrndup(p, n);
        cJSON *c = step(v, p, n);
        if (!dot) {
            if (c && cJSON_IsArray(v))
                cJSON_ReplaceItemViaPointer(v, c, val);
            else if (c)
                cJSON_ReplaceItemInObjectCaseSensitive(v, key, val);
            else if (cJSON_IsArray(v))
                cJSON_AddItemToArray(v, val);
            else
                cJSON_AddItemToObject(v, key, val);
            free(key);
            return;
        }
        if (!c || (!cJSON_IsObject(c) && !cJSON_IsArray(c))) {
            cJSON *obj = cJSON_CreateObject();
            if (c && cJSON_IsArray(v))
                cJSON_ReplaceItemViaPointer(v, c, obj);
            else if (c)
                cJSON_ReplaceItemInObjectCaseSensitive(v, key, obj);
            else if (cJSON_IsArray(v))
                cJSON_AddItemToArray(v, obj);
            else
                cJSON_AddItemToObject(v, key, obj);
            c = obj;
        }
        free(key);
        v = c;
        p = dot + 1;
    }
}

int tsk_path_covered(const char *const *paths, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(paths[i]);
        if (strncmp(paths[i], path, l) == 0 &&
            (path[l] == '\0' || path[l] == '.'))
            return 1;
    }
    return 0;
}

int tsk_path_has_below(const char *const *paths, size_t n, const char *path)
{
    size_t l = strlen(path);
    for (size_t i = 0; i < n; i++)
        if (strncmp(paths[i], path, l) == 0 &&
            (paths[i][l] == '\0' || paths[i][l] == '.'))
            return 1;
    return 0;
}

int tsk_value_eq(const cJSON *a, const cJSON *b)
{
    int an = !a || cJSON_IsNull(a), bn = !b || cJSON_IsNull(b);
    if (an || bn)
        return an && bn;
    return cJSON_Compare(a, b, 1);
}

static char *join(const char *prefix, const char *key)
{
    return prefix ? tsk_xasprintf("%s.%s", prefix, key) : tsk_xstrdup(key);
}

void tsk_path_diff(const cJSON *a, const cJSON *b, const char *prefix,
                   tsk_strvec *out)
{
    if (tsk_value_eq(a, b))
        return;
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        for (cJSON *c = a->child; c; c = c->next) {
            char *p = join(prefix, c->string);
            tsk_path_diff(c, cJSON_GetObjectItemCaseSensitive(b, c->string), p,
                          out);
            free(p);
        }
        for (cJSON *c = b->child; c; c = c->next) {
            if (cJSON_GetObjectItemCaseSensitive(a, c->string))
                continue;
            char *p = join(prefix, c->string);
            tsk_path_diff(NULL, c, p, out);
            free(p);
        }
        return;
    }
    if (cJSON_IsArray(a) && cJSON_IsArray(b) &&
        cJSON_GetArraySize(a) == cJSON_GetArraySize(b) && prefix) {
        int i = 0;
        for (cJSON *x = a->child, *y = b->child; x && y;
             x = x->next, y = y->next, i++) {
            char *p = tsk_xasprintf("%s.%d", prefix, i);
            tsk_path_diff(x, y, p, out);
            free(p);
        }
        return;
    }
    *TSK_ARRAY_PUSH(*out) = tsk_xstrdup(prefix ? prefix : "");
}

static cJSON *redact(const cJSON *v, const char *const *paths, size_t n,
                     const char *prefix)
{
    if (prefix && tsk_path_covered(paths, n, prefix))
        return cJSON_CreateString(TSK_REDACTED);
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
        return cJSON_Duplicate(v, 1);
    if (prefix && !tsk_path_has_below(paths, n, prefix))
        return cJSON_Duplicate(v, 1);
    cJSON *out = cJSON_IsArray(v) ? cJSON_CreateArray() : cJSON_CreateObject();
    int i = 0;
    for (cJSON *c = v->child; c; c = c->next, i++) {
        char *p = cJSON_IsArray(v) ? (prefix ? tsk_xasprintf("%s.%d", prefix, i)
                                             : tsk_xasprintf("%d", i))
                                   : join(prefix, c->string);
        cJSON *r = redact(c, paths, n, p);
        if (cJSON_IsArray(v))
            cJSON_AddItemToArray(out, r);
        else
            cJSON_AddItemToObject(out, c->string, r);
        free(p);
    }
    return out;
}

cJSON *tsk_redact_dup(const cJSON *v, const char *const *paths, size_t n)
{
    if (!v)
        return NULL;
    if (n == 0)
        return cJSON_Duplicate(v, 1);
    return redact(v, paths, n, NULL);
}

cJSON *tsk_sensitive_mask(const cJSON *v, const char *const *paths, size_t n)
{
    cJSON *m = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++)
        if (!v || tsk_path_get(v, paths[i]))
            tsk_path_set_take(m, paths[i], cJSON_CreateTrue());
    return m;
}

cJSON *tsk_path_steps(const cJSON *root, const char *path)
{
    cJSON *steps = cJSON_CreateArray();
    const cJSON *v = root;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (cJSON_IsArray(v) && is_index(p, n)) {
            cJSON_AddItemToArray(steps, cJSON_CreateNumber(atoi(p)));
        } else {
            char *k = tsk_xstrndup(p, n);
            cJSON_AddItemToArray(steps, cJSON_CreateString(k));
            free(k);
        }
        v = v ? step(v, p, n) : NULL;
        if (!dot)
            return steps;
        p = dot + 1;
    }
}

int tsk_strs_has(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

void tsk_strvec_free(tsk_strvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    TSK_ARRAY_FREE(*v);
}

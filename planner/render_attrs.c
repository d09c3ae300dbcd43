/*
 * render_attrs.c - the attribute lines of the text plan: values old ->
 * new, nested maps and lists element by element, (known after apply),
 * (sensitive value), and the count of unchanged attributes.
 */
#include "planner/attrpath.h"
#include "planner/jsonw.h"
#include "planner/render_int.h"

#include <stdio.h>
#include <stdlib.h>

static void sp(struct tsk_buf *b, int n)
{
    static const char spaces[] = "                                        ";
    for (; n > 0; n -= (int)sizeof(spaces) - 1)
        tsk_buf_add(b, spaces,
                    n < (int)sizeof(spaces) - 1 ? (size_t)n
                                                : sizeof(spaces) - 1);
}

void tsk_render__color_on(struct tsk_rt *r, const char *code)
{
    if (r->o->color)
        tsk_buf_addf(r->b, "\033[%sm", code);
}

void tsk_render__color_off(struct tsk_rt *r)
{
    if (r->o->color)
        tsk_buf_adds(r->b, "\033[0m");
}

/* One action symbol in its colour: '+' green, '-' red, '~' yellow. */
static void symch(struct tsk_rt *r, char c)
{
    tsk_render__color_on(r, c == '+' ? "32" : c == '-' ? "31" : "33");
    tsk_buf_addch(r->b, c);
    tsk_render__color_off(r);
}

void tsk_render__sym(struct tsk_rt *r, const char *s)
{
    for (; *s; s++)
        if (*s == '/' || *s == ' ' || *s == '<' || *s == '=')
            tsk_buf_addch(r->b, *s);
        else
            symch(r, *s);
}

static int sensitive(struct tsk_rt *r, const char *path)
{
    return !r->o->show_sensitive && tsk_path_covered(r->sens, r->nsens, path);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys borrowed from the trees being rendered. */
typedef TSK_ARRAY(const char *) keyvec;

static int has_key(const keyvec *v, const char *k)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], k) == 0)
            return 1;
    return 0;
}

/* Sorted union of the keys of objects a, b and c (any may be NULL). */
static void keys_of(const cJSON *a, const cJSON *b, const cJSON *c, keyvec *out)
{
    const cJSON *objs[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (cJSON_IsObject(objs[i]))
            for (const cJSON *k = objs[i]->child; k; k = k->next)
                if (k->string && !has_key(out, k->string))
                    *TSK_ARRAY_PUSH(*out) = k->string;
    if (out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), cmpstr);
}

static int is_struct(const cJSON *v)
{
    return (cJSON_IsObject(v) || cJSON_IsArray(v)) && v->child;
}

static void scalar(struct tsk_buf *b, const cJSON *v)
{
    if (!v || cJSON_IsNull(v)) {
        tsk_buf_adds(b, "null");
        return;
    }
    tsk_jsonw_print(b, v);
}

/* "path.key" (or "path.i"), built without printf: one per value shown. */
static char *join_path(const char *path, const char *key)
{
    size_t pl = strlen(path), kl = strlen(key);
    char *p = tsk_xmalloc(pl + kl + 2);
    memcpy(p, path, pl);
    p[pl] = '.';
    memcpy(p + pl + 1, key, kl + 1);
    return p;
}

static char *index_path(const char *path, int i)
{
    char num[16];
    snprintf(num, sizeof(num), "%d", i);
    return join_path(path, num);
}

static char *child_path(const char *path, const cJSON *parent, int i,
                        const char *key)
{
    if (cJSON_IsArray(parent))
        return index_path(path, i);
    return join_path(path, key);
}

/*
 * A whole value being added (c '+') or removed ('-'): scalars inline,
 * maps and lists one element a line. unk marks unknown parts.
 */
static void value_full(struct tsk_rt *r, const cJSON *v, const cJSON *unk,
                       char c, int indent, const char *path)
{
    if (cJSON_IsTrue(unk)) {
        tsk_buf_adds(r->b, "(known after apply)");
        return;
    }
    if (sensitive(r, path)) {
        tsk_buf_adds(r->b, "(sensitive value)");
        return;
    }
    if (!is_struct(v)) {
        scalar(r->b, v);
        return;
    }
    int arr = cJSON_IsArray(v);
    tsk_buf_adds(r->b, arr ? "[\n" : "{\n");
    keyvec keys = {0};
    size_t width = 0;
    if (!arr) {
        keys_of(v, unk, NULL, &keys);
        for (size_t i = 0; i < keys.n; i++)
            if (strlen(keys.v[i]) + 2 > width)
                width = strlen(keys.v[i]) + 2;
    }
    size_t n = arr ? (size_t)cJSON_GetArraySize(v) : keys.n;
    for (size_t i = 0; i < n; i++) {
        const char *k = arr ? NULL : keys.v[i];
        const cJSON *cv = arr ? cJSON_GetArrayItem(v, (int)i)
                              : cJSON_GetObjectItemCaseSensitive(v, k);
        const cJSON *cu = arr ? cJSON_GetArrayItem(unk, (int)i)
                              : cJSON_GetObjectItemCaseSensitive(unk, k);
        char *cp = child_path(path, v, (int)i, k);
        sp(r->b, indent + 4);
        symch(r, c);
        tsk_buf_addch(r->b, ' ');
        if (!arr) {
            size_t kl = strlen(k);
            tsk_buf_addch(r->b, '"');
            tsk_buf_add(r->b, k, kl);
            tsk_buf_addch(r->b, '"');
            sp(r->b, (int)(width - kl - 2));
            tsk_buf_adds(r->b, " = ");
        }
        value_full(r, cv, cu, c, indent + 4, cp);
        tsk_buf_adds(r->b, arr ? ",\n" : "\n");
        free(cp);
    }
    TSK_ARRAY_FREE(keys);
    sp(r->b, indent + 2);
    tsk_buf_adds(r->b, arr ? "]" : "}");
}

static void hidden(struct tsk_rt *r, int indent, size_t n, const char *what)
{
    if (!n)
        return;
    sp(r->b, indent);
    tsk_buf_addf(r->b, "# (%zu unchanged %s%s hidden)\n", n, what,
                 n == 1 ? "" : "s");
}

static void lead(struct tsk_rt *r, int indent, char c, const char *name,
                 size_t width, int quoted)
{
    sp(r->b, indent);
    if (c == ' ')
        tsk_buf_addch(r->b, ' ');
    else
        symch(r, c);
    tsk_buf_addch(r->b, ' ');
    size_t nl = strlen(name);
    if (quoted)
        tsk_buf_addch(r->b, '"');
    tsk_buf_add(r->b, name, nl);
    if (quoted)
        tsk_buf_addch(r->b, '"');
    sp(r->b, (int)(width - nl - (quoted ? 2 : 0)));
    tsk_buf_adds(r->b, " = ");
}

static void list_diff(struct tsk_rt *r, const cJSON *a, const cJSON *b,
                      int indent, const char *path);
static void map_diff(struct tsk_rt *r, const cJSON *a, const cJSON *b,
                     const cJSON *unk, int indent, const char *path);

/*
 * One attribute or map element: old value a, new value b (NULL when
 * absent), unk its unknown marks. Returns 0 when it is unchanged (and
 * printed nothing).
 */
int tsk_render__attr(struct tsk_rt *r, const char *name, size_t width,
                     int quoted, const cJSON *a, const cJSON *b,
                     const cJSON *unk, int indent, const char *path,
                     const char *suffix)
{
    int isunk = cJSON_IsTrue(unk),
        has_unk_below = cJSON_IsObject(unk) && unk->child;
    if (!isunk && !has_unk_below && tsk_value_eq(a, b))
        return 0;
    int absent_a = !a || cJSON_IsNull(a), absent_b = !b || cJSON_IsNull(b);
    if (isunk) {
        lead(r, indent, absent_a ? '+' : '~', name, width, quoted);
        if (!absent_a) {
            value_full(r, a, NULL, '-', indent, path);
            tsk_buf_adds(r->b, " -> ");
        }
        tsk_buf_adds(r->b, "(known after apply)");
    } else if (sensitive(r, path) && !absent_a && !absent_b) {
        lead(r, indent, '~', name, width, quoted);
        tsk_buf_adds(r->b, "(sensitive value)");
    } else if (absent_a) {
        lead(r, indent, '+', name, width, quoted);
        value_full(r, b, unk, '+', indent, path);
    } else if (absent_b && !has_unk_below) {
        lead(r, indent, '-', name, width, quoted);
        value_full(r, a, NULL, '-', indent, path);
        tsk_buf_adds(r->b, " -> null");
    } else if (cJSON_IsObject(a) && (cJSON_IsObject(b) || absent_b)) {
        lead(r, indent, '~', name, width, quoted);
        map_diff(r, a, b, unk, indent, path);
    } else if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
        lead(r, indent, '~', name, width, quoted);
        list_diff(r, a, b, indent, path);
    } else {
        lead(r, indent, '~', name, width, quoted);
        value_full(r, a, NULL, '-', indent, path);
        tsk_buf_adds(r->b, " -> ");
        value_full(r, b, NULL, '+', indent, path);
    }
    if (suffix)
        tsk_buf_adds(r->b, suffix);
    tsk_buf_addch(r->b, '\n');
    return 1;
}

static void map_diff(struct tsk_rt *r, const cJSON *a, const cJSON *b,
                     const cJSON *unk, int indent, const char *path)
{
    keyvec keys = {0};
    keys_of(a, b, unk, &keys);
    size_t width = 0, same = 0;
    for (size_t i = 0; i < keys.n; i++)
        if (strlen(keys.v[i]) + 2 > width)
            width = strlen(keys.v[i]) + 2;
    tsk_buf_adds(r->b, "{\n");
    for (size_t i = 0; i < keys.n; i++) {
        const char *k = keys.v[i];
        char *cp = join_path(path, k);
        if (!tsk_render__attr(
                r, k, width, 1, cJSON_GetObjectItemCaseSensitive(a, k),
                cJSON_GetObjectItemCaseSensitive(b, k),
                cJSON_GetObjectItemCaseSensitive(unk, k), indent + 4, cp, NULL))
            same++;
        free(cp);
    }
    hidden(r, indent + 6, same, "element");
    TSK_ARRAY_FREE(keys);
    sp(r->b, indent + 2);
    tsk_buf_adds(r->b, "}");
}

static int in_array(const cJSON *arr, const cJSON *v)
{
    for (const cJSON *c = arr->child; c; c = c->next)
        if (cJSON_Compare(c, v, 1))
            return 1;
    return 0;
}

/* Lists: removed elements, then added ones; the rest is counted. */
static void list_diff(struct tsk_rt *r, const cJSON *a, const cJSON *b,
                      int indent, const char *path)
{
    size_t same = 0;
    int i = 0;
    tsk_buf_adds(r->b, "[\n");
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        if (in_array(b, c)) {
            same++;
            continue;
        }
        char *cp = index_path(path, i);
        sp(r->b, indent + 4);
        symch(r, '-');
        tsk_buf_addch(r->b, ' ');
        value_full(r, c, NULL, '-', indent + 4, cp);
        tsk_buf_adds(r->b, ",\n");
        free(cp);
    }
    i = 0;
    for (const cJSON *c = b->child; c; c = c->next, i++) {
        if (in_array(a, c))
            continue;
        char *cp = index_path(path, i);
        sp(r->b, indent + 4);
        symch(r, '+');
        tsk_buf_addch(r->b, ' ');
        value_full(r, c, NULL, '+', indent + 4, cp);
        tsk_buf_adds(r->b, ",\n");
        free(cp);
    }
    hidden(r, indent + 6, same, "element");
    sp(r->b, indent + 2);
    tsk_buf_adds(r->b, "]");
}

static int important(const char *name)
{
    return strcmp(name, "id") == 0 || strcmp(name, "name") == 0;
}

void tsk_render__attrs(struct tsk_rt *r, const cJSON *before,
                       const cJSON *after, const cJSON *unk)
{
    keyvec keys = {0};
    keys_of(before, after, unk, &keys);
    size_t width = 0, same = 0;
    for (size_t i = 0; i < keys.n; i++)
        if (strlen(keys.v[i]) > width)
            width = strlen(keys.v[i]);
    for (size_t i = 0; i < keys.n; i++) {
        const char *k = keys.v[i];
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(before, k);
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(after, k);
        const char *suffix = tsk_path_covered(r->repl, r->nrepl, k)
                                 ? " # forces replacement"
                                 : NULL;
        if (tsk_render__attr(r, k, width, 0, a, b,
                             cJSON_GetObjectItemCaseSensitive(unk, k), 6, k,
                             suffix))
            continue;
        if (before && after && important(k) && a && !cJSON_IsNull(a)) {
            lead(r, 6, ' ', k, width, 0);
            value_full(r, a, NULL, ' ', 6, k);
            tsk_buf_addch(r->b, '\n');
        } else if (before && after) {
            same++;
        }
    }
    hidden(r, 8, same, "attribute");
    TSK_ARRAY_FREE(keys);
}

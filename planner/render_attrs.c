/*
 * render_attrs.c - the attribute lines of the text plan: values old ->
 * new, nested maps and lists element by element, (known after apply),
 * (sensitive value), and the count of unchanged attributes.
 *
 * A plan of a hundred thousand resources prints millions of these lines,
 * so nothing here costs per line beyond the bytes written: no printf, no
 * allocation (the keys of the objects being compared are gathered and
 * sorted on the stack together with each side's member, so no member is
 * looked up by name), the value's path kept in one reused buffer, and
 * cJSON's type tests made inline.
 */
#include "planner/attrpath.h"
#include "planner/jsonw.h"
#include "planner/render_int.h"

#include <stdio.h>
#include <stdlib.h>

static int type_of(const cJSON *v)
{
    return v ? v->type & 0xFF : cJSON_Invalid;
}

static int is_object(const cJSON *v)
{
    return type_of(v) == cJSON_Object;
}

static int is_array(const cJSON *v)
{
    return type_of(v) == cJSON_Array;
}

static int is_true(const cJSON *v)
{
    return type_of(v) == cJSON_True;
}

/* Absent: no value, or JSON null. */
static int absent(const cJSON *v)
{
    return !v || type_of(v) == cJSON_NULL;
}

static void sp(struct tsk_buf *b, int n)
{
    static const char spaces[] = "                                        ";
    for (; n > 0; n -= (int)sizeof(spaces) - 1)
        tsk_buf_add(b, spaces,
                    n < (int)sizeof(spaces) - 1 ? (size_t)n
                                                : sizeof(spaces) - 1);
}

#define ADD_LIT(b, s) tsk_buf_add((b), (s), sizeof(s) - 1)

void tsk_render__init(struct tsk_rt *r, struct tsk_buf *out,
                      const struct tsk_render_opts *o)
{
    memset(r, 0, sizeof(*r));
    r->b = out;
    r->o = o;
    r->path = (struct tsk_buf)TSK_BUF_INIT;
}

void tsk_render__done(struct tsk_rt *r)
{
    tsk_buf_release(&r->path);
}

void tsk_render__color_on(struct tsk_rt *r, const char *code)
{
    if (!r->o->color)
        return;
    ADD_LIT(r->b, "\033[");
    tsk_buf_adds(r->b, code);
    tsk_buf_addch(r->b, 'm');
}

void tsk_render__color_off(struct tsk_rt *r)
{
    if (r->o->color)
        ADD_LIT(r->b, "\033[0m");
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

/* ---- the value's path: "name", "env.KEY", "layers.0" ---- */

/* Steps the path into key k (kl bytes); returns the length to go back to. */
static size_t path_in(struct tsk_rt *r, const char *k, size_t kl)
{
    size_t old = r->path.len;
    tsk_buf_addch(&r->path, '.');
    tsk_buf_add(&r->path, k, kl);
    return old;
}

static size_t path_index(struct tsk_rt *r, size_t i)
{
    char tmp[24], num[24];
    size_t k = 0, n = 0;
    do {
        tmp[k++] = (char)('0' + (int)(i % 10));
        i /= 10;
    } while (i);
    while (k)
        num[n++] = tmp[--k];
    return path_in(r, num, n);
}

static void path_out(struct tsk_rt *r, size_t old)
{
    r->path.len = old;
    if (r->path.alloc)
        r->path.ptr[old] = '\0';
}

static void path_set(struct tsk_rt *r, const char *k, size_t kl)
{
    tsk_buf_reset(&r->path);
    tsk_buf_add(&r->path, k, kl);
}

static int sensitive(struct tsk_rt *r)
{
    return r->nsens && !r->o->show_sensitive &&
           tsk_path_covered(r->sens, r->nsens, r->path.ptr);
}

/* ---- the keys of up to three objects, with each one's member ---- */

struct member {
    const char *k;
    const cJSON *item; /* NULL when a lookup by name would not reach it */
    unsigned src, seq;
};

struct key {
    const char *k;
    size_t len;
    const cJSON *v[3]; /* the member in each object, or NULL */
};

#define KEYS_STACK 32

struct keys {
    struct key *v;
    size_t n;
    struct key stack[KEYS_STACK];
};

static int member_cmp(const struct member *a, const struct member *b)
{
    int c = strcmp(a->k, b->k);
    if (c)
        return c;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int member_qcmp(const void *a, const void *b)
{
    return member_cmp(a, b);
}

static void sort_members(struct member *m, size_t n)
{
    if (n > 24) {
        qsort(m, n, sizeof(*m), member_qcmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        struct member t = m[i];
        size_t j = i;
        for (; j > 0 && member_cmp(&m[j - 1], &t) > 0; j--)
            m[j] = m[j - 1];
        m[j] = t;
    }
}

/* cJSON_GetObjectItemCaseSensitive's answer: the first member named k
 * before any member without a name. */
static const cJSON *member_of(const cJSON *o, const char *k)
{
    const cJSON *c = o ? o->child : NULL;
    while (c && c->string && strcmp(k, c->string) != 0)
        c = c->next;
    return c && c->string ? c : NULL;
}

/*
 * The sorted union of the keys of objects a, b and c (any may be NULL or
 * not an object), each with the member a lookup by name finds in a, b and
 * c. Release with keys_free().
 */
static void keys_of(const cJSON *a, const cJSON *b, const cJSON *c,
                    struct keys *out)
{
    const cJSON *objs[3] = {a, b, c};
    struct member mstack[2 * KEYS_STACK], *m = mstack;
    size_t total = 0, n = 0;
    for (int i = 0; i < 3; i++)
        if (is_object(objs[i]))
            for (const cJSON *k = objs[i]->child; k; k = k->next)
                total++;
    if (total > sizeof(mstack) / sizeof(mstack[0]))
        m = tsk_xmalloc(total * sizeof(*m));
    for (unsigned i = 0; i < 3; i++) {
        if (!is_object(objs[i]))
            continue;
        unsigned seq = 0;
        int blocked = 0; /* a lookup stops at a member without a name */
        for (const cJSON *k = objs[i]->child; k; k = k->next) {
            if (!k->string) {
                blocked = 1;
                continue;
            }
            m[n].k = k->string;
            m[n].item = blocked ? NULL : k;
            m[n].src = i;
            m[n].seq = seq++;
            n++;
        }
    }
    sort_members(m, n);
    out->n = 0;
    out->v = n <= KEYS_STACK ? out->stack : tsk_xmalloc(n * sizeof(*out->v));
    for (size_t i = 0; i < n;) {
        struct key *k = &out->v[out->n++];
        int seen[3] = {0, 0, 0};
        k->k = m[i].k;
        k->len = strlen(k->k);
        k->v[0] = k->v[1] = k->v[2] = NULL;
        size_t j = i;
        for (; j < n && (j == i || strcmp(m[j].k, k->k) == 0); j++) {
            if (!seen[m[j].src]) {
                seen[m[j].src] = 1;
                k->v[m[j].src] = m[j].item;
            }
        }
        for (int s = 0; s < 3; s++)
            if (objs[s] && !is_object(objs[s]) && objs[s]->child)
                k->v[s] = member_of(objs[s], k->k);
        i = j;
    }
    if (m != mstack)
        free(m);
}

static void keys_free(struct keys *k)
{
    if (k->v != k->stack)
        free(k->v);
}

/* ---- values ---- */

static int is_struct(const cJSON *v)
{
    return (is_object(v) || is_array(v)) && v->child;
}

static void scalar(struct tsk_buf *b, const cJSON *v)
{
    if (absent(v)) {
        ADD_LIT(b, "null");
        return;
    }
    if (type_of(v) == cJSON_String && v->valuestring) {
        /* most strings need no escape: copied as they are */
        const unsigned char *s = (const unsigned char *)v->valuestring;
        size_t n = 0;
        while (s[n] >= 32 && s[n] != '"' && s[n] != '\\')
            n++;
        if (!s[n]) {
            tsk_buf_grow(b, n + 2);
            b->ptr[b->len] = '"';
            memcpy(b->ptr + b->len + 1, s, n);
            b->ptr[b->len + 1 + n] = '"';
            b->len += n + 2;
            b->ptr[b->len] = '\0';
            return;
        }
    }
    tsk_jsonw_print(b, v);
}

/* "  + " at indent: the symbol in colour (a space too: as yellow). */
static void mark(struct tsk_rt *r, int indent, char c)
{
    sp(r->b, indent);
    symch(r, c);
    tsk_buf_addch(r->b, ' ');
}

/* The name padded to width, then " = ". */
static void name_eq(struct tsk_rt *r, const char *name, size_t nl, size_t width,
                    int quoted)
{
    if (quoted)
        tsk_buf_addch(r->b, '"');
    tsk_buf_add(r->b, name, nl);
    if (quoted)
        tsk_buf_addch(r->b, '"');
    sp(r->b, (int)(width - nl - (quoted ? 2 : 0)));
    ADD_LIT(r->b, " = ");
}

/*
 * A whole value being added (c '+') or removed ('-'): scalars inline,
 * maps and lists one element a line. unk marks unknown parts.
 */
static void value_full(struct tsk_rt *r, const cJSON *v, const cJSON *unk,
                       char c, int indent)
{
    if (is_true(unk)) {
        ADD_LIT(r->b, "(known after apply)");
        return;
    }
    if (sensitive(r)) {
        ADD_LIT(r->b, "(sensitive value)");
        return;
    }
    if (!is_struct(v)) {
        scalar(r->b, v);
        return;
    }
    if (is_array(v)) {
        ADD_LIT(r->b, "[\n");
        const cJSON *cu = unk ? unk->child : NULL;
        size_t i = 0;
        for (const cJSON *cv = v->child; cv; cv = cv->next, i++) {
            size_t old = path_index(r, i);
            mark(r, indent + 4, c);
            value_full(r, cv, cu, c, indent + 4);
            ADD_LIT(r->b, ",\n");
            path_out(r, old);
            cu = cu ? cu->next : NULL;
        }
        sp(r->b, indent + 2);
        tsk_buf_addch(r->b, ']');
        return;
    }
    ADD_LIT(r->b, "{\n");
    struct keys keys;
    size_t width = 0;
    keys_of(v, unk, NULL, &keys);
    for (size_t i = 0; i < keys.n; i++)
        if (keys.v[i].len + 2 > width)
            width = keys.v[i].len + 2;
    for (size_t i = 0; i < keys.n; i++) {
        const struct key *k = &keys.v[i];
        size_t old = path_in(r, k->k, k->len);
        mark(r, indent + 4, c);
        name_eq(r, k->k, k->len, width, 1);
        value_full(r, k->v[0], k->v[1], c, indent + 4);
        tsk_buf_addch(r->b, '\n');
        path_out(r, old);
    }
    keys_free(&keys);
    sp(r->b, indent + 2);
    tsk_buf_addch(r->b, '}');
}

static void hidden(struct tsk_rt *r, int indent, size_t n, const char *what)
{
    if (!n)
        return;
    sp(r->b, indent);
    tsk_buf_addf(r->b, "# (%zu unchanged %s%s hidden)\n", n, what,
                 n == 1 ? "" : "s");
}

/* An attribute's line up to its value; ' ' is an uncoloured space. */
static void lead(struct tsk_rt *r, int indent, char c, const char *name,
                 size_t nl, size_t width, int quoted)
{
    size_t pad = width - nl - (quoted ? 2 : 0);
    if (!r->o->color && indent >= 0 && indent <= 64 && nl <= 64 && pad <= 64) {
        /* the usual line, without colour: put together in one piece */
        char line[200];
        size_t n = (size_t)indent;
        memset(line, ' ', n);
        line[n++] = c;
        line[n++] = ' ';
        if (quoted)
            line[n++] = '"';
        memcpy(line + n, name, nl);
        n += nl;
        if (quoted)
            line[n++] = '"';
        memset(line + n, ' ', pad);
        n += pad;
        memcpy(line + n, " = ", 3);
        tsk_buf_add(r->b, line, n + 3);
        return;
    }
    sp(r->b, indent);
    if (c == ' ')
        tsk_buf_addch(r->b, ' ');
    else
        symch(r, c);
    tsk_buf_addch(r->b, ' ');
    name_eq(r, name, nl, width, quoted);
}

static void list_diff(struct tsk_rt *r, const cJSON *a, const cJSON *b,
                      int indent);
static void map_diff(struct tsk_rt *r, const cJSON *a, const cJSON *b,
                     const cJSON *unk, int indent);

/*
 * One attribute or map element at r->path: old value a, new value b (NULL
 * when absent), unk its unknown marks. Returns 0 when it is unchanged (and
 * printed nothing).
 */
static int attr(struct tsk_rt *r, const char *name, size_t nl, size_t width,
                int quoted, const cJSON *a, const cJSON *b, const cJSON *unk,
                int indent, const char *suffix)
{
    int isunk = is_true(unk), has_unk_below = is_object(unk) && unk->child;
    int absent_a = absent(a), absent_b = absent(b);
    int same = absent_a || absent_b ? absent_a && absent_b : tsk_value_eq(a, b);
    if (!isunk && !has_unk_below && same)
        return 0;
    if (isunk) {
        lead(r, indent, absent_a ? '+' : '~', name, nl, width, quoted);
        if (!absent_a) {
            value_full(r, a, NULL, '-', indent);
            ADD_LIT(r->b, " -> ");
        }
        ADD_LIT(r->b, "(known after apply)");
    } else if (sensitive(r) && !absent_a && !absent_b) {
        lead(r, indent, '~', name, nl, width, quoted);
        ADD_LIT(r->b, "(sensitive value)");
    } else if (absent_a) {
        lead(r, indent, '+', name, nl, width, quoted);
        value_full(r, b, unk, '+', indent);
    } else if (absent_b && !has_unk_below) {
        lead(r, indent, '-', name, nl, width, quoted);
        value_full(r, a, NULL, '-', indent);
        ADD_LIT(r->b, " -> null");
    } else if (is_object(a) && (is_object(b) || absent_b)) {
        lead(r, indent, '~', name, nl, width, quoted);
        map_diff(r, a, b, unk, indent);
    } else if (is_array(a) && is_array(b)) {
        lead(r, indent, '~', name, nl, width, quoted);
        list_diff(r, a, b, indent);
    } else {
        lead(r, indent, '~', name, nl, width, quoted);
        value_full(r, a, NULL, '-', indent);
        ADD_LIT(r->b, " -> ");
        value_full(r, b, NULL, '+', indent);
    }
    if (suffix)
        tsk_buf_adds(r->b, suffix);
    tsk_buf_addch(r->b, '\n');
    return 1;
}

static void map_diff(struct tsk_rt *r, const cJSON *a, const cJSON *b,
                     const cJSON *unk, int indent)
{
    struct keys keys;
    keys_of(a, b, unk, &keys);
    size_t width = 0, same = 0;
    for (size_t i = 0; i < keys.n; i++)
        if (keys.v[i].len + 2 > width)
            width = keys.v[i].len + 2;
    ADD_LIT(r->b, "{\n");
    for (size_t i = 0; i < keys.n; i++) {
        const struct key *k = &keys.v[i];
        size_t old = path_in(r, k->k, k->len);
        if (!attr(r, k->k, k->len, width, 1, k->v[0], k->v[1], k->v[2],
                  indent + 4, NULL))
            same++;
        path_out(r, old);
    }
    hidden(r, indent + 6, same, "element");
    keys_free(&keys);
    sp(r->b, indent + 2);
    tsk_buf_addch(r->b, '}');
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
                      int indent)
{
    size_t same = 0, i = 0;
    ADD_LIT(r->b, "[\n");
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        if (in_array(b, c)) {
            same++;
            continue;
        }
        size_t old = path_index(r, i);
        mark(r, indent + 4, '-');
        value_full(r, c, NULL, '-', indent + 4);
        ADD_LIT(r->b, ",\n");
        path_out(r, old);
    }
    i = 0;
    for (const cJSON *c = b->child; c; c = c->next, i++) {
        if (in_array(a, c))
            continue;
        size_t old = path_index(r, i);
        mark(r, indent + 4, '+');
        value_full(r, c, NULL, '+', indent + 4);
        ADD_LIT(r->b, ",\n");
        path_out(r, old);
    }
    hidden(r, indent + 6, same, "element");
    sp(r->b, indent + 2);
    tsk_buf_addch(r->b, ']');
}

static int important(const char *name)
{
    return strcmp(name, "id") == 0 || strcmp(name, "name") == 0;
}

void tsk_render__attrs(struct tsk_rt *r, const cJSON *before,
                       const cJSON *after, const cJSON *unk)
{
    struct keys keys;
    keys_of(before, after, unk, &keys);
    size_t width = 0, same = 0;
    for (size_t i = 0; i < keys.n; i++)
        if (keys.v[i].len > width)
            width = keys.v[i].len;
    for (size_t i = 0; i < keys.n; i++) {
        const struct key *k = &keys.v[i];
        const cJSON *a = k->v[0];
        const char *suffix =
            r->nrepl && tsk_path_covered(r->repl, r->nrepl, k->k)
                ? " # forces replacement"
                : NULL;
        path_set(r, k->k, k->len);
        if (attr(r, k->k, k->len, width, 0, a, k->v[1], k->v[2], 6, suffix))
            continue;
        if (before && after && important(k->k) && !absent(a)) {
            lead(r, 6, ' ', k->k, k->len, width, 0);
            value_full(r, a, NULL, ' ', 6);
            tsk_buf_addch(r->b, '\n');
        } else if (before && after) {
            same++;
        }
    }
    hidden(r, 8, same, "attribute");
    keys_free(&keys);
}

/*
 * model_check.c - the generic checker that walks a table against one of
 * the key tables of model_schema.c: unknown keys (did-you-mean), keys that
 * do not apply in a context, types, ranges and allowed values.
 */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <strings.h>

static const char *type_name(const struct tsk_model__key *k)
{
    switch (k->type) {
    case TSK_MK_BOOL:
        return "a boolean";
    case TSK_MK_INT:
        return "an integer";
    case TSK_MK_NUMBER:
        return "a number";
    case TSK_MK_STRING:
        return "a string";
    case TSK_MK_STRINGS:
        return "a list of strings";
    case TSK_MK_TABLE:
        return "a table";
    case TSK_MK_STRMAP:
        return "a table of strings";
    case TSK_MK_ENVMAP:
        return "a table of strings, numbers or booleans";
    }
    return "?";
}

static const char *kind_article(enum tsk_vkind k)
{
    switch (k) {
    case TSK_V_NULL:
        return "null";
    case TSK_V_BOOL:
        return "a boolean";
    case TSK_V_INT:
        return "an integer";
    case TSK_V_DOUBLE:
        return "a double";
    case TSK_V_STRING:
        return "a string";
    case TSK_V_ARRAY:
        return "a list";
    case TSK_V_TABLE:
        return "a table";
    }
    return "?";
}

/* "[path]" or "[path.name]" (name may need no quoting: keys are names). */
static void where_name(struct tsk_buf *b, const struct tsk_model__where *w)
{
    tsk_buf_addch(b, '[');
    tsk_buf_adds(b, w->path);
    if (w->name) {
        if (*w->path)
            tsk_buf_addch(b, '.');
        tsk_buf_adds(b, w->name);
    }
    if (w->sub)
        tsk_buf_addf(b, ".%s", w->sub);
    tsk_buf_addch(b, ']');
}

static void range_text(struct tsk_buf *b, const struct tsk_model__key *k)
{
    tsk_buf_addf(b, "%.15g..%.15g", k->min, k->max);
    if (k->unit)
        tsk_buf_addf(b, " %s", k->unit);
}

static int applies(const struct tsk_model__key *k, unsigned ctx)
{
    return ctx == 0 || k->ctx == 0 || (k->ctx & ctx) != 0;
}

static void unknown_key(const struct tsk_entry *e,
                        const struct tsk_model__schema *s,
                        const struct tsk_model__where *w, struct tsk_diags *d)
{
    struct tsk_buf b = TSK_BUF_INIT;
    const char *cands[64];
    size_t n = 0;
    for (size_t i = 0; i < s->n && n < 64; i++) {
        if (strcmp(s->keys[i].name, e->key) == 0) {
            where_name(&b, w);
            tsk_diag_error(d, &e->key_pos,
                           "key \"%s\" does not apply to %s "
                           "(in %s)",
                           e->key, w->ctx_what ? w->ctx_what : "this entry",
                           b.ptr);
            tsk_buf_release(&b);
            return;
        }
        if (applies(&s->keys[i], w->ctx))
            cands[n++] = s->keys[i].name;
    }
    where_name(&b, w);
    tsk_diag_error(d, &e->key_pos, "unknown key \"%s\" in %s", e->key, b.ptr);
    tsk_buf_release(&b);
    const char *best = tsk_did_you_mean(e->key, cands, n);
    if (best) {
        tsk_diag_detail(d, "did you mean \"%s\"?", best);
        return;
    }
    for (size_t i = 0; i < n; i++)
        tsk_buf_addf(&b, "%s%s", i ? ", " : "", cands[i]);
    tsk_diag_detail(d, "valid keys: %s", b.ptr);
    tsk_buf_release(&b);
}

static int wrong_type(const struct tsk_model__key *k, const struct tsk_value *v,
                      struct tsk_diags *d)
{
    struct tsk_buf b = TSK_BUF_INIT;
    if (k->ranged) {
        tsk_buf_adds(&b, " (");
        range_text(&b, k);
        tsk_buf_adds(&b, ")");
    }
    tsk_diag_error(d, &v->pos, "%s must be %s%s, not %s", k->name, type_name(k),
                   b.ptr, kind_article(v->kind));
    tsk_buf_release(&b);
    return 1;
}

static int check_choice(const struct tsk_model__key *k,
                        const struct tsk_value *v, struct tsk_diags *d)
{
    struct tsk_buf b = TSK_BUF_INIT;
    size_t n = 0;
    for (; k->choices[n]; n++)
        if (strcasecmp(k->choices[n], v->u.str.s) == 0)
            return 0;
    for (size_t i = 0; i < n; i++)
        tsk_buf_addf(&b, "%s%s", i ? ", " : "", k->choices[i]);
    tsk_diag_error(d, &v->pos, "%s \"%s\" is not one of: %s", k->name,
                   v->u.str.s, b.ptr);
    tsk_buf_release(&b);
    const char *best = tsk_did_you_mean(v->u.str.s, k->choices, n);
    if (best)
        tsk_diag_detail(d, "did you mean \"%s\"?", best);
    return 1;
}

static int check_range(const struct tsk_model__key *k,
                       const struct tsk_value *v, struct tsk_diags *d)
{
    double x = v->kind == TSK_V_INT ? (double)v->u.i : v->u.d;
    if (!k->ranged || (x >= k->min && x <= k->max))
        return 0;
    struct tsk_buf b = TSK_BUF_INIT;
    range_text(&b, k);
    if (v->kind == TSK_V_INT)
        tsk_diag_error(d, &v->pos, "%s = %lld is out of range: allowed %s",
                       k->name, (long long)v->u.i, b.ptr);
    else
        tsk_diag_error(d, &v->pos, "%s = %.15g is out of range: allowed %s",
                       k->name, v->u.d, b.ptr);
    tsk_buf_release(&b);
    return 1;
}

static int check_strings(const struct tsk_model__key *k,
                         const struct tsk_value *v, struct tsk_diags *d)
{
    int nerr = 0;
    for (size_t i = 0; i < v->u.arr->n; i++) {
        const struct tsk_value *it = &v->u.arr->v[i];
        if (it->kind != TSK_V_STRING) {
            tsk_diag_error(d, &it->pos,
                           "%s must be a list of strings; item "
                           "%zu is %s",
                           k->name, i + 1, kind_article(it->kind));
            nerr++;
        } else if (it->u.str.len == 0) {
            tsk_diag_error(d, &it->pos, "%s: item %zu is an empty string",
                           k->name, i + 1);
            nerr++;
        }
    }
    return nerr;
}

/* An environment variable name: a letter or '_', then letters, digits
 * and '_' (what every runtime and Lambda accept). */
static int env_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int check_map(const struct tsk_model__key *k, const struct tsk_value *v,
                     struct tsk_diags *d)
{
    int nerr = 0;
    const struct tsk_table *t = v->u.tab;
    for (size_t i = 0; i < t->n; i++) {
        const struct tsk_value *it = &t->e[i].val;
        if (k->type == TSK_MK_ENVMAP && !env_name(t->e[i].key)) {
            tsk_diag_error(d, &t->e[i].key_pos,
                           "environment variable name "
                           "\"%s\" is not valid: use letters, digits and "
                           "'_', not starting with a digit",
                           t->e[i].key);
            nerr++;
        }
        int ok = it->kind == TSK_V_STRING ||
                 (k->type == TSK_MK_ENVMAP &&
                  (it->kind == TSK_V_INT || it->kind == TSK_V_DOUBLE ||
                   it->kind == TSK_V_BOOL));
        if (!ok) {
            tsk_diag_error(
                d, &it->pos, "%s.%s must be %s, not %s", k->name, t->e[i].key,
                k->type == TSK_MK_ENVMAP ? "a string, a number or a boolean"
                                         : "a string",
                kind_article(it->kind));
            nerr++;
        }
    }
    return nerr;
}

/* Checks one value against its key; returns the number of errors. */
static int check_value(const struct tsk_model__key *k,
                       const struct tsk_value *v, struct tsk_diags *d)
{
    switch (k->type) {
    case TSK_MK_BOOL:
        return v->kind == TSK_V_BOOL ? 0 : wrong_type(k, v, d);
    case TSK_MK_INT:
        if (v->kind != TSK_V_INT)
            return wrong_type(k, v, d);
        return check_range(k, v, d);
    case TSK_MK_NUMBER:
        if (v->kind != TSK_V_INT && v->kind != TSK_V_DOUBLE)
            return wrong_type(k, v, d);
        return check_range(k, v, d);
    case TSK_MK_STRING:
        if (v->kind != TSK_V_STRING)
            return wrong_type(k, v, d);
        if (v->u.str.len == 0 || strlen(v->u.str.s) != v->u.str.len)
            return tsk_diag_error(d, &v->pos,
                                  "%s must not be empty or "
                                  "contain NUL",
                                  k->name),
                   1;
        return k->choices ? check_choice(k, v, d) : 0;
    case TSK_MK_STRINGS:
        if (v->kind != TSK_V_ARRAY)
            return wrong_type(k, v, d);
        return check_strings(k, v, d);
    case TSK_MK_TABLE:
        return v->kind == TSK_V_TABLE ? 0 : wrong_type(k, v, d);
    case TSK_MK_STRMAP:
    case TSK_MK_ENVMAP:
        if (v->kind != TSK_V_TABLE)
            return wrong_type(k, v, d);
        return check_map(k, v, d);
    }
    return 0;
}

int tsk_model__check(const struct tsk_table *t,
                     const struct tsk_model__schema *s,
                     const struct tsk_model__where *w,
                     const struct tsk_value **vals, struct tsk_diags *d)
{
    int nerr = 0;
    for (size_t i = 0; i < s->n; i++)
        vals[i] = NULL;
    if (!t)
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct tsk_entry *e = &t->e[i];
        size_t j = 0;
        while (j < s->n && strcmp(s->keys[j].name, e->key) != 0)
            j++;
        if (j == s->n || !applies(&s->keys[j], w->ctx)) {
            unknown_key(e, s, w, d);
            nerr++;
            continue;
        }
        if (e->val.kind == TSK_V_NULL)
            continue; /* null: not set */
        int bad = check_value(&s->keys[j], &e->val, d);
        nerr += bad;
        if (!bad)
            vals[j] = &e->val;
    }
    return nerr;
}

const struct tsk_table *tsk_model__table(const struct tsk_value *v,
                                         const struct tsk_model__where *w,
                                         struct tsk_diags *d)
{
    if (!v || v->kind == TSK_V_NULL)
        return NULL;
    if (v->kind != TSK_V_TABLE) {
        struct tsk_buf b = TSK_BUF_INIT;
        where_name(&b, w);
        tsk_diag_error(d, &v->pos, "%s must be a table, not %s", b.ptr,
                       kind_article(v->kind));
        tsk_buf_release(&b);
        return NULL;
    }
    return v->u.tab;
}

int tsk_model__bool(const struct tsk_value *v, int dflt)
{
    return v && v->kind == TSK_V_BOOL ? v->u.b : dflt;
}

int64_t tsk_model__int(const struct tsk_value *v, int64_t dflt)
{
    return v && v->kind == TSK_V_INT ? v->u.i : dflt;
}

double tsk_model__num(const struct tsk_value *v, double dflt)
{
    if (v && v->kind == TSK_V_INT)
        return (double)v->u.i;
    return v && v->kind == TSK_V_DOUBLE ? v->u.d : dflt;
}

const char *tsk_model__str(const struct tsk_value *v)
{
    return v && v->kind == TSK_V_STRING ? v->u.str.s : NULL;
}

/* eval_ops.c - the typing rules of the binary and unary operators. */
#include "internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

static struct tsk_value fail(const struct tsk_pos *at)
{
    struct tsk_value v = {0};
    memset(&v, 0, sizeof(v));
    v.kind = TSK_V_ERR;
    v.pos = *at;
    return v;
}

static const char *an(enum tsk_vkind k)
{
    return k == TSK_V_INT || k == TSK_V_ARRAY ? "an" : "a";
}

static const char *op_text(enum tsk_tok op)
{
    switch (op) {
    case TSK_T_PLUS: return "+";
    case TSK_T_MINUS: return "-";
    case TSK_T_STAR: return "*";
    case TSK_T_SLASH: return "/";
    case TSK_T_PERCENT: return "%";
    case TSK_T_LT: return "<";
    case TSK_T_LE: return "<=";
    case TSK_T_GT: return ">";
    case TSK_T_GE: return ">=";
    case TSK_T_EQ: return "==";
    case TSK_T_NE: return "!=";
    default: return "?";
    }
}

static int is_num(const struct tsk_value *v)
{
    return v->kind == TSK_V_INT || v->kind == TSK_V_DOUBLE;
}

static double num(const struct tsk_value *v)
{
    return v->kind == TSK_V_INT ? (double)v->u.i : v->u.d;
}

int tsk_concat_fmt(struct tsk_buf *out, const struct tsk_value *v)
{
    switch (v->kind) {
    case TSK_V_STRING:
        tsk_buf_add(out, v->u.str.s, v->u.str.len);
        return 0;
    case TSK_V_INT:
        tsk_buf_addf(out, "%" PRId64, v->u.i);
        return 0;
    case TSK_V_DOUBLE:
        tsk_fmt_double(out, v->u.d);
        return 0;
    case TSK_V_BOOL:
        tsk_buf_adds(out, v->u.b ? "true" : "false");
        return 0;
    default:
        return -1;
    }
}

/* int == double, exactly */
static int int_eq_double(int64_t i, double d)
{
    if (d != d || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
        return 0;
    if (d != floor(d))
        return 0;
    return (int64_t)d == i;
}

int tsk_values_equal(const struct tsk_value *a, const struct tsk_value *b)
{
    if (is_num(a) && is_num(b)) {
        if (a->kind == TSK_V_INT && b->kind == TSK_V_INT)
            return a->u.i == b->u.i;
        if (a->kind == TSK_V_DOUBLE && b->kind == TSK_V_DOUBLE)
            return a->u.d == b->u.d;
        if (a->kind == TSK_V_INT)
            return int_eq_double(a->u.i, b->u.d);
        return int_eq_double(b->u.i, a->u.d);
    }
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case TSK_V_NULL:
        return 1;
    case TSK_V_BOOL:
        return !a->u.b == !b->u.b;
    case TSK_V_STRING:
        return a->u.str.len == b->u.str.len &&
               memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case TSK_V_ARRAY:
        if (a->u.arr->n != b->u.arr->n)
            return 0;
        for (size_t i = 0; i < a->u.arr->n; i++)
            if (!tsk_values_equal(&a->u.arr->v[i], &b->u.arr->v[i]))
                return 0;
        return 1;
    case TSK_V_TABLE: {
        const struct tsk_table *x = a->u.tab, *y = b->u.tab;
        if (x->n != y->n)
            return 0;
        for (size_t i = 0; i < x->n; i++) {
            const struct tsk_entry *e =
                tsk_table_findn(y, x->e[i].key, tsk_key_len(x->e[i].key));
            if (!e || !tsk_values_equal(&x->e[i].val, &e->val))
                return 0;
        }
        return 1;
    }
    default:
        return 0;
    }
}

static struct tsk_value mk_int(const struct tsk_value *a, int64_t i)
{
    struct tsk_value v = {0};
    v.kind = TSK_V_INT;
    v.pos = a->pos;
    v.u.i = i;
    return v;
}

static struct tsk_value mk_bool(const struct tsk_value *a, int b)
{
    struct tsk_value v = {0};
    v.kind = TSK_V_BOOL;
    v.pos = a->pos;
    v.u.b = b;
    return v;
}

static struct tsk_value mk_double(struct tsk_parser *p, const struct tsk_pos *op,
                                  const struct tsk_value *a, double d,
                                  enum tsk_tok o)
{
    if (!isfinite(d)) {
        tsk_diag_error(p->d, op, "'%s' gives a number out of range "
                                 "(not a finite double)", op_text(o));
        return fail(op);
    }
    struct tsk_value v = {0};
    v.kind = TSK_V_DOUBLE;
    v.pos = a->pos;
    v.u.d = d;
    return v;
}

static struct tsk_value overflow(struct tsk_parser *p, const struct tsk_pos *op,
                                 enum tsk_tok o)
{
    tsk_diag_error(p->d, op, "integer overflow in '%s' (64-bit)", op_text(o));
    return fail(op);
}

static struct tsk_value type_error(struct tsk_parser *p,
                                   const struct tsk_pos *op, enum tsk_tok o,
                                   const struct tsk_value *a,
                                   const struct tsk_value *b, const char *need)
{
    tsk_diag_error(p->d, op, "'%s' needs %s, not %s %s and %s %s", op_text(o),
                   need, an(a->kind), tsk_vkind_name(a->kind), an(b->kind),
                   tsk_vkind_name(b->kind));
    return fail(op);
}

static struct tsk_value concat(struct tsk_parser *p, const struct tsk_pos *op,
                               const struct tsk_value *a,
                               const struct tsk_value *b)
{
    struct tsk_buf *buf = &p->sbuf;
    const char *bs;
    size_t bl;
    tsk_buf_reset(buf);
    if (b->kind == TSK_V_STRING) {
        bs = b->u.str.s;
        bl = b->u.str.len;
    } else if (tsk_concat_fmt(buf, b) == 0) {
        bs = buf->ptr;
        bl = buf->len;
    } else {
        bs = NULL;
        bl = 0;
    }
    if (!bs || (a->kind != TSK_V_STRING && tsk_concat_fmt(buf, a) < 0)) {
        const struct tsk_value *w = a->kind == TSK_V_STRING ? b : a;
        tsk_diag_error(p->d, op, "cannot concatenate a string and %s %s",
                       an(w->kind), tsk_vkind_name(w->kind));
        tsk_diag_detail(p->d, "'+' joins a string with a string, number or "
                              "boolean");
        return fail(op);
    }
    struct tsk_value v;
    v.kind = TSK_V_STRING;
    v.pos = a->pos;
    if (a->kind == TSK_V_STRING && a->u.str.s == p->cat_s &&
        a->u.str.len == p->cat_len && p->cat_len + bl + 1 <= p->cat_cap) {
        /* extend the previous result: long chains stay linear */
        memmove(p->cat_s + p->cat_len, bs, bl);
        p->cat_len += bl;
        p->cat_s[p->cat_len] = '\0';
        v.u.str.s = p->cat_s;
        v.u.str.len = p->cat_len;
        return v;
    }
    /* the left text: a string, or a number/boolean formatted after b's
     * text in buf (b's text, if formatted, is at the start of buf) */
    const char *as;
    size_t al;
    if (a->kind == TSK_V_STRING) {
        as = a->u.str.s;
        al = a->u.str.len;
    } else {
        size_t off = b->kind == TSK_V_STRING ? 0 : bl;
        as = buf->ptr + off;
        al = buf->len - off;
        if (b->kind != TSK_V_STRING)
            bs = buf->ptr; /* buf may have moved */
    }
    size_t len = al + bl, cap = len + 1;
    if (cap >= 256)
        cap *= 2; /* room for the next '+' of a chain */
    char *s = tsk_arena_alloc(&p->doc->arena, cap);
    memcpy(s, as, al);
    memcpy(s + al, bs, bl);
    s[len] = '\0';
    p->cat_s = s;
    p->cat_len = len;
    p->cat_cap = cap;
    v.u.str.s = s;
    v.u.str.len = len;
    return v;
}

struct tsk_value tsk_op_binary(struct tsk_parser *p, enum tsk_tok o,
                               const struct tsk_pos *op, struct tsk_value a,
                               struct tsk_value b)
{
    int64_t r;
    switch (o) {
    case TSK_T_EQ:
    case TSK_T_NE: {
        int eq = tsk_values_equal(&a, &b);
        return mk_bool(&a, o == TSK_T_EQ ? eq : !eq);
    }
    case TSK_T_LT:
    case TSK_T_LE:
    case TSK_T_GT:
    case TSK_T_GE: {
        int c;
        if (a.kind == TSK_V_STRING && b.kind == TSK_V_STRING) {
            size_t n = a.u.str.len < b.u.str.len ? a.u.str.len : b.u.str.len;
            c = memcmp(a.u.str.s, b.u.str.s, n);
            if (c == 0)
                c = a.u.str.len < b.u.str.len ? -1 : a.u.str.len > b.u.str.len;
        } else if (is_num(&a) && is_num(&b)) {
            if (a.kind == TSK_V_INT && b.kind == TSK_V_INT)
                c = a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
            else
                c = num(&a) < num(&b) ? -1 : num(&a) > num(&b);
        } else {
            return type_error(p, op, o, &a, &b, "two numbers or two strings");
        }
        int res = o == TSK_T_LT ? c < 0 : o == TSK_T_LE ? c <= 0
                : o == TSK_T_GT ? c > 0 : c >= 0;
        return mk_bool(&a, res);
    }
    case TSK_T_PLUS:
        if (a.kind == TSK_V_STRING || b.kind == TSK_V_STRING)
            return concat(p, op, &a, &b);
        if (!is_num(&a) || !is_num(&b))
            return type_error(p, op, o, &a, &b, "two numbers or a string");
        if (a.kind == TSK_V_INT && b.kind == TSK_V_INT) {
            if (__builtin_add_overflow(a.u.i, b.u.i, &r))
                return overflow(p, op, o);
            return mk_int(&a, r);
        }
        return mk_double(p, op, &a, num(&a) + num(&b), o);
    case TSK_T_MINUS:
    case TSK_T_STAR:
        if (!is_num(&a) || !is_num(&b))
            return type_error(p, op, o, &a, &b, "two numbers");
        if (a.kind == TSK_V_INT && b.kind == TSK_V_INT) {
            int ovf = o == TSK_T_MINUS ? __builtin_sub_overflow(a.u.i, b.u.i, &r)
                                       : __builtin_mul_overflow(a.u.i, b.u.i, &r);
            if (ovf)
                return overflow(p, op, o);
            return mk_int(&a, r);
        }
        return mk_double(p, op, &a,
                         o == TSK_T_MINUS ? num(&a) - num(&b)
                                          : num(&a) * num(&b),
                         o);
    case TSK_T_SLASH:
        if (!is_num(&a) || !is_num(&b))
            return type_error(p, op, o, &a, &b, "two numbers");
        if ((b.kind == TSK_V_INT && b.u.i == 0) ||
            (b.kind == TSK_V_DOUBLE && b.u.d == 0)) {
            tsk_diag_error(p->d, op, "division by zero");
            return fail(op);
        }
        if (a.kind == TSK_V_INT && b.kind == TSK_V_INT) {
            if (a.u.i == INT64_MIN && b.u.i == -1)
                return overflow(p, op, o);
            if (a.u.i % b.u.i == 0)
                return mk_int(&a, a.u.i / b.u.i);
            return mk_double(p, op, &a, (double)a.u.i / (double)b.u.i, o);
        }
        return mk_double(p, op, &a, num(&a) / num(&b), o);
    case TSK_T_PERCENT:
        if (a.kind != TSK_V_INT || b.kind != TSK_V_INT)
            return type_error(p, op, o, &a, &b, "two integers");
        if (b.u.i == 0) {
            tsk_diag_error(p->d, op, "division by zero");
            return fail(op);
        }
        if (b.u.i == -1)
            return mk_int(&a, 0);
        return mk_int(&a, a.u.i % b.u.i);
    default:
        tsk_diag_error(p->d, op, "unsupported operator");
        return fail(op);
    }
}

struct tsk_value tsk_op_neg(struct tsk_parser *p, const struct tsk_pos *op,
                            struct tsk_value a)
{
    if (a.kind == TSK_V_INT) {
        if (a.u.i == INT64_MIN) {
            tsk_diag_error(p->d, op, "integer overflow in '-' (64-bit)");
            return fail(op);
        }
        a.u.i = -a.u.i;
        return a;
    }
    if (a.kind == TSK_V_DOUBLE) {
        a.u.d = -a.u.d;
        return a;
    }
    tsk_diag_error(p->d, op, "'-' needs a number, not %s %s", an(a.kind),
                   tsk_vkind_name(a.kind));
    return fail(op);
}

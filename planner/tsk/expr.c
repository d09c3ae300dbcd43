/*
 * expr.c - expressions: parsed and evaluated in one pass (recursive
 * descent, precedence from loosest: ?: || && == != < <= > >= + - * / %
 * unary postfix primary). With p->skip set, an expression is parsed (so
 * syntax errors and unsupported functions are still reported) but not
 * evaluated.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct tsk_value tsk_p__err_value(const struct tsk_pos *pos)
{
    struct tsk_value v = {0};
    memset(&v, 0, sizeof(v));
    v.kind = TSK_V_ERR;
    if (pos)
        v.pos = *pos;
    return v;
}

struct tsk_value tsk_p__null_value(const struct tsk_pos *pos)
{
    struct tsk_value v = {0};
    memset(&v, 0, sizeof(v));
    v.kind = TSK_V_NULL;
    v.pos = *pos;
    return v;
}

/* A token that ends a value position (array item, table value, statement). */
int tsk_p__ends_value(const struct tsk_parser *p)
{
    switch (p->tok.kind) {
    case TSK_T_NEWLINE:
    case TSK_T_SEMI:
    case TSK_T_EOF:
    case TSK_T_COMMA:
    case TSK_T_RBRACKET:
    case TSK_T_RBRACE:
        return 1;
    default:
        return 0;
    }
}

static struct tsk_value range_value(struct tsk_parser *p,
                                    const struct tsk_token *t)
{
    if (t->v.r.lo > t->v.r.hi) {
        if (!p->skip)
            tsk_diag_error(p->d, &t->pos,
                           "range %lld-%lld: min must not exceed max",
                           (long long)t->v.r.lo, (long long)t->v.r.hi);
        return tsk_p__err_value(&t->pos);
    }
    if (p->skip)
        return tsk_p__null_value(&t->pos);
    struct tsk_table *tab = tsk_table_new(p->doc, &t->pos);
    tsk_table_reserve(p->doc, tab, 3);
    struct tsk_entry *e = tsk_table_add(p->doc, tab, "min", 3, &t->pos);
    e->val.kind = TSK_V_INT;
    e->val.pos = t->pos;
    e->val.u.i = t->v.r.lo;
    e = tsk_table_add(p->doc, tab, "max", 3, &t->pos);
    e->val.kind = TSK_V_INT;
    e->val.pos = t->pos;
    e->val.u.i = t->v.r.hi;
    e = tsk_table_add(p->doc, tab, "type", 4, &t->pos);
    e->val.kind = TSK_V_STRING;
    e->val.pos = t->pos;
    e->val.u.str.s = "range";
    e->val.u.str.len = 5;
    tab->is_inline = 1;
    struct tsk_value v = {0};
    v.kind = TSK_V_TABLE;
    v.pos = t->pos;
    v.u.tab = tab;
    return v;
}

static void range_misplaced(struct tsk_parser *p, const struct tsk_token *t)
{
    if (p->skip)
        return;
    const char *s = tsk_tok_text(&p->lx, t);
    tsk_diag_error(p->d, &t->pos,
                   "'%.*s' is a range, which must be the whole value",
                   (int)t->len, s);
    tsk_diag_detail(p->d, "write '%lld - %lld' with spaces to subtract",
                    (long long)t->v.r.lo, (long long)t->v.r.hi);
}

/* Whether the range token t is followed by the end of the value (looking
 * at the source text: spaces, then a separator, a closer or a comment). */
static int range_is_whole(const struct tsk_parser *p, const struct tsk_token *t)
{
    const char *s = p->src->text + t->pos.off + t->len;
    const char *end = p->src->text + p->src->len;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s >= end)
        return 1;
    switch (*s) {
    case '\n':
    case '\r':
    case ';':
    case ',':
    case ']':
    case '}':
    case ')':
    case '#':
        return 1;
    case '/':
        return s + 1 < end && s[1] == '/';
    default:
        return 0;
    }
}

struct tsk_value tsk_p_value(struct tsk_parser *p)
{
    if (p->tok.kind == TSK_T_RANGE && range_is_whole(p, &p->tok)) {
        struct tsk_token t = p->tok;
        tsk_p_next(p);
        return range_value(p, &t);
    }
    /* a range inside a larger expression is reported by primary() */
    return tsk_p_expr(p);
}

/* ---- strings -------------------------------------------------------- */

static struct tsk_value string_value(struct tsk_parser *p)
{
    const struct tsk_token *t = &p->tok;
    if (p->skip)
        return tsk_p__null_value(&t->pos);
    if (t->kind == TSK_T_STRING && !(t->flags & TSK_TF_ESCAPES))
        return tsk_str_value(p->doc, tsk_tok_text(&p->lx, t) + 1, t->len - 2,
                             &t->pos);
    tsk_buf_reset(&p->sbuf);
    tsk_lex_string_value(p->src, t, &p->sbuf);
    return tsk_str_value(p->doc, p->sbuf.ptr, p->sbuf.len, &t->pos);
}

/* ---- names ---------------------------------------------------------- */

static struct tsk_value bare_name(struct tsk_parser *p)
{
    const struct tsk_token *t = &p->tok;
    const char *s = tsk_tok_text(&p->lx, t);
    size_t n = t->len;
    if (n == 4 && memcmp(s, "true", 4) == 0) {
        struct tsk_value v = tsk_p__null_value(&t->pos);
        v.kind = TSK_V_BOOL;
        v.u.b = 1;
        return v;
    }
    if (n == 5 && memcmp(s, "false", 5) == 0) {
        struct tsk_value v = tsk_p__null_value(&t->pos);
        v.kind = TSK_V_BOOL;
        v.u.b = 0;
        return v;
    }
    if (n == 4 && memcmp(s, "null", 4) == 0)
        return tsk_p__null_value(&t->pos);
    if (p->skip)
        return tsk_p__null_value(&t->pos);
    /* the inline tables being built, then the section or block being
     * written (not the ones around it) */
    for (size_t i = p->scopes.n; i-- > 0;) {
        const struct tsk_table *sc = p->scopes.v[i];
        struct tsk_entry *e = tsk_table_findn(sc, s, n);
        if (!e && sc->scratch_ != 1)
            break;
        if (e) {
            struct tsk_value v = e->val;
            if (v.kind == TSK_V_TABLE && !v.u.tab->is_inline)
                v = tsk_value_copy(p->doc, &e->val);
            v.pos = t->pos;
            return v;
        }
    }
    if ((n == 4 && strncmp(s, "True", 4) == 0) ||
        (n == 5 && strncmp(s, "False", 5) == 0) ||
        (n == 4 &&
         (strncmp(s, "NULL", 4) == 0 || strncmp(s, "Null", 4) == 0)) ||
        (n == 4 && strncmp(s, "TRUE", 4) == 0) ||
        (n == 5 && strncmp(s, "FALSE", 5) == 0)) {
        tsk_diag_error(p->d, &t->pos, "unknown name '%.*s'", (int)n, s);
        tsk_diag_detail(p->d, "true, false and null are written in lowercase");
        return tsk_p__err_value(&t->pos);
    }
    tsk_diag_error(p->d, &t->pos, "unknown name '%.*s'", (int)n, s);
    tsk_diag_detail(p->d,
                    "a bare name refers to a key set earlier in this section "
                    "or block; quote it if you meant the string \"%.*s\"",
                    (int)n, s);
    return tsk_p__err_value(&t->pos);
}

static struct tsk_value global_ref(struct tsk_parser *p)
{
    const struct tsk_token *t = &p->tok;
    const char *s = tsk_tok_text(&p->lx, t);
    if (p->skip)
        return tsk_p__null_value(&t->pos);
    struct tsk_entry *e = tsk_table_findn(p->doc->globals, s + 1, t->len - 1);
    if (!e) {
        tsk_diag_error(p->d, &t->pos, "undefined variable '%.*s'", (int)t->len,
                       s);
        tsk_diag_detail(p->d, "a variable must be assigned ($name = ...) "
                              "before it is used");
        return tsk_p__err_value(&t->pos);
    }
    struct tsk_value v = e->val;
    v.pos = t->pos;
    return v;
}

/* ---- arrays and inline tables --------------------------------------- */

/* After an operator inside brackets an operand must follow: a line break
 * there is insignificant. */
static void skip_nl_in_brackets(struct tsk_parser *p)
{
    if (p->nest > 0)
        while (p->tok.kind == TSK_T_NEWLINE)
            tsk_p_next(p);
}

/* ---- primary, postfix, unary ---------------------------------------- */

static struct tsk_value primary(struct tsk_parser *p)
{
    struct tsk_token *t = &p->tok;
    struct tsk_value v = {0};
    switch (t->kind) {
    case TSK_T_INT:
        if (t->flags & TSK_TF_INTMIN) {
            tsk_diag_error(p->d, &t->pos, "integer out of range (64-bit)");
            v = tsk_p__err_value(&t->pos);
        } else {
            v = tsk_p__null_value(&t->pos);
            v.kind = TSK_V_INT;
            v.u.i = t->v.i;
        }
        tsk_p_next(p);
        return v;
    case TSK_T_DOUBLE:
        v = tsk_p__null_value(&t->pos);
        v.kind = TSK_V_DOUBLE;
        v.u.d = t->v.d;
        tsk_p_next(p);
        return v;
    case TSK_T_STRING:
    case TSK_T_TSTRING:
        v = string_value(p);
        tsk_p_next(p);
        return v;
    case TSK_T_IDENT:
        v = bare_name(p);
        tsk_p_next(p);
        return v;
    case TSK_T_GLOBAL:
        v = global_ref(p);
        tsk_p_next(p);
        return v;
    case TSK_T_FUNC:
        return tsk_p_call(p);
    case TSK_T_LBRACKET:
        return tsk_p__array_lit(p);
    case TSK_T_LBRACE:
        return tsk_p__inline_table(p);
    case TSK_T_RANGE: {
        struct tsk_token r = *t;
        range_misplaced(p, &r);
        tsk_p_next(p);
        return tsk_p__err_value(&r.pos);
    }
    case TSK_T_ERROR:
        /* already reported by the lexer: skip the rest of the statement
         * quietly rather than reporting what follows the bad text */
        p->perr = 1;
        return tsk_p__err_value(&t->pos);
    case TSK_T_LPAREN: {
        struct tsk_pos open = t->pos;
        p->paren++;
        p->nest++;
        tsk_p_next(p);
        v = tsk_p_expr(p);
        if (tsk_p_failed(p))
            return v;
        p->paren--;
        if (p->tok.kind != TSK_T_RPAREN) {
            p->paren++;
            tsk_p__unclosed(p, &open, "(");
            p->paren--;
            return tsk_p__err_value(&open);
        }
        p->nest--;
        tsk_p_next(p);
        if (v.kind != TSK_V_ERR)
            v.pos = open;
        return v;
    }
    default:
        tsk_p_syntax(p, &t->pos, "expected a value, found %s",
                     tsk_tok_name(t->kind));
        return tsk_p__err_value(&t->pos);
    }
}

/* The '.key' and '[index]' operators after the primary value v. */
static struct tsk_value postfix_rest(struct tsk_parser *p, struct tsk_value v)
{
    for (;;) {
        if (tsk_p_failed(p))
            return v;
        if (p->tok.kind == TSK_T_DOT) {
            struct tsk_pos op = p->tok.pos;
            tsk_p_next(p);
            if (p->tok.kind != TSK_T_IDENT && p->tok.kind != TSK_T_STRING) {
                tsk_p_syntax(p, &p->tok.pos, "expected a key name after '.'");
                return tsk_p__err_value(&op);
            }
            const char *name = tsk_tok_text(&p->lx, &p->tok);
            size_t len = p->tok.len;
            if (p->tok.kind == TSK_T_STRING) {
                tsk_buf_reset(&p->sbuf);
                tsk_lex_string_value(p->src, &p->tok, &p->sbuf);
                name = p->sbuf.ptr;
                len = p->sbuf.len;
            }
            if (!p->skip && v.kind != TSK_V_ERR) {
                if (v.kind != TSK_V_TABLE) {
                    tsk_diag_error(p->d, &op, "cannot read key '%.*s' of %s %s",
                                   (int)len, name,
                                   v.kind == TSK_V_INT ? "an" : "a",
                                   tsk_vkind_name(v.kind));
                    v = tsk_p__err_value(&op);
                } else {
                    struct tsk_entry *e = tsk_table_findn(v.u.tab, name, len);
                    if (!e) {
                        tsk_diag_error(p->d, &op, "the table has no key '%.*s'",
                                       (int)len, name);
                        v = tsk_p__err_value(&op);
                    } else {
                        struct tsk_pos vp = v.pos;
                        v = e->val;
                        v.pos = vp;
                    }
                }
            }
            tsk_p_next(p);
            continue;
        }
        if (p->tok.kind == TSK_T_LBRACKET) {
            struct tsk_pos op = p->tok.pos;
            p->paren++;
            p->nest++;
            tsk_p_next(p);
            struct tsk_value ix = tsk_p_expr(p);
            if (tsk_p_failed(p))
                return ix;
            p->paren--;
            if (p->tok.kind != TSK_T_RBRACKET) {
                p->paren++;
                tsk_p__unclosed(p, &op, "[");
                p->paren--;
                return tsk_p__err_value(&op);
            }
            p->nest--;
            tsk_p_next(p);
            if (p->skip || v.kind == TSK_V_ERR)
                continue;
            if (ix.kind == TSK_V_ERR) {
                v = ix;
                continue;
            }
            struct tsk_pos vp = v.pos;
            if (v.kind == TSK_V_ARRAY) {
                if (ix.kind != TSK_V_INT) {
                    tsk_diag_error(p->d, &op,
                                   "an array index must be an "
                                   "integer, not %s",
                                   tsk_vkind_name(ix.kind));
                    v = tsk_p__err_value(&op);
                } else if (ix.u.i < 0 || (uint64_t)ix.u.i >= v.u.arr->n) {
                    tsk_diag_error(p->d, &op,
                                   "index %lld is out of range (the array has "
                                   "%zu item%s)",
                                   (long long)ix.u.i, v.u.arr->n,
                                   v.u.arr->n == 1 ? "" : "s");
                    v = tsk_p__err_value(&op);
                } else {
                    v = v.u.arr->v[ix.u.i];
                    v.pos = vp;
                }
            } else if (v.kind == TSK_V_TABLE) {
                if (ix.kind != TSK_V_STRING) {
                    tsk_diag_error(p->d, &op,
                                   "a table index must be a string, "
                                   "not %s",
                                   tsk_vkind_name(ix.kind));
                    v = tsk_p__err_value(&op);
                } else {
                    struct tsk_entry *e =
                        tsk_table_findn(v.u.tab, ix.u.str.s, ix.u.str.len);
                    if (!e) {
                        tsk_diag_error(p->d, &op, "the table has no key '%s'",
                                       ix.u.str.s);
                        v = tsk_p__err_value(&op);
                    } else {
                        v = e->val;
                        v.pos = vp;
                    }
                }
            } else {
                tsk_diag_error(
                    p->d, &op, "cannot index %s %s",
                    v.kind == TSK_V_INT || v.kind == TSK_V_ARRAY ? "an" : "a",
                    tsk_vkind_name(v.kind));
                v = tsk_p__err_value(&op);
            }
            continue;
        }
        return v;
    }
}

static struct tsk_value unary1(struct tsk_parser *p);

static struct tsk_value unary(struct tsk_parser *p)
{
    if (tsk_p_failed(p)) /* the statement reports its first error only */
        return tsk_p__err_value(&p->tok.pos);
    if (p->depth >= TSK_MAX_DEPTH) {
        tsk_p_syntax(p, &p->tok.pos, "nesting too deep (more than %d levels)",
                     TSK_MAX_DEPTH);
        return tsk_p__err_value(&p->tok.pos);
    }
    p->depth++;
    struct tsk_value v = unary1(p);
    p->depth--;
    return v;
}

static struct tsk_value unary1(struct tsk_parser *p)
{
    if (p->tok.kind == TSK_T_NOT) {
        struct tsk_pos op = p->tok.pos;
        tsk_p_next(p);
        skip_nl_in_brackets(p);
        struct tsk_value a = unary(p);
        if (tsk_p_failed(p) || p->skip || a.kind == TSK_V_ERR)
            return a;
        if (a.kind != TSK_V_BOOL) {
            tsk_diag_error(p->d, &op, "'!' needs a boolean, not %s %s",
                           a.kind == TSK_V_INT || a.kind == TSK_V_ARRAY ? "an"
                                                                        : "a",
                           tsk_vkind_name(a.kind));
            tsk_diag_detail(p->d, "there is no truthiness: compare "
                                  "explicitly, e.g. x == 0");
            return tsk_p__err_value(&op);
        }
        a.u.b = !a.u.b;
        a.pos = op;
        return a;
    }
    if (p->tok.kind == TSK_T_MINUS) {
        struct tsk_pos op = p->tok.pos;
        tsk_p_next(p);
        skip_nl_in_brackets(p);
        if (p->tok.kind == TSK_T_INT && (p->tok.flags & TSK_TF_INTMIN) &&
            p->tok.pos.off == op.off + 1) {
            struct tsk_value v = tsk_p__null_value(&op);
            v.kind = TSK_V_INT;
            v.u.i = INT64_MIN;
            tsk_p_next(p);
            return v;
        }
        struct tsk_value a = unary(p);
        if (tsk_p_failed(p) || p->skip || a.kind == TSK_V_ERR)
            return a;
        a = tsk_op_neg(p, &op, a);
        if (a.kind != TSK_V_ERR)
            a.pos = op;
        return a;
    }
    return postfix_rest(p, primary(p));
}

/* ---- binary levels -------------------------------------------------- */

static struct tsk_value binary_level(struct tsk_parser *p, int level);

int tsk_p__level_of(enum tsk_tok k)
{
    switch (k) {
    case TSK_T_OR:
        return 1;
    case TSK_T_AND:
        return 2;
    case TSK_T_EQ:
    case TSK_T_NE:
        return 3;
    case TSK_T_LT:
    case TSK_T_LE:
    case TSK_T_GT:
    case TSK_T_GE:
        return 4;
    case TSK_T_PLUS:
    case TSK_T_MINUS:
        return 5;
    case TSK_T_STAR:
    case TSK_T_SLASH:
    case TSK_T_PERCENT:
        return 6;
    default:
        return 0;
    }
}

/* Precedence climbing: parses operators of level >= min, left-associative;
 * the right operand of a level-L operator is parsed at level L + 1. */
static struct tsk_value binary_rest(struct tsk_parser *p, int min,
                                    struct tsk_value a);

static struct tsk_value binary_level(struct tsk_parser *p, int min)
{
    return binary_rest(p, min, unary(p));
}

/* The operators of level >= min after the left operand a. */
static struct tsk_value binary_rest(struct tsk_parser *p, int min,
                                    struct tsk_value a)
{
    int last_cmp = 0; /* level of the comparison applied last, if any */
    for (;;) {
        if (tsk_p_failed(p))
            return a;
        int level = tsk_p__level_of(p->tok.kind);
        if (!level || level < min)
            return a;
        enum tsk_tok op = p->tok.kind;
        struct tsk_pos opos = p->tok.pos;
        if (level == 3 || level == 4) {
            if (last_cmp == level) {
                tsk_p_syntax(p, &opos, "comparisons do not chain");
                tsk_diag_detail(p->d, "combine them with && or ||, or use "
                                      "parentheses");
                return tsk_p__err_value(&opos);
            }
            last_cmp = level;
        }
        tsk_p_next(p);
        skip_nl_in_brackets(p);
        if (level <= 2) {
            /* && and ||: booleans only, short-circuit */
            int bad = 0, decided = 0;
            if (!p->skip && a.kind != TSK_V_ERR) {
                if (a.kind != TSK_V_BOOL)
                    bad = 1;
                else if ((op == TSK_T_OR) == (a.u.b != 0))
                    decided = 1;
            }
            if (decided || a.kind == TSK_V_ERR)
                p->skip++;
            struct tsk_value b = binary_level(p, level + 1);
            if (decided || a.kind == TSK_V_ERR)
                p->skip--;
            if (tsk_p_failed(p))
                return b;
            if (p->skip || a.kind == TSK_V_ERR || decided)
                continue;
            if (!bad && b.kind == TSK_V_ERR) {
                a = b;
                continue;
            }
            if (bad || b.kind != TSK_V_BOOL) {
                const struct tsk_value *w = bad ? &a : &b;
                tsk_diag_error(
                    p->d, &opos,
                    "'%s' needs booleans, but its %s operand is "
                    "%s %s",
                    op == TSK_T_OR ? "||" : "&&", bad ? "left" : "right",
                    w->kind == TSK_V_INT || w->kind == TSK_V_ARRAY ? "an" : "a",
                    tsk_vkind_name(w->kind));
                tsk_diag_detail(p->d, "there is no truthiness: compare "
                                      "explicitly, e.g. x != 0");
                a = tsk_p__err_value(&opos);
                continue;
            }
            struct tsk_pos ap = a.pos;
            a = b;
            a.pos = ap;
            continue;
        }
        struct tsk_value b = binary_level(p, level + 1);
        if (tsk_p_failed(p))
            return b;
        if (p->skip || a.kind == TSK_V_ERR)
            continue;
        if (b.kind == TSK_V_ERR) {
            a = b;
            continue;
        }
        a = tsk_op_binary(p, op, &opos, a, b);
    }
}

/* Whether the current token ends a value that is a lone literal (the
 * common case: a value followed by a line break, ',' or a closing
 * bracket), so that no operator can follow. */
static int ends_literal(const struct tsk_parser *p)
{
    switch (p->tok.kind) {
    case TSK_T_NEWLINE:
    case TSK_T_COMMA:
    case TSK_T_SEMI:
    case TSK_T_RBRACE:
    case TSK_T_RBRACKET:
    case TSK_T_RPAREN:
    case TSK_T_EOF:
        return 1;
    default:
        return 0;
    }
}

/* The first operand of an expression: a literal is read directly (what
 * unary -> postfix -> primary would do), then the operators after it are
 * parsed as usual unless the value ends right there. */
static struct tsk_value first_operand(struct tsk_parser *p)
{
    enum tsk_tok k = p->tok.kind;
    if (k != TSK_T_STRING && k != TSK_T_TSTRING && k != TSK_T_DOUBLE &&
        (k != TSK_T_INT || (p->tok.flags & TSK_TF_INTMIN)))
        return binary_level(p, 1);
    if (tsk_p_failed(p) || p->depth >= TSK_MAX_DEPTH)
        return binary_level(p, 1); /* reports as unary() does */
    struct tsk_value v;
    if (k == TSK_T_INT) {
        v = tsk_p__null_value(&p->tok.pos);
        v.kind = TSK_V_INT;
        v.u.i = p->tok.v.i;
    } else if (k == TSK_T_DOUBLE) {
        v = tsk_p__null_value(&p->tok.pos);
        v.kind = TSK_V_DOUBLE;
        v.u.d = p->tok.v.d;
    } else {
        v = string_value(p);
    }
    tsk_p_next(p);
    if (ends_literal(p))
        return v;
    p->depth++; /* as in unary(), around the postfix operators */
    v = postfix_rest(p, v);
    p->depth--;
    return binary_rest(p, 1, v);
}

struct tsk_value tsk_p_expr(struct tsk_parser *p)
{
    struct tsk_value c = first_operand(p);
    if (tsk_p_failed(p) || p->tok.kind != TSK_T_QUESTION)
        return c;
    struct tsk_pos q = p->tok.pos;
    int take = -1; /* -1: evaluate neither branch */
    if (p->depth >= TSK_MAX_DEPTH) {
        tsk_p_syntax(p, &q, "nesting too deep (more than %d levels)",
                     TSK_MAX_DEPTH);
        return tsk_p__err_value(&q);
    }
    if (!p->skip && c.kind != TSK_V_ERR) {
        if (c.kind != TSK_V_BOOL) {
            tsk_diag_error(
                p->d, &q, "the condition of '?:' must be a boolean, not %s %s",
                c.kind == TSK_V_INT || c.kind == TSK_V_ARRAY ? "an" : "a",
                tsk_vkind_name(c.kind));
            tsk_diag_detail(p->d, "there is no truthiness: compare "
                                  "explicitly, e.g. $n != 0 ? 1 : 2");
        } else {
            take = c.u.b ? 1 : 0;
        }
    }
    tsk_p_next(p);
    skip_nl_in_brackets(p);
    if (take != 1)
        p->skip++;
    p->depth++;
    struct tsk_value a = tsk_p_expr(p);
    p->depth--;
    if (take != 1)
        p->skip--;
    if (tsk_p_failed(p))
        return a;
    if (p->tok.kind != TSK_T_COLON) {
        tsk_p_syntax(p, &p->tok.pos, "expected ':' of '?:', found %s",
                     tsk_tok_name(p->tok.kind));
        return tsk_p__err_value(&q);
    }
    tsk_p_next(p);
    skip_nl_in_brackets(p);
    if (take != 0)
        p->skip++;
    p->depth++;
    struct tsk_value b = tsk_p_expr(p);
    p->depth--;
    if (take != 0)
        p->skip--;
    if (tsk_p_failed(p))
        return b;
    if (p->skip)
        return tsk_p__null_value(&c.pos);
    if (take < 0)
        return tsk_p__err_value(&q);
    struct tsk_value r = take ? a : b;
    return r;
}

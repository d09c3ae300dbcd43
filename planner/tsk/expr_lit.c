/*
 * expr_lit.c - the collection literals of expressions: arrays and inline
 * tables (items separated by commas and/or newlines, each item reporting
 * its own first error), split from expr.c, which calls them from primary().
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Skips newlines, then one optional comma and the newlines after it.
 * Returns 1 when a separator was seen. */
static int separator(struct tsk_parser *p)
{
    int seen = 0;
    while (p->tok.kind == TSK_T_NEWLINE) {
        seen = 1;
        tsk_p_next(p);
    }
    if (p->tok.kind == TSK_T_COMMA) {
        seen = 1;
        tsk_p_next(p);
        while (p->tok.kind == TSK_T_NEWLINE)
            tsk_p_next(p);
    }
    return seen;
}

void tsk_p__unclosed(struct tsk_parser *p, const struct tsk_pos *open,
                     const char *what)
{
    tsk_p_syntax(p, open, "unclosed '%s'", what);
    const char *close = what[0] == '[' ? "]" : what[0] == '{' ? "}" : ")";
    if (p->tok.kind == TSK_T_EOF)
        tsk_diag_detail(p->d, "expected '%s' before the end of the file",
                        close);
    else
        tsk_diag_detail(p->d, "expected '%s' before %s at line %u", close,
                        tsk_tok_name(p->tok.kind), p->tok.pos.line);
}

/* An array item or inline-table entry reports its own first error: after
 * an evaluation error ended it (p->efail), skips the rest of it quietly, to
 * the ',' or line break that ends it or the bracket that closes the list
 * (an operator at the end of a line continues the item). nest is p->nest
 * when the item began; paren is the list's (0). */
static void skip_item(struct tsk_parser *p, int nest)
{
    int depth = p->nest - nest, cont = 0;
    struct tsk_diags *lexd = p->lx.diags;
    p->lx.diags = NULL;
    p->paren = 0;
    while (p->tok.kind != TSK_T_EOF) {
        enum tsk_tok k = p->tok.kind;
        int closer =
            k == TSK_T_RBRACKET || k == TSK_T_RBRACE || k == TSK_T_RPAREN;
        if (depth <= 0 && (closer || k == TSK_T_COMMA || k == TSK_T_SEMI ||
                           (k == TSK_T_NEWLINE && !cont)))
            break;
        if (k == TSK_T_LBRACE || k == TSK_T_LBRACKET || k == TSK_T_LPAREN)
            depth++;
        else if (closer)
            depth--;
        if (k != TSK_T_NEWLINE)
            cont = tsk_p__level_of(k) || k == TSK_T_NOT ||
                   k == TSK_T_QUESTION || k == TSK_T_COLON || k == TSK_T_DOT;
        tsk_p_next(p);
    }
    p->lx.diags = lexd;
    p->nest = nest;
    p->perr = p->efail = 0;
}

/* After an item of a list that close ends: 1 when the list is closed here,
 * 0 when a separator leads to the next item, -1 (error reported) when
 * neither follows. */
static int item_next(struct tsk_parser *p, enum tsk_tok close,
                     const struct tsk_pos *open, const char *what)
{
    if (p->tok.kind == close)
        return 1;
    if (separator(p))
        return 0;
    if (p->tok.kind == TSK_T_EOF)
        tsk_p__unclosed(p, open, close == TSK_T_RBRACKET ? "[" : "{");
    else
        tsk_p_syntax(p, &p->tok.pos, "expected ',' or '%c' in %s, found %s",
                     close == TSK_T_RBRACKET ? ']' : '}', what,
                     tsk_tok_name(p->tok.kind));
    return -1;
}

struct tsk_value tsk_p__array_lit(struct tsk_parser *p)
{
    struct tsk_pos open = p->tok.pos;
    int saved_paren = p->paren;
    TSK_ARRAY(struct tsk_value) items = {0};
    struct tsk_value items_small[16];
    size_t nsmall = 0;
    int failed = 0, outer_nerr = p->stmt_nerr;
    p->paren = 0;
    p->nest++;
    tsk_p_next(p);
    separator(p);
    while (p->tok.kind != TSK_T_RBRACKET) {
        if (p->tok.kind == TSK_T_EOF) {
            tsk_p__unclosed(p, &open, "[");
            goto out;
        }
        int item_nest = p->nest;
        p->stmt_nerr = p->d->nerr; /* the item reports its own first error */
        struct tsk_value v = tsk_p_value(p);
        if (tsk_p_failed(p)) {
            if (!p->efail) /* a syntax error: the statement recovers */
                goto out;
            skip_item(p, item_nest);
            v.kind = TSK_V_ERR;
        }
        if (v.kind == TSK_V_ERR)
            failed = 1;
        p->cat_s = NULL; /* the item is stored */
        if (!p->skip && !failed) {
            if (nsmall < 16 && items.n == 0) {
                items_small[nsmall++] = v;
            } else {
                if (items.n == 0) {
                    TSK_ARRAY_GROW(items, 32);
                    memcpy(items.v, items_small, nsmall * sizeof(v));
                    items.n = nsmall;
                }
                *TSK_ARRAY_PUSH(items) = v;
            }
        }
        int end = item_next(p, TSK_T_RBRACKET, &open, "array");
        if (end > 0)
            break;
        if (end < 0)
            goto out;
    }
    p->stmt_nerr = outer_nerr;
    p->nest--;
    p->paren = saved_paren;
    tsk_p_next(p);
    if (failed) {
        TSK_ARRAY_FREE(items);
        return tsk_p__err_value(&open);
    }
    if (p->skip) {
        TSK_ARRAY_FREE(items);
        return tsk_p__null_value(&open);
    }
    size_t n = items.n ? items.n : nsmall;
    struct tsk_array *a = tsk_array_new(p->doc, n);
    if (n)
        memcpy(a->v, items.n ? items.v : items_small, n * sizeof(*a->v));
    TSK_ARRAY_FREE(items);
    struct tsk_value v = {0};
    v.kind = TSK_V_ARRAY;
    v.pos = open;
    v.u.arr = a;
    return v;
out:
    TSK_ARRAY_FREE(items);
    p->stmt_nerr = outer_nerr;
    p->paren = saved_paren;
    return tsk_p__err_value(&open);
}

/* An inline table collects its entries in a reused buffer (one per nesting
 * depth) and gets an exactly sized arena copy when it is complete. */
static void itab_begin(struct tsk_parser *p, struct tsk_table *t)
{
    if (p->ipool.n <= p->idepth)
        TSK_ARRAY_PUSH(p->ipool);
    struct tsk_table *slot = &p->ipool.v[p->idepth++];
    t->e = slot->e;
    t->cap_ = slot->cap_;
    t->n = 0;
    t->scratch_ = 1;
}

static void itab_end(struct tsk_parser *p, struct tsk_table *t, int keep)
{
    struct tsk_table *slot = &p->ipool.v[--p->idepth];
    struct tsk_entry *buf = t->e;
    slot->e = buf;
    slot->cap_ = t->cap_;
    t->scratch_ = 0;
    if (keep && t->n) {
        t->e = tsk_arena_alloc(&p->doc->arena, t->n * sizeof(*t->e));
        memcpy(t->e, buf, t->n * sizeof(*t->e));
        t->cap_ = t->n;
    } else {
        t->e = NULL;
        t->n = t->cap_ = 0;
    }
}

struct tsk_value tsk_p__inline_table(struct tsk_parser *p)
{
    struct tsk_pos open = p->tok.pos;
    int saved_paren = p->paren, failed = 0, outer_nerr = p->stmt_nerr;
    struct tsk_table *t = p->skip ? NULL : tsk_table_new(p->doc, &open);
    size_t kbase = p->keys.n;
    p->paren = 0;
    p->nest++;
    if (t) {
        itab_begin(p, t);
        *TSK_ARRAY_PUSH(p->scopes) = t;
    }
    tsk_p_next(p);
    separator(p);
    while (p->tok.kind != TSK_T_RBRACE) {
        int item_nest = p->nest;
        p->stmt_nerr = p->d->nerr; /* the entry reports its own first error */
        if (p->tok.kind != TSK_T_IDENT && p->tok.kind != TSK_T_STRING) {
            if (p->tok.kind == TSK_T_EOF || p->tok.kind == TSK_T_LBRACKET)
                tsk_p__unclosed(p, &open, "{");
            else if (p->tok.kind != TSK_T_ERROR)
                tsk_p_syntax(p, &p->tok.pos,
                             "expected a key or '}' in inline table, found %s",
                             tsk_tok_name(p->tok.kind));
            else
                p->perr = 1;
            goto out;
        }
        int base = tsk_p_keypath(p);
        if (base < 0)
            goto out;
        if (p->tok.kind != TSK_T_ASSIGN && p->tok.kind != TSK_T_COLON) {
            if (p->tok.kind == TSK_T_LBRACE || p->tok.kind == TSK_T_GT)
                tsk_p__unclosed(p, &open, "{");
            else
                tsk_p_syntax(p, &p->tok.pos,
                             "expected '=' or ':' after key, found %s",
                             tsk_tok_name(p->tok.kind));
            goto out;
        }
        struct tsk_pos sep = p->tok.pos;
        char sepc = p->tok.kind == TSK_T_COLON ? ':' : '=';
        tsk_p_next(p);
        if (tsk_p__ends_value(p)) {
            tsk_p_syntax(p, &sep, "missing value after '%c'", sepc);
            goto out;
        }
        struct tsk_value v = tsk_p_value(p);
        if (tsk_p_failed(p)) {
            if (!p->efail) /* a syntax error: the statement recovers */
                goto out;
            skip_item(p, item_nest);
            v.kind = TSK_V_ERR;
        }
        if (v.kind == TSK_V_ERR)
            failed = 1;
        else if (t && tsk_p_assign(p, t, (size_t)base, v) < 0)
            failed = 1;
        p->keys.n = kbase;
        int end = item_next(p, TSK_T_RBRACE, &open, "inline table");
        if (end > 0)
            break;
        if (end < 0)
            goto out;
    }
    p->stmt_nerr = outer_nerr;
    p->nest--;
    p->paren = saved_paren;
    if (t) {
        p->scopes.n--;
        itab_end(p, t, !failed);
    }
    tsk_p_next(p);
    if (failed)
        return tsk_p__err_value(&open);
    if (!t)
        return tsk_p__null_value(&open);
    t->is_inline = 1;
    struct tsk_value v = {0};
    v.kind = TSK_V_TABLE;
    v.pos = open;
    v.u.tab = t;
    return v;
out:
    p->stmt_nerr = outer_nerr;
    p->paren = saved_paren;
    p->keys.n = kbase;
    if (t) {
        p->scopes.n--;
        itab_end(p, t, 0);
    }
    return tsk_p__err_value(&open);
}

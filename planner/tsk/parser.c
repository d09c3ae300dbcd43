/*
 * parser.c - statements: sections, blocks, key paths, assignments and
 * globals, with recovery at the next statement after a syntax error.
 * Values are evaluated as they are parsed (expr.c), statement by statement,
 * so bare names and globals see exactly what was assigned before them.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum body { BODY_TOP, BODY_BRACE, BODY_ANGLE };

const char *tsk_pos_str(const struct tsk_pos *pos)
{
    static _Thread_local char bufs[4][256];
    static _Thread_local int k;
    char *b = bufs[k++ & 3];
    if (!pos->src)
        snprintf(b, 256, "(unknown)");
    else
        snprintf(b, 256, "%s:%u:%u", pos->src->name, pos->line, pos->col);
    return b;
}

void tsk_p_next(struct tsk_parser *p)
{
    do
        tsk_lex_next(&p->lx, &p->tok);
    while (p->paren > 0 && p->tok.kind == TSK_T_NEWLINE);
}

void tsk_p_syntax(struct tsk_parser *p, const struct tsk_pos *at,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tsk_diags_add(p->d, TSK_SEV_ERROR, at, fmt, ap);
    va_end(ap);
    p->perr = 1;
}

/* Skips to the end of the current statement (at bracket depth 0) quietly:
 * the statement has reported its error, and what follows it in the
 * statement (even a bad token) reports nothing more. */
static void sync(struct tsk_parser *p, enum body kind)
{
    int nest = p->nest;
    struct tsk_diags *lexd = p->lx.diags;
    p->lx.diags = NULL;
    p->paren = 0;
    while (p->tok.kind != TSK_T_EOF) {
        enum tsk_tok k = p->tok.kind;
        if (nest <= 0 && (k == TSK_T_NEWLINE || k == TSK_T_SEMI))
            break;
        if (nest <= 0 && k == TSK_T_RBRACE && kind == BODY_BRACE)
            break;
        if (k == TSK_T_LBRACE || k == TSK_T_LBRACKET || k == TSK_T_LPAREN)
            nest++;
        else if (k == TSK_T_RBRACE || k == TSK_T_RBRACKET || k == TSK_T_RPAREN)
            nest--;
        tsk_p_next(p);
    }
    p->lx.diags = lexd;
    p->nest = 0;
    p->perr = p->efail = 0;
}

/* ---- key paths and assignment --------------------------------------- */

int tsk_p_keypath(struct tsk_parser *p)
{
    size_t base = p->keys.n;
    for (;;) {
        struct tsk_keypart *k;
        if (p->tok.kind == TSK_T_IDENT) {
            k = TSK_ARRAY_PUSH(p->keys);
            k->s = tsk_tok_text(&p->lx, &p->tok);
            k->len = p->tok.len;
        } else if (p->tok.kind == TSK_T_STRING) {
            k = TSK_ARRAY_PUSH(p->keys);
            if (p->tok.flags & TSK_TF_ESCAPES) {
                tsk_buf_reset(&p->sbuf);
                tsk_lex_string_value(p->src, &p->tok, &p->sbuf);
                k->s = tsk_arena_strndup(&p->doc->arena, p->sbuf.ptr,
                                         p->sbuf.len);
                k->len = p->sbuf.len;
                if (memchr(k->s, '\0', k->len)) {
                    tsk_p_syntax(p, &p->tok.pos, "a key cannot contain a NUL "
                                                 "character");
                    p->keys.n = base;
                    return -1;
                }
            } else {
                k->s = tsk_tok_text(&p->lx, &p->tok) + 1;
                k->len = p->tok.len - 2;
            }
        } else {
            if (p->tok.kind == TSK_T_ERROR)
                p->perr = 1; /* reported by the lexer */
            else if (p->keys.n > base)
                tsk_p_syntax(p, &p->tok.pos, "expected a key after '.', "
                                             "found %s",
                             tsk_tok_name(p->tok.kind));
            else
                tsk_p_syntax(p, &p->tok.pos, "expected a key, found %s",
                             tsk_tok_name(p->tok.kind));
            p->keys.n = base;
            return -1;
        }
        k->pos = p->tok.pos;
        tsk_p_next(p);
        if (p->tok.kind != TSK_T_DOT)
            return (int)base;
        tsk_p_next(p);
    }
}

/* The path text "a.b.c" of keys[base..upto] for messages. */
static const char *path_text(struct tsk_parser *p, size_t base, size_t upto)
{
    static _Thread_local char buf[512];
    size_t n = 0;
    for (size_t i = base; i <= upto && n < sizeof(buf) - 1; i++) {
        const struct tsk_keypart *k = &p->keys.v[i];
        int w = snprintf(buf + n, sizeof(buf) - n, "%s%.*s", i > base ? "." : "",
                         (int)k->len, k->s);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    if (n >= sizeof(buf))
        n = sizeof(buf) - 1;
    buf[n] = '\0';
    return buf;
}

/* Walks (creating) the tables of keys[base..end) below t. Returns the last
 * table, or NULL (error reported). */
static struct tsk_table *walk(struct tsk_parser *p, struct tsk_table *t,
                              size_t base, size_t end)
{
    for (size_t i = base; i < end; i++) {
        const struct tsk_keypart *k = &p->keys.v[i];
        struct tsk_entry *e = tsk_table_findn(t, k->s, k->len);
        if (!e) {
            struct tsk_table *n = tsk_table_new(p->doc, &k->pos);
            e = tsk_table_add(p->doc, t, k->s, k->len, &k->pos);
            e->val.kind = TSK_V_TABLE;
            e->val.pos = k->pos;
            e->val.u.tab = n;
            t = n;
            continue;
        }
        if (e->val.kind != TSK_V_TABLE) {
            tsk_diag_error(p->d, &k->pos,
                           "cannot add keys below '%s': it is %s %s (set at %s)",
                           path_text(p, base, i),
                           e->val.kind == TSK_V_INT || e->val.kind == TSK_V_ARRAY
                               ? "an" : "a",
                           tsk_vkind_name(e->val.kind),
                           tsk_pos_str(&e->key_pos));
            return NULL;
        }
        if (e->val.u.tab->is_inline) {
            tsk_diag_error(p->d, &k->pos,
                           "cannot add keys to '%s': it is an inline table "
                           "(set at %s), and inline tables are complete",
                           path_text(p, base, i), tsk_pos_str(&e->key_pos));
            tsk_diag_detail(p->d, "put every key inside its { ... }, or write "
                                  "it as a section or block");
            return NULL;
        }
        t = e->val.u.tab;
    }
    return t;
}

int tsk_p_assign(struct tsk_parser *p, struct tsk_table *t, size_t base,
                 struct tsk_value val)
{
    size_t end = p->keys.n;
    p->cat_s = NULL; /* a stored string is never extended in place */
    int rc = -1;
    t = walk(p, t, base, end - 1);
    if (!t)
        goto out;
    const struct tsk_keypart *k = &p->keys.v[end - 1];
    struct tsk_entry *e = tsk_table_findn(t, k->s, k->len);
    if (!e) {
        e = tsk_table_add(p->doc, t, k->s, k->len, &k->pos);
        e->val = val;
        rc = 0;
        goto out;
    }
    if (e->key_pos.src != p->src && e->key_pos.src) {
        tsk_diag_error(p->d, &k->pos,
                       "key '%s' is already set in another file, at %s",
                       path_text(p, base, end - 1), tsk_pos_str(&e->key_pos));
        tsk_diag_detail(p->d, "the files of a configuration merge into one "
                              "document: set each key in one file only");
        goto out;
    }
    tsk_diag_warning(p->d, &k->pos,
                     "duplicate key '%s': this value replaces the one set "
                     "at %s",
                     path_text(p, base, end - 1), tsk_pos_str(&e->key_pos));
    e->val = val;
    rc = 0;
out:
    p->keys.n = base;
    return rc;
}

/* Opens (creating or merging) the table at keys[base..] below t, for a
 * section header or a block. NULL on error (reported). Pops the path. */
static struct tsk_table *open_table(struct tsk_parser *p, struct tsk_table *t,
                                    size_t base)
{
    t = walk(p, t, base, p->keys.n);
    p->keys.n = base;
    return t;
}

/* ---- statements ----------------------------------------------------- */

static int at_statement_end(const struct tsk_parser *p, enum body kind)
{
    enum tsk_tok k = p->tok.kind;
    return k == TSK_T_NEWLINE || k == TSK_T_SEMI || k == TSK_T_EOF ||
           (k == TSK_T_RBRACE && kind == BODY_BRACE);
}

static void expect_statement_end(struct tsk_parser *p, enum body kind,
                                 const char *after)
{
    if (tsk_p_failed(p) || at_statement_end(p, kind))
        return;
    if (p->tok.kind == TSK_T_ERROR) {
        p->perr = 1;
        return;
    }
    tsk_p_syntax(p, &p->tok.pos, "expected end of line after %s, found %s",
                 after, tsk_tok_name(p->tok.kind));
}

static void parse_body(struct tsk_parser *p, struct tsk_table *cur,
                       enum body kind, const struct tsk_pos *opener);

static void global_statement(struct tsk_parser *p, enum body kind)
{
    struct tsk_token name = p->tok;
    tsk_p_next(p);
    if (p->tok.kind == TSK_T_DOT) {
        tsk_p_syntax(p, &p->tok.pos, "a variable name cannot be dotted");
        return;
    }
    if (p->tok.kind != TSK_T_ASSIGN && p->tok.kind != TSK_T_COLON) {
        tsk_p_syntax(p, &p->tok.pos, "expected '=' after variable %.*s, "
                                     "found %s",
                     (int)name.len, tsk_tok_text(&p->lx, &name),
                     tsk_tok_name(p->tok.kind));
        return;
    }
    struct tsk_pos sep = p->tok.pos;
    char sepc = p->tok.kind == TSK_T_COLON ? ':' : '=';
    tsk_p_next(p);
    if (at_statement_end(p, kind) || p->tok.kind == TSK_T_RBRACE) {
        tsk_p_syntax(p, &sep, "missing value after '%c'", sepc);
        return;
    }
    struct tsk_value v = tsk_p_value(p);
    expect_statement_end(p, kind, "the value");
    if (p->perr || v.kind == TSK_V_ERR)
        return;
    const char *s = tsk_tok_text(&p->lx, &name) + 1;
    p->cat_s = NULL;
    struct tsk_entry *e = tsk_table_findn(p->doc->globals, s, name.len - 1);
    if (e) {
        tsk_diag_warning(p->d, &name.pos,
                         "variable $%.*s is assigned again: this value "
                         "replaces the one set at %s",
                         (int)name.len - 1, s, tsk_pos_str(&e->key_pos));
        e->key_pos = name.pos;
    } else {
        e = tsk_table_add(p->doc, p->doc->globals, s, name.len - 1, &name.pos);
    }
    e->val = v;
}

static void key_statement(struct tsk_parser *p, struct tsk_table *cur,
                          enum body kind)
{
    int b = tsk_p_keypath(p);
    if (b < 0)
        return;
    size_t base = (size_t)b;
    enum tsk_tok k = p->tok.kind;
    if (k == TSK_T_ASSIGN || k == TSK_T_COLON) {
        struct tsk_pos sep = p->tok.pos;
        tsk_p_next(p);
        if (at_statement_end(p, kind) || p->tok.kind == TSK_T_RBRACE ||
            p->tok.kind == TSK_T_COMMENT) {
            tsk_p_syntax(p, &sep, "missing value after '%c'",
                         k == TSK_T_COLON ? ':' : '=');
            p->keys.n = base;
            return;
        }
        struct tsk_value v = tsk_p_value(p);
        expect_statement_end(p, kind, "the value");
        if (p->perr || v.kind == TSK_V_ERR) {
            p->keys.n = base;
            return;
        }
        tsk_p_assign(p, cur, base, v);
        return;
    }
    if (k == TSK_T_LBRACE || k == TSK_T_GT) {
        struct tsk_pos open = p->tok.pos;
        struct tsk_table *t = open_table(p, cur, base);
        if (!t) /* error reported: parse the body into a throwaway table */
            t = tsk_table_new(p->doc, &open);
        tsk_p_next(p);
        if (k == TSK_T_GT) {
            if (p->tok.kind != TSK_T_NEWLINE && p->tok.kind != TSK_T_EOF) {
                tsk_p_syntax(p, &p->tok.pos,
                             "'>' opens a block and must end its line; found "
                             "%s after it",
                             tsk_tok_name(p->tok.kind));
                return;
            }
        }
        if (p->depth >= TSK_MAX_DEPTH) {
            tsk_p_syntax(p, &open, "blocks nested too deep (more than %d "
                                   "levels)", TSK_MAX_DEPTH);
            p->halt = 1; /* the rest cannot be read reliably */
            return;
        }
        *TSK_ARRAY_PUSH(p->scopes) = t;
        p->depth++;
        parse_body(p, t, k == TSK_T_LBRACE ? BODY_BRACE : BODY_ANGLE, &open);
        p->depth--;
        p->scopes.n--;
        expect_statement_end(p, kind, "the block");
        return;
    }
    p->keys.n = base;
    if (k == TSK_T_ERROR) {
        p->perr = 1;
        return;
    }
    tsk_p_syntax(p, &p->tok.pos, "expected '=', ':', '{' or '>' after the "
                                 "key, found %s",
                 tsk_tok_name(k));
}

static struct tsk_table *section_header(struct tsk_parser *p)
{
    struct tsk_pos open = p->tok.pos;
    tsk_p_next(p);
    if (p->tok.kind == TSK_T_LBRACKET && p->tok.pos.off == open.off + 1) {
        tsk_p_syntax(p, &open, "arrays of tables ([[...]]) are not supported");
        tsk_diag_detail(p->d, "use an array of inline tables: "
                              "name = [{ ... }, { ... }]");
        return NULL;
    }
    int b = tsk_p_keypath(p);
    if (b < 0)
        return NULL;
    if (p->tok.kind != TSK_T_RBRACKET) {
        p->keys.n = (size_t)b;
        if (p->tok.kind == TSK_T_ERROR)
            p->perr = 1;
        else
            tsk_p_syntax(p, &p->tok.pos, "expected ']' to end the section "
                                         "header, found %s",
                         tsk_tok_name(p->tok.kind));
        return NULL;
    }
    tsk_p_next(p);
    if (p->tok.kind != TSK_T_NEWLINE && p->tok.kind != TSK_T_EOF &&
        p->tok.kind != TSK_T_SEMI) {
        p->keys.n = (size_t)b;
        tsk_p_syntax(p, &p->tok.pos, "expected end of line after the section "
                                     "header, found %s",
                     tsk_tok_name(p->tok.kind));
        return NULL;
    }
    return open_table(p, p->doc->root, (size_t)b);
}

static void parse_body(struct tsk_parser *p, struct tsk_table *cur,
                       enum body kind, const struct tsk_pos *opener)
{
    int bol = 1; /* at the beginning of a line */
    for (;;) {
        if (p->d->max_errors && p->d->nerr > p->d->max_errors)
            p->halt = 1;
        if (p->halt)
            return;
        p->stmt_nerr = p->d->nerr;
        switch (p->tok.kind) {
        case TSK_T_NEWLINE:
            bol = 1;
            tsk_p_next(p);
            continue;
        case TSK_T_SEMI:
            bol = 0;
            tsk_p_next(p);
            continue;
        case TSK_T_EOF:
            if (kind != BODY_TOP)
                tsk_diag_error(p->d, opener, "unclosed block: expected '%s' "
                                             "before the end of the file",
                               kind == BODY_BRACE ? "}" : "<");
            return;
        case TSK_T_RBRACE:
            if (kind == BODY_BRACE) {
                tsk_p_next(p);
                return;
            }
            tsk_p_syntax(p, &p->tok.pos, "unexpected '}': no block is open");
            tsk_p_next(p);
            break;
        case TSK_T_LT:
            if (kind == BODY_ANGLE) {
                struct tsk_pos lt = p->tok.pos;
                tsk_p_next(p);
                if (!bol || (p->tok.kind != TSK_T_NEWLINE &&
                             p->tok.kind != TSK_T_EOF)) {
                    tsk_diag_error(p->d, &lt, "'<' closes an angle block and "
                                              "must stand alone on its line");
                }
                return;
            }
            tsk_p_syntax(p, &p->tok.pos, "unexpected '<': no angle block is "
                                         "open");
            break;
        case TSK_T_LBRACKET:
            if (kind != BODY_TOP) {
                tsk_p_syntax(p, &p->tok.pos, "a section header cannot appear "
                                             "inside a block");
                tsk_diag_detail(p->d, "close the block (at %s) first, or "
                                      "write a nested block: name { ... }",
                                tsk_pos_str(opener));
                break;
            }
            {
                struct tsk_table *t = section_header(p);
                if (!t) {
                    /* a bad header: its keys go to a throwaway table */
                    struct tsk_pos here = p->tok.pos;
                    t = tsk_table_new(p->doc, &here);
                }
                cur = t;
                p->scopes.v[p->scopes.n - 1] = t;
            }
            break;
        case TSK_T_GLOBAL:
            global_statement(p, kind);
            break;
        case TSK_T_IDENT:
        case TSK_T_STRING:
        case TSK_T_ERROR:
            key_statement(p, cur, kind);
            break;
        default:
            tsk_p_syntax(p, &p->tok.pos, "expected a key, found %s",
                         tsk_tok_name(p->tok.kind));
            break;
        }
        bol = 0;
        p->cat_s = NULL;
        if (p->perr)
            sync(p, kind);
        p->nest = 0;
        p->paren = 0;
    }
}

void tsk_parse_file(struct tsk_parser *p)
{
    tsk_lexer_init(&p->lx, p->src, p->d, 0);
    p->perr = p->efail = p->skip = p->paren = p->nest = p->depth = 0;
    p->stmt_nerr = p->d->nerr;
    p->scopes.n = 0;
    p->keys.n = 0;
    *TSK_ARRAY_PUSH(p->scopes) = p->doc->root;
    tsk_p_next(p);
    parse_body(p, p->doc->root, BODY_TOP, NULL);
}

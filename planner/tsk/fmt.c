/* fmt.c - the canonical layout of TSK files: tokens in, text out (fmt.h). */
#include "fmt.h"

#include <stdlib.h>
#include <string.h>

#include "lexer.h"

/* Per-token marks decided by classify(). */
enum {
    M_ASSIGN_COLON = 1, /* a `:` separator: printed as `=` */
    M_ANGLE_OPEN = 2,   /* `>` opening an angle block */
    M_ANGLE_CLOSE = 4,  /* `<` closing an angle block */
    M_UNARY = 8,        /* `-` or `!` as a prefix operator */
    M_HEADER = 16,      /* `[` opening a section header */
};

struct ftok {
    struct tsk_token t;
    int mark;
};

struct opener {
    char kind; /* ( [ { (inline) b (brace block) > (angle block) */
    size_t tok;
    int indent; /* indentation level of the line holding the opener */
    int ternary; /* pending `?` at this level */
};

struct line {
    size_t off, len; /* text in the line buffer */
    int indent;
    int blank, comment, header;
};

struct fmt {
    const struct tsk_src *src;
    struct tsk_diags *d;
    TSK_ARRAY(struct ftok) toks;
    TSK_ARRAY(struct opener) stack;
    TSK_ARRAY(struct line) lines;
    struct tsk_buf text; /* every line's text, back to back */
};

struct tsk_src *tsk_fmt_src_new(const char *name, const char *text,
                                size_t len)
{
    struct tsk_src *s = tsk_xcalloc(1, sizeof(*s));
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    s->name = tsk_xstrdup(name);
    s->text = tsk_xmalloc(len + 1);
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    return s;
}

static int lex_all(const struct tsk_src *src, struct tsk_diags *d,
                   struct ftok **out, size_t *n)
{
    TSK_ARRAY(struct ftok) a = {0};
    struct tsk_lexer lx;
    int nerr = d->nerr, bad = 0;
    tsk_lexer_init(&lx, src, d, TSK_LEX_COMMENTS);
    for (;;) {
        struct ftok *f = TSK_ARRAY_PUSH(a);
        tsk_lex_next(&lx, &f->t);
        if (f->t.kind == TSK_T_ERROR)
            bad = 1;
        if (f->t.kind == TSK_T_EOF)
            break;
    }
    *out = a.v;
    *n = a.n;
    return bad || d->nerr > nerr ? TSK_ERROR : 0;
}

static size_t comment_len(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return n;
}

static int value_end(enum tsk_tok k)
{
    switch (k) {
    case TSK_T_IDENT: case TSK_T_GLOBAL: case TSK_T_FUNC: case TSK_T_STRING:
    case TSK_T_TSTRING: case TSK_T_INT: case TSK_T_DOUBLE: case TSK_T_RANGE:
    case TSK_T_RPAREN: case TSK_T_RBRACKET: case TSK_T_RBRACE:
        return 1;
    default:
        return 0;
    }
}

/* The next token after i that is not a comment. */
static enum tsk_tok next_kind(const struct fmt *f, size_t i)
{
    for (i++; i < f->toks.n; i++)
        if (f->toks.v[i].t.kind != TSK_T_COMMENT)
            return f->toks.v[i].t.kind;
    return TSK_T_EOF;
}

/* The previous token before i that is not a comment (nor, inside ( ) or
 * [ ], a line break); TSK_T_NEWLINE at the start. */
static enum tsk_tok prev_kind(const struct fmt *f, size_t i, int skip_nl)
{
    while (i-- > 0) {
        enum tsk_tok k = f->toks.v[i].t.kind;
        if (k != TSK_T_COMMENT && !(skip_nl && k == TSK_T_NEWLINE))
            return k;
    }
    return TSK_T_NEWLINE;
}

static int line_start(const struct fmt *f, size_t i)
{
    return i == 0 || f->toks.v[i - 1].t.kind == TSK_T_NEWLINE;
}

static struct opener *top(struct fmt *f)
{
    return f->stack.n ? &f->stack.v[f->stack.n - 1] : NULL;
}

static const char *closer_for(char kind)
{
    switch (kind) {
    case '(': return ")";
    case '[': return "]";
    case '>': return "<";
    default: return "}";
    }
}

static void push(struct fmt *f, char kind, size_t tok, int indent)
{
    struct opener *o = TSK_ARRAY_PUSH(f->stack);
    o->kind = kind;
    o->tok = tok;
    o->indent = indent;
}

/* Marks colons, angle blocks, unary operators and headers, and checks
 * that brackets and blocks balance. */
static int classify(struct fmt *f)
{
    int rc = 0, top_ternary = 0;
    f->stack.n = 0;
    for (size_t i = 0; i < f->toks.n; i++) {
        struct ftok *ft = &f->toks.v[i];
        struct opener *o = top(f);
        int in_expr = o && (o->kind == '(' || o->kind == '[');
        int *ternary = o ? &o->ternary : &top_ternary;
        enum tsk_tok prev = prev_kind(f, i, in_expr);
        switch (ft->t.kind) {
        case TSK_T_LBRACKET:
            if (line_start(f, i) && !in_expr) {
                if (o && (o->kind == 'b' || o->kind == '>')) {
                    tsk_diag_error(f->d, &ft->t.pos, "a section header "
                                   "cannot appear inside a block");
                    rc = TSK_ERROR;
                }
                if (!o)
                    ft->mark |= M_HEADER;
            }
            push(f, '[', i, 0);
            break;
        case TSK_T_LPAREN:
            push(f, '(', i, 0);
            break;
        case TSK_T_LBRACE:
            push(f, !in_expr && (prev == TSK_T_IDENT || prev == TSK_T_STRING)
                        ? 'b' : '{', i, 0);
            break;
        case TSK_T_RPAREN: case TSK_T_RBRACKET: case TSK_T_RBRACE: {
            char want = ft->t.kind == TSK_T_RPAREN     ? '('
                        : ft->t.kind == TSK_T_RBRACKET ? '['
                                                       : '{';
            char have = o ? (o->kind == 'b' ? '{' : o->kind) : 0;
            if (have != want) {
                tsk_diag_error(f->d, &ft->t.pos, "unmatched %s",
                               tsk_tok_name(ft->t.kind));
                rc = TSK_ERROR;
            } else {
                f->stack.n--;
            }
            break;
        }
        case TSK_T_GT: {
            enum tsk_tok nk = next_kind(f, i);
            if (!in_expr && (prev == TSK_T_IDENT || prev == TSK_T_STRING) &&
                (nk == TSK_T_NEWLINE || nk == TSK_T_EOF)) {
                ft->mark |= M_ANGLE_OPEN;
                push(f, '>', i, 0);
            }
            break;
        }
        case TSK_T_LT: {
            enum tsk_tok nk = next_kind(f, i);
            if (line_start(f, i) && o && o->kind == '>' &&
                (nk == TSK_T_NEWLINE || nk == TSK_T_EOF)) {
                ft->mark |= M_ANGLE_CLOSE;
                f->stack.n--;
            }
            break;
        }
        case TSK_T_QUESTION:
            (*ternary)++;
            break;
        case TSK_T_COLON:
            if (*ternary > 0)
                (*ternary)--;
            else if (!in_expr)
                ft->mark |= M_ASSIGN_COLON;
            break;
        case TSK_T_NEWLINE: case TSK_T_SEMI: case TSK_T_COMMA:
            if (!in_expr)
                *ternary = 0;
            break;
        case TSK_T_MINUS:
            if (!value_end(prev))
                ft->mark |= M_UNARY;
            break;
        case TSK_T_NOT:
            ft->mark |= M_UNARY;
            break;
        default:
            break;
        }
    }
    for (size_t j = 0; j < f->stack.n; j++) {
        const struct opener *o = &f->stack.v[j];
        tsk_diag_error(f->d, &f->toks.v[o->tok].t.pos,
                       "unclosed %s: no matching %s",
                       o->kind == '>' ? "angle block" : o->kind == 'b'
                           ? "block" : tsk_tok_name(f->toks.v[o->tok].t.kind),
                       closer_for(o->kind));
        rc = TSK_ERROR;
    }
    return rc;
}

/* One space between prev and cur on the same line? */
static int space_before(const struct ftok *prev, const struct ftok *cur)
{
    enum tsk_tok p = prev->t.kind, c = cur->t.kind;
    if (c == TSK_T_COMMENT)
        return 1;
    if (c == TSK_T_COMMA || c == TSK_T_SEMI || c == TSK_T_RPAREN ||
        c == TSK_T_RBRACKET || c == TSK_T_DOT || p == TSK_T_DOT ||
        p == TSK_T_LPAREN || p == TSK_T_LBRACKET)
        return 0;
    if (prev->mark & M_UNARY) /* keep "- -4" apart, else "-4", "!x" */
        return (cur->mark & M_UNARY) != 0;
    if (c == TSK_T_RBRACE)
        return p != TSK_T_LBRACE;
    if (c == TSK_T_LPAREN)
        return p != TSK_T_FUNC && p != TSK_T_IDENT;
    if (c == TSK_T_LBRACKET)
        return !value_end(p);
    return 1;
}

static int is_closer(const struct ftok *ft)
{
    return ft->t.kind == TSK_T_RPAREN || ft->t.kind == TSK_T_RBRACKET ||
           ft->t.kind == TSK_T_RBRACE || (ft->mark & M_ANGLE_CLOSE);
}

static void end_line(struct fmt *f, struct line *ln)
{
    ln->len = f->text.len - ln->off;
    *TSK_ARRAY_PUSH(f->lines) = *ln;
    memset(ln, 0, sizeof(*ln));
    ln->off = f->text.len;
}

/* Builds the lines: indentation and spacing, tokens printed as written. */
static void layout(struct fmt *f)
{
    struct line ln = {0};
    const struct ftok *prev = NULL;
    f->stack.n = 0;
    for (size_t i = 0; i < f->toks.n; i++) {
        const struct ftok *ft = &f->toks.v[i];
        const char *s = f->src->text + ft->t.pos.off;
        size_t n = ft->t.len;
        struct opener *o = top(f);
        if (ft->t.kind == TSK_T_EOF) {
            if (prev)
                end_line(f, &ln);
            break;
        }
        if (ft->t.kind == TSK_T_NEWLINE) {
            ln.blank = prev == NULL;
            end_line(f, &ln);
            prev = NULL;
            continue;
        }
        if (!prev) {
            if (is_closer(ft))
                ln.indent = o ? o->indent : 0;
            else
                ln.indent = o ? o->indent + 1 : 0;
            ln.comment = ft->t.kind == TSK_T_COMMENT;
            ln.header = (ft->mark & M_HEADER) != 0;
        } else if (space_before(prev, ft)) {
            tsk_buf_addch(&f->text, ' ');
        }
        if (ft->mark & M_ASSIGN_COLON) {
            s = "=";
            n = 1;
        } else if (ft->t.kind == TSK_T_COMMENT) {
            n = comment_len(s, n);
        }
        tsk_buf_add(&f->text, s, n);
        switch (ft->t.kind) {
        case TSK_T_LPAREN: case TSK_T_LBRACKET: case TSK_T_LBRACE:
            push(f, '(', i, ln.indent);
            break;
        case TSK_T_GT:
            if (ft->mark & M_ANGLE_OPEN)
                push(f, '>', i, ln.indent);
            break;
        case TSK_T_RPAREN: case TSK_T_RBRACKET: case TSK_T_RBRACE:
        case TSK_T_LT:
            if (is_closer(ft) && f->stack.n)
                f->stack.n--;
            break;
        default:
            break;
        }
        prev = ft;
    }
}

/* Blank-line rules, indentation, final newline. */
static void emit(struct fmt *f, struct tsk_buf *out)
{
    size_t n = f->lines.n;
    char *blank_before = tsk_xcalloc(n + 1, 1);
    int emitted = 0, pending = 0;
    for (size_t i = 0; i < n; i++) {
        if (!f->lines.v[i].header)
            continue;
        size_t j = i;
        while (j > 0 && f->lines.v[j - 1].comment &&
               f->lines.v[j - 1].indent == 0)
            j--;
        blank_before[j] = 1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct line *ln = &f->lines.v[i];
        if (ln->blank) {
            pending = 1;
            continue;
        }
        if (emitted && (pending || blank_before[i]))
            tsk_buf_addch(out, '\n');
        pending = 0;
        for (int k = 0; k < ln->indent; k++)
            tsk_buf_adds(out, "    ");
        tsk_buf_add(out, f->text.ptr + ln->off, ln->len);
        tsk_buf_addch(out, '\n');
        emitted = 1;
    }
    free(blank_before);
}

/* The indexes of the tokens that must survive formatting: a run of line
 * breaks counts as one, and none at the start or the end. */
static size_t significant(const struct ftok *a, size_t n, size_t *idx)
{
    size_t m = 0;
    for (size_t i = 0; i < n && a[i].t.kind != TSK_T_EOF; i++) {
        if (a[i].t.kind == TSK_T_NEWLINE &&
            (m == 0 || a[idx[m - 1]].t.kind == TSK_T_NEWLINE))
            continue;
        idx[m++] = i;
    }
    while (m > 0 && a[idx[m - 1]].t.kind == TSK_T_NEWLINE)
        m--;
    return m;
}

/* Same tokens, with `:` separators as `=` and comments without trailing
 * blanks? */
static int same_tokens(const struct ftok *a, size_t na, const char *atext,
                       const struct ftok *b, size_t nb, const char *btext)
{
    size_t *ia = tsk_xmalloc((na + 1) * sizeof(*ia));
    size_t *ib = tsk_xmalloc((nb + 1) * sizeof(*ib));
    size_t ma = significant(a, na, ia), mb = significant(b, nb, ib);
    int same = ma == mb;
    for (size_t k = 0; same && k < ma; k++) {
        const struct ftok *x = &a[ia[k]], *y = &b[ib[k]];
        enum tsk_tok kx = x->mark & M_ASSIGN_COLON ? TSK_T_ASSIGN : x->t.kind;
        const char *sx = atext + x->t.pos.off, *sy = btext + y->t.pos.off;
        size_t lx = x->t.len, ly = y->t.len;
        if (kx != y->t.kind) {
            same = 0;
        } else if (kx == TSK_T_COMMENT) {
            lx = comment_len(sx, lx);
            ly = comment_len(sy, ly);
            same = lx == ly && memcmp(sx, sy, lx) == 0;
        } else if (kx != TSK_T_NEWLINE && kx != TSK_T_ASSIGN) {
            same = lx == ly && memcmp(sx, sy, lx) == 0;
        }
    }
    free(ia);
    free(ib);
    return same;
}

int tsk_fmt_src(struct tsk_buf *out, const struct tsk_src *src,
                struct tsk_diags *d)
{
    struct fmt f = {.src = src, .d = d, .text = TSK_BUF_INIT};
    struct ftok *toks;
    size_t ntoks;
    int rc = lex_all(src, d, &toks, &ntoks);
    f.toks.v = toks;
    f.toks.n = f.toks.alloc = ntoks;
    if (rc == 0)
        rc = classify(&f);
    if (rc == 0) {
        size_t start = out->len;
        layout(&f);
        emit(&f, out);
        /* the safety net: the output must lex to the same tokens */
        struct tsk_src *check = tsk_fmt_src_new(src->name, out->ptr + start,
                                                out->len - start);
        struct tsk_diags cd = {0};
        struct ftok *ctoks;
        size_t nc;
        if (lex_all(check, &cd, &ctoks, &nc) != 0 ||
            !same_tokens(toks, ntoks, src->text, ctoks, nc, check->text)) {
            struct tsk_pos at = {.src = src, .line = 1, .col = 1};
            rc = tsk_diag_error(d, &at, "cannot format this file: the "
                                "formatted text would read differently");
            tsk_diag_detail(d, "the file is left as it is; please report "
                            "this as a bug in `tuskform fmt`");
        }
        free(ctoks);
        tsk_diags_release(&cd);
        tsk_src_free(check);
    }
    free(f.toks.v);
    TSK_ARRAY_FREE(f.stack);
    TSK_ARRAY_FREE(f.lines);
    tsk_buf_release(&f.text);
    return rc;
}

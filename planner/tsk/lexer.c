/* lexer.c - the TSK tokenizer: one token at a time, positions in code points. */
#include "lexer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void tsk_lexer_init(struct tsk_lexer *lx, const struct tsk_src *src,
                    struct tsk_diags *diags, int flags)
{
    memset(lx, 0, sizeof(*lx));
    lx->src = src;
    lx->diags = diags;
    lx->flags = flags;
    lx->p = src->text;
    lx->end = src->text + src->len;
    if (src->len >= 3 && memcmp(src->text, "\xef\xbb\xbf", 3) == 0)
        lx->p += 3; /* a BOM the caller left in place */
    lx->line = 1;
    lx->line_start = lx->p;
    lx->col_at = lx->p;
    lx->col = 1;
    lx->ascii_line = NULL;
    lx->ascii_from = lx->ascii_until = lx->p;
}

/* Whether the bytes from s to e are all ASCII. */
static int all_ascii(const char *s, const char *e)
{
    uint64_t acc = 0;
    while (s + 8 <= e) {
        uint64_t w;
        memcpy(&w, s, 8);
        acc |= w;
        s += 8;
    }
    for (; s < e; s++)
        acc |= (unsigned char)*s;
    return !(acc & 0x8080808080808080ull);
}

static uint32_t col_at_slow(struct tsk_lexer *lx, const char *q);

/* Fills *pos for byte q field by field (building a struct tsk_pos in a
 * temporary and copying it costs a store-forwarding stall per token). */
static inline void pos_fill(struct tsk_lexer *lx, const char *q,
                            struct tsk_pos *pos)
{
    pos->src = lx->src;
    pos->line = lx->line;
    pos->off = (uint32_t)(q - lx->src->text);
    if (q <= lx->ascii_until && lx->line_start >= lx->ascii_from)
        pos->col = (uint32_t)(q - lx->line_start) + 1;
    else
        pos->col = col_at_slow(lx, q);
}

static inline struct tsk_pos pos_at(struct tsk_lexer *lx, const char *q)
{
    struct tsk_pos pos;
    pos_fill(lx, q, &pos);
    return pos;
}

#define ASCII_BLOCK ((size_t)4 << 10)

/* The column of q: past the known ASCII block, checks the next block of up
 * to 4 KiB from the line's start (most files are all ASCII: one check per
 * block instead of one per line), then the current line once, else counts
 * code points from the last position asked for. */
static uint32_t col_at_slow(struct tsk_lexer *lx, const char *q)
{
    if (lx->line_start >= lx->ascii_until) {
        const char *s = lx->line_start, *e = lx->end;
        if ((size_t)(e - s) > ASCII_BLOCK)
            e = s + ASCII_BLOCK;
        while (s + 8 <= e) {
            uint64_t w;
            memcpy(&w, s, 8);
            if (w & 0x8080808080808080ull)
                break;
            s += 8;
        }
        while (s < e && !((unsigned char)*s & 0x80))
            s++;
        lx->ascii_from = lx->line_start;
        lx->ascii_until = s;
        if (q <= s)
            return (uint32_t)(q - lx->line_start) + 1;
    }
    if (lx->ascii_line != lx->line_start) {
        const char *nl = memchr(lx->line_start, '\n',
                                (size_t)(lx->end - lx->line_start));
        lx->ascii_line = lx->line_start;
        lx->line_ascii = all_ascii(lx->line_start, nl ? nl : lx->end);
    }
    if (lx->line_ascii)
        return (uint32_t)(q - lx->line_start) + 1;
    if (lx->col_at < lx->line_start || lx->col_at > q) {
        lx->col_at = lx->line_start;
        lx->col = 1;
    }
    const char *s = lx->col_at;
    uint32_t col = lx->col + (uint32_t)(q - s);
    /* subtract UTF-8 continuation bytes; ASCII runs go 8 bytes at a time */
    while (s + 8 <= q) {
        uint64_t w;
        memcpy(&w, s, 8);
        if (w & 0x8080808080808080ull) {
            for (int i = 0; i < 8; i++)
                col -= ((unsigned char)s[i] & 0xC0) == 0x80;
        }
        s += 8;
    }
    for (; s < q; s++)
        col -= ((unsigned char)*s & 0xC0) == 0x80;
    lx->col_at = q;
    lx->col = col;
    return col;
}

static void lex_error(struct tsk_lexer *lx, const char *at, const char *fmt,
                      const char *arg)
{
    if (!lx->diags)
        return;
    struct tsk_pos pos = pos_at(lx, at);
    tsk_diag_error(lx->diags, &pos, fmt, arg);
}

static const unsigned char cclass[256] = {
    ['-'] = 2,
    ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2,
    ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
    ['_'] = 3,
    ['A'] = 3, ['B'] = 3, ['C'] = 3, ['D'] = 3, ['E'] = 3, ['F'] = 3,
    ['G'] = 3, ['H'] = 3, ['I'] = 3, ['J'] = 3, ['K'] = 3, ['L'] = 3,
    ['M'] = 3, ['N'] = 3, ['O'] = 3, ['P'] = 3, ['Q'] = 3, ['R'] = 3,
    ['S'] = 3, ['T'] = 3, ['U'] = 3, ['V'] = 3, ['W'] = 3, ['X'] = 3,
    ['Y'] = 3, ['Z'] = 3,
    ['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3, ['e'] = 3, ['f'] = 3,
    ['g'] = 3, ['h'] = 3, ['i'] = 3, ['j'] = 3, ['k'] = 3, ['l'] = 3,
    ['m'] = 3, ['n'] = 3, ['o'] = 3, ['p'] = 3, ['q'] = 3, ['r'] = 3,
    ['s'] = 3, ['t'] = 3, ['u'] = 3, ['v'] = 3, ['w'] = 3, ['x'] = 3,
    ['y'] = 3, ['z'] = 3,
};

static inline int is_ident_start(unsigned c) { return cclass[c & 255] & 1; }

static inline int is_ident_char(unsigned c) { return cclass[c & 255] & 2; }

static inline int is_digit(unsigned c) { return c - '0' < 10u; }

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

/* Parses the \u escape at s (s[0] == '\\', s[1] == 'u'). Returns the number
 * of bytes of the escape, or 0 when invalid; *cp receives the code point. */
static int parse_u_escape(const char *s, const char *end, uint32_t *cp)
{
    uint32_t v = 0;
    const char *q = s + 2;
    if (q < end && *q == '{') {
        int nd = 0;
        q++;
        while (q < end && hexval((unsigned char)*q) >= 0 && nd < 7) {
            v = v * 16 + (uint32_t)hexval((unsigned char)*q);
            q++;
            nd++;
        }
        if (nd == 0 || nd > 6 || q >= end || *q != '}')
            return 0;
        q++;
    } else {
        for (int k = 0; k < 4; k++, q++) {
            if (q >= end || hexval((unsigned char)*q) < 0)
                return 0;
            v = v * 16 + (uint32_t)hexval((unsigned char)*q);
        }
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return (int)(q - s);
}

static void lex_string(struct tsk_lexer *lx, struct tsk_token *t)
{
    const char *s = lx->p, *end = lx->end, *q = s + 1;
    char quote = *s;
    int bad = 0;
    if (quote == '\'')
        t->flags |= TSK_TF_SQUOTE;
    for (;;) {
        while (q < end && (unsigned char)*q >= 0x20 && *q != quote &&
               *q != '\\' && (unsigned char)*q < 0x80)
            q++;
        if (q >= end || *q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n')) {
            lex_error(lx, s, "unterminated string%s", "");
            if (lx->diags)
                tsk_diag_detail(lx->diags, "strings end on the line they "
                                           "start on; use \"\"\" for text "
                                           "that spans lines");
            t->kind = TSK_T_ERROR;
            lx->p = q;
            return;
        }
        unsigned char c = (unsigned char)*q;
        if (c == (unsigned char)quote) {
            q++;
            break;
        }
        if (c == '\\') {
            t->flags |= TSK_TF_ESCAPES;
            char e = q + 1 < end ? q[1] : '\0';
            switch (e) {
            case 'n': case 't': case 'r': case '\\': case '"': case '\'':
            case '0':
                q += 2;
                continue;
            case 'u': {
                uint32_t cp;
                int n = parse_u_escape(q, end, &cp);
                if (n) {
                    q += n;
                    continue;
                }
                lex_error(lx, q, "invalid unicode escape: write \\uXXXX or "
                                 "\\u{X...} with a Unicode scalar value%s", "");
                bad = 1;
                q += 2;
                continue;
            }
            default: {
                char what[8] = {'\\', e, 0};
                if ((unsigned char)e < 0x20 || (unsigned char)e >= 0x7f)
                    what[1] = 0;
                lex_error(lx, q, "invalid escape '%s' in string", what);
                if (lx->diags)
                    tsk_diag_detail(lx->diags,
                                    "valid escapes: \\n \\t \\r \\\\ \\\" "
                                    "\\' \\0 \\uXXXX \\u{X...}");
                bad = 1;
                q += 1;
                continue;
            }
            }
        }
        if (c >= 0x80) {
            int n = tsk_utf8_len((const unsigned char *)q,
                                 (const unsigned char *)end);
            if (!n) {
                lex_error(lx, q, "invalid UTF-8 in string%s", "");
                bad = 1;
                n = 1;
            }
            q += n;
            continue;
        }
        q++;
    }
    lx->p = q;
    t->kind = bad ? TSK_T_ERROR : TSK_T_STRING;
}

static void lex_tstring(struct tsk_lexer *lx, struct tsk_token *t)
{
    const char *s = lx->p, *q = s + 3, *end = lx->end;
    for (;;) {
        const char *f = memchr(q, '"', (size_t)(end - q));
        if (!f || end - f < 3) {
            lex_error(lx, s, "unterminated triple-quoted string%s", "");
            q = end;
            t->kind = TSK_T_ERROR;
            break;
        }
        if (f[1] == '"' && f[2] == '"') {
            q = f + 3;
            t->kind = TSK_T_TSTRING;
            break;
        }
        q = f + 1;
    }
    /* validate UTF-8 and advance the line counter over the body */
    size_t ok = tsk_utf8_valid_prefix(s, (size_t)(q - s));
    if (ok < (size_t)(q - s) && t->kind == TSK_T_TSTRING) {
        /* report at the bad byte: walk the lines up to it first */
        const char *bad = s + ok;
        for (const char *r = s; r < bad; r++)
            if (*r == '\n') {
                lx->line++;
                lx->line_start = r + 1;
            }
        lex_error(lx, bad, "invalid UTF-8 in string%s", "");
        t->kind = TSK_T_ERROR;
        s = bad;
    }
    for (const char *r = s; r < q; r++) {
        r = memchr(r, '\n', (size_t)(q - r));
        if (!r)
            break;
        lx->line++;
        lx->line_start = r + 1;
    }
    lx->p = q;
}

/* Extends a bad number/range over the rest of the word. */
static const char *word_end(const char *q, const char *end)
{
    while (q < end && (is_ident_char((unsigned char)*q) || *q == '.' ||
                       *q == ':' || *q == '+'))
        q++;
    return q;
}

/* Scans digits at q; returns the end; *v is the value, saturated at
 * 2^63+1 to flag overflow. */
static const char *scan_uint(const char *q, const char *end, uint64_t *v)
{
    uint64_t x = 0;
    const uint64_t lim = (uint64_t)INT64_MAX + 2;
    for (; q < end && is_digit((unsigned char)*q); q++) {
        if (x < lim) {
            x = x * 10 + (uint64_t)(*q - '0');
            if (x > lim)
                x = lim;
        }
    }
    *v = x;
    return q;
}

/* Exact powers of ten as doubles. */
static const double pow10tab[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* digits.digits with at most 15 significant digits and no exponent: one
 * correctly rounded division of two exact doubles. -1 when not applicable. */
static double fast_decimal(const char *s, const char *e)
{
    uint64_t m = 0;
    int nd = 0, frac = -1;
    for (const char *c = s; c < e; c++) {
        if (*c == '.') {
            frac = 0;
            continue;
        }
        if (*c < '0' || *c > '9')
            return -1;
        m = m * 10 + (uint64_t)(*c - '0');
        if (m)
            nd++;
        if (frac >= 0)
            frac++;
        if (nd > 15)
            return -1;
    }
    if (frac < 0 || frac > 22)
        return -1;
    return (double)m / pow10tab[frac];
}

static void lex_number(struct tsk_lexer *lx, struct tsk_token *t)
{
    const char *s = lx->p, *end = lx->end, *q;
    uint64_t v;
    int is_double = 0;
    q = scan_uint(s, end, &v);
    if (q < end && *q == '.' && q + 1 < end && is_digit((unsigned char)q[1])) {
        is_double = 1;
        q++;
        while (q < end && is_digit((unsigned char)*q))
            q++;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        const char *r = q + 1;
        if (r < end && (*r == '+' || *r == '-'))
            r++;
        if (r < end && is_digit((unsigned char)*r)) {
            is_double = 1;
            while (r < end && is_digit((unsigned char)*r))
                r++;
            q = r;
        }
    }
    /* digits-digits: a range, or an error */
    if (q + 1 < end && *q == '-' && is_digit((unsigned char)q[1])) {
        uint64_t hi;
        const char *r = scan_uint(q + 1, end, &hi);
        const char *w = word_end(r, end);
        if (is_double || w != r) {
            lx->p = w;
            t->kind = TSK_T_ERROR;
            if (lx->diags) {
                int n = (int)(w - s);
                struct tsk_pos pos = pos_at(lx, s);
                tsk_diag_error(lx->diags, &pos,
                               "'%.*s' is not a value: digits-digits is a "
                               "range (like 8000-9000) and nothing else",
                               n, s);
                tsk_diag_detail(lx->diags,
                                "quote it (\"%.*s\") for text, or write "
                                "'a - b' with spaces to subtract",
                                n, s);
            }
            return;
        }
        lx->p = r;
        if (v > (uint64_t)INT64_MAX || hi > (uint64_t)INT64_MAX) {
            lex_error(lx, v > (uint64_t)INT64_MAX ? s : q + 1,
                      "integer out of range (64-bit)%s", "");
            t->kind = TSK_T_ERROR;
            return;
        }
        t->kind = TSK_T_RANGE;
        t->v.r.lo = (int64_t)v;
        t->v.r.hi = (int64_t)hi;
        return;
    }
    /* a number glued to a word is one bad number */
    if (q < end && (is_ident_char((unsigned char)*q) || *q == '.')) {
        const char *w = word_end(q, end);
        lx->p = w;
        t->kind = TSK_T_ERROR;
        if (lx->diags) {
            struct tsk_pos pos = pos_at(lx, s);
            tsk_diag_error(lx->diags, &pos, "invalid number '%.*s'",
                           (int)(w - s), s);
        }
        return;
    }
    lx->p = q;
    if (is_double) {
        double d = fast_decimal(s, q);
        if (d < 0) /* no fast path */
            d = strtod(s, NULL);
        if (d > 1.7976931348623157e308 || d < -1.7976931348623157e308) {
            lex_error(lx, s, "number out of range (64-bit double)%s", "");
            t->kind = TSK_T_ERROR;
            return;
        }
        t->kind = TSK_T_DOUBLE;
        t->v.d = d;
        return;
    }
    if (v > (uint64_t)INT64_MAX) {
        if (v == (uint64_t)INT64_MAX + 1) {
            t->kind = TSK_T_INT;
            t->flags |= TSK_TF_INTMIN;
            t->v.i = INT64_MIN;
            return;
        }
        lex_error(lx, s, "integer out of range (64-bit)%s", "");
        t->kind = TSK_T_ERROR;
        return;
    }
    t->kind = TSK_T_INT;
    t->v.i = (int64_t)v;
}

void tsk_lex_next(struct tsk_lexer *lx, struct tsk_token *t)
{
    const char *p, *end = lx->end;
again:
    p = lx->p;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p < end && *p == '\r' && !(p + 1 < end && p[1] == '\n')) {
        lx->p = p + 1; /* a lone carriage return is white space */
        goto again;
    }
    lx->p = p;
    t->flags = 0;
    pos_fill(lx, p, &t->pos);
    if (p >= end) {
        t->kind = TSK_T_EOF;
        t->len = 0;
        return;
    }
    unsigned char c = (unsigned char)*p;
    enum tsk_tok k;
    int n = 1;
    switch (c) {
    case '\r': /* \r\n */
        n = 2;
        /* fall through */
    case '\n':
        lx->p = p + n;
        lx->line++;
        lx->line_start = lx->p;
        t->kind = TSK_T_NEWLINE;
        t->len = (uint32_t)n;
        return;
    case '#':
        goto comment;
    case '/':
        if (p + 1 < end && p[1] == '/')
            goto comment;
        k = TSK_T_SLASH;
        break;
    case '"':
        if (p + 2 < end && p[1] == '"' && p[2] == '"')
            lex_tstring(lx, t);
        else
            lex_string(lx, t);
        t->len = (uint32_t)(lx->p - p);
        return;
    case '\'':
        lex_string(lx, t);
        t->len = (uint32_t)(lx->p - p);
        return;
    case '$':
    case '@':
        if (p + 1 < end && is_ident_start((unsigned char)p[1])) {
            const char *q = p + 2;
            while (q < end && is_ident_char((unsigned char)*q))
                q++;
            lx->p = q;
            t->kind = c == '$' ? TSK_T_GLOBAL : TSK_T_FUNC;
            t->len = (uint32_t)(q - p);
            return;
        }
        lex_error(lx, p, c == '$' ? "expected a variable name after '$'%s"
                                  : "expected a function name after '@'%s",
                  "");
        if (c == '$' && p + 1 < end && p[1] == '{' && lx->diags)
            tsk_diag_detail(lx->diags, "${...} substitution is not supported: "
                                       "use @env(\"NAME\", default) or a "
                                       "$variable");
        k = TSK_T_ERROR;
        break;
    case '=':
        if (p + 1 < end && p[1] == '=')
            k = TSK_T_EQ, n = 2;
        else
            k = TSK_T_ASSIGN;
        break;
    case '!':
        if (p + 1 < end && p[1] == '=')
            k = TSK_T_NE, n = 2;
        else
            k = TSK_T_NOT;
        break;
    case '<':
        if (p + 1 < end && p[1] == '=')
            k = TSK_T_LE, n = 2;
        else
            k = TSK_T_LT;
        break;
    case '>':
        if (p + 1 < end && p[1] == '=')
            k = TSK_T_GE, n = 2;
        else
            k = TSK_T_GT;
        break;
    case '&':
    case '|':
        if (p + 1 < end && p[1] == (char)c) {
            k = c == '&' ? TSK_T_AND : TSK_T_OR;
            n = 2;
        } else {
            lex_error(lx, p, c == '&' ? "unexpected '&': did you mean '&&'?%s"
                                      : "unexpected '|': did you mean '||'?%s",
                      "");
            k = TSK_T_ERROR;
        }
        break;
    case ':': k = TSK_T_COLON; break;
    case ';': k = TSK_T_SEMI; break;
    case ',': k = TSK_T_COMMA; break;
    case '.': k = TSK_T_DOT; break;
    case '[': k = TSK_T_LBRACKET; break;
    case ']': k = TSK_T_RBRACKET; break;
    case '{': k = TSK_T_LBRACE; break;
    case '}': k = TSK_T_RBRACE; break;
    case '(': k = TSK_T_LPAREN; break;
    case ')': k = TSK_T_RPAREN; break;
    case '+': k = TSK_T_PLUS; break;
    case '-': k = TSK_T_MINUS; break;
    case '*': k = TSK_T_STAR; break;
    case '%': k = TSK_T_PERCENT; break;
    case '?': k = TSK_T_QUESTION; break;
    default:
        if (is_digit(c)) {
            lex_number(lx, t);
            t->len = (uint32_t)(lx->p - p);
            return;
        }
        if (is_ident_start(c)) {
            const char *q = p + 1;
            while (q < end && is_ident_char((unsigned char)*q))
                q++;
            lx->p = q;
            t->kind = TSK_T_IDENT;
            t->len = (uint32_t)(q - p);
            return;
        }
        if (c >= 0x80) {
            n = tsk_utf8_len((const unsigned char *)p,
                             (const unsigned char *)end);
            if (!n) {
                lex_error(lx, p, "invalid UTF-8%s", "");
                n = 1;
            } else if (lx->diags) {
                tsk_diag_error(lx->diags, &t->pos, "unexpected character '%.*s'",
                               n, p);
            }
        } else if (lx->diags) {
            if (c >= 0x20 && c < 0x7f)
                tsk_diag_error(lx->diags, &t->pos, "unexpected character '%c'", c);
            else
                tsk_diag_error(lx->diags, &t->pos,
                               "unexpected control character (byte 0x%02x)", c);
        }
        k = TSK_T_ERROR;
        break;
    }
    lx->p = p + n;
    t->kind = k;
    t->len = (uint32_t)n;
    return;
comment: {
    const char *q = memchr(p, '\n', (size_t)(end - p));
    if (!q)
        q = end;
    if (q > p && q[-1] == '\r' && q < end)
        q--;
    lx->p = q;
    if (!(lx->flags & TSK_LEX_COMMENTS))
        goto again;
    t->kind = TSK_T_COMMENT;
    t->len = (uint32_t)(q - p);
}
}

void tsk_lex_string_value(const struct tsk_src *src, const struct tsk_token *t,
                          struct tsk_buf *out)
{
    const char *s = src->text + t->pos.off, *end = s + t->len;
    if (t->kind == TSK_T_TSTRING) {
        s += 3;
        end -= 3;
        if (s < end && *s == '\n')
            s++;
        else if (s + 1 < end && s[0] == '\r' && s[1] == '\n')
            s += 2;
        while (s < end) {
            const char *cr = memchr(s, '\r', (size_t)(end - s));
            if (!cr) {
                tsk_buf_add(out, s, (size_t)(end - s));
                break;
            }
            tsk_buf_add(out, s, (size_t)(cr - s));
            if (!(cr + 1 < end && cr[1] == '\n'))
                tsk_buf_addch(out, '\r');
            s = cr + 1;
        }
        return;
    }
    s++;
    end--;
    if (!(t->flags & TSK_TF_ESCAPES)) {
        tsk_buf_add(out, s, (size_t)(end - s));
        return;
    }
    while (s < end) {
        const char *b = memchr(s, '\\', (size_t)(end - s));
        if (!b) {
            tsk_buf_add(out, s, (size_t)(end - s));
            break;
        }
        tsk_buf_add(out, s, (size_t)(b - s));
        char c = b[1];
        s = b + 2;
        switch (c) {
        case 'n': tsk_buf_addch(out, '\n'); break;
        case 't': tsk_buf_addch(out, '\t'); break;
        case 'r': tsk_buf_addch(out, '\r'); break;
        case '0': tsk_buf_addch(out, '\0'); break;
        case 'u': {
            uint32_t cp = 0;
            int n = parse_u_escape(b, end, &cp);
            char u[4];
            tsk_buf_add(out, u, (size_t)tsk_utf8_encode(cp, u));
            s = b + (n ? n : 2);
            break;
        }
        default: tsk_buf_addch(out, c); break;
        }
    }
}

const char *tsk_tok_name(enum tsk_tok k)
{
    static const char *const names[TSK_T__COUNT] = {
        [TSK_T_EOF] = "end of file",
        [TSK_T_NEWLINE] = "end of line",
        [TSK_T_COMMENT] = "comment",
        [TSK_T_IDENT] = "name",
        [TSK_T_GLOBAL] = "variable",
        [TSK_T_FUNC] = "function",
        [TSK_T_STRING] = "string",
        [TSK_T_TSTRING] = "string",
        [TSK_T_INT] = "number",
        [TSK_T_DOUBLE] = "number",
        [TSK_T_RANGE] = "range",
        [TSK_T_ERROR] = "invalid text",
        [TSK_T_ASSIGN] = "'='",
        [TSK_T_COLON] = "':'",
        [TSK_T_SEMI] = "';'",
        [TSK_T_COMMA] = "','",
        [TSK_T_DOT] = "'.'",
        [TSK_T_LBRACKET] = "'['",
        [TSK_T_RBRACKET] = "']'",
        [TSK_T_LBRACE] = "'{'",
        [TSK_T_RBRACE] = "'}'",
        [TSK_T_LPAREN] = "'('",
        [TSK_T_RPAREN] = "')'",
        [TSK_T_GT] = "'>'",
        [TSK_T_LT] = "'<'",
        [TSK_T_GE] = "'>='",
        [TSK_T_LE] = "'<='",
        [TSK_T_EQ] = "'=='",
        [TSK_T_NE] = "'!='",
        [TSK_T_NOT] = "'!'",
        [TSK_T_AND] = "'&&'",
        [TSK_T_OR] = "'||'",
        [TSK_T_PLUS] = "'+'",
        [TSK_T_MINUS] = "'-'",
        [TSK_T_STAR] = "'*'",
        [TSK_T_SLASH] = "'/'",
        [TSK_T_PERCENT] = "'%'",
        [TSK_T_QUESTION] = "'?'",
    };
    return (unsigned)k < TSK_T__COUNT && names[k] ? names[k] : "token";
}

/*
 * lexer.h - the TSK tokenizer, shared by the parser and the formatter.
 *
 * The lexer reads one struct tsk_src (whose text must stay alive and be
 * NUL-terminated; a leading UTF-8 BOM is skipped, and column 1 is the
 * character after it) and hands out one token at a time. Lexical errors
 * (unterminated string, bad escape, bad number, bad range, stray byte,
 * invalid UTF-8) are reported into the diags given at init (if any) and
 * the offending text comes back as one TSK_T_ERROR token, so the token
 * stream always covers the whole text. Whitespace (space, tab, lone \r)
 * is never a token: the gap between two tokens is whitespace.
 *
 * With TSK_LEX_COMMENTS, comments come back as TSK_T_COMMENT tokens (text:
 * from the `#` or `//` to the end of the line, without the newline);
 * otherwise they are skipped. A newline ("\n" or "\r\n") is always a
 * TSK_T_NEWLINE token (one per line break, so blank lines are visible).
 *
 * Ownership: the lexer borrows src and diags; it allocates nothing, so
 * there is nothing to free.
 */
#ifndef TSK_LEXER_H
#define TSK_LEXER_H

#include <stdint.h>

#include "planner/tsk/utf8.h"
#include "planner/util/util.h"

enum tsk_tok {
    TSK_T_EOF,
    TSK_T_NEWLINE,
    TSK_T_COMMENT,
    TSK_T_IDENT,   /* name, also true/false/null (the parser decides) */
    TSK_T_GLOBAL,  /* $name: text includes the $ */
    TSK_T_FUNC,    /* @name: text includes the @ */
    TSK_T_STRING,  /* "..." or '...': text includes the quotes */
    TSK_T_TSTRING, /* """...""": text includes the quotes */
    TSK_T_INT,     /* value in tok.v.i */
    TSK_T_DOUBLE,  /* value in tok.v.d */
    TSK_T_RANGE,   /* digits-digits: tok.v.r.lo, tok.v.r.hi */
    TSK_T_ERROR,   /* bad text, already reported */
    TSK_T_ASSIGN,  /* = */
    TSK_T_COLON,   /* : */
    TSK_T_SEMI,    /* ; */
    TSK_T_COMMA,   /* , */
    TSK_T_DOT,     /* . */
    TSK_T_LBRACKET,
    TSK_T_RBRACKET,
    TSK_T_LBRACE,
    TSK_T_RBRACE,
    TSK_T_LPAREN,
    TSK_T_RPAREN,
    TSK_T_GT, /* > (also opens an angle block) */
    TSK_T_LT, /* < (also closes an angle block) */
    TSK_T_GE,
    TSK_T_LE,
    TSK_T_EQ, /* == */
    TSK_T_NE, /* != */
    TSK_T_NOT,
    TSK_T_AND,
    TSK_T_OR,
    TSK_T_PLUS,
    TSK_T_MINUS,
    TSK_T_STAR,
    TSK_T_SLASH,
    TSK_T_PERCENT,
    TSK_T_QUESTION,
    TSK_T__COUNT
};

/* Token flags. */
#define TSK_TF_ESCAPES 0x01 /* STRING holds backslash escapes */
#define TSK_TF_SQUOTE 0x02  /* STRING written with single quotes */
#define TSK_TF_INTMIN 0x04  /* INT literal 9223372036854775808: valid only
                               right after a unary minus (v.i = INT64_MIN) */

struct tsk_token {
    enum tsk_tok kind;
    uint32_t flags;
    struct tsk_pos pos; /* first byte: line, col (code points), offset */
    uint32_t len;       /* bytes of source text: src->text + pos.off */
    union {
        int64_t i;
        double d;
        struct {
            int64_t lo, hi;
        } r;
    } v;
};

#define TSK_LEX_COMMENTS 0x01 /* return comments as TSK_T_COMMENT tokens */

struct tsk_lexer {
    const struct tsk_src *src;
    struct tsk_diags *diags; /* may be NULL: errors are then not reported */
    int flags;
    /* private */
    const char *p, *end;
    uint32_t line;
    const char *line_start; /* first byte of the current line */
    const char *col_at;     /* column cache: byte pointer ... */
    uint32_t col;           /* ... and its column */
    const char *ascii_line; /* line_start of the line checked for ASCII */
    int line_ascii;         /* that line is all ASCII: col = offset + 1 */
    /* a block of text known to be ASCII: [ascii_from, ascii_until) */
    const char *ascii_from, *ascii_until;
};

/** Prepares lx to read src from its start. diags may be NULL. */
void tsk_lexer_init(struct tsk_lexer *lx, const struct tsk_src *src,
                    struct tsk_diags *diags, int flags);

/** Reads the next token into t; TSK_T_EOF (repeatedly) at the end. */
void tsk_lex_next(struct tsk_lexer *lx, struct tsk_token *t);

/** The token's source text. */
static inline const char *tsk_tok_text(const struct tsk_lexer *lx,
                                       const struct tsk_token *t)
{
    return lx->src->text + t->pos.off;
}

/**
 * Appends the value of a STRING or TSTRING token (quotes removed, escapes
 * decoded) to out. The token must have come from the lexer (so its escapes
 * are valid).
 */
void tsk_lex_string_value(const struct tsk_src *src, const struct tsk_token *t,
                          struct tsk_buf *out);

/** A short name for diagnostics: "identifier", "'='", "end of line"... */
const char *tsk_tok_name(enum tsk_tok k);

#endif

/*
 * internal.h - private to planner/tsk: the arena, the document, table
 * building, the parser-evaluator state, and the helpers shared by the
 * parser, the expression evaluator, the @ functions and the JSON code.
 *
 * Ownership: everything allocated with tsk_arena_* lives until the
 * document (which owns the arena) is freed; nothing in it is freed alone.
 */
#ifndef TSK_INTERNAL_H
#define TSK_INTERNAL_H

#include "lexer.h"
#include "tsk.h"

/* ---- arena ---------------------------------------------------------- */

struct tsk_arena_chunk;
struct tsk_arena {
    struct tsk_arena_chunk *head;
    char *cur, *lim;
    size_t total; /* bytes reserved in chunks */
};

void *tsk_arena_alloc(struct tsk_arena *a, size_t n); /* 8-aligned, not zeroed */
void *tsk_arena_zalloc(struct tsk_arena *a, size_t n);
/** Makes the next n bytes of allocations come from one chunk (a size hint
 * from the loader: large chunks are huge-page backed, see doc.c). */
void tsk_arena_reserve(struct tsk_arena *a, size_t n);
char *tsk_arena_strndup(struct tsk_arena *a, const char *s, size_t n);
void tsk_arena_release(struct tsk_arena *a);

/* ---- document ------------------------------------------------------- */

/* An internal value kind: a failed evaluation (already reported). */
#define TSK_V_ERR ((enum tsk_vkind)99)

struct tsk_map {
    /* a source whose text the document owns otherwise: a file mapping
     * (addr, len), or arena memory (addr NULL) */
    const struct tsk_src *src;
    void *addr;
    size_t len;
};

struct tsk_doc {
    struct tsk_arena arena;
    struct {
        /* interned keys (open addressing, in the arena), k NULL = empty;
         * h is the key's hash, so probes and growth never touch the keys */
        struct tsk_key_slot {
            const char *k;
            uint64_t h;
        } *v;
        size_t cap, n;
    } keys;
    TSK_ARRAY(struct tsk_map) maps;
    struct tsk_table *root;
    struct tsk_table *globals; /* $name -> value, not part of the output */
    TSK_ARRAY(struct tsk_src *) srcs;
    int nfiles;
};

struct tsk_doc *tsk_doc_new(void);

struct tsk_table *tsk_table_new(struct tsk_doc *doc, const struct tsk_pos *pos);
/** The length of an entry's key: every key is stored by tsk_table_add with
 * its length in the 4 bytes before it. */
static inline size_t tsk_key_len(const char *key)
{
    uint32_t n;
    memcpy(&n, key - 4, 4);
    return n;
}
/** Finds key (len bytes) in t; NULL when absent. */
struct tsk_entry *tsk_table_findn(const struct tsk_table *t, const char *key,
                                  size_t len);
/** Gives an empty table room for exactly n entries. */
void tsk_table_reserve(struct tsk_doc *doc, struct tsk_table *t, size_t n);
/** Appends a new entry (key not present) and returns it; key is copied
 * (short keys are interned: one copy per document). */
struct tsk_entry *tsk_table_add(struct tsk_doc *doc, struct tsk_table *t,
                                const char *key, size_t len,
                                const struct tsk_pos *key_pos);

struct tsk_array *tsk_array_new(struct tsk_doc *doc, size_t n);
/** A string value copied into the arena. */
struct tsk_value tsk_str_value(struct tsk_doc *doc, const char *s, size_t len,
                               const struct tsk_pos *pos);
/** A deep copy of a table value marked complete (inline); other values as is. */
struct tsk_value tsk_value_copy(struct tsk_doc *doc, const struct tsk_value *v);

/* ---- output helpers -------------------------------------------------- */

/** Appends a double as tsk eval prints it (shortest round trip, ".0"). */
void tsk_fmt_double(struct tsk_buf *out, double d);
/** Appends s as a JSON string literal. */
void tsk_json_str(struct tsk_buf *out, const char *s, size_t len);

/* ---- parser-evaluator ------------------------------------------------ */

struct tsk_loader; /* load.c: how files are read */

struct tsk_keypart {
    const char *s; /* not NUL-terminated */
    size_t len;
    struct tsk_pos pos;
};

struct tsk_parser {
    struct tsk_doc *doc;
    struct tsk_diags *d;
    struct tsk_lexer lx;
    struct tsk_token tok;     /* the current token */
    const struct tsk_src *src;
    const char *path;         /* the file's path for @file (not displayed) */
    const struct tsk_load_opts *opts;
    int perr;   /* a syntax error happened: resynchronise */
    int efail;  /* perr was set because an evaluation error ended the
                 * value (not a syntax error): see tsk_p_failed */
    /* errors reported before the current statement (or array item, or
     * inline-table entry) began */
    int stmt_nerr;
    int skip;   /* >0: parse without evaluating (untaken branch) */
    int paren;  /* >0: newlines are insignificant */
    int nest;   /* brackets open in the current statement (recovery) */
    int file_index;
    /* tables that bare names resolve in, innermost last */
    TSK_ARRAY(struct tsk_table *) scopes;
    TSK_ARRAY(struct tsk_keypart) keys; /* key paths being parsed (a stack) */
    struct tsk_buf sbuf; /* scratch for string decoding */
    /* entry buffers of the inline tables being built, by nesting depth */
    TSK_ARRAY(struct tsk_table) ipool;
    size_t idepth;
    int halt;   /* too many errors: stop */
    int depth;  /* expression and block nesting (bounded) */
    /* the last string made by '+', which a following '+' may extend in
     * place (cleared whenever a value is stored, so stored strings are
     * never changed) */
    char *cat_s;
    size_t cat_len, cat_cap;
};

#define TSK_MAX_DEPTH 200

/** Parses and evaluates one source into p->doc. */
void tsk_parse_file(struct tsk_parser *p);

/** Whether the current statement (or array item, or inline-table entry)
 * has failed: a syntax error, or any error reported since it began. Then
 * perr is set too (and efail, for an evaluation error), so the parser
 * unwinds and the rest is skipped quietly: each reports its first error
 * only. */
static inline int tsk_p_failed(struct tsk_parser *p)
{
    if (!p->perr && p->d->nerr > p->stmt_nerr)
        p->perr = p->efail = 1;
    return p->perr;
}

/** Reads the next token (skipping newlines inside parentheses). */
void tsk_p_next(struct tsk_parser *p);
/** Reports a syntax error at the current token and sets perr. */
void tsk_p_syntax(struct tsk_parser *p, const struct tsk_pos *at,
                  const char *fmt, ...) TSK_PRINTF(3, 4);

/** Parses an expression (the full grammar) and evaluates it unless p->skip.
 * Returns a TSK_V_ERR value on failure (reported). */
struct tsk_value tsk_p_expr(struct tsk_parser *p);
/** A value position: exactly one range token, or an expression. */
struct tsk_value tsk_p_value(struct tsk_parser *p);

/** Parses a key path (ident or quoted parts joined by '.') onto p->keys;
 * returns the index of its first part, or -1 (syntax error reported). */
int tsk_p_keypath(struct tsk_parser *p);
/** Assigns val at the key path p->keys[base..] below t (creating tables,
 * warning on duplicates); pops the path. 0 or -1 (error reported). */
int tsk_p_assign(struct tsk_parser *p, struct tsk_table *t, size_t base,
                 struct tsk_value val);
/** "file:line:col" of pos (static buffer rotation: up to 4 at once). */
const char *tsk_pos_str(const struct tsk_pos *pos);

/* eval_ops.c */
struct tsk_value tsk_op_binary(struct tsk_parser *p, enum tsk_tok op,
                               const struct tsk_pos *op_pos,
                               struct tsk_value a, struct tsk_value b);
struct tsk_value tsk_op_neg(struct tsk_parser *p, const struct tsk_pos *op_pos,
                            struct tsk_value a);
int tsk_values_equal(const struct tsk_value *a, const struct tsk_value *b);
/** Appends v formatted for `+` concatenation; 0, or -1 when the kind cannot
 * be concatenated. */
int tsk_concat_fmt(struct tsk_buf *out, const struct tsk_value *v);

/* functions.c: p->tok is the FUNC token; parses the call. */
struct tsk_value tsk_p_call(struct tsk_parser *p);

/* json_in.c: parses JSON text into values; 0 or -1 with *err_off/err_msg. */
int tsk_json_parse(struct tsk_doc *doc, const char *s, size_t len,
                   const struct tsk_pos *pos, struct tsk_value *out,
                   size_t *err_off, const char **err_msg);

/* date.c: formats t (UTC seconds) with PHP date() tokens. */
void tsk_php_date(struct tsk_buf *out, const char *fmt, size_t len,
                  int64_t t, long usec);

/* load.c: reads a file via the options (relative to nothing). */
int tsk_load_read(const struct tsk_load_opts *opts, const char *path,
                  struct tsk_buf *out);


/* expr.c / expr_lit.c: shared between the expression files only. */
struct tsk_value tsk_p__err_value(const struct tsk_pos *pos);
struct tsk_value tsk_p__null_value(const struct tsk_pos *pos);
void tsk_p__unclosed(struct tsk_parser *p, const struct tsk_pos *open,
                     const char *what);
int tsk_p__level_of(enum tsk_tok k);
int tsk_p__ends_value(const struct tsk_parser *p);
struct tsk_value tsk_p__array_lit(struct tsk_parser *p);
struct tsk_value tsk_p__inline_table(struct tsk_parser *p);

#endif

/*
 * tsk.h - the TSK language front end: load *.tsk files into one evaluated
 * document (nested tables of typed values, each carrying file:line:col),
 * look values up, and print them as JSON. The language is specified in
 * shared/design/tsk-language.md.
 *
 * Ownership: a struct tsk_doc owns everything reachable from it (one arena):
 * tables, arrays, strings, and the struct tsk_src of every file read, which
 * the positions in values and in diagnostics point into. Free the document
 * only after the diagnostics of its load have been printed. Values, entries
 * and tables returned by the accessors are borrowed from the document and
 * are read-only.
 *
 * Load contract: every tsk_doc_load_* function ALWAYS sets *out to a
 * document (never NULL), also on failure, so that diagnostics can point
 * into its sources; on failure it is the partial document (every statement
 * that evaluated is in it). The return value is 0 when no error was
 * reported, TSK_ERROR otherwise; every error and warning goes into d
 * (errors as TSK_SEV_ERROR, warnings such as duplicate keys and @date as
 * TSK_SEV_WARNING). When d->max_errors is 0 the loader sets it to 50.
 * The caller always calls tsk_doc_free(*out).
 */
#ifndef TSK_TSK_H
#define TSK_TSK_H

#include <stddef.h>
#include <stdint.h>

#include "planner/util/util.h"

enum tsk_vkind {
    TSK_V_NULL,
    TSK_V_BOOL,
    TSK_V_INT,
    TSK_V_DOUBLE,
    TSK_V_STRING,
    TSK_V_ARRAY,
    TSK_V_TABLE,
};

struct tsk_array;
struct tsk_table;

struct tsk_value {
    enum tsk_vkind kind;
    struct tsk_pos pos; /* where the value starts (file:line:col) */
    union {
        int b;      /* TSK_V_BOOL: 0 or 1 */
        int64_t i;  /* TSK_V_INT */
        double d;   /* TSK_V_DOUBLE: always finite */
        struct {
            const char *s; /* NUL-terminated too; may contain NUL bytes */
            size_t len;
        } str;                 /* TSK_V_STRING: UTF-8 */
        struct tsk_array *arr; /* TSK_V_ARRAY */
        struct tsk_table *tab; /* TSK_V_TABLE */
    } u;
};

struct tsk_entry {
    const char *key; /* NUL-terminated */
    struct tsk_pos key_pos;
    struct tsk_value val;
};

struct tsk_array {
    struct tsk_value *v;
    size_t n;
};

struct tsk_table {
    struct tsk_entry *e; /* entries in source order (first assignment) */
    size_t n;
    /* private: capacity of e, and an open-addressing hash index
     * ((entry index + 1) << 32 | low 32 bits of the key's hash, 0 = empty)
     * used once the table is large */
    size_t cap_;
    uint64_t *idx_;
    size_t idx_cap_;
    int scratch_;       /* private: where e lives (arena, parser) */
    int is_inline;      /* written as an inline table { ... }: complete */
    struct tsk_pos pos; /* where the table was opened (header, key, brace) */
};

struct tsk_doc;

/* How files are read. Zero/NULL options = the file system, plain names. */
struct tsk_load_opts {
    /* Reads a whole file into out (which the loader initialised); returns 0
     * or a nonzero error code (errno may say why). NULL = tsk_read_file. */
    int (*read_file)(void *ctx, const char *path, struct tsk_buf *out);
    void *ctx;
    /* Prepended to file names in diagnostics and positions (e.g. "REF:"),
     * or NULL. */
    const char *display_prefix;
};

/** Loads files in argument order, merged as one document (globals shared
 * in that order; the same leaf key in two files is an error). */
int tsk_doc_load_files(struct tsk_doc **out, const char *const *paths,
                       size_t n, const struct tsk_load_opts *opts,
                       struct tsk_diags *d);

/** Loads every *.tsk file of dir (no subfolders) in byte-wise name order,
 * as tsk_doc_load_files. A folder with no *.tsk file is an error. With a
 * custom read_file, directory listing still uses the file system. */
int tsk_doc_load_dir(struct tsk_doc **out, const char *dir,
                     const struct tsk_load_opts *opts, struct tsk_diags *d);

/** Loads one in-memory text (tests, fuzzing); name is shown in
 * diagnostics; @file paths are relative to dirname(name). */
int tsk_doc_load_string(struct tsk_doc **out, const char *name,
                        const char *text, size_t len, struct tsk_diags *d);

void tsk_doc_free(struct tsk_doc *doc);

/** The root table (never NULL for a loaded document). */
const struct tsk_table *tsk_doc_root(const struct tsk_doc *doc);

/** Finds key in t: O(1) on average. NULL when absent. */
const struct tsk_entry *tsk_table_find(const struct tsk_table *t,
                                       const char *key);
/** The value of key in t, or NULL. */
const struct tsk_value *tsk_table_get(const struct tsk_table *t,
                                      const char *key);

/** Looks up "a.b.c" from the root: each segment is a table key, or a
 * decimal index when the value reached so far is an array. The empty path
 * is not a value (NULL). NULL when anything is missing. */
const struct tsk_value *tsk_doc_lookup(const struct tsk_doc *doc,
                                       const char *dotted_path);

/** Appends v as JSON: indent 0 = compact, else pretty with that many
 * spaces per level (no trailing newline). */
void tsk_value_to_json(struct tsk_buf *out, const struct tsk_value *v,
                       int indent);
/** Appends a table as a JSON object (same formatting). */
void tsk_table_to_json(struct tsk_buf *out, const struct tsk_table *t,
                       int indent);

/** Writes a table as JSON followed by a newline to f, streaming (a small
 * buffer, flushed as it fills). Returns 0 or TSK_EIO on a write error. */
int tsk_table_write_json(FILE *f, const struct tsk_table *t, int indent);

/** "null", "boolean", "integer", "double", "string", "array", "table". */
const char *tsk_vkind_name(enum tsk_vkind k);

#endif

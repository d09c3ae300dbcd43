/*
 * util.h - small primitives shared by every tuskform module: allocation that
 * aborts on out-of-memory, a growable string buffer, a typed dynamic array,
 * and diagnostics that carry source positions.
 *
 * Ownership: a struct tsk_buf owns its bytes until tsk_buf_detach() hands
 * them to the caller; a struct tsk_diags owns every string in its diags.
 * struct tsk_src owns its name and text; positions borrow a tsk_src, which
 * must outlive every diagnostic that points into it.
 */
#ifndef TSK_UTIL_H
#define TSK_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
#define TSK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TSK_PRINTF(f, a)
#endif

/* Exit codes shared by every command. */
enum tsk_exit {
    TSK_EXIT_OK = 0,
    TSK_EXIT_ERROR = 1,
    TSK_EXIT_CHANGES = 2,
    TSK_EXIT_USAGE = 64,
    TSK_EXIT_INTERRUPTED = 130,
};

/* Error codes returned by fallible functions (0 is success). */
enum tsk_err {
    TSK_OK = 0,
    TSK_ERROR = -1,
    TSK_ENOTFOUND = -2,
    TSK_ELOCKED = -3,
    TSK_ECONFLICT = -4,
    TSK_EINVAL = -5,
    TSK_EIO = -6,
};

/* Allocation: these never return NULL; out of memory aborts the process. */
void *tsk_xmalloc(size_t n);
void *tsk_xcalloc(size_t n, size_t size);
void *tsk_xrealloc(void *p, size_t n);
char *tsk_xstrdup(const char *s);
char *tsk_xstrndup(const char *s, size_t n);
/** Returns a newly allocated formatted string; the caller frees it. */
char *tsk_xasprintf(const char *fmt, ...) TSK_PRINTF(1, 2);

/**
 * Reorders the n elements of size bytes at v in place so that element j
 * becomes the old element from[j] (from is a permutation of 0..n-1), one
 * cycle at a time, with no copy of the array; from is left as 0..n-1.
 */
void tsk_permute(void *v, size_t n, size_t size, size_t *from);

/*
 * A bump allocator (bump.c): blocks carved from 64 KiB chunks (a larger
 * block gets a chunk of its own) and released all at once by
 * tsk_bump_free. struct tsk_bump b = {0} is an empty one; it owns its
 * chunks. Never returns NULL; the memory is not zeroed.
 */
struct tsk_bump_chunk;
struct tsk_bump {
    struct tsk_bump_chunk *chunks;
};
/** n bytes aligned to align (a power of two, at most max_align_t's). */
void *tsk_bump_alloc(struct tsk_bump *b, size_t n, size_t align);
/** Gives back the last n bytes of the last block tsk_bump_alloc returned
 * (n at most that block's size). */
void tsk_bump_giveback(struct tsk_bump *b, size_t n);
void tsk_bump_free(struct tsk_bump *b);

/* A typed growable array: TSK_ARRAY(int) a = {0}; *TSK_ARRAY_PUSH(a) = 1; */
#define TSK_ARRAY(T)                                                           \
    struct {                                                                   \
        T *v;                                                                  \
        size_t n, alloc;                                                       \
    }
#define TSK_ARRAY_GROW(a, want)                                                \
    ((want) > (a).alloc                                                        \
         ? ((a).alloc = (a).alloc * 2 > (want) ? (a).alloc * 2 : (want) + 8,   \
            (a).v = tsk_xrealloc((a).v, (a).alloc * sizeof(*(a).v)))           \
         : (a).v)
/* Appends a zeroed slot and returns a pointer to it. */
#define TSK_ARRAY_PUSH(a)                                                      \
    (TSK_ARRAY_GROW(a, (a).n + 1),                                             \
     memset(&(a).v[(a).n], 0, sizeof(*(a).v)), &(a).v[(a).n++])
#define TSK_ARRAY_FREE(a) (free((a).v), (a).v = NULL, (a).n = (a).alloc = 0)

/* A string buffer; ptr is never NULL and always NUL-terminated. */
struct tsk_buf {
    char *ptr;
    size_t len, alloc;
};
extern char tsk_buf__empty[];
#define TSK_BUF_INIT {tsk_buf__empty, 0, 0}

void tsk_buf_grow(struct tsk_buf *b, size_t extra);
void tsk_buf_add(struct tsk_buf *b, const void *p, size_t n);
void tsk_buf_adds(struct tsk_buf *b, const char *s);
void tsk_buf_addch(struct tsk_buf *b, char c);
void tsk_buf_addf(struct tsk_buf *b, const char *fmt, ...) TSK_PRINTF(2, 3);
void tsk_buf_vaddf(struct tsk_buf *b, const char *fmt, va_list ap);
void tsk_buf_reset(struct tsk_buf *b);
/** Returns the bytes (caller frees) and leaves b empty. */
char *tsk_buf_detach(struct tsk_buf *b, size_t *len);
void tsk_buf_release(struct tsk_buf *b);

/** Reads a whole file; returns 0 or TSK_EIO with errno set. */
int tsk_read_file(const char *path, struct tsk_buf *out);

/* A source text that diagnostics point into. */
struct tsk_src {
    char *name; /* as shown in diagnostics: "dir/main.tsk" or "REF:path" */
    char *text; /* NUL-terminated */
    size_t len;
};
struct tsk_src *tsk_src_new(const char *name, const char *text, size_t len);
void tsk_src_free(struct tsk_src *src);

/* A position in a source; src NULL means "no position". Packed to 20
 * bytes at 4-byte alignment: every value and key of a document carries one,
 * and the 4 bytes of tail padding made each value 48 bytes instead of 40. */
struct tsk_pos {
    const struct tsk_src *src;
    uint32_t line, col; /* from 1; col counts code points */
    uint32_t off;       /* byte offset of the position */
} __attribute__((packed, aligned(4)));

enum tsk_sev { TSK_SEV_ERROR, TSK_SEV_WARNING };

struct tsk_diag {
    enum tsk_sev sev;
    struct tsk_pos pos;
    char *addr;    /* resource address or NULL */
    char *summary; /* one line */
    char *detail;  /* hint or NULL */
};

struct tsk_diags {
    TSK_ARRAY(struct tsk_diag) v;
    int nerr, nwarn;
    int max_errors; /* 0: unlimited; further errors are counted, not kept */
    int dropped;
    int last_dropped; /* the last error appended was not kept */
};

/** Appends an error; returns TSK_ERROR so callers can `return tsk_diag_error(...)`. */
int tsk_diag_error(struct tsk_diags *d, const struct tsk_pos *at,
                   const char *fmt, ...) TSK_PRINTF(3, 4);
void tsk_diag_warning(struct tsk_diags *d, const struct tsk_pos *at,
                      const char *fmt, ...) TSK_PRINTF(3, 4);
/** Adds a detail (hint) line to the last diagnostic appended. */
void tsk_diag_detail(struct tsk_diags *d, const char *fmt, ...)
    TSK_PRINTF(2, 3);
/** Sets the resource address of the last diagnostic appended. */
void tsk_diag_addr(struct tsk_diags *d, const char *addr);
void tsk_diags_add(struct tsk_diags *d, enum tsk_sev sev,
                   const struct tsk_pos *at, const char *fmt, va_list ap);
/** Sorts diagnostics by file, line, column (stable). */
void tsk_diags_sort(struct tsk_diags *d);
void tsk_diags_release(struct tsk_diags *d);
/** Appends every diagnostic of src to dst (summary, detail, address), then
 * releases src and leaves it empty. */
void tsk_diags_move(struct tsk_diags *dst, struct tsk_diags *src);
/**
 * Prints every diagnostic compiler-style: "file:line:col: error: summary",
 * the source line and a caret, then the detail. color adds ANSI colour.
 */
void tsk_diags_print(const struct tsk_diags *d, FILE *out, int color);
void tsk_diag_print(const struct tsk_diag *dg, FILE *out, int color);

/** Levenshtein distance, capped at cap+1 (for did-you-mean). */
size_t tsk_edit_distance(const char *a, const char *b, size_t cap);
/** The closest candidate within a sensible distance, or NULL. */
const char *tsk_did_you_mean(const char *word, const char *const *cands,
                             size_t n);

#endif

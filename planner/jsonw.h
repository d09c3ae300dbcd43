/*
 * jsonw.h - a streaming JSON writer whose output is byte for byte what
 * cJSON_PrintUnformatted prints for the same values (cJSON 1.7.15: string
 * escapes, numbers "%1.15g" or else "%1.17g"; tests/unit/planner/
 * test_jsonw.c compares the two), without
 * building a tree: values go into a fixed buffer that is handed to a sink
 * whenever it fills up. Large documents (saved plans) are written in
 * constant memory.
 *
 * Ownership: the writer owns its buffer (tsk_jsonw_finish releases it);
 * values written are borrowed for the call only.
 */
#ifndef TSK_JSONW_H
#define TSK_JSONW_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Receives the next n bytes of output; returns 0, or -1 to stop writing. */
typedef int (*tsk_jsonw_sink)(void *ctx, const char *p, size_t n);

struct tsk_jsonw {
    char *buf;
    size_t len, cap;
    tsk_jsonw_sink sink;
    void *ctx;
    int err; /* set once the sink failed: later output is dropped */
};

/** Starts a writer with a buffer of cap bytes (at least 64) on sink. */
void tsk_jsonw_init(struct tsk_jsonw *w, size_t cap, tsk_jsonw_sink sink,
                    void *ctx);
/** Writes n bytes as they are (punctuation, keys known to need no escape). */
void tsk_jsonw_raw(struct tsk_jsonw *w, const char *s, size_t n);
/** Writes a literal: tsk_jsonw_lit(w, "{\"a\":"). */
#define tsk_jsonw_lit(w, s) tsk_jsonw_raw((w), (s), sizeof(s) - 1)
/** 1 when byte c is written as it is inside a JSON string; cJSON escapes
 * '"', '\\' and every byte below 32, nothing else (tsk_jsonw_str). */
static inline int tsk_jsonw_plain(unsigned char c)
{
    return c >= 32 && c != '"' && c != '\\';
}
/** Writes s as a JSON string ("" for NULL, as cJSON does). */
void tsk_jsonw_str(struct tsk_jsonw *w, const char *s);
/** Writes s as a JSON string, or null for NULL. */
void tsk_jsonw_str_or_null(struct tsk_jsonw *w, const char *s);
/** Writes the number a cJSON_CreateNumber(d) item prints as. */
void tsk_jsonw_num(struct tsk_jsonw *w, double d);
/** v in decimal as "%lld" prints it, into out (at least 20 bytes, not
 * NUL-terminated); returns the length. */
int tsk_jsonw_lld(char *out, long long v);
/** Writes v as cJSON_PrintUnformatted(v) would; null for NULL. */
void tsk_jsonw_value(struct tsk_jsonw *w, const cJSON *v);
/** Appends v to out as cJSON_PrintUnformatted(v) would ("null" for NULL),
 * without allocating beyond out's growth. */
struct tsk_buf;
void tsk_jsonw_print(struct tsk_buf *out, const cJSON *v);
/** Hands what is buffered to the sink now; returns 0, or -1 when the sink
 * failed at any point. */
int tsk_jsonw_flush(struct tsk_jsonw *w);
/**
 * Hands what is left to the sink and releases the buffer. Returns 0, or -1
 * when the sink failed at any point.
 */
int tsk_jsonw_finish(struct tsk_jsonw *w);

#endif

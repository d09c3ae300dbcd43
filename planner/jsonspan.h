/*
 * jsonspan.h - the members of a JSON object's text as key/value spans,
 * without parsing the values: the diff compares a stored object member by
 * member and parses only the values it needs (plan.h's lazy attributes).
 *
 * Ownership: spans point into the text passed, which the caller keeps
 * alive (and unchanged) while it uses them; the span array is the caller's
 * (TSK_ARRAY_FREE).
 */
#ifndef TSK_JSONSPAN_H
#define TSK_JSONSPAN_H

#include <stddef.h>

#include "planner/util/util.h"

/* One member: key is the text between the key's quotes (escapes kept),
 * val the value's text (no surrounding white space). */
struct tsk_jspan {
    const char *key, *val;
    size_t klen, vlen;
};
typedef TSK_ARRAY(struct tsk_jspan) tsk_jspans;

/**
 * Appends the members of the JSON object text to out, in text order
 * (duplicates kept). Returns 0, or -1 when text is not one well-formed
 * object (out is then left with what was appended so far).
 */
int tsk_jspan_split(const char *text, tsk_jspans *out);
/** Length of the JSON value at p (white space before it not allowed), or
 * 0 when it is not well formed. */
size_t tsk_jspan_skip(const char *p);
/** The first member whose key text is exactly name[0..n), or NULL. */
const struct tsk_jspan *tsk_jspan_find(const struct tsk_jspan *v, size_t nv,
                                       const char *name, size_t n);

#endif

/*
 * jsonspan.h - the members of a JSON object's text as key/value spans,
 * without parsing the values: the diff compares a stored object member by
 * member and parses only the values it needs (plan.h's lazy attributes),
 * and the state loader checks stored JSON with it, building nothing.
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
/**
 * Finds the first member whose key text is exactly name[0..n) in the JSON
 * object text, stopping there: 1 with it in *out, 0 when the object
 * (well formed) has none, -1 when the text is not well formed up to where
 * the search stopped.
 */
int tsk_jspan_member(const char *text, const char *name, size_t n,
                     struct tsk_jspan *out);
/**
 * 1 when text is one well-formed JSON object (open '{') or array ('['),
 * white space around it allowed, as cJSON would read it whole (nesting
 * up to cJSON's limit included); 0 otherwise. Builds nothing.
 */
int tsk_jspan_valid(const char *text, char open);
/** Length of the JSON value at p (white space before it not allowed), or
 * 0 when it is not well formed. */
size_t tsk_jspan_skip(const char *p);
/** The first member whose key text is exactly name[0..n), or NULL. */
const struct tsk_jspan *tsk_jspan_find(const struct tsk_jspan *v, size_t nv,
                                       const char *name, size_t n);

/**
 * 1 when text is the object whose members v[0..n) are (tsk_jspan_split's)
 * laid out compactly: no white space outside the values, exactly as
 * cJSON_PrintUnformatted and tsk_jsonw write an object.
 */
int tsk_jspan_compact(const char *text, const struct tsk_jspan *v, size_t n);
/**
 * 1 when the value text val[0..n) (a well-formed span) is a scalar that
 * reads back and prints as exactly these bytes: true, false, null, a
 * string without escapes, or a whole number of at most 15 digits in
 * shortest form. 0 for everything else (not necessarily non-canonical).
 */
int tsk_jspan_canonical(const char *val, size_t n);

#endif

/*
 * attrpath.h - attribute paths and value helpers shared by the diff, the
 * refresh and the renderers. A path is dotted: "memory_size",
 * "environment.DB_PASS", "layers.0" (a number steps into a list).
 * Sensitive paths cover everything under them.
 *
 * Ownership: returned cJSON trees and strings are the caller's; cJSON
 * arguments are borrowed unless the name ends in _take.
 */
#ifndef TSK_ATTRPATH_H
#define TSK_ATTRPATH_H

#include <cjson/cJSON.h>

#include "planner/util/util.h"

/* The marker that replaces a redacted value in machine output. */
#define TSK_REDACTED "(sensitive value)"

typedef TSK_ARRAY(char *) tsk_strvec;

/** The value at path inside root (borrowed), or NULL. */
cJSON *tsk_path_get(const cJSON *root, const char *path);
/**
 * Sets path inside object root to val (taken), making the objects on the
 * way; an existing value at path is replaced. A step through a non-object
 * replaces it with an object.
 */
void tsk_path_set_take(cJSON *root, const char *path, cJSON *val);
/** 1 when path equals one of paths or lies under one ("a.b" under "a"). */
int tsk_path_covered(const char *const *paths, size_t n, const char *path);
/** 1 when some path in paths equals path or lies under it. */
int tsk_path_has_below(const char *const *paths, size_t n, const char *path);
/**
 * Appends to out (as new strings) the paths where a and b differ, leaves
 * first: objects are compared key by key, lists of equal length element by
 * element; anything else that differs is one path. prefix may be NULL.
 */
void tsk_path_diff(const cJSON *a, const cJSON *b, const char *prefix,
                   tsk_strvec *out);
/** Equal values; NULL and JSON null count as equal. */
int tsk_value_eq(const cJSON *a, const cJSON *b);
/**
 * A copy of v with every value at or under a sensitive path replaced by
 * TSK_REDACTED. v may be NULL (returns NULL).
 */
cJSON *tsk_redact_dup(const cJSON *v, const char *const *paths, size_t n);
/**
 * Terraform's sensitivity mask: an object with true at each sensitive path
 * that v has (every path when v is NULL); {} when there is none.
 */
cJSON *tsk_sensitive_mask(const cJSON *v, const char *const *paths, size_t n);
/** Path as Terraform path steps: "a.0.b" -> ["a",0,"b"] (0 for lists). */
cJSON *tsk_path_steps(const cJSON *root, const char *path);
/** 1 when s is one of v[0..n). */
int tsk_strs_has(char *const *v, size_t n, const char *s);
/* Appends a copy of s to a TSK_ARRAY(char *) unless it holds s already. */
#define TSK_STRS_ADD_UNIQUE(a, s)                                              \
    do {                                                                       \
        if (!tsk_strs_has((a).v, (a).n, (s)))                                  \
            *TSK_ARRAY_PUSH(a) = tsk_xstrdup(s);                               \
    } while (0)
/* Moves a tsk_strvec's strings into another TSK_ARRAY(char *). */
#define TSK_STRS_MOVE(dst, src)                                                \
    ((dst).v = (src).v, (dst).n = (src).n, (dst).alloc = (src).alloc,          \
     (src).v = NULL, (src).n = (src).alloc = 0)
void tsk_strvec_free(tsk_strvec *v);

#endif

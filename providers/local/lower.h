/*
 * lower.h - private to the local provider's lowering (lower.c for
 * functions and per-function resources, lower_events.c for event sources
 * and event rules, lower_source.c for the code hash): the lowering context
 * and small node-building helpers.
 *
 * Ownership: the context borrows the model, the graph and the diagnostics;
 * every cJSON object handed to tsk_local__add() belongs to the graph.
 */
#ifndef TSK_PROVIDERS_LOCAL_LOWER_H
#define TSK_PROVIDERS_LOCAL_LOWER_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "planner/model.h"
#include "providers/local/local.h"

struct tsk_local_lower {
    const struct tsk_model *m;
    struct tsk_graph *g;
    struct tsk_diags *d;
    uint32_t *fn;  /* graph node of each model function, UINT32_MAX if none */
    uint32_t api;  /* local_api node, made with the first http route */
    uint32_t dlq;  /* dead-letter local_queue, or UINT32_MAX */
};

/** "a_b" (or "a" when b is NULL) with characters outside [A-Za-z0-9_-]
 * replaced by '_'; the caller frees it. */
char *tsk_local__name(const char *a, const char *b);
/** The address "type.NAME" (NAME as tsk_local__name(a, b) makes it),
 * written into buf when it fits in cap bytes, else into a new string:
 * the caller frees the result when it is not buf. */
char *tsk_local__addr(char *buf, size_t cap, const char *type, const char *a,
                      const char *b);
/** Adds node type.NAME (NAME from tsk_local__name(a, b)) for function key
 * fkey (or NULL); returns its index or UINT32_MAX after an error. */
uint32_t tsk_local__add(struct tsk_local_lower *L, const char *type,
                        const char *a, const char *b, cJSON *attrs,
                        const struct tsk_pos *pos, const char *fkey);
cJSON *tsk_local__obj(void);
/** Adds k = v to o when v is not NULL. k must be a string constant (it
 * is not copied); these three abort when out of memory. */
void tsk_local__str(cJSON *o, const char *k, const char *v);
void tsk_local__num(cJSON *o, const char *k, double v);
void tsk_local__bool(cJSON *o, const char *k, int v);
/** Adds k = v, v a string constant that outlives every copy of o (it is
 * not copied: the item is a cJSON string reference). */
void tsk_local__lit(cJSON *o, const char *k, const char *v);
/** Adds k = a + sep + b (b may be NULL), made in one allocation that the
 * item owns. */
void tsk_local__cat(cJSON *o, const char *k, const char *a, const char *sep,
                    const char *b);
/** An upper bound of the nodes tsk_local_lower makes for m. */
size_t tsk_local__count(const struct tsk_model *m);
cJSON *tsk_local__strs(const struct tsk_model_strs *s);
/** SERVICE-KEY, or KEY without a service; the caller frees it. */
char *tsk_local__cloud_name(const struct tsk_model *m, const char *key);
/** "rate(5 minutes)" for 300 seconds; the caller frees it. */
char *tsk_local__rate(int64_t seconds);

/* lower_source.c */
/** The sha256 (hex) of a code file or folder; returns 0 or an errno. */
int tsk_local__source_hash(const char *path, char out[65]);
/** The same, read from source tree fs (NULL: the file system). */
int tsk_local__source_hash_in(const struct tsk_srcfs *fs, const char *path,
                              char out[65]);

/* lower_events.c */
/** The event sources of function i: triggers, routes, queues, schedules. */
void tsk_local__events(struct tsk_local_lower *L, size_t i);
/** The dead-letter queue, the event rules and their targets. */
void tsk_local__rules(struct tsk_local_lower *L);

#endif

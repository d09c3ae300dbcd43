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

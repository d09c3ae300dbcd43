/*
 * diff_int.h - private to diff.c and diff_order.c: the address index,
 * target selection and change ordering.
 */
#ifndef TSK_DIFF_INT_H
#define TSK_DIFF_INT_H

#include "planner/attrpath.h"
#include "planner/diff.h"
#include "planner/util/jsonspan.h"

/* Address -> index: an open-addressing hash table of borrowed addresses
 * (they outlive the table). Owns its slots (tsk_diff__aidx_free). */
struct tsk_aidx_slot {
    const char *addr; /* NULL: empty */
    size_t i;
    uint32_t h;
};
struct tsk_aidx {
    struct tsk_aidx_slot *v;
    size_t mask, n;
};
/** An empty index with room for n addresses. */
void tsk_diff__aidx_init(struct tsk_aidx *x, size_t n);
/** Adds addr -> i unless addr is there already (the first one stays). */
void tsk_diff__aidx_put(struct tsk_aidx *x, const char *addr, size_t i);
/** The index stored for addr, or SIZE_MAX. */
size_t tsk_diff__aidx_find(const struct tsk_aidx *x, const char *addr);
void tsk_diff__aidx_free(struct tsk_aidx *x);

/*
 * Which nodes and prior objects the plan covers under -target: sel_node
 * and sel_prior (one byte each) are set to 1 for selected ones. Without
 * targets everything is selected. Warns about targets that match nothing.
 */
void tsk_diff__select(const struct tsk_graph *g, const struct tsk_object *prior,
                      size_t nprior, const struct tsk_aidx *nodes,
                      const struct tsk_aidx *priors,
                      const struct tsk_diff_opts *o, unsigned char *sel_node,
                      unsigned char *sel_prior, struct tsk_diags *d);

/*
 * Reorders plan->changes[first..] so that creates and updates follow the
 * changes of their deps, a delete precedes the deletes of its deps, and a
 * change whose prior object depended on a deleted one precedes that
 * delete. prior_of[i - first] is change i's prior object or NULL. Ties
 * keep the current order.
 */
void tsk_diff__order(struct tsk_plan *plan, size_t first,
                     const struct tsk_object *const *prior_of);

/*
 * A prior object's attributes read from its stored text without parsing
 * it: members as spans, their keys as C strings (in keys, each key
 * followed by a NUL, at koff[i]), and a buffer for printing configured
 * values. One view is reused from object to object; it owns its buffers
 * (tsk_diff__pview_free) and borrows the object.
 */
struct tsk_diff__pview {
    const char *text;
    tsk_jspans sp;
    struct tsk_buf keys, print;
    TSK_ARRAY(size_t) koff;
    int inexact; /* since open: a value found equal only once parsed */
};
/**
 * Opens v on o's text. Returns 0, or -1 when the text view cannot give
 * exactly what the parsed tree would (o parsed already, no text, text not
 * one object, escaped or dotted keys, or a dotted name in names): the
 * caller then compares trees.
 */
int tsk_diff__pview_open(struct tsk_diff__pview *v, const struct tsk_object *o,
                         const char *const *names, size_t nnames);
/** Member i's key as a string (valid until the next open). */
const char *tsk_diff__pview_key(const struct tsk_diff__pview *v, size_t i);
/** The first member named name, or NULL. */
const struct tsk_jspan *tsk_diff__pview_find(const struct tsk_diff__pview *v,
                                             const char *name);
/** 1 when the member's value equals av as tsk_value_eq says: bytes of
 * av's canonical print first, a parse of the member when they differ. */
int tsk_diff__pview_eq(struct tsk_diff__pview *v, const struct tsk_jspan *s,
                       const cJSON *av);
/** The member's value parsed (the caller's); null when it does not parse. */
cJSON *tsk_diff__span_value(const struct tsk_jspan *s);
/**
 * The value at attribute path (tsk_path_get's) of the JSON object text, a
 * new tree (the caller's), or NULL when there is none.
 */
cJSON *tsk_diff__text_get(const char *text, const char *path);
void tsk_diff__pview_free(struct tsk_diff__pview *v);

#endif

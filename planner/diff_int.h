/*
 * diff_int.h - private to diff.c and diff_order.c: the address index,
 * target selection and change ordering.
 */
#ifndef TSK_DIFF_INT_H
#define TSK_DIFF_INT_H

#include "planner/attrpath.h"
#include "planner/diff.h"

/* Address -> index, sorted by address for bsearch. */
struct tsk_aidx {
    const char *addr;
    size_t i;
};
void tsk_diff__aidx_sort(struct tsk_aidx *v, size_t n);
/** The index stored for addr, or SIZE_MAX. */
size_t tsk_diff__aidx_find(const struct tsk_aidx *v, size_t n,
                           const char *addr);

/*
 * Which nodes and prior objects the plan covers under -target: sel_node
 * and sel_prior (one byte each) are set to 1 for selected ones. Without
 * targets everything is selected. Warns about targets that match nothing.
 */
void tsk_diff__select(const struct tsk_graph *g, const struct tsk_object *prior,
                      size_t nprior, const struct tsk_aidx *nodes,
                      const struct tsk_aidx *priors, size_t npriors,
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

#endif

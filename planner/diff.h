/*
 * diff.h - planning: the desired graph against the prior objects (as the
 * state stores them, or as a refresh read them) gives the ordered changes
 * of a struct tsk_plan; refresh reads every prior object through its
 * provider and records drift.
 *
 * Ownership: the graph, order and prior objects are borrowed; the plan
 * receives copies of everything it keeps. Refresh replaces the objects it
 * reads in place (the array stays the caller's).
 */
#ifndef TSK_DIFF_H
#define TSK_DIFF_H

#include "planner/graph.h"
#include "planner/plan.h"
#include "providers/provider.h"

struct tsk_diff_opts {
    int destroy;      /* delete every prior object, in reverse order */
    int refresh_only; /* no changes at all: the plan carries drift only */
    const char *const *targets; /* -target: these and their dependencies */
    size_t ntargets;
    const char *const *replace; /* -replace: force a replacement */
    size_t nreplace;
    /* The changes' before borrow the prior objects' attributes (an object
     * referring to their members, cJSON_CreateObjectReference) instead of
     * copying them: the prior objects must then outlive every use of the
     * plan's before values (they are never changed through them). The
     * changes' addresses, names, ids and deps borrow the graph's and the
     * prior objects' strings too (tsk_change.borrowed): the graph must
     * outlive the plan as well. */
    int borrow_prior;
    /* The nodes' attribute values move into the plan instead of being
     * copied: the graph's attrs are NULL afterwards (the graph passed must
     * be a modifiable one). For callers that read them no more. */
    int take_attrs;
};

/**
 * Appends to plan->changes one change per configured node (no-ops
 * included) and one delete per prior object that has no node, ordered so
 * that creates and updates follow their dependencies and deletes precede
 * the deletes of what they depended on. order is the node order from
 * tsk_graph_check (dependencies first). A -target or -replace address that
 * matches nothing is a warning. Returns 0, or TSK_ERROR with diagnostics.
 */
int tsk_diff(struct tsk_plan *plan, const struct tsk_graph *g,
             const uint32_t *order, const struct tsk_object *prior,
             size_t nprior, const struct tsk_diff_opts *opts,
             struct tsk_diags *d);

/** A provider instance that refresh reads through. */
struct tsk_refresh_opts {
    const struct tsk_provider *prov; /* types are looked up here */
    struct tsk_pctx *pctx;
    const char *stack;
    int parallelism; /* worker threads; <= 0 means 10 */
};

/**
 * Reads every object in objs[0..n) through its type's read callback, n
 * at a time in parallel. An object that changed is replaced in place by
 * what was read (and a TSK_DRIFT_CHANGED entry naming the differing paths
 * is appended to plan->drift); one that is gone is released and marked by
 * addr == NULL after a TSK_DRIFT_DELETED entry. An object whose type the
 * provider does not know is kept with a warning. A read error is an error
 * naming the address; the other reads still run. Drift is in objs order.
 */
int tsk_refresh(struct tsk_plan *plan, struct tsk_object *objs, size_t n,
                const struct tsk_refresh_opts *opts, struct tsk_diags *d);

#endif

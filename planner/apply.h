/*
 * apply.h - carrying a plan out: a parallel walk of its changes (a change
 * starts when everything it waits for has finished; deletes run in reverse
 * dependency order), each finished resource committed to state at once,
 * with a journal intent written before every provider call; recovery of
 * the intents an interrupted run left behind; progress lines.
 *
 * Ownership: the plan, graph, state handle and provider instance are
 * borrowed; a struct tsk_apply_report owns its address lists
 * (tsk_apply_report_release).
 */
#ifndef TSK_APPLY_H
#define TSK_APPLY_H

#include <signal.h>
#include <stdio.h>

#include "planner/attrpath.h"
#include "planner/graph.h"
#include "planner/plan.h"
#include "providers/provider.h"
#include "state/state.h"

struct tsk_apply_opts {
    const struct tsk_graph *g; /* the references of each change's node;
                                * NULL when no change has unknown values */
    const struct tsk_provider *prov;
    struct tsk_pctx *pctx;
    const char *stack;
    struct tsk_state *st;
    int parallelism;  /* worker threads; <= 0 means 10 */
    FILE *progress;   /* progress lines, or NULL for none */
    int color;        /* colour in progress lines */
    int still_every;  /* seconds between "Still creating..." lines; 0: 10 */
    /* Set (> 0) by a SIGINT handler: no new change starts, the calls in
     * flight finish and are committed. NULL: not interruptible. */
    volatile sig_atomic_t *interrupt;
};

struct tsk_apply_report {
    int added, changed, destroyed;
    int interrupted; /* stopped by *interrupt before the end */
    int lock_lost;   /* the state lock was taken away: stopped */
    tsk_strvec failed;      /* addresses whose call failed */
    tsk_strvec skipped;     /* "addr (needs failed-addr)" */
    tsk_strvec not_started; /* left when interrupted */
    tsk_strvec tainted;     /* left tainted by a failed create (under mu) */
};
void tsk_apply_report_release(struct tsk_apply_report *r);

/**
 * Applies every change of plan (no-ops and reads are skipped). Each
 * provider call is preceded by a journal intent, and its result is stored
 * in state in the same transaction that clears the intent. A failure does
 * not stop independent changes; what depends on it is skipped and listed.
 * A failed create leaves the resource tainted in state. Errors of the
 * calls go to d with their addresses. Returns 0 when every change was
 * made, TSK_ERROR otherwise (see the report), TSK_EINVAL for a plan that
 * cannot be walked (e.g. its ordering has a cycle).
 */
int tsk_apply(struct tsk_apply_report *out, const struct tsk_plan *plan,
              const struct tsk_apply_opts *o, struct tsk_diags *d);

/**
 * Prints the closing line: "Apply complete! Resources: X added, Y changed,
 * Z destroyed." (or "Destroy complete! Resources: Z destroyed."), and when
 * something went wrong what failed, what was skipped and what was not
 * started. destroy selects the destroy wording.
 */
void tsk_apply_summary(const struct tsk_apply_report *r, int destroy,
                       FILE *out, int color);
/** "2 added, 1 changed, 0 destroyed" for history (caller frees). */
char *tsk_apply_summary_line(const struct tsk_apply_report *r);

/**
 * Settles the journal an interrupted or killed run left behind, before
 * planning: for each pending intent the object is looked up in the
 * provider (find for creates, read for updates and deletes); an object
 * that exists but is not recorded is adopted into state, one recorded but
 * gone is forgotten, one left behind by a create-before-destroy
 * replacement is deleted. Each settled intent is cleared. Needs the state
 * lock. *nsettled (may be NULL) gets how many intents were settled; a line
 * per settled object goes to o->progress.
 */
int tsk_apply_recover(int *nsettled, const struct tsk_apply_opts *o,
                      struct tsk_diags *d);

/* What plan and drift make of the pending intents: the objects pending
 * creates made, as present (owns its objects). */
struct tsk_apply_found {
    TSK_ARRAY(struct tsk_object) v; /* sorted by address */
    size_t npending;                /* intents pending in the journal */
};
void tsk_apply_found_release(struct tsk_apply_found *f);

/**
 * For the commands that write nothing (plan, drift): the objects that the
 * pending create intents of an interrupted apply made. Each pending create
 * is looked up in the provider (find); an object that exists but is not
 * recorded under that id is returned in out as the next apply would adopt
 * it (its attributes as read; sensitive paths, dependencies and taint from
 * the record or the graph node), so that a plan does not create it again.
 * Nothing is written to state or to the provider; the next apply settles
 * the journal. Other intents are left to the refresh (updates and deletes
 * name recorded objects). Lookup failures are warnings.
 */
int tsk_apply_pending_found(struct tsk_apply_found *out,
                            const struct tsk_apply_opts *o,
                            struct tsk_diags *d);

#endif

/*
 * flow.h - the common run of the commands that refresh and change the
 * cloud (apply, destroy, drift, import): load the configuration of the
 * current folder, open (and lock) the state, configure the provider,
 * settle the journal an interrupted apply left, then load the prior
 * objects and make a plan (refresh, diff, plan metadata).
 *
 * Ownership: a struct tsk_flow owns everything in it; tsk_flow_end()
 * releases it after printing the diagnostics (which may point into the
 * configuration's sources).
 */
#ifndef TSK_CMD_FLOW_H
#define TSK_CMD_FLOW_H

#include "planner/apply.h"
#include "planner/config.h"
#include "planner/diff.h"
#include "planner/plan.h"
#include "state/state.h"

struct tsk_flow_opts {
    const char *operation; /* lock held for it; NULL: read-only state */
    double lock_timeout;   /* seconds to wait for the lock */
    int parallelism;       /* refresh and apply workers; <= 0: 10 */
    int color;
    int no_recover;        /* leave the journal alone (read-only runs) */
    int cost_free_tier;    /* -cost-free-tier */
    int budget_fail;       /* -budget-policy=fail */
    /* The graph's attribute values are not needed after the diff (plan
     * without apply): tsk_flow_plan moves them into the plan. */
    int drop_graph_attrs;
};

struct tsk_flow {
    struct tsk_flow_opts o;
    struct tsk_config *cfg;
    struct tsk_state *st; /* NULL read-only with no state file yet */
    const struct tsk_provider *prov;
    struct tsk_pctx *pctx;
    char *workdir;                    /* absolute */
    TSK_ARRAY(struct tsk_object) prior; /* as stored (refreshed by plan) */
    struct tsk_plan plan;
    struct tsk_diags d;
    const char *git_ref; /* -git-ref: configuration from that commit */
};

/**
 * Loads the configuration, opens the state (locked for o->operation),
 * configures the provider, settles the journal (progress on stdout) and
 * loads the prior objects. Returns 0 or an error reported in f->d. The
 * state's resources are read ahead on a second thread while the
 * configuration loads, with no lock and nothing reported; they are used
 * only if the state has not changed by the time they are needed, so what
 * is reported, locked and written is as if it all ran in that order.
 */
int tsk_flow_start(struct tsk_flow *f, const struct tsk_flow_opts *o);
/** tsk_flow_start with the configuration read from git revision git_ref
 * (NULL: the work tree); the plan then records that commit. */
int tsk_flow_start_at(struct tsk_flow *f, const struct tsk_flow_opts *o,
                      const char *git_ref);

/**
 * Makes f->plan: refreshes the prior objects unless refresh is 0 (drift
 * recorded), then diffs the configuration against them with dopts, and
 * fills in the lineage, serial, digest, versions and git commit.
 */
int tsk_flow_plan(struct tsk_flow *f, const struct tsk_diff_opts *dopts,
                  int refresh);

/**
 * Adds the monthly cost estimate to f->plan (before: the prior objects;
 * after: the configuration), with budgets checked (flow_cost.c). Returns
 * TSK_ERROR when a budget is exceeded under -budget-policy=fail.
 */
int tsk_flow_cost(struct tsk_flow *f);

/**
 * Saves what the refresh of tsk_flow_plan found: objects gone from the
 * cloud are forgotten, changed ones stored as read (before an apply, so
 * that state matches the cloud the plan was made against).
 */
int tsk_flow_save_refresh(struct tsk_flow *f);

/** Options for apply/destroy as a tsk_apply_opts (progress on stdout). */
void tsk_flow_apply_opts(const struct tsk_flow *f, struct tsk_apply_opts *ao,
                         volatile sig_atomic_t *interrupt);

/** Adds a history row for operation with summary (and git info). */
void tsk_flow_history(struct tsk_flow *f, const char *operation,
                      const char *summary);

/**
 * Applies f->plan (after saving the refresh), prints the summary and adds
 * the history row. Returns the exit code: 0, 1 (something not done) or
 * 130 (interrupted).
 */
int tsk_flow_apply(struct tsk_flow *f, volatile sig_atomic_t *intr,
                   int destroy);

/** Prints the diagnostics to stderr and releases everything. */
void tsk_flow_end(struct tsk_flow *f);

/**
 * Installs the Ctrl-C handler of apply and destroy. Until tsk_flow_apply
 * starts the walk, SIGINT exits at once with 130 (nothing is in flight).
 * During the walk the first SIGINT sets the returned flag (calls in flight
 * finish and are saved) and the second exits at once with 130 (every state
 * commit is one transaction, so state stays whole).
 */
volatile sig_atomic_t *tsk_flow_sigint(void);

#endif

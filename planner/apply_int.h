/*
 * apply_int.h - private to planner/apply_*.c: the operations a plan is cut
 * into (a replacement is a create and a delete), the shared run state of
 * the worker threads, and the helpers each file provides.
 *
 * Everything in struct tsk_apply_run marked "under mu" is read and written
 * with mu held; the rest is set before the workers start.
 */
#ifndef TSK_APPLY_INT_H
#define TSK_APPLY_INT_H

#include <pthread.h>

#include "planner/apply.h"

enum tsk_op_kind { TSK_OP_CREATE, TSK_OP_UPDATE, TSK_OP_DELETE };
enum tsk_op_state {
    TSK_OS_WAIT,
    TSK_OS_READY,
    TSK_OS_RUN,
    TSK_OS_DONE,
    TSK_OS_FAIL,
    TSK_OS_SKIP,
};

struct tsk_apply_op {
    size_t ch; /* index of the change in the plan */
    enum tsk_op_kind kind;
    enum tsk_op_state state; /* under mu */
    uint32_t npred;          /* predecessors not finished; under mu */
    TSK_ARRAY(uint32_t) succ;
    int64_t t0_ms;    /* start; under mu */
    int64_t still_ms; /* elapsed ms of the next "Still ..." line; under mu */
    int queued;       /* taken in a batch, its call not started; under mu */
    char *id;                /* the remote id once known; under mu */
};

struct tsk_apply_run {
    const struct tsk_plan *plan;
    const struct tsk_apply_opts *o;
    TSK_ARRAY(struct tsk_apply_op) ops;
    uint32_t *op_apply, *op_destroy; /* per change: its ops or UINT32_MAX */
    size_t *by_addr;                 /* change indexes sorted by address */
    cJSON **results;        /* per change: attributes applied; under mu */
    int64_t *deposed_jid;   /* per change: intent of a deposed object */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    TSK_ARRAY(uint32_t) ready; /* from rhead on; under mu */
    size_t rhead;
    unsigned char *listed; /* per change: in failed 1, skipped 2, ...  */
    size_t running, remaining; /* under mu */
    TSK_ARRAY(uint32_t) inflight; /* the running ops; under mu */
    int stopping, done;        /* under mu */
    int nworkers;              /* threads walking */
    int slow;                  /* calls take long: no batches; under mu */
    struct tsk_apply_report *rep; /* under mu */
    struct tsk_diags *d;          /* under mu */
};

/* apply_walk.c */
/** The change of plan at addr, or SIZE_MAX. */
size_t tsk_apply__find(const struct tsk_apply_run *r, const char *addr);

/* apply_exec.c */
/** Makes the provider call of op with its journal intent and state commit.
 * Runs on a worker thread without mu; d is the worker's own. */
int tsk_apply__exec(struct tsk_apply_run *r, struct tsk_apply_op *op,
                    struct tsk_diags *d);
/* The most operations one worker takes at once (tsk_apply__exec_batch). */
#define TSK_APPLY_BATCH 32
/* A batch starts no further call after this many milliseconds. */
#define TSK_APPLY_BATCH_MS 50
/* tsk_apply__exec_batch: an operation not started (interrupted, or the
 * batch took too long); its intent is cleared. */
#define TSK_APPLY_NOT_STARTED 1
/** 1 when op can share a batch: a create, update or delete that is not
 * half of a create-before-destroy replacement. */
int tsk_apply__batchable(const struct tsk_apply_run *r,
                         const struct tsk_apply_op *op);
/**
 * Runs the batchable operations ops[0..n), taken by one worker (state
 * TSK_OS_RUN), one call after the other: their journal intents are
 * committed together before the first call, and the results of the calls
 * that succeeded are stored together after the last one (each still
 * committed before the operation counts as finished). Prints each start
 * line (taking mu). rcs[i] and ds[i] (the caller's, zeroed) get each
 * operation's result: 0, an error, or TSK_APPLY_NOT_STARTED when an
 * interrupt came first or the batch already ran TSK_APPLY_BATCH_MS (its
 * intent is cleared; the caller puts it back in the ready list).
 */
void tsk_apply__exec_batch(struct tsk_apply_run *r, const uint32_t *ops,
                           size_t n, int *rcs, struct tsk_diags *ds);
/** The provider resource type of a change's type, or NULL with an error. */
const struct tsk_resource_type *
tsk_apply__type(const struct tsk_apply_opts *o, const char *type,
                const char *addr, struct tsk_diags *d);
/** A JSON array of strings (caller deletes). */
cJSON *tsk_apply__strs_json(char *const *v, size_t n);

/* apply_progress.c */
int64_t tsk_apply__now_ms(void);
/** "Creating...", "Destroying... [id=...]" (under mu). */
void tsk_apply__progress_start(struct tsk_apply_run *r,
                               const struct tsk_apply_op *op);
/** "Creation complete after 2s [id=...]" or "... failed" (under mu). */
void tsk_apply__progress_end(struct tsk_apply_run *r,
                             const struct tsk_apply_op *op, int ok);
/** "Still creating... [30s elapsed]" for ops running long (under mu). */
void tsk_apply__progress_still(struct tsk_apply_run *r, int64_t now);

#endif

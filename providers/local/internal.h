/*
 * internal.h - shared between cloud.c and crud.c of the local provider only:
 * the configured instance (struct tsk_pctx), its pool of SQLite connections
 * to the "cloud" file, the latency and failure knobs, and the row-level
 * operations on the objects table.
 *
 * Ownership: struct tsk_local_obj owns its strings and cJSON values
 * (tsk_local__obj_release). Connections taken with tsk_local__db_get go
 * back with tsk_local__db_put; they never cross threads while taken.
 */
#ifndef TSK_PROVIDERS_LOCAL_INTERNAL_H
#define TSK_PROVIDERS_LOCAL_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>

#include "providers/local/local.h"

/* A call that TUSKFORM_LOCAL_FAIL makes fail: "create:local_function.api". */
struct tsk_local_failpt {
    char *op;   /* "create", "update", "delete", "read", "find", "*" */
    char *addr; /* an address, or "*" */
    int lost;   /* "lost-create:": the call succeeds, then reports failure */
};

struct tsk_local_req;  /* a write waiting for group commit (commit.c) */
struct tsk_local_rreq; /* a batch of reads waiting for a group (many.c) */

struct tsk_pctx {
    char *path;   /* the cloud file */
    char *region; /* "local" unless the configuration sets one */
    char *stack;
    /* The resource types this instance serves (tsk_local_types; tests may
     * substitute their own table). */
    const struct tsk_resource_type *const *types;
    long latency_ms;
    TSK_ARRAY(struct tsk_local_failpt) fails;
    double fail_rate; /* 0: off */
    uint64_t fail_seed;
    pthread_mutex_t mu;  /* guards idle */
    pthread_mutex_t wmu; /* serialises this process's write transactions */
    TSK_ARRAY(sqlite3 *) idle;
    /* Group commit (commit.c): writes waiting for the next transaction,
     * and whether a thread is writing one; under gmu. */
    pthread_mutex_t gmu;
    pthread_cond_t gcv;
    struct tsk_local_req *queue, **qtail;
    int leading;
    int nqueued;           /* writes in queue */
    int writers;           /* threads in a write call, past its latency */
    int lingering;         /* the leader waits for them (on arrive) */
    pthread_cond_t arrive; /* CLOCK_MONOTONIC */
    /* Group reads (many.c): the batches of reads of threads reading at the
     * same time, which one of them (the leader) reads for all; under rmu. */
    pthread_mutex_t rmu;
    pthread_cond_t rcv; /* CLOCK_MONOTONIC */
    struct tsk_local_rreq *rqueue;
    int rleading;
    int rentered; /* threads in a read batch that have not queued it yet */
};

/* One object of the cloud. */
struct tsk_local_obj {
    char *id, *type, *name, *arn;
    cJSON *attrs; /* the attributes, id and arn included */
    cJSON *tags;  /* object of strings */
};
void tsk_local__obj_release(struct tsk_local_obj *o);

/** Opens (or creates) the cloud file and configures the knobs from the
 * environment. types NULL means tsk_local_types. */
int tsk_local__open(struct tsk_pctx **out, const struct tsk_provider_cfg *cfg,
                    const struct tsk_resource_type *const *types,
                    struct tsk_diags *d);

/** Takes a connection of the pool (opening one if none is idle). */
int tsk_local__db_get(struct tsk_pctx *p, sqlite3 **out, struct tsk_diags *d);
void tsk_local__db_put(struct tsk_pctx *p, sqlite3 *db);

/**
 * The knobs, applied at the start of every call: sleeps the configured
 * latency (holding no lock), then returns TSK_ERROR with an error when
 * TUSKFORM_LOCAL_FAIL selects this call. *lost is set for a "lost-" point:
 * the caller performs the call, then reports failure.
 */
int tsk_local__knobs(struct tsk_pctx *p, const char *op, const char *addr,
                     int *lost, struct tsk_diags *d);

/** A prepared statement of db for sql, reused when one is idle (prepared
 * once per connection), or NULL. Give it back with tsk_local__stmt_done;
 * never finalize it (the connection does when it closes). */
sqlite3_stmt *tsk_local__stmt(sqlite3 *db, const char *sql);
/** Resets s and clears its bindings, ready for the next use. */
void tsk_local__stmt_done(sqlite3_stmt *s);

/** Loads the object id (of type, when type is not NULL): 0, TSK_ENOTFOUND,
 * or an error (a damaged row names the object). */
int tsk_local__obj_get(struct tsk_local_obj *out, sqlite3 *db,
                       const char *type, const char *id, struct tsk_diags *d);
/** Only the attributes of object id of type (a refresh reads nothing
 * else): same results as tsk_local__obj_get. */
int tsk_local__obj_attrs(cJSON **out, sqlite3 *db, const char *type,
                         const char *id, struct tsk_diags *d);
/** The id of the object of type whose id, arn or name is value, or NULL
 * (caller frees). */
char *tsk_local__obj_lookup(sqlite3 *db, const char *type, const char *value);
/** The newest object of type tagged with stack and address addr; same
 * results as tsk_local__obj_get. */
int tsk_local__obj_find(struct tsk_local_obj *out, sqlite3 *db,
                        const char *type, const char *stack, const char *addr,
                        struct tsk_diags *d);

/*
 * A write (commit.c): inside a transaction (under p->wmu, possibly shared
 * with the writes of other threads, each in its own savepoint), check()
 * runs first and may fail the write (reference checks see a consistent
 * view), then the row is inserted (op 'i'), replaced (op 'u': must exist)
 * or deleted (op 'd': a missing row is fine). Returns once committed.
 */
struct tsk_local_write {
    char op;
    const struct tsk_local_obj *obj; /* for 'd' only id is used */
    int (*check)(sqlite3 *db, void *arg, struct tsk_diags *d);
    void *arg;
};
int tsk_local__write(struct tsk_pctx *p, const struct tsk_local_write *w,
                     struct tsk_diags *d);
/** Counts the calling thread in (delta 1) or out (-1) of the threads about
 * to write: a transaction about to start waits a little (a fraction of a
 * millisecond) for the writes of those threads, so they share its commit. */
void tsk_local__writer(struct tsk_pctx *p, int delta);

/** The writes w[0..n) of one thread, queued together so that they share
 * a transaction (each in its own savepoint, in array order); rcs[i] and
 * ds[i] receive each one's result. Returns once all are committed. */
void tsk_local__write_n(struct tsk_pctx *p,
                        const struct tsk_local_write *const *w, size_t n,
                        int *rcs, struct tsk_diags *const *ds);

/* A create, update or delete call (crud.c) between its preparation and
 * its write; owns o. */
struct tsk_local_wcall {
    const struct tsk_rcall *c;
    const struct tsk_resource_type *rt;
    char op; /* 'c', 'u', 'd' as in struct tsk_pcall */
    int lost; /* a "lost-create" failure point: fail once written */
    struct tsk_local_obj o;
    struct tsk_local_write w; /* w.op 0: nothing to write */
};
/** Applies the knobs (latency, failures) and checks, then makes the row
 * to write; 0, or the call's error (wc owns nothing then). pc must outlive
 * wc. */
int tsk_local__prep(struct tsk_local_wcall *wc, const struct tsk_pcall *pc,
                    struct tsk_diags *d);
/** After the write of a prepared call with result rc: sets *out_id
 * (create) and *out (create, update), releases wc; the call's result. */
int tsk_local__finish(struct tsk_local_wcall *wc, int rc, char **out_id,
                      cJSON **out, struct tsk_diags *d);

/** The type of the call's address, or NULL after an error. */
const struct tsk_resource_type *tsk_local__call_type(const struct tsk_rcall *c,
                                                     struct tsk_diags *d);
/** The read pc of an object of type whose stored attributes are t (may be
 * NULL): sets pc->same when t is exactly the state's text, else pc->out
 * (parsed); 0, or an error naming a damaged object (many.c). */
int tsk_local__read_row(struct tsk_pcall *pc, const char *t, const char *type);
/* A read to make (its id in pc) of an object of type. */
struct tsk_local_want {
    struct tsk_pcall *pc;
    const char *type;
};
/** The reads w[0..n) answered from one pass over the objects table of db,
 * inside a transaction of the caller's: each one's rc is what its lookup
 * would give (TSK_ENOTFOUND when no row has its id and type), with same,
 * out and d as tsk_local__read_row sets them (scan.c). */
void tsk_local__scan_reads(sqlite3 *db, const struct tsk_local_want *w,
                           size_t n);
/** call_many of the local provider (many.c). */
void tsk_local__call_many(struct tsk_pctx *p, struct tsk_pcall *calls,
                          size_t n);

/** The type of address addr ("local_function.api" -> "local_function"),
 * NUL-terminated in buf; 0, or TSK_EINVAL when addr has no dot. */
int tsk_local__addr_type(char *buf, size_t n, const char *addr);
/** The resource type name of this instance, or NULL. */
const struct tsk_resource_type *tsk_local__type(const struct tsk_pctx *p,
                                                const char *name);

#endif

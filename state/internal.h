/*
 * internal.h - shared between the files of state/ only: the handle, SQL
 * helpers, time and host helpers, migrations and the lock internals.
 *
 * Every function named tsk_state__* that touches st->db expects the caller
 * to hold st->mu, except where its comment says otherwise.
 */
#ifndef TSK_STATE_INTERNAL_H
#define TSK_STATE_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>

#include "state/state.h"

struct tsk_state_req; /* a write waiting for group commit (commit.c) */

struct tsk_state {
    sqlite3 *db;
    char *path;
    char lineage[64];
    int readonly;
    int reader; /* tsk_state_open_reader: read-only on a read-write
                   connection (so that closing it tidies the WAL) */
    pthread_mutex_t mu;

    /* lock lease; lock_id[0] == 0 when not held */
    char lock_id[37];
    int64_t lease_ms, heartbeat_ms;
    int lost;
    pthread_t hb_thread;
    int hb_running, hb_stop;
    pthread_cond_t hb_cond;

    /* Group commit (commit.c): writes waiting for the next transaction,
     * and whether a thread is writing one; under gmu (taken before mu). */
    pthread_mutex_t gmu;
    pthread_cond_t gcv;
    struct tsk_state_req *queue, **qtail;
    int leading;
};

/* SQL helpers (caller holds st->mu). */
/** Adds an error for an SQLite failure while doing `what`, with a hint
 * for damaged files; returns TSK_ERROR (TSK_ELOCKED when busy). */
int tsk_state__sqlerr(struct tsk_state *st, int rc, const char *what,
                      struct tsk_diags *d);
/** Runs SQL with no result rows; reports failures. */
int tsk_state__exec(struct tsk_state *st, const char *sql, const char *what,
                    struct tsk_diags *d);
int tsk_state__prepare(struct tsk_state *st, sqlite3_stmt **out,
                       const char *sql, const char *what, struct tsk_diags *d);
/** BEGIN IMMEDIATE; with writes, verifies a held lock is still ours. */
int tsk_state__begin_write(struct tsk_state *st, const char *what,
                           struct tsk_diags *d);
int tsk_state__commit(struct tsk_state *st, const char *what,
                      struct tsk_diags *d);
void tsk_state__rollback(struct tsk_state *st);
/** A copy of column i as text, or NULL when it is NULL. */
char *tsk_state__col_str(sqlite3_stmt *s, int i);
/** Increments the serial inside an open write transaction. */
int tsk_state__bump_serial(struct tsk_state *st, struct tsk_diags *d);

/* Group commit and cached statements (commit.c). */
/** A write to make inside an open transaction (st->mu held); reports its
 * own errors to d. */
typedef int (*tsk_state__tx_fn)(struct tsk_state *st, void *arg,
                                struct tsk_diags *d);
/**
 * Runs fn(st, arg, d) in a write transaction, possibly shared with the
 * writes other threads ask for at the same time (each in a savepoint),
 * and returns its result once that transaction has committed. The caller
 * must NOT hold st->mu.
 */
int tsk_state__write(struct tsk_state *st, tsk_state__tx_fn fn, void *arg,
                     const char *what, struct tsk_diags *d);
/* One write of a batch. */
struct tsk_state__wr {
    tsk_state__tx_fn fn;
    void *arg;
    const char *what;
};
/**
 * The n writes w, committed together (each in its own savepoint, in the
 * order given): rcs[i] and ds[i] get the result and diagnostics of w[i].
 * Returns 0 when all succeeded, else TSK_ERROR.
 */
int tsk_state__write_n(struct tsk_state *st, const struct tsk_state__wr *w,
                       size_t n, int *rcs, struct tsk_diags *ds);
/** A prepared statement for sql, reused when one is idle (prepared once
 * per connection), or NULL with an error. Give it back with
 * tsk_state__stmt_done; never finalize it (tsk_state_close does). */
sqlite3_stmt *tsk_state__stmt(struct tsk_state *st, const char *sql,
                              const char *what, struct tsk_diags *d);
/** Resets s and clears its bindings, ready for the next use. */
void tsk_state__stmt_done(sqlite3_stmt *s);
/** Appends every diagnostic of src to dst; src is left empty. */
/** Runs sql (no result rows, no parameters) through a cached statement;
 * returns the SQLite result code (SQLITE_DONE on success). */
int tsk_state__step(struct tsk_state *st, const char *sql);

/* Time, host and user. */
int64_t tsk_state__now_ms(void);
/** RFC 3339 UTC with seconds ("2026-11-26T22:15:03Z") of a wall-clock ms. */
void tsk_state__fmt_time(char out[32], int64_t ms);
/** This host's name (static storage). */
const char *tsk_state__host(void);
/** $USER, $LOGNAME or "uid N" (static storage). */
const char *tsk_state__user(void);
/** A positive integer from the environment, or def. */
int64_t tsk_state__env_ms(const char *name, int64_t def);

/* Migrations (migrate.c). */
/** Brings the schema from its user_version to TSK_STATE_SCHEMA_VERSION in
 * one transaction; fresh (an empty file) also creates meta and lineage. */
int tsk_state__migrate(struct tsk_state *st, int fresh, struct tsk_diags *d);

/* Lock (lock.c). */
/** Stops the heartbeat thread if running; caller must NOT hold st->mu. */
void tsk_state__hb_stop(struct tsk_state *st);

#endif

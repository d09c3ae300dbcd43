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

struct tsk_state {
    sqlite3 *db;
    char *path;
    char lineage[64];
    int readonly;
    pthread_mutex_t mu;

    /* lock lease; lock_id[0] == 0 when not held */
    char lock_id[37];
    int64_t lease_ms, heartbeat_ms;
    int lost;
    pthread_t hb_thread;
    int hb_running, hb_stop;
    pthread_cond_t hb_cond;
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

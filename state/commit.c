/*
 * commit.c - group commit of the state's small writes (an intent recorded
 * or cleared, a resource stored or forgotten): the writes that several
 * apply workers ask for while a transaction is being written are queued
 * and written together in the next one, each in its own savepoint, so one
 * failing write does not undo the others. Every write still returns only
 * once the transaction holding it has committed, so "committed before the
 * call returns" holds for each. When the shared transaction itself fails
 * (busy, lock lost, disk full), each write is retried alone and reports
 * its own error.
 */
#include "state/internal.h"

#include <stdlib.h>
#include <string.h>

struct tsk_state_req {
    tsk_state__tx_fn fn;
    void *arg;
    struct tsk_diags d; /* this write's diagnostics, moved to the caller's */
    int rc;
    int done;  /* written (rc says how) */
    int retry; /* the shared transaction failed: write it alone */
    struct tsk_state_req *next;
};

sqlite3_stmt *tsk_state__stmt(struct tsk_state *st, const char *sql,
                              const char *what, struct tsk_diags *d)
{
    sqlite3_stmt *s = NULL;
    while ((s = sqlite3_next_stmt(st->db, s)) != NULL)
        if (!sqlite3_stmt_busy(s) && strcmp(sqlite3_sql(s), sql) == 0)
            return s;
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                                NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        tsk_state__sqlerr(st, rc, what, d);
        return NULL;
    }
    return s;
}

void tsk_state__stmt_done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static int exec(struct tsk_state *st, const char *sql)
{
    return tsk_state__step(st, sql) == SQLITE_DONE ? 0 : -1;
}

/* The whole group in one transaction (caller holds st->mu); -1 when the
 * transaction failed and nothing of the group was kept. */
static int write_group(struct tsk_state *st, struct tsk_state_req *g)
{
    struct tsk_diags scratch = {0};
    int rc = tsk_state__begin_write(st, "storing state", &scratch);
    tsk_diags_release(&scratch);
    if (rc)
        return -1;
    if (!g->next) { /* alone: no savepoint needed */
        g->rc = g->fn(st, g->arg, &g->d);
        if (sqlite3_get_autocommit(st->db))
            return -1;
        if (g->rc) {
            tsk_state__rollback(st);
            return 0;
        }
    }
    for (struct tsk_state_req *q = g->next ? g : NULL; q; q = q->next) {
        if (exec(st, "SAVEPOINT w")) {
            tsk_state__rollback(st);
            return -1;
        }
        q->rc = q->fn(st, q->arg, &q->d);
        if (sqlite3_get_autocommit(st->db))
            return -1; /* an error rolled the whole transaction back */
        if (q->rc)
            exec(st, "ROLLBACK TO w");
        if (exec(st, "RELEASE w")) {
            tsk_state__rollback(st);
            return -1;
        }
    }
    if (exec(st, "COMMIT")) {
        tsk_state__rollback(st);
        return -1;
    }
    return 0;
}

/* Writes the queued group (st->gmu held on entry and on return). */
static void lead(struct tsk_state *st)
{
    st->leading = 1;
    struct tsk_state_req *g = st->queue;
    st->queue = NULL;
    st->qtail = &st->queue;
    pthread_mutex_unlock(&st->gmu);

    pthread_mutex_lock(&st->mu);
    int failed = write_group(st, g) != 0;
    pthread_mutex_unlock(&st->mu);

    pthread_mutex_lock(&st->gmu);
    for (struct tsk_state_req *q = g; q; q = q->next) {
        q->retry = failed;
        q->done = 1;
    }
    st->leading = 0;
    pthread_cond_broadcast(&st->gcv);
}

/* One write in its own transaction. */
static int write_alone(struct tsk_state *st, tsk_state__tx_fn fn, void *arg,
                       const char *what, struct tsk_diags *d)
{
    pthread_mutex_lock(&st->mu);
    int rc = tsk_state__begin_write(st, what, d);
    if (rc == 0) {
        rc = fn(st, arg, d);
        if (rc == 0)
            rc = tsk_state__commit(st, what, d);
        else
            tsk_state__rollback(st);
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int tsk_state__write_n(struct tsk_state *st, const struct tsk_state__wr *w,
                       size_t n, int *rcs, struct tsk_diags *ds)
{
    int err = 0;
    if (st->readonly || n == 0) {
        for (size_t i = 0; i < n; i++) /* reports it */
            err |= rcs[i] =
                write_alone(st, w[i].fn, w[i].arg, w[i].what, &ds[i]);
        return err ? TSK_ERROR : 0;
    }
    struct tsk_state_req *q = tsk_xcalloc(n, sizeof(*q));
    pthread_mutex_lock(&st->gmu);
    for (size_t i = 0; i < n; i++) {
        q[i].fn = w[i].fn;
        q[i].arg = w[i].arg;
        *st->qtail = &q[i];
        st->qtail = &q[i].next;
    }
    while (!q[n - 1].done) { /* the group holding the last has them all */
        if (!st->leading)
            lead(st);
        else
            pthread_cond_wait(&st->gcv, &st->gmu);
    }
    pthread_mutex_unlock(&st->gmu);
    for (size_t i = 0; i < n; i++) {
        if (!q[i].retry) {
            tsk_diags_move(&ds[i], &q[i].d);
            rcs[i] = q[i].rc;
        } else {
            tsk_diags_release(&q[i].d);
            rcs[i] = write_alone(st, w[i].fn, w[i].arg, w[i].what, &ds[i]);
        }
        err |= rcs[i];
    }
    free(q);
    return err ? TSK_ERROR : 0;
}

int tsk_state__write(struct tsk_state *st, tsk_state__tx_fn fn, void *arg,
                     const char *what, struct tsk_diags *d)
{
    struct tsk_state__wr w = {fn, arg, what};
    int rc;
    tsk_state__write_n(st, &w, 1, &rc, d);
    return rc;
}

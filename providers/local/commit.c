/*
 * commit.c - the local cloud's writes (create, update, delete), made
 * durable with group commit: the calls of several threads that arrive
 * while a transaction is being written are queued and written together in
 * the next one, each in its own savepoint so that one failing check does
 * not undo the others. A call returns only once the transaction holding
 * its write has committed (or with its own error).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a transaction waits for the writes of threads about to write. */
#define LINGER_NS 300000L

/* A queued write; the caller's thread waits until done. */
struct tsk_local_req {
    const struct tsk_local_write *w;
    struct tsk_diags d; /* this write's diagnostics, moved to the caller's */
    int rc;
    int done;  /* written (rc says how) */
    int retry; /* the group's transaction failed: write it alone */
    struct tsk_local_req *next;
};

static void bind_obj(sqlite3_stmt *s, const struct tsk_local_obj *o)
{
    char *attrs = cJSON_PrintUnformatted(o->attrs);
    char *tags = o->tags ? cJSON_PrintUnformatted(o->tags) : NULL;
    sqlite3_bind_text(s, 1, o->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, o->type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, o->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, o->arn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, attrs ? attrs : "{}", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, tags ? tags : "{}", -1, SQLITE_TRANSIENT);
    cJSON_free(attrs);
    cJSON_free(tags);
}

static const char *write_sql(char op)
{
    switch (op) {
    case 'i':
        return "INSERT INTO objects(id, type, name, arn, attrs, tags,"
               " created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
               " strftime('%Y-%m-%dT%H:%M:%fZ'),"
               " strftime('%Y-%m-%dT%H:%M:%fZ'))";
    case 'u':
        return "UPDATE objects SET type = ?2, name = ?3, arn = ?4,"
               " attrs = ?5, tags = ?6,"
               " updated = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE id = ?1";
    default:
        return "DELETE FROM objects WHERE id = ?1";
    }
}

/* The statement of w inside the open transaction. */
static int write_row(sqlite3 *db, const struct tsk_local_write *w,
                     struct tsk_diags *d)
{
    sqlite3_stmt *s = tsk_local__stmt(db, write_sql(w->op));
    if (!s)
        return tsk_diag_error(d, NULL, "local cloud: %s", sqlite3_errmsg(db));
    if (w->op == 'd')
        sqlite3_bind_text(s, 1, w->obj->id, -1, SQLITE_TRANSIENT);
    else
        bind_obj(s, w->obj);
    int rc = sqlite3_step(s);
    tsk_local__stmt_done(s);
    if (rc != SQLITE_DONE)
        return tsk_diag_error(d, NULL, "local cloud: writing %s: %s",
                              w->obj->id, sqlite3_errmsg(db));
    if (w->op == 'u' && sqlite3_changes(db) == 0) {
        tsk_diag_error(d, NULL, "%s %s does not exist", w->obj->type,
                       w->obj->id);
        return TSK_ENOTFOUND;
    }
    return 0;
}

static int exec(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = tsk_local__stmt(db, sql);
    if (!s)
        return -1;
    int rc = sqlite3_step(s);
    tsk_local__stmt_done(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* One write in its own transaction. */
static int write_alone(struct tsk_pctx *p, sqlite3 *db,
                       const struct tsk_local_write *w, struct tsk_diags *d)
{
    if (exec(db, "BEGIN IMMEDIATE"))
        return tsk_diag_error(d, NULL, "local cloud %s: %s", p->path,
                              sqlite3_errmsg(db));
    int rc = w->check ? w->check(db, w->arg, d) : 0;
    if (!rc)
        rc = write_row(db, w, d);
    if (!rc && exec(db, "COMMIT"))
        rc = tsk_diag_error(d, NULL, "local cloud %s: commit: %s", p->path,
                            sqlite3_errmsg(db));
    if (rc)
        exec(db, "ROLLBACK");
    return rc;
}

/* One transaction for the whole group; each write in a savepoint. Returns
 * -1 when the transaction itself failed (nothing of the group is kept and
 * each write is to be retried alone). */
static int write_group(sqlite3 *db, struct tsk_local_req *g)
{
    if (exec(db, "BEGIN IMMEDIATE"))
        return -1;
    if (!g->next) { /* alone: no savepoint needed */
        const struct tsk_local_write *w = g->w;
        g->rc = w->check ? w->check(db, w->arg, &g->d) : 0;
        if (!g->rc)
            g->rc = write_row(db, w, &g->d);
        if (sqlite3_get_autocommit(db))
            return -1;
        if (g->rc) {
            exec(db, "ROLLBACK");
            return 0;
        }
    }
    for (struct tsk_local_req *q = g->next ? g : NULL; q; q = q->next) {
        if (exec(db, "SAVEPOINT w")) {
            exec(db, "ROLLBACK");
            return -1;
        }
        const struct tsk_local_write *w = q->w;
        q->rc = w->check ? w->check(db, w->arg, &q->d) : 0;
        if (!q->rc)
            q->rc = write_row(db, w, &q->d);
        if (sqlite3_get_autocommit(db))
            return -1; /* an error rolled the whole transaction back */
        if (q->rc)
            exec(db, "ROLLBACK TO w");
        if (exec(db, "RELEASE w")) {
            exec(db, "ROLLBACK");
            return -1;
        }
    }
    if (exec(db, "COMMIT")) {
        exec(db, "ROLLBACK");
        return -1;
    }
    return 0;
}

void tsk_local__writer(struct tsk_pctx *p, int delta)
{
    pthread_mutex_lock(&p->gmu);
    p->writers += delta;
    if (p->lingering && p->nqueued >= p->writers)
        pthread_cond_signal(&p->arrive);
    pthread_mutex_unlock(&p->gmu);
}

/* Waits (gmu held) a little for the threads about to write: the writes of
 * threads in the middle of a call are worth sharing this commit. */
static void linger(struct tsk_pctx *p)
{
    if (p->nqueued >= p->writers)
        return;
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_nsec += LINGER_NS;
    if (dl.tv_nsec >= 1000000000L) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000L;
    }
    p->lingering = 1;
    while (p->nqueued < p->writers &&
           pthread_cond_timedwait(&p->arrive, &p->gmu, &dl) == 0)
        ;
    p->lingering = 0;
}

/* Leads: writes the queued group (p->gmu held on entry and exit). */
static void lead(struct tsk_pctx *p)
{
    p->leading = 1;
    linger(p);
    struct tsk_local_req *g = p->queue;
    p->queue = NULL;
    p->qtail = &p->queue;
    p->nqueued = 0;
    pthread_mutex_unlock(&p->gmu);

    sqlite3 *db = NULL;
    struct tsk_diags scratch = {0};
    int failed = tsk_local__db_get(p, &db, &scratch) != 0;
    tsk_diags_release(&scratch);
    if (!failed) {
        /* One writer per process at a time: threads queue here instead of
         * spinning in SQLite's busy handler; other processes still wait on
         * the busy timeout. Never held across the configured latency. */
        pthread_mutex_lock(&p->wmu);
        failed = write_group(db, g) != 0;
        pthread_mutex_unlock(&p->wmu);
        tsk_local__db_put(p, db);
    }

    pthread_mutex_lock(&p->gmu);
    for (struct tsk_local_req *q = g; q; q = q->next) {
        q->retry = failed;
        q->done = 1;
    }
    p->leading = 0;
    pthread_cond_broadcast(&p->gcv);
}

/* Writes w alone after its group's transaction failed. */
static int retry_alone(struct tsk_pctx *p, const struct tsk_local_write *w,
                       struct tsk_diags *d)
{
    sqlite3 *db;
    int rc = tsk_local__db_get(p, &db, d);
    if (rc)
        return rc;
    pthread_mutex_lock(&p->wmu);
    rc = write_alone(p, db, w, d);
    pthread_mutex_unlock(&p->wmu);
    tsk_local__db_put(p, db);
    return rc;
}

void tsk_local__write_n(struct tsk_pctx *p,
                        const struct tsk_local_write *const *w, size_t n,
                        int *rcs, struct tsk_diags *const *ds)
{
    if (!n)
        return;
    struct tsk_local_req *q = tsk_xcalloc(n, sizeof(*q));
    pthread_mutex_lock(&p->gmu);
    for (size_t i = 0; i < n; i++) {
        q[i].w = w[i];
        *p->qtail = &q[i];
        p->qtail = &q[i].next;
    }
    p->nqueued += (int)n;
    if (p->nqueued >= p->writers && p->lingering)
        pthread_cond_signal(&p->arrive);
    /* The last of this thread's writes is the last to be marked done. */
    while (!q[n - 1].done) {
        if (!p->leading)
            lead(p);
        else
            pthread_cond_wait(&p->gcv, &p->gmu);
    }
    pthread_mutex_unlock(&p->gmu);
    for (size_t i = 0; i < n; i++) {
        if (!q[i].retry) {
            tsk_diags_move(ds[i], &q[i].d);
            rcs[i] = q[i].rc;
        } else {
            tsk_diags_release(&q[i].d);
            rcs[i] = retry_alone(p, w[i], ds[i]);
        }
    }
    free(q);
}

int tsk_local__write(struct tsk_pctx *p, const struct tsk_local_write *w,
                     struct tsk_diags *d)
{
    struct tsk_local_req q = {.w = w};
    pthread_mutex_lock(&p->gmu);
    *p->qtail = &q;
    p->qtail = &q.next;
    if (++p->nqueued >= p->writers && p->lingering)
        pthread_cond_signal(&p->arrive);

    while (!q.done) {
        if (!p->leading)
            lead(p);
        else
            pthread_cond_wait(&p->gcv, &p->gmu);
    }
    pthread_mutex_unlock(&p->gmu);
    if (!q.retry) {
        tsk_diags_move(d, &q.d);
        return q.rc;
    }
    tsk_diags_release(&q.d);
    return retry_alone(p, w, d);
}

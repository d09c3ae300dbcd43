/*
 * many.c - the local provider's call_many: a batch of reads answered,
 * together with the batches that other threads read at the same time, by
 * one thread from one read transaction of the cloud file (one snapshot,
 * its locks taken once; one scan of the objects table when the reads
 * cover much of it, scan.c), and a batch of writes queued together for
 * group commit so that they share one transaction. Each call keeps its
 * own knobs (latency, failure points: applied by its own thread, before
 * the group), checks, results and diagnostics.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a thread about to read for a group waits, at most, for the
 * threads still making their calls (applying their knobs). */
#define LINGER_NS 2000000L

int tsk_local__read_row(struct tsk_pcall *pc, const char *t, const char *type)
{
    char *pt =
        !pc->prior_text && pc->prior ? cJSON_PrintUnformatted(pc->prior) : NULL;
    const char *st = pc->prior_text ? pc->prior_text : pt;
    int rc = 0;
    if (t && st && strcmp(t, st) == 0) {
        pc->same = 1;
    } else if (!cJSON_IsObject(pc->out = t ? cJSON_Parse(t) : NULL)) {
        cJSON_Delete(pc->out);
        pc->out = NULL;
        rc = tsk_diag_error(&pc->d, NULL,
                            "local cloud object %s (%s) is damaged: its "
                            "attributes are not a JSON object",
                            pc->id, type);
    }
    cJSON_free(pt);
    return rc;
}

/* Reads one object: 0, TSK_ENOTFOUND or an error. */
static int read_one(struct tsk_pcall *pc, sqlite3 *db, const char *type)
{
    sqlite3_stmt *s = tsk_local__stmt(
        db, "SELECT attrs FROM objects WHERE id = ?1 AND type = ?2");
    if (!s)
        return tsk_diag_error(&pc->d, NULL, "local cloud: %s",
                              sqlite3_errmsg(db));
    sqlite3_bind_text(s, 1, pc->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        rc = tsk_local__read_row(pc, (const char *)sqlite3_column_text(s, 0),
                                 type);
    else if (rc == SQLITE_DONE)
        rc = TSK_ENOTFOUND;
    else
        rc =
            tsk_diag_error(&pc->d, NULL, "local cloud: %s", sqlite3_errmsg(db));
    tsk_local__stmt_done(s);
    return rc;
}

/* A batch of reads of one thread, waiting for a group read. */
struct tsk_local_rreq {
    struct tsk_pcall *calls;
    const struct tsk_resource_type **rt; /* NULL: not to read */
    size_t n, todo;
    int done;
    struct tsk_local_rreq *next;
};

/* Below this many reads a group looks its objects up one by one. */
#define SCAN_MIN 256

/* The largest rowid of the objects table (about its number of rows). */
static sqlite3_int64 max_rowid(sqlite3 *db)
{
    sqlite3_stmt *s = tsk_local__stmt(db, "SELECT max(rowid) FROM objects");
    sqlite3_int64 v = -1;
    if (s && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    if (s)
        tsk_local__stmt_done(s);
    return v;
}

/* The reads of the batches q, todo in all, in one read transaction of
 * db: one scan of the table when they are many against its size, else
 * one lookup each. */
static void read_group(sqlite3 *db, struct tsk_local_rreq *q, size_t todo)
{
    /* One snapshot for the group: the read locks are taken once. */
    int tx = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_int64 rows = todo >= SCAN_MIN ? max_rowid(db) : -1;
    if (rows >= 0 && (sqlite3_int64)todo * 4 >= rows) {
        struct tsk_local_want *w = tsk_xmalloc((todo + 1) * sizeof(*w));
        size_t k = 0;
        for (struct tsk_local_rreq *r = q; r; r = r->next)
            for (size_t i = 0; i < r->n; i++)
                if (r->rt[i])
                    w[k++] =
                        (struct tsk_local_want){&r->calls[i], r->rt[i]->name};
        tsk_local__scan_reads(db, w, k);
        free(w);
    } else {
        for (struct tsk_local_rreq *r = q; r; r = r->next)
            for (size_t i = 0; i < r->n; i++)
                if (r->rt[i])
                    r->calls[i].rc = read_one(&r->calls[i], db, r->rt[i]->name);
    }
    if (tx)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

/* The leader's part: waits a little for the threads still making their
 * calls (so that they join this group), then reads every queued batch.
 * Called and returns with p->rmu held. */
static void lead(struct tsk_pctx *p)
{
    p->rleading = 1;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += LINGER_NS;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (p->rentered > 0 &&
           pthread_cond_timedwait(&p->rcv, &p->rmu, &until) == 0)
        ;
    struct tsk_local_rreq *q = p->rqueue;
    p->rqueue = NULL;
    pthread_mutex_unlock(&p->rmu);
    size_t todo = 0;
    for (struct tsk_local_rreq *r = q; r; r = r->next)
        todo += r->todo;
    sqlite3 *db = NULL;
    struct tsk_diags scratch = {0};
    if (tsk_local__db_get(p, &db, &scratch) != 0) {
        /* No connection: every read still to make fails alike. */
        for (struct tsk_local_rreq *r = q; r; r = r->next)
            for (size_t i = 0; i < r->n; i++)
                if (r->rt[i])
                    r->calls[i].rc = tsk_diag_error(
                        &r->calls[i].d, NULL, "%s",
                        scratch.v.n ? scratch.v.v[0].summary : "local cloud");
    } else {
        read_group(db, q, todo);
        tsk_local__db_put(p, db);
    }
    tsk_diags_release(&scratch);
    pthread_mutex_lock(&p->rmu);
    for (struct tsk_local_rreq *r = q; r; r = r->next)
        r->done = 1;
    p->rleading = 0;
    pthread_cond_broadcast(&p->rcv);
}

/* The type of the call's address as tsk_local__call_type finds it, last
 * when the address is of that type too (calls of a type come together). */
static const struct tsk_resource_type *
call_type(const struct tsk_rcall *c, const struct tsk_resource_type *last,
          struct tsk_diags *d)
{
    if (last && c->addr) {
        size_t n = strlen(last->name);
        if (strncmp(c->addr, last->name, n) == 0 && c->addr[n] == '.')
            return last;
    }
    return tsk_local__call_type(c, d);
}

/* Applies each call's knobs (at the same time as other threads do), then
 * has the calls read together with those of the other threads reading at
 * this time: one of them reads for all, the others wait. */
static void read_many(struct tsk_pctx *p, struct tsk_pcall *calls, size_t n)
{
    pthread_mutex_lock(&p->rmu);
    p->rentered++;
    pthread_mutex_unlock(&p->rmu);
    struct tsk_local_rreq req = {calls, NULL, n, 0, 0, NULL};
    const struct tsk_resource_type *last = NULL;
    req.rt = tsk_xcalloc(n + 1, sizeof(*req.rt));
    for (size_t i = 0; i < n; i++) {
        struct tsk_pcall *pc = &calls[i];
        pc->out = NULL;
        pc->same = 0;
        req.rt[i] = last = call_type(&pc->c, last, &pc->d);
        pc->rc = req.rt[i]
                     ? tsk_local__knobs(p, "read", pc->c.addr, NULL, &pc->d)
                     : TSK_EINVAL;
        if (pc->rc)
            req.rt[i] = NULL;
        else if (!pc->id)
            req.rt[i] = NULL; /* no id: gone */
        else
            req.todo++;
    }
    pthread_mutex_lock(&p->rmu);
    p->rentered--;
    if (req.todo) {
        req.next = p->rqueue;
        p->rqueue = &req;
    }
    pthread_cond_broadcast(&p->rcv); /* a leader may wait for this one */
    while (req.todo && !req.done) {
        if (!p->rleading)
            lead(p);
        else
            pthread_cond_wait(&p->rcv, &p->rmu);
    }
    pthread_mutex_unlock(&p->rmu);
    for (size_t i = 0; i < n; i++) {
        struct tsk_pcall *pc = &calls[i];
        if (!req.rt[i])
            continue;
        if (pc->rc == TSK_ENOTFOUND)
            pc->rc = 0;
        else if (pc->rc)
            tsk_diag_addr(&pc->d, pc->c.addr);
    }
    free(req.rt);
}

static void write_many(struct tsk_pctx *p, struct tsk_pcall *calls, size_t n)
{
    struct tsk_local_wcall *wc = tsk_xcalloc(n + 1, sizeof(*wc));
    const struct tsk_local_write **w = tsk_xcalloc(n + 1, sizeof(*w));
    struct tsk_diags **ds = tsk_xcalloc(n + 1, sizeof(*ds));
    int *wrc = tsk_xcalloc(n + 1, sizeof(*wrc));
    size_t *at = tsk_xcalloc(n + 1, sizeof(*at)), m = 0;
    for (size_t i = 0; i < n; i++) {
        struct tsk_pcall *pc = &calls[i];
        pc->out_id = NULL;
        pc->out = NULL;
        pc->rc = tsk_local__prep(&wc[i], pc, &pc->d);
        if (pc->rc || !wc[i].w.op)
            continue;
        w[m] = &wc[i].w;
        ds[m] = &pc->d;
        at[m++] = i;
    }
    tsk_local__writer(p, 1);
    tsk_local__write_n(p, w, m, wrc, ds);
    tsk_local__writer(p, -1);
    for (size_t k = 0, i = 0; i < n; i++) {
        struct tsk_pcall *pc = &calls[i];
        if (pc->rc) {
            tsk_local__obj_release(&wc[i].o);
            continue;
        }
        int rc = k < m && at[k] == i ? wrc[k++] : 0;
        pc->rc = tsk_local__finish(&wc[i], rc, &pc->out_id, &pc->out, &pc->d);
    }
    free(wc);
    free(w);
    free(ds);
    free(wrc);
    free(at);
}

void tsk_local__call_many(struct tsk_pctx *p, struct tsk_pcall *calls, size_t n)
{
    if (!n)
        return;
    if (calls[0].op == 'r')
        read_many(p, calls, n);
    else
        write_many(p, calls, n);
}

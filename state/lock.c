/* lock.c - the state lock, a lease in the lock table: one row with the
 * holder's id, operation, pid, host and heartbeat. A background thread
 * renews the heartbeat; a lease whose process is gone (same host) or whose
 * heartbeat is older than its lease length is taken over with a warning. */
#include "state/internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOCK_COLS                                                              \
    "lock_id, operation, pid, host, user, created, heartbeat_ms, lease_ms"

void tsk_state_lock_info_release(struct tsk_state_lock_info *li)
{
    free(li->id);
    free(li->operation);
    free(li->host);
    free(li->user);
    free(li->created);
    memset(li, 0, sizeof *li);
}

/* Reads the lock row: 1 if there is one, 0 if not, <0 on error. */
static int read_row(struct tsk_state *st, struct tsk_state_lock_info *li,
                    struct tsk_diags *d)
{
    const char *what = "reading the state lock";
    sqlite3_stmt *s;
    int rc;
    memset(li, 0, sizeof *li);
    if (tsk_state__prepare(st, &s, "SELECT " LOCK_COLS " FROM lock", what, d) <
        0)
        return TSK_ERROR;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        li->id = tsk_state__col_str(s, 0);
        li->operation = tsk_state__col_str(s, 1);
        li->pid = sqlite3_column_int64(s, 2);
        li->host = tsk_state__col_str(s, 3);
        li->user = tsk_state__col_str(s, 4);
        li->created = tsk_state__col_str(s, 5);
        li->heartbeat_ms = sqlite3_column_int64(s, 6);
        li->lease_ms = sqlite3_column_int64(s, 7);
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW) {
        /* NOT NULL columns can still be NULL in a damaged file. */
        if (!li->id)
            li->id = tsk_xstrdup("?");
        if (!li->operation)
            li->operation = tsk_xstrdup("?");
        if (!li->host)
            li->host = tsk_xstrdup("?");
        if (!li->created)
            li->created = tsk_xstrdup("?");
        return 1;
    }
    return rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
}

static void describe(struct tsk_buf *b, const struct tsk_state_lock_info *li)
{
    tsk_buf_addf(b, "%s (id %s, pid %lld on host %s", li->operation, li->id,
                 (long long)li->pid, li->host);
    if (li->user)
        tsk_buf_addf(b, ", user %s", li->user);
    tsk_buf_addf(b, ", since %s)", li->created);
}

/* Why the lease li may be taken over, or NULL while its holder is live. */
static const char *stale_reason(const struct tsk_state_lock_info *li, char *buf,
                                size_t n)
{
    int64_t age = tsk_state__now_ms() - li->heartbeat_ms;
    if (strcmp(li->host, tsk_state__host()) == 0 && li->pid > 0 &&
        li->pid != (int64_t)getpid() && li->pid <= INT32_MAX &&
        kill((pid_t)li->pid, 0) != 0 && errno == ESRCH) {
        snprintf(buf, n, "its process %lld on this host is gone",
                 (long long)li->pid);
        return buf;
    }
    if (li->lease_ms <= 0 || age > li->lease_ms) {
        snprintf(buf, n,
                 "its heartbeat expired (last %lld ms ago, lease "
                 "%lld ms)",
                 (long long)age, (long long)li->lease_ms);
        return buf;
    }
    return NULL;
}

static int insert_lock(struct tsk_state *st, const char *op,
                       struct tsk_diags *d)
{
    const char *what = "taking the state lock";
    sqlite3_stmt *s;
    char id[37], now[32];
    int64_t ms = tsk_state__now_ms();
    int rc;
    tsk_state_uuid(id);
    tsk_state__fmt_time(now, ms);
    if (tsk_state__prepare(st, &s,
                           "INSERT INTO lock(id, " LOCK_COLS ") "
                           "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                           what, d) < 0)
        return TSK_ERROR;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, op, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (int64_t)getpid());
    sqlite3_bind_text(s, 4, tsk_state__host(), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, tsk_state__user(), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, ms);
    sqlite3_bind_int64(s, 8, st->lease_ms);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, what, d);
    memcpy(st->lock_id, id, sizeof id);
    return 0;
}

/* One attempt inside a write transaction. On conflict returns TSK_ELOCKED
 * with *holder filled and no diagnostic. */
static int try_tx(struct tsk_state *st, const char *op,
                  struct tsk_state_lock_info *holder, struct tsk_diags *d)
{
    char why[160];
    const char *reason;
    int rc = read_row(st, holder, d);
    if (rc <= 0)
        return rc < 0 ? rc : insert_lock(st, op, d);
    reason = stale_reason(holder, why, sizeof why);
    if (!reason)
        return TSK_ELOCKED;
    rc = tsk_state__exec(st, "DELETE FROM lock", "taking the state lock", d);
    if (rc == 0)
        rc = insert_lock(st, op, d);
    if (rc == 0) {
        struct tsk_buf b = TSK_BUF_INIT;
        describe(&b, holder);
        tsk_diag_warning(d, NULL,
                         "took over the state lock of %s held by "
                         "%s: %s",
                         st->path, b.ptr, reason);
        tsk_diag_detail(d, "That run was probably interrupted; 'tuskform "
                           "state history' and the pending journal show "
                           "what it recorded.");
        tsk_buf_release(&b);
    }
    return rc;
}

static int try_once(struct tsk_state *st, const char *op,
                    struct tsk_state_lock_info *holder, struct tsk_diags *d)
{
    int rc;
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__begin_write(st, "taking the state lock", d);
    if (rc == 0) {
        rc = try_tx(st, op, holder, d);
        if (rc == 0)
            rc = tsk_state__commit(st, "taking the state lock", d);
        else
            tsk_state__rollback(st);
        if (rc < 0)
            st->lock_id[0] = '\0';
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void *hb_main(void *arg)
{
    struct tsk_state *st = arg;
    pthread_mutex_lock(&st->mu);
    while (!st->hb_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += (time_t)(st->heartbeat_ms / 1000);
        ts.tv_nsec += (long)(st->heartbeat_ms % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        while (!st->hb_stop &&
               pthread_cond_timedwait(&st->hb_cond, &st->mu, &ts) == 0)
            ;
        if (st->hb_stop)
            break;
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db,
                               "UPDATE lock SET heartbeat_ms = ? "
                               "WHERE lock_id = ?",
                               -1, &s, NULL) != SQLITE_OK)
            continue;
        sqlite3_bind_int64(s, 1, tsk_state__now_ms());
        sqlite3_bind_text(s, 2, st->lock_id, -1, SQLITE_STATIC);
        /* A busy database is retried at the next beat. */
        if (sqlite3_step(s) == SQLITE_DONE && sqlite3_changes(st->db) == 0)
            st->lost = 1;
        sqlite3_finalize(s);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

void tsk_state__hb_stop(struct tsk_state *st)
{
    pthread_mutex_lock(&st->mu);
    if (!st->hb_running) {
        pthread_mutex_unlock(&st->mu);
        return;
    }
    st->hb_stop = 1;
    pthread_cond_broadcast(&st->hb_cond);
    pthread_mutex_unlock(&st->mu);
    pthread_join(st->hb_thread, NULL);
    st->hb_running = 0;
}

static void conflict(struct tsk_state *st, const struct tsk_state_lock_info *h,
                     int64_t waited_ms, struct tsk_diags *d)
{
    struct tsk_buf b = TSK_BUF_INIT;
    describe(&b, h);
    if (waited_ms > 0)
        tsk_diag_error(d, NULL,
                       "Error acquiring the state lock: held by %s, "
                       "still after waiting %lld ms",
                       b.ptr, (long long)waited_ms);
    else
        tsk_diag_error(d, NULL, "Error acquiring the state lock: held by %s",
                       b.ptr);
    tsk_diag_detail(d,
                    "State file %s. Wait for it with "
                    "-lock-timeout=DURATION, or remove it with 'tuskform "
                    "force-unlock %s'.",
                    st->path, h->id);
    tsk_buf_release(&b);
}

int tsk_state_lock(struct tsk_state *st, const struct tsk_state_lock_opts *o,
                   struct tsk_diags *d)
{
    struct tsk_state_lock_info holder = {0};
    const char *op = o && o->operation && *o->operation ? o->operation : "?";
    int64_t timeout = o && o->timeout_ms > 0 ? o->timeout_ms : 0;
    int64_t start = tsk_state__now_ms(), delay = 50, left;
    int rc;
    if (st->readonly || st->lock_id[0]) {
        tsk_diag_error(d, NULL, "cannot lock state file %s: it is %s", st->path,
                       st->readonly ? "opened read-only"
                                    : "already locked by this run");
        return TSK_EINVAL;
    }
    st->heartbeat_ms =
        tsk_state__env_ms("TUSKFORM_LOCK_HEARTBEAT_MS", TSK_STATE_HEARTBEAT_MS);
    st->lease_ms =
        tsk_state__env_ms("TUSKFORM_LOCK_LEASE_MS", TSK_STATE_LEASE_MS);
    for (;;) {
        tsk_state_lock_info_release(&holder);
        rc = try_once(st, op, &holder, d);
        left = start + timeout - tsk_state__now_ms();
        if (rc != TSK_ELOCKED || holder.id == NULL || left <= 0)
            break;
        sleep_ms(delay < left ? delay : left);
        delay = delay * 2 > 1000 ? 1000 : delay * 2;
    }
    if (rc == TSK_ELOCKED && holder.id)
        conflict(st, &holder, timeout ? tsk_state__now_ms() - start : 0, d);
    tsk_state_lock_info_release(&holder);
    if (rc < 0)
        return rc;
    st->lost = 0;
    st->hb_stop = 0;
    if (pthread_create(&st->hb_thread, NULL, hb_main, st) == 0)
        st->hb_running = 1;
    else
        tsk_diag_warning(d, NULL,
                         "cannot start the heartbeat of the state "
                         "lock on %s; a long run may lose its lease",
                         st->path);
    return 0;
}

int tsk_state_unlock(struct tsk_state *st, struct tsk_diags *d)
{
    sqlite3_stmt *s;
    int rc;
    if (!st->lock_id[0])
        return 0;
    tsk_state__hb_stop(st);
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__prepare(st, &s, "DELETE FROM lock WHERE lock_id = ?",
                            "releasing the state lock", d);
    if (rc == 0) {
        sqlite3_bind_text(s, 1, st->lock_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc == SQLITE_DONE && sqlite3_changes(st->db) == 0) {
            tsk_diag_warning(d, NULL,
                             "the state lock %s on %s was removed "
                             "or taken over before this run released it",
                             st->lock_id, st->path);
            st->lost = 1;
        }
        rc = rc == SQLITE_DONE ? 0
                               : tsk_state__sqlerr(st, rc,
                                                   "releasing "
                                                   "the state lock",
                                                   d);
    }
    st->lock_id[0] = '\0';
    pthread_mutex_unlock(&st->mu);
    return rc;
}

const char *tsk_state_lock_id(const struct tsk_state *st)
{
    return st->lock_id[0] ? st->lock_id : NULL;
}

int tsk_state_lock_lost(struct tsk_state *st)
{
    pthread_mutex_lock(&st->mu);
    int lost = st->lost;
    pthread_mutex_unlock(&st->mu);
    return lost;
}

int tsk_state_lock_read(struct tsk_state_lock_info *out, struct tsk_state *st,
                        struct tsk_diags *d)
{
    pthread_mutex_lock(&st->mu);
    int rc = read_row(st, out, d);
    pthread_mutex_unlock(&st->mu);
    if (rc < 0)
        tsk_state_lock_info_release(out);
    return rc < 0 ? rc : rc == 0 ? TSK_ENOTFOUND : 0;
}

int tsk_state_force_unlock(struct tsk_state *st, const char *id,
                           struct tsk_diags *d)
{
    struct tsk_state_lock_info li = {0};
    sqlite3_stmt *s;
    int rc;
    if (st->lock_id[0] && strcmp(st->lock_id, id) == 0)
        return tsk_state_unlock(st, d);
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__begin_write(st, "removing the state lock", d);
    if (rc == 0)
        rc = tsk_state__prepare(st, &s, "DELETE FROM lock WHERE lock_id = ?",
                                "removing the state lock", d);
    if (rc == 0) {
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            rc = tsk_state__sqlerr(st, rc, "removing the state lock", d);
        else if (sqlite3_changes(st->db) > 0)
            rc = tsk_state__commit(st, "removing the state lock", d);
        else if ((rc = read_row(st, &li, d)) == 0) {
            tsk_diag_error(d, NULL,
                           "cannot remove state lock %s on %s: the "
                           "state is not locked",
                           id, st->path);
            rc = TSK_ENOTFOUND;
        } else if (rc > 0) {
            struct tsk_buf b = TSK_BUF_INIT;
            describe(&b, &li);
            tsk_diag_error(d, NULL,
                           "cannot remove state lock %s on %s: the "
                           "lock is held by %s",
                           id, st->path, b.ptr);
            tsk_diag_detail(d,
                            "Check that its holder is gone, then run "
                            "'tuskform force-unlock %s'.",
                            li.id);
            tsk_buf_release(&b);
            rc = TSK_ENOTFOUND;
        }
    }
    tsk_state__rollback(st);
    pthread_mutex_unlock(&st->mu);
    tsk_state_lock_info_release(&li);
    return rc;
}

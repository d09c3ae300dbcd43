/* history.c - one row per state-changing operation, for 'state history'. */
#include "state/internal.h"

#include <stdlib.h>

static int add_row(struct tsk_state *st, const struct tsk_state_hist *h,
                   struct tsk_diags *d)
{
    const char *what = "recording history";
    sqlite3_stmt *s;
    char now[32];
    int rc;
    tsk_state__fmt_time(now, tsk_state__now_ms());
    if (tsk_state__prepare(st, &s,
                           "INSERT INTO history(serial, time, operation, "
                           "user, host, git_commit, git_branch, git_dirty, "
                           "summary) VALUES (CASE WHEN ?1 > 0 THEN ?1 ELSE "
                           "(SELECT serial FROM meta) END, ?, ?, ?, ?, ?, ?, "
                           "?, ?)",
                           what, d) < 0)
        return TSK_ERROR;
    sqlite3_bind_int64(s, 1, h->serial);
    sqlite3_bind_text(s, 2, h->time ? h->time : now, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, h->operation, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, h->user ? h->user : tsk_state__user(), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(s, 5, h->host ? h->host : tsk_state__host(), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(s, 6, h->git_commit, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, h->git_branch, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 8, h->git_dirty ? 1 : 0);
    sqlite3_bind_text(s, 9, h->summary, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
}

int tsk_state_history_add(struct tsk_state *st, const struct tsk_state_hist *h,
                          struct tsk_diags *d)
{
    int rc;
    if (!h->operation || !*h->operation) {
        tsk_diag_error(d, NULL,
                       "cannot record history in state file %s "
                       "without an operation",
                       st->path);
        return TSK_EINVAL;
    }
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__begin_write(st, "recording history", d);
    if (rc == 0) {
        rc = add_row(st, h, d);
        if (rc == 0)
            rc = tsk_state__commit(st, "recording history", d);
        else
            tsk_state__rollback(st);
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

static void hist_release(struct tsk_state_hist *h)
{
    free(h->time);
    free(h->operation);
    free(h->user);
    free(h->host);
    free(h->git_commit);
    free(h->git_branch);
    free(h->summary);
}

void tsk_state_hist_list_release(struct tsk_state_hist_list *l)
{
    for (size_t i = 0; i < l->v.n; i++)
        hist_release(&l->v.v[i]);
    TSK_ARRAY_FREE(l->v);
}

int tsk_state_history_list(struct tsk_state_hist_list *out,
                           struct tsk_state *st, size_t limit,
                           struct tsk_diags *d)
{
    const char *what = "reading history";
    sqlite3_stmt *s;
    int rc;
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__prepare(st, &s,
                            "SELECT serial, time, operation, user, host, "
                            "git_commit, git_branch, git_dirty, summary FROM "
                            "(SELECT * FROM history ORDER BY id DESC LIMIT ?) "
                            "ORDER BY id",
                            what, d);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, limit ? (int64_t)limit : -1);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            struct tsk_state_hist *h = TSK_ARRAY_PUSH(out->v);
            h->serial = sqlite3_column_int64(s, 0);
            h->time = tsk_state__col_str(s, 1);
            h->operation = tsk_state__col_str(s, 2);
            h->user = tsk_state__col_str(s, 3);
            h->host = tsk_state__col_str(s, 4);
            h->git_commit = tsk_state__col_str(s, 5);
            h->git_branch = tsk_state__col_str(s, 6);
            h->git_dirty = sqlite3_column_int(s, 7) != 0;
            h->summary = tsk_state__col_str(s, 8);
        }
        sqlite3_finalize(s);
        rc = rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
    }
    pthread_mutex_unlock(&st->mu);
    if (rc < 0)
        tsk_state_hist_list_release(out);
    return rc;
}

/* journal.c - the apply journal: an intent is written (and committed,
 * through the group commit of commit.c) before each provider call and
 * cleared in the transaction that stores its result, so entries left over
 * name objects that may exist without being recorded. */
#include "state/internal.h"

#include <stdlib.h>

struct add_arg {
    int64_t *id_out;
    const struct tsk_state_intent *in;
};

static int add_tx(struct tsk_state *st, void *arg, struct tsk_diags *d)
{
    const char *what = "recording an intent in the journal";
    const struct add_arg *a = arg;
    const struct tsk_state_intent *in = a->in;
    sqlite3_stmt *s;
    char now[32];
    int rc;
    tsk_state__fmt_time(now, tsk_state__now_ms());
    if (!(s = tsk_state__stmt(st,
                              "INSERT INTO journal(address, action, provider, "
                              "token, time, lock_id) VALUES (?, ?, ?, ?, ?, ?)",
                              what, d)))
        return TSK_ERROR;
    sqlite3_bind_text(s, 1, in->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, in->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, in->provider, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, in->token, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, now, -1, SQLITE_STATIC);
    if (st->lock_id[0])
        sqlite3_bind_text(s, 6, st->lock_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    tsk_state__stmt_done(s);
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, what, d);
    *a->id_out = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int tsk_state_journal_add(int64_t *id_out, struct tsk_state *st,
                          const struct tsk_state_intent *in,
                          struct tsk_diags *d)
{
    int rc;
    *id_out = 0;
    if (!in->address || !*in->address || !in->action || !*in->action) {
        tsk_diag_error(d, NULL,
                       "cannot record an intent in state file %s "
                       "without an address and an action",
                       st->path);
        return TSK_EINVAL;
    }
    struct add_arg a = {id_out, in};
    rc = tsk_state__write(st, add_tx, &a, "recording an intent", d);
    if (rc < 0) {
        *id_out = 0;
        tsk_diag_addr(d, in->address);
    }
    return rc;
}

int tsk_state_journal_add_n(int64_t *ids, struct tsk_state *st,
                            const struct tsk_state_intent *in, size_t n,
                            int *rcs, struct tsk_diags *ds)
{
    struct add_arg *a = tsk_xcalloc(n + 1, sizeof(*a));
    struct tsk_state__wr *w = tsk_xcalloc(n + 1, sizeof(*w));
    int err = 0;
    for (size_t i = 0; i < n; i++) {
        ids[i] = 0;
        a[i] = (struct add_arg){&ids[i], &in[i]};
        w[i] = (struct tsk_state__wr){add_tx, &a[i], "recording an intent"};
    }
    tsk_state__write_n(st, w, n, rcs, ds);
    for (size_t i = 0; i < n; i++)
        if (rcs[i] < 0) {
            ids[i] = 0;
            tsk_diag_addr(&ds[i], in[i].address);
            err = TSK_ERROR;
        }
    free(a);
    free(w);
    return err;
}

static int clear_tx(struct tsk_state *st, void *arg, struct tsk_diags *d)
{
    const char *what = "clearing an intent";
    sqlite3_stmt *s =
        tsk_state__stmt(st, "DELETE FROM journal WHERE id = ?", what, d);
    if (!s)
        return TSK_ERROR;
    sqlite3_bind_int64(s, 1, *(const int64_t *)arg);
    int rc = sqlite3_step(s);
    tsk_state__stmt_done(s);
    return rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
}

int tsk_state_journal_clear(struct tsk_state *st, int64_t id,
                            struct tsk_diags *d)
{
    return tsk_state__write(st, clear_tx, &id, "clearing an intent", d);
}

void tsk_state_intent_list_release(struct tsk_state_intent_list *l)
{
    for (size_t i = 0; i < l->v.n; i++) {
        struct tsk_state_intent *in = &l->v.v[i];
        free(in->address);
        free(in->action);
        free(in->provider);
        free(in->token);
        free(in->time);
        free(in->lock_id);
    }
    TSK_ARRAY_FREE(l->v);
}

int tsk_state_journal_list(struct tsk_state_intent_list *out,
                           struct tsk_state *st, struct tsk_diags *d)
{
    const char *what = "reading the journal";
    sqlite3_stmt *s;
    int rc;
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__prepare(st, &s,
                            "SELECT id, address, action, provider, token, "
                            "time, lock_id FROM journal ORDER BY id",
                            what, d);
    if (rc == 0) {
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            struct tsk_state_intent *in = TSK_ARRAY_PUSH(out->v);
            in->id = sqlite3_column_int64(s, 0);
            in->address = tsk_state__col_str(s, 1);
            in->action = tsk_state__col_str(s, 2);
            in->provider = tsk_state__col_str(s, 3);
            in->token = tsk_state__col_str(s, 4);
            in->time = tsk_state__col_str(s, 5);
            in->lock_id = tsk_state__col_str(s, 6);
        }
        sqlite3_finalize(s);
        rc = rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
    }
    pthread_mutex_unlock(&st->mu);
    if (rc < 0)
        tsk_state_intent_list_release(out);
    return rc;
}

/* journal.c - the apply journal: an intent is written before each provider
 * call and cleared in the transaction that stores its result, so entries
 * left over name objects that may exist without being recorded. */
#include "state/internal.h"

#include <stdlib.h>

static int add_tx(int64_t *id_out, struct tsk_state *st,
                  const struct tsk_state_intent *in, struct tsk_diags *d)
{
    const char *what = "recording an intent in the journal";
    sqlite3_stmt *s;
    char now[32];
    int rc;
    tsk_state__fmt_time(now, tsk_state__now_ms());
    if (tsk_state__prepare(st, &s,
                           "INSERT INTO journal(address, action, provider, "
                           "token, time, lock_id) VALUES (?, ?, ?, ?, ?, ?)",
                           what, d) < 0)
        return TSK_ERROR;
    sqlite3_bind_text(s, 1, in->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, in->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, in->provider, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, in->token, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, now, -1, SQLITE_STATIC);
    if (st->lock_id[0])
        sqlite3_bind_text(s, 6, st->lock_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, what, d);
    *id_out = sqlite3_last_insert_rowid(st->db);
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
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__begin_write(st, "recording an intent", d);
    if (rc == 0) {
        rc = add_tx(id_out, st, in, d);
        if (rc == 0)
            rc = tsk_state__commit(st, "recording an intent", d);
        else
            tsk_state__rollback(st);
    }
    pthread_mutex_unlock(&st->mu);
    if (rc < 0) {
        *id_out = 0;
        tsk_diag_addr(d, in->address);
    }
    return rc;
}

int tsk_state_journal_clear(struct tsk_state *st, int64_t id,
                            struct tsk_diags *d)
{
    const char *what = "clearing an intent";
    sqlite3_stmt *s;
    int rc;
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__begin_write(st, what, d);
    if (rc == 0)
        rc = tsk_state__prepare(st, &s, "DELETE FROM journal WHERE id = ?",
                                what, d);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, id);
        rc = sqlite3_step(s);
        sqlite3_finalize(s);
        rc = rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
        if (rc == 0)
            rc = tsk_state__commit(st, what, d);
    }
    tsk_state__rollback(st);
    pthread_mutex_unlock(&st->mu);
    return rc;
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

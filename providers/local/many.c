/*
 * many.c - the local provider's call_many: a batch of reads answered from
 * one read transaction of the cloud file (one snapshot, its locks taken
 * once), and a batch of writes queued together for group commit so that
 * they share one transaction. Each call keeps its own knobs (latency,
 * failure points), checks, results and diagnostics.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one object: when its stored text is exactly prior's, pc->same is
 * set and nothing is parsed (the common case of a refresh). */
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
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        char *pt = !pc->prior_text && pc->prior
                       ? cJSON_PrintUnformatted(pc->prior)
                       : NULL;
        const char *st = pc->prior_text ? pc->prior_text : pt;
        rc = 0;
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
    } else if (rc == SQLITE_DONE) {
        rc = TSK_ENOTFOUND;
    } else {
        rc =
            tsk_diag_error(&pc->d, NULL, "local cloud: %s", sqlite3_errmsg(db));
    }
    tsk_local__stmt_done(s);
    return rc;
}

/* The connection's mmap_size, or -1. */
static sqlite3_int64 mmap_size(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA mmap_size", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void set_mmap_size(sqlite3 *db, sqlite3_int64 v)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA mmap_size=%lld", (long long)v);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static void read_many(struct tsk_pctx *p, struct tsk_pcall *calls, size_t n)
{
    const struct tsk_resource_type **rt = tsk_xcalloc(n + 1, sizeof(*rt));
    size_t todo = 0;
    for (size_t i = 0; i < n; i++) {
        struct tsk_pcall *pc = &calls[i];
        pc->out = NULL;
        pc->same = 0;
        rt[i] = tsk_local__call_type(&pc->c, &pc->d);
        pc->rc = rt[i] ? tsk_local__knobs(p, "read", pc->c.addr, NULL, &pc->d)
                       : TSK_EINVAL;
        if (pc->rc)
            rt[i] = NULL;
        else if (!pc->id)
            rt[i] = NULL; /* no id: gone */
        else
            todo++;
    }
    sqlite3 *db = NULL;
    struct tsk_diags scratch = {0};
    if (todo && tsk_local__db_get(p, &db, &scratch) != 0) {
        /* No connection: every read still to make fails alike. */
        for (size_t i = 0; i < n; i++) {
            if (!rt[i])
                continue;
            calls[i].rc = tsk_diag_error(&calls[i].d, NULL, "%s",
                                         scratch.v.n ? scratch.v.v[0].summary
                                                     : "local cloud");
            tsk_diag_addr(&calls[i].d, calls[i].c.addr);
        }
        todo = 0;
    }
    tsk_diags_release(&scratch);
    if (todo) {
        /* Batches read through the page cache, not the connection's
         * mapping of the file: every pooled connection that a refresh
         * uses would otherwise map (and count in the process's resident
         * memory) most of the file once more. */
        sqlite3_int64 mm = mmap_size(db);
        if (mm > 0)
            set_mmap_size(db, 0);
        /* One snapshot for the batch: the read locks are taken once. */
        int tx = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
        for (size_t i = 0; i < n; i++) {
            struct tsk_pcall *pc = &calls[i];
            if (!rt[i])
                continue;
            pc->rc = read_one(pc, db, rt[i]->name);
            if (pc->rc == TSK_ENOTFOUND)
                pc->rc = 0;
            else if (pc->rc)
                tsk_diag_addr(&pc->d, pc->c.addr);
        }
        if (tx)
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (mm > 0)
            set_mmap_size(db, mm);
        tsk_local__db_put(p, db);
    }
    free(rt);
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

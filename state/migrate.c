/* migrate.c - schema creation and upgrades, keyed by PRAGMA user_version. */
#include "state/internal.h"

#include <stdlib.h>

/* steps[v] takes the schema from version v to v + 1. Append only: a
 * released step is never edited, since files in the field ran it. */
static const char *const steps[TSK_STATE_SCHEMA_VERSION] = {
    "CREATE TABLE meta("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " lineage TEXT NOT NULL, serial INTEGER NOT NULL,"
    " created TEXT NOT NULL);"
    "CREATE TABLE resources("
    " id INTEGER PRIMARY KEY, address TEXT NOT NULL UNIQUE,"
    " type TEXT NOT NULL, provider TEXT NOT NULL, remote_id TEXT,"
    " attributes TEXT NOT NULL, sensitive TEXT NOT NULL,"
    " dependencies TEXT NOT NULL, tainted INTEGER NOT NULL DEFAULT 0,"
    " serial INTEGER NOT NULL);"
    "CREATE TABLE history("
    " id INTEGER PRIMARY KEY, serial INTEGER NOT NULL, time TEXT NOT NULL,"
    " operation TEXT NOT NULL, user TEXT, host TEXT, git_commit TEXT,"
    " git_branch TEXT, git_dirty INTEGER NOT NULL DEFAULT 0, summary TEXT);"
    "CREATE TABLE journal("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL,"
    " action TEXT NOT NULL, provider TEXT, token TEXT, time TEXT NOT NULL,"
    " lock_id TEXT);"
    "CREATE TABLE lock("
    " id INTEGER PRIMARY KEY CHECK (id = 1), lock_id TEXT NOT NULL,"
    " operation TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,"
    " user TEXT, created TEXT NOT NULL, heartbeat_ms INTEGER NOT NULL,"
    " lease_ms INTEGER NOT NULL);",
};

static int pragma_int(struct tsk_state *st, const char *sql, int64_t *out,
                      struct tsk_diags *d)
{
    sqlite3_stmt *s;
    int rc;
    if (tsk_state__prepare(st, &s, sql, "reading the schema version", d) < 0)
        return TSK_ERROR;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW)
        return tsk_state__sqlerr(st, rc, "reading the schema version", d);
    return 0;
}

static int create_meta(struct tsk_state *st, struct tsk_diags *d)
{
    sqlite3_stmt *s;
    char lineage[37], now[32];
    int rc;
    tsk_state_uuid(lineage);
    tsk_state__fmt_time(now, tsk_state__now_ms());
    if (tsk_state__prepare(st, &s,
                           "INSERT INTO meta(id, lineage, serial, created) "
                           "VALUES (1, ?, 0, ?)",
                           "creating the state", d) < 0)
        return TSK_ERROR;
    sqlite3_bind_text(s, 1, lineage, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, now, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, "creating the state", d);
    return 0;
}

static int run_steps(struct tsk_state *st, int fresh, struct tsk_diags *d)
{
    int64_t v = 0, ntables = 0;
    char sql[96];
    if (pragma_int(st, "PRAGMA user_version", &v, d) < 0)
        return TSK_ERROR;
    if (v > TSK_STATE_SCHEMA_VERSION || v < 0) {
        tsk_diag_error(d, NULL,
                       "state file %s has schema version %lld, "
                       "newer than this tuskform knows (%d)",
                       st->path, (long long)v, TSK_STATE_SCHEMA_VERSION);
        return TSK_EINVAL;
    }
    if (fresh) {
        /* Another process may have initialised the empty file since we
         * looked; anything but our own schema is not ours to touch. */
        int64_t app = 0;
        if (pragma_int(st, "SELECT count(*) FROM sqlite_master", &ntables, d) <
                0 ||
            pragma_int(st, "PRAGMA application_id", &app, d) < 0)
            return TSK_ERROR;
        if ((ntables || v) && (v < 1 || app != TSK_STATE_APP_ID)) {
            tsk_diag_error(d, NULL,
                           "state file %s changed while it was "
                           "being created; run the command again",
                           st->path);
            return TSK_ECONFLICT;
        }
        fresh = !ntables && !v;
    }
    for (; v < TSK_STATE_SCHEMA_VERSION; v++)
        if (tsk_state__exec(st, steps[v], "upgrading the schema", d) < 0)
            return TSK_ERROR;
    if (fresh && create_meta(st, d) < 0)
        return TSK_ERROR;
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; "
             "PRAGMA user_version = %d",
             TSK_STATE_APP_ID, TSK_STATE_SCHEMA_VERSION);
    return tsk_state__exec(st, sql, "upgrading the schema", d);
}

int tsk_state__migrate(struct tsk_state *st, int fresh, struct tsk_diags *d)
{
    int rc = tsk_state__exec(st, "BEGIN IMMEDIATE", "upgrading the schema", d);
    if (rc < 0)
        return rc;
    rc = run_steps(st, fresh, d);
    if (rc < 0) {
        tsk_state__rollback(st);
        return rc;
    }
    return tsk_state__commit(st, "upgrading the schema", d);
}

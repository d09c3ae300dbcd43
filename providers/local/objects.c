/*
 * objects.c - row-level operations on the local cloud's objects table:
 * load one object, look a reference up, find an object by its tags, and
 * the transactional write used by create, update and delete.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define OBJ_COLS "id, type, name, arn, attrs, tags"

static char *col_str(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? tsk_xstrdup((const char *)t) : NULL;
}

/* Fills out from a row of OBJ_COLS; a row whose JSON does not parse is
 * reported as damaged (someone edited the cloud file by hand). */
static int row_to_obj(struct tsk_local_obj *out, sqlite3_stmt *s,
                      struct tsk_diags *d)
{
    memset(out, 0, sizeof(*out));
    out->id = col_str(s, 0);
    out->type = col_str(s, 1);
    out->name = col_str(s, 2);
    out->arn = col_str(s, 3);
    const char *attrs = (const char *)sqlite3_column_text(s, 4);
    const char *tags = (const char *)sqlite3_column_text(s, 5);
    out->attrs = attrs ? cJSON_Parse(attrs) : NULL;
    out->tags = tags ? cJSON_Parse(tags) : cJSON_CreateObject();
    if (!cJSON_IsObject(out->attrs) || !cJSON_IsObject(out->tags)) {
        tsk_diag_error(d, NULL,
                       "local cloud object %s (%s) is damaged: its %s are "
                       "not a JSON object",
                       out->id ? out->id : "?", out->type ? out->type : "?",
                       cJSON_IsObject(out->attrs) ? "tags" : "attributes");
        tsk_local__obj_release(out);
        return TSK_ERROR;
    }
    return 0;
}

static int query_one(struct tsk_local_obj *out, sqlite3 *db, const char *sql,
                     const char *const *args, int nargs, struct tsk_diags *d)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return tsk_diag_error(d, NULL, "local cloud: %s", sqlite3_errmsg(db));
    for (int i = 0; i < nargs; i++)
        sqlite3_bind_text(s, i + 1, args[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        rc = row_to_obj(out, s, d);
    else if (rc == SQLITE_DONE)
        rc = TSK_ENOTFOUND;
    else
        rc = tsk_diag_error(d, NULL, "local cloud: %s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return rc;
}

int tsk_local__obj_get(struct tsk_local_obj *out, sqlite3 *db,
                       const char *type, const char *id, struct tsk_diags *d)
{
    const char *args[] = {id, type};
    if (type)
        return query_one(out, db,
                         "SELECT " OBJ_COLS " FROM objects"
                         " WHERE id = ?1 AND type = ?2",
                         args, 2, d);
    return query_one(out, db, "SELECT " OBJ_COLS " FROM objects WHERE id = ?1",
                     args, 1, d);
}

char *tsk_local__obj_lookup(sqlite3 *db, const char *type, const char *value)
{
    sqlite3_stmt *s = NULL;
    char *id = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT id FROM objects WHERE type = ?1 AND"
                           " (id = ?2 OR arn = ?2 OR name = ?2) LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        id = col_str(s, 0);
    sqlite3_finalize(s);
    return id;
}

int tsk_local__obj_find(struct tsk_local_obj *out, sqlite3 *db,
                        const char *type, const char *stack, const char *addr,
                        struct tsk_diags *d)
{
    const char *args[] = {type, addr, stack};
    return query_one(out, db,
                     "SELECT " OBJ_COLS " FROM objects WHERE type = ?1"
                     " AND json_valid(tags)"
                     " AND json_extract(tags, '$.\"tuskform:address\"') = ?2"
                     " AND json_extract(tags, '$.\"tuskform:stack\"') = ?3"
                     " ORDER BY rowid DESC LIMIT 1",
                     args, 3, d);
}

static int bind_obj(sqlite3_stmt *s, const struct tsk_local_obj *o)
{
    char *attrs = cJSON_PrintUnformatted(o->attrs);
    char *tags = o->tags ? cJSON_PrintUnformatted(o->tags) : NULL;
    sqlite3_bind_text(s, 1, o->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, o->type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, o->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, o->arn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, attrs ? attrs : "{}", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, tags ? tags : "{}", -1, SQLITE_TRANSIENT);
    free(attrs);
    free(tags);
    return 0;
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
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, write_sql(w->op), -1, &s, NULL) != SQLITE_OK)
        return tsk_diag_error(d, NULL, "local cloud: %s", sqlite3_errmsg(db));
    if (w->op == 'd')
        sqlite3_bind_text(s, 1, w->obj->id, -1, SQLITE_TRANSIENT);
    else
        bind_obj(s, w->obj);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
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

int tsk_local__write(struct tsk_pctx *p, const struct tsk_local_write *w,
                     struct tsk_diags *d)
{
    sqlite3 *db;
    int rc = tsk_local__db_get(p, &db, d);
    if (rc)
        return rc;
    /* One writer per process at a time: threads queue on the mutex instead
     * of spinning in SQLite's busy handler; other processes still wait on
     * the busy timeout. Only the short transaction is under the lock, never
     * the configured latency. */
    pthread_mutex_lock(&p->wmu);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = tsk_diag_error(d, NULL, "local cloud %s: %s", p->path,
                            sqlite3_errmsg(db));
        goto done;
    }
    rc = w->check ? w->check(db, w->arg, d) : 0;
    if (!rc)
        rc = write_row(db, w, d);
    if (!rc && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = tsk_diag_error(d, NULL, "local cloud %s: commit: %s", p->path,
                            sqlite3_errmsg(db));
    if (rc)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
done:
    pthread_mutex_unlock(&p->wmu);
    tsk_local__db_put(p, db);
    return rc;
}

int tsk_local__addr_type(char *buf, size_t n, const char *addr)
{
    const char *dot = addr ? strchr(addr, '.') : NULL;
    if (!dot || (size_t)(dot - addr) >= n)
        return TSK_EINVAL;
    memcpy(buf, addr, (size_t)(dot - addr));
    buf[dot - addr] = 0;
    return 0;
}

const struct tsk_resource_type *tsk_local__type(const struct tsk_pctx *p,
                                                const char *name)
{
    for (size_t i = 0; p->types && p->types[i]; i++)
        if (strcmp(p->types[i]->name, name) == 0)
            return p->types[i];
    return NULL;
}

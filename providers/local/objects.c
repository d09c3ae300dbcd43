/*
 * objects.c - row-level operations on the local cloud's objects table:
 * load one object, look a reference up, find an object by its tags, with
 * the statements prepared once per connection and reused. (The writes
 * are in commit.c.)
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

sqlite3_stmt *tsk_local__stmt(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    while ((s = sqlite3_next_stmt(db, s)) != NULL)
        if (!sqlite3_stmt_busy(s) && strcmp(sqlite3_sql(s), sql) == 0)
            return s;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(s);
        return NULL;
    }
    return s;
}

void tsk_local__stmt_done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static int query_one(struct tsk_local_obj *out, sqlite3 *db, const char *sql,
                     const char *const *args, int nargs, struct tsk_diags *d)
{
    sqlite3_stmt *s = tsk_local__stmt(db, sql);
    if (!s)
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
    tsk_local__stmt_done(s);
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

int tsk_local__obj_attrs(cJSON **out, sqlite3 *db, const char *type,
                         const char *id, struct tsk_diags *d)
{
    *out = NULL;
    sqlite3_stmt *s = tsk_local__stmt(
        db, "SELECT attrs FROM objects WHERE id = ?1 AND type = ?2");
    if (!s)
        return tsk_diag_error(d, NULL, "local cloud: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        *out = t ? cJSON_Parse(t) : NULL;
        rc = 0;
        if (!cJSON_IsObject(*out)) {
            cJSON_Delete(*out);
            *out = NULL;
            rc = tsk_diag_error(d, NULL,
                                "local cloud object %s (%s) is damaged: its "
                                "attributes are not a JSON object",
                                id, type);
        }
    } else if (rc == SQLITE_DONE) {
        rc = TSK_ENOTFOUND;
    } else {
        rc = tsk_diag_error(d, NULL, "local cloud: %s", sqlite3_errmsg(db));
    }
    tsk_local__stmt_done(s);
    return rc;
}

char *tsk_local__obj_lookup(sqlite3 *db, const char *type, const char *value)
{
    /* One indexed probe per identifier (an OR over the three would scan
     * every object of the type, making a large apply quadratic). */
    sqlite3_stmt *s = tsk_local__stmt(
        db, "SELECT id FROM objects WHERE id = ?2 AND type = ?1"
            " UNION ALL SELECT id FROM objects WHERE arn = ?2 AND type = ?1"
            " UNION ALL SELECT id FROM objects WHERE type = ?1 AND name = ?2"
            " LIMIT 1");
    char *id = NULL;
    if (!s)
        return NULL;
    sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        id = col_str(s, 0);
    tsk_local__stmt_done(s);
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

/* store.c - resources: write one (each committed before the call returns,
 * through the group commit of commit.c), rename, forget. */
#include "state/internal.h"
#include "planner/util/jalloc.h"

#include <stdlib.h>
#include <string.h>

int64_t tsk_state_serial(struct tsk_state *st)
{
    sqlite3_stmt *s = NULL;
    int64_t serial = -1;
    pthread_mutex_lock(&st->mu);
    if (sqlite3_prepare_v2(st->db, "SELECT serial FROM meta", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        serial = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->mu);
    return serial;
}

int tsk_state_check_plan(struct tsk_state *st, const char *lineage,
                         int64_t serial, struct tsk_diags *d)
{
    int64_t now = tsk_state_serial(st);
    if (!lineage || strcmp(lineage, st->lineage) != 0) {
        tsk_diag_error(d, NULL,
                       "the saved plan was made for another state "
                       "(lineage %s; state file %s has lineage %s)",
                       lineage ? lineage : "(none)", st->path, st->lineage);
        tsk_diag_detail(d, "Run plan again against this state.");
        return TSK_ECONFLICT;
    }
    if (serial != now) {
        tsk_diag_error(d, NULL,
                       "the saved plan is stale: it was made at "
                       "state serial %lld, and state file %s is now at "
                       "serial %lld",
                       (long long)serial, st->path, (long long)now);
        tsk_diag_detail(d, "The state changed since the plan was made; run "
                           "plan again.");
        return TSK_ECONFLICT;
    }
    return 0;
}

/* Reports a missing address, suggesting the nearest one in state. */
static int not_found(struct tsk_state *st, const char *addr,
                     struct tsk_diags *d)
{
    TSK_ARRAY(char *) names = {0};
    sqlite3_stmt *s = NULL;
    const char *near;
    if (sqlite3_prepare_v2(st->db, "SELECT address FROM resources", -1, &s,
                           NULL) == SQLITE_OK)
        while (sqlite3_step(s) == SQLITE_ROW) {
            char *a = tsk_state__col_str(s, 0); /* NULL in a damaged file */
            if (a)
                *TSK_ARRAY_PUSH(names) = a;
        }
    sqlite3_finalize(s);
    tsk_diag_error(d, NULL, "no resource %s in state file %s", addr, st->path);
    tsk_diag_addr(d, addr);
    near = tsk_did_you_mean(addr, (const char *const *)names.v, names.n);
    if (near)
        tsk_diag_detail(d, "Did you mean %s?", near);
    else
        tsk_diag_detail(d, "'tuskform state list' shows the addresses.");
    for (size_t i = 0; i < names.n; i++)
        free(names.v[i]);
    TSK_ARRAY_FREE(names);
    return TSK_ENOTFOUND;
}

/* j's text (or def when j is NULL) in memory of malloc's (free()). */
static char *json_text(const cJSON *j, const char *def)
{
    char *t = j ? cJSON_PrintUnformatted(j) : NULL;
    if (j && !t)
        abort(); /* cJSON fails only when out of memory */
    if (!t)
        return tsk_xstrdup(def);
    if (!tsk_jalloc_owns(t))
        return t; /* cJSON's large blocks come from malloc */
    char *m = tsk_xstrdup(t);
    cJSON_free(t);
    return m;
}

static int check_res(struct tsk_state *st, const struct tsk_state_res *r,
                     struct tsk_diags *d)
{
    if (!r->address || !*r->address || !r->type || !*r->type || !r->provider ||
        !*r->provider) {
        tsk_diag_error(d, NULL,
                       "cannot store a resource in %s: its "
                       "address, type and provider must be set",
                       st->path);
        return TSK_EINVAL;
    }
    if ((r->attrs && !cJSON_IsObject(r->attrs)) ||
        (r->sensitive && !cJSON_IsArray(r->sensitive)) ||
        (r->deps && !cJSON_IsArray(r->deps))) {
        tsk_diag_error(d, NULL,
                       "cannot store %s in %s: attributes must be "
                       "an object, sensitive paths and dependencies arrays",
                       r->address, st->path);
        tsk_diag_addr(d, r->address);
        return TSK_EINVAL;
    }
    return 0;
}

static int clear_journal(struct tsk_state *st, int64_t jid, struct tsk_diags *d)
{
    const char *what = "clearing the journal";
    sqlite3_stmt *s;
    int rc;
    if (jid <= 0)
        return 0;
    if (!(s = tsk_state__stmt(st, "DELETE FROM journal WHERE id = ?", what,
                              d)))
        return TSK_ERROR;
    sqlite3_bind_int64(s, 1, jid);
    rc = sqlite3_step(s);
    tsk_state__stmt_done(s);
    return rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
}

/* The JSON texts are made before the write, outside the transaction. */
struct put_arg {
    const struct tsk_state_res *res;
    int64_t jid;
    char *attrs, *sens, *deps;
};

static int put_row(struct tsk_state *st, const struct put_arg *a,
                   struct tsk_diags *d)
{
    const char *what = "storing a resource";
    const struct tsk_state_res *r = a->res;
    sqlite3_stmt *s = tsk_state__stmt(
        st,
        "INSERT INTO resources(address, type, provider, remote_id, "
        "attributes, sensitive, dependencies, tainted, serial) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT serial FROM meta)) "
        "ON CONFLICT(address) DO UPDATE SET type = excluded.type, "
        "provider = excluded.provider, remote_id = excluded.remote_id, "
        "attributes = excluded.attributes, sensitive = excluded.sensitive, "
        "dependencies = excluded.dependencies, tainted = excluded.tainted, "
        "serial = excluded.serial",
        what, d);
    if (!s)
        return TSK_ERROR;
    sqlite3_bind_text(s, 1, r->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->provider, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->remote_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, a->attrs, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, a->sens, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, a->deps, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 8, r->tainted ? 1 : 0);
    int rc = sqlite3_step(s);
    tsk_state__stmt_done(s);
    return rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
}

static int put_tx(struct tsk_state *st, void *arg, struct tsk_diags *d)
{
    const struct put_arg *a = arg;
    int rc;
    if ((rc = tsk_state__bump_serial(st, d)) == 0 &&
        (rc = put_row(st, a, d)) == 0)
        rc = clear_journal(st, a->jid, d);
    return rc;
}

int tsk_state_put(struct tsk_state *st, const struct tsk_state_res *res,
                  int64_t jid, struct tsk_diags *d)
{
    int rc = check_res(st, res, d);
    if (rc < 0)
        return rc;
    struct put_arg a = {res, jid, json_text(res->attrs, "{}"),
                        json_text(res->sensitive, "[]"),
                        json_text(res->deps, "[]")};
    rc = tsk_state__write(st, put_tx, &a, "storing a resource", d);
    free(a.attrs);
    free(a.sens);
    free(a.deps);
    if (rc < 0)
        tsk_diag_addr(d, res->address);
    return rc;
}

int tsk_state_put_n(struct tsk_state *st, const struct tsk_state_res *res,
                    const int64_t *jids, size_t n, int *rcs,
                    struct tsk_diags *ds)
{
    struct put_arg *a = tsk_xcalloc(n + 1, sizeof(*a));
    struct tsk_state__wr *w = tsk_xcalloc(n + 1, sizeof(*w));
    size_t *at = tsk_xcalloc(n + 1, sizeof(*at)), m = 0;
    int *mrc = tsk_xcalloc(n + 1, sizeof(*mrc)), err = 0;
    struct tsk_diags *md = tsk_xcalloc(n + 1, sizeof(*md));
    for (size_t i = 0; i < n; i++) {
        if ((rcs[i] = check_res(st, &res[i], &ds[i])) < 0) {
            err = TSK_ERROR;
            continue;
        }
        a[m] = (struct put_arg){&res[i], jids[i],
                                json_text(res[i].attrs, "{}"),
                                json_text(res[i].sensitive, "[]"),
                                json_text(res[i].deps, "[]")};
        w[m] = (struct tsk_state__wr){put_tx, &a[m], "storing a resource"};
        at[m++] = i;
    }
    if (m)
        tsk_state__write_n(st, w, m, mrc, md);
    for (size_t k = 0; k < m; k++) {
        size_t i = at[k];
        rcs[i] = mrc[k];
        tsk_diags_move(&ds[i], &md[k]);
        if (rcs[i] < 0) {
            tsk_diag_addr(&ds[i], res[i].address);
            err = TSK_ERROR;
        }
        free(a[k].attrs);
        free(a[k].sens);
        free(a[k].deps);
    }
    free(a);
    free(w);
    free(at);
    free(mrc);
    free(md);
    return err;
}

/* Runs a one-row statement with text binds; returns rows changed or <0. */
static int run_changes(struct tsk_state *st, const char *sql, const char *a,
                       const char *b, const char *what, struct tsk_diags *d)
{
    sqlite3_stmt *s;
    int rc;
    if (tsk_state__prepare(st, &s, sql, what, d) < 0)
        return TSK_ERROR;
    sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, what, d);
    return sqlite3_changes(st->db);
}

struct delete_arg {
    const char *addr;
    int64_t jid;
};

static int delete_tx(struct tsk_state *st, void *arg, struct tsk_diags *d)
{
    const char *what = "forgetting a resource";
    const struct delete_arg *a = arg;
    const char *addr = a->addr;
    int64_t jid = a->jid;
    sqlite3_stmt *s = tsk_state__stmt(
        st, "DELETE FROM resources WHERE address = ?", what, d);
    if (!s)
        return TSK_ERROR;
    sqlite3_bind_text(s, 1, addr, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    tsk_state__stmt_done(s);
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, what, d);
    rc = sqlite3_changes(st->db);
    if (rc == 0)
        return not_found(st, addr, d);
    if (rc < 0 || (rc = clear_journal(st, jid, d)) < 0 ||
        (rc = tsk_state__bump_serial(st, d)) < 0)
        return rc;
    return 0;
}

int tsk_state_delete(struct tsk_state *st, const char *addr, int64_t jid,
                     struct tsk_diags *d)
{
    struct delete_arg a = {addr, jid};
    return tsk_state__write(st, delete_tx, &a, "forgetting a resource", d);
}

/* Rewrites every dependency list that names from so it names to. */
static int rewrite_deps(struct tsk_state *st, const char *from, const char *to,
                        struct tsk_diags *d)
{
    const char *what = "renaming dependencies";
    cJSON *q = cJSON_CreateString(from);
    char *needle = json_text(q, "");
    sqlite3_stmt *s;
    int rc = tsk_state__prepare(st, &s,
                                "SELECT address, dependencies FROM "
                                "resources WHERE instr(dependencies, ?) > 0",
                                what, d);
    TSK_ARRAY(char *) upd = {0}; /* address, new deps pairs */
    cJSON_Delete(q);
    if (rc == 0) {
        sqlite3_bind_text(s, 1, needle, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            cJSON *deps = cJSON_Parse((const char *)sqlite3_column_text(s, 1));
            cJSON *e;
            cJSON_ArrayForEach(e, deps)
            {
                if (cJSON_IsString(e) && strcmp(e->valuestring, from) == 0)
                    cJSON_SetValuestring(e, to);
            }
            if (cJSON_IsArray(deps)) {
                *TSK_ARRAY_PUSH(upd) = tsk_state__col_str(s, 0);
                *TSK_ARRAY_PUSH(upd) = json_text(deps, "[]");
            }
            cJSON_Delete(deps);
        }
        sqlite3_finalize(s);
        rc = rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
    }
    for (size_t i = 0; rc == 0 && i + 1 < upd.n; i += 2)
        rc = run_changes(st,
                         "UPDATE resources SET dependencies = ? WHERE "
                         "address = ?",
                         upd.v[i + 1], upd.v[i], what, d);
    for (size_t i = 0; i < upd.n; i++)
        free(upd.v[i]);
    TSK_ARRAY_FREE(upd);
    free(needle);
    return rc < 0 ? rc : 0;
}

static int mv_tx(struct tsk_state *st, const char *from, const char *to,
                 struct tsk_diags *d)
{
    const char *what = "renaming a resource";
    int rc = run_changes(st,
                         "UPDATE resources SET address = address WHERE "
                         "address = ?",
                         to, NULL, what, d);
    if (rc > 0) {
        tsk_diag_error(d, NULL,
                       "cannot move %s to %s in state file %s: %s "
                       "already exists",
                       from, to, st->path, to);
        tsk_diag_detail(d, "Remove it first with 'tuskform state rm %s'.", to);
        return TSK_ECONFLICT;
    }
    if (rc < 0 || (rc = tsk_state__bump_serial(st, d)) < 0)
        return rc;
    rc = run_changes(st,
                     "UPDATE resources SET address = ?, serial = (SELECT "
                     "serial FROM meta) WHERE address = ?",
                     to, from, what, d);
    if (rc == 0)
        return not_found(st, from, d);
    if (rc < 0)
        return rc;
    return rewrite_deps(st, from, to, d);
}

int tsk_state_mv(struct tsk_state *st, const char *from, const char *to,
                 struct tsk_diags *d)
{
    if (!from || !to || !*to) {
        tsk_diag_error(d, NULL,
                       "cannot move a resource in state file %s "
                       "without both addresses",
                       st->path);
        return TSK_EINVAL;
    }
    pthread_mutex_lock(&st->mu);
    int rc = tsk_state__begin_write(st, "renaming a resource", d);
    if (rc == 0) {
        rc = mv_tx(st, from, to, d);
        if (rc == 0)
            rc = tsk_state__commit(st, "renaming a resource", d);
        else
            tsk_state__rollback(st);
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

/* load.c - reading resources: the full snapshot the planner starts from,
 * and one resource for 'state show'. */
#include "state/internal.h"

#include <stdlib.h>
#include <string.h>

/* The JSON columns come with SQLite's own validity check (json_valid),
 * which builds no tree: keeping 10,000 parsed trees would cost more than
 * the whole load is allowed to. */
#define RES_COLS                                                               \
    "address, type, provider, remote_id, attributes, sensitive, "              \
    "dependencies, tainted, json_valid(attributes), json_valid(sensitive), "   \
    "json_valid(dependencies)"

/* Whether JSON column i is valid and of the wanted kind. */
static int json_ok(sqlite3_stmt *s, int i, char open)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    if (!t || sqlite3_column_int(s, i + 4) != 1)
        return 0;
    t += strspn(t, " \t\r\n");
    return *t == open;
}

/* The snapshot's strings live in large chunks: one malloc per string
 * (80,000 for 10,000 resources) took most of a load's time. */
struct chunk {
    struct chunk *next;
    size_t used, size;
    char data[];
};
#define CHUNK_SIZE (1024 * 1024 - 64)

static char *arena_alloc(struct chunk **arena, size_t n)
{
    struct chunk *c = *arena;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
        c = tsk_xmalloc(sizeof *c + size);
        c->next = *arena;
        c->used = 0;
        c->size = size;
        *arena = c;
    }
    c->used += n;
    return c->data + c->used - n;
}

static void arena_free(struct chunk *c)
{
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
}

/* Copies columns 0-6 into one block, from the arena when there is one, or
 * an own allocation (block_); a damaged JSON column stays NULL. */
static void copy_row(sqlite3_stmt *s, struct tsk_state_rec *r,
                     struct chunk **arena)
{
    static const char kind[7] = {0, 0, 0, 0, '{', '[', '['};
    char **dst[7] = {&r->address,   &r->type,       &r->provider,
                     &r->remote_id, &r->attrs_json, &r->sensitive_json,
                     &r->deps_json};
    size_t len[7], total = 0;
    int keep[7];
    for (int i = 0; i < 7; i++) {
        const unsigned char *t = sqlite3_column_text(s, i);
        keep[i] = t && (!kind[i] || json_ok(s, i, kind[i]));
        len[i] = keep[i] ? (size_t)sqlite3_column_bytes(s, i) : 0;
        total += keep[i] ? len[i] + 1 : 0;
    }
    char *p = arena ? arena_alloc(arena, total)
                    : (r->block_ = tsk_xmalloc(total ? total : 1));
    for (int i = 0; i < 7; i++) {
        *dst[i] = NULL;
        if (!keep[i])
            continue;
        memcpy(p, sqlite3_column_text(s, i), len[i]);
        p[len[i]] = '\0';
        *dst[i] = p;
        p += len[i] + 1;
    }
}

/* Fills r from the current row; reports a damaged row by its address. */
static int read_row(struct tsk_state *st, sqlite3_stmt *s,
                    struct tsk_state_rec *r, struct chunk **arena,
                    struct tsk_diags *d)
{
    copy_row(s, r, arena);
    r->tainted = sqlite3_column_int(s, 7) != 0;
    if (r->address && r->type && r->provider && r->attrs_json &&
        r->sensitive_json && r->deps_json)
        return 0;
    tsk_diag_error(d, NULL, "state file %s is damaged: resource %s has %s",
                   st->path, r->address ? r->address : "(no address)",
                   !r->address || !r->type || !r->provider
                       ? "no address, type or provider"
                   : !r->attrs_json ? "invalid attributes JSON"
                                    : "an invalid sensitive-paths or "
                                      "dependencies list");
    if (r->address)
        tsk_diag_addr(d, r->address);
    tsk_diag_detail(d, "tuskform has not modified the file. Restore it from "
                       "a backup, or forget the resource with 'tuskform "
                       "state rm ADDRESS' and import it again.");
    return TSK_EINVAL;
}

void tsk_state_rec_release(struct tsk_state_rec *r)
{
    free(r->block_);
    memset(r, 0, sizeof *r);
}

static cJSON *parse_kind(const char *text, int object)
{
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    if (j && (object ? !cJSON_IsObject(j) : !cJSON_IsArray(j))) {
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

cJSON *tsk_state_rec_attrs(const struct tsk_state_rec *r)
{
    return parse_kind(r->attrs_json, 1);
}

cJSON *tsk_state_rec_sensitive(const struct tsk_state_rec *r)
{
    return parse_kind(r->sensitive_json, 0);
}

cJSON *tsk_state_rec_deps(const struct tsk_state_rec *r)
{
    return parse_kind(r->deps_json, 0);
}

static int cmp_res(const void *a, const void *b)
{
    return strcmp(((const struct tsk_state_rec *)a)->address,
                  ((const struct tsk_state_rec *)b)->address);
}

static int load_meta(struct tsk_state *st, struct tsk_state_snap *snap,
                     struct tsk_diags *d)
{
    sqlite3_stmt *s;
    int rc;
    if (tsk_state__prepare(st, &s, "SELECT lineage, serial FROM meta",
                           "loading the state", d) < 0)
        return TSK_ERROR;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        snap->lineage = tsk_state__col_str(s, 0);
        snap->serial = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW || !snap->lineage) {
        if (rc == SQLITE_ROW || rc == SQLITE_DONE)
            return tsk_diag_error(d, NULL,
                                  "state file %s is damaged: its "
                                  "lineage and serial are missing",
                                  st->path);
        return tsk_state__sqlerr(st, rc, "loading the state", d);
    }
    return 0;
}

static int load_rows(struct tsk_state *st, struct tsk_state_snap *snap,
                     struct tsk_diags *d)
{
    sqlite3_stmt *s;
    struct chunk *arena = NULL;
    int rc, bad = 0, sorted = 1;
    /* Table order, sorted here: walking the address index would fetch
     * the table's pages in random order. */
    if (tsk_state__prepare(st, &s, "SELECT " RES_COLS " FROM resources",
                           "loading resources", d) < 0)
        return TSK_ERROR;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct tsk_state_rec r = {0};
        if (read_row(st, s, &r, &arena, d) < 0) {
            tsk_state_rec_release(&r);
            bad = 1;
            continue;
        }
        if (snap->res.n &&
            strcmp(snap->res.v[snap->res.n - 1].address, r.address) >= 0)
            sorted = 0;
        *TSK_ARRAY_PUSH(snap->res) = r;
    }
    sqlite3_finalize(s);
    snap->arena_ = arena;
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, "loading resources", d);
    if (!sorted)
        qsort(snap->res.v, snap->res.n, sizeof *snap->res.v, cmp_res);
    return bad ? TSK_EINVAL : 0;
}

int tsk_state_load(struct tsk_state_snap **out, struct tsk_state *st,
                   struct tsk_diags *d)
{
    struct tsk_state_snap *snap = tsk_xcalloc(1, sizeof *snap);
    int rc;
    *out = NULL;
    pthread_mutex_lock(&st->mu);
    /* One read transaction: the snapshot is one serial's resources. */
    rc = tsk_state__exec(st, "BEGIN", "loading the state", d);
    if (rc == 0) {
        rc = load_meta(st, snap, d);
        if (rc == 0)
            rc = load_rows(st, snap, d);
        tsk_state__rollback(st);
    }
    pthread_mutex_unlock(&st->mu);
    if (rc < 0) {
        tsk_state_snap_free(snap);
        return rc;
    }
    *out = snap;
    return 0;
}

const struct tsk_state_rec *tsk_state_snap_find(const struct tsk_state_snap *s,
                                                const char *addr)
{
    size_t lo = 0, hi = s ? s->res.n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->res.v[mid].address, addr);
        if (c == 0)
            return &s->res.v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void tsk_state_snap_free(struct tsk_state_snap *s)
{
    if (!s)
        return;
    TSK_ARRAY_FREE(s->res);
    arena_free(s->arena_);
    free(s->lineage);
    free(s);
}

int tsk_state_get(struct tsk_state_rec *out, struct tsk_state *st,
                  const char *addr, struct tsk_diags *d)
{
    sqlite3_stmt *s;
    int rc;
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&st->mu);
    rc = tsk_state__prepare(st, &s,
                            "SELECT " RES_COLS " FROM resources "
                            "WHERE address = ?",
                            "reading a resource", d);
    if (rc == 0) {
        sqlite3_bind_text(s, 1, addr, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            rc = read_row(st, s, out, NULL, d);
        else if (rc == SQLITE_DONE)
            rc = TSK_ENOTFOUND;
        else
            rc = tsk_state__sqlerr(st, rc, "reading a resource", d);
        sqlite3_finalize(s);
    }
    pthread_mutex_unlock(&st->mu);
    if (rc < 0)
        tsk_state_rec_release(out);
    return rc;
}

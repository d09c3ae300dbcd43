/* load.c - reading resources: the full snapshot the planner starts from,
 * and one resource for 'state show'. */
#include "state/internal.h"
#include "planner/util/jsonspan.h"

#include <stdlib.h>
#include <string.h>

#define RES_COLS                                                               \
    "address, type, provider, remote_id, attributes, sensitive, "              \
    "dependencies, tainted"

/* Whether JSON column i is one well-formed JSON value of the wanted kind,
 * as cJSON reads it: checked by a scan that builds no tree (keeping
 * 100,000 parsed trees would cost more than the whole load is allowed to;
 * SQLite's json_valid builds one per value and took half the load). */
static int json_ok(sqlite3_stmt *s, int i, char open)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t && tsk_jspan_valid(t, open);
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

/* Points r at columns 0-6 of the current row (borrowed from s, valid
 * until the next step) with their lengths in len; a damaged JSON column
 * stays NULL. */
static void view_row(sqlite3_stmt *s, struct tsk_state_rec *r, size_t len[7])
{
    static const char kind[7] = {0, 0, 0, 0, '{', '[', '['};
    char **dst[7] = {&r->address,   &r->type,       &r->provider,
                     &r->remote_id, &r->attrs_json, &r->sensitive_json,
                     &r->deps_json};
    for (int i = 0; i < 7; i++) {
        const unsigned char *t = sqlite3_column_text(s, i);
        int keep = t && (!kind[i] || json_ok(s, i, kind[i]));
        len[i] = keep ? (size_t)sqlite3_column_bytes(s, i) : 0;
        *dst[i] = keep ? (char *)t : NULL;
    }
    r->tainted = sqlite3_column_int(s, 7) != 0;
    r->block_ = NULL;
}

/* Copies the strings of a viewed row into one block, from the arena when
 * there is one, or an own allocation (block_). */
static void copy_row(struct tsk_state_rec *r, const size_t len[7],
                     struct chunk **arena)
{
    char **dst[7] = {&r->address,   &r->type,       &r->provider,
                     &r->remote_id, &r->attrs_json, &r->sensitive_json,
                     &r->deps_json};
    size_t total = 0;
    for (int i = 0; i < 7; i++)
        total += *dst[i] ? len[i] + 1 : 0;
    char *p = arena ? arena_alloc(arena, total)
                    : (r->block_ = tsk_xmalloc(total ? total : 1));
    for (int i = 0; i < 7; i++) {
        if (!*dst[i])
            continue;
        memcpy(p, *dst[i], len[i]);
        p[len[i]] = '\0';
        *dst[i] = p;
        p += len[i] + 1;
    }
}

/* Reports a damaged row by its address; 0 when r is whole. */
static int check_row(struct tsk_state *st, const struct tsk_state_rec *r,
                     struct tsk_diags *d)
{
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

/* Calls fn for every whole row of the resources table, in table order
 * (walking the address index would fetch the table's pages in random
 * order); damaged rows are reported and skipped. */
typedef int (*row_fn)(void *arg, const struct tsk_state_rec *r,
                      const size_t len[7]);

static int scan_rows(struct tsk_state *st, row_fn fn, void *arg,
                     struct tsk_diags *d)
{
    sqlite3_stmt *s;
    int rc = SQLITE_DONE, bad = 0, stop = 0;
    if (tsk_state__prepare(st, &s, "SELECT " RES_COLS " FROM resources",
                           "loading resources", d) < 0)
        return TSK_ERROR;
    while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct tsk_state_rec r;
        size_t len[7];
        view_row(s, &r, len);
        if (check_row(st, &r, d) < 0)
            bad = 1;
        else
            stop = fn(arg, &r, len);
    }
    sqlite3_finalize(s);
    if (stop)
        return stop;
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, "loading resources", d);
    return bad ? TSK_EINVAL : 0;
}

/* Runs scan_rows in one read transaction (one serial's resources), with
 * the lineage and serial read in it. */
static int scan_tx(struct tsk_state *st, row_fn fn, void *arg,
                   struct tsk_state_snap *meta, struct tsk_diags *d)
{
    pthread_mutex_lock(&st->mu);
    int rc = tsk_state__exec(st, "BEGIN", "loading the state", d);
    if (rc == 0) {
        rc = load_meta(st, meta, d);
        if (rc == 0)
            rc = scan_rows(st, fn, arg, d);
        tsk_state__rollback(st);
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

struct scan_cb {
    tsk_state_scan_fn fn;
    void *arg;
};

static int scan_one(void *arg, const struct tsk_state_rec *r,
                    const size_t len[7])
{
    const struct scan_cb *cb = arg;
    return cb->fn(cb->arg, r, len[4]);
}

int tsk_state_scan(struct tsk_state *st, tsk_state_scan_fn fn, void *arg,
                   int64_t *serial, struct tsk_diags *d)
{
    struct tsk_state_snap meta = {0};
    struct scan_cb cb = {fn, arg};
    int rc = scan_tx(st, scan_one, &cb, &meta, d);
    free(meta.lineage);
    if (serial)
        *serial = rc == 0 ? meta.serial : -1;
    return rc;
}

size_t tsk_state_rows_hint(struct tsk_state *st)
{
    sqlite3_stmt *s = NULL;
    struct tsk_diags scratch = {0};
    sqlite3_int64 n = 0;
    pthread_mutex_lock(&st->mu);
    if (tsk_state__prepare(st, &s, "SELECT max(rowid) FROM resources", "sizing",
                           &scratch) == 0 &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->mu);
    tsk_diags_release(&scratch);
    /* a damaged file may claim any row id: the hint stays a hint */
    if (n <= 0)
        return 0;
    return (size_t)n < TSK_STATE_HINT_MAX ? (size_t)n : TSK_STATE_HINT_MAX;
}

struct snap_fill {
    struct tsk_state_snap *snap;
    struct chunk *arena;
};

/* A scan callback: the row copied into the snapshot's arena. */
static int snap_add(void *arg, const struct tsk_state_rec *r,
                    const size_t len[7])
{
    struct snap_fill *sf = arg;
    struct tsk_state_rec *c = TSK_ARRAY_PUSH(sf->snap->res);
    *c = *r;
    copy_row(c, len, &sf->arena);
    return 0;
}

int tsk_state_load(struct tsk_state_snap **out, struct tsk_state *st,
                   struct tsk_diags *d)
{
    struct tsk_state_snap *snap = tsk_xcalloc(1, sizeof *snap);
    struct snap_fill sf = {snap, NULL};
    *out = NULL;
    int rc = scan_tx(st, snap_add, &sf, snap, d);
    snap->arena_ = sf.arena;
    if (rc < 0) {
        tsk_state_snap_free(snap);
        return rc;
    }
    int sorted = 1;
    for (size_t i = 1; sorted && i < snap->res.n; i++)
        sorted = strcmp(snap->res.v[i - 1].address, snap->res.v[i].address) < 0;
    if (!sorted)
        qsort(snap->res.v, snap->res.n, sizeof *snap->res.v, cmp_res);
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
        if (rc == SQLITE_ROW) {
            size_t len[7];
            view_row(s, out, len);
            rc = check_row(st, out, d);
            copy_row(out, len, NULL);
        } else if (rc == SQLITE_DONE)
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

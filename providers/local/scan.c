/*
 * scan.c - many reads of the local cloud answered from one pass over its
 * objects table: the ids wanted go in a hash table, every row is looked up
 * in it, and only the rows wanted have their attributes compared. A read
 * of most of the table costs a sequential scan instead of two index
 * descents per object.
 *
 * The lookups are what costs, not the scan: each one loads memory from
 * places that no cache holds (the hash table, the read, its id and the
 * state's text). Rows are therefore copied out a batch at a time, and each
 * step of their lookups starts the loads of the whole batch before any is
 * waited for.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Rows looked up together. */
#define BATCH 32

/* FNV-1a of s, then mixed: ids differ in their last characters, which
 * FNV alone leaves in its high bits. */
static uint32_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (uint32_t)h;
}

/* A row copied out of the statement: offsets into the batch's text. */
struct row {
    size_t id, type, attrs; /* attrs SIZE_MAX: NULL */
    uint32_t slot;          /* where its lookup starts */
    uint32_t first;         /* what that slot holds */
};

struct scan {
    const struct tsk_local_want *w;
    unsigned char *seen;
    uint32_t *slot; /* a read's index + 1, 0 when free; open addressing */
    uint32_t mask;
    struct row r[BATCH];
    size_t nrows;
    char *text;
    size_t len, cap;
};

static void wanted_init(struct scan *sc, size_t n)
{
    size_t cap = 64;
    while (cap < n * 2)
        cap *= 2;
    sc->slot = tsk_xcalloc(cap, sizeof(*sc->slot));
    sc->mask = (uint32_t)(cap - 1);
    uint32_t *h = tsk_xmalloc((n + 1) * sizeof(*h));
    for (size_t i = 0; i < n; i++) {
        if (i + 16 < n)
            __builtin_prefetch(sc->w[i + 16].pc->id);
        h[i] = hash_id(sc->w[i].pc->id) & sc->mask;
    }
    for (size_t i = 0; i < n; i++) {
        if (i + 16 < n)
            __builtin_prefetch(&sc->slot[h[i + 16]]);
        uint32_t k = h[i];
        while (sc->slot[k])
            k = (k + 1) & sc->mask;
        sc->slot[k] = (uint32_t)i + 1;
    }
    free(h);
}

/* Copies column i of s into the batch's text; SIZE_MAX for NULL. */
static size_t put(struct scan *sc, sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return SIZE_MAX;
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    if (sc->len + n + 1 > sc->cap) {
        sc->cap = (sc->len + n + 1) * 2;
        sc->text = tsk_xrealloc(sc->text, sc->cap);
    }
    size_t at = sc->len;
    memcpy(sc->text + at, t, n);
    sc->text[at + n] = 0;
    sc->len += n + 1;
    return at;
}

/* Every read of the row's id and type takes the row: several reads may
 * name the same object. */
static void match(struct scan *sc, const struct row *r)
{
    const char *id = sc->text + r->id, *type = sc->text + r->type;
    const char *attrs = r->attrs == SIZE_MAX ? NULL : sc->text + r->attrs;
    for (uint32_t k = r->slot; sc->slot[k]; k = (k + 1) & sc->mask) {
        size_t i = sc->slot[k] - 1;
        struct tsk_pcall *pc = sc->w[i].pc;
        if (strcmp(pc->id, id) != 0 || strcmp(sc->w[i].type, type) != 0)
            continue;
        sc->seen[i] = 1;
        pc->rc = tsk_local__read_row(pc, attrs, sc->w[i].type);
    }
}

/* Looks the batch's rows up, each step for all rows before the next. */
static void flush(struct scan *sc)
{
    size_t n = sc->nrows;
    for (size_t i = 0; i < n; i++) {
        struct row *r = &sc->r[i];
        r->slot = hash_id(sc->text + r->id) & sc->mask;
        __builtin_prefetch(&sc->slot[r->slot]);
    }
    for (size_t i = 0; i < n; i++) {
        struct row *r = &sc->r[i];
        r->first = sc->slot[r->slot];
        if (r->first)
            __builtin_prefetch(&sc->w[r->first - 1]);
    }
    for (size_t i = 0; i < n; i++)
        if (sc->r[i].first)
            __builtin_prefetch(&sc->w[sc->r[i].first - 1].pc->prior_text);
    for (size_t i = 0; i < n; i++) {
        if (!sc->r[i].first)
            continue;
        const struct tsk_pcall *pc = sc->w[sc->r[i].first - 1].pc;
        __builtin_prefetch(pc->id);
        if (pc->prior_text)
            __builtin_prefetch(pc->prior_text);
    }
    for (size_t i = 0; i < n; i++)
        match(sc, &sc->r[i]);
    sc->nrows = 0;
    sc->len = 0;
}

void tsk_local__scan_reads(sqlite3 *db, const struct tsk_local_want *w,
                           size_t n)
{
    if (!n)
        return;
    sqlite3_stmt *s =
        tsk_local__stmt(db, "SELECT id, type, attrs FROM objects");
    if (!s) {
        for (size_t i = 0; i < n; i++)
            w[i].pc->rc = tsk_diag_error(&w[i].pc->d, NULL, "local cloud: %s",
                                         sqlite3_errmsg(db));
        return;
    }
    struct scan *sc = tsk_xcalloc(1, sizeof(*sc));
    sc->w = w;
    sc->seen = tsk_xcalloc(n + 1, 1);
    wanted_init(sc, n);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        /* A lookup compares text with text: a row whose id or type is
         * stored as something else matches none. */
        if (sqlite3_column_type(s, 0) != SQLITE_TEXT ||
            sqlite3_column_type(s, 1) != SQLITE_TEXT)
            continue;
        struct row *r = &sc->r[sc->nrows++];
        r->id = put(sc, s, 0);
        r->type = put(sc, s, 1);
        r->attrs = put(sc, s, 2);
        if (sc->nrows == BATCH)
            flush(sc);
    }
    flush(sc);
    for (size_t i = 0; i < n; i++) {
        if (sc->seen[i])
            continue;
        if (rc == SQLITE_DONE)
            w[i].pc->rc = TSK_ENOTFOUND;
        else
            w[i].pc->rc = tsk_diag_error(&w[i].pc->d, NULL, "local cloud: %s",
                                         sqlite3_errmsg(db));
    }
    tsk_local__stmt_done(s);
    free(sc->seen);
    free(sc->slot);
    free(sc->text);
    free(sc);
}

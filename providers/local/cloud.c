/*
 * cloud.c - the local provider's "cloud": a SQLite file of objects, opened
 * with a pool of connections so that calls from several apply workers run
 * at once, plus the latency and failure knobs used by tests and benchmarks.
 *
 *   TUSKFORM_LOCAL_CLOUD       the cloud file (default .tuskform/local-cloud.db
 *                              in the configuration folder)
 *   TUSKFORM_LOCAL_LATENCY_MS  a delay slept at the start of every call
 *   TUSKFORM_LOCAL_FAIL        comma-separated failure points:
 *       OP:ADDR                fail calls OP (create, update, delete, read,
 *                              find, import, or *) for addresses matching
 *                              the glob ADDR, before any side effect
 *       lost-create:ADDR       create the object, then report a failure (as
 *                              when a response is lost)
 *       rate:R[:seed:S][:op:OP] fail the fraction R of calls; which ones is
 *                              decided by a hash of the seed, operation and
 *                              address, so a run is reproducible
 */
#include "internal.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* PRAGMA application_id of a local cloud file ("TSKL"). */
#define CLOUD_APP_ID 0x54534b4c

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS objects("
    " id TEXT PRIMARY KEY NOT NULL,"
    " type TEXT NOT NULL,"
    " name TEXT,"
    " arn TEXT NOT NULL,"
    " attrs TEXT NOT NULL,"
    " tags TEXT NOT NULL DEFAULT '{}',"
    " created TEXT NOT NULL,"
    " updated TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS objects_arn ON objects(arn);"
    "CREATE INDEX IF NOT EXISTS objects_type_name ON objects(type, name);";

void tsk_local__obj_release(struct tsk_local_obj *o)
{
    free(o->id);
    free(o->type);
    free(o->name);
    free(o->arn);
    cJSON_Delete(o->attrs);
    cJSON_Delete(o->tags);
    memset(o, 0, sizeof(*o));
}

static int sqlerr(sqlite3 *db, const char *path, const char *what,
                  struct tsk_diags *d)
{
    tsk_diag_error(d, NULL, "local cloud %s: %s: %s", path, what,
                   db ? sqlite3_errmsg(db) : "out of memory");
    return TSK_ERROR;
}

static int open_conn(struct tsk_pctx *p, sqlite3 **out, struct tsk_diags *d)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(p->path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        sqlerr(db, p->path, "cannot open", d);
        sqlite3_close(db);
        return TSK_ERROR;
    }
    sqlite3_busy_timeout(db, 30000);
    /* The file stands for a remote cloud: a commit is safe from a killed
     * process (the OS has it), and it is not synced against power loss.
     * Reads go through the connection's page cache, not a mapping of the
     * file: a mapping counts every page it touched in the process's
     * resident memory, once per connection of the pool. */
    rc = sqlite3_exec(db,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
                      " PRAGMA mmap_size=0;",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        sqlerr(db, p->path, "cannot configure", d);
        sqlite3_close(db);
        return TSK_ERROR;
    }
    *out = db;
    return 0;
}

int tsk_local__db_get(struct tsk_pctx *p, sqlite3 **out, struct tsk_diags *d)
{
    pthread_mutex_lock(&p->mu);
    if (p->idle.n) {
        *out = p->idle.v[--p->idle.n];
        pthread_mutex_unlock(&p->mu);
        return 0;
    }
    pthread_mutex_unlock(&p->mu);
    return open_conn(p, out, d);
}

void tsk_local__db_put(struct tsk_pctx *p, sqlite3 *db)
{
    pthread_mutex_lock(&p->mu);
    *TSK_ARRAY_PUSH(p->idle) = db;
    pthread_mutex_unlock(&p->mu);
}

static int64_t int_query(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Refuses a file that belongs to something else, then creates the tables. */
static int init_schema(struct tsk_pctx *p, sqlite3 *db, struct tsk_diags *d)
{
    int64_t app = int_query(db, "PRAGMA application_id");
    int64_t tables = int_query(db, "SELECT count(*) FROM sqlite_master "
                                   "WHERE type='table' AND name<>'objects'");
    if (app < 0)
        return sqlerr(db, p->path, "not a SQLite database", d);
    /* Already ours: no write, so a read-only command never makes the file
     * checkpoint (and sync) when it closes. */
    if (app == CLOUD_APP_ID &&
        int_query(db, "SELECT count(*) FROM sqlite_master WHERE "
                      "name = 'objects_type_name'") == 1)
        return 0;
    if ((app != 0 && app != CLOUD_APP_ID) || (app == 0 && tables > 0)) {
        tsk_diag_error(d, NULL,
                       "local cloud %s: the file is not a tuskform local "
                       "cloud; it was left untouched",
                       p->path);
        tsk_diag_detail(d, "Point TUSKFORM_LOCAL_CLOUD at another file.");
        return TSK_ERROR;
    }
    char *sql = tsk_xasprintf("BEGIN IMMEDIATE; %s PRAGMA application_id=%d;"
                              " COMMIT;",
                              schema_sql, CLOUD_APP_ID);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    free(sql);
    if (rc != SQLITE_OK) {
        sqlerr(db, p->path, "cannot create the tables", d);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return TSK_ERROR;
    }
    return 0;
}

static int add_failpt(struct tsk_pctx *p, const char *item,
                      struct tsk_diags *d)
{
    if (strncmp(item, "rate:", 5) == 0) {
        char *end;
        const char *s = item + 5;
        p->fail_rate = strtod(s, &end);
        if (end == s || p->fail_rate < 0 || p->fail_rate > 1)
            goto bad;
        for (s = end; *s == ':';) {
            if (strncmp(s, ":seed:", 6) == 0) {
                p->fail_seed = strtoull(s + 6, &end, 10);
                if (end == s + 6)
                    goto bad;
                s = end;
            } else if (strncmp(s, ":op:", 4) == 0) {
                size_t n = strcspn(s + 4, ":");
                struct tsk_local_failpt *f = TSK_ARRAY_PUSH(p->fails);
                f->op = tsk_xstrndup(s + 4, n);
                f->addr = tsk_xstrdup("rate");
                s += 4 + n;
            } else {
                goto bad;
            }
        }
        if (*s)
            goto bad;
        return 0;
    }
    const char *colon = strchr(item, ':');
    if (!colon || colon == item || !colon[1])
        goto bad;
    struct tsk_local_failpt *f = TSK_ARRAY_PUSH(p->fails);
    f->op = tsk_xstrndup(item, (size_t)(colon - item));
    f->addr = tsk_xstrdup(colon + 1);
    if (strcmp(f->op, "lost-create") == 0) {
        f->lost = 1;
        strcpy(f->op, "create");
    }
    return 0;
bad:
    tsk_diag_error(d, NULL, "TUSKFORM_LOCAL_FAIL: cannot read \"%s\"", item);
    tsk_diag_detail(d, "Use OP:ADDRESS (e.g. create:local_function.api), "
                       "lost-create:ADDRESS or rate:0.2:seed:42.");
    return TSK_EINVAL;
}

static int read_knobs(struct tsk_pctx *p, struct tsk_diags *d)
{
    const char *lat = getenv("TUSKFORM_LOCAL_LATENCY_MS");
    if (lat && *lat) {
        char *end;
        p->latency_ms = strtol(lat, &end, 10);
        if (*end || p->latency_ms < 0 || p->latency_ms > 600000)
            return tsk_diag_error(d, NULL,
                                  "TUSKFORM_LOCAL_LATENCY_MS: \"%s\" is not a "
                                  "number of milliseconds",
                                  lat);
    }
    const char *fail = getenv("TUSKFORM_LOCAL_FAIL");
    if (!fail || !*fail)
        return 0;
    char *copy = tsk_xstrdup(fail), *save = NULL;
    int rc = 0;
    for (char *it = strtok_r(copy, ",", &save); it && !rc;
         it = strtok_r(NULL, ",", &save))
        rc = add_failpt(p, it, d);
    free(copy);
    return rc;
}

static char *cloud_path(const struct tsk_provider_cfg *cfg,
                        struct tsk_diags *d)
{
    const char *env = getenv("TUSKFORM_LOCAL_CLOUD");
    if (env && *env)
        return tsk_xstrdup(env);
    const char *wd = cfg && cfg->workdir ? cfg->workdir : ".";
    char *dir = tsk_xasprintf("%s/.tuskform", wd);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        tsk_diag_error(d, NULL, "cannot create %s: %s", dir, strerror(errno));
        free(dir);
        return NULL;
    }
    char *path = tsk_xasprintf("%s/local-cloud.db", dir);
    free(dir);
    return path;
}

int tsk_local__open(struct tsk_pctx **out, const struct tsk_provider_cfg *cfg,
                    const struct tsk_resource_type *const *types,
                    struct tsk_diags *d)
{
    *out = NULL;
    char *path = cloud_path(cfg, d);
    if (!path)
        return TSK_EIO;
    struct tsk_pctx *p = tsk_xcalloc(1, sizeof(*p));
    p->path = path;
    p->region = tsk_xstrdup(cfg && cfg->region ? cfg->region : "local");
    p->stack = tsk_xstrdup(cfg && cfg->stack ? cfg->stack : "default");
    p->types = types ? types : tsk_local_types;
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->wmu, NULL);
    pthread_mutex_init(&p->gmu, NULL);
    pthread_cond_init(&p->gcv, NULL);

    p->qtail = &p->queue;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->arrive, &ca);
    pthread_cond_init(&p->rcv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&p->rmu, NULL);
    sqlite3 *db = NULL;
    int rc = read_knobs(p, d);
    if (!rc)
        rc = open_conn(p, &db, d);
    if (!rc)
        rc = init_schema(p, db, d);
    if (db)
        tsk_local__db_put(p, db);
    if (rc) {
        tsk_local_close(p);
        return rc;
    }
    *out = p;
    return 0;
}

int tsk_local_configure(struct tsk_pctx **out,
                        const struct tsk_provider_cfg *cfg,
                        struct tsk_diags *d)
{
    return tsk_local__open(out, cfg, NULL, d);
}

void tsk_local_close(struct tsk_pctx *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->idle.n; i++) {
        sqlite3_stmt *s;
        while ((s = sqlite3_next_stmt(p->idle.v[i], NULL)) != NULL)
            sqlite3_finalize(s);
        sqlite3_close(p->idle.v[i]);
    }
    TSK_ARRAY_FREE(p->idle);
    for (size_t i = 0; i < p->fails.n; i++) {
        free(p->fails.v[i].op);
        free(p->fails.v[i].addr);
    }
    TSK_ARRAY_FREE(p->fails);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->wmu);
    pthread_mutex_destroy(&p->gmu);
    pthread_cond_destroy(&p->gcv);
    pthread_cond_destroy(&p->arrive);
    pthread_cond_destroy(&p->rcv);
    pthread_mutex_destroy(&p->rmu);
    free(p->path);
    free(p->region);
    free(p->stack);
    free(p);
}

/* FNV-1a, then a final mix: a stable hash for the failure rate. */
static uint64_t hash_call(uint64_t seed, const char *op, const char *addr)
{
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (const char *s = op; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ ':') * 1099511628211ULL;
    for (const char *s = addr; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    /* A signal (Ctrl-C) does not cut a call short: calls in flight finish. */
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int rate_selects(const struct tsk_pctx *p, const char *op,
                        const char *addr)
{
    if (p->fail_rate <= 0)
        return 0;
    int restricted = 0, listed = 0;
    for (size_t i = 0; i < p->fails.n; i++) {
        if (strcmp(p->fails.v[i].addr, "rate") != 0)
            continue;
        restricted = 1;
        listed |= strcmp(p->fails.v[i].op, op) == 0;
    }
    if (restricted && !listed)
        return 0;
    uint64_t h = hash_call(p->fail_seed, op, addr);
    return (double)(h >> 11) / 9007199254740992.0 < p->fail_rate;
}

int tsk_local__knobs(struct tsk_pctx *p, const char *op, const char *addr,
                     int *lost, struct tsk_diags *d)
{
    if (lost)
        *lost = 0;
    if (p->latency_ms > 0)
        sleep_ms(p->latency_ms);
    for (size_t i = 0; i < p->fails.n; i++) {
        const struct tsk_local_failpt *f = &p->fails.v[i];
        if (strcmp(f->addr, "rate") == 0)
            continue;
        if (strcmp(f->op, "*") != 0 && strcmp(f->op, op) != 0)
            continue;
        if (fnmatch(f->addr, addr, 0) != 0)
            continue;
        if (f->lost && lost) {
            *lost = 1;
            return 0;
        }
        tsk_diag_error(d, NULL, "%s %s: injected failure (TUSKFORM_LOCAL_FAIL)",
                       op, addr);
        tsk_diag_addr(d, addr);
        return TSK_ERROR;
    }
    if (rate_selects(p, op, addr)) {
        tsk_diag_error(d, NULL,
                       "%s %s: injected failure (TUSKFORM_LOCAL_FAIL rate)", op,
                       addr);
        tsk_diag_addr(d, addr);
        return TSK_ERROR;
    }
    return 0;
}

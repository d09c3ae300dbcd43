/* open.c - opening, validating, creating and closing the state file.
 *
 * The file is checked twice before anything is written: its first 100
 * bytes are read with plain I/O (magic, application_id, schema version),
 * so SQLite never opens another application's database; then SQLite reads
 * it with query_only set and no checkpoint on close, so a file that fails
 * validation is left byte-for-byte as it was. */
#include "state/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int foreign(struct tsk_state *st, const char *why, struct tsk_diags *d)
{
    tsk_diag_error(d, NULL, "state file %s is not a tuskform state: %s",
                   st->path, why);
    tsk_diag_detail(d, "tuskform has not modified it. Move it away or give "
                       "another state path; if it is a damaged state, "
                       "restore it from a backup.");
    return TSK_EINVAL;
}

static int newer(struct tsk_state *st, int64_t v, struct tsk_diags *d)
{
    tsk_diag_error(d, NULL,
                   "state file %s was written by a newer tuskform "
                   "(schema version %lld; this tuskform knows up to %d)",
                   st->path, (long long)v, TSK_STATE_SCHEMA_VERSION);
    tsk_diag_detail(d, "Upgrade tuskform to use it; tuskform has not "
                       "modified it.");
    return TSK_EINVAL;
}

static int64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* Checks the SQLite header with plain reads. *fresh is set for an empty
 * file (left by a crash between creating and initialising it). */
static int check_header(struct tsk_state *st, int64_t size, int *fresh,
                        struct tsk_diags *d)
{
    unsigned char h[100];
    char why[160];
    int fd;
    ssize_t n;
    if (size == 0) {
        *fresh = 1;
        return 0;
    }
    fd = open(st->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        tsk_diag_error(d, NULL, "cannot read state file %s: %s", st->path,
                       strerror(errno));
        return TSK_EIO;
    }
    n = pread(fd, h, sizeof h, 0);
    close(fd);
    if (n < 0) {
        tsk_diag_error(d, NULL, "cannot read state file %s: %s", st->path,
                       strerror(errno));
        return TSK_EIO;
    }
    if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return foreign(st, "it is not an SQLite database", d);
    uint32_t app = be32(h + 68), uv = be32(h + 60);
    uint32_t psz = (uint32_t)h[16] << 8 | h[17];
    if (psz == 1)
        psz = 65536;
    if (app != TSK_STATE_APP_ID) {
        snprintf(why, sizeof why,
                 "it is an SQLite database of another "
                 "application (application_id 0x%08x)",
                 (unsigned)app);
        return foreign(st, why, d);
    }
    if (uv > TSK_STATE_SCHEMA_VERSION)
        return newer(st, uv, d);
    if (psz < 512 || (psz & (psz - 1)) != 0)
        return foreign(st, "its SQLite header is damaged", d);
    /* The in-header page count is valid when the change counter matches;
     * a file shorter than it was cut off (unless a WAL holds the rest). */
    uint32_t npages = be32(h + 28);
    char *wal = tsk_xasprintf("%s-wal", st->path);
    int64_t walsz = file_size(wal);
    free(wal);
    if (be32(h + 24) == be32(h + 92) && walsz == 0 &&
        (int64_t)npages * psz > size) {
        tsk_diag_error(d, NULL,
                       "state file %s is damaged: it is truncated "
                       "(%lld bytes, its header says %lld)",
                       st->path, (long long)size, (long long)npages * psz);
        tsk_diag_detail(d, "tuskform has not modified it. Restore it from a "
                           "backup.");
        return TSK_EINVAL;
    }
    return 0;
}

/* Reads and checks the schema through SQLite (which sees the WAL). */
static int validate(struct tsk_state *st, int64_t *version, struct tsk_diags *d)
{
    sqlite3_stmt *s;
    int rc, ok;
    const char *what = "reading the state";
    if (tsk_state__prepare(st, &s,
                           "SELECT (SELECT application_id FROM "
                           "pragma_application_id), (SELECT user_version "
                           "FROM pragma_user_version), (SELECT count(*) FROM "
                           "sqlite_master WHERE type='table' AND "
                           "name='meta')",
                           what, d) < 0)
        return TSK_ERROR;
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return tsk_state__sqlerr(st, rc, what, d);
    }
    int64_t app = sqlite3_column_int64(s, 0),
            has_meta = sqlite3_column_int64(s, 2);
    *version = sqlite3_column_int64(s, 1);
    sqlite3_finalize(s);
    if (app != TSK_STATE_APP_ID || !has_meta)
        return foreign(st,
                       "it is an SQLite database without tuskform's "
                       "tables",
                       d);
    if (*version > TSK_STATE_SCHEMA_VERSION)
        return newer(st, *version, d);
    if (*version < 1)
        return foreign(st, "its schema version is missing", d);
    if (tsk_state__prepare(st, &s,
                           "SELECT lineage, serial, typeof(serial) "
                           "FROM meta",
                           what, d) < 0)
        return TSK_ERROR;
    rc = sqlite3_step(s);
    ok = rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_TEXT &&
         sqlite3_column_bytes(s, 0) > 0 &&
         sqlite3_column_bytes(s, 0) < (int)sizeof st->lineage &&
         sqlite3_column_int64(s, 1) >= 0 &&
         strcmp((const char *)sqlite3_column_text(s, 2), "integer") == 0;
    if (ok)
        snprintf(st->lineage, sizeof st->lineage, "%s",
                 (const char *)sqlite3_column_text(s, 0));
    if (ok && sqlite3_step(s) != SQLITE_DONE)
        ok = 0;
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, what, d);
    if (!ok) {
        tsk_diag_error(d, NULL,
                       "state file %s is damaged: its lineage and "
                       "serial are missing or invalid",
                       st->path);
        tsk_diag_detail(d, "tuskform has not modified it. Restore it from a "
                           "backup.");
        return TSK_EINVAL;
    }
    return 0;
}

/* Builds a complete, empty state in tmp (already created, 0600). */
static int init_tmp(struct tsk_state *st, const char *tmp, struct tsk_diags *d)
{
    struct tsk_state t = {0};
    int rc;
    t.path = st->path; /* messages name the file the user asked for */
    rc = sqlite3_open_v2(tmp, &t.db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(t.db, 10000);
        rc = tsk_state__migrate(&t, 1, d);
    } else {
        rc = tsk_state__sqlerr(&t, rc, "creating it", d);
    }
    sqlite3_stmt *s;
    while (t.db && (s = sqlite3_next_stmt(t.db, NULL)) != NULL)
        sqlite3_finalize(s); /* the cached ones (tsk_state__stmt) */
    if (sqlite3_close(t.db) != SQLITE_OK && rc == 0)
        rc = tsk_state__sqlerr(&t, SQLITE_IOERR, "creating it", d);
    return rc;
}

/* Creates the state file, complete, and its parent directory (0700) when
 * missing. The state is built in a temporary file and linked into place,
 * so nobody ever sees a half-made file; when a concurrent run links its
 * own first, that one is used. */
static int create_file(struct tsk_state *st, struct tsk_diags *d)
{
    char *dir = tsk_xstrdup(st->path);
    const char *parent = dirname(dir);
    char *tmp = tsk_xasprintf("%s.new-XXXXXX", st->path);
    int fd, rc = 0;
    if (mkdir(parent, 0700) != 0 && errno != EEXIST) {
        rc = tsk_diag_error(d, NULL,
                            "cannot create the state directory %s: "
                            "%s",
                            parent, strerror(errno));
        goto done;
    }
    fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        rc = tsk_diag_error(d, NULL, "cannot create state file %s: %s",
                            st->path, strerror(errno));
        goto done;
    }
    fchmod(fd, 0600);
    close(fd);
    rc = init_tmp(st, tmp, d);
    if (rc == 0 && link(tmp, st->path) != 0 && errno != EEXIST) {
        /* Some file systems have no hard links. */
        if ((errno != EPERM && errno != ENOTSUP && errno != ENOSYS) ||
            (access(st->path, F_OK) != 0 && rename(tmp, st->path) != 0))
            rc = tsk_diag_error(d, NULL, "cannot create state file %s: %s",
                                st->path, strerror(errno));
    }
    unlink(tmp);
done:
    free(tmp);
    free(dir);
    return rc;
}

static int precheck(struct tsk_state *st, int *fresh, struct tsk_diags *d)
{
    struct stat sb;
    *fresh = 0;
    if (stat(st->path, &sb) != 0) {
        if (errno != ENOENT) {
            tsk_diag_error(d, NULL, "cannot access state file %s: %s", st->path,
                           strerror(errno));
            return TSK_EIO;
        }
        if (st->readonly)
            return TSK_ENOTFOUND;
        if (create_file(st, d) < 0)
            return TSK_EIO;
        if (stat(st->path, &sb) != 0)
            return tsk_diag_error(d, NULL, "cannot access state file %s: %s",
                                  st->path, strerror(errno));
    }
    if (!S_ISREG(sb.st_mode))
        return foreign(st, "it is not a regular file", d);
    int rc = check_header(st, (int64_t)sb.st_size, fresh, d);
    if (rc == 0 && *fresh && st->readonly)
        return TSK_ENOTFOUND; /* an empty file holds no state */
    return rc;
}

static int sql_open(struct tsk_state *st, int fresh, struct tsk_diags *d)
{
    int flags = (st->readonly && !st->reader ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE) |
                SQLITE_OPEN_FULLMUTEX;
    int rc = sqlite3_open_v2(st->path, &st->db, flags, NULL);
    if (rc != SQLITE_OK)
        return tsk_state__sqlerr(st, rc, "opening it", d);
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 10000);
    if (fresh)
        return 0;
    /* Until validated: never write, never checkpoint into the file. */
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    return tsk_state__exec(st, "PRAGMA query_only = 1", "opening it", d);
}

static int finish_open(struct tsk_state *st, int fresh, int full,
                       struct tsk_diags *d)
{
    int64_t version = 0;
    if (!fresh && validate(st, &version, d) < 0)
        return TSK_EINVAL;
    if (st->readonly) {
        if (version < TSK_STATE_SCHEMA_VERSION) {
            tsk_diag_error(d, NULL,
                           "state file %s has the older schema "
                           "version %lld and is opened read-only",
                           st->path, (long long)version);
            tsk_diag_detail(d, "Run a command that writes state (plan, "
                               "apply) once to upgrade it.");
            return TSK_EINVAL;
        }
        /* A reader stays query_only; validated, it may checkpoint (an
         * empty WAL: nothing) and remove the WAL when it closes last. */
        if (st->reader)
            sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0,
                              NULL);
        return 0;
    }
    if (tsk_state__exec(st, "PRAGMA query_only = 0", "opening it", d) < 0)
        return TSK_ERROR;
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
    if ((fresh || version < TSK_STATE_SCHEMA_VERSION) &&
        tsk_state__migrate(st, fresh, d) < 0)
        return TSK_ERROR;
    if (fresh && validate(st, &version, d) < 0)
        return TSK_ERROR;
    if (tsk_state__exec(st,
                        full ? "PRAGMA synchronous = FULL"
                             : "PRAGMA synchronous = NORMAL",
                        "opening it", d) < 0)
        return TSK_ERROR;
    return tsk_state__exec(st, "PRAGMA journal_mode = WAL", "opening it", d);
}

static int open_as(struct tsk_state **out, const char *path,
                   const struct tsk_state_opts *opts, int reader,
                   struct tsk_diags *d)
{
    struct tsk_state *st = tsk_xcalloc(1, sizeof *st);
    int fresh = 0, rc;
    *out = NULL;
    st->path = tsk_xstrdup(path);
    st->readonly = reader || (opts && opts->readonly);
    st->reader = reader;
    pthread_mutex_init(&st->mu, NULL);
    pthread_mutex_init(&st->gmu, NULL);
    pthread_cond_init(&st->gcv, NULL);
    st->qtail = &st->queue;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* heartbeat waits */
    pthread_cond_init(&st->hb_cond, &ca);
    pthread_condattr_destroy(&ca);
    rc = precheck(st, &fresh, d);
    char *wal = tsk_xasprintf("%s-wal", st->path);
    char *shm = tsk_xasprintf("%s-shm", st->path);
    int had_side = access(wal, F_OK) == 0 || access(shm, F_OK) == 0;
    if (rc == 0)
        rc = sql_open(st, fresh, d);
    if (rc == 0)
        rc = finish_open(st, fresh, opts && opts->durability_full, d);
    if (rc < 0) {
        tsk_state_close(st);
        /* Reading a refused WAL-mode file made an empty WAL and its index;
         * remove them so that a refused file is left as it was found. */
        if (!had_side && file_size(wal) == 0 && unlink(wal) == 0)
            unlink(shm);
    }
    free(wal);
    free(shm);
    if (rc < 0)
        return rc;
    *out = st;
    return 0;
}

int tsk_state_open(struct tsk_state **out, const char *path,
                   const struct tsk_state_opts *opts, struct tsk_diags *d)
{
    return open_as(out, path, opts, 0, d);
}

int tsk_state_open_reader(struct tsk_state **out, const char *path,
                          struct tsk_diags *d)
{
    return open_as(out, path, NULL, 1, d);
}

void tsk_state_close(struct tsk_state *st)
{
    if (!st)
        return;
    if (st->lock_id[0]) {
        struct tsk_diags d = {0};
        tsk_state_unlock(st, &d);
        tsk_diags_release(&d);
    }
    if (st->db) {
        sqlite3_stmt *s;
        while ((s = sqlite3_next_stmt(st->db, NULL)) != NULL)
            sqlite3_finalize(s);
        sqlite3_close_v2(st->db);
    }
    pthread_cond_destroy(&st->hb_cond);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->gcv);
    pthread_mutex_destroy(&st->gmu);
    free(st->path);
    free(st);
}

char *tsk_state_default_path(const char *config_dir)
{
    if (!config_dir || !*config_dir)
        return tsk_xstrdup(".tuskform/state.db");
    size_t n = strlen(config_dir);
    return tsk_xasprintf("%s%s.tuskform/state.db", config_dir,
                         config_dir[n - 1] == '/' ? "" : "/");
}

const char *tsk_state_path(const struct tsk_state *st)
{
    return st->path;
}

const char *tsk_state_lineage(const struct tsk_state *st)
{
    return st->lineage;
}

/* sql.c - SQLite helpers, error messages, time, host and user for state/. */
#include "state/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int tsk_state__sqlerr(struct tsk_state *st, int rc, const char *what,
                      struct tsk_diags *d)
{
    const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        tsk_diag_error(d, NULL, "state file %s is damaged (%s) while %s",
                       st->path, msg, what);
        tsk_diag_detail(d, "tuskform has not modified it. Restore it from a "
                           "backup, or move it away to start from empty "
                           "state (objects it recorded will then be "
                           "unmanaged).");
        return TSK_ERROR;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        tsk_diag_error(d, NULL, "state file %s is busy while %s: %s", st->path,
                       what, msg);
        tsk_diag_detail(d, "Another process kept the database locked for "
                           "too long; try again.");
        return TSK_ELOCKED;
    case SQLITE_FULL:
        tsk_diag_error(d, NULL,
                       "cannot write state file %s while %s: the "
                       "disk is full",
                       st->path, what);
        return TSK_EIO;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_IOERR:
        tsk_diag_error(d, NULL, "cannot access state file %s while %s: %s",
                       st->path, what, msg);
        tsk_diag_detail(d, "Check that the file and its directory exist and "
                           "are readable and writable by this user.");
        return TSK_EIO;
    default:
        tsk_diag_error(d, NULL, "state file %s: %s while %s", st->path, msg,
                       what);
        return TSK_ERROR;
    }
}

int tsk_state__exec(struct tsk_state *st, const char *sql, const char *what,
                    struct tsk_diags *d)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return tsk_state__sqlerr(st, rc, what, d);
    return 0;
}

int tsk_state__prepare(struct tsk_state *st, sqlite3_stmt **out,
                       const char *sql, const char *what, struct tsk_diags *d)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return tsk_state__sqlerr(st, rc, what, d);
    }
    return 0;
}

/* Checks inside a write transaction that a lock we hold is still ours, so
 * a holder whose lease was taken over cannot write behind the new one. */
static int check_lock(struct tsk_state *st, const char *what,
                      struct tsk_diags *d)
{
    sqlite3_stmt *s;
    int rc, ours;
    if (!st->lock_id[0])
        return 0;
    if (!(s = tsk_state__stmt(st, "SELECT lock_id FROM lock WHERE lock_id=?",
                              what, d)))
        return TSK_ERROR;
    sqlite3_bind_text(s, 1, st->lock_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    ours = rc == SQLITE_ROW;
    tsk_state__stmt_done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, what, d);
    if (!ours) {
        st->lost = 1;
        tsk_diag_error(d, NULL,
                       "cannot write state file %s while %s: the "
                       "state lock %s held by this process was removed or "
                       "taken over",
                       st->path, what, st->lock_id);
        tsk_diag_detail(d, "Another process may now be changing the state. "
                           "Check 'tuskform state history' and run plan "
                           "again.");
        return TSK_ELOCKED;
    }
    return 0;
}

int tsk_state__begin_write(struct tsk_state *st, const char *what,
                           struct tsk_diags *d)
{
    if (st->readonly) {
        tsk_diag_error(d, NULL,
                       "cannot write state file %s while %s: it was "
                       "opened read-only",
                       st->path, what);
        return TSK_EINVAL;
    }
    int rc = tsk_state__step(st, "BEGIN IMMEDIATE");
    if (rc != SQLITE_DONE)
        return tsk_state__sqlerr(st, rc, what, d);
    rc = check_lock(st, what, d);
    if (rc < 0)
        tsk_state__rollback(st);
    return rc;
}

int tsk_state__commit(struct tsk_state *st, const char *what,
                      struct tsk_diags *d)
{
    int rc = tsk_state__step(st, "COMMIT");
    if (rc != SQLITE_DONE) {
        int e = tsk_state__sqlerr(st, rc, what, d);
        tsk_state__rollback(st);
        return e;
    }
    return 0;
}

int tsk_state__step(struct tsk_state *st, const char *sql)
{
    struct tsk_diags scratch = {0};
    sqlite3_stmt *s = tsk_state__stmt(st, sql, "", &scratch);
    tsk_diags_release(&scratch);
    if (!s)
        return sqlite3_errcode(st->db);
    int rc = sqlite3_step(s);
    tsk_state__stmt_done(s);
    return rc;
}

void tsk_state__rollback(struct tsk_state *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

char *tsk_state__col_str(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return NULL;
    return tsk_xstrndup((const char *)t, (size_t)sqlite3_column_bytes(s, i));
}

int tsk_state__bump_serial(struct tsk_state *st, struct tsk_diags *d)
{
    const char *what = "incrementing the serial";
    sqlite3_stmt *s =
        tsk_state__stmt(st, "UPDATE meta SET serial = serial + 1", what, d);
    if (!s)
        return TSK_ERROR;
    int rc = sqlite3_step(s);
    tsk_state__stmt_done(s);
    return rc == SQLITE_DONE ? 0 : tsk_state__sqlerr(st, rc, what, d);
}

int64_t tsk_state__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tsk_state__fmt_time(char out[32], int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "@%lld", (long long)(ms / 1000));
}

static char host_name[256];

static void read_host(void)
{
    if (gethostname(host_name, sizeof host_name - 1) != 0 || !host_name[0])
        snprintf(host_name, sizeof host_name, "unknown");
    host_name[sizeof host_name - 1] = '\0';
}

const char *tsk_state__host(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, read_host);
    return host_name;
}

const char *tsk_state__user(void)
{
    static _Thread_local char buf[64];
    const char *u = getenv("USER");
    if (!u || !*u)
        u = getenv("LOGNAME");
    if (u && *u)
        return u;
    snprintf(buf, sizeof buf, "uid %u", (unsigned)getuid());
    return buf;
}

int64_t tsk_state__env_ms(const char *name, int64_t def)
{
    const char *v = getenv(name);
    char *end;
    long long n;
    if (!v || !*v)
        return def;
    errno = 0;
    n = strtoll(v, &end, 10);
    if (errno || *end || n <= 0)
        return def;
    return n;
}

void tsk_state_uuid(char out[37])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            /* No entropy source: fall back to time and pid, still unique
             * enough for a lineage or lock id on one host. */
            uint64_t t =
                (uint64_t)tsk_state__now_ms() ^ ((uint64_t)getpid() << 20);
            for (; got < sizeof b; got++, t = t * 6364136223846793005ULL + 1)
                b[got] = (unsigned char)(t >> 33);
            break;
        }
        got += (size_t)n;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
             b[11], b[12], b[13], b[14], b[15]);
}

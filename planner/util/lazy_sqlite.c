/*
 * lazy_sqlite.c - the SQLite functions tuskform uses, loaded on first use.
 *
 * Only the commands that open the state database need SQLite, but linking
 * it costs every process its loading and relocation (~1 ms, as much as a
 * small `tsk eval` spends working). These definitions have sqlite3.h's own
 * prototypes, so state/ includes <sqlite3.h> and calls as usual; the first
 * call dlopens the library by the SONAME found at configure time
 * (TSK_SONAME_SQLITE) through planner/util/lazy.h, and a library that
 * cannot be loaded ends the process with "tuskform: cannot load ...".
 * sqlite3_db_config, the one variadic function, forwards the arguments the
 * option reads (sqlite3.h, "Database Connection Configuration Options").
 * The definitions are not exported from the executable.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>

#include "planner/util/lazy.h"

#ifndef TSK_SONAME_SQLITE
#define TSK_SONAME_SQLITE "libsqlite3.so.0"
#endif

#define SQ_SYMS(X)                                                             \
    X(sqlite3_bind_int)                                                        \
    X(sqlite3_bind_int64)                                                      \
    X(sqlite3_bind_text)                                                       \
    X(sqlite3_busy_timeout)                                                    \
    X(sqlite3_changes)                                                         \
    X(sqlite3_clear_bindings)                                                  \
    X(sqlite3_close)                                                           \
    X(sqlite3_close_v2)                                                        \
    X(sqlite3_column_bytes)                                                    \
    X(sqlite3_column_int)                                                      \
    X(sqlite3_column_int64)                                                    \
    X(sqlite3_column_text)                                                     \
    X(sqlite3_column_type)                                                     \
    X(sqlite3_db_config)                                                       \
    X(sqlite3_errcode)                                                         \
    X(sqlite3_errmsg)                                                          \
    X(sqlite3_errstr)                                                          \
    X(sqlite3_exec)                                                            \
    X(sqlite3_extended_result_codes)                                           \
    X(sqlite3_finalize)                                                        \
    X(sqlite3_get_autocommit)                                                  \
    X(sqlite3_last_insert_rowid)                                               \
    X(sqlite3_libversion)                                                      \
    X(sqlite3_next_stmt)                                                       \
    X(sqlite3_open)                                                            \
    X(sqlite3_open_v2)                                                         \
    X(sqlite3_prepare_v2)                                                      \
    X(sqlite3_prepare_v3)                                                      \
    X(sqlite3_reset)                                                           \
    X(sqlite3_sql)                                                             \
    X(sqlite3_step)                                                            \
    X(sqlite3_stmt_busy)

enum {
#define X(n) S_##n,
    SQ_SYMS(X)
#undef X
        S_COUNT
};

static const char *const names[S_COUNT] = {
#define X(n) #n,
    SQ_SYMS(X)
#undef X
};

static void *syms[S_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    tsk_lazy_load(TSK_SONAME_SQLITE, names, syms, S_COUNT);
}

/* The resolved function n, with its own type. */
#define FN(n) (pthread_once(&once, load), (__typeof__(&n))syms[S_##n])

int sqlite3_bind_int(sqlite3_stmt *st, int i, int v)
{
    return FN(sqlite3_bind_int)(st, i, v);
}

int sqlite3_bind_int64(sqlite3_stmt *st, int i, sqlite3_int64 v)
{
    return FN(sqlite3_bind_int64)(st, i, v);
}

int sqlite3_bind_text(sqlite3_stmt *st, int i, const char *v, int n,
                      void (*del)(void *))
{
    return FN(sqlite3_bind_text)(st, i, v, n, del);
}

int sqlite3_busy_timeout(sqlite3 *db, int ms)
{
    return FN(sqlite3_busy_timeout)(db, ms);
}

int sqlite3_changes(sqlite3 *db)
{
    return FN(sqlite3_changes)(db);
}

int sqlite3_clear_bindings(sqlite3_stmt *st)
{
    return FN(sqlite3_clear_bindings)(st);
}

int sqlite3_close(sqlite3 *db)
{
    return FN(sqlite3_close)(db);
}

int sqlite3_close_v2(sqlite3 *db)
{
    return FN(sqlite3_close_v2)(db);
}

int sqlite3_column_bytes(sqlite3_stmt *st, int col)
{
    return FN(sqlite3_column_bytes)(st, col);
}

int sqlite3_column_int(sqlite3_stmt *st, int col)
{
    return FN(sqlite3_column_int)(st, col);
}

sqlite3_int64 sqlite3_column_int64(sqlite3_stmt *st, int col)
{
    return FN(sqlite3_column_int64)(st, col);
}

const unsigned char *sqlite3_column_text(sqlite3_stmt *st, int col)
{
    return FN(sqlite3_column_text)(st, col);
}

int sqlite3_column_type(sqlite3_stmt *st, int col)
{
    return FN(sqlite3_column_type)(st, col);
}

int sqlite3_errcode(sqlite3 *db)
{
    return FN(sqlite3_errcode)(db);
}

const char *sqlite3_errmsg(sqlite3 *db)
{
    return FN(sqlite3_errmsg)(db);
}

const char *sqlite3_errstr(int rc)
{
    return FN(sqlite3_errstr)(rc);
}

int sqlite3_exec(sqlite3 *db, const char *sql,
                 int (*cb)(void *, int, char **, char **), void *arg,
                 char **errmsg)
{
    return FN(sqlite3_exec)(db, sql, cb, arg, errmsg);
}

int sqlite3_extended_result_codes(sqlite3 *db, int onoff)
{
    return FN(sqlite3_extended_result_codes)(db, onoff);
}

int sqlite3_finalize(sqlite3_stmt *st)
{
    return FN(sqlite3_finalize)(st);
}

int sqlite3_get_autocommit(sqlite3 *db)
{
    return FN(sqlite3_get_autocommit)(db);
}

sqlite3_int64 sqlite3_last_insert_rowid(sqlite3 *db)
{
    return FN(sqlite3_last_insert_rowid)(db);
}

const char *sqlite3_libversion(void)
{
    return FN(sqlite3_libversion)();
}

sqlite3_stmt *sqlite3_next_stmt(sqlite3 *db, sqlite3_stmt *st)
{
    return FN(sqlite3_next_stmt)(db, st);
}

int sqlite3_open(const char *filename, sqlite3 **db)
{
    return FN(sqlite3_open)(filename, db);
}

int sqlite3_open_v2(const char *filename, sqlite3 **db, int flags,
                    const char *vfs)
{
    return FN(sqlite3_open_v2)(filename, db, flags, vfs);
}

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st,
                       const char **tail)
{
    return FN(sqlite3_prepare_v2)(db, sql, n, st, tail);
}

int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned int flags,
                       sqlite3_stmt **st, const char **tail)
{
    return FN(sqlite3_prepare_v3)(db, sql, n, flags, st, tail);
}

int sqlite3_reset(sqlite3_stmt *st)
{
    return FN(sqlite3_reset)(st);
}

const char *sqlite3_sql(sqlite3_stmt *st)
{
    return FN(sqlite3_sql)(st);
}

int sqlite3_step(sqlite3_stmt *st)
{
    return FN(sqlite3_step)(st);
}

int sqlite3_stmt_busy(sqlite3_stmt *st)
{
    return FN(sqlite3_stmt_busy)(st);
}

int sqlite3_db_config(sqlite3 *db, int op, ...)
{
    __typeof__(&sqlite3_db_config) f = FN(sqlite3_db_config);
    va_list ap;
    int rc;
    va_start(ap, op);
    if (op == SQLITE_DBCONFIG_MAINDBNAME) {
        const char *name = va_arg(ap, const char *);
        rc = f(db, op, name);
    } else if (op == SQLITE_DBCONFIG_LOOKASIDE) {
        void *buf = va_arg(ap, void *);
        int size = va_arg(ap, int);
        int count = va_arg(ap, int);
        rc = f(db, op, buf, size, count);
    } else { /* every other option: int value, int *result */
        int value = va_arg(ap, int);
        int *out = va_arg(ap, int *);
        rc = f(db, op, value, out);
    }
    va_end(ap);
    return rc;
}

/* test_corrupt.c - foreign, damaged and newer files give a clear error and
 * are left byte-for-byte as they were. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "unit/state/helpers.h"

struct fx {
    char *dir, *path;
    struct tsk_diags d;
};

static int setup(void **state)
{
    struct fx *f = tsk_xcalloc(1, sizeof *f);
    f->dir = scratch(&f->path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tsk_diags_release(&f->d);
    rm_tree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

/* A valid state with n resources, closed (and so checkpointed). */
static void make_state(struct fx *f, int n)
{
    struct tsk_state *st;
    char addr[64];
    assert_int_equal(tsk_state_open(&st, f->path, NULL, &f->d), 0);
    for (int i = 0; i < n; i++) {
        snprintf(addr, sizeof addr, "local_function.f%04d", i);
        struct tsk_state_res r = make_res(addr, 10);
        assert_int_equal(tsk_state_put(st, &r, 0, &f->d), 0);
        free_res(&r);
    }
    tsk_state_close(st);
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Opens read-write and read-only: both fail with an error containing want
 * (and its hint that the file was not modified); the bytes are unchanged. */
static void expect_refused(struct fx *f, const char *want)
{
    size_t n0, n1;
    char *before = slurp(f->path, &n0);
    assert_non_null(before);
    for (int ro = 0; ro < 2; ro++) {
        struct tsk_state *st = NULL;
        struct tsk_state_opts o = {.readonly = ro};
        struct tsk_diags d = {0};
        int rc = tsk_state_open(&st, f->path, &o, &d);
        char *text = diag_text(&d);
        if (rc == 0 || !strstr(text, want) || !strstr(text, f->path) ||
            !strstr(text, "not modified"))
            fail_msg("open (readonly=%d) gave %d:\n%s", ro, rc, text);
        assert_null(st);
        free(text);
        tsk_diags_release(&d);
        char *after = slurp(f->path, &n1);
        assert_non_null(after);
        assert_int_equal(n0, n1);
        assert_memory_equal(before, after, n0);
        free(after);
        /* No WAL or index is left beside it either. */
        char *side = tsk_xasprintf("%s-wal", f->path);
        assert_int_not_equal(access(side, F_OK), 0);
        free(side);
        side = tsk_xasprintf("%s-shm", f->path);
        assert_int_not_equal(access(side, F_OK), 0);
        free(side);
    }
    free(before);
}

static void test_state_corrupt__random_bytes(void **state)
{
    struct fx *f = *state;
    char buf[4096];
    srand(7);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)(rand() & 0xff);
    mkdir(f->dir, 0700);
    char *parent = tsk_xasprintf("%s/.tuskform", f->dir);
    mkdir(parent, 0700);
    free(parent);
    spit(f->path, buf, sizeof buf);
    expect_refused(f, "is not a tuskform state: it is not an SQLite database");
    spit(f->path, "hello\n", 6);
    expect_refused(f, "it is not an SQLite database");
    /* A header and nothing else. */
    spit(f->path, "SQLite format 3", 16);
    expect_refused(f, "it is not an SQLite database");
}

static void test_state_corrupt__truncated(void **state)
{
    struct fx *f = *state;
    size_t n;
    make_state(f, 200);
    char *all = slurp(f->path, &n);
    assert_true(n > 8 * 4096);
    spit(f->path, all, n / 2);
    expect_refused(f, "is damaged: it is truncated");
    spit(f->path, all, 4096 + 100);
    expect_refused(f, "truncated");
    spit(f->path, all, 60); /* inside the header */
    expect_refused(f, "not an SQLite database");
    free(all);
}

static void test_state_corrupt__other_application(void **state)
{
    struct fx *f = *state;
    make_state(f, 0);
    rm_tree(f->path);
    raw_exec(f->path, "CREATE TABLE notes(t TEXT); INSERT INTO notes "
                      "VALUES ('precious');");
    expect_refused(f, "SQLite database of another application "
                      "(application_id 0x00000000)");
    raw_exec(f->path, "PRAGMA application_id = 1234");
    expect_refused(f, "application_id 0x000004d2");
    /* Our application_id but none of our tables. */
    raw_exec(f->path, "PRAGMA application_id = 1414744902; "
                      "PRAGMA user_version = 1");
    expect_refused(f, "without tuskform's tables");
    raw_exec(f->path, "PRAGMA journal_mode = WAL");
    expect_refused(f, "without tuskform's tables");
}

static void test_state_corrupt__newer_schema(void **state)
{
    struct fx *f = *state;
    make_state(f, 3);
    raw_exec(f->path, "PRAGMA user_version = 99");
    expect_refused(f, "written by a newer tuskform (schema version 99");
}

/* The newer version sits in the WAL only (a reader keeps it from being
 * checkpointed): the header check cannot see it, SQLite's read must. */
static void test_state_corrupt__newer_schema_in_wal(void **state)
{
    struct fx *f = *state;
    sqlite3 *keep, *db;
    size_t n0, w0, n1, w1;
    make_state(f, 3);
    assert_int_equal(sqlite3_open(f->path, &keep), SQLITE_OK);
    assert_int_equal(sqlite3_exec(keep, "SELECT * FROM meta", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "PRAGMA user_version = 5", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    char *wal = tsk_xasprintf("%s-wal", f->path);
    char *b = slurp(f->path, &n0), *bw = slurp(wal, &w0);
    assert_non_null(bw);
    assert_true(w0 > 0);
    struct tsk_state *st = NULL;
    assert_int_equal(tsk_state_open(&st, f->path, NULL, &f->d), TSK_EINVAL);
    assert_non_null(strstr(f->d.v.v[0].summary, "schema version 5"));
    char *a = slurp(f->path, &n1), *aw = slurp(wal, &w1);
    assert_int_equal(n0, n1);
    assert_memory_equal(a, b, n0);
    assert_int_equal(w0, w1);
    assert_memory_equal(aw, bw, w0);
    sqlite3_close(keep);
    free(a);
    free(b);
    free(aw);
    free(bw);
    free(wal);
}

static void test_state_corrupt__damaged_rows(void **state)
{
    struct fx *f = *state;
    struct tsk_state *st;
    struct tsk_state_snap *snap = NULL;
    make_state(f, 3);
    raw_exec(f->path, "UPDATE resources SET attributes = '{broken' WHERE "
                      "address = 'local_function.f0001'; UPDATE resources "
                      "SET dependencies = '{}' WHERE address = "
                      "'local_function.f0002'");
    size_t n0, n1;
    char *before = slurp(f->path, &n0);
    assert_int_equal(tsk_state_open(&st, f->path, NULL, &f->d), 0);
    assert_int_equal(tsk_state_load(&snap, st, &f->d), TSK_EINVAL);
    assert_null(snap);
    assert_int_equal(f->d.nerr, 2);
    assert_string_equal(f->d.v.v[0].addr, "local_function.f0001");
    assert_non_null(strstr(f->d.v.v[0].summary, "invalid attributes JSON"));
    assert_non_null(strstr(f->d.v.v[1].summary, "local_function.f0002"));
    struct tsk_state_rec r;
    assert_int_equal(tsk_state_get(&r, st, "local_function.f0001", &f->d),
                     TSK_EINVAL);
    assert_null(r.address);
    assert_int_equal(tsk_state_get(&r, st, "local_function.f0000", &f->d), 0);
    tsk_state_rec_release(&r);
    tsk_state_close(st);
    char *after = slurp(f->path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

static void test_state_corrupt__missing_meta(void **state)
{
    struct fx *f = *state;
    make_state(f, 1);
    raw_exec(f->path, "DELETE FROM meta");
    expect_refused(f, "its lineage and serial are missing or invalid");
    raw_exec(f->path, "INSERT INTO meta VALUES (1, 'abc', 'x', 'now')");
    expect_refused(f, "lineage and serial");
}

/* A resources table rebuilt without its NOT NULL constraints (a damaged
 * or hand-edited file) and a row with no address: looking up a missing
 * address still reports it, with no suggestion from the NULL row (found by
 * fuzz_state_load: the suggestion read a NULL address). */
static void test_state_corrupt__null_address(void **state)
{
    struct fx *f = *state;
    struct tsk_state *st;
    make_state(f, 1);
    raw_exec(f->path,
             "CREATE TABLE r2 AS SELECT * FROM resources; DROP TABLE "
             "resources; CREATE TABLE resources(id INTEGER PRIMARY KEY, "
             "address TEXT, type TEXT, provider TEXT, remote_id TEXT, "
             "attributes TEXT, sensitive TEXT, dependencies TEXT, tainted "
             "INTEGER DEFAULT 0, serial INTEGER); INSERT INTO resources "
             "SELECT * FROM r2; DROP TABLE r2; INSERT INTO resources(address, "
             "type, provider, attributes, sensitive, dependencies, serial) "
             "VALUES (NULL, 'local_function', 'local', '{}', '[]', '[]', 1)");
    assert_int_equal(tsk_state_open(&st, f->path, NULL, &f->d), 0);
    assert_int_equal(
        tsk_state_mv(st, "local_function.nope", "local_function.other", &f->d),
        TSK_ENOTFOUND);
    assert_true(f->d.nerr >= 1);
    assert_non_null(strstr(f->d.v.v[f->d.v.n - 1].summary,
                           "no resource local_function.nope"));
    tsk_state_close(st);
}

/* Garbage over pages after the first: no crash; a refused file is kept. */
static void test_state_corrupt__damaged_pages(void **state)
{
    struct fx *f = *state;
    size_t n, n1;
    make_state(f, 120);
    char *good = slurp(f->path, &n);
    for (unsigned seed = 1; seed <= 24; seed++) {
        char *bad = tsk_xmalloc(n);
        memcpy(bad, good, n);
        srand(seed);
        size_t page = 4096 * (1 + (size_t)rand() % (n / 4096 - 1));
        size_t len = 16 + (size_t)rand() % 2048;
        for (size_t i = 0; i < len && page + i < n; i++)
            bad[page + (size_t)rand() % 4096] = (char)rand();
        spit(f->path, bad, n);
        struct tsk_state *st = NULL;
        struct tsk_diags d = {0};
        struct tsk_state_opts o = {.readonly = (int)(seed & 1)};
        if (tsk_state_open(&st, f->path, &o, &d) == 0) {
            struct tsk_state_snap *snap = NULL;
            if (tsk_state_load(&snap, st, &d) == 0)
                tsk_state_snap_free(snap);
            else
                assert_true(d.nerr > 0);
            tsk_state_close(st);
        } else {
            char *after = slurp(f->path, &n1);
            assert_int_equal(n, n1);
            assert_memory_equal(bad, after, n);
            free(after);
            assert_true(d.nerr > 0);
        }
        tsk_diags_release(&d);
        free(bad);
    }
    free(good);
}

static void test_state_corrupt__not_a_file(void **state)
{
    struct fx *f = *state;
    struct tsk_state *st;
    char *parent = tsk_xasprintf("%s/.tuskform", f->dir);
    mkdir(parent, 0700);
    mkdir(f->path, 0700);
    assert_int_equal(tsk_state_open(&st, f->path, NULL, &f->d), TSK_EINVAL);
    assert_non_null(strstr(f->d.v.v[0].summary, "not a regular file"));
    rmdir(f->path);
    /* The parent directory is missing two levels up: a clear error. */
    char *deep = tsk_xasprintf("%s/no/such/state.db", f->dir);
    assert_int_equal(tsk_state_open(&st, deep, NULL, &f->d), TSK_EIO);
    assert_non_null(strstr(f->d.v.v[1].summary, "cannot create the state "
                                                "directory"));
    free(deep);
    free(parent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(n)                                                                   \
    cmocka_unit_test_setup_teardown(test_state_corrupt__##n, setup, teardown)
        T(random_bytes), T(truncated),           T(other_application),
        T(newer_schema), T(newer_schema_in_wal), T(damaged_rows),
        T(missing_meta), T(damaged_pages),       T(not_a_file),
        T(null_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_store.c - creating, reopening, resources, snapshots, history and the
 * journal of the state store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit/state/helpers.h"

static void put(struct store_fx *f, const char *addr, int nattrs)
{
    struct tsk_state_res r = make_res(addr, nattrs);
    assert_int_equal(tsk_state_put(f->st, &r, 0, &f->d), 0);
    free_res(&r);
}

static void test_state_store__create_mode_and_lineage(void **state)
{
    struct store_fx *f = *state;
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *parent = tsk_xasprintf("%s/.tuskform", f->dir);
    assert_int_equal(stat(parent, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    free(parent);
    const char *lin = tsk_state_lineage(f->st);
    assert_int_equal(strlen(lin), 36);
    assert_int_equal(lin[14], '4'); /* a version 4 UUID */
    assert_int_equal(tsk_state_serial(f->st), 0);
    assert_string_equal(tsk_state_path(f->st), f->path);
}

static void test_state_store__wal_and_sidecar_modes(void **state)
{
    struct store_fx *f = *state;
    struct stat sb;
    put(f, "local_function.a", 2);
    char *wal = tsk_xasprintf("%s-wal", f->path);
    assert_int_equal(stat(wal, &sb), 0); /* WAL mode is on */
    assert_int_equal(sb.st_mode & 0077, 0);
    free(wal);
}

static void test_state_store__reopen_keeps_lineage_and_serial(void **state)
{
    struct store_fx *f = *state;
    char lin[64];
    snprintf(lin, sizeof lin, "%s", tsk_state_lineage(f->st));
    put(f, "local_function.a", 3);
    put(f, "local_function.b", 3);
    tsk_state_close(f->st);
    struct tsk_state_opts o = TSK_STATE_OPTS_INIT;
    o.durability_full = 1;
    assert_int_equal(tsk_state_open(&f->st, f->path, &o, &f->d), 0);
    assert_string_equal(tsk_state_lineage(f->st), lin);
    assert_int_equal(tsk_state_serial(f->st), 2);
    tsk_state_close(f->st);
    o.readonly = 1;
    assert_int_equal(tsk_state_open(&f->st, f->path, &o, &f->d), 0);
    assert_string_equal(tsk_state_lineage(f->st), lin);
    assert_int_equal(tsk_state_serial(f->st), 2);
    /* A read-only handle refuses writes and locks. */
    struct tsk_state_res r = make_res("local_function.c", 1);
    assert_int_equal(tsk_state_put(f->st, &r, 0, &f->d), TSK_EINVAL);
    free_res(&r);
    struct tsk_state_lock_opts lo = {"apply", 0};
    assert_int_equal(tsk_state_lock(f->st, &lo, &f->d), TSK_EINVAL);
    assert_int_equal(f->d.nerr, 2);
    assert_non_null(strstr(f->d.v.v[0].summary, "read-only"));
}

static void test_state_store__readonly_missing_is_no_state(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state *st = (void *)1;
    struct tsk_state_opts o = {.readonly = 1};
    char *p = tsk_xasprintf("%s/other/.tuskform/state.db", f->dir);
    char *dir = tsk_xasprintf("%s/other", f->dir);
    assert_int_equal(tsk_state_open(&st, p, &o, &f->d), TSK_ENOTFOUND);
    assert_null(st);
    assert_int_equal(f->d.nerr, 0);
    struct stat sb;
    assert_int_not_equal(stat(dir, &sb), 0); /* nothing was created */
    /* An empty file is no state either, and stays empty. */
    char *empty = tsk_xasprintf("%s/empty.db", f->dir);
    spit(empty, "", 0);
    assert_int_equal(tsk_state_open(&st, empty, &o, &f->d), TSK_ENOTFOUND);
    assert_int_equal(stat(empty, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    free(empty);
    free(p);
    free(dir);
}

static void test_state_store__empty_file_is_initialised(void **state)
{
    struct store_fx *f = *state;
    char *empty = tsk_xasprintf("%s/empty.db", f->dir);
    tsk_state_close(f->st);
    spit(empty, "", 0);
    assert_int_equal(tsk_state_open(&f->st, empty, NULL, &f->d), 0);
    free(empty);
    assert_int_equal(tsk_state_serial(f->st), 0);
    assert_int_equal(strlen(tsk_state_lineage(f->st)), 36);
}

static void test_state_store__resources_crud(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state_res r = make_res("local_function.api", 4);
    struct tsk_state_rec got;
    cJSON *j;
    r.tainted = 1;
    assert_int_equal(tsk_state_put(f->st, &r, 0, &f->d), 0);
    assert_int_equal(tsk_state_serial(f->st), 1);
    assert_int_equal(tsk_state_get(&got, f->st, "local_function.api", &f->d),
                     0);
    assert_string_equal(got.type, "local_function");
    assert_string_equal(got.provider, "local");
    assert_string_equal(got.remote_id, "id-local_function.api");
    assert_true(got.tainted);
    j = tsk_state_rec_attrs(&got);
    assert_true(cJSON_Compare(j, r.attrs, 1));
    cJSON_Delete(j);
    j = tsk_state_rec_sensitive(&got);
    assert_true(cJSON_Compare(j, r.sensitive, 1));
    cJSON_Delete(j);
    tsk_state_rec_release(&got);

    /* Update in place: a new serial, the new values. */
    cJSON_ReplaceItemInObject((cJSON *)r.attrs, "a1", cJSON_CreateNumber(42));
    r.tainted = 0;
    free((char *)r.remote_id);
    r.remote_id = NULL;
    assert_int_equal(tsk_state_put(f->st, &r, 0, &f->d), 0);
    assert_int_equal(tsk_state_serial(f->st), 2);
    assert_int_equal(tsk_state_get(&got, f->st, "local_function.api", &f->d),
                     0);
    assert_null(got.remote_id);
    assert_false(got.tainted);
    j = tsk_state_rec_attrs(&got);
    assert_int_equal(cJSON_GetObjectItem(j, "a1")->valueint, 42);
    cJSON_Delete(j);
    tsk_state_rec_release(&got);

    /* NULL JSON fields are stored as {} and []. */
    struct tsk_state_res bare = {
        .address = "local_queue.q", .type = "local_queue", .provider = "local"};
    assert_int_equal(tsk_state_put(f->st, &bare, 0, &f->d), 0);
    assert_int_equal(tsk_state_get(&got, f->st, "local_queue.q", &f->d), 0);
    assert_string_equal(got.attrs_json, "{}");
    assert_string_equal(got.sensitive_json, "[]");
    assert_string_equal(got.deps_json, "[]");
    tsk_state_rec_release(&got);

    /* Delete; a missing address is an error with a suggestion. */
    assert_int_equal(tsk_state_delete(f->st, "local_function.api", 0, &f->d),
                     0);
    assert_int_equal(tsk_state_serial(f->st), 4);
    assert_int_equal(tsk_state_get(&got, f->st, "local_function.api", &f->d),
                     TSK_ENOTFOUND);
    assert_int_equal(f->d.nerr, 0);
    assert_int_equal(tsk_state_delete(f->st, "local_queue.qq", 0, &f->d),
                     TSK_ENOTFOUND);
    assert_int_equal(f->d.nerr, 1);
    assert_non_null(strstr(f->d.v.v[0].summary, "no resource local_queue.qq"));
    assert_non_null(strstr(f->d.v.v[0].detail, "Did you mean local_queue.q?"));
    assert_int_equal(tsk_state_serial(f->st), 4); /* failed: no change */

    /* Invalid input is refused, not stored. */
    struct tsk_state_res bad = {
        .address = "x.y", .type = "x", .provider = "local"};
    cJSON *arr = cJSON_CreateArray();
    bad.attrs = arr;
    assert_int_equal(tsk_state_put(f->st, &bad, 0, &f->d), TSK_EINVAL);
    cJSON_Delete(arr);
    bad.attrs = NULL;
    bad.provider = NULL;
    assert_int_equal(tsk_state_put(f->st, &bad, 0, &f->d), TSK_EINVAL);
    free_res(&r);
}

static void test_state_store__mv_renames_and_rewrites_deps(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state_res a = make_res("local_function.old", 1);
    struct tsk_state_res b = make_res("local_trigger.t", 1);
    struct tsk_state_rec got;
    cJSON *deps = (cJSON *)b.deps;
    cJSON_AddItemToArray(deps, cJSON_CreateString("local_function.old"));
    cJSON_AddItemToArray(deps, cJSON_CreateString("local_function.old2"));
    assert_int_equal(tsk_state_put(f->st, &a, 0, &f->d), 0);
    assert_int_equal(tsk_state_put(f->st, &b, 0, &f->d), 0);
    assert_int_equal(
        tsk_state_mv(f->st, "local_function.old", "local_function.new", &f->d),
        0);
    assert_int_equal(tsk_state_serial(f->st), 3);
    assert_int_equal(tsk_state_get(&got, f->st, "local_function.new", &f->d),
                     0);
    assert_string_equal(got.remote_id, "id-local_function.old");
    tsk_state_rec_release(&got);
    assert_int_equal(tsk_state_get(&got, f->st, "local_trigger.t", &f->d), 0);
    deps = tsk_state_rec_deps(&got);
    assert_string_equal(cJSON_GetArrayItem(deps, 0)->valuestring,
                        "local_function.new");
    assert_string_equal(cJSON_GetArrayItem(deps, 1)->valuestring,
                        "local_function.old2");
    cJSON_Delete(deps);
    tsk_state_rec_release(&got);
    /* Target exists: conflict, nothing changes. */
    assert_int_equal(
        tsk_state_mv(f->st, "local_function.new", "local_trigger.t", &f->d),
        TSK_ECONFLICT);
    assert_int_equal(
        tsk_state_mv(f->st, "local_function.gone", "local_function.x", &f->d),
        TSK_ENOTFOUND);
    assert_int_equal(tsk_state_serial(f->st), 3);
    assert_int_equal(f->d.nerr, 2);
    free_res(&a);
    free_res(&b);
}

static void test_state_store__snapshot_load_and_find(void **state)
{
    struct store_fx *f = *state;
    enum { N = 1500 };
    char addr[64];
    /* Inserted in a scrambled order; the snapshot is sorted. */
    for (int i = 0; i < N; i++) {
        snprintf(addr, sizeof addr, "local_function.f%05d", (i * 7919) % N);
        put(f, addr, 20);
    }
    struct tsk_state_snap *snap;
    assert_int_equal(tsk_state_load(&snap, f->st, &f->d), 0);
    assert_int_equal(snap->res.n, N);
    assert_int_equal(snap->serial, N);
    assert_string_equal(snap->lineage, tsk_state_lineage(f->st));
    for (int i = 0; i < N; i++) {
        snprintf(addr, sizeof addr, "local_function.f%05d", i);
        const struct tsk_state_rec *r = tsk_state_snap_find(snap, addr);
        assert_non_null(r);
        assert_string_equal(r->address, addr);
        cJSON *attrs = tsk_state_rec_attrs(r);
        assert_int_equal(cJSON_GetArraySize(attrs), 20);
        cJSON_Delete(attrs);
    }
    assert_null(tsk_state_snap_find(snap, "local_function.f"));
    assert_null(tsk_state_snap_find(snap, "zzz"));
    tsk_state_snap_free(snap);

    /* An empty state loads as an empty snapshot. */
    char *other = tsk_xasprintf("%s/other.db", f->dir);
    tsk_state_close(f->st);
    assert_int_equal(tsk_state_open(&f->st, other, NULL, &f->d), 0);
    free(other);
    assert_int_equal(tsk_state_load(&snap, f->st, &f->d), 0);
    assert_int_equal(snap->res.n, 0);
    assert_null(tsk_state_snap_find(snap, "a.b"));
    tsk_state_snap_free(snap);
}

static void test_state_store__check_plan(void **state)
{
    struct store_fx *f = *state;
    char lin[64];
    snprintf(lin, sizeof lin, "%s", tsk_state_lineage(f->st));
    assert_int_equal(tsk_state_check_plan(f->st, lin, 0, &f->d), 0);
    put(f, "local_function.a", 1);
    assert_int_equal(tsk_state_check_plan(f->st, lin, 0, &f->d), TSK_ECONFLICT);
    assert_non_null(strstr(f->d.v.v[0].summary, "stale"));
    assert_non_null(strstr(f->d.v.v[0].summary, "serial 1"));
    assert_int_equal(tsk_state_check_plan(f->st, "other-lineage", 1, &f->d),
                     TSK_ECONFLICT);
    assert_non_null(strstr(f->d.v.v[1].summary, "another state"));
    assert_int_equal(tsk_state_check_plan(f->st, lin, 1, &f->d), 0);
}

static void test_state_store__history(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state_hist h = {.operation = "apply",
                               .git_commit = "0123abcd",
                               .git_branch = "main",
                               .git_dirty = 1,
                               .summary = "1 added, 0 changed, 0 destroyed"};
    put(f, "local_function.a", 1);
    assert_int_equal(tsk_state_history_add(f->st, &h, &f->d), 0);
    put(f, "local_function.b", 1);
    struct tsk_state_hist h2 = {.operation = "state rm",
                                .user = "ci",
                                .host = "runner-1",
                                .time = "2026-01-02T03:04:05Z",
                                .serial = 7};
    assert_int_equal(tsk_state_history_add(f->st, &h2, &f->d), 0);
    struct tsk_state_hist bad = {0};
    assert_int_equal(tsk_state_history_add(f->st, &bad, &f->d), TSK_EINVAL);

    struct tsk_state_hist_list l;
    assert_int_equal(tsk_state_history_list(&l, f->st, 0, &f->d), 0);
    assert_int_equal(l.v.n, 2);
    assert_int_equal(l.v.v[0].serial, 1);
    assert_string_equal(l.v.v[0].operation, "apply");
    assert_string_equal(l.v.v[0].git_commit, "0123abcd");
    assert_string_equal(l.v.v[0].git_branch, "main");
    assert_true(l.v.v[0].git_dirty);
    assert_non_null(l.v.v[0].user);
    assert_non_null(l.v.v[0].host);
    assert_int_equal(strlen(l.v.v[0].time), 20); /* 2026-11-26T22:15:03Z */
    assert_int_equal(l.v.v[0].time[19], 'Z');
    assert_int_equal(l.v.v[1].serial, 7);
    assert_string_equal(l.v.v[1].user, "ci");
    assert_string_equal(l.v.v[1].host, "runner-1");
    assert_string_equal(l.v.v[1].time, "2026-01-02T03:04:05Z");
    assert_null(l.v.v[1].git_commit);
    assert_false(l.v.v[1].git_dirty);
    tsk_state_hist_list_release(&l);
    /* The newest one only. */
    assert_int_equal(tsk_state_history_list(&l, f->st, 1, &f->d), 0);
    assert_int_equal(l.v.n, 1);
    assert_string_equal(l.v.v[0].operation, "state rm");
    tsk_state_hist_list_release(&l);
}

static void test_state_store__journal(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state_intent in = {.address = "local_function.a",
                                  .action = "create",
                                  .provider = "local",
                                  .token = "tok-1"};
    int64_t j1, j2, j3;
    assert_int_equal(tsk_state_journal_add(&j1, f->st, &in, &f->d), 0);
    in.address = "local_function.b";
    in.token = NULL;
    assert_int_equal(tsk_state_journal_add(&j2, f->st, &in, &f->d), 0);
    in.address = "local_function.c";
    in.action = "delete";
    assert_int_equal(tsk_state_journal_add(&j3, f->st, &in, &f->d), 0);
    assert_true(j1 > 0 && j2 > j1 && j3 > j2);
    /* Intents do not change the serial. */
    assert_int_equal(tsk_state_serial(f->st), 0);

    /* The result of a stored and the intent cleared in one write. */
    struct tsk_state_res r = make_res("local_function.a", 2);
    assert_int_equal(tsk_state_put(f->st, &r, j1, &f->d), 0);
    free_res(&r);
    assert_int_equal(tsk_state_journal_clear(f->st, j2, &f->d), 0);

    /* The next run sees what is still pending, after a reopen. */
    tsk_state_close(f->st);
    assert_int_equal(tsk_state_open(&f->st, f->path, NULL, &f->d), 0);
    struct tsk_state_intent_list l;
    assert_int_equal(tsk_state_journal_list(&l, f->st, &f->d), 0);
    assert_int_equal(l.v.n, 1);
    assert_int_equal(l.v.v[0].id, j3);
    assert_string_equal(l.v.v[0].address, "local_function.c");
    assert_string_equal(l.v.v[0].action, "delete");
    assert_string_equal(l.v.v[0].provider, "local");
    assert_null(l.v.v[0].token);
    assert_null(l.v.v[0].lock_id);
    assert_non_null(l.v.v[0].time);
    tsk_state_intent_list_release(&l);

    /* A delete clears its intent too; the record goes. */
    r = make_res("local_function.c", 1);
    assert_int_equal(tsk_state_put(f->st, &r, 0, &f->d), 0);
    free_res(&r);
    assert_int_equal(tsk_state_delete(f->st, "local_function.c", j3, &f->d), 0);
    assert_int_equal(tsk_state_journal_list(&l, f->st, &f->d), 0);
    assert_int_equal(l.v.n, 0);
    tsk_state_intent_list_release(&l);
    struct tsk_state_intent bad = {0};
    assert_int_equal(tsk_state_journal_add(&j1, f->st, &bad, &f->d),
                     TSK_EINVAL);
    assert_int_equal(j1, 0);
}

/* The batch writes of apply: n intents in one go, then n results, each
 * clearing its intent; one bad entry fails alone, the others are kept. */
static void test_state_store__batches(void **state)
{
    struct store_fx *f = *state;
    struct tsk_state_intent in[3] = {
        {.address = "local_function.a", .action = "create",
         .provider = "local"},
        {.address = "local_function.b", .action = "create",
         .provider = "local"},
        {.address = "local_function.c", .action = "update",
         .provider = "local", .token = "id-c"},
    };
    int64_t ids[3];
    int rcs[3];
    struct tsk_diags ds[3];
    memset(ds, 0, sizeof(ds));
    assert_int_equal(tsk_state_journal_add_n(ids, f->st, in, 3, rcs, ds), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rcs[i], 0);
        assert_int_equal(ds[i].nerr, 0);
    }
    assert_true(ids[0] > 0 && ids[1] > ids[0] && ids[2] > ids[1]);
    assert_int_equal(tsk_state_serial(f->st), 0);

    struct tsk_state_res res[3] = {make_res("local_function.a", 2),
                                   make_res("local_function.b", 1),
                                   make_res("local_function.c", 3)};
    cJSON *bad = cJSON_CreateArray(); /* attributes must be an object */
    const cJSON *keep = res[1].attrs;
    res[1].attrs = bad;
    assert_int_equal(tsk_state_put_n(f->st, res, ids, 3, rcs, ds),
                     TSK_ERROR);
    assert_int_equal(rcs[0], 0);
    assert_int_equal(rcs[1], TSK_EINVAL);
    assert_int_equal(rcs[2], 0);
    assert_int_equal(ds[0].nerr + ds[2].nerr, 0);
    assert_int_equal(ds[1].nerr, 1);
    res[1].attrs = keep;
    cJSON_Delete(bad);
    /* Two resources stored, one serial step each; b's intent pending. */
    assert_int_equal(tsk_state_serial(f->st), 2);
    struct tsk_state_rec rec;
    assert_int_equal(tsk_state_get(&rec, f->st, "local_function.c", &f->d), 0);
    assert_string_equal(rec.remote_id, "id-local_function.c");
    tsk_state_rec_release(&rec);
    assert_int_equal(tsk_state_get(&rec, f->st, "local_function.b", &f->d),
                     TSK_ENOTFOUND);
    struct tsk_state_intent_list l;
    assert_int_equal(tsk_state_journal_list(&l, f->st, &f->d), 0);
    assert_int_equal(l.v.n, 1);
    assert_int_equal(l.v.v[0].id, ids[1]);
    tsk_state_intent_list_release(&l);
    for (int i = 0; i < 3; i++) {
        free_res(&res[i]);
        tsk_diags_release(&ds[i]);
        memset(&ds[i], 0, sizeof(ds[i]));
    }

    /* An entry the database refuses (no address: NOT NULL) fails inside
     * the shared transaction; its savepoint keeps the others. */
    in[1].address = NULL;
    assert_int_equal(tsk_state_journal_add_n(ids, f->st, in, 3, rcs, ds),
                     TSK_ERROR);
    assert_int_equal(rcs[0], 0);
    assert_true(rcs[1] < 0);
    assert_int_equal(rcs[2], 0);
    assert_int_equal(ids[1], 0);
    assert_true(ds[1].nerr > 0);
    assert_int_equal(tsk_state_journal_list(&l, f->st, &f->d), 0);
    assert_int_equal(l.v.n, 3);
    assert_int_equal(l.v.v[1].id, ids[0]);
    assert_int_equal(l.v.v[2].id, ids[2]);
    tsk_state_intent_list_release(&l);
    for (int i = 0; i < 3; i++)
        tsk_diags_release(&ds[i]);
}

static void test_state_store__default_path(void **state)
{
    (void)state;
    char *p = tsk_state_default_path(NULL);
    assert_string_equal(p, ".tuskform/state.db");
    free(p);
    p = tsk_state_default_path("cfg/");
    assert_string_equal(p, "cfg/.tuskform/state.db");
    free(p);
    p = tsk_state_default_path("cfg");
    assert_string_equal(p, "cfg/.tuskform/state.db");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(n)                                                                   \
    cmocka_unit_test_setup_teardown(test_state_store__##n, store_fx_setup,     \
                                    store_fx_teardown)
        T(create_mode_and_lineage),
        T(wal_and_sidecar_modes),
        T(reopen_keeps_lineage_and_serial),
        T(readonly_missing_is_no_state),
        T(empty_file_is_initialised),
        T(resources_crud),
        T(mv_renames_and_rewrites_deps),
        T(snapshot_load_and_find),
        T(check_plan),
        T(history),
        T(journal),
        T(batches),
        cmocka_unit_test(test_state_store__default_path),
    };
    umask(022); /* the state must be 0600 even with a permissive umask */
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_local_many.c - the local provider's call_many: a batch of writes
 * gives each call the result its single callback would (a failing check
 * fails alone, a failure point hits only its call), and a batch of reads
 * tells an object exactly as state holds it ("same") from one changed out
 * of band, one gone, and one of a type the provider does not serve.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "providers/local/internal.h"
#include "unit/providers/local_fx.h"

static int setup(void **state)
{
    return local_fx_open(state, NULL, "create:local_function.bad");
}

static cJSON *fn_attrs(const char *name)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddStringToObject(a, "handler", "index.handle");
    cJSON_AddNumberToObject(a, "memory_size", 128);
    cJSON_AddNumberToObject(a, "timeout", 3);
    return a;
}

static void release(struct tsk_pcall *pc, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(pc[i].out_id);
        cJSON_Delete(pc[i].out);
        tsk_diags_release(&pc[i].d);
    }
}

static void test_local_many__writes_fail_alone_reads_tell_same(void **state)
{
    struct local_fx *f = *state;
    cJSON *a = fn_attrs("a"), *b = fn_attrs("b"), *bad = fn_attrs("bad");
    cJSON *ver = cJSON_CreateObject();
    cJSON_AddStringToObject(ver, "name", "cap");
    cJSON_AddNumberToObject(ver, "amount", 10);
    cJSON_AddStringToObject(ver, "time_unit", "MONTHLY");
    cJSON_AddStringToObject(ver, "function_arn", "arn:local:nowhere");
    struct tsk_pcall w[4] = {
        {.op = 'c', .c = {f->p, "local_function.a", "shop"}, .planned = a},
        {.op = 'c', .c = {f->p, "local_function.bad", "shop"}, .planned = bad},
        {.op = 'c', .c = {f->p, "local_budget.cap", "shop"}, .planned = ver},
        {.op = 'c', .c = {f->p, "local_function.b", "shop"}, .planned = b},
    };
    tsk_local__call_many(f->p, w, 4);
    /* The two good creates are made; the failure point and the reference
     * to nothing fail only their own call. */
    assert_int_equal(w[0].rc, 0);
    assert_non_null(w[0].out_id);
    assert_non_null(w[0].out);
    assert_int_not_equal(w[1].rc, 0);
    assert_null(w[1].out_id);
    assert_true(w[1].d.nerr > 0);
    assert_int_not_equal(w[2].rc, 0);
    assert_null(w[2].out);
    assert_true(strstr(w[2].d.v.v[0].summary, "does not exist") != NULL);
    assert_int_equal(w[3].rc, 0);
    assert_int_equal(w[0].d.nerr + w[3].d.nerr, 0);

    /* Out of band: b's memory changes. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *sql = tsk_xasprintf("UPDATE objects SET attrs = json_set(attrs,"
                              " '$.memory_size', 512) WHERE id = '%s'",
                              w[3].out_id);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    sqlite3_close(db);

    struct tsk_pcall r[4] = {
        {.op = 'r',
         .c = {f->p, "local_function.a", "shop"},
         .id = w[0].out_id,
         .prior = w[0].out},
        {.op = 'r',
         .c = {f->p, "local_function.b", "shop"},
         .id = w[3].out_id,
         .prior = w[3].out},
        {.op = 'r',
         .c = {f->p, "local_function.gone", "shop"},
         .id = "function-000000000000"},
        {.op = 'r', .c = {f->p, "aws_thing.x", "shop"}, .id = "x"},
    };
    tsk_local__call_many(f->p, r, 4);
    assert_int_equal(r[0].rc, 0);
    assert_true(r[0].same);
    assert_null(r[0].out);
    assert_int_equal(r[1].rc, 0);
    assert_false(r[1].same);
    const cJSON *mem = cJSON_GetObjectItem(r[1].out, "memory_size");
    assert_true(cJSON_IsNumber(mem) && mem->valuedouble == 512);
    assert_int_equal(r[2].rc, 0);
    assert_false(r[2].same);
    assert_null(r[2].out);
    assert_int_not_equal(r[3].rc, 0);

    /* A batch of deletes, one of an id that is already gone. */
    struct tsk_pcall dl[2] = {
        {.op = 'd', .c = {f->p, "local_function.a", "shop"}, .id = w[0].out_id},
        {.op = 'd', .c = {f->p, "local_function.gone", "shop"}, .id = "nope"},
    };
    tsk_local__call_many(f->p, dl, 2);
    assert_int_equal(dl[0].rc, 0);
    assert_int_equal(dl[1].rc, 0);
    struct tsk_pcall again = {
        .op = 'r', .c = {f->p, "local_function.a", "shop"}, .id = w[0].out_id};
    tsk_local__call_many(f->p, &again, 1);
    assert_int_equal(again.rc, 0);
    assert_null(again.out);

    release(&again, 1);
    release(dl, 2);
    release(r, 4);
    release(w, 4);
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(bad);
    cJSON_Delete(ver);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_local_many__writes_fail_alone_reads_tell_same, setup,
            local_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

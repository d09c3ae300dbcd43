/* test_jsonw.c - the streaming JSON writer prints exactly what
 * cJSON_PrintUnformatted prints, in pieces of any size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "planner/jsonw.h"
#include "planner/util/util.h"

static int to_buf(void *ctx, const char *p, size_t n)
{
    tsk_buf_add(ctx, p, n);
    return 0;
}

/* v through the writer with a buffer of cap bytes equals cJSON's print. */
static void check_same(const cJSON *v, size_t cap)
{
    char *want = cJSON_PrintUnformatted(v);
    struct tsk_buf got = TSK_BUF_INIT;
    struct tsk_jsonw w;
    assert_non_null(want);
    tsk_jsonw_init(&w, cap, to_buf, &got);
    tsk_jsonw_value(&w, v);
    assert_int_equal(tsk_jsonw_finish(&w), 0);
    assert_string_equal(got.ptr, want);
    tsk_buf_reset(&got);
    tsk_jsonw_print(&got, v);
    assert_string_equal(got.ptr, want);
    tsk_buf_release(&got);
    free(want);
}

static cJSON *sample(void)
{
    static const double nums[] = {0,
                                  -0.0,
                                  1,
                                  -1,
                                  42,
                                  0.5,
                                  0.1,
                                  -2.75,
                                  1e300,
                                  -1e-300,
                                  3e9,
                                  -3e9,
                                  2147483647.0,
                                  -2147483648.0,
                                  2147483648.0,
                                  123456789.123456789,
                                  1.0 / 3,
                                  100.125,
                                  999999999999999.0,
                                  -999999999999999.0,
                                  1e15,
                                  -1e15,
                                  1e14,
                                  123456789012345.0,
                                  9007199254740993.0,
                                  1e16,
                                  4294967296.0};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "plain", "hello");
    cJSON_AddStringToObject(o, "escapes", "q\" b\\ \b\f\n\r\t \x01\x1f \x7f");
    cJSON_AddStringToObject(o, "utf8", "h\xc3\xa9llo \xe2\x82\xac");
    cJSON_AddStringToObject(o, "", "empty key");
    cJSON_AddStringToObject(o, "k\"ey\n", "odd key");
    cJSON *arr = cJSON_AddArrayToObject(o, "numbers");
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(nums[i]));
    cJSON_AddItemToArray(arr, cJSON_CreateNumber(NAN));
    cJSON_AddItemToArray(arr, cJSON_CreateNumber(INFINITY));
    cJSON_AddTrueToObject(o, "t");
    cJSON_AddFalseToObject(o, "f");
    cJSON_AddNullToObject(o, "n");
    cJSON_AddObjectToObject(o, "empty_obj");
    cJSON_AddArrayToObject(o, "empty_arr");
    cJSON *deep = cJSON_AddObjectToObject(o, "deep");
    cJSON *in = cJSON_AddArrayToObject(deep, "list");
    cJSON_AddItemToArray(in, cJSON_CreateString("a"));
    cJSON_AddItemToArray(in, cJSON_CreateObject());
    cJSON_AddItemToArray(in, cJSON_CreateArray());
    cJSON_AddItemToObjectCS(deep, "const_key", cJSON_CreateRaw("{\"raw\":1}"));
    return o;
}

static void test_same_as_cjson(void **state)
{
    (void)state;
    cJSON *o = sample();
    check_same(o, 64);
    check_same(o, 1 << 16);
    /* a reference object prints its members */
    cJSON *ref = cJSON_CreateObjectReference(o->child);
    check_same(ref, 64);
    cJSON_Delete(ref);
    cJSON_Delete(o);
}

static void test_scalars_and_long_strings(void **state)
{
    (void)state;
    char big[5000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    big[100] = '\n';
    cJSON *s = cJSON_CreateString(big);
    check_same(s, 64);
    cJSON_Delete(s);
    cJSON *n = cJSON_CreateNumber(-12.5);
    check_same(n, 64);
    cJSON_Delete(n);

    struct tsk_buf got = TSK_BUF_INIT;
    struct tsk_jsonw w;
    tsk_jsonw_init(&w, 64, to_buf, &got);
    tsk_jsonw_str_or_null(&w, NULL);
    tsk_jsonw_lit(&w, ",");
    tsk_jsonw_str(&w, NULL);
    tsk_jsonw_lit(&w, ",");
    tsk_jsonw_num(&w, 5e9);
    tsk_jsonw_lit(&w, ",");
    tsk_jsonw_num(&w, -1);
    tsk_jsonw_lit(&w, ",");
    tsk_jsonw_value(&w, NULL);
    assert_int_equal(tsk_jsonw_finish(&w), 0);
    assert_string_equal(got.ptr, "null,\"\",5000000000,-1,null");
    tsk_buf_release(&got);
}

static int failing(void *ctx, const char *p, size_t n)
{
    (void)p;
    (void)n;
    ++*(int *)ctx;
    return -1;
}

static void test_sink_failure(void **state)
{
    (void)state;
    int calls = 0;
    struct tsk_jsonw w;
    tsk_jsonw_init(&w, 64, failing, &calls);
    for (int i = 0; i < 100; i++)
        tsk_jsonw_str(&w, "more than one buffer of output");
    assert_int_equal(tsk_jsonw_finish(&w), -1);
    assert_int_equal(calls, 1); /* nothing more is handed over */
}

/* Fractional numbers are remembered once printed: many of them, each more
 * than once and colliding in the cache, still print as cJSON prints them. */
static void test_repeated_numbers(void **state)
{
    (void)state;
    cJSON *arr = cJSON_CreateArray();
    for (int round = 0; round < 3; round++)
        for (int i = 1; i <= 3000; i++) {
            double v = round == 1 ? -(double)i / 7.0 : (double)i / 7.0;
            cJSON_AddItemToArray(arr, cJSON_CreateNumber(v));
            cJSON_AddItemToArray(arr, cJSON_CreateNumber(v * 1e-9));
            cJSON_AddItemToArray(arr, cJSON_CreateNumber(i + 0.5));
        }
    check_same(arr, 64);
    check_same(arr, 1 << 20);
    cJSON_Delete(arr);
}

/* Output handed over on demand: what was written so far, then the rest. */
static void test_flush(void **state)
{
    (void)state;
    struct tsk_buf got = TSK_BUF_INIT;
    struct tsk_jsonw w;
    tsk_jsonw_init(&w, 4096, to_buf, &got);
    tsk_jsonw_lit(&w, "[1,");
    tsk_jsonw_num(&w, 0.25);
    assert_int_equal(got.len, 0);
    assert_int_equal(tsk_jsonw_flush(&w), 0);
    assert_string_equal(got.ptr, "[1,0.25");
    tsk_jsonw_lit(&w, "]");
    assert_int_equal(tsk_jsonw_finish(&w), 0);
    assert_string_equal(got.ptr, "[1,0.25]");
    tsk_buf_release(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_cjson),
        cmocka_unit_test(test_scalars_and_long_strings),
        cmocka_unit_test(test_sink_failure),
        cmocka_unit_test(test_repeated_numbers),
        cmocka_unit_test(test_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_cost.c - the cost arithmetic, recomputed by hand in each test from
 * the prices of planner/prices/prices.tsv (us-east-1, 2026-08-22):
 * requests $0.0000002; x86_64 duration $0.0000166667 (first 6e9 GB-s),
 * $0.000015 (next 9e9), $0.0000133334 (over 15e9); provisioned concurrency
 * $0.0000041667 per GB-s, provisioned duration $0.0000097222 per GB-s;
 * a month is 730 h = 2,628,000 s.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "planner/cost.h"
#include "planner/cost_report.h"

static struct tsk_price_table *prices(void)
{
    struct tsk_diags d = {0};
    struct tsk_price_table *pt = NULL;
    unsetenv("TUSKFORM_PRICES");
    assert_int_equal(tsk_prices_load(&pt, &d), 0);
    assert_non_null(pt);
    tsk_diags_release(&d);
    return pt;
}

static double estimate(const struct tsk_cost_input *in, size_t n, int free,
                       struct tsk_cost_estimate *e)
{
    struct tsk_diags d = {0};
    struct tsk_price_table *pt = prices();
    assert_int_equal(tsk_cost_estimate(e, pt, "us-east-1", in, n, free, &d),
                     0);
    tsk_prices_free(pt);
    tsk_diags_release(&d);
    return e->total;
}

static void close_to(double a, double b, int line)
{
    if (fabs(a - b) > 1e-6 * (1 + fabs(b)))
        fail_msg("line %d: got %.9f, want %.9f", line, a, b);
}
#define CLOSE(a, b) close_to((a), (b), __LINE__)

/* 1M invocations x 200 ms x 0.5 GB = 100,000 GB-s x 0.0000166667 = 1.66667;
 * requests 1M x 0.0000002 = 0.20; total 1.86667 */
static void test_on_demand(void **st)
{
    (void)st;
    struct tsk_cost_input in = {.function = "api", .memory_mb = 512,
                                .usage_known = 1,
                                .monthly_invocations = 1e6,
                                .avg_duration_ms = 200};
    struct tsk_cost_estimate e;
    CLOSE(estimate(&in, 1, 0, &e), 1.86667);
    assert_int_equal(e.fns.n, 1);
    assert_int_equal(e.fns.v[0].lines.n, 2);
    CLOSE(e.fns.v[0].lines.v[0].monthly, 0.20);
    CLOSE(e.fns.v[0].lines.v[1].quantity, 100000);
    assert_false(e.fns.v[0].depends_on_usage);
    tsk_cost_estimate_release(&e);
}

/* The free tier covers 1M requests and 400,000 GB-s: the case above is 0. */
static void test_free_tier(void **st)
{
    (void)st;
    struct tsk_cost_input in = {.function = "api", .memory_mb = 512,
                                .usage_known = 1,
                                .monthly_invocations = 1e6,
                                .avg_duration_ms = 200};
    struct tsk_cost_estimate e;
    CLOSE(estimate(&in, 1, 1, &e), 0.0);
    assert_true(e.free_tier);
    tsk_cost_estimate_release(&e);
    /* 2M x 400 ms x 1 GB = 800,000 GB-s: billed 400,000 x 0.0000166667
     * = 6.66668, requests 1M billed = 0.20; total 6.86668 */
    in.memory_mb = 1024;
    in.monthly_invocations = 2e6;
    in.avg_duration_ms = 400;
    CLOSE(estimate(&in, 1, 1, &e), 6.86668);
    tsk_cost_estimate_release(&e);
}

/* 10 units x 1 GB x 2,628,000 s = 26,280,000 GB-s x 0.0000041667
 * = 109.500876, charged with no traffic at all. */
static void test_provisioned_always_on(void **st)
{
    (void)st;
    struct tsk_cost_input in = {.function = "orders", .memory_mb = 1024,
                                .pc_units = 10};
    struct tsk_cost_estimate e;
    CLOSE(estimate(&in, 1, 0, &e), 109.500876);
    assert_true(e.fns.v[0].depends_on_usage);
    tsk_cost_estimate_release(&e);
    /* with 1M x 100 ms: 100,000 s fit in the 26,280,000 s of capacity,
     * so 100,000 GB-s at the provisioned rate 0.0000097222 = 0.97222,
     * plus requests 0.20: 109.500876 + 0.97222 + 0.20 = 110.673096.
     * The free tier does not apply to provisioned charges. */
    in.usage_known = 1;
    in.monthly_invocations = 1e6;
    in.avg_duration_ms = 100;
    CLOSE(estimate(&in, 1, 0, &e), 110.673096);
    tsk_cost_estimate_release(&e);
    CLOSE(estimate(&in, 1, 1, &e), 109.500876 + 0.97222);
    tsk_cost_estimate_release(&e);
}

/* When traffic exceeds the capacity, the excess is on-demand: 1 unit of
 * 1 GB gives 2,628,000 s; 5,256,000 invocations x 1 s need twice that, so
 * half (2,628,000 GB-s) runs at 0.0000097222 = 25.5499416 and half at
 * 0.0000166667 = 43.8000876; capacity 2,628,000 x 0.0000041667 = 10.9500876;
 * requests 5,256,000 x 0.0000002 = 1.0512. Total 81.3513168. */
static void test_provisioned_spill(void **st)
{
    (void)st;
    struct tsk_cost_input in = {.function = "f", .memory_mb = 1024,
                                .pc_units = 1, .usage_known = 1,
                                .monthly_invocations = 5256000,
                                .avg_duration_ms = 1000};
    struct tsk_cost_estimate e;
    CLOSE(estimate(&in, 1, 0, &e), 81.3513168);
    tsk_cost_estimate_release(&e);
}

/* Tier boundaries on the stack's total x86_64 GB-s (10 GB functions,
 * 1 s each): exactly 6e9 GB-s = 6e9 x 0.0000166667 = 100,000.2 (+ 600M
 * requests = 120); 16e9 GB-s = 100,000.2 + 9e9 x 0.000015 (135,000)
 * + 1e9 x 0.0000133334 (13,333.4) = 248,333.6 (+ 1.6e9 requests = 320). */
static void test_tiers(void **st)
{
    (void)st;
    struct tsk_cost_input in = {.function = "big", .memory_mb = 10240,
                                .usage_known = 1,
                                .monthly_invocations = 6e8,
                                .avg_duration_ms = 1000};
    struct tsk_cost_estimate e;
    CLOSE(estimate(&in, 1, 0, &e), 100000.2 + 120);
    tsk_cost_estimate_release(&e);
    in.monthly_invocations = 1.6e9;
    CLOSE(estimate(&in, 1, 0, &e), 248333.6 + 320);
    tsk_cost_estimate_release(&e);
}

/* Tiers apply to the total: 3e9 + 4e9 GB-s = 7e9 costs 100,000.2 + 1e9 x
 * 0.000015 = 115,000.2, shared 3/7 and 4/7: 49,285.8 and 65,714.4. */
static void test_tier_shares(void **st)
{
    (void)st;
    struct tsk_cost_input in[2] = {
        {.function = "a", .memory_mb = 10240, .usage_known = 1,
         .monthly_invocations = 3e8, .avg_duration_ms = 1000},
        {.function = "b", .memory_mb = 10240, .usage_known = 1,
         .monthly_invocations = 4e8, .avg_duration_ms = 1000},
    };
    struct tsk_cost_estimate e;
    CLOSE(estimate(in, 2, 0, &e), 115000.2 + 140);
    CLOSE(tsk_cost_find(&e, "a")->lines.v[1].monthly, 49285.8);
    CLOSE(tsk_cost_find(&e, "b")->lines.v[1].monthly, 65714.4);
    tsk_cost_estimate_release(&e);
}

/* Warm-up pings every 300 s: 2,628,000 / 300 = 8,760 pings; requests
 * 8,760 x 0.0000002 = 0.001752; 8,760 x 0.1 s x 0.5 GB = 438 GB-s x
 * 0.0000166667 = 0.00730001; total 0.00905201, with usage unknown. */
static void test_pings(void **st)
{
    (void)st;
    struct tsk_cost_input in = {.function = "w", .memory_mb = 512,
                                .pings_per_month = 8760};
    struct tsk_cost_estimate e;
    CLOSE(estimate(&in, 1, 0, &e), 0.00905201);
    assert_true(e.fns.v[0].depends_on_usage);
    tsk_cost_estimate_release(&e);
}

/* arm64: 1M x 200 ms x 0.5 GB = 100,000 GB-s x 0.0000133334 = 1.33334,
 * requests 0.20: 1.53334. */
static void test_arm64(void **st)
{
    (void)st;
    struct tsk_cost_input in = {.function = "g", .memory_mb = 512,
                                .arm64 = 1, .usage_known = 1,
                                .monthly_invocations = 1e6,
                                .avg_duration_ms = 200};
    struct tsk_cost_estimate e;
    CLOSE(estimate(&in, 1, 0, &e), 1.53334);
    tsk_cost_estimate_release(&e);
}

static void test_region_fallback_and_bad_table(void **st)
{
    (void)st;
    struct tsk_diags d = {0};
    struct tsk_price_table *pt = prices();
    struct tsk_cost_input in = {.function = "x", .memory_mb = 128};
    struct tsk_cost_estimate e;
    assert_int_equal(tsk_cost_estimate(&e, pt, "eu-west-1", &in, 1, 0, &d), 0);
    assert_non_null(e.note);
    assert_non_null(strstr(e.note, "eu-west-1"));
    assert_string_equal(e.price_date, "2026-08-22");
    tsk_cost_estimate_release(&e);
    tsk_prices_free(pt);
    assert_int_equal(tsk_prices_parse(&pt, "bad.tsv", "a\tb\n", &d),
                     TSK_ERROR);
    assert_null(pt);
    assert_int_equal(d.nerr, 1);
    assert_non_null(strstr(d.v.v[0].summary, "bad.tsv:1"));
    tsk_diags_release(&d);
}

static void money_is(double usd, const char *want)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_cost_money(&b, usd);
    assert_string_equal(b.ptr, want);
    tsk_buf_release(&b);
}

static void test_money(void **st)
{
    (void)st;
    money_is(0, "$0.00");
    money_is(0.5, "$0.50");
    money_is(0.07, "$0.07");
    money_is(100, "$100.00");
    money_is(1000, "$1,000.00");
    money_is(1234.567, "$1,234.57");
    money_is(-0.004, "$0.00");
    money_is(-1234567.891, "-$1,234,567.89");
    money_is(987654321012.25, "$987,654,321,012.25");
}

/* The plan's cost table: names padded to the longest, money right-aligned
 * in 12 columns, unchanged functions counted. */
static void test_render_table(void **st)
{
    (void)st;
    cJSON *cost = cJSON_Parse(
        "{\"region\":\"us-east-1\",\"prices_date\":\"2026-08-22\","
        "\"free_tier\":false,\"monthly_before\":2,\"monthly_after\":3.5,"
        "\"monthly_diff\":1.5,\"depends_on_usage\":false,\"functions\":["
        "{\"function\":\"a\",\"monthly_before\":0,\"monthly_after\":1.5,"
        "\"monthly_diff\":1.5,\"depends_on_usage\":true},"
        "{\"function\":\"longer_name_x\",\"monthly_before\":2,"
        "\"monthly_after\":2,\"monthly_diff\":0,"
        "\"depends_on_usage\":false}],\"budgets\":[],\"advice\":[]}");
    assert_non_null(cost);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_cost_render_text(&b, cost, 0, 1);
    assert_string_equal(
        b.ptr,
        "Monthly cost estimate (USD; AWS Lambda prices of 2026-08-22, "
        "us-east-1):\n"
        "  function            before        after       change\n"
        "  a                    $0.00        $1.50       +$1.50  (+ usage)\n"
        "  (1 function with an unchanged estimate not listed)\n"
        "  total                $2.00        $3.50       +$1.50\n"
        "  Monthly estimate increases by $1.50.\n");
    tsk_buf_release(&b);
    cJSON_Delete(cost);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_on_demand),
        cmocka_unit_test(test_free_tier),
        cmocka_unit_test(test_provisioned_always_on),
        cmocka_unit_test(test_provisioned_spill),
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_tier_shares),
        cmocka_unit_test(test_pings),
        cmocka_unit_test(test_arm64),
        cmocka_unit_test(test_region_fallback_and_bad_table),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_render_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

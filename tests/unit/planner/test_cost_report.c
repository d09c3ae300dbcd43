/*
 * test_cost_report.c - the plan's cost object: runs (unchanged functions
 * and advice past what plans show, kept as their JSON text) print and
 * render exactly as the trees they stand for; advice messages; before
 * figures from stored objects (text and parsed).
 */
#include "model_helpers.h"

#include <stdio.h>

#include <cjson/cJSON.h>

#include "planner/cost_int.h"
#include "planner/cost_report.h"
#include "planner/jsonw.h"
#include "planner/plan.h"

/* Functions f00..f24 (provisioned concurrency 2: advice for each, more
 * than plans show), two without usage or capacity ($0 both sides). */
static char *config(int f03_memory)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_buf_adds(&b, "[serverless_architecture]\nprovider = \"local\"\n"
                     "service = \"t\"\nruntime = \"php:8.4\"\n"
                     "memory_size = 256\ntimeout = 10\n"
                     "[serverless_architecture.functions]\n");
    for (int i = 0; i < 25; i++)
        tsk_buf_addf(&b,
                     "f%02d = { handler = \"H::h\", memory_size = %d, "
                     "provisioned_concurrency = 2, expected = { "
                     "monthly_invocations = %d, avg_duration_ms = 120 } }\n",
                     i, i == 3 ? f03_memory : 256, 1000 * (i + 1));
    tsk_buf_adds(&b, "idle_a = { handler = \"H::h\" }\n"
                     "idle_with_a_long_name = { handler = \"H::h\" }\n");
    return tsk_buf_detach(&b, NULL);
}

/* What is deployed: every function at 256 MB with capacity 2, and one
 * function the configuration no longer has. */
struct deployed {
    struct tsk_object o[64];
    char names[64][64];
    size_t n;
};

static void add_obj(struct deployed *dp, const char *type, const char *name,
                    const char *text)
{
    struct tsk_object *o = &dp->o[dp->n];
    char *a = dp->names[dp->n++];
    snprintf(a, 64, "%s.%s", type, name);
    memset(o, 0, sizeof(*o));
    o->addr = a;
    o->type = (char *)type;
    o->text = (char *)text;
}

static void deploy(struct deployed *dp)
{
    static char fnames[26][8];
    dp->n = 0;
    for (int i = 0; i < 25; i++) {
        snprintf(fnames[i], sizeof(fnames[i]), "f%02d", i);
        add_obj(dp, "local_function", fnames[i],
                "{\"name\":\"x\",\"memory_size\":256,"
                "\"architecture\":\"x86_64\"}");
        add_obj(dp, "local_provisioned_concurrency", fnames[i],
                "{\"concurrency\":2,\"alias_arn\":\"a\"}");
    }
    add_obj(dp, "local_function", "idle_a", "{\"memory_size\":256}");
    add_obj(dp, "local_function", "idle_with_a_long_name",
            "{\"memory_size\":256}");
    add_obj(dp, "local_function", "gone", "{\"memory_size\":1024}");
    /* a warm-up schedule (counted) and an alarm (not) */
    add_obj(dp, "local_schedule", "gone_warmup",
            "{\"schedule_expression\":\"rate(5 minutes)\","
            "\"input\":{\"warmup\":true},\"concurrency\":2}");
    add_obj(dp, "local_alarm", "f01_duration", "{\"threshold\":8000}");
}

static cJSON *report(struct built *b, struct deployed *dp, int destroy)
{
    struct tsk_cost_opts o = {.destroy = destroy};
    cJSON *cost = tsk_cost_report(b->m, dp->o, dp->n, &o, &b->d);
    assert_non_null(cost);
    return cost;
}

/* Everything the renderers make of a cost object, in one buffer. */
static char *rendered(const cJSON *cost)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_cost_render_text(&b, cost, 0, 1);
    tsk_cost_render_text(&b, cost, 1, 0);
    tsk_cost_render_md_line(&b, cost);
    tsk_cost_render_md_table(&b, cost, 50);
    tsk_cost_render_md_table(&b, cost, 0);
    tsk_buf_addf(&b, "changed %d\n", tsk_cost_changed_count(cost));
    return tsk_buf_detach(&b, NULL);
}

static int runs_in(const cJSON *arr)
{
    int n = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next)
        n += tsk_cost__is_run(e);
    return n;
}

/* The object with runs, the same object read back from its text (no
 * runs) and its duplicate print and render the same. */
static void same_as_tree(const cJSON *cost)
{
    char *text = cJSON_PrintUnformatted(cost);
    struct tsk_buf jw = TSK_BUF_INIT;
    tsk_jsonw_print(&jw, cost);
    assert_string_equal(jw.ptr, text);
    cJSON *tree = cJSON_Parse(text);
    assert_non_null(tree);
    assert_int_equal(runs_in(cJSON_GetObjectItem(tree, "functions")), 0);
    cJSON *dup = cJSON_Duplicate(cost, 1);
    char *r1 = rendered(cost), *r2 = rendered(tree), *r3 = rendered(dup);
    assert_string_equal(r1, r2);
    assert_string_equal(r1, r3);
    char *t2 = cJSON_PrintUnformatted(tree), *t3 = cJSON_PrintUnformatted(dup);
    assert_string_equal(t2, text);
    assert_string_equal(t3, text);
    cJSON_free(t2);
    cJSON_free(t3);
    free(r1);
    free(r2);
    free(r3);
    cJSON_Delete(dup);
    cJSON_Delete(tree);
    tsk_buf_release(&jw);
    cJSON_free(text);
}

/* Nothing changes but the removed function: unchanged functions are
 * runs, around the ones that change. */
static void test_runs(void **st)
{
    (void)st;
    struct built b;
    struct deployed dp;
    char *cfg = config(256);
    build(&b, cfg);
    deploy(&dp);
    cJSON *cost = report(&b, &dp, 0);
    const cJSON *fns = cJSON_GetObjectItem(cost, "functions");
    /* 27 functions after (one run), "gone" removed (an object) */
    assert_int_equal(tsk_cost__len(fns), 28);
    assert_int_equal(cJSON_GetArraySize(fns), 2);
    assert_true(tsk_cost__is_run(fns->child));
    assert_int_equal(fns->child->valueint, 27);
    assert_int_equal((int)fns->child->valuedouble,
                     (int)strlen("idle_with_a_long_name"));
    assert_int_equal(tsk_cost_changed_count(cost), 1);
    /* advice: the first ones as objects, the rest in one run */
    const cJSON *adv = cJSON_GetObjectItem(cost, "advice");
    assert_int_equal(tsk_cost__len(adv), 25);
    assert_int_equal(cJSON_GetArraySize(adv), TSK_COST__ADVICE_SHOWN + 1);
    same_as_tree(cost);

    struct tsk_buf t = TSK_BUF_INIT;
    tsk_cost_render_text(&t, cost, 0, 1);
    assert_non_null(strstr(t.ptr, "\n  gone    "));
    assert_non_null(strstr(t.ptr, "(27 functions with an unchanged estimate "
                                  "not listed)"));
    assert_non_null(strstr(t.ptr, "  - 5 more: see `tuskform cost`\n"));
    tsk_buf_release(&t);
    cJSON_Delete(cost);
    free(cfg);
    done(&b);
}

/* One function changes: runs before and after it. */
static void test_runs_around_a_change(void **st)
{
    (void)st;
    struct built b;
    struct deployed dp;
    char *cfg = config(1024);
    build(&b, cfg);
    deploy(&dp);
    cJSON *cost = report(&b, &dp, 0);
    const cJSON *fns = cJSON_GetObjectItem(cost, "functions");
    assert_int_equal(tsk_cost__len(fns), 28);
    assert_int_equal(cJSON_GetArraySize(fns), 4); /* run, f03, run, gone */
    assert_int_equal(fns->child->valueint, 3);
    assert_string_equal(
        cJSON_GetObjectItem(fns->child->next, "function")->valuestring, "f03");
    assert_int_equal(tsk_cost_changed_count(cost), 2);
    same_as_tree(cost);
    cJSON_Delete(cost);

    /* nothing deployed: every priced function changes, $0 ones do not */
    struct tsk_cost_opts o = {0};
    cost = tsk_cost_report(b.m, NULL, 0, &o, &b.d);
    assert_int_equal(tsk_cost_changed_count(cost), 25);
    same_as_tree(cost);
    cJSON_Delete(cost);

    /* plan -destroy: everything goes, no advice */
    cost = report(&b, &dp, 1);
    assert_null(cJSON_GetObjectItem(cost, "advice"));
    same_as_tree(cost);
    cJSON_Delete(cost);
    free(cfg);
    done(&b);
}

/* Stored objects read as text and as parsed trees give the same before
 * figures; a warm-up schedule adds its pings to its function. */
static void test_before_from_objects(void **st)
{
    (void)st;
    struct built b;
    struct deployed dp;
    char *cfg = config(256);
    build(&b, cfg);
    deploy(&dp);
    struct tsk_cost_input *in1, *in2;
    size_t n1, n2;
    tsk_cost_inputs_from_objects(dp.o, dp.n, b.m, &in1, &n1);
    /* the same objects, parsed */
    for (size_t i = 0; i < dp.n; i++) {
        dp.o[i].attrs = cJSON_Parse(dp.o[i].text);
        dp.o[i].text = NULL;
    }
    tsk_cost_inputs_from_objects(dp.o, dp.n, b.m, &in2, &n2);
    assert_int_equal(n1, 28);
    assert_int_equal(n2, 28);
    assert_memory_equal(in1, in2, n1 * sizeof(*in1));
    /* "gone": 1024 MB, pings every 300 s for 2 instances */
    assert_string_equal(in1[27].function, "gone");
    assert_true(in1[27].memory_mb == 1024);
    assert_true(in1[27].pings_per_month == 2628000.0 / 300 * 2);
    assert_true(in1[0].pc_units == 2);
    assert_true(in1[0].usage_known);
    for (size_t i = 0; i < dp.n; i++)
        cJSON_Delete(dp.o[i].attrs);
    free(in1);
    free(in2);
    free(cfg);
    done(&b);
}

static const char *advice_of(const cJSON *cost, const char *fn,
                             const char *kind)
{
    const cJSON *a;
    for (a = cJSON_GetObjectItem(cost, "advice")->child; a; a = a->next) {
        const char *f = cJSON_GetObjectItem(a, "function")->valuestring;
        const char *k = cJSON_GetObjectItem(a, "kind")->valuestring;
        if (strcmp(f, fn) == 0 && strcmp(k, kind) == 0)
            return cJSON_GetObjectItem(a, "message")->valuestring;
    }
    return "(none)";
}

/* The messages, as printf("%.0f") wrote them: whole numbers rounded half
 * to even (2.5 ms -> 2, 0.5 ms -> 0), counts with separators. */
static void test_advice_messages(void **st)
{
    (void)st;
    struct built b;
    build(&b,
          "[serverless_architecture]\nprovider = \"local\"\nservice = \"a\"\n"
          "runtime = \"php:8.4\"\nmemory_size = 256\ntimeout = 10\n"
          "[serverless_architecture.functions]\n"
          "api = { handler = \"A::h\", provisioned_concurrency = 2, expected "
          "= { monthly_invocations = 2000000, avg_duration_ms = 120 } }\n"
          "idle = { handler = \"B::h\", provisioned_concurrency = 3 }\n"
          "busy = { handler = \"C::h\", provisioned_concurrency = 1, expected "
          "= { monthly_invocations = 900000000, avg_duration_ms = 1000 } }\n"
          "fat = { handler = \"D::h\", memory_size = 3008, expected = { "
          "monthly_invocations = 1000, avg_duration_ms = 2.5 } }\n"
          "tie = { handler = \"E::h\", memory_size = 2048, expected = { "
          "monthly_invocations = 1000, avg_duration_ms = 0.5 } }\n");
    struct tsk_cost_opts o = {0};
    cJSON *cost = tsk_cost_report(b.m, NULL, 0, &o, &b.d);
    assert_string_equal(
        advice_of(cost, "api", "provisioned_vs_warmup"),
        "provisioned concurrency (2) adds $5.06 a month at the declared "
        "2,000,000 invocations; warm-up pings would cost $0.01. It pays for "
        "itself from 26,280,000 invocations a month (120 ms each).");
    assert_string_equal(
        advice_of(cost, "idle", "provisioned_vs_warmup"),
        "provisioned concurrency (3) costs $8.21 a month with no traffic; "
        "warm-up pings every 5 minutes for 3 instance(s) would cost $0.02. "
        "Declare expected = { monthly_invocations, avg_duration_ms } for a "
        "break-even figure.");
    assert_string_equal(
        advice_of(cost, "busy", "provisioned_vs_warmup"),
        "provisioned concurrency (1) is cheaper than on-demand at the "
        "declared 900,000,000 invocations (break-even 1,576,800 a month, "
        "1000 ms each).");
    assert_string_equal(
        advice_of(cost, "fat", "memory"),
        "memory_size 3008 MB is far above a 2 ms duration profile: measure "
        "with 512 or 1024 MB, which would cost 17% or 34% of the duration "
        "charge if the duration stayed the same.");
    assert_string_equal(
        advice_of(cost, "tie", "memory"),
        "memory_size 2048 MB is far above a 0 ms duration profile: measure "
        "with 512 or 1024 MB, which would cost 25% or 50% of the duration "
        "charge if the duration stayed the same.");
    cJSON_Delete(cost);
    done(&b);
}

/* A run whose text does not parse (a damaged object) renders no rows. */
static void test_damaged_run(void **st)
{
    (void)st;
    cJSON *cost = cJSON_Parse(
        "{\"region\":\"us-east-1\",\"prices_date\":\"d\",\"monthly_diff\":0,"
        "\"functions\":[],\"advice\":[]}");
    cJSON *run = cJSON_CreateRaw("{\"function\":");
    run->valueint = 1;
    cJSON_AddItemToArray(cJSON_GetObjectItem(cost, "functions"), run);
    cJSON *adv = cJSON_CreateRaw("{]");
    adv->valueint = 1;
    cJSON_AddItemToArray(cJSON_GetObjectItem(cost, "advice"), adv);
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_cost_render_text(&b, cost, 0, 0);
    assert_non_null(strstr(b.ptr, "  total "));
    assert_non_null(strstr(b.ptr, "Cost advice"));
    tsk_buf_release(&b);
    cJSON_Delete(cost);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs),
        cmocka_unit_test(test_runs_around_a_change),
        cmocka_unit_test(test_before_from_objects),
        cmocka_unit_test(test_advice_messages),
        cmocka_unit_test(test_damaged_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

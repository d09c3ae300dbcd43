/*
 * test_model_errors.c - what the model rejects, and where: unknown keys
 * with a did-you-mean, wrong types and out-of-range values with the allowed
 * range, unresolved references with the defined names, providers that are
 * not supported yet; every error of a configuration in one run; and bad
 * shapes that must not crash. Positions are counted by hand.
 */
#include "model_helpers.h"

#define E TSK_SEV_ERROR
#define W TSK_SEV_WARNING
#define HEAD                                                                   \
    "[serverless_architecture]\nprovider = \"local\"\nruntime = \"x\"\n"

static void test_unknown_keys(void **state)
{
    struct built b;
    (void)state;
    build(&b, HEAD "memry_size = 512\n"                       /* 4 */
                   "[serverless_architecture.functions]\n"    /* 5 */
                   "a = { handler = \"A::h\", timeot = 3 }\n" /* 6 */
                   "[cold_start_optimization]\n"              /* 7 */
                   "zzz = 1\n"                                /* 8 */
                   "[serverles_monitoring]\n");               /* 9 */
    assert_int_equal(b.rc, TSK_ERROR);
    assert_diag(&b, E, 4, 1, "unknown key \"memry_size\"");
    assert_diag(&b, E, 4, 1, "did you mean \"memory_size\"?");
    assert_diag(&b, E, 6, 25,
                "unknown key \"timeot\" in "
                "[serverless_architecture.functions.a]");
    assert_diag(&b, E, 6, 25, "did you mean \"timeout\"?");
    assert_diag(&b, E, 8, 1, "valid keys: enabled, pre_warming");
    assert_diag(&b, E, 9, 2, "did you mean \"serverless_monitoring\"?");
    assert_int_equal(b.d.nerr, 4); /* all of them, in one run */
    done(&b);
}

static void test_ranges_and_types(void **state)
{
    struct built b;
    (void)state;
    build(&b, HEAD "memory_size = 64\n"                                  /* 4 */
                   "timeout = \"30\"\n"                                  /* 5 */
                   "[serverless_architecture.functions]\n"               /* 6 */
                   "a = { handler = \"A::h\", timeout = 901,\n"          /* 7 */
                   "      architecture = \"arm\", memory_size = 1.5 }\n" /* 8 */
                   "[serverless_monitoring.tracing]\n"                   /* 9 */
                   "sampling_rate = 1.5\n"); /* 10 */
    assert_diag(&b, E, 4, 15,
                "memory_size = 64 is out of range: allowed "
                "128..10240 MB");
    assert_diag(&b, E, 5, 11,
                "timeout must be an integer (1..900 s), not a "
                "string");
    assert_diag(&b, E, 7, 35, "allowed 1..900 s");
    assert_diag(&b, E, 8, 22, "is not one of: x86_64, arm64");
    assert_diag(&b, E, 8, 22, "did you mean \"arm64\"?");
    assert_diag(&b, E, 8, 43, "memory_size must be an integer");
    assert_diag(&b, E, 10, 17, "allowed 0..1");
    assert_int_equal(b.d.nerr, 6);
    done(&b);
}

static void test_batch_sizes_per_kind(void **state)
{
    struct built b;
    (void)state;
    build(&b, HEAD "[serverless_architecture.events]\n"                 /* 4 */
                   "sqs = { queue = \"q\", batch_size = 20 }\n"         /* 5 */
                   "kinesis = { stream = \"s\", batch_size = 20000 }\n" /* 6 */
                   "nightly = { type = \"schedule\", schedule = "
                   "\"rate(1 day)\", batch_size = 5 }\n" /* 7 */
                   "big = { type = \"sqs\", queue = \"q\", batch_size = 500, "
                   "maximum_batching_window = 5 }\n"                   /* 8 */
                   "ddb = { type = \"dynamodb\", batch_size = 0 }\n"); /* 9 */
    assert_diag(&b, E, 5, 35,
                "sqs batch_size above 10 needs "
                "maximum_batching_window");
    assert_diag(&b, E, 6, 40, "allowed 1..10000");
    assert_diag(&b, E, 7, 58,
                "\"batch_size\" does not apply to a schedule "
                "event source");
    assert_diag(&b, E, 9, 1, "needs stream");
    assert_diag(&b, E, 9, 41, "batch_size = 0 is out of range");
    assert_int_equal(b.d.nerr, 5);
    done(&b);
}

static void test_schedules(void **state)
{
    struct built b;
    (void)state;
    build(&b,
          HEAD "[serverless_architecture.events]\n" /* 4 */
               "a = { type = \"schedule\", schedule = \"rate(1 minutes)\" }\n"
               "b = { type = \"schedule\", schedule = \"cron(0 2 * * ?)\" }\n"
               "c = { type = \"schedule\", schedule = \"every day\" }\n"
               "d = { type = \"schedule\", schedule = \"rate(2 hours)\" }\n"
               "e = { type = \"schedule\" }\n" /* 9 */
               "f = { type = \"timer\" }\n");  /* 10 */
    assert_diag(&b, E, 5, 37, "use the singular unit");
    assert_diag(&b, E, 6, 37, "cron takes 6 fields");
    assert_diag(&b, E, 7, 37, "not a valid schedule expression");
    assert_diag(&b, E, 9, 1, "schedule event source \"e\" has no schedule");
    assert_diag(&b, E, 10, 14, "type \"timer\" is not one of: http, s3");
    assert_int_equal(b.d.nerr, 5);
    done(&b);
}

static void test_references(void **state)
{
    struct built b;
    (void)state;
    build(&b, HEAD
          "[serverless_architecture.functions]\n" /* 4 */
          "orders = { handler = \"O::h\", events = [\"http\", \"sqss\"] }\n"
          "[serverless_architecture.events]\n"    /* 6 */
          "http = { authorizer = \"cognito\" }\n" /* 7 */
          "sqs = { queue = \"q\" }\n"             /* 8 */
          "[event_driven_serverless.events]\n"    /* 9 */
          "e = { source = \"s\", targets = [\"welcome-emial\", "
          "\"orders\", \"zzz\"] }\n"                           /* 10 */
          "[event_driven_serverless.handlers]\n"               /* 11 */
          "welcome_email = { function = \"E::s\" }\n"          /* 12 */
          "[serverless_monitoring.budgets]\n"                  /* 13 */
          "order = { amount = 5 }\n"                           /* 14 */
          "x = { amount = 5, function = \"welcome_email\" }\n" /* 15 */
          "[serverless_architecture.pre_warming]\n"            /* 16 */
          "ordrs = { enabled = false }\n");                    /* 17 */
    assert_diag(&b, E, 5, 48,
                "names event source \"sqss\", which is not "
                "defined");
    assert_diag(&b, E, 5, 48,
                "defined in [serverless_architecture.events]: "
                "http, sqs");
    assert_diag(&b, E, 7, 23, "authorizer \"cognito\" is not defined");
    assert_diag(&b, E, 10, 32, "did you mean \"welcome_email\"?");
    assert_diag(&b, E, 10, 59,
                "targets \"zzz\", which is neither a handler "
                "nor a function");
    assert_diag(&b, E, 14, 1, "budget \"order\" names function \"order\"");
    assert_diag(&b, E, 14, 1, "did you mean \"orders\"?");
    assert_diag(&b, E, 17, 1, "names function \"ordrs\"");
    assert_int_equal(b.d.nerr, 6); /* "orders" and budget x resolve */
    done(&b);
}

static void test_providers(void **state)
{
    static const char *const later[] = {"google_cloud_functions",
                                        "azure_functions", "vercel"};
    char text[128];
    struct built b;
    (void)state;
    for (int i = 0; i < 3; i++) {
        snprintf(text, sizeof(text),
                 "[serverless_architecture]\n"
                 "provider = \"%s\"\n",
                 later[i]);
        build(&b, text);
        assert_int_equal(b.rc, TSK_ERROR);
        assert_int_equal(b.d.nerr, 1);
        assert_diag(&b, E, 2, 12,
                    "is not supported yet (supported: local, "
                    "aws)");
        done(&b);
    }
    build(&b, "[serverless_architecture]\nprovider = \"awz\"\n");
    assert_diag(&b, E, 2, 12, "unknown provider \"awz\"");
    assert_diag(&b, E, 2, 12, "did you mean \"aws\"?");
    done(&b);
    build(&b, "[serverless_architecture]\nruntime = \"x\"\n");
    assert_diag(&b, E, 1, 2, "has no provider"); /* the header name */
    done(&b);
    build(&b, "[serverless_architecture]\nprovider = \"aws\"\n");
    assert_clean(&b); /* lowering, not the model, says aws is not ready */
    assert_int_equal(b.m->provider, TSK_MODEL_PROVIDER_AWS);
    done(&b);
}

static void test_required_and_conflicts(void **state)
{
    struct built b;
    (void)state;
    build(&b, "[serverless_architecture]\nprovider = \"local\"\n" /* 1-2 */
              "[serverless_architecture.functions]\n"             /* 3 */
              "a = { events = [] }\n"                             /* 4 */
              "b = { handler = \"B::h\", runtime = \"x\", "
              "reserved_concurrency = 2, provisioned_concurrency = 3 }\n"
              "[serverless_architecture.authorizers]\n"           /* 6 */
              "jwt = { issuer = \"http://id\", audience = [] }\n" /* 7 */
              "[event_driven_serverless.handlers]\n"              /* 8 */
              "b = { function = \"X::y\", runtime = \"x\" }\n"    /* 9 */
              "c = { runtime = \"x\" }\n"                         /* 10 */
              "[cold_start_optimization.strategies]\n"            /* 11 */
              "keep_warm = { min_instances = 9, max_instances = 2 }\n");
    assert_diag(&b, E, 4, 1, "function \"a\" has no handler");
    assert_diag(&b, E, 4, 1, "\"a\" has no runtime");
    assert_diag(&b, E, 5, 92,
                "provisioned concurrency 3 of \"b\" is above "
                "its reserved_concurrency of 2");
    assert_diag(&b, E, 7, 18, "issuer must be an https:// URL");
    assert_diag(&b, E, 7, 42, "audience must name at least one");
    assert_diag(&b, E, 9, 1,
                "handler \"b\" has the same name as function "
                "\"b\"");
    assert_diag(&b, E, 10, 1, "handler \"c\" has no function");
    assert_diag(&b, E, 12, 31, "min_instances 9 is above max_instances 2");
    assert_int_equal(b.d.nerr, 8);
    done(&b);
}

static void test_keys_by_context(void **state)
{
    struct built b;
    (void)state;
    /* function-only and handler-only keys */
    build(&b, HEAD "[serverless_architecture.functions]\n"           /* 4 */
                   "f = { handler = \"F::f\", retry_policy = {} }\n" /* 5 */
                   "[event_driven_serverless.handlers]\n"            /* 6 */
                   "h = { function = \"H::h\", events = [] }\n");    /* 7 */
    assert_diag(&b, E, 5, 25, "\"retry_policy\" does not apply to a function");
    assert_diag(&b, E, 7, 26, "\"events\" does not apply to a handler");
    assert_int_equal(b.d.nerr, 2);
    done(&b);
}

static void test_environment_names(void **state)
{
    struct built b;
    (void)state;
    build(&b, HEAD "environment = { OK_1 = \"a\", \"my-var\" = \"b\", "
                   "\"1X\" = \"c\" }\n"); /* 4 */
    assert_diag(&b, E, 4, 29,
                "environment variable name \"my-var\" is not "
                "valid");
    assert_diag(&b, E, 4, 45, "\"1X\" is not valid");
    assert_int_equal(b.d.nerr, 2);
    done(&b);
}

static void test_warnings(void **state)
{
    struct built b;
    (void)state;
    build(&b, "[serverless_architecture]\nprovider = \"local\"\n"
              "[serverless_monitoring]\ncost_monitoring = true\n"      /* 3-4 */
              "[serverless_monitoring.cost]\nbudget_alerts = true\n"); /* 6 */
    assert_int_equal(b.rc, 0); /* warnings only */
    assert_int_equal(b.d.nwarn, 1);
    assert_diag(&b, W, 6, 17, "no budget is defined");
    done(&b);
}

/* Shapes the schema does not expect: errors, never a crash. */
static void test_bad_shapes(void **state)
{
    static const char *const texts[] = {
        "serverless_architecture = 5\n",
        "[serverless_architecture]\nprovider = 7\nfunctions = [1, 2]\n"
        "events = \"x\"\nauthorizers = { a = 1 }\npre_warming = { f = 2 }\n",
        "[serverless_architecture]\nprovider = \"local\"\n"
        "[serverless_architecture.functions]\na = 1\nb = { events = \"x\", "
        "environment = { K = [1] }, tags = { t = 1 }, layers = [1, \"\"], "
        "expected = 3, sensitive = [\"K\"] }\n"
        "[serverless_architecture.events]\nx = 1\ny = { type = 5 }\n"
        "z = { }\n",
        "[event_driven_serverless]\nevents = 1\nhandlers = { h = 1, "
        "g = { retry_policy = 1 } }\n[serverless_architecture]\n"
        "provider = null\n",
        "[event_driven_serverless.events]\ne = { targets = [1, null] }\n"
        "[cold_start_optimization]\nstrategies = 1\noptimization = { a = 1 }\n"
        "[serverless_monitoring]\nbudgets = { b = 1, c = { function = 2 } }\n"
        "tracing = []\n[debug]\noutput = 1\nlog_level = \"loud\"\n",
        "x = 1\ny = \"\"\n",
        "",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct built b;
        build(&b, texts[i]);
        assert_int_equal(b.rc, TSK_ERROR);
        assert_true(b.d.nerr > 0);
        done(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_ranges_and_types),
        cmocka_unit_test(test_batch_sizes_per_kind),
        cmocka_unit_test(test_schedules),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_providers),
        cmocka_unit_test(test_required_and_conflicts),
        cmocka_unit_test(test_keys_by_context),
        cmocka_unit_test(test_environment_names),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_bad_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

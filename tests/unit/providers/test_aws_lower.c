/*
 * test_aws_lower.c - lowering the serverless model to AWS types: names
 * (SERVICE-KEY, verbatim queues), runtime mapping and its errors, the
 * least-privilege role policy, event source mappings and their references,
 * the dead-letter queue, provisioned concurrency, sensitive environment
 * paths, code hashes, and a graph that passes the schema checks.
 */
#include "aws_lower_fx.h"

static int setup(void **state)
{
    (void)state;
    return low_setup("/tmp/tsk-awsl-XXXXXX");
}

/* Loads text (%s is replaced by the code folder) and lowers it. */
static void lower(struct low *l, const char *fmt)
{
    low_load(l, fmt);
}

static const cJSON *attrs(struct low *l, const char *addr)
{
    uint32_t n = tsk_graph_find(&l->g, addr);
    if (n == UINT32_MAX)
        fail_msg("no node %s", addr);
    return l->g.nodes.v[n].attrs;
}

static const char *ref_target(struct low *l, const char *addr, const char *a)
{
    uint32_t n = tsk_graph_find(&l->g, addr);
    assert_int_not_equal(n, UINT32_MAX);
    const struct tsk_ref *r = tsk_graph_ref_of(&l->g, n, a);
    return r ? l->g.nodes.v[r->target].addr : NULL;
}

static const char *shop =
    "[serverless_architecture]\n"
    "provider = \"aws_lambda\"\n"
    "service = \"shop\"\n"
    "runtime = \"php:8.4\"\n"
    "region = \"eu-west-1\"\n"
    "memory_size = 512\n"
    "timeout = 30\n"
    "[serverless_architecture.functions]\n"
    "api = { handler = \"A::h\", source = \"%s\", events = [\"sqs\", "
    "\"dynamodb\"], layers = [\"arn:aws:lambda:eu-west-1:1:layer:php-84:1\"],"
    " environment = { KEY = \"s3cret\", STAGE = \"p\" }, sensitive = "
    "[\"KEY\"], reserved_concurrency = 5 }\n"
    "py = { handler = \"app.handler\", source = \"%s\", runtime = "
    "\"python:3.12\", events = [\"kinesis\"], provisioned_concurrency = 2 }\n"
    "[serverless_architecture.events]\n"
    "sqs = { queue = \"orders\", batch_size = 7 }\n"
    "dynamodb = { stream = \"users\", batch_size = 100 }\n"
    "kinesis = { stream = \"arn:aws:kinesis:eu-west-1:1:stream/clicks\" }\n"
    "[event_driven_serverless]\n"
    "enabled = true\n"
    "dead_letter_queue = \"dlq\"\n"
    "[event_driven_serverless.handlers]\n"
    "notify = { function = \"N::h\", source = \"%s\" }\n";

static void test_aws_lower__functions_and_names(void **state)
{
    (void)state;
    struct low l;
    lower(&l, shop);
    if (l.rc)
        tsk_diags_print(&l.d, stderr, 0);
    assert_int_equal(l.rc, 0);
    const cJSON *api = attrs(&l, "aws_lambda_function.api");
    assert_string_equal(aws__jstr(api, "function_name"), "shop-api");
    assert_string_equal(aws__jstr(api, "runtime"), "provided.al2023");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItem(api, "layers"), 0)->valuestring,
        "arn:aws:lambda:eu-west-1:1:layer:php-84:1");
    assert_int_equal((int)aws__jnum(api, "memory_size", 0), 512);
    assert_int_equal((int)aws__jnum(api, "reserved_concurrent_executions", 0),
                     5);
    assert_string_equal(ref_target(&l, "aws_lambda_function.api", "role"),
                        "aws_iam_role.api");
    /* the code hash is the deterministic zip's */
    struct tsk_buf z = TSK_BUF_INIT;
    assert_int_equal(tsk_aws_zip_source(dir, &z, &l.d), 0);
    char *sha = tsk_aws_code_sha256(z.ptr, z.len);
    assert_string_equal(aws__jstr(api, "source_code_hash"), sha);
    free(sha);
    tsk_buf_release(&z);
    const cJSON *py = attrs(&l, "aws_lambda_function.py");
    assert_string_equal(aws__jstr(py, "runtime"), "python3.12");
    /* the handler is a function of its own, with the dead-letter queue */
    assert_string_equal(aws__jstr(attrs(&l, "aws_lambda_function.notify"),
                                  "function_name"),
                        "shop-notify");
    assert_string_equal(ref_target(&l, "aws_lambda_function.notify",
                                   "dead_letter_target_arn"),
                        "aws_sqs_queue.dlq");
    assert_int_equal((int)aws__jnum(attrs(&l, "aws_sqs_queue.dlq"),
                                    "message_retention_seconds", 0),
                     1209600);
    assert_string_equal(aws__jstr(attrs(&l, "aws_cloudwatch_log_group.api"),
                                  "name"),
                        "/aws/lambda/shop-api");
    /* the sensitive environment value is marked */
    assert_true(tsk_graph_is_sensitive(&l.g,
                                       tsk_graph_find(&l.g,
                                                      "aws_lambda_function.api"),
                                       "environment.variables.KEY"));
    /* and its value is redacted wherever the debug log would show it */
    struct tsk_buf rb = TSK_BUF_INIT;
    tsk_buf_adds(&rb, "{\"Variables\":{\"KEY\":\"s3cret\"}}");
    tsk_redact(&rb);
    assert_null(strstr(rb.ptr, "s3cret"));
    tsk_buf_release(&rb);
    /* the graph passes the schema checks of every type */
    uint32_t *order = NULL;
    int crc = tsk_graph_check(&l.g, &order, &l.d);
    if (crc)
        tsk_diags_print(&l.d, stderr, 0);
    assert_int_equal(crc, 0);
    free(order);
    done(&l);
}

static void test_aws_lower__sources_and_policy(void **state)
{
    (void)state;
    struct low l;
    lower(&l, shop);
    assert_int_equal(l.rc, 0);
    /* sqs: a queue named verbatim, visibility covering the timeout */
    const cJSON *q = attrs(&l, "aws_sqs_queue.orders");
    assert_string_equal(aws__jstr(q, "name"), "orders");
    assert_int_equal((int)aws__jnum(q, "visibility_timeout_seconds", 0), 180);
    assert_string_equal(ref_target(&l, "aws_lambda_event_source_mapping.api_sqs",
                                   "event_source_arn"),
                        "aws_sqs_queue.orders");
    assert_string_equal(ref_target(&l, "aws_lambda_event_source_mapping.api_sqs",
                                   "function_name"),
                        "aws_lambda_function.api");
    assert_int_equal(
        (int)aws__jnum(attrs(&l, "aws_lambda_event_source_mapping.api_sqs"),
                       "batch_size", 0),
        7);
    /* dynamodb by table name: looked up at create */
    const cJSON *dd = attrs(&l, "aws_lambda_event_source_mapping.api_dynamodb");
    assert_string_equal(aws__jstr(dd, "source_table"), "users");
    assert_null(cJSON_GetObjectItem(dd, "event_source_arn"));
    assert_string_equal(aws__jstr(dd, "starting_position"), "LATEST");
    /* kinesis by ARN: used as it is */
    assert_string_equal(
        aws__jstr(attrs(&l, "aws_lambda_event_source_mapping.py_kinesis"),
                  "event_source_arn"),
        "arn:aws:kinesis:eu-west-1:1:stream/clicks");
    /* least privilege: exactly the sources of each function */
    const cJSON *pol = cJSON_GetArrayItem(
        cJSON_GetObjectItem(attrs(&l, "aws_iam_role.api"), "inline_policy"), 0);
    const char *doc = aws__jstr(pol, "policy");
    assert_non_null(strstr(doc, "arn:aws:sqs:eu-west-1:*:orders"));
    assert_non_null(strstr(doc, "arn:aws:dynamodb:eu-west-1:*:table/users/"
                                "stream/*"));
    assert_non_null(
        strstr(doc, "arn:aws:logs:eu-west-1:*:log-group:/aws/lambda/shop-api:*"));
    assert_null(strstr(doc, "kinesis"));
    assert_null(strstr(doc, "SendMessage"));
    assert_null(strstr(doc, "\"*\""));
    const char *npol = aws__jstr(
        cJSON_GetArrayItem(cJSON_GetObjectItem(attrs(&l, "aws_iam_role.notify"),
                                               "inline_policy"),
                           0),
        "policy");
    assert_non_null(strstr(npol, "sqs:SendMessage"));
    assert_non_null(strstr(npol, "arn:aws:sqs:eu-west-1:*:dlq"));
    /* provisioned concurrency: alias + config, referring to each other */
    assert_string_equal(aws__jstr(attrs(&l, "aws_lambda_alias.py"), "name"),
                        "live");
    assert_string_equal(ref_target(&l, "aws_lambda_alias.py",
                                   "source_code_hash"),
                        "aws_lambda_function.py");
    assert_string_equal(
        ref_target(&l, "aws_lambda_provisioned_concurrency_config.py",
                   "qualifier"),
        "aws_lambda_alias.py");
    assert_int_equal(
        (int)aws__jnum(attrs(&l, "aws_lambda_provisioned_concurrency_config.py"),
                       "provisioned_concurrent_executions", 0),
        2);
    assert_int_equal(tsk_graph_find(&l.g,
                                    "aws_lambda_provisioned_concurrency_config"
                                    ".api"),
                     UINT32_MAX);
    done(&l);
}

static void test_aws_lower__errors(void **state)
{
    (void)state;
    struct low l;
    lower(&l, "[serverless_architecture]\nprovider = \"aws\"\n"
              "runtime = \"cobol:85\"\n"
              "[serverless_architecture.functions]\n"
              "a = { handler = \"h\", source = \"%s\" }\n"
              "b = { handler = \"h\", runtime = \"python:3.12\" }\n");
    assert_int_not_equal(l.rc, 0);
    int runtime = 0, source = 0;
    for (size_t i = 0; i < l.d.v.n; i++) {
        const struct tsk_diag *g = &l.d.v.v[i];
        if (strstr(g->summary, "\"cobol:85\" has no AWS Lambda equivalent") &&
            g->pos.line == 5)
            runtime = 1;
        if (strstr(g->summary, "b: no `source`") && g->pos.line == 6)
            source = 1;
    }
    if (!(runtime && source))
        tsk_diags_print(&l.d, stderr, 0);
    assert_true(runtime && source);
    /* nothing is lowered for a function in error */
    assert_int_equal(tsk_graph_find(&l.g, "aws_lambda_function.a"),
                     UINT32_MAX);
    done(&l);
}

static void test_aws_lower__runtime_ids(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"php:8.4", "provided.al2023"}, {"php", "provided.al2023"},
        {"python:3.12", "python3.12"},  {"python3.13", "python3.13"},
        {"nodejs:20", "nodejs20.x"},    {"node:22.1", "nodejs22.x"},
        {"nodejs20.x", "nodejs20.x"},   {"java:21", "java21"},
        {"ruby:3.3", "ruby3.3"},        {"dotnet:8", "dotnet8"},
        {"go:1.22", "provided.al2023"}, {"provided.al2", "provided.al2"},
        {"python:2.7", NULL},           {"cobol", NULL},
        {"", NULL},                     {"python:", NULL},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int custom = 0;
        const char *got = tsk_aws_runtime_id(cases[i][0], &custom, buf,
                                             sizeof(buf));
        if ((got == NULL) != (cases[i][1] == NULL) ||
            (got && strcmp(got, cases[i][1]) != 0))
            fail_msg("%s: got %s, want %s", cases[i][0], got ? got : "NULL",
                     cases[i][1] ? cases[i][1] : "NULL");
    }
    int custom = 0;
    tsk_aws_runtime_id("php:8.3", &custom, buf, sizeof(buf));
    assert_int_equal(custom, 1);
    tsk_aws_runtime_id("python:3.12", &custom, buf, sizeof(buf));
    assert_int_equal(custom, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_lower__functions_and_names),
        cmocka_unit_test(test_aws_lower__sources_and_policy),
        cmocka_unit_test(test_aws_lower__errors),
        cmocka_unit_test(test_aws_lower__runtime_ids),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

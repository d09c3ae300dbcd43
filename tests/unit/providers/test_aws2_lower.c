/*
 * test_aws2_lower.c - lowering of the part II families to AWS types: a
 * custom bus (rules on it, their ARNs in the DLQ policy) versus the
 * default one (no bus node), handler targets with retries unchanged
 * (0 stays 0) and the DLQ, the backoff warning, schedules and warm-up
 * (interval rounded up to whole minutes with a warning, concurrency in the
 * input), one HTTP API with routes behind the JWT authorizer, one bucket
 * notification merging two functions, alarms, budgets, sampling and
 * autoscaling; every graph passes the schema checks. No emulator needed.
 */
#include "aws_lower_fx.h"

static int setup(void **state)
{
    (void)state;
    return low_setup("/tmp/tsk-aws2l-XXXXXX");
}

/* Loads text (each %s is the code folder), lowers and checks it. */
static void lower(struct low *l, const char *fmt)
{
    low_load(l, fmt);
    if (l->rc)
        tsk_diags_print(&l->d, stderr, 0);
    assert_int_equal(l->rc, 0);
    uint32_t *order = NULL;
    int crc = tsk_graph_check(&l->g, &order, &l->d);
    if (crc)
        tsk_diags_print(&l->d, stderr, 0);
    assert_int_equal(crc, 0);
    free(order);
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

static int count(struct low *l, const char *type)
{
    int n = 0;
    for (size_t i = 0; i < l->g.nodes.n; i++)
        n += strcmp(l->g.nodes.v[i].type, type) == 0;
    return n;
}

static int warned(struct low *l, const char *text)
{
    for (size_t i = 0; i < l->d.v.n; i++)
        if (strstr(l->d.v.v[i].summary, text))
            return 1;
    return 0;
}

static const char *routing =
    "[serverless_architecture]\n"
    "provider = \"aws\"\n"
    "service = \"svc\"\n"
    "runtime = \"python:3.12\"\n"
    "region = \"eu-west-1\"\n"
    "[serverless_architecture.functions]\n"
    "api = { handler = \"app.handler\", source = \"%s\", events = [\"http\", "
    "\"s3\", \"nightly\"] }\n"
    "img = { handler = \"app.handler\", source = \"%s\", events = [\"s3\"] }\n"
    "[serverless_architecture.events]\n"
    "http = { cors = true, authorizer = \"jwt\" }\n"
    "s3 = { bucket = \"uploads\", events = [\"s3:ObjectCreated:*\"] }\n"
    "nightly = { type = \"schedule\", schedule = \"cron(0 1 * * ? *)\" }\n"
    "[serverless_architecture.authorizers]\n"
    "jwt = { type = \"jwt\", issuer = \"https://id.example.com\", "
    "audience = [\"web\"] }\n"
    "[event_driven_serverless]\n"
    "enabled = true\n"
    "event_bus = \"%BUS%\"\n"
    "dead_letter_queue = \"dlq\"\n"
    "[event_driven_serverless.events]\n"
    "paid = { source = \"pay\", detail_type = \"Paid\", targets = "
    "[\"mail-out\"] }\n"
    "[event_driven_serverless.handlers]\n"
    "mail_out = { function = \"app.handler\", source = \"%s\", "
    "retry_policy = { max_attempts = 0, backoff = \"linear\" } }\n"
    "[cold_start_optimization]\n"
    "enabled = true\n"
    "pre_warming = true\n"
    "[cold_start_optimization.strategies]\n"
    "pre_warming = { enabled = true, interval = 90, concurrency = 3 }\n"
    "[serverless_architecture.pre_warming]\n"
    "img = { enabled = false }\n";

static char *with_bus(const char *bus)
{
    const char *at = strstr(routing, "%BUS%");
    return tsk_xasprintf("%.*s%s%s", (int)(at - routing), routing, bus, at + 5);
}

static void test_aws2_lower__custom_bus(void **state)
{
    (void)state;
    struct low l;
    char *text = with_bus("orders-bus");
    lower(&l, text);
    const cJSON *bus = attrs(&l, "aws_cloudwatch_event_bus.orders-bus");
    assert_string_equal(aws__jstr(bus, "name"), "orders-bus");
    assert_string_equal(
        ref_target(&l, "aws_cloudwatch_event_rule.paid", "event_bus_name"),
        "aws_cloudwatch_event_bus.orders-bus");
    const cJSON *r = attrs(&l, "aws_cloudwatch_event_rule.paid");
    assert_string_equal(aws__jstr(r, "name"), "svc-paid");
    assert_string_equal(aws__jstr(r, "event_pattern"),
                        "{\"source\":[\"pay\"],\"detail-type\":[\"Paid\"]}");
    /* the handler target: retries 0 stay 0, the DLQ by reference */
    const char *t = "aws_cloudwatch_event_target.paid_mail_out";
    const cJSON *rp = cJSON_GetObjectItem(attrs(&l, t), "retry_policy");
    assert_int_equal((int)aws__jnum(rp, "maximum_retry_attempts", -1), 0);
    assert_string_equal(ref_target(&l, t, "dead_letter_arn"),
                        "aws_sqs_queue.dlq");
    assert_string_equal(ref_target(&l, t, "arn"),
                        "aws_lambda_function.mail_out");
    assert_string_equal(ref_target(&l, t, "event_bus_name"),
                        "aws_cloudwatch_event_rule.paid");
    assert_string_equal(
        ref_target(&l, "aws_lambda_permission.mail_out_paid", "source_arn"),
        "aws_cloudwatch_event_rule.paid");
    /* the rule's ARN on the custom bus is in the DLQ policy */
    const char *pol =
        aws__jstr(attrs(&l, "aws_sqs_queue_policy.dlq"), "policy");
    assert_non_null(
        strstr(pol, "arn:aws:events:eu-west-1:*:rule/orders-bus/svc-paid"));
    assert_true(warned(&l, "backoff = \"linear\""));
    done(&l);
    free(text);

    text = with_bus("default");
    lower(&l, text);
    assert_int_equal(count(&l, "aws_cloudwatch_event_bus"), 0);
    assert_string_equal(aws__jstr(attrs(&l, "aws_cloudwatch_event_rule.paid"),
                                  "event_bus_name"),
                        "default");
    done(&l);
    free(text);
}

static void test_aws2_lower__schedules_http_s3(void **state)
{
    (void)state;
    struct low l;
    char *text = with_bus("default");
    lower(&l, text);
    const cJSON *n = attrs(&l, "aws_cloudwatch_event_rule.api_nightly");
    assert_string_equal(aws__jstr(n, "schedule_expression"),
                        "cron(0 1 * * ? *)");
    assert_string_equal(aws__jstr(n, "name"), "svc-api-nightly");
    /* 90 s is not whole minutes: 2 minutes, said in a warning */
    const cJSON *w = attrs(&l, "aws_cloudwatch_event_rule.api_warmup");
    assert_string_equal(aws__jstr(w, "schedule_expression"), "rate(2 minutes)");
    assert_true(warned(&l, "using rate(2 minutes)"));
    assert_string_equal(
        aws__jstr(attrs(&l, "aws_cloudwatch_event_target.api_warmup"), "input"),
        "{\"warmup\":true,\"concurrency\":3}");
    /* handlers warm up too; img switched it off */
    attrs(&l, "aws_cloudwatch_event_rule.mail_out_warmup");
    assert_int_equal(tsk_graph_find(&l.g, "aws_cloudwatch_event_rule."
                                          "img_warmup"),
                     UINT32_MAX);
    /* HTTP: one API, CORS, the route behind the JWT authorizer */
    assert_int_equal(count(&l, "aws_apigatewayv2_api"), 1);
    const cJSON *api = attrs(&l, "aws_apigatewayv2_api.svc");
    assert_non_null(cJSON_GetObjectItem(api, "cors_configuration"));
    const char *rt = "aws_apigatewayv2_route.api";
    assert_string_equal(aws__jstr(attrs(&l, rt), "route_key"),
                        "ANY /api/{proxy+}");
    assert_string_equal(ref_target(&l, rt, "authorizer_id"),
                        "aws_apigatewayv2_authorizer.jwt");
    assert_string_equal(ref_target(&l, rt, "target"),
                        "aws_apigatewayv2_integration.api");
    assert_string_equal(
        aws__jstr(attrs(&l, "aws_apigatewayv2_stage.svc"), "name"), "$default");
    assert_string_equal(
        ref_target(&l, "aws_lambda_permission.api_http", "source_arn"),
        "aws_apigatewayv2_api.svc");
    /* S3: one notification for the bucket, both functions in it */
    const cJSON *nt = attrs(&l, "aws_s3_bucket_notification.uploads");
    const cJSON *lf = cJSON_GetObjectItem(nt, "lambda_function");
    assert_int_equal(cJSON_GetArraySize(lf), 2);
    assert_string_equal(aws__jstr(cJSON_GetArrayItem(lf, 1), "function_name"),
                        "svc-img");
    assert_string_equal(
        aws__jstr(attrs(&l, "aws_lambda_permission.img_s3"), "source_arn"),
        "arn:aws:s3:::uploads");
    /* nothing of the monitoring section when it is absent */
    assert_int_equal(count(&l, "aws_cloudwatch_metric_alarm"), 0);
    assert_int_equal(count(&l, "aws_xray_sampling_rule"), 0);
    done(&l);
    free(text);
}

static void test_aws2_lower__monitoring(void **state)
{
    (void)state;
    struct low l;
    lower(&l, "[serverless_architecture]\n"
              "provider = \"aws\"\n"
              "runtime = \"python:3.12\"\n"
              "timeout = 10\n"
              "[serverless_architecture.functions]\n"
              "f = { handler = \"app.handler\", source = \"%s\", "
              "provisioned_concurrency = 3 }\n"
              "[cold_start_optimization]\n"
              "enabled = true\n"
              "provisioned_concurrency = true\n"
              "[cold_start_optimization.strategies]\n"
              "provisioned_concurrency = { enabled = true, concurrency = 3, "
              "auto_scaling = true }\n"
              "[serverless_monitoring]\n"
              "enabled = true\n"
              "metrics_collection = true\n"
              "distributed_tracing = true\n"
              "cost_monitoring = true\n"
              "[serverless_monitoring.metrics]\n"
              "error_rate = true\n"
              "duration = true\n"
              "[serverless_monitoring.tracing]\n"
              "sampling_rate = 0.3\n"
              "[serverless_monitoring.cost]\n"
              "budget_alerts = false\n"
              "[serverless_monitoring.budgets]\n"
              "f = { amount = 12.5 }\n");
    assert_int_equal(count(&l, "aws_cloudwatch_metric_alarm"), 3);
    const cJSON *d = attrs(&l, "aws_cloudwatch_metric_alarm.f_duration");
    assert_int_equal((int)aws__jnum(d, "threshold", 0), 9000);
    const cJSON *b = attrs(&l, "aws_budgets_budget.f");
    assert_true(aws__jnum(b, "limit_amount", 0) == 12.5);
    assert_null(cJSON_GetObjectItem(b, "notification")); /* alerts off */
    const cJSON *x = attrs(&l, "aws_xray_sampling_rule.stack");
    assert_true(aws__jnum(x, "fixed_rate", 0) == 0.3);
    assert_string_equal(aws__jstr(x, "service_name"), "*"); /* no service */
    const cJSON *t = attrs(&l, "aws_appautoscaling_target.f");
    assert_string_equal(aws__jstr(t, "resource_id"), "function:f:live");
    assert_int_equal((int)aws__jnum(t, "min_capacity", 0), 3);
    assert_int_equal((int)aws__jnum(t, "max_capacity", 0), 6);
    assert_string_equal(
        ref_target(&l, "aws_appautoscaling_policy.f", "resource_id"),
        "aws_appautoscaling_target.f");
    assert_false(warned(&l, "does not lower it yet"));
    done(&l);
}

static const char *budgets_fmt =
    "[serverless_architecture]\n"
    "provider = \"aws\"\n"
    "runtime = \"python:3.12\"\n"
    "region = \"eu-west-1\"\n"
    "[serverless_architecture.functions]\n"
    "f = { handler = \"app.handler\", source = \"%s\" }\n"
    "[serverless_monitoring]\n"
    "enabled = true\n"
    "cost_monitoring = true\n"
    "[serverless_monitoring.cost]\n"
    "budget_alerts = true\n";

/* budget_alerts: the 80 % and 100 % notifications go to alert_emails (the
 * cost section's, or the budget's own), sorted; none given is an error at
 * lowering, since AWS rejects a notification without a subscriber. */
static void test_aws2_lower__budget_alerts(void **state)
{
    (void)state;
    struct low l;
    char *t =
        tsk_xasprintf("%s%s", budgets_fmt,
                      "alert_emails = [\"ops@example.com\"]\n"
                      "[serverless_monitoring.budgets]\n"
                      "f = { amount = 10 }\n"
                      "g = { amount = 20, function = \"f\", alert_emails = "
                      "[\"z@example.com\", \"a@example.com\"] }\n");
    lower(&l, t);
    free(t);
    const cJSON *n =
        cJSON_GetObjectItem(attrs(&l, "aws_budgets_budget.f"), "notification");
    assert_int_equal(cJSON_GetArraySize(n), 2);
    for (const cJSON *e = n->child; e; e = e->next) {
        const cJSON *s = cJSON_GetObjectItem(e, "subscriber_email_addresses");
        assert_int_equal(cJSON_GetArraySize(s), 1);
        assert_string_equal(s->child->valuestring, "ops@example.com");
    }
    n = cJSON_GetObjectItem(attrs(&l, "aws_budgets_budget.g"), "notification");
    const cJSON *s =
        cJSON_GetObjectItem(n->child->next, "subscriber_email_addresses");
    assert_int_equal(cJSON_GetArraySize(s), 2);
    assert_string_equal(s->child->valuestring, "a@example.com");
    assert_string_equal(s->child->next->valuestring, "z@example.com");
    assert_int_equal((int)aws__jnum(n->child->next, "threshold", 0), 100);
    done(&l);

    /* no address anywhere: a clear error naming the budget and the key */
    t = tsk_xasprintf("%s%s", budgets_fmt,
                      "[serverless_monitoring.budgets]\n"
                      "f = { amount = 10 }\n");
    low_load(&l, t);
    free(t);
    assert_int_not_equal(l.rc, 0);
    assert_true(warned(&l, "budget \"f\": budget_alerts is on, but no "
                           "address is given"));
    done(&l);
}

/* alert_emails is checked by the model: addresses, duplicates, at most 10
 * (AWS Budgets' limit per notification). */
static void test_aws2_lower__alert_emails_checked(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"alert_emails = [\"ops\"]\n", "\"ops\" is not an email address"},
        {"alert_emails = [\"a@b\"]\n", "\"a@b\" is not an email address"},
        {"alert_emails = [\"x@y.io\", \"X@y.io\"]\n",
         "\"X@y.io\" is listed twice"},
        {"alert_emails = [\"1@e.io\", \"2@e.io\", \"3@e.io\", \"4@e.io\", "
         "\"5@e.io\", \"6@e.io\", \"7@e.io\", \"8@e.io\", \"9@e.io\", "
         "\"10@e.io\", \"11@e.io\"]\n",
         "names 11 addresses; AWS Budgets alerts at most 10"},
        {"alert_emails = \"ops@example.com\"\n", "a list of strings"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tsk_doc *doc = NULL;
        struct tsk_model *m = NULL;
        struct tsk_diags d = {0};
        char *t = tsk_xasprintf("%s%s[serverless_monitoring.budgets]\n"
                                "f = { amount = 10 }\n",
                                budgets_fmt, cases[i][0]);
        assert_int_equal(tsk_doc_load_string(&doc, "t.tsk", t, strlen(t), &d),
                         0);
        assert_int_not_equal(tsk_model_build(&m, doc, &d), 0);
        int found = 0;
        for (size_t k = 0; k < d.v.n; k++)
            found |= strstr(d.v.v[k].summary, cases[i][1]) != NULL;
        if (!found)
            tsk_diags_print(&d, stderr, 0);
        assert_true(found);
        tsk_model_free(m);
        tsk_diags_release(&d);
        tsk_doc_free(doc);
        free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws2_lower__custom_bus),
        cmocka_unit_test(test_aws2_lower__schedules_http_s3),
        cmocka_unit_test(test_aws2_lower__monitoring),
        cmocka_unit_test(test_aws2_lower__budget_alerts),
        cmocka_unit_test(test_aws2_lower__alert_emails_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

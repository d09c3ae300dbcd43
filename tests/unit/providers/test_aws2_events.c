/*
 * test_aws2_events.c - the event-routing drivers against the emulator:
 * aws_cloudwatch_event_bus, _event_rule (pattern and schedule),
 * _event_target (retry policy, dead-letter config, input),
 * aws_lambda_permission and aws_sqs_queue_policy are created, read back,
 * changed in place where the type allows it, read again without a prior
 * (import), and deleted, twice.
 */
#include "aws2_fx.h"

static int setup(void **state)
{
    return fx_setup(state, "tev");
}
static int teardown(void **state)
{
    return fx_teardown(state);
}

static void test_aws2_events__bus_rule_target(void **state)
{
    struct fx *f = *state;
    cJSON *bus = NULL, *rule = NULL, *tg = NULL, *q = NULL;
    char *js = tsk_xasprintf("{\"name\":\"%s-bus\",\"tags\":{\"team\":\"a\"}}",
                             f->pfx);
    char *bus_id = create(f, "aws_cloudwatch_event_bus",
                          "aws_cloudwatch_event_bus.b", js, &bus);
    assert_str(bus, "name", aws__jstr(bus, "id"));
    assert_str(cJSON_GetObjectItem(bus, "tags"), "team", "a");
    assert_non_null(strstr(aws__jstr(bus, "arn"), ":event-bus/"));
    free(js);
    js = tsk_xasprintf("{\"name\":\"%s-bus\",\"tags\":{\"team\":\"b\"}}",
                       f->pfx);
    cJSON *bus2 = update(f, "aws_cloudwatch_event_bus",
                         "aws_cloudwatch_event_bus.b", bus_id, bus, js);
    assert_str(cJSON_GetObjectItem(bus2, "tags"), "team", "b");
    free(js);

    /* a rule with a pattern on the custom bus */
    js = tsk_xasprintf("{\"name\":\"%s-r\",\"event_bus_name\":\"%s-bus\","
                       "\"event_pattern\":\"{\\\"source\\\":[\\\"shop\\\"],"
                       "\\\"detail-type\\\":[\\\"Ordered\\\"]}\",\"state\":"
                       "\"ENABLED\"}",
                       f->pfx, f->pfx);
    char *rule_id = create(f, "aws_cloudwatch_event_rule",
                           "aws_cloudwatch_event_rule.r", js, &rule);
    cJSON *want = parse(js);
    assert_subset(rule, want);
    cJSON_Delete(want);
    char *expect_id = tsk_xasprintf("%s-bus/%s-r", f->pfx, f->pfx);
    assert_string_equal(rule_id, expect_id);
    free(expect_id);
    free(js);
    js = tsk_xasprintf("{\"name\":\"%s-r\",\"event_bus_name\":\"%s-bus\","
                       "\"event_pattern\":\"{\\\"source\\\":[\\\"other\\\"]}\","
                       "\"description\":\"changed\",\"state\":\"DISABLED\"}",
                       f->pfx, f->pfx);
    cJSON *rule2 = update(f, "aws_cloudwatch_event_rule",
                          "aws_cloudwatch_event_rule.r", rule_id, rule, js);
    want = parse(js);
    assert_subset(rule2, want);
    cJSON_Delete(want);
    free(js);
    cJSON *imp = read_obj(f, "aws_cloudwatch_event_rule", rule_id, NULL);
    assert_true(cJSON_Compare(imp, rule2, 1));
    cJSON_Delete(imp);

    /* the dead-letter queue and a target with retries into it */
    js = tsk_xasprintf("{\"name\":\"%s-dlq\"}", f->pfx);
    char *q_id = create(f, "aws_sqs_queue", "aws_sqs_queue.dlq", js, &q);
    free(js);
    js = tsk_xasprintf(
        "{\"rule\":\"%s-r\",\"event_bus_name\":\"%s-bus\",\"target_id\":"
        "\"fn\",\"arn\":\"%s\",\"retry_policy\":{\"maximum_event_age_in_"
        "seconds\":86400,\"maximum_retry_attempts\":7},\"dead_letter_arn\":"
        "\"%s\"}",
        f->pfx, f->pfx, f->fn_arn, aws__jstr(q, "arn"));
    char *tg_id = create(f, "aws_cloudwatch_event_target",
                         "aws_cloudwatch_event_target.t", js, &tg);
    want = parse(js);
    assert_subset(tg, want);
    cJSON_Delete(want);
    free(js);
    /* max_attempts 0 is kept as 0, and a constant input is added */
    js = tsk_xasprintf(
        "{\"rule\":\"%s-r\",\"event_bus_name\":\"%s-bus\",\"target_id\":"
        "\"fn\",\"arn\":\"%s\",\"input\":\"{\\\"warmup\\\":true}\","
        "\"retry_policy\":{\"maximum_event_age_in_seconds\":86400,"
        "\"maximum_retry_attempts\":0},\"dead_letter_arn\":"
        "\"%s\"}",
        f->pfx, f->pfx, f->fn_arn, aws__jstr(q, "arn"));
    cJSON *tg2 = update(f, "aws_cloudwatch_event_target",
                        "aws_cloudwatch_event_target.t", tg_id, tg, js);
    want = parse(js);
    assert_subset(tg2, want);
    cJSON_Delete(want);
    free(js);
    imp = read_obj(f, "aws_cloudwatch_event_target", tg_id, NULL);
    assert_true(cJSON_Compare(imp, tg2, 1));
    cJSON_Delete(imp);

    /* the queue policy that lets the rule send dead letters */
    cJSON *qp = NULL;
    js = tsk_xasprintf(
        "{\"queue_url\":\"%s\",\"policy\":\"{\\\"Version\\\":\\\"2012-10-17"
        "\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal"
        "\\\":{\\\"Service\\\":\\\"events.amazonaws.com\\\"},\\\"Action\\\":"
        "\\\"sqs:SendMessage\\\",\\\"Resource\\\":\\\"%s\\\"}]}\"}",
        q_id, aws__jstr(q, "arn"));
    char *qp_id =
        create(f, "aws_sqs_queue_policy", "aws_sqs_queue_policy.p", js, &qp);
    want = parse(js);
    assert_subset(qp, want);
    cJSON_Delete(want);
    delete_gone(f, "aws_sqs_queue_policy", qp_id, qp);
    free(js);

    /* a target that cannot be put is reported, naming the rule's problem */
    struct tsk_rcall c = {f->p, "aws_cloudwatch_event_target.bad", "s"};
    char *id = NULL;
    cJSON *out = NULL,
          *bad = parse("{\"rule\":\"no-such-rule-tsk\","
                       "\"target_id\":\"x\",\"arn\":"
                       "\"arn:aws:lambda:us-east-1:1:function:x\"}");
    assert_int_not_equal(
        type("aws_cloudwatch_event_target")->create(&c, bad, &id, &out, &f->d),
        0);
    assert_true(f->d.nerr > 0);
    assert_null(id);
    tsk_diags_release(&f->d);
    memset(&f->d, 0, sizeof(f->d));
    cJSON_Delete(bad);

    delete_gone(f, "aws_cloudwatch_event_target", tg_id, tg2);
    delete_gone(f, "aws_cloudwatch_event_rule", rule_id, rule2);
    delete_gone(f, "aws_cloudwatch_event_bus", bus_id, bus2);
    struct tsk_rcall qc = {f->p, "aws_sqs_queue.dlq", "teststack"};
    assert_int_equal(type("aws_sqs_queue")->delete (&qc, q_id, q, &f->d), 0);
    cJSON_Delete(bus);
    cJSON_Delete(bus2);
    cJSON_Delete(rule);
    cJSON_Delete(rule2);
    cJSON_Delete(tg);
    cJSON_Delete(tg2);
    cJSON_Delete(q);
    cJSON_Delete(qp);
    free(bus_id);
    free(rule_id);
    free(tg_id);
    free(q_id);
    free(qp_id);
}

static void test_aws2_events__schedule_permission(void **state)
{
    struct fx *f = *state;
    cJSON *rule = NULL, *pm = NULL;
    char *js = tsk_xasprintf("{\"name\":\"%s-warm\",\"event_bus_name\":"
                             "\"default\",\"schedule_expression\":"
                             "\"rate(5 minutes)\",\"state\":\"ENABLED\"}",
                             f->pfx);
    char *rule_id = create(f, "aws_cloudwatch_event_rule",
                           "aws_cloudwatch_event_rule.w", js, &rule);
    cJSON *want = parse(js);
    assert_subset(rule, want);
    cJSON_Delete(want);
    free(js);
    char *name = tsk_xasprintf("%s-warm", f->pfx);
    assert_string_equal(rule_id, name); /* the default bus is implied */
    free(name);
    js = tsk_xasprintf("{\"name\":\"%s-warm\",\"event_bus_name\":\"default\","
                       "\"schedule_expression\":\"rate(10 minutes)\","
                       "\"state\":\"ENABLED\"}",
                       f->pfx);
    cJSON *rule2 = update(f, "aws_cloudwatch_event_rule",
                          "aws_cloudwatch_event_rule.w", rule_id, rule, js);
    assert_str(rule2, "schedule_expression", "rate(10 minutes)");
    free(js);

    js = tsk_xasprintf("{\"statement_id\":\"events-%s-warm\",\"action\":"
                       "\"lambda:InvokeFunction\",\"function_name\":\"%s\","
                       "\"principal\":\"events.amazonaws.com\",\"source_arn\":"
                       "\"%s\"}",
                       f->pfx, f->fn_name, aws__jstr(rule2, "arn"));
    char *pm_id =
        create(f, "aws_lambda_permission", "aws_lambda_permission.w", js, &pm);
    want = parse(js);
    assert_subset(pm, want);
    cJSON_Delete(want);
    cJSON *imp = read_obj(f, "aws_lambda_permission", pm_id, NULL);
    assert_true(cJSON_Compare(imp, pm, 1));
    cJSON_Delete(imp);
    free(js);
    /* a malformed id is an error, not a crash */
    struct tsk_rcall c = {f->p, "aws_lambda_permission.x", "s"};
    cJSON *out = NULL;
    assert_int_not_equal(
        type("aws_lambda_permission")->read(&c, "no-slash", NULL, &out, &f->d),
        0);
    assert_null(out);
    tsk_diags_release(&f->d);
    memset(&f->d, 0, sizeof(f->d));

    delete_gone(f, "aws_lambda_permission", pm_id, pm);
    delete_gone(f, "aws_cloudwatch_event_rule", rule_id, rule2);
    cJSON_Delete(rule);
    cJSON_Delete(rule2);
    cJSON_Delete(pm);
    free(rule_id);
    free(pm_id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws2_events__bus_rule_target),
        cmocka_unit_test(test_aws2_events__schedule_permission),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

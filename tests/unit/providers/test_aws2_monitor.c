/*
 * test_aws2_monitor.c - the monitoring and scaling drivers:
 * aws_cloudwatch_metric_alarm, aws_budgets_budget (notifications changed
 * in place), aws_appautoscaling_target and _policy against the emulator;
 * the budget's UpdateBudget and aws_xray_sampling_rule, which the emulator
 * lacks, through the fault proxy (tests/fakes/aws_fault_proxy.py, started
 * here; AWS_ENDPOINT_URL_BUDGETS / _XRAY point at it, everything else
 * goes to the emulator). The proxy also makes EventBridge answer
 * PutTargets/RemoveTargets with per-entry failures (which the emulator
 * never does), to check that each failed entry is reported.
 */
#include "aws2_fx.h"

#include <signal.h>

static long proxy_pid;
static char proxy_url[64];

static int setup(void **state)
{
    int rc = fx_setup(state, "tmon");
    const char *src = getenv("TSK_SRC");
    if (rc != 0)
        return rc;
    if (!src) {
        fprintf(stderr, "TSK_SRC is not set (the source tree, for the "
                        "fault proxy)\n");
        return -1;
    }
    struct fx *f = *state;
    char *cmd = tsk_xasprintf(
        "python3 '%s/tests/fakes/aws_fault_proxy.py' --upstream '%s' "
        "--port-file '%s/port' >'%s/proxy.log' 2>&1 & echo $! >'%s/pid'",
        src, getenv("TSK_MOTO_URL"), f->dir, f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    char path[96], buf[32] = "";
    for (int i = 0; i < 100; i++) {
        snprintf(path, sizeof(path), "%s/port", f->dir);
        FILE *fp = fopen(path, "r");
        if (fp) {
            if (!fgets(buf, sizeof(buf), fp))
                buf[0] = '\0';
            fclose(fp);
            if (buf[0])
                break;
        }
        usleep(100000);
    }
    snprintf(path, sizeof(path), "%s/pid", f->dir);
    FILE *fp = fopen(path, "r");
    char pid[32] = "";
    if (fp) {
        if (!fgets(pid, sizeof(pid), fp))
            pid[0] = '\0';
        fclose(fp);
    }
    proxy_pid = atol(pid);
    if (!buf[0]) {
        fprintf(stderr, "the fault proxy did not start\n");
        return -1;
    }
    snprintf(proxy_url, sizeof(proxy_url), "http://127.0.0.1:%d", atoi(buf));
    char *url = tsk_xstrdup(proxy_url);
    setenv("AWS_ENDPOINT_URL_BUDGETS", url, 1);
    setenv("AWS_ENDPOINT_URL_XRAY", url, 1);
    free(url);
    return 0;
}

static int teardown(void **state)
{
    if (proxy_pid > 0)
        kill((pid_t)proxy_pid, SIGTERM);
    return fx_teardown(state);
}

static void test_aws2_monitor__alarm(void **state)
{
    struct fx *f = *state;
    cJSON *al = NULL;
    const char *fmt =
        "{\"alarm_name\":\"%s-errors\",\"alarm_description\":\"d\","
        "\"namespace\":\"AWS/Lambda\",\"metric_name\":\"Errors\","
        "\"statistic\":\"Sum\",\"dimensions\":{\"FunctionName\":\"%s\"},"
        "\"period\":300,\"evaluation_periods\":1,\"threshold\":%d,"
        "\"comparison_operator\":\"GreaterThanOrEqualToThreshold\","
        "\"treat_missing_data\":\"notBreaching\",\"tags\":{\"team\":\"%s\"}}";
    char *js = tsk_xasprintf(fmt, f->pfx, f->fn_name, 1, "a");
    char *id = create(f, "aws_cloudwatch_metric_alarm",
                      "aws_cloudwatch_metric_alarm.e", js, &al);
    cJSON *want = parse(js);
    assert_subset(al, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf(fmt, f->pfx, f->fn_name, 5, "b");
    cJSON *al2 = update(f, "aws_cloudwatch_metric_alarm",
                        "aws_cloudwatch_metric_alarm.e", id, al, js);
    want = parse(js);
    assert_subset(al2, want);
    cJSON_Delete(want);
    free(js);
    cJSON *imp = read_obj(f, "aws_cloudwatch_metric_alarm", id, NULL);
    assert_true(cJSON_Compare(imp, al2, 1));
    cJSON_Delete(imp);
    delete_gone(f, "aws_cloudwatch_metric_alarm", id, al2);
    cJSON_Delete(al);
    cJSON_Delete(al2);
    free(id);
}

static void test_aws2_monitor__budget(void **state)
{
    struct fx *f = *state;
    cJSON *b = NULL;
    const char *fmt =
        "{\"name\":\"%s-b\",\"budget_type\":\"COST\",\"limit_amount\":%d,"
        "\"limit_unit\":\"USD\",\"time_unit\":\"MONTHLY\",\"cost_filter\":{"
        "\"TagKeyValue\":[\"user:tuskform:address$aws_lambda_function.fn\"]},"
        "\"notification\":[{\"comparison_operator\":\"GREATER_THAN\","
        "\"notification_type\":\"ACTUAL\",\"threshold\":80,\"threshold_type\":"
        "\"PERCENTAGE\",\"subscriber_email_addresses\":[%s]},"
        "{\"comparison_operator\":\"GREATER_THAN\","
        "\"notification_type\":\"ACTUAL\",\"threshold\":%d,\"threshold_type\":"
        "\"PERCENTAGE\",\"subscriber_email_addresses\":[\"a@example.com\"]}]}";
    const char *one = "\"a@example.com\"",
               *two = "\"a@example.com\",\"b@example.com\"";
    char *js = tsk_xasprintf(fmt, f->pfx, 50, one, 100);
    char *id = create(f, "aws_budgets_budget", "aws_budgets_budget.b", js, &b);
    cJSON *want = parse(js);
    assert_subset(b, want);
    cJSON_Delete(want);
    free(js);
    /* a notification threshold and another's subscribers change (the
     * emulator; subscribers read back through the proxy), then the amount
     * (UpdateBudget: the proxy), which keeps the subscribers */
    js = tsk_xasprintf(fmt, f->pfx, 50, two, 90);
    cJSON *b2 =
        update(f, "aws_budgets_budget", "aws_budgets_budget.b", id, b, js);
    want = parse(js);
    assert_subset(b2, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf(fmt, f->pfx, 75, two, 90);
    cJSON *b3 =
        update(f, "aws_budgets_budget", "aws_budgets_budget.b", id, b2, js);
    assert_int_equal((int)aws__jnum(b3, "limit_amount", 0), 75);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItem(b3, "notification")), 2);
    want = parse(js);
    assert_subset(b3, want);
    cJSON_Delete(want);
    free(js);
    delete_gone(f, "aws_budgets_budget", id, b3);
    cJSON_Delete(b);
    cJSON_Delete(b2);
    cJSON_Delete(b3);
    free(id);
}

static void test_aws2_monitor__scaling_and_sampling(void **state)
{
    struct fx *f = *state;
    cJSON *t = NULL, *p = NULL, *x = NULL;
    const char *tfmt =
        "{\"service_namespace\":\"lambda\",\"resource_id\":\"function:%s:live"
        "\",\"scalable_dimension\":\"lambda:function:ProvisionedConcurrency\","
        "\"min_capacity\":2,\"max_capacity\":%d}";
    char *js = tsk_xasprintf(tfmt, f->fn_name, 10);
    char *tid = create(f, "aws_appautoscaling_target",
                       "aws_appautoscaling_target.t", js, &t);
    cJSON *want = parse(js);
    assert_subset(t, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf(tfmt, f->fn_name, 20);
    cJSON *t2 = update(f, "aws_appautoscaling_target",
                       "aws_appautoscaling_target.t", tid, t, js);
    assert_int_equal((int)aws__jnum(t2, "max_capacity", 0), 20);
    free(js);
    const char *pfmt =
        "{\"name\":\"%s-pc\",\"policy_type\":\"TargetTrackingScaling\","
        "\"service_namespace\":\"lambda\",\"resource_id\":\"function:%s:live\","
        "\"scalable_dimension\":\"lambda:function:ProvisionedConcurrency\","
        "\"target_tracking_scaling_policy_configuration\":{"
        "\"predefined_metric_specification\":{\"predefined_metric_type\":"
        "\"LambdaProvisionedConcurrencyUtilization\"},\"target_value\":%s}}";
    js = tsk_xasprintf(pfmt, f->pfx, f->fn_name, "0.7");
    char *pid = create(f, "aws_appautoscaling_policy",
                       "aws_appautoscaling_policy.p", js, &p);
    want = parse(js);
    assert_subset(p, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf(pfmt, f->pfx, f->fn_name, "0.5");
    cJSON *p2 = update(f, "aws_appautoscaling_policy",
                       "aws_appautoscaling_policy.p", pid, p, js);
    want = parse(js);
    assert_subset(p2, want);
    cJSON_Delete(want);
    free(js);
    delete_gone(f, "aws_appautoscaling_policy", pid, p2);
    delete_gone(f, "aws_appautoscaling_target", tid, t2);

    const char *xfmt =
        "{\"rule_name\":\"%s\",\"priority\":1000,\"fixed_rate\":%s,"
        "\"reservoir_size\":1,\"service_name\":\"%s-*\",\"service_type\":"
        "\"*\",\"host\":\"*\",\"http_method\":\"*\",\"url_path\":\"*\","
        "\"resource_arn\":\"*\",\"version\":1}";
    js = tsk_xasprintf(xfmt, f->pfx, "0.05", f->pfx);
    char *xid =
        create(f, "aws_xray_sampling_rule", "aws_xray_sampling_rule.s", js, &x);
    want = parse(js);
    assert_subset(x, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf(xfmt, f->pfx, "0.25", f->pfx);
    cJSON *x2 = update(f, "aws_xray_sampling_rule", "aws_xray_sampling_rule.s",
                       xid, x, js);
    want = parse(js);
    assert_subset(x2, want);
    cJSON_Delete(want);
    free(js);
    delete_gone(f, "aws_xray_sampling_rule", xid, x2);
    cJSON *all[] = {t, t2, p, p2, x, x2};
    for (size_t i = 0; i < 6; i++)
        cJSON_Delete(all[i]);
    free(tid);
    free(pid);
    free(xid);
}

/* EventBridge through the proxy, which fails every entry of the next
 * PutTargets and RemoveTargets. */
static void test_aws2_monitor__target_entry_failures(void **state)
{
    struct fx *f = *state;
    cJSON *rule = NULL, *tg = NULL;
    char *cmd = tsk_xasprintf(
        "curl -fsS -X POST --data-binary '[{\"kind\": \"failed_entries\", "
        "\"match\": \"AWSEvents.PutTargets\"}, {\"kind\": "
        "\"failed_entries\", \"match\": \"AWSEvents.RemoveTargets\"}]' "
        "%s/__proxy/faults >/dev/null",
        proxy_url);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    setenv("AWS_ENDPOINT_URL_EVENTBRIDGE", proxy_url, 1);
    char *js = tsk_xasprintf("{\"name\":\"%s-fe\",\"event_bus_name\":"
                             "\"default\",\"schedule_expression\":"
                             "\"rate(1 hour)\"}",
                             f->pfx);
    char *rid = create(f, "aws_cloudwatch_event_rule",
                       "aws_cloudwatch_event_rule.fe", js, &rule);
    free(js);
    js = tsk_xasprintf("{\"rule\":\"%s-fe\",\"target_id\":\"fn\","
                       "\"arn\":\"%s\"}",
                       f->pfx, f->fn_arn);
    cJSON *p = parse(js);
    struct tsk_rcall c = {f->p, "aws_cloudwatch_event_target.fe", "s"};
    char *id = NULL;
    assert_int_not_equal(
        type("aws_cloudwatch_event_target")->create(&c, p, &id, &tg, &f->d), 0);
    assert_null(id);
    struct tsk_buf all = TSK_BUF_INIT;
    for (size_t i = 0; i < f->d.v.n; i++)
        tsk_buf_adds(&all, f->d.v.v[i].summary);
    assert_non_null(strstr(all.ptr, "PutTargets failed for target fn"));
    assert_non_null(strstr(all.ptr, "ConcurrentModificationException"));
    tsk_buf_release(&all);
    tsk_diags_release(&f->d);
    memset(&f->d, 0, sizeof(f->d));
    /* now for real, then a RemoveTargets that fails per entry */
    char *tid = create(f, "aws_cloudwatch_event_target",
                       "aws_cloudwatch_event_target.fe", js, &tg);
    assert_int_not_equal(
        type("aws_cloudwatch_event_target")->delete (&c, tid, tg, &f->d), 0);
    assert_true(f->d.nerr > 0);
    assert_non_null(strstr(f->d.v.v[0].summary, "RemoveTargets failed"));
    tsk_diags_release(&f->d);
    memset(&f->d, 0, sizeof(f->d));
    unsetenv("AWS_ENDPOINT_URL_EVENTBRIDGE");
    delete_gone(f, "aws_cloudwatch_event_target", tid, tg);
    delete_gone(f, "aws_cloudwatch_event_rule", rid, rule);
    cJSON_Delete(p);
    cJSON_Delete(rule);
    cJSON_Delete(tg);
    free(js);
    free(rid);
    free(tid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws2_monitor__alarm),
        cmocka_unit_test(test_aws2_monitor__budget),
        cmocka_unit_test(test_aws2_monitor__scaling_and_sampling),
        cmocka_unit_test(test_aws2_monitor__target_entry_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

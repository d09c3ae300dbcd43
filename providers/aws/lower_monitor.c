/*
 * lower_monitor.c - serverless_monitoring and provisioned-concurrency
 * autoscaling on AWS:
 *
 *   metrics        per function, aws_cloudwatch_metric_alarm KEY_errors
 *                  (error_rate: Errors >= 1 in 5 minutes), KEY_throttles
 *                  (Throttles >= 1), KEY_duration (duration: the maximum
 *                  Duration reaching 90 % of the timeout)
 *   budgets        aws_budgets_budget NAME: monthly COST budget filtered on
 *                  the function's tuskform:address tag (the stack's tag
 *                  when the budget names no function), notifications at
 *                  80 % and 100 % of actual spend when budget_alerts is on,
 *                  each to the budget's alert_emails (EMAIL subscribers;
 *                  none given is an error: AWS needs one per notification)
 *   tracing        aws_xray_sampling_rule: sampling_rate for the service's
 *                  functions
 *   auto_scaling   aws_appautoscaling_target (min = the provisioned
 *                  concurrency, max = keep_warm max_instances when larger,
 *                  else twice the minimum) + aws_appautoscaling_policy
 *                  (target tracking at 70 % utilisation)
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

#define PERIOD 300
#define PC_TARGET 0.7
#define PC_DIMENSION "lambda:function:ProvisionedConcurrency"

static void alarm(struct aws_lower *L, size_t i, const char *what,
                  const char *metric, const char *stat, double threshold,
                  const char *desc)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = aws__obj(), *dim = aws__obj();
    char *name = tsk_xasprintf("%s-%s", f->name, what);
    aws__str(a, "alarm_name", name);
    aws__str(a, "alarm_description", desc);
    aws__str(a, "namespace", "AWS/Lambda");
    aws__str(a, "metric_name", metric);
    aws__str(a, "statistic", stat);
    aws__str(dim, "FunctionName", f->name);
    cJSON_AddItemToObject(a, "dimensions", dim);
    aws__num(a, "period", PERIOD);
    aws__num(a, "evaluation_periods", 1);
    aws__num(a, "threshold", threshold);
    aws__str(a, "comparison_operator", "GreaterThanOrEqualToThreshold");
    aws__str(a, "treat_missing_data", "notBreaching");
    if (f->n_tags)
        cJSON_AddItemToObject(a, "tags", aws__kv_map(f->tags, f->n_tags));
    uint32_t n = aws__add(L, "aws_cloudwatch_metric_alarm", f->key, what, a,
                          &f->pos, f->key);
    if (n != UINT32_MAX)
        tsk_graph_dep(L->g, n, L->fn[i]);
    free(name);
}

static void alarms(struct aws_lower *L)
{
    const struct tsk_model *m = L->m;
    if (!m->monitoring.enabled || !m->monitoring.metrics_collection)
        return;
    for (size_t i = 0; i < m->functions.n; i++) {
        const struct tsk_model_function *f = &m->functions.v[i];
        if (L->fn[i] == UINT32_MAX)
            continue;
        if (m->monitoring.metrics.error_rate)
            alarm(L, i, "errors", "Errors", "Sum", 1,
                  "tuskform: the function reported errors");
        alarm(L, i, "throttles", "Throttles", "Sum", 1,
              "tuskform: invocations were throttled");
        if (m->monitoring.metrics.duration)
            alarm(L, i, "duration", "Duration", "Maximum",
                  (double)f->timeout * 1000.0 * 0.9,
                  "tuskform: an invocation came within 10 % of the timeout");
    }
    if (m->monitoring.metrics.memory_usage || m->monitoring.metrics.cold_starts)
        tsk_diag_warning(
            L->d, NULL,
            "serverless_monitoring.metrics: %s%s%s have no "
            "AWS/Lambda CloudWatch metric (they need Lambda "
            "Insights); no alarm is made for them",
            m->monitoring.metrics.memory_usage ? "memory_usage" : "",
            m->monitoring.metrics.memory_usage &&
                    m->monitoring.metrics.cold_starts
                ? " and "
                : "",
            m->monitoring.metrics.cold_starts ? "cold_starts" : "");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One notification, its EMAIL subscribers in sorted order (AWS keeps no
 * order, so the read sorts them too). */
static cJSON *notification(double pct, const struct tsk_model_strs *emails)
{
    cJSON *n = aws__obj(), *l = aws__arr();
    aws__str(n, "comparison_operator", "GREATER_THAN");
    aws__str(n, "notification_type", "ACTUAL");
    aws__num(n, "threshold", pct);
    aws__str(n, "threshold_type", "PERCENTAGE");
    const char **v = tsk_xcalloc(emails->n + 1, sizeof(*v));
    for (size_t i = 0; i < emails->n; i++)
        v[i] = emails->v[i];
    qsort(v, emails->n, sizeof(*v), cmp_str);
    for (size_t i = 0; i < emails->n; i++)
        cJSON_AddItemToArray(l, cJSON_CreateString(v[i]));
    free(v);
    cJSON_AddItemToObject(n, "subscriber_email_addresses", l);
    return n;
}

static void budgets(struct aws_lower *L)
{
    const struct tsk_model *m = L->m;
    if (!m->monitoring.enabled || !m->monitoring.budgets.n)
        return;
    for (size_t k = 0; k < m->monitoring.budgets.n; k++) {
        const struct tsk_model_budget *b = &m->monitoring.budgets.v[k];
        cJSON *a = aws__obj(), *cf = aws__obj(), *vals = aws__arr();
        char *name = aws__prefixed(m, b->name, 100);
        aws__str(a, "name", name);
        free(name);
        aws__str(a, "budget_type", "COST");
        aws__num(a, "limit_amount", b->amount);
        aws__str(a, "limit_unit", "USD");
        aws__str(a, "time_unit", "MONTHLY");
        char *tag = b->function
                        ? tsk_xasprintf("user:%s$aws_lambda_function.%s",
                                        AWS_TAG_ADDR, b->function->key)
                        : tsk_xasprintf("user:%s$%s", AWS_TAG_STACK,
                                        L->g->stack ? L->g->stack : "");
        cJSON_AddItemToArray(vals, cJSON_CreateString(tag));
        free(tag);
        cJSON_AddItemToObject(cf, "TagKeyValue", vals);
        cJSON_AddItemToObject(a, "cost_filter", cf);
        if (m->monitoring.cost.budget_alerts && !b->alert_emails.n) {
            /* AWS rejects a notification without a subscriber, and a
             * budget without its notifications would alert nobody while
             * the configuration asks for alerts: refuse before any call */
            tsk_diag_error(L->d, &b->pos,
                           "budget \"%s\": budget_alerts is on, but no "
                           "address is given to alert; AWS Budgets needs at "
                           "least one subscriber per notification",
                           b->name);
            tsk_diag_detail(L->d,
                            "add alert_emails = [\"ops@example.com\"] to "
                            "[serverless_monitoring.cost] (every budget) or "
                            "to this budget, or set budget_alerts = false");
        } else if (m->monitoring.cost.budget_alerts) {
            cJSON *nl = aws__arr();
            cJSON_AddItemToArray(nl, notification(80, &b->alert_emails));
            cJSON_AddItemToArray(nl, notification(100, &b->alert_emails));
            cJSON_AddItemToObject(a, "notification", nl);
        }
        aws__add(L, "aws_budgets_budget", b->name, NULL, a, &b->pos,
                 b->function ? b->function->key : NULL);
    }
}

static void sampling(struct aws_lower *L)
{
    const struct tsk_model *m = L->m;
    if (!m->monitoring.enabled || !m->monitoring.distributed_tracing ||
        (m->monitoring.tracing.provider &&
         strcmp(m->monitoring.tracing.provider, "xray") != 0))
        return;
    const char *svc = m->service ? m->service : L->g->stack;
    cJSON *a = aws__obj();
    char *name = aws__fit(svc ? svc : "tuskform", 32);
    char *pat =
        m->service ? tsk_xasprintf("%s-*", m->service) : tsk_xstrdup("*");
    aws__str(a, "rule_name", name);
    aws__num(a, "priority", 1000);
    aws__num(a, "fixed_rate", m->monitoring.tracing.sampling_rate);
    aws__num(a, "reservoir_size", 1);
    aws__str(a, "service_name", pat);
    aws__str(a, "service_type", "*");
    aws__str(a, "host", "*");
    aws__str(a, "http_method", "*");
    aws__str(a, "url_path", "*");
    aws__str(a, "resource_arn", "*");
    aws__num(a, "version", 1);
    aws__add(L, "aws_xray_sampling_rule", svc ? svc : "tuskform", NULL, a, NULL,
             NULL);
    free(name);
    free(pat);
}

static void scaling(struct aws_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    if (!f->provisioned.on || !f->provisioned.auto_scaling ||
        f->provisioned.concurrency <= 0 || L->fn[i] == UINT32_MAX)
        return;
    char *key = aws__name(f->key, NULL);
    char *addr =
        tsk_xasprintf("aws_lambda_provisioned_concurrency_config.%s", key);
    uint32_t pc = tsk_graph_find(L->g, addr);
    free(addr);
    free(key);
    int64_t min = f->provisioned.concurrency;
    int64_t max = f->keep_warm.on && f->keep_warm.max_instances > min
                      ? f->keep_warm.max_instances
                      : min * 2;
    char *res = tsk_xasprintf("function:%s:live", f->name);
    cJSON *a = aws__obj();
    aws__str(a, "service_namespace", "lambda");
    aws__str(a, "resource_id", res);
    aws__str(a, "scalable_dimension", PC_DIMENSION);
    aws__num(a, "min_capacity", (double)min);
    aws__num(a, "max_capacity", (double)max);
    uint32_t t = aws__add(L, "aws_appautoscaling_target", f->key, NULL, a,
                          &f->pos, f->key);
    if (t != UINT32_MAX && pc != UINT32_MAX)
        tsk_graph_dep(L->g, t, pc);
    a = aws__obj();
    char *pname = tsk_xasprintf("%s-pc-utilization", f->name);
    aws__str(a, "name", pname);
    aws__str(a, "policy_type", "TargetTrackingScaling");
    aws__str(a, "service_namespace", "lambda");
    aws__str(a, "scalable_dimension", PC_DIMENSION);
    cJSON *tt = aws__obj(), *pm = aws__obj();
    aws__str(pm, "predefined_metric_type",
             "LambdaProvisionedConcurrencyUtilization");
    cJSON_AddItemToObject(tt, "predefined_metric_specification", pm);
    aws__num(tt, "target_value", PC_TARGET);
    cJSON_AddItemToObject(a, "target_tracking_scaling_policy_configuration",
                          tt);
    uint32_t p = aws__add(L, "aws_appautoscaling_policy", f->key, NULL, a,
                          &f->pos, f->key);
    if (p != UINT32_MAX && t != UINT32_MAX)
        tsk_graph_ref(L->g, p, "resource_id", t, "resource_id");
    free(pname);
    free(res);
}

void aws__lower_monitor(struct aws_lower *L)
{
    alarms(L);
    budgets(L);
    sampling(L);
    for (size_t i = 0; i < L->m->functions.n; i++)
        scaling(L, i);
}

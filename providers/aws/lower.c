/*
 * lower.c - lowering the serverless model to AWS resource types (design
 * §3), part I: functions and what they need to run.
 *
 *   function             aws_lambda_function.KEY, aws_iam_role.KEY (unless
 *                        `role` is given), aws_cloudwatch_log_group.KEY
 *   sqs event            aws_sqs_queue.QUEUE (unless an ARN) +
 *                        aws_lambda_event_source_mapping.KEY_SOURCE
 *   dynamodb / kinesis   aws_lambda_event_source_mapping.KEY_SOURCE (stream
 *                        ARN given, or looked up from the table/stream name
 *                        when the mapping is created)
 *   dead-letter queue    aws_sqs_queue.DLQ, the handlers' dead-letter target
 *   provisioned conc.    aws_lambda_alias.KEY ("live", on a published
 *                        version) + aws_lambda_provisioned_concurrency_config
 *
 * Part II (one call per family): schedules and pre-warming
 * (lower_schedule.c), event rules (lower_routing.c), http
 * (lower_http.c), s3 (lower_s3.c), alarms, budgets, sampling and
 * provisioned-concurrency autoscaling (lower_monitor.c). Names in
 * addresses are the configuration's keys; node order follows the model's.
 */
#include "providers/aws/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

char *aws__name(const char *a, const char *b)
{
    char *s = b ? tsk_xasprintf("%s_%s", a, b) : tsk_xstrdup(a ? a : "");
    for (char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-'))
            *p = '_';
    }
    return s;
}

uint32_t aws__add(struct aws_lower *L, const char *type, const char *a,
                  const char *b, cJSON *attrs, const struct tsk_pos *pos,
                  const char *fkey)
{
    char *name = aws__name(a, b);
    uint32_t n = tsk_graph_add(L->g, type, name, attrs, pos, L->d);
    free(name);
    if (n != UINT32_MAX && fkey)
        tsk_graph_set_function(L->g, n, fkey);
    return n;
}

cJSON *aws__kv_map(const struct tsk_model_kv *kv, size_t n)
{
    cJSON *o = aws__obj();
    for (size_t i = 0; i < n; i++) {
        cJSON_DeleteItemFromObjectCaseSensitive(o, kv[i].key);
        aws__str(o, kv[i].key, kv[i].value);
    }
    return o;
}

uint32_t aws__queue(struct aws_lower *L, const char *name,
                    const struct tsk_pos *pos)
{
    char *nn = aws__name(name, NULL);
    char *addr = tsk_xasprintf("aws_sqs_queue.%s", nn);
    uint32_t q = tsk_graph_find(L->g, addr);
    free(addr);
    free(nn);
    if (q != UINT32_MAX)
        return q;
    cJSON *a = aws__obj();
    size_t len = strlen(name);
    aws__str(a, "name", name);
    if (len > 5 && strcmp(name + len - 5, ".fifo") == 0)
        aws__bool(a, "fifo_queue", 1);
    return aws__add(L, "aws_sqs_queue", name, NULL, a, pos, NULL);
}

/* ---- runtimes ----------------------------------------------------------- */

struct rt_family {
    const char *name;   /* as written before the version */
    const char *fmt;    /* Lambda id with %s for the version */
    int custom;
};

static const struct rt_family families[] = {
    {"php", "provided.al2023", 1},
    {"python", "python%s", 0},
    {"nodejs", "nodejs%s.x", 0},
    {"node", "nodejs%s.x", 0},
    {"java", "java%s", 0},
    {"ruby", "ruby%s", 0},
    {"dotnet", "dotnet%s", 0},
    {"go", "provided.al2023", 1},
    {"rust", "provided.al2023", 1},
};

static const char *const lambda_ids[] = {
    "nodejs18.x", "nodejs20.x", "nodejs22.x", "python3.9",  "python3.10",
    "python3.11", "python3.12", "python3.13", "java8.al2",  "java11",
    "java17",     "java21",     "dotnet8",    "ruby3.2",    "ruby3.3",
    "ruby3.4",    "provided.al2", "provided.al2023",
};

static int version_ok(const char *v)
{
    if (!*v || strlen(v) > 8)
        return 0;
    for (; *v; v++)
        if (!((*v >= '0' && *v <= '9') || *v == '.'))
            return 0;
    return 1;
}

const char *tsk_aws_runtime_id(const char *runtime, int *custom, char *buf,
                               size_t bufsz)
{
    *custom = 0;
    if (!runtime)
        return NULL;
    for (size_t i = 0; i < sizeof(lambda_ids) / sizeof(lambda_ids[0]); i++)
        if (strcmp(runtime, lambda_ids[i]) == 0)
            return lambda_ids[i];
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        size_t n = strlen(families[i].name);
        const char *v = runtime + n;
        if (strncmp(runtime, families[i].name, n) != 0)
            continue;
        if (*v == ':' || *v == '-')
            v++;
        if (families[i].custom && (*v == '\0' || version_ok(v))) {
            *custom = 1;
            return families[i].fmt;
        }
        if (!version_ok(v))
            continue;
        /* nodejs:20.11 -> nodejs20.x: only the major version counts */
        char ver[16];
        snprintf(ver, sizeof(ver), "%s", v);
        if (strcmp(families[i].fmt, "nodejs%s.x") == 0 ||
            strcmp(families[i].fmt, "java%s") == 0 ||
            strcmp(families[i].fmt, "dotnet%s") == 0)
            ver[strcspn(ver, ".")] = '\0';
        snprintf(buf, bufsz, families[i].fmt, ver);
        for (size_t k = 0; k < sizeof(lambda_ids) / sizeof(lambda_ids[0]);
             k++)
            if (strcmp(buf, lambda_ids[k]) == 0)
                return lambda_ids[k];
        return NULL;
    }
    return NULL;
}

static const char *lower_region(const struct tsk_model *m)
{
    const char *r = m->region;
    if (!r || !*r)
        r = getenv("AWS_REGION");
    if (!r || !*r)
        r = getenv("AWS_DEFAULT_REGION");
    return r && *r ? r : "*";
}

int tsk_aws_lower(const struct tsk_model *m, struct tsk_graph *g,
                  struct tsk_diags *d)
{
    struct aws_lower L = {.m = m, .g = g, .d = d, .dlq = UINT32_MAX};
    int nerr0 = d->nerr;
    L.region = lower_region(m);
    L.fn = tsk_xmalloc((m->functions.n + 1) * sizeof(*L.fn));
    L.role = tsk_xmalloc((m->functions.n + 1) * sizeof(*L.role));
    if (m->events.enabled && m->events.dead_letter_queue) {
        L.dlq = aws__queue(&L, m->events.dead_letter_queue, &m->events.pos);
        if (L.dlq != UINT32_MAX) {
            cJSON *a = g->nodes.v[L.dlq].attrs;
            /* keep failed events as long as SQS allows: 14 days */
            cJSON_DeleteItemFromObjectCaseSensitive(a,
                                                    "message_retention_seconds");
            aws__num(a, "message_retention_seconds", 1209600);
        }
    }
    for (size_t i = 0; i < m->functions.n; i++)
        aws__lower_function(&L, i);
    for (size_t i = 0; i < m->functions.n; i++) {
        if (L.fn[i] == UINT32_MAX)
            continue;
        aws__lower_events(&L, i);
        aws__lower_provisioned(&L, i);
        aws__lower_schedule(&L, i);
    }
    aws__lower_routing(&L);
    aws__lower_http(&L);
    aws__lower_s3(&L);
    aws__lower_monitor(&L);
    free(L.fn);
    free(L.role);
    return d->nerr > nerr0 ? TSK_ERROR : 0;
}

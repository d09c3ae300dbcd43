/*
 * lower_events.c - the polled event sources of a function (sqs, dynamodb,
 * kinesis) as aws_lambda_event_source_mapping nodes, the queues they read,
 * and the least-privilege policy of the function's role: logs to its own
 * log group, read access to exactly its sources, send access to the
 * dead-letter queue, X-Ray when tracing is on. Resources are written as
 * ARN patterns from names (account "*"), so the policy is known at plan
 * time and needs no lookup.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

static int is_arn(const char *s)
{
    return s && strncmp(s, "arn:", 4) == 0;
}

static void add_stmt(cJSON *stmts, const char *const *actions, size_t na,
                     const char *resource)
{
    cJSON *s = aws__obj(), *acts = aws__arr();
    aws__str(s, "Effect", "Allow");
    for (size_t i = 0; i < na; i++)
        cJSON_AddItemToArray(acts, cJSON_CreateString(actions[i]));
    cJSON_AddItemToObject(s, "Action", acts);
    aws__str(s, "Resource", resource);
    cJSON_AddItemToArray(stmts, s);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const sqs_read[] = {
    "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
    "sqs:ChangeMessageVisibility"};
static const char *const ddb_read[] = {
    "dynamodb:DescribeStream", "dynamodb:GetRecords",
    "dynamodb:GetShardIterator", "dynamodb:ListStreams"};
static const char *const kin_read[] = {
    "kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"};
static const char *const logs_write[] = {"logs:CreateLogStream",
                                         "logs:PutLogEvents"};
static const char *const xray_write[] = {"xray:PutTraceSegments",
                                         "xray:PutTelemetryRecords"};
static const char *const sqs_send[] = {"sqs:SendMessage"};

static char *source_resource(struct aws_lower *L,
                             const struct tsk_model_event_source *e)
{
    const char *r = L->region;
    switch (e->kind) {
    case TSK_MODEL_EV_SQS:
        return is_arn(e->sqs.queue)
                   ? tsk_xstrdup(e->sqs.queue)
                   : tsk_xasprintf("arn:aws:sqs:%s:*:%s", r, e->sqs.queue);
    case TSK_MODEL_EV_DYNAMODB: {
        const char *t = e->stream.table ? e->stream.table : e->stream.stream;
        if (is_arn(e->stream.stream))
            return tsk_xstrdup(e->stream.stream);
        return tsk_xasprintf("arn:aws:dynamodb:%s:*:table/%s/stream/*", r,
                             t ? t : "*");
    }
    case TSK_MODEL_EV_KINESIS:
        return is_arn(e->stream.stream)
                   ? tsk_xstrdup(e->stream.stream)
                   : tsk_xasprintf("arn:aws:kinesis:%s:*:stream/%s", r,
                                   e->stream.stream ? e->stream.stream : "*");
    default:
        return NULL;
    }
}

cJSON *aws__policy(struct aws_lower *L, const struct tsk_model_function *f)
{
    const struct tsk_model *m = L->m;
    cJSON *doc = aws__obj(), *stmts = aws__arr();
    aws__str(doc, "Version", "2012-10-17");
    char *lg = tsk_xasprintf("arn:aws:logs:%s:*:log-group:/aws/lambda/%s:*",
                             L->region, f->name);
    add_stmt(stmts, logs_write, N(logs_write), lg);
    free(lg);
    for (size_t k = 0; k < f->n_events; k++) {
        const struct tsk_model_event_source *e = f->events[k];
        char *res = source_resource(L, e);
        if (!res)
            continue;
        if (e->kind == TSK_MODEL_EV_SQS)
            add_stmt(stmts, sqs_read, N(sqs_read), res);
        else if (e->kind == TSK_MODEL_EV_DYNAMODB)
            add_stmt(stmts, ddb_read, N(ddb_read), res);
        else
            add_stmt(stmts, kin_read, N(kin_read), res);
        free(res);
    }
    if (f->is_handler && m->events.enabled && m->events.dead_letter_queue) {
        char *q = tsk_xasprintf("arn:aws:sqs:%s:*:%s", L->region,
                                m->events.dead_letter_queue);
        add_stmt(stmts, sqs_send, N(sqs_send), q);
        free(q);
    }
    if ((m->monitoring.enabled && m->monitoring.distributed_tracing) ||
        (m->debug.enabled && m->debug.trace_invocations))
        add_stmt(stmts, xray_write, N(xray_write), "*");
    cJSON_AddItemToObject(doc, "Statement", stmts);
    return doc;
}

/* The queue's visibility timeout must cover the consumer's timeout (AWS
 * refuses a mapping otherwise); AWS advises six times the timeout. */
static void cover_timeout(struct aws_lower *L, uint32_t q, int64_t timeout)
{
    cJSON *a = L->g->nodes.v[q].attrs;
    double want = (double)(timeout * 6 > 30 ? timeout * 6 : 30);
    if (want > 43200)
        want = 43200;
    if (aws__jnum(a, "visibility_timeout_seconds", 0) >= want)
        return;
    cJSON_DeleteItemFromObjectCaseSensitive(a, "visibility_timeout_seconds");
    aws__num(a, "visibility_timeout_seconds", want);
}

static void add_mapping(struct aws_lower *L, size_t i,
                        const struct tsk_model_event_source *e)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = aws__obj();
    uint32_t q = UINT32_MAX;
    switch (e->kind) {
    case TSK_MODEL_EV_SQS:
        if (is_arn(e->sqs.queue))
            aws__str(a, "event_source_arn", e->sqs.queue);
        else if (e->sqs.queue)
            q = aws__queue(L, e->sqs.queue, &e->pos);
        aws__num(a, "batch_size", e->sqs.batch_size);
        aws__num(a, "maximum_batching_window_in_seconds",
                 e->sqs.batching_window);
        break;
    case TSK_MODEL_EV_DYNAMODB:
    case TSK_MODEL_EV_KINESIS: {
        const char *s = e->stream.stream;
        if (is_arn(s))
            aws__str(a, "event_source_arn", s);
        else if (e->kind == TSK_MODEL_EV_DYNAMODB)
            aws__str(a, "source_table", e->stream.table ? e->stream.table : s);
        else
            aws__str(a, "source_stream", s);
        aws__num(a, "batch_size", e->stream.batch_size);
        aws__num(a, "maximum_batching_window_in_seconds",
                 e->stream.batching_window);
        aws__str(a, "starting_position", e->stream.starting_position
                                             ? e->stream.starting_position
                                             : "LATEST");
        break;
    }
    default:
        cJSON_Delete(a);
        return;
    }
    aws__bool(a, "enabled", 1);
    uint32_t n = aws__add(L, "aws_lambda_event_source_mapping", f->key,
                          e->name, a, &e->pos, f->key);
    if (n == UINT32_MAX)
        return;
    tsk_graph_ref(L->g, n, "function_name", L->fn[i], "arn");
    if (q != UINT32_MAX) {
        cover_timeout(L, q, f->timeout);
        tsk_graph_ref(L->g, n, "event_source_arn", q, "arn");
    }
    /* the role must allow reading the source before the mapping exists */
    if (L->role[i] != UINT32_MAX)
        tsk_graph_dep(L->g, n, L->role[i]);
}

void aws__lower_events(struct aws_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    for (size_t k = 0; k < f->n_events; k++) {
        const struct tsk_model_event_source *e = f->events[k];
        if (e->kind == TSK_MODEL_EV_SQS || e->kind == TSK_MODEL_EV_DYNAMODB ||
            e->kind == TSK_MODEL_EV_KINESIS)
            add_mapping(L, i, e);
    }
}

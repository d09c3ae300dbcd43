/*
 * lower_events.c - the local lowering of event sources (http routes on the
 * stack's API, s3/sqs/dynamodb/kinesis triggers, queues, schedules) and of
 * event_driven_serverless (dead-letter queue, rules, targets with their
 * retry policy).
 */
#include "providers/local/lower.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

/* Whether any http source used by a function asks for CORS. */
static int any_cors(const struct tsk_model *m)
{
    for (size_t i = 0; i < m->functions.n; i++) {
        const struct tsk_model_function *f = &m->functions.v[i];
        for (size_t k = 0; k < f->n_events; k++)
            if (f->events[k]->kind == TSK_MODEL_EV_HTTP &&
                f->events[k]->http.cors)
                return 1;
    }
    return 0;
}

/* The stack's API: made with the first route, at that source's position. */
static uint32_t ensure_api(struct tsk_local_lower *L,
                           const struct tsk_model_event_source *src)
{
    if (L->api != UINT32_MAX)
        return L->api;
    const struct tsk_model *m = L->m;
    cJSON *a = tsk_local__obj();
    tsk_local__str(a, "name", m->service ? m->service : L->g->stack);
    tsk_local__lit(a, "protocol", "HTTP");
    tsk_local__bool(a, "cors", any_cors(m));
    L->api = tsk_local__add(L, "local_api", m->service ? m->service : "api",
                            NULL, a, &src->pos, NULL);
    return L->api;
}

static int is_arn(const char *s)
{
    return s && strncmp(s, "arn:", 4) == 0;
}

/* The local_queue named name (verbatim), made once however many sources
 * or the dead-letter setting name it. */
static uint32_t ensure_queue(struct tsk_local_lower *L, const char *name,
                             const struct tsk_pos *pos)
{
    char buf[256];
    char *addr = tsk_local__addr(buf, sizeof(buf), "local_queue", name, NULL);
    uint32_t q = tsk_graph_find(L->g, addr);
    if (addr != buf)
        free(addr);
    if (q != UINT32_MAX)
        return q;
    cJSON *a = tsk_local__obj();
    size_t len = strlen(name);
    tsk_local__str(a, "name", name);
    if (len > 5 && strcmp(name + len - 5, ".fifo") == 0)
        tsk_local__bool(a, "fifo", 1);
    return tsk_local__add(L, "local_queue", name, NULL, a, pos, NULL);
}

static cJSON *authorizer_json(const struct tsk_model_authorizer *au)
{
    cJSON *o = tsk_local__obj();
    tsk_local__str(o, "name", au->name);
    tsk_local__str(o, "type", au->type);
    tsk_local__str(o, "issuer", au->issuer);
    cJSON_AddItemToObjectCS(o, "audience", tsk_local__strs(&au->audience));
    return o;
}

static void add_schedule(struct tsk_local_lower *L, size_t i,
                         const struct tsk_model_event_source *src)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = tsk_local__obj();
    tsk_local__cat(a, "name", f->name, "-", src->name);
    tsk_local__str(a, "schedule_expression", src->schedule.expression);
    uint32_t n = tsk_local__add(L, "local_schedule", f->key, src->name, a,
                                &src->pos, f->key);
    tsk_graph_ref(L->g, n, "function_arn", L->fn[i], "arn");
}

/* Kind-specific attributes of a trigger; *queue is set for an sqs source
 * that names a queue the stack makes. */
static void trigger_attrs(struct tsk_local_lower *L, size_t i,
                          const struct tsk_model_event_source *src, cJSON *a,
                          uint32_t *api, uint32_t *queue)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    switch (src->kind) {
    case TSK_MODEL_EV_HTTP: {
        tsk_local__cat(a, "route_key", "ANY /", f->key, NULL);
        if (src->http.authorizer)
            cJSON_AddItemToObjectCS(a, "authorizer",
                                  authorizer_json(src->http.authorizer));
        *api = ensure_api(L, src);
        break;
    }
    case TSK_MODEL_EV_S3:
        tsk_local__str(a, "bucket", src->s3.bucket);
        cJSON_AddItemToObjectCS(a, "events", tsk_local__strs(&src->s3.events));
        break;
    case TSK_MODEL_EV_SQS:
        if (is_arn(src->sqs.queue))
            tsk_local__str(a, "queue_arn", src->sqs.queue);
        else if (src->sqs.queue)
            *queue = ensure_queue(L, src->sqs.queue, &src->pos);
        tsk_local__num(a, "batch_size", src->sqs.batch_size);
        tsk_local__num(a, "maximum_batching_window", src->sqs.batching_window);
        break;
    case TSK_MODEL_EV_DYNAMODB:
    case TSK_MODEL_EV_KINESIS:
        tsk_local__str(a, "stream", src->stream.stream);
        tsk_local__str(a, "table", src->stream.table);
        tsk_local__str(a, "starting_position", src->stream.starting_position);
        tsk_local__num(a, "batch_size", src->stream.batch_size);
        tsk_local__num(a, "maximum_batching_window",
                       src->stream.batching_window);
        break;
    case TSK_MODEL_EV_SCHEDULE:
        break;
    }
}

void tsk_local__events(struct tsk_local_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    for (size_t k = 0; k < f->n_events; k++) {
        const struct tsk_model_event_source *src = f->events[k];
        if (src->kind == TSK_MODEL_EV_SCHEDULE) {
            add_schedule(L, i, src);
            continue;
        }
        uint32_t api = UINT32_MAX, queue = UINT32_MAX;
        cJSON *a = tsk_local__obj();
        tsk_local__lit(a, "kind", tsk_model_event_kind_name(src->kind));
        trigger_attrs(L, i, src, a, &api, &queue);
        uint32_t n = tsk_local__add(L, "local_trigger", f->key, src->name, a,
                                    &src->pos, f->key);
        tsk_graph_ref(L->g, n, "function_arn", L->fn[i], "arn");
        if (api != UINT32_MAX)
            tsk_graph_ref(L->g, n, "api_id", api, "id");
        if (queue != UINT32_MAX)
            tsk_graph_ref(L->g, n, "queue_arn", queue, "arn");
    }
}

static const char *backoff_name(enum tsk_model_backoff b)
{
    switch (b) {
    case TSK_MODEL_BACKOFF_LINEAR:
        return "linear";
    case TSK_MODEL_BACKOFF_FIXED:
        return "fixed";
    case TSK_MODEL_BACKOFF_EXPONENTIAL:
        break;
    }
    return "exponential";
}

static void add_target(struct tsk_local_lower *L,
                       const struct tsk_model_rule *r, uint32_t rule,
                       const struct tsk_model_function *f, const char *dlq)
{
    size_t fi = (size_t)(f - L->m->functions.v);
    char buf[256];
    char *addr = tsk_local__addr(buf, sizeof(buf), "local_event_target",
                                 r->name, f->key);
    uint32_t seen = tsk_graph_find(L->g, addr);
    if (addr != buf)
        free(addr);
    if (seen != UINT32_MAX || fi >= L->m->functions.n)
        return; /* a target listed twice is one target */
    cJSON *a = tsk_local__obj();
    if (f->retry.set) {
        tsk_local__num(a, "max_attempts", (double)f->retry.max_attempts);
        tsk_local__lit(a, "backoff", backoff_name(f->retry.backoff));
    }
    if (is_arn(dlq))
        tsk_local__str(a, "dead_letter_arn", dlq);
    uint32_t n = tsk_local__add(L, "local_event_target", r->name, f->key, a,
                                &r->pos, f->key);
    tsk_graph_ref(L->g, n, "rule_arn", rule, "arn");
    tsk_graph_ref(L->g, n, "function_arn", L->fn[fi], "arn");
    if (L->dlq != UINT32_MAX)
        tsk_graph_ref(L->g, n, "dead_letter_arn", L->dlq, "arn");
}

void tsk_local__rules(struct tsk_local_lower *L)
{
    const struct tsk_model *m = L->m;
    const char *dlq = m->events.dead_letter_queue;
    if (!m->events.enabled)
        return;
    if (dlq && !is_arn(dlq))
        L->dlq = ensure_queue(L, dlq, &m->events.pos);
    for (size_t i = 0; i < m->events.rules.n; i++) {
        const struct tsk_model_rule *r = &m->events.rules.v[i];
        cJSON *a = tsk_local__obj();
        if (m->service)
            tsk_local__cat(a, "name", m->service, "-", r->name);
        else
            tsk_local__str(a, "name", r->name);
        if (m->events.event_bus)
            tsk_local__str(a, "event_bus", m->events.event_bus);
        else
            tsk_local__lit(a, "event_bus", "default");
        tsk_local__str(a, "source", r->source);
        tsk_local__str(a, "detail_type", r->detail_type);
        uint32_t rule = tsk_local__add(L, "local_event_rule", r->name, NULL, a,
                                       &r->pos, NULL);
        if (rule == UINT32_MAX)
            continue;
        for (size_t k = 0; k < r->n_targets; k++)
            add_target(L, r, rule, r->targets[k], dlq);
    }
}

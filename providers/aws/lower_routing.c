/*
 * lower_routing.c - event_driven_serverless on AWS: the bus (unless it is
 * `default`), one aws_cloudwatch_event_rule per rule (a pattern on source
 * and detail-type), one aws_cloudwatch_event_target per handler it routes
 * to (retry attempts = the handler's max_attempts unchanged, dead-letter
 * config = the DLQ), the aws_lambda_permission that lets the rule invoke
 * the handler, and the DLQ's aws_sqs_queue_policy that lets the rules
 * send what they could not deliver. EventBridge retries with exponential
 * backoff only: another backoff is a warning that names it.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

#define RULE_NAME_MAX 64
#define EVENT_AGE_MAX 86400 /* EventBridge's maximum (and default) */

char *aws__prefixed(const struct tsk_model *m, const char *key, size_t max)
{
    char *s =
        m->service ? tsk_xasprintf("%s-%s", m->service, key) : tsk_xstrdup(key);
    char *r = aws__fit(s, max);
    free(s);
    return r;
}

size_t aws__fn_index(const struct tsk_model *m,
                     const struct tsk_model_function *f)
{
    for (size_t i = 0; i < m->functions.n; i++)
        if (&m->functions.v[i] == f)
            return i;
    return SIZE_MAX;
}

uint32_t aws__permission(struct aws_lower *L, size_t i, const char *suffix,
                         const char *principal, const char *sid,
                         const char *source_arn, uint32_t src,
                         const char *src_attr, const struct tsk_pos *pos)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = aws__obj();
    char *s = aws__fit(sid, 100);
    aws__str(a, "statement_id", s);
    aws__str(a, "action", "lambda:InvokeFunction");
    aws__str(a, "principal", principal);
    aws__str(a, "source_arn", source_arn);
    free(s);
    uint32_t n =
        aws__add(L, "aws_lambda_permission", f->key, suffix, a, pos, f->key);
    if (n == UINT32_MAX)
        return n;
    tsk_graph_ref(L->g, n, "function_name", L->fn[i], "function_name");
    if (src != UINT32_MAX && src_attr)
        tsk_graph_ref(L->g, n, "source_arn", src, src_attr);
    return n;
}

uint32_t aws__event_target(struct aws_lower *L, size_t i, const char *addr_a,
                           const char *addr_b, uint32_t rule, const char *input,
                           const struct tsk_pos *pos)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = aws__obj();
    char *tid = aws__fit(f->key, 64);
    aws__str(a, "target_id", tid);
    free(tid);
    aws__str(a, "input", input);
    uint32_t n = aws__add(L, "aws_cloudwatch_event_target", addr_a, addr_b, a,
                          pos, f->key);
    if (n == UINT32_MAX)
        return n;
    tsk_graph_ref(L->g, n, "rule", rule, "name");
    tsk_graph_ref(L->g, n, "event_bus_name", rule, "event_bus_name");
    tsk_graph_ref(L->g, n, "arn", L->fn[i], "arn");
    return n;
}

static char *pattern(const struct tsk_model_rule *r)
{
    cJSON *p = aws__obj(), *src = aws__arr(), *dt = aws__arr();
    if (r->source) {
        cJSON_AddItemToArray(src, cJSON_CreateString(r->source));
        cJSON_AddItemToObject(p, "source", src);
    } else {
        cJSON_Delete(src);
    }
    if (r->detail_type) {
        cJSON_AddItemToArray(dt, cJSON_CreateString(r->detail_type));
        cJSON_AddItemToObject(p, "detail-type", dt);
    } else {
        cJSON_Delete(dt);
    }
    char *t = cJSON_PrintUnformatted(p), *s;
    if (!t)
        abort();
    s = tsk_xstrdup(t);
    cJSON_free(t);
    cJSON_Delete(p);
    return s;
}

static void handler_target(struct aws_lower *L, const struct tsk_model_rule *r,
                           uint32_t rule, const char *rule_name, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    uint32_t t = aws__event_target(L, i, r->name, f->key, rule, NULL, &r->pos);
    if (t == UINT32_MAX)
        return;
    cJSON *a = L->g->nodes.v[t].attrs;
    if (f->retry.set) {
        cJSON *rp = aws__obj();
        aws__num(rp, "maximum_event_age_in_seconds", EVENT_AGE_MAX);
        aws__num(rp, "maximum_retry_attempts", (double)f->retry.max_attempts);
        cJSON_AddItemToObject(a, "retry_policy", rp);
    }
    if (L->dlq != UINT32_MAX)
        tsk_graph_ref(L->g, t, "dead_letter_arn", L->dlq, "arn");
    char *sid = tsk_xasprintf("events-%s", rule_name);
    aws__permission(L, i, r->name, "events.amazonaws.com", sid, NULL, rule,
                    "arn", &r->pos);
    free(sid);
}

static void warn_backoff(struct aws_lower *L)
{
    for (size_t i = 0; i < L->m->functions.n; i++) {
        const struct tsk_model_function *f = &L->m->functions.v[i];
        if (!f->is_handler || !f->retry.set ||
            f->retry.backoff == TSK_MODEL_BACKOFF_EXPONENTIAL)
            continue;
        tsk_diag_warning(
            L->d, &f->pos,
            "event_driven_serverless.handlers.%s.retry_policy."
            "backoff = \"%s\": EventBridge retries with "
            "exponential backoff only; AWS cannot honour it",
            f->key,
            f->retry.backoff == TSK_MODEL_BACKOFF_LINEAR ? "linear" : "fixed");
        tsk_diag_detail(L->d,
                        "the retry count (max_attempts = %lld) is "
                        "kept; the delays between retries will grow "
                        "exponentially",
                        (long long)f->retry.max_attempts);
    }
}

static void dlq_policy(struct aws_lower *L, const char *bus, cJSON *rule_arns)
{
    const struct tsk_model *m = L->m;
    cJSON *doc = aws__obj(), *sts = aws__arr(), *st = aws__obj();
    cJSON *pr = aws__obj(), *cond = aws__obj(), *like = aws__obj();
    (void)bus;
    aws__str(doc, "Version", "2012-10-17");
    aws__str(st, "Sid", "events-dead-letters");
    aws__str(st, "Effect", "Allow");
    aws__str(pr, "Service", "events.amazonaws.com");
    cJSON_AddItemToObject(st, "Principal", pr);
    aws__str(st, "Action", "sqs:SendMessage");
    char *q = tsk_xasprintf("arn:aws:sqs:%s:*:%s", L->region,
                            m->events.dead_letter_queue);
    aws__str(st, "Resource", q);
    free(q);
    cJSON_AddItemToObject(like, "aws:SourceArn", rule_arns);
    cJSON_AddItemToObject(cond, "ArnLike", like);
    cJSON_AddItemToObject(st, "Condition", cond);
    cJSON_AddItemToArray(sts, st);
    cJSON_AddItemToObject(doc, "Statement", sts);
    char *text = cJSON_PrintUnformatted(doc);
    if (!text)
        abort();
    cJSON *a = aws__obj();
    aws__str(a, "policy", text);
    cJSON_free(text);
    cJSON_Delete(doc);
    uint32_t n =
        aws__add(L, "aws_sqs_queue_policy", m->events.dead_letter_queue, NULL,
                 a, &m->events.pos, NULL);
    if (n != UINT32_MAX)
        tsk_graph_ref(L->g, n, "queue_url", L->dlq, "url");
}

void aws__lower_routing(struct aws_lower *L)
{
    const struct tsk_model *m = L->m;
    if (!m->events.enabled)
        return;
    warn_backoff(L);
    const char *bus = m->events.event_bus;
    uint32_t busn = UINT32_MAX;
    if (bus && strcmp(bus, "default") != 0) {
        cJSON *a = aws__obj();
        aws__str(a, "name", bus);
        busn = aws__add(L, "aws_cloudwatch_event_bus", bus, NULL, a,
                        &m->events.pos, NULL);
    }
    cJSON *arns = aws__arr();
    for (size_t k = 0; k < m->events.rules.n; k++) {
        const struct tsk_model_rule *r = &m->events.rules.v[k];
        char *name = aws__prefixed(m, r->name, RULE_NAME_MAX);
        char *pat = pattern(r);
        cJSON *a = aws__obj();
        aws__str(a, "name", name);
        aws__str(a, "event_pattern", pat);
        aws__str(a, "state", "ENABLED");
        if (busn == UINT32_MAX)
            aws__str(a, "event_bus_name", "default");
        uint32_t rn = aws__add(L, "aws_cloudwatch_event_rule", r->name, NULL, a,
                               &r->pos, NULL);
        free(pat);
        char *arn =
            busn != UINT32_MAX
                ? tsk_xasprintf("arn:aws:events:%s:*:rule/%s/%s", L->region,
                                bus, name)
                : tsk_xasprintf("arn:aws:events:%s:*:rule/%s", L->region, name);
        cJSON_AddItemToArray(arns, cJSON_CreateString(arn));
        free(arn);
        if (rn != UINT32_MAX && busn != UINT32_MAX)
            tsk_graph_ref(L->g, rn, "event_bus_name", busn, "name");
        for (size_t t = 0; rn != UINT32_MAX && t < r->n_targets; t++) {
            size_t i = aws__fn_index(m, r->targets[t]);
            if (i != SIZE_MAX && L->fn[i] != UINT32_MAX)
                handler_target(L, r, rn, name, i);
        }
        free(name);
    }
    if (L->dlq != UINT32_MAX && m->events.rules.n)
        dlq_policy(L, bus, arns);
    else
        cJSON_Delete(arns);
}

/*
 * lower_schedule.c - schedules on AWS: each `schedule` event source of a
 * function (and the entry named `eventbridge`) becomes an
 * aws_cloudwatch_event_rule with its expression on the default bus plus an
 * aws_cloudwatch_event_target to the function; pre-warming becomes a rule
 * `rate(N minutes)` (the interval rounded up to whole minutes, at least
 * one) whose target sends {"warmup":true} (with "concurrency":N when more
 * than one ping per interval is wanted). Each gets its
 * aws_lambda_permission.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

#define RULE_NAME_MAX 64

static void schedule_rule(struct aws_lower *L, size_t i, const char *suffix,
                          const char *expr, const char *input,
                          const struct tsk_pos *pos)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    char *full = tsk_xasprintf("%s-%s", f->name, suffix);
    char *name = aws__fit(full, RULE_NAME_MAX);
    cJSON *a = aws__obj();
    aws__str(a, "name", name);
    aws__str(a, "event_bus_name", "default");
    aws__str(a, "schedule_expression", expr);
    aws__str(a, "state", "ENABLED");
    uint32_t rn = aws__add(L, "aws_cloudwatch_event_rule", f->key, suffix, a,
                           pos, f->key);
    if (rn != UINT32_MAX) {
        aws__event_target(L, i, f->key, suffix, rn, input, pos);
        char *sid = tsk_xasprintf("events-%s", name);
        aws__permission(L, i, suffix, "events.amazonaws.com", sid, NULL, rn,
                        "arn", pos);
        free(sid);
    }
    free(name);
    free(full);
}

void aws__lower_schedule(struct aws_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    for (size_t k = 0; k < f->n_events; k++) {
        const struct tsk_model_event_source *e = f->events[k];
        if (e->kind == TSK_MODEL_EV_SCHEDULE && e->schedule.expression)
            schedule_rule(L, i, e->name, e->schedule.expression, NULL, &e->pos);
    }
    if (!f->pre_warming.on)
        return;
    int64_t min = (f->pre_warming.interval + 59) / 60;
    if (min < 1)
        min = 1;
    char *expr = min == 1 ? tsk_xstrdup("rate(1 minute)")
                          : tsk_xasprintf("rate(%lld minutes)", (long long)min);
    char *input = f->pre_warming.concurrency > 1
                      ? tsk_xasprintf("{\"warmup\":true,\"concurrency\":%lld}",
                                      (long long)f->pre_warming.concurrency)
                      : tsk_xstrdup("{\"warmup\":true}");
    if (f->pre_warming.interval % 60 != 0)
        tsk_diag_warning(L->d, &f->pos,
                         "%s: pre_warming interval %llds: EventBridge "
                         "schedules run in whole minutes; using %s",
                         f->key, (long long)f->pre_warming.interval, expr);
    schedule_rule(L, i, "warmup", expr, input, &f->pos);
    free(expr);
    free(input);
}

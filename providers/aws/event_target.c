/*
 * event_target.c - aws_cloudwatch_event_target (EventBridge, JSON 1.1):
 * one target of a rule, with its input, retry policy and dead-letter
 * queue (dead_letter_arn, Terraform's dead_letter_config.arn, flat so
 * that it can refer to the queue). PutTargets creates and updates (by Id),
 * RemoveTargets deletes; both answer 200 with per-entry failures, each reported
 * with its target id, code and message. Read is ListTargetsByRule (paged),
 * matched by Id. Id: [BUS/]RULE/TARGET_ID.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define OPT TSK_A_OPTIONAL
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"rule", TSK_T_STRING, TSK_A_REQUIRED | FNEW, NULL, "rule name"},
    {"event_bus_name", TSK_T_STRING, OPT | TSK_A_COMPUTED | FNEW, NULL,
     "bus (default: default)"},
    {"target_id", TSK_T_STRING, TSK_A_REQUIRED | FNEW, NULL,
     "target id, unique in its rule"},
    {"arn", TSK_T_STRING, TSK_A_REQUIRED, NULL, "target ARN (function)"},
    {"input", TSK_T_STRING, OPT, NULL, "constant JSON input"},
    {"retry_policy", TSK_T_OBJECT, OPT | TSK_A_COMPUTED, NULL,
     "maximum_retry_attempts (0..185), maximum_event_age_in_seconds"},
    {"dead_letter_arn", TSK_T_STRING, OPT, "aws_sqs_queue",
     "DeadLetterConfig.Arn: the SQS dead-letter queue"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "[BUS/]RULE/TARGET_ID"},
    {NULL, 0, 0, NULL, NULL},
};

struct tid {
    char *bus, *rule, *target;
};

static int tid_split(const char *id, struct tid *t)
{
    const char *last = strrchr(id, '/');
    memset(t, 0, sizeof(*t));
    if (!last || last == id || !last[1])
        return TSK_EINVAL;
    char *head = tsk_xstrndup(id, (size_t)(last - id));
    aws__rule_id_split(head, &t->bus, &t->rule);
    t->target = tsk_xstrdup(last + 1);
    free(head);
    return 0;
}

static void tid_free(struct tid *t)
{
    free(t->bus);
    free(t->rule);
    free(t->target);
}

static char *tid_make(const char *bus, const char *rule, const char *target)
{
    char *r = aws__rule_id(bus, rule);
    char *s = tsk_xasprintf("%s/%s", r, target);
    free(r);
    return s;
}

/* Per-entry failures of PutTargets/RemoveTargets as one error each. */
static int entry_failures(const struct tsk_rcall *c, const char *op,
                          const cJSON *r, struct tsk_diags *d)
{
    int n = (int)aws__jnum(r, "FailedEntryCount", 0), rc = 0;
    const cJSON *fe = cJSON_GetObjectItemCaseSensitive(r, "FailedEntries");
    for (const cJSON *e = fe ? fe->child : NULL; e; e = e->next) {
        rc = tsk_diag_error(d, NULL, "%s: %s failed for target %s: %s: %s",
                            c->addr, op, aws__jstr(e, "TargetId"),
                            aws__jstr(e, "ErrorCode"),
                            aws__jstr(e, "ErrorMessage"));
        tsk_diag_addr(d, c->addr);
    }
    if (n > 0 && rc == 0)
        rc = tsk_diag_error(d, NULL, "%s: %s reported %d failed entries",
                            c->addr, op, n);
    return rc;
}

static cJSON *from_remote(const cJSON *t, const char *bus, const char *rule)
{
    cJSON *o = aws__obj();
    aws__str(o, "rule", rule);
    aws__str(o, "event_bus_name", bus);
    aws__str(o, "target_id", aws__jstr(t, "Id"));
    aws__str(o, "arn", aws__jstr(t, "Arn"));
    const char *in = aws__jstr(t, "Input");
    if (in && *in) {
        char *canon = aws__json_canon(in);
        aws__str(o, "input", canon);
        free(canon);
    }
    const cJSON *rp = cJSON_GetObjectItemCaseSensitive(t, "RetryPolicy");
    if (cJSON_IsObject(rp)) {
        cJSON *x = aws__obj();
        aws__num(x, "maximum_event_age_in_seconds",
                 aws__jnum(rp, "MaximumEventAgeInSeconds", 86400));
        aws__num(x, "maximum_retry_attempts",
                 aws__jnum(rp, "MaximumRetryAttempts", 185));
        cJSON_AddItemToObject(o, "retry_policy", x);
    }
    const cJSON *dl = cJSON_GetObjectItemCaseSensitive(t, "DeadLetterConfig");
    aws__str(o, "dead_letter_arn", aws__jstr(dl, "Arn"));
    char *id = tid_make(bus, rule, aws__jstr(t, "Id"));
    aws__str(o, "id", id);
    free(id);
    return o;
}

static int target_get(const struct tsk_rcall *c, const char *bus,
                      const char *rule, const char *target, cJSON **out,
                      struct tsk_diags *d)
{
    char *token = NULL;
    int rc = 0;
    *out = NULL;
    do {
        cJSON *b = aws__obj(), *r = NULL;
        aws__str(b, "Rule", rule);
        aws__str(b, "EventBusName", bus);
        aws__str(b, "NextToken", token);
        rc = aws__rpc(c, "events", "ListTargetsByRule", b, TSK_AWS_NOTFOUND, &r,
                      d);
        cJSON_Delete(b);
        free(token);
        token = NULL;
        const cJSON *ts = cJSON_GetObjectItemCaseSensitive(r, "Targets");
        for (const cJSON *t = ts ? ts->child : NULL; t && !*out; t = t->next)
            if (aws__jstr(t, "Id") && strcmp(aws__jstr(t, "Id"), target) == 0)
                *out = from_remote(t, bus, rule);
        if (rc == 0 && !*out && aws__jstr(r, "NextToken"))
            token = tsk_xstrdup(aws__jstr(r, "NextToken"));
        cJSON_Delete(r);
    } while (token);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int tg_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    struct tid t;
    (void)prior;
    *out = NULL;
    if (!id || !*id)
        return 0;
    if (tid_split(id, &t) != 0) {
        tsk_diag_error(d, NULL,
                       "%s: \"%s\" is not a target id "
                       "([BUS/]RULE/TARGET_ID)",
                       c->addr, id);
        tsk_diag_addr(d, c->addr);
        return TSK_EINVAL;
    }
    int rc = target_get(c, t.bus, t.rule, t.target, out, d);
    tid_free(&t);
    return rc;
}

static int put_target(const struct tsk_rcall *c, const cJSON *p,
                      struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *list = aws__arr(), *t = aws__obj(), *r = NULL;
    const char *bus = aws__jstr(p, "event_bus_name");
    aws__str(b, "Rule", aws__jstr(p, "rule"));
    aws__str(b, "EventBusName", bus ? bus : "default");
    aws__str(t, "Id", aws__jstr(p, "target_id"));
    aws__str(t, "Arn", aws__jstr(p, "arn"));
    aws__str(t, "Input", aws__jstr(p, "input"));
    const cJSON *rp = cJSON_GetObjectItemCaseSensitive(p, "retry_policy");
    if (cJSON_IsObject(rp)) {
        cJSON *x = aws__obj();
        aws__num(x, "MaximumRetryAttempts",
                 aws__jnum(rp, "maximum_retry_attempts", 185));
        aws__num(x, "MaximumEventAgeInSeconds",
                 aws__jnum(rp, "maximum_event_age_in_seconds", 86400));
        cJSON_AddItemToObject(t, "RetryPolicy", x);
    }
    if (aws__jstr(p, "dead_letter_arn")) {
        cJSON *x = aws__obj();
        aws__str(x, "Arn", aws__jstr(p, "dead_letter_arn"));
        cJSON_AddItemToObject(t, "DeadLetterConfig", x);
    }
    cJSON_AddItemToArray(list, t);
    cJSON_AddItemToObject(b, "Targets", list);
    int rc = aws__rpc(c, "events", "PutTargets", b, 0, &r, d);
    cJSON_Delete(b);
    if (rc == 0)
        rc = entry_failures(c, "PutTargets", r, d);
    cJSON_Delete(r);
    return rc;
}

static int tg_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *bus = aws__jstr(p, "event_bus_name");
    const char *rule = aws__jstr(p, "rule"), *tid = aws__jstr(p, "target_id");
    *out_id = NULL;
    *out = NULL;
    if (!rule || !tid || !aws__jstr(p, "arn"))
        return tsk_diag_error(d, NULL,
                              "%s: a target needs rule, target_id "
                              "and arn",
                              c->addr);
    int rc = put_target(c, p, d);
    if (rc == 0)
        rc = target_get(c, bus ? bus : "default", rule, tid, out, d);
    rc = aws__created(c, rc, out, "target", tid, d);
    if (rc == 0)
        *out_id = tid_make(bus, rule, tid);
    return rc;
}

static int tg_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    int rc = put_target(c, p, d);
    return aws__reread(c, rc, tg_read, "target", id, p, out, d);
}

static int tg_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    struct tid t;
    (void)prior;
    if (!id || !*id || tid_split(id, &t) != 0)
        return 0;
    cJSON *b = aws__obj(), *ids = aws__arr(), *r = NULL;
    aws__str(b, "Rule", t.rule);
    aws__str(b, "EventBusName", t.bus);
    cJSON_AddItemToArray(ids, cJSON_CreateString(t.target));
    cJSON_AddItemToObject(b, "Ids", ids);
    int rc = aws__rpc(c, "events", "RemoveTargets", b, TSK_AWS_NOTFOUND, &r, d);
    if (rc == 0)
        rc = entry_failures(c, "RemoveTargets", r, d);
    cJSON_Delete(b);
    cJSON_Delete(r);
    tid_free(&t);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int tg_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *bus = aws__jstr(p, "event_bus_name");
    const char *rule = aws__jstr(p, "rule"), *tid = aws__jstr(p, "target_id");
    *out_id = NULL;
    *out = NULL;
    int rc = rule && tid
                 ? target_get(c, bus ? bus : "default", rule, tid, out, d)
                 : 0;
    if (rc == 0 && *out)
        *out_id = tid_make(bus, rule, tid);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_event_target = {
    .name = "aws_cloudwatch_event_target",
    .schema = &schema,
    .read = tg_read,
    .create = tg_create,
    .update = tg_update,
    .delete = tg_delete,
    .find = tg_find,
    .import = NULL,
};

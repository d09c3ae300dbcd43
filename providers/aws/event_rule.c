/*
 * event_rule.c - aws_cloudwatch_event_rule (EventBridge, JSON 1.1): an
 * event pattern (compared as canonical JSON) or a schedule on a bus.
 * PutRule creates and, being a full replace, also updates; tags go with
 * the create and through Tag/UntagResource later. DeleteRule fails while
 * targets remain, so the targets are deleted first (they depend on the
 * rule). Id: NAME on the default bus, BUS/NAME on another (as Terraform).
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define OPT TSK_A_OPTIONAL
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, TSK_A_REQUIRED | FNEW, NULL, "rule name"},
    {"event_bus_name", TSK_T_STRING, OPT | TSK_A_COMPUTED | FNEW, NULL,
     "bus (default: default)"},
    {"event_pattern", TSK_T_STRING, OPT, NULL, "event pattern (JSON)"},
    {"schedule_expression", TSK_T_STRING, OPT, NULL, "rate(...) or cron(...)"},
    {"description", TSK_T_STRING, OPT, NULL, "description"},
    {"state", TSK_T_STRING, OPT | TSK_A_COMPUTED, NULL, "ENABLED or DISABLED"},
    {"tags", TSK_T_MAP, OPT, NULL, "tags"},
    {"arn", TSK_T_STRING, TSK_A_COMPUTED, NULL, "rule ARN"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "[BUS/]NAME"},
    {NULL, 0, 0, NULL, NULL},
};

/* "bus/name" or "name" -> bus ("default") and name. */
void aws__rule_id_split(const char *id, char **bus, char **name)
{
    const char *slash = strrchr(id, '/');
    *bus =
        slash ? tsk_xstrndup(id, (size_t)(slash - id)) : tsk_xstrdup("default");
    *name = tsk_xstrdup(slash ? slash + 1 : id);
}

char *aws__rule_id(const char *bus, const char *name)
{
    if (!bus || strcmp(bus, "default") == 0)
        return tsk_xstrdup(name);
    return tsk_xasprintf("%s/%s", bus, name);
}

static int rule_get(const struct tsk_rcall *c, const char *bus,
                    const char *name, cJSON **out, struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *r = NULL;
    *out = NULL;
    aws__str(b, "Name", name);
    aws__str(b, "EventBusName", bus);
    int rc = aws__rpc(c, "events", "DescribeRule", b, TSK_AWS_NOTFOUND, &r, d);
    cJSON_Delete(b);
    if (rc) {
        cJSON_Delete(r);
        return rc == TSK_ENOTFOUND ? 0 : rc;
    }
    cJSON *o = aws__obj();
    const char *arn = aws__jstr(r, "Arn");
    aws__str(o, "name", aws__jstr(r, "Name"));
    aws__str(o, "event_bus_name", bus);
    const char *pat = aws__jstr(r, "EventPattern");
    if (pat && *pat) {
        char *canon = aws__json_canon(pat);
        aws__str(o, "event_pattern", canon);
        free(canon);
    }
    const char *sched = aws__jstr(r, "ScheduleExpression");
    if (sched && *sched)
        aws__str(o, "schedule_expression", sched);
    const char *desc = aws__jstr(r, "Description");
    if (desc && *desc)
        aws__str(o, "description", desc);
    aws__str(o, "state", aws__jstr(r, "State"));
    if (arn)
        rc = aws__ev_tags_read(c, arn, o, d);
    aws__str(o, "arn", arn);
    char *id = aws__rule_id(bus, name);
    aws__str(o, "id", id);
    free(id);
    cJSON_Delete(r);
    if (rc) {
        cJSON_Delete(o);
        return rc;
    }
    *out = o;
    return 0;
}

static int rule_read(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    char *bus, *name;
    (void)prior;
    *out = NULL;
    if (!id || !*id)
        return 0;
    aws__rule_id_split(id, &bus, &name);
    int rc = rule_get(c, bus, name, out, d);
    free(bus);
    free(name);
    return rc;
}

static int put_rule(const struct tsk_rcall *c, const cJSON *p, int create,
                    struct tsk_diags *d)
{
    cJSON *b = aws__obj();
    const char *bus = aws__jstr(p, "event_bus_name");
    aws__str(b, "Name", aws__jstr(p, "name"));
    aws__str(b, "EventBusName", bus ? bus : "default");
    const char *pat = aws__jstr(p, "event_pattern");
    aws__str(b, "EventPattern", pat);
    aws__str(b, "ScheduleExpression", aws__jstr(p, "schedule_expression"));
    aws__str(b, "Description", aws__jstr(p, "description"));
    const char *state = aws__jstr(p, "state");
    aws__str(b, "State", state ? state : "ENABLED");
    if (create) {
        cJSON *t = aws__tags_send(c, p, NULL, NULL);
        cJSON_AddItemToObject(b, "Tags", aws__tag_list(t, "Key", "Value"));
        cJSON_Delete(t);
    }
    int rc = aws__rpc(c, "events", "PutRule", b, 0, NULL, d);
    cJSON_Delete(b);
    return rc;
}

static int rule_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                       cJSON **out, struct tsk_diags *d)
{
    const char *bus = aws__jstr(p, "event_bus_name");
    const char *name = aws__jstr(p, "name");
    *out_id = NULL;
    *out = NULL;
    if (!name)
        return tsk_diag_error(d, NULL, "%s: no rule name", c->addr);
    if (!aws__jstr(p, "event_pattern") && !aws__jstr(p, "schedule_expression"))
        return tsk_diag_error(d, NULL,
                              "%s: a rule needs an event pattern or "
                              "a schedule expression",
                              c->addr);
    int rc = put_rule(c, p, 1, d);
    if (rc == 0)
        rc = rule_get(c, bus ? bus : "default", name, out, d);
    rc = aws__created(c, rc, out, "rule", name, d);
    if (rc == 0)
        *out_id = aws__rule_id(bus, name);
    return rc;
}

static int rule_update(const struct tsk_rcall *c, const char *id,
                       const cJSON *prior, const cJSON *p, cJSON **out,
                       struct tsk_diags *d)
{
    *out = NULL;
    int rc = put_rule(c, p, 0, d);
    const char *arn = aws__jstr(prior, "arn");
    if (rc == 0 && arn)
        rc = aws__ev_tags_update(c, arn, prior, p, d);
    return aws__reread(c, rc, rule_read, "rule", id, p, out, d);
}

static int rule_delete(const struct tsk_rcall *c, const char *id,
                       const cJSON *prior, struct tsk_diags *d)
{
    char *bus, *name;
    (void)prior;
    if (!id || !*id)
        return 0;
    aws__rule_id_split(id, &bus, &name);
    cJSON *b = aws__obj();
    aws__str(b, "Name", name);
    aws__str(b, "EventBusName", bus);
    int rc = aws__rpc(c, "events", "DeleteRule", b, TSK_AWS_NOTFOUND, NULL, d);
    cJSON_Delete(b);
    free(bus);
    free(name);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int rule_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *bus = aws__jstr(p, "event_bus_name");
    const char *name = aws__jstr(p, "name");
    *out_id = NULL;
    *out = NULL;
    int rc = name ? rule_get(c, bus ? bus : "default", name, out, d) : 0;
    if (rc == 0 && *out)
        *out_id = aws__rule_id(bus, name);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_event_rule = {
    .name = "aws_cloudwatch_event_rule",
    .schema = &schema,
    .read = rule_read,
    .create = rule_create,
    .update = rule_update,
    .delete = rule_delete,
    .find = rule_find,
    .import = NULL,
};

/*
 * appautoscaling_policy.c - aws_appautoscaling_policy (Application Auto
 * Scaling, JSON 1.1): target tracking on provisioned-concurrency
 * utilisation. PutScalingPolicy creates and updates,
 * DescribeScalingPolicies reads, DeleteScalingPolicy deletes. The alarms
 * the service makes for the policy are its own (not managed here). Id:
 * NAME|NAMESPACE|RESOURCE_ID|DIMENSION.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "policy name"},
    {"policy_type", TSK_T_STRING, REQ, NULL, "TargetTrackingScaling"},
    {"service_namespace", TSK_T_STRING, REQ | FNEW, NULL, "lambda"},
    {"resource_id", TSK_T_STRING, REQ | FNEW, NULL, "function:NAME:ALIAS"},
    {"scalable_dimension", TSK_T_STRING, REQ | FNEW, NULL,
     "lambda:function:ProvisionedConcurrency"},
    {"target_tracking_scaling_policy_configuration", TSK_T_OBJECT, REQ, NULL,
     "target_value, predefined_metric_specification, cooldowns"},
    {"arn", TSK_T_STRING, TSK_A_COMPUTED, NULL, "policy ARN"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "NAME|NS|RESOURCE|DIMENSION"},
    {NULL, 0, 0, NULL, NULL},
};

static cJSON *tt_body(const cJSON *t)
{
    cJSON *o = aws__obj(), *pm = aws__obj();
    aws__num(o, "TargetValue", aws__jnum(t, "target_value", 0.7));
    const cJSON *pms =
        cJSON_GetObjectItemCaseSensitive(t, "predefined_metric_specification");
    aws__str(pm, "PredefinedMetricType",
             aws__jstr(pms, "predefined_metric_type"));
    cJSON_AddItemToObject(o, "PredefinedMetricSpecification", pm);
    if (cJSON_GetObjectItemCaseSensitive(t, "scale_in_cooldown"))
        aws__num(o, "ScaleInCooldown", aws__jnum(t, "scale_in_cooldown", 0));
    if (cJSON_GetObjectItemCaseSensitive(t, "scale_out_cooldown"))
        aws__num(o, "ScaleOutCooldown", aws__jnum(t, "scale_out_cooldown", 0));
    return o;
}

static cJSON *tt_read(const cJSON *t)
{
    cJSON *o = aws__obj(), *pm = aws__obj();
    const cJSON *pms =
        cJSON_GetObjectItemCaseSensitive(t, "PredefinedMetricSpecification");
    aws__str(pm, "predefined_metric_type",
             aws__jstr(pms, "PredefinedMetricType"));
    cJSON_AddItemToObject(o, "predefined_metric_specification", pm);
    if (cJSON_GetObjectItemCaseSensitive(t, "ScaleInCooldown"))
        aws__num(o, "scale_in_cooldown", aws__jnum(t, "ScaleInCooldown", 0));
    if (cJSON_GetObjectItemCaseSensitive(t, "ScaleOutCooldown"))
        aws__num(o, "scale_out_cooldown", aws__jnum(t, "ScaleOutCooldown", 0));
    aws__num(o, "target_value", aws__jnum(t, "TargetValue", 0));
    return o;
}

static int split(const char *id, char **name, char **ns, char **res, char **dim)
{
    const char *bar = id ? strchr(id, '|') : NULL;
    *name = NULL;
    if (!bar || aws__scaling_id(bar + 1, ns, res, dim) != 0)
        return TSK_EINVAL;
    *name = tsk_xstrndup(id, (size_t)(bar - id));
    return 0;
}

static int policy_get(const struct tsk_rcall *c, const char *name,
                      const char *ns, const char *res, const char *dim,
                      cJSON **out, struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *names = aws__arr(), *r = NULL;
    *out = NULL;
    cJSON_AddItemToArray(names, cJSON_CreateString(name));
    cJSON_AddItemToObject(b, "PolicyNames", names);
    aws__str(b, "ServiceNamespace", ns);
    aws__str(b, "ResourceId", res);
    aws__str(b, "ScalableDimension", dim);
    int rc = aws__rpc(c, "application-autoscaling", "DescribeScalingPolicies",
                      b, 0, &r, d);
    cJSON_Delete(b);
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(r, "ScalingPolicies");
    for (const cJSON *p = ps ? ps->child : NULL; rc == 0 && p && !*out;
         p = p->next) {
        if (!aws__jstr(p, "PolicyName") ||
            strcmp(aws__jstr(p, "PolicyName"), name) != 0)
            continue;
        cJSON *o = aws__obj();
        aws__str(o, "name", name);
        aws__str(o, "policy_type", aws__jstr(p, "PolicyType"));
        aws__str(o, "service_namespace", ns);
        aws__str(o, "resource_id", res);
        aws__str(o, "scalable_dimension", dim);
        const cJSON *tt = cJSON_GetObjectItemCaseSensitive(
            p, "TargetTrackingScalingPolicyConfiguration");
        if (cJSON_IsObject(tt))
            cJSON_AddItemToObject(
                o, "target_tracking_scaling_policy_configuration", tt_read(tt));
        aws__str(o, "arn", aws__jstr(p, "PolicyARN"));
        char *id = tsk_xasprintf("%s|%s|%s|%s", name, ns, res, dim);
        aws__str(o, "id", id);
        free(id);
        *out = o;
    }
    cJSON_Delete(r);
    return rc;
}

static int ap_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    char *name, *ns = NULL, *res = NULL, *dim = NULL;
    (void)prior;
    *out = NULL;
    if (!id || !*id)
        return 0;
    if (split(id, &name, &ns, &res, &dim) != 0) {
        free(ns);
        free(res);
        free(dim);
        return tsk_diag_error(d, NULL,
                              "%s: \"%s\" is not a scaling policy "
                              "id",
                              c->addr, id);
    }
    int rc = policy_get(c, name, ns, res, dim, out, d);
    free(name);
    free(ns);
    free(res);
    free(dim);
    return rc;
}

static int put(const struct tsk_rcall *c, const cJSON *p, struct tsk_diags *d)
{
    cJSON *b = aws__scaling_body(
        aws__jstr(p, "name"), aws__jstr(p, "service_namespace"),
        aws__jstr(p, "resource_id"), aws__jstr(p, "scalable_dimension"));
    aws__str(b, "PolicyType", aws__jstr(p, "policy_type"));
    cJSON_AddItemToObject(
        b, "TargetTrackingScalingPolicyConfiguration",
        tt_body(cJSON_GetObjectItemCaseSensitive(
            p, "target_tracking_scaling_policy_configuration")));
    int rc = aws__rpc(c, "application-autoscaling", "PutScalingPolicy", b, 0,
                      NULL, d);
    cJSON_Delete(b);
    return rc;
}

static int ap_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    const char *ns = aws__jstr(p, "service_namespace");
    const char *res = aws__jstr(p, "resource_id");
    const char *dim = aws__jstr(p, "scalable_dimension");
    *out_id = NULL;
    *out = NULL;
    if (!name || !ns || !res || !dim)
        return tsk_diag_error(d, NULL,
                              "%s: a scaling policy needs name, "
                              "service_namespace, resource_id and "
                              "scalable_dimension",
                              c->addr);
    int rc = put(c, p, d);
    if (rc == 0)
        rc = policy_get(c, name, ns, res, dim, out, d);
    rc = aws__created(c, rc, out, "scaling policy", name, d);
    if (rc == 0)
        *out_id = tsk_xasprintf("%s|%s|%s|%s", name, ns, res, dim);
    return rc;
}

static int ap_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    const char *ns = aws__jstr(p, "service_namespace");
    const char *res = aws__jstr(p, "resource_id");
    const char *dim = aws__jstr(p, "scalable_dimension");
    *out_id = NULL;
    *out = NULL;
    int rc = name && ns && res && dim
                 ? policy_get(c, name, ns, res, dim, out, d)
                 : 0;
    if (rc == 0 && *out)
        *out_id = tsk_xasprintf("%s|%s|%s|%s", name, ns, res, dim);
    return rc;
}

static int ap_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    return aws__reread(c, put(c, p, d), ap_read, "scaling policy", id, p,
                       out, d);
}

static int ap_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    char *name, *ns = NULL, *res = NULL, *dim = NULL;
    cJSON *cur = NULL;
    (void)prior;
    if (!id || split(id, &name, &ns, &res, &dim) != 0) {
        free(ns);
        free(res);
        free(dim);
        return 0;
    }
    /* a missing policy is ValidationException in moto: look first */
    int rc = policy_get(c, name, ns, res, dim, &cur, d);
    if (rc == 0 && cur) {
        cJSON *b = aws__scaling_body(name, ns, res, dim);
        rc = aws__rpc(c, "application-autoscaling", "DeleteScalingPolicy", b,
                      TSK_AWS_NOTFOUND, NULL, d);
        cJSON_Delete(b);
    }
    cJSON_Delete(cur);
    free(name);
    free(ns);
    free(res);
    free(dim);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_appautoscaling_policy = {
    .name = "aws_appautoscaling_policy",
    .schema = &schema,
    .read = ap_read,
    .create = ap_create,
    .update = ap_update,
    .delete = ap_delete,
    .find = ap_find,
    .import = NULL,
};

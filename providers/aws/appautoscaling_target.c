/*
 * appautoscaling_target.c - aws_appautoscaling_target (Application Auto
 * Scaling, JSON 1.1): the scalable target of a function alias's
 * provisioned concurrency, with its minimum and maximum.
 * RegisterScalableTarget creates and updates, DescribeScalableTargets
 * reads (absent = an empty list), DeregisterScalableTarget deletes (and
 * takes the target's policies with it). Id: NAMESPACE/RESOURCE_ID/DIMENSION
 * joined with '|'.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"service_namespace", TSK_T_STRING, REQ | FNEW, NULL, "lambda"},
    {"resource_id", TSK_T_STRING, REQ | FNEW, NULL, "function:NAME:ALIAS"},
    {"scalable_dimension", TSK_T_STRING, REQ | FNEW, NULL,
     "lambda:function:ProvisionedConcurrency"},
    {"min_capacity", TSK_T_NUMBER, REQ, NULL, "minimum"},
    {"max_capacity", TSK_T_NUMBER, REQ, NULL, "maximum"},
    {"arn", TSK_T_STRING, TSK_A_COMPUTED, NULL, "scalable target ARN"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "NAMESPACE|RESOURCE|DIMENSION"},
    {NULL, 0, 0, NULL, NULL},
};

/* "ns|resource|dimension" -> three strings (caller frees *parts). */
int aws__scaling_id(const char *id, char **ns, char **res, char **dim)
{
    const char *a = id ? strchr(id, '|') : NULL;
    const char *b = a ? strchr(a + 1, '|') : NULL;
    *ns = *res = *dim = NULL;
    if (!a || !b)
        return TSK_EINVAL;
    *ns = tsk_xstrndup(id, (size_t)(a - id));
    *res = tsk_xstrndup(a + 1, (size_t)(b - a - 1));
    *dim = tsk_xstrdup(b + 1);
    return 0;
}

cJSON *aws__scaling_body(const char *policy, const char *ns, const char *res,
                         const char *dim)
{
    cJSON *b = aws__obj();
    if (policy)
        aws__str(b, "PolicyName", policy);
    aws__str(b, "ServiceNamespace", ns);
    aws__str(b, "ResourceId", res);
    aws__str(b, "ScalableDimension", dim);
    return b;
}

static int target_get(const struct tsk_rcall *c, const char *ns,
                      const char *res, const char *dim, cJSON **out,
                      struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *ids = aws__arr(), *r = NULL;
    *out = NULL;
    aws__str(b, "ServiceNamespace", ns);
    cJSON_AddItemToArray(ids, cJSON_CreateString(res));
    cJSON_AddItemToObject(b, "ResourceIds", ids);
    aws__str(b, "ScalableDimension", dim);
    int rc = aws__rpc(c, "application-autoscaling", "DescribeScalableTargets",
                      b, 0, &r, d);
    cJSON_Delete(b);
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(r, "ScalableTargets");
    for (const cJSON *t = ts ? ts->child : NULL; rc == 0 && t && !*out;
         t = t->next) {
        if (!aws__jstr(t, "ResourceId") ||
            strcmp(aws__jstr(t, "ResourceId"), res) != 0)
            continue;
        cJSON *o = aws__obj();
        aws__str(o, "service_namespace", ns);
        aws__str(o, "resource_id", res);
        aws__str(o, "scalable_dimension", dim);
        aws__num(o, "min_capacity", aws__jnum(t, "MinCapacity", 0));
        aws__num(o, "max_capacity", aws__jnum(t, "MaxCapacity", 0));
        aws__str(o, "arn", aws__jstr(t, "ScalableTargetARN"));
        char *id = tsk_xasprintf("%s|%s|%s", ns, res, dim);
        aws__str(o, "id", id);
        free(id);
        *out = o;
    }
    cJSON_Delete(r);
    return rc;
}

static int at_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    char *ns, *res, *dim;
    (void)prior;
    *out = NULL;
    if (!id || !*id)
        return 0;
    if (aws__scaling_id(id, &ns, &res, &dim) != 0)
        return tsk_diag_error(d, NULL,
                              "%s: \"%s\" is not a scalable target "
                              "id (NAMESPACE|RESOURCE_ID|DIMENSION)",
                              c->addr, id);
    int rc = target_get(c, ns, res, dim, out, d);
    free(ns);
    free(res);
    free(dim);
    return rc;
}

static int put(const struct tsk_rcall *c, const cJSON *p, struct tsk_diags *d)
{
    cJSON *b = aws__scaling_body(NULL, aws__jstr(p, "service_namespace"),
                                 aws__jstr(p, "resource_id"),
                                 aws__jstr(p, "scalable_dimension"));
    aws__num(b, "MinCapacity", aws__jnum(p, "min_capacity", 0));
    aws__num(b, "MaxCapacity", aws__jnum(p, "max_capacity", 0));
    cJSON_AddItemToObject(b, "Tags", aws__tags_send(c, p, NULL, NULL));
    int rc = aws__rpc(c, "application-autoscaling", "RegisterScalableTarget", b,
                      0, NULL, d);
    cJSON_Delete(b);
    return rc;
}

static int at_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    *out_id = NULL;
    *out = NULL;
    const char *ns = aws__jstr(p, "service_namespace");
    const char *res = aws__jstr(p, "resource_id");
    const char *dim = aws__jstr(p, "scalable_dimension");
    if (!ns || !res || !dim)
        return tsk_diag_error(d, NULL,
                              "%s: a scalable target needs "
                              "service_namespace, resource_id and "
                              "scalable_dimension",
                              c->addr);
    int rc = put(c, p, d);
    if (rc == 0)
        rc = target_get(c, ns, res, dim, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL,
                            "%s: scalable target %s vanished after "
                            "its registration",
                            c->addr, res);
    if (rc == 0)
        *out_id = tsk_xasprintf("%s|%s|%s", ns, res, dim);
    return rc;
}

static int at_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *ns = aws__jstr(p, "service_namespace");
    const char *res = aws__jstr(p, "resource_id");
    const char *dim = aws__jstr(p, "scalable_dimension");
    *out_id = NULL;
    *out = NULL;
    int rc = ns && res && dim ? target_get(c, ns, res, dim, out, d) : 0;
    if (rc == 0 && *out)
        *out_id = tsk_xasprintf("%s|%s|%s", ns, res, dim);
    return rc;
}

static int at_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    return aws__reread(c, put(c, p, d), at_read, "scalable target", id, p,
                       out, d);
}

static int at_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    char *ns, *res, *dim;
    cJSON *cur = NULL;
    (void)prior;
    if (!id || aws__scaling_id(id, &ns, &res, &dim) != 0)
        return 0;
    /* moto answers ValidationException, AWS ObjectNotFound, for a missing
     * target: look first */
    int rc = target_get(c, ns, res, dim, &cur, d);
    if (rc == 0 && cur) {
        cJSON *b = aws__scaling_body(NULL, ns, res, dim);
        rc = aws__rpc(c, "application-autoscaling", "DeregisterScalableTarget",
                      b, TSK_AWS_NOTFOUND, NULL, d);
        cJSON_Delete(b);
    }
    cJSON_Delete(cur);
    free(ns);
    free(res);
    free(dim);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_appautoscaling_target = {
    .name = "aws_appautoscaling_target",
    .schema = &schema,
    .read = at_read,
    .create = at_create,
    .update = at_update,
    .delete = at_delete,
    .find = at_find,
    .import = NULL,
};

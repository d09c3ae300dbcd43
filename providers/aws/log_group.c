/*
 * log_group.c - aws_cloudwatch_log_group (CloudWatch Logs, JSON 1.1):
 * CreateLogGroup with tags, Put/DeleteRetentionPolicy; read is
 * DescribeLogGroups by prefix (an exact name match) plus ListTagsLogGroup.
 * Id: the log group name.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "log group name"},
    {"retention_in_days", TSK_T_NUMBER, OPT, NULL,
     "days events are kept (absent: forever)"},
    {"tags", TSK_T_MAP, OPT, NULL, "tags"},
    {"arn", TSK_T_STRING, COMP, NULL, "log group ARN"},
    {"id", TSK_T_STRING, COMP, NULL, "log group name"},
    {NULL, 0, 0, NULL, NULL},
};

static int logs(const struct tsk_rcall *c, const char *op, const cJSON *body,
                unsigned quiet, cJSON **json, struct tsk_diags *d)
{
    return aws__rpc(c, "logs", op, body, quiet, json, d);
}

static const struct aws_tagging tagging = {.service = "logs",
                                           .untag_op = "UntagLogGroup",
                                           .tag_op = "TagLogGroup",
                                           .id_key = "logGroupName",
                                           .keys_key = "tags",
                                           .tags_key = "tags"};

static cJSON *name_body(const char *name)
{
    cJSON *b = aws__obj();
    aws__str(b, "logGroupName", name);
    return b;
}

static int lg_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    cJSON *b = name_body(id), *resp = NULL;
    const cJSON *found = NULL;
    (void)prior;
    *out = NULL;
    if (!id || !*id) /* a create that failed before it had an id */
        return 0;
    cJSON_DeleteItemFromObjectCaseSensitive(b, "logGroupName");
    aws__str(b, "logGroupNamePrefix", id);
    int rc = logs(c, "DescribeLogGroups", b, 0, &resp, d);
    cJSON_Delete(b);
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(resp, "logGroups");
    for (const cJSON *g = groups ? groups->child : NULL; rc == 0 && g;
         g = g->next)
        if (aws__jstr(g, "logGroupName") &&
            strcmp(aws__jstr(g, "logGroupName"), id) == 0)
            found = g;
    if (rc || !found) {
        cJSON_Delete(resp);
        return rc;
    }
    cJSON *o = aws__obj(), *tags = NULL;
    aws__str(o, "name", id);
    const cJSON *ret = cJSON_GetObjectItemCaseSensitive(found, "retentionInDays");
    if (cJSON_IsNumber(ret))
        aws__num(o, "retention_in_days", ret->valuedouble);
    b = name_body(id);
    rc = logs(c, "ListTagsLogGroup", b, TSK_AWS_NOTFOUND, &tags, d);
    cJSON_Delete(b);
    if (rc == TSK_ENOTFOUND) { /* deleted between the two calls */
        cJSON_Delete(o);
        cJSON_Delete(resp);
        return 0;
    }
    cJSON *user =
        aws__tags_user(cJSON_GetObjectItemCaseSensitive(tags, "tags"));
    if (user)
        cJSON_AddItemToObject(o, "tags", user);
    const char *arn = aws__jstr(found, "arn");
    if (arn) {
        size_t n = strlen(arn);
        char *a = tsk_xstrdup(arn);
        if (n > 2 && strcmp(a + n - 2, ":*") == 0)
            a[n - 2] = '\0';
        aws__str(o, "arn", a);
        free(a);
    }
    aws__str(o, "id", id);
    cJSON_Delete(tags);
    cJSON_Delete(resp);
    if (rc)
        cJSON_Delete(o);
    else
        *out = o;
    return rc;
}

static int put_retention(const struct tsk_rcall *c, const char *name,
                         const cJSON *p, int had, struct tsk_diags *d)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, "retention_in_days");
    cJSON *b = name_body(name);
    int rc = 0;
    if (cJSON_IsNumber(v)) {
        aws__num(b, "retentionInDays", v->valuedouble);
        rc = logs(c, "PutRetentionPolicy", b, 0, NULL, d);
    } else if (had) {
        rc = logs(c, "DeleteRetentionPolicy", b, 0, NULL, d);
    }
    cJSON_Delete(b);
    return rc;
}

static int lg_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    cJSON *b = name_body(name);
    *out_id = NULL;
    *out = NULL;
    cJSON_AddItemToObject(b, "tags", aws__tags_send(c, p, NULL, NULL));
    int rc = logs(c, "CreateLogGroup", b, 0, NULL, d);
    cJSON_Delete(b);
    if (rc == 0) /* from here on, a failure leaves a known object */
        *out_id = tsk_xstrdup(name);
    if (rc == 0)
        rc = put_retention(c, name, p, 0, d);
    if (rc == 0)
        rc = lg_read(c, name, p, out, d);
    rc = aws__created(c, rc, out, "log group", name, d);
    return rc;
}

static int lg_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    int rc = 0;
    *out = NULL;
    if (aws__changed(prior, p, "retention_in_days"))
        rc = put_retention(c, id, p, 1, d);
    if (rc == 0)
        rc = aws__tags_rpc(c, &tagging, id, prior, p, d);
    return aws__reread(c, rc, lg_read, "log group", id, p, out, d);
}

static int lg_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    cJSON *b = name_body(id);
    (void)prior;
    int rc = logs(c, "DeleteLogGroup", b, TSK_AWS_NOTFOUND, NULL, d);
    cJSON_Delete(b);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int lg_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    *out_id = NULL;
    *out = NULL;
    if (!name)
        return 0;
    int rc = lg_read(c, name, p, out, d);
    if (rc == 0 && *out)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_log_group = {
    .name = "aws_cloudwatch_log_group",
    .schema = &schema,
    .read = lg_read,
    .create = lg_create,
    .update = lg_update,
    .delete = lg_delete,
    .find = lg_find,
    .import = NULL,
};

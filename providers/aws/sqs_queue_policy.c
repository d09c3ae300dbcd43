/*
 * sqs_queue_policy.c - aws_sqs_queue_policy (SQS, JSON 1.0): the access
 * policy of a queue, here the dead-letter queue's, letting EventBridge
 * rules send the events they could not deliver. SetQueueAttributes(Policy)
 * creates and updates, read is GetQueueAttributes(Policy) compared as
 * canonical JSON, delete sets an empty policy. Id: the queue URL.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

static const struct tsk_attr_schema attrs[] = {
    {"queue_url", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW,
     "aws_sqs_queue", "queue URL"},
    {"policy", TSK_T_STRING, TSK_A_REQUIRED, NULL, "policy document (JSON)"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "queue URL"},
    {NULL, 0, 0, NULL, NULL},
};

static int set_policy(const struct tsk_rcall *c, const char *url,
                      const char *policy, unsigned quiet, struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *a = aws__obj();
    aws__str(b, "QueueUrl", url);
    aws__str(a, "Policy", policy);
    cJSON_AddItemToObject(b, "Attributes", a);
    int rc = aws__rpc(c, "sqs", "SetQueueAttributes", b, quiet, NULL, d);
    cJSON_Delete(b);
    return rc;
}

static int qp_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *names = aws__arr(), *r = NULL;
    (void)prior;
    *out = NULL;
    if (!id || !*id) {
        cJSON_Delete(b);
        cJSON_Delete(names);
        return 0;
    }
    aws__str(b, "QueueUrl", id);
    cJSON_AddItemToArray(names, cJSON_CreateString("Policy"));
    cJSON_AddItemToObject(b, "AttributeNames", names);
    int rc =
        aws__rpc(c, "sqs", "GetQueueAttributes", b, TSK_AWS_NOTFOUND, &r, d);
    cJSON_Delete(b);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(r, "Attributes");
    const char *pol = aws__jstr(a, "Policy");
    if (rc == 0 && pol && *pol) {
        cJSON *o = aws__obj();
        char *canon = aws__json_canon(pol);
        aws__str(o, "queue_url", id);
        aws__str(o, "policy", canon);
        aws__str(o, "id", id);
        free(canon);
        *out = o;
    }
    cJSON_Delete(r);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int qp_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *url = aws__jstr(p, "queue_url");
    *out_id = NULL;
    *out = NULL;
    if (!url || !aws__jstr(p, "policy"))
        return tsk_diag_error(d, NULL,
                              "%s: a queue policy needs queue_url "
                              "and policy",
                              c->addr);
    int rc = set_policy(c, url, aws__jstr(p, "policy"), 0, d);
    if (rc == 0)
        rc = qp_read(c, url, p, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL,
                            "%s: the policy of %s is empty after "
                            "it was set",
                            c->addr, url);
    if (rc == 0)
        *out_id = tsk_xstrdup(url);
    return rc;
}

/* The queue (its URL, from the queue it belongs to) with a policy set. */
static int qp_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *url = aws__jstr(p, "queue_url");
    *out_id = NULL;
    *out = NULL;
    int rc = url ? qp_read(c, url, p, out, d) : 0;
    if (rc == 0 && *out)
        *out_id = tsk_xstrdup(url);
    return rc;
}

static int qp_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    int rc = set_policy(c, id, aws__jstr(p, "policy"), 0, d);
    if (rc == 0)
        rc = qp_read(c, id, p, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL,
                            "%s: the policy of %s is empty after "
                            "it was set",
                            c->addr, id);
    return rc;
}

static int qp_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    (void)prior;
    if (!id || !*id)
        return 0;
    int rc = set_policy(c, id, "", TSK_AWS_NOTFOUND, d);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_sqs_queue_policy = {
    .name = "aws_sqs_queue_policy",
    .schema = &schema,
    .read = qp_read,
    .create = qp_create,
    .update = qp_update,
    .delete = qp_delete,
    .find = qp_find,
    .import = NULL,
};

/*
 * sqs_queue.c - aws_sqs_queue (SQS, JSON 1.0): CreateQueue with its
 * attributes and tags, SetQueueAttributes for changes, Tag/UntagQueue;
 * read is GetQueueAttributes(All) plus ListQueueTags. A queue deleted less
 * than 60 s ago cannot be made again (QueueDeletedRecently): the create
 * waits that out. Id: the queue URL.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "queue name"},
    {"fifo_queue", TSK_T_BOOL, OPT | COMP | FNEW, NULL, "a FIFO queue"},
    {"message_retention_seconds", TSK_T_NUMBER, OPT | COMP, NULL,
     "seconds a message is kept"},
    {"visibility_timeout_seconds", TSK_T_NUMBER, OPT | COMP, NULL,
     "seconds a received message stays hidden"},
    {"tags", TSK_T_MAP, OPT, NULL, "tags"},
    {"arn", TSK_T_STRING, COMP, NULL, "queue ARN"},
    {"url", TSK_T_STRING, COMP, NULL, "queue URL"},
    {"id", TSK_T_STRING, COMP, NULL, "queue URL"},
    {NULL, 0, 0, NULL, NULL},
};

static int sqs(const struct tsk_rcall *c, const char *op, const cJSON *body,
               unsigned quiet, cJSON **json, struct tsk_diags *d)
{
    return aws__rpc(c, "sqs", op, body, quiet, json, d);
}

static const struct aws_tagging tagging = {.service = "sqs",
                                           .untag_op = "UntagQueue",
                                           .tag_op = "TagQueue",
                                           .id_key = "QueueUrl",
                                           .keys_key = "TagKeys",
                                           .tags_key = "Tags"};

static cJSON *url_body(const char *url)
{
    cJSON *b = aws__obj();
    aws__str(b, "QueueUrl", url);
    return b;
}

/* The URL of queue name, or NULL when there is none. */
static int queue_url(const struct tsk_rcall *c, const char *name, char **url,
                     struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *resp = NULL;
    aws__str(b, "QueueName", name);
    int rc = sqs(c, "GetQueueUrl", b, TSK_AWS_NOTFOUND, &resp, d);
    cJSON_Delete(b);
    *url = rc == 0 && aws__jstr(resp, "QueueUrl")
               ? tsk_xstrdup(aws__jstr(resp, "QueueUrl"))
               : NULL;
    cJSON_Delete(resp);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int q_read(const struct tsk_rcall *c, const char *id,
                  const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    cJSON *b = url_body(id), *resp = NULL, *tags = NULL;
    (void)prior;
    *out = NULL;
    if (!id || !*id) /* a create that failed before it had an id */
        return 0;
    cJSON *names = aws__arr();
    cJSON_AddItemToArray(names, cJSON_CreateString("All"));
    cJSON_AddItemToObject(b, "AttributeNames", names);
    int rc = sqs(c, "GetQueueAttributes", b, TSK_AWS_NOTFOUND, &resp, d);
    cJSON_Delete(b);
    if (rc == 0) {
        b = url_body(id);
        rc = sqs(c, "ListQueueTags", b, TSK_AWS_NOTFOUND, &tags, d);
        cJSON_Delete(b);
    }
    if (rc) {
        cJSON_Delete(resp);
        cJSON_Delete(tags);
        return rc == TSK_ENOTFOUND ? 0 : rc;
    }
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(resp, "Attributes");
    const char *arn = aws__jstr(a, "QueueArn");
    const char *name = arn ? strrchr(arn, ':') : strrchr(id, '/');
    cJSON *o = aws__obj();
    aws__str(o, "name", name ? name + 1 : id);
    aws__bool(o, "fifo_queue", aws__jbool(a, "FifoQueue", 0));
    aws__num(o, "message_retention_seconds",
             aws__jnum(a, "MessageRetentionPeriod", 345600));
    aws__num(o, "visibility_timeout_seconds",
             aws__jnum(a, "VisibilityTimeout", 30));
    cJSON *user = aws__tags_user(cJSON_GetObjectItemCaseSensitive(tags, "Tags"));
    if (user)
        cJSON_AddItemToObject(o, "tags", user);
    aws__str(o, "arn", arn);
    aws__str(o, "url", id);
    aws__str(o, "id", id);
    cJSON_Delete(resp);
    cJSON_Delete(tags);
    *out = o;
    return 0;
}

static void num_attr(cJSON *a, const cJSON *p, const char *k, const char *sqsk)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, k);
    if (cJSON_IsNumber(v)) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%.0f", v->valuedouble);
        aws__str(a, sqsk, buf);
    }
}

static cJSON *queue_attrs(const cJSON *p, int create)
{
    cJSON *a = aws__obj();
    num_attr(a, p, "message_retention_seconds", "MessageRetentionPeriod");
    num_attr(a, p, "visibility_timeout_seconds", "VisibilityTimeout");
    if (create && aws__jbool(p, "fifo_queue", 0))
        aws__str(a, "FifoQueue", "true");
    return a;
}

static int q_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                    cJSON **out, struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *resp = NULL;
    *out_id = NULL;
    *out = NULL;
    aws__str(b, "QueueName", aws__jstr(p, "name"));
    cJSON_AddItemToObject(b, "Attributes", queue_attrs(p, 1));
    cJSON_AddItemToObject(b, "tags", aws__tags_send(c, p, NULL, NULL));
    int rc = sqs(c, "CreateQueue", b, 0, &resp, d);
    cJSON_Delete(b);
    const char *url = aws__jstr(resp, "QueueUrl");
    if (rc == 0 && !url)
        rc = tsk_diag_error(d, NULL, "%s: CreateQueue returned no QueueUrl",
                            c->addr);
    if (rc == 0) { /* from here on, a failure leaves a known object */
        *out_id = tsk_xstrdup(url);
        rc = q_read(c, url, p, out, d);
    }
    rc = aws__created(c, rc, out, "queue", url, d);
    cJSON_Delete(resp);
    return rc;
}

static int q_update(const struct tsk_rcall *c, const char *id,
                    const cJSON *prior, const cJSON *p, cJSON **out,
                    struct tsk_diags *d)
{
    int rc = 0;
    *out = NULL;
    cJSON *a = queue_attrs(p, 0);
    if (a->child) {
        cJSON *b = url_body(id);
        cJSON_AddItemToObject(b, "Attributes", a);
        a = NULL;
        rc = sqs(c, "SetQueueAttributes", b, 0, NULL, d);
        cJSON_Delete(b);
    }
    cJSON_Delete(a);
    if (rc == 0)
        rc = aws__tags_rpc(c, &tagging, id, prior, p, d);
    return aws__reread(c, rc, q_read, "queue", id, p, out, d);
}

static int q_delete(const struct tsk_rcall *c, const char *id,
                    const cJSON *prior, struct tsk_diags *d)
{
    cJSON *b = url_body(id);
    (void)prior;
    int rc = sqs(c, "DeleteQueue", b, TSK_AWS_NOTFOUND, NULL, d);
    cJSON_Delete(b);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int q_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                  cJSON **out, struct tsk_diags *d)
{
    char *url = NULL;
    *out_id = NULL;
    *out = NULL;
    int rc = aws__jstr(p, "name") ? queue_url(c, aws__jstr(p, "name"), &url, d)
                                  : 0;
    if (rc == 0 && url)
        rc = q_read(c, url, p, out, d);
    if (rc == 0 && *out)
        *out_id = url, url = NULL;
    free(url);
    return rc;
}

/* The id is the queue URL; a bare name is refused with the URL to use. */
static int q_import(const struct tsk_rcall *c, const char *id, cJSON **out,
                    struct tsk_diags *d)
{
    char *url = NULL;
    *out = NULL;
    if (strchr(id, '/'))
        return q_read(c, id, NULL, out, d);
    int rc = queue_url(c, id, &url, d);
    if (rc == 0) {
        rc = tsk_diag_error(d, NULL, "%s: the id of an aws_sqs_queue is its "
                                     "URL, not its name", c->addr);
        if (url)
            tsk_diag_detail(d, "import it with the id %s", url);
    }
    free(url);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_sqs_queue = {
    .name = "aws_sqs_queue",
    .schema = &schema,
    .read = q_read,
    .create = q_create,
    .update = q_update,
    .delete = q_delete,
    .find = q_find,
    .import = q_import,
};

/*
 * event_source_mapping.c - aws_lambda_event_source_mapping for SQS,
 * DynamoDB Streams and Kinesis. When the configuration names a table or
 * a stream rather than an ARN, the create looks the ARN up (DynamoDB
 * DescribeTable LatestStreamArn, Kinesis DescribeStreamSummary). A create
 * that finds the same source+function mapped already adopts that mapping
 * (the 409 names its UUID). Creates, updates and deletes wait for the
 * mapping to leave its transitional states. Id: the mapping UUID.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"function_name", TSK_T_STRING, REQ | FNEW, "aws_lambda_function",
     "function ARN"},
    {"event_source_arn", TSK_T_STRING, OPT | COMP | FNEW, "aws_sqs_queue",
     "queue or stream ARN"},
    {"source_table", TSK_T_STRING, OPT | COMP | FNEW, NULL,
     "DynamoDB table whose latest stream is read"},
    {"source_stream", TSK_T_STRING, OPT | COMP | FNEW, NULL,
     "Kinesis stream name"},
    {"batch_size", TSK_T_NUMBER, OPT | COMP, NULL, "records per batch"},
    {"maximum_batching_window_in_seconds", TSK_T_NUMBER, OPT | COMP, NULL,
     "seconds to gather a batch"},
    {"starting_position", TSK_T_STRING, OPT | COMP | FNEW, NULL,
     "LATEST or TRIM_HORIZON (streams)"},
    {"enabled", TSK_T_BOOL, OPT | COMP, NULL, "polling on"},
    {"uuid", TSK_T_STRING, COMP, NULL, "mapping UUID"},
    {"id", TSK_T_STRING, COMP, NULL, "mapping UUID"},
    {NULL, 0, 0, NULL, NULL},
};

#define ESM_PATH "/2015-03-31/event-source-mappings"

static char *esm_path(const char *uuid)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_buf_adds(&b, ESM_PATH "/");
    aws__label(&b, uuid);
    return tsk_buf_detach(&b, NULL);
}

/* "table/NAME/stream/..." -> NAME; "stream/NAME" -> NAME. */
static char *arn_part(const char *arn, const char *marker)
{
    const char *p = arn ? strstr(arn, marker) : NULL;
    if (!p)
        return NULL;
    p += strlen(marker);
    return tsk_xstrndup(p, strcspn(p, "/"));
}

static cJSON *to_attrs(const cJSON *j)
{
    cJSON *o = aws__obj();
    const char *src = aws__jstr(j, "EventSourceArn");
    const char *state = aws__jstr(j, "State");
    aws__str(o, "function_name", aws__jstr(j, "FunctionArn"));
    aws__str(o, "event_source_arn", src);
    char *t = src && strncmp(src, "arn:aws:dynamodb:", 17) == 0
                  ? arn_part(src, ":table/")
                  : NULL;
    char *s = src && strncmp(src, "arn:aws:kinesis:", 16) == 0
                  ? arn_part(src, ":stream/")
                  : NULL;
    aws__str(o, "source_table", t);
    aws__str(o, "source_stream", s);
    free(t);
    free(s);
    aws__num(o, "batch_size", aws__jnum(j, "BatchSize", 10));
    aws__num(o, "maximum_batching_window_in_seconds",
             aws__jnum(j, "MaximumBatchingWindowInSeconds", 0));
    aws__str(o, "starting_position", aws__jstr(j, "StartingPosition"));
    aws__bool(o, "enabled", !state || strcmp(state, "Enabled") == 0 ||
                                strcmp(state, "Enabling") == 0 ||
                                strcmp(state, "Creating") == 0);
    aws__str(o, "uuid", aws__jstr(j, "UUID"));
    aws__str(o, "id", aws__jstr(j, "UUID"));
    return o;
}

/* GET the mapping: *json NULL when gone (or being deleted). */
static int get(const struct tsk_rcall *c, const char *uuid, cJSON **json,
               struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    char *path = esm_path(uuid);
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "GetEventSourceMapping",
                              .method = "GET",
                              .path = path,
                              .quiet = TSK_AWS_NOTFOUND};
    *json = NULL;
    int rc = aws__call(c, &req, &r, 0, d);
    if (rc == 0 && cJSON_IsObject(r.json)) {
        const char *st = aws__jstr(r.json, "State");
        if (!st || strcmp(st, "Deleting") != 0) {
            *json = r.json;
            r.json = NULL;
        }
    }
    tsk_aws_resp_release(&r);
    free(path);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int esm_read(const struct tsk_rcall *c, const char *id,
                    const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    cJSON *j = NULL;
    (void)prior;
    *out = NULL;
    if (!id || !*id) /* a create that failed before it had an id */
        return 0;
    int rc = get(c, id, &j, d);
    if (rc == 0 && j)
        *out = to_attrs(j);
    cJSON_Delete(j);
    return rc;
}

struct settle {
    const struct tsk_rcall *c;
    const char *uuid;
    int gone; /* wait for it to disappear */
};

static int check_settled(struct tsk_aws *aws, void *arg, struct tsk_diags *d)
{
    struct settle *s = arg;
    cJSON *j = NULL;
    (void)aws;
    int rc = get(s->c, s->uuid, &j, d);
    if (rc == 0) {
        const char *st = aws__jstr(j, "State");
        if (s->gone)
            rc = j == NULL;
        else if (!j)
            rc = tsk_diag_error(d, NULL, "%s: mapping %s disappeared",
                                s->c->addr, s->uuid);
        else
            rc = !st || !strcmp(st, "Enabled") || !strcmp(st, "Disabled");
    }
    cJSON_Delete(j);
    return rc;
}

static int settle(const struct tsk_rcall *c, const char *uuid, int gone,
                  struct tsk_diags *d)
{
    struct settle s = {c, uuid, gone};
    char *what = tsk_xasprintf("event source mapping %s %s", uuid,
                               gone ? "to be deleted" : "to settle");
    int rc = tsk_aws_wait(c->pctx->aws, what, check_settled, &s, d);
    free(what);
    return rc;
}

/* One JSON call to another service; *json gets the response. */
static int jcall(const struct tsk_rcall *c, const char *svc, const char *op,
                 const char *k, const char *v, cJSON **json,
                 struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    cJSON *b = aws__obj();
    aws__str(b, k, v);
    struct tsk_aws_req req = {.service = svc, .op = op, .json = b};
    int rc = aws__call(c, &req, &r, 0, d);
    *json = rc == 0 ? r.json : NULL;
    if (rc == 0)
        r.json = NULL;
    tsk_aws_resp_release(&r);
    cJSON_Delete(b);
    return rc;
}

/* The source ARN: given, or looked up from the table or stream name. */
static int source_arn(const struct tsk_rcall *c, const cJSON *p, char **out,
                      struct tsk_diags *d)
{
    const char *arn = aws__jstr(p, "event_source_arn");
    const char *table = aws__jstr(p, "source_table");
    const char *stream = aws__jstr(p, "source_stream");
    cJSON *j = NULL;
    int rc = 0;
    *out = NULL;
    if (arn) {
        *out = tsk_xstrdup(arn);
    } else if (table) {
        rc = jcall(c, "dynamodb", "DescribeTable", "TableName", table, &j, d);
        const char *s = aws__jstr(cJSON_GetObjectItemCaseSensitive(j, "Table"),
                                  "LatestStreamArn");
        if (rc == 0 && !s) {
            rc = tsk_diag_error(d, NULL, "%s: DynamoDB table %s has no "
                                "stream", c->addr, table);
            tsk_diag_detail(d, "enable a stream on the table "
                               "(StreamSpecification) or give its ARN");
        } else if (rc == 0) {
            *out = tsk_xstrdup(s);
        }
    } else if (stream) {
        rc = jcall(c, "kinesis", "DescribeStreamSummary", "StreamName", stream,
                   &j, d);
        const char *s = aws__jstr(
            cJSON_GetObjectItemCaseSensitive(j, "StreamDescriptionSummary"),
            "StreamARN");
        if (rc == 0 && !s)
            rc = tsk_diag_error(d, NULL, "%s: Kinesis stream %s has no ARN "
                                "in DescribeStreamSummary", c->addr, stream);
        else if (rc == 0)
            *out = tsk_xstrdup(s);
    } else {
        rc = tsk_diag_error(d, NULL, "%s: no event source (event_source_arn, "
                            "source_table or source_stream)", c->addr);
    }
    if (rc)
        tsk_diag_addr(d, c->addr);
    cJSON_Delete(j);
    return rc;
}

static void mutable_body(cJSON *b, const cJSON *p)
{
    if (cJSON_GetObjectItemCaseSensitive(p, "batch_size"))
        aws__num(b, "BatchSize", aws__jnum(p, "batch_size", 10));
    if (cJSON_GetObjectItemCaseSensitive(p, "maximum_batching_window_in_seconds"))
        aws__num(b, "MaximumBatchingWindowInSeconds",
                 aws__jnum(p, "maximum_batching_window_in_seconds", 0));
    aws__bool(b, "Enabled", aws__jbool(p, "enabled", 1));
}

static int update_call(const struct tsk_rcall *c, const char *uuid,
                       const cJSON *p, struct tsk_diags *d)
{
    char *path = esm_path(uuid);
    cJSON *b = aws__obj();
    mutable_body(b, p);
    int rc = aws__rest(c, "lambda", "UpdateEventSourceMapping", "PUT", path, b,
                       0, NULL, d);
    cJSON_Delete(b);
    free(path);
    return rc ? rc : settle(c, uuid, 0, d);
}

/* "... existing mapping with UUID <uuid>" -> uuid, or NULL. */
static char *uuid_in(const char *msg)
{
    const char *p = msg ? strstr(msg, "UUID ") : NULL;
    if (!p)
        return NULL;
    p += 5;
    size_t n = strspn(p, "0123456789abcdefABCDEF-");
    return n >= 32 ? tsk_xstrndup(p, n) : NULL;
}

static int esm_create(const struct tsk_rcall *c, const cJSON *p,
                      char **out_id, cJSON **out, struct tsk_diags *d)
{
    char *arn = NULL, *uuid = NULL;
    struct tsk_aws_resp r;
    *out_id = NULL;
    *out = NULL;
    int rc = source_arn(c, p, &arn, d);
    if (rc)
        return rc;
    cJSON *b = aws__obj();
    aws__str(b, "FunctionName", aws__jstr(p, "function_name"));
    aws__str(b, "EventSourceArn", arn);
    mutable_body(b, p);
    if (strncmp(arn, "arn:aws:sqs:", 12) != 0)
        aws__str(b, "StartingPosition", aws__jstr(p, "starting_position")
                                            ? aws__jstr(p, "starting_position")
                                            : "LATEST");
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "CreateEventSourceMapping",
                              .method = "POST",
                              .path = ESM_PATH,
                              .json = b,
                              .quiet = TSK_AWS_CONFLICT};
    rc = aws__call(c, &req, &r, 1, d);
    if (rc == 0) {
        uuid = aws__jstr(r.json, "UUID") ? tsk_xstrdup(aws__jstr(r.json, "UUID"))
                                         : NULL;
        if (!uuid)
            rc = tsk_diag_error(d, NULL, "%s: CreateEventSourceMapping "
                                         "returned no UUID", c->addr);
        else
            rc = settle(c, uuid, 0, d);
    } else if (r.err.cls == TSK_AWS_CONFLICT &&
               (uuid = uuid_in(r.err.message)) != NULL) {
        /* the same source and function are mapped already: adopt it */
        rc = update_call(c, uuid, p, d);
    } else if (r.err.cls == TSK_AWS_CONFLICT) {
        rc = tsk_diag_error(d, NULL, "%s: CreateEventSourceMapping: %s",
                            c->addr, r.err.message ? r.err.message
                                                   : "conflict");
        tsk_diag_addr(d, c->addr);
    }
    tsk_aws_resp_release(&r);
    cJSON_Delete(b);
    free(arn);
    if (rc == 0)
        rc = esm_read(c, uuid, p, out, d);
    rc = aws__created(c, rc, out, "mapping", uuid, d);
    *out_id = uuid; /* also on failure: the mapping may exist */
    return rc;
}

static int esm_update(const struct tsk_rcall *c, const char *id,
                      const cJSON *prior, const cJSON *p, cJSON **out,
                      struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    int rc = update_call(c, id, p, d);
    return aws__reread(c, rc, esm_read, "mapping", id, p, out, d);
}

static int esm_delete(const struct tsk_rcall *c, const char *id,
                      const cJSON *prior, struct tsk_diags *d)
{
    char *path = esm_path(id);
    (void)prior;
    int rc = aws__rest(c, "lambda", "DeleteEventSourceMapping", "DELETE", path,
                       NULL, TSK_AWS_NOTFOUND, NULL, d);
    free(path);
    if (rc == TSK_ENOTFOUND)
        return 0;
    return rc ? rc : settle(c, id, 1, d);
}

static int esm_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                    cJSON **out, struct tsk_diags *d)
{
    char *arn = NULL;
    struct tsk_buf q = TSK_BUF_INIT;
    struct tsk_aws_resp r;
    *out_id = NULL;
    *out = NULL;
    if (!aws__jstr(p, "function_name"))
        return 0;
    int rc = source_arn(c, p, &arn, d);
    if (rc)
        return rc;
    tsk_aws_form_add(&q, "EventSourceArn", arn);
    tsk_aws_form_add(&q, "FunctionName", aws__jstr(p, "function_name"));
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "ListEventSourceMappings",
                              .method = "GET",
                              .path = ESM_PATH,
                              .query = q.ptr};
    rc = aws__call(c, &req, &r, 0, d);
    const cJSON *list =
        cJSON_GetObjectItemCaseSensitive(r.json, "EventSourceMappings");
    if (rc == 0 && cJSON_IsArray(list) && list->child &&
        aws__jstr(list->child, "UUID")) {
        *out = to_attrs(list->child);
        *out_id = tsk_xstrdup(aws__jstr(list->child, "UUID"));
    }
    tsk_aws_resp_release(&r);
    tsk_buf_release(&q);
    free(arn);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_event_source_mapping = {
    .name = "aws_lambda_event_source_mapping",
    .schema = &schema,
    .read = esm_read,
    .create = esm_create,
    .update = esm_update,
    .delete = esm_delete,
    .find = esm_find,
    .import = NULL,
};

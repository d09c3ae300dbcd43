/*
 * s3_notification.c - aws_s3_bucket_notification (S3, rest-xml): the
 * Lambda configurations of one bucket, merging every function's. A PUT
 * replaces the whole document, so every write reads it first, drops the
 * entries this resource owns (the Ids in its prior and planned state),
 * appends the planned ones and writes back everything else untouched
 * (topic, queue and EventBridge configurations, other owners' Lambda
 * entries). S3 checks that each function allows it; a refusal just after
 * the permission was added is retried. Entries name their function by
 * name (known when planning); the ARN sent is built from the account and
 * region. Id: the bucket name.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const struct tsk_attr_schema attrs[] = {
    {"bucket", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW, NULL,
     "bucket name"},
    {"lambda_function", TSK_T_LIST, TSK_A_OPTIONAL, NULL,
     "[{id, function_name, events, filter_prefix, filter_suffix}]"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "bucket name"},
    {NULL, 0, 0, NULL, NULL},
};

static const char *const lambda_tags[] = {"CloudFunctionConfiguration",
                                          "LambdaFunctionConfiguration"};
static const char *const other_tags[] = {
    "TopicConfiguration", "QueueConfiguration", "EventBridgeConfiguration"};

static void xml_esc(struct tsk_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            tsk_buf_adds(b, "&amp;");
        else if (*s == '<')
            tsk_buf_adds(b, "&lt;");
        else if (*s == '>')
            tsk_buf_adds(b, "&gt;");
        else
            tsk_buf_addf(b, "%c", *s);
    }
}

static char *bucket_path(const char *bucket)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_buf_adds(&b, "/");
    aws__label(&b, bucket);
    char *s = tsk_xstrdup(b.ptr);
    tsk_buf_release(&b);
    return s;
}

static int get_doc(const struct tsk_rcall *c, const char *bucket,
                   struct tsk_buf *xml, struct tsk_diags *d)
{
    char *path = bucket_path(bucket);
    struct tsk_aws_resp r;
    struct tsk_aws_req req = {.service = "s3",
                              .op = "GetBucketNotificationConfiguration",
                              .method = "GET",
                              .path = path,
                              .query = "notification",
                              .quiet = TSK_AWS_NOTFOUND};
    int rc = aws__call(c, &req, &r, 0, d);
    if (rc == 0)
        tsk_buf_add(xml, r.body.ptr, r.body.len);
    tsk_aws_resp_release(&r);
    free(path);
    return rc;
}

/* One Lambda entry of the XML as the schema's object. */
static cJSON *entry(const char *in, const char *ie)
{
    cJSON *o = aws__obj(), *ev = aws__arr();
    char *id = aws__xml_text(in, ie, "Id");
    char *fn = aws__xml_text(in, ie, "CloudFunction");
    if (!fn)
        fn = aws__xml_text(in, ie, "Function");
    aws__str(o, "id", id ? id : "");
    const char *f = fn ? strstr(fn, ":function:") : NULL;
    aws__str(o, "function_name", f ? f + 10 : (fn ? fn : ""));
    free(id);
    free(fn);
    const char *p = in, *e_end, *next;
    const char *e;
    while ((e = aws__xml_find(p, ie, "Event", &e_end, &next)) != NULL) {
        char *t = tsk_xstrndup(e, (size_t)(e_end - e));
        cJSON_AddItemToArray(ev, cJSON_CreateString(t));
        free(t);
        p = next;
    }
    cJSON_AddItemToObject(o, "events", ev);
    p = in;
    while ((e = aws__xml_find(p, ie, "FilterRule", &e_end, &next)) != NULL) {
        char *name = aws__xml_text(e, e_end, "Name");
        char *val = aws__xml_text(e, e_end, "Value");
        if (name && val && strcasecmp(name, "prefix") == 0)
            aws__str(o, "filter_prefix", val);
        else if (name && val && strcasecmp(name, "suffix") == 0)
            aws__str(o, "filter_suffix", val);
        free(name);
        free(val);
        p = next;
    }
    return o;
}

static int has_id(const cJSON *list, const char *id)
{
    for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
        if (aws__jstr(e, "id") && id && strcmp(aws__jstr(e, "id"), id) == 0)
            return 1;
    return 0;
}

/*
 * Splits xml: Lambda entries into *mine (ids in owned, or all when owned
 * is NULL) and the raw text of everything else into other.
 */
static void split_doc(const struct tsk_buf *xml, const cJSON *owned,
                      cJSON *mine, struct tsk_buf *other)
{
    const char *end = xml->ptr + xml->len;
    for (size_t t = 0; t < 2; t++) {
        const char *p = xml->ptr, *ie, *next, *in;
        while ((in = aws__xml_find(p, end, lambda_tags[t], &ie, &next))) {
            cJSON *o = entry(in, ie);
            if (!owned || has_id(owned, aws__jstr(o, "id"))) {
                cJSON_AddItemToArray(mine, o);
            } else {
                tsk_buf_addf(other,
                             "<CloudFunctionConfiguration>%.*s"
                             "</CloudFunctionConfiguration>",
                             (int)(ie - in), in);
                cJSON_Delete(o);
            }
            p = next;
        }
    }
    for (size_t t = 0; t < 3; t++) {
        const char *p = xml->ptr, *ie, *next, *in;
        while ((in = aws__xml_find(p, end, other_tags[t], &ie, &next))) {
            if (ie == in) /* <EventBridgeConfiguration/> */
                tsk_buf_addf(other, "<%s/>", other_tags[t]);
            else
                tsk_buf_addf(other, "<%s>%.*s</%s>", other_tags[t],
                             (int)(ie - in), in, other_tags[t]);
            p = next;
        }
    }
}

static void put_entry(const struct tsk_rcall *c, struct tsk_buf *b,
                      const cJSON *e)
{
    const char *fn = aws__jstr(e, "function_name");
    char *arn =
        fn && strncmp(fn, "arn:", 4) == 0
            ? tsk_xstrdup(fn)
            : tsk_xasprintf("arn:aws:lambda:%s:%s:function:%s", aws__region(c),
                            c->pctx->account ? c->pctx->account : "",
                            fn ? fn : "");
    tsk_buf_adds(b, "<CloudFunctionConfiguration><Id>");
    xml_esc(b, aws__jstr(e, "id"));
    tsk_buf_adds(b, "</Id><CloudFunction>");
    xml_esc(b, arn);
    free(arn);
    tsk_buf_adds(b, "</CloudFunction>");
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(e, "events");
    for (const cJSON *x = ev ? ev->child : NULL; x; x = x->next) {
        tsk_buf_adds(b, "<Event>");
        xml_esc(b, cJSON_IsString(x) ? x->valuestring : "");
        tsk_buf_adds(b, "</Event>");
    }
    const char *pre = aws__jstr(e, "filter_prefix");
    const char *suf = aws__jstr(e, "filter_suffix");
    if (pre || suf) {
        tsk_buf_adds(b, "<Filter><S3Key>");
        if (pre) {
            tsk_buf_adds(b, "<FilterRule><Name>prefix</Name><Value>");
            xml_esc(b, pre);
            tsk_buf_adds(b, "</Value></FilterRule>");
        }
        if (suf) {
            tsk_buf_adds(b, "<FilterRule><Name>suffix</Name><Value>");
            xml_esc(b, suf);
            tsk_buf_adds(b, "</Value></FilterRule>");
        }
        tsk_buf_adds(b, "</S3Key></Filter>");
    }
    tsk_buf_adds(b, "</CloudFunctionConfiguration>");
}

static int put_doc(const struct tsk_rcall *c, const char *bucket,
                   const char *body, struct tsk_diags *d)
{
    char *path = bucket_path(bucket);
    int rc = 0;
    for (int attempt = 0; attempt < 8; attempt++) {
        struct tsk_aws_resp r;
        struct tsk_aws_req req = {.service = "s3",
                                  .op = "PutBucketNotificationConfiguration",
                                  .method = "PUT",
                                  .path = path,
                                  .query = "notification",
                                  .body = body,
                                  .body_len = strlen(body),
                                  .quiet = TSK_AWS_VALIDATION};
        rc = aws__call(c, &req, &r, 1, d);
        /* the function's permission may not have reached S3 yet */
        int again = rc != 0 && r.err.code &&
                    strcmp(r.err.code, "InvalidArgument") == 0 && attempt < 7;
        if (rc != 0 && !again && r.err.cls == TSK_AWS_VALIDATION) {
            rc = tsk_diag_error(d, NULL,
                                "%s: PutBucketNotificationConfiguration"
                                " on %s: %s: %s",
                                c->addr, bucket, r.err.code ? r.err.code : "",
                                r.err.message ? r.err.message : "");
            tsk_diag_detail(d, "S3 checks that each function's policy lets "
                               "s3.amazonaws.com invoke it for this bucket");
        }
        tsk_aws_resp_release(&r);
        if (!again)
            break;
        struct timespec ts = {1, 0};
        nanosleep(&ts, NULL);
    }
    free(path);
    return rc;
}

/* Writes planned (may be NULL: none) in place of the entries in owned. */
static int merge_write(const struct tsk_rcall *c, const char *bucket,
                       const cJSON *owned, const cJSON *planned,
                       struct tsk_diags *d)
{
    struct tsk_buf xml = TSK_BUF_INIT, other = TSK_BUF_INIT,
                   body = TSK_BUF_INIT;
    cJSON *drop = aws__arr(), *mine = aws__arr();
    for (const cJSON *e = owned ? owned->child : NULL; e; e = e->next)
        cJSON_AddItemToArray(drop, cJSON_Duplicate(e, 1));
    for (const cJSON *e = planned ? planned->child : NULL; e; e = e->next)
        cJSON_AddItemToArray(drop, cJSON_Duplicate(e, 1));
    int rc = get_doc(c, bucket, &xml, d);
    if (rc == 0) {
        split_doc(&xml, drop, mine, &other);
        tsk_buf_adds(&body, "<NotificationConfiguration xmlns=\"http://s3."
                            "amazonaws.com/doc/2006-03-01/\">");
        for (const cJSON *e = planned ? planned->child : NULL; e; e = e->next)
            put_entry(c, &body, e);
        tsk_buf_add(&body, other.ptr, other.len);
        tsk_buf_adds(&body, "</NotificationConfiguration>");
        rc = put_doc(c, bucket, body.ptr, d);
    }
    cJSON_Delete(drop);
    cJSON_Delete(mine);
    tsk_buf_release(&xml);
    tsk_buf_release(&other);
    tsk_buf_release(&body);
    return rc;
}

static int nt_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    struct tsk_buf xml = TSK_BUF_INIT, other = TSK_BUF_INIT;
    *out = NULL;
    if (!id || !*id)
        return 0;
    int rc = get_doc(c, id, &xml, d);
    if (rc == 0) {
        const cJSON *owned =
            prior ? cJSON_GetObjectItemCaseSensitive(prior, "lambda_function")
                  : NULL;
        cJSON *mine = aws__arr(), *o = aws__obj();
        split_doc(&xml, prior ? (owned ? owned : mine) : NULL, mine, &other);
        aws__str(o, "bucket", id);
        cJSON_AddItemToObject(o, "lambda_function", mine);
        aws__str(o, "id", id);
        *out = o;
    }
    tsk_buf_release(&xml);
    tsk_buf_release(&other);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

/* Found when the bucket's document holds this resource's entries (their
 * Ids are the planned ones): a create that got as far as its PUT. */
static int nt_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *bucket = aws__jstr(p, "bucket");
    cJSON *o = NULL;
    *out_id = NULL;
    *out = NULL;
    int rc = bucket ? nt_read(c, bucket, p, &o, d) : 0;
    if (rc == 0 && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
                       o, "lambda_function")) > 0) {
        *out = o;
        *out_id = tsk_xstrdup(bucket);
        return 0;
    }
    cJSON_Delete(o);
    return rc;
}

static int nt_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *bucket = aws__jstr(p, "bucket");
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(p, "lambda_function");
    *out_id = NULL;
    *out = NULL;
    if (!bucket)
        return tsk_diag_error(d, NULL, "%s: no bucket", c->addr);
    int rc = merge_write(c, bucket, NULL, pl, d);
    if (rc == 0)
        rc = nt_read(c, bucket, p, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: bucket %s vanished", c->addr, bucket);
    if (rc == 0)
        *out_id = tsk_xstrdup(bucket);
    return rc;
}

static int nt_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    *out = NULL;
    int rc = merge_write(
        c, id, cJSON_GetObjectItemCaseSensitive(prior, "lambda_function"),
        cJSON_GetObjectItemCaseSensitive(p, "lambda_function"), d);
    if (rc == 0)
        rc = nt_read(c, id, p, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: bucket %s vanished", c->addr, id);
    return rc;
}

static int nt_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    if (!id || !*id)
        return 0;
    const cJSON *owned =
        cJSON_GetObjectItemCaseSensitive(prior, "lambda_function");
    int rc = merge_write(c, id, owned, NULL, d);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_s3_notification = {
    .name = "aws_s3_bucket_notification",
    .schema = &schema,
    .read = nt_read,
    .create = nt_create,
    .update = nt_update,
    .delete = nt_delete,
    .find = nt_find,
    .import = NULL,
};

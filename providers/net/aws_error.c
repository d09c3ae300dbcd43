/*
 * aws_error.c - AWS error responses: the code, message and request id per
 * protocol (aws-api.md §1.3), and the cross-service classification (§1.4).
 */
#include "providers/net/aws.h"

#include <stdlib.h>
#include <strings.h>

char *tsk_aws_error_code_normalise(const char *raw)
{
    const char *s = raw, *hash;
    size_t n;
    if (!raw)
        return NULL;
    while (*s == ' ')
        s++;
    n = strcspn(s, ":");
    while (n && s[n - 1] == ' ')
        n--;
    hash = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '#')
            hash = s + i;
    if (hash) {
        n -= (size_t)(hash + 1 - s);
        s = hash + 1;
    }
    return n ? tsk_xstrndup(s, n) : NULL;
}

const char *tsk_aws_request_id(const struct tsk_http_resp *resp)
{
    const char *v = tsk_http_hdrs_get(&resp->headers, "x-amzn-requestid");
    if (!v)
        v = tsk_http_hdrs_get(&resp->headers, "x-amz-request-id");
    if (!v)
        v = tsk_http_hdrs_get(&resp->headers, "x-amz-requestid");
    return v;
}

static char *json_str(const cJSON *o, const char *const *keys)
{
    for (; *keys; keys++) {
        const char *v =
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, *keys));
        if (v && *v)
            return tsk_xstrdup(v);
    }
    return NULL;
}

static void parse_json(enum tsk_aws_proto proto, const struct tsk_http_resp *r,
                       struct tsk_aws_error *e)
{
    static const char *const code_keys[] = {"code", "Code", NULL};
    static const char *const type_keys[] = {"__type", NULL};
    static const char *const msg_keys[] = {"message", "Message", "errorMessage",
                                           NULL};
    const char *hdr = tsk_http_hdrs_get(&r->headers, "x-amzn-errortype");
    cJSON *body =
        r->body.len ? cJSON_ParseWithLength(r->body.ptr, r->body.len) : NULL;
    char *raw = NULL;
    if (proto == TSK_AWS_REST_JSON && hdr && *hdr)
        raw = tsk_xstrdup(hdr);
    if (!raw && body)
        raw =
            json_str(body, proto == TSK_AWS_REST_JSON ? code_keys : type_keys);
    if (!raw && body)
        raw =
            json_str(body, proto == TSK_AWS_REST_JSON ? type_keys : code_keys);
    if (!raw && hdr && *hdr)
        raw = tsk_xstrdup(hdr);
    e->code = tsk_aws_error_code_normalise(raw);
    free(raw);
    if (body)
        e->message = json_str(body, msg_keys);
    cJSON_Delete(body);
}

static void parse_xml(const struct tsk_http_resp *r, struct tsk_aws_error *e)
{
    char *raw = NULL;
    if (tsk_xml_text(r->body.ptr, r->body.len, "Code", &raw) == 0) {
        e->code = tsk_aws_error_code_normalise(raw);
        free(raw);
    }
    tsk_xml_text(r->body.ptr, r->body.len, "Message", &e->message);
    if (!e->request_id)
        tsk_xml_text(r->body.ptr, r->body.len, "RequestId", &e->request_id);
}

static const char *status_code(long status)
{
    switch (status) {
    case 301:
        return "PermanentRedirect";
    case 304:
        return "NotModified";
    case 400:
        return "BadRequest";
    case 403:
        return "Forbidden";
    case 404:
        return "NotFound";
    case 409:
        return "Conflict";
    case 412:
        return "PreconditionFailed";
    case 429:
        return "TooManyRequests";
    case 500:
        return "InternalError";
    case 503:
        return "ServiceUnavailable";
    default:
        return NULL;
    }
}

void tsk_aws_error_parse(enum tsk_aws_proto proto,
                         const struct tsk_http_resp *resp,
                         struct tsk_aws_error *out)
{
    const char *rid = tsk_aws_request_id(resp);
    const char *qe = tsk_http_hdrs_get(&resp->headers, "x-amzn-query-error");
    memset(out, 0, sizeof(*out));
    out->status = resp->status;
    if (rid && *rid)
        out->request_id = tsk_xstrdup(rid);
    if (qe && *qe)
        out->query_code = tsk_xstrndup(qe, strcspn(qe, ";"));
    if (proto == TSK_AWS_QUERY || proto == TSK_AWS_REST_XML ||
        (resp->body.len && resp->body.ptr[0] == '<'))
        parse_xml(resp, out);
    else
        parse_json(proto, resp, out);
    if (!out->code && out->query_code)
        out->code = tsk_xstrdup(out->query_code);
    if (!out->code) {
        const char *s = status_code(resp->status);
        out->code = s ? tsk_xstrdup(s) : tsk_xasprintf("Http%ld", resp->status);
    }
    if (out->message) {
        struct tsk_buf b = TSK_BUF_INIT;
        tsk_buf_adds(&b, out->message);
        tsk_redact(&b);
        free(out->message);
        out->message = tsk_buf_detach(&b, NULL);
    }
    out->cls = tsk_aws_error_classify(NULL, out);
}

static int in_list(const char *code, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(code, *list) == 0)
            return 1;
    return 0;
}

static const char *const throttled[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
    "RateExceeded",
    "PriorRequestNotComplete",
    NULL};
static const char *const in_progress[] = {
    "ResourceInUseException", "ConcurrentUpdateException",
    "QueueDeletedRecently",   "AWS.SimpleQueueService.QueueDeletedRecently",
    "OperationAborted",       NULL};
static const char *const not_found[] = {
    "ResourceNotFoundException",
    "ProvisionedConcurrencyConfigNotFoundException",
    "NotFoundException",
    "ObjectNotFoundException",
    "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue",
    "NoSuchBucket",
    "NoSuchKey",
    "NoSuchEntity",
    "ResourceNotFound",
    "NotFound",
    "NoSuchConfiguration",
    "NoSuchBucketPolicy",
    NULL};
static const char *const conflict[] = {"ResourceConflictException",
                                       "ResourceAlreadyExistsException",
                                       "ConcurrentModificationException",
                                       "ResourceConflict",
                                       "DuplicateRecordException",
                                       "QueueNameExists",
                                       "QueueAlreadyExists",
                                       "BucketAlreadyOwnedByYou",
                                       "BucketAlreadyExists",
                                       "EntityAlreadyExists",
                                       "ConflictException",
                                       "PreconditionFailedException",
                                       "AlreadyExistsException",
                                       NULL};
static const char *const auth[] = {"AccessDenied",
                                   "AccessDeniedException",
                                   "UnrecognizedClientException",
                                   "InvalidClientTokenId",
                                   "SignatureDoesNotMatch",
                                   "InvalidSignatureException",
                                   "ExpiredToken",
                                   "ExpiredTokenException",
                                   "IncompleteSignature",
                                   "MissingAuthenticationToken",
                                   "InvalidAccessKeyId",
                                   "AuthFailure",
                                   "RequestExpired",
                                   "UnauthorizedOperation",
                                   NULL};
static const char *const transient[] = {"RequestTimeout",
                                        "RequestTimeoutException",
                                        "InternalError",
                                        "InternalFailure",
                                        "InternalServerError",
                                        "InternalServiceException",
                                        "InternalErrorException",
                                        "InternalException",
                                        "ServiceException",
                                        "ServiceUnavailable",
                                        "ServiceUnavailableException",
                                        "ResourceNotReadyException",
                                        NULL};

static int has_ci(const char *s, const char *needle)
{
    return s && strcasestr(s, needle) != NULL;
}

/* A mutating call on an existing object: a 409 then means "busy". */
static int mutating(const char *op)
{
    return op && (!strncmp(op, "Update", 6) || !strncmp(op, "Publish", 7) ||
                  !strncmp(op, "Put", 3) || !strncmp(op, "Delete", 6));
}

enum tsk_aws_class tsk_aws_error_classify(const char *op,
                                          const struct tsk_aws_error *e)
{
    const char *c = e->code ? e->code : "";
    const char *q = e->query_code ? e->query_code : "";
    if (in_list(c, throttled) || in_list(q, throttled))
        return TSK_AWS_THROTTLED;
    if (in_list(c, in_progress) || in_list(q, in_progress))
        return TSK_AWS_INPROGRESS;
    if (!strcmp(c, "ResourceConflictException") &&
        (has_ci(e->message, "in progress") || mutating(op)))
        return TSK_AWS_INPROGRESS;
    if (!strcmp(c, "ConflictException") && has_ci(e->message, "concurrent"))
        return TSK_AWS_INPROGRESS;
    if (in_list(c, not_found) || in_list(q, not_found))
        return TSK_AWS_NOTFOUND;
    if (in_list(c, conflict) || in_list(q, conflict))
        return TSK_AWS_CONFLICT;
    if (in_list(c, auth) || e->status == 401 || e->status == 403)
        return TSK_AWS_AUTH;
    if (in_list(c, transient) || tsk_http_status_retryable(e->status))
        return e->status == 429 ? TSK_AWS_THROTTLED : TSK_AWS_RETRYABLE;
    if (e->status == 404)
        return TSK_AWS_NOTFOUND;
    if (e->status == 409)
        return TSK_AWS_CONFLICT;
    if (e->status >= 400 && e->status < 500)
        return TSK_AWS_VALIDATION;
    return TSK_AWS_OTHER;
}

void tsk_aws_error_release(struct tsk_aws_error *e)
{
    free(e->code);
    free(e->query_code);
    free(e->message);
    free(e->request_id);
    memset(e, 0, sizeof(*e));
}

/*
 * test_errors.c - AWS error parsing per protocol (JSON __type with and
 * without '#', x-amzn-ErrorType with ':' suffix, query ErrorResponse, S3
 * <Error>, header-only responses), request ids, and classification.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "providers/net/aws.h"

#include <stdlib.h>

static void mkresp(struct tsk_http_resp *r, long status, const char *hdrs,
                   const char *body)
{
    memset(r, 0, sizeof(*r));
    r->body = (struct tsk_buf)TSK_BUF_INIT;
    r->status = status;
    while (hdrs && *hdrs) { /* "Name: value\n..." */
        const char *nl = strchr(hdrs, '\n'), *c = strchr(hdrs, ':');
        size_t n = nl ? (size_t)(nl - hdrs) : strlen(hdrs);
        char *name = tsk_xstrndup(hdrs, (size_t)(c - hdrs));
        char *val = tsk_xstrndup(c + 2, n - (size_t)(c - hdrs) - 2);
        tsk_http_hdrs_add(&r->headers, name, val);
        free(name);
        free(val);
        hdrs += n + (nl != NULL);
    }
    if (body)
        tsk_buf_adds(&r->body, body);
}

static void parse(enum tsk_aws_proto p, long status, const char *hdrs,
                  const char *body, struct tsk_aws_error *e)
{
    struct tsk_http_resp r;
    mkresp(&r, status, hdrs, body);
    tsk_aws_error_parse(p, &r, e);
    tsk_http_resp_release(&r);
}

static void test_json_type(void **st)
{
    (void)st;
    struct tsk_aws_error e;
    parse(TSK_AWS_JSON11, 400, "x-amzn-RequestId: abc-123",
          "{\"__type\":\"com.amazonaws.events#ResourceNotFoundException\","
          "\"message\":\"Rule r does not exist.\"}",
          &e);
    assert_string_equal(e.code, "ResourceNotFoundException");
    assert_string_equal(e.message, "Rule r does not exist.");
    assert_string_equal(e.request_id, "abc-123");
    assert_int_equal(e.cls, TSK_AWS_NOTFOUND);
    tsk_aws_error_release(&e);
    parse(TSK_AWS_JSON11, 400, NULL,
          "{\"__type\":\"DuplicateRecordException\",\"Message\":\"exists\"}",
          &e);
    assert_string_equal(e.code, "DuplicateRecordException");
    assert_string_equal(e.message, "exists");
    assert_null(e.request_id);
    assert_int_equal(e.cls, TSK_AWS_CONFLICT);
    tsk_aws_error_release(&e);
}

static void test_json_query_compatible(void **st)
{
    (void)st;
    struct tsk_aws_error e;
    parse(TSK_AWS_JSON10, 400,
          "x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender\n"
          "x-amzn-RequestId: q-1",
          "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\","
          "\"message\":\"The specified queue does not exist.\"}",
          &e);
    assert_string_equal(e.code, "QueueDoesNotExist");
    assert_string_equal(e.query_code,
                        "AWS.SimpleQueueService.NonExistentQueue");
    assert_int_equal(e.cls, TSK_AWS_NOTFOUND);
    tsk_aws_error_release(&e);
}

static void test_rest_json_header(void **st)
{
    (void)st;
    struct tsk_aws_error e;
    parse(TSK_AWS_REST_JSON, 404,
          "X-Amzn-Errortype: "
          "ResourceNotFoundException:http://internal.amazon.com/"
          "coral/com.amazonaws.lambda/\nx-amzn-requestid: l-9",
          "{\"Type\":\"User\",\"Message\":\"Function not found: arn:x\"}", &e);
    assert_string_equal(e.code, "ResourceNotFoundException");
    assert_string_equal(e.message, "Function not found: arn:x");
    assert_string_equal(e.request_id, "l-9");
    assert_int_equal(e.status, 404);
    assert_int_equal(e.cls, TSK_AWS_NOTFOUND);
    tsk_aws_error_release(&e);
    /* no header: body "code" then "__type" */
    parse(TSK_AWS_REST_JSON, 409, NULL,
          "{\"code\":\"ConflictException\",\"message\":\"Unable to complete "
          "operation due to concurrent modification.\"}",
          &e);
    assert_string_equal(e.code, "ConflictException");
    assert_int_equal(e.cls, TSK_AWS_INPROGRESS);
    tsk_aws_error_release(&e);
    parse(TSK_AWS_REST_JSON, 400, NULL,
          "{\"__type\":\"aws.lambda#InvalidParameterValueException\"}", &e);
    assert_string_equal(e.code, "InvalidParameterValueException");
    assert_null(e.message);
    assert_int_equal(e.cls, TSK_AWS_VALIDATION);
    tsk_aws_error_release(&e);
}

static void test_query_xml(void **st)
{
    (void)st;
    struct tsk_aws_error e;
    parse(TSK_AWS_QUERY, 400, NULL,
          "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"http://monitoring."
          "amazonaws.com/doc/2010-08-01/\"><Error><Type>Sender</Type>"
          "<Code>Throttling</Code><Message>Rate &amp; limit &lt;exceeded&gt;"
          "</Message></Error><RequestId>9a7f-cw</RequestId></ErrorResponse>",
          &e);
    assert_string_equal(e.code, "Throttling");
    assert_string_equal(e.message, "Rate & limit <exceeded>");
    assert_string_equal(e.request_id, "9a7f-cw");
    assert_int_equal(e.cls, TSK_AWS_THROTTLED);
    tsk_aws_error_release(&e);
    parse(TSK_AWS_QUERY, 404, NULL,
          "<ErrorResponse><Error><Code>NoSuchEntity</Code><Message>The role "
          "with name r cannot be found.</Message></Error></ErrorResponse>",
          &e);
    assert_string_equal(e.code, "NoSuchEntity");
    assert_int_equal(e.cls, TSK_AWS_NOTFOUND);
    tsk_aws_error_release(&e);
}

static void test_rest_xml_s3(void **st)
{
    (void)st;
    struct tsk_aws_error e;
    parse(
        TSK_AWS_REST_XML, 404, "x-amz-request-id: S3REQ1",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket"
        "</Code><Message>The specified bucket does not exist</Message>"
        "<BucketName>b</BucketName><RequestId>S3REQ1</RequestId></Error>",
        &e);
    assert_string_equal(e.code, "NoSuchBucket");
    assert_string_equal(e.request_id, "S3REQ1");
    assert_int_equal(e.cls, TSK_AWS_NOTFOUND);
    tsk_aws_error_release(&e);
    /* HEAD: no body, status only */
    parse(TSK_AWS_REST_XML, 404, "x-amz-request-id: S3REQ2", NULL, &e);
    assert_string_equal(e.code, "NotFound");
    assert_int_equal(e.cls, TSK_AWS_NOTFOUND);
    tsk_aws_error_release(&e);
    parse(TSK_AWS_REST_XML, 503, NULL,
          "<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>", &e);
    assert_int_equal(e.cls, TSK_AWS_THROTTLED);
    tsk_aws_error_release(&e);
    parse(TSK_AWS_REST_XML, 409, NULL,
          "<Error><Code>OperationAborted</Code></Error>", &e);
    assert_int_equal(e.cls, TSK_AWS_INPROGRESS);
    tsk_aws_error_release(&e);
}

static void test_garbage_bodies(void **st)
{
    (void)st;
    struct tsk_aws_error e;
    static const char *const bodies[] = {
        "",
        "{",
        "<Error><Code>",
        "<Code/>",
        "null",
        "[1,2]",
        "{\"__type\":17}",
        "{\"__type\":\"#\"}",
        "<Code>a#b:c</Code>",
        "&#x;&#99999999;<Message>&#65;&bogus;</Message>"};
    enum tsk_aws_proto protos[] = {TSK_AWS_JSON10, TSK_AWS_REST_JSON,
                                   TSK_AWS_QUERY, TSK_AWS_REST_XML};
    for (size_t i = 0; i < sizeof(bodies) / sizeof(*bodies); i++)
        for (size_t p = 0; p < 4; p++) {
            parse(protos[p], 500, NULL, bodies[i], &e);
            assert_non_null(e.code);
            assert_true(*e.code);
            tsk_aws_error_release(&e);
        }
    parse(TSK_AWS_REST_JSON, 418, NULL, "", &e);
    assert_string_equal(e.code, "Http418");
    assert_int_equal(e.cls, TSK_AWS_VALIDATION);
    tsk_aws_error_release(&e);
}

static void test_normalise(void **st)
{
    (void)st;
    static const char *const cases[][2] = {
        {"com.amazonaws.events#ResourceNotFoundException",
         "ResourceNotFoundException"},
        {"ResourceNotFoundException:http://internal.amazon.com/",
         "ResourceNotFoundException"},
        {"aws.x#Foo:bar#baz", "Foo"},
        {"Plain", "Plain"},
    };
    for (size_t i = 0; i < 4; i++) {
        char *c = tsk_aws_error_code_normalise(cases[i][0]);
        assert_string_equal(c, cases[i][1]);
        free(c);
    }
    assert_null(tsk_aws_error_code_normalise(""));
    assert_null(tsk_aws_error_code_normalise(NULL));
}

static enum tsk_aws_class cls(const char *op, const char *code, long status,
                              const char *msg)
{
    struct tsk_aws_error e = {status, (char *)code, NULL, (char *)msg, NULL, 0};
    return tsk_aws_error_classify(op, &e);
}

static void test_classify(void **st)
{
    (void)st;
    /* Lambda 409: exists on create, in progress on update */
    assert_int_equal(cls("CreateFunction", "ResourceConflictException", 409,
                         "Function already exist: f"),
                     TSK_AWS_CONFLICT);
    assert_int_equal(
        cls("UpdateFunctionCode", "ResourceConflictException", 409, "x"),
        TSK_AWS_INPROGRESS);
    assert_int_equal(cls("CreateAlias", "ResourceConflictException", 409,
                         "An update is in progress for resource: arn"),
                     TSK_AWS_INPROGRESS);
    assert_int_equal(cls(NULL, "ResourceInUseException", 400, NULL),
                     TSK_AWS_INPROGRESS);
    assert_int_equal(cls(NULL, "ConcurrentUpdateException", 400, NULL),
                     TSK_AWS_INPROGRESS);
    assert_int_equal(cls(NULL, "TooManyRequestsException", 429, NULL),
                     TSK_AWS_THROTTLED);
    assert_int_equal(cls(NULL, "ThrottlingException", 400, NULL),
                     TSK_AWS_THROTTLED);
    assert_int_equal(cls(NULL, "RequestThrottled", 403, NULL),
                     TSK_AWS_THROTTLED);
    assert_int_equal(cls(NULL, "ServiceException", 500, NULL),
                     TSK_AWS_RETRYABLE);
    assert_int_equal(cls(NULL, "Http502", 502, NULL), TSK_AWS_RETRYABLE);
    assert_int_equal(cls(NULL, "Http429", 429, NULL), TSK_AWS_THROTTLED);
    assert_int_equal(cls(NULL, "ObjectNotFoundException", 400, NULL),
                     TSK_AWS_NOTFOUND);
    assert_int_equal(cls(NULL, "NotFoundException", 400, NULL),
                     TSK_AWS_NOTFOUND);
    assert_int_equal(cls(NULL, "BucketAlreadyOwnedByYou", 409, NULL),
                     TSK_AWS_CONFLICT);
    assert_int_equal(cls(NULL, "ResourceAlreadyExistsException", 400, NULL),
                     TSK_AWS_CONFLICT);
    assert_int_equal(cls(NULL, "AccessDeniedException", 403, NULL),
                     TSK_AWS_AUTH);
    assert_int_equal(cls(NULL, "UnrecognizedClientException", 400, NULL),
                     TSK_AWS_AUTH);
    assert_int_equal(cls(NULL, "ValidationException", 400, NULL),
                     TSK_AWS_VALIDATION);
    assert_int_equal(cls(NULL, "InvalidParameterValueException", 400, NULL),
                     TSK_AWS_VALIDATION);
}

static void test_request_id_headers(void **st)
{
    (void)st;
    struct tsk_http_resp r;
    mkresp(&r, 200, "X-Amzn-RequestId: one", NULL);
    assert_string_equal(tsk_aws_request_id(&r), "one");
    tsk_http_resp_release(&r);
    mkresp(&r, 200, "x-amz-request-id: two", NULL);
    assert_string_equal(tsk_aws_request_id(&r), "two");
    tsk_http_resp_release(&r);
    mkresp(&r, 200, "Other: x", NULL);
    assert_null(tsk_aws_request_id(&r));
    tsk_http_resp_release(&r);
}

static void test_message_redacted(void **st)
{
    (void)st;
    struct tsk_aws_error e;
    tsk_log_add_secret("planted-secret-value-42");
    parse(TSK_AWS_JSON11, 400, NULL,
          "{\"__type\":\"ValidationException\",\"message\":\"bad value "
          "planted-secret-value-42\"}",
          &e);
    assert_null(strstr(e.message, "planted-secret-value-42"));
    assert_non_null(strstr(e.message, "<redacted>"));
    tsk_aws_error_release(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_type),
        cmocka_unit_test(test_json_query_compatible),
        cmocka_unit_test(test_rest_json_header),
        cmocka_unit_test(test_query_xml),
        cmocka_unit_test(test_rest_xml_s3),
        cmocka_unit_test(test_garbage_bodies),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_request_id_headers),
        cmocka_unit_test(test_message_redacted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

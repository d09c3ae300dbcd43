/*
 * test_http.c - the HTTP client and tsk_aws_call's retry loop against an
 * in-test loopback server: retries on 503/429 with Retry-After, dropped
 * connections, the response size cap, no retry on validation errors,
 * re-signing per attempt, backoff knobs, connection reuse, threads, polling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "providers/net/aws.h"
#include "unit/net/loopsrv.h"

static struct loopsrv srv;
static char url[128];
static time_t fake_now = 1764195300;

static time_t fake_clock(void)
{
    return fake_now++; /* every signature gets a new X-Amz-Date */
}

static int setup(void **st)
{
    (void)st;
    loopsrv_start(&srv);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", srv.port);
    setenv("AWS_ENDPOINT_URL", url, 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDTESTHTTP", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "testhttpsecretkey0123456789", 1);
    unsetenv("AWS_SESSION_TOKEN");
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("TUSKFORM_RETRY_BASE_MS", "10", 1);
    setenv("TUSKFORM_RETRY_CAP_MS", "40", 1);
    setenv("TUSKFORM_POLL_INTERVAL_MS", "20", 1);
    setenv("TUSKFORM_POLL_DEADLINE_MS", "2000", 1);
    unsetenv("AWS_MAX_ATTEMPTS");
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    loopsrv_stop(&srv);
    return 0;
}

static struct tsk_aws *new_aws(struct tsk_http *http)
{
    struct tsk_aws *aws;
    struct tsk_diags d = {0};
    struct tsk_aws_opts o = {NULL, NULL, http, fake_clock};
    assert_int_equal(tsk_aws_new(&aws, &o, &d), 0);
    tsk_diags_release(&d);
    return aws;
}

static int diag_has(const struct tsk_diags *d, const char *s)
{
    for (size_t i = 0; i < d->v.n; i++)
        if (strstr(d->v.v[i].summary, s) ||
            (d->v.v[i].detail && strstr(d->v.v[i].detail, s)))
            return 1;
    return 0;
}

static void reset_script(void)
{
    pthread_mutex_lock(&srv.mu);
    for (size_t i = 0; i < srv.script.n; i++)
        free(srv.script.v[i]);
    srv.script.n = 0;
    srv.next = 0;
    pthread_mutex_unlock(&srv.mu);
}

static void test_retry_503_429_then_ok(void **st)
{
    (void)st;
    struct tsk_aws *aws = new_aws(NULL);
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "GetFunction",
                              .method = "GET",
                              .path = "/2015-03-31/functions/my-fn"};
    struct tsk_aws_resp resp;
    struct tsk_diags d = {0};
    size_t base = loopsrv_nreq(&srv);
    long long t0;
    reset_script();
    loopsrv_push(&srv, 503, "x-amzn-RequestId: r-1\r\n",
                 "{\"message\":\"busy\"}");
    loopsrv_push(
        &srv, 429,
        "Retry-After: 1\r\nx-amzn-ErrorType: TooManyRequestsException\r\n",
        "{\"message\":\"slow down\"}");
    loopsrv_push(&srv, 200, "x-amzn-RequestId: r-ok\r\n",
                 "{\"Configuration\":{\"State\":\"Active\"}}");
    t0 = tsk_now_ms();
    assert_int_equal(tsk_aws_call(aws, &req, &resp, &d), 0);
    assert_true(tsk_now_ms() - t0 >= 950); /* Retry-After: 1 honoured */
    assert_int_equal(resp.attempts, 3);
    assert_int_equal(resp.status, 200);
    assert_string_equal(resp.request_id, "r-ok");
    assert_non_null(resp.json);
    assert_int_equal(d.nerr, 0);
    assert_int_equal(loopsrv_nreq(&srv) - base, 3);
    /* each attempt was signed afresh */
    char *d1 = loopsrv_header(&srv, base, "x-amz-date");
    char *d2 = loopsrv_header(&srv, base + 1, "x-amz-date");
    char *a1 = loopsrv_header(&srv, base, "authorization");
    char *a2 = loopsrv_header(&srv, base + 1, "authorization");
    char *ex = loopsrv_header(&srv, base, "expect");
    assert_non_null(d1);
    assert_non_null(a1);
    assert_string_not_equal(d1, d2);
    assert_string_not_equal(a1, a2);
    assert_non_null(strstr(a1, "/us-east-1/lambda/aws4_request"));
    assert_null(ex);
    free(d1), free(d2), free(a1), free(a2);
    tsk_aws_resp_release(&resp);
    tsk_aws_free(aws);
}

static void test_no_retry_on_validation(void **st)
{
    (void)st;
    struct tsk_aws *aws;
    struct tsk_aws_req req = {.service = "events", .op = "PutRule"};
    struct tsk_aws_resp resp;
    struct tsk_diags d = {0};
    size_t base;
    reset_script();
    aws = new_aws(NULL);
    base = loopsrv_nreq(&srv);
    loopsrv_push(
        &srv, 400, "x-amzn-RequestId: req-val-1\r\n",
        "{\"__type\":\"ValidationException\",\"message\":\"bad name\"}");
    assert_int_equal(tsk_aws_call(aws, &req, &resp, &d), TSK_ERROR);
    assert_int_equal(loopsrv_nreq(&srv) - base, 1);
    assert_int_equal(resp.attempts, 1);
    assert_int_equal(resp.err.cls, TSK_AWS_VALIDATION);
    assert_string_equal(resp.err.code, "ValidationException");
    assert_int_equal(d.nerr, 1);
    assert_true(diag_has(&d, "req-val-1")); /* request id in the error */
    assert_true(diag_has(&d, "bad name"));
    char *tgt = loopsrv_header(&srv, base, "x-amz-target");
    assert_string_equal(tgt, "AWSEvents.PutRule");
    free(tgt);
    tsk_aws_resp_release(&resp);
    tsk_diags_release(&d);
    tsk_aws_free(aws);
}

static void test_dropped_connection_retried(void **st)
{
    (void)st;
    struct tsk_aws *aws;
    struct tsk_aws_req req = {.service = "sqs", .op = "GetQueueUrl"};
    struct tsk_aws_resp resp;
    struct tsk_diags d = {0};
    reset_script();
    aws = new_aws(NULL);
    loopsrv_push_drop(&srv);
    loopsrv_push(&srv, 200, "", "{\"QueueUrl\":\"q\"}");
    assert_int_equal(tsk_aws_call(aws, &req, &resp, &d), 0);
    assert_int_equal(resp.attempts, 2);
    assert_int_equal(d.nerr, 0);
    tsk_aws_resp_release(&resp);
    tsk_aws_free(aws);
}

static void test_throttle_budget(void **st)
{
    (void)st;
    struct tsk_aws *aws;
    struct tsk_aws_req req = {.service = "cloudwatch", .op = "DescribeAlarms"};
    struct tsk_aws_resp resp;
    struct tsk_diags d = {0};
    size_t base;
    reset_script();
    loopsrv_push(
        &srv, 400, "",
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
        "<Message>Rate exceeded</Message></Error>"
        "<RequestId>rq-thr</RequestId></ErrorResponse>");
    aws = new_aws(NULL); /* default budget: 3 attempts */
    base = loopsrv_nreq(&srv);
    assert_int_equal(tsk_aws_call(aws, &req, &resp, &d), TSK_ERROR);
    assert_int_equal(loopsrv_nreq(&srv) - base, 3);
    assert_int_equal(resp.err.cls, TSK_AWS_THROTTLED);
    assert_true(diag_has(&d, "rq-thr"));
    tsk_aws_resp_release(&resp);
    tsk_aws_free(aws);
    tsk_diags_release(&d);
    setenv("AWS_MAX_ATTEMPTS", "5", 1);
    aws = new_aws(NULL);
    base = loopsrv_nreq(&srv);
    assert_int_equal(tsk_aws_call(aws, &req, &resp, &d), TSK_ERROR);
    assert_int_equal(loopsrv_nreq(&srv) - base, 5);
    unsetenv("AWS_MAX_ATTEMPTS");
    tsk_aws_resp_release(&resp);
    tsk_aws_free(aws);
    tsk_diags_release(&d);
}

static void test_backoff_knobs(void **st)
{
    (void)st;
    struct tsk_retry r;
    long lo = 1 << 30, hi = 0;
    tsk_retry_from_env(&r);
    assert_int_equal(r.base_ms, 10);
    assert_int_equal(r.cap_ms, 40);
    assert_int_equal(r.max_attempts, 3);
    assert_int_equal(r.poll_interval_ms, 20);
    for (int i = 0; i < 200; i++) {
        long v = tsk_retry_delay_ms(&r, 1 + i % 10, -1);
        assert_true(v >= 0 && v <= 40);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    assert_true(hi > lo); /* jittered */
    assert_true(tsk_retry_delay_ms(&r, 1, 500) >= 500);
    r.retry_after_max_ms = 100;
    assert_true(tsk_retry_delay_ms(&r, 1, 5000) <= 100);
    setenv("TUSKFORM_RETRY_CAP_MS", "nonsense", 1);
    tsk_retry_from_env(&r);
    assert_int_equal(r.cap_ms, 20000);
    setenv("TUSKFORM_RETRY_CAP_MS", "40", 1);
}

static void test_size_cap(void **st)
{
    (void)st;
    struct tsk_http_opts o = {0, 0, 1000};
    struct tsk_http *http = tsk_http_new(&o);
    struct tsk_http_req req = {"GET", url, NULL, NULL, 0, 1, 0};
    struct tsk_http_resp r;
    struct tsk_diags d = {0};
    char *big = tsk_xmalloc(5001);
    memset(big, 'x', 5000);
    big[5000] = '\0';
    reset_script();
    loopsrv_push(&srv, 200, "", big);
    assert_int_equal(tsk_http_do(http, &req, &r, &d), TSK_EIO);
    assert_int_equal(r.fail, TSK_HTTP_ETOOBIG);
    assert_true(r.body.len <= 1000);
    assert_int_equal(d.nerr, 1);
    tsk_http_resp_release(&r);
    /* plain http is refused without an explicit override */
    req.allow_http = 0;
    assert_int_equal(tsk_http_do(http, &req, &r, NULL), TSK_EINVAL);
    tsk_http_resp_release(&r);
    req.url = "ftp://example.com/";
    assert_int_equal(tsk_http_do(http, &req, &r, NULL), TSK_EINVAL);
    tsk_http_resp_release(&r);
    free(big);
    tsk_diags_release(&d);
    tsk_http_free(http);
}

static void test_connection_reuse(void **st)
{
    (void)st;
    struct tsk_http *http = tsk_http_new(NULL);
    struct tsk_http_req req = {"GET", url, NULL, NULL, 0, 1, 0};
    struct tsk_http_resp r;
    int conns0;
    reset_script();
    loopsrv_push(&srv, 200, "", "hello");
    pthread_mutex_lock(&srv.mu);
    conns0 = srv.conns;
    pthread_mutex_unlock(&srv.mu);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(tsk_http_do(http, &req, &r, NULL), 0);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.body.ptr, "hello");
        tsk_http_resp_release(&r);
    }
    assert_int_equal(tsk_http_connects(http), 1);
    assert_int_equal(tsk_http_requests(http), 6);
    assert_int_equal(srv.conns - conns0, 1);
    tsk_http_free(http);
}

static void *worker(void *arg)
{
    struct tsk_aws *aws = arg;
    struct tsk_aws_req req = {.service = "sqs", .op = "ListQueues"};
    for (int i = 0; i < 5; i++) {
        struct tsk_aws_resp resp;
        struct tsk_diags d = {0};
        if (tsk_aws_call(aws, &req, &resp, &d) != 0)
            return (void *)1;
        tsk_aws_resp_release(&resp);
        tsk_diags_release(&d);
    }
    return NULL;
}

static void test_threads_share_client(void **st)
{
    (void)st;
    struct tsk_http *http = tsk_http_new(NULL);
    struct tsk_aws *aws = new_aws(http);
    pthread_t th[4];
    void *res;
    reset_script();
    loopsrv_push(&srv, 200, "", "{}");
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, worker, aws);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], &res);
        assert_null(res);
    }
    assert_int_equal(tsk_http_requests(http), 20);
    assert_true(tsk_http_connects(http) <= 4);
    tsk_aws_free(aws);
    tsk_http_free(http);
}

static void test_in_progress_waited_out(void **st)
{
    (void)st;
    struct tsk_aws *aws;
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "UpdateFunctionConfiguration",
                              .method = "PUT",
                              .path = "/2015-03-31/functions/f/configuration",
                              .body = "{}",
                              .body_len = 2};
    struct tsk_aws_resp resp;
    struct tsk_diags d = {0};
    const char *busy =
        "{\"Type\":\"User\",\"message\":\"The operation cannot be "
        "performed at this time. An update is in progress for "
        "resource: arn:aws:lambda:us-east-1:1:function:f\"}";
    reset_script();
    for (int i = 0; i < 4; i++) /* more than the retry budget */
        loopsrv_push(&srv, 409,
                     "x-amzn-ErrorType: ResourceConflictException\r\n", busy);
    loopsrv_push(&srv, 200, "", "{\"LastUpdateStatus\":\"InProgress\"}");
    aws = new_aws(NULL);
    assert_int_equal(tsk_aws_call_wait(aws, &req, &resp, &d), 0);
    assert_int_equal(d.nerr, 0);
    tsk_aws_resp_release(&resp);
    /* deadline: always busy */
    reset_script();
    loopsrv_push(&srv, 409, "x-amzn-ErrorType: ResourceConflictException\r\n",
                 busy);
    setenv("TUSKFORM_POLL_DEADLINE_MS", "150", 1);
    tsk_aws_free(aws);
    aws = new_aws(NULL);
    assert_int_equal(tsk_aws_call_wait(aws, &req, &resp, &d), TSK_ECONFLICT);
    assert_int_equal(resp.err.cls, TSK_AWS_INPROGRESS);
    assert_true(diag_has(&d, "still in progress"));
    setenv("TUSKFORM_POLL_DEADLINE_MS", "2000", 1);
    tsk_aws_resp_release(&resp);
    tsk_diags_release(&d);
    tsk_aws_free(aws);
}

static int countdown(struct tsk_aws *aws, void *ctx, struct tsk_diags *d)
{
    int *n = ctx;
    (void)aws;
    (void)d;
    return --*n <= 0;
}

static void test_wait_helper(void **st)
{
    (void)st;
    struct tsk_aws *aws = new_aws(NULL);
    struct tsk_diags d = {0};
    int n = 3;
    assert_int_equal(tsk_aws_wait(aws, "three polls", countdown, &n, &d), 0);
    assert_int_equal(n, 0);
    n = 1000000;
    setenv("TUSKFORM_POLL_DEADLINE_MS", "100", 1);
    tsk_aws_free(aws);
    aws = new_aws(NULL);
    assert_int_equal(
        tsk_aws_wait(aws, "function f to become Active", countdown, &n, &d),
        TSK_ERROR);
    assert_true(diag_has(&d, "function f to become Active"));
    setenv("TUSKFORM_POLL_DEADLINE_MS", "2000", 1);
    tsk_diags_release(&d);
    tsk_aws_free(aws);
}

static void test_connect_refused(void **st)
{
    (void)st;
    struct tsk_aws *aws;
    struct tsk_aws_req req = {.service = "sts", .op = "GetCallerIdentity"};
    struct tsk_aws_resp resp;
    struct tsk_diags d = {0};
    struct loopsrv dead;
    char u[64];
    loopsrv_start(&dead); /* bind a port, then close it: nothing listens */
    snprintf(u, sizeof(u), "http://127.0.0.1:%d", dead.port);
    loopsrv_stop(&dead);
    setenv("AWS_ENDPOINT_URL_STS", u, 1);
    aws = new_aws(NULL);
    assert_int_equal(tsk_aws_call(aws, &req, &resp, &d), TSK_ERROR);
    assert_int_equal(resp.attempts, 3);
    assert_int_equal(resp.err.cls, TSK_AWS_RETRYABLE);
    assert_true(diag_has(&d, "GetCallerIdentity"));
    unsetenv("AWS_ENDPOINT_URL_STS");
    tsk_aws_resp_release(&resp);
    tsk_diags_release(&d);
    tsk_aws_free(aws);
}

static void test_account_id(void **st)
{
    (void)st;
    struct tsk_aws *aws = new_aws(NULL);
    struct tsk_diags d = {0};
    char *acct = NULL, *body;
    size_t base;
    reset_script();
    loopsrv_push(&srv, 200, "",
                 "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/"
                 "doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::"
                 "123456789012:user/x</Arn><UserId>AIDA</UserId><Account>"
                 "123456789012</Account></GetCallerIdentityResult>"
                 "</GetCallerIdentityResponse>");
    base = loopsrv_nreq(&srv);
    assert_int_equal(tsk_aws_account_id(aws, &acct, &d), 0);
    assert_string_equal(acct, "123456789012");
    free(acct);
    assert_int_equal(tsk_aws_account_id(aws, &acct, &d), 0); /* cached */
    assert_int_equal(loopsrv_nreq(&srv) - base, 1);
    pthread_mutex_lock(&srv.mu);
    body = strstr(srv.requests.v[base], "\r\n\r\n");
    assert_non_null(body);
    assert_string_equal(body + 4,
                        "Action=GetCallerIdentity&Version=2011-06-15");
    pthread_mutex_unlock(&srv.mu);
    char *ct = loopsrv_header(&srv, base, "content-type");
    assert_string_equal(ct, "application/x-www-form-urlencoded; charset=utf-8");
    free(ct);
    free(acct);
    tsk_diags_release(&d);
    tsk_aws_free(aws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retry_503_429_then_ok),
        cmocka_unit_test(test_no_retry_on_validation),
        cmocka_unit_test(test_dropped_connection_retried),
        cmocka_unit_test(test_throttle_budget),
        cmocka_unit_test(test_backoff_knobs),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_connection_reuse),
        cmocka_unit_test(test_threads_share_client),
        cmocka_unit_test(test_in_progress_waited_out),
        cmocka_unit_test(test_wait_helper),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_account_id),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

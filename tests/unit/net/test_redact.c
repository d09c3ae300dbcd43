/*
 * test_redact.c - with TUSKFORM_LOG=debug, nothing tuskform writes (the
 * debug log, diagnostics) contains a planted secret key, session token,
 * container credential, sensitive value or the request signature.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "providers/net/aws.h"
#include "unit/net/loopsrv.h"

#include <stdio.h>
#include <stdlib.h>

#define SECRET "PLANTEDsecretKEY/abc+123xyz"
#define TOKEN "PLANTEDsessionTOKEN//xyz=="
#define BODY_SECRET "PLANTEDbodysecret1"
#define CONT_SECRET "PLANTEDcontainerSECRET9"
#define CONT_TOKEN "PLANTEDcontainerTOKEN9"
#define CONT_AUTH "PLANTEDcontainerAUTH9"
#define SENSITIVE "PLANTEDsensitiveENV7"

static void assert_clean(const char *what, const char *text, const char *sig)
{
    static const char *const planted[] = {SECRET,      TOKEN,      BODY_SECRET,
                                          CONT_SECRET, CONT_TOKEN, CONT_AUTH,
                                          SENSITIVE,   NULL};
    for (int i = 0; planted[i]; i++)
        if (strstr(text, planted[i]))
            fail_msg("%s contains the planted secret %s:\n%s", what, planted[i],
                     text);
    if (sig && *sig && strstr(text, sig))
        fail_msg("%s contains the request signature %s", what, sig);
}

static char *read_stream(FILE *f)
{
    struct tsk_buf b = TSK_BUF_INIT;
    char chunk[4096];
    size_t n;
    fflush(f);
    rewind(f);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        tsk_buf_add(&b, chunk, n);
    return tsk_buf_detach(&b, NULL);
}

static void test_debug_log_redacted(void **st)
{
    (void)st;
    struct loopsrv srv;
    struct tsk_aws *aws;
    struct tsk_aws_opts o = {0};
    struct tsk_aws_req req = {0};
    struct tsk_aws_resp resp;
    struct tsk_diags d = {0};
    FILE *log = tmpfile(), *diag_out = tmpfile();
    char *url, *text, *auth, *sig = NULL;
    cJSON *body = cJSON_CreateObject();

    assert_non_null(log);
    setenv("TUSKFORM_LOG", "debug", 1);
    assert_int_equal(tsk_log_level(), TSK_LOG_DEBUG);
    tsk_log_set_file(log);
    loopsrv_start(&srv);
    url = tsk_xasprintf("http://127.0.0.1:%d", srv.port);
    setenv("AWS_ENDPOINT_URL", url, 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDREDACT", 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    setenv("AWS_SESSION_TOKEN", TOKEN, 1);
    setenv("AWS_MAX_ATTEMPTS", "2", 1);
    setenv("TUSKFORM_RETRY_BASE_MS", "1", 1);
    tsk_log_add_secret(SENSITIVE); /* a `sensitive` env value */

    /* a failing call whose error echoes secrets, then a success */
    loopsrv_push(
        &srv, 400, "x-amzn-RequestId: rid-1\r\nSet-Cookie: s=" SECRET "\r\n",
        "{\"__type\":\"ValidationException\",\"message\":\"bad token " TOKEN
        " and key " SECRET " and " SENSITIVE "\"}");
    loopsrv_push(&srv, 200, "",
                 "{\"Credentials\":{\"SecretAccessKey\":\"" BODY_SECRET
                 "\",\"SessionToken\": \"" BODY_SECRET "\"}}");
    cJSON_AddStringToObject(body, "FunctionName", "f");
    cJSON_AddStringToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "Environment"),
                                "Variables"),
        "DB_PASSWORD", SENSITIVE);
    o.http = NULL;
    assert_int_equal(tsk_aws_new(&aws, &o, &d), 0);
    req.service = "lambda";
    req.op = "UpdateFunctionConfiguration";
    req.method = "PUT";
    req.path = "/2015-03-31/functions/f/configuration";
    req.json = body;
    assert_int_equal(tsk_aws_call(aws, &req, &resp, &d), TSK_ERROR);
    tsk_aws_resp_release(&resp);
    assert_int_equal(tsk_aws_call(aws, &req, &resp, &d), 0);
    tsk_aws_resp_release(&resp);
    tsk_aws_free(aws);

    /* container credentials: the response carries secrets too */
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/c", 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent/c", 1);
    unsetenv("AWS_PROFILE");
    free(url);
    url = tsk_xasprintf("http://127.0.0.1:%d/creds", srv.port);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONT_AUTH, 1);
    loopsrv_push(&srv, 200, "",
                 "{\"AccessKeyId\":\"AKIDC\",\"SecretAccessKey\":\"" CONT_SECRET
                 "\",\"Token\":\"" CONT_TOKEN
                 "\",\"Expiration\":\"2030-01-01T00:00:00Z\"}");
    struct tsk_aws_creds c;
    assert_int_equal(tsk_aws_creds_resolve(&c, NULL, &d), 0);
    assert_string_equal(c.secret_access_key, CONT_SECRET);
    tsk_aws_creds_release(&c);

    auth = loopsrv_header(&srv, 0, "authorization");
    assert_non_null(auth);
    if (strstr(auth, "Signature="))
        sig = strstr(auth, "Signature=") + 10;
    assert_non_null(sig);
    assert_int_equal(strlen(sig), 64);

    text = read_stream(log);
    if (getenv("TSK_TEST_VERBOSE"))
        fputs(text, stderr);
    assert_non_null(strstr(text, "http request: PUT")); /* it did log */
    assert_non_null(strstr(text, "Signature=<redacted>"));
    assert_non_null(strstr(text, "rid-1"));
    assert_clean("the debug log", text, sig);
    free(text);
    assert_true(d.nerr >= 1);
    tsk_diags_print(&d, diag_out, 0);
    text = read_stream(diag_out);
    assert_non_null(strstr(text, "ValidationException"));
    assert_clean("the diagnostics", text, sig);
    free(text);

    tsk_log_set_file(NULL);
    fclose(log);
    fclose(diag_out);
    free(auth);
    free(url);
    cJSON_Delete(body);
    tsk_diags_release(&d);
    loopsrv_stop(&srv);
}

static void test_redact_patterns(void **st)
{
    (void)st;
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_buf_adds(&b, "Authorization: AWS4-HMAC-SHA256 Credential=A/x, "
                     "SignedHeaders=host, Signature=0123abcd\n"
                     "<SecretAccessKey>xmlsecret</SecretAccessKey>"
                     "{\"Token\":\"jsontoken\",\"Password\": \"pw1\"}"
                     "?X-Amz-Signature=feed&X-Amz-Security-Token=qtok");
    tsk_redact(&b);
    assert_null(strstr(b.ptr, "0123abcd"));
    assert_null(strstr(b.ptr, "xmlsecret"));
    assert_null(strstr(b.ptr, "jsontoken"));
    assert_null(strstr(b.ptr, "pw1"));
    assert_null(strstr(b.ptr, "feed"));
    assert_null(strstr(b.ptr, "qtok"));
    assert_non_null(strstr(b.ptr, "SignedHeaders=host"));
    tsk_buf_release(&b);
    assert_true(tsk_header_is_secret("X-Amz-Security-Token"));
    assert_true(tsk_header_is_secret("authorization"));
    assert_false(tsk_header_is_secret("Content-Type"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debug_log_redacted),
        cmocka_unit_test(test_redact_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

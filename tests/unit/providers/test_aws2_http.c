/*
 * test_aws2_http.c - the HTTP API drivers against the emulator:
 * aws_apigatewayv2_api (CORS, tags), _integration, _route, _authorizer
 * (JWT) and _stage, plus the aws_lambda_permission for API Gateway and
 * aws_s3_bucket_notification (merging with an entry another owner made,
 * which must survive every write). Each is created, read back, changed in
 * place (not the stage: the emulator has no UpdateStage, so here it is
 * created, read and deleted; its in-place update runs through the fault
 * proxy in tests/e2e/aws_adopt.sh), imported and deleted.
 */
#include "aws2_fx.h"

static int setup(void **state)
{
    return fx_setup(state, "thttp");
}
static int teardown(void **state)
{
    return fx_teardown(state);
}

static void test_aws2_http__api_pieces(void **state)
{
    struct fx *f = *state;
    cJSON *api = NULL, *in = NULL, *az = NULL, *rt = NULL, *st = NULL;
    char *js = tsk_xasprintf(
        "{\"name\":\"%s-api\",\"protocol_type\":\"HTTP\",\"cors_configuration"
        "\":{\"allow_headers\":[\"authorization\"],\"allow_methods\":[\"*\"],"
        "\"allow_origins\":[\"*\"]},\"tags\":{\"team\":\"a\"}}",
        f->pfx);
    char *api_id =
        create(f, "aws_apigatewayv2_api", "aws_apigatewayv2_api.a", js, &api);
    cJSON *want = parse(js);
    assert_subset(api, want);
    cJSON_Delete(want);
    assert_non_null(strstr(aws__jstr(api, "invoke_source_arn"), "/*/*"));
    free(js);
    js = tsk_xasprintf("{\"name\":\"%s-api2\",\"protocol_type\":\"HTTP\","
                       "\"tags\":{\"team\":\"b\"}}",
                       f->pfx);
    cJSON *api2 = update(f, "aws_apigatewayv2_api", "aws_apigatewayv2_api.a",
                         api_id, api, js);
    want = parse(js);
    assert_subset(api2, want);
    cJSON_Delete(want);
    assert_null(cJSON_GetObjectItem(api2, "cors_configuration"));
    free(js);

    js = tsk_xasprintf("{\"api_id\":\"%s\",\"integration_type\":\"AWS_PROXY\","
                       "\"integration_uri\":\"%s\",\"integration_method\":"
                       "\"POST\",\"payload_format_version\":\"2.0\"}",
                       api_id, f->fn_arn);
    char *in_id = create(f, "aws_apigatewayv2_integration",
                         "aws_apigatewayv2_integration.i", js, &in);
    want = parse(js);
    assert_subset(in, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf("{\"api_id\":\"%s\",\"integration_type\":\"AWS_PROXY\","
                       "\"integration_uri\":\"%s\",\"integration_method\":"
                       "\"POST\",\"payload_format_version\":\"1.0\"}",
                       api_id, f->fn_arn);
    cJSON *in2 = update(f, "aws_apigatewayv2_integration",
                        "aws_apigatewayv2_integration.i", in_id, in, js);
    assert_str(in2, "payload_format_version", "1.0");
    free(js);

    js = tsk_xasprintf(
        "{\"api_id\":\"%s\",\"authorizer_type\":\"JWT\",\"name\":\"cognito\","
        "\"identity_sources\":[\"$request.header.Authorization\"],"
        "\"jwt_configuration\":{\"audience\":[\"web\"],\"issuer\":"
        "\"https://issuer.example.com/pool\"}}",
        api_id);
    char *az_id = create(f, "aws_apigatewayv2_authorizer",
                         "aws_apigatewayv2_authorizer.c", js, &az);
    want = parse(js);
    assert_subset(az, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf(
        "{\"api_id\":\"%s\",\"authorizer_type\":\"JWT\",\"name\":\"cognito\","
        "\"identity_sources\":[\"$request.header.Authorization\"],"
        "\"jwt_configuration\":{\"audience\":[\"web\",\"app\"],\"issuer\":"
        "\"https://issuer.example.com/pool\"}}",
        api_id);
    cJSON *az2 = update(f, "aws_apigatewayv2_authorizer",
                        "aws_apigatewayv2_authorizer.c", az_id, az, js);
    want = parse(js);
    assert_subset(az2, want);
    cJSON_Delete(want);
    free(js);

    js = tsk_xasprintf("{\"api_id\":\"%s\",\"route_key\":\"ANY /fn/{proxy+}\","
                       "\"target\":\"%s\",\"authorization_type\":\"JWT\","
                       "\"authorizer_id\":\"%s\"}",
                       api_id, aws__jstr(in2, "route_target"),
                       aws__jstr(az2, "authorizer_id"));
    char *rt_id = create(f, "aws_apigatewayv2_route",
                         "aws_apigatewayv2_route.r", js, &rt);
    want = parse(js);
    assert_subset(rt, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf("{\"api_id\":\"%s\",\"route_key\":\"GET /fn\","
                       "\"target\":\"%s\",\"authorization_type\":\"JWT\","
                       "\"authorizer_id\":\"%s\"}",
                       api_id, aws__jstr(in2, "route_target"),
                       aws__jstr(az2, "authorizer_id"));
    cJSON *rt2 = update(f, "aws_apigatewayv2_route", "aws_apigatewayv2_route.r",
                        rt_id, rt, js);
    assert_str(rt2, "route_key", "GET /fn");
    free(js);
    cJSON *imp = read_obj(f, "aws_apigatewayv2_route", rt_id, NULL);
    assert_true(cJSON_Compare(imp, rt2, 1));
    cJSON_Delete(imp);

    js = tsk_xasprintf("{\"api_id\":\"%s\",\"name\":\"$default\","
                       "\"auto_deploy\":true}",
                       api_id);
    char *st_id = create(f, "aws_apigatewayv2_stage",
                         "aws_apigatewayv2_stage.s", js, &st);
    want = parse(js);
    assert_subset(st, want);
    cJSON_Delete(want);
    free(js);

    /* the permission API Gateway needs */
    cJSON *pm = NULL;
    js =
        tsk_xasprintf("{\"statement_id\":\"apigw-%s\",\"action\":"
                      "\"lambda:InvokeFunction\",\"function_name\":\"%s\","
                      "\"principal\":\"apigateway.amazonaws.com\","
                      "\"source_arn\":\"%s\"}",
                      f->pfx, f->fn_name, aws__jstr(api2, "invoke_source_arn"));
    char *pm_id =
        create(f, "aws_lambda_permission", "aws_lambda_permission.h", js, &pm);
    assert_str(pm, "principal", "apigateway.amazonaws.com");
    free(js);

    /* a malformed child id is an error that names the form */
    struct tsk_rcall c = {f->p, "aws_apigatewayv2_route.x", "s"};
    cJSON *out = NULL;
    assert_int_not_equal(
        type("aws_apigatewayv2_route")->read(&c, "noslash", NULL, &out, &f->d),
        0);
    tsk_diags_release(&f->d);
    memset(&f->d, 0, sizeof(f->d));

    delete_gone(f, "aws_lambda_permission", pm_id, pm);
    delete_gone(f, "aws_apigatewayv2_stage", st_id, st);
    delete_gone(f, "aws_apigatewayv2_route", rt_id, rt2);
    delete_gone(f, "aws_apigatewayv2_authorizer", az_id, az2);
    delete_gone(f, "aws_apigatewayv2_integration", in_id, in2);
    delete_gone(f, "aws_apigatewayv2_api", api_id, api2);
    cJSON *all[] = {api, api2, in, in2, az, az2, rt, rt2, st, pm};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        cJSON_Delete(all[i]);
    char *ids[] = {api_id, in_id, az_id, rt_id, st_id, pm_id};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        free(ids[i]);
}

/* One raw S3 call; returns the HTTP status, body into *body if given. */
static long s3_call(struct fx *f, const char *method, const char *path,
                    const char *query, const char *body, char **out)
{
    struct tsk_aws_resp r;
    struct tsk_aws_req req = {.service = "s3",
                              .op = "S3",
                              .method = method,
                              .path = path,
                              .query = query,
                              .body = body,
                              .body_len = body ? strlen(body) : 0};
    int rc = tsk_aws_call(f->p->aws, &req, &r, &f->d);
    print_diags(f);
    long st = rc == 0 ? r.status : -1;
    if (out)
        *out = tsk_xstrndup(r.body.ptr ? r.body.ptr : "", r.body.len);
    tsk_aws_resp_release(&r);
    return st;
}

static void test_aws2_http__bucket_notification(void **state)
{
    struct fx *f = *state;
    char *bucket = tsk_xasprintf("%s-bkt", f->pfx);
    char *path = tsk_xasprintf("/%s", bucket);
    assert_int_equal(s3_call(f, "PUT", path, NULL, NULL, NULL), 200);
    /* an entry someone else made, which tuskform must keep */
    char *foreign = tsk_xasprintf(
        "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/"
        "2006-03-01/\"><CloudFunctionConfiguration><Id>theirs</Id>"
        "<CloudFunction>%s</CloudFunction><Event>s3:ObjectRemoved:*</Event>"
        "</CloudFunctionConfiguration></NotificationConfiguration>",
        f->fn_arn);
    assert_int_equal(s3_call(f, "PUT", path, "notification", foreign, NULL),
                     200);
    cJSON *nt = NULL;
    char *js = tsk_xasprintf(
        "{\"bucket\":\"%s\",\"lambda_function\":[{\"id\":\"ours\","
        "\"function_name\":\"%s\",\"events\":[\"s3:ObjectCreated:*\"],"
        "\"filter_prefix\":\"in/\"}]}",
        bucket, f->fn_name);
    char *id = create(f, "aws_s3_bucket_notification",
                      "aws_s3_bucket_notification.b", js, &nt);
    cJSON *want = parse(js);
    assert_subset(nt, want);
    cJSON_Delete(want);
    free(js);
    js = tsk_xasprintf(
        "{\"bucket\":\"%s\",\"lambda_function\":[{\"id\":\"ours\","
        "\"function_name\":\"%s\",\"events\":[\"s3:ObjectCreated:*\","
        "\"s3:ObjectRemoved:*\"]}]}",
        bucket, f->fn_name);
    cJSON *nt2 = update(f, "aws_s3_bucket_notification",
                        "aws_s3_bucket_notification.b", id, nt, js);
    want = parse(js);
    assert_subset(nt2, want);
    cJSON_Delete(want);
    free(js);
    char *doc = NULL;
    assert_int_equal(s3_call(f, "GET", path, "notification", NULL, &doc), 200);
    assert_non_null(strstr(doc, "<Id>theirs</Id>"));
    assert_non_null(strstr(doc, "<Id>ours</Id>"));
    free(doc);
    /* import (no prior) shows every Lambda entry of the bucket */
    cJSON *imp = read_obj(f, "aws_s3_bucket_notification", id, NULL);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItem(imp, "lambda_function")), 2);
    cJSON_Delete(imp);
    struct tsk_rcall c = {f->p, "x.y", "teststack"};
    assert_int_equal(
        type("aws_s3_bucket_notification")->delete (&c, id, nt2, &f->d), 0);
    print_diags(f);
    assert_int_equal(s3_call(f, "GET", path, "notification", NULL, &doc), 200);
    assert_non_null(strstr(doc, "<Id>theirs</Id>"));
    assert_null(strstr(doc, "<Id>ours</Id>"));
    free(doc);
    cJSON *gone = read_obj(f, "aws_s3_bucket_notification", id, nt2);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItem(gone, "lambda_function")), 0);
    cJSON_Delete(gone);
    assert_int_equal(s3_call(f, "DELETE", path, NULL, NULL, NULL), 204);
    cJSON_Delete(nt);
    cJSON_Delete(nt2);
    free(foreign);
    free(id);
    free(path);
    free(bucket);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws2_http__api_pieces),
        cmocka_unit_test(test_aws2_http__bucket_notification),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

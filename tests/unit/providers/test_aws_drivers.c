/*
 * test_aws_drivers.c - the AWS type drivers called directly against the
 * emulator (moto_server at $TSK_MOTO_URL, started by `make test`): each
 * type is created, read back, updated in place, imported by id and
 * deleted, with the remote object checked at every step. Names carry the
 * process id, so parallel tests against one emulator do not collide.
 */
#include "aws_fx.h"

static int setup(void **state)
{
    if (aws_fx_env() != 0)
        return -1;
    struct fx *f = tsk_xcalloc(1, sizeof(*f));
    strcpy(f->dir, "/tmp/tsk-aws-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    write_file(f->dir, "handler.php", "<?php echo 'hi';\n");
    snprintf(f->pfx, sizeof(f->pfx), "tdrv%ld", (long)getpid());
    struct tsk_provider_cfg cfg = {f->dir, "teststack", "us-east-1"};
    int rc = tsk_provider_aws.configure(&f->p, &cfg, &f->d);
    print_diags(f);
    assert_int_equal(rc, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tsk_provider_aws.close(f->p);
    tsk_diags_release(&f->d);
    aws_fx_rmdir(f->dir);
    free(f);
    return 0;
}

static char *role_js(struct fx *f, const char *name, const char *action)
{
    return tsk_xasprintf(
        "{\"name\":\"%s-%s\",\"assume_role_policy\":\"{\\\"Version\\\":"
        "\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
        "\\\"Principal\\\":{\\\"Service\\\":\\\"lambda.amazonaws.com\\\"},"
        "\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\",\"inline_policy\":[{"
        "\"name\":\"tuskform\",\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\","
        "\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":"
        "[\\\"%s\\\"],\\\"Resource\\\":\\\"*\\\"}]}\"}],\"tags\":{\"team\":"
        "\"a\"}}",
        f->pfx, name, action);
}

static void test_aws_drivers__role(void **state)
{
    struct fx *f = *state;
    cJSON *out = NULL;
    char *js = role_js(f, "r", "logs:PutLogEvents");
    cJSON *want = parse(js);
    char *id = create(f, "aws_iam_role", "aws_iam_role.r", js, &out);
    /* what was read back equals what was asked, plus computed values */
    for (const char *const *k = (const char *const[]){
             "name", "assume_role_policy", "inline_policy", "tags", NULL};
         *k; k++)
        assert_true(cJSON_Compare(cJSON_GetObjectItem(out, *k),
                                  cJSON_GetObjectItem(want, *k), 1));
    assert_non_null(strstr(aws__jstr(out, "arn"), ":role/"));
    free(js);
    js = role_js(f, "r", "sqs:SendMessage");
    cJSON *js2 = parse(js);
    cJSON_ReplaceItemInObject(js2, "tags", parse("{\"team\":\"b\"}"));
    char *t = cJSON_PrintUnformatted(js2);
    cJSON *up = update(f, "aws_iam_role", "aws_iam_role.r", id, out, t);
    char *pol = cJSON_PrintUnformatted(cJSON_GetObjectItem(up, "inline_policy"));
    assert_non_null(strstr(pol, "sqs:SendMessage"));
    cJSON_free(pol);
    assert_str(cJSON_GetObjectItem(up, "tags"), "team", "b");
    /* import: a read without prior gives the same object */
    cJSON *imp = read_obj(f, "aws_iam_role", id, NULL);
    assert_true(cJSON_Compare(imp, up, 1));
    delete_gone(f, "aws_iam_role", id, up);
    cJSON_free(t);
    cJSON_Delete(js2);
    cJSON_Delete(imp);
    cJSON_Delete(up);
    cJSON_Delete(out);
    cJSON_Delete(want);
    free(js);
    free(id);
}

static void test_aws_drivers__log_group(void **state)
{
    struct fx *f = *state;
    cJSON *out = NULL;
    char *js = tsk_xasprintf("{\"name\":\"/aws/lambda/%s-lg\","
                             "\"retention_in_days\":14}", f->pfx);
    char *id = create(f, "aws_cloudwatch_log_group", "aws_cloudwatch_log_group.a",
                      js, &out);
    assert_int_equal((int)aws__jnum(out, "retention_in_days", 0), 14);
    assert_null(cJSON_GetObjectItem(out, "tags")); /* tuskform:* hidden */
    free(js);
    js = tsk_xasprintf("{\"name\":\"/aws/lambda/%s-lg\","
                       "\"retention_in_days\":30,\"tags\":{\"k\":\"v\"}}",
                       f->pfx);
    cJSON *up = update(f, "aws_cloudwatch_log_group",
                       "aws_cloudwatch_log_group.a", id, out, js);
    assert_int_equal((int)aws__jnum(up, "retention_in_days", 0), 30);
    assert_str(cJSON_GetObjectItem(up, "tags"), "k", "v");
    cJSON *imp = read_obj(f, "aws_cloudwatch_log_group", id, NULL);
    assert_true(cJSON_Compare(imp, up, 1));
    delete_gone(f, "aws_cloudwatch_log_group", id, up);
    cJSON_Delete(imp);
    cJSON_Delete(up);
    cJSON_Delete(out);
    free(js);
    free(id);
}

static void test_aws_drivers__queue(void **state)
{
    struct fx *f = *state;
    cJSON *out = NULL;
    char *js = tsk_xasprintf("{\"name\":\"%s-q\",\"visibility_timeout_seconds"
                             "\":60}", f->pfx);
    char *id = create(f, "aws_sqs_queue", "aws_sqs_queue.q", js, &out);
    assert_int_equal((int)aws__jnum(out, "visibility_timeout_seconds", 0), 60);
    assert_non_null(strstr(aws__jstr(out, "arn"), "arn:aws:sqs:"));
    free(js);
    js = tsk_xasprintf("{\"name\":\"%s-q\",\"visibility_timeout_seconds\":"
                       "120,\"message_retention_seconds\":1209600}", f->pfx);
    cJSON *up = update(f, "aws_sqs_queue", "aws_sqs_queue.q", id, out, js);
    assert_int_equal((int)aws__jnum(up, "visibility_timeout_seconds", 0), 120);
    assert_int_equal((int)aws__jnum(up, "message_retention_seconds", 0),
                     1209600);
    /* import by URL; a bare name is refused with the URL to use */
    struct tsk_rcall c = {f->p, "aws_sqs_queue.q", "teststack"};
    cJSON *imp = NULL;
    assert_int_equal(type("aws_sqs_queue")->import(&c, id, &imp, &f->d), 0);
    assert_true(cJSON_Compare(imp, up, 1));
    cJSON_Delete(imp);
    imp = NULL;
    char *name = tsk_xasprintf("%s-q", f->pfx);
    struct tsk_diags d2 = {0};
    assert_int_not_equal(type("aws_sqs_queue")->import(&c, name, &imp, &d2),
                         0);
    assert_true(d2.nerr > 0 && d2.v.v[0].detail &&
                strstr(d2.v.v[0].detail, id));
    tsk_diags_release(&d2);
    delete_gone(f, "aws_sqs_queue", id, up);
    cJSON_Delete(up);
    cJSON_Delete(out);
    free(name);
    free(js);
    free(id);
}

/* A role for functions; returns its ARN (caller frees). */
static char *make_role(struct fx *f, const char *name, char **role_id)
{
    cJSON *out = NULL;
    char *js = role_js(f, name, "logs:PutLogEvents");
    *role_id = create(f, "aws_iam_role", "aws_iam_role.fn", js, &out);
    char *arn = tsk_xstrdup(aws__jstr(out, "arn"));
    cJSON_Delete(out);
    free(js);
    return arn;
}

static char *fn_js(struct fx *f, const char *role, int memory,
                   const char *extra)
{
    return tsk_xasprintf(
        "{\"function_name\":\"%s-fn\",\"role\":\"%s\",\"handler\":\"h.handle\","
        "\"runtime\":\"provided.al2023\",\"memory_size\":%d,\"timeout\":30,"
        "\"filename\":\"%s\",\"environment\":{\"variables\":{\"STAGE\":"
        "\"test\"}},\"architectures\":[\"arm64\"],\"tracing_config\":{\"mode\""
        ":\"PassThrough\"},\"logging_config\":{\"log_format\":\"Text\","
        "\"log_group\":\"/aws/lambda/%s-fn\"},\"tags\":{\"team\":\"a\"}%s}",
        f->pfx, role, memory, f->dir, f->pfx, extra ? extra : "");
}

static void test_aws_drivers__function(void **state)
{
    struct fx *f = *state;
    char *role_id, *role = make_role(f, "fnrole", &role_id);
    struct tsk_buf zip = TSK_BUF_INIT;
    assert_int_equal(tsk_aws_zip_source(f->dir, &zip, &f->d), 0);
    char *sha = tsk_aws_code_sha256(zip.ptr, zip.len);
    cJSON *out = NULL;
    char *js = fn_js(f, role, 256, ",\"reserved_concurrent_executions\":5");
    char *id = create(f, "aws_lambda_function", "aws_lambda_function.fn", js,
                      &out);
    /* Lambda's CodeSha256 is the hash of our deterministic zip */
    assert_str(out, "source_code_hash", sha);
    assert_str(out, "filename", f->dir);
    assert_int_equal((int)aws__jnum(out, "memory_size", 0), 256);
    assert_int_equal((int)aws__jnum(out, "reserved_concurrent_executions", 0),
                     5);
    assert_str(cJSON_GetObjectItem(out, "tags"), "team", "a");
    /* import reads the code folder back from the tuskform:source tag */
    cJSON *imp = read_obj(f, "aws_lambda_function", id, NULL);
    assert_true(cJSON_Compare(imp, out, 1));
    cJSON_Delete(imp);
    free(js);
    /* config update: memory, no more reserved concurrency */
    js = fn_js(f, role, 512, NULL);
    cJSON *up = update(f, "aws_lambda_function", "aws_lambda_function.fn", id,
                       out, js);
    assert_int_equal((int)aws__jnum(up, "memory_size", 0), 512);
    assert_null(cJSON_GetObjectItem(up, "reserved_concurrent_executions"));
    /* code update: a new file gives a new hash */
    write_file(f->dir, "extra.php", "<?php\n");
    struct tsk_buf zip2 = TSK_BUF_INIT;
    assert_int_equal(tsk_aws_zip_source(f->dir, &zip2, &f->d), 0);
    char *sha2 = tsk_aws_code_sha256(zip2.ptr, zip2.len);
    cJSON *p2 = parse(js);
    cJSON_DeleteItemFromObject(p2, "source_code_hash");
    cJSON_AddStringToObject(p2, "source_code_hash", sha2);
    char *t = cJSON_PrintUnformatted(p2);
    cJSON *up2 = update(f, "aws_lambda_function", "aws_lambda_function.fn",
                        id, up, t);
    assert_str(up2, "source_code_hash", sha2);
    assert_string_not_equal(sha, sha2);
    delete_gone(f, "aws_lambda_function", id, up2);
    struct tsk_rcall c = {f->p, "aws_iam_role.fn", "teststack"};
    assert_int_equal(type("aws_iam_role")->delete(&c, role_id, NULL, &f->d), 0);
    cJSON_free(t);
    cJSON_Delete(p2);
    cJSON_Delete(up2);
    cJSON_Delete(up);
    cJSON_Delete(out);
    tsk_buf_release(&zip);
    tsk_buf_release(&zip2);
    free(sha);
    free(sha2);
    free(js);
    free(id);
    free(role);
    free(role_id);
}

static void test_aws_drivers__unknown_objects(void **state)
{
    struct fx *f = *state;
    /* absent objects read as NULL, never as errors */
    assert_null(read_obj(f, "aws_lambda_function", "tsk-no-such-fn", NULL));
    assert_null(read_obj(f, "aws_iam_role", "tsk-no-such-role", NULL));
    assert_null(read_obj(f, "aws_cloudwatch_log_group", "/tsk/no/such", NULL));
    assert_null(read_obj(f, "aws_lambda_event_source_mapping",
                         "00000000-0000-0000-0000-000000000000", NULL));
    /* a malformed id is a clear error */
    struct tsk_rcall c = {f->p, "aws_lambda_alias.a", "teststack"};
    cJSON *out = NULL;
    struct tsk_diags d = {0};
    assert_int_not_equal(
        type("aws_lambda_alias")->read(&c, "not-an-arn", NULL, &out, &d), 0);
    assert_non_null(strstr(d.v.v[0].summary, "not an alias ARN"));
    tsk_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_drivers__role),
        cmocka_unit_test(test_aws_drivers__log_group),
        cmocka_unit_test(test_aws_drivers__queue),
        cmocka_unit_test(test_aws_drivers__function),
        cmocka_unit_test(test_aws_drivers__unknown_objects),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

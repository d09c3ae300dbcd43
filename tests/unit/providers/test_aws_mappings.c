/*
 * test_aws_mappings.c - event source mappings (SQS, DynamoDB Streams by
 * table name, Kinesis by stream name) and the alias on a published
 * version, driven directly against the emulator ($TSK_MOTO_URL). The
 * table and the stream the configuration only names are created here
 * through the same AWS transport.
 */
#include "aws_fx.h"

static char *make(struct fx *f, const char *tname, const char *js,
                  cJSON **out)
{
    struct tsk_rcall c = {f->p, "t.x", "teststack"};
    cJSON *p = parse(js);
    char *id = NULL;
    int rc = type(tname)->create(&c, p, &id, out, &f->d);
    print_diags(f);
    assert_int_equal(rc, 0);
    assert_non_null(id);
    cJSON_Delete(p);
    return id;
}

static void write_code(struct fx *f, const char *text)
{
    char *p = tsk_xasprintf("%s/h.py", f->dir);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    free(p);
}

static int setup(void **state)
{
    if (aws_fx_env() != 0)
        return -1;
    struct fx *f = tsk_xcalloc(1, sizeof(*f));
    strcpy(f->dir, "/tmp/tsk-awsm-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    write_code(f, "def handle(e, c):\n    return 1\n");
    snprintf(f->pfx, sizeof(f->pfx), "tmap%ld", (long)getpid());
    struct tsk_provider_cfg cfg = {f->dir, "teststack", "us-east-1"};
    assert_int_equal(tsk_provider_aws.configure(&f->p, &cfg, &f->d), 0);
    cJSON *out = NULL;
    char *js = tsk_xasprintf(
        "{\"name\":\"%s-role\",\"assume_role_policy\":\"{}\"}", f->pfx);
    f->role_id = make(f, "aws_iam_role", js, &out);
    f->role_arn = tsk_xstrdup(aws__jstr(out, "arn"));
    cJSON_Delete(out);
    free(js);
    js = tsk_xasprintf("{\"function_name\":\"%s-fn\",\"role\":\"%s\","
                       "\"handler\":\"h.handle\",\"runtime\":\"python3.12\","
                       "\"filename\":\"%s\"}",
                       f->pfx, f->role_arn, f->dir);
    f->fn_id = make(f, "aws_lambda_function", js, &f->fn);
    f->fn_arn = tsk_xstrdup(aws__jstr(f->fn, "arn"));
    free(js);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    struct tsk_rcall c = {f->p, "t.x", "teststack"};
    assert_int_equal(
        type("aws_lambda_function")->delete(&c, f->fn_id, NULL, &f->d), 0);
    assert_int_equal(type("aws_iam_role")->delete(&c, f->role_id, NULL, &f->d),
                     0);
    tsk_provider_aws.close(f->p);
    tsk_diags_release(&f->d);
    aws_fx_rmdir(f->dir);
    cJSON_Delete(f->fn);
    free(f->role_id);
    free(f->role_arn);
    free(f->fn_id);
    free(f->fn_arn);
    free(f);
    return 0;
}

/* A raw JSON call (creating what the configuration only refers to). */
static void call(struct fx *f, const char *svc, const char *op,
                 const char *body)
{
    cJSON *b = parse(body);
    struct tsk_aws_req req = {.service = svc, .op = op, .json = b};
    struct tsk_aws_resp r;
    int rc = tsk_aws_call(f->p->aws, &req, &r, &f->d);
    print_diags(f);
    assert_int_equal(rc, 0);
    tsk_aws_resp_release(&r);
    cJSON_Delete(b);
}

/* create, read = created, update batch_size, import = read, delete */
static void round_trip(struct fx *f, const char *js, const char *js2)
{
    cJSON *out = NULL;
    char *id = make(f, "aws_lambda_event_source_mapping", js, &out);
    assert_string_equal(aws__jstr(out, "function_name"), f->fn_arn);
    assert_non_null(aws__jstr(out, "event_source_arn"));
    assert_true(aws__jbool(out, "enabled", 0));
    struct tsk_rcall c = {f->p, "t.x", "teststack"};
    cJSON *p2 = parse(js2), *up = NULL, *imp = NULL;
    assert_int_equal(type("aws_lambda_event_source_mapping")
                         ->update(&c, id, out, p2, &up, &f->d),
                     0);
    assert_int_equal((int)aws__jnum(up, "batch_size", 0),
                     (int)aws__jnum(p2, "batch_size", -1));
    assert_int_equal(type("aws_lambda_event_source_mapping")
                         ->read(&c, id, NULL, &imp, &f->d),
                     0);
    assert_true(cJSON_Compare(imp, up, 1));
    /* find adopts the mapping a lost create made */
    char *fid = NULL;
    cJSON *fo = NULL;
    assert_int_equal(type("aws_lambda_event_source_mapping")
                         ->find(&c, p2, &fid, &fo, &f->d),
                     0);
    assert_non_null(fid);
    assert_string_equal(fid, id);
    assert_int_equal(
        type("aws_lambda_event_source_mapping")->delete(&c, id, up, &f->d), 0);
    cJSON *gone = NULL;
    assert_int_equal(type("aws_lambda_event_source_mapping")
                         ->read(&c, id, NULL, &gone, &f->d),
                     0);
    assert_null(gone);
    free(fid);
    cJSON_Delete(fo);
    cJSON_Delete(imp);
    cJSON_Delete(up);
    cJSON_Delete(p2);
    cJSON_Delete(out);
    free(id);
}

static void test_aws_mappings__sqs(void **state)
{
    struct fx *f = *state;
    cJSON *q = NULL;
    char *js = tsk_xasprintf("{\"name\":\"%s-jobs\"}", f->pfx);
    char *qid = make(f, "aws_sqs_queue", js, &q);
    free(js);
    const char *fmt = "{\"function_name\":\"%s\",\"event_source_arn\":\"%s\","
                      "\"batch_size\":%d,\"enabled\":true}";
    char *a = tsk_xasprintf(fmt, f->fn_arn, aws__jstr(q, "arn"), 10);
    char *b = tsk_xasprintf(fmt, f->fn_arn, aws__jstr(q, "arn"), 5);
    round_trip(f, a, b);
    struct tsk_rcall c = {f->p, "t.x", "teststack"};
    assert_int_equal(type("aws_sqs_queue")->delete(&c, qid, q, &f->d), 0);
    free(a);
    free(b);
    free(qid);
    cJSON_Delete(q);
}

static void test_aws_mappings__dynamodb_by_table(void **state)
{
    struct fx *f = *state;
    char *body = tsk_xasprintf(
        "{\"TableName\":\"%s-users\",\"KeySchema\":[{\"AttributeName\":\"id\","
        "\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":"
        "\"id\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\","
        "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":"
        "\"NEW_AND_OLD_IMAGES\"}}",
        f->pfx);
    call(f, "dynamodb", "CreateTable", body);
    const char *fmt = "{\"function_name\":\"%s\",\"source_table\":\"%s-users\","
                      "\"batch_size\":%d,\"starting_position\":\"LATEST\"}";
    char *a = tsk_xasprintf(fmt, f->fn_arn, f->pfx, 100);
    char *b = tsk_xasprintf(fmt, f->fn_arn, f->pfx, 50);
    round_trip(f, a, b);
    /* a table without a stream is a clear error */
    free(body);
    body = tsk_xasprintf(
        "{\"TableName\":\"%s-plain\",\"KeySchema\":[{\"AttributeName\":\"id\","
        "\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":"
        "\"id\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
        f->pfx);
    call(f, "dynamodb", "CreateTable", body);
    char *bad = tsk_xasprintf("{\"function_name\":\"%s\",\"source_table\":"
                              "\"%s-plain\"}", f->fn_arn, f->pfx);
    struct tsk_rcall c = {f->p, "aws_lambda_event_source_mapping.x", "s"};
    struct tsk_diags d = {0};
    cJSON *p = parse(bad), *out = NULL;
    char *id = NULL;
    assert_int_not_equal(type("aws_lambda_event_source_mapping")
                             ->create(&c, p, &id, &out, &d),
                         0);
    assert_non_null(strstr(d.v.v[0].summary, "has no stream"));
    assert_string_equal(d.v.v[0].addr, "aws_lambda_event_source_mapping.x");
    tsk_diags_release(&d);
    cJSON_Delete(p);
    free(bad);
    free(body);
    body = tsk_xasprintf("{\"TableName\":\"%s-users\"}", f->pfx);
    call(f, "dynamodb", "DeleteTable", body);
    free(body);
    body = tsk_xasprintf("{\"TableName\":\"%s-plain\"}", f->pfx);
    call(f, "dynamodb", "DeleteTable", body);
    free(body);
    free(a);
    free(b);
}

static void test_aws_mappings__kinesis_by_name(void **state)
{
    struct fx *f = *state;
    char *body = tsk_xasprintf("{\"StreamName\":\"%s-data\",\"ShardCount\":1}",
                               f->pfx);
    call(f, "kinesis", "CreateStream", body);
    const char *fmt = "{\"function_name\":\"%s\",\"source_stream\":"
                      "\"%s-data\",\"batch_size\":%d,\"starting_position\":"
                      "\"TRIM_HORIZON\"}";
    char *a = tsk_xasprintf(fmt, f->fn_arn, f->pfx, 1000);
    char *b = tsk_xasprintf(fmt, f->fn_arn, f->pfx, 200);
    round_trip(f, a, b);
    free(body);
    body = tsk_xasprintf("{\"StreamName\":\"%s-data\"}", f->pfx);
    call(f, "kinesis", "DeleteStream", body);
    free(body);
    free(a);
    free(b);
}

static void test_aws_mappings__alias(void **state)
{
    struct fx *f = *state;
    cJSON *out = NULL;
    char *js = tsk_xasprintf("{\"name\":\"live\",\"function_name\":\"%s-fn\","
                             "\"source_code_hash\":\"%s\"}",
                             f->pfx, aws__jstr(f->fn, "source_code_hash"));
    char *id = make(f, "aws_lambda_alias", js, &out);
    assert_non_null(strstr(id, ":function:"));
    assert_string_equal(aws__jstr(out, "source_code_hash"),
                        aws__jstr(f->fn, "source_code_hash"));
    const char *v1 = aws__jstr(out, "function_version");
    assert_non_null(v1);
    assert_string_not_equal(v1, "$LATEST");
    /* new code: the alias update publishes and moves to a new version */
    struct tsk_rcall c = {f->p, "t.x", "teststack"};
    write_code(f, "def handle(e, c):\n    return 2\n");
    struct tsk_buf zip = TSK_BUF_INIT;
    assert_int_equal(tsk_aws_zip_source(f->dir, &zip, &f->d), 0);
    char *sha = tsk_aws_code_sha256(zip.ptr, zip.len);
    cJSON *p = cJSON_Duplicate(f->fn, 1), *fn2 = NULL;
    cJSON_DeleteItemFromObject(p, "source_code_hash");
    cJSON_AddStringToObject(p, "source_code_hash", sha);
    assert_int_equal(type("aws_lambda_function")
                         ->update(&c, f->fn_id, f->fn, p, &fn2, &f->d),
                     0);
    cJSON *ap = cJSON_Duplicate(out, 1), *up = NULL;
    cJSON_DeleteItemFromObject(ap, "source_code_hash");
    cJSON_AddStringToObject(ap, "source_code_hash", sha);
    assert_int_equal(type("aws_lambda_alias")->update(&c, id, out, ap, &up,
                                                      &f->d),
                     0);
    assert_string_equal(aws__jstr(up, "source_code_hash"), sha);
    assert_string_not_equal(aws__jstr(up, "function_version"), v1);
    assert_int_equal(type("aws_lambda_alias")->delete(&c, id, up, &f->d), 0);
    cJSON *gone = NULL;
    assert_int_equal(type("aws_lambda_alias")->read(&c, id, NULL, &gone,
                                                    &f->d),
                     0);
    assert_null(gone);
    cJSON_Delete(f->fn);
    f->fn = fn2;
    cJSON_Delete(ap);
    cJSON_Delete(up);
    cJSON_Delete(p);
    cJSON_Delete(out);
    tsk_buf_release(&zip);
    free(sha);
    free(js);
    free(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_mappings__sqs),
        cmocka_unit_test(test_aws_mappings__dynamodb_by_table),
        cmocka_unit_test(test_aws_mappings__kinesis_by_name),
        cmocka_unit_test(test_aws_mappings__alias),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

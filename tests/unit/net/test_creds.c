/*
 * test_creds.c - the credential chain (environment, shared credentials and
 * config files with profiles, container endpoint, IMDSv2 served by a
 * loopback thread), precedence, region and endpoint resolution.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "providers/net/aws.h"
#include "unit/net/loopsrv.h"

#include <stdlib.h>
#include <sys/stat.h>

static char dir[] = "/tmp/tsk-creds-XXXXXX";
static char *cred_path, *conf_path;

static const char *const vars[] = {"AWS_ACCESS_KEY_ID",
                                   "AWS_SECRET_ACCESS_KEY",
                                   "AWS_SESSION_TOKEN",
                                   "AWS_SECURITY_TOKEN",
                                   "AWS_PROFILE",
                                   "AWS_DEFAULT_PROFILE",
                                   "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                   "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                   "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                   "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                   "AWS_REGION",
                                   "AWS_DEFAULT_REGION",
                                   "AWS_ENDPOINT_URL",
                                   "AWS_ENDPOINT_URL_LAMBDA",
                                   "AWS_ENDPOINT_URL_BUDGETS",
                                   "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                   "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                   NULL};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int reset(void **st)
{
    (void)st;
    for (int i = 0; vars[i]; i++)
        unsetenv(vars[i]);
    setenv("HOME", dir, 1); /* never the real ~/.aws */
    setenv("AWS_SHARED_CREDENTIALS_FILE", cred_path, 1);
    setenv("AWS_CONFIG_FILE", conf_path, 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    unlink(cred_path);
    unlink(conf_path);
    return 0;
}

static int group_setup(void **st)
{
    (void)st;
    assert_non_null(mkdtemp(dir));
    cred_path = tsk_xasprintf("%s/credentials", dir);
    conf_path = tsk_xasprintf("%s/config", dir);
    return 0;
}

static int group_teardown(void **st)
{
    (void)st;
    unlink(cred_path);
    unlink(conf_path);
    rmdir(dir);
    free(cred_path);
    free(conf_path);
    return 0;
}

static int resolve(struct tsk_aws_creds *c, const char *profile,
                   struct tsk_diags *d)
{
    struct tsk_aws_creds_opts o = {profile, NULL};
    return tsk_aws_creds_resolve(c, &o, d);
}

static const char *creds_file = "# comment\n"
                                "[default]\n"
                                "aws_access_key_id = AKIDDEFAULT\n"
                                "aws_secret_access_key = secretdefault000\n"
                                "\n"
                                "[dev]\n"
                                "aws_access_key_id=AKIDDEV  \n"
                                "aws_secret_access_key =secretdev000\n"
                                "aws_session_token = tokendev000\n"
                                "s3 =\n"
                                "  aws_access_key_id = NESTEDNOTME\n"
                                "[partial]\n"
                                "aws_access_key_id = AKIDPART\n";

static const char *config_file =
    "[default]\n"
    "region = eu-central-1\n"
    "[profile cfg]\n"
    "region = ap-south-1\n"
    "aws_access_key_id = AKIDCFG\n"
    "aws_secret_access_key = secretcfg000\n"
    "[dev]\n" /* not a profile section in the config file */
    "region = us-west-1\n"
    "[profile dev]\n"
    "aws_access_key_id = AKIDDEVCONFIG\n"
    "aws_secret_access_key = secretdevconfig\n";

static void test_env(void **st)
{
    (void)st;
    struct tsk_aws_creds c;
    struct tsk_diags d = {0};
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secretenv000", 1);
    setenv("AWS_SESSION_TOKEN", "tokenenv000", 1);
    write_file(cred_path, creds_file);
    assert_int_equal(resolve(&c, NULL, &d), 0);
    assert_string_equal(c.access_key_id, "AKIDENV");
    assert_string_equal(c.secret_access_key, "secretenv000");
    assert_string_equal(c.session_token, "tokenenv000");
    assert_string_equal(c.source, "environment");
    tsk_aws_creds_release(&c);
    /* AWS_PROFILE alone does not skip the environment */
    setenv("AWS_PROFILE", "dev", 1);
    assert_int_equal(resolve(&c, NULL, &d), 0);
    assert_string_equal(c.access_key_id, "AKIDENV");
    tsk_aws_creds_release(&c);
    /* an explicit profile does */
    assert_int_equal(resolve(&c, "dev", &d), 0);
    assert_string_equal(c.access_key_id, "AKIDDEV");
    tsk_aws_creds_release(&c);
    assert_int_equal(d.nerr, 0);
}

static void test_shared_files(void **st)
{
    (void)st;
    struct tsk_aws_creds c;
    struct tsk_diags d = {0};
    write_file(cred_path, creds_file);
    write_file(conf_path, config_file);
    assert_int_equal(resolve(&c, NULL, &d), 0);
    assert_string_equal(c.access_key_id, "AKIDDEFAULT");
    assert_null(c.session_token);
    assert_string_equal(c.source, "shared-credentials-file");
    tsk_aws_creds_release(&c);
    setenv("AWS_PROFILE", "dev", 1); /* credentials file wins over config */
    assert_int_equal(resolve(&c, NULL, &d), 0);
    assert_string_equal(c.access_key_id, "AKIDDEV");
    assert_string_equal(c.secret_access_key, "secretdev000");
    assert_string_equal(c.session_token, "tokendev000");
    tsk_aws_creds_release(&c);
    setenv("AWS_PROFILE", "cfg", 1); /* only in config, as [profile cfg] */
    assert_int_equal(resolve(&c, NULL, &d), 0);
    assert_string_equal(c.access_key_id, "AKIDCFG");
    assert_string_equal(c.source, "shared-config-file");
    tsk_aws_creds_release(&c);
    assert_int_equal(d.nerr, 0);
    setenv("AWS_PROFILE", "partial", 1);
    assert_true(resolve(&c, NULL, &d) < 0);
    assert_int_equal(d.nerr, 1);
    tsk_aws_creds_release(&c);
    setenv("AWS_PROFILE", "nosuch", 1);
    assert_int_equal(resolve(&c, NULL, &d), TSK_ENOTFOUND);
    assert_non_null(strstr(d.v.v[d.v.n - 1].summary, "nosuch"));
    tsk_diags_release(&d);
}

static void test_profile_get(void **st)
{
    (void)st;
    char *v = NULL;
    write_file(conf_path, config_file);
    assert_int_equal(tsk_aws_profile_get(conf_path, 1, "default", "region", &v),
                     0);
    assert_string_equal(v, "eu-central-1");
    free(v);
    assert_int_equal(tsk_aws_profile_get(conf_path, 1, "cfg", "region", &v), 0);
    assert_string_equal(v, "ap-south-1");
    free(v);
    assert_int_equal(tsk_aws_profile_get(conf_path, 1, "dev", "region", &v),
                     TSK_ENOTFOUND);
    assert_int_equal(tsk_aws_profile_get("/nonexistent/x", 1, "a", "b", &v),
                     TSK_EIO);
    write_file(conf_path, "[[[\n=\n= =\n[profile]\nregion\n\0");
    assert_int_equal(tsk_aws_profile_get(conf_path, 1, "default", "region", &v),
                     TSK_ENOTFOUND);
}

static void test_none_found(void **st)
{
    (void)st;
    struct tsk_aws_creds c;
    struct tsk_diags d = {0};
    assert_int_equal(resolve(&c, NULL, &d), TSK_ENOTFOUND);
    assert_int_equal(d.nerr, 1);
    assert_non_null(strstr(d.v.v[0].summary, "no AWS credentials"));
    tsk_diags_release(&d);
}

static void test_container(void **st)
{
    (void)st;
    struct loopsrv srv;
    struct tsk_aws_creds c;
    struct tsk_diags d = {0};
    char *url, *tokfile = tsk_xasprintf("%s/token", dir), *auth;
    loopsrv_start(&srv);
    loopsrv_push(
        &srv, 200, "Content-Type: application/json\r\n",
        "{\"AccessKeyId\":\"AKIDCONT\",\"SecretAccessKey\":\"secretcont0\","
        "\"Token\":\"tokencont0\",\"Expiration\":\"2030-01-02T03:04:05Z\"}");
    url = tsk_xasprintf("http://127.0.0.1:%d/v2/credentials/abc", srv.port);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    write_file(tokfile, "container-auth-token\n");
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-this-one", 1);
    assert_int_equal(resolve(&c, NULL, &d), 0);
    assert_string_equal(c.access_key_id, "AKIDCONT");
    assert_string_equal(c.secret_access_key, "secretcont0");
    assert_string_equal(c.session_token, "tokencont0");
    assert_int_equal(c.expiration, 1893553445);
    assert_string_equal(c.source, "container credentials");
    auth = loopsrv_header(&srv, 0, "authorization");
    assert_string_equal(auth, "container-auth-token");
    free(auth);
    tsk_aws_creds_release(&c);
    /* the environment still comes first */
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secretenv000", 1);
    assert_int_equal(resolve(&c, NULL, &d), 0);
    assert_string_equal(c.access_key_id, "AKIDENV");
    tsk_aws_creds_release(&c);
    assert_int_equal(loopsrv_nreq(&srv), 1);
    loopsrv_stop(&srv);
    /* plain http to a non-loopback host is refused */
    unsetenv("AWS_ACCESS_KEY_ID");
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://203.0.113.9/creds", 1);
    assert_int_equal(resolve(&c, NULL, &d), TSK_EINVAL);
    unlink(tokfile);
    free(tokfile);
    free(url);
    tsk_diags_release(&d);
}

static void test_imds(void **st)
{
    (void)st;
    struct loopsrv srv;
    struct tsk_aws_creds c;
    struct tsk_diags d = {0};
    char *url, *ttl, *tok;
    loopsrv_start(&srv);
    loopsrv_push(&srv, 200, "", "imds-session-token");
    loopsrv_push(&srv, 200, "", "my-role\n");
    loopsrv_push(&srv, 200, "",
                 "{\"Code\":\"Success\",\"AccessKeyId\":\"AKIDIMDS\","
                 "\"SecretAccessKey\":\"secretimds0\",\"Token\":\"tokenimds0\","
                 "\"Expiration\":\"2030-01-01T00:00:00Z\"}");
    url = tsk_xasprintf("http://127.0.0.1:%d", srv.port);
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
    unsetenv("AWS_EC2_METADATA_DISABLED");
    assert_int_equal(resolve(&c, NULL, &d), 0);
    assert_string_equal(c.access_key_id, "AKIDIMDS");
    assert_string_equal(c.session_token, "tokenimds0");
    ttl = loopsrv_header(&srv, 0, "x-aws-ec2-metadata-token-ttl-seconds");
    tok = loopsrv_header(&srv, 2, "x-aws-ec2-metadata-token");
    assert_string_equal(ttl, "21600");
    assert_string_equal(tok, "imds-session-token");
    assert_non_null(strstr(srv.requests.v[0], "PUT /latest/api/token"));
    assert_non_null(
        strstr(srv.requests.v[2],
               "GET /latest/meta-data/iam/security-credentials/my-role"));
    free(ttl);
    free(tok);
    tsk_aws_creds_release(&c);
    loopsrv_stop(&srv);
    free(url);
    tsk_diags_release(&d);
}

static void test_region(void **st)
{
    (void)st;
    struct tsk_diags d = {0};
    char *r;
    write_file(conf_path, config_file);
    assert_int_equal(tsk_aws_region_resolve(NULL, NULL, &r, &d), 0);
    assert_string_equal(r, "eu-central-1");
    free(r);
    assert_int_equal(tsk_aws_region_resolve(NULL, "cfg", &r, &d), 0);
    assert_string_equal(r, "ap-south-1");
    free(r);
    setenv("AWS_DEFAULT_REGION", "us-west-2", 1);
    assert_int_equal(tsk_aws_region_resolve("", NULL, &r, &d), 0);
    assert_string_equal(r, "us-west-2");
    free(r);
    setenv("AWS_REGION", "eu-west-3", 1);
    assert_int_equal(tsk_aws_region_resolve(NULL, NULL, &r, &d), 0);
    assert_string_equal(r, "eu-west-3");
    free(r);
    assert_int_equal(tsk_aws_region_resolve("sa-east-1", NULL, &r, &d), 0);
    assert_string_equal(r, "sa-east-1");
    free(r);
    assert_int_equal(d.nerr, 0);
    assert_int_equal(tsk_aws_region_resolve("evil.com/x", NULL, &r, &d),
                     TSK_EINVAL);
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    unlink(conf_path);
    assert_int_equal(tsk_aws_region_resolve(NULL, NULL, &r, &d), TSK_ENOTFOUND);
    assert_int_equal(d.nerr, 2);
    tsk_diags_release(&d);
}

static void endpoint(const char *svc, const char *region, const char *url,
                     const char *signing_region, int overridden)
{
    struct tsk_aws_endpoint e;
    struct tsk_diags d = {0};
    const struct tsk_aws_service *s = tsk_aws_service_find(svc);
    assert_non_null(s);
    assert_int_equal(tsk_aws_endpoint_resolve(s, region, &e, &d), 0);
    assert_string_equal(e.url, url);
    assert_string_equal(e.signing_region, signing_region);
    assert_int_equal(e.overridden, overridden);
    tsk_aws_endpoint_release(&e);
}

static void test_endpoints(void **st)
{
    (void)st;
    struct tsk_aws_endpoint e;
    struct tsk_diags d = {0};
    endpoint("lambda", "eu-west-1", "https://lambda.eu-west-1.amazonaws.com",
             "eu-west-1", 0);
    endpoint("cloudwatch", "eu-west-1",
             "https://monitoring.eu-west-1.amazonaws.com", "eu-west-1", 0);
    endpoint("budgets", "eu-west-1", "https://budgets.amazonaws.com",
             "us-east-1", 0);
    endpoint("iam", "eu-west-1", "https://iam.amazonaws.com", "us-east-1", 0);
    endpoint("apigatewayv2", "us-east-2",
             "https://apigateway.us-east-2.amazonaws.com", "us-east-2", 0);
    assert_string_equal(tsk_aws_service_find("cloudwatch")->signing_name,
                        "monitoring");
    assert_null(tsk_aws_service_find("nosuch"));
    const char *all[] = {"lambda",
                         "iam",
                         "logs",
                         "sqs",
                         "sts",
                         "events",
                         "apigateway",
                         "s3",
                         "cloudwatch",
                         "budgets",
                         "application-autoscaling",
                         "xray",
                         "dynamodb",
                         "kinesis"};
    for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
        assert_non_null(tsk_aws_service_find(all[i]));
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000/", 1);
    endpoint("sqs", "eu-west-1", "http://127.0.0.1:5000", "eu-west-1", 1);
    setenv("AWS_ENDPOINT_URL_LAMBDA", "http://localhost:4566", 1);
    endpoint("lambda", "eu-west-1", "http://localhost:4566", "eu-west-1", 1);
    endpoint("budgets", "eu-west-1", "http://127.0.0.1:5000", "us-east-1", 1);
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
    endpoint("lambda", "eu-west-1", "https://lambda.eu-west-1.amazonaws.com",
             "eu-west-1", 0);
    unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    setenv("AWS_ENDPOINT_URL_LAMBDA", "ftp://x", 1);
    assert_int_equal(tsk_aws_endpoint_resolve(tsk_aws_service_find("lambda"),
                                              "eu-west-1", &e, &d),
                     TSK_EINVAL);
    assert_int_equal(d.nerr, 1);
    tsk_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_env, reset),
        cmocka_unit_test_setup(test_shared_files, reset),
        cmocka_unit_test_setup(test_profile_get, reset),
        cmocka_unit_test_setup(test_none_found, reset),
        cmocka_unit_test_setup(test_container, reset),
        cmocka_unit_test_setup(test_imds, reset),
        cmocka_unit_test_setup(test_region, reset),
        cmocka_unit_test_setup(test_endpoints, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

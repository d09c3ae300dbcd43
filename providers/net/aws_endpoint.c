/*
 * aws_endpoint.c - the service table (signing names, protocols, target
 * prefixes), region resolution and endpoint URLs with the
 * AWS_ENDPOINT_URL[_<SERVICE>] overrides.
 */
#include "providers/net/aws.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

static const struct tsk_aws_service services[] = {
    {"lambda", "lambda", "lambda", "LAMBDA", TSK_AWS_REST_JSON, NULL, NULL,
     NULL},
    {"iam", "iam", "iam", "IAM", TSK_AWS_QUERY, NULL, "2010-05-08",
     "us-east-1"},
    {"logs", "logs", "logs", "CLOUDWATCH_LOGS", TSK_AWS_JSON11, "Logs_20140328",
     NULL, NULL},
    {"sqs", "sqs", "sqs", "SQS", TSK_AWS_JSON10, "AmazonSQS", NULL, NULL},
    {"sts", "sts", "sts", "STS", TSK_AWS_QUERY, NULL, "2011-06-15", NULL},
    {"events", "events", "events", "EVENTBRIDGE", TSK_AWS_JSON11, "AWSEvents",
     NULL, NULL},
    {"apigateway", "apigateway", "apigateway", "APIGATEWAYV2",
     TSK_AWS_REST_JSON, NULL, NULL, NULL},
    {"s3", "s3", "s3", "S3", TSK_AWS_REST_XML, NULL, NULL, NULL},
    {"cloudwatch", "monitoring", "monitoring", "CLOUDWATCH", TSK_AWS_QUERY,
     NULL, "2010-08-01", NULL},
    {"budgets", "budgets", "budgets", "BUDGETS", TSK_AWS_JSON11,
     "AWSBudgetServiceGateway", NULL, "us-east-1"},
    {"application-autoscaling", "application-autoscaling",
     "application-autoscaling", "APPLICATION_AUTO_SCALING", TSK_AWS_JSON11,
     "AnyScaleFrontendService", NULL, NULL},
    {"xray", "xray", "xray", "XRAY", TSK_AWS_REST_JSON, NULL, NULL, NULL},
    {"dynamodb", "dynamodb", "dynamodb", "DYNAMODB", TSK_AWS_JSON10,
     "DynamoDB_20120810", NULL, NULL},
    {"kinesis", "kinesis", "kinesis", "KINESIS", TSK_AWS_JSON11,
     "Kinesis_20131202", NULL, NULL},
};

static const char *const aliases[][2] = {
    {"apigatewayv2", "apigateway"},
    {"monitoring", "cloudwatch"},
    {"eventbridge", "events"},
    {"cloudwatch-logs", "logs"},
    {"application-auto-scaling", "application-autoscaling"},
};

const struct tsk_aws_service *tsk_aws_service_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcasecmp(name, aliases[i][0]) == 0)
            name = aliases[i][1];
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
        if (strcasecmp(name, services[i].name) == 0)
            return &services[i];
    return NULL;
}

/* Regions are lowercase letters, digits and dashes ("eu-west-1"). */
static int region_ok(const char *r)
{
    if (!r || !*r || strlen(r) > 64)
        return 0;
    for (; *r; r++)
        if (!(islower((unsigned char)*r) || isdigit((unsigned char)*r) ||
              *r == '-'))
            return 0;
    return 1;
}

int tsk_aws_region_resolve(const char *configured, const char *profile,
                           char **out, struct tsk_diags *d)
{
    const char *from = "the configuration", *v = configured;
    char *cfg = NULL, *val = NULL;
    *out = NULL;
    if (!v || !*v) {
        from = "AWS_REGION";
        v = getenv("AWS_REGION");
    }
    if (!v || !*v) {
        from = "AWS_DEFAULT_REGION";
        v = getenv("AWS_DEFAULT_REGION");
    }
    if (!v || !*v) {
        cfg = tsk_aws_shared_file(1);
        from = "the AWS config file";
        if (tsk_aws_profile_get(cfg, 1, tsk_aws_profile_name(profile), "region",
                                &val) == 0)
            v = val;
        free(cfg);
    }
    if (!v || !*v) {
        free(val);
        tsk_diag_error(d, NULL, "no AWS region is configured");
        tsk_diag_detail(d, "set `region` in [serverless_architecture], or "
                           "AWS_REGION / AWS_DEFAULT_REGION");
        return TSK_ENOTFOUND;
    }
    if (!region_ok(v)) {
        tsk_diag_error(d, NULL, "invalid AWS region \"%s\" (from %s)", v, from);
        free(val);
        return TSK_EINVAL;
    }
    *out = tsk_xstrdup(v);
    free(val);
    return 0;
}

static int env_true(const char *name)
{
    const char *v = getenv(name);
    return v && strcasecmp(v, "true") == 0;
}

/* Checks scheme://host[:port][/path] and returns it without trailing '/'. */
static char *check_url(const char *u)
{
    const char *host;
    size_t n;
    if (strncasecmp(u, "https://", 8) == 0)
        host = u + 8;
    else if (strncasecmp(u, "http://", 7) == 0)
        host = u + 7;
    else
        return NULL;
    if (!*host || *host == '/' || strpbrk(u, " \t\r\n?#@"))
        return NULL;
    n = strlen(u);
    while (n && u[n - 1] == '/')
        n--;
    return tsk_xstrndup(u, n);
}

int tsk_aws_endpoint_resolve(const struct tsk_aws_service *svc,
                             const char *region, struct tsk_aws_endpoint *out,
                             struct tsk_diags *d)
{
    char name[96];
    const char *v = NULL, *var = name;
    memset(out, 0, sizeof(*out));
    if (!env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
        snprintf(name, sizeof(name), "AWS_ENDPOINT_URL_%s", svc->env_suffix);
        v = getenv(name);
        if (!v || !*v) {
            var = "AWS_ENDPOINT_URL";
            v = getenv(var);
        }
    }
    out->signing_region =
        tsk_xstrdup(svc->global_region ? svc->global_region : region);
    if (v && *v) {
        if (!(out->url = check_url(v))) {
            tsk_aws_endpoint_release(out);
            tsk_diag_error(d, NULL, "%s is not a valid endpoint URL: \"%s\"",
                           var, v);
            tsk_diag_detail(d, "expected http(s)://host[:port]");
            return TSK_EINVAL;
        }
        out->overridden = 1;
        return 0;
    }
    const char *dns =
        strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
    if (svc->global_region)
        out->url = tsk_xasprintf("https://%s.%s", svc->host_prefix, dns);
    else
        out->url =
            tsk_xasprintf("https://%s.%s.%s", svc->host_prefix, region, dns);
    return 0;
}

void tsk_aws_endpoint_release(struct tsk_aws_endpoint *e)
{
    free(e->url);
    free(e->signing_region);
    e->url = e->signing_region = NULL;
}

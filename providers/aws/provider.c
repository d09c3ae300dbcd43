/*
 * provider.c - the `aws` provider (alias `aws_lambda`): configure resolves
 * the region (configuration, AWS_REGION, profile), the credentials (the
 * standard chain) and the account id (STS GetCallerIdentity) once, so that
 * a missing or wrong setup fails before any plan or apply call; endpoints
 * follow AWS_ENDPOINT_URL[_<SERVICE>] per call. close frees it all.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>

static int aws_configure(struct tsk_pctx **out,
                         const struct tsk_provider_cfg *cfg,
                         struct tsk_diags *d)
{
    struct tsk_aws_opts o = {0};
    struct tsk_aws *aws = NULL;
    struct tsk_aws_creds cr;
    *out = NULL;
    o.region = cfg ? cfg->region : NULL;
    if (tsk_aws_new(&aws, &o, d) < 0)
        return TSK_EINVAL;
    if (tsk_aws_credentials(aws, &cr, d) < 0) {
        tsk_diag_detail(d, "the aws provider needs credentials: set "
                           "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or "
                           "AWS_PROFILE");
        tsk_aws_free(aws);
        return TSK_EINVAL;
    }
    tsk_aws_creds_release(&cr);
    struct tsk_pctx *p = tsk_xcalloc(1, sizeof(*p));
    p->aws = aws;
    if (tsk_aws_account_id(aws, &p->account, d) < 0) {
        tsk_diag_detail(d, "the aws provider checks the credentials with "
                           "STS GetCallerIdentity");
        tsk_aws_free(aws);
        free(p);
        return TSK_EINVAL;
    }
    p->stack = cfg && cfg->stack ? tsk_xstrdup(cfg->stack) : NULL;
    p->workdir = cfg && cfg->workdir ? tsk_xstrdup(cfg->workdir) : NULL;
    *out = p;
    return 0;
}

static void aws_close(struct tsk_pctx *p)
{
    if (!p)
        return;
    tsk_aws_free(p->aws);
    free(p->account);
    free(p->stack);
    free(p->workdir);
    free(p);
}

const struct tsk_provider tsk_provider_aws = {
    .name = "aws",
    .aliases = "aws_lambda",
    .supported = 1,
    .lower = tsk_aws_lower,
    .configure = aws_configure,
    .close = aws_close,
    .types = tsk_aws_types,
};

extern const struct tsk_resource_type aws_t_iam_role, aws_t_lambda_function,
    aws_t_log_group, aws_t_lambda_alias, aws_t_provisioned_concurrency,
    aws_t_sqs_queue, aws_t_event_source_mapping;
extern const struct tsk_resource_type aws_t_event_bus, aws_t_event_rule,
    aws_t_event_target, aws_t_lambda_permission, aws_t_sqs_queue_policy,
    aws_t_apigw_api, aws_t_apigw_integration, aws_t_apigw_route,
    aws_t_apigw_stage, aws_t_apigw_authorizer, aws_t_s3_notification,
    aws_t_metric_alarm, aws_t_budget, aws_t_appautoscaling_target,
    aws_t_appautoscaling_policy, aws_t_xray_sampling_rule;

const struct tsk_resource_type *const tsk_aws_types[] = {
    &aws_t_iam_role,   &aws_t_lambda_function,
    &aws_t_log_group,  &aws_t_lambda_alias,
    &aws_t_provisioned_concurrency, &aws_t_sqs_queue,
    &aws_t_event_source_mapping,
    &aws_t_event_bus, &aws_t_event_rule, &aws_t_event_target,
    &aws_t_lambda_permission, &aws_t_sqs_queue_policy,
    &aws_t_apigw_api, &aws_t_apigw_integration, &aws_t_apigw_route,
    &aws_t_apigw_stage, &aws_t_apigw_authorizer, &aws_t_s3_notification,
    &aws_t_metric_alarm, &aws_t_budget, &aws_t_appautoscaling_target,
    &aws_t_appautoscaling_policy, &aws_t_xray_sampling_rule, NULL,
};

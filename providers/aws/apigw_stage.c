/*
 * apigw_stage.c - aws_apigatewayv2_stage: the `$default` stage of an HTTP
 * API with auto-deploy, so that every route change is live without a
 * deployment. Create/Get/Update (PATCH)/DeleteStage through the engine in
 * apigw_api.c (the stage name is the child id, `$` encoded in paths).
 * Id: API_ID/STAGE_NAME.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>

static const struct tsk_attr_schema attrs[] = {
    {"api_id", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW,
     "aws_apigatewayv2_api", "API id"},
    {"name", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW, NULL, "$default"},
    {"auto_deploy", TSK_T_BOOL, TSK_A_OPTIONAL | TSK_A_COMPUTED, NULL,
     "deploy every change"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "API_ID/STAGE_NAME"},
    {NULL, 0, 0, NULL, NULL},
};

static cJSON *to_body(const struct tsk_rcall *c, const cJSON *p, int create)
{
    cJSON *b = aws__obj();
    (void)c;
    if (create)
        aws__str(b, "stageName", aws__jstr(p, "name"));
    aws__bool(b, "autoDeploy", aws__jbool(p, "auto_deploy", 0));
    return b;
}

static cJSON *from_remote(const cJSON *r)
{
    cJSON *o = aws__obj();
    aws__str(o, "name", aws__jstr(r, "stageName"));
    aws__bool(o, "auto_deploy", aws__jbool(r, "autoDeploy", 0));
    return o;
}

static const struct aws_apigw_kind kind = {
    "stages", "Stage", "stageName", to_body, from_remote, "name", "stageName"};

AWS_APIGW_CHILD_TYPE(aws_t_apigw_stage, "aws_apigatewayv2_stage", attrs, kind);

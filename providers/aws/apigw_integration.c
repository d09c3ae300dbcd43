/*
 * apigw_integration.c - aws_apigatewayv2_integration: the Lambda proxy
 * (AWS_PROXY, payload format 2.0) between an HTTP API and a function.
 * Create/Get/Update (PATCH)/DeleteIntegration through the engine in
 * apigw_api.c. Id: API_ID/INTEGRATION_ID; route_target is the
 * "integrations/ID" a route's target names.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>

#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"api_id", TSK_T_STRING, TSK_A_REQUIRED | FNEW, "aws_apigatewayv2_api",
     "API id"},
    {"integration_type", TSK_T_STRING, TSK_A_REQUIRED | FNEW, NULL,
     "AWS_PROXY"},
    {"integration_uri", TSK_T_STRING, TSK_A_REQUIRED, NULL, "function ARN"},
    {"integration_method", TSK_T_STRING, OPT | COMP, NULL, "POST"},
    {"payload_format_version", TSK_T_STRING, OPT | COMP, NULL, "2.0"},
    {"timeout_milliseconds", TSK_T_NUMBER, OPT | COMP, NULL, "50..30000"},
    {"integration_id", TSK_T_STRING, COMP, NULL, "integration id"},
    {"route_target", TSK_T_STRING, COMP, NULL, "integrations/ID"},
    {"id", TSK_T_STRING, COMP, NULL, "API_ID/INTEGRATION_ID"},
    {NULL, 0, 0, NULL, NULL},
};

static cJSON *to_body(const struct tsk_rcall *c, const cJSON *p, int create)
{
    cJSON *b = aws__obj();
    (void)c;
    if (create)
        aws__str(b, "integrationType", aws__jstr(p, "integration_type"));
    aws__str(b, "integrationUri", aws__jstr(p, "integration_uri"));
    aws__str(b, "integrationMethod", aws__jstr(p, "integration_method"));
    aws__str(b, "payloadFormatVersion", aws__jstr(p, "payload_format_version"));
    if (cJSON_GetObjectItemCaseSensitive(p, "timeout_milliseconds"))
        aws__num(b, "timeoutInMillis", aws__jnum(p, "timeout_milliseconds", 0));
    return b;
}

static cJSON *from_remote(const cJSON *r)
{
    cJSON *o = aws__obj();
    aws__str(o, "integration_type", aws__jstr(r, "integrationType"));
    aws__str(o, "integration_uri", aws__jstr(r, "integrationUri"));
    aws__str(o, "integration_method", aws__jstr(r, "integrationMethod"));
    aws__str(o, "payload_format_version", aws__jstr(r, "payloadFormatVersion"));
    if (cJSON_GetObjectItemCaseSensitive(r, "timeoutInMillis"))
        aws__num(o, "timeout_milliseconds", aws__jnum(r, "timeoutInMillis", 0));
    const char *id = aws__jstr(r, "integrationId");
    aws__str(o, "integration_id", id);
    if (id) {
        char *t = tsk_xasprintf("integrations/%s", id);
        aws__str(o, "route_target", t);
        free(t);
    }
    return o;
}

static const struct aws_apigw_kind kind = {
    "integrations", "Integration",     "integrationId", to_body,
    from_remote,    "integration_uri", "integrationUri"};

AWS_APIGW_CHILD_TYPE(aws_t_apigw_integration, "aws_apigatewayv2_integration", attrs, kind);

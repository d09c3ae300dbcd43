/*
 * apigw_route.c - aws_apigatewayv2_route: a route key ("ANY /orders/{proxy+}")
 * of an HTTP API sent to an integration, optionally behind a JWT
 * authorizer. Create/Get/Update (PATCH)/DeleteRoute through the engine in
 * apigw_api.c. Id: API_ID/ROUTE_ID.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>

#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED

static const struct tsk_attr_schema attrs[] = {
    {"api_id", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW,
     "aws_apigatewayv2_api", "API id"},
    {"route_key", TSK_T_STRING, TSK_A_REQUIRED, NULL, "METHOD /path"},
    {"target", TSK_T_STRING, OPT, NULL, "integrations/ID"},
    {"authorization_type", TSK_T_STRING, OPT | COMP, NULL, "NONE or JWT"},
    {"authorizer_id", TSK_T_STRING, OPT, NULL, "authorizer id"},
    {"route_id", TSK_T_STRING, COMP, NULL, "route id"},
    {"id", TSK_T_STRING, COMP, NULL, "API_ID/ROUTE_ID"},
    {NULL, 0, 0, NULL, NULL},
};

static cJSON *to_body(const struct tsk_rcall *c, const cJSON *p, int create)
{
    cJSON *b = aws__obj();
    (void)c;
    (void)create;
    aws__str(b, "routeKey", aws__jstr(p, "route_key"));
    aws__str(b, "target", aws__jstr(p, "target"));
    const char *at = aws__jstr(p, "authorization_type");
    aws__str(b, "authorizationType", at ? at : "NONE");
    aws__str(b, "authorizerId", aws__jstr(p, "authorizer_id"));
    return b;
}

static cJSON *from_remote(const cJSON *r)
{
    cJSON *o = aws__obj();
    aws__str(o, "route_key", aws__jstr(r, "routeKey"));
    aws__str(o, "target", aws__jstr(r, "target"));
    aws__str(o, "authorization_type", aws__jstr(r, "authorizationType"));
    const char *az = aws__jstr(r, "authorizerId");
    if (az && *az)
        aws__str(o, "authorizer_id", az);
    aws__str(o, "route_id", aws__jstr(r, "routeId"));
    return o;
}

static const struct aws_apigw_kind kind = {"routes",  "Route",     "routeId",
                                           to_body,   from_remote, "route_key",
                                           "routeKey"};

AWS_APIGW_CHILD_TYPE(aws_t_apigw_route, "aws_apigatewayv2_route", attrs, kind);

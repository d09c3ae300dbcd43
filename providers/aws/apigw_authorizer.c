/*
 * apigw_authorizer.c - aws_apigatewayv2_authorizer: a JWT authorizer of an
 * HTTP API (issuer and audience from the configuration's authorizer,
 * identity from the Authorization header). Create/Get/Update (PATCH)/
 * DeleteAuthorizer through the engine in apigw_api.c. Id:
 * API_ID/AUTHORIZER_ID.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>

#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED

static const struct tsk_attr_schema attrs[] = {
    {"api_id", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW,
     "aws_apigatewayv2_api", "API id"},
    {"authorizer_type", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW, NULL,
     "JWT"},
    {"name", TSK_T_STRING, TSK_A_REQUIRED, NULL, "authorizer name"},
    {"identity_sources", TSK_T_LIST, TSK_A_REQUIRED, NULL,
     "$request.header.Authorization"},
    {"jwt_configuration", TSK_T_OBJECT, OPT, NULL, "issuer, audience"},
    {"authorizer_id", TSK_T_STRING, COMP, NULL, "authorizer id"},
    {"id", TSK_T_STRING, COMP, NULL, "API_ID/AUTHORIZER_ID"},
    {NULL, 0, 0, NULL, NULL},
};

static cJSON *to_body(const struct tsk_rcall *c, const cJSON *p, int create)
{
    cJSON *b = aws__obj();
    (void)c;
    if (create)
        aws__str(b, "authorizerType", aws__jstr(p, "authorizer_type"));
    aws__str(b, "name", aws__jstr(p, "name"));
    const cJSON *is = cJSON_GetObjectItemCaseSensitive(p, "identity_sources");
    if (cJSON_IsArray(is))
        cJSON_AddItemToObject(b, "identitySource", cJSON_Duplicate(is, 1));
    const cJSON *jc = cJSON_GetObjectItemCaseSensitive(p, "jwt_configuration");
    if (cJSON_IsObject(jc)) {
        cJSON *x = aws__obj();
        const cJSON *aud = cJSON_GetObjectItemCaseSensitive(jc, "audience");
        if (cJSON_IsArray(aud))
            cJSON_AddItemToObject(x, "audience", cJSON_Duplicate(aud, 1));
        aws__str(x, "issuer", aws__jstr(jc, "issuer"));
        cJSON_AddItemToObject(b, "jwtConfiguration", x);
    }
    return b;
}

static cJSON *from_remote(const cJSON *r)
{
    cJSON *o = aws__obj();
    aws__str(o, "authorizer_type", aws__jstr(r, "authorizerType"));
    aws__str(o, "name", aws__jstr(r, "name"));
    const cJSON *is = cJSON_GetObjectItemCaseSensitive(r, "identitySource");
    if (cJSON_IsArray(is))
        cJSON_AddItemToObject(o, "identity_sources", cJSON_Duplicate(is, 1));
    const cJSON *jc = cJSON_GetObjectItemCaseSensitive(r, "jwtConfiguration");
    if (cJSON_IsObject(jc)) {
        cJSON *x = aws__obj();
        const cJSON *aud = cJSON_GetObjectItemCaseSensitive(jc, "audience");
        cJSON_AddItemToObject(x, "audience",
                              cJSON_IsArray(aud) ? cJSON_Duplicate(aud, 1)
                                                 : aws__arr());
        aws__str(x, "issuer", aws__jstr(jc, "issuer"));
        cJSON_AddItemToObject(o, "jwt_configuration", x);
    }
    aws__str(o, "authorizer_id", aws__jstr(r, "authorizerId"));
    return o;
}

static const struct aws_apigw_kind kind = {
    "authorizers", "Authorizer", "authorizerId", to_body,
    from_remote,   "name",       "name"};

AWS_APIGW_CHILD_TYPE(aws_t_apigw_authorizer, "aws_apigatewayv2_authorizer", attrs, kind);

/*
 * lower_http.c - http events on AWS: one aws_apigatewayv2_api per service
 * (HTTP, with CORS when any http event asks for it), its `$default` stage
 * with auto-deploy, one JWT aws_apigatewayv2_authorizer per authorizer
 * the events name (issuer and audience from the configuration), and per
 * function an AWS_PROXY integration, the route `ANY /KEY/{proxy+}` (behind
 * the event's authorizer) and the aws_lambda_permission that lets the API
 * invoke the function.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

static cJSON *strs(const char *const *v, size_t n)
{
    cJSON *a = aws__arr();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

static const struct tsk_model_event_source *
http_of(const struct tsk_model_function *f)
{
    for (size_t k = 0; k < f->n_events; k++)
        if (f->events[k]->kind == TSK_MODEL_EV_HTTP)
            return f->events[k];
    return NULL;
}

static uint32_t authorizer(struct aws_lower *L, uint32_t api,
                           const struct tsk_model_authorizer *az)
{
    char *name = aws__name(az->name, NULL);
    char *addr = tsk_xasprintf("aws_apigatewayv2_authorizer.%s", name);
    uint32_t n = tsk_graph_find(L->g, addr);
    free(addr);
    free(name);
    if (n != UINT32_MAX)
        return n;
    cJSON *a = aws__obj(), *jc = aws__obj();
    static const char *const ident[] = {"$request.header.Authorization"};
    aws__str(a, "authorizer_type", "JWT");
    aws__str(a, "name", az->name);
    cJSON_AddItemToObject(a, "identity_sources", strs(ident, 1));
    cJSON_AddItemToObject(jc, "audience", strs(az->audience.v, az->audience.n));
    aws__str(jc, "issuer", az->issuer);
    cJSON_AddItemToObject(a, "jwt_configuration", jc);
    n = aws__add(L, "aws_apigatewayv2_authorizer", az->name, NULL, a, &az->pos,
                 NULL);
    if (n != UINT32_MAX)
        tsk_graph_ref(L->g, n, "api_id", api, "id");
    return n;
}

static void function_route(struct aws_lower *L, uint32_t api, size_t i,
                           const struct tsk_model_event_source *e,
                           const char *api_name)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = aws__obj();
    aws__str(a, "integration_type", "AWS_PROXY");
    aws__str(a, "integration_method", "POST");
    aws__str(a, "payload_format_version", "2.0");
    uint32_t in = aws__add(L, "aws_apigatewayv2_integration", f->key, NULL, a,
                           &e->pos, f->key);
    if (in == UINT32_MAX)
        return;
    tsk_graph_ref(L->g, in, "api_id", api, "id");
    tsk_graph_ref(L->g, in, "integration_uri", L->fn[i], "arn");
    a = aws__obj();
    char *key = tsk_xasprintf("ANY /%s/{proxy+}", f->key);
    aws__str(a, "route_key", key);
    free(key);
    uint32_t az = UINT32_MAX;
    if (e->http.authorizer) {
        aws__str(a, "authorization_type", "JWT");
        az = authorizer(L, api, e->http.authorizer);
    } else {
        aws__str(a, "authorization_type", "NONE");
    }
    uint32_t rt =
        aws__add(L, "aws_apigatewayv2_route", f->key, NULL, a, &e->pos, f->key);
    if (rt != UINT32_MAX) {
        tsk_graph_ref(L->g, rt, "api_id", api, "id");
        tsk_graph_ref(L->g, rt, "target", in, "route_target");
        if (az != UINT32_MAX)
            tsk_graph_ref(L->g, rt, "authorizer_id", az, "authorizer_id");
    }
    char *sid = tsk_xasprintf("apigw-%s", api_name);
    aws__permission(L, i, e->name, "apigateway.amazonaws.com", sid, NULL, api,
                    "invoke_source_arn", &e->pos);
    free(sid);
}

void aws__lower_http(struct aws_lower *L)
{
    const struct tsk_model *m = L->m;
    uint32_t api = UINT32_MAX;
    const char *name = m->service ? m->service : L->g->stack;
    int cors = 0;
    for (size_t i = 0; i < m->functions.n; i++) {
        const struct tsk_model_event_source *e = http_of(&m->functions.v[i]);
        if (e && e->http.cors)
            cors = 1;
    }
    for (size_t i = 0; i < m->functions.n; i++) {
        const struct tsk_model_event_source *e = http_of(&m->functions.v[i]);
        if (!e || L->fn[i] == UINT32_MAX)
            continue;
        if (api == UINT32_MAX) {
            cJSON *a = aws__obj();
            aws__str(a, "name", name ? name : "api");
            aws__str(a, "protocol_type", "HTTP");
            if (cors) {
                static const char *const any[] = {"*"};
                static const char *const hdrs[] = {"authorization",
                                                   "content-type"};
                cJSON *cc = aws__obj();
                cJSON_AddItemToObject(cc, "allow_headers", strs(hdrs, 2));
                cJSON_AddItemToObject(cc, "allow_methods", strs(any, 1));
                cJSON_AddItemToObject(cc, "allow_origins", strs(any, 1));
                cJSON_AddItemToObject(a, "cors_configuration", cc);
            }
            api = aws__add(L, "aws_apigatewayv2_api", name ? name : "api", NULL,
                           a, &e->pos, NULL);
            if (api == UINT32_MAX)
                return;
            a = aws__obj();
            aws__str(a, "name", "$default");
            aws__bool(a, "auto_deploy", 1);
            uint32_t st = aws__add(L, "aws_apigatewayv2_stage",
                                   name ? name : "api", NULL, a, &e->pos, NULL);
            if (st != UINT32_MAX)
                tsk_graph_ref(L->g, st, "api_id", api, "id");
        }
        function_route(L, api, i, e, name ? name : "api");
    }
}

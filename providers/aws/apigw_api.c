/*
 * apigw_api.c - aws_apigatewayv2_api (API Gateway v2, rest-json, signing
 * name apigateway): an HTTP API with its CORS configuration and tags.
 * CreateApi / GetApi / UpdateApi (PATCH; DeleteCorsConfiguration when CORS
 * is switched off) / DeleteApi; tags through Tag/UntagResource. Also the
 * engine the child types (integration, route, stage, authorizer) share:
 * ids API_ID/CHILD_ID, paths /v2/apis/API/COLL/CHILD, JSON both ways.
 * Computed: execution_arn and invoke_source_arn (execution_arn followed
 * by "/STAGE/ROUTE" wildcards: what aws_lambda_permission allows for every
 * stage and route). find (crash adoption): the API by name and its
 * tuskform:address tag (GetApis); a child by its key within the API
 * (GetRoutes/GetIntegrations/GetStages/GetAuthorizers).
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, TSK_A_REQUIRED, NULL, "API name"},
    {"protocol_type", TSK_T_STRING, TSK_A_REQUIRED | TSK_A_FORCE_NEW, NULL,
     "HTTP"},
    {"cors_configuration", TSK_T_OBJECT, OPT, NULL,
     "allow_origins, allow_methods, allow_headers, ..."},
    {"tags", TSK_T_MAP, OPT, NULL, "tags"},
    {"api_endpoint", TSK_T_STRING, COMP, NULL, "https://ID.execute-api..."},
    {"execution_arn", TSK_T_STRING, COMP, NULL,
     "arn:aws:execute-api:REGION:ACCOUNT:ID"},
    {"invoke_source_arn", TSK_T_STRING, COMP, NULL,
     "execution_arn/*/* (every stage and route)"},
    {"arn", TSK_T_STRING, COMP, NULL, "arn:aws:apigateway:REGION::/apis/ID"},
    {"id", TSK_T_STRING, COMP, NULL, "API id"},
    {NULL, 0, 0, NULL, NULL},
};

/* ---- the shared engine ----------------------------------------------------
 */

char *aws__apigw_path(const char *api, const char *coll, const char *child)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_buf_adds(&b, "/v2/apis");
    if (api) {
        tsk_buf_adds(&b, "/");
        aws__label(&b, api);
    }
    if (coll) {
        tsk_buf_addf(&b, "/%s", coll);
        if (child) {
            tsk_buf_adds(&b, "/");
            aws__label(&b, child);
        }
    }
    char *s = tsk_xstrdup(b.ptr);
    tsk_buf_release(&b);
    return s;
}

static int split(const char *id, char **api, char **child)
{
    const char *slash = id ? strchr(id, '/') : NULL;
    *api = *child = NULL;
    if (!slash || slash == id || !slash[1])
        return TSK_EINVAL;
    *api = tsk_xstrndup(id, (size_t)(slash - id));
    *child = tsk_xstrdup(slash + 1);
    return 0;
}

static int child_get(const struct aws_apigw_kind *k, const struct tsk_rcall *c,
                     const char *api, const char *child, cJSON **out,
                     struct tsk_diags *d)
{
    char *path = aws__apigw_path(api, k->coll, child), *op;
    cJSON *r = NULL;
    *out = NULL;
    op = tsk_xasprintf("Get%s", k->op);
    int rc = aws__rest(c, "apigateway", op, "GET", path, NULL, TSK_AWS_NOTFOUND,
                       &r, d);
    if (rc == 0) {
        *out = k->from_remote(r);
        aws__str(*out, "api_id", api);
        char *id = tsk_xasprintf("%s/%s", api, child);
        aws__put(*out, "id", cJSON_CreateString(id));
        free(id);
    }
    cJSON_Delete(r);
    free(op);
    free(path);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

int aws__apigw_read(const struct aws_apigw_kind *k, const struct tsk_rcall *c,
                    const char *id, cJSON **out, struct tsk_diags *d)
{
    char *api, *child;
    *out = NULL;
    if (!id || !*id)
        return 0;
    if (split(id, &api, &child) != 0) {
        tsk_diag_error(d, NULL,
                       "%s: \"%s\" is not an id of the form "
                       "API_ID/%s",
                       c->addr, id, k->idkey);
        tsk_diag_addr(d, c->addr);
        return TSK_EINVAL;
    }
    int rc = child_get(k, c, api, child, out, d);
    free(api);
    free(child);
    return rc;
}

int aws__apigw_create(const struct aws_apigw_kind *k, const struct tsk_rcall *c,
                      const cJSON *p, char **out_id, cJSON **out,
                      struct tsk_diags *d)
{
    const char *api = aws__jstr(p, "api_id");
    *out_id = NULL;
    *out = NULL;
    if (!api)
        return tsk_diag_error(d, NULL, "%s: no api_id", c->addr);
    char *path = aws__apigw_path(api, k->coll, NULL);
    char *op = tsk_xasprintf("Create%s", k->op);
    cJSON *b = k->to_body(c, p, 1), *r = NULL;
    int rc = aws__rest(c, "apigateway", op, "POST", path, b, 0, &r, d);
    const char *child = aws__jstr(r, k->idkey);
    if (rc == 0 && !child)
        rc = tsk_diag_error(d, NULL, "%s: %s returned no %s", c->addr, op,
                            k->idkey);
    if (rc == 0)
        rc = child_get(k, c, api, child, out, d);
    rc = aws__created(c, rc, out, k->op, child, d);
    if (rc == 0)
        *out_id = tsk_xasprintf("%s/%s", api, child);
    cJSON_Delete(b);
    cJSON_Delete(r);
    free(op);
    free(path);
    return rc;
}

int aws__apigw_update(const struct aws_apigw_kind *k, const struct tsk_rcall *c,
                      const char *id, const cJSON *p, cJSON **out,
                      struct tsk_diags *d)
{
    char *api, *child;
    *out = NULL;
    if (split(id, &api, &child) != 0)
        return aws__apigw_read(k, c, id, out, d);
    char *path = aws__apigw_path(api, k->coll, child);
    char *op = tsk_xasprintf("Update%s", k->op);
    cJSON *b = k->to_body(c, p, 0);
    int rc = aws__rest(c, "apigateway", op, "PATCH", path, b, 0, NULL, d);
    if (rc == 0)
        rc = child_get(k, c, api, child, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: %s no longer exists", c->addr, id);
    cJSON_Delete(b);
    free(op);
    free(path);
    free(api);
    free(child);
    return rc;
}

int aws__apigw_delete(const struct aws_apigw_kind *k, const struct tsk_rcall *c,
                      const char *id, struct tsk_diags *d)
{
    char *api, *child;
    if (!id || split(id, &api, &child) != 0)
        return 0;
    char *path = aws__apigw_path(api, k->coll, child);
    char *op = tsk_xasprintf("Delete%s", k->op);
    int rc = aws__rest(c, "apigateway", op, "DELETE", path, NULL,
                       TSK_AWS_NOTFOUND, NULL, d);
    free(op);
    free(path);
    free(api);
    free(child);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

int aws__apigw_list_find(const struct tsk_rcall *c, const char *op,
                         const char *path, const char *key, const char *value,
                         const char *tag_addr, cJSON **out, struct tsk_diags *d)
{
    char *token = NULL;
    int rc = 0;
    *out = NULL;
    for (int page = 0; rc == 0 && !*out && page < 1000; page++) {
        struct tsk_buf q = TSK_BUF_INIT;
        struct tsk_aws_resp r;
        tsk_aws_form_add(&q, "maxResults", "100");
        if (token)
            tsk_aws_form_add(&q, "nextToken", token);
        struct tsk_aws_req req = {.service = "apigateway",
                                  .op = op,
                                  .method = "GET",
                                  .path = path,
                                  .query = q.ptr};
        rc = aws__call(c, &req, &r, 1, d);
        tsk_buf_release(&q);
        free(token);
        token = NULL;
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(r.json, "items");
        for (const cJSON *e = items ? items->child : NULL; rc == 0 && e;
             e = e->next) {
            const char *v = aws__jstr(e, key);
            const cJSON *tags = cJSON_GetObjectItemCaseSensitive(e, "tags");
            const char *at = aws__jstr(tags, AWS_TAG_ADDR);
            if (v && strcmp(v, value) == 0 &&
                (!tag_addr || (at && strcmp(at, tag_addr) == 0))) {
                *out = cJSON_Duplicate(e, 1);
                break;
            }
        }
        const char *next = aws__jstr(r.json, "nextToken");
        if (rc == 0 && next && *next)
            token = tsk_xstrdup(next);
        tsk_aws_resp_release(&r);
        if (!token)
            break;
    }
    free(token);
    return rc;
}

int aws__apigw_find(const struct aws_apigw_kind *k, const struct tsk_rcall *c,
                    const cJSON *p, char **out_id, cJSON **out,
                    struct tsk_diags *d)
{
    const char *api = aws__jstr(p, "api_id");
    const char *want = aws__jstr(p, k->find_attr);
    cJSON *item = NULL;
    *out_id = NULL;
    *out = NULL;
    if (!api || !want)
        return 0; /* the API itself was never made: nothing to find */
    char *path = aws__apigw_path(api, k->coll, NULL);
    char *op = tsk_xasprintf("Get%ss", k->op);
    int rc =
        aws__apigw_list_find(c, op, path, k->find_remote, want, NULL, &item, d);
    const char *child = aws__jstr(item, k->idkey);
    if (rc == 0 && child)
        rc = child_get(k, c, api, child, out, d);
    if (rc == 0 && *out)
        *out_id = tsk_xasprintf("%s/%s", api, child);
    cJSON_Delete(item);
    free(op);
    free(path);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

/* ---- the API ------------------------------------------------------------ */

static const char *const cors_keys[][2] = {
    {"allow_origins", "allowOrigins"},
    {"allow_methods", "allowMethods"},
    {"allow_headers", "allowHeaders"},
    {"expose_headers", "exposeHeaders"},
};

static cJSON *cors_body(const cJSON *cc)
{
    cJSON *o = aws__obj();
    for (size_t i = 0; i < 4; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cc, cors_keys[i][0]);
        if (cJSON_IsArray(v))
            cJSON_AddItemToObject(o, cors_keys[i][1], cJSON_Duplicate(v, 1));
    }
    if (cJSON_GetObjectItemCaseSensitive(cc, "max_age"))
        aws__num(o, "maxAge", aws__jnum(cc, "max_age", 0));
    if (cJSON_GetObjectItemCaseSensitive(cc, "allow_credentials"))
        aws__bool(o, "allowCredentials",
                  aws__jbool(cc, "allow_credentials", 0));
    return o;
}

/* Only what is set: AWS's defaults (no list, 0, false) read as absent. */
static cJSON *cors_read(const cJSON *cc)
{
    cJSON *o = aws__obj();
    for (size_t i = 0; i < 4; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cc, cors_keys[i][1]);
        if (cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0)
            cJSON_AddItemToObject(o, cors_keys[i][0], cJSON_Duplicate(v, 1));
    }
    if (aws__jnum(cc, "maxAge", 0) != 0)
        aws__num(o, "max_age", aws__jnum(cc, "maxAge", 0));
    if (aws__jbool(cc, "allowCredentials", 0))
        aws__bool(o, "allow_credentials", 1);
    return o;
}

static int api_get(const struct tsk_rcall *c, const char *id, cJSON **out,
                   struct tsk_diags *d)
{
    char *path = aws__apigw_path(id, NULL, NULL);
    cJSON *r = NULL;
    *out = NULL;
    int rc = aws__rest(c, "apigateway", "GetApi", "GET", path, NULL,
                       TSK_AWS_NOTFOUND, &r, d);
    free(path);
    if (rc) {
        cJSON_Delete(r);
        return rc == TSK_ENOTFOUND ? 0 : rc;
    }
    cJSON *o = aws__obj();
    const char *region = aws__region(c);
    const char *acct = c->pctx->account ? c->pctx->account : "";
    aws__str(o, "name", aws__jstr(r, "name"));
    aws__str(o, "protocol_type", aws__jstr(r, "protocolType"));
    const cJSON *cc = cJSON_GetObjectItemCaseSensitive(r, "corsConfiguration");
    if (cJSON_IsObject(cc)) {
        cJSON *x = cors_read(cc);
        if (x->child)
            cJSON_AddItemToObject(o, "cors_configuration", x);
        else
            cJSON_Delete(x);
    }
    cJSON *tags = aws__tags_user(cJSON_GetObjectItemCaseSensitive(r, "tags"));
    if (tags)
        cJSON_AddItemToObject(o, "tags", tags);
    aws__str(o, "api_endpoint", aws__jstr(r, "apiEndpoint"));
    char *s = tsk_xasprintf("arn:aws:execute-api:%s:%s:%s", region, acct, id);
    aws__str(o, "execution_arn", s);
    free(s);
    s = tsk_xasprintf("arn:aws:execute-api:%s:%s:%s/*/*", region, acct, id);
    aws__str(o, "invoke_source_arn", s);
    free(s);
    s = tsk_xasprintf("arn:aws:apigateway:%s::/apis/%s", region, id);
    aws__str(o, "arn", s);
    free(s);
    aws__str(o, "id", id);
    cJSON_Delete(r);
    *out = o;
    return 0;
}

static int api_read(const struct tsk_rcall *c, const char *id,
                    const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    return id && *id ? api_get(c, id, out, d) : 0;
}

static int api_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                      cJSON **out, struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *r = NULL;
    *out_id = NULL;
    *out = NULL;
    aws__str(b, "name", aws__jstr(p, "name"));
    aws__str(b, "protocolType", aws__jstr(p, "protocol_type"));
    const cJSON *cc = cJSON_GetObjectItemCaseSensitive(p, "cors_configuration");
    if (cJSON_IsObject(cc))
        cJSON_AddItemToObject(b, "corsConfiguration", cors_body(cc));
    cJSON_AddItemToObject(b, "tags", aws__tags_send(c, p, NULL, NULL));
    int rc = aws__rest(c, "apigateway", "CreateApi", "POST", "/v2/apis", b, 0,
                       &r, d);
    const char *id = aws__jstr(r, "apiId");
    if (rc == 0 && !id)
        rc =
            tsk_diag_error(d, NULL, "%s: CreateApi returned no apiId", c->addr);
    if (rc == 0)
        rc = api_get(c, id, out, d);
    rc = aws__created(c, rc, out, "API", id, d);
    if (rc == 0)
        *out_id = tsk_xstrdup(id);
    cJSON_Delete(b);
    cJSON_Delete(r);
    return rc;
}

static int tags_update(const struct tsk_rcall *c, const char *id,
                       const cJSON *prior, const cJSON *p, struct tsk_diags *d)
{
    if (!aws__changed(prior, p, "tags"))
        return 0;
    struct tsk_buf path = TSK_BUF_INIT, q = TSK_BUF_INIT;
    char *arn =
        tsk_xasprintf("arn:aws:apigateway:%s::/apis/%s", aws__region(c), id);
    tsk_buf_adds(&path, "/v2/tags/");
    aws__label(&path, arn);
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(prior, "tags");
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(p, "tags");
    int rc = 0;
    for (const cJSON *e = old ? old->child : NULL; e; e = e->next)
        if (!cJSON_GetObjectItemCaseSensitive(now, e->string))
            tsk_aws_form_add(&q, "tagKeys", e->string);
    if (q.len) {
        struct tsk_aws_resp r;
        struct tsk_aws_req req = {.service = "apigateway",
                                  .op = "UntagResource",
                                  .method = "DELETE",
                                  .path = path.ptr,
                                  .query = q.ptr};
        rc = aws__call(c, &req, &r, 1, d);
        tsk_aws_resp_release(&r);
    }
    if (rc == 0) {
        cJSON *b = aws__obj();
        cJSON_AddItemToObject(b, "tags", aws__tags_send(c, p, NULL, NULL));
        rc = aws__rest(c, "apigateway", "TagResource", "POST", path.ptr, b, 0,
                       NULL, d);
        cJSON_Delete(b);
    }
    free(arn);
    tsk_buf_release(&path);
    tsk_buf_release(&q);
    return rc;
}

static int api_update(const struct tsk_rcall *c, const char *id,
                      const cJSON *prior, const cJSON *p, cJSON **out,
                      struct tsk_diags *d)
{
    char *path = aws__apigw_path(id, NULL, NULL);
    cJSON *b = aws__obj();
    const cJSON *cc = cJSON_GetObjectItemCaseSensitive(p, "cors_configuration");
    int rc = 0;
    *out = NULL;
    aws__str(b, "name", aws__jstr(p, "name"));
    if (cJSON_IsObject(cc))
        cJSON_AddItemToObject(b, "corsConfiguration", cors_body(cc));
    rc = aws__rest(c, "apigateway", "UpdateApi", "PATCH", path, b, 0, NULL, d);
    if (rc == 0 && !cJSON_IsObject(cc) &&
        cJSON_GetObjectItemCaseSensitive(prior, "cors_configuration")) {
        char *cp = aws__apigw_path(id, "cors", NULL);
        rc = aws__rest(c, "apigateway", "DeleteCorsConfiguration", "DELETE", cp,
                       NULL, 0, NULL, d);
        free(cp);
    }
    if (rc == 0)
        rc = tags_update(c, id, prior, p, d);
    if (rc == 0)
        rc = api_get(c, id, out, d);
    if (rc == 0 && !*out)
        rc =
            tsk_diag_error(d, NULL, "%s: API %s no longer exists", c->addr, id);
    cJSON_Delete(b);
    free(path);
    return rc;
}

static int api_delete(const struct tsk_rcall *c, const char *id,
                      const cJSON *prior, struct tsk_diags *d)
{
    (void)prior;
    if (!id || !*id)
        return 0;
    char *path = aws__apigw_path(id, NULL, NULL);
    int rc = aws__rest(c, "apigateway", "DeleteApi", "DELETE", path, NULL,
                       TSK_AWS_NOTFOUND, NULL, d);
    free(path);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

/* The API named as planned that carries this address's tag (names are not
 * unique in API Gateway). */
static int api_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                    cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    cJSON *item = NULL;
    *out_id = NULL;
    *out = NULL;
    int rc = name ? aws__apigw_list_find(c, "GetApis", "/v2/apis", "name", name,
                                         c->addr, &item, d)
                  : 0;
    const char *id = aws__jstr(item, "apiId");
    if (rc == 0 && id)
        rc = api_get(c, id, out, d);
    if (rc == 0 && *out)
        *out_id = tsk_xstrdup(id);
    cJSON_Delete(item);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_apigw_api = {
    .name = "aws_apigatewayv2_api",
    .schema = &schema,
    .read = api_read,
    .create = api_create,
    .update = api_update,
    .delete = api_delete,
    .find = api_find,
    .import = NULL,
};

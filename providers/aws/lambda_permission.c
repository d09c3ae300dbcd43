/*
 * lambda_permission.c - aws_lambda_permission (Lambda, rest-json): one
 * statement of a function's resource policy that lets a service (events,
 * apigateway, s3) invoke it, limited to one source ARN. AddPermission,
 * GetPolicy (the statement found by its Sid), RemovePermission. Every
 * attribute forces a new statement. Id: FUNCTION/STATEMENT_ID.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RF (TSK_A_REQUIRED | TSK_A_FORCE_NEW)
#define OF (TSK_A_OPTIONAL | TSK_A_FORCE_NEW)

static const struct tsk_attr_schema attrs[] = {
    {"statement_id", TSK_T_STRING, RF, NULL, "statement id (Sid)"},
    {"action", TSK_T_STRING, RF, NULL, "lambda:InvokeFunction"},
    {"function_name", TSK_T_STRING, RF, NULL, "function name"},
    {"principal", TSK_T_STRING, RF, NULL, "service principal"},
    {"source_arn", TSK_T_STRING, OF, NULL, "the only caller allowed"},
    {"qualifier", TSK_T_STRING, OF, NULL, "alias or version"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "FUNCTION/STATEMENT_ID"},
    {NULL, 0, 0, NULL, NULL},
};

static char *policy_path(const char *fn, const char *sid)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_buf_adds(&b, "/policy");
    if (sid) {
        tsk_buf_adds(&b, "/");
        aws__label(&b, sid);
    }
    char *p = aws__fn_path("2015-03-31", fn, b.ptr);
    tsk_buf_release(&b);
    return p;
}

static const char *cond_arn(const cJSON *st)
{
    const cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition");
    for (const cJSON *op = cond ? cond->child : NULL; op; op = op->next)
        for (const cJSON *k = op->child; k; k = k->next)
            if (k->string && strcasecmp(k->string, "AWS:SourceArn") == 0 &&
                cJSON_IsString(k))
                return k->valuestring;
    return NULL;
}

static int perm_get(const struct tsk_rcall *c, const char *fn, const char *sid,
                    const char *qualifier, cJSON **out, struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    struct tsk_buf q = TSK_BUF_INIT;
    char *path = policy_path(fn, NULL);
    if (qualifier)
        tsk_aws_form_add(&q, "Qualifier", qualifier);
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "GetPolicy",
                              .method = "GET",
                              .path = path,
                              .query = q.len ? q.ptr : NULL,
                              .quiet = TSK_AWS_NOTFOUND};
    *out = NULL;
    int rc = aws__call(c, &req, &r, 0, d);
    cJSON *pol = rc == 0 && aws__jstr(r.json, "Policy")
                     ? cJSON_Parse(aws__jstr(r.json, "Policy"))
                     : NULL;
    const cJSON *sts = cJSON_GetObjectItemCaseSensitive(pol, "Statement");
    for (const cJSON *st = sts ? sts->child : NULL; st && !*out;
         st = st->next) {
        if (!aws__jstr(st, "Sid") || strcmp(aws__jstr(st, "Sid"), sid) != 0)
            continue;
        cJSON *o = aws__obj();
        const cJSON *pr = cJSON_GetObjectItemCaseSensitive(st, "Principal");
        const char *principal =
            cJSON_IsString(pr) ? pr->valuestring : aws__jstr(pr, "Service");
        const cJSON *act = cJSON_GetObjectItemCaseSensitive(st, "Action");
        if (cJSON_IsArray(act))
            act = act->child;
        aws__str(o, "statement_id", sid);
        aws__str(o, "action", cJSON_IsString(act) ? act->valuestring : NULL);
        aws__str(o, "function_name", fn);
        aws__str(o, "principal", principal);
        aws__str(o, "source_arn", cond_arn(st));
        aws__str(o, "qualifier", qualifier);
        char *id = tsk_xasprintf("%s/%s", fn, sid);
        aws__str(o, "id", id);
        free(id);
        *out = o;
    }
    cJSON_Delete(pol);
    tsk_aws_resp_release(&r);
    tsk_buf_release(&q);
    free(path);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int split_id(const char *id, char **fn, char **sid)
{
    const char *slash = id ? strrchr(id, '/') : NULL;
    *fn = *sid = NULL;
    if (!slash || slash == id || !slash[1])
        return TSK_EINVAL;
    *fn = tsk_xstrndup(id, (size_t)(slash - id));
    *sid = tsk_xstrdup(slash + 1);
    return 0;
}

static int pm_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    char *fn, *sid;
    *out = NULL;
    if (!id || !*id)
        return 0;
    if (split_id(id, &fn, &sid) != 0) {
        tsk_diag_error(d, NULL,
                       "%s: \"%s\" is not a permission id "
                       "(FUNCTION/STATEMENT_ID)",
                       c->addr, id);
        tsk_diag_addr(d, c->addr);
        return TSK_EINVAL;
    }
    int rc = perm_get(c, fn, sid, aws__jstr(prior, "qualifier"), out, d);
    free(fn);
    free(sid);
    return rc;
}

/* One policy call on path, with ?Qualifier=qual when qual is set. */
static int policy_call(const struct tsk_rcall *c, const char *op,
                       const char *method, const char *path, const char *qual,
                       const cJSON *body, unsigned quiet, struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    struct tsk_buf q = TSK_BUF_INIT;
    if (qual)
        tsk_aws_form_add(&q, "Qualifier", qual);
    struct tsk_aws_req req = {.service = "lambda",
                              .op = op,
                              .method = method,
                              .path = path,
                              .query = q.len ? q.ptr : NULL,
                              .json = body,
                              .quiet = quiet};
    int rc = aws__call(c, &req, &r, 1, d);
    tsk_aws_resp_release(&r);
    tsk_buf_release(&q);
    return rc;
}

static int pm_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *fn = aws__jstr(p, "function_name");
    const char *sid = aws__jstr(p, "statement_id");
    const char *qual = aws__jstr(p, "qualifier");
    *out_id = NULL;
    *out = NULL;
    if (!fn || !sid)
        return tsk_diag_error(d, NULL,
                              "%s: a permission needs "
                              "function_name and statement_id",
                              c->addr);
    char *path = policy_path(fn, NULL);
    cJSON *b = aws__obj();
    aws__str(b, "StatementId", sid);
    aws__str(b, "Action", aws__jstr(p, "action"));
    aws__str(b, "Principal", aws__jstr(p, "principal"));
    aws__str(b, "SourceArn", aws__jstr(p, "source_arn"));
    int rc = policy_call(c, "AddPermission", "POST", path, qual, b, 0, d);
    cJSON_Delete(b);
    free(path);
    if (rc == 0)
        rc = perm_get(c, fn, sid, qual, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL,
                            "%s: statement %s is not in the policy "
                            "of %s after AddPermission",
                            c->addr, sid, fn);
    if (rc == 0)
        *out_id = tsk_xasprintf("%s/%s", fn, sid);
    return rc;
}

/* Nothing is updatable in place: the planner replaces instead. */
static int pm_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    (void)p;
    return aws__reread(c, 0, pm_read, "permission", id, prior, out, d);
}

static int pm_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    char *fn, *sid;
    if (!id || split_id(id, &fn, &sid) != 0)
        return 0;
    char *path = policy_path(fn, sid);
    int rc =
        policy_call(c, "RemovePermission", "DELETE", path,
                    aws__jstr(prior, "qualifier"), NULL, TSK_AWS_NOTFOUND, d);
    free(path);
    free(fn);
    free(sid);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int pm_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *fn = aws__jstr(p, "function_name");
    const char *sid = aws__jstr(p, "statement_id");
    *out_id = NULL;
    *out = NULL;
    int rc =
        fn && sid ? perm_get(c, fn, sid, aws__jstr(p, "qualifier"), out, d) : 0;
    if (rc == 0 && *out)
        *out_id = tsk_xasprintf("%s/%s", fn, sid);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_lambda_permission = {
    .name = "aws_lambda_permission",
    .schema = &schema,
    .read = pm_read,
    .create = pm_create,
    .update = pm_update,
    .delete = pm_delete,
    .find = pm_find,
    .import = NULL,
};

/*
 * provisioned_concurrency.c - aws_lambda_provisioned_concurrency_config on
 * an alias: PutProvisionedConcurrencyConfig (202) then a poll until Status
 * is READY (FAILED is an error with its StatusReason); read is
 * GetProvisionedConcurrencyConfig (404 = none). The emulator has no such
 * routes; tests use the fault proxy, which serves them. Id: "FUNCTION,
 * QUALIFIER" (the Terraform form).
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"function_name", TSK_T_STRING, REQ | FNEW, "aws_lambda_function",
     "function name"},
    {"qualifier", TSK_T_STRING, REQ | FNEW, "aws_lambda_alias",
     "alias name (or version)"},
    {"provisioned_concurrent_executions", TSK_T_NUMBER, REQ, NULL,
     "instances kept initialised"},
    {"id", TSK_T_STRING, COMP, NULL, "FUNCTION,QUALIFIER"},
    {NULL, 0, 0, NULL, NULL},
};

static int split_id(const char *id, char **fn, char **q)
{
    const char *comma = strchr(id, ',');
    *fn = *q = NULL;
    if (!comma || comma == id || !comma[1])
        return TSK_EINVAL;
    *fn = tsk_xstrndup(id, (size_t)(comma - id));
    *q = tsk_xstrdup(comma + 1);
    return 0;
}

static void pc_req(struct tsk_aws_req *req, const char *op, const char *method,
                   char **path, struct tsk_buf *q, const char *fn,
                   const char *qual)
{
    *path = aws__fn_path("2019-09-30", fn, "/provisioned-concurrency");
    tsk_aws_form_add(q, "Qualifier", qual);
    memset(req, 0, sizeof(*req));
    req->service = "lambda";
    req->op = op;
    req->method = method;
    req->path = *path;
    req->query = q->ptr;
}

/* GET: *json NULL when there is no config. */
static int get(const struct tsk_rcall *c, const char *fn, const char *qual,
               cJSON **json, struct tsk_diags *d)
{
    struct tsk_aws_req req;
    struct tsk_aws_resp r;
    struct tsk_buf q = TSK_BUF_INIT;
    char *path;
    pc_req(&req, "GetProvisionedConcurrencyConfig", "GET", &path, &q, fn, qual);
    req.quiet = TSK_AWS_NOTFOUND;
    *json = NULL;
    int rc = aws__call(c, &req, &r, 0, d);
    if (rc == 0 && cJSON_IsObject(r.json)) {
        *json = r.json;
        r.json = NULL;
    } else if (rc == 0) {
        rc = tsk_diag_error(d, NULL, "%s: GetProvisionedConcurrencyConfig "
                                     "returned no JSON object", c->addr);
    }
    tsk_aws_resp_release(&r);
    tsk_buf_release(&q);
    free(path);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static cJSON *to_attrs(const cJSON *j, const char *fn, const char *qual)
{
    cJSON *o = aws__obj();
    aws__str(o, "function_name", fn);
    aws__str(o, "qualifier", qual);
    /* a FAILED allocation counts as what is allocated, so that the next
     * plan asks for the requested count again */
    const char *st = aws__jstr(j, "Status");
    aws__num(o, "provisioned_concurrent_executions",
             st && strcmp(st, "FAILED") == 0
                 ? aws__jnum(j, "AllocatedProvisionedConcurrentExecutions", 0)
                 : aws__jnum(j, "RequestedProvisionedConcurrentExecutions",
                             0));
    char *id = tsk_xasprintf("%s,%s", fn, qual);
    aws__str(o, "id", id);
    free(id);
    return o;
}

static int pc_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    char *fn, *qual;
    cJSON *j = NULL;
    (void)prior;
    *out = NULL;
    if (!id || !*id) /* a create that failed before it had an id */
        return 0;
    if (split_id(id, &fn, &qual) != 0) {
        tsk_diag_error(d, NULL, "%s: \"%s\" is not FUNCTION,QUALIFIER",
                       c->addr, id);
        tsk_diag_addr(d, c->addr);
        return TSK_EINVAL;
    }
    int rc = get(c, fn, qual, &j, d);
    if (rc == 0 && j)
        *out = to_attrs(j, fn, qual);
    cJSON_Delete(j);
    free(fn);
    free(qual);
    return rc;
}

struct ready {
    const struct tsk_rcall *c;
    const char *fn, *qual;
};

static int check_ready(struct tsk_aws *aws, void *arg, struct tsk_diags *d)
{
    struct ready *w = arg;
    cJSON *j = NULL;
    (void)aws;
    int rc = get(w->c, w->fn, w->qual, &j, d);
    const char *st = aws__jstr(j, "Status");
    if (rc == 0 && !j) {
        rc = tsk_diag_error(d, NULL, "%s: provisioned concurrency of %s:%s "
                            "disappeared", w->c->addr, w->fn, w->qual);
    } else if (rc == 0 && st && strcmp(st, "FAILED") == 0) {
        const char *why = aws__jstr(j, "StatusReason");
        rc = tsk_diag_error(d, NULL, "%s: provisioned concurrency of %s:%s "
                            "failed: %s", w->c->addr, w->fn, w->qual,
                            why ? why : "(no reason given)");
        tsk_diag_addr(d, w->c->addr);
    } else if (rc == 0) {
        rc = !st || strcmp(st, "READY") == 0;
    }
    cJSON_Delete(j);
    return rc;
}

static int put(const struct tsk_rcall *c, const char *fn, const char *qual,
               const cJSON *p, struct tsk_diags *d)
{
    struct tsk_aws_req req;
    struct tsk_aws_resp r;
    struct tsk_buf q = TSK_BUF_INIT;
    char *path;
    cJSON *b = aws__obj();
    aws__num(b, "ProvisionedConcurrentExecutions",
             aws__jnum(p, "provisioned_concurrent_executions", 1));
    pc_req(&req, "PutProvisionedConcurrencyConfig", "PUT", &path, &q, fn, qual);
    req.json = b;
    int rc = aws__call(c, &req, &r, 1, d);
    tsk_aws_resp_release(&r);
    tsk_buf_release(&q);
    cJSON_Delete(b);
    free(path);
    if (rc == 0) {
        struct ready w = {c, fn, qual};
        char *what = tsk_xasprintf("provisioned concurrency of %s:%s to be "
                                   "READY", fn, qual);
        rc = tsk_aws_wait(c->pctx->aws, what, check_ready, &w, d);
        if (rc)
            tsk_diag_addr(d, c->addr);
        free(what);
    }
    return rc;
}

static int pc_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *fn = aws__jstr(p, "function_name");
    const char *qual = aws__jstr(p, "qualifier");
    *out_id = NULL;
    *out = NULL;
    if (!fn || !qual)
        return tsk_diag_error(d, NULL, "%s: function_name and qualifier are "
                                       "required", c->addr);
    char *id = tsk_xasprintf("%s,%s", fn, qual);
    int rc = put(c, fn, qual, p, d);
    if (rc == 0)
        rc = pc_read(c, id, p, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: provisioned concurrency %s vanished "
                                     "after its creation", c->addr, id);
    if (rc == 0)
        *out_id = id;
    else
        free(id);
    return rc;
}

static int pc_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    char *fn, *qual;
    (void)prior;
    *out = NULL;
    if (split_id(id, &fn, &qual) != 0)
        return pc_read(c, id, NULL, out, d);
    int rc = put(c, fn, qual, p, d);
    if (rc == 0)
        rc = pc_read(c, id, p, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: provisioned concurrency %s no "
                                     "longer exists", c->addr, id);
    free(fn);
    free(qual);
    return rc;
}

static int pc_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    char *fn, *qual, *path;
    struct tsk_aws_req req;
    struct tsk_aws_resp r;
    struct tsk_buf q = TSK_BUF_INIT;
    (void)prior;
    if (split_id(id, &fn, &qual) != 0)
        return 0;
    pc_req(&req, "DeleteProvisionedConcurrencyConfig", "DELETE", &path, &q,
           fn, qual);
    req.quiet = TSK_AWS_NOTFOUND;
    int rc = aws__call(c, &req, &r, 1, d);
    tsk_aws_resp_release(&r);
    tsk_buf_release(&q);
    free(path);
    free(fn);
    free(qual);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int pc_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *fn = aws__jstr(p, "function_name");
    const char *qual = aws__jstr(p, "qualifier");
    *out_id = NULL;
    *out = NULL;
    if (!fn || !qual)
        return 0;
    char *id = tsk_xasprintf("%s,%s", fn, qual);
    int rc = pc_read(c, id, p, out, d);
    if (rc == 0 && *out)
        *out_id = id;
    else
        free(id);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_provisioned_concurrency = {
    .name = "aws_lambda_provisioned_concurrency_config",
    .schema = &schema,
    .read = pc_read,
    .create = pc_create,
    .update = pc_update,
    .delete = pc_delete,
    .find = pc_find,
    .import = NULL,
};

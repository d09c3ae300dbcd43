/*
 * lambda_function.c - aws_lambda_function: CreateFunction with the zipped
 * code, then a wait for State=Active; updates split into code
 * (UpdateFunctionCode), configuration (UpdateFunctionConfiguration), each
 * followed by a wait for LastUpdateStatus to leave InProgress, reserved
 * concurrency (Put/DeleteFunctionConcurrency) and tags. Read is GetFunction
 * (configuration, tags and reserved concurrency in one call). Id: the
 * function name.
 *
 * `filename` (the code folder) cannot be read back from Lambda, so the
 * function carries it in the tag tuskform:source; an imported function
 * that lacks the tag shows a `filename` change (its code is re-uploaded).
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"function_name", TSK_T_STRING, REQ | FNEW, NULL, "function name"},
    {"role", TSK_T_STRING, REQ, "aws_iam_role", "execution role ARN"},
    {"handler", TSK_T_STRING, REQ, NULL, "entry point"},
    {"runtime", TSK_T_STRING, REQ, NULL, "Lambda runtime id"},
    {"memory_size", TSK_T_NUMBER, OPT | COMP, NULL, "memory in MB"},
    {"timeout", TSK_T_NUMBER, OPT | COMP, NULL, "timeout in seconds"},
    {"filename", TSK_T_STRING, OPT, NULL, "code folder or .zip"},
    {"source_code_hash", TSK_T_STRING, OPT | COMP, NULL,
     "base64 SHA-256 of the package (CodeSha256)"},
    {"environment", TSK_T_OBJECT, OPT, NULL, "{variables = {...}}"},
    {"architectures", TSK_T_LIST, OPT | COMP, NULL, "[x86_64] or [arm64]"},
    {"tracing_config", TSK_T_OBJECT, OPT | COMP, NULL, "{mode}"},
    {"logging_config", TSK_T_OBJECT, OPT | COMP, NULL,
     "{log_format, application_log_level, system_log_level, log_group}"},
    {"layers", TSK_T_LIST, OPT, NULL, "layer version ARNs"},
    {"reserved_concurrent_executions", TSK_T_NUMBER, OPT, NULL,
     "cap on concurrent instances"},
    {"dead_letter_target_arn", TSK_T_STRING, OPT, "aws_sqs_queue",
     "queue for failed asynchronous invocations"},
    {"tags", TSK_T_MAP, OPT, NULL, "tags"},
    {"arn", TSK_T_STRING, COMP, NULL, "function ARN"},
    {"id", TSK_T_STRING, COMP, NULL, "function name"},
    {NULL, 0, 0, NULL, NULL},
};

/* ---- read --------------------------------------------------------------- */

static void read_logging(cJSON *out, const cJSON *cfg, const cJSON *prior,
                         const char *name)
{
    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(cfg, "LoggingConfig");
    if (!cJSON_IsObject(lc)) {
        /* not reported (the emulator): keep what was set, else the
         * defaults AWS applies */
        if (cJSON_GetObjectItemCaseSensitive(prior, "logging_config")) {
            aws__keep(out, prior, "logging_config");
            return;
        }
        cJSON *o = aws__obj();
        char *g = tsk_xasprintf("/aws/lambda/%s", name);
        aws__str(o, "log_format", "Text");
        aws__str(o, "log_group", g);
        free(g);
        cJSON_AddItemToObject(out, "logging_config", o);
        return;
    }
    cJSON *o = aws__obj();
    aws__str(o, "log_format", aws__jstr(lc, "LogFormat"));
    aws__str(o, "application_log_level", aws__jstr(lc, "ApplicationLogLevel"));
    aws__str(o, "system_log_level", aws__jstr(lc, "SystemLogLevel"));
    aws__str(o, "log_group", aws__jstr(lc, "LogGroup"));
    cJSON_AddItemToObject(out, "logging_config", o);
}

static cJSON *to_attrs(const cJSON *g, const cJSON *prior)
{
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(g, "Configuration");
    const char *name = aws__jstr(cfg, "FunctionName");
    cJSON *out = aws__obj();
    aws__str(out, "function_name", name);
    aws__str(out, "role", aws__jstr(cfg, "Role"));
    aws__str(out, "handler", aws__jstr(cfg, "Handler"));
    aws__str(out, "runtime", aws__jstr(cfg, "Runtime"));
    aws__num(out, "memory_size", aws__jnum(cfg, "MemorySize", 128));
    aws__num(out, "timeout", aws__jnum(cfg, "Timeout", 3));
    aws__str(out, "source_code_hash", aws__jstr(cfg, "CodeSha256"));
    const cJSON *vars = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cfg, "Environment"), "Variables");
    if (cJSON_IsObject(vars) && vars->child) {
        cJSON *env = aws__obj();
        cJSON_AddItemToObject(env, "variables", cJSON_Duplicate(vars, 1));
        cJSON_AddItemToObject(out, "environment", env);
    }
    const cJSON *arch = cJSON_GetObjectItemCaseSensitive(cfg, "Architectures");
    if (cJSON_IsArray(arch) && arch->child)
        cJSON_AddItemToObject(out, "architectures", cJSON_Duplicate(arch, 1));
    else
        cJSON_AddItemToObject(out, "architectures",
                              cJSON_CreateStringArray(
                                  (const char *const[]){"x86_64"}, 1));
    cJSON *tc = aws__obj();
    const char *mode = aws__jstr(
        cJSON_GetObjectItemCaseSensitive(cfg, "TracingConfig"), "Mode");
    aws__str(tc, "mode", mode ? mode : "PassThrough");
    cJSON_AddItemToObject(out, "tracing_config", tc);
    read_logging(out, cfg, prior, name ? name : "");
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(cfg, "Layers");
    if (cJSON_IsArray(layers) && layers->child) {
        cJSON *l = aws__arr();
        for (const cJSON *e = layers->child; e; e = e->next)
            if (aws__jstr(e, "Arn"))
                cJSON_AddItemToArray(l, cJSON_CreateString(aws__jstr(e, "Arn")));
        cJSON_AddItemToObject(out, "layers", l);
    }
    const cJSON *rc = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(g, "Concurrency"),
        "ReservedConcurrentExecutions");
    if (cJSON_IsNumber(rc))
        aws__num(out, "reserved_concurrent_executions", rc->valuedouble);
    const cJSON *dl = cJSON_GetObjectItemCaseSensitive(cfg, "DeadLetterConfig");
    const char *dlq = aws__jstr(dl, "TargetArn");
    if (dlq && *dlq)
        aws__str(out, "dead_letter_target_arn", dlq);
    else if (!dl && !cJSON_GetObjectItemCaseSensitive(cfg, "LoggingConfig"))
        /* an endpoint that reports neither (the emulator) keeps them */
        aws__keep(out, prior, "dead_letter_target_arn");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(g, "Tags");
    const char *src = aws__jstr(tags, AWS_TAG_SOURCE);
    if (cJSON_GetObjectItemCaseSensitive(prior, "filename"))
        aws__keep(out, prior, "filename");
    else if (src)
        aws__str(out, "filename", src);
    cJSON *user = aws__tags_user(tags);
    if (user)
        cJSON_AddItemToObject(out, "tags", user);
    aws__str(out, "arn", aws__jstr(cfg, "FunctionArn"));
    aws__str(out, "id", name);
    return out;
}

static int fn_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    char *path = aws__fn_path("2015-03-31", id, NULL);
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "GetFunction",
                              .method = "GET",
                              .path = path,
                              .quiet = TSK_AWS_NOTFOUND};
    *out = NULL;
    if (!id || !*id) /* a create that failed before it had an id */
        return 0;
    int rc = aws__call(c, &req, &r, 0, d);
    if (rc == TSK_ENOTFOUND)
        rc = 0;
    else if (rc == 0 && !cJSON_IsObject(r.json))
        rc = tsk_diag_error(d, NULL, "lambda GetFunction %s: the response is "
                                     "not a JSON object", id);
    else if (rc == 0)
        *out = to_attrs(r.json, prior);
    tsk_aws_resp_release(&r);
    free(path);
    return rc;
}

/* ---- create / update ---------------------------------------------------- */

/* The configuration members of Create/UpdateFunctionConfiguration. */
static void config_body(cJSON *b, const cJSON *p, int update)
{
    aws__str(b, "Role", aws__jstr(p, "role"));
    aws__str(b, "Handler", aws__jstr(p, "handler"));
    aws__str(b, "Runtime", aws__jstr(p, "runtime"));
    if (cJSON_GetObjectItemCaseSensitive(p, "memory_size"))
        aws__num(b, "MemorySize", aws__jnum(p, "memory_size", 128));
    if (cJSON_GetObjectItemCaseSensitive(p, "timeout"))
        aws__num(b, "Timeout", aws__jnum(p, "timeout", 3));
    const cJSON *vars = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(p, "environment"), "variables");
    cJSON *env = aws__obj();
    cJSON_AddItemToObject(env, "Variables",
                          vars ? cJSON_Duplicate(vars, 1) : aws__obj());
    cJSON_AddItemToObject(b, "Environment", env);
    const char *mode = aws__jstr(
        cJSON_GetObjectItemCaseSensitive(p, "tracing_config"), "mode");
    cJSON *tc = aws__obj();
    aws__str(tc, "Mode", mode ? mode : "PassThrough");
    cJSON_AddItemToObject(b, "TracingConfig", tc);
    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(p, "logging_config");
    if (cJSON_IsObject(lc)) {
        cJSON *o = aws__obj();
        aws__str(o, "LogFormat", aws__jstr(lc, "log_format"));
        aws__str(o, "ApplicationLogLevel",
                 aws__jstr(lc, "application_log_level"));
        aws__str(o, "SystemLogLevel", aws__jstr(lc, "system_log_level"));
        aws__str(o, "LogGroup", aws__jstr(lc, "log_group"));
        cJSON_AddItemToObject(b, "LoggingConfig", o);
    }
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(p, "layers");
    if (layers || update)
        cJSON_AddItemToObject(b, "Layers", layers ? cJSON_Duplicate(layers, 1)
                                                  : aws__arr());
    const char *dlq = aws__jstr(p, "dead_letter_target_arn");
    if (dlq || update) {
        cJSON *o = aws__obj();
        aws__str(o, "TargetArn", dlq ? dlq : "");
        cJSON_AddItemToObject(b, "DeadLetterConfig", o);
    }
}

static int zip_b64(const struct tsk_rcall *c, const cJSON *p, char **out,
                   struct tsk_diags *d)
{
    struct tsk_buf zip = TSK_BUF_INIT;
    const char *fn = aws__jstr(p, "filename");
    *out = NULL;
    if (!fn) {
        tsk_diag_error(d, NULL, "%s: no filename (code) to deploy", c->addr);
        tsk_diag_addr(d, c->addr);
        return TSK_EINVAL;
    }
    int rc = tsk_aws_zip_source(fn, &zip, d);
    if (rc) {
        tsk_diag_addr(d, c->addr);
        return rc;
    }
    *out = aws__base64(zip.ptr, zip.len);
    tsk_buf_release(&zip);
    return 0;
}

static int put_concurrency(const struct tsk_rcall *c, const char *fn,
                           const cJSON *p, int had, struct tsk_diags *d)
{
    const cJSON *v =
        cJSON_GetObjectItemCaseSensitive(p, "reserved_concurrent_executions");
    struct tsk_aws_resp r;
    char *path = aws__fn_path("2017-10-31", fn, "/concurrency");
    struct tsk_aws_req req = {.service = "lambda", .path = path};
    cJSON *b = NULL;
    int rc = 0;
    if (cJSON_IsNumber(v)) {
        b = aws__obj();
        aws__num(b, "ReservedConcurrentExecutions", v->valuedouble);
        req.op = "PutFunctionConcurrency";
        req.method = "PUT";
        req.json = b;
        rc = aws__call(c, &req, &r, 1, d);
        tsk_aws_resp_release(&r);
    } else if (had) {
        req.op = "DeleteFunctionConcurrency";
        req.method = "DELETE";
        req.quiet = TSK_AWS_NOTFOUND;
        rc = aws__call(c, &req, &r, 1, d);
        if (rc == TSK_ENOTFOUND)
            rc = 0;
        tsk_aws_resp_release(&r);
    }
    cJSON_Delete(b);
    free(path);
    return rc;
}

static int fn_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "function_name");
    char *zip = NULL;
    *out_id = NULL;
    *out = NULL;
    int rc = zip_b64(c, p, &zip, d);
    if (rc)
        return rc;
    cJSON *b = aws__obj(), *code = aws__obj();
    aws__str(b, "FunctionName", name);
    config_body(b, p, 0);
    aws__str(code, "ZipFile", zip);
    free(zip);
    cJSON_AddItemToObject(b, "Code", code);
    aws__str(b, "PackageType", "Zip");
    cJSON_AddItemToObject(
        b, "Architectures",
        cJSON_GetObjectItemCaseSensitive(p, "architectures")
            ? cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p,
                                                               "architectures"),
                              1)
            : cJSON_CreateStringArray((const char *const[]){"x86_64"}, 1));
    const char *src = aws__jstr(p, "filename");
    cJSON_AddItemToObject(b, "Tags",
                          aws__tags_send(c, p, AWS_TAG_SOURCE,
                                         src && strlen(src) <= 256 ? src
                                                                   : NULL));
    aws__bool(b, "Publish", 0);
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "CreateFunction",
                              .method = "POST",
                              .path = "/2015-03-31/functions",
                              .json = b};
    rc = aws__create_call(c, &req, d);
    cJSON_Delete(b);
    if (rc == 0) /* from here on, a failure leaves a known object */
        *out_id = tsk_xstrdup(name);
    if (rc == 0)
        rc = aws__lambda_wait(c, name, NULL, d);
    if (rc == 0)
        rc = put_concurrency(c, name, p, 0, d);
    if (rc == 0)
        rc = fn_read(c, name, p, out, d);
    rc = aws__created(c, rc, out, "function", name, d);
    return rc;
}

static int update_tags(const struct tsk_rcall *c, const char *arn,
                       const cJSON *prior, const cJSON *p,
                       struct tsk_diags *d)
{
    struct tsk_buf path = TSK_BUF_INIT, q = TSK_BUF_INIT;
    struct tsk_aws_resp r;
    const char *src = aws__jstr(p, "filename");
    int rc = 0;
    tsk_buf_adds(&path, "/2017-03-31/tags/");
    aws__label(&path, arn);
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(prior, "tags");
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(p, "tags");
    for (const cJSON *e = old ? old->child : NULL; e; e = e->next)
        if (!cJSON_GetObjectItemCaseSensitive(now, e->string))
            tsk_aws_form_add(&q, "tagKeys", e->string);
    if (q.len) {
        struct tsk_aws_req req = {.service = "lambda", .op = "UntagResource",
                                  .method = "DELETE", .path = path.ptr,
                                  .query = q.ptr};
        rc = aws__call(c, &req, &r, 1, d);
        tsk_aws_resp_release(&r);
    }
    if (rc == 0) {
        cJSON *b = aws__obj();
        cJSON_AddItemToObject(b, "Tags",
                              aws__tags_send(c, p, AWS_TAG_SOURCE,
                                             src && strlen(src) <= 256 ? src
                                                                       : NULL));
        rc = aws__rest(c, "lambda", "TagResource", "POST", path.ptr, b, 0, NULL,
                       d);
        cJSON_Delete(b);
    }
    tsk_buf_release(&path);
    tsk_buf_release(&q);
    return rc;
}

static const char *const config_keys[] = {
    "role",        "handler",        "runtime",        "memory_size",
    "timeout",     "environment",    "tracing_config", "logging_config",
    "layers",      "dead_letter_target_arn", NULL};

static int update_code(const struct tsk_rcall *c, const char *id,
                       const cJSON *p, struct tsk_diags *d)
{
    char *zip = NULL, *path = aws__fn_path("2015-03-31", id, "/code");
    int rc = zip_b64(c, p, &zip, d);
    if (rc == 0) {
        cJSON *b = aws__obj();
        aws__str(b, "ZipFile", zip);
        const cJSON *arch = cJSON_GetObjectItemCaseSensitive(p, "architectures");
        if (arch)
            cJSON_AddItemToObject(b, "Architectures", cJSON_Duplicate(arch, 1));
        rc = aws__rest(c, "lambda", "UpdateFunctionCode", "PUT", path, b, 0,
                       NULL, d);
        cJSON_Delete(b);
    }
    free(zip);
    free(path);
    return rc ? rc : aws__lambda_wait(c, id, NULL, d);
}

static int fn_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    int rc = 0, cfg = 0;
    *out = NULL;
    /* a change made while an earlier one is still running gets a 409 */
    rc = aws__lambda_wait(c, id, NULL, d);
    for (size_t i = 0; rc == 0 && config_keys[i]; i++)
        cfg |= aws__changed(prior, p, config_keys[i]);
    if (rc == 0 && cfg) {
        char *path = aws__fn_path("2015-03-31", id, "/configuration");
        cJSON *b = aws__obj();
        config_body(b, p, 1);
        rc = aws__rest(c, "lambda", "UpdateFunctionConfiguration", "PUT", path,
                       b, 0, NULL, d);
        cJSON_Delete(b);
        free(path);
        if (rc == 0)
            rc = aws__lambda_wait(c, id, NULL, d);
    }
    if (rc == 0 && (aws__changed(prior, p, "source_code_hash") ||
                    aws__changed(prior, p, "architectures")))
        rc = update_code(c, id, p, d);
    if (rc == 0 && aws__changed(prior, p, "reserved_concurrent_executions"))
        rc = put_concurrency(c, id, p, 1, d);
    if (rc == 0 && (aws__changed(prior, p, "tags") ||
                    aws__changed(prior, p, "filename")))
        rc = update_tags(c, aws__jstr(prior, "arn") ? aws__jstr(prior, "arn")
                                                    : id,
                         prior, p, d);
    return aws__reread(c, rc, fn_read, "function", id, p, out, d);
}

static int fn_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    char *path = aws__fn_path("2015-03-31", id, NULL);
    (void)prior;
    int rc = aws__rest(c, "lambda", "DeleteFunction", "DELETE", path, NULL,
                       TSK_AWS_NOTFOUND, NULL, d);
    free(path);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int fn_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "function_name");
    *out_id = NULL;
    *out = NULL;
    if (!name)
        return 0;
    int rc = fn_read(c, name, p, out, d);
    if (rc == 0 && *out)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static int fn_import(const struct tsk_rcall *c, const char *id, cJSON **out,
                     struct tsk_diags *d)
{
    /* an ARN names the function too */
    const char *name = strstr(id, ":function:");
    char *n = tsk_xstrdup(name ? name + 10 : id);
    n[strcspn(n, ":")] = '\0';
    int rc = fn_read(c, n, NULL, out, d);
    free(n);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_lambda_function = {
    .name = "aws_lambda_function",
    .schema = &schema,
    .read = fn_read,
    .create = fn_create,
    .update = fn_update,
    .delete = fn_delete,
    .find = fn_find,
    .import = fn_import,
};

/*
 * lambda_alias.c - aws_lambda_alias on a published version: create waits
 * for the function, publishes a version (PublishVersion), waits for that
 * version to be Active and points the alias at it. `source_code_hash`
 * follows the function's package: when it changes, the update publishes
 * a new version and moves the alias (UpdateAlias). Read is GetAlias plus
 * the CodeSha256 of the version it points at. Id: the alias ARN.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "alias name"},
    {"function_name", TSK_T_STRING, REQ | FNEW, "aws_lambda_function",
     "function name"},
    {"source_code_hash", TSK_T_STRING, OPT | COMP, NULL,
     "package of the version the alias points at"},
    {"function_version", TSK_T_STRING, COMP, NULL, "published version"},
    {"arn", TSK_T_STRING, COMP, NULL, "alias ARN"},
    {"id", TSK_T_STRING, COMP, NULL, "alias ARN"},
    {NULL, 0, 0, NULL, NULL},
};

/* arn:aws:lambda:R:A:function:FN:ALIAS -> FN and ALIAS. */
static int split_arn(const char *id, char **fn, char **alias)
{
    const char *p = strstr(id, ":function:");
    *fn = *alias = NULL;
    if (!p)
        return TSK_EINVAL;
    p += 10;
    const char *colon = strchr(p, ':');
    if (!colon || !colon[1])
        return TSK_EINVAL;
    *fn = tsk_xstrndup(p, (size_t)(colon - p));
    *alias = tsk_xstrdup(colon + 1);
    return 0;
}

static int version_sha(const struct tsk_rcall *c, const char *fn,
                       const char *ver, char **sha, struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    struct tsk_buf q = TSK_BUF_INIT;
    char *path = aws__fn_path("2015-03-31", fn, "/configuration");
    tsk_aws_form_add(&q, "Qualifier", ver);
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "GetFunctionConfiguration",
                              .method = "GET",
                              .path = path,
                              .query = q.ptr,
                              .quiet = TSK_AWS_NOTFOUND};
    int rc = aws__call(c, &req, &r, 0, d);
    const char *s = aws__jstr(r.json, "CodeSha256");
    *sha = rc == 0 && s ? tsk_xstrdup(s) : NULL;
    tsk_aws_resp_release(&r);
    tsk_buf_release(&q);
    free(path);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int alias_get(const struct tsk_rcall *c, const char *fn,
                     const char *alias, cJSON **out, struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    struct tsk_buf sfx = TSK_BUF_INIT;
    tsk_buf_adds(&sfx, "/aliases/");
    aws__label(&sfx, alias);
    char *path = aws__fn_path("2015-03-31", fn, sfx.ptr);
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "GetAlias",
                              .method = "GET",
                              .path = path,
                              .quiet = TSK_AWS_NOTFOUND};
    *out = NULL;
    int rc = aws__call(c, &req, &r, 0, d);
    tsk_buf_release(&sfx);
    free(path);
    if (rc) {
        tsk_aws_resp_release(&r);
        return rc == TSK_ENOTFOUND ? 0 : rc;
    }
    const char *ver = aws__jstr(r.json, "FunctionVersion");
    char *sha = NULL;
    if (ver)
        rc = version_sha(c, fn, ver, &sha, d);
    if (rc == 0) {
        cJSON *o = aws__obj();
        aws__str(o, "name", aws__jstr(r.json, "Name"));
        aws__str(o, "function_name", fn);
        aws__str(o, "source_code_hash", sha);
        aws__str(o, "function_version", ver);
        aws__str(o, "arn", aws__jstr(r.json, "AliasArn"));
        aws__str(o, "id", aws__jstr(r.json, "AliasArn"));
        *out = o;
    }
    free(sha);
    tsk_aws_resp_release(&r);
    return rc;
}

static int al_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    char *fn, *alias;
    (void)prior;
    *out = NULL;
    if (!id || !*id) /* a create that failed before it had an id */
        return 0;
    if (split_arn(id, &fn, &alias) != 0) {
        tsk_diag_error(d, NULL, "%s: \"%s\" is not an alias ARN "
                       "(arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS)",
                       c->addr, id);
        tsk_diag_addr(d, c->addr);
        return TSK_EINVAL;
    }
    int rc = alias_get(c, fn, alias, out, d);
    free(fn);
    free(alias);
    return rc;
}

/* Publishes the function's current code and configuration; *ver is the
 * new (or unchanged latest) version, once it is Active. */
static int publish(const struct tsk_rcall *c, const char *fn, char **ver,
                   struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    char *path = aws__fn_path("2015-03-31", fn, "/versions");
    cJSON *b = aws__obj();
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "PublishVersion",
                              .method = "POST",
                              .path = path,
                              .json = b};
    *ver = NULL;
    int rc = aws__lambda_wait(c, fn, NULL, d);
    if (rc == 0)
        rc = aws__call(c, &req, &r, 1, d);
    else
        memset(&r, 0, sizeof(r));
    const char *v = aws__jstr(r.json, "Version");
    if (rc == 0 && !v)
        rc = tsk_diag_error(d, NULL, "%s: PublishVersion returned no "
                                     "Version", c->addr);
    if (rc == 0)
        *ver = tsk_xstrdup(v);
    tsk_aws_resp_release(&r);
    cJSON_Delete(b);
    free(path);
    if (rc == 0)
        rc = aws__lambda_wait(c, fn, *ver, d);
    return rc;
}

static int al_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *fn = aws__jstr(p, "function_name");
    const char *name = aws__jstr(p, "name");
    char *ver = NULL, *path = aws__fn_path("2015-03-31", fn, "/aliases");
    *out_id = NULL;
    *out = NULL;
    int rc = publish(c, fn, &ver, d);
    if (rc == 0) {
        cJSON *b = aws__obj();
        aws__str(b, "Name", name);
        aws__str(b, "FunctionVersion", ver);
        rc = aws__rest(c, "lambda", "CreateAlias", "POST", path, b, 0, NULL, d);
        cJSON_Delete(b);
    }
    if (rc == 0)
        rc = alias_get(c, fn, name, out, d);
    rc = aws__created(c, rc, out, "alias", name, d);
    if (rc == 0)
        *out_id = tsk_xstrdup(aws__jstr(*out, "arn"));
    free(ver);
    free(path);
    return rc;
}

static int al_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    char *fn, *alias, *ver = NULL;
    (void)prior;
    (void)p; /* the function's current package is what gets published */
    *out = NULL;
    if (split_arn(id, &fn, &alias) != 0)
        return al_read(c, id, NULL, out, d);
    int rc = publish(c, fn, &ver, d);
    if (rc == 0) {
        struct tsk_buf sfx = TSK_BUF_INIT;
        tsk_buf_adds(&sfx, "/aliases/");
        aws__label(&sfx, alias);
        char *path = aws__fn_path("2015-03-31", fn, sfx.ptr);
        cJSON *b = aws__obj();
        aws__str(b, "FunctionVersion", ver);
        rc = aws__rest(c, "lambda", "UpdateAlias", "PUT", path, b, 0, NULL, d);
        cJSON_Delete(b);
        free(path);
        tsk_buf_release(&sfx);
    }
    if (rc == 0)
        rc = alias_get(c, fn, alias, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: alias %s no longer exists",
                            c->addr, id);
    free(ver);
    free(fn);
    free(alias);
    return rc;
}

static int al_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    char *fn, *alias;
    (void)prior;
    if (split_arn(id, &fn, &alias) != 0)
        return 0; /* nothing we could have made */
    struct tsk_buf sfx = TSK_BUF_INIT;
    tsk_buf_adds(&sfx, "/aliases/");
    aws__label(&sfx, alias);
    char *path = aws__fn_path("2015-03-31", fn, sfx.ptr);
    int rc = aws__rest(c, "lambda", "DeleteAlias", "DELETE", path, NULL,
                       TSK_AWS_NOTFOUND, NULL, d);
    tsk_buf_release(&sfx);
    free(path);
    free(fn);
    free(alias);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int al_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *fn = aws__jstr(p, "function_name");
    const char *name = aws__jstr(p, "name");
    *out_id = NULL;
    *out = NULL;
    if (!fn || !name)
        return 0;
    int rc = alias_get(c, fn, name, out, d);
    if (rc == 0 && *out && aws__jstr(*out, "arn"))
        *out_id = tsk_xstrdup(aws__jstr(*out, "arn"));
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_lambda_alias = {
    .name = "aws_lambda_alias",
    .schema = &schema,
    .read = al_read,
    .create = al_create,
    .update = al_update,
    .delete = al_delete,
    .find = al_find,
    .import = NULL,
};

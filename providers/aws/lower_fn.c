/*
 * lower_fn.c - one function's nodes: aws_lambda_function (code zipped
 * deterministically at plan time so that source_code_hash is known and an
 * unchanged folder gives no diff), its least-privilege aws_iam_role unless
 * `role` is given, its aws_cloudwatch_log_group, and for provisioned
 * concurrency an aws_lambda_alias plus the concurrency config.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"

#define LOG_RETENTION_DAYS 14
#define ROLE_NAME_MAX 64
#define ALIAS_NAME "live"

static char *role_name(const char *fn)
{
    char *s = tsk_xasprintf("%s-role", fn);
    if (strlen(s) > ROLE_NAME_MAX) {
        /* keep it unique: the end of the name carries a short hash */
        unsigned long h = 5381;
        for (const char *p = fn; *p; p++)
            h = h * 33 + (unsigned char)*p;
        free(s);
        s = tsk_xasprintf("%.50s-%08lx-role", fn, h & 0xffffffffUL);
    }
    return s;
}

static const char *assume_policy =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
    "\"Action\":\"sts:AssumeRole\"}]}";

static uint32_t add_role(struct aws_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = aws__obj(), *pol = aws__policy(L, f), *inl = aws__arr();
    cJSON *one = aws__obj();
    char *name = role_name(f->name), *text = cJSON_PrintUnformatted(pol);
    if (!text)
        abort();
    aws__str(a, "name", name);
    aws__str(a, "assume_role_policy", assume_policy);
    aws__str(one, "name", "tuskform");
    aws__str(one, "policy", text);
    cJSON_AddItemToArray(inl, one);
    cJSON_AddItemToObject(a, "inline_policy", inl);
    if (f->n_tags)
        cJSON_AddItemToObject(a, "tags", aws__kv_map(f->tags, f->n_tags));
    cJSON_free(text);
    cJSON_Delete(pol);
    free(name);
    return aws__add(L, "aws_iam_role", f->key, NULL, a, &f->pos, f->key);
}

static uint32_t add_log_group(struct aws_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = aws__obj();
    char *name = tsk_xasprintf("/aws/lambda/%s", f->name);
    aws__str(a, "name", name);
    aws__num(a, "retention_in_days", LOG_RETENTION_DAYS);
    if (f->n_tags)
        cJSON_AddItemToObject(a, "tags", aws__kv_map(f->tags, f->n_tags));
    free(name);
    return aws__add(L, "aws_cloudwatch_log_group", f->key, NULL, a, &f->pos,
                    f->key);
}

static int64_t concurrency_cap(const struct tsk_model_function *f)
{
    if (f->reserved_concurrency >= 0)
        return f->reserved_concurrency;
    if (f->keep_warm.on && f->keep_warm.max_instances > 0)
        return f->keep_warm.max_instances;
    return -1;
}

static int tracing_on(const struct tsk_model *m)
{
    return (m->monitoring.enabled && m->monitoring.distributed_tracing) ||
           (m->debug.enabled && m->debug.trace_invocations);
}

/* Runtime id and layers; an unknown runtime is an error. */
static int set_runtime(struct aws_lower *L, const struct tsk_model_function *f,
                       cJSON *a)
{
    char buf[32];
    int custom = 0;
    const char *id = tsk_aws_runtime_id(f->runtime, &custom, buf, sizeof(buf));
    if (!id) {
        tsk_diag_error(L->d, &f->pos,
                       "%s: runtime \"%s\" has no AWS Lambda equivalent",
                       f->key, f->runtime ? f->runtime : "");
        tsk_diag_detail(L->d, "use e.g. php:8.4, python:3.12, nodejs:20, "
                              "java:21, ruby:3.3, dotnet:8 or a Lambda id "
                              "such as provided.al2023");
        return TSK_ERROR;
    }
    aws__str(a, "runtime", id);
    if (f->layers.n) {
        cJSON *l = aws__arr();
        for (size_t k = 0; k < f->layers.n; k++)
            cJSON_AddItemToArray(l, cJSON_CreateString(f->layers.v[k]));
        cJSON_AddItemToObject(a, "layers", l);
    } else if (custom && strncmp(f->runtime, "php", 3) == 0 &&
               !L->warned_layers++) {
        tsk_diag_warning(L->d, &f->pos,
                         "%s: runtime \"%s\" runs on provided.al2023 and "
                         "needs a PHP layer, but no layers are given",
                         f->key, f->runtime);
        tsk_diag_detail(L->d, "set `layers` (e.g. a Bref PHP layer ARN); "
                              "said once for every such function");
    }
    return 0;
}

/* The deployment package: filename and source_code_hash. */
static int set_code(struct aws_lower *L, const struct tsk_model_function *f,
                    cJSON *a)
{
    struct tsk_buf zip = TSK_BUF_INIT;
    struct tsk_diags zd = {0};
    if (!f->source_path) {
        tsk_diag_error(L->d, &f->pos, "%s: no `source` (the code to deploy)",
                       f->key);
        tsk_diag_detail(L->d, "the aws provider needs a folder or a .zip "
                              "file for every function");
        return TSK_ERROR;
    }
    if (tsk_aws_zip_source_in(L->m->srcfs, f->source_path, &zip, &zd) != 0) {
        const struct tsk_pos *at = f->source_pos.src ? &f->source_pos : &f->pos;
        tsk_diag_error(L->d, at, "%s: %s", f->key,
                       zd.v.n ? zd.v.v[0].summary : "cannot package the code");
        tsk_diags_release(&zd);
        return TSK_ERROR;
    }
    tsk_diags_release(&zd);
    char *sha = tsk_aws_code_sha256(zip.ptr, zip.len);
    aws__str(a, "filename", f->source_path);
    aws__str(a, "source_code_hash", sha);
    free(sha);
    tsk_buf_release(&zip);
    return 0;
}

static void set_logging(const struct tsk_model *m,
                        const struct tsk_model_function *f, cJSON *a)
{
    cJSON *lc = aws__obj();
    char *group = tsk_xasprintf("/aws/lambda/%s", f->name);
    if (m->debug.enabled) {
        const char *lvl = tsk_model_log_level_name(m->debug.log_level);
        aws__str(lc, "log_format", "JSON");
        aws__str(lc, "application_log_level", lvl);
        /* the system log has no ERROR level */
        aws__str(lc, "system_log_level",
                 strcmp(lvl, "ERROR") == 0 ? "WARN" : lvl);
    } else {
        aws__str(lc, "log_format", "Text");
    }
    aws__str(lc, "log_group", group);
    free(group);
    cJSON_AddItemToObject(a, "logging_config", lc);
}

static cJSON *function_attrs(struct aws_lower *L,
                             const struct tsk_model_function *f)
{
    const struct tsk_model *m = L->m;
    cJSON *a = aws__obj();
    aws__str(a, "function_name", f->name);
    aws__str(a, "handler", f->handler);
    aws__num(a, "memory_size", (double)f->memory_size);
    aws__num(a, "timeout", (double)f->timeout);
    if (f->n_env) {
        cJSON *env = aws__obj();
        cJSON_AddItemToObject(env, "variables", aws__kv_map(f->env, f->n_env));
        cJSON_AddItemToObject(a, "environment", env);
    }
    cJSON *arch = aws__arr();
    cJSON_AddItemToArray(arch,
                         cJSON_CreateString(f->architecture ==
                                                    TSK_MODEL_ARCH_ARM64
                                                ? "arm64"
                                                : "x86_64"));
    cJSON_AddItemToObject(a, "architectures", arch);
    cJSON *tc = aws__obj();
    aws__str(tc, "mode", tracing_on(m) ? "Active" : "PassThrough");
    cJSON_AddItemToObject(a, "tracing_config", tc);
    set_logging(m, f, a);
    int64_t cap = concurrency_cap(f);
    if (cap >= 0)
        aws__num(a, "reserved_concurrent_executions", (double)cap);
    if (f->role)
        aws__str(a, "role", f->role);
    if (f->n_tags)
        cJSON_AddItemToObject(a, "tags", aws__kv_map(f->tags, f->n_tags));
    return a;
}

void aws__lower_function(struct aws_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = function_attrs(L, f);
    L->fn[i] = L->role[i] = UINT32_MAX;
    if (set_runtime(L, f, a) | set_code(L, f, a)) {
        cJSON_Delete(a);
        return;
    }
    if (f->role && strncmp(f->role, "arn:", 4) != 0) {
        tsk_diag_error(L->d, &f->pos, "%s: role \"%s\" is not an IAM role "
                       "ARN", f->key, f->role);
        tsk_diag_detail(L->d, "give arn:aws:iam::ACCOUNT:role/NAME, or leave "
                              "`role` out to get a least-privilege role");
        cJSON_Delete(a);
        return;
    }
    uint32_t lg = add_log_group(L, i);
    if (!f->role)
        L->role[i] = add_role(L, i);
    uint32_t n = aws__add(L, "aws_lambda_function", f->key, NULL, a, &f->pos,
                          f->key);
    L->fn[i] = n;
    if (n == UINT32_MAX)
        return;
    if (L->role[i] != UINT32_MAX)
        tsk_graph_ref(L->g, n, "role", L->role[i], "arn");
    if (lg != UINT32_MAX)
        tsk_graph_dep(L->g, n, lg); /* the group exists before any log */
    if (f->is_handler && L->dlq != UINT32_MAX)
        tsk_graph_ref(L->g, n, "dead_letter_target_arn", L->dlq, "arn");
    for (size_t k = 0; k < f->n_env; k++) {
        if (!f->env[k].sensitive)
            continue;
        /* request bodies in the debug log must never show it */
        if (f->env[k].value)
            tsk_log_add_secret(f->env[k].value);
        char *path = tsk_xasprintf("environment.variables.%s", f->env[k].key);
        tsk_graph_sensitive(L->g, n, path);
        free(path);
    }
}

void aws__lower_provisioned(struct aws_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    if (!f->provisioned.on || f->provisioned.concurrency <= 0)
        return;
    cJSON *a = aws__obj();
    aws__str(a, "name", ALIAS_NAME);
    uint32_t al = aws__add(L, "aws_lambda_alias", f->key, NULL, a, &f->pos,
                           f->key);
    if (al == UINT32_MAX)
        return;
    tsk_graph_ref(L->g, al, "function_name", L->fn[i], "function_name");
    /* a new package publishes a new version and moves the alias */
    tsk_graph_ref(L->g, al, "source_code_hash", L->fn[i], "source_code_hash");
    a = aws__obj();
    aws__num(a, "provisioned_concurrent_executions",
             (double)f->provisioned.concurrency);
    uint32_t pc = aws__add(L, "aws_lambda_provisioned_concurrency_config",
                           f->key, NULL, a, &f->pos, f->key);
    if (pc == UINT32_MAX)
        return;
    tsk_graph_ref(L->g, pc, "function_name", L->fn[i], "function_name");
    tsk_graph_ref(L->g, pc, "qualifier", al, "name");
    /* auto_scaling: aws_appautoscaling_target + _policy (lower_monitor.c) */
}

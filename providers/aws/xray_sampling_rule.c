/*
 * xray_sampling_rule.c - aws_xray_sampling_rule (X-Ray, rest-json): the
 * fixed sampling rate of the service's traces. CreateSamplingRule,
 * GetSamplingRules (paged; the rule found by name), UpdateSamplingRule,
 * DeleteSamplingRule. Id: the rule name.
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED

static const struct tsk_attr_schema attrs[] = {
    {"rule_name", TSK_T_STRING, REQ | TSK_A_FORCE_NEW, NULL, "1..32 chars"},
    {"priority", TSK_T_NUMBER, REQ, NULL, "1..9999"},
    {"fixed_rate", TSK_T_NUMBER, REQ, NULL, "0..1"},
    {"reservoir_size", TSK_T_NUMBER, REQ, NULL, "traces per second"},
    {"service_name", TSK_T_STRING, REQ, NULL, "service name pattern"},
    {"service_type", TSK_T_STRING, REQ, NULL, "*"},
    {"host", TSK_T_STRING, REQ, NULL, "*"},
    {"http_method", TSK_T_STRING, REQ, NULL, "*"},
    {"url_path", TSK_T_STRING, REQ, NULL, "*"},
    {"resource_arn", TSK_T_STRING, REQ, NULL, "*"},
    {"version", TSK_T_NUMBER, REQ | TSK_A_FORCE_NEW, NULL, "1"},
    {"arn", TSK_T_STRING, TSK_A_COMPUTED, NULL, "rule ARN"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "rule name"},
    {NULL, 0, 0, NULL, NULL},
};

static const char *const skeys[][2] = {{"service_name", "ServiceName"},
                                       {"service_type", "ServiceType"},
                                       {"host", "Host"},
                                       {"http_method", "HTTPMethod"},
                                       {"url_path", "URLPath"},
                                       {"resource_arn", "ResourceARN"}};
static const char *const nkeys[][2] = {{"priority", "Priority"},
                                       {"fixed_rate", "FixedRate"},
                                       {"reservoir_size", "ReservoirSize"}};

static cJSON *rule_body(const cJSON *p, int create)
{
    cJSON *r = aws__obj();
    aws__str(r, "RuleName", aws__jstr(p, "rule_name"));
    for (size_t i = 0; i < 6; i++)
        aws__str(r, skeys[i][1], aws__jstr(p, skeys[i][0]));
    for (size_t i = 0; i < 3; i++)
        aws__num(r, nkeys[i][1], aws__jnum(p, nkeys[i][0], 0));
    if (create)
        aws__num(r, "Version", aws__jnum(p, "version", 1));
    return r;
}

static int rule_get(const struct tsk_rcall *c, const char *name, cJSON **out,
                    struct tsk_diags *d)
{
    char *token = NULL;
    int rc;
    *out = NULL;
    do {
        cJSON *b = aws__obj(), *r = NULL;
        aws__str(b, "NextToken", token);
        free(token);
        token = NULL;
        rc = aws__rest(c, "xray", "GetSamplingRules", "POST",
                       "/GetSamplingRules", b, 0, &r, d);
        cJSON_Delete(b);
        const cJSON *rs =
            cJSON_GetObjectItemCaseSensitive(r, "SamplingRuleRecords");
        for (const cJSON *e = rs ? rs->child : NULL; e && !*out; e = e->next) {
            const cJSON *sr =
                cJSON_GetObjectItemCaseSensitive(e, "SamplingRule");
            if (!aws__jstr(sr, "RuleName") ||
                strcmp(aws__jstr(sr, "RuleName"), name) != 0)
                continue;
            cJSON *o = aws__obj();
            aws__str(o, "rule_name", name);
            for (size_t i = 0; i < 6; i++)
                aws__str(o, skeys[i][0], aws__jstr(sr, skeys[i][1]));
            for (size_t i = 0; i < 3; i++)
                aws__num(o, nkeys[i][0], aws__jnum(sr, nkeys[i][1], 0));
            aws__num(o, "version", aws__jnum(sr, "Version", 1));
            aws__str(o, "arn", aws__jstr(sr, "RuleARN"));
            aws__str(o, "id", name);
            *out = o;
        }
        if (rc == 0 && !*out && aws__jstr(r, "NextToken"))
            token = tsk_xstrdup(aws__jstr(r, "NextToken"));
        cJSON_Delete(r);
    } while (token);
    return rc;
}

static int xr_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    return id && *id ? rule_get(c, id, out, d) : 0;
}

static int xr_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "rule_name");
    *out_id = NULL;
    *out = NULL;
    if (!name)
        return tsk_diag_error(d, NULL, "%s: no rule_name", c->addr);
    cJSON *b = aws__obj(), *t = aws__tags_send(c, p, NULL, NULL);
    cJSON_AddItemToObject(b, "SamplingRule", rule_body(p, 1));
    cJSON_AddItemToObject(b, "Tags", aws__tag_list(t, "Key", "Value"));
    cJSON_Delete(t);
    int rc = aws__rest(c, "xray", "CreateSamplingRule", "POST",
                       "/CreateSamplingRule", b, 0, NULL, d);
    cJSON_Delete(b);
    if (rc == 0)
        rc = rule_get(c, name, out, d);
    rc = aws__created(c, rc, out, "sampling rule", name, d);
    if (rc == 0)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static int xr_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "rule_name");
    *out_id = NULL;
    *out = NULL;
    int rc = name ? rule_get(c, name, out, d) : 0;
    if (rc == 0 && *out)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static int xr_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    cJSON *b = aws__obj();
    cJSON_AddItemToObject(b, "SamplingRuleUpdate", rule_body(p, 0));
    int rc = aws__rest(c, "xray", "UpdateSamplingRule", "POST",
                       "/UpdateSamplingRule", b, 0, NULL, d);
    cJSON_Delete(b);
    if (rc == 0)
        rc = rule_get(c, id, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: sampling rule %s no longer exists",
                            c->addr, id);
    return rc;
}

static int xr_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    cJSON *cur = NULL;
    (void)prior;
    if (!id || !*id)
        return 0;
    /* a missing rule is InvalidRequestException, shared with real errors:
     * look first */
    int rc = rule_get(c, id, &cur, d);
    if (rc == 0 && cur) {
        cJSON *b = aws__obj();
        aws__str(b, "RuleName", id);
        rc = aws__rest(c, "xray", "DeleteSamplingRule", "POST",
                       "/DeleteSamplingRule", b, 0, NULL, d);
        cJSON_Delete(b);
    }
    cJSON_Delete(cur);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_xray_sampling_rule = {
    .name = "aws_xray_sampling_rule",
    .schema = &schema,
    .read = xr_read,
    .create = xr_create,
    .update = xr_update,
    .delete = xr_delete,
    .find = xr_find,
    .import = NULL,
};

/*
 * metric_alarm.c - aws_cloudwatch_metric_alarm (CloudWatch, query
 * protocol: form bodies, XML answers). PutMetricAlarm is an upsert, so it
 * creates and updates; tags go with the create and through
 * Tag/UntagResource later. Read is DescribeAlarms by name (absent = an
 * empty list) plus ListTagsForResource. Id: the alarm name.
 */
#include "providers/aws/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define OPT TSK_A_OPTIONAL

static const struct tsk_attr_schema attrs[] = {
    {"alarm_name", TSK_T_STRING, REQ | TSK_A_FORCE_NEW, NULL, "alarm name"},
    {"alarm_description", TSK_T_STRING, OPT, NULL, "description"},
    {"namespace", TSK_T_STRING, REQ, NULL, "AWS/Lambda"},
    {"metric_name", TSK_T_STRING, REQ, NULL, "Errors, Throttles, Duration"},
    {"statistic", TSK_T_STRING, REQ, NULL, "Sum, Maximum, ..."},
    {"dimensions", TSK_T_MAP, OPT, NULL, "FunctionName = ..."},
    {"period", TSK_T_NUMBER, REQ, NULL, "seconds"},
    {"evaluation_periods", TSK_T_NUMBER, REQ, NULL, "periods"},
    {"threshold", TSK_T_NUMBER, REQ, NULL, "threshold"},
    {"comparison_operator", TSK_T_STRING, REQ, NULL,
     "GreaterThanOrEqualToThreshold, ..."},
    {"treat_missing_data", TSK_T_STRING, OPT | TSK_A_COMPUTED, NULL,
     "notBreaching, missing, ..."},
    {"tags", TSK_T_MAP, OPT, NULL, "tags"},
    {"arn", TSK_T_STRING, TSK_A_COMPUTED, NULL, "alarm ARN"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "alarm name"},
    {NULL, 0, 0, NULL, NULL},
};

static int cw(const struct tsk_rcall *c, const char *op, const char *form,
              struct tsk_buf *body, struct tsk_diags *d)
{
    struct tsk_aws_resp r;
    struct tsk_aws_req req = {.service = "cloudwatch", .op = op, .form = form};
    int rc = aws__call(c, &req, &r, 1, d);
    if (rc == 0 && body)
        tsk_buf_add(body, r.body.ptr, r.body.len);
    tsk_aws_resp_release(&r);
    return rc;
}

static void add_num(struct tsk_buf *f, const char *k, double v)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.17g", v);
    tsk_aws_form_add(f, k, buf);
}

static int tags_read(const struct tsk_rcall *c, const char *arn, cJSON *o,
                     struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT, body = TSK_BUF_INIT;
    tsk_aws_form_add(&f, "ResourceARN", arn);
    int rc = cw(c, "ListTagsForResource", f.ptr, &body, d);
    if (rc == 0) {
        cJSON *m = aws__obj();
        const char *end = body.ptr + body.len, *p = body.ptr, *in, *ie, *nx;
        while ((in = aws__xml_find(p, end, "member", &ie, &nx))) {
            char *k = aws__xml_text(in, ie, "Key");
            char *v = aws__xml_text(in, ie, "Value");
            if (k && v)
                aws__str(m, k, v);
            free(k);
            free(v);
            p = nx;
        }
        cJSON *user = aws__tags_user(m);
        if (user)
            cJSON_AddItemToObject(o, "tags", user);
        cJSON_Delete(m);
    }
    tsk_buf_release(&f);
    tsk_buf_release(&body);
    return rc;
}

static int alarm_get(const struct tsk_rcall *c, const char *name, cJSON **out,
                     struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT, body = TSK_BUF_INIT;
    *out = NULL;
    tsk_aws_form_add(&f, "AlarmNames.member.1", name);
    int rc = cw(c, "DescribeAlarms", f.ptr, &body, d);
    tsk_buf_release(&f);
    const char *end = body.ptr + body.len, *ie, *in = NULL, *lend;
    const char *list =
        rc == 0 ? aws__xml_find(body.ptr, end, "MetricAlarms", &lend, NULL)
                : NULL;
    if (list)
        in = aws__xml_find(list, lend, "member", &ie, NULL);
    if (in) {
        cJSON *o = aws__obj();
        static const char *const s[][2] = {
            {"AlarmName", "alarm_name"},
            {"AlarmDescription", "alarm_description"},
            {"Namespace", "namespace"},
            {"MetricName", "metric_name"},
            {"Statistic", "statistic"},
            {"ComparisonOperator", "comparison_operator"},
            {"TreatMissingData", "treat_missing_data"},
            {"AlarmArn", "arn"}};
        for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
            char *v = aws__xml_text(in, ie, s[i][0]);
            if (v && *v)
                aws__str(o, s[i][1], v);
            free(v);
        }
        static const char *const n[][2] = {
            {"Period", "period"},
            {"EvaluationPeriods", "evaluation_periods"},
            {"Threshold", "threshold"}};
        for (size_t i = 0; i < 3; i++) {
            char *v = aws__xml_text(in, ie, n[i][0]);
            if (v)
                aws__num(o, n[i][1], strtod(v, NULL));
            free(v);
        }
        const char *dend,
            *dims = aws__xml_find(in, ie, "Dimensions", &dend, NULL);
        if (dims && dims < dend) {
            cJSON *m = aws__obj();
            const char *p = dims, *mi, *me, *nx;
            while ((mi = aws__xml_find(p, dend, "member", &me, &nx))) {
                char *k = aws__xml_text(mi, me, "Name");
                char *v = aws__xml_text(mi, me, "Value");
                if (k && v)
                    aws__str(m, k, v);
                free(k);
                free(v);
                p = nx;
            }
            cJSON_AddItemToObject(o, "dimensions", m);
        }
        if (aws__jstr(o, "arn"))
            rc = tags_read(c, aws__jstr(o, "arn"), o, d);
        aws__str(o, "id", name);
        if (rc == 0)
            *out = o;
        else
            cJSON_Delete(o);
    }
    tsk_buf_release(&body);
    return rc;
}

static int put_alarm(const struct tsk_rcall *c, const cJSON *p, int create,
                     struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT;
    static const char *const s[][2] = {
        {"alarm_name", "AlarmName"},
        {"alarm_description", "AlarmDescription"},
        {"namespace", "Namespace"},
        {"metric_name", "MetricName"},
        {"statistic", "Statistic"},
        {"comparison_operator", "ComparisonOperator"},
        {"treat_missing_data", "TreatMissingData"}};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        if (aws__jstr(p, s[i][0]))
            tsk_aws_form_add(&f, s[i][1], aws__jstr(p, s[i][0]));
    add_num(&f, "Period", aws__jnum(p, "period", 60));
    add_num(&f, "EvaluationPeriods", aws__jnum(p, "evaluation_periods", 1));
    add_num(&f, "Threshold", aws__jnum(p, "threshold", 0));
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(p, "dimensions");
    int k = 1;
    for (const cJSON *e = dims ? dims->child : NULL; e; e = e->next, k++) {
        char key[64];
        snprintf(key, sizeof(key), "Dimensions.member.%d.Name", k);
        tsk_aws_form_add(&f, key, e->string);
        snprintf(key, sizeof(key), "Dimensions.member.%d.Value", k);
        tsk_aws_form_add(&f, key, cJSON_IsString(e) ? e->valuestring : "");
    }
    if (create) {
        cJSON *t = aws__tags_send(c, p, NULL, NULL);
        k = 1;
        for (const cJSON *e = t->child; e; e = e->next, k++) {
            char key[64];
            snprintf(key, sizeof(key), "Tags.member.%d.Key", k);
            tsk_aws_form_add(&f, key, e->string);
            snprintf(key, sizeof(key), "Tags.member.%d.Value", k);
            tsk_aws_form_add(&f, key, e->valuestring);
        }
        cJSON_Delete(t);
    }
    int rc = cw(c, "PutMetricAlarm", f.ptr, NULL, d);
    tsk_buf_release(&f);
    return rc;
}

static int tags_update(const struct tsk_rcall *c, const char *arn,
                       const cJSON *prior, const cJSON *p, struct tsk_diags *d)
{
    if (!arn || !aws__changed(prior, p, "tags"))
        return 0;
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(prior, "tags");
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(p, "tags");
    struct tsk_buf f = TSK_BUF_INIT;
    int k = 1, rc = 0;
    tsk_aws_form_add(&f, "ResourceARN", arn);
    for (const cJSON *e = old ? old->child : NULL; e; e = e->next)
        if (!cJSON_GetObjectItemCaseSensitive(now, e->string)) {
            char key[48];
            snprintf(key, sizeof(key), "TagKeys.member.%d", k++);
            tsk_aws_form_add(&f, key, e->string);
        }
    if (k > 1)
        rc = cw(c, "UntagResource", f.ptr, NULL, d);
    tsk_buf_release(&f);
    if (rc == 0) {
        cJSON *t = aws__tags_send(c, p, NULL, NULL);
        tsk_aws_form_add(&f, "ResourceARN", arn);
        k = 1;
        for (const cJSON *e = t->child; e; e = e->next, k++) {
            char key[48];
            snprintf(key, sizeof(key), "Tags.member.%d.Key", k);
            tsk_aws_form_add(&f, key, e->string);
            snprintf(key, sizeof(key), "Tags.member.%d.Value", k);
            tsk_aws_form_add(&f, key, e->valuestring);
        }
        rc = cw(c, "TagResource", f.ptr, NULL, d);
        cJSON_Delete(t);
        tsk_buf_release(&f);
    }
    return rc;
}

static int al_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    return id && *id ? alarm_get(c, id, out, d) : 0;
}

static int al_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "alarm_name");
    *out_id = NULL;
    *out = NULL;
    if (!name)
        return tsk_diag_error(d, NULL, "%s: no alarm_name", c->addr);
    int rc = put_alarm(c, p, 1, d);
    if (rc == 0)
        rc = alarm_get(c, name, out, d);
    rc = aws__created(c, rc, out, "alarm", name, d);
    if (rc == 0)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static int al_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    *out = NULL;
    int rc = put_alarm(c, p, 0, d);
    if (rc == 0)
        rc = tags_update(c, aws__jstr(prior, "arn"), prior, p, d);
    if (rc == 0)
        rc = alarm_get(c, id, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: alarm %s no longer exists", c->addr,
                            id);
    return rc;
}

static int al_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    struct tsk_buf f = TSK_BUF_INIT;
    (void)prior;
    if (!id || !*id)
        return 0;
    tsk_aws_form_add(&f, "AlarmNames.member.1", id);
    struct tsk_aws_resp r;
    struct tsk_aws_req req = {.service = "cloudwatch",
                              .op = "DeleteAlarms",
                              .form = f.ptr,
                              .quiet = TSK_AWS_NOTFOUND};
    int rc = aws__call(c, &req, &r, 1, d);
    tsk_aws_resp_release(&r);
    tsk_buf_release(&f);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int al_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "alarm_name");
    *out_id = NULL;
    *out = NULL;
    int rc = name ? alarm_get(c, name, out, d) : 0;
    if (rc == 0 && *out)
        *out_id = tsk_xstrdup(name);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_metric_alarm = {
    .name = "aws_cloudwatch_metric_alarm",
    .schema = &schema,
    .read = al_read,
    .create = al_create,
    .update = al_update,
    .delete = al_delete,
    .find = al_find,
    .import = NULL,
};

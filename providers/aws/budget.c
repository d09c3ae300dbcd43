/*
 * budget.c - aws_budgets_budget (AWS Budgets, JSON 1.1, the global
 * endpoint signed for us-east-1, the account id in every request): a
 * monthly cost budget with a cost filter and its notifications. Create is
 * CreateBudget with NotificationsWithSubscribers; update is UpdateBudget
 * (a full replace of the budget; notifications untouched) plus
 * Delete/CreateNotification for the notifications that changed (a new
 * subscriber list is a changed notification). Read is DescribeBudget,
 * DescribeNotificationsForBudget and, per notification,
 * DescribeSubscribersForNotification (EMAIL addresses, sorted); amounts
 * compare as numbers ("50" and "50.0" are equal). Id: ACCOUNT:NAME.
 */
#include "providers/aws/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQ TSK_A_REQUIRED
#define FNEW TSK_A_FORCE_NEW

static const struct tsk_attr_schema attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "budget name"},
    {"budget_type", TSK_T_STRING, REQ | FNEW, NULL, "COST"},
    {"limit_amount", TSK_T_NUMBER, REQ, NULL, "amount per period"},
    {"limit_unit", TSK_T_STRING, REQ, NULL, "USD"},
    {"time_unit", TSK_T_STRING, REQ, NULL, "MONTHLY"},
    {"cost_filter", TSK_T_OBJECT, TSK_A_OPTIONAL, NULL,
     "filter name -> values (TagKeyValue: user:KEY$VALUE)"},
    {"notification", TSK_T_LIST, TSK_A_OPTIONAL, NULL,
     "[{comparison_operator, threshold, threshold_type, notification_type, "
     "subscriber_email_addresses}]"},
    {"id", TSK_T_STRING, TSK_A_COMPUTED, NULL, "ACCOUNT:NAME"},
    {NULL, 0, 0, NULL, NULL},
};

static const char *account(const struct tsk_rcall *c)
{
    return c->pctx->account ? c->pctx->account : "";
}

static cJSON *budget_body(const cJSON *p)
{
    cJSON *b = aws__obj(), *lim = aws__obj();
    char amt[64];
    snprintf(amt, sizeof(amt), "%.2f", aws__jnum(p, "limit_amount", 0));
    aws__str(b, "BudgetName", aws__jstr(p, "name"));
    aws__str(lim, "Amount", amt);
    aws__str(lim, "Unit", aws__jstr(p, "limit_unit"));
    cJSON_AddItemToObject(b, "BudgetLimit", lim);
    aws__str(b, "TimeUnit", aws__jstr(p, "time_unit"));
    aws__str(b, "BudgetType", aws__jstr(p, "budget_type"));
    const cJSON *cf = cJSON_GetObjectItemCaseSensitive(p, "cost_filter");
    if (cJSON_IsObject(cf))
        cJSON_AddItemToObject(b, "CostFilters", cJSON_Duplicate(cf, 1));
    return b;
}

static cJSON *notif_body(const cJSON *n)
{
    cJSON *o = aws__obj();
    aws__str(o, "NotificationType", aws__jstr(n, "notification_type"));
    aws__str(o, "ComparisonOperator", aws__jstr(n, "comparison_operator"));
    aws__num(o, "Threshold", aws__jnum(n, "threshold", 0));
    aws__str(o, "ThresholdType", aws__jstr(n, "threshold_type"));
    return o;
}

static int cmp_json_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The EMAIL subscribers of notification n (an AWS Notification), sorted. */
static int read_emails(const struct tsk_rcall *c, const char *budget,
                       const cJSON *n, cJSON **out, struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *r = NULL;
    aws__str(b, "AccountId", c->pctx->account ? c->pctx->account : "");
    aws__str(b, "BudgetName", budget);
    cJSON_AddItemToObject(b, "Notification", cJSON_Duplicate(n, 1));
    aws__num(b, "MaxResults", 100);
    int rc = aws__rpc(c, "budgets", "DescribeSubscribersForNotification", b,
                      TSK_AWS_NOTFOUND, &r, d);
    cJSON_Delete(b);
    *out = aws__arr();
    if (rc == TSK_ENOTFOUND)
        rc = 0;
    const cJSON *subs = cJSON_GetObjectItemCaseSensitive(r, "Subscribers");
    size_t k = 0, cnt = (size_t)cJSON_GetArraySize(subs);
    const char **v = tsk_xcalloc(cnt + 1, sizeof(*v));
    for (const cJSON *s = subs ? subs->child : NULL; s && k < cnt;
         s = s->next) {
        const char *type = aws__jstr(s, "SubscriptionType");
        if (aws__jstr(s, "Address") && type && strcmp(type, "EMAIL") == 0)
            v[k++] = aws__jstr(s, "Address");
    }
    qsort(v, k, sizeof(*v), cmp_json_str);
    for (size_t i = 0; i < k; i++)
        cJSON_AddItemToArray(*out, cJSON_CreateString(v[i]));
    free(v);
    cJSON_Delete(r);
    return rc;
}

static int cmp_notif(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    double p = aws__jnum(x, "threshold", 0), q = aws__jnum(y, "threshold", 0);
    if (p != q)
        return p < q ? -1 : 1;
    const char *s = aws__jstr(x, "notification_type"),
               *t = aws__jstr(y, "notification_type");
    return strcmp(s ? s : "", t ? t : "");
}

static int notif_read(const struct tsk_rcall *c, const char *budget,
                      const cJSON *n, cJSON **out, struct tsk_diags *d)
{
    cJSON *o = aws__obj(), *em = NULL;
    aws__str(o, "comparison_operator", aws__jstr(n, "ComparisonOperator"));
    aws__str(o, "notification_type", aws__jstr(n, "NotificationType"));
    aws__num(o, "threshold", aws__jnum(n, "Threshold", 0));
    const char *tt = aws__jstr(n, "ThresholdType");
    aws__str(o, "threshold_type", tt ? tt : "PERCENTAGE");
    int rc = read_emails(c, budget, n, &em, d);
    cJSON_AddItemToObject(o, "subscriber_email_addresses", em);
    *out = o;
    return rc;
}

static cJSON *subscribers(const cJSON *n)
{
    cJSON *l = aws__arr();
    const cJSON *em =
        cJSON_GetObjectItemCaseSensitive(n, "subscriber_email_addresses");
    for (const cJSON *e = em ? em->child : NULL; e; e = e->next) {
        cJSON *s = aws__obj();
        aws__str(s, "SubscriptionType", "EMAIL");
        aws__str(s, "Address", cJSON_IsString(e) ? e->valuestring : "");
        cJSON_AddItemToArray(l, s);
    }
    return l;
}

static int budget_get(const struct tsk_rcall *c, const char *name, cJSON **out,
                      struct tsk_diags *d)
{
    cJSON *b = aws__obj(), *r = NULL, *nr = NULL;
    *out = NULL;
    aws__str(b, "AccountId", account(c));
    aws__str(b, "BudgetName", name);
    int rc =
        aws__rpc(c, "budgets", "DescribeBudget", b, TSK_AWS_NOTFOUND, &r, d);
    if (rc == 0)
        rc = aws__rpc(c, "budgets", "DescribeNotificationsForBudget", b,
                      TSK_AWS_NOTFOUND, &nr, d);
    cJSON_Delete(b);
    const cJSON *bu = cJSON_GetObjectItemCaseSensitive(r, "Budget");
    if (rc == 0 && bu) {
        cJSON *o = aws__obj();
        const cJSON *lim = cJSON_GetObjectItemCaseSensitive(bu, "BudgetLimit");
        aws__str(o, "name", aws__jstr(bu, "BudgetName"));
        aws__str(o, "budget_type", aws__jstr(bu, "BudgetType"));
        aws__num(o, "limit_amount", aws__jnum(lim, "Amount", 0));
        aws__str(o, "limit_unit", aws__jstr(lim, "Unit"));
        aws__str(o, "time_unit", aws__jstr(bu, "TimeUnit"));
        const cJSON *cf = cJSON_GetObjectItemCaseSensitive(bu, "CostFilters");
        if (cJSON_IsObject(cf) && cf->child)
            cJSON_AddItemToObject(o, "cost_filter", cJSON_Duplicate(cf, 1));
        const cJSON *ns = cJSON_GetObjectItemCaseSensitive(nr, "Notifications");
        int nn = cJSON_GetArraySize(ns), k = 0;
        if (nn > 0) {
            /* AWS keeps no order (a re-created notification comes last):
             * list them by threshold, as the lowering does */
            cJSON *l = aws__arr(), **v = tsk_xcalloc((size_t)nn, sizeof(*v));
            for (const cJSON *n = ns->child; n && rc == 0 && k < nn;
                 n = n->next)
                rc = notif_read(c, name, n, &v[k++], d);
            qsort(v, (size_t)k, sizeof(*v), cmp_notif);
            for (int i = 0; i < k; i++)
                cJSON_AddItemToArray(l, v[i]);
            free(v);
            cJSON_AddItemToObject(o, "notification", l);
        }
        char *id = tsk_xasprintf("%s:%s", account(c), name);
        aws__str(o, "id", id);
        free(id);
        if (rc == 0)
            *out = o;
        else
            cJSON_Delete(o);
    }
    cJSON_Delete(r);
    cJSON_Delete(nr);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static const char *name_of(const char *id)
{
    const char *colon = id ? strchr(id, ':') : NULL;
    return colon ? colon + 1 : id;
}

static int bg_read(const struct tsk_rcall *c, const char *id,
                   const cJSON *prior, cJSON **out, struct tsk_diags *d)
{
    (void)prior;
    *out = NULL;
    return id && *id ? budget_get(c, name_of(id), out, d) : 0;
}

static int bg_create(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                     cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    *out_id = NULL;
    *out = NULL;
    if (!name)
        return tsk_diag_error(d, NULL, "%s: no budget name", c->addr);
    cJSON *b = aws__obj(), *nl = aws__arr();
    aws__str(b, "AccountId", account(c));
    cJSON_AddItemToObject(b, "Budget", budget_body(p));
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(p, "notification");
    for (const cJSON *n = ns ? ns->child : NULL; n; n = n->next) {
        cJSON *x = aws__obj();
        cJSON_AddItemToObject(x, "Notification", notif_body(n));
        cJSON_AddItemToObject(x, "Subscribers", subscribers(n));
        cJSON_AddItemToArray(nl, x);
    }
    cJSON_AddItemToObject(b, "NotificationsWithSubscribers", nl);
    cJSON *t = aws__tags_send(c, p, NULL, NULL);
    cJSON_AddItemToObject(b, "ResourceTags", aws__tag_list(t, "Key", "Value"));
    cJSON_Delete(t);
    int rc = aws__rpc(c, "budgets", "CreateBudget", b, 0, NULL, d);
    cJSON_Delete(b);
    if (rc == 0)
        rc = budget_get(c, name, out, d);
    rc = aws__created(c, rc, out, "budget", name, d);
    if (rc == 0)
        *out_id = tsk_xasprintf("%s:%s", account(c), name);
    return rc;
}

static int same_notif(const cJSON *a, const cJSON *b)
{
    const char *k[] = {"comparison_operator", "notification_type",
                       "threshold_type"};
    for (size_t i = 0; i < 3; i++) {
        const char *x = aws__jstr(a, k[i]), *y = aws__jstr(b, k[i]);
        if (!x || !y || strcmp(x, y) != 0)
            return 0;
    }
    if (aws__jnum(a, "threshold", -1) != aws__jnum(b, "threshold", -2))
        return 0;
    const char *sk = "subscriber_email_addresses";
    cJSON *x = cJSON_GetObjectItemCaseSensitive(a, sk),
          *y = cJSON_GetObjectItemCaseSensitive(b, sk);
    if (!x || !y) /* state written before subscribers were read */
        return cJSON_GetArraySize(x) == cJSON_GetArraySize(y);
    return cJSON_Compare(x, y, 1);
}

static int in_list(const cJSON *list, const cJSON *n)
{
    for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
        if (same_notif(e, n))
            return 1;
    return 0;
}

static int notif_call(const struct tsk_rcall *c, const char *op,
                      const char *name, const cJSON *n, struct tsk_diags *d)
{
    cJSON *b = aws__obj();
    aws__str(b, "AccountId", account(c));
    aws__str(b, "BudgetName", name);
    cJSON_AddItemToObject(b, "Notification", notif_body(n));
    if (strcmp(op, "CreateNotification") == 0)
        cJSON_AddItemToObject(b, "Subscribers", subscribers(n));
    int rc = aws__rpc(c, "budgets", op, b, 0, NULL, d);
    cJSON_Delete(b);
    return rc;
}

static int bg_update(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, const cJSON *p, cJSON **out,
                     struct tsk_diags *d)
{
    const char *name = name_of(id);
    int rc = 0;
    *out = NULL;
    const char *keys[] = {"limit_amount", "limit_unit", "time_unit",
                          "cost_filter"};
    int changed = 0;
    for (size_t i = 0; i < 4; i++)
        changed |= aws__changed(prior, p, keys[i]);
    if (changed) {
        cJSON *b = aws__obj();
        aws__str(b, "AccountId", account(c));
        cJSON_AddItemToObject(b, "NewBudget", budget_body(p));
        rc = aws__rpc(c, "budgets", "UpdateBudget", b, 0, NULL, d);
        cJSON_Delete(b);
    }
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(prior, "notification");
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(p, "notification");
    for (const cJSON *n = old ? old->child : NULL; rc == 0 && n; n = n->next)
        if (!in_list(now, n))
            rc = notif_call(c, "DeleteNotification", name, n, d);
    for (const cJSON *n = now ? now->child : NULL; rc == 0 && n; n = n->next)
        if (!in_list(old, n))
            rc = notif_call(c, "CreateNotification", name, n, d);
    if (rc == 0)
        rc = budget_get(c, name, out, d);
    if (rc == 0 && !*out)
        rc = tsk_diag_error(d, NULL, "%s: budget %s no longer exists", c->addr,
                            name);
    return rc;
}

static int bg_delete(const struct tsk_rcall *c, const char *id,
                     const cJSON *prior, struct tsk_diags *d)
{
    (void)prior;
    if (!id || !*id)
        return 0;
    cJSON *b = aws__obj();
    aws__str(b, "AccountId", account(c));
    aws__str(b, "BudgetName", name_of(id));
    int rc =
        aws__rpc(c, "budgets", "DeleteBudget", b, TSK_AWS_NOTFOUND, NULL, d);
    cJSON_Delete(b);
    return rc == TSK_ENOTFOUND ? 0 : rc;
}

static int bg_find(const struct tsk_rcall *c, const cJSON *p, char **out_id,
                   cJSON **out, struct tsk_diags *d)
{
    const char *name = aws__jstr(p, "name");
    *out_id = NULL;
    *out = NULL;
    int rc = name ? budget_get(c, name, out, d) : 0;
    if (rc == 0 && *out)
        *out_id = tsk_xasprintf("%s:%s", account(c), name);
    return rc;
}

static const struct tsk_schema schema = {attrs, 0};
const struct tsk_resource_type aws_t_budget = {
    .name = "aws_budgets_budget",
    .schema = &schema,
    .read = bg_read,
    .create = bg_create,
    .update = bg_update,
    .delete = bg_delete,
    .find = bg_find,
    .import = NULL,
};

/*
 * model_monitor.c - [serverless_monitoring] (metrics that get alarms,
 * tracing, cost flags, budgets resolved to functions, with the addresses
 * their alerts go to) and [debug] (log
 * level mapped to DEBUG/INFO/WARN/ERROR, outputs).
 */
#include "model_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct tsk_table *sub(const struct tsk_value *v)
{
    return v && v->kind == TSK_V_TABLE ? v->u.tab : NULL;
}

/* AWS Budgets: at most 10 email subscribers per notification. */
#define MAX_ALERT_EMAILS 10

/* Checks an alert_emails list: plausible addresses, no duplicates, at most
 * MAX_ALERT_EMAILS; then copies it into out. */
static void alert_emails(struct tsk_model__ctx *c, const struct tsk_value *v,
                         struct tsk_model_strs *out)
{
    tsk_model__strs(c->m, v, out);
    if (out->n > MAX_ALERT_EMAILS)
        tsk_diag_error(c->d, &v->pos,
                       "alert_emails names %zu addresses; AWS Budgets "
                       "alerts at most %d per notification",
                       out->n, MAX_ALERT_EMAILS);
    for (size_t i = 0; i < out->n; i++) {
        const char *s = out->v[i], *at = strchr(s, '@');
        int ok = at && at > s && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
                 at[1] != '.' && s[strlen(s) - 1] != '.' && strlen(s) <= 254 &&
                 !strpbrk(s, " \t\r\n,;<>\"");
        if (!ok)
            tsk_diag_error(c->d, &out->pos[i],
                           "alert_emails: \"%s\" is not an email address "
                           "(expected name@example.com)",
                           s);
        for (size_t j = 0; ok && j < i; j++)
            if (strcasecmp(out->v[j], s) == 0)
                tsk_diag_error(c->d, &out->pos[i],
                               "alert_emails: \"%s\" is listed twice", s);
    }
}

static void budgets(struct tsk_model__ctx *c, const struct tsk_table *t,
                    const struct tsk_model_strs *dflt)
{
    const struct tsk_value *v[BU__N];
    for (size_t i = 0; t && i < t->n; i++) {
        const struct tsk_entry *e = &t->e[i];
        struct tsk_model__where w = {.path = "serverless_monitoring.budgets",
                                     .name = e->key};
        struct tsk_model_budget *b = TSK_ARRAY_PUSH(c->m->monitoring.budgets);
        b->name = e->key;
        b->pos = e->key_pos;
        const struct tsk_table *bt = tsk_model__table(&e->val, &w, c->d);
        if (!bt)
            continue;
        tsk_model__check(bt, &tsk_model__bu, &w, v, c->d);
        b->amount = tsk_model__num(v[BU_AMOUNT], 0);
        if (v[BU_EMAILS])
            alert_emails(c, v[BU_EMAILS], &b->alert_emails);
        else
            b->alert_emails = *dflt;
        if (!tsk_table_get(bt, "amount"))
            tsk_diag_error(c->d, &e->key_pos,
                           "budget \"%s\" has no amount "
                           "(USD per month)",
                           e->key);
        const char *fn = v[BU_FUNCTION] ? v[BU_FUNCTION]->u.str.s : e->key;
        if (!v[BU_FUNCTION] && tsk_table_get(bt, "function"))
            continue; /* a bad function value: reported */
        char *what = tsk_xasprintf("budget \"%s\"", e->key);
        b->function = tsk_model__resolve_function(
            c, fn, v[BU_FUNCTION] ? &v[BU_FUNCTION]->pos : &e->key_pos, what);
        free(what);
    }
}

static void tracing(struct tsk_model__ctx *c, const struct tsk_value *tv)
{
    const struct tsk_value *v[MT__N];
    struct tsk_model__where w = {.path = "serverless_monitoring",
                                 .name = "tracing"};
    tsk_model__check(sub(tv), &tsk_model__mt, &w, v, c->d);
    c->m->monitoring.tracing.provider = tsk_model__str(v[MT_PROVIDER]);
    c->m->monitoring.tracing.sampling_rate =
        tsk_model__num(v[MT_SAMPLING], 0.05);
    c->m->monitoring.tracing.trace_id_header = tsk_model__str(v[MT_HEADER]);
    /* X-Ray (the only tracing provider) reads its own header only */
    if (v[MT_HEADER] &&
        strcasecmp(v[MT_HEADER]->u.str.s, "X-Amzn-Trace-Id") != 0) {
        tsk_diag_error(c->d, &v[MT_HEADER]->pos,
                       "trace_id_header \"%s\" "
                       "cannot be used: X-Ray propagates the trace id in "
                       "X-Amzn-Trace-Id",
                       v[MT_HEADER]->u.str.s);
    }
    if (c->m->monitoring.distributed_tracing &&
        !c->m->monitoring.tracing.provider)
        c->m->monitoring.tracing.provider = "xray";
}

static void cost(struct tsk_model__ctx *c, const struct tsk_value *cv,
                 const struct tsk_value *bv)
{
    static const char *const paths[MC__N] = {
        "serverless_monitoring.cost.budget_alerts",
        "serverless_monitoring.cost.cost_optimization",
        "serverless_monitoring.cost.resource_rightsizing"};
    struct tsk_model *m = c->m;
    const struct tsk_value *v[MC__N];
    struct tsk_model__where w = {.path = "serverless_monitoring",
                                 .name = "cost"};
    tsk_model__check(sub(cv), &tsk_model__mc, &w, v, c->d);
    int on = m->monitoring.cost_monitoring;
    m->monitoring.cost.budget_alerts = on && tsk_model__bool(v[MC_ALERTS], 0);
    m->monitoring.cost.cost_optimization =
        on && tsk_model__bool(v[MC_OPTIMIZATION], 0);
    m->monitoring.cost.resource_rightsizing =
        on && tsk_model__bool(v[MC_RIGHTSIZING], 0);
    for (int i = MC_OPTIMIZATION; i <= MC_RIGHTSIZING; i++)
        if (on && tsk_model__bool(v[i], 0))
            tsk_model__add_advice(c, paths[i], tsk_model__mc.keys[i].meaning,
                                  &v[i]->pos);
    struct tsk_model_strs emails = {0};
    if (v[MC_EMAILS])
        alert_emails(c, v[MC_EMAILS], &emails);
    budgets(c, sub(bv), &emails);
    if (v[MC_EMAILS] && on && !m->monitoring.cost.budget_alerts)
        tsk_diag_warning(c->d, &v[MC_EMAILS]->pos,
                         "alert_emails has no effect: budget_alerts is off");
    size_t nb = m->monitoring.budgets.n;
    if (m->monitoring.cost.budget_alerts && nb == 0) {
        tsk_diag_warning(c->d, &v[MC_ALERTS]->pos,
                         "budget_alerts is on, but "
                         "no budget is defined: no alert will be sent");
        tsk_diag_detail(c->d, "add [serverless_monitoring.budgets] NAME = "
                              "{ amount = 50, function = \"NAME\" }");
    } else if (nb && !on && sub(bv)) {
        tsk_diag_warning(c->d, &sub(bv)->pos,
                         "cost_monitoring is off: the "
                         "%zu budget(s) below are not deployed",
                         nb);
    }
    if (!on)
        m->monitoring.budgets.n = 0;
}

void tsk_model__monitoring(struct tsk_model__ctx *c, const struct tsk_table *mo)
{
    const struct tsk_value *v[MO__N], *mm[MM__N];
    struct tsk_model *m = c->m;
    struct tsk_model__where w = {.path = "serverless_monitoring"};
    tsk_model__check(mo, &tsk_model__mo, &w, v, c->d);
    int on = mo && tsk_model__bool(v[MO_ENABLED], 1);
    m->monitoring.enabled = on;
    m->monitoring.metrics_collection =
        on && tsk_model__bool(v[MO_METRICS_COLLECTION], v[MO_METRICS] != NULL);
    m->monitoring.distributed_tracing =
        on && tsk_model__bool(v[MO_DISTRIBUTED_TRACING], v[MO_TRACING] != NULL);
    m->monitoring.cost_monitoring =
        on && tsk_model__bool(v[MO_COST_MONITORING],
                              v[MO_COST] != NULL || v[MO_BUDGETS] != NULL);
    w.name = "metrics";
    tsk_model__check(sub(v[MO_METRICS]), &tsk_model__mm, &w, mm, c->d);
    int mc = m->monitoring.metrics_collection;
    m->monitoring.metrics.invocation_count =
        mc && tsk_model__bool(mm[MM_INVOCATIONS], 0);
    m->monitoring.metrics.duration = mc && tsk_model__bool(mm[MM_DURATION], 0);
    m->monitoring.metrics.error_rate = mc && tsk_model__bool(mm[MM_ERRORS], 0);
    m->monitoring.metrics.memory_usage =
        mc && tsk_model__bool(mm[MM_MEMORY], 0);
    m->monitoring.metrics.cold_starts = mc && tsk_model__bool(mm[MM_COLD], 0);
    tracing(c, v[MO_TRACING]);
    cost(c, v[MO_COST], v[MO_BUDGETS]);
}

const char *tsk_model_log_level_name(enum tsk_model_log_level l)
{
    static const char *const names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    return (unsigned)l < 4 ? names[l] : "INFO";
}

static enum tsk_model_log_level level(const char *s)
{
    if (!s || strcasecmp(s, "info") == 0)
        return TSK_MODEL_LOG_INFO;
    if (strcasecmp(s, "verbose") == 0 || strcasecmp(s, "debug") == 0)
        return TSK_MODEL_LOG_DEBUG;
    if (strcasecmp(s, "error") == 0)
        return TSK_MODEL_LOG_ERROR;
    return TSK_MODEL_LOG_WARN; /* warn, warning: the checker allows no other */
}

void tsk_model__debug(struct tsk_model__ctx *c, const struct tsk_table *db)
{
    const struct tsk_value *v[DB__N], *o[DO__N];
    struct tsk_model__where w = {.path = "debug"};
    struct tsk_model *m = c->m;
    tsk_model__check(db, &tsk_model__db, &w, v, c->d);
    w.name = "output";
    tsk_model__check(sub(v[DB_OUTPUT]), &tsk_model__do, &w, o, c->d);
    int on = db && tsk_model__bool(v[DB_ENABLED], 1);
    m->debug.enabled = on;
    m->debug.log_level_name = tsk_model__str(v[DB_LOG_LEVEL]);
    m->debug.log_level =
        on ? level(m->debug.log_level_name) : TSK_MODEL_LOG_INFO;
    m->debug.trace_invocations = on && tsk_model__bool(v[DB_TRACE], 0);
    m->debug.console = tsk_model__bool(o[DO_CONSOLE], 1);
    m->debug.cloudwatch = tsk_model__bool(o[DO_CLOUDWATCH], 1);
}

/*
 * lower.c - lowering the serverless model to local_* resource nodes, in the
 * spirit of the AWS table of the design (§3):
 *
 *   function               local_function.KEY
 *   http event             local_api.SERVICE (one per stack; "api" without
 *                          a service) + local_trigger.KEY_SOURCE (a route)
 *   s3/dynamodb/kinesis    local_trigger.KEY_SOURCE
 *   sqs event              local_queue.QUEUE (unless an ARN) +
 *                          local_trigger.KEY_SOURCE
 *   schedule event         local_schedule.KEY_SOURCE
 *   pre-warming            local_schedule.KEY_warmup, input {"warmup":true}
 *   event rules            local_event_rule.RULE, local_event_target.RULE_KEY
 *                          (retry policy, dead-letter queue local_queue.DLQ)
 *   provisioned concurrency local_alias.KEY + local_provisioned_concurrency.KEY
 *   alarms                 local_alarm.KEY_errors/_throttles/_duration
 *   budgets                local_budget.NAME
 *
 * Names in addresses are the configuration's keys with any character other
 * than letters, digits, '_' and '-' replaced by '_'. Node insertion follows
 * the model's order, which is the configuration's, so the same model gives
 * the same graph.
 */
#include "providers/local/lower.h"

#include <stdlib.h>
#include <string.h>

#include "planner/graph.h"
#include "planner/model.h"
#include "planner/srcfs.h"

static int name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Copies the n bytes of s to dst, replacing characters outside
 * [A-Za-z0-9_-] by '_'; returns dst + n. */
static char *put_name(char *dst, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = name_char_ok(s[i]) ? s[i] : '_';
    return dst + n;
}

/* prefix + NAME (see tsk_local__name) into buf, else a new string. */
static char *name_into(char *buf, size_t cap, const char *prefix, const char *a,
                       const char *b)
{
    size_t pl = prefix ? strlen(prefix) : 0, al = a ? strlen(a) : 0;
    size_t bl = b ? strlen(b) : 0;
    size_t len = pl + al + (b ? bl + 1 : 0);
    char *s = len < cap ? buf : tsk_xmalloc(len + 1), *p = s;
    if (pl)
        memcpy(p, prefix, pl);
    p = put_name(p + pl, a ? a : "", al);
    if (b) {
        *p++ = '_';
        p = put_name(p, b, bl);
    }
    *p = '\0';
    return s;
}

char *tsk_local__name(const char *a, const char *b)
{
    return name_into(NULL, 0, NULL, a, b);
}

char *tsk_local__addr(char *buf, size_t cap, const char *type, const char *a,
                      const char *b)
{
    size_t tl = strlen(type);
    char pre[64];
    if (tl + 2 > sizeof(pre)) {
        char *p = tsk_xmalloc(tl + 2);
        memcpy(p, type, tl);
        memcpy(p + tl, ".", 2);
        char *r = name_into(NULL, 0, p, a, b);
        free(p);
        return r;
    }
    memcpy(pre, type, tl);
    memcpy(pre + tl, ".", 2);
    return name_into(buf, cap, pre, a, b);
}

uint32_t tsk_local__add(struct tsk_local_lower *L, const char *type,
                        const char *a, const char *b, cJSON *attrs,
                        const struct tsk_pos *pos, const char *fkey)
{
    char buf[256];
    char *name = name_into(buf, sizeof(buf), NULL, a, b);
    uint32_t n = tsk_graph_add(L->g, type, name, attrs, pos, L->d);
    if (name != buf)
        free(name);
    if (n != UINT32_MAX && fkey)
        tsk_graph_set_function(L->g, n, fkey);
    return n;
}

cJSON *tsk_local__obj(void)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        abort();
    return o;
}

/* Adds v under the constant key k: the key is not copied (nor by
 * cJSON_Duplicate), which saves an allocation per attribute. */
static void add_cs(cJSON *o, const char *k, cJSON *v)
{
    if (!v || !cJSON_AddItemToObjectCS(o, k, v))
        abort();
}

void tsk_local__str(cJSON *o, const char *k, const char *v)
{
    if (v)
        add_cs(o, k, cJSON_CreateString(v));
}

void tsk_local__num(cJSON *o, const char *k, double v)
{
    add_cs(o, k, cJSON_CreateNumber(v));
}

void tsk_local__bool(cJSON *o, const char *k, int v)
{
    add_cs(o, k, cJSON_CreateBool(v));
}

/* A string item holding s as it is: a reference (not freed with the
 * item) or, with own, a string the item frees (cJSON's deallocator is
 * free: the project sets no hooks). */
static cJSON *str_item(char *s, int own)
{
    cJSON *v = cJSON_CreateNull();
    if (!v)
        abort();
    v->type = own ? cJSON_String : cJSON_String | cJSON_IsReference;
    v->valuestring = s;
    return v;
}

void tsk_local__lit(cJSON *o, const char *k, const char *v)
{
    if (v)
        add_cs(o, k, str_item((char *)v, 0));
}

void tsk_local__cat(cJSON *o, const char *k, const char *a, const char *sep,
                    const char *b)
{
    size_t al = strlen(a), sl = strlen(sep), bl = b ? strlen(b) : 0;
    char *s = tsk_xmalloc(al + sl + bl + 1);
    memcpy(s, a, al);
    memcpy(s + al, sep, sl);
    if (bl)
        memcpy(s + al + sl, b, bl);
    s[al + sl + bl] = '\0';
    add_cs(o, k, str_item(s, 1));
}

cJSON *tsk_local__strs(const struct tsk_model_strs *s)
{
    cJSON *a = cJSON_CreateArray();
    if (!a)
        abort();
    for (size_t i = 0; i < s->n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(s->v[i]));
    return a;
}

/* A stack-prefixed cloud name, as functions are named: SERVICE-KEY. */
char *tsk_local__cloud_name(const struct tsk_model *m, const char *key)
{
    return m->service ? tsk_xasprintf("%s-%s", m->service, key)
                      : tsk_xstrdup(key);
}

static cJSON *kv_map(const struct tsk_model_kv *kv, size_t n)
{
    cJSON *o = tsk_local__obj();
    for (size_t i = 0; i < n; i++) {
        /* a later entry with the same key wins (service, then function) */
        cJSON_DeleteItemFromObjectCaseSensitive(o, kv[i].key);
        if (kv[i].value && !cJSON_AddStringToObject(o, kv[i].key, kv[i].value))
            abort(); /* the model's key: copied */
    }
    return o;
}

/* The cap on concurrent instances: the function's own reserved
 * concurrency, else keep_warm's max_instances; -1 for none. */
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

/* source as written, and the hash of the code it names, so that a code
 * change plans an update. */
static void add_source(struct tsk_local_lower *L,
                       const struct tsk_model_function *f, cJSON *a)
{
    char sum[65];
    const char *path = f->source_path ? f->source_path : f->source;
    if (!f->source)
        return;
    tsk_local__str(a, "source", f->source);
    int rc = tsk_local__source_hash_in(L->m->srcfs, path, sum);
    if (rc != 0) {
        char *shown = tsk_srcfs_display(L->m->srcfs, path);
        tsk_diag_error(L->d, &f->source_pos,
                       "cannot read the code of "
                       "\"%s\" at %s: %s",
                       f->key, shown, strerror(rc));
        free(shown);
        return;
    }
    tsk_local__str(a, "source_code_hash", sum);
}

static void add_function(struct tsk_local_lower *L, size_t i)
{
    const struct tsk_model *m = L->m;
    const struct tsk_model_function *f = &m->functions.v[i];
    cJSON *a = tsk_local__obj();
    tsk_local__str(a, "name", f->name);
    tsk_local__str(a, "handler", f->handler);
    tsk_local__str(a, "runtime", f->runtime);
    tsk_local__num(a, "memory_size", (double)f->memory_size);
    tsk_local__num(a, "timeout", (double)f->timeout);
    if (f->n_env)
        cJSON_AddItemToObjectCS(a, "environment", kv_map(f->env, f->n_env));
    tsk_local__lit(a, "architecture",
                   f->architecture == TSK_MODEL_ARCH_ARM64 ? "arm64"
                                                           : "x86_64");
    add_source(L, f, a);
    if (f->layers.n)
        cJSON_AddItemToObjectCS(a, "layers", tsk_local__strs(&f->layers));
    tsk_local__str(a, "role", f->role);
    int64_t cap = concurrency_cap(f);
    if (cap >= 0)
        tsk_local__num(a, "reserved_concurrency", (double)cap);
    if (tracing_on(m)) {
        tsk_local__lit(a, "tracing", "Active");
        if (m->monitoring.enabled && m->monitoring.distributed_tracing)
            tsk_local__num(a, "tracing_sampling_rate",
                           m->monitoring.tracing.sampling_rate);
    }
    if (m->debug.enabled)
        tsk_local__lit(a, "log_level",
                       tsk_model_log_level_name(m->debug.log_level));
    if (f->n_tags)
        cJSON_AddItemToObjectCS(a, "tags", kv_map(f->tags, f->n_tags));

    uint32_t n =
        tsk_local__add(L, "local_function", f->key, NULL, a, &f->pos, f->key);
    L->fn[i] = n;
    for (size_t k = 0; n != UINT32_MAX && k < f->n_env; k++) {
        if (!f->env[k].sensitive)
            continue;
        char buf[256];
        size_t kl = strlen(f->env[k].key);
        char *path = kl + 13 <= sizeof(buf) ? buf : tsk_xmalloc(kl + 13);
        memcpy(path, "environment.", 12);
        memcpy(path + 12, f->env[k].key, kl + 1);
        tsk_graph_sensitive(L->g, n, path);
        if (path != buf)
            free(path);
    }
}

/* "rate(5 minutes)" for an interval in seconds. */
char *tsk_local__rate(int64_t s)
{
    static const struct {
        int64_t unit;
        const char *one, *many;
    } units[] = {{86400, "day", "days"},
                 {3600, "hour", "hours"},
                 {60, "minute", "minutes"},
                 {1, "second", "seconds"}};
    if (s <= 0)
        s = 1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (s % units[i].unit)
            continue;
        int64_t n = s / units[i].unit;
        return tsk_xasprintf("rate(%lld %s)", (long long)n,
                             n == 1 ? units[i].one : units[i].many);
    }
    return tsk_xasprintf("rate(%lld seconds)", (long long)s);
}

static void add_warmup(struct tsk_local_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    if (!f->pre_warming.on || L->fn[i] == UINT32_MAX)
        return;
    cJSON *a = tsk_local__obj(), *input = tsk_local__obj();
    char *rate = tsk_local__rate(f->pre_warming.interval);
    tsk_local__cat(a, "name", f->name, "-warmup", NULL);
    tsk_local__str(a, "schedule_expression", rate);
    tsk_local__bool(input, "warmup", 1);
    cJSON_AddItemToObjectCS(a, "input", input);
    tsk_local__num(a, "concurrency",
                   (double)(f->pre_warming.concurrency > 0
                                ? f->pre_warming.concurrency
                                : 1));
    free(rate);
    uint32_t n = tsk_local__add(L, "local_schedule", f->key, "warmup", a,
                                &f->pos, f->key);
    tsk_graph_ref(L->g, n, "function_arn", L->fn[i], "arn");
}

static void add_provisioned(struct tsk_local_lower *L, size_t i)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    if (!f->provisioned.on || f->provisioned.concurrency <= 0 ||
        L->fn[i] == UINT32_MAX)
        return;
    cJSON *a = tsk_local__obj();
    tsk_local__lit(a, "name", "live");
    uint32_t al =
        tsk_local__add(L, "local_alias", f->key, NULL, a, &f->pos, f->key);
    tsk_graph_ref(L->g, al, "function_arn", L->fn[i], "arn");
    if (al == UINT32_MAX)
        return;
    a = tsk_local__obj();
    tsk_local__num(a, "concurrency", (double)f->provisioned.concurrency);
    tsk_local__bool(a, "auto_scaling", f->provisioned.auto_scaling);
    uint32_t pc = tsk_local__add(L, "local_provisioned_concurrency", f->key,
                                 NULL, a, &f->pos, f->key);
    tsk_graph_ref(L->g, pc, "alias_arn", al, "arn");
}

static void add_alarm(struct tsk_local_lower *L, size_t i, const char *what,
                      const char *metric, const char *statistic,
                      double threshold)
{
    const struct tsk_model_function *f = &L->m->functions.v[i];
    cJSON *a = tsk_local__obj();
    tsk_local__cat(a, "name", f->name, "-", what);
    tsk_local__lit(a, "metric", metric);
    tsk_local__lit(a, "statistic", statistic);
    tsk_local__lit(a, "comparison", "GreaterThanOrEqualToThreshold");
    tsk_local__num(a, "threshold", threshold);
    tsk_local__num(a, "period", 300);
    tsk_local__num(a, "evaluation_periods", 1);
    uint32_t n =
        tsk_local__add(L, "local_alarm", f->key, what, a, &f->pos, f->key);
    tsk_graph_ref(L->g, n, "function_arn", L->fn[i], "arn");
}

/* error_rate: any error or throttle in 5 minutes; duration: the longest
 * invocation reached 80 % of the timeout (milliseconds). */
static void add_alarms(struct tsk_local_lower *L, size_t i)
{
    const struct tsk_model *m = L->m;
    const struct tsk_model_function *f = &m->functions.v[i];
    if (!m->monitoring.enabled || !m->monitoring.metrics_collection ||
        L->fn[i] == UINT32_MAX)
        return;
    if (m->monitoring.metrics.error_rate) {
        add_alarm(L, i, "errors", "Errors", "Sum", 1);
        add_alarm(L, i, "throttles", "Throttles", "Sum", 1);
    }
    if (m->monitoring.metrics.duration)
        add_alarm(L, i, "duration", "Duration", "Maximum",
                  (double)f->timeout * 1000.0 * 0.8);
}

static void add_budgets(struct tsk_local_lower *L)
{
    const struct tsk_model *m = L->m;
    if (!m->monitoring.enabled || !m->monitoring.cost_monitoring)
        return;
    for (size_t i = 0; i < m->monitoring.budgets.n; i++) {
        const struct tsk_model_budget *b = &m->monitoring.budgets.v[i];
        const struct tsk_model_function *f = b->function;
        cJSON *a = tsk_local__obj();
        if (m->service)
            tsk_local__cat(a, "name", m->service, "-", b->name);
        else
            tsk_local__str(a, "name", b->name);
        tsk_local__num(a, "amount", b->amount);
        tsk_local__lit(a, "time_unit", "MONTHLY");
        if (m->monitoring.cost.budget_alerts) {
            cJSON *at = cJSON_CreateArray();
            cJSON_AddItemToArray(at, cJSON_CreateNumber(80));
            cJSON_AddItemToArray(at, cJSON_CreateNumber(100));
            cJSON_AddItemToObjectCS(a, "notify_at", at);
        }
        uint32_t n = tsk_local__add(L, "local_budget", b->name, NULL, a,
                                    &b->pos, f ? f->key : NULL);
        if (f)
            tsk_graph_ref(L->g, n, "function_arn", L->fn[f - m->functions.v],
                          "arn");
    }
}

size_t tsk_local__count(const struct tsk_model *m)
{
    size_t n = 1; /* the stack's API */
    int alarms = 0;
    if (m->monitoring.enabled && m->monitoring.metrics_collection)
        alarms = 2 * !!m->monitoring.metrics.error_rate +
                 !!m->monitoring.metrics.duration;
    for (size_t i = 0; i < m->functions.n; i++) {
        const struct tsk_model_function *f = &m->functions.v[i];
        n += 1 + (size_t)alarms + f->n_events;
        for (size_t k = 0; k < f->n_events; k++)
            n += f->events[k]->kind == TSK_MODEL_EV_SQS; /* its queue */
        n += f->pre_warming.on ? 1 : 0;
        n += f->provisioned.on ? 2 : 0;
    }
    if (m->events.enabled) {
        n += 1 + m->events.rules.n;
        for (size_t i = 0; i < m->events.rules.n; i++)
            n += m->events.rules.v[i].n_targets;
    }
    if (m->monitoring.enabled && m->monitoring.cost_monitoring)
        n += m->monitoring.budgets.n;
    return n;
}

int tsk_local_lower(const struct tsk_model *m, struct tsk_graph *g,
                    struct tsk_diags *d)
{
    tsk_graph_reserve(g, g->nodes.n + tsk_local__count(m));
    struct tsk_local_lower L = {
        .m = m, .g = g, .d = d, .api = UINT32_MAX, .dlq = UINT32_MAX};
    int nerr0 = d->nerr;
    L.fn = tsk_xmalloc((m->functions.n + 1) * sizeof(*L.fn));
    for (size_t i = 0; i < m->functions.n; i++)
        add_function(&L, i);
    for (size_t i = 0; i < m->functions.n; i++) {
        if (L.fn[i] == UINT32_MAX)
            continue;
        tsk_local__events(&L, i);
        add_warmup(&L, i);
        add_provisioned(&L, i);
        add_alarms(&L, i);
    }
    tsk_local__rules(&L);
    add_budgets(&L);
    free(L.fn);
    return d->nerr > nerr0 ? TSK_ERROR : 0;
}

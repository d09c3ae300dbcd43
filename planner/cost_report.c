/* cost_report.c - the plan's cost object: before/after, budgets, advice. */
#include "cost_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/jsonw.h"
#include "planner/model.h"

/*
 * Members under constant keys: the keys are not copied (nor by
 * cJSON_Duplicate), which matters for a report on thousands of functions.
 */
static void add_cs(cJSON *o, const char *k, cJSON *v)
{
    if (v && !cJSON_AddItemToObjectCS(o, k, v))
        cJSON_Delete(v);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        add_cs(o, k, cJSON_CreateString(v));
}

static void add_num(cJSON *o, const char *k, double v)
{
    add_cs(o, k, cJSON_CreateNumber(v));
}

static void add_bool(cJSON *o, const char *k, int v)
{
    add_cs(o, k, cJSON_CreateBool(v));
}

static cJSON *add_arr(cJSON *o, const char *k)
{
    cJSON *a = cJSON_CreateArray();
    if (a && !cJSON_AddItemToObjectCS(o, k, a)) {
        cJSON_Delete(a);
        a = NULL;
    }
    return a;
}

/*
 * The components of a function, printed once as the raw JSON text that
 * cJSON would print for them (planner/jsonw.h): ten thousand functions'
 * components are not ten thousand little trees, and every output that
 * prints the cost object prints the same bytes.
 */
struct comps_out {
    struct tsk_jsonw w;
    struct tsk_buf text;
};

static int comps_sink(void *ctx, const char *p, size_t n)
{
    tsk_buf_add(ctx, p, n);
    return 0;
}

static cJSON *components(struct comps_out *co, const struct tsk_cost_fn *fn)
{
    struct tsk_jsonw *w = &co->w;
    tsk_jsonw_lit(w, "[");
    for (size_t i = 0; fn && i < fn->lines.n; i++) {
        const struct tsk_cost_line *l = &fn->lines.v[i];
        if (i)
            tsk_jsonw_lit(w, ",");
        tsk_jsonw_lit(w, "{\"component\":");
        tsk_jsonw_str(w, l->component);
        tsk_jsonw_lit(w, ",\"quantity\":");
        tsk_jsonw_num(w, l->quantity);
        tsk_jsonw_lit(w, ",\"unit\":");
        tsk_jsonw_str(w, l->unit);
        tsk_jsonw_lit(w, ",\"unit_price\":");
        tsk_jsonw_num(w, l->unit_price);
        tsk_jsonw_lit(w, ",\"monthly\":");
        tsk_jsonw_num(w, l->monthly);
        tsk_jsonw_lit(w, "}");
    }
    tsk_jsonw_lit(w, "]");
    tsk_jsonw_flush(w);
    cJSON *raw = cJSON_CreateRaw(co->text.ptr);
    tsk_buf_reset(&co->text);
    return raw;
}

static cJSON *fn_json(struct comps_out *co, const char *name,
                      const struct tsk_cost_fn *before,
                      const struct tsk_cost_fn *after)
{
    cJSON *o = cJSON_CreateObject();
    double b = before ? before->monthly : 0.0, a = after ? after->monthly : 0.0;
    const struct tsk_cost_fn *shown = after ? after : before;
    add_str(o, "function", name);
    add_num(o, "monthly_before", b);
    add_num(o, "monthly_after", a);
    add_num(o, "monthly_diff", a - b);
    add_bool(o, "depends_on_usage", shown->depends_on_usage);
    add_cs(o, "components", components(co, after));
    return o;
}

static void add_budgets(cJSON *cost, const struct tsk_model *m,
                        const struct tsk_cost_estimate *after,
                        const struct tsk_cost_opts *o, struct tsk_diags *d)
{
    cJSON *arr = add_arr(cost, "budgets");
    for (size_t i = 0; i < m->monitoring.budgets.n; i++) {
        const struct tsk_model_budget *b = &m->monitoring.budgets.v[i];
        const struct tsk_cost_fn *fn =
            b->function ? tsk_cost_find(after, b->function->key) : NULL;
        double est = fn ? fn->monthly : 0.0;
        int over = fn && est > b->amount;
        cJSON *j = cJSON_CreateObject();
        add_str(j, "name", b->name);
        if (b->function)
            add_str(j, "function", b->function->key);
        add_num(j, "amount", b->amount);
        add_num(j, "estimate", est);
        add_bool(j, "depends_on_usage", fn && fn->depends_on_usage);
        add_bool(j, "exceeded", over);
        cJSON_AddItemToArray(arr, j);
        if (!over)
            continue;
        struct tsk_buf msg = TSK_BUF_INIT, amt = TSK_BUF_INIT;
        tsk_cost_money(&msg, est);
        tsk_cost_money(&amt, b->amount);
        if (o->budget_fail)
            tsk_diag_error(d, &b->pos, "budget %s: the monthly estimate %s "
                           "of function %s exceeds its amount %s", b->name,
                           msg.ptr, b->function->key, amt.ptr);
        else
            tsk_diag_warning(d, &b->pos, "budget %s: the monthly estimate "
                             "%s of function %s exceeds its amount %s",
                             b->name, msg.ptr, b->function->key, amt.ptr);
        tsk_diag_detail(d, "-budget-policy=fail makes plan and apply fail "
                        "when a budget is exceeded.");
        tsk_buf_release(&msg);
        tsk_buf_release(&amt);
    }
}

/* A count with thousands separators: "26,280,000". */
static const char *count(char *buf, size_t size, double v)
{
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%.0f", v < 0 ? 0 : v);
    size_t k = 0;
    for (int i = 0; i < n && k + 2 < size; i++) {
        buf[k++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i < n - 1)
            buf[k++] = ',';
    }
    buf[k] = '\0';
    return buf;
}

static void advise(cJSON *arr, const char *fn, const char *kind,
                   struct tsk_buf *msg)
{
    cJSON *a = cJSON_CreateObject();
    add_str(a, "function", fn);
    add_str(a, "kind", kind);
    add_str(a, "message", msg->ptr);
    cJSON_AddItemToArray(arr, a);
    tsk_buf_reset(msg);
}

/*
 * Provisioned concurrency against warm-up pings. Capacity costs
 * units x GB x 2,628,000 s x rate_pc; invocations on it save
 * (rate_dur - rate_pc_dur) per GB-s, so it pays for itself from
 * units x 2,628,000 x rate_pc / (avg_s x (rate_dur - rate_pc_dur))
 * invocations a month (the break-even rate).
 */
/* The unit prices advice needs, per architecture (0 x86_64, 1 arm64). */
struct advice_rates {
    double pc[2], dur[2], pcd[2], req[2];
};

static void advice_rates(struct advice_rates *ar,
                         const struct tsk_price_table *pt, const char *region)
{
    for (int a = 0; a < 2; a++) {
        ar->pc[a] = tsk_prices_unit(pt, region, a, "provisioned_concurrency");
        ar->dur[a] = tsk_prices_unit(pt, region, a, "duration");
        ar->pcd[a] = tsk_prices_unit(pt, region, a, "provisioned_duration");
        ar->req[a] = tsk_prices_unit(pt, region, a, "requests");
    }
}

static void advise_warmth(cJSON *arr, const struct advice_rates *ar,
                          const struct tsk_model_function *f)
{
    int arm = f->architecture == TSK_MODEL_ARCH_ARM64;
    double gb = (double)f->memory_size / 1024.0;
    double r_pc = ar->pc[arm];
    double r_dur = ar->dur[arm];
    double r_pcd = ar->pcd[arm];
    double r_req = ar->req[arm];
    double units = (double)f->provisioned.concurrency;
    double capacity = units * gb * TSK_COST_MONTH_SECONDS * r_pc;
    double pings = TSK_COST_MONTH_SECONDS / 300.0 * units;
    double ping_cost = pings * (r_req + TSK_COST_PING_MS / 1000.0 * gb * r_dur);
    struct tsk_buf m = TSK_BUF_INIT, a = TSK_BUF_INIT, b = TSK_BUF_INIT;

    tsk_cost_money(&a, capacity);
    tsk_cost_money(&b, ping_cost);
    if (!f->expected.set || f->expected.avg_duration_ms <= 0) {
        tsk_buf_addf(&m, "provisioned concurrency (%.0f) costs %s a month "
                     "with no traffic; warm-up pings every 5 minutes for %.0f "
                     "instance(s) would cost %s. Declare expected = { "
                     "monthly_invocations, avg_duration_ms } for a "
                     "break-even figure.", units, a.ptr, units, b.ptr);
        advise(arr, f->key, "provisioned_vs_warmup", &m);
        goto done;
    }
    double avg_s = f->expected.avg_duration_ms / 1000.0;
    double breakeven = units * TSK_COST_MONTH_SECONDS * r_pc /
                       (avg_s * (r_dur - r_pcd));
    double inv = (double)f->expected.monthly_invocations;
    double saving = fmin(inv * avg_s, units * TSK_COST_MONTH_SECONDS) * gb *
                    (r_dur - r_pcd);
    double net = capacity - saving;
    tsk_buf_reset(&a);
    tsk_cost_money(&a, net);
    char c1[40], c2[40];
    if (inv < breakeven)
        tsk_buf_addf(&m, "provisioned concurrency (%.0f) adds %s a month at "
                     "the declared %s invocations; warm-up pings would cost "
                     "%s. It pays for itself from %s invocations a month "
                     "(%.0f ms each).", units, a.ptr,
                     count(c1, sizeof(c1), inv), b.ptr,
                     count(c2, sizeof(c2), breakeven),
                     f->expected.avg_duration_ms);
    else
        tsk_buf_addf(&m, "provisioned concurrency (%.0f) is cheaper than "
                     "on-demand at the declared %s invocations (break-even "
                     "%s a month, %.0f ms each).", units,
                     count(c1, sizeof(c1), inv),
                     count(c2, sizeof(c2), breakeven),
                     f->expected.avg_duration_ms);
    advise(arr, f->key, "provisioned_vs_warmup", &m);
done:
    tsk_buf_release(&m);
    tsk_buf_release(&a);
    tsk_buf_release(&b);
}

/* Memory far above the duration profile: a short function (<= 100 ms)
 * with 2 GB or more is likely not CPU-bound enough to need it. */
static void advise_memory(cJSON *arr, const struct tsk_model_function *f)
{
    if (!f->expected.set || f->expected.avg_duration_ms > 100 ||
        f->memory_size < 2048)
        return;
    struct tsk_buf m = TSK_BUF_INIT;
    tsk_buf_addf(&m, "memory_size %lld MB is far above a %.0f ms duration "
                 "profile: measure with 512 or 1024 MB, which would cost "
                 "%.0f%% or %.0f%% of the duration charge if the duration "
                 "stayed the same.", (long long)f->memory_size,
                 f->expected.avg_duration_ms,
                 512.0 * 100 / (double)f->memory_size,
                 1024.0 * 100 / (double)f->memory_size);
    advise(arr, f->key, "memory", &m);
    tsk_buf_release(&m);
}

static void add_advice(cJSON *cost, const struct tsk_model *m,
                       const struct tsk_price_table *pt, const char *region)
{
    cJSON *arr = add_arr(cost, "advice");
    struct advice_rates ar;
    advice_rates(&ar, pt, region);
    for (size_t i = 0; i < m->functions.n; i++) {
        const struct tsk_model_function *f = &m->functions.v[i];
        if (f->provisioned.on && f->provisioned.concurrency > 0)
            advise_warmth(arr, &ar, f);
        advise_memory(arr, f);
    }
}

cJSON *tsk_cost_report(const struct tsk_model *m,
                       const struct tsk_object *prior, size_t nprior,
                       const struct tsk_cost_opts *o, struct tsk_diags *d)
{
    struct tsk_price_table *pt = NULL;
    struct tsk_cost_input *ain = NULL, *bin = NULL;
    struct tsk_cost_estimate after, before;
    size_t an = 0, bn = 0;

    if (tsk_prices_load(&pt, d) < 0)
        return NULL;
    if (!o->destroy)
        tsk_cost_inputs_from_model(m, &ain, &an);
    tsk_cost_inputs_from_objects(prior, nprior, m, &bin, &bn);
    tsk_cost_estimate(&after, pt, m->region, ain, an, o->free_tier, d);
    tsk_cost_estimate(&before, pt, m->region, bin, bn, o->free_tier, d);

    cJSON *cost = cJSON_CreateObject();
    add_str(cost, "currency", "USD");
    add_str(cost, "region", after.region);
    add_str(cost, "prices_date", after.price_date);
    add_bool(cost, "free_tier", o->free_tier);
    if (after.note)
        add_str(cost, "note", after.note);
    add_num(cost, "monthly_before", before.total);
    add_num(cost, "monthly_after", after.total);
    add_num(cost, "monthly_diff", after.total - before.total);
    int usage = 0;
    struct comps_out co = {.text = TSK_BUF_INIT};
    tsk_jsonw_init(&co.w, 4096, comps_sink, &co.text);
    cJSON *fns = add_arr(cost, "functions");
    for (size_t i = 0; i < after.fns.n; i++) {
        const struct tsk_cost_fn *a = &after.fns.v[i];
        usage |= a->depends_on_usage;
        cJSON_AddItemToArray(fns, fn_json(&co, a->function,
                                          tsk_cost_find(&before, a->function),
                                          a));
    }
    for (size_t i = 0; i < before.fns.n; i++) /* functions being removed */
        if (!tsk_cost_find(&after, before.fns.v[i].function))
            cJSON_AddItemToArray(fns, fn_json(&co, before.fns.v[i].function,
                                              &before.fns.v[i], NULL));
    tsk_jsonw_finish(&co.w);
    tsk_buf_release(&co.text);
    add_bool(cost, "depends_on_usage", usage);
    if (!o->destroy) {
        add_budgets(cost, m, &after, o, d);
        add_advice(cost, m, pt, after.region);
    }

    tsk_cost_estimate_release(&after);
    tsk_cost_estimate_release(&before);
    free(ain);
    free(bin);
    tsk_prices_free(pt);
    return cost;
}

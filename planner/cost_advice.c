/* cost_advice.c - right-sizing advice in the cost object: provisioned
 * concurrency against warm-up pings, memory far above the duration. */
#include "cost_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "planner/cost_report.h"
#include "planner/model.h"

/* The advice array being written: the first items (those plans show) are
 * objects, the rest go into a run. */
struct advice_out {
    cJSON *arr;
    int n;
    struct tsk_cost__run run;
    struct tsk_buf msg; /* the message being written, reused */
};

static void add_cs(cJSON *o, const char *k, const char *v)
{
    cJSON *s = cJSON_CreateString(v);
    if (s && !cJSON_AddItemToObjectCS(o, k, s))
        cJSON_Delete(s);
}

/* Adds the advice in ao->msg and empties it. */
static void advise(struct advice_out *ao, const char *fn, const char *kind)
{
    if (ao->n++ < TSK_COST__ADVICE_SHOWN) {
        cJSON *a = cJSON_CreateObject();
        add_cs(a, "function", fn);
        add_cs(a, "kind", kind);
        add_cs(a, "message", ao->msg.ptr);
        cJSON_AddItemToArray(ao->arr, a);
    } else {
        struct tsk_jsonw *w = tsk_cost__run_next(&ao->run, fn);
        tsk_jsonw_lit(w, "{\"function\":");
        tsk_jsonw_str(w, fn);
        tsk_jsonw_lit(w, ",\"kind\":");
        tsk_jsonw_str(w, kind);
        tsk_jsonw_lit(w, ",\"message\":");
        tsk_jsonw_str(w, ao->msg.ptr);
        tsk_jsonw_lit(w, "}");
    }
    tsk_buf_reset(&ao->msg);
}

/* v as "%.0f" prints it, into d, without printf (advice is written per
 * function): the nearest whole number, ties to even, "-0" kept. Returns
 * the length. */
static int fixed0(char d[48], double v)
{
    if (!(fabs(v) < 1e15)) { /* large, infinite or NaN: printf's own */
        int n = snprintf(d, 48, "%.0f", v);
        return n < 0 ? 0 : n > 47 ? 47 : n;
    }
    double r = nearbyint(v);
    int n = 0;
    if (signbit(r))
        d[n++] = '-';
    return n + tsk_jsonw_lld(d + n, (long long)fabs(r));
}

static void add0(struct tsk_buf *b, double v)
{
    char d[48];
    tsk_buf_add(b, d, (size_t)fixed0(d, v));
}

/* A count with thousands separators: "26,280,000". */
static void add_count(struct tsk_buf *b, double v)
{
    char digits[48], d[72];
    int n = fixed0(digits, v < 0 ? 0 : v), k = 0;
    for (int i = 0; i < n; i++) {
        d[k++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i < n - 1)
            d[k++] = ',';
    }
    tsk_buf_add(b, d, (size_t)k);
}

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

/*
 * Provisioned concurrency against warm-up pings. Capacity costs
 * units x GB x 2,628,000 s x rate_pc; invocations on it save
 * (rate_dur - rate_pc_dur) per GB-s, so it pays for itself from
 * units x 2,628,000 x rate_pc / (avg_s x (rate_dur - rate_pc_dur))
 * invocations a month (the break-even rate).
 */
static void advise_warmth(struct advice_out *ao, const struct advice_rates *ar,
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
    struct tsk_buf *m = &ao->msg;

    tsk_buf_adds(m, "provisioned concurrency (");
    add0(m, units);
    if (!f->expected.set || f->expected.avg_duration_ms <= 0) {
        tsk_buf_adds(m, ") costs ");
        tsk_cost_money(m, capacity);
        tsk_buf_adds(m, " a month with no traffic; warm-up pings every 5 "
                        "minutes for ");
        add0(m, units);
        tsk_buf_adds(m, " instance(s) would cost ");
        tsk_cost_money(m, ping_cost);
        tsk_buf_adds(m, ". Declare expected = { monthly_invocations, "
                        "avg_duration_ms } for a break-even figure.");
        advise(ao, f->key, "provisioned_vs_warmup");
        return;
    }
    double avg_s = f->expected.avg_duration_ms / 1000.0;
    double breakeven =
        units * TSK_COST_MONTH_SECONDS * r_pc / (avg_s * (r_dur - r_pcd));
    double inv = (double)f->expected.monthly_invocations;
    double saving = fmin(inv * avg_s, units * TSK_COST_MONTH_SECONDS) * gb *
                    (r_dur - r_pcd);
    double net = capacity - saving;
    if (inv < breakeven) {
        tsk_buf_adds(m, ") adds ");
        tsk_cost_money(m, net);
        tsk_buf_adds(m, " a month at the declared ");
        add_count(m, inv);
        tsk_buf_adds(m, " invocations; warm-up pings would cost ");
        tsk_cost_money(m, ping_cost);
        tsk_buf_adds(m, ". It pays for itself from ");
        add_count(m, breakeven);
        tsk_buf_adds(m, " invocations a month (");
    } else {
        tsk_buf_adds(m, ") is cheaper than on-demand at the declared ");
        add_count(m, inv);
        tsk_buf_adds(m, " invocations (break-even ");
        add_count(m, breakeven);
        tsk_buf_adds(m, " a month, ");
    }
    add0(m, f->expected.avg_duration_ms);
    tsk_buf_adds(m, " ms each).");
    advise(ao, f->key, "provisioned_vs_warmup");
}

/* Memory far above the duration profile: a short function (<= 100 ms)
 * with 2 GB or more is likely not CPU-bound enough to need it. */
static void advise_memory(struct advice_out *ao,
                          const struct tsk_model_function *f)
{
    if (!f->expected.set || f->expected.avg_duration_ms > 100 ||
        f->memory_size < 2048)
        return;
    struct tsk_buf *m = &ao->msg;
    char mem[24];
    tsk_buf_adds(m, "memory_size ");
    tsk_buf_add(m, mem, (size_t)tsk_jsonw_lld(mem, (long long)f->memory_size));
    tsk_buf_adds(m, " MB is far above a ");
    add0(m, f->expected.avg_duration_ms);
    tsk_buf_adds(m, " ms duration profile: measure with 512 or 1024 MB, "
                    "which would cost ");
    add0(m, 512.0 * 100 / (double)f->memory_size);
    tsk_buf_adds(m, "% or ");
    add0(m, 1024.0 * 100 / (double)f->memory_size);
    tsk_buf_adds(m, "% of the duration charge if the duration stayed the "
                    "same.");
    advise(ao, f->key, "memory");
}

void tsk_cost__advice(cJSON *cost, const struct tsk_model *m,
                      const struct tsk_price_table *pt, const char *region)
{
    struct advice_out ao = {.msg = TSK_BUF_INIT};
    struct advice_rates ar;
    cJSON *arr = cJSON_CreateArray();
    if (!arr || !cJSON_AddItemToObjectCS(cost, "advice", arr)) {
        cJSON_Delete(arr);
        return;
    }
    ao.arr = arr;
    tsk_cost__run_init(&ao.run);
    advice_rates(&ar, pt, region);
    for (size_t i = 0; i < m->functions.n; i++) {
        const struct tsk_model_function *f = &m->functions.v[i];
        if (f->provisioned.on && f->provisioned.concurrency > 0)
            advise_warmth(&ao, &ar, f);
        advise_memory(&ao, f);
    }
    tsk_cost__run_flush(&ao.run, arr);
    tsk_cost__run_release(&ao.run);
    tsk_buf_release(&ao.msg);
}

/* cost.c - monthly cost estimate per function (see cost.h for the model). */
#include "cost.h"

#include <stdlib.h>
#include <string.h>

int tsk_prices__has_region(const struct tsk_price_table *pt,
                           const char *region);
size_t tsk_prices__rows(const struct tsk_price_table *pt, const char *region,
                        int arm64, const char *component, double *prices,
                        double *limits, size_t max);

/* Quantities of one function before prices are applied. */
struct qty {
    double req, ping_req;       /* requests: invocations, warm-up pings */
    double od_gbs, ping_gbs;    /* on-demand duration GB-s */
    double pc_gbs, pc_dur_gbs;  /* provisioned capacity, duration on it */
    double eph_gbs;             /* ephemeral storage above 512 MB */
};

static void quantities(const struct tsk_cost_input *in, struct qty *q)
{
    double mem_gb = in->memory_mb / 1024.0;
    double inv = in->usage_known ? in->monthly_invocations : 0.0;
    double avg_s = in->usage_known ? in->avg_duration_ms / 1000.0 : 0.0;
    double ping_s = TSK_COST_PING_MS / 1000.0;
    double on_pc = 0.0;

    memset(q, 0, sizeof(*q));
    if (in->pc_units > 0) {
        double capacity_s = in->pc_units * TSK_COST_MONTH_SECONDS;
        double used_s = inv * avg_s;
        q->pc_gbs = in->pc_units * mem_gb * TSK_COST_MONTH_SECONDS;
        /* invocations that fit in the capacity run at the PC rate */
        on_pc = used_s > 0 ? (capacity_s >= used_s ? 1.0 : capacity_s / used_s)
                           : 0.0;
    }
    q->req = inv;
    q->ping_req = in->pings_per_month;
    q->pc_dur_gbs = inv * on_pc * avg_s * mem_gb;
    q->od_gbs = inv * (1.0 - on_pc) * avg_s * mem_gb;
    q->ping_gbs = in->pings_per_month * ping_s * mem_gb;
    if (in->ephemeral_mb > 512.0)
        q->eph_gbs = (in->ephemeral_mb - 512.0) / 1024.0 *
                     (inv * avg_s + in->pings_per_month * ping_s);
}

/* Cost of gbs GB-s of on-demand duration under the tiers of one arch. */
static double tiered_cost(const struct tsk_price_table *pt,
                          const char *region, int arm64, double gbs)
{
    double prices[8], limits[8], cost = 0.0, left = gbs;
    size_t n = tsk_prices__rows(pt, region, arm64, "duration", prices,
                                limits, 8);
    for (size_t i = 0; i < n && left > 0; i++) {
        double take = (limits[i] < 0 || i == n - 1) ? left
                      : (left < limits[i] ? left : limits[i]);
        cost += take * prices[i];
        left -= take;
    }
    return cost;
}

/* Appends a line (when there is a quantity) and adds it to *monthly. */
static void add_line(struct tsk_cost_line *lines, size_t *n, double *monthly,
                     const char *component, double quantity,
                     const char *unit, double unit_price)
{
    if (quantity <= 0)
        return;
    struct tsk_cost_line *l = &lines[(*n)++];
    l->component = component;
    l->quantity = quantity;
    l->unit = unit;
    l->unit_price = unit_price;
    l->monthly = quantity * unit_price;
    *monthly += l->monthly;
}

/* Free-tier factors: the share of requests and GB-s that is billed. */
static void free_tier_factors(const struct tsk_price_table *pt,
                              const char *region,
                              const struct tsk_cost_input *in, size_t n,
                              double *req_f, double *gbs_f)
{
    double req = 0, gbs = 0;
    double free_req = tsk_prices_unit(pt, region, 0, "free_requests");
    double free_gbs = tsk_prices_unit(pt, region, 0, "free_duration");
    for (size_t i = 0; i < n; i++) {
        struct qty q;
        quantities(&in[i], &q);
        req += q.req + q.ping_req;
        gbs += q.od_gbs + q.ping_gbs;
    }
    *req_f = req > free_req ? (req - free_req) / req : 0.0;
    *gbs_f = gbs > free_gbs ? (gbs - free_gbs) / gbs : 0.0;
}

void tsk_cost_rates(struct tsk_cost_rates *r, const struct tsk_price_table *pt,
                    const char *region, const struct tsk_cost_input *in,
                    size_t n, int free_tier)
{
    const char *want = region && *region ? region : "us-east-1";
    double total_gbs[2] = {0, 0};

    memset(r, 0, sizeof(*r));
    r->req_f = r->gbs_f = 1.0;
    if (!tsk_prices__has_region(pt, want)) {
        r->fallback = 1;
        want = "us-east-1";
    }
    r->region = want;
    if (free_tier)
        free_tier_factors(pt, want, in, n, &r->req_f, &r->gbs_f);
    for (size_t i = 0; i < n; i++) {
        struct qty q;
        quantities(&in[i], &q);
        total_gbs[in[i].arm64 != 0] += (q.od_gbs + q.ping_gbs) * r->gbs_f;
    }
    /* the blended duration price of each architecture's tiers, and the
     * unit prices of each architecture, looked up once */
    for (int a = 0; a < 2; a++) {
        r->blended[a] =
            total_gbs[a] > 0
                ? tiered_cost(pt, want, a, total_gbs[a]) / total_gbs[a]
                : tsk_prices_unit(pt, want, a, "duration");
        r->req[a] = tsk_prices_unit(pt, want, a, "requests");
        r->pc[a] = tsk_prices_unit(pt, want, a, "provisioned_concurrency");
        r->pcd[a] = tsk_prices_unit(pt, want, a, "provisioned_duration");
        r->eph[a] = tsk_prices_unit(pt, want, a, "ephemeral_storage");
    }
}

size_t tsk_cost_fn_lines(const struct tsk_cost_rates *r,
                         const struct tsk_cost_input *in,
                         struct tsk_cost_line *lines, double *monthly)
{
    struct qty q;
    size_t n = 0;
    int a = in->arm64 != 0;
    quantities(in, &q);
    *monthly = 0.0;
    add_line(lines, &n, monthly, "requests", q.req * r->req_f, "request",
             r->req[a]);
    add_line(lines, &n, monthly, "duration", q.od_gbs * r->gbs_f, "GB-s",
             r->blended[a]);
    add_line(lines, &n, monthly, "provisioned_concurrency", q.pc_gbs, "GB-s",
             r->pc[a]);
    add_line(lines, &n, monthly, "provisioned_duration", q.pc_dur_gbs,
             "GB-s", r->pcd[a]);
    add_line(lines, &n, monthly, "warmup_requests", q.ping_req * r->req_f,
             "request", r->req[a]);
    add_line(lines, &n, monthly, "warmup_duration", q.ping_gbs * r->gbs_f,
             "GB-s", r->blended[a]);
    add_line(lines, &n, monthly, "ephemeral_storage", q.eph_gbs, "GB-s",
             r->eph[a]);
    return n;
}

static int cmp_fn(const void *a, const void *b)
{
    return strcmp((*(const struct tsk_cost_fn *const *)a)->function,
                  (*(const struct tsk_cost_fn *const *)b)->function);
}

/* Lookups by name are a binary search: plans price 10,000 functions. */
static void index_by_name(struct tsk_cost_estimate *e)
{
    e->by_name_ = tsk_xmalloc((e->fns.n + 1) * sizeof(*e->by_name_));
    for (size_t i = 0; i < e->fns.n; i++)
        e->by_name_[i] = &e->fns.v[i];
    qsort(e->by_name_, e->fns.n, sizeof(*e->by_name_), cmp_fn);
}

int tsk_cost_estimate(struct tsk_cost_estimate *out,
                      const struct tsk_price_table *pt, const char *region,
                      const struct tsk_cost_input *in, size_t n,
                      int free_tier, struct tsk_diags *d)
{
    struct tsk_cost_rates r;
    const char *want = region && *region ? region : "us-east-1";
    (void)d;

    memset(out, 0, sizeof(*out));
    tsk_cost_rates(&r, pt, region, in, n, free_tier);
    out->region = tsk_xstrdup(want);
    if (r.fallback)
        out->note = tsk_xasprintf("no prices for region %s in the table: "
                                  "priced as us-east-1", want);
    out->price_date = tsk_xstrdup(tsk_prices_date(pt));
    out->free_tier = free_tier;
    for (size_t i = 0; i < n; i++) {
        struct tsk_cost_line lines[TSK_COST_MAX_LINES];
        struct tsk_cost_fn *fn = TSK_ARRAY_PUSH(out->fns);
        size_t k = tsk_cost_fn_lines(&r, &in[i], lines, &fn->monthly);
        fn->function = tsk_xstrdup(in[i].function);
        fn->depends_on_usage = !in[i].usage_known;
        for (size_t j = 0; j < k; j++)
            *TSK_ARRAY_PUSH(fn->lines) = lines[j];
        out->total += fn->monthly;
    }
    index_by_name(out);
    return 0;
}

void tsk_cost_estimate_release(struct tsk_cost_estimate *e)
{
    for (size_t i = 0; i < e->fns.n; i++) {
        free(e->fns.v[i].function);
        TSK_ARRAY_FREE(e->fns.v[i].lines);
    }
    TSK_ARRAY_FREE(e->fns);
    free(e->region);
    free(e->price_date);
    free(e->note);
    free((void *)e->by_name_);
    memset(e, 0, sizeof(*e));
}

const struct tsk_cost_fn *tsk_cost_find(const struct tsk_cost_estimate *e,
                                        const char *function)
{
    size_t lo = 0, hi = e->by_name_ ? e->fns.n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct tsk_cost_fn *f = e->by_name_[mid];
        int c = strcmp(function, f->function);
        if (c == 0)
            return f;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* cost_report.c - the plan's cost object: before/after per function and in
 * total, and budgets (advice: cost_advice.c). */
#include "cost_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "planner/cost_int.h"
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
 * One side of the report (before: the prior objects; after: the model):
 * its inputs, rates, each function's monthly figure and total, and the
 * inputs sorted by name. Lines are recomputed where they are printed, so
 * nothing per function is kept beyond the figures.
 */
struct side {
    const struct tsk_cost_input *in;
    size_t n;
    struct tsk_cost_rates r;
    double *monthly;
    double total;
    struct tsk_cost__name *by_name;
};

static void side_init(struct side *s, const struct tsk_price_table *pt,
                      const char *region, const struct tsk_cost_input *in,
                      size_t n, int free_tier)
{
    memset(s, 0, sizeof(*s));
    s->in = in;
    s->n = n;
    tsk_cost_rates(&s->r, pt, region, in, n, free_tier);
    s->monthly = tsk_xmalloc((n + 1) * sizeof(*s->monthly));
    s->by_name = tsk_xmalloc((n + 1) * sizeof(*s->by_name));
    for (size_t i = 0; i < n; i++) {
        struct tsk_cost_line lines[TSK_COST_MAX_LINES];
        tsk_cost_fn_lines(&s->r, &in[i], lines, &s->monthly[i]);
        s->total += s->monthly[i];
    }
    tsk_cost__sort_names(s->by_name, in, n);
}

/* The index of function's input (as tsk_cost_find() finds it), or -1. */
static long side_find(const struct side *s, const char *function)
{
    size_t lo = 0, hi = s->n;
    uint64_t key = tsk_cost__key8(function, SIZE_MAX);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = tsk_cost__name_cmp(key, function, &s->by_name[mid]);
        if (c == 0)
            return (long)s->by_name[mid].i;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/*
 * Pairs the functions of both sides by name, walking their sorted lists
 * together (a binary search per function costs a cache miss per step):
 * a2b[i] is the before index of after function i as side_find() finds it
 * (-1: none), b_in_a[j] whether before function j is still there after.
 */
static void side_match(const struct side *a, const struct side *b, long *a2b,
                       unsigned char *b_in_a)
{
    const struct tsk_cost__name *av = a->by_name, *bv = b->by_name;
    size_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        int c = tsk_cost__name_cmp(av[i].key, av[i].name, &bv[j]);
        if (c < 0) {
            a2b[av[i++].i] = -1;
            continue;
        }
        if (c > 0) {
            j++;
            continue;
        }
        const struct tsk_cost__name *same = &bv[j];
        size_t end = j + 1;
        while (end < b->n &&
               tsk_cost__name_cmp(same->key, same->name, &bv[end]) == 0)
            end++;
        /* a name twice before: the one the binary search lands on */
        long bi = end - j == 1 ? (long)same->i : side_find(b, same->name);
        for (; j < end; j++)
            b_in_a[bv[j].i] = 1;
        while (i < a->n &&
               tsk_cost__name_cmp(av[i].key, av[i].name, same) == 0)
            a2b[av[i++].i] = bi;
    }
    while (i < a->n)
        a2b[av[i++].i] = -1;
}

static void side_release(struct side *s)
{
    free(s->monthly);
    free(s->by_name);
}

/* The components of a function as the JSON text cJSON prints for them. */
static void components(struct tsk_jsonw *w, const struct tsk_cost_line *l,
                       size_t n)
{
    tsk_jsonw_lit(w, "[");
    for (size_t i = 0; i < n; i++, l++) {
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
}

/* One function of the report: its figures and its lines after. */
struct fn_row {
    const char *name;
    double before, after;
    int depends_on_usage;
    const struct tsk_cost_line *lines;
    size_t nlines;
};

/* The writer of the "functions" array: functions whose estimate changes
 * are objects (the renderers list them), the others go into runs. */
struct fn_out {
    cJSON *arr;
    struct tsk_cost__run run;
    struct tsk_jsonw cw; /* components of an object, into ctext */
    struct tsk_buf ctext;
};

static int buf_sink(void *ctx, const char *p, size_t n)
{
    tsk_buf_add(ctx, p, n);
    return 0;
}

static void fn_object(struct fn_out *fo, const struct fn_row *f)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "function", f->name);
    add_num(o, "monthly_before", f->before);
    add_num(o, "monthly_after", f->after);
    add_num(o, "monthly_diff", f->after - f->before);
    add_bool(o, "depends_on_usage", f->depends_on_usage);
    components(&fo->cw, f->lines, f->nlines);
    tsk_jsonw_flush(&fo->cw);
    add_cs(o, "components", cJSON_CreateRaw(fo->ctext.ptr));
    tsk_buf_reset(&fo->ctext);
    cJSON_AddItemToArray(fo->arr, o);
}

/* The same object as the JSON text cJSON prints for it, into the run. */
static void fn_text(struct fn_out *fo, const struct fn_row *f)
{
    struct tsk_jsonw *w = tsk_cost__run_next(&fo->run, f->name);
    tsk_jsonw_lit(w, "{\"function\":");
    tsk_jsonw_str(w, f->name);
    tsk_jsonw_lit(w, ",\"monthly_before\":");
    tsk_jsonw_num(w, f->before);
    tsk_jsonw_lit(w, ",\"monthly_after\":");
    tsk_jsonw_num(w, f->after);
    tsk_jsonw_lit(w, ",\"monthly_diff\":");
    tsk_jsonw_num(w, f->after - f->before);
    if (f->depends_on_usage)
        tsk_jsonw_lit(w, ",\"depends_on_usage\":true,\"components\":");
    else
        tsk_jsonw_lit(w, ",\"depends_on_usage\":false,\"components\":");
    components(w, f->lines, f->nlines);
    tsk_jsonw_lit(w, "}");
}

static void fn_add(struct fn_out *fo, const struct fn_row *f)
{
    /* as the renderers tell a change: by a cent or more */
    if (llround((f->after - f->before) * 100.0) != 0) {
        tsk_cost__run_flush(&fo->run, fo->arr);
        fn_object(fo, f);
    } else {
        fn_text(fo, f);
    }
}

/* The "functions" array: those after in order, then those removed.
 * Returns whether any function after depends on usage. */
static int add_functions(cJSON *cost, const struct side *before,
                         const struct side *after)
{
    struct fn_out fo = {.arr = add_arr(cost, "functions"),
                        .ctext = TSK_BUF_INIT};
    long *a2b = tsk_xmalloc((after->n + 1) * sizeof(*a2b));
    unsigned char *b_in_a = tsk_xcalloc(before->n + 1, 1);
    int usage = 0;
    side_match(after, before, a2b, b_in_a);
    tsk_cost__run_init(&fo.run);
    tsk_jsonw_init(&fo.cw, 1024, buf_sink, &fo.ctext);
    for (size_t i = 0; fo.arr && i < after->n; i++) {
        const struct tsk_cost_input *in = &after->in[i];
        struct tsk_cost_line lines[TSK_COST_MAX_LINES];
        long b = a2b[i];
        struct fn_row f = {.name = in->function,
                           .before = b < 0 ? 0.0 : before->monthly[b],
                           .depends_on_usage = !in->usage_known,
                           .lines = lines};
        f.nlines = tsk_cost_fn_lines(&after->r, in, lines, &f.after);
        usage |= f.depends_on_usage;
        fn_add(&fo, &f);
    }
    for (size_t i = 0; fo.arr && i < before->n; i++) {
        const struct tsk_cost_input *in = &before->in[i];
        if (b_in_a[i])
            continue;
        struct fn_row f = {.name = in->function,
                           .before = before->monthly[i],
                           .depends_on_usage = !in->usage_known};
        fn_add(&fo, &f);
    }
    if (fo.arr)
        tsk_cost__run_flush(&fo.run, fo.arr);
    tsk_cost__run_release(&fo.run);
    tsk_jsonw_finish(&fo.cw);
    tsk_buf_release(&fo.ctext);
    free(a2b);
    free(b_in_a);
    return usage;
}

static void add_budgets(cJSON *cost, const struct tsk_model *m,
                        const struct side *after,
                        const struct tsk_cost_opts *o, struct tsk_diags *d)
{
    cJSON *arr = add_arr(cost, "budgets");
    for (size_t i = 0; i < m->monitoring.budgets.n; i++) {
        const struct tsk_model_budget *b = &m->monitoring.budgets.v[i];
        long k = b->function ? side_find(after, b->function->key) : -1;
        double est = k >= 0 ? after->monthly[k] : 0.0;
        int over = k >= 0 && est > b->amount;
        cJSON *j = cJSON_CreateObject();
        add_str(j, "name", b->name);
        if (b->function)
            add_str(j, "function", b->function->key);
        add_num(j, "amount", b->amount);
        add_num(j, "estimate", est);
        add_bool(j, "depends_on_usage",
                 k >= 0 && !after->in[k].usage_known);
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

cJSON *tsk_cost_report(const struct tsk_model *m,
                       const struct tsk_object *prior, size_t nprior,
                       const struct tsk_cost_opts *o, struct tsk_diags *d)
{
    struct tsk_price_table *pt = NULL;
    struct tsk_cost_input *ain = NULL, *bin = NULL;
    struct side after, before;
    size_t an = 0, bn = 0;

    if (tsk_prices_load(&pt, d) < 0)
        return NULL;
    if (!o->destroy)
        tsk_cost_inputs_from_model(m, &ain, &an);
    tsk_cost_inputs_from_objects(prior, nprior, m, &bin, &bn);
    side_init(&after, pt, m->region, ain, an, o->free_tier);
    side_init(&before, pt, m->region, bin, bn, o->free_tier);

    const char *region = m->region && *m->region ? m->region : "us-east-1";
    cJSON *cost = cJSON_CreateObject();
    add_str(cost, "currency", "USD");
    add_str(cost, "region", region);
    add_str(cost, "prices_date", tsk_prices_date(pt));
    add_bool(cost, "free_tier", o->free_tier);
    if (after.r.fallback) {
        char *note = tsk_xasprintf("no prices for region %s in the table: "
                                   "priced as us-east-1", region);
        add_str(cost, "note", note);
        free(note);
    }
    add_num(cost, "monthly_before", before.total);
    add_num(cost, "monthly_after", after.total);
    add_num(cost, "monthly_diff", after.total - before.total);
    int usage = add_functions(cost, &before, &after);
    add_bool(cost, "depends_on_usage", usage);
    if (!o->destroy) {
        add_budgets(cost, m, &after, o, d);
        tsk_cost__advice(cost, m, pt, region);
    }

    side_release(&after);
    side_release(&before);
    free(ain);
    free(bin);
    tsk_prices_free(pt);
    return cost;
}

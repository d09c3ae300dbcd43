/* cost_render.c - the cost object as text (plans, `tuskform cost`) and
 * markdown (the cost line and table of pull-request comments). */
#include "cost_report.h"

#include <math.h>
#include <string.h>

#include "planner/cost_int.h"
#include "planner/jsonw.h"

/* "$1,234.57" into out (at least 64 bytes), without printf (a plan prints
 * tens of thousands); returns the length. */
static int money(char *out, double usd)
{
    char digits[32];
    long long cents = llround(fabs(usd) * 100.0);
    int n = tsk_jsonw_lld(digits, cents / 100), k = 0;
    if (usd < 0 && cents > 0)
        out[k++] = '-';
    out[k++] = '$';
    for (int i = 0; i < n; i++) {
        out[k++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i < n - 1)
            out[k++] = ',';
    }
    out[k++] = '.';
    int c = tsk_jsonw_lld(digits, cents % 100);
    if (c < 2) /* "%02lld" */
        out[k++] = '0';
    memcpy(out + k, digits, (size_t)c);
    return k + c;
}

void tsk_cost_money(struct tsk_buf *out, double usd)
{
    char m[64];
    tsk_buf_add(out, m, (size_t)money(m, usd));
}

static void pad(struct tsk_buf *out, int n)
{
    for (; n > 0; n--)
        tsk_buf_addch(out, ' ');
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static void signed_money(struct tsk_buf *out, double usd)
{
    if (llround(usd * 100.0) > 0)
        tsk_buf_addch(out, '+');
    tsk_cost_money(out, usd);
}

/* "Monthly estimate increases by $X." and friends. */
static void summary(struct tsk_buf *out, const cJSON *cost)
{
    struct tsk_buf m = TSK_BUF_INIT;
    double diff = num(cost, "monthly_diff");
    long long c = llround(diff * 100.0);
    tsk_cost_money(&m, fabs(diff));
    if (c > 0)
        tsk_buf_addf(out, "Monthly estimate increases by %s", m.ptr);
    else if (c < 0)
        tsk_buf_addf(out, "Monthly estimate decreases by %s", m.ptr);
    else
        tsk_buf_adds(out, "Monthly estimate unchanged");
    tsk_buf_release(&m);
}

/* A money cell right-aligned in width ("%*s"); sign: "+" when above 0. */
static void cell(struct tsk_buf *out, double usd, int sign, int width)
{
    char m[72];
    int n = 0;
    if (sign && llround(usd * 100.0) > 0)
        m[n++] = '+';
    n += money(m + n, usd);
    pad(out, width - n);
    tsk_buf_add(out, m, (size_t)n);
}

/* "  NAME " with the name padded to width ("  %-*s "). */
static void name_cell(struct tsk_buf *out, const char *name, int width)
{
    size_t len = strlen(name);
    tsk_buf_add(out, "  ", 2);
    tsk_buf_add(out, name, len);
    pad(out, width - (int)len);
    tsk_buf_addch(out, ' ');
}

static int changes(const cJSON *f)
{
    return llround(num(f, "monthly_diff") * 100.0) != 0;
}

/* Plans show this much advice at most; `tuskform cost` shows it all. */
#define ADVICE_MAX TSK_COST__ADVICE_SHOWN

/* The advice list, at most max items (-1: all); md: markdown bullets. */
static void advice(struct tsk_buf *out, const cJSON *cost, int max, int md)
{
    const cJSON *adv = cJSON_GetObjectItemCaseSensitive(cost, "advice"), *a;
    int n = tsk_cost__len(adv), shown = 0;
    struct tsk_cost__iter it;
    if (n == 0)
        return;
    tsk_buf_adds(out, md ? "\nAdvice (does not change the plan):\n"
                         : "\nCost advice (does not change the plan):\n");
    tsk_cost__iter_init(&it, adv, 1);
    while ((max < 0 || shown < max) && (a = tsk_cost__next(&it))) {
        tsk_buf_addf(out, md ? "- `%s`: %s\n" : "  - %s: %s\n",
                     str(a, "function"), str(a, "message"));
        shown++;
    }
    tsk_cost__iter_end(&it);
    if (shown < n)
        tsk_buf_addf(out, md ? "- %d more: see `tuskform cost`\n"
                             : "  - %d more: see `tuskform cost`\n",
                     n - shown);
}

/* The lines under the table: usage, region note, exceeded budgets. */
static void notes(struct tsk_buf *out, const cJSON *cost)
{
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cost, "depends_on_usage")))
        tsk_buf_adds(out, "  (+ usage): with no `expected` usage declared, a "
                     "function's figure counts fixed costs only\n  "
                     "(provisioned concurrency, warm-up pings); usage adds "
                     "$0.20 per 1M requests and\n  $0.0000166667 per "
                     "GB-second (x86_64).\n");
    if (*str(cost, "note"))
        tsk_buf_addf(out, "  Note: %s.\n", str(cost, "note"));
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(cost, "budgets")) {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "exceeded")))
            continue;
        tsk_buf_addf(out, "  Budget %s exceeded: estimate ", str(b, "name"));
        tsk_cost_money(out, num(b, "estimate"));
        tsk_buf_adds(out, " > amount ");
        tsk_cost_money(out, num(b, "amount"));
        tsk_buf_addch(out, '\n');
    }
}

int tsk_cost_changed_count(const cJSON *cost)
{
    const cJSON *f;
    int n = 0;
    /* runs hold functions whose estimate does not change */
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(cost, "functions"))
        n += !tsk_cost__is_run(f) && changes(f);
    return n;
}

void tsk_cost_render_text(struct tsk_buf *out, const cJSON *cost, int color,
                          int changed_only)
{
    int hidden = 0;
    const cJSON *fns = cJSON_GetObjectItemCaseSensitive(cost, "functions");
    const cJSON *f;
    struct tsk_cost__iter it;
    int w = 8, nfns = tsk_cost__len(fns);
    cJSON_ArrayForEach(f, fns) {
        int len = tsk_cost__is_run(f) ? (int)f->valuedouble
                                       : (int)strlen(str(f, "function"));
        w = len > w ? len : w;
    }
    tsk_buf_addf(out, "%sMonthly cost estimate%s (USD; AWS Lambda prices of "
                 "%s, %s%s):\n", color ? "\033[1m" : "", color ? "\033[0m" : "",
                 str(cost, "prices_date"), str(cost, "region"),
                 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cost, "free_tier"))
                     ? ", free tier deducted" : "");
    int nchanged = tsk_cost_changed_count(cost);
    if (changed_only && nchanged == 0) {
        /* nothing moves: one line instead of an empty table */
        tsk_buf_adds(out, "  Monthly estimate unchanged: ");
        tsk_cost_money(out, num(cost, "monthly_after"));
        tsk_buf_addf(out, " (%d function%s).\n", nfns,
                     nfns == 1 ? "" : "s");
        notes(out, cost);
        advice(out, cost, ADVICE_MAX, 0);
        return;
    }
    tsk_buf_addf(out, "  %-*s %12s %12s %12s\n", w, "function", "before",
                 "after", "change");
    /* runs are read element by element only when all are listed */
    tsk_cost__iter_init(&it, fns, !changed_only);
    while ((f = tsk_cost__next(&it))) {
        if (changed_only && tsk_cost__is_run(f)) {
            hidden += f->valueint;
            continue;
        }
        if (changed_only && !changes(f)) {
            hidden++;
            continue;
        }
        name_cell(out, str(f, "function"), w);
        cell(out, num(f, "monthly_before"), 0, 12);
        tsk_buf_addch(out, ' ');
        cell(out, num(f, "monthly_after"), 0, 12);
        tsk_buf_addch(out, ' ');
        cell(out, num(f, "monthly_diff"), 1, 12);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "depends_on_usage")))
            tsk_buf_adds(out, "  (+ usage)");
        tsk_buf_addch(out, '\n');
    }
    tsk_cost__iter_end(&it);
    if (hidden)
        tsk_buf_addf(out, "  (%d function%s with an unchanged estimate not "
                     "listed)\n", hidden, hidden == 1 ? "" : "s");
    tsk_buf_addf(out, "  %-*s ", w, "total");
    cell(out, num(cost, "monthly_before"), 0, 12);
    tsk_buf_addch(out, ' ');
    cell(out, num(cost, "monthly_after"), 0, 12);
    tsk_buf_addch(out, ' ');
    cell(out, num(cost, "monthly_diff"), 1, 12);
    tsk_buf_adds(out, "\n  ");
    summary(out, cost);
    tsk_buf_adds(out, ".\n");
    notes(out, cost);
    advice(out, cost, changed_only ? ADVICE_MAX : -1, 0);
}

void tsk_cost_render_md_line(struct tsk_buf *out, const cJSON *cost)
{
    tsk_buf_adds(out, "**");
    summary(out, cost);
    tsk_buf_adds(out, "** (");
    tsk_cost_money(out, num(cost, "monthly_before"));
    tsk_buf_adds(out, " → ");
    tsk_cost_money(out, num(cost, "monthly_after"));
    tsk_buf_adds(out, " a month");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cost, "depends_on_usage")))
        tsk_buf_adds(out, ", + usage");
    tsk_buf_adds(out, ")");
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(cost, "budgets"))
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "exceeded")))
            tsk_buf_addf(out, " · ⚠️ budget `%s` exceeded", str(b, "name"));
    tsk_buf_addch(out, '\n');
}

void tsk_cost_render_md_table(struct tsk_buf *out, const cJSON *cost,
                              int max_rows)
{
    const cJSON *f;
    int rows = 0, left = 0;
    tsk_buf_addf(out, "| Function | Before | After | Change |\n"
                      "|---|---:|---:|---:|\n");
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(cost, "functions")) {
        if (tsk_cost__is_run(f) || !changes(f))
            continue;
        if (rows >= max_rows) {
            left++;
            continue;
        }
        rows++;
        tsk_buf_addf(out, "| `%s` | ", str(f, "function"));
        tsk_cost_money(out, num(f, "monthly_before"));
        tsk_buf_adds(out, " | ");
        tsk_cost_money(out, num(f, "monthly_after"));
        tsk_buf_adds(out, " | ");
        signed_money(out, num(f, "monthly_diff"));
        tsk_buf_adds(out, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                              f, "depends_on_usage"))
                              ? " (+ usage) |\n" : " |\n");
    }
    if (left)
        tsk_buf_addf(out, "\n%d more function%s with a changed estimate not "
                     "shown (see `tuskform cost`).\n", left,
                     left == 1 ? "" : "s");
    tsk_buf_addf(out, "\nPrices: AWS Lambda, %s, as of %s.\n",
                 str(cost, "region"), str(cost, "prices_date"));
    advice(out, cost, ADVICE_MAX, 1);
}

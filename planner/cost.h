/*
 * cost.h - monthly cost estimates for serverless functions, from a dated
 * price table (planner/prices/prices.tsv, embedded at build time, or the
 * file named by TUSKFORM_PRICES) and per-function usage assumptions.
 *
 * The arithmetic (AWS Lambda's billing model, which the local provider is
 * priced as): a month is 730 hours; requests are priced per request;
 * on-demand duration per GB-second (memory_size/1024 GB x seconds), tiered
 * on the stack's total GB-s per architecture, each function carrying its
 * share; provisioned concurrency per GB-second of configured capacity,
 * always on (730 h), plus the cheaper provisioned duration rate for the
 * invocations that fit in that capacity; warm-up pings are requests and
 * on-demand duration of their own. The monthly free tier (1M requests and
 * 400,000 GB-s of on-demand duration) is deducted only when asked.
 *
 * Ownership: a price table and an estimate own everything in them; free
 * them with tsk_prices_free() and tsk_cost_estimate_release().
 */
#ifndef TSK_COST_H
#define TSK_COST_H

#include <cjson/cJSON.h>

#include "planner/util/util.h"

#define TSK_COST_MONTH_HOURS 730.0
#define TSK_COST_MONTH_SECONDS (730.0 * 3600.0)
/* Billed duration assumed for one warm-up ping that returns at once. */
#define TSK_COST_PING_MS 100.0

struct tsk_price_table;

/** Loads TUSKFORM_PRICES when set, else the embedded table. */
int tsk_prices_load(struct tsk_price_table **out, struct tsk_diags *d);
/** Parses a price table text; name is used in error positions. */
int tsk_prices_parse(struct tsk_price_table **out, const char *name,
                     const char *text, struct tsk_diags *d);
void tsk_prices_free(struct tsk_price_table *pt);
/** The date of the newest figure in the table ("2026-08-22"). */
const char *tsk_prices_date(const struct tsk_price_table *pt);

/* One function, normalised from the model or from stored state. */
struct tsk_cost_input {
    const char *function; /* model key */
    int arm64;            /* architecture arm64, else x86_64 */
    double memory_mb;
    double ephemeral_mb; /* 512 when not set */
    int usage_known;     /* monthly_invocations and avg_duration_ms given */
    double monthly_invocations;
    double avg_duration_ms;
    double pc_units;        /* provisioned concurrency, 0 when off */
    double pings_per_month; /* warm-up pings, 0 when off */
};

struct tsk_cost_line {
    const char *component; /* "requests", "duration", ... (static) */
    double quantity;       /* in unit */
    const char *unit;      /* "request", "GB-s" (static) */
    double unit_price;     /* USD per unit (a tiered line: the blended price) */
    double monthly;        /* USD */
};

struct tsk_cost_fn {
    char *function;
    double monthly;       /* USD; what is known (fixed costs when usage is unknown) */
    int depends_on_usage; /* usage not declared: only fixed costs counted */
    TSK_ARRAY(struct tsk_cost_line) lines;
};

struct tsk_cost_estimate {
    TSK_ARRAY(struct tsk_cost_fn) fns; /* in input order */
    double total;
    int free_tier;
    char *region;     /* region the prices are for */
    char *price_date;
    char *note;       /* e.g. region fallback, or NULL */
    const struct tsk_cost_fn **by_name_; /* private: sorted by name */
};

/* The most lines one function has (the components listed in cost.c). */
#define TSK_COST_MAX_LINES 7

/*
 * The prices a set of functions is charged at: the blended price of the
 * duration tiers and the free-tier shares depend on the whole set, so they
 * are computed once; each function's lines then follow from its own input
 * (tsk_cost_fn_lines), with nothing allocated per function.
 */
struct tsk_cost_rates {
    const char *region; /* the region priced (static or the caller's) */
    int fallback;       /* the region asked for has no prices: us-east-1 */
    double req_f, gbs_f; /* billed shares of requests and GB-s (free tier) */
    double blended[2];   /* duration per GB-s, [0] x86_64, [1] arm64 */
    double req[2], pc[2], pcd[2], eph[2];
};

/** The rates of n functions in region (NULL: us-east-1); region borrowed. */
void tsk_cost_rates(struct tsk_cost_rates *r, const struct tsk_price_table *pt,
                    const char *region, const struct tsk_cost_input *in,
                    size_t n, int free_tier);
/**
 * The cost lines of one function of the set r was computed for, in the
 * order an estimate lists them, into lines (TSK_COST_MAX_LINES of room);
 * returns how many, and their sum in *monthly.
 */
size_t tsk_cost_fn_lines(const struct tsk_cost_rates *r,
                         const struct tsk_cost_input *in,
                         struct tsk_cost_line *lines, double *monthly);

/**
 * Estimates the monthly cost of n functions in region (NULL: us-east-1).
 * A region missing from the table is priced as us-east-1, with a note.
 */
int tsk_cost_estimate(struct tsk_cost_estimate *out,
                      const struct tsk_price_table *pt, const char *region,
                      const struct tsk_cost_input *in, size_t n,
                      int free_tier, struct tsk_diags *d);
void tsk_cost_estimate_release(struct tsk_cost_estimate *e);
/** The function's entry, or NULL. */
const struct tsk_cost_fn *tsk_cost_find(const struct tsk_cost_estimate *e,
                                        const char *function);

/** Unit price of a component for an architecture; tier 0 when tiered. */
double tsk_prices_unit(const struct tsk_price_table *pt, const char *region,
                       int arm64, const char *component);

#endif

/*
 * cost_report.h - cost in plans: the estimate of the configuration (from
 * the model) and of what is deployed (from stored objects), budgets checked
 * against the estimate, right-sizing advice, and the `cost` object that
 * plans carry beside resource_changes, with its text and markdown forms.
 *
 * Ownership: tsk_cost_report() returns a cJSON object the caller owns
 * (a plan takes it as plan->cost). Renderers append to a caller's buffer.
 * Each function's "components" member is a cJSON_Raw item holding the JSON
 * text of the list (printed as it is; read it by parsing that text). In
 * the "functions" and "advice" arrays, a cJSON_Raw element is a run: the
 * JSON text of several elements (functions whose estimate does not change,
 * advice past what a plan shows; planner/cost_int.h). The object prints
 * as if they were trees; the renderers below read either form, and other
 * readers parse the printed text.
 */
#ifndef TSK_COST_REPORT_H
#define TSK_COST_REPORT_H

#include <cjson/cJSON.h>

#include "planner/cost.h"
#include "planner/plan.h"

struct tsk_model;

/** Fills in[] (caller frees the array) with one entry per model function. */
void tsk_cost_inputs_from_model(const struct tsk_model *m,
                                struct tsk_cost_input **in, size_t *n);

/**
 * Fills in[] from stored objects (what is deployed): function objects
 * (types ending in "_function") give memory_size and architecture; objects
 * whose type ends in "provisioned_concurrency" or
 * "provisioned_concurrency_config" give the capacity of their function;
 * warm-up schedules (attribute "warmup" true) give pings. Usage
 * assumptions come from the model, keyed by function. Strings borrow objs.
 */
void tsk_cost_inputs_from_objects(const struct tsk_object *objs, size_t n,
                                  const struct tsk_model *m,
                                  struct tsk_cost_input **in, size_t *nin);

struct tsk_cost_opts {
    int free_tier;      /* -cost-free-tier */
    int budget_fail;    /* -budget-policy=fail: exceeded budgets are errors */
    int destroy;        /* plan -destroy: nothing remains after */
};

/**
 * The plan's cost object: before (prior objects, may be NULL/0) and after
 * (the model), per function and in total, budgets and advice. Budget
 * overruns are warnings in d (errors with budget_fail). Returns NULL and
 * an error in d when the price table cannot be loaded.
 */
cJSON *tsk_cost_report(const struct tsk_model *m,
                       const struct tsk_object *prior, size_t nprior,
                       const struct tsk_cost_opts *o, struct tsk_diags *d);

/**
 * Text section for plans and `tuskform cost` ("Monthly cost estimate").
 * changed_only lists only functions whose estimate changes (plans), with a
 * count of the others.
 */
void tsk_cost_render_text(struct tsk_buf *out, const cJSON *cost, int color,
                          int changed_only);
/** The markdown cost line: "Monthly estimate increases by $X" etc. */
void tsk_cost_render_md_line(struct tsk_buf *out, const cJSON *cost);
/**
 * Markdown per-function cost table (with advice) for a details block:
 * functions whose estimate changes, at most max_rows of them (then a line
 * saying how many were left out).
 */
void tsk_cost_render_md_table(struct tsk_buf *out, const cJSON *cost,
                              int max_rows);
/** How many functions' estimates change (by a cent or more). */
int tsk_cost_changed_count(const cJSON *cost);
/** "$1,234.57" (cents, thousands separators; "-$" when negative). */
void tsk_cost_money(struct tsk_buf *out, double usd);

#endif

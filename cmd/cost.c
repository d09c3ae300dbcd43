/* cost.c - `tuskform cost [-json]`: the monthly cost breakdown of the
 * configuration in the current folder, without state or a plan. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "planner/cost_report.h"
#include "planner/model.h"
#include "planner/tsk/tsk.h"

static int json, free_tier;
static const char *budget_policy = "warn";

static const struct tsk_opt opts[] = {
    {"json", TSK_OPT_BOOL, &json, NULL, "print the breakdown as JSON"},
    {"cost-free-tier", TSK_OPT_BOOL, &free_tier, NULL,
     "deduct the monthly free tier (1M requests, 400,000 GB-s)"},
    {"budget-policy", TSK_OPT_STRING, &budget_policy, "warn|fail",
     "fail: exit 1 when an estimate exceeds its budget"},
    {NULL},
};

extern const struct tsk_command tsk_cmd_cost;

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    struct tsk_model *m = NULL;
    int npos, rc = TSK_EXIT_ERROR;

    if (tsk_opts_parse(&tsk_cmd_cost, argc, argv, &npos))
        return TSK_EXIT_USAGE;
    if (npos > 0)
        return tsk_cmd_usage_error(&tsk_cmd_cost, "unexpected argument %s",
                                   argv[1]);
    if (strcmp(budget_policy, "warn") != 0 &&
        strcmp(budget_policy, "fail") != 0)
        return tsk_cmd_usage_error(&tsk_cmd_cost, "-budget-policy is warn or "
                                   "fail, not \"%s\"", budget_policy);
    struct tsk_cost_opts o = {.free_tier = free_tier,
                              .budget_fail = !strcmp(budget_policy, "fail")};
    int lrc = tsk_doc_load_dir(&doc, ".", NULL, &d);
    if (lrc == 0 && tsk_model_build(&m, doc, &d) == 0) {
        cJSON *cost = tsk_cost_report(m, NULL, 0, &o, &d);
        if (cost && d.nerr == 0) {
            struct tsk_buf out = TSK_BUF_INIT;
            if (json) {
                char *s = cJSON_PrintUnformatted(cost);
                tsk_buf_adds(&out, s);
                tsk_buf_addch(&out, '\n');
                cJSON_free(s);
            } else {
                tsk_cost_render_text(&out, cost, cli->color, 0);
            }
            fwrite(out.ptr, 1, out.len, stdout);
            tsk_buf_release(&out);
            rc = TSK_EXIT_OK;
        }
        cJSON_Delete(cost);
    }
    tsk_diags_print(&d, stderr, cli->color);
    tsk_model_free(m);
    tsk_doc_free(doc);
    tsk_diags_release(&d);
    return rc;
}

const struct tsk_command tsk_cmd_cost = {
    .name = "cost",
    .run = run,
    .summary = "Estimate the monthly cost of the configuration",
    .usage = "cost [-json] [-cost-free-tier] [-budget-policy=warn|fail]",
    .details = "Prices each function as AWS Lambda in the configured region "
               "(the local provider too),\nfrom the usage declared in "
               "expected = { monthly_invocations, avg_duration_ms }.\n"
               "Without it, only fixed costs count: provisioned concurrency "
               "(always on) and warm-up pings.",
    .opts = opts,
};

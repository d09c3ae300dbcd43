/*
 * apply.c - `tuskform apply [PLANFILE] [options]`: make the cloud match the
 * configuration. Without a plan file it plans, shows the plan and asks for
 * `yes` (without a terminal it refuses unless -auto-approve); with one it
 * applies exactly that plan, refused when the state or the configuration
 * changed since it was made. Ctrl-C: no new change starts, the calls in
 * flight finish and are saved, exit 130; a second Ctrl-C exits at once.
 */
#include "cli.h"

#include <string.h>

#include <stdlib.h>

#include "flow.h"
#include "planner/planfile.h"
#include "planner/gitops.h"
#include "planner/render.h"
#include "stateio.h"

static int auto_approve, show_sensitive;
static int require_clean, allow_other_commit;
static int refresh = 1;
static int cost_free_tier;
static const char *budget_policy = "warn";
static long parallelism = 10;
static double lock_timeout;
static struct tsk_strlist targets, replace;

static const struct tsk_opt opts[] = {
    {"auto-approve", TSK_OPT_BOOL, &auto_approve, NULL,
     "apply without asking for confirmation"},
    {"parallelism", TSK_OPT_INT, &parallelism, "N",
     "provider calls made at once (default 10)"},
    {"lock-timeout", TSK_OPT_DURATION, &lock_timeout, "DURATION",
     "wait this long for the state lock (e.g. 30s); default: fail at once"},
    {"refresh", TSK_OPT_BOOL, &refresh, NULL,
     "-refresh=false: plan against the state without reading the cloud"},
    {"target", TSK_OPT_LIST, &targets, "ADDRESS",
     "only this resource and what it depends on (repeatable)"},
    {"replace", TSK_OPT_LIST, &replace, "ADDRESS",
     "replace this resource even if it did not change (repeatable)"},
    {"show-sensitive", TSK_OPT_BOOL, &show_sensitive, NULL,
     "show sensitive values in the plan"},
    {"require-clean", TSK_OPT_BOOL, &require_clean, NULL,
     "refuse to apply unless the configuration is in a git work tree "
     "with no uncommitted changes"},
    {"allow-other-commit", TSK_OPT_BOOL, &allow_other_commit, NULL,
     "apply a saved plan made for another git commit than the one checked "
     "out"},
    {"cost-free-tier", TSK_OPT_BOOL, &cost_free_tier, NULL,
     "deduct the monthly free tier in the cost estimate"},
    {"budget-policy", TSK_OPT_STRING, &budget_policy, "warn|fail",
     "fail: refuse to apply when an estimate exceeds its budget"},
    {NULL},
};

static int has_changes(const struct tsk_plan *p)
{
    int a = 0, c = 0, x = 0;
    tsk_plan_counts(p, &a, &c, &x);
    return a + c + x > 0;
}

static void show_plan(const struct tsk_flow *f, int color)
{
    struct tsk_buf b = TSK_BUF_INIT;
    struct tsk_render_opts ro = {color, show_sensitive};
    tsk_render_text(&b, &f->plan, &ro);
    fwrite(b.ptr, 1, b.len, stdout);
    if (b.len && b.ptr[b.len - 1] != '\n')
        fputc('\n', stdout);
    fflush(stdout);
    tsk_buf_release(&b);
}

/* Loads the saved plan and checks it against the state and configuration
 * as they are now, then settles the journal (which would make it stale). */
static int load_saved(struct tsk_flow *f, const char *path)
{
    int rc = tsk_planfile_load(&f->plan, path, &f->d);
    if (rc)
        return rc;
    struct tsk_planfile_now now = {tsk_state_lineage(f->st),
                                   tsk_state_serial(f->st), f->cfg->digest,
                                   TSK_VERSION};
    rc = tsk_planfile_check(&f->plan, &now, &f->d);
    /* every failed check is listed: the commit's too */
    if (tsk_gitops_apply_checks(f->workdir, &f->plan.git, require_clean,
                                allow_other_commit, &f->d) != 0)
        rc = TSK_ECONFLICT;
    if (rc)
        return rc;
    struct tsk_apply_opts ao;
    int n = 0;
    tsk_flow_apply_opts(f, &ao, NULL);
    rc = tsk_apply_recover(&n, &ao, &f->d);
    if (rc == 0 && n > 0) {
        tsk_diag_error(&f->d, NULL,
                       "Saved plan is stale: an interrupted "
                       "apply left %d pending operation(s), now "
                       "settled, which changed the state",
                       n);
        tsk_diag_detail(&f->d, "Make a new plan with: tuskform plan "
                               "-out=FILE");
        rc = TSK_ECONFLICT;
    }
    return rc;
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_apply;
    int npos = 0, rc, code = TSK_EXIT_ERROR;
    if ((rc = tsk_opts_parse(&tsk_cmd_apply, argc, argv, &npos)))
        return rc;
    if (npos > 1)
        return tsk_cmd_usage_error(&tsk_cmd_apply, "expected at most one "
                                                   "PLANFILE");
    if (parallelism < 1 || parallelism > 1000)
        return tsk_cmd_usage_error(&tsk_cmd_apply, "-parallelism must be "
                                                   "between 1 and 1000");
    if (strcmp(budget_policy, "warn") != 0 &&
        strcmp(budget_policy, "fail") != 0)
        return tsk_cmd_usage_error(&tsk_cmd_apply,
                                   "-budget-policy is warn "
                                   "or fail, not \"%s\"",
                                   budget_policy);
    const char *planfile = npos ? argv[1] : NULL;
    volatile sig_atomic_t *intr = tsk_flow_sigint();
    struct tsk_flow f;
    struct tsk_flow_opts fo = {.operation = "apply",
                               .lock_timeout = lock_timeout,
                               .parallelism = (int)parallelism,
                               .color = cli->color,
                               .no_recover = planfile != NULL};
    fo.cost_free_tier = cost_free_tier;
    fo.budget_fail = strcmp(budget_policy, "fail") == 0;
    rc = tsk_flow_start(&f, &fo);
    if (rc == 0 && !planfile)
        rc = tsk_gitops_apply_checks(f.workdir, NULL, require_clean, 0, &f.d);
    if (rc == 0 && planfile) {
        rc = load_saved(&f, planfile);
        if (rc == 0 && fo.budget_fail) /* the budgets of the config now */
            rc = tsk_flow_cost(&f);
    } else if (rc == 0) {
        struct tsk_diff_opts dopts = {.targets = targets.v.v,
                                      .ntargets = targets.v.n,
                                      .replace = replace.v.v,
                                      .nreplace = replace.v.n};
        rc = tsk_flow_plan(&f, &dopts, refresh);
        if (rc == 0)
            show_plan(&f, cli->color);
    }
    if (rc == 0 && !has_changes(&f.plan)) {
        tsk_flow_save_refresh(&f);
        code = TSK_EXIT_OK;
    } else if (rc == 0 && !planfile && !auto_approve &&
               !tsk_cmd_confirm("Do you want to perform these actions?\n"
                                "  tuskform will perform the actions "
                                "described above.",
                                "-auto-approve")) {
        tsk_diag_error(&f.d, NULL, "Apply cancelled.");
    } else if (rc == 0) {
        code = tsk_flow_apply(&f, intr, 0);
    }
    tsk_flow_end(&f);
    return code;
}

const struct tsk_command tsk_cmd_apply = {
    .name = "apply",
    .run = run,
    .summary = "Make the cloud match the configuration",
    .usage = "apply [PLANFILE] [options]",
    .details = "Exit codes: 0 done, 1 something was not done (see the "
               "summary), 130 interrupted.\nOperations running longer than "
               "10 s print \"Still creating... [10s elapsed]\" lines\n"
               "(TUSKFORM_STILL_EVERY=N sets the interval, for tests).",
    .opts = opts,
};

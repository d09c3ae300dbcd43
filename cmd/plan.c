/*
 * plan.c - `tuskform plan`: refresh the prior objects, diff the
 * configuration against them and show the plan (text, JSON or markdown);
 * -out saves it for `apply PLANFILE`. With -json (or -format=json) stdout
 * holds exactly one JSON document, diagnostics go to stderr. Exit codes:
 * 0 no changes (or changes without -detailed-exitcode), 1 error, 2 changes
 * present with -detailed-exitcode (drift, in -refresh-only mode), 64 usage.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "plansave.h"
#include "stateio.h"
#include "planner/gitops.h"
#include "planner/render.h"

static const char *out_path, *format, *git_ref;
static int json, detailed, refresh = 1, refresh_only, destroy, show_sensitive;
static long parallelism = 10;
static int cost_free_tier;
static const char *budget_policy = "warn";
static double lock_timeout;
static struct tsk_strlist targets, replaces;

static const struct tsk_opt opts[] = {
    {"out", TSK_OPT_STRING, &out_path, "FILE",
     "save the plan to FILE for `tuskform apply FILE`"},
    {"json", TSK_OPT_BOOL, &json, NULL,
     "the plan as one JSON document (same as -format=json)"},
    {"format", TSK_OPT_STRING, &format, "FMT", "text, json or markdown"},
    {"detailed-exitcode", TSK_OPT_BOOL, &detailed, NULL,
     "exit 0 no changes, 1 error, 2 changes present"},
    {"refresh", TSK_OPT_BOOL, &refresh, NULL,
     "read every object first (default true; -refresh=false skips it)"},
    {"refresh-only", TSK_OPT_BOOL, &refresh_only, NULL,
     "only report drift; plan no changes"},
    {"destroy", TSK_OPT_BOOL, &destroy, NULL,
     "plan to destroy every object in state"},
    {"target", TSK_OPT_LIST, &targets, "ADDR",
     "plan only ADDR and what it depends on (repeatable)"},
    {"replace", TSK_OPT_LIST, &replaces, "ADDR",
     "replace ADDR even if it did not change (repeatable)"},
    {"parallelism", TSK_OPT_INT, &parallelism, "N",
     "refresh N objects at a time (default 10)"},
    {"lock-timeout", TSK_OPT_DURATION, &lock_timeout, "D",
     "wait up to D (e.g. 30s) for the state lock (default 0s)"},
    {"show-sensitive", TSK_OPT_BOOL, &show_sensitive, NULL,
     "show sensitive values instead of (sensitive value)"},
    {"git-ref", TSK_OPT_STRING, &git_ref, "REF",
     "read the *.tsk files from git commit REF (branch, tag, id) instead of "
     "the work tree"},
    {"cost-free-tier", TSK_OPT_BOOL, &cost_free_tier, NULL,
     "deduct the monthly free tier in the cost estimate"},
    {"budget-policy", TSK_OPT_STRING, &budget_policy, "warn|fail",
     "fail: exit 1 when an estimate exceeds its budget"},
    {NULL},
};

extern const struct tsk_command tsk_cmd_plan;

enum fmt { FMT_TEXT, FMT_JSON, FMT_MD };

static int check_usage(int npos, char **argv, enum fmt *f)
{
    const struct tsk_command *c = &tsk_cmd_plan;
    if (npos > 0)
        return tsk_cmd_usage_error(c,
                                   "unexpected argument \"%s\": plan "
                                   "works on the current folder (use "
                                   "-chdir=DIR)",
                                   argv[1]);
    *f = json ? FMT_JSON : FMT_TEXT;
    if (format && strcmp(format, "json") == 0)
        *f = FMT_JSON;
    else if (format && strcmp(format, "markdown") == 0 && !json)
        *f = FMT_MD;
    else if (format && (strcmp(format, "text") != 0 || json))
        return tsk_cmd_usage_error(c,
                                   "-format takes text, json or markdown"
                                   "%s",
                                   json ? " (and -json means json)" : "");
    if (refresh_only && destroy)
        return tsk_cmd_usage_error(c, "-refresh-only and -destroy cannot be "
                                      "used together");
    if (refresh_only && !refresh)
        return tsk_cmd_usage_error(c, "-refresh-only needs the refresh: it "
                                      "cannot be used with -refresh=false");
    if (replaces.v.n && (destroy || refresh_only))
        return tsk_cmd_usage_error(c, "-replace cannot be used with %s",
                                   destroy ? "-destroy" : "-refresh-only");
    if (parallelism < 1 || parallelism > 1000)
        return tsk_cmd_usage_error(c, "-parallelism takes 1 to 1000");
    if (strcmp(budget_policy, "warn") != 0 &&
        strcmp(budget_policy, "fail") != 0)
        return tsk_cmd_usage_error(c, "-budget-policy is warn or fail, not "
                                      "\"%s\"", budget_policy);
    return 0;
}

static size_t changes_of(const struct tsk_plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->changes.n; i++)
        n += p->changes.v[i].action != TSK_NOOP;
    return p->refresh_only ? p->drift.n : n;
}

/* Renders the plan into b; text is handed to stream as it goes (when not
 * NULL), b then holds only the rest. */
static void render_plan(struct tsk_buf *b, const struct tsk_plan *p, enum fmt f,
                        int color, FILE *stream)
{
    struct tsk_render_opts ro = {f == FMT_TEXT ? color : 0, show_sensitive};
    if (f == FMT_JSON)
        tsk_render_json(b, p, &ro);
    else if (f == FMT_MD) {
        tsk_render_md(b, p, &ro);
        /* the commit line, and GitHub's comment limit as a hard cap */
        tsk_gitops_md_finish(b, 0, &p->git, 0, "run `tuskform show PLANFILE`");
    } else
        tsk_render_text_stream(b, p, &ro, stream);
}

static void print_plan(const struct tsk_plan *p, enum fmt f, int color)
{
    struct tsk_buf b = TSK_BUF_INIT;
    render_plan(&b, p, f, color, stdout);
    fwrite(b.ptr, 1, b.len, stdout);
    tsk_buf_release(&b);
}

/*
 * -out: saves the plan (on a second thread) while rendering it, and
 * prints it once saved, as print_plan after a save would; returns whether
 * it was saved. When it was not, the plan is marked errored and only JSON
 * is printed (rendered again: the document says it errored).
 */
static int save_and_print(struct tsk_flow *fl, enum fmt f, int color)
{
    struct tsk_plansave *sv = tsk_plansave_start(&fl->plan, out_path, stdout);
    FILE *held = f == FMT_TEXT ? tsk_plansave_stream(sv) : NULL;
    struct tsk_buf b = TSK_BUF_INIT;
    render_plan(&b, &fl->plan, f, color, held);
    if (held) {
        fwrite(b.ptr, 1, b.len, held);
        tsk_buf_reset(&b);
    }
    int saved = tsk_plansave_wait(sv, &fl->d) == 0;
    if (!saved) {
        fl->plan.errored = 1;
        tsk_buf_reset(&b);
        if (f == FMT_JSON)
            render_plan(&b, &fl->plan, f, color, NULL);
    }
    fwrite(b.ptr, 1, b.len, stdout);
    tsk_buf_release(&b);
    tsk_plansave_free(sv);
    return saved;
}

static void print_notes(const struct tsk_plan *p, int saved)
{
    if (saved) {
        printf("\nSaved the plan to: %s\n\nTo perform exactly these "
               "actions, run the following command to apply:\n"
               "    tuskform apply \"%s\"\n",
               out_path, out_path);
    } else if (changes_of(p)) {
        printf("\n─────────────────────────────────────────────────────────"
               "────────────────────\n\nNote: You didn't use the -out option "
               "to save this plan, so tuskform can't\nguarantee to take "
               "exactly these actions if you run \"tuskform apply\" now.\n");
    }
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    int npos;
    enum fmt f = FMT_TEXT;
    if (tsk_opts_parse(&tsk_cmd_plan, argc, argv, &npos) ||
        check_usage(npos, argv, &f))
        return TSK_EXIT_USAGE;
    struct tsk_flow fl;
    struct tsk_flow_opts fo = {.operation = "plan",
                               .lock_timeout = lock_timeout,
                               .parallelism = (int)parallelism,
                               .color = cli->color,
                               .no_recover = 1,
                               .cost_free_tier = cost_free_tier,
                               .budget_fail = !strcmp(budget_policy, "fail"),
                               .drop_graph_attrs = 1};
    struct tsk_diff_opts dopts = {
        .destroy = destroy,
        .refresh_only = refresh_only,
        .targets = targets.v.v,
        .ntargets = targets.v.n,
        .replace = replaces.v.v,
        .nreplace = replaces.v.n,
    };
    int rc = tsk_flow_start_at(&fl, &fo, git_ref);
    if (rc == 0 && refresh) /* the journal of an interrupted apply */
        rc = tsk_cmd_pending_prior(&fl);
    if (rc == 0)
        rc = tsk_flow_plan(&fl, &dopts, refresh);
    if (rc || fl.d.nerr)
        fl.plan.errored = 1;
    int saved = 0;
    if (!fl.plan.errored && out_path)
        saved = save_and_print(&fl, f, cli->color);
    /* -json promises one document on stdout, also when planning failed */
    else if (f == FMT_JSON || !fl.plan.errored)
        print_plan(&fl.plan, f, cli->color);
    if (f == FMT_TEXT && !fl.plan.errored)
        print_notes(&fl.plan, saved);
    fflush(stdout);
    int errored = fl.plan.errored;
    size_t n = changes_of(&fl.plan);
    tsk_flow_end(&fl);
    if (errored)
        return TSK_EXIT_ERROR;
    return detailed && n ? TSK_EXIT_CHANGES : TSK_EXIT_OK;
}

const struct tsk_command tsk_cmd_plan = {
    .name = "plan",
    .run = run,
    .summary = "Show the changes apply would make",
    .usage = "plan [-out=FILE] [-json|-format=text|json|markdown] "
             "[-detailed-exitcode] [-refresh=false] [-refresh-only] "
             "[-destroy] [-target=ADDR]... [-replace=ADDR]... "
             "[-parallelism=N] [-lock-timeout=D] [-show-sensitive] "
             "[-git-ref=REF] [-cost-free-tier] [-budget-policy=warn|fail]",
    .details = "Refreshes every object in state (unless -refresh=false), "
               "compares the\nconfiguration with it and prints the plan. "
               "Drift found by the refresh is\nshown first, in its own "
               "section. -json prints the whole plan as one JSON\ndocument "
               "in Terraform's plan format (not Terraform's event stream), "
               "with\nsensitive values redacted. Exit codes: 0 success, 1 "
               "error, 2 changes present\n(with -detailed-exitcode; in "
               "-refresh-only mode: drift found), 64 usage.",
    .opts = opts,
};

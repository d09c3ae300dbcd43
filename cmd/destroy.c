/*
 * destroy.c - `tuskform destroy [-auto-approve]`: delete everything the
 * state records, dependents first, after showing the plan and asking for
 * `yes` (without a terminal it refuses unless -auto-approve).
 */
#include "cli.h"

#include "flow.h"
#include "planner/render.h"
#include "stateio.h"

static int auto_approve, show_sensitive;
static int refresh = 1;
static long parallelism = 10;
static double lock_timeout;

static const struct tsk_opt opts[] = {
    {"auto-approve", TSK_OPT_BOOL, &auto_approve, NULL,
     "destroy without asking for confirmation"},
    {"parallelism", TSK_OPT_INT, &parallelism, "N",
     "provider calls made at once (default 10)"},
    {"lock-timeout", TSK_OPT_DURATION, &lock_timeout, "DURATION",
     "wait this long for the state lock (e.g. 30s)"},
    {"refresh", TSK_OPT_BOOL, &refresh, NULL,
     "-refresh=false: do not read the cloud first"},
    {"show-sensitive", TSK_OPT_BOOL, &show_sensitive, NULL,
     "show sensitive values in the plan"},
    {NULL},
};

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_destroy;
    int npos = 0, rc, code = TSK_EXIT_ERROR;
    if ((rc = tsk_opts_parse(&tsk_cmd_destroy, argc, argv, &npos)))
        return rc;
    if (npos)
        return tsk_cmd_usage_error(&tsk_cmd_destroy,
                                   "unexpected argument "
                                   "\"%s\"",
                                   argv[1]);
    if (parallelism < 1 || parallelism > 1000)
        return tsk_cmd_usage_error(&tsk_cmd_destroy, "-parallelism must be "
                                                     "between 1 and 1000");
    volatile sig_atomic_t *intr = tsk_flow_sigint();
    struct tsk_flow f;
    struct tsk_flow_opts fo = {.operation = "destroy",
                               .lock_timeout = lock_timeout,
                               .parallelism = (int)parallelism,
                               .color = cli->color,
                               .no_recover = 0};
    struct tsk_diff_opts dopts = {.destroy = 1};
    rc = tsk_flow_start(&f, &fo);
    if (rc == 0)
        rc = tsk_flow_plan(&f, &dopts, refresh);
    int add = 0, change = 0, destroy = 0;
    if (rc == 0) {
        struct tsk_buf b = TSK_BUF_INIT;
        struct tsk_render_opts ro = {cli->color, show_sensitive};
        tsk_render_text(&b, &f.plan, &ro);
        fwrite(b.ptr, 1, b.len, stdout);
        if (b.len && b.ptr[b.len - 1] != '\n')
            fputc('\n', stdout);
        tsk_buf_release(&b);
        tsk_plan_counts(&f.plan, &add, &change, &destroy);
    }
    if (rc == 0 && destroy == 0) {
        tsk_flow_save_refresh(&f);
        code = TSK_EXIT_OK;
    } else if (rc == 0 && !auto_approve &&
               !tsk_cmd_confirm("Do you really want to destroy all "
                                "resources?\n  tuskform will destroy all "
                                "your managed infrastructure, as shown "
                                "above.\n  There is no undo.",
                                "-auto-approve")) {
        tsk_diag_error(&f.d, NULL, "Destroy cancelled.");
    } else if (rc == 0) {
        code = tsk_flow_apply(&f, intr, 1);
    }
    tsk_flow_end(&f);
    return code;
}

const struct tsk_command tsk_cmd_destroy = {
    .name = "destroy",
    .run = run,
    .summary = "Delete everything the state records",
    .usage = "destroy [-auto-approve] [options]",
    .opts = opts,
};

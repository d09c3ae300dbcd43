/*
 * drift.c - `tuskform drift [-json | -format=markdown]`: refresh only.
 * Reads every managed object from the cloud and reports those changed or
 * deleted outside tuskform, attribute by attribute (names as in the
 * plan). Nothing is written. Exit 0 when there is no drift, 2 when there
 * is, 1 on any error, whatever the output format.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "planner/gitops.h"
#include "planner/render.h"
#include "stateio.h"

static int json, show_sensitive;
static const char *format;
static long parallelism = 10;

static const struct tsk_opt opts[] = {
    {"json", TSK_OPT_BOOL, &json, NULL, "same as -format=json"},
    {"format", TSK_OPT_STRING, &format, "text|json|markdown",
     "output format (default text)"},
    {"parallelism", TSK_OPT_INT, &parallelism, "N",
     "objects read at once (default 10)"},
    {"show-sensitive", TSK_OPT_BOOL, &show_sensitive, NULL,
     "show sensitive values instead of (sensitive value)"},
    {NULL},
};

static void print(const struct tsk_flow *f, int fmt, int color)
{
    struct tsk_buf b = TSK_BUF_INIT;
    struct tsk_render_opts ro = {fmt == 0 ? color : 0, show_sensitive};
    if (fmt == 1) {
        /* Terraform's plan format, plus the drift report: per resource,
         * each drifted path with its state and cloud values; a summary */
        cJSON *doc = tsk_render_json_doc(&f->plan, &ro);
        cJSON_AddItemToObject(
            doc, "drift",
            tsk_gitops_drift_json(&f->plan, f->prior.n, show_sensitive));
        char *s = cJSON_PrintUnformatted(doc);
        tsk_buf_adds(&b, s ? s : "{}");
        tsk_buf_addch(&b, '\n');
        cJSON_free(s);
        cJSON_Delete(doc);
    } else if (fmt == 2) {
        tsk_gitops_drift_md(&b, &f->plan, f->prior.n, show_sensitive);
        tsk_gitops_md_finish(&b, 0, &f->plan.git, 0,
                             "run `tuskform drift -json`");
    } else {
        tsk_render_text_drift(&b, &f->plan, &ro);
        if (!f->plan.drift.n)
            tsk_buf_addf(&b,
                         "No drift: the %zu managed object(s) match the "
                         "state.\n",
                         f->prior.n);
    }
    fwrite(b.ptr, 1, b.len, stdout);
    tsk_buf_release(&b);
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_drift;
    int npos = 0, rc, fmt = 0;
    if ((rc = tsk_opts_parse(&tsk_cmd_drift, argc, argv, &npos)))
        return rc == TSK_EXIT_USAGE ? rc : TSK_EXIT_ERROR;
    if (npos)
        return tsk_cmd_usage_error(&tsk_cmd_drift,
                                   "unexpected argument "
                                   "\"%s\"",
                                   argv[1]);
    if (json || (format && strcmp(format, "json") == 0))
        fmt = 1;
    else if (format &&
             (strcmp(format, "markdown") == 0 || strcmp(format, "md") == 0))
        fmt = 2;
    else if (format && strcmp(format, "text") != 0)
        return tsk_cmd_usage_error(&tsk_cmd_drift,
                                   "unknown -format=%s "
                                   "(text, json, markdown)",
                                   format);
    if (parallelism < 1 || parallelism > 1000)
        return tsk_cmd_usage_error(&tsk_cmd_drift, "-parallelism must be "
                                                   "between 1 and 1000");
    struct tsk_flow f;
    struct tsk_flow_opts fo = {.operation = NULL,
                               .lock_timeout = 0,
                               .parallelism = (int)parallelism,
                               .color = cli->color,
                               .no_recover = 1};
    struct tsk_diff_opts dopts = {.refresh_only = 1};
    rc = tsk_flow_start(&f, &fo);
    if (rc == 0)
        rc = tsk_cmd_pending_prior(&f);
    if (rc == 0)
        rc = tsk_flow_plan(&f, &dopts, 1);
    if (rc == 0)
        print(&f, fmt, cli->color);
    int code = rc || f.d.nerr   ? TSK_EXIT_ERROR
               : f.plan.drift.n ? TSK_EXIT_CHANGES
                                : TSK_EXIT_OK;
    tsk_flow_end(&f);
    return code;
}

const struct tsk_command tsk_cmd_drift = {
    .name = "drift",
    .run = run,
    .summary = "Report objects changed or deleted outside tuskform",
    .usage = "drift [-json | -format=markdown]",
    .details = "Exit codes: 0 no drift, 2 drift found, 1 error.",
    .opts = opts,
};

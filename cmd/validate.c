/*
 * validate.c - `tuskform validate [-json]`: load every *.tsk file of the
 * current folder, build the serverless model, lower it with its provider
 * into the resource graph (no state, no credentials), and report every
 * problem.
 * Text mode: diagnostics compiler-style on stderr, and "Success! ..." on
 * stdout when the configuration is valid. -json: only JSON on stdout, in
 * the shape of `terraform validate -json`. Exit 0 when valid (warnings
 * allowed), 1 otherwise.
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "planner/config.h"
#include "planner/heap.h"

static int json;
static const char *git_ref;

static const struct tsk_opt opts[] = {
    {"json", TSK_OPT_BOOL, &json, NULL,
     "print the result as JSON (the shape of terraform validate -json)"},
    {"git-ref", TSK_OPT_STRING, &git_ref, "REF",
     "check the *.tsk files of git commit REF instead of the work tree"},
    {NULL},
};

static cJSON *pos_json(const struct tsk_pos *p, int end)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "line", p->line);
    cJSON_AddNumberToObject(o, "column", p->col + (end ? 1 : 0));
    cJSON_AddNumberToObject(o, "byte", p->off + (end ? 1 : 0));
    return o;
}

static void print_json(const struct tsk_diags *d)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    cJSON_AddStringToObject(root, "format_version", "1.0");
    cJSON_AddBoolToObject(root, "valid", d->nerr == 0);
    cJSON_AddNumberToObject(root, "error_count", d->nerr);
    cJSON_AddNumberToObject(root, "warning_count", d->nwarn);
    for (size_t i = 0; i < d->v.n; i++) {
        const struct tsk_diag *dg = &d->v.v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "severity",
                                dg->sev == TSK_SEV_ERROR ? "error" : "warning");
        cJSON_AddStringToObject(o, "summary", dg->summary);
        cJSON_AddStringToObject(o, "detail", dg->detail ? dg->detail : "");
        if (dg->addr)
            cJSON_AddStringToObject(o, "address", dg->addr);
        if (dg->pos.src) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "filename", dg->pos.src->name);
            cJSON_AddItemToObject(r, "start", pos_json(&dg->pos, 0));
            cJSON_AddItemToObject(r, "end", pos_json(&dg->pos, 1));
            cJSON_AddItemToObject(o, "range", r);
        }
        cJSON_AddItemToArray(arr, o);
    }
    cJSON_AddItemToObject(root, "diagnostics", arr);
    char *s = cJSON_Print(root);
    if (s)
        printf("%s\n", s);
    cJSON_free(s);
    cJSON_Delete(root);
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_validate;
    struct tsk_diags d = {0};
    struct tsk_config *c = NULL;
    int npos;
    if (tsk_opts_parse(&tsk_cmd_validate, argc, argv, &npos))
        return TSK_EXIT_USAGE;
    if (npos > 0)
        return tsk_cmd_usage_error(&tsk_cmd_validate,
                                   "unexpected argument "
                                   "\"%s\": validate checks the current "
                                   "folder (use -chdir=DIR)",
                                   argv[1]);
    /*
     * The pipeline of plan and apply, without state or credentials: load,
     * model, provider, lowering, graph checks. A stage runs only when the
     * ones before it found no error (a document with load errors would give
     * the model false errors), and each stage reports all it finds.
     */
    struct tsk_config_opts co = {.git_ref = git_ref};
    tsk_config_load(&c, ".", &co, &d);
    tsk_diags_sort(&d);
    int valid = d.nerr == 0;
    if (json) {
        print_json(&d);
    } else {
        fflush(stdout);
        tsk_diags_print(&d, stderr, cli->color);
        if (valid)
            printf("%sSuccess!%s The configuration is valid%s\n",
                   cli->color ? "\033[1;32m" : "", cli->color ? "\033[0m" : "",
                   d.nwarn ? ", but there were some validation warnings as "
                             "shown above."
                           : ".");
    }
    tsk_diags_release(&d);
    /* a large configuration is left to the exit (planner/heap.h) */
    if (tsk_heap_free_at_exit(c ? c->graph.nodes.n : 0))
        tsk_config_free(c);
    return valid ? TSK_EXIT_OK : TSK_EXIT_ERROR;
}

const struct tsk_command tsk_cmd_validate = {
    .name = "validate",
    .run = run,
    .summary = "Check the configuration: syntax, schema and references",
    .usage = "validate [-json] [-git-ref=REF]",
    .details =
        "Loads every *.tsk file of the current folder (see -chdir) and\n"
        "checks the TSK syntax, the keys and values of every section, and\n"
        "the names entries give each other (event sources, authorizers,\n"
        "event targets, budgets, pre-warming). Every problem is reported,\n"
        "each at its file:line:col. Exits 0 when the configuration is\n"
        "valid (warnings allowed), 1 otherwise.",
    .opts = opts,
};

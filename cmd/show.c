/*
 * show.c - `tuskform show [-json] [PLANFILE]`: a saved plan (as `plan`
 * prints it, or as Terraform-format JSON), or without PLANFILE the current
 * state. Sensitive values are redacted unless -show-sensitive.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "planner/attrpath.h"
#include "planner/gitops.h"
#include "planner/planfile.h"
#include "planner/render.h"
#include "stateio.h"

static int json, show_sensitive;
static const char *format;

static const struct tsk_opt opts[] = {
    {"json", TSK_OPT_BOOL, &json, NULL,
     "JSON (Terraform's plan or state format)"},
    {"format", TSK_OPT_STRING, &format, "FMT",
     "text, json or markdown (plans only)"},
    {"show-sensitive", TSK_OPT_BOOL, &show_sensitive, NULL,
     "show sensitive values instead of (sensitive value)"},
    {NULL},
};

extern const struct tsk_command tsk_cmd_show;

static int show_plan(const struct tsk_cli *cli, const char *path, int md)
{
    struct tsk_plan p;
    struct tsk_diags d = {0};
    int rc = tsk_planfile_load(&p, path, &d);
    if (rc == 0) {
        struct tsk_render_opts ro = {json || md ? 0 : cli->color,
                                     show_sensitive};
        struct tsk_buf b = TSK_BUF_INIT;
        if (json) {
            tsk_render_json(&b, &p, &ro);
        } else if (md) {
            tsk_render_md(&b, &p, &ro);
            /* as plan -format=markdown: the commit, the comment limit */
            tsk_gitops_md_finish(&b, 0, &p.git, 0,
                                 "run `tuskform show -json PLANFILE`");
        } else {
            tsk_render_text(&b, &p, &ro);
        }
        fwrite(b.ptr, 1, b.len, stdout);
        tsk_buf_release(&b);
        tsk_plan_free(&p);
    }
    fflush(stdout);
    tsk_diags_print(&d, stderr, cli->color);
    tsk_diags_release(&d);
    return rc ? TSK_EXIT_ERROR : TSK_EXIT_OK;
}

/* The attributes of a stored record, redacted unless asked. */
static cJSON *rec_values(const struct tsk_state_rec *r, cJSON **mask)
{
    cJSON *attrs = tsk_state_rec_attrs(r), *sens = tsk_state_rec_sensitive(r);
    size_t n = 0;
    const char **paths = tsk_cmd_strs(sens, &n);
    if (!attrs)
        attrs = cJSON_CreateObject();
    *mask = tsk_sensitive_mask(attrs, paths, n);
    if (!show_sensitive) {
        cJSON *red = tsk_redact_dup(attrs, paths, n);
        cJSON_Delete(attrs);
        attrs = red;
    }
    free(paths);
    cJSON_Delete(sens);
    return attrs;
}

static void state_json(const struct tsk_state_snap *s)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "format_version", "1.0");
    cJSON_AddStringToObject(doc, "terraform_version", TSK_VERSION);
    cJSON *res = cJSON_CreateArray();
    for (size_t i = 0; s && i < s->res.n; i++) {
        const struct tsk_state_rec *r = &s->res.v[i];
        const char *dot = strchr(r->address, '.');
        cJSON *o = cJSON_CreateObject(), *mask;
        cJSON_AddStringToObject(o, "address", r->address);
        cJSON_AddStringToObject(o, "mode", "managed");
        cJSON_AddStringToObject(o, "type", r->type);
        cJSON_AddStringToObject(o, "name", dot ? dot + 1 : r->address);
        cJSON_AddStringToObject(o, "provider_name", r->provider);
        cJSON_AddNumberToObject(o, "schema_version", 0);
        cJSON_AddItemToObject(o, "values", rec_values(r, &mask));
        cJSON_AddItemToObject(o, "sensitive_values", mask);
        if (r->tainted)
            cJSON_AddBoolToObject(o, "tainted", 1);
        cJSON_AddItemToArray(res, o);
    }
    if (s) {
        cJSON *v = cJSON_AddObjectToObject(doc, "values");
        cJSON *rm = cJSON_AddObjectToObject(v, "root_module");
        cJSON_AddItemToObject(rm, "resources", res);
    } else {
        cJSON_Delete(res);
    }
    char *text = cJSON_PrintUnformatted(doc);
    printf("%s\n", text);
    cJSON_free(text);
    cJSON_Delete(doc);
}

static void state_text(const struct tsk_state_snap *s)
{
    if (!s || !s->res.n) {
        printf("No state.\n");
        return;
    }
    for (size_t i = 0; i < s->res.n; i++) {
        const struct tsk_state_rec *r = &s->res.v[i];
        const char *dot = strchr(r->address, '.');
        cJSON *mask, *vals = rec_values(r, &mask);
        printf("%s# %s:%s\nresource \"%s\" \"%s\" {\n", i ? "\n" : "",
               r->address, r->tainted ? " (tainted)" : "", r->type,
               dot ? dot + 1 : r->address);
        tsk_cmd_print_attrs(stdout, vals, 4);
        printf("}\n");
        cJSON_Delete(vals);
        cJSON_Delete(mask);
    }
}

static int show_state(const struct tsk_cli *cli)
{
    struct tsk_state *st = NULL;
    struct tsk_state_snap *s = NULL;
    struct tsk_diags d = {0};
    int rc = tsk_cmd_state_open(&st, 0, NULL, 0, &d);
    if (rc == TSK_ENOTFOUND)
        rc = 0;
    else if (rc == 0)
        rc = tsk_state_load(&s, st, &d);
    if (rc == 0) {
        if (json)
            state_json(s);
        else
            state_text(s);
    }
    fflush(stdout);
    tsk_diags_print(&d, stderr, cli->color);
    tsk_diags_release(&d);
    tsk_state_snap_free(s);
    tsk_state_close(st);
    return rc ? TSK_EXIT_ERROR : TSK_EXIT_OK;
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    int npos, md = 0;
    if (tsk_opts_parse(&tsk_cmd_show, argc, argv, &npos))
        return TSK_EXIT_USAGE;
    if (npos > 1)
        return tsk_cmd_usage_error(&tsk_cmd_show, "takes at most one "
                                                  "PLANFILE");
    if (format && strcmp(format, "json") == 0)
        json = 1;
    else if (format && strcmp(format, "markdown") == 0 && !json)
        md = 1;
    else if (format && (strcmp(format, "text") != 0 || json))
        return tsk_cmd_usage_error(&tsk_cmd_show, "-format takes text, json "
                                                  "or markdown");
    if (npos == 1)
        return show_plan(cli, argv[1], md);
    if (md)
        return tsk_cmd_usage_error(&tsk_cmd_show, "-format=markdown needs "
                                                  "a PLANFILE");
    return show_state(cli);
}

const struct tsk_command tsk_cmd_show = {
    .name = "show",
    .run = run,
    .summary = "Show a saved plan, or the current state",
    .usage = "show [-json|-format=text|json|markdown] [-show-sensitive] "
             "[PLANFILE]",
    .details = "With PLANFILE, prints the plan saved by `plan -out` (with "
               "-json in\nTerraform's plan format). Without, prints every "
               "object in state.",
    .opts = opts,
};

/*
 * output.c - `tuskform output [-json] [NAME]`: the values the cloud
 * assigned to each managed resource (its computed attributes: ids, ARNs,
 * URLs), read from state alone, named ADDRESS.ATTRIBUTE. Text prints
 * `name = value` lines; -json prints Terraform's output shape
 * ({"name": {"sensitive": false, "type": "string", "value": ...}}).
 * Sensitive values are redacted.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "planner/attrpath.h"
#include "providers/provider.h"
#include "stateio.h"

static int json;

static const struct tsk_opt opts[] = {
    {"json", TSK_OPT_BOOL, &json, NULL, "print the outputs as JSON"},
    {NULL},
};

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsNumber(v))
        return "number";
    if (cJSON_IsBool(v))
        return "bool";
    return cJSON_IsArray(v) ? "list" : "map";
}

/* Adds the computed attributes of one resource to outs. */
static void add_outputs(cJSON *outs, const struct tsk_state_rec *r)
{
    const struct tsk_provider *p = tsk_provider_for_type(r->type);
    const struct tsk_resource_type *rt = tsk_provider_type(p, r->type);
    cJSON *attrs = tsk_state_rec_attrs(r), *sens = tsk_state_rec_sensitive(r);
    size_t ns = 0;
    const char **sv = tsk_cmd_strs(sens, &ns);
    for (const struct tsk_attr_schema *a = rt ? rt->schema->attrs : NULL;
         a && a->name; a++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, a->name);
        if (!(a->flags & TSK_A_COMPUTED) || !v || cJSON_IsNull(v))
            continue;
        int secret = (a->flags & TSK_A_SENSITIVE) ||
                     tsk_path_covered(sv, ns, a->name);
        char *name = tsk_xasprintf("%s.%s", r->address, a->name);
        cJSON *o = cJSON_AddObjectToObject(outs, name);
        cJSON_AddBoolToObject(o, "sensitive", secret);
        cJSON_AddStringToObject(o, "type", type_name(v));
        cJSON_AddItemToObject(o, "value",
                              secret ? cJSON_CreateString(TSK_REDACTED)
                                     : cJSON_Duplicate(v, 1));
        free(name);
    }
    free(sv);
    cJSON_Delete(sens);
    cJSON_Delete(attrs);
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_output;
    struct tsk_diags d = {0};
    struct tsk_state *st = NULL;
    struct tsk_state_snap *s = NULL;
    int npos = 0, rc;
    if ((rc = tsk_opts_parse(&tsk_cmd_output, argc, argv, &npos)))
        return rc;
    if (npos > 1)
        return tsk_cmd_usage_error(&tsk_cmd_output, "expected at most one "
                                                    "NAME");
    cJSON *outs = cJSON_CreateObject();
    rc = tsk_cmd_state_open(&st, 0, NULL, 0, &d);
    if (rc == 0)
        rc = tsk_state_load(&s, st, &d);
    for (size_t i = 0; rc == 0 && i < s->res.n; i++)
        add_outputs(outs, &s->res.v[i]);
    if (rc == TSK_ENOTFOUND)
        rc = 0; /* nothing applied yet: no outputs */
    const cJSON *one = npos ? cJSON_GetObjectItemCaseSensitive(outs, argv[1])
                            : NULL;
    if (rc == 0 && npos && !one)
        rc = tsk_diag_error(&d, NULL, "no output named \"%s\"", argv[1]);
    if (rc == 0 && json) {
        char *txt = cJSON_Print(one ? cJSON_GetObjectItem(one, "value")
                                    : outs);
        printf("%s\n", txt);
        cJSON_free(txt);
    } else if (rc == 0 && one) {
        tsk_cmd_print_value(stdout, cJSON_GetObjectItem(one, "value"), 0);
        printf("\n");
    } else if (rc == 0) {
        cJSON *flat = cJSON_CreateObject();
        const cJSON *e;
        cJSON_ArrayForEach(e, outs)
        {
            cJSON_AddItemToObject(
                flat, e->string,
                cJSON_Duplicate(cJSON_GetObjectItem(e, "value"), 1));
        }
        tsk_cmd_print_attrs(stdout, flat, 0);
        cJSON_Delete(flat);
    }
    cJSON_Delete(outs);
    tsk_state_snap_free(s);
    tsk_state_close(st);
    tsk_diags_print(&d, stderr, cli->color);
    tsk_diags_release(&d);
    return rc ? TSK_EXIT_ERROR : TSK_EXIT_OK;
}

const struct tsk_command tsk_cmd_output = {
    .name = "output",
    .run = run,
    .summary = "Show the ids, ARNs and URLs the cloud assigned",
    .usage = "output [-json] [NAME]",
    .details = "NAME is ADDRESS.ATTRIBUTE, e.g. local_function.api.arn.",
    .opts = opts,
};

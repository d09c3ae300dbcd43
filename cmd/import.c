/*
 * import.c - `tuskform import ADDRESS ID`: adopt an object that already
 * exists in the cloud under an address of the configuration. The object is
 * read through its type (it must exist) and recorded in state; the next
 * plan shows whatever differs from the configuration.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "flow.h"

static double lock_timeout;

static const struct tsk_opt opts[] = {
    {"lock-timeout", TSK_OPT_DURATION, &lock_timeout, "DURATION",
     "wait this long for the state lock (e.g. 30s)"},
    {NULL},
};

static cJSON *strs(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

static int import(struct tsk_flow *f, const char *addr, const char *id)
{
    const struct tsk_graph *g = &f->cfg->graph;
    uint32_t n = tsk_graph_find(g, addr);
    struct tsk_state_rec rec;
    struct tsk_diags scratch = {0};
    if (n == UINT32_MAX) {
        tsk_diag_error(&f->d, NULL, "%s is not in the configuration", addr);
        tsk_diag_detail(&f->d, "Import adopts an object under an address "
                               "the configuration declares; `tuskform "
                               "graph` lists them.");
        return TSK_ENOTFOUND;
    }
    int had = tsk_state_get(&rec, f->st, addr, &scratch) == 0;
    tsk_diags_release(&scratch);
    if (had) {
        tsk_diag_error(&f->d, NULL, "%s is already managed (id %s)", addr,
                       rec.remote_id ? rec.remote_id : "unknown");
        tsk_diag_detail(&f->d,
                        "Remove it first with `tuskform state rm "
                        "%s`.",
                        addr);
        tsk_state_rec_release(&rec);
        return TSK_ECONFLICT;
    }
    const struct tsk_node *nd = &g->nodes.v[n];
    const struct tsk_resource_type *rt = nd->rt;
    struct tsk_rcall c = {f->pctx, addr, f->cfg->stack};
    cJSON *out = NULL;
    int rc = rt->import ? rt->import(&c, id, &out, &f->d)
                        : rt->read(&c, id, NULL, &out, &f->d);
    if (rc == 0 && !out) {
        tsk_diag_error(&f->d, NULL, "cannot import %s: no %s with id \"%s\"",
                       addr, nd->type, id);
        return TSK_ENOTFOUND;
    }
    if (rc)
        return rc;
    cJSON *sens = strs(nd->sensitive.v, nd->sensitive.n);
    cJSON *deps = cJSON_CreateArray();
    for (size_t i = 0; i < nd->deps.n; i++)
        cJSON_AddItemToArray(
            deps, cJSON_CreateString(g->nodes.v[nd->deps.v[i]].addr));
    struct tsk_state_res res = {addr, nd->type, f->prov->name, id,
                                out,  sens,     deps,          0};
    rc = tsk_state_put(f->st, &res, 0, &f->d);
    cJSON_Delete(sens);
    cJSON_Delete(deps);
    cJSON_Delete(out);
    return rc;
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_import;
    int npos = 0, rc;
    if ((rc = tsk_opts_parse(&tsk_cmd_import, argc, argv, &npos)))
        return rc;
    if (npos != 2)
        return tsk_cmd_usage_error(&tsk_cmd_import, "expected ADDRESS and "
                                                    "ID");
    struct tsk_flow f;
    struct tsk_flow_opts fo = {.operation = "import",
                               .lock_timeout = lock_timeout,
                               .parallelism = 1,
                               .color = cli->color,
                               .no_recover = 0};
    rc = tsk_flow_start(&f, &fo);
    if (rc == 0)
        rc = import(&f, argv[1], argv[2]);
    if (rc == 0) {
        char *what = tsk_xasprintf("imported %s (id %s)", argv[1], argv[2]);
        tsk_flow_history(&f, "import", what);
        free(what);
        printf("%s: Import complete [id=%s]\n\nImport successful!\n\nThe "
               "object is now managed by tuskform; run `tuskform plan` to "
               "see how it differs from the configuration.\n",
               argv[1], argv[2]);
    }
    tsk_flow_end(&f);
    return rc ? TSK_EXIT_ERROR : TSK_EXIT_OK;
}

const struct tsk_command tsk_cmd_import = {
    .name = "import",
    .run = run,
    .summary = "Adopt an existing cloud object into the state",
    .usage = "import [-lock-timeout=D] ADDRESS ID",
    .opts = opts,
};

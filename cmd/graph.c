/*
 * graph.c - `tuskform graph [-json] [-type=plan]`: the desired-state
 * resource graph of the configuration in the current folder, as Graphviz
 * DOT (render it with `tuskform graph | dot -Tsvg > graph.svg`) or as JSON.
 * Diagnostics go to stderr; exit 0, or 1 when the configuration has errors.
 */
#include "cli.h"

#include <string.h>

#include "planner/config.h"
#include "planner/heap.h"

static int json;
static const char *type, *git_ref;

static const struct tsk_opt opts[] = {
    {"json", TSK_OPT_BOOL, &json, NULL,
     "print the graph as JSON (resources, values, references) instead of "
     "DOT"},
    {"type", TSK_OPT_STRING, &type, "plan",
     "the graph to draw; only \"plan\" (the desired resources) for now"},
    {"git-ref", TSK_OPT_STRING, &git_ref, "REF",
     "read the *.tsk files from git commit REF instead of the work tree"},
    {NULL},
};

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_graph;
    struct tsk_diags d = {0};
    struct tsk_config *c = NULL;
    struct tsk_buf out = TSK_BUF_INIT;
    int npos = 0, rc;

    if ((rc = tsk_opts_parse(&tsk_cmd_graph, argc, argv, &npos)) != 0)
        return rc;
    if (npos > 0)
        return tsk_cmd_usage_error(&tsk_cmd_graph, "unexpected argument "
                                                   "\"%s\"", argv[1]);
    if (type && strcmp(type, "plan") != 0)
        return tsk_cmd_usage_error(&tsk_cmd_graph, "-type=%s is not "
                                                   "supported (use plan)",
                                   type);
    struct tsk_config_opts co = {.git_ref = git_ref};
    rc = tsk_config_load(&c, ".", &co, &d);
    tsk_diags_sort(&d);
    tsk_diags_print(&d, stderr, cli->color);
    if (rc == 0) {
        if (json)
            tsk_graph_json(&c->graph, &out);
        else
            tsk_graph_dot(&c->graph, &out);
        fwrite(out.ptr, 1, out.len, stdout);
    }
    tsk_buf_release(&out);
    /* a large configuration is left to the exit (planner/heap.h) */
    if (tsk_heap_free_at_exit(c ? c->graph.nodes.n : 0))
        tsk_config_free(c);
    tsk_diags_release(&d);
    return rc == 0 ? TSK_EXIT_OK : TSK_EXIT_ERROR;
}

const struct tsk_command tsk_cmd_graph = {
    .name = "graph",
    .run = run,
    .summary = "Print the resource graph (Graphviz DOT, or JSON)",
    .usage = "graph [-json] [-type=plan] [-git-ref=REF]",
    .details = "Loads the configuration, lowers it for its provider and "
               "prints the desired resources with the references between "
               "them. Render the DOT with Graphviz: tuskform graph | dot "
               "-Tsvg > graph.svg",
    .opts = opts,
};

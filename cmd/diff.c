/*
 * diff.c - `tuskform diff [-json | -format=FMT] BASE [HEAD]`: what a change
 * to the configuration means in intent. Loads the configuration of the
 * current folder as it is at two git revisions (HEAD by default for the
 * second; the work tree is never read or touched), lowers both, and
 * compares the desired graphs: resources added, removed and changed,
 * references rewired, functions added, removed and changed. No state, no
 * lock, no credentials: it runs on pull requests from forks. Exit 0 when
 * the intent is the same, 2 when it differs, 1 on an error, 64 on usage.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "planner/config.h"
#include "planner/git.h"
#include "planner/gitops.h"

static int json;
static const char *format;

static const struct tsk_opt opts[] = {
    {"json", TSK_OPT_BOOL, &json, NULL, "same as -format=json"},
    {"format", TSK_OPT_STRING, &format, "FMT",
     "text, json or markdown (a pull-request comment, at most 65,000 "
     "characters)"},
    {NULL},
};

extern const struct tsk_command tsk_cmd_diff;

enum fmt { FMT_TEXT, FMT_JSON, FMT_MD };

/* One side: the configuration at ref, or none when the folder has no
 * *.tsk files at that revision (a stack added or removed by the change). */
struct side {
    const char *ref;
    struct tsk_config *cfg;
    struct tsk_graph empty;
    int has;
};

static int load_side(struct side *s, struct tsk_diags *d)
{
    struct tsk_config_opts co = {.git_ref = s->ref};
    tsk_graph_init(&s->empty, NULL, "");
    s->has = tsk_git_has_config(".", s->ref, d);
    if (s->has < 0)
        return TSK_ERROR;
    if (!s->has)
        return 0;
    return tsk_config_load(&s->cfg, ".", &co, d);
}

static const struct tsk_graph *graph_of(const struct side *s)
{
    return s->cfg && s->cfg->lowered ? &s->cfg->graph : &s->empty;
}

static void side_free(struct side *s)
{
    tsk_config_free(s->cfg);
    tsk_graph_free(&s->empty);
}

static int parse(int argc, char **argv, enum fmt *f, int *npos)
{
    const struct tsk_command *c = &tsk_cmd_diff;
    if (tsk_opts_parse(c, argc, argv, npos))
        return TSK_EXIT_USAGE;
    if (*npos < 1 || *npos > 2)
        return tsk_cmd_usage_error(c, "%s",
                                   *npos < 1 ? "BASE is required: the "
                                               "revision to compare with"
                                             : "too many arguments: diff "
                                               "takes BASE and HEAD");
    *f = json ? FMT_JSON : FMT_TEXT;
    if (format && strcmp(format, "json") == 0)
        *f = FMT_JSON;
    else if (format && !json &&
             (strcmp(format, "markdown") == 0 || strcmp(format, "md") == 0))
        *f = FMT_MD;
    else if (format && (strcmp(format, "text") != 0 || json))
        return tsk_cmd_usage_error(c, "-format takes text, json or "
                                      "markdown");
    return 0;
}

static void print(const struct tsk_intent *in, enum fmt f, int color)
{
    struct tsk_buf b = TSK_BUF_INIT;
    if (f == FMT_JSON)
        tsk_intent_json(&b, in);
    else if (f == FMT_MD)
        tsk_intent_md(&b, in);
    else
        tsk_intent_text(&b, in, color);
    fwrite(b.ptr, 1, b.len, stdout);
    tsk_buf_release(&b);
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    struct tsk_diags d = {0};
    struct side base = {0}, head = {0};
    struct tsk_intent in = {0};
    enum fmt f = FMT_TEXT;
    int npos = 0, rc;

    if ((rc = parse(argc, argv, &f, &npos)) != 0)
        return rc;
    base.ref = argv[1];
    head.ref = npos > 1 ? argv[2] : "HEAD";
    rc = load_side(&base, &d);
    if (rc == 0)
        rc = load_side(&head, &d);
    if (rc == 0 && !base.has && !head.has)
        rc = tsk_diag_error(&d, NULL,
                            "no *.tsk files in this folder at %s "
                            "or at %s",
                            base.ref, head.ref);
    int differ = 0;
    if (rc == 0) {
        differ = tsk_intent_diff(&in, graph_of(&base), graph_of(&head));
        in.base = tsk_xstrdup(base.ref);
        in.head = tsk_xstrdup(head.ref);
        in.base_commit = tsk_git_resolve(".", base.ref, &d);
        in.head_commit = tsk_git_resolve(".", head.ref, &d);
        print(&in, f, cli->color);
    }
    fflush(stdout);
    tsk_diags_sort(&d);
    tsk_diags_print(&d, stderr, cli->color);
    int err = rc != 0 || d.nerr > 0;
    tsk_intent_release(&in);
    side_free(&base);
    side_free(&head);
    tsk_diags_release(&d);
    return err ? TSK_EXIT_ERROR : differ ? TSK_EXIT_CHANGES : TSK_EXIT_OK;
}

const struct tsk_command tsk_cmd_diff = {
    .name = "diff",
    .run = run,
    .summary = "Compare the desired resources of two git revisions",
    .usage = "diff [-json | -format=text|json|markdown] BASE [HEAD]",
    .details =
        "Reads the configuration of the current folder from the git\n"
        "commits BASE and HEAD (default HEAD) without checking them out,\n"
        "and shows what the change does to the desired resources: added,\n"
        "removed, attributes changed, references rewired, and which\n"
        "functions that touches. It needs no state and no credentials, so\n"
        "it can run on pull requests from forks. Sensitive values are\n"
        "redacted. Exit codes: 0 same intent, 2 intent differs, 1 error,\n"
        "64 usage.",
    .opts = opts,
};

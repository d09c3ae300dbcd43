/*
 * tsk.c - `tuskform tsk SUBCOMMAND`: tools for the TSK language itself.
 *
 *   tuskform tsk eval FILE...   the evaluated document as JSON on stdout
 *
 * Diagnostics (errors and warnings) go to stderr compiler-style; with any
 * error nothing is printed on stdout and the exit code is 1.
 */
#include "cli.h"

#include <string.h>

#include "planner/tsk/tsk.h"

static const struct tsk_command eval_cmd = {
    .name = "tsk eval",
    .usage = "tsk eval FILE...",
};

static int run_eval(const struct tsk_cli *cli, int argc, char **argv)
{
    int npos;
    if (tsk_opts_parse(&eval_cmd, argc, argv, &npos))
        return TSK_EXIT_USAGE;
    if (npos < 1) {
        fprintf(stderr, "tuskform tsk eval: expected at least one FILE\n"
                        "Usage: tuskform tsk eval FILE...\n");
        return TSK_EXIT_USAGE;
    }
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    d.max_errors = 50;
    int rc = tsk_doc_load_files(&doc, (const char *const *)argv + 1,
                                (size_t)npos, NULL, &d);
    tsk_diags_print(&d, stderr, cli->color);
    int failed = rc != 0 || d.nerr > 0;
    if (!failed && tsk_table_write_json(stdout, tsk_doc_root(doc), 2) != 0)
        failed = 1; /* main reports the write error when flushing */
    tsk_diags_release(&d);
    tsk_doc_free(doc);
    return failed ? TSK_EXIT_ERROR : TSK_EXIT_OK;
}

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_tsk;
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "-help") == 0 ||
        strcmp(argv[1], "--help") == 0) {
        tsk_cmd_print_help(&tsk_cmd_tsk, argc < 2 ? stderr : stdout);
        return argc < 2 ? TSK_EXIT_USAGE : TSK_EXIT_OK;
    }
    if (strcmp(argv[1], "eval") == 0)
        return run_eval(cli, argc - 1, argv + 1);
    return tsk_cmd_usage_error(&tsk_cmd_tsk, "unknown subcommand \"%s\"",
                               argv[1]);
}

const struct tsk_command tsk_cmd_tsk = {
    .name = "tsk",
    .run = run,
    .summary = "Tools for TSK files: tsk eval FILE... prints them as JSON",
    .usage = "tsk eval FILE...",
    .details = "tsk eval reads the files in argument order as one "
               "configuration and prints the evaluated document as JSON on "
               "stdout (2-space indent). Errors and warnings go to stderr; "
               "any error gives exit code 1 and no output.",
};

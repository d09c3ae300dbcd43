/*
 * main.c - tuskform's entry point: global options, then the command table.
 *
 *   tuskform [-chdir=DIR] [-no-color] COMMAND [options]
 *
 * Each command lives in its own file (cmd/<name>.c) and exports one
 * struct tsk_command; adding a command means adding its line below.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const struct tsk_command tsk_cmd_help, tsk_cmd_version, tsk_cmd_tsk;
extern const struct tsk_command tsk_cmd_cost;
extern const struct tsk_command tsk_cmd_fmt;
extern const struct tsk_command tsk_cmd_validate;
extern const struct tsk_command tsk_cmd_graph, tsk_cmd_diff;
extern const struct tsk_command tsk_cmd_plan, tsk_cmd_show;
extern const struct tsk_command tsk_cmd_apply, tsk_cmd_destroy, tsk_cmd_drift;
extern const struct tsk_command tsk_cmd_state, tsk_cmd_import;
extern const struct tsk_command tsk_cmd_force_unlock, tsk_cmd_output;

const struct tsk_command *const tsk_commands[] = {
    &tsk_cmd_help,
    &tsk_cmd_version,
    &tsk_cmd_tsk,
    &tsk_cmd_fmt,
    &tsk_cmd_validate,
    &tsk_cmd_cost,
    &tsk_cmd_graph,
    &tsk_cmd_diff,
    &tsk_cmd_plan,
    &tsk_cmd_show,
    &tsk_cmd_apply,
    &tsk_cmd_destroy,
    &tsk_cmd_drift,
    &tsk_cmd_state,
    &tsk_cmd_import,
    &tsk_cmd_force_unlock,
    &tsk_cmd_output,
    NULL,
};

const struct tsk_command *tsk_cmd_find(const char *name)
{
    for (size_t i = 0; tsk_commands[i]; i++)
        if (strcmp(tsk_commands[i]->name, name) == 0)
            return tsk_commands[i];
    return NULL;
}

static int want_color(int no_color)
{
    const char *term = getenv("TERM");
    if (no_color || getenv("NO_COLOR"))
        return 0;
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
}

static int global_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "tuskform: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nUsage: tuskform [-chdir=DIR] [-no-color] COMMAND "
                    "[options]\nRun 'tuskform help' for the commands.\n");
    return TSK_EXIT_USAGE;
}

/* Flushes and closes stdout, so a full disk or closed pipe is an error. */
static int finish_stdout(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (errno != EPIPE)
            fprintf(stderr, "tuskform: writing output failed: %s\n",
                    strerror(errno));
        return rc ? rc : TSK_EXIT_ERROR;
    }
    return rc;
}

int main(int argc, char **argv)
{
    struct tsk_cli cli = {.prog = "tuskform"};
    int no_color = 0, i = 1;

    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i] + 1 + (argv[i][1] == '-');
        if (strncmp(a, "chdir=", 6) == 0)
            cli.chdir = a + 6;
        else if (strcmp(a, "chdir") == 0 && i + 1 < argc)
            cli.chdir = argv[++i];
        else if (strcmp(a, "no-color") == 0)
            no_color = 1;
        else if (strcmp(a, "version") == 0 || strcmp(a, "v") == 0)
            break;
        else if (strcmp(a, "help") == 0 || strcmp(a, "h") == 0)
            break;
        else
            return global_usage("unknown global option %s", argv[i]);
    }
    /* -no-color is accepted after the command too, as Terraform does */
    int kept = i;
    for (int j = i; j < argc; j++) {
        if (strcmp(argv[j], "--") == 0) {
            while (j < argc)
                argv[kept++] = argv[j++];
            break;
        }
        if (strcmp(argv[j], "-no-color") == 0 ||
            strcmp(argv[j], "--no-color") == 0)
            no_color = 1;
        else
            argv[kept++] = argv[j];
    }
    argc = kept;
    cli.color = want_color(no_color);
    if (i >= argc) {
        tsk_cmd_help.run(&cli, 1, (char *[]){"help", NULL});
        return TSK_EXIT_USAGE;
    }
    const char *name = argv[i];
    if (name[0] == '-')
        name += 1 + (name[1] == '-');
    if (strcmp(name, "v") == 0)
        name = "version";
    if (strcmp(name, "h") == 0)
        name = "help";
    const struct tsk_command *cmd = tsk_cmd_find(name);
    if (!cmd)
        return global_usage("unknown command \"%s\"", argv[i]);
    if (cli.chdir && chdir(cli.chdir) != 0) {
        fprintf(stderr, "tuskform: -chdir=%s: %s\n", cli.chdir,
                strerror(errno));
        return TSK_EXIT_ERROR;
    }
    return finish_stdout(cmd->run(&cli, argc - i, argv + i));
}

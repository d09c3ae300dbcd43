/* help.c - `tuskform help [COMMAND]`: the command list, or one command. */
#include "cli.h"

#include <string.h>

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc > 1) {
        const struct tsk_command *cmd = tsk_cmd_find(argv[1]);
        if (!cmd) {
            fprintf(stderr, "tuskform help: unknown command \"%s\"\n",
                    argv[1]);
            return TSK_EXIT_USAGE;
        }
        tsk_cmd_print_help(cmd, stdout);
        return TSK_EXIT_OK;
    }
    printf("Usage: tuskform [global options] COMMAND [options]\n\n"
           "tuskform compiles TSK files into a desired-state graph of "
           "serverless\nresources, plans the changes against stored state "
           "and applies them.\n\nCommands:\n");
    for (size_t i = 0; tsk_commands[i]; i++)
        printf("  %-14s %s\n", tsk_commands[i]->name,
               tsk_commands[i]->summary);
    printf("\nGlobal options (before the command):\n"
           "  -chdir=DIR     work in DIR, as if started there\n"
           "  -no-color      no colour in the output\n"
           "\nExit codes: 0 success, 1 error, 2 changes present (plan "
           "-detailed-exitcode,\ndrift), 64 usage error, 130 interrupted.\n");
    return TSK_EXIT_OK;
}

const struct tsk_command tsk_cmd_help = {
    .name = "help",
    .run = run,
    .summary = "Show the commands, or the options of one command",
    .usage = "help [COMMAND]",
};

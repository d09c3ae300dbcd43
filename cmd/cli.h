/*
 * cli.h - the command-line layer: the command table entry, the global
 * options every command sees, and option tables parsed in Terraform's
 * `-name=value` form (`-name value` too; `-flag` alone sets a boolean).
 *
 * Ownership: option destinations are the command's own static variables;
 * string values borrow argv; TSK_OPT_LIST arrays are allocated and live until
 * the process exits.
 */
#ifndef TSK_CMD_CLI_H
#define TSK_CMD_CLI_H

#include <stdio.h>

#include "planner/util/util.h"

/* Global options, parsed before the command name. */
struct tsk_cli {
    const char *chdir; /* -chdir=DIR, already applied when a command runs */
    int color;         /* colour on stdout/stderr: a terminal and no -no-color */
    const char *prog;  /* "tuskform" */
};

enum tsk_opt_kind {
    TSK_OPT_BOOL,     /* int *: -x, -x=true, -x=false */
    TSK_OPT_STRING,   /* const char **: -x=V or -x V */
    TSK_OPT_INT,      /* long *: -x=N */
    TSK_OPT_LIST,     /* struct tsk_strlist *: repeatable -x=V */
    TSK_OPT_DURATION, /* double * seconds: -x=30s, 5m, 1h, 250ms, or 10 */
};

struct tsk_strlist {
    TSK_ARRAY(const char *) v;
};

struct tsk_opt {
    const char *name; /* without the leading dash */
    enum tsk_opt_kind kind;
    void *dest;
    const char *metavar; /* e.g. "FILE"; NULL for booleans */
    const char *help;
};

struct tsk_command {
    const char *name;
    int (*run)(const struct tsk_cli *cli, int argc, char **argv);
    const char *summary; /* one line for `tuskform help` */
    const char *usage;   /* e.g. "plan [options]" */
    const char *details; /* paragraph printed by `help COMMAND`, or NULL */
    const struct tsk_opt *opts; /* terminated by a {NULL} entry, or NULL */
};

/**
 * Parses options for cmd from argv[0..argc) (argv[0] is the command name).
 * Options and positional arguments may mix; `--` ends options. Positional
 * arguments are moved to the front of argv from index 1; *npos receives how
 * many. Returns 0, or TSK_EXIT_USAGE after printing why to stderr.
 */
int tsk_opts_parse(const struct tsk_command *cmd, int argc, char **argv,
                   int *npos);

/** Prints "Usage: ..." and the option table of cmd. */
void tsk_cmd_print_help(const struct tsk_command *cmd, FILE *out);

/** Prints a usage error for cmd and returns TSK_EXIT_USAGE. */
int tsk_cmd_usage_error(const struct tsk_command *cmd, const char *fmt, ...)
    TSK_PRINTF(2, 3);

/** Looks a command up in the table by name; NULL when there is none. */
const struct tsk_command *tsk_cmd_find(const char *name);
/** The command table, NULL-terminated (cmd/main.c). */
extern const struct tsk_command *const tsk_commands[];

#endif

/* opts.c - option tables: parsing `-name=value` arguments and help text. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int tsk_cmd_usage_error(const struct tsk_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "tuskform %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nUsage: tuskform %s\nRun 'tuskform help %s' for the "
                    "options.\n",
            cmd->usage, cmd->name);
    return TSK_EXIT_USAGE;
}

static const struct tsk_opt *find_opt(const struct tsk_command *cmd,
                                      const char *name, size_t len)
{
    for (const struct tsk_opt *o = cmd->opts; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

/* Parses "30s", "5m", "1h", "250ms" or a plain number of seconds. */
static int parse_duration(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || v < 0)
        return -1;
    if (strcmp(end, "ms") == 0)
        v /= 1000.0;
    else if (strcmp(end, "m") == 0)
        v *= 60.0;
    else if (strcmp(end, "h") == 0)
        v *= 3600.0;
    else if (*end && strcmp(end, "s") != 0)
        return -1;
    *out = v;
    return 0;
}

static int set_value(const struct tsk_command *cmd, const struct tsk_opt *o,
                     const char *val)
{
    char *end;
    switch (o->kind) {
    case TSK_OPT_BOOL:
        if (!val || strcmp(val, "true") == 0)
            *(int *)o->dest = 1;
        else if (strcmp(val, "false") == 0)
            *(int *)o->dest = 0;
        else
            return tsk_cmd_usage_error(cmd, "-%s takes true or false, not "
                                            "\"%s\"", o->name, val);
        return 0;
    case TSK_OPT_STRING:
        *(const char **)o->dest = val;
        return 0;
    case TSK_OPT_INT:
        errno = 0;
        long n = strtol(val, &end, 10);
        if (!*val || *end || errno)
            return tsk_cmd_usage_error(cmd, "-%s takes a whole number, not "
                                            "\"%s\"", o->name, val);
        *(long *)o->dest = n;
        return 0;
    case TSK_OPT_LIST: {
        struct tsk_strlist *l = o->dest;
        *TSK_ARRAY_PUSH(l->v) = val;
        return 0;
    }
    case TSK_OPT_DURATION:
        if (parse_duration(val, (double *)o->dest) < 0)
            return tsk_cmd_usage_error(cmd, "-%s takes a duration such as "
                                            "30s, 5m or 1h, not \"%s\"",
                                       o->name, val);
        return 0;
    }
    return 0;
}

int tsk_opts_parse(const struct tsk_command *cmd, int argc, char **argv,
                   int *npos)
{
    int pos = 1, only_args = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == '\0') {
            argv[pos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        }
        const char *name = a + 1 + (a[1] == '-'); /* accept --name too */
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct tsk_opt *o = find_opt(cmd, name, len);
        if (!o) {
            if (len == 4 && strncmp(name, "help", 4) == 0) {
                tsk_cmd_print_help(cmd, stdout);
                exit(0);
            }
            return tsk_cmd_usage_error(cmd, "unknown option %s", a);
        }
        const char *val = eq ? eq + 1 : NULL;
        if (!val && o->kind != TSK_OPT_BOOL) {
            if (i + 1 >= argc)
                return tsk_cmd_usage_error(cmd, "-%s needs a value", o->name);
            val = argv[++i];
        }
        int rc = set_value(cmd, o, val);
        if (rc)
            return rc;
    }
    *npos = pos - 1;
    return 0;
}

void tsk_cmd_print_help(const struct tsk_command *cmd, FILE *out)
{
    fprintf(out, "Usage: tuskform [global options] %s\n\n  %s\n", cmd->usage,
            cmd->summary);
    if (cmd->details)
        fprintf(out, "\n%s\n", cmd->details);
    if (!cmd->opts || !cmd->opts[0].name)
        return;
    fputs("\nOptions:\n", out);
    for (const struct tsk_opt *o = cmd->opts; o->name; o++) {
        char left[64];
        if (o->metavar)
            snprintf(left, sizeof(left), "-%s=%s", o->name, o->metavar);
        else
            snprintf(left, sizeof(left), "-%s", o->name);
        fprintf(out, "  %-24s %s\n", left, o->help);
    }
}

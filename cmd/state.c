/*
 * state.c - `tuskform state SUBCOMMAND`: the state tools, read from the
 * state file alone (the configuration is never loaded).
 *
 *   state list [ADDRESS...]    one address per line (filtered by prefix)
 *   state show [-json] [-show-sensitive] ADDRESS
 *   state rm ADDRESS...        forget objects (they stay in the cloud)
 *   state mv SOURCE DEST       rename an address
 *   state history [-json] [-n=N]
 *
 * The writing subcommands take the state lock (-lock-timeout waits) and
 * add a history row.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "planner/attrpath.h"
#include "stateio.h"

static int opt_json, opt_show_sensitive;
static double opt_lock_timeout;
static long opt_n;

static const struct tsk_opt show_opts[] = {
    {"json", TSK_OPT_BOOL, &opt_json, NULL, "print the resource as JSON"},
    {"show-sensitive", TSK_OPT_BOOL, &opt_show_sensitive, NULL,
     "print sensitive values instead of (sensitive value)"},
    {NULL},
};
static const struct tsk_opt write_opts[] = {
    {"lock-timeout", TSK_OPT_DURATION, &opt_lock_timeout, "DURATION",
     "wait this long for the state lock (e.g. 30s)"},
    {NULL},
};
static const struct tsk_opt history_opts[] = {
    {"json", TSK_OPT_BOOL, &opt_json, NULL, "print the history as JSON"},
    {"n", TSK_OPT_INT, &opt_n, "N", "only the newest N entries"},
    {NULL},
};

/* Prints the diagnostics and maps a result to an exit code. */
static int finish(int rc, struct tsk_diags *d, const struct tsk_cli *cli)
{
    tsk_diags_print(d, stderr, cli->color);
    tsk_diags_release(d);
    return rc ? TSK_EXIT_ERROR : TSK_EXIT_OK;
}

static int matches(const char *addr, char **filters, int n)
{
    if (n == 0)
        return 1;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(filters[i]);
        if (strncmp(addr, filters[i], l) == 0 &&
            (addr[l] == 0 || addr[l] == '.'))
            return 1;
    }
    return 0;
}

static int cmd_list(const struct tsk_cli *cli, int npos, char **pos)
{
    struct tsk_diags d = {0};
    struct tsk_state *st = NULL;
    struct tsk_state_snap *s = NULL;
    int rc = tsk_cmd_state_open(&st, 0, NULL, 0, &d);
    if (rc == TSK_ENOTFOUND) /* no state yet: nothing to list */
        return finish(0, &d, cli);
    if (rc == 0)
        rc = tsk_state_load(&s, st, &d);
    for (size_t i = 0; rc == 0 && i < s->res.n; i++)
        if (matches(s->res.v[i].address, pos, npos))
            printf("%s\n", s->res.v[i].address);
    tsk_state_snap_free(s);
    tsk_state_close(st);
    return finish(rc, &d, cli);
}

static void show_text(const struct tsk_state_rec *r, const cJSON *attrs)
{
    const char *dot = strchr(r->address, '.');
    printf("# %s:%s\n", r->address, r->tainted ? " (tainted)" : "");
    printf("resource \"%s\" \"%s\" {\n", r->type, dot ? dot + 1 : "");
    tsk_cmd_print_attrs(stdout, attrs, 4);
    printf("}\n");
}

static int cmd_show(const struct tsk_cli *cli, int npos, char **pos)
{
    struct tsk_diags d = {0};
    struct tsk_state *st = NULL;
    struct tsk_state_rec r;
    (void)npos;
    int rc = tsk_cmd_state_open(&st, 0, NULL, 0, &d);
    if (rc == TSK_ENOTFOUND) {
        tsk_diag_error(&d, NULL, "no state: nothing has been applied here");
        return finish(rc, &d, cli);
    }
    if (rc == 0 && (rc = tsk_state_get(&r, st, pos[0], &d)) == TSK_ENOTFOUND)
        tsk_diag_error(&d, NULL, "%s is not in the state", pos[0]);
    if (rc == 0) {
        cJSON *attrs = tsk_state_rec_attrs(&r);
        cJSON *sens = tsk_state_rec_sensitive(&r);
        size_t ns = 0;
        const char **sv = tsk_cmd_strs(sens, &ns);
        cJSON *shown = opt_show_sensitive ? cJSON_Duplicate(attrs, 1)
                                          : tsk_redact_dup(attrs, sv, ns);
        if (opt_json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "address", r.address);
            cJSON_AddStringToObject(o, "type", r.type);
            cJSON_AddStringToObject(o, "provider", r.provider);
            if (r.remote_id)
                cJSON_AddStringToObject(o, "id", r.remote_id);
            cJSON_AddBoolToObject(o, "tainted", r.tainted);
            cJSON_AddItemToObject(o, "values", shown);
            cJSON_AddItemToObject(o, "sensitive_paths", sens);
            sens = NULL;
            char *txt = cJSON_Print(o);
            printf("%s\n", txt);
            cJSON_free(txt);
            cJSON_Delete(o);
        } else {
            show_text(&r, shown);
            cJSON_Delete(shown);
        }
        free(sv);
        cJSON_Delete(sens);
        cJSON_Delete(attrs);
        tsk_state_rec_release(&r);
    }
    tsk_state_close(st);
    return finish(rc, &d, cli);
}

static void history(struct tsk_state *st, const char *op, const char *what,
                    struct tsk_diags *d)
{
    struct tsk_state_hist h = {.operation = (char *)op,
                               .summary = (char *)what};
    tsk_state_history_add(st, &h, d);
}

static int cmd_rm(const struct tsk_cli *cli, int npos, char **pos)
{
    struct tsk_diags d = {0};
    struct tsk_state *st = NULL;
    int rc = tsk_cmd_state_open(&st, 1, "state rm", opt_lock_timeout, &d);
    int removed = 0;
    for (int i = 0; rc == 0 && i < npos; i++) {
        if (tsk_state_delete(st, pos[i], 0, &d) == 0) {
            printf("Removed %s\n", pos[i]);
            removed++;
            char *what = tsk_xasprintf("removed %s", pos[i]);
            history(st, "state rm", what, &d);
            free(what);
        }
    }
    if (rc == 0 && removed)
        printf("Successfully removed %d resource instance(s).\n", removed);
    tsk_state_close(st);
    return finish(rc || removed < npos, &d, cli);
}

static int cmd_mv(const struct tsk_cli *cli, int npos, char **pos)
{
    struct tsk_diags d = {0};
    struct tsk_state *st = NULL;
    (void)npos;
    int rc = tsk_cmd_state_open(&st, 1, "state mv", opt_lock_timeout, &d);
    if (rc == 0 && strchr(pos[1], '.') == NULL)
        rc = tsk_diag_error(&d, NULL, "\"%s\" is not an address (TYPE.NAME)",
                            pos[1]);
    if (rc == 0 && strncmp(pos[0], pos[1], strcspn(pos[0], ".") + 1) != 0)
        rc = tsk_diag_error(&d, NULL,
                            "cannot move %s to %s: the resource type differs",
                            pos[0], pos[1]);
    if (rc == 0 && (rc = tsk_state_mv(st, pos[0], pos[1], &d)) == 0) {
        printf("Move \"%s\" to \"%s\"\nSuccessfully moved 1 object(s).\n",
               pos[0], pos[1]);
        char *what = tsk_xasprintf("moved %s to %s", pos[0], pos[1]);
        history(st, "state mv", what, &d);
        free(what);
    }
    tsk_state_close(st);
    return finish(rc, &d, cli);
}

static int cmd_history(const struct tsk_cli *cli, int npos, char **pos)
{
    struct tsk_diags d = {0};
    struct tsk_state *st = NULL;
    struct tsk_state_hist_list l = {0};
    (void)npos;
    (void)pos;
    int rc = tsk_cmd_state_open(&st, 0, NULL, 0, &d);
    if (rc == TSK_ENOTFOUND) {
        if (opt_json)
            printf("[]\n");
        return finish(0, &d, cli);
    }
    if (rc == 0)
        rc = tsk_state_history_list(&l, st, opt_n > 0 ? (size_t)opt_n : 0, &d);
    cJSON *arr = opt_json ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; rc == 0 && i < l.v.n; i++) {
        const struct tsk_state_hist *h = &l.v.v[i];
        const char *git = h->git_commit ? h->git_commit : "";
        if (!arr) {
            printf("%-6lld %s  %-10s %s@%s  %.12s%s  %s\n",
                   (long long)h->serial, h->time, h->operation, h->user,
                   h->host, git, h->git_dirty ? "+" : "",
                   h->summary ? h->summary : "");
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "serial", (double)h->serial);
        cJSON_AddStringToObject(o, "time", h->time);
        cJSON_AddStringToObject(o, "operation", h->operation);
        cJSON_AddStringToObject(o, "user", h->user);
        cJSON_AddStringToObject(o, "host", h->host);
        if (h->git_commit)
            cJSON_AddStringToObject(o, "git_commit", h->git_commit);
        if (h->git_branch)
            cJSON_AddStringToObject(o, "git_branch", h->git_branch);
        cJSON_AddBoolToObject(o, "git_dirty", h->git_dirty);
        cJSON_AddStringToObject(o, "summary", h->summary ? h->summary : "");
        cJSON_AddItemToArray(arr, o);
    }
    if (arr && rc == 0) {
        char *txt = cJSON_Print(arr);
        printf("%s\n", txt);
        cJSON_free(txt);
    }
    cJSON_Delete(arr);
    tsk_state_hist_list_release(&l);
    tsk_state_close(st);
    return finish(rc, &d, cli);
}

struct sub {
    struct tsk_command cmd;
    int (*run)(const struct tsk_cli *cli, int npos, char **pos);
    int min, max; /* positional arguments; max -1: any */
};

static const struct sub subs[] = {
    {{"list", NULL, "List the addresses in the state", "state list [ADDRESS...]",
      NULL, NULL},
     cmd_list, 0, -1},
    {{"show", NULL, "Show one resource in the state",
      "state show [-json] [-show-sensitive] ADDRESS", NULL, show_opts},
     cmd_show, 1, 1},
    {{"rm", NULL, "Forget resources (they stay in the cloud)",
      "state rm [-lock-timeout=D] ADDRESS...", NULL, write_opts},
     cmd_rm, 1, -1},
    {{"mv", NULL, "Rename a resource in the state",
      "state mv [-lock-timeout=D] SOURCE DESTINATION", NULL, write_opts},
     cmd_mv, 2, 2},
    {{"history", NULL, "Show the history of changes to the state",
      "state history [-json] [-n=N]", NULL, history_opts},
     cmd_history, 0, 0},
};

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_state;
    if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "-help") == 0) {
        tsk_cmd_print_help(&tsk_cmd_state, argc < 2 ? stderr : stdout);
        return argc < 2 ? TSK_EXIT_USAGE : TSK_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        const struct sub *s = &subs[i];
        int npos = 0;
        if (strcmp(argv[1], s->cmd.name) != 0)
            continue;
        int rc = tsk_opts_parse(&s->cmd, argc - 1, argv + 1, &npos);
        if (rc)
            return rc;
        if (npos < s->min || (s->max >= 0 && npos > s->max))
            return tsk_cmd_usage_error(&tsk_cmd_state,
                                       "state %s takes %s", s->cmd.name,
                                       s->cmd.usage + 6 + strlen(s->cmd.name));
        return s->run(cli, npos, argv + 2);
    }
    return tsk_cmd_usage_error(&tsk_cmd_state,
                               "unknown subcommand \"%s\" (list, show, rm, "
                               "mv, history)",
                               argv[1]);
}

const struct tsk_command tsk_cmd_state = {
    .name = "state",
    .run = run,
    .summary = "Inspect and edit the state (list, show, rm, mv, history)",
    .usage = "state list|show|rm|mv|history [options] [ARGS]",
    .details = "  state list [ADDRESS...]      one address per line\n"
               "  state show [-json] [-show-sensitive] ADDRESS\n"
               "  state rm [-lock-timeout=D] ADDRESS...\n"
               "  state mv [-lock-timeout=D] SOURCE DESTINATION\n"
               "  state history [-json] [-n=N]\n"
               "The state is read alone: the configuration is not loaded.",
};

/*
 * force_unlock.c - `tuskform force-unlock [-force] LOCK_ID`: removes the
 * state lock by hand, for when its holder died on another host and its
 * lease has not expired yet. The id must match the lock held, so a lock
 * taken since cannot be removed by mistake.
 */
#include "cli.h"

#include <stdlib.h>

#include "stateio.h"

static int force;

static const struct tsk_opt opts[] = {
    {"force", TSK_OPT_BOOL, &force, NULL, "do not ask for confirmation"},
    {NULL},
};

static int run(const struct tsk_cli *cli, int argc, char **argv)
{
    extern const struct tsk_command tsk_cmd_force_unlock;
    struct tsk_diags d = {0};
    struct tsk_state *st = NULL;
    struct tsk_state_lock_info li = {0};
    int npos = 0, rc;
    if ((rc = tsk_opts_parse(&tsk_cmd_force_unlock, argc, argv, &npos)))
        return rc;
    if (npos != 1)
        return tsk_cmd_usage_error(&tsk_cmd_force_unlock,
                                   "expected one LOCK_ID");
    rc = tsk_cmd_state_open(&st, 1, NULL, 0, &d);
    if (rc == 0 && tsk_state_lock_read(&li, st, &d) == 0 && !force) {
        char *q = tsk_xasprintf(
            "Do you really want to force-unlock?\n  Lock %s is held by %s@%s "
            "(pid %lld) for \"%s\" since %s.\n  Removing it while that run "
            "is alive can damage the state.",
            li.id, li.user, li.host, (long long)li.pid, li.operation,
            li.created);
        int yes = tsk_cmd_confirm(q, "-force");
        free(q);
        if (!yes) {
            tsk_diag_error(&d, NULL, "force-unlock cancelled");
            rc = TSK_ERROR;
        }
    }
    tsk_state_lock_info_release(&li);
    if (rc == 0 && (rc = tsk_state_force_unlock(st, argv[1], &d)) == 0) {
        struct tsk_state_hist h = {.operation = "force-unlock"};
        h.summary = tsk_xasprintf("removed lock %s", argv[1]);
        tsk_state_history_add(st, &h, &d);
        free(h.summary);
        printf("tuskform state has been successfully unlocked!\n");
    }
    tsk_state_close(st);
    tsk_diags_print(&d, stderr, cli->color);
    tsk_diags_release(&d);
    return rc ? TSK_EXIT_ERROR : TSK_EXIT_OK;
}

const struct tsk_command tsk_cmd_force_unlock = {
    .name = "force-unlock",
    .run = run,
    .summary = "Remove the state lock by hand",
    .usage = "force-unlock [-force] LOCK_ID",
    .details = "The lock id is printed by the command that found the state "
               "locked.",
    .opts = opts,
};

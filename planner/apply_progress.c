/*
 * apply_progress.c - what apply tells the person watching: a line when each
 * operation starts and ends with its elapsed seconds, "Still creating...
 * [30s elapsed]" for slow ones, and the closing summary that says what was
 * done and what was not.
 */
#include "planner/apply_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t tsk_apply__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct words {
    const char *start, *done, *still, *failed;
};

static const struct words words[] = {
    [TSK_OP_CREATE] = {"Creating...", "Creation complete", "creating",
                       "Creation failed"},
    [TSK_OP_UPDATE] = {"Modifying...", "Modifications complete", "modifying",
                       "Modifications failed"},
    [TSK_OP_DELETE] = {"Destroying...", "Destruction complete", "destroying",
                       "Destruction failed"},
};

static void addr_prefix(const struct tsk_apply_run *r, const char *addr)
{
    if (r->o->color)
        fprintf(r->o->progress, "\033[1m%s\033[0m: ", addr);
    else
        fprintf(r->o->progress, "%s: ", addr);
}

/* The id an operation works on: known before it starts except for a
 * create (and for a replacement's delete, the old object's). */
static const char *op_id(const struct tsk_apply_run *r,
                         const struct tsk_apply_op *op)
{
    if (op->id)
        return op->id;
    return op->kind == TSK_OP_CREATE ? NULL : r->plan->changes.v[op->ch].id;
}

void tsk_apply__progress_start(struct tsk_apply_run *r,
                               const struct tsk_apply_op *op)
{
    if (!r->o->progress)
        return;
    const char *id = op_id(r, op);
    addr_prefix(r, r->plan->changes.v[op->ch].addr);
    fputs(words[op->kind].start, r->o->progress);
    if (id)
        fprintf(r->o->progress, " [id=%s]", id);
    fputc('\n', r->o->progress);
}

void tsk_apply__progress_end(struct tsk_apply_run *r,
                             const struct tsk_apply_op *op, int ok)
{
    if (!r->o->progress)
        return;
    int64_t secs = (tsk_apply__now_ms() - op->t0_ms) / 1000;
    const char *id = op_id(r, op);
    addr_prefix(r, r->plan->changes.v[op->ch].addr);
    if (!ok) {
        fprintf(r->o->progress, "%s after %llds\n", words[op->kind].failed,
                (long long)secs);
    } else {
        fprintf(r->o->progress, "%s after %llds", words[op->kind].done,
                (long long)secs);
        if (id && op->kind != TSK_OP_DELETE)
            fprintf(r->o->progress, " [id=%s]", id);
        fputc('\n', r->o->progress);
    }
}

/* The start and end lines are not flushed one by one (a large apply
 * prints hundreds of thousands); this tick, every 200 ms, flushes them. */
void tsk_apply__progress_still(struct tsk_apply_run *r, int64_t now)
{
    int64_t every = (r->o->still_every > 0 ? r->o->still_every : 10) * 1000;
    if (!r->o->progress)
        return;
    for (size_t i = 0; i < r->inflight.n; i++) {
        struct tsk_apply_op *op = &r->ops.v[r->inflight.v[i]];
        if (op->queued)
            continue;
        /* still_ms: the elapsed time of the next line; lines keep to
         * multiples of the interval even when this tick comes late. */
        if (op->still_ms < every)
            op->still_ms = every;
        while (now - op->t0_ms >= op->still_ms) {
            addr_prefix(r, r->plan->changes.v[op->ch].addr);
            fprintf(r->o->progress, "Still %s... [%llds elapsed]\n",
                    words[op->kind].still, (long long)(op->still_ms / 1000));
            op->still_ms += every;
        }
    }
    fflush(r->o->progress);
}

char *tsk_apply_summary_line(const struct tsk_apply_report *r)
{
    return tsk_xasprintf("%d added, %d changed, %d destroyed", r->added,
                         r->changed, r->destroyed);
}

static void list(FILE *out, const tsk_strvec *v, const char *what)
{
    for (size_t i = 0; i < v->n; i++)
        fprintf(out, "  - %s %s\n", what, v->v[i]);
}

void tsk_apply_summary(const struct tsk_apply_report *r, int destroy,
                       FILE *out, int color)
{
    int ok = !r->failed.n && !r->skipped.n && !r->not_started.n &&
             !r->interrupted && !r->lock_lost;
    const char *verb = destroy ? "Destroy" : "Apply";
    const char *how = ok ? "complete" : r->interrupted ? "interrupted"
                                                       : "failed";
    const char *on = color ? (ok ? "\033[1;32m" : "\033[1;31m") : "";
    const char *off = color ? "\033[0m" : "";
    fprintf(out, "\n%s%s %s!%s Resources: ", on, verb, how, off);
    if (destroy && !r->added && !r->changed)
        fprintf(out, "%d destroyed.\n", r->destroyed);
    else
        fprintf(out, "%d added, %d changed, %d destroyed.\n", r->added,
                r->changed, r->destroyed);
    if (ok)
        return;
    fprintf(out, "\nNot done:\n");
    for (size_t i = 0; i < r->failed.n; i++) {
        int t = tsk_strs_has(r->tainted.v, r->tainted.n, r->failed.v[i]);
        fprintf(out, "  - failed:      %s%s\n", r->failed.v[i],
                t ? " (left tainted: the next apply replaces it)" : "");
    }
    list(out, &r->skipped, "skipped:    ");
    list(out, &r->not_started, "not started:");
    if (r->lock_lost)
        fprintf(out, "The state lock was taken by someone else: stopped.\n");
}

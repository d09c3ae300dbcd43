/*
 * apply_walk.c - cuts a plan into operations and walks them on N worker
 * threads: an operation starts when all it waits for has finished, a
 * failure skips what depends on it (and nothing else), and an interrupt
 * stops scheduling while the calls in flight finish.
 *
 * Ordering, for a change X that depends on Y:
 *   - X's create/update waits for Y's create/update;
 *   - Y's delete waits for X's delete (dependents are deleted first);
 *   - when Y is replaced create-before-destroy, Y's delete of the old
 *     object waits for X's create/update (X moves to the new object first).
 * A create-before-destroy X over a delete-before-create Y skips the second
 * rule: X's old object is deleted only after X's new one exists, which
 * needs the new Y, which needs the old Y gone first.
 */
#include "planner/apply_int.h"

#include <stdlib.h>
#include <string.h>

static int cmp_addr(const void *a, const void *b, void *plan)
{
    const struct tsk_plan *p = plan;
    return strcmp(p->changes.v[*(const size_t *)a].addr,
                  p->changes.v[*(const size_t *)b].addr);
}

size_t tsk_apply__find(const struct tsk_apply_run *r, const char *addr)
{
    size_t lo = 0, hi = r->plan->changes.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->plan->changes.v[r->by_addr[mid]].addr, addr);
        if (c == 0)
            return r->by_addr[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static void index_changes(struct tsk_apply_run *r)
{
    size_t n = r->plan->changes.n;
    r->by_addr = tsk_xmalloc((n + 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        r->by_addr[i] = i;
    qsort_r(r->by_addr, n, sizeof(size_t), cmp_addr, (void *)r->plan);
}

static uint32_t add_op(struct tsk_apply_run *r, size_t ch,
                       enum tsk_op_kind kind)
{
    struct tsk_apply_op *op = TSK_ARRAY_PUSH(r->ops);
    op->ch = ch;
    op->kind = kind;
    return (uint32_t)(r->ops.n - 1);
}

static void edge(struct tsk_apply_run *r, uint32_t from, uint32_t to)
{
    if (from == UINT32_MAX || to == UINT32_MAX || from == to)
        return;
    *TSK_ARRAY_PUSH(r->ops.v[from].succ) = to;
    r->ops.v[to].npred++;
}

static void cut_ops(struct tsk_apply_run *r)
{
    size_t n = r->plan->changes.n;
    r->op_apply = tsk_xmalloc((n + 1) * sizeof(uint32_t));
    r->op_destroy = tsk_xmalloc((n + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        uint32_t a = UINT32_MAX, x = UINT32_MAX;
        switch (r->plan->changes.v[i].action) {
        case TSK_CREATE:
            a = add_op(r, i, TSK_OP_CREATE);
            break;
        case TSK_UPDATE:
            a = add_op(r, i, TSK_OP_UPDATE);
            break;
        case TSK_DELETE:
            x = add_op(r, i, TSK_OP_DELETE);
            break;
        case TSK_REPLACE_DC:
            x = add_op(r, i, TSK_OP_DELETE);
            a = add_op(r, i, TSK_OP_CREATE);
            break;
        case TSK_REPLACE_CD:
            a = add_op(r, i, TSK_OP_CREATE);
            x = add_op(r, i, TSK_OP_DELETE);
            break;
        default:
            break;
        }
        r->op_apply[i] = a;
        r->op_destroy[i] = x;
    }
    for (size_t i = 0; i < n; i++) {
        enum tsk_action ax = r->plan->changes.v[i].action;
        if (ax == TSK_REPLACE_DC)
            edge(r, r->op_destroy[i], r->op_apply[i]);
        if (ax == TSK_REPLACE_CD)
            edge(r, r->op_apply[i], r->op_destroy[i]);
    }
}

static void add_dep_edges(struct tsk_apply_run *r)
{
    const struct tsk_plan *p = r->plan;
    for (size_t x = 0; x < p->changes.n; x++) {
        const struct tsk_change *cx = &p->changes.v[x];
        for (size_t k = 0; k < cx->deps.n; k++) {
            size_t y = tsk_apply__find(r, cx->deps.v[k]);
            if (y == SIZE_MAX || y == x)
                continue;
            enum tsk_action ay = p->changes.v[y].action;
            edge(r, r->op_apply[y], r->op_apply[x]);
            if (!(cx->action == TSK_REPLACE_CD && ay == TSK_REPLACE_DC))
                edge(r, r->op_destroy[x], r->op_destroy[y]);
            if (ay == TSK_REPLACE_CD)
                edge(r, r->op_apply[x], r->op_destroy[y]);
        }
    }
}

/* Kahn's algorithm on a copy of the counts: every operation reachable,
 * or one error naming the changes caught in a cycle. */
static int check_acyclic(struct tsk_apply_run *r, struct tsk_diags *d)
{
    size_t n = r->ops.n, seen = 0, top = 0;
    uint32_t *cnt = tsk_xmalloc((n + 1) * sizeof(uint32_t));
    uint32_t *stack = tsk_xmalloc((n + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++)
        if ((cnt[i] = r->ops.v[i].npred) == 0)
            stack[top++] = (uint32_t)i;
    while (top) {
        const struct tsk_apply_op *op = &r->ops.v[stack[--top]];
        seen++;
        for (size_t k = 0; k < op->succ.n; k++)
            if (--cnt[op->succ.v[k]] == 0)
                stack[top++] = op->succ.v[k];
    }
    if (seen < n) {
        struct tsk_buf b = TSK_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            if (cnt[i])
                tsk_buf_addf(&b, "%s%s", b.len ? ", " : "",
                             r->plan->changes.v[r->ops.v[i].ch].addr);
        tsk_diag_error(d, NULL, "the plan cannot be applied: its changes wait "
                                "for each other in a cycle");
        tsk_diag_detail(d, "Involved: %s", b.ptr);
        tsk_buf_release(&b);
    }
    free(cnt);
    free(stack);
    return seen < n ? TSK_EINVAL : 0;
}

/* Adds s (taken) to a report list unless change ch is there already. */
static void list_once(struct tsk_apply_run *r, tsk_strvec *list, size_t ch,
                      unsigned bit, char *s)
{
    if (r->listed[ch] & bit) {
        free(s);
        return;
    }
    r->listed[ch] |= (unsigned char)bit;
    *TSK_ARRAY_PUSH(*list) = s;
}

/* Marks everything downstream of a failed op as skipped (under mu). */
static void skip_from(struct tsk_apply_run *r, uint32_t from,
                      const char *blame)
{
    TSK_ARRAY(uint32_t) todo = {0};
    *TSK_ARRAY_PUSH(todo) = from;
    while (todo.n) {
        const struct tsk_apply_op *op = &r->ops.v[todo.v[--todo.n]];
        for (size_t k = 0; k < op->succ.n; k++) {
            struct tsk_apply_op *s = &r->ops.v[op->succ.v[k]];
            if (s->state != TSK_OS_WAIT)
                continue;
            s->state = TSK_OS_SKIP;
            r->remaining--;
            const char *addr = r->plan->changes.v[s->ch].addr;
            if (strcmp(addr, blame) != 0)
                list_once(r, &r->rep->skipped, s->ch, 2,
                          tsk_xasprintf("%s (needs %s)", addr, blame));
            *TSK_ARRAY_PUSH(todo) = op->succ.v[k];
        }
    }
    TSK_ARRAY_FREE(todo);
}

static void drop_inflight(struct tsk_apply_run *r, uint32_t i)
{
    for (size_t k = 0; k < r->inflight.n; k++)
        if (r->inflight.v[k] == i) {
            r->inflight.v[k] = r->inflight.v[--r->inflight.n];
            break;
        }
}

static void finish_op(struct tsk_apply_run *r, uint32_t i, int rc)
{
    struct tsk_apply_op *op = &r->ops.v[i];
    const char *addr = r->plan->changes.v[op->ch].addr;
    op->state = rc ? TSK_OS_FAIL : TSK_OS_DONE;
    r->remaining--;
    r->running--;
    drop_inflight(r, i);
    if (rc) {
        list_once(r, &r->rep->failed, op->ch, 1, tsk_xstrdup(addr));
        skip_from(r, i, addr);
        if (rc == TSK_ELOCKED) {
            r->rep->lock_lost = 1;
            r->stopping = 1;
        }
        return;
    }
    if (op->kind == TSK_OP_CREATE)
        r->rep->added++;
    else if (op->kind == TSK_OP_UPDATE)
        r->rep->changed++;
    else
        r->rep->destroyed++;
    for (size_t k = 0; k < op->succ.n; k++) {
        struct tsk_apply_op *s = &r->ops.v[op->succ.v[k]];
        if (--s->npred == 0 && s->state == TSK_OS_WAIT) {
            s->state = TSK_OS_READY;
            *TSK_ARRAY_PUSH(r->ready) = op->succ.v[k];
        }
    }
}

static int interrupted(struct tsk_apply_run *r)
{
    return r->o->interrupt && *r->o->interrupt > 0;
}

/* Takes the next ready operation, and when the ready list is long enough
 * to keep every worker busy, up to TSK_APPLY_BATCH batchable ones in all
 * (under mu). Returns how many were taken into take. */
static size_t take_ops(struct tsk_apply_run *r, uint32_t *take)
{
    size_t avail = r->ready.n - r->rhead, n = 0;
    size_t want = 1 + (avail - 1) / (size_t)(r->nworkers > 0 ? r->nworkers
                                                             : 1);
    if (want > TSK_APPLY_BATCH)
        want = TSK_APPLY_BATCH;
    if (r->slow)
        want = 1;
    /* FIFO: the plan order of ready operations is kept. */
    while (n < want && r->rhead < r->ready.n) {
        uint32_t i = r->ready.v[r->rhead];
        int batchable = tsk_apply__batchable(r, &r->ops.v[i]);
        if (n > 0 && !batchable)
            break;
        r->rhead++;
        take[n++] = i;
        if (!batchable)
            break;
    }
    if (r->rhead == r->ready.n)
        r->rhead = r->ready.n = 0;
    int batch = tsk_apply__batchable(r, &r->ops.v[take[0]]);
    for (size_t k = 0; k < n; k++) {
        struct tsk_apply_op *op = &r->ops.v[take[k]];
        op->state = TSK_OS_RUN;
        op->t0_ms = tsk_apply__now_ms();
        op->still_ms = 0;
        op->queued = batch;
        r->running++;
        *TSK_ARRAY_PUSH(r->inflight) = take[k];
    }
    return n;
}

/* Runs a batch taken by take_ops, then finishes its operations (mu held
 * on entry and on return). */
static void run_batch(struct tsk_apply_run *r, const uint32_t *take, size_t n)
{
    int rcs[TSK_APPLY_BATCH];
    struct tsk_diags ds[TSK_APPLY_BATCH];
    memset(ds, 0, sizeof(ds));
    pthread_mutex_unlock(&r->mu);
    tsk_apply__exec_batch(r, take, n, rcs, ds);
    pthread_mutex_lock(&r->mu);
    /* Calls that take long make batches of one (a batch would cut itself
     * short anyway); fast ones bring batches back. */
    int64_t now = tsk_apply__now_ms();
    int slow = 0;
    for (size_t k = 0; k < n; k++)
        slow |= rcs[k] == TSK_APPLY_NOT_STARTED;
    if (n == 1)
        slow = now - r->ops.v[take[0]].t0_ms >= TSK_APPLY_BATCH_MS;
    r->slow = slow;
    for (size_t k = 0; k < n; k++) {
        struct tsk_apply_op *op = &r->ops.v[take[k]];
        op->queued = 0;
        if (rcs[k] == TSK_APPLY_NOT_STARTED) {
            /* Ready again: run later, or listed as not started when the
             * walk is stopping. */
            op->state = TSK_OS_READY;
            r->running--;
            drop_inflight(r, take[k]);
            tsk_diags_release(&ds[k]);
            *TSK_ARRAY_PUSH(r->ready) = take[k];
            continue;
        }
        tsk_apply__progress_end(r, op, rcs[k] == 0);
        tsk_diags_move(r->d, &ds[k]);
        finish_op(r, take[k], rcs[k]);
    }
    pthread_cond_broadcast(&r->cv);
}

static void *worker(void *arg)
{
    struct tsk_apply_run *r = arg;
    uint32_t take[TSK_APPLY_BATCH];
    pthread_mutex_lock(&r->mu);
    for (;;) {
        if (interrupted(r))
            r->stopping = r->rep->interrupted = 1;
        if (r->done || (r->stopping && r->running == 0) || r->remaining == 0)
            break;
        if (r->stopping || r->rhead == r->ready.n) {
            pthread_cond_wait(&r->cv, &r->mu);
            continue;
        }
        size_t n = take_ops(r, take);
        uint32_t i = take[0];
        struct tsk_apply_op *op = &r->ops.v[i];
        if (tsk_apply__batchable(r, op)) {
            run_batch(r, take, n);
            continue;
        }
        tsk_apply__progress_start(r, op);
        pthread_mutex_unlock(&r->mu);

        struct tsk_diags d = {0};
        int rc = tsk_apply__exec(r, op, &d);

        pthread_mutex_lock(&r->mu);
        tsk_apply__progress_end(r, op, rc == 0);
        tsk_diags_move(r->d, &d);
        finish_op(r, i, rc);
        pthread_cond_broadcast(&r->cv);
    }
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* The calling thread watches: interrupts, and slow operations. */
static void watch(struct tsk_apply_run *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->remaining && !(r->stopping && r->running == 0)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&r->cv, &r->mu, &ts);
        if (interrupted(r) && !r->stopping) {
            r->stopping = 1;
            r->rep->interrupted = 1;
            pthread_cond_broadcast(&r->cv);
        }
        tsk_apply__progress_still(r, tsk_apply__now_ms());
    }
    r->done = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static void run_workers(struct tsk_apply_run *r)
{
    int n = r->o->parallelism > 0 ? r->o->parallelism : 10;
    if ((size_t)n > r->ops.n)
        n = (int)r->ops.n;
    pthread_t *t = tsk_xcalloc((size_t)n, sizeof(pthread_t));
    int started = 0;
    r->nworkers = n;
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, worker, r) == 0)
            started++;
        else
            break;
    if (started == 0) /* no threads to be had: walk on this one */
        worker(r);
    else
        watch(r);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    if (r->o->progress)
        fflush(r->o->progress);
}

static void collect_unstarted(struct tsk_apply_run *r)
{
    for (size_t i = 0; i < r->ops.n; i++) {
        const struct tsk_apply_op *op = &r->ops.v[i];
        if (op->state == TSK_OS_WAIT || op->state == TSK_OS_READY) {
            r->rep->interrupted |= interrupted(r);
            list_once(r, &r->rep->not_started, op->ch, 4,
                      tsk_xstrdup(r->plan->changes.v[op->ch].addr));
        }
    }
}

static void free_run(struct tsk_apply_run *r)
{
    for (size_t i = 0; i < r->ops.n; i++) {
        TSK_ARRAY_FREE(r->ops.v[i].succ);
        free(r->ops.v[i].id);
    }
    TSK_ARRAY_FREE(r->ops);
    TSK_ARRAY_FREE(r->ready);
    TSK_ARRAY_FREE(r->inflight);
    for (size_t i = 0; r->results && i < r->plan->changes.n; i++)
        cJSON_Delete(r->results[i]);
    free(r->results);
    free(r->deposed_jid);
    free(r->listed);
    free(r->op_apply);
    free(r->op_destroy);
    free(r->by_addr);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
}

int tsk_apply(struct tsk_apply_report *out, const struct tsk_plan *plan,
              const struct tsk_apply_opts *o, struct tsk_diags *d)
{
    memset(out, 0, sizeof(*out));
    if (plan->errored)
        return tsk_diag_error(d, NULL, "the plan has errors; not applying it");
    struct tsk_apply_run r = {.plan = plan, .o = o, .rep = out, .d = d};
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    size_t n = plan->changes.n;
    r.results = tsk_xcalloc(n + 1, sizeof(cJSON *));
    r.deposed_jid = tsk_xcalloc(n + 1, sizeof(int64_t));
    r.listed = tsk_xcalloc(n + 1, 1);
    index_changes(&r);
    cut_ops(&r);
    add_dep_edges(&r);
    int rc = check_acyclic(&r, d);
    if (rc) {
        free_run(&r);
        return rc;
    }
    r.remaining = r.ops.n;
    for (size_t i = 0; i < r.ops.n; i++)
        if (r.ops.v[i].npred == 0) {
            r.ops.v[i].state = TSK_OS_READY;
            *TSK_ARRAY_PUSH(r.ready) = (uint32_t)i;
        }
    if (r.ops.n)
        run_workers(&r);
    collect_unstarted(&r);
    free_run(&r);
    if (out->failed.n || out->skipped.n || out->not_started.n ||
        out->interrupted || out->lock_lost)
        return TSK_ERROR;
    return 0;
}

void tsk_apply_report_release(struct tsk_apply_report *r)
{
    tsk_strvec_free(&r->failed);
    tsk_strvec_free(&r->skipped);
    tsk_strvec_free(&r->not_started);
    tsk_strvec_free(&r->tainted);
    memset(r, 0, sizeof(*r));
}

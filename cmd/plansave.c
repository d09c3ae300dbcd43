/*
 * plansave.c - writing the plan file on a second thread while the plan is
 * rendered, with the rendered output held back until the file is saved.
 */
#include "plansave.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "planner/planfile.h"

/* Held output beyond this makes a write wait for the file: a plan of a
 * hundred thousand changes prints some 50 MB, which would otherwise all
 * be held when the file takes longer than the text. */
#define HOLD_MAX ((size_t)32 << 20)
#define CHUNK ((size_t)1 << 20)

enum { HOLD, PASS, DROP };

struct tsk_plansave {
    const struct tsk_plan *p;
    const char *path;
    FILE *out, *stream;
    pthread_t thread;
    int running;
    atomic_int done; /* the saving thread finished */
    int rc;          /* its result, read after the join */
    struct tsk_diags d;
    int state; /* HOLD, PASS or DROP */
    TSK_ARRAY(struct tsk_buf) held;
    size_t nheld;
};

static void *save_run(void *arg)
{
    struct tsk_plansave *s = arg;
    s->rc = tsk_planfile_save(s->p, s->path, &s->d);
    atomic_store(&s->done, 1);
    return NULL;
}

/* Waits for the file and passes on (or drops) what was held. */
static void settle(struct tsk_plansave *s)
{
    if (s->state != HOLD)
        return;
    if (s->running) {
        pthread_join(s->thread, NULL);
        s->running = 0;
    }
    s->state = s->rc == 0 ? PASS : DROP;
    for (size_t i = 0; i < s->held.n; i++) {
        if (s->state == PASS)
            fwrite(s->held.v[i].ptr, 1, s->held.v[i].len, s->out);
        tsk_buf_release(&s->held.v[i]);
    }
    TSK_ARRAY_FREE(s->held);
    s->nheld = 0;
}

static void hold(struct tsk_plansave *s, const char *buf, size_t n)
{
    struct tsk_buf *b = s->held.n ? &s->held.v[s->held.n - 1] : NULL;
    if (!b || b->alloc - b->len <= n) {
        b = TSK_ARRAY_PUSH(s->held);
        *b = (struct tsk_buf)TSK_BUF_INIT;
        tsk_buf_grow(b, n > CHUNK ? n : CHUNK);
    }
    tsk_buf_add(b, buf, n);
    s->nheld += n;
}

static ssize_t stream_write(void *cookie, const char *buf, size_t n)
{
    struct tsk_plansave *s = cookie;
    if (s->state == HOLD && (atomic_load(&s->done) || s->nheld + n > HOLD_MAX))
        settle(s);
    if (s->state == PASS)
        fwrite(buf, 1, n, s->out);
    else if (s->state == HOLD)
        hold(s, buf, n);
    return (ssize_t)n;
}

struct tsk_plansave *tsk_plansave_start(const struct tsk_plan *p,
                                        const char *path, FILE *out)
{
    struct tsk_plansave *s = tsk_xcalloc(1, sizeof(*s));
    s->p = p;
    s->path = path;
    s->out = out;
    s->state = HOLD;
    atomic_init(&s->done, 0);
    s->running = pthread_create(&s->thread, NULL, save_run, s) == 0;
    if (!s->running)
        save_run(s);
    cookie_io_functions_t io = {.write = stream_write};
    s->stream = fopencookie(s, "w", io);
    return s;
}

FILE *tsk_plansave_stream(struct tsk_plansave *s)
{
    return s->stream;
}

int tsk_plansave_wait(struct tsk_plansave *s, struct tsk_diags *d)
{
    if (s->stream)
        fflush(s->stream);
    settle(s);
    tsk_diags_move(d, &s->d);
    return s->rc;
}

void tsk_plansave_free(struct tsk_plansave *s)
{
    if (!s)
        return;
    settle(s);
    if (s->stream)
        fclose(s->stream);
    tsk_diags_release(&s->d);
    free(s);
}

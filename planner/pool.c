/* pool.c - a fixed pool of threads taking job numbers from a counter,
 * started together once every thread exists. */
#include "planner/pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "planner/util/util.h"

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t go;
    int started; /* every thread exists: jobs may start */
    size_t next, njobs;
    void (*fn)(void *ctx, size_t i);
    void *ctx;
};

static void *worker(void *arg)
{
    struct pool *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->started)
        pthread_cond_wait(&p->go, &p->mu);
    pthread_mutex_unlock(&p->mu);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next < p->njobs ? p->next++ : p->njobs;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->njobs)
            return NULL;
        p->fn(p->ctx, i);
    }
}

void tsk_pool_run(int nthreads, size_t njobs, void (*fn)(void *ctx, size_t i),
                  void *ctx)
{
    if (nthreads <= 1 || njobs <= 1) {
        for (size_t i = 0; i < njobs; i++)
            fn(ctx, i);
        return;
    }
    if ((size_t)nthreads > njobs)
        nthreads = (int)njobs;
    struct pool p = {.next = 0, .njobs = njobs, .fn = fn, .ctx = ctx};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.go, NULL);
    pthread_t *t = tsk_xcalloc((size_t)nthreads, sizeof(*t));
    int started = 0;
    for (int i = 0; i < nthreads - 1; i++)
        if (pthread_create(&t[i], NULL, worker, &p) == 0)
            started++;
        else
            break; /* fewer threads: the jobs still all run */
    /* The first jobs run at the same time (a provider may group the calls
     * that arrive together), not while threads are still being made. */
    pthread_mutex_lock(&p.mu);
    p.started = 1;
    pthread_cond_broadcast(&p.go);
    pthread_mutex_unlock(&p.mu);
    worker(&p);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    pthread_cond_destroy(&p.go);
    pthread_mutex_destroy(&p.mu);
}

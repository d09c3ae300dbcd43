/*
 * pool.h - a small fixed thread pool for running independent jobs in
 * parallel (refresh reads, apply's provider calls).
 *
 * Ownership: the caller owns ctx; fn must be safe to call from several
 * threads at once with different job numbers.
 */
#ifndef TSK_POOL_H
#define TSK_POOL_H

#include <stddef.h>

/**
 * Calls fn(ctx, i) once for every i in [0, njobs), on at most nthreads
 * threads (the calling thread among them), and returns when all calls have
 * finished. Jobs are handed out in increasing order, once every thread
 * exists (the first jobs start together). nthreads <= 1 runs them one by
 * one on the calling thread.
 */
void tsk_pool_run(int nthreads, size_t njobs, void (*fn)(void *ctx, size_t i),
                  void *ctx);

#endif

/*
 * plansave.h - `plan -out=FILE`: the plan file is written on a second
 * thread while the main thread renders the plan, and what the rendering
 * prints is held back until the file is saved, so that the output is the
 * same as when the file is written first: the plan printed after the file
 * was saved, nothing printed when it could not be.
 *
 * Both threads only read the plan: nothing may change it between
 * tsk_plansave_start() and tsk_plansave_wait().
 *
 * Ownership: a saver is the caller's (tsk_plansave_free); the plan and the
 * path are borrowed until tsk_plansave_wait() returns.
 */
#ifndef TSK_CMD_PLANSAVE_H
#define TSK_CMD_PLANSAVE_H

#include <stdio.h>

#include "planner/plan.h"
#include "planner/util/util.h"

struct tsk_plansave;

/**
 * Starts writing p to path (tsk_planfile_save) on a second thread, or at
 * once when no thread can be started. Output given to the saver's stream
 * goes to out once the file is saved.
 */
struct tsk_plansave *tsk_plansave_start(const struct tsk_plan *p,
                                        const char *path, FILE *out);

/**
 * The stream to print the plan to (NULL when none could be made: print
 * into memory then, and write it after tsk_plansave_wait). Until the file
 * is saved, what is written to it is held in memory (up to a bound, past
 * which a write waits for the file); then held output and later writes go
 * to out, or are dropped when saving failed.
 */
FILE *tsk_plansave_stream(struct tsk_plansave *s);

/**
 * Waits until the file is written; its diagnostics are moved into d.
 * Returns 0 when it was saved (the held output has then been written to
 * out), else the error of tsk_planfile_save (held output dropped).
 */
int tsk_plansave_wait(struct tsk_plansave *s, struct tsk_diags *d);

/** Closes the stream (after tsk_plansave_wait) and frees s. NULL ok. */
void tsk_plansave_free(struct tsk_plansave *s);

#endif

/*
 * stateio.h - shared by the commands that touch state (apply, destroy,
 * drift, import, state, output, force-unlock): opening the state file of
 * the current folder, taking its lock, asking for confirmation, and
 * printing attribute values the way `state show` and `output` do.
 *
 * Ownership: handles returned through `**out` are the caller's.
 */
#ifndef TSK_CMD_STATEIO_H
#define TSK_CMD_STATEIO_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "planner/util/util.h"
#include "state/state.h"

/**
 * Opens .tuskform/state.db of the current folder. write 0: read-only, and
 * a missing file returns TSK_ENOTFOUND without a diagnostic; write 1:
 * created when missing, and locked for operation (waiting up to
 * lock_timeout seconds) unless operation is NULL.
 */
int tsk_cmd_state_open(struct tsk_state **out, int write,
                       const char *operation, double lock_timeout,
                       struct tsk_diags *d);

/**
 * Asks question on the terminal and returns 1 when the answer is "yes".
 * Without a terminal on stdin, prints why it refuses (naming the flag
 * that skips the question) to stderr and returns 0.
 */
int tsk_cmd_confirm(const char *question, const char *skip_flag);

/**
 * Prints value v in HCL-like form at the given indent (spaces): strings
 * quoted, objects and lists spread over lines. The redaction marker
 * "(sensitive value)" is printed bare.
 */
void tsk_cmd_print_value(FILE *out, const cJSON *v, int indent);

/** Prints the attributes of an object as `name = value` lines, aligned. */
void tsk_cmd_print_attrs(FILE *out, const cJSON *attrs, int indent);

struct tsk_flow;
/**
 * For plan and drift, which write nothing: when an interrupted apply left
 * intents pending in the journal, the objects its pending creates made
 * (tsk_apply_pending_found) are counted as present in f->prior, in memory
 * only, and a warning says the next apply settles the journal. Returns 0,
 * or an error reported in f->d.
 */
int tsk_cmd_pending_prior(struct tsk_flow *f);

/** A JSON array of strings as a NULL-free vector for attrpath calls:
 * *n gets the count; the strings are borrowed from arr. Caller frees the
 * returned array (not the strings). */
const char **tsk_cmd_strs(const cJSON *arr, size_t *n);

#endif

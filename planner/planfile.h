/*
 * planfile.h - saved plans (`plan -out=FILE`): one JSON file holding the
 * state lineage and serial, the configuration digest, the tool version,
 * the git commit, the options and every change, with a sha256 of its body
 * so that a damaged file is refused. `apply FILE` loads it and checks it
 * against the current state and configuration.
 *
 * Ownership: a loaded plan is the caller's (tsk_plan_free). The file holds
 * planned values in cleartext (apply needs them): it is written mode 0600.
 */
#ifndef TSK_PLANFILE_H
#define TSK_PLANFILE_H

#include <stdint.h>

#include "planner/plan.h"

/* The file format's version; a newer one is refused. */
#define TSK_PLANFILE_VERSION 1

/**
 * Writes p to path atomically (a temporary file renamed over it), mode
 * 0600. Returns 0 or TSK_EIO with an error naming the file.
 */
int tsk_planfile_save(const struct tsk_plan *p, const char *path,
                      struct tsk_diags *d);

/**
 * Loads the plan saved at path into *out (zeroed first; on failure it is
 * left empty). A file that is missing, not a plan, of a newer format,
 * damaged (checksum) or malformed gives one error naming the file and
 * what is wrong; returns TSK_ENOTFOUND, TSK_EINVAL or TSK_EIO.
 */
int tsk_planfile_load(struct tsk_plan *out, const char *path,
                      struct tsk_diags *d);

/** What a saved plan is checked against before it is applied. */
struct tsk_planfile_now {
    const char *lineage;       /* the state's lineage */
    int64_t serial;            /* the state's serial */
    const char *config_digest; /* the configuration's digest now */
    const char *tool_version;  /* this binary's version */
};

/**
 * Checks a saved plan: the state lineage and serial, the configuration
 * digest and the tool version must all match. Reports every check that
 * fails (one error each, saying what the plan has and what there is now)
 * and returns TSK_ECONFLICT, else 0.
 */
int tsk_planfile_check(const struct tsk_plan *p,
                       const struct tsk_planfile_now *now, struct tsk_diags *d);

#endif

/*
 * gitops.h - the git side of the workflows: what a change to the
 * configuration means in intent (the desired graphs of two commits
 * compared resource by resource, with no state and no credentials, so it
 * runs on forks), rendered as text, JSON and markdown for a pull request;
 * and the checks that tie plans and applies to commits (a saved plan made
 * for another commit, a dirty work tree).
 *
 * Ownership: a struct tsk_intent owns every string and cJSON value in it
 * (tsk_intent_release); the graphs it was made from are borrowed and may be
 * freed afterwards. Values at sensitive paths are never copied into it.
 */
#ifndef TSK_GITOPS_H
#define TSK_GITOPS_H

#include <cjson/cJSON.h>

#include "planner/graph.h"
#include "planner/plan.h"
#include "planner/util/util.h"

/* GitHub refuses comments over 65,536 characters. */
#define TSK_MD_LIMIT 65000

enum tsk_intent_kind {
    TSK_INTENT_ADDED,
    TSK_INTENT_REMOVED,
    TSK_INTENT_CHANGED
};

/*
 * One attribute that differs. A reference is the object
 * {"$ref": "type.name.attr"}; a sensitive value is TSK_REDACTED.
 */
struct tsk_intent_attr {
    char *path;            /* "memory_size", "environment.STAGE" */
    cJSON *before, *after; /* NULL when absent on that side */
    int sensitive;
};

struct tsk_intent_res {
    char *addr, *type;
    char *function; /* the model function key, or NULL */
    char *at;       /* "REF:path:line:col" of its configuration, or NULL */
    enum tsk_intent_kind kind;
    cJSON *values; /* added: head's values; removed: base's (redacted) */
    TSK_ARRAY(struct tsk_intent_attr) attrs; /* changed: by path */
};

struct tsk_intent_names {
    TSK_ARRAY(char *) v;
};

struct tsk_intent {
    char *base, *head;                    /* revisions as given */
    char *base_commit, *head_commit;      /* full ids, or NULL */
    TSK_ARRAY(struct tsk_intent_res) res; /* by address */
    struct tsk_intent_names fn_added, fn_removed, fn_changed; /* sorted */
    int added, changed, removed; /* resource counts */
};

/**
 * Compares the desired graphs base and head into *out (zeroed first):
 * one entry per resource added, removed or changed (attribute values,
 * and references rewired to other resources), and the functions added,
 * removed and changed. Returns 1 when they differ, 0 when not.
 */
int tsk_intent_diff(struct tsk_intent *out, const struct tsk_graph *base,
                    const struct tsk_graph *head);
void tsk_intent_release(struct tsk_intent *in);

/** People: one line per resource, changed attributes below it. */
void tsk_intent_text(struct tsk_buf *out, const struct tsk_intent *in,
                     int color);
/** Machines: {format_version, base, head, differ, summary, functions,
 * resources: [{address, type, function, change, at, values|attributes:
 * [{path, before, after, sensitive}]}]}, with a final newline. */
void tsk_intent_json(struct tsk_buf *out, const struct tsk_intent *in);
/** A pull-request comment: never longer than TSK_MD_LIMIT characters;
 * past that it summarises and says how many resources it left out. */
void tsk_intent_md(struct tsk_buf *out, const struct tsk_intent *in);

/**
 * Checks that a saved plan was made for the commit checked out now. When
 * they differ (or one side has no commit) it is an error that names both,
 * or a warning when allow_other is set (-allow-other-commit). Returns 0 or
 * TSK_ECONFLICT.
 */
int tsk_gitops_check_commit(const struct tsk_git_info *planned,
                            const struct tsk_git_info *now, int allow_other,
                            struct tsk_diags *d);

/**
 * Before an apply: a dirty work tree is a warning (the apply is recorded
 * against a commit that does not hold the configuration used), or an error
 * with require_clean (-require-clean), which also refuses a folder that is
 * not in a repository (now->commit NULL). Returns 0 or TSK_ECONFLICT.
 */
int tsk_gitops_check_clean(const struct tsk_git_info *now, int require_clean,
                           struct tsk_diags *d);

/**
 * The drift report of a refresh-only plan as JSON: {summary: {managed,
 * in_sync, drifted, changed, deleted}, resources: [{address, type, id,
 * status: "changed"|"deleted", attributes: [{path, state, remote,
 * sensitive}]}]} (attributes only when changed; values at sensitive paths
 * redacted unless show_sensitive). remaining is how many managed objects
 * the refresh still found (deleted ones not counted). Caller owns it.
 */
cJSON *tsk_gitops_drift_json(const struct tsk_plan *p, size_t remaining,
                             int show_sensitive);

/**
 * The drift report as markdown for an issue or a chat message: a title
 * with the counts, then one table row per attribute that drifted (state
 * value, cloud value) and per object deleted. Unbounded: pass it through
 * tsk_gitops_md_finish.
 */
void tsk_gitops_drift_md(struct tsk_buf *out, const struct tsk_plan *p,
                         size_t remaining, int show_sensitive);

/**
 * Finishes a markdown comment that a renderer appended to out from offset
 * begin. Names the commit git (when there is one) in a line after the
 * title, with a warning when the work tree was dirty. Then keeps it within
 * limit bytes (GitHub counts characters, never more than bytes): past that,
 * whole lines are cut from the end, an open code fence and open <details>
 * are closed, and a last line says how many lines and characters were left
 * out and where to see everything (hint, e.g. "run `tuskform show
 * PLANFILE`"). limit 0 means TSK_MD_LIMIT.
 */
void tsk_gitops_md_finish(struct tsk_buf *out, size_t begin,
                          const struct tsk_git_info *git, size_t limit,
                          const char *hint);

/**
 * The commit a plan made in dir records: that of revision git_ref when it
 * is set (an error in d when it does not resolve), else the commit checked
 * out in dir with its branch and dirty flag (left empty outside a
 * repository, which is no error). Returns 0 or TSK_ERROR.
 */
int tsk_gitops_commit_of(struct tsk_git_info *out, const char *dir,
                         const char *git_ref, struct tsk_diags *d);

/**
 * The git checks of apply in dir, each reported (none stops the others):
 * the work tree is clean (tsk_gitops_check_clean), and when planned is not
 * NULL (apply PLANFILE) the plan was made for the commit checked out
 * (tsk_gitops_check_commit). Returns 0 or TSK_ECONFLICT.
 */
int tsk_gitops_apply_checks(const char *dir, const struct tsk_git_info *planned,
                            int require_clean, int allow_other_commit,
                            struct tsk_diags *d);

/** The first 12 hex digits of a commit id in buf, or "(none)". */
const char *tsk_gitops_short(const char *commit, char buf[13]);

#endif

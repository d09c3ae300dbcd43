/*
 * plan.h - the plan as pure data: remote objects as stored or read, the
 * drift found by a refresh, and the ordered changes apply will make.
 * diff.c makes a plan; render_*.c print it; planfile.c saves and loads it;
 * apply.c carries it out.
 *
 * Ownership: a struct tsk_plan owns every change, drift entry, string and
 * cJSON object in it; tsk_plan_free() releases all of it, except where
 * a change's before or text borrows a prior object
 * (tsk_diff_opts.borrow_prior: those objects then outlive the plan). A struct
 * tsk_object owns its strings, text and attrs (tsk_object_release()).
 */
#ifndef TSK_PLAN_H
#define TSK_PLAN_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "planner/util/util.h"

/*
 * A managed object as the state records it, or as a refresh read it.
 * Its attributes (computed ones included) are kept as the stored JSON text
 * and parsed only when something needs the tree: read them through
 * tsk_object_attrs() (or text and tsk_object_pick() for a few members),
 * never attrs directly. When attrs is set it is authoritative; text, when
 * set too, is then exactly the text attrs was parsed from. Whoever
 * replaces attrs uses tsk_object_set_attrs() (which drops text).
 * Threads: parsing caches the tree in the object, so one object is used by
 * one thread at a time (different objects may be used concurrently).
 */
struct tsk_object {
    char *addr, *type, *provider;
    char *id;     /* remote id */
    char *text;   /* the attributes as stored JSON text, or NULL */
    cJSON *attrs; /* parsed attributes, or NULL until first needed */
    TSK_ARRAY(char *) sensitive; /* sensitive attribute paths */
    TSK_ARRAY(char *) deps;      /* addresses it depended on */
    int tainted;
    /* 1: addr, type, provider, id and text are one block, which starts at
     * addr (tsk_object_pack); none of them is freed or replaced alone. */
    int packed;
};
void tsk_object_release(struct tsk_object *o);
/**
 * Sets o's addr (not NULL), type, provider, id (these may be NULL) and
 * text (text_len bytes, NUL-terminated or not) as copies in one block: one
 * allocation instead of five, for objects loaded by the hundred thousand.
 */
void tsk_object_pack(struct tsk_object *o, const char *addr, const char *type,
                     const char *provider, const char *id, const char *text,
                     size_t text_len);
/**
 * The attributes as a tree (borrowed from o): parsed from text on first
 * use (an object for text that is missing or not a JSON object). Though
 * o is const, the first call stores the tree in it (see threads above).
 */
cJSON *tsk_object_attrs(const struct tsk_object *o);
/** Replaces o's attributes by attrs (taken; NULL for none) and drops text. */
void tsk_object_set_attrs(struct tsk_object *o, cJSON *attrs);
/** 1 when o has attributes at all (text or tree). */
int tsk_object_has_attrs(const struct tsk_object *o);
/**
 * A new object (the caller's) holding copies of the top-level members of
 * o's attributes named in names (NULL-terminated), first occurrence each,
 * in attribute order. Parses just those members when o is not parsed yet.
 */
cJSON *tsk_object_pick(const struct tsk_object *o, const char *const *names);

enum tsk_action {
    TSK_NOOP,
    TSK_CREATE,
    TSK_READ,
    TSK_UPDATE,
    TSK_DELETE,
    TSK_REPLACE_DC, /* delete, then create */
    TSK_REPLACE_CD, /* create, then delete */
};

/* Why an action was chosen (Terraform's action_reason values). */
enum tsk_reason {
    TSK_REASON_NONE,
    TSK_REASON_TAINTED,           /* replace_because_tainted */
    TSK_REASON_REQUESTED,         /* replace_by_request (-replace=) */
    TSK_REASON_CANNOT_UPDATE,     /* replace_because_cannot_update */
    TSK_REASON_NO_CONFIG,         /* delete_because_no_resource_config */
    TSK_REASON_DESTROY,           /* plan -destroy / destroy */
};

struct tsk_change {
    char *addr, *type, *name, *provider;
    enum tsk_action action;
    enum tsk_reason reason;
    char *id;             /* remote id of the prior object, or NULL */
    /* Prior attributes, or NULL (create). A no-op's before may be a
     * cJSON_Raw item holding the prior's JSON text, or NULL with text set
     * (below): read before through tsk_change_before(). */
    cJSON *before;
    /* Planned attributes, or NULL (delete, or text set): read after
     * through tsk_change_after(). */
    cJSON *after;
    /* A no-op whose before and after are both exactly this JSON text, its
     * prior object's stored attributes (borrowed: see borrowed), byte for
     * byte what writing the after tree would give; before, after and
     * after_unknown are then NULL. NULL for every other change. */
    const char *text;
    /* Object: attr -> true where unknown until apply; NULL reads as {}. */
    cJSON *after_unknown;
    TSK_ARRAY(char *) sensitive;     /* sensitive paths (before and after) */
    TSK_ARRAY(char *) replace_paths; /* force_new attributes that changed */
    TSK_ARRAY(char *) deps;          /* addresses this change waits for */
    uint32_t node;        /* graph node index, UINT32_MAX when none */
    const char *function; /* model function key, for per-function tables */
    /* 1: addr, type, name, provider, id and the deps strings are
     * borrowed from the graph and the prior objects, which outlive the
     * plan (tsk_diff_opts.borrow_prior), and the deps array is carved
     * from the plan's (tsk_plan.carve: never grown); 0: all owned. */
    int borrowed;
};

enum tsk_drift_kind { TSK_DRIFT_CHANGED, TSK_DRIFT_DELETED };

struct tsk_drift {
    char *addr, *type, *provider, *id;
    enum tsk_drift_kind kind;
    cJSON *state_attrs;  /* as stored */
    cJSON *remote_attrs; /* as read, NULL when deleted */
    TSK_ARRAY(char *) paths;     /* attribute paths that differ */
    TSK_ARRAY(char *) sensitive;
};

struct tsk_git_info {
    char *commit; /* full hex id, or NULL outside a repository */
    char *branch; /* or NULL when detached */
    int dirty;
};

struct tsk_plan {
    TSK_ARRAY(struct tsk_change) changes; /* in the order apply runs them */
    TSK_ARRAY(struct tsk_drift) drift;
    char *lineage;      /* state lineage, NULL for no state yet */
    int64_t serial;     /* state serial the plan was made against */
    char *config_digest;/* sha256 of the configuration files */
    char *tool_version;
    char *provider;     /* provider name */
    struct tsk_git_info git;
    int destroy;        /* made with -destroy */
    int refresh_only;
    int errored;        /* planning hit errors: never apply */
    cJSON *cost;        /* cost estimate (cost.c), or NULL */
    TSK_ARRAY(char *) owned; /* strings that changes borrow (function) */
    struct tsk_bump carve;   /* the deps arrays of borrowing changes */
};

void tsk_plan_free(struct tsk_plan *p);
/**
 * c->before as a tree: c->before itself, or when it is raw JSON text (or
 * the change holds text) a parse of it stored in *tmp (the caller deletes
 * *tmp). NULL for none.
 */
const cJSON *tsk_change_before(const struct tsk_change *c, cJSON **tmp);
/**
 * c->after as a tree: c->after itself, or when the change holds text (see
 * tsk_change.text) a new tree parsed from it in *tmp, which the caller
 * frees (*tmp is set to NULL otherwise). NULL for a delete.
 */
const cJSON *tsk_change_after(const struct tsk_change *c, cJSON **tmp);
/** Counts of changes to add, change and destroy, as in Terraform. */
void tsk_plan_counts(const struct tsk_plan *p, int *add, int *change,
                     int *destroy);
/** Terraform's action names: ["create"], ["delete","create"], ... */
cJSON *tsk_action_json(enum tsk_action a);
const char *tsk_reason_name(enum tsk_reason r); /* NULL for NONE */

#endif

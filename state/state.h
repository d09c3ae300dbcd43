/*
 * state.h - the state store: one SQLite file per configuration
 * (.tuskform/state.db) holding lineage and serial, the managed resources,
 * history, the apply journal and the lock lease.
 *
 * Ownership: a struct tsk_state owns one SQLite connection guarded by a
 * mutex, so one handle may be shared by several apply worker threads.
 * Snapshots, lists and records returned through `**out` / `*out` are the
 * caller's and are freed with the matching _free/_release. cJSON arguments
 * are borrowed. Every write is committed before its call returns (writes
 * made by several threads at once may share one transaction, each in its
 * own savepoint); every error is reported as a diagnostic without a
 * position that names the state file.
 */
#ifndef TSK_STATE_H
#define TSK_STATE_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "planner/util/util.h"

/* PRAGMA application_id of every tuskform state file ("TSKF"). */
#define TSK_STATE_APP_ID 0x54534b46
/* The newest schema (PRAGMA user_version) this binary knows. */
#define TSK_STATE_SCHEMA_VERSION 1
/* Default heartbeat interval and lease length of a lock, in milliseconds;
 * the environment knobs TUSKFORM_LOCK_HEARTBEAT_MS and
 * TUSKFORM_LOCK_LEASE_MS override them (used by tests). */
#define TSK_STATE_HEARTBEAT_MS 5000
#define TSK_STATE_LEASE_MS 60000

struct tsk_state;

struct tsk_state_opts {
    int readonly;        /* never writes, never creates; needs no lock */
    int durability_full; /* synchronous=FULL (power-loss safe) */
};
#define TSK_STATE_OPTS_INIT                                                    \
    {                                                                          \
        0, 0                                                                   \
    }

/**
 * Opens the state file at path. Read-write: creates it (mode 0600, and its
 * parent directory, mode 0700, if missing) and migrates an older schema.
 * Read-only: a missing file returns TSK_ENOTFOUND with no diagnostic (the
 * caller reports "no state"). A file that is not a tuskform state (not
 * SQLite, another application's database, a newer schema, damaged) gives
 * an error and is left byte-for-byte untouched, with nothing created beside
 * it. An empty file is treated as not yet initialised. opts may be NULL.
 */
int tsk_state_open(struct tsk_state **out, const char *path,
                   const struct tsk_state_opts *opts, struct tsk_diags *d);
/**
 * Opens an existing state file at path only to read it, alongside other
 * work (reading ahead while a configuration loads): like a read-only open
 * it never creates, migrates or locks (TSK_ENOTFOUND with no diagnostic
 * for a missing or empty file; an error for a file of an older schema),
 * but when it is the last connection to close it removes the WAL files as
 * a writer does, so it leaves the state's folder as it found it.
 */
int tsk_state_open_reader(struct tsk_state **out, const char *path,
                          struct tsk_diags *d);
/** Releases the lock if held (stopping its heartbeat) and closes. NULL ok. */
void tsk_state_close(struct tsk_state *st);
/** "<dir>/.tuskform/state.db", or ".tuskform/state.db" when dir is NULL. */
char *tsk_state_default_path(const char *config_dir);
/** The path given to tsk_state_open (borrowed). */
const char *tsk_state_path(const struct tsk_state *st);
/** The lineage: a random UUID made when the file was created (borrowed). */
const char *tsk_state_lineage(const struct tsk_state *st);
/** The current serial (it grows by one on every write of resources), or
 * -1 when it cannot be read. */
int64_t tsk_state_serial(struct tsk_state *st);
/**
 * Checks a saved plan's lineage and serial against the state: returns 0,
 * or TSK_ECONFLICT with an error that says which one no longer matches.
 */
int tsk_state_check_plan(struct tsk_state *st, const char *lineage,
                         int64_t serial, struct tsk_diags *d);
/** Writes a random (version 4) UUID into out. */
void tsk_state_uuid(char out[37]);

/* ---- resources ---- */

/* A resource to store with tsk_state_put: every field is borrowed. */
struct tsk_state_res {
    const char *address;    /* "aws_lambda_function.api" */
    const char *type;       /* "aws_lambda_function" */
    const char *provider;   /* "aws" */
    const char *remote_id;  /* the cloud's id; NULL when unknown */
    const cJSON *attrs;     /* object; NULL is stored as {} */
    const cJSON *sensitive; /* array of attribute paths; NULL is [] */
    const cJSON *deps;      /* array of addresses; NULL is [] */
    int tainted;
};

/* A stored resource as loaded. The JSON stays text (checked to be valid
 * when loaded) so a full load stays fast; parse it with the
 * tsk_state_rec_* accessors when needed. */
struct tsk_state_rec {
    char *address, *type, *provider;
    char *remote_id;      /* NULL when unknown */
    char *attrs_json;     /* a JSON object */
    char *sensitive_json; /* a JSON array of attribute paths */
    char *deps_json;      /* a JSON array of addresses */
    int tainted;
    void *block_; /* private: every string above lives in this one block */
};

/* Every resource at one serial, sorted by address (strcmp order). */
struct tsk_state_snap {
    char *lineage;
    int64_t serial;
    TSK_ARRAY(struct tsk_state_rec) res;
    void *arena_; /* private: the records' strings */
};

/**
 * Loads every resource in one read transaction. A resource whose stored
 * JSON is damaged gives an error naming its address.
 */
int tsk_state_load(struct tsk_state_snap **out, struct tsk_state *st,
                   struct tsk_diags *d);
/**
 * Called by tsk_state_scan for each resource: r's strings (attrs_json is
 * attrs_len bytes long) are borrowed and valid during the call only;
 * r->block_ is NULL. A non-zero return stops the scan.
 */
typedef int (*tsk_state_scan_fn)(void *arg, const struct tsk_state_rec *r,
                                 size_t attrs_len);
/**
 * Calls fn for every resource of one serial (one read transaction) in
 * stored order, which is not address order, with no copy made: for a
 * caller that builds its own records. Damaged resources give the errors
 * tsk_state_load gives and are not passed to fn; the others still are,
 * and TSK_EINVAL is returned. *serial (may be NULL) gets the serial the
 * resources were read at, or -1 on failure. Returns 0, an error, or what
 * fn returned to stop.
 */
int tsk_state_scan(struct tsk_state *st, tsk_state_scan_fn fn, void *arg,
                   int64_t *serial, struct tsk_diags *d);
/**
 * About how many resources the state holds, to size arrays before a scan:
 * the largest row id (O(log n), no scan), which is the count unless rows
 * were deleted, at most TSK_STATE_HINT_MAX. 0 when unknown. Never an
 * error.
 */
#define TSK_STATE_HINT_MAX ((size_t)1 << 20)
size_t tsk_state_rows_hint(struct tsk_state *st);
/** The resource at addr (borrowed from s), or NULL. O(log n). */
const struct tsk_state_rec *tsk_state_snap_find(const struct tsk_state_snap *s,
                                                const char *addr);
void tsk_state_snap_free(struct tsk_state_snap *s);
/** Loads one resource into out (caller releases). TSK_ENOTFOUND, with no
 * diagnostic, if addr is not in state. */
int tsk_state_get(struct tsk_state_rec *out, struct tsk_state *st,
                  const char *addr, struct tsk_diags *d);
void tsk_state_rec_release(struct tsk_state_rec *r);
/** Parses the attributes: a new tree the caller deletes (cJSON_Delete);
 * NULL if the text is damaged. Safe from several threads at once. */
cJSON *tsk_state_rec_attrs(const struct tsk_state_rec *r);
/** Parses the sensitive paths (a new array the caller deletes), or NULL. */
cJSON *tsk_state_rec_sensitive(const struct tsk_state_rec *r);
/** Parses the dependencies (a new array the caller deletes), or NULL. */
cJSON *tsk_state_rec_deps(const struct tsk_state_rec *r);

/**
 * Inserts or replaces res, and clears journal entry jid (when jid > 0), in
 * one transaction; increments the serial. Safe from several threads. When
 * this handle holds the lock, fails with TSK_ELOCKED if the lock was taken
 * from it.
 */
int tsk_state_put(struct tsk_state *st, const struct tsk_state_res *res,
                  int64_t jid, struct tsk_diags *d);
/**
 * tsk_state_put of res[i] with jids[i] for every i < n, committed in one
 * transaction (each in its own savepoint, so one failing does not undo
 * the others): rcs[i] and ds[i] get what that call would have returned
 * and reported. Returns 0 when all were stored, else TSK_ERROR.
 */
int tsk_state_put_n(struct tsk_state *st, const struct tsk_state_res *res,
                    const int64_t *jids, size_t n, int *rcs,
                    struct tsk_diags *ds);
/** Forgets addr (and clears jid when > 0) in one transaction; increments
 * the serial. TSK_ENOTFOUND with an error if addr is not in state. */
int tsk_state_delete(struct tsk_state *st, const char *addr, int64_t jid,
                     struct tsk_diags *d);
/** Renames from to to, rewriting other resources' dependencies on it.
 * TSK_ENOTFOUND if from is absent, TSK_ECONFLICT if to exists. */
int tsk_state_mv(struct tsk_state *st, const char *from, const char *to,
                 struct tsk_diags *d);

/* ---- history ---- */

struct tsk_state_hist {
    int64_t serial;   /* 0 on add: the current serial */
    char *time;       /* RFC 3339 UTC; NULL on add: now */
    char *operation;  /* "apply", "destroy", "import", "state rm", ... */
    char *user;       /* NULL on add: $USER or the uid */
    char *host;       /* NULL on add: this host */
    char *git_commit; /* NULL when unknown */
    char *git_branch; /* NULL when unknown or detached */
    int git_dirty;    /* the work tree had uncommitted changes */
    char *summary;    /* "2 added, 1 changed, 0 destroyed" */
};
struct tsk_state_hist_list {
    TSK_ARRAY(struct tsk_state_hist) v; /* oldest first */
};

/** Appends a history row; fields are borrowed; NULLs get defaults. */
int tsk_state_history_add(struct tsk_state *st, const struct tsk_state_hist *h,
                          struct tsk_diags *d);
/** Lists history rows, oldest first; limit 0 means all, else the newest
 * limit rows. */
int tsk_state_history_list(struct tsk_state_hist_list *out,
                           struct tsk_state *st, size_t limit,
                           struct tsk_diags *d);
void tsk_state_hist_list_release(struct tsk_state_hist_list *l);

/* ---- apply journal ---- */

/* An intent recorded before a provider call and cleared when its result
 * is stored; entries left over tell the next run which objects may exist
 * without being recorded. */
struct tsk_state_intent {
    int64_t id;
    char *address;
    char *action; /* "create", "update", "delete", ... */
    char *provider;
    char *token;   /* idempotency hint given to the provider, or NULL */
    char *time;    /* RFC 3339 UTC, set on add */
    char *lock_id; /* the lock held when it was written, or NULL */
};
struct tsk_state_intent_list {
    TSK_ARRAY(struct tsk_state_intent) v; /* oldest first */
};

/** Records an intent (fields borrowed; id and time ignored); *id_out gets
 * its id, for tsk_state_put/_delete or tsk_state_journal_clear. */
int tsk_state_journal_add(int64_t *id_out, struct tsk_state *st,
                          const struct tsk_state_intent *in,
                          struct tsk_diags *d);
/** tsk_state_journal_add of in[i] into ids[i] for every i < n, committed
 * in one transaction; rcs[i] and ds[i] as for tsk_state_put_n. */
int tsk_state_journal_add_n(int64_t *ids, struct tsk_state *st,
                            const struct tsk_state_intent *in, size_t n,
                            int *rcs, struct tsk_diags *ds);
/** Clears one intent (e.g. a call that failed without side effects). */
int tsk_state_journal_clear(struct tsk_state *st, int64_t id,
                            struct tsk_diags *d);
/** Lists pending intents, oldest first. */
int tsk_state_journal_list(struct tsk_state_intent_list *out,
                           struct tsk_state *st, struct tsk_diags *d);
void tsk_state_intent_list_release(struct tsk_state_intent_list *l);

/* ---- lock (a lease) ---- */

struct tsk_state_lock_opts {
    const char *operation; /* "apply", "plan", "state mv", ... */
    int64_t timeout_ms;    /* 0: fail at once; else poll with backoff */
};

struct tsk_state_lock_info {
    char *id, *operation, *host, *user;
    int64_t pid;
    char *created;        /* RFC 3339 UTC */
    int64_t heartbeat_ms; /* wall-clock ms of the last heartbeat */
    int64_t lease_ms;
};

/**
 * Takes the lock and starts its heartbeat thread. A lock held by another
 * live holder fails with TSK_ELOCKED and an error naming the holder and
 * how to wait or remove it. A lease whose process is gone on this host or
 * whose heartbeat expired is taken over with a warning. Read-only handles
 * cannot lock (TSK_EINVAL).
 */
int tsk_state_lock(struct tsk_state *st, const struct tsk_state_lock_opts *o,
                   struct tsk_diags *d);
/** Stops the heartbeat and removes the lock if still ours. */
int tsk_state_unlock(struct tsk_state *st, struct tsk_diags *d);
/** This handle's lock id while it holds the lock, else NULL (borrowed). */
const char *tsk_state_lock_id(const struct tsk_state *st);
/** 1 if the lock this handle held was removed or taken over. */
int tsk_state_lock_lost(struct tsk_state *st);
/** Reads the current lock; TSK_ENOTFOUND (no diagnostic) when unlocked. */
int tsk_state_lock_read(struct tsk_state_lock_info *out, struct tsk_state *st,
                        struct tsk_diags *d);
void tsk_state_lock_info_release(struct tsk_state_lock_info *li);
/** Removes the lock whose id is id; TSK_ENOTFOUND with an error when no
 * lock or another id is held (the message names the holder). */
int tsk_state_force_unlock(struct tsk_state *st, const char *id,
                           struct tsk_diags *d);

#endif

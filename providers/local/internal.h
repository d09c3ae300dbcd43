/*
 * internal.h - shared between cloud.c and crud.c of the local provider only:
 * the configured instance (struct tsk_pctx), its pool of SQLite connections
 * to the "cloud" file, the latency and failure knobs, and the row-level
 * operations on the objects table.
 *
 * Ownership: struct tsk_local_obj owns its strings and cJSON values
 * (tsk_local__obj_release). Connections taken with tsk_local__db_get go
 * back with tsk_local__db_put; they never cross threads while taken.
 */
#ifndef TSK_PROVIDERS_LOCAL_INTERNAL_H
#define TSK_PROVIDERS_LOCAL_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>

#include "providers/local/local.h"

/* A call that TUSKFORM_LOCAL_FAIL makes fail: "create:local_function.api". */
struct tsk_local_failpt {
    char *op;   /* "create", "update", "delete", "read", "find", "*" */
    char *addr; /* an address, or "*" */
    int lost;   /* "lost-create:": the call succeeds, then reports failure */
};

struct tsk_pctx {
    char *path;   /* the cloud file */
    char *region; /* "local" unless the configuration sets one */
    char *stack;
    /* The resource types this instance serves (tsk_local_types; tests may
     * substitute their own table). */
    const struct tsk_resource_type *const *types;
    long latency_ms;
    TSK_ARRAY(struct tsk_local_failpt) fails;
    double fail_rate; /* 0: off */
    uint64_t fail_seed;
    pthread_mutex_t mu;  /* guards idle */
    pthread_mutex_t wmu; /* serialises this process's write transactions */
    TSK_ARRAY(sqlite3 *) idle;
};

/* One object of the cloud. */
struct tsk_local_obj {
    char *id, *type, *name, *arn;
    cJSON *attrs; /* the attributes, id and arn included */
    cJSON *tags;  /* object of strings */
};
void tsk_local__obj_release(struct tsk_local_obj *o);

/** Opens (or creates) the cloud file and configures the knobs from the
 * environment. types NULL means tsk_local_types. */
int tsk_local__open(struct tsk_pctx **out, const struct tsk_provider_cfg *cfg,
                    const struct tsk_resource_type *const *types,
                    struct tsk_diags *d);

/** Takes a connection of the pool (opening one if none is idle). */
int tsk_local__db_get(struct tsk_pctx *p, sqlite3 **out, struct tsk_diags *d);
void tsk_local__db_put(struct tsk_pctx *p, sqlite3 *db);

/**
 * The knobs, applied at the start of every call: sleeps the configured
 * latency (holding no lock), then returns TSK_ERROR with an error when
 * TUSKFORM_LOCAL_FAIL selects this call. *lost is set for a "lost-" point:
 * the caller performs the call, then reports failure.
 */
int tsk_local__knobs(struct tsk_pctx *p, const char *op, const char *addr,
                     int *lost, struct tsk_diags *d);

/** Loads the object id (of type, when type is not NULL): 0, TSK_ENOTFOUND,
 * or an error (a damaged row names the object). */
int tsk_local__obj_get(struct tsk_local_obj *out, sqlite3 *db,
                       const char *type, const char *id, struct tsk_diags *d);
/** The id of the object of type whose id, arn or name is value, or NULL
 * (caller frees). */
char *tsk_local__obj_lookup(sqlite3 *db, const char *type, const char *value);
/** The newest object of type tagged with stack and address addr; same
 * results as tsk_local__obj_get. */
int tsk_local__obj_find(struct tsk_local_obj *out, sqlite3 *db,
                        const char *type, const char *stack, const char *addr,
                        struct tsk_diags *d);

/*
 * A write: inside one transaction (under p->wmu), check() runs first and
 * may fail the write (reference checks see a consistent view), then the
 * row is inserted (op 'i'), replaced (op 'u': must exist) or deleted
 * (op 'd': a missing row is fine).
 */
struct tsk_local_write {
    char op;
    const struct tsk_local_obj *obj; /* for 'd' only id is used */
    int (*check)(sqlite3 *db, void *arg, struct tsk_diags *d);
    void *arg;
};
int tsk_local__write(struct tsk_pctx *p, const struct tsk_local_write *w,
                     struct tsk_diags *d);

/** The type of address addr ("local_function.api" -> "local_function"),
 * NUL-terminated in buf; 0, or TSK_EINVAL when addr has no dot. */
int tsk_local__addr_type(char *buf, size_t n, const char *addr);
/** The resource type name of this instance, or NULL. */
const struct tsk_resource_type *tsk_local__type(const struct tsk_pctx *p,
                                                const char *name);

#endif

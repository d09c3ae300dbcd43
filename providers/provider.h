/*
 * provider.h - the driver interface: a provider lowers the serverless model
 * into resource nodes of its own types, and each resource type reads,
 * creates, updates, deletes and imports remote objects.
 *
 * Ownership: providers and resource types are static const tables. A
 * struct tsk_pctx is made by configure() and freed by close(). Every
 * `cJSON **out` result belongs to the caller; `const cJSON *` arguments are
 * borrowed. Resource callbacks may run on several threads at once, each
 * with the same pctx: a provider makes its pctx thread-safe.
 */
#ifndef TSK_PROVIDER_H
#define TSK_PROVIDER_H

#include <cjson/cJSON.h>

#include "planner/util/util.h"

struct tsk_model;
struct tsk_graph;
struct tsk_pctx; /* a configured provider instance, private to the provider */

/* Attribute value types of a schema. */
enum tsk_attr_type {
    TSK_T_STRING,
    TSK_T_NUMBER,
    TSK_T_BOOL,
    TSK_T_LIST, /* JSON array */
    TSK_T_MAP,  /* JSON object of strings */
    TSK_T_OBJECT,
};

enum tsk_attr_flags {
    TSK_A_REQUIRED = 1 << 0,  /* must be set by the lowering */
    TSK_A_OPTIONAL = 1 << 1,  /* may be set by the lowering */
    TSK_A_COMPUTED = 1 << 2,  /* set by the provider (ids, ARNs) */
    TSK_A_FORCE_NEW = 1 << 3, /* a change forces a replacement */
    TSK_A_SENSITIVE = 1 << 4, /* redacted in every output */
};

struct tsk_attr_schema {
    const char *name;
    enum tsk_attr_type type;
    unsigned flags;
    /*
     * For a reference attribute: the resource type whose object the value
     * names (its id or arn); providers check it exists. NULL otherwise.
     */
    const char *ref_type;
    const char *doc; /* one line, for `tuskform help` and docs */
};

struct tsk_schema {
    const struct tsk_attr_schema *attrs; /* terminated by {NULL} */
    int create_before_destroy; /* a replace may create first (CD) */
};

/** The schema entry of attribute name, or NULL. */
const struct tsk_attr_schema *tsk_schema_attr(const struct tsk_schema *s,
                                              const char *name);

/* Calls receive the resource address for messages and tags. */
struct tsk_rcall {
    struct tsk_pctx *pctx;
    const char *addr;  /* "local_function.api" */
    const char *stack; /* the stack name, for tags */
};

struct tsk_resource_type {
    const char *name; /* "local_function" */
    const struct tsk_schema *schema;
    /**
     * Reads the remote object id. *out is the object's attributes in the
     * schema's shape (computed ones included), or NULL when it no longer
     * exists (not an error).
     */
    int (*read)(const struct tsk_rcall *c, const char *id,
                const cJSON *prior, cJSON **out, struct tsk_diags *d);
    /** Creates the object from planned attributes (all known). */
    int (*create)(const struct tsk_rcall *c, const cJSON *planned,
                  char **out_id, cJSON **out, struct tsk_diags *d);
    /** Updates in place; only called when no force_new attribute changed. */
    int (*update)(const struct tsk_rcall *c, const char *id,
                  const cJSON *prior, const cJSON *planned, cJSON **out,
                  struct tsk_diags *d);
    /** Deletes; deleting an object that is already gone succeeds. */
    int (*delete)(const struct tsk_rcall *c, const char *id,
                  const cJSON *prior, struct tsk_diags *d);
    /**
     * Finds the object that a create for c->addr may have made before the
     * process died (by its tuskform:address tag or its name): *out_id and
     * *out are set when found, left NULL when not. NULL: not supported.
     */
    int (*find)(const struct tsk_rcall *c, const cJSON *planned,
                char **out_id, cJSON **out, struct tsk_diags *d);
    /** Import: same as read, but the object must exist. NULL: use read. */
    int (*import)(const struct tsk_rcall *c, const char *id, cJSON **out,
                  struct tsk_diags *d);
};

/*
 * One call of a batch (tsk_provider.call_many): the arguments and results
 * of the single callback that op names. The results belong to the caller
 * once call_many returns (out_id, out, d).
 */
struct tsk_pcall {
    char op; /* 'r' read, 'c' create, 'u' update, 'd' delete */
    const struct tsk_resource_type *rt;
    struct tsk_rcall c;
    const char *id;       /* read, update, delete */
    const cJSON *prior;   /* read, update, delete: as state holds it */
    /* read: the state's JSON text of prior, or NULL; when set, prior may
     * be NULL (borrowed, like prior) */
    const char *prior_text;
    const cJSON *planned; /* create, update */
    char *out_id;         /* create */
    cJSON *out;           /* read (NULL: gone), create, update */
    int same; /* read: the object is exactly prior (out is NULL then) */
    int rc;               /* what the single callback would return */
    struct tsk_diags d;   /* this call's diagnostics */
};

struct tsk_provider_cfg {
    const char *workdir; /* the configuration folder (absolute) */
    const char *stack;   /* stack name: the service, else the folder name */
    const char *region;  /* from the configuration or NULL */
};

struct tsk_provider {
    const char *name;    /* "local", "aws" */
    const char *aliases; /* space-separated other names: "aws_lambda" */
    int supported;       /* 0: recognised, "not supported yet" */
    /** Lowers the model into graph nodes of this provider's types. */
    int (*lower)(const struct tsk_model *m, struct tsk_graph *g,
                 struct tsk_diags *d);
    /** Makes a provider instance for read/create/update/delete. */
    int (*configure)(struct tsk_pctx **out, const struct tsk_provider_cfg *cfg,
                     struct tsk_diags *d);
    void (*close)(struct tsk_pctx *pctx);
    const struct tsk_resource_type *const *types; /* NULL-terminated */
    /**
     * Optional (NULL: the caller makes the calls one by one). Makes the
     * calls calls[0..n) of this provider's types from one thread, each
     * with the effect and results its single callback would have (a
     * failing call fails alone), but sharing what can be shared: one
     * query for many reads, one durable write for many writes. Writes are
     * made in array order and are durable when this returns; reads see
     * one consistent view. Only reads, or only writes, in one batch.
     */
    void (*call_many)(struct tsk_pctx *pctx, struct tsk_pcall *calls,
                      size_t n);
};

/** The provider named name (or one of its aliases), or NULL. */
const struct tsk_provider *tsk_provider_find(const char *name);
/** The resource type name of provider p, or NULL. */
const struct tsk_resource_type *
tsk_provider_type(const struct tsk_provider *p, const char *type);
/** The provider that owns resource type name ("local_function"), or NULL. */
const struct tsk_provider *tsk_provider_for_type(const char *type);
/** Every registered provider, NULL-terminated. */
extern const struct tsk_provider *const tsk_providers[];

#endif

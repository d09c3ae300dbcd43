/*
 * model_internal.h - private to planner/model*.c: the declarative key
 * tables (model_schema.c), the generic table checker, the builder context,
 * the model's arena and name index, and the per-section builders.
 *
 * Ownership: everything allocated while building lives in the model's
 * arena (tsk_model__alloc) and is freed with the model.
 */
#ifndef TSK_MODEL_INTERNAL_H
#define TSK_MODEL_INTERNAL_H

#include "planner/model.h"

/* ---- schema ---------------------------------------------------------- */

enum tsk_model__ktype {
    TSK_MK_BOOL,
    TSK_MK_INT,     /* an integer; range min..max */
    TSK_MK_NUMBER,  /* an integer or a double; range min..max */
    TSK_MK_STRING,  /* non-empty; one of choices when choices is set */
    TSK_MK_STRINGS, /* an array of non-empty strings */
    TSK_MK_TABLE,   /* a nested table; its keys are checked by the caller */
    TSK_MK_STRMAP,  /* a table of NAME = string */
    TSK_MK_ENVMAP,  /* a table of NAME = string, number or boolean */
};

struct tsk_model__key {
    const char *name;
    enum tsk_model__ktype type;
    unsigned ctx; /* contexts the key applies in; 0 = every one */
    int ranged;   /* INT/NUMBER: min..max is checked */
    double min, max;
    const char *unit;           /* shown with the range, or NULL */
    const char *const *choices; /* STRING: NULL-terminated, or NULL */
    const char *meaning; /* what the key maps to (documentation, advice) */
};

struct tsk_model__schema {
    const char *path; /* dotted path of the table, for messages */
    const struct tsk_model__key *keys;
    size_t n;
};

/* Key indices of every table; the tables in model_schema.c are indexed by
 * these enums. */
enum { ROOT_SA, ROOT_ED, ROOT_CS, ROOT_MO, ROOT_DB, ROOT__N };
enum {
    SA_PROVIDER,
    SA_RUNTIME,
    SA_REGION,
    SA_SERVICE,
    SA_MEMORY,
    SA_TIMEOUT,
    SA_SOURCE,
    SA_ROLE,
    SA_ARCH,
    SA_LAYERS,
    SA_ENV,
    SA_SENSITIVE,
    SA_TAGS,
    SA_EXPECTED,
    SA_FUNCTIONS,
    SA_EVENTS,
    SA_AUTHORIZERS,
    SA_PRE_WARMING,
    SA__N
};
/* Function keys; handlers take the same table in another context. */
#define TSK_MCTX_FUNCTION 1u
#define TSK_MCTX_HANDLER 2u
enum {
    FN_HANDLER,
    FN_FUNCTION,
    FN_RETRY,
    FN_EVENTS,
    FN_RUNTIME,
    FN_MEMORY,
    FN_TIMEOUT,
    FN_ENV,
    FN_SOURCE,
    FN_ARCH,
    FN_LAYERS,
    FN_RESERVED,
    FN_SENSITIVE,
    FN_ROLE,
    FN_PROVISIONED,
    FN_TAGS,
    FN_EXPECTED,
    FN__N
};
enum { EX_INVOCATIONS, EX_DURATION, EX__N };
enum { RP_MAX_ATTEMPTS, RP_BACKOFF, RP__N };
/* Event source keys; the context is 1 << enum tsk_model_event_kind. */
enum {
    EV_TYPE,
    EV_CORS,
    EV_AUTHORIZER,
    EV_BUCKET,
    EV_S3_EVENTS,
    EV_QUEUE,
    EV_STREAM,
    EV_TABLE,
    EV_BATCH,
    EV_WINDOW,
    EV_START,
    EV_SCHEDULE,
    EV__N
};
enum { AU_TYPE, AU_ISSUER, AU_AUDIENCE, AU__N };
enum { PW_ENABLED, PW__N };
enum { ED_ENABLED, ED_BUS, ED_DLQ, ED_EVENTS, ED_HANDLERS, ED__N };
enum { RU_SOURCE, RU_DETAIL_TYPE, RU_TARGETS, RU__N };
enum {
    CS_ENABLED,
    CS_PRE_WARMING,
    CS_KEEP_WARM,
    CS_PROVISIONED,
    CS_STRATEGIES,
    CS_OPTIMIZATION,
    CS__N
};
enum { ST_PRE_WARMING, ST_KEEP_WARM, ST_PROVISIONED, ST__N };
enum { SP_ENABLED, SP_INTERVAL, SP_CONCURRENCY, SP__N };
enum { SK_ENABLED, SK_MIN, SK_MAX, SK__N };
enum { SV_ENABLED, SV_CONCURRENCY, SV_AUTO_SCALING, SV__N };
enum { OP_CODE, OP_DEPS, OP_LAYERS, OP_INIT, OP__N };
enum {
    MO_ENABLED,
    MO_METRICS_COLLECTION,
    MO_DISTRIBUTED_TRACING,
    MO_COST_MONITORING,
    MO_METRICS,
    MO_TRACING,
    MO_COST,
    MO_BUDGETS,
    MO__N
};
enum { MM_INVOCATIONS, MM_DURATION, MM_ERRORS, MM_MEMORY, MM_COLD, MM__N };
enum { MT_PROVIDER, MT_SAMPLING, MT_HEADER, MT__N };
enum { MC_ALERTS, MC_OPTIMIZATION, MC_RIGHTSIZING, MC_EMAILS, MC__N };
enum { BU_AMOUNT, BU_FUNCTION, BU_EMAILS, BU__N };
enum { DB_ENABLED, DB_LOG_LEVEL, DB_TRACE, DB_OUTPUT, DB__N };
enum { DO_CONSOLE, DO_CLOUDWATCH, DO__N };

extern const struct tsk_model__schema tsk_model__root, tsk_model__sa,
    tsk_model__fn, tsk_model__expected, tsk_model__retry, tsk_model__ev,
    tsk_model__au, tsk_model__pw, tsk_model__ed, tsk_model__rule, tsk_model__cs,
    tsk_model__st, tsk_model__sp, tsk_model__sk, tsk_model__sv, tsk_model__op,
    tsk_model__mo, tsk_model__mm, tsk_model__mt, tsk_model__mc, tsk_model__bu,
    tsk_model__db, tsk_model__do;

/* Where a table sits, for messages: "PATH" or "PATH.NAME". */
struct tsk_model__where {
    const char *path;
    const char *name;     /* entry name below path, or NULL */
    const char *sub;      /* a key below the entry, or NULL */
    unsigned ctx;         /* the context keys must apply to (0: any) */
    const char *ctx_what; /* "a handler", "an s3 event source", ... */
};

/**
 * Checks every entry of t against s. vals (s->n slots) receives, for each
 * key, its value when present, not null and well typed, else NULL. Reports
 * unknown keys (with a did-you-mean), keys that do not apply in w->ctx,
 * wrong types and values out of range (with the allowed range). Returns
 * the number of errors reported.
 */
int tsk_model__check(const struct tsk_table *t,
                     const struct tsk_model__schema *s,
                     const struct tsk_model__where *w,
                     const struct tsk_value **vals, struct tsk_diags *d);

/** Checks that v is a table (else an error naming w); returns it, or
 * NULL (also for null). */
const struct tsk_table *tsk_model__table(const struct tsk_value *v,
                                         const struct tsk_model__where *w,
                                         struct tsk_diags *d);

/* Typed reads of values that tsk_model__check accepted (NULL: default). */
int tsk_model__bool(const struct tsk_value *v, int dflt);
int64_t tsk_model__int(const struct tsk_value *v, int64_t dflt);
double tsk_model__num(const struct tsk_value *v, double dflt);
const char *tsk_model__str(const struct tsk_value *v);

/* ---- arena and name index ---------------------------------------------- */

void *tsk_model__alloc(struct tsk_model *m, size_t n); /* zeroed */
char *tsk_model__printf(struct tsk_model *m, const char *fmt, ...)
    TSK_PRINTF(2, 3);
/** Copies a string array value into an arena list (values checked). */
void tsk_model__strs(struct tsk_model *m, const struct tsk_value *v,
                     struct tsk_model_strs *out);

/* A string -> index hash (open addressing) for names looked up often. */
struct tsk_model__index {
    const char **keys;
    size_t *vals;
    size_t cap, n;
    int fold; /* treat '-' and '_' alike */
};
void tsk_model__index_put(struct tsk_model__index *x, const char *key,
                          size_t val);
/** Returns the index stored under key, or (size_t)-1. A key put twice
 * (with fold: equal after folding '-' to '_') keeps its first index. */
size_t tsk_model__index_get(const struct tsk_model__index *x, const char *key);
void tsk_model__index_free(struct tsk_model__index *x);
/** The model's function key -> index (functions, then handlers). */
struct tsk_model__index *tsk_model__names(struct tsk_model *m);

/* ---- the builder ------------------------------------------------------- */

struct tsk_model__ctx {
    struct tsk_model *m;
    struct tsk_diags *d;
    const struct tsk_value *sa[SA__N]; /* [serverless_architecture] */
    const struct tsk_table *sa_tab;
    const struct tsk_table *functions_tab, *handlers_tab, *events_tab;
    /* raw function tables: functions then handlers, parallel to
     * m->functions (values of tsk_model__fn keys) */
    const struct tsk_value *(*fn_vals)[FN__N];
    size_t n_plain; /* functions before the first handler */
};

/* model_provider.c */
void tsk_model__provider(struct tsk_model__ctx *c);
/* model_events.c: authorizers and event sources */
void tsk_model__event_sources(struct tsk_model__ctx *c);
/* model_fn.c: functions and handlers */
void tsk_model__functions(struct tsk_model__ctx *c,
                          const struct tsk_table *handlers);
/* model_refs.c: references, names, did-you-mean */
void tsk_model__index_functions(struct tsk_model__ctx *c);
void tsk_model__resolve_events(struct tsk_model__ctx *c,
                               struct tsk_model_function *f,
                               const struct tsk_value *events);
void tsk_model__resolve_authorizer(struct tsk_model__ctx *c,
                                   struct tsk_model_event_source *s,
                                   const struct tsk_value *name);
void tsk_model__rules(struct tsk_model__ctx *c, const struct tsk_table *rules);
const struct tsk_model_function *
tsk_model__resolve_function(struct tsk_model__ctx *c, const char *name,
                            const struct tsk_pos *at, const char *what);
/* model_cold.c: cold start */
void tsk_model__cold_start(struct tsk_model__ctx *c,
                           const struct tsk_table *cs);
/* model_monitor.c: monitoring, debug */
void tsk_model__monitoring(struct tsk_model__ctx *c,
                           const struct tsk_table *mo);
void tsk_model__debug(struct tsk_model__ctx *c, const struct tsk_table *db);
/* model.c */
void tsk_model__add_advice(struct tsk_model__ctx *c, const char *key,
                           const char *note, const struct tsk_pos *pos);

#endif

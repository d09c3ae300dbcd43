/*
 * model.h - the serverless model: the evaluated TSK document checked
 * against the schema of the five section families (serverless_architecture,
 * event_driven_serverless, cold_start_optimization, serverless_monitoring,
 * debug) and turned into plain typed structs, with every reference resolved
 * (function -> event sources, http -> authorizer, rule -> target functions,
 * budget -> function) and every default and strategy applied per function.
 *
 * Ownership: a struct tsk_model owns its arrays and computed strings (one
 * arena, freed by tsk_model_free). Strings copied from the configuration
 * (keys, handlers, names) and every struct tsk_pos BORROW the document:
 * free the document only after the model. Everything is read-only for the
 * stages after the model (provider lowering, cost estimate).
 */
#ifndef TSK_MODEL_H
#define TSK_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "planner/tsk/tsk.h"
#include "planner/util/util.h"

struct tsk_srcfs; /* planner/srcfs.h */

enum tsk_model_provider {
    TSK_MODEL_PROVIDER_NONE, /* not set or not recognised (an error) */
    TSK_MODEL_PROVIDER_LOCAL,
    TSK_MODEL_PROVIDER_AWS,    /* "aws" or "aws_lambda" */
    TSK_MODEL_PROVIDER_GOOGLE, /* recognised, not supported yet */
    TSK_MODEL_PROVIDER_AZURE,  /* recognised, not supported yet */
    TSK_MODEL_PROVIDER_VERCEL, /* recognised, not supported yet */
};

enum tsk_model_event_kind {
    TSK_MODEL_EV_HTTP,
    TSK_MODEL_EV_S3,
    TSK_MODEL_EV_SQS,
    TSK_MODEL_EV_DYNAMODB,
    TSK_MODEL_EV_KINESIS,
    TSK_MODEL_EV_SCHEDULE, /* also the entry named "eventbridge" */
};

enum tsk_model_arch { TSK_MODEL_ARCH_X86_64, TSK_MODEL_ARCH_ARM64 };
enum tsk_model_backoff {
    TSK_MODEL_BACKOFF_EXPONENTIAL,
    TSK_MODEL_BACKOFF_LINEAR,
    TSK_MODEL_BACKOFF_FIXED,
};
enum tsk_model_log_level {
    TSK_MODEL_LOG_DEBUG,
    TSK_MODEL_LOG_INFO,
    TSK_MODEL_LOG_WARN,
    TSK_MODEL_LOG_ERROR,
};

/* A list of strings as written (each borrowed from the document). */
struct tsk_model_strs {
    const char **v;
    struct tsk_pos *pos; /* pos[i] is where v[i] is written */
    size_t n;
};

/* One key/value pair: environment variables, tags. */
struct tsk_model_kv {
    const char *key;
    const char *value; /* numbers and booleans are given as their text */
    int sensitive;     /* environment: named in `sensitive` */
    struct tsk_pos pos;
};

struct tsk_model_authorizer {
    const char *name;
    const char *type; /* "jwt" */
    const char *issuer;
    struct tsk_model_strs audience;
    struct tsk_pos pos;
};

struct tsk_model_event_source {
    const char *name; /* the key under serverless_architecture.events */
    enum tsk_model_event_kind kind;
    struct tsk_pos pos;
    struct {
        int cors;
        const char *authorizer_name;                   /* or NULL */
        const struct tsk_model_authorizer *authorizer; /* resolved */
    } http;
    struct {
        const char *bucket;
        struct tsk_model_strs events; /* "s3:ObjectCreated:*", ... */
    } s3;
    struct {
        const char *queue;   /* a name, or an ARN */
        int batch_size;      /* 1..10000, default 10 */
        int batching_window; /* seconds, 0..300, default 0 */
    } sqs;
    struct {                 /* dynamodb and kinesis */
        const char *stream;  /* an ARN, or a name to look up; or NULL */
        const char *table;   /* dynamodb only: table name, or NULL */
        int batch_size;      /* 1..10000, default 100 */
        int batching_window; /* seconds, 0..300, default 0 */
        const char *starting_position; /* "LATEST" or "TRIM_HORIZON" */
    } stream;
    struct {
        const char *expression; /* "rate(5 minutes)" or "cron(...)" */
    } schedule;
};

struct tsk_model_function {
    const char *key;     /* the configuration key */
    const char *name;    /* in the cloud: "SERVICE-KEY" or "KEY" (owned) */
    const char *handler; /* entry point; a handler's `function` */
    const char *runtime;
    int64_t memory_size;      /* MB */
    int64_t timeout;          /* seconds */
    struct tsk_model_kv *env; /* service environment merged with own */
    size_t n_env;
    const char *source;      /* as written, or NULL */
    const char *source_path; /* resolved against the .tsk folder (owned) */
    struct tsk_pos source_pos;
    enum tsk_model_arch architecture;
    struct tsk_model_strs layers;
    int64_t reserved_concurrency; /* -1: not set */
    const char *role;             /* or NULL: derive a least-privilege role */
    struct tsk_model_kv *tags;    /* service tags merged with own */
    size_t n_tags;
    const struct tsk_model_event_source **events; /* resolved, in order */
    size_t n_events;
    int is_handler; /* from event_driven_serverless.handlers */
    struct {
        int set;
        int64_t max_attempts; /* 0..185 */
        enum tsk_model_backoff backoff;
    } retry;
    /* Effective cold-start settings (strategy, then the function's own). */
    struct {
        int on;
        int64_t interval;    /* seconds between warm-up pings */
        int64_t concurrency; /* pings per interval */
    } pre_warming;
    struct {
        int on;
        int64_t min_instances;
        int64_t max_instances; /* 0: no cap */
    } keep_warm;
    struct {
        int on;
        int64_t concurrency;
        int auto_scaling;
    } provisioned;
    struct {
        int set;
        int64_t monthly_invocations;
        double avg_duration_ms;
    } expected;
    struct tsk_pos pos; /* the function's (or handler's) key */
};

/* An event rule of event_driven_serverless. */
struct tsk_model_rule {
    const char *name;
    const char *source;
    const char *detail_type;
    struct tsk_model_function **targets; /* resolved; unresolved are left out */
    size_t n_targets;
    struct tsk_pos pos;
};

struct tsk_model_budget {
    const char *name;
    double amount;                             /* USD per month */
    const struct tsk_model_function *function; /* resolved */
    /* alert_emails: the budget's own, else [serverless_monitoring.cost]'s
     * (n = 0: none given) */
    struct tsk_model_strs alert_emails;
    struct tsk_pos pos;
};

/* A key that produces plan-time advice rather than a resource attribute. */
struct tsk_model_advice {
    const char *key;  /* dotted path, e.g.
                         "cold_start_optimization.optimization.layer_caching" */
    const char *note; /* what the advice says */
    struct tsk_pos pos;
};

struct tsk_model {
    /* The stack: [serverless_architecture] */
    enum tsk_model_provider provider;
    const char *provider_name; /* as written, or NULL */
    struct tsk_pos provider_pos;
    const char *service; /* name prefix, or NULL */
    const char *runtime; /* default, or NULL */
    const char *region;  /* or NULL */
    struct {
        int64_t memory_size; /* 128..10240, default 128 */
        int64_t timeout;     /* 1..900, default 3 */
        enum tsk_model_arch architecture;
        struct {
            int set;
            int64_t monthly_invocations;
            double avg_duration_ms;
        } expected;
    } defaults;
    struct tsk_pos pos; /* [serverless_architecture] */

    /* Functions first (in source order), then handlers (in source order). */
    TSK_ARRAY(struct tsk_model_function) functions;
    TSK_ARRAY(struct tsk_model_event_source) event_sources;
    TSK_ARRAY(struct tsk_model_authorizer) authorizers;

    struct {
        int enabled;           /* false: no bus, rules or handler functions */
        const char *event_bus; /* "default" or a name, or NULL */
        const char *dead_letter_queue; /* a queue name, or NULL */
        struct tsk_pos pos;
        TSK_ARRAY(struct tsk_model_rule) rules;
    } events;

    struct {
        int enabled;
        int optimization_flags; /* how many optimization.* flags are on */
    } cold_start;

    struct {
        int enabled;
        int metrics_collection, distributed_tracing, cost_monitoring;
        struct {
            int invocation_count, duration, error_rate, memory_usage,
                cold_starts;
        } metrics;
        struct {
            const char *provider;        /* "xray" or NULL */
            double sampling_rate;        /* 0..1, default 0.05 */
            const char *trace_id_header; /* or NULL */
        } tracing;
        struct {
            int budget_alerts, cost_optimization, resource_rightsizing;
        } cost;
        TSK_ARRAY(struct tsk_model_budget) budgets;
    } monitoring;

    struct {
        int enabled;
        enum tsk_model_log_level log_level; /* default INFO */
        const char *log_level_name;         /* as written, or NULL */
        int trace_invocations;
        int console, cloudwatch; /* [debug.output] */
    } debug;

    TSK_ARRAY(struct tsk_model_advice) advice;

    /* Where the code of `source` keys is read (borrowed from the builder's
     * options; NULL: the file system): the providers hash and package
     * source_path through it. */
    const struct tsk_srcfs *srcfs;

    void *arena_; /* private */
};

struct tsk_model_opts {
    /* The tree `source` keys are resolved in and checked against, the one
     * the *.tsk files were read from (a git commit's for -git-ref); NULL:
     * the file system. Borrowed: it must outlive the model. */
    const struct tsk_srcfs *srcfs;
};

/**
 * Checks doc against the schema and builds the model into *out. Every
 * error of the configuration is reported into d, each at its file:line:col
 * (unknown keys with a did-you-mean, wrong types and out-of-range values
 * with the allowed range, unresolved references with the defined names).
 * Returns 0, or TSK_ERROR when an error was reported; *out is always set
 * (a partial model on error) and the caller frees it with tsk_model_free.
 */
int tsk_model_build(struct tsk_model **out, const struct tsk_doc *doc,
                    struct tsk_diags *d);

/** tsk_model_build with options (opts NULL: as tsk_model_build). */
int tsk_model_build_opts(struct tsk_model **out, const struct tsk_doc *doc,
                         const struct tsk_model_opts *opts,
                         struct tsk_diags *d);

void tsk_model_free(struct tsk_model *m);

/** The function with configuration key `key` (functions and handlers),
 * or NULL. */
const struct tsk_model_function *
tsk_model_find_function(const struct tsk_model *m, const char *key);

/** "local", "aws", "google_cloud_functions", ... for a provider. */
const char *tsk_model_provider_name(enum tsk_model_provider p);
/** "http", "s3", "sqs", "dynamodb", "kinesis", "schedule". */
const char *tsk_model_event_kind_name(enum tsk_model_event_kind k);
/** "DEBUG", "INFO", "WARN", "ERROR". */
const char *tsk_model_log_level_name(enum tsk_model_log_level l);

#endif

/*
 * model_schema.c - the declarative key tables of the five section families
 * (name, type, range, what the key maps to), one table per section.
 * Every key of the source configurations is here; a key that is not is an
 * error with a did-you-mean (model_check.c).
 */
#include "model_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, p, keys)                                                   \
    const struct tsk_model__schema var = {p, keys, N(keys)}
#define BOOL(nm, mean)                                                         \
    {                                                                          \
        .name = nm, .type = TSK_MK_BOOL, .meaning = mean                       \
    }
#define STR(nm, mean)                                                          \
    {                                                                          \
        .name = nm, .type = TSK_MK_STRING, .meaning = mean                     \
    }
#define STRS(nm, mean)                                                         \
    {                                                                          \
        .name = nm, .type = TSK_MK_STRINGS, .meaning = mean                    \
    }
#define TAB(nm, mean)                                                          \
    {                                                                          \
        .name = nm, .type = TSK_MK_TABLE, .meaning = mean                      \
    }
#define INT(nm, lo, hi, u, mean)                                               \
    {                                                                          \
        .name = nm, .type = TSK_MK_INT, .ranged = 1, .min = lo, .max = hi,     \
        .unit = u, .meaning = mean                                             \
    }
#define NUM(nm, lo, hi, u, mean)                                               \
    {                                                                          \
        .name = nm, .type = TSK_MK_NUMBER, .ranged = 1, .min = lo, .max = hi,  \
        .unit = u, .meaning = mean                                             \
    }
#define CHOICE(nm, ch, mean)                                                   \
    {                                                                          \
        .name = nm, .type = TSK_MK_STRING, .choices = ch, .meaning = mean      \
    }

static const struct tsk_model__key root_keys[ROOT__N] = {
    [ROOT_SA] = TAB("serverless_architecture",
                    "provider, defaults, "
                    "functions, event sources, authorizers, pre-warming"),
    [ROOT_ED] = TAB("event_driven_serverless",
                    "event bus, rules, handlers, retries, dead-letter queue"),
    [ROOT_CS] = TAB("cold_start_optimization",
                    "pre-warming, keep-warm, provisioned concurrency"),
    [ROOT_MO] = TAB("serverless_monitoring",
                    "alarms, tracing, cost monitoring, budgets"),
    [ROOT_DB] = TAB("debug", "log level, log outputs, invocation tracing"),
};
SCHEMA(tsk_model__root, "", root_keys);

static const char *const arch_choices[] = {"x86_64", "arm64", NULL};

/* Function defaults shared by [serverless_architecture] and functions. */
#define MEMORY INT("memory_size", 128, 10240, "MB", "memory of the function")
#define TIMEOUT INT("timeout", 1, 900, "s", "timeout of the function")
#define ARCH CHOICE("architecture", arch_choices, "instruction set")
#define LAYERS STRS("layers", "layers (ARNs or names) added to the function")
#define ENV                                                                    \
    {                                                                          \
        .name = "environment", .type = TSK_MK_ENVMAP,                          \
        .meaning = "environment variables"                                     \
    }
#define TAGS                                                                   \
    {                                                                          \
        .name = "tags", .type = TSK_MK_STRMAP,                                 \
        .meaning = "tags on every object"                                      \
    }

static const struct tsk_model__key sa_keys[SA__N] = {
    [SA_PROVIDER] = STR("provider", "where the stack is deployed"),
    [SA_RUNTIME] = STR("runtime", "default runtime, e.g. php:8.4"),
    [SA_REGION] = STR("region", "cloud region"),
    [SA_SERVICE] = STR("service", "prefix of every function name"),
    [SA_MEMORY] = MEMORY,
    [SA_TIMEOUT] = TIMEOUT,
    [SA_SOURCE] = STR("source", "default code folder or .zip"),
    [SA_ROLE] = STR("role", "default execution role"),
    [SA_ARCH] = ARCH,
    [SA_LAYERS] = LAYERS,
    [SA_ENV] = ENV,
    [SA_SENSITIVE] = STRS("sensitive", "environment keys that are secrets"),
    [SA_TAGS] = TAGS,
    [SA_EXPECTED] = TAB("expected", "usage assumed by the cost estimate"),
    [SA_FUNCTIONS] = TAB("functions", "one function per entry"),
    [SA_EVENTS] = TAB("events", "event sources named by functions"),
    [SA_AUTHORIZERS] = TAB("authorizers", "JWT authorizers of http events"),
    [SA_PRE_WARMING] = TAB("pre_warming", "per-function warm-up switch"),
};
SCHEMA(tsk_model__sa, "serverless_architecture", sa_keys);

#define F TSK_MCTX_FUNCTION
#define H TSK_MCTX_HANDLER
static const struct tsk_model__key fn_keys[FN__N] = {
    [FN_HANDLER] = {.name = "handler",
                    .type = TSK_MK_STRING,
                    .ctx = F,
                    .meaning = "entry point, e.g. UserHandler::handle"},
    [FN_FUNCTION] = {.name = "function",
                     .type = TSK_MK_STRING,
                     .ctx = H,
                     .meaning = "entry point of the handler function"},
    [FN_RETRY] = {.name = "retry_policy",
                  .type = TSK_MK_TABLE,
                  .ctx = H,
                  .meaning = "retries of the rule targets, then the DLQ"},
    [FN_EVENTS] = {.name = "events",
                   .type = TSK_MK_STRINGS,
                   .ctx = F,
                   .meaning = "names of serverless_architecture.events"},
    [FN_RUNTIME] = STR("runtime", "runtime, e.g. php:8.4"),
    [FN_MEMORY] = MEMORY,
    [FN_TIMEOUT] = TIMEOUT,
    [FN_ENV] = ENV,
    [FN_SOURCE] = STR("source", "code folder or .zip, relative to the file"),
    [FN_ARCH] = ARCH,
    [FN_LAYERS] = LAYERS,
    [FN_RESERVED] = INT("reserved_concurrency", 0, 100000, NULL,
                        "reserved concurrent executions"),
    [FN_SENSITIVE] = STRS("sensitive", "environment keys that are secrets"),
    [FN_ROLE] = STR("role", "execution role (else one is derived)"),
    [FN_PROVISIONED] = INT("provisioned_concurrency", 0, 100000, NULL,
                           "provisioned concurrency (0 switches it off)"),
    [FN_TAGS] = TAGS,
    [FN_EXPECTED] = TAB("expected", "usage assumed by the cost estimate"),
};
#undef F
#undef H
SCHEMA(tsk_model__fn, "serverless_architecture.functions", fn_keys);

static const struct tsk_model__key expected_keys[EX__N] = {
    [EX_INVOCATIONS] =
        INT("monthly_invocations", 0, 1e12, NULL, "invocations per month"),
    [EX_DURATION] = NUM("avg_duration_ms", 0, 900000, "ms",
                        "average duration of one invocation"),
};
SCHEMA(tsk_model__expected, "expected", expected_keys);

static const char *const backoff_choices[] = {"exponential", "linear", "fixed",
                                              NULL};
static const struct tsk_model__key retry_keys[RP__N] = {
    [RP_MAX_ATTEMPTS] = INT("max_attempts", 0, 185, NULL,
                            "retries before the dead-letter queue"),
    [RP_BACKOFF] = CHOICE("backoff", backoff_choices, "delay between tries"),
};
SCHEMA(tsk_model__retry, "retry_policy", retry_keys);

#define K(kind) (1u << TSK_MODEL_EV_##kind)
static const char *const kind_choices[] = {"http",        "s3",      "sqs",
                                           "dynamodb",    "kinesis", "schedule",
                                           "eventbridge", NULL};
static const char *const start_choices[] = {"LATEST", "TRIM_HORIZON", NULL};
static const struct tsk_model__key ev_keys[EV__N] = {
    [EV_TYPE] = CHOICE("type", kind_choices, "kind of the event source"),
    [EV_CORS] = {.name = "cors",
                 .type = TSK_MK_BOOL,
                 .ctx = K(HTTP),
                 .meaning = "CORS on the HTTP API"},
    [EV_AUTHORIZER] = {.name = "authorizer",
                       .type = TSK_MK_STRING,
                       .ctx = K(HTTP),
                       .meaning =
                           "name of serverless_architecture.authorizers"},
    [EV_BUCKET] = {.name = "bucket",
                   .type = TSK_MK_STRING,
                   .ctx = K(S3),
                   .meaning = "bucket whose notifications invoke"},
    [EV_S3_EVENTS] = {.name = "events",
                      .type = TSK_MK_STRINGS,
                      .ctx = K(S3),
                      .meaning = "S3 event types, e.g. s3:ObjectCreated:*"},
    [EV_QUEUE] = {.name = "queue",
                  .type = TSK_MK_STRING,
                  .ctx = K(SQS),
                  .meaning = "queue name (created) or ARN"},
    [EV_STREAM] = {.name = "stream",
                   .type = TSK_MK_STRING,
                   .ctx = K(DYNAMODB) | K(KINESIS),
                   .meaning = "stream ARN, or a name looked up"},
    [EV_TABLE] = {.name = "table",
                  .type = TSK_MK_STRING,
                  .ctx = K(DYNAMODB),
                  .meaning = "table whose latest stream is used"},
    [EV_BATCH] = {.name = "batch_size",
                  .type = TSK_MK_INT,
                  .ctx = K(SQS) | K(DYNAMODB) | K(KINESIS),
                  .ranged = 1,
                  .min = 1,
                  .max = 10000,
                  .meaning = "records per invocation"},
    [EV_WINDOW] = {.name = "maximum_batching_window",
                   .type = TSK_MK_INT,
                   .ctx = K(SQS) | K(DYNAMODB) | K(KINESIS),
                   .ranged = 1,
                   .min = 0,
                   .max = 300,
                   .unit = "s",
                   .meaning = "time to gather a batch"},
    [EV_START] = {.name = "starting_position",
                  .type = TSK_MK_STRING,
                  .ctx = K(DYNAMODB) | K(KINESIS),
                  .choices = start_choices,
                  .meaning = "where reading the stream starts"},
    [EV_SCHEDULE] = {.name = "schedule",
                     .type = TSK_MK_STRING,
                     .ctx = K(SCHEDULE),
                     .meaning = "rate(...) or cron(...) expression"},
};
#undef K
SCHEMA(tsk_model__ev, "serverless_architecture.events", ev_keys);

static const char *const auth_choices[] = {"jwt", NULL};
static const struct tsk_model__key au_keys[AU__N] = {
    [AU_TYPE] = CHOICE("type", auth_choices, "authorizer kind"),
    [AU_ISSUER] = STR("issuer", "token issuer URL (https://...)"),
    [AU_AUDIENCE] = STRS("audience", "accepted audiences"),
};
SCHEMA(tsk_model__au, "serverless_architecture.authorizers", au_keys);

static const struct tsk_model__key pw_keys[PW__N] = {
    [PW_ENABLED] = BOOL("enabled", "warm-up pings for this function"),
};
SCHEMA(tsk_model__pw, "serverless_architecture.pre_warming", pw_keys);

static const struct tsk_model__key ed_keys[ED__N] = {
    [ED_ENABLED] = BOOL("enabled", "deploy the bus, rules and handlers"),
    [ED_BUS] = STR("event_bus", "bus name (\"default\": the account's)"),
    [ED_DLQ] = STR("dead_letter_queue", "queue for events that failed"),
    [ED_EVENTS] = TAB("events", "event rules"),
    [ED_HANDLERS] = TAB("handlers", "handler functions"),
};
SCHEMA(tsk_model__ed, "event_driven_serverless", ed_keys);

static const struct tsk_model__key rule_keys[RU__N] = {
    [RU_SOURCE] = STR("source", "event source matched by the rule"),
    [RU_DETAIL_TYPE] = STR("detail_type", "detail-type matched by the rule"),
    [RU_TARGETS] = STRS("targets", "handlers or functions invoked"),
};
SCHEMA(tsk_model__rule, "event_driven_serverless.events", rule_keys);

static const struct tsk_model__key cs_keys[CS__N] = {
    [CS_ENABLED] = BOOL("enabled", "cold-start optimization as a whole"),
    [CS_PRE_WARMING] = BOOL("pre_warming", "switch for pre-warming"),
    [CS_KEEP_WARM] = BOOL("keep_warm", "switch for keep-warm"),
    [CS_PROVISIONED] =
        BOOL("provisioned_concurrency", "switch for provisioned concurrency"),
    [CS_STRATEGIES] = TAB("strategies", "settings of each strategy"),
    [CS_OPTIMIZATION] = TAB("optimization", "packaging advice"),
};
SCHEMA(tsk_model__cs, "cold_start_optimization", cs_keys);

static const struct tsk_model__key st_keys[ST__N] = {
    [ST_PRE_WARMING] = TAB("pre_warming", "warm-up pings on a schedule"),
    [ST_KEEP_WARM] = TAB("keep_warm", "minimum and maximum instances"),
    [ST_PROVISIONED] =
        TAB("provisioned_concurrency", "provisioned concurrency on an alias"),
};
SCHEMA(tsk_model__st, "cold_start_optimization.strategies", st_keys);

static const struct tsk_model__key sp_keys[SP__N] = {
    [SP_ENABLED] = BOOL("enabled", "pre-warming"),
    [SP_INTERVAL] = INT("interval", 60, 86400, "s", "time between pings"),
    [SP_CONCURRENCY] =
        INT("concurrency", 1, 1000, NULL, "parallel pings per interval"),
};
SCHEMA(tsk_model__sp, "cold_start_optimization.strategies.pre_warming",
       sp_keys);

static const struct tsk_model__key sk_keys[SK__N] = {
    [SK_ENABLED] = BOOL("enabled", "keep-warm"),
    [SK_MIN] =
        INT("min_instances", 0, 1000, NULL, "instances kept warm by pings"),
    [SK_MAX] = INT("max_instances", 1, 100000, NULL,
                   "cap: reserved concurrency of each function"),
};
SCHEMA(tsk_model__sk, "cold_start_optimization.strategies.keep_warm", sk_keys);

static const struct tsk_model__key sv_keys[SV__N] = {
    [SV_ENABLED] = BOOL("enabled", "provisioned concurrency"),
    [SV_CONCURRENCY] = INT("concurrency", 1, 100000, NULL,
                           "provisioned instances per function"),
    [SV_AUTO_SCALING] =
        BOOL("auto_scaling", "scale provisioned concurrency on utilisation"),
};
SCHEMA(tsk_model__sv,
       "cold_start_optimization.strategies.provisioned_concurrency", sv_keys);

static const struct tsk_model__key op_keys[OP__N] = {
    [OP_CODE] = BOOL("code_optimization",
                     "advice: strip tests, docs and dev files from the "
                     "package (composer install --no-dev "
                     "--optimize-autoloader)"),
    [OP_DEPS] = BOOL("dependency_minimization",
                     "advice: a package over 10 MB slows cold starts; "
                     "remove unused dependencies"),
    [OP_LAYERS] = BOOL("layer_caching",
                       "advice: move shared vendor code into a layer "
                       "(layers = [...]) so function packages stay small"),
    [OP_INIT] = BOOL("initialization_optimization",
                     "advice: create clients outside the handler so warm "
                     "invocations reuse them"),
};
SCHEMA(tsk_model__op, "cold_start_optimization.optimization", op_keys);

static const struct tsk_model__key mo_keys[MO__N] = {
    [MO_ENABLED] = BOOL("enabled", "monitoring as a whole"),
    [MO_METRICS_COLLECTION] = BOOL("metrics_collection", "alarms"),
    [MO_DISTRIBUTED_TRACING] = BOOL("distributed_tracing", "tracing"),
    [MO_COST_MONITORING] = BOOL("cost_monitoring", "budgets"),
    [MO_METRICS] = TAB("metrics", "which metrics get alarms"),
    [MO_TRACING] = TAB("tracing", "trace provider and sampling"),
    [MO_COST] = TAB("cost", "budget alerts and cost advice"),
    [MO_BUDGETS] = TAB("budgets", "monthly budgets per function"),
};
SCHEMA(tsk_model__mo, "serverless_monitoring", mo_keys);

static const struct tsk_model__key mm_keys[MM__N] = {
    [MM_INVOCATIONS] = BOOL("invocation_count", "invocations on dashboards"),
    [MM_DURATION] = BOOL("duration", "alarm: duration near the timeout"),
    [MM_ERRORS] = BOOL("error_rate", "alarm: errors and throttles"),
    [MM_MEMORY] = BOOL("memory_usage", "memory in the log (Lambda Insights)"),
    [MM_COLD] = BOOL("cold_starts", "init duration in the log"),
};
SCHEMA(tsk_model__mm, "serverless_monitoring.metrics", mm_keys);

static const char *const trace_choices[] = {"xray", NULL};
static const struct tsk_model__key mt_keys[MT__N] = {
    [MT_PROVIDER] = CHOICE("provider", trace_choices, "trace backend"),
    [MT_SAMPLING] =
        NUM("sampling_rate", 0, 1, NULL, "fraction of requests traced"),
    [MT_HEADER] = STR("trace_id_header", "header carrying the trace id"),
};
SCHEMA(tsk_model__mt, "serverless_monitoring.tracing", mt_keys);

static const struct tsk_model__key mc_keys[MC__N] = {
    [MC_ALERTS] = BOOL("budget_alerts", "notifications at 80 % and 100 %"),
    [MC_OPTIMIZATION] = BOOL("cost_optimization",
                             "advice: cost estimate per function in the plan"),
    [MC_RIGHTSIZING] = BOOL("resource_rightsizing",
                            "advice: memory and timeout right-sizing in the "
                            "plan"),
    [MC_EMAILS] = STRS("alert_emails", "addresses the budget alerts go to "
                                       "(email subscribers)"),
};
SCHEMA(tsk_model__mc, "serverless_monitoring.cost", mc_keys);

static const struct tsk_model__key bu_keys[BU__N] = {
    [BU_AMOUNT] = NUM("amount", 0.01, 1e9, "USD/month", "monthly budget"),
    [BU_FUNCTION] = STR("function", "function the budget watches"),
    [BU_EMAILS] = STRS("alert_emails", "addresses this budget alerts "
                                       "(instead of the cost section's)"),
};
SCHEMA(tsk_model__bu, "serverless_monitoring.budgets", bu_keys);

static const char *const level_choices[] = {"verbose", "debug", "info", "warn",
                                            "warning", "error", NULL};
static const struct tsk_model__key db_keys[DB__N] = {
    [DB_ENABLED] = BOOL("enabled", "debug settings"),
    [DB_LOG_LEVEL] =
        CHOICE("log_level", level_choices, "LOG_LEVEL of every function"),
    [DB_TRACE] = BOOL("trace_invocations", "active tracing of invocations"),
    [DB_OUTPUT] = TAB("output", "where logs go"),
};
SCHEMA(tsk_model__db, "debug", db_keys);

static const struct tsk_model__key do_keys[DO__N] = {
    [DO_CONSOLE] = BOOL("console", "logs on stdout of the function"),
    [DO_CLOUDWATCH] = BOOL("cloudwatch", "a log group per function"),
};
SCHEMA(tsk_model__do, "debug.output", do_keys);

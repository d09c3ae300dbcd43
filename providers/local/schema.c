/*
 * schema.c - the local_* resource types: one schema per type and the type
 * table of the local provider. Every type shares the generic callbacks of
 * cloud.c / crud.c. Every type has the computed `id`; the types other
 * nodes refer to have a computed `arn` ("arn:local:..."), which is what
 * reference attributes (ref_type set) hold.
 */
#include "providers/local/local.h"

#include <stddef.h>

#define REQ TSK_A_REQUIRED
#define OPT TSK_A_OPTIONAL
#define COMP TSK_A_COMPUTED
#define FNEW TSK_A_FORCE_NEW

/* The computed attributes every type has. */
#define ATTR_ID {"id", TSK_T_STRING, COMP, NULL, "identifier of the object"}
#define ATTR_ARN {"arn", TSK_T_STRING, COMP, NULL, "ARN-like identifier"}
#define ATTR_TAGS {"tags", TSK_T_MAP, OPT, NULL, "tags of the object"}
#define ATTR_END {NULL, 0, 0, NULL, NULL}
/* A reference to the function the object serves. */
#define ATTR_FUNCTION_ARN(flags)                                               \
    {"function_arn", TSK_T_STRING, REQ | (flags), "local_function",            \
     "ARN of the function"}

static const struct tsk_attr_schema function_attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "function name in the cloud"},
    {"handler", TSK_T_STRING, REQ, NULL, "entry point"},
    {"runtime", TSK_T_STRING, OPT, NULL, "runtime, e.g. php:8.4"},
    {"memory_size", TSK_T_NUMBER, REQ, NULL, "memory in MB"},
    {"timeout", TSK_T_NUMBER, REQ, NULL, "timeout in seconds"},
    {"environment", TSK_T_MAP, OPT, NULL, "environment variables"},
    {"architecture", TSK_T_STRING, OPT, NULL, "x86_64 or arm64"},
    {"source", TSK_T_STRING, OPT, NULL, "code folder or .zip, as written"},
    {"source_code_hash", TSK_T_STRING, OPT, NULL, "sha256 of the code"},
    {"layers", TSK_T_LIST, OPT, NULL, "layers"},
    {"role", TSK_T_STRING, OPT, NULL, "execution role"},
    {"reserved_concurrency", TSK_T_NUMBER, OPT, NULL,
     "cap on concurrent instances (keep_warm max_instances)"},
    {"tracing", TSK_T_STRING, OPT, NULL, "Active or PassThrough"},
    {"tracing_sampling_rate", TSK_T_NUMBER, OPT, NULL, "0..1"},
    {"log_level", TSK_T_STRING, OPT, NULL, "DEBUG, INFO, WARN or ERROR"},
    ATTR_TAGS,
    ATTR_ID,
    ATTR_ARN,
    ATTR_END,
};

static const struct tsk_attr_schema trigger_attrs[] = {
    {"kind", TSK_T_STRING, REQ | FNEW, NULL,
     "http, s3, sqs, dynamodb or kinesis"},
    ATTR_FUNCTION_ARN(FNEW),
    /* http */
    {"api_id", TSK_T_STRING, OPT | FNEW, "local_api", "the API of a route"},
    {"route_key", TSK_T_STRING, OPT, NULL, "\"ANY /path\""},
    {"authorizer", TSK_T_OBJECT, OPT, NULL, "JWT authorizer of a route"},
    /* s3 */
    {"bucket", TSK_T_STRING, OPT | FNEW, NULL, "bucket name"},
    {"events", TSK_T_LIST, OPT, NULL, "bucket events"},
    /* sqs */
    {"queue_arn", TSK_T_STRING, OPT | FNEW, "local_queue", "queue read from"},
    /* dynamodb, kinesis */
    {"stream", TSK_T_STRING, OPT | FNEW, NULL, "stream ARN or name"},
    {"table", TSK_T_STRING, OPT | FNEW, NULL, "table whose stream is read"},
    {"starting_position", TSK_T_STRING, OPT | FNEW, NULL,
     "LATEST or TRIM_HORIZON"},
    /* sqs, dynamodb, kinesis */
    {"batch_size", TSK_T_NUMBER, OPT, NULL, "records per invocation"},
    {"maximum_batching_window", TSK_T_NUMBER, OPT, NULL,
     "seconds to gather a batch"},
    ATTR_ID,
    ATTR_END,
};

static const struct tsk_attr_schema schedule_attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "schedule name"},
    {"schedule_expression", TSK_T_STRING, REQ, NULL,
     "rate(...) or cron(...)"},
    ATTR_FUNCTION_ARN(0),
    {"input", TSK_T_OBJECT, OPT, NULL, "event sent on each tick"},
    {"concurrency", TSK_T_NUMBER, OPT, NULL, "invocations per tick"},
    ATTR_TAGS,
    ATTR_ID,
    ATTR_ARN,
    ATTR_END,
};

static const struct tsk_attr_schema queue_attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "queue name"},
    {"fifo", TSK_T_BOOL, OPT | FNEW, NULL, "a FIFO queue (.fifo name)"},
    ATTR_TAGS,
    ATTR_ID,
    ATTR_ARN,
    {"url", TSK_T_STRING, COMP, NULL, "queue URL"},
    ATTR_END,
};

static const struct tsk_attr_schema event_rule_attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "rule name"},
    {"event_bus", TSK_T_STRING, REQ | FNEW, NULL, "bus name or default"},
    {"source", TSK_T_STRING, REQ, NULL, "event source matched"},
    {"detail_type", TSK_T_STRING, REQ, NULL, "detail-type matched"},
    ATTR_TAGS,
    ATTR_ID,
    ATTR_ARN,
    ATTR_END,
};

static const struct tsk_attr_schema event_target_attrs[] = {
    {"rule_arn", TSK_T_STRING, REQ | FNEW, "local_event_rule", "the rule"},
    ATTR_FUNCTION_ARN(0),
    {"max_attempts", TSK_T_NUMBER, OPT, NULL, "retry attempts, 0..185"},
    {"backoff", TSK_T_STRING, OPT, NULL, "exponential, linear or fixed"},
    {"dead_letter_arn", TSK_T_STRING, OPT, "local_queue",
     "queue for events that failed every attempt"},
    ATTR_ID,
    ATTR_END,
};

static const struct tsk_attr_schema alias_attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "alias name"},
    ATTR_FUNCTION_ARN(FNEW),
    ATTR_ID,
    ATTR_ARN,
    {"function_version", TSK_T_STRING, COMP, NULL, "published version"},
    ATTR_END,
};

static const struct tsk_attr_schema provisioned_attrs[] = {
    {"alias_arn", TSK_T_STRING, REQ | FNEW, "local_alias", "the alias"},
    {"concurrency", TSK_T_NUMBER, REQ, NULL, "instances kept initialised"},
    {"auto_scaling", TSK_T_BOOL, OPT, NULL, "scale with utilisation"},
    ATTR_ID,
    ATTR_END,
};

static const struct tsk_attr_schema alarm_attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "alarm name"},
    ATTR_FUNCTION_ARN(0),
    {"metric", TSK_T_STRING, REQ, NULL, "Errors, Throttles or Duration"},
    {"statistic", TSK_T_STRING, REQ, NULL, "Sum or Maximum"},
    {"comparison", TSK_T_STRING, REQ, NULL, "e.g. GreaterThanThreshold"},
    {"threshold", TSK_T_NUMBER, REQ, NULL, "value compared"},
    {"period", TSK_T_NUMBER, REQ, NULL, "seconds per evaluation"},
    {"evaluation_periods", TSK_T_NUMBER, REQ, NULL, "periods in breach"},
    ATTR_TAGS,
    ATTR_ID,
    ATTR_ARN,
    ATTR_END,
};

static const struct tsk_attr_schema budget_attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "budget name"},
    {"amount", TSK_T_NUMBER, REQ, NULL, "limit in USD per month"},
    {"time_unit", TSK_T_STRING, REQ, NULL, "MONTHLY"},
    {"function_arn", TSK_T_STRING, OPT, "local_function",
     "the function whose cost is counted (all when absent)"},
    {"notify_at", TSK_T_LIST, OPT, NULL, "percentages of amount to alert at"},
    ATTR_ID,
    ATTR_END,
};

static const struct tsk_attr_schema api_attrs[] = {
    {"name", TSK_T_STRING, REQ | FNEW, NULL, "API name"},
    {"protocol", TSK_T_STRING, REQ | FNEW, NULL, "HTTP"},
    {"cors", TSK_T_BOOL, OPT, NULL, "allow cross-origin requests"},
    ATTR_TAGS,
    ATTR_ID,
    ATTR_ARN,
    {"endpoint", TSK_T_STRING, COMP, NULL, "base URL"},
    ATTR_END,
};

#define LOCAL_TYPE(var, type_name, attrs_, cbd)                                \
    static const struct tsk_schema var##_schema = {attrs_, cbd};               \
    static const struct tsk_resource_type var = {                              \
        .name = type_name,                                                     \
        .schema = &var##_schema,                                               \
        .read = tsk_local_read,                                                \
        .create = tsk_local_create,                                            \
        .update = tsk_local_update,                                            \
        .delete = tsk_local_delete,                                            \
        .find = tsk_local_find,                                                \
        .import = NULL,                                                        \
    }

/* Triggers have no unique name, so a replacement may be created first. */
LOCAL_TYPE(t_function, "local_function", function_attrs, 0);
LOCAL_TYPE(t_trigger, "local_trigger", trigger_attrs, 1);
LOCAL_TYPE(t_schedule, "local_schedule", schedule_attrs, 0);
LOCAL_TYPE(t_queue, "local_queue", queue_attrs, 0);
LOCAL_TYPE(t_event_rule, "local_event_rule", event_rule_attrs, 0);
LOCAL_TYPE(t_event_target, "local_event_target", event_target_attrs, 1);
LOCAL_TYPE(t_alias, "local_alias", alias_attrs, 0);
LOCAL_TYPE(t_provisioned, "local_provisioned_concurrency", provisioned_attrs,
           0);
LOCAL_TYPE(t_alarm, "local_alarm", alarm_attrs, 0);
LOCAL_TYPE(t_budget, "local_budget", budget_attrs, 0);
LOCAL_TYPE(t_api, "local_api", api_attrs, 0);

const struct tsk_resource_type *const tsk_local_types[] = {
    &t_function, &t_trigger, &t_schedule, &t_queue,  &t_event_rule,
    &t_event_target, &t_alias, &t_provisioned, &t_alarm, &t_budget,
    &t_api,      NULL,
};

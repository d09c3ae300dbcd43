/*
 * internal.h - private to the AWS provider: the provider instance (pctx),
 * JSON/XML/tag helpers shared by the type drivers (util.c), and the
 * lowering context (lower.c, lower_fn.c, lower_events.c).
 *
 * Ownership: cJSON results of aws__* builders belong to the caller; the
 * const char * returned by aws__jstr is borrowed from its object.
 */
#ifndef TSK_PROVIDERS_AWS_INTERNAL_H
#define TSK_PROVIDERS_AWS_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "planner/model.h"
#include "providers/aws/aws_provider.h"
#include "providers/net/aws.h"

struct tsk_pctx {
    struct tsk_aws *aws;
    char *account; /* account id (STS), or NULL when it could not be read */
    char *stack;
    char *workdir;
};

/* The tag keys every object carries. */
#define AWS_TAG_STACK "tuskform:stack"
#define AWS_TAG_ADDR "tuskform:address"
#define AWS_TAG_SOURCE "tuskform:source" /* a function's code folder */

/* ---- util.c ------------------------------------------------------------ */

cJSON *aws__obj(void);
cJSON *aws__arr(void);
/** Adds k = v to o when v is not NULL. */
void aws__str(cJSON *o, const char *k, const char *v);
void aws__num(cJSON *o, const char *k, double v);
void aws__bool(cJSON *o, const char *k, int v);
/** The string member k of o, or NULL. */
const char *aws__jstr(const cJSON *o, const char *k);
/** The number member k of o, or def. */
double aws__jnum(const cJSON *o, const char *k, double def);
/** 1 when member k of o is true, 0 when false, def when absent. */
int aws__jbool(const cJSON *o, const char *k, int def);

/**
 * One AWS call for resource call c: diagnostics carry c->addr. Waits out
 * "in progress" conflicts when wait_inprogress is set.
 */
int aws__call(const struct tsk_rcall *c, const struct tsk_aws_req *req,
              struct tsk_aws_resp *out, int wait_inprogress,
              struct tsk_diags *d);
/** Appends s percent-encoded as one URI label. */
void aws__label(struct tsk_buf *b, const char *s);

/** The tags to send: user tags of planned plus tuskform:stack/address
 * (and extra when not NULL: one more key/value). Caller frees. */
cJSON *aws__tags_send(const struct tsk_rcall *c, const cJSON *planned,
                      const char *extra_key, const char *extra_val);
/** User tags from a remote tag map (tuskform:* left out), or NULL when
 * there are none. */
cJSON *aws__tags_user(const cJSON *remote);
/** The keys of prior's `tags` that planned's `tags` no longer has, as an
 * array of strings (maybe empty). Caller frees. */
cJSON *aws__tags_gone(const cJSON *prior, const cJSON *planned);
/** Ends an update: when rc is 0, re-reads id into *out with read; an
 * object that is gone then is the error "ADDR: WHAT ID no longer exists".
 * Returns rc or the read's result. */
int aws__reread(const struct tsk_rcall *c, int rc,
                int (*read)(const struct tsk_rcall *c, const char *id,
                            const cJSON *prior, cJSON **out,
                            struct tsk_diags *d),
                const char *what, const char *id, const cJSON *p, cJSON **out,
                struct tsk_diags *d);

/** Ends a create: when rc is 0 but *out is NULL, the error "ADDR: WHAT
 * NAME vanished after its creation". Returns rc or that error. */
int aws__created(const struct tsk_rcall *c, int rc, cJSON **out,
                 const char *what, const char *name, struct tsk_diags *d);

/** JSON text in canonical form (parsed, printed unformatted); a copy of s
 * when it does not parse. Caller frees. */
char *aws__json_canon(const char *s);
/** Percent-decodes s ('+' stays); caller frees. */
char *aws__url_decode(const char *s);

/**
 * The inner text range of the first <tag>...</tag> in [p, end), or NULL.
 * *inner_end is set to the end of the inner text; *next after the close.
 */
const char *aws__xml_find(const char *p, const char *end, const char *tag,
                          const char **inner_end, const char **next);
/** The entity-decoded text of <tag> inside [p, end), or NULL; caller
 * frees. */
char *aws__xml_text(const char *p, const char *end, const char *tag);

/** base64 of data (zip.c); caller frees. */
char *aws__base64(const void *data, size_t len);

/** Copies attribute k of prior into out, if prior has it. */
void aws__keep(cJSON *out, const cJSON *prior, const char *k);
/** 1 when attribute k differs between prior and planned. */
int aws__changed(const cJSON *prior, const cJSON *planned, const char *k);
/** The configured region (for ARN patterns), never NULL. */
const char *aws__region(const struct tsk_rcall *c);

/* ---- shared by the lambda drivers (lambda_common.c) -------------------- */

/**
 * Polls the function (optionally a version) until State is Active and
 * LastUpdateStatus is not InProgress; Failed is an error with the reason.
 */
int aws__lambda_wait(const struct tsk_rcall *c, const char *fn,
                     const char *qualifier, struct tsk_diags *d);
/**
 * Sends CreateFunction (req), repeating it while Lambda answers 400 "cannot
 * be assumed" for a role IAM has not propagated yet (up to 30 s).
 */
int aws__create_call(const struct tsk_rcall *c, struct tsk_aws_req *req,
                     struct tsk_diags *d);
/** "/2015-03-31/functions/NAME" + suffix, NAME encoded; caller frees. */
char *aws__fn_path(const char *api, const char *fn, const char *suffix);

/* ---- lowering (lower.c, lower_fn.c, lower_events.c) --------------------- */

struct aws_lower {
    const struct tsk_model *m;
    struct tsk_graph *g;
    struct tsk_diags *d;
    uint32_t *fn;   /* aws_lambda_function node per model function */
    uint32_t *role; /* aws_iam_role node per function, UINT32_MAX if none */
    uint32_t dlq;   /* the dead-letter aws_sqs_queue, or UINT32_MAX */
    const char *region; /* for ARN patterns, "*" when unknown */
    int warned_layers, warned_scaling; /* warnings given once per stack */
};

char *aws__name(const char *a, const char *b);
uint32_t aws__add(struct aws_lower *L, const char *type, const char *a,
                  const char *b, cJSON *attrs, const struct tsk_pos *pos,
                  const char *fkey);
cJSON *aws__kv_map(const struct tsk_model_kv *kv, size_t n);
/** The aws_sqs_queue node named name (verbatim), made once. */
uint32_t aws__queue(struct aws_lower *L, const char *name,
                    const struct tsk_pos *pos);
/** lower_fn.c: the function, its role and log group. */
void aws__lower_function(struct aws_lower *L, size_t i);
/** lower_events.c: sqs, dynamodb and kinesis sources of function i. */
void aws__lower_events(struct aws_lower *L, size_t i);
/** lower_fn.c: the alias and provisioned concurrency of function i. */
void aws__lower_provisioned(struct aws_lower *L, size_t i);
/** The IAM policy statements function f needs (lower_events.c). */
cJSON *aws__policy(struct aws_lower *L, const struct tsk_model_function *f);


/* ---- part II: routing, HTTP, notifications, monitoring (rpc.c, ...) ---- */

/** One JSON-protocol call; *json (may be NULL) is the parsed answer, an
 * empty object when there is none. Diagnostics carry c->addr. */
int aws__rpc(const struct tsk_rcall *c, const char *service, const char *op,
             const cJSON *body, unsigned quiet, cJSON **json,
             struct tsk_diags *d);
/** The same for rest-json: method and encoded path given. */
int aws__rest(const struct tsk_rcall *c, const char *service, const char *op,
              const char *method, const char *path, const cJSON *body,
              unsigned quiet, cJSON **json, struct tsk_diags *d);
/** {"k":"v"} -> [{kname:k, vname:v}]; caller frees. */
cJSON *aws__tag_list(const cJSON *map, const char *kname, const char *vname);
/** The user tags of a [{kname, vname}] list, or NULL; caller frees. */
cJSON *aws__tag_map(const cJSON *list, const char *kname, const char *vname);
/** s cut to max characters, a hash of the whole keeping it unique. */
char *aws__fit(const char *s, size_t max);
/** Replaces member k of o by v (taken; NULL only removes it). */
void aws__put(cJSON *o, const char *k, cJSON *v);
/* How a JSON-protocol service tags an object (rpc.c). */
struct aws_tagging {
    const char *service;  /* "logs" */
    const char *untag_op; /* "UntagLogGroup" */
    const char *tag_op;   /* "TagLogGroup" */
    const char *id_key;   /* the object in both bodies: "logGroupName" */
    const char *keys_key; /* the keys to remove: "tags" */
    const char *tags_key; /* the tags to set: "tags" */
    int as_list;          /* the tags as [{Key, Value}], else a map */
};
/** For a change of `tags` between prior and planned: removes the keys gone
 * from object id, then sets the tags to send (aws__tags_send). */
int aws__tags_rpc(const struct tsk_rcall *c, const struct aws_tagging *t,
                  const char *id, const cJSON *prior, const cJSON *planned,
                  struct tsk_diags *d);
/** EventBridge tags of arn into out["tags"] (event_bus.c). */
int aws__ev_tags_read(const struct tsk_rcall *c, const char *arn, cJSON *out,
                      struct tsk_diags *d);
/** Tag/UntagResource for a change of `tags` (event_bus.c). */
int aws__ev_tags_update(const struct tsk_rcall *c, const char *arn,
                        const cJSON *prior, const cJSON *p,
                        struct tsk_diags *d);
/** Rule ids: NAME on the default bus, BUS/NAME else (event_rule.c). */
void aws__rule_id_split(const char *id, char **bus, char **name);
char *aws__rule_id(const char *bus, const char *name);

/** "SERVICE-key" (or key) cut to max (lower_routing.c); caller frees. */
char *aws__prefixed(const struct tsk_model *m, const char *key, size_t max);
/** The index of f in m->functions, or SIZE_MAX. */
size_t aws__fn_index(const struct tsk_model *m,
                     const struct tsk_model_function *f);
/** aws_lambda_permission.KEY_SUFFIX for function i; source_arn literal or
 * a reference to attribute src_attr of node src. */
uint32_t aws__permission(struct aws_lower *L, size_t i, const char *suffix,
                         const char *principal, const char *sid,
                         const char *source_arn, uint32_t src,
                         const char *src_attr, const struct tsk_pos *pos);
/** aws_cloudwatch_event_target.A_B from rule node to function i. */
uint32_t aws__event_target(struct aws_lower *L, size_t i, const char *addr_a,
                           const char *addr_b, uint32_t rule,
                           const char *input, const struct tsk_pos *pos);
/** lower_routing.c: bus, rules, handler targets, permissions, DLQ policy. */
void aws__lower_routing(struct aws_lower *L);
/** lower_schedule.c: schedule events and warm-up pings of function i. */
void aws__lower_schedule(struct aws_lower *L, size_t i);
/** lower_http.c: the HTTP API of the service and its pieces. */
void aws__lower_http(struct aws_lower *L);
/** lower_s3.c: one bucket notification per bucket. */
void aws__lower_s3(struct aws_lower *L);
/** lower_monitor.c: alarms, budgets, sampling rule, PC autoscaling. */
void aws__lower_monitor(struct aws_lower *L);


/* API Gateway v2 child objects (apigw_api.c): ids API_ID/CHILD_ID. */
struct aws_apigw_kind {
    const char *coll;  /* path collection: "integrations" */
    const char *op;    /* operation suffix: "Integration" */
    const char *idkey; /* the child id in answers: "integrationId" */
    cJSON *(*to_body)(const struct tsk_rcall *c, const cJSON *p, int create);
    cJSON *(*from_remote)(const cJSON *r); /* api_id and id are added */
    /* find: the child whose remote member find_remote equals the planned
     * attribute find_attr is the one (route_key, integration_uri, name) */
    const char *find_attr, *find_remote;
};
/** "/v2/apis[/API[/COLL[/CHILD]]]", labels encoded; caller frees. */
char *aws__apigw_path(const char *api, const char *coll, const char *child);
int aws__apigw_read(const struct aws_apigw_kind *k, const struct tsk_rcall *c,
                    const char *id, cJSON **out, struct tsk_diags *d);
int aws__apigw_create(const struct aws_apigw_kind *k,
                      const struct tsk_rcall *c, const cJSON *p,
                      char **out_id, cJSON **out, struct tsk_diags *d);
int aws__apigw_update(const struct aws_apigw_kind *k,
                      const struct tsk_rcall *c, const char *id,
                      const cJSON *p, cJSON **out, struct tsk_diags *d);
int aws__apigw_delete(const struct aws_apigw_kind *k,
                      const struct tsk_rcall *c, const char *id,
                      struct tsk_diags *d);
int aws__apigw_find(const struct aws_apigw_kind *k, const struct tsk_rcall *c,
                    const cJSON *p, char **out_id, cJSON **out,
                    struct tsk_diags *d);
/**
 * Pages through GET path (the list operation op, "items"/"nextToken") and
 * returns a copy of the first item whose member key equals value (and,
 * when tag_addr is set, whose tags say tuskform:address = tag_addr), or
 * NULL in *out. Caller frees.
 */
int aws__apigw_list_find(const struct tsk_rcall *c, const char *op,
                         const char *path, const char *key, const char *value,
                         const char *tag_addr, cJSON **out,
                         struct tsk_diags *d);
/*
 * Defines the resource type VAR (type name NAME, schema attributes ATTRS)
 * whose read/create/update/delete are the engine above for kind KIND.
 */
#define AWS_APIGW_CHILD_TYPE(VAR, NAME, ATTRS, KIND)                          \
    static int VAR##_read(const struct tsk_rcall *c, const char *id,          \
                          const cJSON *prior, cJSON **out,                    \
                          struct tsk_diags *d)                                \
    {                                                                         \
        (void)prior;                                                          \
        return aws__apigw_read(&(KIND), c, id, out, d);                       \
    }                                                                         \
    static int VAR##_create(const struct tsk_rcall *c, const cJSON *p,        \
                            char **out_id, cJSON **out, struct tsk_diags *d)  \
    {                                                                         \
        return aws__apigw_create(&(KIND), c, p, out_id, out, d);              \
    }                                                                         \
    static int VAR##_update(const struct tsk_rcall *c, const char *id,        \
                            const cJSON *prior, const cJSON *p, cJSON **out,  \
                            struct tsk_diags *d)                              \
    {                                                                         \
        (void)prior;                                                          \
        return aws__apigw_update(&(KIND), c, id, p, out, d);                  \
    }                                                                         \
    static int VAR##_delete(const struct tsk_rcall *c, const char *id,        \
                            const cJSON *prior, struct tsk_diags *d)          \
    {                                                                         \
        (void)prior;                                                          \
        return aws__apigw_delete(&(KIND), c, id, d);                          \
    }                                                                         \
    static int VAR##_find(const struct tsk_rcall *c, const cJSON *p,          \
                          char **out_id, cJSON **out, struct tsk_diags *d)    \
    {                                                                         \
        return aws__apigw_find(&(KIND), c, p, out_id, out, d);                \
    }                                                                         \
    static const struct tsk_schema VAR##_schema = {ATTRS, 0};                 \
    const struct tsk_resource_type VAR = {                                    \
        .name = NAME,                                                         \
        .schema = &VAR##_schema,                                              \
        .read = VAR##_read,                                                   \
        .create = VAR##_create,                                               \
        .update = VAR##_update,                                               \
        .delete = VAR##_delete,                                               \
        .find = VAR##_find,                                                   \
        .import = NULL,                                                       \
    }

/** "NAMESPACE|RESOURCE_ID|DIMENSION" split (appautoscaling_target.c). */
int aws__scaling_id(const char *id, char **ns, char **res, char **dim);
/** {PolicyName (when policy), ServiceNamespace, ResourceId,
 * ScalableDimension}; caller frees. */
cJSON *aws__scaling_body(const char *policy, const char *ns, const char *res,
                         const char *dim);

#endif

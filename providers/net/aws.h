/*
 * aws.h - AWS on top of the shared HTTP client: SigV4 signing, the
 * credential chain, region and endpoint resolution, error parsing and
 * classification, and tsk_aws_call (sign, send, retry, classify) plus the
 * polling helper tsk_aws_wait for drivers.
 *
 * Ownership: struct tsk_aws (tsk_aws_new/tsk_aws_free) owns its credentials
 * and, unless one was passed in, its HTTP client; it is thread-safe. Requests
 * borrow their strings and cJSON. A struct tsk_aws_resp owns everything in
 * it; release it with tsk_aws_resp_release. Credentials own their strings.
 */
#ifndef TSK_AWS_H
#define TSK_AWS_H

#include "providers/net/net.h"

#include <cjson/cJSON.h>
#include <time.h>

/* ---- SigV4 (sigv4.c) ---------------------------------------------------- */

enum {
    TSK_SIGV4_S3 = 1 << 0, /* S3 path: no normalisation, no 2nd encoding */
    TSK_SIGV4_CONTENT_SHA = 1 << 1,   /* add and sign x-amz-content-sha256 */
    TSK_SIGV4_TOKEN_UNSIGNED = 1 << 2 /* add the token header after signing */
};

struct tsk_sigv4_params {
    const char *access_key_id, *secret_access_key;
    const char *session_token; /* NULL or "" when none */
    const char *region, *service;
    time_t when;
    unsigned flags;
    const char *payload_hash; /* NULL: hex SHA-256 of the body */
};

struct tsk_sigv4_msg {
    const char *method;
    const char *path;  /* as sent on the wire (already encoded) */
    const char *query; /* as sent, without '?'; NULL or "" for none */
    struct tsk_http_hdrs *headers; /* must hold Host; signer edits it */
    const void *body;
    size_t body_len;
};

struct tsk_sigv4_result {
    char *canonical_request;
    char *string_to_sign;
    char *authorization;
    char signature[65];
};

/**
 * Signs msg in place: sets X-Amz-Date, X-Amz-Security-Token (when there is
 * a token), x-amz-content-sha256 (S3 / TSK_SIGV4_CONTENT_SHA) and
 * Authorization, removing stale ones from an earlier attempt. Every header
 * present is signed except hop-by-hop ones (user-agent, expect, ...).
 * @param out  may be NULL; else filled (release with tsk_sigv4_result_release)
 * @return 0, or TSK_EINVAL (no Host header, missing key, bad time)
 */
int tsk_sigv4_sign(const struct tsk_sigv4_params *p, struct tsk_sigv4_msg *msg,
                   struct tsk_sigv4_result *out);
void tsk_sigv4_result_release(struct tsk_sigv4_result *r);
/** Appends s percent-encoded (unreserved kept; '/' kept if keep_slash). */
void tsk_uri_encode(struct tsk_buf *b, const char *s, size_t n, int keep_slash);

/* ---- credentials (aws_creds.c) ------------------------------------------ */

struct tsk_aws_creds {
    char *access_key_id, *secret_access_key, *session_token; /* token NULL */
    time_t expiration;  /* 0: does not expire */
    const char *source; /* "environment", "shared-credentials-file", ... */
};

struct tsk_aws_creds_opts {
    const char *profile; /* NULL: AWS_PROFILE, AWS_DEFAULT_PROFILE, "default" */
    struct tsk_http *http; /* for the metadata endpoints; NULL: a private one */
};

/**
 * Resolves credentials in the SDKs' order: environment, shared credentials
 * file, shared config file (both with the profile), container endpoint
 * (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI), EC2 IMDSv2 (unless
 * AWS_EC2_METADATA_DISABLED=true). Secrets are registered with the log
 * redactor.
 * @return 0, TSK_ENOTFOUND (no provider had credentials; error appended)
 *         or TSK_ERROR (a provider failed; error appended)
 */
int tsk_aws_creds_resolve(struct tsk_aws_creds *out,
                          const struct tsk_aws_creds_opts *opts,
                          struct tsk_diags *d);
void tsk_aws_creds_release(struct tsk_aws_creds *c);

/** The profile name in effect (AWS_PROFILE, AWS_DEFAULT_PROFILE, default). */
const char *tsk_aws_profile_name(const char *explicit_profile);
/**
 * Looks key up in the profile's section of an INI-style AWS file
 * (`[name]`, or `[profile name]` in the config file when config != 0).
 * @return 0 with *out (caller frees), TSK_ENOTFOUND, or TSK_EIO
 */
int tsk_aws_profile_get(const char *path, int config, const char *profile,
                        const char *key, char **out);
/** Path of the shared credentials (which=0) or config (which=1) file. */
char *tsk_aws_shared_file(int which);

/* ---- services, region and endpoints (aws_endpoint.c) --------------------- */

enum tsk_aws_proto {
    TSK_AWS_JSON10,    /* awsJson1_0: POST /, X-Amz-Target */
    TSK_AWS_JSON11,    /* awsJson1_1 */
    TSK_AWS_REST_JSON, /* per-operation path, JSON body */
    TSK_AWS_QUERY,     /* form body Action=&Version=, XML responses */
    TSK_AWS_REST_XML   /* S3 */
};

struct tsk_aws_service {
    const char *name;         /* tuskform's key: "lambda", "cloudwatch" */
    const char *signing_name; /* SigV4 service: "lambda", "monitoring" */
    const char *host_prefix;  /* "lambda" -> lambda.REGION.amazonaws.com */
    const char *env_suffix;   /* AWS_ENDPOINT_URL_<suffix> */
    enum tsk_aws_proto proto;
    const char *target_prefix; /* JSON protocols: X-Amz-Target prefix */
    const char *api_version;   /* query protocol: Version= */
    const char *global_region; /* global endpoint signing region, or NULL */
};

/** The service called name, or NULL. */
const struct tsk_aws_service *tsk_aws_service_find(const char *name);

/**
 * Region: configured (if non-empty), else AWS_REGION, AWS_DEFAULT_REGION,
 * then `region` in the profile's config section.
 * @return 0 with *out (caller frees), or TSK_ENOTFOUND (error appended)
 */
int tsk_aws_region_resolve(const char *configured, const char *profile,
                           char **out, struct tsk_diags *d);

struct tsk_aws_endpoint {
    char *url;            /* scheme://host[:port][/base], no trailing '/' */
    char *signing_region; /* region in the credential scope */
    int overridden;       /* from AWS_ENDPOINT_URL[_<SVC>] */
};

/**
 * Endpoint for svc in region: AWS_ENDPOINT_URL_<SVC>, then
 * AWS_ENDPOINT_URL (both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 * is true), else the service's public host. Only an override may be http://.
 * @return 0, or TSK_EINVAL for a malformed override (error appended)
 */
int tsk_aws_endpoint_resolve(const struct tsk_aws_service *svc,
                             const char *region, struct tsk_aws_endpoint *out,
                             struct tsk_diags *d);
void tsk_aws_endpoint_release(struct tsk_aws_endpoint *e);

/* ---- errors (aws_error.c, xml.c) ----------------------------------------- */

/* Classes are bits, so a caller can pass a set of them (req->quiet). */
enum tsk_aws_class {
    TSK_AWS_OK = 0,
    TSK_AWS_NOTFOUND = 1 << 0,
    TSK_AWS_CONFLICT = 1 << 1, /* already exists, concurrent modification */
    TSK_AWS_THROTTLED = 1 << 2,
    TSK_AWS_INPROGRESS = 1 << 3, /* wait and poll, not the retry budget */
    TSK_AWS_RETRYABLE = 1 << 4,  /* 5xx, transient, connection errors */
    TSK_AWS_VALIDATION = 1 << 5, /* bad request: never retried */
    TSK_AWS_AUTH = 1 << 6,       /* credentials, signature, access denied */
    TSK_AWS_OTHER = 1 << 7
};

struct tsk_aws_error {
    long status;      /* HTTP status, 0 for a transport failure */
    char *code;       /* normalised code ("ResourceNotFoundException") */
    char *query_code; /* x-amzn-query-error code, or NULL */
    char *message;    /* redacted */
    char *request_id;
    enum tsk_aws_class cls;
};

/**
 * Parses an error response of the given protocol: code, message and request
 * id (x-amzn-RequestId, x-amz-request-id, or RequestId in the body). Never
 * fails: a body it cannot read gives a code derived from the status.
 */
void tsk_aws_error_parse(enum tsk_aws_proto proto,
                         const struct tsk_http_resp *resp,
                         struct tsk_aws_error *out);
/** Classifies err for op ("CreateFunction", may be NULL), as aws-api §1.4. */
enum tsk_aws_class tsk_aws_error_classify(const char *op,
                                          const struct tsk_aws_error *err);
/** Trims a code: text before the first ':' and after the last '#'. */
char *tsk_aws_error_code_normalise(const char *raw);
void tsk_aws_error_release(struct tsk_aws_error *e);
/** The request id header of resp, borrowed, or NULL. */
const char *tsk_aws_request_id(const struct tsk_http_resp *resp);
/**
 * Text of the first element <tag>...</tag> of xml, entities decoded.
 * @return 0 with *out (caller frees) or TSK_ENOTFOUND
 */
int tsk_xml_text(const char *xml, size_t len, const char *tag, char **out);

/* ---- calls (aws_call.c) -------------------------------------------------- */

struct tsk_aws;

struct tsk_aws_opts {
    const char *region;    /* from the configuration; NULL: environment */
    const char *profile;   /* NULL: AWS_PROFILE */
    struct tsk_http *http; /* borrowed; NULL: the client makes its own */
    time_t (*clock)(void); /* signing time; NULL: time() (tests fix it) */
};

/** A new AWS context; fails only when no region can be found. */
int tsk_aws_new(struct tsk_aws **out, const struct tsk_aws_opts *opts,
                struct tsk_diags *d);
void tsk_aws_free(struct tsk_aws *aws);
const char *tsk_aws_region(const struct tsk_aws *aws);
struct tsk_http *tsk_aws_http(struct tsk_aws *aws);
const struct tsk_retry *tsk_aws_retry(const struct tsk_aws *aws);

struct tsk_aws_req {
    const char *service; /* "lambda", "sqs", ... (tsk_aws_service_find) */
    const char *op;      /* operation: X-Amz-Target / Action; in errors */
    const char *method;  /* rest protocols; NULL: POST (GET if no body) */
    const char *path;    /* rest protocols: wire path, encoded; NULL: "/" */
    const char *query;   /* encoded query string without '?', or NULL */
    const cJSON *json;   /* JSON protocols: the body (borrowed) */
    const char *form;    /* query protocol: extra "K=V&..." (encoded) */
    const void *body;    /* raw body, used when json/form are not */
    size_t body_len;
    const char *content_type;            /* overrides the protocol's */
    const struct tsk_http_hdrs *headers; /* extra headers, signed */
    const char *region; /* overrides the context's (S3 bucket region) */
    unsigned quiet;     /* classes that return without a diagnostic */
};

struct tsk_aws_resp {
    long status;
    struct tsk_http_hdrs headers;
    struct tsk_buf body;
    cJSON *json;              /* JSON protocols: parsed body, or NULL */
    char *request_id;         /* or NULL */
    struct tsk_aws_error err; /* cls TSK_AWS_OK on success */
    int attempts;
};

/**
 * Signs and sends one AWS operation, retrying throttling, 429, 5xx and
 * connection errors with backoff (re-signed each time), never validation
 * errors. The error, if any, is parsed and classified into out->err.
 * @return 0 on 2xx; TSK_ENOTFOUND, TSK_ECONFLICT (conflict or in progress)
 *         or TSK_ERROR otherwise. A diagnostic naming the operation, code,
 *         message and request id is appended unless out->err.cls is in
 *         req->quiet. Release out with tsk_aws_resp_release in every case.
 */
int tsk_aws_call(struct tsk_aws *aws, const struct tsk_aws_req *req,
                 struct tsk_aws_resp *out, struct tsk_diags *d);
void tsk_aws_resp_release(struct tsk_aws_resp *r);

/** Appends key=value to a query/form string, both percent-encoded. */
void tsk_aws_form_add(struct tsk_buf *b, const char *key, const char *value);

/**
 * A readiness check for tsk_aws_wait: returns 1 when done, 0 to poll again,
 * or a negative tsk_err to stop (having appended its own diagnostic).
 */
typedef int (*tsk_aws_check_fn)(struct tsk_aws *aws, void *ctx,
                                struct tsk_diags *d);

/**
 * Polls check every poll_interval_ms until it returns 1, fails, or the
 * poll deadline (TUSKFORM_POLL_DEADLINE_MS) passes.
 * @param what  for the timeout message ("function my-fn to become Active")
 * @return 0, the check's error, or TSK_ERROR on timeout (error appended)
 */
int tsk_aws_wait(struct tsk_aws *aws, const char *what, tsk_aws_check_fn check,
                 void *ctx, struct tsk_diags *d);

/**
 * tsk_aws_call that waits out "in progress" errors (the 409 "update in
 * progress", ResourceInUse, ...) by repeating the call every poll interval
 * until the poll deadline; other errors return at once.
 */
int tsk_aws_call_wait(struct tsk_aws *aws, const struct tsk_aws_req *req,
                      struct tsk_aws_resp *out, struct tsk_diags *d);

/**
 * The account id from STS GetCallerIdentity (query protocol), cached.
 * @param out  caller frees
 */
int tsk_aws_account_id(struct tsk_aws *aws, char **out, struct tsk_diags *d);

/** Credentials in use (resolved and refreshed as needed); copies to out. */
int tsk_aws_credentials(struct tsk_aws *aws, struct tsk_aws_creds *out,
                        struct tsk_diags *d);

#endif

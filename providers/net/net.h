/*
 * net.h - the one HTTP client every driver uses (libcurl), its retry policy
 * (exponential backoff with full jitter, Retry-After) and the redacting
 * debug log (TUSKFORM_LOG=debug).
 *
 * Ownership: struct tsk_http is created by tsk_http_new and freed by
 * tsk_http_free; it is safe to share between threads. A request borrows
 * everything it points at. A response owns its headers and body; release it
 * with tsk_http_resp_release. struct tsk_http_hdrs owns its strings.
 */
#ifndef TSK_NET_H
#define TSK_NET_H

#include "planner/util/util.h"

#include <stdio.h>
#include <time.h>

/* ---- headers ---------------------------------------------------------- */

struct tsk_http_header {
    char *name;
    char *value;
};

/* A header list in order; compatible with the TSK_ARRAY macros. */
struct tsk_http_hdrs {
    struct tsk_http_header *v;
    size_t n, alloc;
};

/** Appends a header (copies both strings). */
void tsk_http_hdrs_add(struct tsk_http_hdrs *h, const char *name,
                       const char *value);
/** Removes every header called name (case-insensitive), then appends. */
void tsk_http_hdrs_set(struct tsk_http_hdrs *h, const char *name,
                       const char *value);
/** Removes every header called name (case-insensitive). */
void tsk_http_hdrs_del(struct tsk_http_hdrs *h, const char *name);
/** The first value of name (case-insensitive), borrowed, or NULL. */
const char *tsk_http_hdrs_get(const struct tsk_http_hdrs *h, const char *name);
void tsk_http_hdrs_release(struct tsk_http_hdrs *h);

/* ---- client ----------------------------------------------------------- */

struct tsk_http_opts {
    long connect_timeout_ms; /* 0: 10 s (TUSKFORM_HTTP_CONNECT_TIMEOUT_MS) */
    long timeout_ms; /* whole transfer; 0: 120 s (TUSKFORM_HTTP_TIMEOUT_MS) */
    size_t max_body; /* response cap; 0: 32 MiB (TUSKFORM_HTTP_MAX_BODY) */
};

/* Transport outcome of one attempt (independent of the HTTP status). */
enum tsk_http_fail {
    TSK_HTTP_OK = 0,
    TSK_HTTP_ECONNECT, /* could not connect or resolve: retryable */
    TSK_HTTP_EDROPPED, /* connection closed or reset mid-exchange: retryable */
    TSK_HTTP_ETIMEOUT, /* connect or total timeout: retryable */
    TSK_HTTP_ETOOBIG,  /* response larger than max_body */
    TSK_HTTP_ETLS,     /* certificate or handshake failure */
    TSK_HTTP_EINVAL,   /* bad URL, scheme not allowed, bad method */
    TSK_HTTP_EOTHER,
};

struct tsk_http_req {
    const char *method;                  /* "GET", "POST", ...; NULL: GET */
    const char *url;                     /* scheme://host[:port]/path?query */
    const struct tsk_http_hdrs *headers; /* sent as given, may be NULL */
    const void *body;
    size_t body_len;
    int allow_http;  /* plain http:// allowed (explicit endpoint override) */
    long timeout_ms; /* 0: the client's */
};

struct tsk_http_resp {
    long status; /* 0 when no response arrived */
    struct tsk_http_hdrs headers;
    struct tsk_buf body;
    enum tsk_http_fail fail;
    char errmsg[256]; /* transport error text when fail != TSK_HTTP_OK */
    long connects;    /* connections this attempt opened */
};

struct tsk_http;

/** A new client; opts may be NULL. Never NULL (aborts on OOM). */
struct tsk_http *tsk_http_new(const struct tsk_http_opts *opts);
void tsk_http_free(struct tsk_http *http);

/**
 * Performs one attempt, no retries. Any thread may call this at once: each
 * call borrows a curl handle from the client's pool, and all handles share
 * one connection cache. TLS peer and host verification are always on;
 * `http://` is refused unless req->allow_http. `Expect:` is never sent.
 * @param out  filled in every case; release with tsk_http_resp_release
 * @param d    may be NULL; on a transport failure an error is appended
 * @return 0 when a response arrived (whatever its status), TSK_EIO on a
 *         transport failure (out->fail says which), TSK_EINVAL on bad input
 */
int tsk_http_do(struct tsk_http *http, const struct tsk_http_req *req,
                struct tsk_http_resp *out, struct tsk_diags *d);
void tsk_http_resp_release(struct tsk_http_resp *r);

/** Total connections opened by this client (CURLINFO_NUM_CONNECTS). */
long tsk_http_connects(struct tsk_http *http);
/** Total attempts performed by this client. */
long tsk_http_requests(struct tsk_http *http);

/* ---- retry policy (retry.c) -------------------------------------------- */

struct tsk_retry {
    int max_attempts;        /* AWS_MAX_ATTEMPTS, default 3 */
    long base_ms;            /* TUSKFORM_RETRY_BASE_MS, default 1000 */
    long cap_ms;             /* TUSKFORM_RETRY_CAP_MS, default 20000 */
    long retry_after_max_ms; /* TUSKFORM_RETRY_AFTER_MAX_MS, default 60000 */
    long poll_interval_ms;   /* TUSKFORM_POLL_INTERVAL_MS, default 2000 */
    long poll_deadline_ms;   /* TUSKFORM_POLL_DEADLINE_MS, default 300000 */
};

/** Fills r from the defaults and the environment knobs above. */
void tsk_retry_from_env(struct tsk_retry *r);
/**
 * Delay before retry number `attempt` (1 = the first retry): full jitter,
 * rand(0,1) * min(base * 2^(attempt-1), cap); a server Retry-After
 * (retry_after_ms >= 0) is a lower bound, limited to retry_after_max_ms.
 */
long tsk_retry_delay_ms(const struct tsk_retry *r, int attempt,
                        long retry_after_ms);
/** Retry-After (seconds or HTTP date) or x-amz-retry-after (ms); -1 if none. */
long tsk_http_retry_after_ms(const struct tsk_http_resp *resp);
/** 1 for the transport failures worth retrying (connect, dropped, timeout). */
int tsk_http_fail_retryable(enum tsk_http_fail f);
/** 1 for 429, 500, 502, 503, 504. */
int tsk_http_status_retryable(long status);
/** Monotonic milliseconds. */
long long tsk_now_ms(void);
void tsk_sleep_ms(long ms);

/* ---- redacting debug log (log.c) ---------------------------------------- */

enum tsk_log_level {
    TSK_LOG_OFF,
    TSK_LOG_ERROR,
    TSK_LOG_WARN,
    TSK_LOG_INFO,
    TSK_LOG_DEBUG
};

/** Level from TUSKFORM_LOG (debug|info|warn|error; read once). */
enum tsk_log_level tsk_log_level(void);
void tsk_log_set_level(enum tsk_log_level lvl);
/** Where the log goes (borrowed; default stderr). NULL restores stderr. */
void tsk_log_set_file(FILE *f);
/** Logs one line at lvl; the text is redacted before it is written. */
void tsk_log(enum tsk_log_level lvl, const char *fmt, ...) TSK_PRINTF(2, 3);
/**
 * Registers a secret (copied): it is replaced by "<redacted>" wherever it
 * would appear in log output or in tsk_redact results. Short strings
 * (under 6 bytes) are ignored so that redaction cannot shred text.
 */
void tsk_log_add_secret(const char *secret);
/**
 * Redacts b in place: registered secrets, `Signature=<hex>`, and the values
 * of secret-bearing JSON members and XML elements (SecretAccessKey, Token,
 * SessionToken, Password, ...).
 */
void tsk_redact(struct tsk_buf *b);
/** 1 if a header with this name must never be logged in clear. */
int tsk_header_is_secret(const char *name);
/** Logs a request or response at debug level (headers and body redacted). */
void tsk_log_http(const char *what, const char *method, const char *url,
                  long status, const struct tsk_http_hdrs *h, const void *body,
                  size_t len);

#endif

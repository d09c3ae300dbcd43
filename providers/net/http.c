/*
 * http.c - the shared libcurl client: a pool of easy handles sharing one
 * connection cache, DNS cache and TLS session cache (CURLSH with locks), so
 * worker threads reuse connections without sharing a handle.
 */
#include "providers/net/net.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct tsk_http {
    CURLSH *share;
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
    pthread_mutex_t mu; /* guards pool and counters */
    TSK_ARRAY(CURL *) pool;
    long connects, requests;
    struct tsk_http_opts opts;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access acc,
                       void *ctx)
{
    struct tsk_http *http = ctx;
    (void)h;
    (void)acc;
    if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_lock(&http->locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ctx)
{
    struct tsk_http *http = ctx;
    (void)h;
    if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_unlock(&http->locks[data]);
}

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    char *end;
    long n;
    if (!v || !*v)
        return def;
    n = strtol(v, &end, 10);
    return (*end || n <= 0) ? def : n;
}

struct tsk_http *tsk_http_new(const struct tsk_http_opts *opts)
{
    struct tsk_http *http = tsk_xcalloc(1, sizeof(*http));
    pthread_once(&global_once, global_init);
    if (opts)
        http->opts = *opts;
    if (!http->opts.connect_timeout_ms)
        http->opts.connect_timeout_ms =
            env_long("TUSKFORM_HTTP_CONNECT_TIMEOUT_MS", 10000);
    if (!http->opts.timeout_ms)
        http->opts.timeout_ms = env_long("TUSKFORM_HTTP_TIMEOUT_MS", 120000);
    if (!http->opts.max_body)
        http->opts.max_body =
            (size_t)env_long("TUSKFORM_HTTP_MAX_BODY", 32L << 20);
    pthread_mutex_init(&http->mu, NULL);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&http->locks[i], NULL);
    http->share = curl_share_init();
    if (!http->share)
        abort();
    curl_share_setopt(http->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(http->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(http->share, CURLSHOPT_USERDATA, http);
    curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    return http;
}

void tsk_http_free(struct tsk_http *http)
{
    if (!http)
        return;
    for (size_t i = 0; i < http->pool.n; i++)
        curl_easy_cleanup(http->pool.v[i]);
    TSK_ARRAY_FREE(http->pool);
    curl_share_cleanup(http->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&http->locks[i]);
    pthread_mutex_destroy(&http->mu);
    free(http);
}

static CURL *acquire(struct tsk_http *http)
{
    CURL *c = NULL;
    pthread_mutex_lock(&http->mu);
    if (http->pool.n)
        c = http->pool.v[--http->pool.n];
    pthread_mutex_unlock(&http->mu);
    if (!c && !(c = curl_easy_init()))
        abort();
    curl_easy_reset(c);
    return c;
}

static void release(struct tsk_http *http, CURL *c, long connects)
{
    pthread_mutex_lock(&http->mu);
    *TSK_ARRAY_PUSH(http->pool) = c;
    http->connects += connects;
    http->requests++;
    pthread_mutex_unlock(&http->mu);
}

long tsk_http_connects(struct tsk_http *http)
{
    long n;
    pthread_mutex_lock(&http->mu);
    n = http->connects;
    pthread_mutex_unlock(&http->mu);
    return n;
}

long tsk_http_requests(struct tsk_http *http)
{
    long n;
    pthread_mutex_lock(&http->mu);
    n = http->requests;
    pthread_mutex_unlock(&http->mu);
    return n;
}

struct sink {
    struct tsk_http_resp *resp;
    size_t max;
    int toobig;
};

static size_t on_body(char *p, size_t sz, size_t n, void *ctx)
{
    struct sink *s = ctx;
    size_t len = sz * n;
    if (s->resp->body.len + len > s->max) {
        s->toobig = 1;
        return 0;
    }
    tsk_buf_add(&s->resp->body, p, len);
    return len;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ctx)
{
    struct sink *s = ctx;
    size_t len = sz * n, k, e = len;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* a new response (after 100 Continue): drop what came before */
        tsk_http_hdrs_release(&s->resp->headers);
        return len;
    }
    for (k = 0; k < len && p[k] != ':'; k++)
        ;
    if (k == 0 || k == len)
        return len;
    while (e > k + 1 && (p[e - 1] == '\r' || p[e - 1] == '\n'))
        e--;
    size_t vs = k + 1;
    while (vs < e && (p[vs] == ' ' || p[vs] == '\t'))
        vs++;
    char *name = tsk_xstrndup(p, k), *val = tsk_xstrndup(p + vs, e - vs);
    tsk_http_hdrs_add(&s->resp->headers, name, val);
    free(name);
    free(val);
    return len;
}

static enum tsk_http_fail map_curl(CURLcode rc, int toobig)
{
    if (toobig)
        return TSK_HTTP_ETOOBIG;
    switch (rc) {
    case CURLE_OK:
        return TSK_HTTP_OK;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return TSK_HTTP_ECONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return TSK_HTTP_ETIMEOUT;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        return TSK_HTTP_EDROPPED;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
        return TSK_HTTP_ETLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return TSK_HTTP_EINVAL;
    default:
        return TSK_HTTP_EOTHER;
    }
}

static struct curl_slist *build_headers(const struct tsk_http_req *req)
{
    struct curl_slist *l = NULL, *t;
    int has_ct = 0;
    for (size_t i = 0; req->headers && i < req->headers->n; i++) {
        const struct tsk_http_header *h = &req->headers->v[i];
        char *line;
        if (strcasecmp(h->name, "content-type") == 0)
            has_ct = 1;
        /* "Name;" sends an empty value, "Name:" would delete the header */
        line = *h->value ? tsk_xasprintf("%s: %s", h->name, h->value)
                         : tsk_xasprintf("%s;", h->name);
        t = curl_slist_append(l, line);
        free(line);
        if (!t)
            abort();
        l = t;
    }
    if (!(t = curl_slist_append(l, "Expect:")))
        abort();
    l = t;
    if (!has_ct) { /* no implicit form content type on POST */
        if (!(t = curl_slist_append(l, "Content-Type:")))
            abort();
        l = t;
    }
    return l;
}

static int set_method(CURL *c, const struct tsk_http_req *req)
{
    const char *m = req->method ? req->method : "GET";
    int has_body = req->body_len > 0 || strcmp(m, "POST") == 0 ||
                   strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0;
    for (const char *p = m; *p; p++)
        if (*p < 'A' || *p > 'Z')
            return TSK_EINVAL;
    if (strcmp(m, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(m, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        if (strcmp(m, "POST") != 0)
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m);
    }
    if (!strcmp(m, "GET") || !strcmp(m, "HEAD"))
        has_body = 0; /* a body would turn the request into a POST */
    if (has_body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)req->body_len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS,
                         req->body ? (const char *)req->body : "");
    }
    return 0;
}

static int fail(struct tsk_http_resp *out, enum tsk_http_fail f,
                const char *msg, struct tsk_diags *d, const char *url)
{
    out->fail = f;
    /* cut to the buffer: the whole message goes to the diagnostics */
    size_t n = strnlen(msg, sizeof(out->errmsg) - 1);
    memcpy(out->errmsg, msg, n);
    out->errmsg[n] = '\0';
    if (d)
        tsk_diag_error(d, NULL, "HTTP request to %s failed: %s", url, msg);
    return f == TSK_HTTP_EINVAL ? TSK_EINVAL : TSK_EIO;
}

int tsk_http_do(struct tsk_http *http, const struct tsk_http_req *req,
                struct tsk_http_resp *out, struct tsk_diags *d)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct sink sink = {out, http->opts.max_body, 0};
    struct curl_slist *hl;
    const char *method = req->method ? req->method : "GET";
    long connects = 0;
    CURLcode rc;
    CURL *c;

    memset(out, 0, sizeof(*out));
    out->body = (struct tsk_buf)TSK_BUF_INIT;
    if (!req->url ||
        (strncasecmp(req->url, "https://", 8) != 0 &&
         !(req->allow_http && strncasecmp(req->url, "http://", 7) == 0)))
        return fail(out, TSK_HTTP_EINVAL,
                    "only https:// URLs are allowed (plain http only for "
                    "an explicit endpoint override)",
                    d, req->url ? req->url : "(null)");
    c = acquire(http);
    if (set_method(c, req) < 0) {
        release(http, c, 0);
        return fail(out, TSK_HTTP_EINVAL, "bad HTTP method", d, req->url);
    }
    hl = build_headers(req);
    curl_easy_setopt(c, CURLOPT_SHARE, http->share);
    /* keep an idle connection for every worker (the default keeps about
     * 5, so parallelism above that would reconnect on every request) */
    curl_easy_setopt(c, CURLOPT_MAXCONNECTS, 256L);
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
                     req->allow_http ? "http,https" : "https");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     http->opts.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                     req->timeout_ms ? req->timeout_ms : http->opts.timeout_ms);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "tuskform/" TSK_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (tsk_log_level() >= TSK_LOG_DEBUG)
        tsk_log_http("request", method, req->url, 0, req->headers, req->body,
                     req->body_len);
    rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
    out->connects = connects;
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    curl_slist_free_all(hl);
    release(http, c, connects);
    if (rc != CURLE_OK) {
        char msg[CURL_ERROR_SIZE + 64];
        out->status = 0;
        if (sink.toobig)
            snprintf(msg, sizeof(msg), "response larger than %zu bytes",
                     http->opts.max_body);
        else
            snprintf(msg, sizeof(msg), "%s",
                     *errbuf ? errbuf : curl_easy_strerror(rc));
        tsk_log(TSK_LOG_DEBUG, "http: %s %s: %s", method, req->url, msg);
        return fail(out, map_curl(rc, sink.toobig), msg, d, req->url);
    }
    if (tsk_log_level() >= TSK_LOG_DEBUG)
        tsk_log_http("response", method, req->url, out->status, &out->headers,
                     out->body.ptr, out->body.len);
    return 0;
}

void tsk_http_resp_release(struct tsk_http_resp *r)
{
    tsk_http_hdrs_release(&r->headers);
    tsk_buf_release(&r->body);
    r->status = 0;
}

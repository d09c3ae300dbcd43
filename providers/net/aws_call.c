/*
 * aws_call.c - one AWS operation end to end: frame the request for the
 * service's protocol, resolve the endpoint, sign (again on every attempt),
 * send, retry transient failures, parse and classify errors.
 */
#include "providers/net/internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <strings.h>

struct tsk_aws {
    struct tsk_http *http;
    int own_http;
    char *region, *profile;
    struct tsk_retry retry;
    time_t (*clock)(void);
    pthread_mutex_t mu; /* guards creds and account_id */
    struct tsk_aws_creds creds;
    int have_creds;
    char *account_id;
};

int tsk_aws_new(struct tsk_aws **out, const struct tsk_aws_opts *opts,
                struct tsk_diags *d)
{
    struct tsk_aws_opts o = {0};
    char *region = NULL;
    struct tsk_aws *aws;
    *out = NULL;
    if (opts)
        o = *opts;
    if (tsk_aws_region_resolve(o.region, o.profile, &region, d) < 0)
        return TSK_ENOTFOUND;
    aws = tsk_xcalloc(1, sizeof(*aws));
    aws->region = region;
    aws->profile = o.profile ? tsk_xstrdup(o.profile) : NULL;
    aws->http = o.http;
    if (!aws->http) {
        aws->http = tsk_http_new(NULL);
        aws->own_http = 1;
    }
    aws->clock = o.clock;
    tsk_retry_from_env(&aws->retry);
    pthread_mutex_init(&aws->mu, NULL);
    *out = aws;
    return 0;
}

void tsk_aws_free(struct tsk_aws *aws)
{
    if (!aws)
        return;
    if (aws->own_http)
        tsk_http_free(aws->http);
    tsk_aws_creds_release(&aws->creds);
    pthread_mutex_destroy(&aws->mu);
    free(aws->region);
    free(aws->profile);
    free(aws->account_id);
    free(aws);
}

const char *tsk_aws_region(const struct tsk_aws *aws)
{
    return aws->region;
}
struct tsk_http *tsk_aws_http(struct tsk_aws *aws)
{
    return aws->http;
}
const struct tsk_retry *tsk_aws_retry(const struct tsk_aws *aws)
{
    return &aws->retry;
}

int tsk_aws_credentials(struct tsk_aws *aws, struct tsk_aws_creds *out,
                        struct tsk_diags *d)
{
    int rc = 0;
    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&aws->mu);
    if (aws->have_creds && aws->creds.expiration &&
        time(NULL) > aws->creds.expiration - 300) {
        tsk_aws_creds_release(&aws->creds);
        aws->have_creds = 0;
    }
    if (!aws->have_creds) {
        struct tsk_aws_creds_opts co = {aws->profile, aws->http};
        if ((rc = tsk_aws_creds_resolve(&aws->creds, &co, d)) == 0)
            aws->have_creds = 1;
    }
    if (rc == 0) {
        out->access_key_id = tsk_xstrdup(aws->creds.access_key_id);
        out->secret_access_key = tsk_xstrdup(aws->creds.secret_access_key);
        out->session_token = aws->creds.session_token
                                 ? tsk_xstrdup(aws->creds.session_token)
                                 : NULL;
        out->expiration = aws->creds.expiration;
        out->source = aws->creds.source;
    }
    pthread_mutex_unlock(&aws->mu);
    return rc;
}

void tsk_aws_form_add(struct tsk_buf *b, const char *key, const char *value)
{
    if (b->len)
        tsk_buf_addch(b, '&');
    tsk_uri_encode(b, key, strlen(key), 0);
    tsk_buf_addch(b, '=');
    if (value)
        tsk_uri_encode(b, value, strlen(value), 0);
}

/* The request as it goes on the wire, the same for every attempt. */
struct framed {
    const struct tsk_aws_service *svc;
    struct tsk_aws_endpoint ep;
    char *host, *sign_path, *url, *body;
    size_t body_len;
    const char *method, *ctype, *query;
    char *target;
};

static void framed_release(struct framed *f)
{
    tsk_aws_endpoint_release(&f->ep);
    free(f->host);
    free(f->sign_path);
    free(f->url);
    free(f->body);
    free(f->target);
}

static void frame_body(struct framed *f, const struct tsk_aws_req *req)
{
    const struct tsk_aws_service *svc = f->svc;
    char *js = req->json ? cJSON_PrintUnformatted(req->json) : NULL;
    if (js) {
        f->body = tsk_xstrdup(js);
        cJSON_free(js);
    } else if (req->body) {
        f->body = tsk_xstrndup(req->body, req->body_len);
    }
    switch (svc->proto) {
    case TSK_AWS_JSON10:
    case TSK_AWS_JSON11:
        if (!f->body)
            f->body = tsk_xstrdup("{}");
        f->ctype = svc->proto == TSK_AWS_JSON10 ? "application/x-amz-json-1.0"
                                                : "application/x-amz-json-1.1";
        f->target = tsk_xasprintf("%s.%s", svc->target_prefix, req->op);
        break;
    case TSK_AWS_QUERY: {
        struct tsk_buf b = TSK_BUF_INIT;
        tsk_aws_form_add(&b, "Action", req->op);
        tsk_aws_form_add(&b, "Version", svc->api_version);
        if (req->form && *req->form)
            tsk_buf_addf(&b, "&%s", req->form);
        free(f->body);
        f->body = tsk_buf_detach(&b, NULL);
        f->ctype = "application/x-www-form-urlencoded; charset=utf-8";
        break;
    }
    case TSK_AWS_REST_JSON:
        f->ctype = f->body ? "application/json" : NULL;
        break;
    case TSK_AWS_REST_XML:
        f->ctype = f->body ? "application/xml" : NULL;
        break;
    }
    if (req->content_type)
        f->ctype = req->content_type;
    f->body_len = f->body ? strlen(f->body) : 0;
    if (req->body && !req->json && svc->proto != TSK_AWS_QUERY)
        f->body_len = req->body_len; /* raw bodies may hold NUL bytes */
}

static int frame(struct tsk_aws *aws, const struct tsk_aws_req *req,
                 struct framed *f, struct tsk_diags *d)
{
    const char *rest, *slash, *path = req->path && *req->path ? req->path : "/";
    size_t hl;
    memset(f, 0, sizeof(*f));
    if (!(f->svc = tsk_aws_service_find(req->service)))
        return tsk_diag_error(d, NULL, "unknown AWS service \"%s\"",
                              req->service ? req->service : "(null)");
    if (!req->op || !*req->op)
        return tsk_diag_error(d, NULL, "AWS %s call without an operation",
                              f->svc->name);
    if (tsk_aws_endpoint_resolve(
            f->svc, req->region ? req->region : aws->region, &f->ep, d) < 0)
        return TSK_EINVAL;
    frame_body(f, req);
    rest = strstr(f->ep.url, "://") + 3;
    slash = strchr(rest, '/');
    hl = slash ? (size_t)(slash - rest) : strlen(rest);
    f->host = tsk_xstrndup(rest, hl);
    if ((hl > 4 && !strcmp(f->host + hl - 4, ":443") &&
         !strncasecmp(f->ep.url, "https", 5)) ||
        (hl > 3 && !strcmp(f->host + hl - 3, ":80") &&
         !strncasecmp(f->ep.url, "http:", 5)))
        f->host[strrchr(f->host, ':') - f->host] = '\0';
    f->sign_path =
        tsk_xasprintf("%s%s", slash ? slash : "", path[0] == '/' ? path : "/");
    if (path[0] != '/') {
        free(f->sign_path);
        f->sign_path = tsk_xasprintf("%s/%s", slash ? slash : "", path);
    }
    f->query = req->query && *req->query ? req->query : NULL;
    f->url = tsk_xasprintf("%.*s%s%s%s", (int)(rest - f->ep.url + hl),
                           f->ep.url, f->sign_path, f->query ? "?" : "",
                           f->query ? f->query : "");
    f->method = req->method ? req->method
                : (f->svc->proto == TSK_AWS_REST_JSON ||
                   f->svc->proto == TSK_AWS_REST_XML) &&
                        !f->body
                    ? "GET"
                    : "POST";
    return 0;
}

/* Builds the headers and signs them for one attempt. */
static int sign_attempt(struct tsk_aws *aws, const struct tsk_aws_req *req,
                        struct framed *f, struct tsk_http_hdrs *h,
                        struct tsk_diags *d)
{
    struct tsk_aws_creds c;
    struct tsk_sigv4_params p = {0};
    struct tsk_sigv4_msg m = {f->method, f->sign_path, f->query,
                              h,         f->body,      f->body_len};
    int rc;
    for (size_t i = 0; req->headers && i < req->headers->n; i++)
        tsk_http_hdrs_add(h, req->headers->v[i].name, req->headers->v[i].value);
    tsk_http_hdrs_set(h, "Host", f->host);
    if (f->ctype)
        tsk_http_hdrs_set(h, "Content-Type", f->ctype);
    if (f->target)
        tsk_http_hdrs_set(h, "X-Amz-Target", f->target);
    if ((rc = tsk_aws_credentials(aws, &c, d)) < 0)
        return rc;
    p.access_key_id = c.access_key_id;
    p.secret_access_key = c.secret_access_key;
    p.session_token = c.session_token;
    p.region = f->ep.signing_region;
    p.service = f->svc->signing_name;
    p.when = aws->clock ? aws->clock() : time(NULL);
    if (f->svc->proto == TSK_AWS_REST_XML)
        p.flags = TSK_SIGV4_S3 | TSK_SIGV4_CONTENT_SHA;
    rc = tsk_sigv4_sign(&p, &m, NULL);
    tsk_aws_creds_release(&c);
    if (rc < 0)
        return tsk_diag_error(d, NULL, "cannot sign the %s %s request",
                              f->svc->name, req->op);
    return 0;
}

static void transport_error(struct tsk_aws_resp *out,
                            const struct tsk_http_resp *r)
{
    static const char *const names[] = {"OK",
                                        "ConnectionError",
                                        "ConnectionDropped",
                                        "Timeout",
                                        "ResponseTooLarge",
                                        "TLSError",
                                        "InvalidRequest",
                                        "TransportError"};
    tsk_aws_error_release(&out->err);
    out->err.code = tsk_xstrdup(names[r->fail]);
    out->err.message = tsk_xstrdup(r->errmsg);
    out->err.cls =
        tsk_http_fail_retryable(r->fail) ? TSK_AWS_RETRYABLE : TSK_AWS_OTHER;
}

static void take_response(struct tsk_aws_resp *out, struct tsk_http_resp *r)
{
    tsk_http_hdrs_release(&out->headers);
    tsk_buf_release(&out->body);
    out->status = r->status;
    out->headers = r->headers;
    out->body = r->body;
    memset(&r->headers, 0, sizeof(r->headers));
    r->body = (struct tsk_buf)TSK_BUF_INIT;
    free(out->request_id);
    out->request_id = NULL;
}

static int report(const struct tsk_aws_req *req, const struct framed *f,
                  struct tsk_aws_resp *out, struct tsk_diags *d)
{
    const struct tsk_aws_error *e = &out->err;
    int rc = e->cls == TSK_AWS_NOTFOUND ? TSK_ENOTFOUND
             : (e->cls == TSK_AWS_CONFLICT || e->cls == TSK_AWS_INPROGRESS)
                 ? TSK_ECONFLICT
                 : TSK_ERROR;
    if (req->quiet & e->cls)
        return rc;
    tsk_diag_error(d, NULL, "%s %s failed: %s%s%s", f->svc->name, req->op,
                   e->code ? e->code : "error", e->message ? ": " : "",
                   e->message ? e->message : "");
    if (e->status)
        tsk_diag_detail(d, "HTTP %ld, request id %s, after %d attempt%s",
                        e->status, e->request_id ? e->request_id : "(none)",
                        out->attempts, out->attempts == 1 ? "" : "s");
    else
        tsk_diag_detail(d, "no response from %s after %d attempt%s", f->ep.url,
                        out->attempts, out->attempts == 1 ? "" : "s");
    return rc;
}

int tsk_aws_call(struct tsk_aws *aws, const struct tsk_aws_req *req,
                 struct tsk_aws_resp *out, struct tsk_diags *d)
{
    struct framed f;
    int rc;
    memset(out, 0, sizeof(*out));
    out->body = (struct tsk_buf)TSK_BUF_INIT;
    if ((rc = frame(aws, req, &f, d)) < 0) {
        framed_release(&f);
        return rc;
    }
    for (int attempt = 1;; attempt++) {
        struct tsk_http_hdrs h = {0};
        struct tsk_http_resp r;
        struct tsk_http_req hr = {f.method,   f.url,           &h, f.body,
                                  f.body_len, f.ep.overridden, 0};
        long after = -1;
        out->attempts = attempt;
        if ((rc = sign_attempt(aws, req, &f, &h, d)) < 0) {
            tsk_http_hdrs_release(&h);
            tsk_aws_error_release(&out->err);
            out->err.code = tsk_xstrdup("NoCredentials");
            out->err.cls = TSK_AWS_AUTH;
            break;
        }
        rc = tsk_http_do(aws->http, &hr, &r, NULL);
        tsk_http_hdrs_release(&h);
        if (rc < 0) {
            transport_error(out, &r);
        } else if (r.status >= 200 && r.status < 300) {
            const char *rid = tsk_aws_request_id(&r);
            char *id = rid ? tsk_xstrdup(rid) : NULL;
            take_response(out, &r);
            out->request_id = id;
            tsk_aws_error_release(&out->err);
            if (f.svc->proto <= TSK_AWS_REST_JSON && out->body.len)
                out->json = cJSON_ParseWithLength(out->body.ptr, out->body.len);
            rc = 0;
            tsk_http_resp_release(&r);
            break;
        } else {
            tsk_aws_error_release(&out->err);
            tsk_aws_error_parse(f.svc->proto, &r, &out->err);
            out->err.cls = tsk_aws_error_classify(req->op, &out->err);
            after = tsk_http_retry_after_ms(&r);
            take_response(out, &r);
            if (out->err.request_id)
                out->request_id = tsk_xstrdup(out->err.request_id);
        }
        tsk_http_resp_release(&r);
        if (!(out->err.cls & (TSK_AWS_THROTTLED | TSK_AWS_RETRYABLE)) ||
            attempt >= aws->retry.max_attempts) {
            rc = report(req, &f, out, d);
            break;
        }
        long delay = tsk_retry_delay_ms(&aws->retry, attempt, after);
        tsk_log(TSK_LOG_DEBUG, "aws: %s %s: %s, retry %d in %ld ms",
                f.svc->name, req->op, out->err.code, attempt, delay);
        tsk_sleep_ms(delay);
    }
    framed_release(&f);
    return rc;
}

void tsk_aws_resp_release(struct tsk_aws_resp *r)
{
    tsk_http_hdrs_release(&r->headers);
    tsk_buf_release(&r->body);
    cJSON_Delete(r->json);
    free(r->request_id);
    tsk_aws_error_release(&r->err);
    memset(r, 0, sizeof(*r));
    r->body = (struct tsk_buf)TSK_BUF_INIT;
}

int tsk_aws_account_id(struct tsk_aws *aws, char **out, struct tsk_diags *d)
{
    struct tsk_aws_req req = {0};
    struct tsk_aws_resp resp;
    char *acct = NULL;
    int rc;
    *out = NULL;
    pthread_mutex_lock(&aws->mu);
    if (aws->account_id)
        *out = tsk_xstrdup(aws->account_id);
    pthread_mutex_unlock(&aws->mu);
    if (*out)
        return 0;
    req.service = "sts";
    req.op = "GetCallerIdentity";
    rc = tsk_aws_call(aws, &req, &resp, d);
    if (rc == 0 &&
        tsk_xml_text(resp.body.ptr, resp.body.len, "Account", &acct) != 0)
        rc = tsk_diag_error(d, NULL,
                            "sts GetCallerIdentity: no <Account> in "
                            "the response (request id %s)",
                            resp.request_id ? resp.request_id : "(none)");
    tsk_aws_resp_release(&resp);
    if (rc == 0) {
        pthread_mutex_lock(&aws->mu);
        if (!aws->account_id)
            aws->account_id = tsk_xstrdup(acct);
        pthread_mutex_unlock(&aws->mu);
        *out = acct;
    }
    return rc;
}

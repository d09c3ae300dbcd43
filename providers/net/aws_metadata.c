/*
 * aws_metadata.c - credentials from the container endpoint (ECS/EKS pod
 * identity) and the EC2 instance metadata service (IMDSv2, v1 fallback).
 */
#include "providers/net/internal.h"

#include <stdlib.h>
#include <strings.h>

time_t tsk_aws__parse_iso8601(const char *s)
{
    struct tm tm = {0};
    const char *e;
    if (!s || !(e = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)))
        return 0;
    return timegm(&tm);
}

/* Parses the JSON both endpoints return. */
static int creds_json(struct tsk_aws_creds *c, const struct tsk_buf *body,
                      const char *source, struct tsk_diags *d)
{
    cJSON *o = cJSON_ParseWithLength(body->ptr, body->len);
    const char *ak =
        cJSON_GetStringValue(cJSON_GetObjectItem(o, "AccessKeyId"));
    const char *sk =
        cJSON_GetStringValue(cJSON_GetObjectItem(o, "SecretAccessKey"));
    const char *tok = cJSON_GetStringValue(cJSON_GetObjectItem(o, "Token"));
    const char *exp =
        cJSON_GetStringValue(cJSON_GetObjectItem(o, "Expiration"));
    tsk_log_add_secret(sk);
    tsk_log_add_secret(tok);
    if (!ak || !*ak || !sk || !*sk) {
        cJSON_Delete(o);
        return tsk_diag_error(d, NULL,
                              "the %s endpoint returned no usable "
                              "credentials",
                              source);
    }
    c->access_key_id = tsk_xstrdup(ak);
    c->secret_access_key = tsk_xstrdup(sk);
    c->session_token = tok && *tok ? tsk_xstrdup(tok) : NULL;
    c->expiration = tsk_aws__parse_iso8601(exp);
    c->source = source;
    cJSON_Delete(o);
    return 0;
}

/* Plain http is only for the link-local and loopback hosts. */
static int container_host_ok(const char *url)
{
    static const char *const ok[] = {"http://127.",
                                     "http://localhost:",
                                     "http://localhost/",
                                     "http://[::1]",
                                     "http://169.254.170.2/",
                                     "http://169.254.170.2:",
                                     "http://169.254.170.23/",
                                     "http://169.254.170.23:",
                                     "http://[fd00:ec2::23]",
                                     NULL};
    if (strncasecmp(url, "https://", 8) == 0)
        return 1;
    for (int i = 0; ok[i]; i++)
        if (strncasecmp(url, ok[i], strlen(ok[i])) == 0)
            return 1;
    return 0;
}

static char *container_token(void)
{
    const char *f = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *v = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (f && *f) {
        struct tsk_buf b = TSK_BUF_INIT;
        if (tsk_read_file(f, &b) == 0) {
            while (b.len &&
                   (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == '\r'))
                b.ptr[--b.len] = '\0';
            return tsk_buf_detach(&b, NULL);
        }
        tsk_buf_release(&b);
    }
    return v && *v ? tsk_xstrdup(v) : NULL;
}

int tsk_aws__creds_container(struct tsk_aws_creds *c, struct tsk_http *http,
                             struct tsk_diags *d)
{
    const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    struct tsk_http_hdrs h = {0};
    struct tsk_http_resp r;
    struct tsk_http_req req = {0};
    char *url, *tok;
    int rc = TSK_ERROR;
    if (rel && *rel)
        url = tsk_xasprintf("http://169.254.170.2%s", rel);
    else if (full && *full)
        url = tsk_xstrdup(full);
    else
        return TSK_ENOTFOUND;
    if (!container_host_ok(url)) {
        tsk_diag_error(d, NULL,
                       "AWS_CONTAINER_CREDENTIALS_FULL_URI must be "
                       "https or a loopback/link-local http URL, not %s",
                       url);
        free(url);
        return TSK_EINVAL;
    }
    if ((tok = container_token())) {
        tsk_log_add_secret(tok);
        tsk_http_hdrs_add(&h, "Authorization", tok);
        free(tok);
    }
    req.method = "GET";
    req.url = url;
    req.headers = &h;
    req.allow_http = 1;
    req.timeout_ms = 2000;
    for (int attempt = 1;; attempt++) {
        int st = tsk_http_do(http, &req, &r, NULL), again;
        if (st == 0 && r.status == 200) {
            rc = creds_json(c, &r.body, "container credentials", d);
            tsk_http_resp_release(&r);
            break;
        }
        again = st == 0 ? r.status >= 500 : tsk_http_fail_retryable(r.fail);
        if (!again || attempt == 3) {
            if (st == 0)
                rc = tsk_diag_error(d, NULL,
                                    "container credentials endpoint "
                                    "%s returned HTTP %ld",
                                    url, r.status);
            else
                rc = tsk_diag_error(d, NULL,
                                    "container credentials endpoint "
                                    "%s: %s",
                                    url, r.errmsg);
            tsk_http_resp_release(&r);
            break;
        }
        tsk_http_resp_release(&r);
        tsk_sleep_ms(100L * attempt);
    }
    tsk_http_hdrs_release(&h);
    free(url);
    return rc;
}

static int imds_get(struct tsk_http *http, const char *url, const char *tok,
                    struct tsk_http_resp *r)
{
    struct tsk_http_hdrs h = {0};
    struct tsk_http_req req = {"GET", url, &h, NULL, 0, 1, 1000};
    int rc;
    if (tok)
        tsk_http_hdrs_add(&h, "X-aws-ec2-metadata-token", tok);
    rc = tsk_http_do(http, &req, r, NULL);
    tsk_http_hdrs_release(&h);
    return rc == 0 && r->status == 200 ? 0 : TSK_ENOTFOUND;
}

int tsk_aws__creds_imds(struct tsk_aws_creds *c, struct tsk_http *http,
                        struct tsk_diags *d)
{
    const char *dis = getenv("AWS_EC2_METADATA_DISABLED");
    const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    const char *v1off = getenv("AWS_EC2_METADATA_V1_DISABLED");
    struct tsk_http_hdrs h = {0};
    struct tsk_http_resp r;
    char *url, *tok = NULL, *role = NULL;
    int rc;
    if (dis && strcasecmp(dis, "true") == 0)
        return TSK_ENOTFOUND;
    if (!base || !*base)
        base = "http://169.254.169.254";
    url = tsk_xasprintf("%s/latest/api/token", base);
    tsk_http_hdrs_add(&h, "X-aws-ec2-metadata-token-ttl-seconds", "21600");
    struct tsk_http_req put = {"PUT", url, &h, NULL, 0, 1, 1000};
    rc = tsk_http_do(http, &put, &r, NULL);
    tsk_http_hdrs_release(&h);
    free(url);
    if (rc != 0) { /* nothing listens: not on EC2 */
        tsk_http_resp_release(&r);
        return TSK_ENOTFOUND;
    }
    if (r.status == 200)
        tok = tsk_buf_detach(&r.body, NULL);
    tsk_http_resp_release(&r);
    if (!tok && v1off && strcasecmp(v1off, "true") == 0)
        return TSK_ENOTFOUND;
    tsk_log_add_secret(tok);
    url = tsk_xasprintf("%s/latest/meta-data/iam/security-credentials/", base);
    rc = imds_get(http, url, tok, &r);
    free(url);
    if (rc == 0 && r.body.len)
        role = tsk_xstrndup(r.body.ptr, strcspn(r.body.ptr, "\r\n"));
    tsk_http_resp_release(&r);
    if (!role || !*role) {
        free(role);
        free(tok);
        return TSK_ENOTFOUND;
    }
    url = tsk_xasprintf("%s/latest/meta-data/iam/security-credentials/%s", base,
                        role);
    rc = imds_get(http, url, tok, &r);
    if (rc == 0)
        rc = creds_json(c, &r.body, "instance metadata", d);
    else
        rc = tsk_diag_error(d, NULL,
                            "instance metadata: no credentials for "
                            "role %s",
                            role);
    tsk_http_resp_release(&r);
    free(url);
    free(role);
    free(tok);
    return rc;
}

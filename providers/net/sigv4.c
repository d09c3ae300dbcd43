/*
 * sigv4.c - AWS Signature Version 4 (header form) with OpenSSL: canonical
 * request, string to sign, signing key, Authorization header.
 */
#include "providers/net/aws.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <strings.h>

static const char *const unsigned_headers[] = {"authorization",
                                               "connection",
                                               "expect",
                                               "keep-alive",
                                               "proxy-authenticate",
                                               "proxy-authorization",
                                               "te",
                                               "trailer",
                                               "transfer-encoding",
                                               "upgrade",
                                               "user-agent",
                                               "x-amzn-trace-id",
                                               NULL};

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

static void encode(struct tsk_buf *b, const char *s, size_t n, int keep_slash,
                   int keep_pct)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c) || (keep_slash && c == '/') ||
            (keep_pct && c == '%')) {
            tsk_buf_addch(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            tsk_buf_add(b, e, 3);
        }
    }
}

void tsk_uri_encode(struct tsk_buf *b, const char *s, size_t n, int keep_slash)
{
    encode(b, s, n, keep_slash, 0);
}

static void hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(p ? p : (const void *)"", n, md);
    hex_encode(md, sizeof(md), out);
}

static void hmac(const void *key, size_t klen, const char *data,
                 unsigned char out[32])
{
    unsigned int len = 32;
    HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)data,
         strlen(data), out, &len);
}

/* RFC 3986 dot-segment removal plus collapsing of empty segments. */
static char *normalise_path(const char *p)
{
    TSK_ARRAY(const char *) seg = {0};
    TSK_ARRAY(size_t) len = {0};
    struct tsk_buf b = TSK_BUF_INIT;
    const char *s = p;
    size_t plen = strlen(p);
    while (*s) {
        size_t n = strcspn(s, "/");
        if (n && !(n == 1 && s[0] == '.')) {
            if (n == 2 && s[0] == '.' && s[1] == '.') {
                if (seg.n) {
                    seg.n--;
                    len.n--;
                }
            } else {
                *TSK_ARRAY_PUSH(seg) = s;
                *TSK_ARRAY_PUSH(len) = n;
            }
        }
        s += n;
        if (*s == '/')
            s++;
    }
    if (p[0] == '/')
        tsk_buf_addch(&b, '/');
    for (size_t i = 0; i < seg.n; i++) {
        if (i)
            tsk_buf_addch(&b, '/');
        tsk_buf_add(&b, seg.v[i], len.v[i]);
    }
    if (plen && p[plen - 1] == '/' && seg.n)
        tsk_buf_addch(&b, '/');
    TSK_ARRAY_FREE(seg);
    TSK_ARRAY_FREE(len);
    return tsk_buf_detach(&b, NULL);
}

static void canonical_uri(struct tsk_buf *b, const char *path, unsigned flags)
{
    if (!path || !*path) {
        tsk_buf_addch(b, '/');
        return;
    }
    if (flags & TSK_SIGV4_S3) {
        /* S3: the wire path as sent; encode only what was left raw */
        encode(b, path, strlen(path), 1, 1);
        return;
    }
    char *norm = normalise_path(path);
    if (!*norm)
        tsk_buf_addch(b, '/');
    else
        encode(b, norm, strlen(norm), 1, 0);
    free(norm);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes %XX (only); then encodes with the unreserved set. */
static char *requote(const char *s, size_t n)
{
    struct tsk_buf dec = TSK_BUF_INIT, enc = TSK_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
            (l = hexval(s[i + 2])) >= 0) {
            tsk_buf_addch(&dec, (char)(h * 16 + l));
            i += 2;
        } else {
            tsk_buf_addch(&dec, s[i]);
        }
    }
    encode(&enc, dec.ptr, dec.len, 0, 0);
    tsk_buf_release(&dec);
    return tsk_buf_detach(&enc, NULL);
}

struct kv {
    char *k, *v;
    size_t idx;
};

static int kv_cmp(const void *a, const void *b)
{
    const struct kv *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    if (c == 0)
        c = strcmp(x->v, y->v);
    if (c == 0)
        c = x->idx < y->idx ? -1 : x->idx > y->idx;
    return c;
}

static void canonical_query(struct tsk_buf *b, const char *q)
{
    TSK_ARRAY(struct kv) kv = {0};
    const char *s = q;
    while (s && *s) {
        size_t n = strcspn(s, "&");
        if (n) {
            const char *eq = memchr(s, '=', n);
            struct kv *e = TSK_ARRAY_PUSH(kv);
            size_t kl = eq ? (size_t)(eq - s) : n;
            e->k = requote(s, kl);
            e->v = eq ? requote(eq + 1, n - kl - 1) : tsk_xstrdup("");
            e->idx = kv.n;
        }
        s += n;
        if (*s == '&')
            s++;
    }
    if (kv.n)
        qsort(kv.v, kv.n, sizeof(*kv.v), kv_cmp);
    for (size_t i = 0; i < kv.n; i++) {
        tsk_buf_addf(b, "%s%s=%s", i ? "&" : "", kv.v[i].k, kv.v[i].v);
        free(kv.v[i].k);
        free(kv.v[i].v);
    }
    TSK_ARRAY_FREE(kv);
}

static int signed_header(const char *name)
{
    for (int i = 0; unsigned_headers[i]; i++)
        if (strcasecmp(name, unsigned_headers[i]) == 0)
            return 0;
    return 1;
}

/* Trimmed value with every whitespace run collapsed to one space. */
static void add_trimmed(struct tsk_buf *b, const char *v)
{
    int space = 0, any = 0;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') {
            space = any;
            continue;
        }
        if (space)
            tsk_buf_addch(b, ' ');
        tsk_buf_addch(b, *v);
        space = 0;
        any = 1;
    }
}

/* Canonical header block and signed-header list. */
static void canonical_headers(struct tsk_buf *ch, struct tsk_buf *sh,
                              const struct tsk_http_hdrs *h)
{
    TSK_ARRAY(struct kv) kv = {0};
    for (size_t i = 0; i < h->n; i++) {
        if (!signed_header(h->v[i].name))
            continue;
        struct kv *e = TSK_ARRAY_PUSH(kv);
        e->k = tsk_xstrdup(h->v[i].name);
        for (char *p = e->k; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        e->v = h->v[i].value;
        e->idx = i;
    }
    for (size_t i = 0; i < kv.n; i++) /* order by name, then position */
        for (size_t j = i + 1; j < kv.n; j++)
            if (strcmp(kv.v[j].k, kv.v[i].k) < 0 ||
                (strcmp(kv.v[j].k, kv.v[i].k) == 0 &&
                 kv.v[j].idx < kv.v[i].idx)) {
                struct kv t = kv.v[i];
                kv.v[i] = kv.v[j];
                kv.v[j] = t;
            }
    for (size_t i = 0; i < kv.n; i++) {
        int same = i && strcmp(kv.v[i].k, kv.v[i - 1].k) == 0;
        if (same) {
            tsk_buf_addch(ch, ',');
        } else {
            if (i) {
                tsk_buf_addch(ch, '\n');
                tsk_buf_addch(sh, ';');
            }
            tsk_buf_addf(ch, "%s:", kv.v[i].k);
            tsk_buf_adds(sh, kv.v[i].k);
        }
        add_trimmed(ch, kv.v[i].v);
    }
    if (kv.n)
        tsk_buf_addch(ch, '\n');
    for (size_t i = 0; i < kv.n; i++)
        free(kv.v[i].k);
    TSK_ARRAY_FREE(kv);
}

static void signing_key(const struct tsk_sigv4_params *p, const char *date,
                        unsigned char out[32])
{
    char *k = tsk_xasprintf("AWS4%s", p->secret_access_key);
    unsigned char a[32], b[32];
    hmac(k, strlen(k), date, a);
    hmac(a, 32, p->region, b);
    hmac(b, 32, p->service, a);
    hmac(a, 32, "aws4_request", out);
    OPENSSL_cleanse(k, strlen(k));
    OPENSSL_cleanse(a, 32);
    OPENSSL_cleanse(b, 32);
    free(k);
}

int tsk_sigv4_sign(const struct tsk_sigv4_params *p, struct tsk_sigv4_msg *m,
                   struct tsk_sigv4_result *out)
{
    struct tsk_buf cr = TSK_BUF_INIT, ch = TSK_BUF_INIT, sh = TSK_BUF_INIT;
    char amz_date[32], date[9], payload[65], crhash[65], sig[65];
    unsigned char key[32], mac[32];
    const char *token =
        p->session_token && *p->session_token ? p->session_token : NULL;
    struct tm tm;
    char *sts, *auth;

    if (out)
        memset(out, 0, sizeof(*out));
    if (!p->access_key_id || !*p->access_key_id || !p->secret_access_key ||
        !p->region || !*p->region || !p->service || !*p->service ||
        !m->method || !m->headers || !tsk_http_hdrs_get(m->headers, "host"))
        return TSK_EINVAL;
    if (!gmtime_r(&p->when, &tm) ||
        strftime(amz_date, sizeof(amz_date), "%Y%m%dT%H%M%SZ", &tm) != 16)
        return TSK_EINVAL;
    memcpy(date, amz_date, 8);
    date[8] = '\0';

    tsk_http_hdrs_del(m->headers, "authorization");
    tsk_http_hdrs_set(m->headers, "X-Amz-Date", amz_date);
    tsk_http_hdrs_del(m->headers, "x-amz-security-token");
    if (token && !(p->flags & TSK_SIGV4_TOKEN_UNSIGNED))
        tsk_http_hdrs_add(m->headers, "X-Amz-Security-Token", token);
    if (p->payload_hash)
        snprintf(payload, sizeof(payload), "%s", p->payload_hash);
    else
        sha256_hex(m->body, m->body_len, payload);
    if (p->flags & TSK_SIGV4_CONTENT_SHA)
        tsk_http_hdrs_set(m->headers, "X-Amz-Content-SHA256", payload);

    tsk_buf_addf(&cr, "%s\n", m->method);
    canonical_uri(&cr, m->path, p->flags);
    tsk_buf_addch(&cr, '\n');
    canonical_query(&cr, m->query);
    tsk_buf_addch(&cr, '\n');
    canonical_headers(&ch, &sh, m->headers);
    tsk_buf_addf(&cr, "%s\n%s\n%s", ch.ptr, sh.ptr, payload);
    sha256_hex(cr.ptr, cr.len, crhash);
    sts = tsk_xasprintf("AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s",
                        amz_date, date, p->region, p->service, crhash);
    signing_key(p, date, key);
    hmac(key, 32, sts, mac);
    OPENSSL_cleanse(key, sizeof(key));
    hex_encode(mac, 32, sig);
    auth = tsk_xasprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/"
                         "aws4_request, SignedHeaders=%s, Signature=%s",
                         p->access_key_id, date, p->region, p->service, sh.ptr,
                         sig);
    tsk_http_hdrs_add(m->headers, "Authorization", auth);
    if (token && (p->flags & TSK_SIGV4_TOKEN_UNSIGNED))
        tsk_http_hdrs_add(m->headers, "X-Amz-Security-Token", token);
    if (out) {
        out->canonical_request = tsk_buf_detach(&cr, NULL);
        out->string_to_sign = sts;
        out->authorization = auth;
        memcpy(out->signature, sig, sizeof(sig));
    } else {
        free(sts);
        free(auth);
    }
    tsk_buf_release(&cr);
    tsk_buf_release(&ch);
    tsk_buf_release(&sh);
    return 0;
}

void tsk_sigv4_result_release(struct tsk_sigv4_result *r)
{
    free(r->canonical_request);
    free(r->string_to_sign);
    free(r->authorization);
    memset(r, 0, sizeof(*r));
}

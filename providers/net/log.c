/*
 * log.c - the debug log (TUSKFORM_LOG) and the redaction every logged or
 * reported text passes through: registered secrets, signatures, secret
 * headers and secret-bearing JSON/XML members never appear in clear.
 */
#include "providers/net/net.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int level = -1;
static FILE *log_file;
static TSK_ARRAY(char *) secrets;

static const char *const secret_members[] = {"SecretAccessKey",
                                             "secret_access_key",
                                             "aws_secret_access_key",
                                             "SessionToken",
                                             "session_token",
                                             "aws_session_token",
                                             "Token",
                                             "token",
                                             "Password",
                                             "password",
                                             "ClientSecret",
                                             "PrivateKey",
                                             NULL};

static const char *const secret_headers[] = {
    "authorization",
    "x-amz-security-token",
    "x-aws-ec2-metadata-token",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-amz-server-side-encryption-customer-key",
    NULL};

enum tsk_log_level tsk_log_level(void)
{
    int l;
    pthread_mutex_lock(&log_mu);
    if (level < 0) {
        const char *v = getenv("TUSKFORM_LOG");
        level = TSK_LOG_OFF;
        if (v && (!strcasecmp(v, "debug") || !strcasecmp(v, "trace")))
            level = TSK_LOG_DEBUG;
        else if (v && !strcasecmp(v, "info"))
            level = TSK_LOG_INFO;
        else if (v && (!strcasecmp(v, "warn") || !strcasecmp(v, "warning")))
            level = TSK_LOG_WARN;
        else if (v && !strcasecmp(v, "error"))
            level = TSK_LOG_ERROR;
    }
    l = level;
    pthread_mutex_unlock(&log_mu);
    return (enum tsk_log_level)l;
}

void tsk_log_set_level(enum tsk_log_level lvl)
{
    pthread_mutex_lock(&log_mu);
    level = (int)lvl;
    pthread_mutex_unlock(&log_mu);
}

void tsk_log_set_file(FILE *f)
{
    pthread_mutex_lock(&log_mu);
    log_file = f;
    pthread_mutex_unlock(&log_mu);
}

void tsk_log_add_secret(const char *s)
{
    if (!s || strlen(s) < 6)
        return;
    pthread_mutex_lock(&log_mu);
    for (size_t i = 0; i < secrets.n; i++)
        if (strcmp(secrets.v[i], s) == 0)
            goto done;
    *TSK_ARRAY_PUSH(secrets) = tsk_xstrdup(s);
done:
    pthread_mutex_unlock(&log_mu);
}

int tsk_header_is_secret(const char *name)
{
    for (int i = 0; secret_headers[i]; i++)
        if (strcasecmp(name, secret_headers[i]) == 0)
            return 1;
    return 0;
}

/* Replaces every occurrence of needle in b by "<redacted>". */
static void replace_all(struct tsk_buf *b, const char *needle)
{
    size_t nl = strlen(needle);
    char *p;
    struct tsk_buf o = TSK_BUF_INIT;
    const char *s = b->ptr;
    if (!strstr(b->ptr, needle))
        return;
    while ((p = strstr(s, needle))) {
        tsk_buf_add(&o, s, (size_t)(p - s));
        tsk_buf_adds(&o, "<redacted>");
        s = p + nl;
    }
    tsk_buf_adds(&o, s);
    tsk_buf_release(b);
    *b = o;
}

/*
 * Blanks the value that follows `start` up to a byte in `stop` (or the end),
 * for every occurrence of start.
 */
static void blank_after(struct tsk_buf *b, const char *start, const char *stop)
{
    struct tsk_buf o = TSK_BUF_INIT;
    const char *s = b->ptr, *p;
    size_t sl = strlen(start);
    if (!strstr(b->ptr, start))
        return;
    while ((p = strstr(s, start))) {
        p += sl;
        tsk_buf_add(&o, s, (size_t)(p - s));
        s = p + strcspn(p, stop);
        if (s > p)
            tsk_buf_adds(&o, "<redacted>");
    }
    tsk_buf_adds(&o, s);
    tsk_buf_release(b);
    *b = o;
}

void tsk_redact(struct tsk_buf *b)
{
    char pat[96];
    if (b->len == 0)
        return;
    pthread_mutex_lock(&log_mu);
    for (size_t i = 0; i < secrets.n; i++)
        replace_all(b, secrets.v[i]);
    pthread_mutex_unlock(&log_mu);
    blank_after(b, "Signature=", " ,;&\"\r\n");
    blank_after(b, "X-Amz-Signature=", " ,;&\"\r\n");
    blank_after(b, "X-Amz-Security-Token=", " ,;&\"\r\n");
    for (int i = 0; secret_members[i]; i++) {
        snprintf(pat, sizeof(pat), "\"%s\":\"", secret_members[i]);
        blank_after(b, pat, "\"");
        snprintf(pat, sizeof(pat), "\"%s\": \"", secret_members[i]);
        blank_after(b, pat, "\"");
        snprintf(pat, sizeof(pat), "<%s>", secret_members[i]);
        blank_after(b, pat, "<");
    }
}

static void emit(struct tsk_buf *line)
{
    FILE *f;
    tsk_redact(line);
    pthread_mutex_lock(&log_mu);
    f = log_file ? log_file : stderr;
    fprintf(f, "%s\n", line->ptr);
    fflush(f);
    pthread_mutex_unlock(&log_mu);
}

static const char *level_name(enum tsk_log_level l)
{
    switch (l) {
    case TSK_LOG_ERROR:
        return "ERROR";
    case TSK_LOG_WARN:
        return "WARN";
    case TSK_LOG_INFO:
        return "INFO";
    default:
        return "DEBUG";
    }
}

void tsk_log(enum tsk_log_level lvl, const char *fmt, ...)
{
    struct tsk_buf b = TSK_BUF_INIT;
    va_list ap;
    if (lvl == TSK_LOG_OFF || tsk_log_level() < lvl)
        return;
    tsk_buf_addf(&b, "[tuskform %s] ", level_name(lvl));
    va_start(ap, fmt);
    tsk_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    emit(&b);
    tsk_buf_release(&b);
}

/* The header value as it may be logged. */
static void add_header(struct tsk_buf *b, const struct tsk_http_header *h)
{
    const char *sig;
    tsk_buf_addf(b, "\n  %s: ", h->name);
    if (!tsk_header_is_secret(h->name)) {
        tsk_buf_adds(b, h->value);
        return;
    }
    /* keep the credential scope and signed headers: they help debugging */
    if (strncmp(h->value, "AWS4-HMAC-SHA256 ", 17) == 0 &&
        (sig = strstr(h->value, "Signature="))) {
        tsk_buf_add(b, h->value, (size_t)(sig - h->value));
        tsk_buf_adds(b, "Signature=<redacted>");
        return;
    }
    tsk_buf_adds(b, "<redacted>");
}

void tsk_log_http(const char *what, const char *method, const char *url,
                  long status, const struct tsk_http_hdrs *h, const void *body,
                  size_t len)
{
    struct tsk_buf b = TSK_BUF_INIT;
    const size_t max = 4096;
    if (tsk_log_level() < TSK_LOG_DEBUG)
        return;
    tsk_buf_addf(&b, "[tuskform DEBUG] http %s: %s %s", what, method, url);
    if (status)
        tsk_buf_addf(&b, " -> %ld", status);
    for (size_t i = 0; h && i < h->n; i++)
        add_header(&b, &h->v[i]);
    if (body && len) {
        /* redact the whole body before cutting it, so no secret is split */
        struct tsk_buf t = TSK_BUF_INIT;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = ((const unsigned char *)body)[i];
            tsk_buf_addch(&t, (isprint(c) || c == '\n' || c >= 0x80) ? (char)c
                                                                     : '.');
        }
        tsk_redact(&t);
        tsk_buf_adds(&b, "\n  body: ");
        tsk_buf_add(&b, t.ptr, t.len > max ? max : t.len);
        if (t.len > max)
            tsk_buf_addf(&b, "... (%zu bytes)", len);
        tsk_buf_release(&t);
    }
    emit(&b);
    tsk_buf_release(&b);
}

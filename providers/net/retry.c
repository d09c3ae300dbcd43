/*
 * retry.c - the retry policy: standard-mode attempt budget, exponential
 * backoff with full jitter, Retry-After, and the polling knobs.
 */
#include "providers/net/net.h"

#include <errno.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

static long env_ms(const char *name, long def, long min)
{
    const char *v = getenv(name);
    char *end;
    long n;
    if (!v || !*v)
        return def;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || *end || n < min)
        return def;
    return n;
}

void tsk_retry_from_env(struct tsk_retry *r)
{
    r->max_attempts = (int)env_ms("AWS_MAX_ATTEMPTS", 3, 1);
    if (r->max_attempts > 50)
        r->max_attempts = 50;
    r->base_ms = env_ms("TUSKFORM_RETRY_BASE_MS", 1000, 0);
    r->cap_ms = env_ms("TUSKFORM_RETRY_CAP_MS", 20000, 0);
    r->retry_after_max_ms = env_ms("TUSKFORM_RETRY_AFTER_MAX_MS", 60000, 0);
    r->poll_interval_ms = env_ms("TUSKFORM_POLL_INTERVAL_MS", 2000, 1);
    r->poll_deadline_ms = env_ms("TUSKFORM_POLL_DEADLINE_MS", 300000, 0);
}

/* A uniform double in [0, 1). */
static double unit_random(void)
{
    uint64_t x = 0;
    if (getrandom(&x, sizeof(x), 0) != (ssize_t)sizeof(x))
        x = (uint64_t)tsk_now_ms() * 6364136223846793005ULL +
            1442695040888963407ULL;
    return (double)(x >> 11) / 9007199254740992.0;
}

long tsk_retry_delay_ms(const struct tsk_retry *r, int attempt,
                        long retry_after_ms)
{
    double ceil = (double)r->base_ms;
    long delay;
    for (int i = 1; i < attempt && ceil < (double)r->cap_ms; i++)
        ceil *= 2;
    if (ceil > (double)r->cap_ms)
        ceil = (double)r->cap_ms;
    delay = (long)(unit_random() * ceil);
    if (retry_after_ms >= 0) {
        if (retry_after_ms > r->retry_after_max_ms)
            retry_after_ms = r->retry_after_max_ms;
        if (delay < retry_after_ms)
            delay = retry_after_ms;
    }
    return delay;
}

long tsk_http_retry_after_ms(const struct tsk_http_resp *resp)
{
    const char *v = tsk_http_hdrs_get(&resp->headers, "x-amz-retry-after");
    char *end;
    long n;
    if (v) {
        n = strtol(v, &end, 10);
        if (end != v && n >= 0)
            return n;
    }
    if (!(v = tsk_http_hdrs_get(&resp->headers, "retry-after")))
        return -1;
    n = strtol(v, &end, 10);
    if (end != v && !*end && n >= 0)
        return n > 86400 ? 86400000L : n * 1000L;
    /* an HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT" */
    struct tm tm = {0};
    const char *e = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!e)
        return -1;
    time_t at = timegm(&tm), now = time(NULL);
    return at > now ? (long)(at - now) * 1000L : 0;
}

int tsk_http_fail_retryable(enum tsk_http_fail f)
{
    return f == TSK_HTTP_ECONNECT || f == TSK_HTTP_EDROPPED ||
           f == TSK_HTTP_ETIMEOUT;
}

int tsk_http_status_retryable(long status)
{
    return status == 429 || status == 500 || status == 502 || status == 503 ||
           status == 504;
}

long long tsk_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tsk_sleep_ms(long ms)
{
    struct timespec ts;
    if (ms <= 0)
        return;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

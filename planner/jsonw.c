/* jsonw.c - streaming JSON output identical to cJSON_PrintUnformatted. */
#include "planner/jsonw.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/util/util.h"

void tsk_jsonw_init(struct tsk_jsonw *w, size_t cap, tsk_jsonw_sink sink,
                    void *ctx)
{
    memset(w, 0, sizeof(*w));
    w->cap = cap < 64 ? 64 : cap;
    w->buf = tsk_xmalloc(w->cap);
    w->sink = sink;
    w->ctx = ctx;
}

static void flush(struct tsk_jsonw *w)
{
    if (w->len && !w->err && w->sink(w->ctx, w->buf, w->len) < 0)
        w->err = 1;
    w->len = 0;
}

static void raw_slow(struct tsk_jsonw *w, const char *s, size_t n)
{
    while (n) {
        if (w->len == w->cap)
            flush(w);
        size_t k = w->cap - w->len < n ? w->cap - w->len : n;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
    }
}

/* Bytes as they are: a copy into the buffer unless it is full. */
static inline void emit(struct tsk_jsonw *w, const char *s, size_t n)
{
    if (n <= w->cap - w->len) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
    } else {
        raw_slow(w, s, n);
    }
}
#define EMIT_LIT(w, s) emit((w), (s), sizeof(s) - 1)

void tsk_jsonw_raw(struct tsk_jsonw *w, const char *s, size_t n)
{
    emit(w, s, n);
}

static inline void put(struct tsk_jsonw *w, char c)
{
    if (w->len == w->cap)
        flush(w);
    w->buf[w->len++] = c;
}

void tsk_jsonw_str(struct tsk_jsonw *w, const char *s)
{
    put(w, '"');
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        const unsigned char *run = p;
        while (tsk_jsonw_plain(*p))
            p++;
        if (p > run)
            emit(w, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        static const char hex[] = "0123456789abcdef";
        char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
        switch (*p) {
        case '"':
            EMIT_LIT(w, "\\\"");
            break;
        case '\\':
            EMIT_LIT(w, "\\\\");
            break;
        case '\b':
            EMIT_LIT(w, "\\b");
            break;
        case '\f':
            EMIT_LIT(w, "\\f");
            break;
        case '\n':
            EMIT_LIT(w, "\\n");
            break;
        case '\r':
            EMIT_LIT(w, "\\r");
            break;
        case '\t':
            EMIT_LIT(w, "\\t");
            break;
        default:
            emit(w, esc, 6);
            break;
        }
        p++;
    }
    put(w, '"');
}

void tsk_jsonw_str_or_null(struct tsk_jsonw *w, const char *s)
{
    if (s)
        tsk_jsonw_str(w, s);
    else
        EMIT_LIT(w, "null");
}

static int same_double(double a, double b)
{
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= m * DBL_EPSILON;
}

int tsk_jsonw_lld(char *out, long long v)
{
    unsigned long long u =
        v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char tmp[24];
    int k = 0, n = 0;
    do {
        tmp[k++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0)
        out[n++] = '-';
    while (k)
        out[n++] = tmp[--k];
    return n;
}

/* cJSON 1.7.15's print_number: "%1.15g", or "%1.17g" when that does not
 * read back as d ("-0" stays "-0"); NaN and infinities are null. */
/* Whole numbers below 10^15 (not -0): "%1.15g" prints every digit and
 * no point or exponent, which reads back exactly; written here without
 * the printf and scanf round trip (most numbers in a plan are these). */
static int whole(char nb[32], double d)
{
    if (!(d > -1e15 && d < 1e15) || d != floor(d) || (d == 0 && signbit(d)))
        return -1;
    int n = tsk_jsonw_lld(nb, (long long)d);
    nb[n] = '\0';
    return n;
}

/* What "%1.15g" and "%1.17g" decide, for numbers that are not whole. */
static int fractional(char nb[32], double d)
{
    int n;
    if (isnan(d) || isinf(d)) {
        n = snprintf(nb, 32, "null");
    } else {
        n = snprintf(nb, 32, "%1.15g", d);
        if (n > 0 && n < 32 && !same_double(strtod(nb, NULL), d))
            n = snprintf(nb, 32, "%1.17g", d);
    }
    if (n < 0 || n >= 32)
        n = snprintf(nb, 32, "null");
    const struct lconv *lc = localeconv();
    char dp = lc && lc->decimal_point ? lc->decimal_point[0] : '.';
    for (int i = 0; dp != '.' && i < n; i++)
        if (nb[i] == dp)
            nb[i] = '.';
    return n;
}

/*
 * Fractional numbers repeat (unit prices, quantities): the last ones
 * printed are kept per thread, so most take neither printf nor strtod.
 */
#define NUM_CACHE 256
struct num_entry {
    uint64_t bits;
    unsigned char len; /* 0: empty */
    char text[31];
};
static _Thread_local struct num_entry num_cache[NUM_CACHE];

static void number(struct tsk_jsonw *w, double d)
{
    char nb[32];
    int n = whole(nb, d);
    if (n > 0) {
        emit(w, nb, (size_t)n);
        return;
    }
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    struct num_entry *e =
        &num_cache[(bits ^ (bits >> 29) ^ (bits >> 47)) % NUM_CACHE];
    if (e->len && e->bits == bits) {
        emit(w, e->text, e->len);
        return;
    }
    n = fractional(nb, d);
    if (n > 0 && n < (int)sizeof(e->text)) {
        e->bits = bits;
        e->len = (unsigned char)n;
        memcpy(e->text, nb, (size_t)n);
    }
    emit(w, nb, (size_t)n);
}

void tsk_jsonw_num(struct tsk_jsonw *w, double d)
{
    number(w, d);
}

void tsk_jsonw_value(struct tsk_jsonw *w, const cJSON *v)
{
    if (!v) {
        EMIT_LIT(w, "null");
        return;
    }
    switch (v->type & 0xFF) {
    case cJSON_False:
        EMIT_LIT(w, "false");
        break;
    case cJSON_True:
        EMIT_LIT(w, "true");
        break;
    case cJSON_Number:
        number(w, v->valuedouble);
        break;
    case cJSON_String:
        tsk_jsonw_str(w, v->valuestring);
        break;
    case cJSON_Raw:
        if (v->valuestring)
            emit(w, v->valuestring, strlen(v->valuestring));
        else
            EMIT_LIT(w, "null");
        break;
    case cJSON_Array:
        put(w, '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            if (c != v->child)
                put(w, ',');
            tsk_jsonw_value(w, c);
        }
        put(w, ']');
        break;
    case cJSON_Object:
        put(w, '{');
        for (const cJSON *c = v->child; c; c = c->next) {
            if (c != v->child)
                put(w, ',');
            tsk_jsonw_str(w, c->string);
            put(w, ':');
            tsk_jsonw_value(w, c);
        }
        put(w, '}');
        break;
    default: /* cJSON_NULL, and invalid items */
        EMIT_LIT(w, "null");
        break;
    }
}

int tsk_jsonw_flush(struct tsk_jsonw *w)
{
    flush(w);
    return w->err ? -1 : 0;
}

int tsk_jsonw_finish(struct tsk_jsonw *w)
{
    flush(w);
    free(w->buf);
    w->buf = NULL;
    w->cap = 0;
    return w->err ? -1 : 0;
}

static int buf_sink(void *ctx, const char *p, size_t n)
{
    tsk_buf_add(ctx, p, n);
    return 0;
}

void tsk_jsonw_print(struct tsk_buf *out, const cJSON *v)
{
    char stack[512];
    struct tsk_jsonw w = {stack, 0, sizeof(stack), buf_sink, out, 0};
    tsk_jsonw_value(&w, v);
    flush(&w);
}

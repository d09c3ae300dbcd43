/* json.c - values as JSON text: source-ordered objects, exact numbers. */
#include "internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tsk_fmt_double(struct tsk_buf *out, double d)
{
    char tmp[40];
    static const char *const fmts[] = {"%.15g", "%.16g", "%.17g"};
    if (d > -1e15 && d < 1e15 && d == (double)(int64_t)d && !(d == 0 && signbit(d))) {
        /* integral: the digits and ".0" (what %.15g would give) */
        int64_t v = (int64_t)d;
        char *e = tmp + sizeof(tmp), *p = e;
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        *--p = '0';
        *--p = '.';
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0)
            *--p = '-';
        tsk_buf_add(out, p, (size_t)(e - p));
        return;
    }
    int n = 0;
    double ad = d < 0 ? -d : d;
    if (ad >= 1e-4 && ad < 1e15) {
        /* d = m / 10^k exactly, m < 10^15: what %.15g prints */
        static const double p10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
                                       1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                       1e13, 1e14, 1e15};
        for (int k = 1; k <= 15; k++) {
            double x = ad * p10[k];
            if (x >= 1e15)
                break;
            if (x != (double)(int64_t)x)
                continue;
            int64_t m = (int64_t)x;
            if ((double)m / p10[k] != ad || m % 10 == 0)
                break;
            char *e = tmp + sizeof(tmp), *p = e;
            int digits = 0;
            while (m || digits <= k) {
                *--p = (char)('0' + m % 10);
                m /= 10;
                if (++digits == k)
                    *--p = '.';
            }
            if (d < 0)
                *--p = '-';
            tsk_buf_add(out, p, (size_t)(e - p));
            return;
        }
    }
    for (int i = 0; i < 3; i++) {
        n = snprintf(tmp, sizeof(tmp), fmts[i], d);
        if (i == 2 || strtod(tmp, NULL) == d)
            break;
    }
    tsk_buf_add(out, tmp, (size_t)n);
    if (!strpbrk(tmp, ".eEn"))
        tsk_buf_add(out, ".0", 2);
}

/* Appends without keeping the NUL terminator up to date (the public
 * entry points terminate the buffer at the end). */
static inline void put(struct tsk_buf *b, const char *s, size_t n)
{
    if (b->alloc <= b->len + n)
        tsk_buf_grow(b, n);
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
}

static inline void putc1(struct tsk_buf *b, char c)
{
    if (b->alloc <= b->len + 1)
        tsk_buf_grow(b, 1);
    b->ptr[b->len++] = c;
}

static void fmt_int(struct tsk_buf *out, int64_t v)
{
    char tmp[24], *e = tmp + sizeof(tmp), *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    put(out, p, (size_t)(e - p));
}

static const unsigned char needs_esc[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' */
};

void tsk_json_str(struct tsk_buf *out, const char *s, size_t len)
{
    putc1(out, '"');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        /* skip 8 plain bytes at a time (no control char, '"' or '\\') */
        while (i + 8 <= len) {
            uint64_t w, lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
            memcpy(&w, s + i, 8);
            uint64_t q = w ^ (lo * '"'), b = w ^ (lo * '\\');
            uint64_t hit = ((w - lo * 0x20) | (q - lo) | (b - lo)) & ~w & hi;
            if (hit)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i];
        if (!needs_esc[c])
            continue;
        put(out, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': put(out, "\\\"", 2); break;
        case '\\': put(out, "\\\\", 2); break;
        case '\n': put(out, "\\n", 2); break;
        case '\t': put(out, "\\t", 2); break;
        case '\r': put(out, "\\r", 2); break;
        case '\b': put(out, "\\b", 2); break;
        case '\f': put(out, "\\f", 2); break;
        default: {
            static const char hex[] = "0123456789abcdef";
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(out, u, 6);
        }
        }
    }
    put(out, s + start, len - start);
    putc1(out, '"');
    out->ptr[out->len] = '\0';
}

/* Streaming: when out_file is set, the buffer is flushed to it as it fills
 * (tsk_table_write_json); otherwise everything stays in the buffer. */
struct jw {
    FILE *f;
    int err;
};

static void maybe_flush(struct tsk_buf *out, struct jw *w)
{
    if (w && w->f && out->len >= 65536) {
        if (fwrite(out->ptr, 1, out->len, w->f) != out->len)
            w->err = 1;
        tsk_buf_reset(out);
    }
}

static void newline(struct tsk_buf *out, int indent, int depth)
{
    size_t n = (size_t)indent * (size_t)depth;
    tsk_buf_grow(out, n + 1);
    out->ptr[out->len++] = '\n';
    memset(out->ptr + out->len, ' ', n);
    out->len += n;
}

static void value(struct tsk_buf *out, const struct tsk_value *v, int indent,
                  int depth, struct jw *w);

static void table(struct tsk_buf *out, const struct tsk_table *t, int indent,
                  int depth, struct jw *w)
{
    if (t->n == 0) {
        put(out, "{}", 2);
        return;
    }
    putc1(out, '{');
    for (size_t i = 0; i < t->n; i++) {
        if (i)
            putc1(out, ',');
        if (indent)
            newline(out, indent, depth + 1);
        tsk_json_str(out, t->e[i].key, tsk_key_len(t->e[i].key));
        if (indent)
            put(out, ": ", 2);
        else
            putc1(out, ':');
        value(out, &t->e[i].val, indent, depth + 1, w);
        maybe_flush(out, w);
    }
    if (indent)
        newline(out, indent, depth);
    putc1(out, '}');
}

static void value(struct tsk_buf *out, const struct tsk_value *v, int indent,
                  int depth, struct jw *w)
{
    switch (v->kind) {
    case TSK_V_NULL:
        put(out, "null", 4);
        break;
    case TSK_V_BOOL:
        if (v->u.b)
            put(out, "true", 4);
        else
            put(out, "false", 5);
        break;
    case TSK_V_INT:
        fmt_int(out, v->u.i);
        break;
    case TSK_V_DOUBLE:
        tsk_fmt_double(out, v->u.d);
        break;
    case TSK_V_STRING:
        tsk_json_str(out, v->u.str.s, v->u.str.len);
        break;
    case TSK_V_ARRAY: {
        const struct tsk_array *a = v->u.arr;
        if (a->n == 0) {
            put(out, "[]", 2);
            break;
        }
        putc1(out, '[');
        for (size_t i = 0; i < a->n; i++) {
            if (i)
                putc1(out, ',');
            if (indent)
                newline(out, indent, depth + 1);
            value(out, &a->v[i], indent, depth + 1, w);
            maybe_flush(out, w);
        }
        if (indent)
            newline(out, indent, depth);
        putc1(out, ']');
        break;
    }
    case TSK_V_TABLE:
        table(out, v->u.tab, indent, depth, w);
        break;
    default:
        put(out, "null", 4);
        break;
    }
}

void tsk_value_to_json(struct tsk_buf *out, const struct tsk_value *v,
                       int indent)
{
    value(out, v, indent < 0 ? 0 : indent, 0, NULL);
    tsk_buf_grow(out, 0);
    out->ptr[out->len] = '\0';
}

void tsk_table_to_json(struct tsk_buf *out, const struct tsk_table *t,
                       int indent)
{
    table(out, t, indent < 0 ? 0 : indent, 0, NULL);
    tsk_buf_grow(out, 0);
    out->ptr[out->len] = '\0';
}

int tsk_table_write_json(FILE *f, const struct tsk_table *t, int indent)
{
    struct tsk_buf out = TSK_BUF_INIT;
    struct jw w = {f, 0};
    tsk_buf_grow(&out, 65536 + 4096);
    table(&out, t, indent < 0 ? 0 : indent, 0, &w);
    tsk_buf_addch(&out, '\n');
    if (fwrite(out.ptr, 1, out.len, f) != out.len)
        w.err = 1;
    tsk_buf_release(&out);
    return w.err ? TSK_EIO : 0;
}

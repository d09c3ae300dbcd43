/* json_in.c - JSON text to TSK values for @json (integers stay int64). */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct jp {
    struct tsk_doc *doc;
    const char *s, *p, *end;
    const struct tsk_pos *pos;
    const char *err;
    struct tsk_buf buf;
    int depth;
};

static void ws(struct jp *j)
{
    while (j->p < j->end &&
           (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static int fail(struct jp *j, const char *msg)
{
    if (!j->err)
        j->err = msg;
    return -1;
}

static int hex4(const char *s, uint32_t *v)
{
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            x |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            x |= (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *v = x;
    return 0;
}

/* Parses a string at j->p (the quote) into j->buf. */
static int jstring(struct jp *j)
{
    tsk_buf_reset(&j->buf);
    j->p++;
    for (;;) {
        if (j->p >= j->end)
            return fail(j, "unterminated string");
        unsigned char c = (unsigned char)*j->p;
        if (c == '"') {
            j->p++;
            break;
        }
        if (c < 0x20)
            return fail(j, "control character in string");
        if (c != '\\') {
            const char *q = j->p;
            while (q < j->end && *q != '"' && *q != '\\' &&
                   (unsigned char)*q >= 0x20)
                q++;
            size_t ok = tsk_utf8_valid_prefix(j->p, (size_t)(q - j->p));
            if (ok != (size_t)(q - j->p)) {
                j->p += ok;
                return fail(j, "invalid UTF-8 in string");
            }
            tsk_buf_add(&j->buf, j->p, (size_t)(q - j->p));
            j->p = q;
            continue;
        }
        if (j->p + 1 >= j->end)
            return fail(j, "unterminated string");
        char e = j->p[1];
        j->p += 2;
        switch (e) {
        case '"': tsk_buf_addch(&j->buf, '"'); break;
        case '\\': tsk_buf_addch(&j->buf, '\\'); break;
        case '/': tsk_buf_addch(&j->buf, '/'); break;
        case 'b': tsk_buf_addch(&j->buf, '\b'); break;
        case 'f': tsk_buf_addch(&j->buf, '\f'); break;
        case 'n': tsk_buf_addch(&j->buf, '\n'); break;
        case 'r': tsk_buf_addch(&j->buf, '\r'); break;
        case 't': tsk_buf_addch(&j->buf, '\t'); break;
        case 'u': {
            uint32_t cp, lo;
            if (j->end - j->p < 4 || hex4(j->p, &cp) < 0)
                return fail(j, "invalid \\u escape");
            j->p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
                    hex4(j->p + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
                    return fail(j, "unpaired surrogate in \\u escape");
                j->p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return fail(j, "unpaired surrogate in \\u escape");
            }
            char u[4];
            tsk_buf_add(&j->buf, u, (size_t)tsk_utf8_encode(cp, u));
            break;
        }
        default:
            j->p -= 2;
            return fail(j, "invalid escape in string");
        }
    }
    return 0;
}

static int jvalue(struct jp *j, struct tsk_value *out);

static int jnumber(struct jp *j, struct tsk_value *out)
{
    const char *s = j->p, *q = s;
    int is_double = 0;
    if (q < j->end && *q == '-')
        q++;
    if (q >= j->end || *q < '0' || *q > '9')
        return fail(j, "invalid value");
    if (*q == '0')
        q++;
    else
        while (q < j->end && *q >= '0' && *q <= '9')
            q++;
    if (q < j->end && *q == '.') {
        q++;
        if (q >= j->end || *q < '0' || *q > '9')
            return fail(j, "invalid number");
        while (q < j->end && *q >= '0' && *q <= '9')
            q++;
        is_double = 1;
    }
    if (q < j->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < j->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= j->end || *q < '0' || *q > '9')
            return fail(j, "invalid number");
        while (q < j->end && *q >= '0' && *q <= '9')
            q++;
        is_double = 1;
    }
    char tmp[64];
    char *num = tmp;
    size_t n = (size_t)(q - s);
    if (n >= sizeof(tmp))
        num = tsk_xmalloc(n + 1);
    memcpy(num, s, n);
    num[n] = '\0';
    out->pos = *j->pos;
    if (!is_double) {
        char *end;
        errno = 0;
        long long v = strtoll(num, &end, 10);
        if (errno == 0) {
            out->kind = TSK_V_INT;
            out->u.i = v;
            goto done;
        }
    }
    double d = strtod(num, NULL);
    if (!isfinite(d)) {
        if (num != tmp)
            free(num);
        return fail(j, "number out of range");
    }
    out->kind = TSK_V_DOUBLE;
    out->u.d = d;
done:
    if (num != tmp)
        free(num);
    j->p = q;
    return 0;
}

static int jvalue(struct jp *j, struct tsk_value *out)
{
    ws(j);
    if (j->p >= j->end)
        return fail(j, "unexpected end of text");
    if (++j->depth > 512)
        return fail(j, "nested too deeply");
    int rc = 0;
    out->pos = *j->pos;
    switch (*j->p) {
    case '{': {
        struct tsk_table *t = tsk_table_new(j->doc, j->pos);
        t->is_inline = 1;
        j->p++;
        ws(j);
        if (j->p < j->end && *j->p == '}') {
            j->p++;
        } else {
            for (;;) {
                ws(j);
                if (j->p >= j->end || *j->p != '"') {
                    rc = fail(j, "expected a string key");
                    break;
                }
                if ((rc = jstring(j)) < 0)
                    break;
                if (memchr(j->buf.ptr, '\0', j->buf.len)) {
                    rc = fail(j, "a key cannot contain NUL");
                    break;
                }
                struct tsk_entry *e =
                    tsk_table_findn(t, j->buf.ptr, j->buf.len);
                if (!e)
                    e = tsk_table_add(j->doc, t, j->buf.ptr, j->buf.len,
                                      j->pos);
                ws(j);
                if (j->p >= j->end || *j->p != ':') {
                    rc = fail(j, "expected ':'");
                    break;
                }
                j->p++;
                struct tsk_value v = {0};
                if ((rc = jvalue(j, &v)) < 0)
                    break;
                e->val = v;
                ws(j);
                if (j->p < j->end && *j->p == ',') {
                    j->p++;
                    continue;
                }
                if (j->p < j->end && *j->p == '}') {
                    j->p++;
                    break;
                }
                rc = fail(j, "expected ',' or '}'");
                break;
            }
        }
        out->kind = TSK_V_TABLE;
        out->u.tab = t;
        break;
    }
    case '[': {
        TSK_ARRAY(struct tsk_value) items = {0};
        j->p++;
        ws(j);
        if (j->p < j->end && *j->p == ']') {
            j->p++;
        } else {
            for (;;) {
                struct tsk_value v = {0};
                if ((rc = jvalue(j, &v)) < 0)
                    break;
                *TSK_ARRAY_PUSH(items) = v;
                ws(j);
                if (j->p < j->end && *j->p == ',') {
                    j->p++;
                    continue;
                }
                if (j->p < j->end && *j->p == ']') {
                    j->p++;
                    break;
                }
                rc = fail(j, "expected ',' or ']'");
                break;
            }
        }
        struct tsk_array *a = tsk_array_new(j->doc, items.n);
        if (items.n)
            memcpy(a->v, items.v, items.n * sizeof(*a->v));
        TSK_ARRAY_FREE(items);
        out->kind = TSK_V_ARRAY;
        out->u.arr = a;
        break;
    }
    case '"':
        if ((rc = jstring(j)) == 0)
            *out = tsk_str_value(j->doc, j->buf.ptr, j->buf.len, j->pos);
        break;
    case 't':
        if (j->end - j->p >= 4 && memcmp(j->p, "true", 4) == 0) {
            j->p += 4;
            out->kind = TSK_V_BOOL;
            out->u.b = 1;
        } else {
            rc = fail(j, "invalid value");
        }
        break;
    case 'f':
        if (j->end - j->p >= 5 && memcmp(j->p, "false", 5) == 0) {
            j->p += 5;
            out->kind = TSK_V_BOOL;
            out->u.b = 0;
        } else {
            rc = fail(j, "invalid value");
        }
        break;
    case 'n':
        if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
            j->p += 4;
            out->kind = TSK_V_NULL;
        } else {
            rc = fail(j, "invalid value");
        }
        break;
    default:
        rc = jnumber(j, out);
        break;
    }
    j->depth--;
    return rc;
}

int tsk_json_parse(struct tsk_doc *doc, const char *s, size_t len,
                   const struct tsk_pos *pos, struct tsk_value *out,
                   size_t *err_off, const char **err_msg)
{
    struct jp j = {.doc = doc, .s = s, .p = s, .end = s + len, .pos = pos,
                   .buf = TSK_BUF_INIT};
    memset(out, 0, sizeof(*out));
    int rc = jvalue(&j, out);
    if (rc == 0) {
        ws(&j);
        if (j.p != j.end)
            rc = fail(&j, "unexpected text after the value");
    }
    tsk_buf_release(&j.buf);
    if (rc < 0) {
        *err_off = (size_t)(j.p - s);
        *err_msg = j.err;
    }
    return rc;
}

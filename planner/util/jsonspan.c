/* jsonspan.c - an object's members as key/value spans of its text. */
#include "planner/util/jsonspan.h"

#include <string.h>

#define MAX_DEPTH 1000 /* cJSON's CJSON_NESTING_LIMIT */

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static int hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* The four hex digits at p as a number, or -1. */
static long u16(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        if (!hex(p[i]))
            return -1;
        v = v * 16 + (p[i] <= '9'   ? p[i] - '0'
                      : p[i] <= 'F' ? p[i] - 'A' + 10
                                    : p[i] - 'a' + 10);
    }
    return v;
}

/* Bytes that end a run of plain string bytes: controls (the end of the
 * text included), the quote and the backslash. */
static const unsigned char stop[256] = {
    [0] = 1,  [1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,   [5] = 1,    [6] = 1,
    [7] = 1,  [8] = 1,  [9] = 1,  [10] = 1, [11] = 1,  [12] = 1,   [13] = 1,
    [14] = 1, [15] = 1, [16] = 1, [17] = 1, [18] = 1,  [19] = 1,   [20] = 1,
    [21] = 1, [22] = 1, [23] = 1, [24] = 1, [25] = 1,  [26] = 1,   [27] = 1,
    [28] = 1, [29] = 1, [30] = 1, [31] = 1, ['"'] = 1, ['\\'] = 1,
};

/* Past the string starting at p (on its '"'), or NULL. Escapes are
 * checked as cJSON checks them (surrogates must pair), so a text this
 * accepts cJSON reads too. */
static const char *str_end(const char *p)
{
    for (p++;; p++) {
        while (!stop[(unsigned char)*p])
            p++;
        if (*p == '"')
            break;
        if (*p != '\\')
            return NULL; /* control character or the end */
        p++;
        if (*p == 'u') {
            long u = u16(p + 1);
            if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
                return NULL; /* a low surrogate alone: cJSON refuses it */
            p += 4;
            if (u >= 0xD800 && u <= 0xDBFF) { /* must pair with a low one */
                long lo = p[1] == '\\' && p[2] == 'u' ? u16(p + 3) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return NULL;
                p += 6;
            }
        } else if (!strchr("\"\\/bfnrt", *p) || !*p) {
            return NULL;
        }
    }
    return p + 1;
}

static const char *digits(const char *p)
{
    if (*p < '0' || *p > '9')
        return NULL;
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

static const char *num_end(const char *p)
{
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (!(p = digits(p)))
        return NULL;
    if (*p == '.' && !(p = digits(p + 1)))
        return NULL;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(p = digits(p)))
            return NULL;
    }
    return p;
}

static const char *value_end(const char *p, int depth);

/* Past the object or array starting at p, or NULL. */
static const char *group_end(const char *p, int depth)
{
    char close = *p == '{' ? '}' : ']';
    if (depth >= MAX_DEPTH)
        return NULL;
    p = ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (close == '}') {
            if (*p != '"' || !(p = str_end(p)))
                return NULL;
            p = ws(p);
            if (*p != ':')
                return NULL;
            p = ws(p + 1);
        }
        if (!(p = value_end(p, depth + 1)))
            return NULL;
        p = ws(p);
        if (*p == close)
            return p + 1;
        if (*p != ',')
            return NULL;
        p = ws(p + 1);
    }
}

static const char *value_end(const char *p, int depth)
{
    switch (*p) {
    case '"':
        return str_end(p);
    case '{':
    case '[':
        return group_end(p, depth);
    case 't':
        return strncmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f':
        return strncmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n':
        return strncmp(p, "null", 4) == 0 ? p + 4 : NULL;
    default:
        return num_end(p);
    }
}

int tsk_jspan_valid(const char *text, char open)
{
    const char *p = text ? ws(text) : NULL;
    if (!p || *p != open)
        return 0;
    const char *e = value_end(p, 0);
    return e && *ws(e) == '\0';
}

size_t tsk_jspan_skip(const char *p)
{
    const char *e = p ? value_end(p, 0) : NULL;
    return e ? (size_t)(e - p) : 0;
}

/* Steps through an object's members: begin at the text, then next until
 * it returns 0 (the closing brace, and nothing after it) or -1 (not well
 * formed); 1 gives the member in *m. */
static const char *members_begin(const char *text)
{
    const char *p = text ? ws(text) : NULL;
    return p && *p == '{' ? ws(p + 1) : NULL;
}

static int members_next(const char **pp, struct tsk_jspan *m)
{
    const char *p = *pp;
    if (!p)
        return -1;
    if (*p == '}')
        return *ws(p + 1) ? -1 : 0;
    const char *k = p, *ke, *v, *ve;
    if (*k != '"' || !(ke = str_end(k)))
        return -1;
    p = ws(ke);
    if (*p != ':')
        return -1;
    v = ws(p + 1);
    if (!(ve = value_end(v, 1)))
        return -1;
    *m = (struct tsk_jspan){k + 1, v, (size_t)(ke - k - 2), (size_t)(ve - v)};
    p = ws(ve);
    if (*p == ',') {
        p = ws(p + 1);
        if (*p == '}')
            return -1; /* a trailing comma */
    } else if (*p != '}') {
        return -1;
    }
    *pp = p;
    return 1;
}

int tsk_jspan_split(const char *text, tsk_jspans *out)
{
    const char *p = members_begin(text);
    struct tsk_jspan m;
    int rc;
    while ((rc = members_next(&p, &m)) == 1)
        *TSK_ARRAY_PUSH(*out) = m;
    return rc;
}

int tsk_jspan_member(const char *text, const char *name, size_t n,
                     struct tsk_jspan *out)
{
    const char *p = members_begin(text);
    int rc;
    while ((rc = members_next(&p, out)) == 1)
        if (out->klen == n && memcmp(out->key, name, n) == 0)
            return 1;
    return rc;
}

const struct tsk_jspan *tsk_jspan_find(const struct tsk_jspan *v, size_t nv,
                                       const char *name, size_t n)
{
    for (size_t i = 0; i < nv; i++)
        if (v[i].klen == n && memcmp(v[i].key, name, n) == 0)
            return &v[i];
    return NULL;
}

int tsk_jspan_compact(const char *text, const struct tsk_jspan *v, size_t n)
{
    if (!text || text[0] != '{')
        return 0;
    const char *p = text + 1;
    if (n == 0)
        return p[0] == '}' && p[1] == '\0';
    for (size_t i = 0; i < n; i++) {
        const char *q = v[i].key + v[i].klen; /* the key's closing quote */
        if (*p != '"' || v[i].key != p + 1 || q[1] != ':' || v[i].val != q + 2)
            return 0;
        p = v[i].val + v[i].vlen;
        if (*p++ != (i + 1 < n ? ',' : '}'))
            return 0;
    }
    return *p == '\0';
}

int tsk_jspan_canonical(const char *val, size_t n)
{
    if (n == 4 && (memcmp(val, "true", 4) == 0 || memcmp(val, "null", 4) == 0))
        return 1;
    if (n == 5 && memcmp(val, "false", 5) == 0)
        return 1;
    if (n >= 2 && val[0] == '"')
        return memchr(val + 1, '\\', n - 2) == NULL;
    size_t i = n && val[0] == '-';
    if (i == n || n - i > 15)
        return 0;
    if (val[i] == '0')
        return n == 1; /* "0"; not "-0", not "01" */
    for (; i < n; i++)
        if (val[i] < '0' || val[i] > '9')
            return 0;
    return 1;
}

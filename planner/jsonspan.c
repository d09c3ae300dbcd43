/* jsonspan.c - an object's members as key/value spans of its text. */
#include "planner/jsonspan.h"

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

/* Past the string starting at p (on its '"'), or NULL. Escapes are
 * checked as cJSON checks them (surrogates must pair), so a text this
 * accepts cJSON reads too. */
static const char *str_end(const char *p)
{
    for (p++; *p != '"'; p++) {
        if ((unsigned char)*p < 0x20)
            return NULL; /* control character or the end */
        if (*p != '\\')
            continue;
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

size_t tsk_jspan_skip(const char *p)
{
    const char *e = p ? value_end(p, 0) : NULL;
    return e ? (size_t)(e - p) : 0;
}

int tsk_jspan_split(const char *text, tsk_jspans *out)
{
    const char *p = text ? ws(text) : NULL;
    if (!p || *p != '{')
        return -1;
    p = ws(p + 1);
    if (*p == '}')
        return *ws(p + 1) ? -1 : 0;
    for (;;) {
        const char *k = p, *ke, *v, *ve;
        if (*k != '"' || !(ke = str_end(k)))
            return -1;
        p = ws(ke);
        if (*p != ':')
            return -1;
        v = ws(p + 1);
        if (!(ve = value_end(v, 1)))
            return -1;
        *TSK_ARRAY_PUSH(*out) = (struct tsk_jspan){
            k + 1, v, (size_t)(ke - k - 2), (size_t)(ve - v)};
        p = ws(ve);
        if (*p == '}')
            return *ws(p + 1) ? -1 : 0;
        if (*p != ',')
            return -1;
        p = ws(p + 1);
    }
}

const struct tsk_jspan *tsk_jspan_find(const struct tsk_jspan *v, size_t nv,
                                       const char *name, size_t n)
{
    for (size_t i = 0; i < nv; i++)
        if (v[i].klen == n && memcmp(v[i].key, name, n) == 0)
            return &v[i];
    return NULL;
}

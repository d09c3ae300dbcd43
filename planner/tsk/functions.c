/*
 * functions.c - the @ functions. Pure ones (@env @file @json @date @if
 * @string @base64 @hash) are evaluated; every other name is rejected where
 * it is written, also in a branch that is not taken.
 */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

enum fn { FN_ENV, FN_FILE, FN_JSON, FN_DATE, FN_IF, FN_STRING, FN_BASE64,
          FN_HASH, FN__COUNT };

static const char *const fn_names[FN__COUNT] = {
    "env", "file", "json", "date", "if", "string", "base64", "hash",
};

/* Functions of the TuskLang SDKs that do I/O: named as such. */
static const char *const io_fns[] = {
    "query", "cache", "request", "graphql", "mongodb", "redis", "postgresql",
    "mysql", "sqlite", "learn", "optimize", "metrics", "http", "fetch",
    "shell", "exec", "time", "now", "random", "uuid",
};

#define SUPPORTED_LIST "@env, @file, @json, @date, @if, @string, @base64, @hash"

static struct tsk_value err_at(const struct tsk_pos *pos)
{
    struct tsk_value v = {0};
    memset(&v, 0, sizeof(v));
    v.kind = TSK_V_ERR;
    v.pos = *pos;
    return v;
}

static int lookup_fn(const char *s, size_t n)
{
    for (int i = 0; i < FN__COUNT; i++)
        if (strlen(fn_names[i]) == n && memcmp(fn_names[i], s, n) == 0)
            return i;
    return -1;
}

static void report_unsupported(struct tsk_parser *p, const struct tsk_pos *at,
                               const char *s, size_t n)
{
    int io = 0;
    for (size_t i = 0; i < sizeof(io_fns) / sizeof(*io_fns); i++)
        if (strlen(io_fns[i]) == n && memcmp(io_fns[i], s, n) == 0)
            io = 1;
    char name[64];
    snprintf(name, sizeof(name), "%.*s", (int)(n < 60 ? n : 60), s);
    if (io) {
        tsk_diag_error(p->d, at, "@%s is not supported: configuration must be "
                                 "deterministic", name);
    } else {
        tsk_diag_error(p->d, at, "@%s is not supported: unknown function",
                       name);
        const char *dym = tsk_did_you_mean(name, fn_names, FN__COUNT);
        if (dym)
            tsk_diag_detail(p->d, "did you mean @%s?", dym);
    }
    tsk_diag_detail(p->d, "supported functions: " SUPPORTED_LIST);
}

static const char *an(enum tsk_vkind k)
{
    return k == TSK_V_INT || k == TSK_V_ARRAY ? "an" : "a";
}

static int need_string(struct tsk_parser *p, const struct tsk_pos *at,
                       const char *fn, int argno, const struct tsk_value *v)
{
    if (v->kind == TSK_V_STRING)
        return 0;
    tsk_diag_error(p->d, at, "@%s: argument %d must be a string, not %s %s",
                   fn, argno, an(v->kind), tsk_vkind_name(v->kind));
    return -1;
}

/* ---- @env ----------------------------------------------------------- */

static struct tsk_value fn_env(struct tsk_parser *p, const struct tsk_pos *at,
                               struct tsk_value *a, int n)
{
    if (need_string(p, at, "env", 1, &a[0]) < 0)
        return err_at(at);
    if (memchr(a[0].u.str.s, '\0', a[0].u.str.len)) {
        tsk_diag_error(p->d, at, "@env: the variable name contains a NUL");
        return err_at(at);
    }
    const char *val = getenv(a[0].u.str.s);
    if (!val) {
        if (n < 2) {
            tsk_diag_error(p->d, at, "@env: environment variable %s is not set",
                           a[0].u.str.s);
            tsk_diag_detail(p->d, "set it, or give a default: @env(\"%s\", "
                                  "\"value\")", a[0].u.str.s);
            return err_at(at);
        }
        struct tsk_value v = a[1];
        v.pos = *at;
        return v;
    }
    size_t len = strlen(val);
    struct tsk_value v = {0};
    memset(&v, 0, sizeof(v));
    v.pos = *at;
    enum tsk_vkind want = n >= 2 ? a[1].kind : TSK_V_STRING;
    if (len != tsk_utf8_valid_prefix(val, len)) {
        tsk_diag_error(p->d, at, "@env: the value of %s is not UTF-8 text",
                       a[0].u.str.s);
        return err_at(at);
    }
    switch (want) {
    case TSK_V_INT: {
        const char *s = val;
        char *end;
        if (*s == '+')
            s++;
        int ok = *s == '-' ? (s[1] >= '0' && s[1] <= '9')
                           : (*s >= '0' && *s <= '9');
        errno = 0;
        long long x = ok ? strtoll(s, &end, 10) : 0;
        if (!ok || *end || errno) {
            tsk_diag_error(p->d, at, "@env: %s=\"%s\" is not an integer (the "
                                     "default is an integer)",
                           a[0].u.str.s, val);
            return err_at(at);
        }
        v.kind = TSK_V_INT;
        v.u.i = x;
        return v;
    }
    case TSK_V_DOUBLE: {
        char *end;
        int ok = len > 0 && !strchr(" \t\n\r\f\v", val[0]) &&
                 !strpbrk(val, "xXpP") && !strpbrk(val, "nN") &&
                 !strpbrk(val, "iI");
        errno = 0;
        double x = ok ? strtod(val, &end) : 0;
        if (!ok || *end || !isfinite(x)) {
            tsk_diag_error(p->d, at, "@env: %s=\"%s\" is not a number (the "
                                     "default is a double)",
                           a[0].u.str.s, val);
            return err_at(at);
        }
        v.kind = TSK_V_DOUBLE;
        v.u.d = x;
        return v;
    }
    case TSK_V_BOOL:
        if (strcmp(val, "true") == 0 || strcmp(val, "false") == 0) {
            v.kind = TSK_V_BOOL;
            v.u.b = val[0] == 't';
            return v;
        }
        tsk_diag_error(p->d, at, "@env: %s=\"%s\" is not a boolean (the "
                                 "default is a boolean)",
                       a[0].u.str.s, val);
        tsk_diag_detail(p->d, "a boolean is written true or false");
        return err_at(at);
    default:
        return tsk_str_value(p->doc, val, len, at);
    }
}

/* ---- @file ---------------------------------------------------------- */

static struct tsk_value fn_file(struct tsk_parser *p, const struct tsk_pos *at,
                                struct tsk_value *a)
{
    if (need_string(p, at, "file", 1, &a[0]) < 0)
        return err_at(at);
    const char *rel = a[0].u.str.s;
    char *full;
    const char *slash = p->path ? strrchr(p->path, '/') : NULL;
    if (rel[0] == '/' || !slash)
        full = tsk_xstrdup(rel);
    else
        full = tsk_xasprintf("%.*s/%s", (int)(slash - p->path), p->path, rel);
    struct tsk_buf b = TSK_BUF_INIT;
    int rc = tsk_load_read(p->opts, full, &b);
    if (rc != 0) {
        tsk_diag_error(p->d, at, "@file: cannot read %s: %s", full,
                       errno ? strerror(errno) : "read failed");
        free(full);
        tsk_buf_release(&b);
        return err_at(at);
    }
    if (tsk_utf8_valid_prefix(b.ptr, b.len) != b.len) {
        tsk_diag_error(p->d, at, "@file: %s is not UTF-8 text", full);
        free(full);
        tsk_buf_release(&b);
        return err_at(at);
    }
    struct tsk_value v = tsk_str_value(p->doc, b.ptr, b.len, at);
    free(full);
    tsk_buf_release(&b);
    return v;
}

/* ---- @string, @base64, @hash ------------------------------------------ */

static struct tsk_value fn_string(struct tsk_parser *p, const struct tsk_pos *at,
                                  struct tsk_value *a)
{
    if (need_string(p, at, "string", 1, &a[0]) < 0 ||
        need_string(p, at, "string", 2, &a[1]) < 0)
        return err_at(at);
    const char *op = a[0].u.str.s, *s = a[1].u.str.s;
    size_t n = a[1].u.str.len;
    if (strcmp(op, "length") == 0) {
        struct tsk_value v = {0};
        v.kind = TSK_V_INT;
        v.pos = *at;
        int64_t cps = 0;
        for (size_t i = 0; i < n; i++)
            cps += ((unsigned char)s[i] & 0xC0) != 0x80;
        v.u.i = cps;
        return v;
    }
    if (strcmp(op, "trim") == 0) {
        size_t b = 0, e = n;
        while (b < e && strchr(" \t\n\r\f\v", s[b]) && s[b])
            b++;
        while (e > b && strchr(" \t\n\r\f\v", s[e - 1]) && s[e - 1])
            e--;
        return tsk_str_value(p->doc, s + b, e - b, at);
    }
    int up = strcmp(op, "upper") == 0;
    if (up || strcmp(op, "lower") == 0) {
        struct tsk_value v = tsk_str_value(p->doc, s, n, at);
        char *w = (char *)v.u.str.s;
        for (size_t i = 0; i < n; i++) {
            if (up && w[i] >= 'a' && w[i] <= 'z')
                w[i] = (char)(w[i] - 32);
            else if (!up && w[i] >= 'A' && w[i] <= 'Z')
                w[i] = (char)(w[i] + 32);
        }
        return v;
    }
    tsk_diag_error(p->d, at, "@string: unknown operation \"%s\"", op);
    tsk_diag_detail(p->d, "operations: upper, lower, trim, length");
    return err_at(at);
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static struct tsk_value fn_base64(struct tsk_parser *p, const struct tsk_pos *at,
                                  struct tsk_value *a)
{
    if (need_string(p, at, "base64", 1, &a[0]) < 0 ||
        need_string(p, at, "base64", 2, &a[1]) < 0)
        return err_at(at);
    const unsigned char *s = (const unsigned char *)a[1].u.str.s;
    size_t n = a[1].u.str.len;
    struct tsk_buf *o = &p->sbuf;
    tsk_buf_reset(o);
    if (strcmp(a[0].u.str.s, "encode") == 0) {
        for (size_t i = 0; i < n; i += 3) {
            uint32_t x = (uint32_t)s[i] << 16;
            if (i + 1 < n)
                x |= (uint32_t)s[i + 1] << 8;
            if (i + 2 < n)
                x |= s[i + 2];
            char q[4] = {b64chars[x >> 18], b64chars[(x >> 12) & 63],
                         i + 1 < n ? b64chars[(x >> 6) & 63] : '=',
                         i + 2 < n ? b64chars[x & 63] : '='};
            tsk_buf_add(o, q, 4);
        }
        return tsk_str_value(p->doc, o->ptr, o->len, at);
    }
    if (strcmp(a[0].u.str.s, "decode") == 0) {
        uint32_t acc = 0;
        int bits = 0, pad = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = s[i];
            if (c == '=') {
                pad++;
                continue;
            }
            const char *f = c ? strchr(b64chars, c) : NULL;
            if (!f || pad) {
                tsk_diag_error(p->d, at, "@base64: invalid base64 text (at "
                                         "byte %zu)", i);
                return err_at(at);
            }
            acc = (acc << 6) | (uint32_t)(f - b64chars);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                tsk_buf_addch(o, (char)((acc >> bits) & 0xFF));
            }
        }
        if (pad > 2 || (n % 4 != 0 && pad) || bits >= 6) {
            tsk_diag_error(p->d, at, "@base64: invalid base64 text (bad "
                                     "length or padding)");
            return err_at(at);
        }
        if (tsk_utf8_valid_prefix(o->ptr, o->len) != o->len) {
            tsk_diag_error(p->d, at, "@base64: the decoded data is not UTF-8 "
                                     "text");
            return err_at(at);
        }
        return tsk_str_value(p->doc, o->ptr, o->len, at);
    }
    tsk_diag_error(p->d, at, "@base64: unknown operation \"%s\"",
                   a[0].u.str.s);
    tsk_diag_detail(p->d, "operations: encode, decode");
    return err_at(at);
}

static struct tsk_value fn_hash(struct tsk_parser *p, const struct tsk_pos *at,
                                struct tsk_value *a)
{
    if (need_string(p, at, "hash", 1, &a[0]) < 0 ||
        need_string(p, at, "hash", 2, &a[1]) < 0)
        return err_at(at);
    const EVP_MD *md = NULL;
    if (strcmp(a[0].u.str.s, "sha256") == 0)
        md = EVP_sha256();
    else if (strcmp(a[0].u.str.s, "md5") == 0)
        md = EVP_md5();
    if (!md) {
        tsk_diag_error(p->d, at, "@hash: unknown algorithm \"%s\"",
                       a[0].u.str.s);
        tsk_diag_detail(p->d, "algorithms: sha256, md5");
        return err_at(at);
    }
    unsigned char dig[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    if (!EVP_Digest(a[1].u.str.s, a[1].u.str.len, dig, &dl, md, NULL)) {
        tsk_diag_error(p->d, at, "@hash: %s is not available", a[0].u.str.s);
        return err_at(at);
    }
    char hex[EVP_MAX_MD_SIZE * 2];
    for (unsigned i = 0; i < dl; i++) {
        hex[2 * i] = "0123456789abcdef"[dig[i] >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[dig[i] & 15];
    }
    return tsk_str_value(p->doc, hex, dl * 2, at);
}

/* ---- @json, @date --------------------------------------------------- */

static struct tsk_value fn_json(struct tsk_parser *p, const struct tsk_pos *at,
                                struct tsk_value *a)
{
    if (need_string(p, at, "json", 1, &a[0]) < 0)
        return err_at(at);
    struct tsk_value v = {0};
    size_t off = 0;
    const char *msg = NULL;
    if (tsk_json_parse(p->doc, a[0].u.str.s, a[0].u.str.len, at, &v, &off,
                       &msg) < 0) {
        tsk_diag_error(p->d, at, "@json: invalid JSON at byte %zu: %s", off,
                       msg);
        return err_at(at);
    }
    return v;
}

static struct tsk_value fn_date(struct tsk_parser *p, const struct tsk_pos *at,
                                struct tsk_value *a)
{
    if (need_string(p, at, "date", 1, &a[0]) < 0)
        return err_at(at);
    int64_t now;
    long usec = 0;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    if (sde && *sde && (now = strtoll(sde, &end, 10), *end == '\0')) {
        /* reproducible builds: a fixed clock */
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        now = ts.tv_sec;
        usec = ts.tv_nsec / 1000;
    }
    tsk_diag_warning(p->d, at, "@date reads the clock: the configuration, and "
                               "so the plan, differs from run to run");
    struct tsk_buf *o = &p->sbuf;
    tsk_buf_reset(o);
    tsk_php_date(o, a[0].u.str.s, a[0].u.str.len, now, usec);
    return tsk_str_value(p->doc, o->ptr, o->len, at);
}

/* ---- the call ------------------------------------------------------- */

#define MAX_ARGS 8

struct tsk_value tsk_p_call(struct tsk_parser *p)
{
    struct tsk_token ft = p->tok;
    const struct tsk_pos at = ft.pos;
    const char *name = tsk_tok_text(&p->lx, &ft) + 1;
    size_t nlen = ft.len - 1;
    int fn = lookup_fn(name, nlen);
    if (fn < 0)
        report_unsupported(p, &at, name, nlen);
    tsk_p_next(p);
    if (p->tok.kind != TSK_T_LPAREN) {
        if (fn >= 0)
            tsk_p_syntax(p, &at, "expected '(' after @%.*s", (int)nlen, name);
        else
            p->perr = 1;
        return err_at(&at);
    }
    struct tsk_pos open = p->tok.pos;
    p->paren++;
    p->nest++;
    tsk_p_next(p);
    struct tsk_value args[MAX_ARGS];
    int n = 0, failed = 0, evaluating = fn >= 0 && !p->skip;
    int cond = -1; /* @if: the branch to take, -1 = none */
    if (fn < 0)
        p->skip++;
    while (p->tok.kind != TSK_T_RPAREN) {
        int skip_this = 0;
        if (fn == FN_IF && (n == 1 || n == 2))
            skip_this = evaluating && cond != (n == 1 ? 1 : 0);
        if (fn == FN_IF && n >= 1 && cond < 0)
            skip_this = 1;
        if (skip_this)
            p->skip++;
        struct tsk_value v = tsk_p_expr(p);
        if (skip_this)
            p->skip--;
        if (tsk_p_failed(p))
            goto out;
        if (n < MAX_ARGS)
            args[n] = v;
        if (v.kind == TSK_V_ERR && !skip_this)
            failed = 1;
        if (fn == FN_IF && n == 0 && evaluating && v.kind != TSK_V_ERR) {
            if (v.kind != TSK_V_BOOL) {
                tsk_diag_error(p->d, &at, "@if: the condition must be a "
                                          "boolean, not %s %s",
                               an(v.kind), tsk_vkind_name(v.kind));
                tsk_diag_detail(p->d, "there is no truthiness: compare "
                                      "explicitly, e.g. $n != 0");
                failed = 1;
            } else {
                cond = v.u.b;
            }
        }
        n++;
        if (p->tok.kind == TSK_T_COMMA) {
            tsk_p_next(p);
            continue;
        }
        if (p->tok.kind != TSK_T_RPAREN) {
            if (p->tok.kind == TSK_T_EOF)
                tsk_p_syntax(p, &open, "unclosed '(' of @%.*s", (int)nlen, name);
            else
                tsk_p_syntax(p, &p->tok.pos, "expected ',' or ')' in the "
                                             "arguments of @%.*s, found %s",
                             (int)nlen, name, tsk_tok_name(p->tok.kind));
            goto out;
        }
    }
    if (fn < 0)
        p->skip--;
    p->paren--;
    p->nest--;
    tsk_p_next(p);
    if (fn < 0 || tsk_p_failed(p))
        return err_at(&at);
    if (p->skip) {
        struct tsk_value v = {0};
        memset(&v, 0, sizeof(v));
        v.pos = at;
        return v;
    }
    static const int min_args[FN__COUNT] = {1, 1, 1, 1, 3, 2, 2, 2};
    static const int max_args[FN__COUNT] = {2, 1, 1, 1, 3, 2, 2, 2};
    if (n < min_args[fn] || n > max_args[fn]) {
        static const char *const usage[FN__COUNT] = {
            "@env(\"NAME\") or @env(\"NAME\", default)", "@file(\"path\")",
            "@json(\"text\")", "@date(\"format\")",
            "@if(condition, then, else)",
            "@string(\"upper\"|\"lower\"|\"trim\"|\"length\", text)",
            "@base64(\"encode\"|\"decode\", text)",
            "@hash(\"sha256\"|\"md5\", text)",
        };
        tsk_diag_error(p->d, &at, "@%s takes %d%s argument%s, not %d",
                       fn_names[fn], min_args[fn],
                       max_args[fn] > min_args[fn] ? " or 2" : "",
                       max_args[fn] == 1 ? "" : "s", n);
        tsk_diag_detail(p->d, "usage: %s", usage[fn]);
        return err_at(&at);
    }
    if (failed)
        return err_at(&at);
    switch (fn) {
    case FN_ENV: return fn_env(p, &at, args, n);
    case FN_FILE: return fn_file(p, &at, args);
    case FN_JSON: return fn_json(p, &at, args);
    case FN_DATE: return fn_date(p, &at, args);
    case FN_IF: {
        struct tsk_value v = args[cond ? 1 : 2];
        return v;
    }
    case FN_STRING: return fn_string(p, &at, args);
    case FN_BASE64: return fn_base64(p, &at, args);
    case FN_HASH: return fn_hash(p, &at, args);
    }
    return err_at(&at);
out:
    if (fn < 0)
        p->skip--;
    return err_at(&at);
}

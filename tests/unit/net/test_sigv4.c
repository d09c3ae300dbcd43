/*
 * test_sigv4.c - SigV4 against every vector in ../shared/sigv4-vectors/
 * (both suites), then against botocore's SigV4Auth/S3SigV4Auth on generated
 * requests (botocore_sign.py, run with python3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "providers/net/aws.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define BOTO_TOKEN                                                             \
    "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
#define T_2015 ((time_t)1440938160) /* 2015-08-30T12:36:00Z */

static char *shared_dir(void)
{
    const char *s = getenv("TSK_SHARED");
    char *p;
    struct stat st;
    if (s && *s)
        p = tsk_xasprintf("%s/sigv4-vectors", s);
    else if ((s = getenv("TSK_SRC")) && *s)
        p = tsk_xasprintf("%s/../shared/sigv4-vectors", s);
    else
        p = tsk_xasprintf("%s/../../../../shared/sigv4-vectors", __FILE__);
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        fail_msg("SigV4 vectors not found at %s: set TSK_SHARED to the "
                 "shared directory that holds sigv4-vectors/",
                 p);
    return p;
}

static char *slurp(const char *path)
{
    struct tsk_buf b = TSK_BUF_INIT;
    if (tsk_read_file(path, &b) != 0)
        fail_msg("cannot read %s", path);
    return tsk_buf_detach(&b, NULL);
}

struct rawreq {
    char *method, *path, *query, *body;
    struct tsk_http_hdrs h;
};

/* Parses "METHOD PATH[?QUERY] HTTP/1.1", headers, blank line, body. */
static void parse_req(const char *text, struct rawreq *r)
{
    const char *eol = strchr(text, '\n'), *sp1, *sp2, *s;
    char *line;
    memset(r, 0, sizeof(*r));
    assert_non_null(eol);
    line = tsk_xstrndup(text, (size_t)(eol - text));
    sp1 = strchr(line, ' ');
    sp2 = strrchr(line, ' ');
    assert_true(sp1 && sp2 > sp1);
    r->method = tsk_xstrndup(line, (size_t)(sp1 - line));
    char *target = tsk_xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
    char *q = strchr(target, '?');
    r->query = tsk_xstrdup(q ? q + 1 : "");
    if (q)
        *q = '\0';
    r->path = target;
    free(line);
    s = eol + 1;
    while (*s && *s != '\n') {
        const char *e = strchr(s, '\n'), *c;
        size_t n = e ? (size_t)(e - s) : strlen(s);
        c = memchr(s, ':', n);
        assert_non_null(c);
        char *name = tsk_xstrndup(s, (size_t)(c - s));
        char *val = tsk_xstrndup(c + 1, n - (size_t)(c - s) - 1);
        tsk_http_hdrs_add(&r->h, name, val);
        free(name);
        free(val);
        s += n;
        if (*s == '\n')
            s++;
    }
    r->body = tsk_xstrdup(*s == '\n' ? s + 1 : "");
}

static void free_req(struct rawreq *r)
{
    free(r->method);
    free(r->path);
    free(r->query);
    free(r->body);
    tsk_http_hdrs_release(&r->h);
}

static void expect_file(const char *path, const char *got)
{
    char *want = slurp(path);
    size_t n = strlen(want);
    while (n && want[n - 1] == '\n')
        want[--n] = '\0';
    if (strcmp(want, got) != 0)
        fail_msg("%s differs:\n--- want\n%s\n--- got\n%s", path, want, got);
    free(want);
}

static void sign_raw(struct rawreq *r, const struct tsk_sigv4_params *p,
                     struct tsk_sigv4_result *res)
{
    struct tsk_sigv4_msg m = {r->method, r->path, r->query,
                              &r->h,     r->body, strlen(r->body)};
    assert_int_equal(tsk_sigv4_sign(p, &m, res), 0);
}

static void test_botocore_suite(void **st)
{
    (void)st;
    char *root = shared_dir();
    char *dir = tsk_xasprintf("%s/botocore-aws4_testsuite", root);
    DIR *dh = opendir(dir);
    struct dirent *de;
    int cases = 0;
    if (!dh)
        fail_msg("cannot open %s", dir);
    while ((de = readdir(dh))) {
        const char *c = de->d_name;
        if (c[0] == '.' || !strcmp(c, "LICENSE") || !strcmp(c, "NOTICE"))
            continue;
        char *base = tsk_xasprintf("%s/%s/%s", dir, c, c);
        char *path = tsk_xasprintf("%s.req", base), *text = slurp(path);
        struct rawreq r;
        struct tsk_sigv4_result res;
        struct tsk_sigv4_params p = {AKID,      SECRET, NULL, "us-east-1",
                                     "service", T_2015, 0,    NULL};
        if (strstr(c, "session-token"))
            p.session_token = BOTO_TOKEN;
        parse_req(text, &r);
        sign_raw(&r, &p, &res);
        free(path);
        path = tsk_xasprintf("%s.creq", base);
        expect_file(path, res.canonical_request);
        free(path);
        path = tsk_xasprintf("%s.sts", base);
        expect_file(path, res.string_to_sign);
        free(path);
        path = tsk_xasprintf("%s.authz", base);
        expect_file(path, res.authorization);
        assert_string_equal(tsk_http_hdrs_get(&r.h, "authorization"),
                            res.authorization);
        free(path);
        free(text);
        free(base);
        free_req(&r);
        tsk_sigv4_result_release(&res);
        cases++;
    }
    closedir(dh);
    if (cases < 16)
        fail_msg("only %d botocore vector cases found in %s (want 16)", cases,
                 dir);
    free(dir);
    free(root);
}

static time_t iso_time(const char *s)
{
    struct tm tm = {0};
    assert_non_null(strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm));
    return timegm(&tm);
}

static void check_cauth_case(const char *dir)
{
    char *path = tsk_xasprintf("%s/context.json", dir), *text = slurp(path);
    cJSON *ctx = cJSON_Parse(text), *cr;
    struct tsk_sigv4_params p = {0};
    struct tsk_sigv4_result res;
    struct rawreq r;
    assert_non_null(ctx);
    cr = cJSON_GetObjectItem(ctx, "credentials");
    p.access_key_id =
        cJSON_GetStringValue(cJSON_GetObjectItem(cr, "access_key_id"));
    p.secret_access_key =
        cJSON_GetStringValue(cJSON_GetObjectItem(cr, "secret_access_key"));
    p.session_token = cJSON_GetStringValue(cJSON_GetObjectItem(cr, "token"));
    p.region = cJSON_GetStringValue(cJSON_GetObjectItem(ctx, "region"));
    p.service = cJSON_GetStringValue(cJSON_GetObjectItem(ctx, "service"));
    p.when =
        iso_time(cJSON_GetStringValue(cJSON_GetObjectItem(ctx, "timestamp")));
    if (cJSON_IsFalse(cJSON_GetObjectItem(ctx, "normalize")))
        p.flags |= TSK_SIGV4_S3;
    if (cJSON_IsTrue(cJSON_GetObjectItem(ctx, "sign_body")))
        p.flags |= TSK_SIGV4_CONTENT_SHA;
    if (cJSON_IsTrue(cJSON_GetObjectItem(ctx, "omit_session_token")))
        p.flags |= TSK_SIGV4_TOKEN_UNSIGNED;
    free(path);
    free(text);
    path = tsk_xasprintf("%s/request.txt", dir);
    text = slurp(path);
    parse_req(text, &r);
    sign_raw(&r, &p, &res);
    free(path);
    path = tsk_xasprintf("%s/header-canonical-request.txt", dir);
    expect_file(path, res.canonical_request);
    free(path);
    path = tsk_xasprintf("%s/header-string-to-sign.txt", dir);
    expect_file(path, res.string_to_sign);
    free(path);
    path = tsk_xasprintf("%s/header-signature.txt", dir);
    expect_file(path, res.signature);
    free(path);
    /* the Authorization line of the signed request, and the token header */
    free(text);
    path = tsk_xasprintf("%s/header-signed-request.txt", dir);
    text = slurp(path);
    char *a = strstr(text, "\nAuthorization:");
    assert_non_null(a);
    a += strlen("\nAuthorization:");
    a[strcspn(a, "\n")] = '\0';
    assert_string_equal(a, res.authorization);
    if (p.session_token)
        assert_string_equal(tsk_http_hdrs_get(&r.h, "x-amz-security-token"),
                            p.session_token);
    free(path);
    free(text);
    free_req(&r);
    tsk_sigv4_result_release(&res);
    cJSON_Delete(ctx);
}

static void test_aws_c_auth_suite(void **st)
{
    (void)st;
    char *root = shared_dir();
    char *dir = tsk_xasprintf("%s/aws-c-auth-v4", root);
    DIR *dh = opendir(dir);
    struct dirent *de;
    int cases = 0;
    if (!dh)
        fail_msg("cannot open %s", dir);
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "LICENSE") ||
            !strcmp(de->d_name, "NOTICE"))
            continue;
        char *c = tsk_xasprintf("%s/%s", dir, de->d_name);
        check_cauth_case(c);
        free(c);
        cases++;
    }
    closedir(dh);
    if (cases < 11)
        fail_msg("only %d aws-c-auth vector cases in %s (want 11)", cases, dir);
    free(dir);
    free(root);
}

static void test_bad_input(void **st)
{
    (void)st;
    struct tsk_http_hdrs h = {0};
    struct tsk_sigv4_params p = {AKID,      SECRET, NULL, "us-east-1",
                                 "service", T_2015, 0,    NULL};
    struct tsk_sigv4_msg m = {"GET", "/", NULL, &h, NULL, 0};
    assert_int_equal(tsk_sigv4_sign(&p, &m, NULL), TSK_EINVAL); /* no Host */
    tsk_http_hdrs_add(&h, "Host", "x");
    p.secret_access_key = NULL;
    assert_int_equal(tsk_sigv4_sign(&p, &m, NULL), TSK_EINVAL);
    p.secret_access_key = SECRET;
    m.path = "/../../%zz%/a b?";
    m.query = "&&=&%&%4&a=%ZZ";
    assert_int_equal(tsk_sigv4_sign(&p, &m, NULL), 0);
    tsk_http_hdrs_release(&h);
}

/* ---- cross-check with botocore ------------------------------------------ */

static const char *const raw_paths[] = {
    "/",
    "/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fn/"
    "configuration",
    "/v2/apis/abc/stages/$default",
    "/my dir/\xe1\x88\xb4/\xc3\xbc file",
    "/bucket/key with space/\xe6\x97\xa5\xe6\x9c\xac.txt",
    "/x/./y/../z",
    "/bucket/a//b/",
    "/~user/A-Z_0.9/+plus",
};

static const char *const queries[] = {
    "",
    "b=2&a=1&a=0&empty=",
    "flag&=x&k=v%20w",
    "Action=List&Marker=a%2Fb%3D&max-items=10",
    "%E1%88%B4=bar&z=1&Z=2&z=",
    "notification",
};

/* Encodes each segment of a raw path, as a driver builds a wire path. */
static char *wire_path(const char *raw)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_uri_encode(&b, raw, strlen(raw), 1);
    return tsk_buf_detach(&b, NULL);
}

struct gen {
    char *path, *method, *body, *authz;
    const char *query, *token, *service;
    int s3;
};

static void gen_cases(struct gen *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t pi = i % 8, qi = (i / 8) % 6;
        g[i].path = wire_path(raw_paths[pi]);
        g[i].query = queries[qi];
        g[i].s3 = (i / 3) % 2;
        g[i].service = g[i].s3 ? "s3" : (i % 2 ? "lambda" : "apigateway");
        g[i].token =
            (i % 5 < 2) ? "FQoGZXIvYXdzEXAMPLE//token+with/slashes==" : NULL;
        g[i].method =
            tsk_xstrdup(i % 3 == 0 ? "POST" : (i % 3 == 1 ? "GET" : "PUT"));
        g[i].body = tsk_xstrdup(i % 3 == 1 ? "" : "{\"a\":\"\xc3\xbc b\"}");
    }
}

static cJSON *case_json(const struct gen *g)
{
    cJSON *o = cJSON_CreateObject(), *h = cJSON_AddArrayToObject(o, "headers");
    char *url = tsk_xasprintf("https://example.amazonaws.com%s%s%s", g->path,
                              *g->query ? "?" : "", g->query);
    cJSON_AddStringToObject(o, "method", g->method);
    cJSON_AddStringToObject(o, "url", url);
    if (*g->body) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateString("Content-Type"));
        cJSON_AddItemToArray(pair,
                             cJSON_CreateString("application/x-amz-json-1.1"));
        cJSON_AddItemToArray(h, pair);
    }
    cJSON_AddStringToObject(o, "body", g->body);
    cJSON_AddStringToObject(o, "access_key", "AKIDCROSSCHECK");
    cJSON_AddStringToObject(o, "secret_key",
                            "cross/check+SECRET0123456789abcdefgh");
    if (g->token)
        cJSON_AddStringToObject(o, "token", g->token);
    else
        cJSON_AddNullToObject(o, "token");
    cJSON_AddStringToObject(o, "region", "eu-west-1");
    cJSON_AddStringToObject(o, "service", g->service);
    cJSON_AddBoolToObject(o, "s3", g->s3);
    cJSON_AddNumberToObject(o, "timestamp", 1764195300.0);
    free(url);
    return o;
}

static char *sign_ours(const struct gen *g, char **creq)
{
    struct tsk_http_hdrs h = {0};
    struct tsk_sigv4_params p = {"AKIDCROSSCHECK",
                                 "cross/check+SECRET0123456789abcdefgh",
                                 g->token,
                                 "eu-west-1",
                                 g->service,
                                 (time_t)1764195300,
                                 0,
                                 NULL};
    struct tsk_sigv4_msg m = {g->method, g->path, g->query,
                              &h,        g->body, strlen(g->body)};
    struct tsk_sigv4_result res;
    char *a;
    if (g->s3)
        p.flags = TSK_SIGV4_S3 | TSK_SIGV4_CONTENT_SHA;
    tsk_http_hdrs_add(&h, "Host", "example.amazonaws.com");
    if (*g->body)
        tsk_http_hdrs_add(&h, "Content-Type", "application/x-amz-json-1.1");
    assert_int_equal(tsk_sigv4_sign(&p, &m, &res), 0);
    a = tsk_xstrdup(res.authorization);
    *creq = tsk_xstrdup(res.canonical_request);
    tsk_sigv4_result_release(&res);
    tsk_http_hdrs_release(&h);
    return a;
}

static char *helper_path(void)
{
    const char *src = getenv("TSK_SRC");
    if (src && *src)
        return tsk_xasprintf("%s/tests/unit/net/botocore_sign.py", src);
    return tsk_xasprintf("%s", __FILE__);
}

static void test_botocore_cross_check(void **st)
{
    (void)st;
    enum { N = 48 };
    struct gen g[N];
    cJSON *arr = cJSON_CreateArray(), *out;
    char tmpl[] = "/tmp/tsk-sigv4-XXXXXX";
    int fd = mkstemp(tmpl);
    char *script = helper_path(), *cmd, *text;
    struct tsk_buf res = TSK_BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *p;

    if (!getenv("TSK_SRC") || !*getenv("TSK_SRC")) { /* beside this file */
        char *slash = strrchr(script, '/');
        *slash = '\0';
        char *s2 = tsk_xasprintf("%s/botocore_sign.py", script);
        free(script);
        script = s2;
    }
    assert_true(fd >= 0);
    gen_cases(g, N);
    for (size_t i = 0; i < N; i++)
        cJSON_AddItemToArray(arr, case_json(&g[i]));
    text = cJSON_PrintUnformatted(arr);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    free(text);
    cmd = tsk_xasprintf("python3 '%s' '%s'", script, tmpl);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        tsk_buf_add(&res, chunk, n);
    int rc = pclose(p);
    unlink(tmpl);
    if (rc != 0)
        fail_msg("`%s` failed (status %d): is botocore installed for "
                 "python3? output: %s",
                 cmd, rc, res.ptr);
    out = cJSON_Parse(res.ptr);
    assert_non_null(out);
    assert_int_equal(cJSON_GetArraySize(out), N);
    for (int i = 0; i < N; i++) {
        cJSON *o = cJSON_GetArrayItem(out, i);
        const char *want =
            cJSON_GetStringValue(cJSON_GetObjectItem(o, "authorization"));
        const char *wcr =
            cJSON_GetStringValue(cJSON_GetObjectItem(o, "canonical_request"));
        char *creq, *got = sign_ours(&g[i], &creq);
        assert_non_null(want);
        if (strcmp(want, got) != 0)
            fail_msg("case %d (%s %s?%s, %s%s) differs from botocore:\n"
                     "botocore: %s\nours:     %s\n--- botocore creq\n%s\n"
                     "--- our creq\n%s",
                     i, g[i].method, g[i].path, g[i].query, g[i].service,
                     g[i].token ? ", token" : "", want, got, wcr ? wcr : "?",
                     creq);
        free(got);
        free(creq);
    }
    for (int i = 0; i < N; i++) {
        free(g[i].path);
        free(g[i].method);
        free(g[i].body);
    }
    cJSON_Delete(out);
    cJSON_Delete(arr);
    tsk_buf_release(&res);
    free(script);
    free(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_botocore_suite),
        cmocka_unit_test(test_aws_c_auth_suite),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_botocore_cross_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

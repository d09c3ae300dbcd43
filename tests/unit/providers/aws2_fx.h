/*
 * aws2_fx.h - fixture of the part II driver tests (test_aws2_*.c): the
 * AWS provider configured against the emulator (moto_server at
 * $TSK_MOTO_URL, a clear failure when unset), a role and a function made
 * with the part I drivers for the routing types to point at, and helpers
 * that create, read, update and delete through a type's driver, asserting
 * success. Names carry the process id: tests run in parallel against one
 * emulator. Included by one test program each (static functions).
 */
#ifndef TSK_TEST_AWS2_FX_H
#define TSK_TEST_AWS2_FX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "providers/aws/internal.h"

struct fx {
    struct tsk_pctx *p;
    struct tsk_diags d;
    char dir[64];
    char pfx[32];
    char *role_id, *fn_id, *fn_arn, *fn_name;
};

static const struct tsk_resource_type *type(const char *name)
{
    const struct tsk_resource_type *t =
        tsk_provider_type(&tsk_provider_aws, name);
    if (!t)
        fail_msg("no type %s", name);
    return t;
}

static void print_diags(struct fx *f)
{
    if (f->d.v.n)
        tsk_diags_print(&f->d, stderr, 0);
    tsk_diags_release(&f->d);
    memset(&f->d, 0, sizeof(f->d));
}

static cJSON *parse(const char *js)
{
    cJSON *j = cJSON_Parse(js);
    if (!j)
        fail_msg("bad JSON in the test: %s", js);
    return j;
}

static char *create(struct fx *f, const char *tname, const char *addr,
                    const char *planned_js, cJSON **out)
{
    struct tsk_rcall c = {f->p, addr, "teststack"};
    cJSON *p = parse(planned_js);
    char *id = NULL;
    int rc = type(tname)->create(&c, p, &id, out, &f->d);
    print_diags(f);
    assert_int_equal(rc, 0);
    assert_non_null(id);
    assert_non_null(*out);
    cJSON_Delete(p);
    return id;
}

static cJSON *read_obj(struct fx *f, const char *tname, const char *id,
                       const cJSON *prior)
{
    struct tsk_rcall c = {f->p, "x.y", "teststack"};
    cJSON *out = NULL;
    int rc = type(tname)->read(&c, id, prior, &out, &f->d);
    print_diags(f);
    assert_int_equal(rc, 0);
    return out;
}

static cJSON *update(struct fx *f, const char *tname, const char *addr,
                     const char *id, const cJSON *prior, const char *js)
{
    struct tsk_rcall c = {f->p, addr, "teststack"};
    cJSON *p = parse(js), *out = NULL;
    int rc = type(tname)->update(&c, id, prior, p, &out, &f->d);
    print_diags(f);
    assert_int_equal(rc, 0);
    assert_non_null(out);
    cJSON_Delete(p);
    return out;
}

static void delete_gone(struct fx *f, const char *tname, const char *id,
                        const cJSON *prior)
{
    struct tsk_rcall c = {f->p, "x.y", "teststack"};
    assert_int_equal(type(tname)->delete (&c, id, prior, &f->d), 0);
    assert_int_equal(type(tname)->delete (&c, id, prior, &f->d), 0);
    print_diags(f);
    cJSON *again = read_obj(f, tname, id, prior);
    assert_null(again);
}

static inline void assert_str(const cJSON *o, const char *k, const char *want)
{
    const char *v = aws__jstr(o, k);
    if (!v || strcmp(v, want) != 0)
        fail_msg("%s: got \"%s\", want \"%s\"", k, v ? v : "(none)", want);
}

/* The attributes of want are all in got, equal. */
static void assert_subset(const cJSON *got, const cJSON *want)
{
    for (const cJSON *e = want->child; e; e = e->next) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, e->string);
        if (!g || !cJSON_Compare(g, e, 1)) {
            char *a = g ? cJSON_PrintUnformatted(g) : NULL;
            char *b = cJSON_PrintUnformatted(e);
            fail_msg("%s: got %s, want %s", e->string, a ? a : "(none)", b);
        }
    }
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char *p = tsk_xasprintf("%s/%s", dir, name);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    free(p);
}

static int fx_setup(void **state, const char *tag)
{
    const char *url = getenv("TSK_MOTO_URL");
    if (!url || !*url) {
        fprintf(stderr, "TSK_MOTO_URL is not set: these tests need "
                        "moto_server (run them through `make test`, or start "
                        "`moto_server -H 127.0.0.1 -p PORT` and export "
                        "TSK_MOTO_URL=http://127.0.0.1:PORT)\n");
        return -1;
    }
    setenv("AWS_ENDPOINT_URL", url, 1);
    setenv("AWS_ACCESS_KEY_ID", "testing", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "testing", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("TUSKFORM_POLL_INTERVAL_MS", "100", 1);
    setenv("TUSKFORM_POLL_DEADLINE_MS", "20000", 1);
    struct fx *f = tsk_xcalloc(1, sizeof(*f));
    strcpy(f->dir, "/tmp/tsk-aws2-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    write_file(f->dir, "app.py", "def handler(e, c):\n    return 1\n");
    snprintf(f->pfx, sizeof(f->pfx), "%s%ld", tag, (long)getpid());
    struct tsk_provider_cfg cfg = {f->dir, "teststack", "us-east-1"};
    int rc = tsk_provider_aws.configure(&f->p, &cfg, &f->d);
    print_diags(f);
    assert_int_equal(rc, 0);
    /* a role and a function for the types that point at one */
    cJSON *out = NULL;
    char *js = tsk_xasprintf(
        "{\"name\":\"%s-role\",\"assume_role_policy\":\"{\\\"Version\\\":"
        "\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
        "\\\"Principal\\\":{\\\"Service\\\":\\\"lambda.amazonaws.com\\\"},"
        "\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\"}",
        f->pfx);
    f->role_id = create(f, "aws_iam_role", "aws_iam_role.fn", js, &out);
    char *role = tsk_xstrdup(aws__jstr(out, "arn"));
    cJSON_Delete(out);
    free(js);
    f->fn_name = tsk_xasprintf("%s-fn", f->pfx);
    js = tsk_xasprintf(
        "{\"function_name\":\"%s\",\"role\":\"%s\",\"handler\":\"app.handler\","
        "\"runtime\":\"python3.12\",\"memory_size\":128,\"timeout\":30,"
        "\"filename\":\"%s\"}",
        f->fn_name, role, f->dir);
    f->fn_id =
        create(f, "aws_lambda_function", "aws_lambda_function.fn", js, &out);
    f->fn_arn = tsk_xstrdup(aws__jstr(out, "arn"));
    cJSON_Delete(out);
    free(js);
    free(role);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    if (!f)
        return 0;
    struct tsk_rcall c = {f->p, "x.y", "teststack"};
    if (f->fn_id)
        type("aws_lambda_function")->delete (&c, f->fn_id, NULL, &f->d);
    if (f->role_id)
        type("aws_iam_role")->delete (&c, f->role_id, NULL, &f->d);
    print_diags(f);
    tsk_provider_aws.close(f->p);
    char *cmd = tsk_xasprintf("rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", f->dir);
    free(cmd);
    free(f->role_id);
    free(f->fn_id);
    free(f->fn_arn);
    free(f->fn_name);
    free(f);
    return 0;
}

#endif

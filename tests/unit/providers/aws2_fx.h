/*
 * aws2_fx.h - fixture of the part II driver tests (test_aws2_*.c): the
 * AWS provider configured against the emulator (aws_fx.h: environment and
 * the create/read/update/delete helpers), and a role and a function made
 * with the part I drivers for the routing types to point at. Names carry
 * the process id: tests run in parallel against one emulator. Included by
 * one test program each (static functions).
 */
#ifndef TSK_TEST_AWS2_FX_H
#define TSK_TEST_AWS2_FX_H

#include "aws_fx.h"

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

static int fx_setup(void **state, const char *tag)
{
    if (aws_fx_env() != 0)
        return -1;
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
    aws_fx_rmdir(f->dir);
    free(f->role_id);
    free(f->fn_id);
    free(f->fn_arn);
    free(f->fn_name);
    free(f);
    return 0;
}

#endif

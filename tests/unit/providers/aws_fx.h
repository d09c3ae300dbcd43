/*
 * aws_fx.h - fixture shared by the AWS driver tests that run against the
 * emulator (test_aws_drivers.c, test_aws_mappings.c, aws2_fx.h): the
 * environment pointing the provider at moto_server ($TSK_MOTO_URL, a clear
 * failure when unset), the fixture state, and helpers that create, read,
 * update and delete through a type's driver, asserting success. Included
 * by one test program each; the helpers are static inline so that a
 * program may leave some unused.
 */
#ifndef TSK_TEST_AWS_FX_H
#define TSK_TEST_AWS_FX_H

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

/* One fixture for all the programs: each uses the members it needs. */
struct fx {
    struct tsk_pctx *p;
    struct tsk_diags d;
    char dir[64];
    char pfx[32];
    char *role_id, *role_arn, *fn_id, *fn_arn, *fn_name;
    cJSON *fn;
};

/* Points the provider at the emulator; -1 (with a message) when unset. */
static inline int aws_fx_env(void)
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
    return 0;
}

/* Removes the fixture's folder (a warning when that fails). */
static inline void aws_fx_rmdir(const char *dir)
{
    char *cmd = tsk_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
}

static inline const struct tsk_resource_type *type(const char *name)
{
    const struct tsk_resource_type *t =
        tsk_provider_type(&tsk_provider_aws, name);
    if (!t)
        fail_msg("no type %s", name);
    return t;
}

/* Prints the diagnostics gathered so far, then forgets them. */
static inline void print_diags(struct fx *f)
{
    if (f->d.v.n)
        tsk_diags_print(&f->d, stderr, 0);
    tsk_diags_release(&f->d);
    memset(&f->d, 0, sizeof(f->d));
}

static inline cJSON *parse(const char *js)
{
    cJSON *j = cJSON_Parse(js);
    if (!j)
        fail_msg("bad JSON in the test: %s", js);
    return j;
}

static inline void write_file(const char *dir, const char *name,
                              const char *text)
{
    char *p = tsk_xasprintf("%s/%s", dir, name);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    free(p);
}

/* Creates, checking success; returns the id (caller frees). */
static inline char *create(struct fx *f, const char *tname, const char *addr,
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

static inline cJSON *read_obj(struct fx *f, const char *tname, const char *id,
                              const cJSON *prior)
{
    struct tsk_rcall c = {f->p, "x.y", "teststack"};
    cJSON *out = NULL;
    int rc = type(tname)->read(&c, id, prior, &out, &f->d);
    print_diags(f);
    assert_int_equal(rc, 0);
    return out;
}

static inline cJSON *update(struct fx *f, const char *tname, const char *addr,
                            const char *id, const cJSON *prior,
                            const char *js)
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

/* Deletes twice (deleting what is gone succeeds too), then reads nothing. */
static inline void delete_gone(struct fx *f, const char *tname, const char *id,
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

#endif

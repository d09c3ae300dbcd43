/*
 * local_fx.h - a local provider on a scratch cloud file, for one test
 * (test_local_many, test_local_scan): cmocka setup with the latency and
 * failure knobs set, and teardown, which removes the folder and unsets the
 * knobs. Include cmocka.h and providers/local/internal.h first.
 */
#ifndef TSK_TEST_LOCAL_FX_H
#define TSK_TEST_LOCAL_FX_H

#include <stdlib.h>
#include <string.h>

struct local_fx {
    char dir[64];
    char *path;
    struct tsk_pctx *p;
};

/* latency: TUSKFORM_LOCAL_LATENCY_MS, or NULL for none; fail:
 * TUSKFORM_LOCAL_FAIL. */
static inline int local_fx_open(void **state, const char *latency,
                                const char *fail)
{
    struct local_fx *f = tsk_xcalloc(1, sizeof(*f));
    strcpy(f->dir, "/tmp/tsk-local-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->path = tsk_xasprintf("%s/cloud.db", f->dir);
    if (latency)
        setenv("TUSKFORM_LOCAL_LATENCY_MS", latency, 1);
    else
        unsetenv("TUSKFORM_LOCAL_LATENCY_MS");
    setenv("TUSKFORM_LOCAL_FAIL", fail, 1);
    setenv("TUSKFORM_LOCAL_CLOUD", f->path, 1);
    struct tsk_provider_cfg cfg = {f->dir, "shop", "eu-west-1"};
    struct tsk_diags d = {0};
    assert_int_equal(tsk_local_configure(&f->p, &cfg, &d), 0);
    tsk_diags_release(&d);
    *state = f;
    return 0;
}

static inline int local_fx_teardown(void **state)
{
    struct local_fx *f = *state;
    tsk_local_close(f->p);
    char *cmd = tsk_xasprintf("rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(f->path);
    free(f);
    unsetenv("TUSKFORM_LOCAL_FAIL");
    unsetenv("TUSKFORM_LOCAL_LATENCY_MS");
    return 0;
}

#endif

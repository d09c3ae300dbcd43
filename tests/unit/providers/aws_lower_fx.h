/*
 * aws_lower_fx.h - fixture shared by the lowering tests (test_aws_lower.c,
 * test_aws2_lower.c): a code folder holding app.py, and loading a
 * configuration through the model into an AWS graph. No emulator needed.
 * Included by one test program each (static functions).
 */
#ifndef TSK_TEST_AWS_LOWER_FX_H
#define TSK_TEST_AWS_LOWER_FX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "planner/graph.h"
#include "planner/model.h"
#include "providers/aws/internal.h"

struct low {
    struct tsk_doc *doc;
    struct tsk_model *m;
    struct tsk_graph g;
    struct tsk_diags d;
    int rc;
};

static char dir[64];

/* Makes the code folder from tmpl (a mkdtemp template). */
static int low_setup(const char *tmpl)
{
    strcpy(dir, tmpl);
    if (!mkdtemp(dir))
        return -1;
    char *p = tsk_xasprintf("%s/app.py", dir);
    FILE *f = fopen(p, "w");
    free(p);
    if (!f)
        return -1;
    fputs("def handler(e, c): return 1\n", f);
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = tsk_xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

/* Loads text (each %s is the code folder) and lowers it into l->g;
 * l->rc is the lowering's result. */
static void low_load(struct low *l, const char *fmt)
{
    memset(l, 0, sizeof(*l));
    struct tsk_buf t = TSK_BUF_INIT;
    for (const char *p = fmt; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            tsk_buf_adds(&t, dir);
            p++;
        } else {
            tsk_buf_addch(&t, *p);
        }
    }
    assert_int_equal(tsk_doc_load_string(&l->doc, "t.tsk", t.ptr, t.len, &l->d),
                     0);
    tsk_buf_release(&t);
    int mrc = tsk_model_build(&l->m, l->doc, &l->d);
    if (mrc)
        tsk_diags_print(&l->d, stderr, 0);
    assert_int_equal(mrc, 0);
    tsk_graph_init(&l->g, &tsk_provider_aws, "stack");
    l->rc = tsk_aws_lower(l->m, &l->g, &l->d);
}

static void done(struct low *l)
{
    tsk_graph_free(&l->g);
    tsk_model_free(l->m);
    tsk_diags_release(&l->d);
    tsk_doc_free(l->doc);
}

#endif

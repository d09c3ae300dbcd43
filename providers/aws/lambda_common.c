/*
 * lambda_common.c - helpers shared by the Lambda drivers (function, alias,
 * provisioned concurrency): function paths, the wait for a function (or a
 * version) to be Active with no update in progress, and CreateFunction's
 * retry while a new role is not yet usable (IAM propagation).
 */
#include "providers/aws/internal.h"

#include <stdlib.h>
#include <string.h>

char *aws__fn_path(const char *api, const char *fn, const char *suffix)
{
    struct tsk_buf b = TSK_BUF_INIT;
    tsk_buf_addf(&b, "/%s/functions/", api);
    aws__label(&b, fn);
    if (suffix)
        tsk_buf_adds(&b, suffix);
    return tsk_buf_detach(&b, NULL);
}

/* ---- waiting ------------------------------------------------------------ */

struct wait_ctx {
    const struct tsk_rcall *c;
    const char *fn, *qualifier;
};

static int check_ready(struct tsk_aws *aws, void *arg, struct tsk_diags *d)
{
    struct wait_ctx *w = arg;
    struct tsk_aws_resp r;
    struct tsk_buf q = TSK_BUF_INIT;
    char *path = aws__fn_path("2015-03-31", w->fn, "/configuration");
    struct tsk_aws_req req = {.service = "lambda",
                              .op = "GetFunctionConfiguration",
                              .method = "GET",
                              .path = path};
    (void)aws;
    if (w->qualifier) {
        tsk_aws_form_add(&q, "Qualifier", w->qualifier);
        req.query = q.ptr;
    }
    int rc = aws__call(w->c, &req, &r, 0, d);
    if (rc == 0) {
        const char *st = aws__jstr(r.json, "State");
        const char *up = aws__jstr(r.json, "LastUpdateStatus");
        if ((st && strcmp(st, "Failed") == 0) ||
            (up && strcmp(up, "Failed") == 0)) {
            const char *why = aws__jstr(r.json, st && !strcmp(st, "Failed")
                                                    ? "StateReason"
                                                    : "LastUpdateStatusReason");
            rc = tsk_diag_error(d, NULL, "function %s failed: %s", w->fn,
                                why ? why : "(no reason given)");
            tsk_diag_addr(d, w->c->addr);
        } else {
            rc = (!st || strcmp(st, "Active") == 0) &&
                 (!up || strcmp(up, "InProgress") != 0);
        }
    }
    tsk_aws_resp_release(&r);
    tsk_buf_release(&q);
    free(path);
    return rc;
}

int aws__lambda_wait(const struct tsk_rcall *c, const char *fn,
                     const char *qualifier, struct tsk_diags *d)
{
    struct wait_ctx w = {c, fn, qualifier};
    char *what = tsk_xasprintf("function %s%s%s to become Active", fn,
                               qualifier ? ":" : "", qualifier ? qualifier : "");
    int rc = tsk_aws_wait(c->pctx->aws, what, check_ready, &w, d);
    if (rc && c->addr)
        tsk_diag_addr(d, c->addr);
    free(what);
    return rc;
}

/* The role of a new function may not be usable for a few seconds (IAM
 * propagation): Lambda then answers 400 "cannot be assumed". */
int aws__create_call(const struct tsk_rcall *c, struct tsk_aws_req *req,
                       struct tsk_diags *d)
{
    const struct tsk_retry *rt = tsk_aws_retry(c->pctx->aws);
    long long deadline = tsk_now_ms() + (rt->poll_deadline_ms < 30000
                                             ? rt->poll_deadline_ms
                                             : 30000);
    for (;;) {
        struct tsk_aws_resp r;
        struct tsk_diags scratch = {0};
        int rc = aws__call(c, req, &r, 1, &scratch);
        int again = rc && r.err.code &&
                    !strcmp(r.err.code, "InvalidParameterValueException") &&
                    r.err.message && strstr(r.err.message, "cannot be assumed") &&
                    tsk_now_ms() + rt->poll_interval_ms < deadline;
        tsk_aws_resp_release(&r);
        if (!again) {
            for (size_t i = 0; i < scratch.v.n; i++) {
                const struct tsk_diag *g = &scratch.v.v[i];
                tsk_diag_error(d, &g->pos, "%s", g->summary);
                if (g->detail)
                    tsk_diag_detail(d, "%s", g->detail);
                if (g->addr)
                    tsk_diag_addr(d, g->addr);
            }
            tsk_diags_release(&scratch);
            return rc;
        }
        tsk_diags_release(&scratch);
        tsk_sleep_ms(rt->poll_interval_ms);
    }
}


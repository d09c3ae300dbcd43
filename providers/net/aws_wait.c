/*
 * aws_wait.c - waiting out "in progress" conditions by polling with a
 * deadline (not the retry budget).
 */
#include "providers/net/internal.h"

#include <stdlib.h>

int tsk_aws_wait(struct tsk_aws *aws, const char *what, tsk_aws_check_fn check,
                 void *ctx, struct tsk_diags *d)
{
    const struct tsk_retry *r = tsk_aws_retry(aws);
    long long start = tsk_now_ms(), deadline = start + r->poll_deadline_ms;
    for (int polls = 1;; polls++) {
        int rc = check(aws, ctx, d);
        if (rc < 0)
            return rc;
        if (rc > 0)
            return 0;
        if (tsk_now_ms() + r->poll_interval_ms > deadline) {
            tsk_diag_error(d, NULL, "timed out waiting for %s",
                           what ? what : "a resource");
            tsk_diag_detail(d,
                            "polled %d times over %.1f s "
                            "(TUSKFORM_POLL_DEADLINE_MS=%ld)",
                            polls, (double)(tsk_now_ms() - start) / 1000.0,
                            r->poll_deadline_ms);
            return TSK_ERROR;
        }
        tsk_log(TSK_LOG_DEBUG, "aws: waiting for %s (poll %d)",
                what ? what : "a resource", polls);
        tsk_sleep_ms(r->poll_interval_ms);
    }
}

int tsk_aws_call_wait(struct tsk_aws *aws, const struct tsk_aws_req *req,
                      struct tsk_aws_resp *out, struct tsk_diags *d)
{
    const struct tsk_retry *r = tsk_aws_retry(aws);
    long long start = tsk_now_ms(), deadline = start + r->poll_deadline_ms;
    struct tsk_aws_req q = *req;
    q.quiet |= TSK_AWS_INPROGRESS;
    for (int polls = 1;; polls++) {
        int rc = tsk_aws_call(aws, &q, out, d);
        if (rc == 0 || out->err.cls != TSK_AWS_INPROGRESS)
            return rc;
        if (tsk_now_ms() + r->poll_interval_ms > deadline) {
            if (req->quiet & TSK_AWS_INPROGRESS)
                return rc;
            tsk_diag_error(d, NULL,
                           "%s %s: still in progress after %.1f s: "
                           "%s%s%s",
                           req->service, req->op,
                           (double)(tsk_now_ms() - start) / 1000.0,
                           out->err.code, out->err.message ? ": " : "",
                           out->err.message ? out->err.message : "");
            tsk_diag_detail(d, "request id %s; TUSKFORM_POLL_DEADLINE_MS=%ld",
                            out->request_id ? out->request_id : "(none)",
                            r->poll_deadline_ms);
            return rc;
        }
        tsk_log(TSK_LOG_DEBUG, "aws: %s %s in progress, poll %d", req->service,
                req->op, polls);
        tsk_aws_resp_release(out);
        tsk_sleep_ms(r->poll_interval_ms);
    }
}

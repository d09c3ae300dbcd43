/*
 * internal.h - helpers shared between the files of providers/net only.
 * Not part of the module's API; drivers include net.h and aws.h.
 */
#ifndef TSK_NET_INTERNAL_H
#define TSK_NET_INTERNAL_H

#include "providers/net/aws.h"

/** Container endpoint credentials; TSK_ENOTFOUND when not configured. */
int tsk_aws__creds_container(struct tsk_aws_creds *c, struct tsk_http *http,
                             struct tsk_diags *d);
/** EC2 IMDSv2 credentials; TSK_ENOTFOUND when disabled or unreachable. */
int tsk_aws__creds_imds(struct tsk_aws_creds *c, struct tsk_http *http,
                        struct tsk_diags *d);
/** Parses "2026-01-02T03:04:05Z" (fraction and offset tolerated); 0 if bad. */
time_t tsk_aws__parse_iso8601(const char *s);

#endif

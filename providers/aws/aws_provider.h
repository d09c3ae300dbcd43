/*
 * aws_provider.h - the AWS provider (`provider = "aws_lambda"` or "aws"):
 * lowering of the serverless model to Terraform-AWS-style resource types
 * (lower*.c), one driver file per type (iam_role.c, lambda_function.c,
 * log_group.c, lambda_alias.c, provisioned_concurrency.c, sqs_queue.c,
 * event_source_mapping.c) over the shared AWS transport (providers/net),
 * and the deterministic deployment zip (zip.c).
 *
 * Ownership: as in provider.h. The provider and its types are static const
 * tables; a pctx (configure/close) owns its AWS context and HTTP client.
 */
#ifndef TSK_PROVIDERS_AWS_PROVIDER_H
#define TSK_PROVIDERS_AWS_PROVIDER_H

#include <stddef.h>

#include "providers/provider.h"

struct tsk_srcfs;

extern const struct tsk_provider tsk_provider_aws;
extern const struct tsk_resource_type *const tsk_aws_types[];

/** Lowers the model to aws_* nodes (functions, roles, log groups, queues,
 * event source mappings, aliases, provisioned concurrency). */
int tsk_aws_lower(const struct tsk_model *m, struct tsk_graph *g,
                  struct tsk_diags *d);

/**
 * The Lambda runtime id for a configuration runtime ("php:8.4" ->
 * "provided.al2023", "python:3.12" / "python3.12" -> "python3.12",
 * "nodejs:20" -> "nodejs20.x", ...). NULL when it is not known.
 * *custom is set to 1 for runtimes served by a layer (php).
 */
const char *tsk_aws_runtime_id(const char *runtime, int *custom,
                               char *buf, size_t bufsz);

/**
 * Builds a deterministic zip of a folder (sorted paths, DOS time
 * 1980-01-01 00:00, mode 0644 / 0755 for executables, deflate) or reads a
 * .zip file as it is.
 * @param out  the archive bytes (release with tsk_buf_release)
 * @return 0, TSK_EIO (cannot read; error appended) or TSK_EINVAL
 */
int tsk_aws_zip_source(const char *path, struct tsk_buf *out,
                       struct tsk_diags *d);
/** The same, reading the code from source tree fs (planner/srcfs.h; NULL:
 * the file system); messages name paths with the tree's prefix. */
int tsk_aws_zip_source_in(const struct tsk_srcfs *fs, const char *path,
                          struct tsk_buf *out, struct tsk_diags *d);
/** base64(SHA-256(data)), as Lambda reports CodeSha256; caller frees. */
char *tsk_aws_code_sha256(const void *data, size_t len);

#endif

/*
 * gitops_int.h - helpers shared by the gitops files (render, drift, md):
 * values on one line and markdown code spans. Not part of the public API.
 */
#ifndef TSK_GITOPS_INT_H
#define TSK_GITOPS_INT_H

#include <cjson/cJSON.h>

#include "planner/util/util.h"

/* A value on one line, at most max bytes: a reference {"$ref": A} as A,
 * "(none)" for NULL, the redaction marker when sensitive, JSON otherwise. */
void tsk_gitops__value(struct tsk_buf *b, const cJSON *v, int sensitive,
                       size_t max);
/* s as a markdown code span that is safe inside a table cell. */
void tsk_gitops__md_code(struct tsk_buf *b, const char *s);
/* A value in a table cell: a code span, or an italic marker. */
void tsk_gitops__md_value(struct tsk_buf *b, const cJSON *v, int sensitive);

#endif

/*
 * render.h - plans for people and machines: text modelled on Terraform's
 * plan output, JSON in Terraform's plan format (format_version "1.2", with
 * sensitive values redacted in before/after as well), and markdown for
 * pull-request comments. The drift section is exported for `drift`.
 *
 * Ownership: renderers read a borrowed plan and append to the caller's
 * buffer; tsk_render_json_doc() returns a cJSON tree the caller owns.
 * Sensitive values appear only when opts->show_sensitive is set.
 */
#ifndef TSK_RENDER_H
#define TSK_RENDER_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "planner/plan.h"
#include "planner/util/util.h"

struct tsk_render_opts {
    int color;          /* ANSI colour (a terminal, no -no-color) */
    int show_sensitive; /* -show-sensitive: no redaction */
};

/** The whole plan as text: drift, legend, blocks, the Plan: line. */
void tsk_render_text(struct tsk_buf *out, const struct tsk_plan *p,
                     const struct tsk_render_opts *o);
/**
 * tsk_render_text, handing what it has rendered to stream every megabyte
 * or so (out then holds only the rest, for the caller to write): a plan of
 * any size is printed in little memory.
 */
void tsk_render_text_stream(struct tsk_buf *out, const struct tsk_plan *p,
                            const struct tsk_render_opts *o, FILE *stream);
/** Only the drift section (nothing when there is no drift). */
void tsk_render_text_drift(struct tsk_buf *out, const struct tsk_plan *p,
                           const struct tsk_render_opts *o);
/** "Plan: X to add, Y to change, Z to destroy." without a newline. */
void tsk_render_summary(struct tsk_buf *out, const struct tsk_plan *p);

/** The plan as one JSON document (Terraform's plan format). */
cJSON *tsk_render_json_doc(const struct tsk_plan *p,
                           const struct tsk_render_opts *o);
/** tsk_render_json_doc printed, with a final newline. */
void tsk_render_json(struct tsk_buf *out, const struct tsk_plan *p,
                     const struct tsk_render_opts *o);

/** The plan as markdown for a pull-request comment. */
void tsk_render_md(struct tsk_buf *out, const struct tsk_plan *p,
                   const struct tsk_render_opts *o);
/** Only the drift details block of the markdown (nothing when none). */
void tsk_render_md_drift(struct tsk_buf *out, const struct tsk_plan *p,
                         const struct tsk_render_opts *o);

#endif

/*
 * render_int.h - private to the text renderer (render_text.c and
 * render_attrs.c): the block helpers and the attribute lines.
 *
 * Ownership: a struct tsk_rt borrows its output buffer, options and path
 * lists; it owns path (scratch for the dotted path of the value being
 * rendered), which tsk_render__done() releases.
 */
#ifndef TSK_RENDER_INT_H
#define TSK_RENDER_INT_H

#include "planner/render.h"

struct tsk_rt {
    struct tsk_buf *b;
    const struct tsk_render_opts *o;
    const char *const *sens; /* sensitive paths of the current block */
    size_t nsens;
    const char *const *repl; /* replace paths of the current block */
    size_t nrepl;
    struct tsk_buf path; /* the value's dotted path ("env.DB_PASS") */
};

/** A renderer on out with options o (no paths yet). */
void tsk_render__init(struct tsk_rt *r, struct tsk_buf *out,
                      const struct tsk_render_opts *o);
/** Releases what r owns. */
void tsk_render__done(struct tsk_rt *r);

void tsk_render__color_on(struct tsk_rt *r, const char *code);
void tsk_render__color_off(struct tsk_rt *r);
void tsk_render__sym(struct tsk_rt *r, const char *s);
void tsk_render__header(struct tsk_rt *r, const char *addr, const char *what);
void tsk_render__resource(struct tsk_rt *r, const char *sym, const char *type,
                          const char *name);
/** The attribute lines of one block: before -> after, unk unknown marks. */
void tsk_render__attrs(struct tsk_rt *r, const cJSON *before,
                       const cJSON *after, const cJSON *unk);

#endif

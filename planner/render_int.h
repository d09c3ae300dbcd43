/*
 * render_int.h - private to the renderers: the text block helpers that the
 * markdown renderer reuses for its collapsed full plan.
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
};

void tsk_render__color_on(struct tsk_rt *r, const char *code);
void tsk_render__color_off(struct tsk_rt *r);
void tsk_render__sym(struct tsk_rt *r, const char *s);
void tsk_render__header(struct tsk_rt *r, const char *addr, const char *what);
void tsk_render__resource(struct tsk_rt *r, const char *sym, const char *type,
                          const char *name);
void tsk_render__attrs(struct tsk_rt *r, const cJSON *before,
                       const cJSON *after, const cJSON *unk);
int tsk_render__attr(struct tsk_rt *r, const char *name, size_t width,
                     int quoted, const cJSON *a, const cJSON *b,
                     const cJSON *unk, int indent, const char *path,
                     const char *suffix);

#endif

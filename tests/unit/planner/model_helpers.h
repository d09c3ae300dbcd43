/*
 * model_helpers.h - shared by the model unit tests: build a model from a
 * TSK text, and look for a diagnostic at a line:col with a phrase.
 */
#ifndef TSK_TEST_MODEL_HELPERS_H
#define TSK_TEST_MODEL_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "planner/model.h"

struct built {
    struct tsk_doc *doc;
    struct tsk_model *m;
    struct tsk_diags d;
    int rc;
};

/* Loads text (which must load without errors) and builds its model. */
static inline void build(struct built *b, const char *text)
{
    memset(b, 0, sizeof(*b));
    int lrc = tsk_doc_load_string(&b->doc, "t.tsk", text, strlen(text), &b->d);
    if (lrc != 0)
        tsk_diags_print(&b->d, stderr, 0);
    assert_int_equal(lrc, 0);
    b->rc = tsk_model_build(&b->m, b->doc, &b->d);
    assert_non_null(b->m);
}

static inline void done(struct built *b)
{
    tsk_model_free(b->m);
    tsk_diags_release(&b->d);
    tsk_doc_free(b->doc);
}

/* The diagnostic of severity sev at line:col whose summary or detail
 * contains phrase, or NULL. */
static inline const struct tsk_diag *diag_at(const struct built *b,
                                             enum tsk_sev sev, unsigned line,
                                             unsigned col, const char *phrase)
{
    for (size_t i = 0; i < b->d.v.n; i++) {
        const struct tsk_diag *g = &b->d.v.v[i];
        if (g->sev != sev || g->pos.line != line || g->pos.col != col)
            continue;
        if (strstr(g->summary, phrase) ||
            (g->detail && strstr(g->detail, phrase)))
            return g;
    }
    return NULL;
}

/* Fails with every diagnostic printed when the expected one is missing. */
#define assert_diag(b, sev, line, col, phrase)                                 \
    do {                                                                       \
        if (!diag_at(b, sev, line, col, phrase)) {                             \
            tsk_diags_print(&(b)->d, stderr, 0);                               \
            fail_msg("no diagnostic at %u:%u with \"%s\"", (unsigned)(line),   \
                     (unsigned)(col), phrase);                                 \
        }                                                                      \
    } while (0)

#define assert_clean(b)                                                        \
    do {                                                                       \
        if ((b)->d.v.n) {                                                      \
            tsk_diags_print(&(b)->d, stderr, 0);                               \
            fail_msg("expected no diagnostics, got %zu", (b)->d.v.n);          \
        }                                                                      \
        assert_int_equal((b)->rc, 0);                                          \
    } while (0)

#endif

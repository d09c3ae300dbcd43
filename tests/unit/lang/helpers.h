/*
 * helpers.h - shared by the TSK language unit tests: evaluate a text and
 * compare its compact JSON, or check the diagnostics it produces (with
 * line and column).
 */
#ifndef TSK_TEST_LANG_HELPERS_H
#define TSK_TEST_LANG_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "planner/tsk/lexer.h"
#include "planner/tsk/tsk.h"

/* Evaluates text; returns the compact JSON of the root (caller frees), or
 * NULL when there were errors (diagnostics are printed to stderr). */
static inline char *eval_json_n(const char *text, size_t len)
{
    struct tsk_diags d = {0};
    struct tsk_doc *doc = NULL;
    int rc = tsk_doc_load_string(&doc, "t.tsk", text, len, &d);
    char *out = NULL;
    if (rc == 0 && d.nerr == 0) {
        struct tsk_buf b = TSK_BUF_INIT;
        tsk_table_to_json(&b, tsk_doc_root(doc), 0);
        out = tsk_buf_detach(&b, NULL);
    } else {
        tsk_diags_print(&d, stderr, 0);
    }
    tsk_diags_release(&d);
    tsk_doc_free(doc);
    return out;
}

static inline char *eval_json(const char *text)
{
    return eval_json_n(text, strlen(text));
}

/* Asserts that text evaluates to exactly the JSON want (compact). */
#define assert_json(text, want)                                                \
    do {                                                                       \
        char *got_ = eval_json(text);                                          \
        if (!got_)                                                             \
            fail_msg("unexpected errors for: %s", text);                       \
        if (strcmp(got_, want) != 0)                                           \
            fail_msg("for:\n%s\ngot:  %s\nwant: %s", text, got_, want);        \
        free(got_);                                                            \
    } while (0)

/* The diagnostics of text, loaded into d (the document is freed). */
static inline void load_diags(const char *text, struct tsk_diags *d)
{
    struct tsk_doc *doc = NULL;
    tsk_doc_load_string(&doc, "t.tsk", text, strlen(text), d);
    /* positions point into the document: copy what the tests need */
    for (size_t i = 0; i < d->v.n; i++)
        d->v.v[i].pos.src = NULL;
    tsk_doc_free(doc);
}

/* Asserts that one diagnostic of severity sev at line:col contains what. */
static inline void check_diag(const char *text, enum tsk_sev sev,
                              unsigned line, unsigned col, const char *what,
                              const char *file, int fline)
{
    struct tsk_diags d = {0};
    load_diags(text, &d);
    int found = 0;
    for (size_t i = 0; i < d.v.n; i++) {
        const struct tsk_diag *g = &d.v.v[i];
        if (g->sev == sev && g->pos.line == line && g->pos.col == col &&
            strstr(g->summary, what))
            found = 1;
    }
    if (!found) {
        fprintf(stderr, "%s:%d: no %s at %u:%u containing \"%s\" for:\n%s\n"
                        "diagnostics:\n",
                file, fline, sev == TSK_SEV_ERROR ? "error" : "warning", line,
                col, what, text);
        for (size_t i = 0; i < d.v.n; i++)
            fprintf(stderr, "  %s %u:%u %s | %s\n",
                    d.v.v[i].sev == TSK_SEV_ERROR ? "error" : "warning",
                    d.v.v[i].pos.line, d.v.v[i].pos.col, d.v.v[i].summary,
                    d.v.v[i].detail ? d.v.v[i].detail : "");
    }
    tsk_diags_release(&d);
    assert_true(found);
}

#define assert_error(text, line, col, what)                                    \
    check_diag(text, TSK_SEV_ERROR, line, col, what, __FILE__, __LINE__)
#define assert_warning(text, line, col, what)                                  \
    check_diag(text, TSK_SEV_WARNING, line, col, what, __FILE__, __LINE__)

/* Number of errors text produces. */
static inline int count_errors(const char *text)
{
    struct tsk_diags d = {0};
    load_diags(text, &d);
    int n = d.nerr;
    tsk_diags_release(&d);
    return n;
}

/* The detail (hint) of the first error of text, copied (caller frees). */
static inline char *first_detail(const char *text)
{
    struct tsk_diags d = {0};
    load_diags(text, &d);
    char *r = NULL;
    for (size_t i = 0; i < d.v.n && !r; i++)
        if (d.v.v[i].sev == TSK_SEV_ERROR)
            r = tsk_xstrdup(d.v.v[i].detail ? d.v.v[i].detail : "");
    tsk_diags_release(&d);
    return r;
}

#endif

/*
 * fuzz_lang_eval.c - libFuzzer target for the TSK front end: load one
 * in-memory text (lexer, parser, evaluator), print the document as JSON
 * both compact and pretty, print the diagnostics, then free everything.
 * Any crash, sanitizer report or leak is a finding.
 *
 * A few environment variables are set once so that @env takes its
 * conversion paths (string, int, double, boolean, bad values). @file paths
 * resolve relative to the fake name's folder, which does not exist.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "planner/tsk/tsk.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("TSK_FUZZ_STR", "hello", 1);
    setenv("TSK_FUZZ_INT", "42", 1);
    setenv("TSK_FUZZ_DBL", "2.5", 1);
    setenv("TSK_FUZZ_BOOL", "true", 1);
    setenv("TSK_FUZZ_BAD", "not a number", 1);
    setenv("TSK_FUZZ_EMPTY", "", 1);
    setenv("STAGE", "prod", 1);
    /* @date reads this when set: keeps runs reproducible */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tsk_doc *doc = NULL;
    struct tsk_diags d = {0};
    struct tsk_buf out = TSK_BUF_INIT;
    static FILE *devnull;

    if (!devnull)
        devnull = fopen("/dev/null", "w");
    tsk_doc_load_string(&doc, "/nonexistent-fuzz-dir/fuzz.tsk",
                        (const char *)data, size, &d);
    tsk_table_to_json(&out, tsk_doc_root(doc), 0);
    tsk_buf_reset(&out);
    tsk_table_to_json(&out, tsk_doc_root(doc), 2);
    (void)tsk_doc_lookup(doc, "a.b");
    (void)tsk_table_find(tsk_doc_root(doc), "a");
    if (devnull)
        tsk_diags_print(&d, devnull, 0);
    tsk_buf_release(&out);
    tsk_diags_release(&d);
    tsk_doc_free(doc);
    return 0;
}

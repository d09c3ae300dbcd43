/*
 * fmt.h - the canonical layout of TSK files (`tuskform fmt`), and the
 * unified diff that `fmt -diff` prints.
 *
 * The formatter works on the token stream (lexer.h, comments included), so
 * it keeps every comment and every line break that carries meaning, and it
 * never changes a token: it only rewrites the white space between tokens
 * and spells the `:` separator as `=`. Before returning, it re-lexes its
 * output and checks that the tokens are the same (with `:` = `=`, and a run
 * of line breaks counted as one); if they are not, it fails instead of
 * returning text that could evaluate differently.
 *
 * Canonical form:
 *  - Line breaks stay where they are written (a multi-line inline table or
 *    array keeps its items one per line, with its commas and trailing commas
 *    as written; `;` stays). Runs of blank lines become one blank line; no
 *    blank line at the start or end of the file; the file ends with exactly
 *    one "\n"; "\r\n" becomes "\n"; a leading BOM is dropped.
 *  - Indentation is 4 spaces per level. A line that starts with a closer
 *    (`}`, `]`, `)`, or the `<` ending an angle block) gets the indentation
 *    of the line that holds its opener; any other line gets one level more
 *    than the line holding the innermost bracket or block still open (so
 *    several openers on one line indent by one level).
 *  - Exactly one blank line precedes every section header `[...]` that is
 *    not at the start of the file; when comment lines sit directly on top of
 *    the header, the blank line goes above those comments.
 *  - Within a line: `key = value` with one space around `=` (a `:`
 *    separator becomes ` = `); one space around binary operators and `?`
 *    `:` of a conditional; no space after a unary `-` or `!`; none inside
 *    `( )` and `[ ]` or before `,` `;` `)` `]`; one after `,` and `;`; none
 *    around `.`; none between `@name` and `(`, or between a value and a
 *    following `[index]`; `{ a = 1 }` with a space inside the braces and
 *    `{}` when empty; one space before a `{` or `>` opening a block and
 *    before a trailing comment.
 *  - Trailing white space is removed, except inside a triple-quoted
 *    string, whose text (like every string and number) is kept byte for
 *    byte.
 *
 * Ownership: the caller owns every buffer; nothing is kept between calls.
 */
#ifndef TSK_FMT_H
#define TSK_FMT_H

#include <stddef.h>

#include "planner/util/util.h"

/**
 * A source to format: name and text are copied (NUL bytes included), and a
 * leading UTF-8 BOM is dropped (columns count from the character after it).
 * Free it with tsk_src_free() once the diagnostics pointing into it have
 * been printed.
 */
struct tsk_src *tsk_fmt_src_new(const char *name, const char *text,
                                size_t len);

/**
 * Appends the canonical form of src to out. Returns 0, or TSK_ERROR when
 * src cannot be formatted, with the reasons in d (positions in src): a
 * lexical error (unterminated string, bad escape or number, invalid
 * UTF-8...), an unclosed or unmatched bracket or block, a section header
 * inside a block or bracket, or (a formatter bug) output whose tokens would
 * differ. On error, out holds nothing usable.
 */
int tsk_fmt_src(struct tsk_buf *out, const struct tsk_src *src,
                struct tsk_diags *d);

/**
 * Appends a unified diff (3 lines of context, "--- a/name", "+++ b/name"
 * headers) turning text a into text b to out; appends nothing when they are
 * equal. Lines are compared byte for byte.
 */
void tsk_fmt_diff(struct tsk_buf *out, const char *name, const char *a,
                  size_t alen, const char *b, size_t blen);

#endif

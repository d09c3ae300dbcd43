/*
 * utf8.h - UTF-8 helpers of the TSK front end (utf8.c): the length of one
 * sequence, the valid prefix of a text, and encoding a code point.
 *
 * Ownership: pure functions on caller memory; nothing is allocated.
 */
#ifndef TSK_UTF8_H
#define TSK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/** Length of the UTF-8 sequence at s (s < end), or 0 when it is invalid
 * (overlong, surrogate, beyond U+10FFFF, truncated). */
int tsk_utf8_len(const unsigned char *s, const unsigned char *end);

/** Encodes code point cp (a Unicode scalar value) as UTF-8 into out[4];
 * returns the number of bytes. */
int tsk_utf8_encode(uint32_t cp, char *out);

/** Length of the valid UTF-8 prefix of s[0..n) (n when all valid). */
size_t tsk_utf8_valid_prefix(const char *s, size_t n);

#endif

/*
 * What every libFuzzer target of tests/fuzz shares: the entry point each
 * one defines, and the oracle's failure. A failed oracle aborts, so
 * libFuzzer keeps the input as a crash and the replay driver (replay.c,
 * used by ordinary builds under ctest) fails the test.
 */
#ifndef NFG_TESTS_FUZZ_H
#define NFG_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The target: runs one input; returns 0 (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "oracle failed: WHAT (FILE:LINE)" on stderr and aborts. */
_Noreturn void fuzz_fail(const char *what, const char *file, int line);

/* FUZZ_CHECK(cond): the oracle; fails the input when cond is false. */
#define FUZZ_CHECK(cond)                                                       \
	((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

/*
 * Seeds hold no token: a target that needs one expands markers in its
 * input. Returns a NUL-terminated copy of data (caller frees; aborts when
 * out of memory) where "$T" becomes the token prefix and "$K" a whole
 * token of FUZZ_TOKEN_BODY body bytes (different for each occurrence);
 * *len gets its length.
 */
#define FUZZ_TOKEN_BODY 24
char *fuzz_expand_tokens(const uint8_t *data, size_t size, size_t *len);

/* 1 if p[0..n) is one token's shape: the prefix and 16-256 body bytes. */
int fuzz_token_shaped(const char *p, size_t n);

/*
 * 1 if s[0..n) holds token tok[0..len) whole: not inside a longer run of
 * body bytes, where it would not be that token.
 */
int fuzz_holds_token(const char *s, size_t n, const char *tok, size_t len);

/*
 * git's patch_delta written out naively, the pack targets' reference: 0
 * with *out (malloc'd, caller frees) of *dst bytes, NFG_ELIMIT for a
 * result over max, NFG_EINVAL for anything malformed.
 */
int fuzz_naive_delta(uint8_t **out, uint64_t *dst, const uint8_t *base,
		     size_t blen, const uint8_t *d, size_t dlen, size_t max);

/* 1 if s[0..n) holds the NUL-terminated t anywhere. */
int fuzz_mem_holds(const char *s, size_t n, const char *t);

#endif

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

#endif

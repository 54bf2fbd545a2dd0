/*
 * Bounded number parsing for options and config values: the whole string
 * must be a decimal number within [min, max]; nothing else is accepted.
 */
#ifndef NFG_UTIL_PARSE_H
#define NFG_UTIL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parses s into *out. 0, or NFG_EINVAL with a message naming the value. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * A size in bytes into *out: a decimal number, alone or followed by one
 * of k, M or G (either case: KiB, MiB, GiB). 0 is a size. 0, or NFG_EINVAL
 * with "'S' is not a size (bytes, or a number with k, M or G)" or "'S' is
 * too large" (past UINT64_MAX); *out is unchanged on failure.
 */
int parse_size(const char *s, uint64_t *out);

/* Checked size arithmetic: 0, or NFG_ELIMIT on overflow. */
int size_add(size_t a, size_t b, size_t *out);
int size_mul(size_t a, size_t b, size_t *out);

#endif

/*
 * Finds up to 64 fixed literals in one pass over a buffer: the engine's
 * prefilter for keywords and for the encoded forms of keywords that the
 * decoders are reached by. SSSE3 nibble masks (Teddy) where the CPU has
 * them, memmem per literal merged in order elsewhere.
 *
 * Ownership: a multilit is immutable once built and may be shared by any
 * number of threads; it holds copies of the literals. The scan keeps no
 * state between calls.
 */
#ifndef NFG_ENGINE_MULTILIT_H
#define NFG_ENGINE_MULTILIT_H

#include <stddef.h>

/* Limits of multilit_new: literals per set, and bytes per literal. */
#define MULTILIT_MAX	64
#define MULTILIT_MAXLEN 255

/* How multilit_new_path searches. */
enum multilit_path {
	MULTILIT_AUTO,	    /* the fastest this CPU has */
	MULTILIT_PORTABLE,  /* memmem per literal, merged in order */
	MULTILIT_TEDDY,	    /* SSSE3 nibble masks, 16 bytes a step */
	MULTILIT_TEDDY_AVX2 /* the same with AVX2, 32 bytes a step */
};

struct multilit;

/*
 * Builds *out (caller frees with multilit_free) for lits[0..n), literal i
 * being lens[i] bytes at lits[i] (any bytes, NUL included; copied). n is
 * 0..MULTILIT_MAX, each length 1..MULTILIT_MAXLEN; the same literal may
 * appear twice (each is reported under its own index). Returns 0,
 * NFG_EINVAL for a count or length out of those bounds, NFG_ENOMEM.
 */
int multilit_new(struct multilit **out, const char *const *lits,
		 const size_t *lens, size_t n);

/*
 * multilit_new with the search chosen by the caller (tests and benches
 * compare them). A Teddy path on a CPU without its instructions (SSSE3,
 * AVX2; or not x86) fails with NFG_EINVAL.
 */
int multilit_new_path(struct multilit **out, const char *const *lits,
		      const size_t *lens, size_t n, enum multilit_path path);

/* Frees m (NULL is fine). */
void multilit_free(struct multilit *m);

/* The search m uses (never MULTILIT_AUTO). */
enum multilit_path multilit_path_of(const struct multilit *m);

/*
 * Calls cb(ctx, pos, i) for every occurrence of literal i wholly inside
 * data[0..len) that starts in [from, to), in order of pos and, for equal
 * pos, of i; overlapping occurrences are all reported. to may exceed len
 * (it is clamped); from >= to finds nothing. A non-zero return from cb
 * stops the scan and is returned; otherwise returns 0. Allocates nothing
 * (at most 4 KiB of stack).
 */
int multilit_scan(const struct multilit *m, const char *data, size_t len,
		  size_t from, size_t to,
		  int (*cb)(void *ctx, size_t pos, size_t i), void *ctx);

#endif

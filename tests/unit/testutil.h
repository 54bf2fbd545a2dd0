/*
 * Helpers shared by the unit tests and the fuzz targets. Tokens are built
 * at run time from a seed, so no realistic token literal is ever committed.
 */
#ifndef NFG_TESTS_TESTUTIL_H
#define NFG_TESTS_TESTUTIL_H

#include <stddef.h>
#include <string.h>

#include "engine/engine.h"

/*
 * Writes into t (room for n + 7 bytes) a token: the prefix and a body of
 * n pseudo-random base62 characters drawn from seed, NUL-terminated.
 */
static inline void test_token(char *t, size_t n, unsigned seed)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
				"tuvwxyz0123456789";
	size_t i;

	memcpy(t,
	       "nf_"
	       "at_",
	       6);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		t[6 + i] = a[(seed >> 16) % 62];
	}
	t[6 + n] = '\0';
}

/*
 * A reader (the engine's read_fn) that hands out its text in pieces of at
 * most step bytes: for streamed scans.
 */
struct pieces {
	const char *p;
	size_t len, at, step;
};

static inline long read_pieces(void *ctx, char *dst, size_t len)
{
	struct pieces *r = ctx;
	size_t n = r->len - r->at;

	if (n > r->step)
		n = r->step;
	if (n > len)
		n = len;
	memcpy(dst, r->p + r->at, n);
	r->at += n;
	return (long)n;
}

/*
 * A fed scan (scanner_feed) of p[0..len) in pieces of at most step bytes:
 * what scanner_scan_stream gives when it reads them.
 */
static inline int feed_pieces(struct scanner *s, const char *path,
			      const char *p, size_t len, size_t step, hit_fn cb,
			      void *ctx)
{
	size_t off;
	int err = scanner_feed_begin(s, path, cb, ctx), end;

	for (off = 0; !err && off < len; off += step)
		err = scanner_feed(s, p + off,
				   len - off < step ? len - off : step);
	end = scanner_feed_end(s);
	return err ? err : end;
}

/* One occurrence of a multi-literal scan: literal i starts at pos. */
struct lit_hit {
	size_t pos, i;
};

/*
 * multilit_scan written out naively, the reference of its tests: stores
 * in out (room for max) the occurrences of literals lits[0..n) (lens[i]
 * bytes each) that lie wholly in data[0..len) and start in [from, to), in
 * order of pos and then of i; returns how many there are (even past max).
 */
static inline size_t naive_multilit(struct lit_hit *out, size_t max,
				    const char *data, size_t len,
				    const char *const *lits, const size_t *lens,
				    size_t n, size_t from, size_t to)
{
	size_t s, i, k = 0;

	for (s = from; s < to && s < len; s++)
		for (i = 0; i < n; i++)
			if (lens[i] <= len - s &&
			    !memcmp(data + s, lits[i], lens[i])) {
				if (k < max) {
					out[k].pos = s;
					out[k].i = i;
				}
				k++;
			}
	return k;
}

/*
 * What a multilit_scan callback (lit_collect) saw: the first max hits in
 * hit[], all of them counted in n; the scan is stopped (the callback
 * returns 7) at the stop_after-th hit (0: never).
 */
struct lit_got {
	struct lit_hit *hit;
	size_t n, max, stop_after;
};

static inline int lit_collect(void *ctx, size_t pos, size_t i)
{
	struct lit_got *g = ctx;

	if (g->n < g->max) {
		g->hit[g->n].pos = pos;
		g->hit[g->n].i = i;
	}
	g->n++;
	return g->n == g->stop_after ? 7 : 0;
}

#endif

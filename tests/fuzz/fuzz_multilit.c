/*
 * Fuzzes the multi-literal search (src/engine/multilit.c). The input is
 * the set and the data: byte 0 the count of literals, bytes 1-3 from, to
 * and where the callback stops the scan, then per literal a length byte
 * and its bytes, then the data (at most 4 KiB). Oracle: all the searches
 * report exactly what the naive scan finds, and stop where told.
 */
#include "fuzz.h"
#include "engine/multilit.h"
#include "util/error.h"
#include "../unit/testutil.h"

#include <stdlib.h>
#include <string.h>

#define DATA_MAX 4096

/* Scans with one search and checks it against ref[0..want). */
static void check_path(enum multilit_path path, const char *const *lits,
		       const size_t *lens, size_t n, const char *data,
		       size_t len, size_t from, size_t to,
		       const struct lit_hit *ref, size_t want,
		       struct lit_got *g)
{
	struct multilit *m;
	int err = multilit_new_path(&m, lits, lens, n, path);

	if (err == NFG_EINVAL && path != MULTILIT_PORTABLE)
		return; /* this CPU has not got it */
	FUZZ_CHECK(err == 0);
	g->n = 0;
	err = multilit_scan(m, data, len, from, to, lit_collect, g);
	if (g->stop_after && want >= g->stop_after) {
		FUZZ_CHECK(err == 7 && g->n == g->stop_after);
	} else {
		FUZZ_CHECK(err == 0 && g->n == want && want <= g->max);
	}
	FUZZ_CHECK(!memcmp(g->hit, ref, g->n * sizeof(*ref)));
	multilit_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *lits[MULTILIT_MAX];
	size_t lens[MULTILIT_MAX], n = 0, want, max, at = 4, len, from, to;
	struct lit_hit *ref;
	struct lit_got g;

	if (size < 4)
		return 0;
	while (n < (size_t)(1 + data[0] % MULTILIT_MAX) && at < size) {
		lens[n] =
			1 + data[at] % (data[at] & 0x80 ? MULTILIT_MAXLEN : 12);
		if (size - at - 1 < lens[n])
			break;
		lits[n] = (const char *)data + at + 1;
		at += 1 + lens[n++];
	}
	len = size - at < DATA_MAX ? size - at : DATA_MAX;
	/* from and to: near the start, near the end, or anywhere */
	from = data[1] < 128 ? data[1] % 8 : (size_t)data[1] * len / 255;
	to = data[2] < 128 ? len + 1 - data[2] % 8
			   : (size_t)data[2] * len / 255;
	max = (len + 1) * (n + 1);
	ref = malloc(max * sizeof(*ref));
	g.hit = malloc(max * sizeof(*ref));
	FUZZ_CHECK(ref && g.hit);
	g.max = max;
	g.stop_after = data[3] % 16;
	want = naive_multilit(ref, max, (const char *)data + at, len, lits,
			      lens, n, from, to);
	check_path(MULTILIT_PORTABLE, lits, lens, n, (const char *)data + at,
		   len, from, to, ref, want, &g);
	check_path(MULTILIT_TEDDY, lits, lens, n, (const char *)data + at, len,
		   from, to, ref, want, &g);
	check_path(MULTILIT_TEDDY_AVX2, lits, lens, n, (const char *)data + at,
		   len, from, to, ref, want, &g);
	free(ref);
	free(g.hit);
	return 0;
}

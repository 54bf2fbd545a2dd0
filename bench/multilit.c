/*
 * Times the multi-literal search (src/engine/multilit.c) on a file in
 * memory against glibc's memmem: one keyword, and the keyword's 17
 * encoded forms (base64, UTF-16, two layers) that the decoders need.
 * Usage: bench_multilit FILE [RUNS [CHUNK]] (CHUNK: bytes a scan, 0 for
 * the whole file); bench/multilit.sh runs it.
 */
#include "util/common.h"
#include "engine/multilit.h"
#include "util/error.h"

#include <time.h>

/*
 * The prefix, then where it stays the same in base64 at each of the three
 * alignments, in UTF-16 (either byte order, the outer NULs left off), in
 * base64 of each of those base64 forms, and in base64 of its UTF-16LE
 * (PowerShell's -EncodedCommand). Written in pieces, so that this file
 * holds nothing that looks like a token.
 */
static const char *const set17[] = {
	"nf_"
	"at_",
	"bmZfYXRf",
	"5mX2F0X",
	"uZl9hdF",
	"f\0_\0a\0t\0_",
	"Ym1aZllYUm",
	"JtWmZZWFJm",
	"ibVpmWVhSZ",
	"NW1YMkYwW",
	"VtWDJGMF",
	"1bVgyRjBY",
	"dVpsOWhkR",
	"VabDloZE",
	"1Wmw5aGRG",
	"bgBmAF8AYQB0AF8A",
	"4AZgBfAGEAdABfA",
	"uAGYAXwBhAHQAXw",
};
static const size_t lens17[] = {6, 8, 7, 7, 9, 10, 10, 10, 9,
				8, 9, 9, 8, 9, 16, 15, 15};
_Static_assert(ARRAY_SIZE(set17) == ARRAY_SIZE(lens17), "one length each");

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count(void *ctx, size_t pos, size_t i)
{
	(void)pos;
	(void)i;
	++*(size_t *)ctx;
	return 0;
}

/* Occurrences of the prefix by memmem alone: the one-pass baseline. */
static size_t memmem_pass(const char *data, size_t len)
{
	size_t found = 0, at = 0;
	const char *q;

	while (at < len &&
	       (q = memmem(data + at, len - at, set17[0], lens17[0]))) {
		found++;
		at = (size_t)(q - data) + 1;
	}
	return found;
}

/* One timed scan of data in pieces of chunk bytes; *found gets the hits. */
static double one_run(const struct multilit *m, const char *data, size_t len,
		      size_t chunk, size_t *found)
{
	double t0 = now();
	size_t at, n;

	*found = 0;
	for (at = 0; at < len; at += n) {
		n = len - at < chunk ? len - at : chunk;
		if (m)
			multilit_scan(m, data + at, n, 0, n, count, found);
		else
			*found += memmem_pass(data + at, n);
	}
	return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Times runs scans with the first n literals by path (memmem alone when
 * m_path is -1); prints the fastest run's throughput, its ratio to base
 * (0: it is the base) and the median; returns the fastest time, or -1
 * when its hits differ from *want (set by the first run of a set, *want
 * SIZE_MAX). The fastest run is the one least disturbed by other work.
 */
static double bench(const char *name, int m_path, size_t n, const char *data,
		    size_t len, size_t chunk, int runs, double base,
		    size_t *want)
{
	struct multilit *m = NULL;
	double t[101];
	size_t found = 0;
	int r;

	if (m_path >= 0 && multilit_new_path(&m, set17, lens17, n,
					     (enum multilit_path)m_path)) {
		printf("%-26s skipped: %s\n", name, error_last());
		return 0;
	}
	for (r = 0; r < runs; r++)
		t[r] = one_run(m, data, len, chunk, &found);
	multilit_free(m);
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
	printf("%-24s %6.2f GB/s %8.2f ms  x%5.2f   median %8.2f ms  hits "
	       "%zu\n",
	       name, (double)len / t[0] / 1e9, t[0] * 1e3,
	       base ? t[0] / base : 1.0, t[runs / 2] * 1e3, found);
	if (*want == SIZE_MAX)
		*want = found;
	return found == *want ? t[0] : -1;
}

int main(int argc, char **argv)
{
	FILE *f = NULL;
	char *data = NULL;
	long size;
	size_t len, chunk, want1 = SIZE_MAX, want17 = SIZE_MAX;
	int runs, bad = 0;
	double base;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s FILE [RUNS [CHUNK]]\n", argv[0]);
		return 2;
	}
	runs = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 21;
	chunk = argc > 3 ? (size_t)strtoull(argv[3], NULL, 10) : 0;
	if (runs < 1 || runs > 101) {
		fprintf(stderr, "%s: RUNS is 1..101\n", argv[0]);
		return 2;
	}
	if (!(f = fopen(argv[1], "rb")) || fseek(f, 0, SEEK_END) ||
	    (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(data = malloc((size_t)size)) ||
	    fread(data, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "%s: cannot read '%s'\n", argv[0], argv[1]);
		return 2;
	}
	fclose(f);
	len = (size_t)size;
	printf("%zu bytes in scans of %zu bytes, fastest of %d runs\n", len,
	       chunk ? chunk : len, runs);
	if (!chunk)
		chunk = len;
	base = bench("memmem 1", -1, 1, data, len, chunk, runs, 0, &want1);
	bad |= bench("multilit 1 portable", MULTILIT_PORTABLE, 1, data, len,
		     chunk, runs, base, &want1) < 0;
	bad |= bench("multilit 1 teddy", MULTILIT_TEDDY, 1, data, len, chunk,
		     runs, base, &want1) < 0;
	bad |= bench("multilit 17 portable", MULTILIT_PORTABLE,
		     ARRAY_SIZE(set17), data, len, chunk, runs, base,
		     &want17) < 0;
	bad |= bench("multilit 17 teddy", MULTILIT_TEDDY, ARRAY_SIZE(set17),
		     data, len, chunk, runs, base, &want17) < 0;
	bad |= bench("multilit 1 teddy avx2", MULTILIT_TEDDY_AVX2, 1, data, len,
		     chunk, runs, base, &want1) < 0;
	bad |= bench("multilit 17 teddy avx2", MULTILIT_TEDDY_AVX2,
		     ARRAY_SIZE(set17), data, len, chunk, runs, base,
		     &want17) < 0;
	bad |= bench("multilit 17 auto", MULTILIT_AUTO, ARRAY_SIZE(set17), data,
		     len, chunk, runs, base, &want17) < 0;
	free(data);
	if (bad)
		fprintf(stderr, "%s: the searches disagree\n", argv[0]);
	return bad;
}

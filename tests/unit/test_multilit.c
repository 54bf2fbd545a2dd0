/*
 * Unit tests of the multi-literal search (src/engine/multilit.c): both
 * searches, Teddy and memmem, give exactly what a naive scan gives, on
 * random and built data, at the edges of from, to and the buffer.
 */
#include "util/common.h"
#include "engine/multilit.h"
#include "util/error.h"
#include "testutil.h"

#include <setjmp.h>
#include <cmocka.h>

static uint64_t rng_state = 88172645463325252u;

static size_t rnd(size_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (size_t)(rng_state % n) : 0;
}

/*
 * Scans data[0..len) for lits with each search (Teddy's only where the
 * CPU has them) and checks the result against the naive scan.
 */
static void check_scan(const char *data, size_t len, const char *const *lits,
		       const size_t *lens, size_t n, size_t from, size_t to)
{
	static const enum multilit_path paths[] = {
		MULTILIT_PORTABLE, MULTILIT_TEDDY, MULTILIT_TEDDY_AVX2};
	size_t max = (len + 1) * (n + 1), want, p;
	struct lit_hit *ref = calloc(max, sizeof(*ref));
	struct lit_got g = {calloc(max, sizeof(*ref)), 0, max, 0};
	struct multilit *m;
	int err;

	assert_non_null(ref);
	assert_non_null(g.hit);
	want = naive_multilit(ref, max, data, len, lits, lens, n, from, to);
	for (p = 0; p < ARRAY_SIZE(paths); p++) {
		err = multilit_new_path(&m, lits, lens, n, paths[p]);
		if (err == NFG_EINVAL && paths[p] != MULTILIT_PORTABLE)
			continue; /* this CPU has not got it */
		assert_int_equal(err, 0);
		assert_int_equal(multilit_path_of(m), paths[p]);
		g.n = 0;
		assert_int_equal(
			multilit_scan(m, data, len, from, to, lit_collect, &g),
			0);
		assert_int_equal(g.n, want);
		assert_true(want <= max);
		assert_memory_equal(g.hit, ref, want * sizeof(*ref));
		multilit_free(m);
	}
	free(ref);
	free(g.hit);
}

static void check_all(const char *data, size_t len, const char *const *lits,
		      const size_t *lens, size_t n)
{
	check_scan(data, len, lits, lens, n, 0, len);
}

static void test_bad_sets(void **state)
{
	const char *lits[MULTILIT_MAX + 1];
	size_t lens[MULTILIT_MAX + 1], i;
	struct multilit *m = (struct multilit *)&m;

	(void)state;
	for (i = 0; i <= MULTILIT_MAX; i++) {
		lits[i] = "abc";
		lens[i] = 3;
	}
	assert_int_equal(multilit_new(&m, lits, lens, MULTILIT_MAX + 1),
			 NFG_EINVAL);
	assert_null(m);
	lens[3] = 0;
	assert_int_equal(multilit_new(&m, lits, lens, 4), NFG_EINVAL);
	lens[3] = MULTILIT_MAXLEN + 1;
	assert_int_equal(multilit_new(&m, lits, lens, 4), NFG_EINVAL);
	assert_string_equal(error_last(),
			    "literal 3: length 256 not in 1..255");
	/* no literal finds nothing */
	assert_int_equal(multilit_new(&m, lits, lens, 0), 0);
	assert_int_not_equal(multilit_path_of(m), MULTILIT_AUTO);
	assert_int_equal(multilit_scan(m, "abc", 3, 0, 3, lit_collect, NULL),
			 0);
	multilit_free(m);
	multilit_free(NULL);
}

/* Prefixes, suffixes and repeats of each other, overlapping themselves. */
static void test_overlaps(void **state)
{
	const char *lits[] = {"abcd", "abc", "ab",   "bcd", "d",   "abcd",
			      "aa",   "aaa", "a\0a", "\0",  "cdab"};
	size_t lens[] = {4, 3, 2, 3, 1, 4, 2, 3, 3, 1, 4};
	const char data[] = "abcdabcdaaaaa\0a\0a\0\0abcd";

	(void)state;
	check_all(data, sizeof(data) - 1, lits, lens, ARRAY_SIZE(lits));
	check_all(data, sizeof(data), lits, lens, ARRAY_SIZE(lits));
	check_all(data, 3, lits, lens, ARRAY_SIZE(lits));
	check_all(data, 0, lits, lens, ARRAY_SIZE(lits));
}

/* An occurrence counts when it starts in [from, to) and ends by len. */
static void test_edges(void **state)
{
	const char *lits[] = {"xyz", "x", "zq"};
	size_t lens[] = {3, 1, 2}, from, to, len;
	const char data[] = "xyz..xyz.xyzxyz..xyz";

	(void)state;
	for (len = 0; len < sizeof(data); len++)
		for (from = 0; from <= len + 1; from++)
			for (to = 0; to <= len + 2; to++)
				check_scan(data, len, lits, lens, 3, from, to);
}

/*
 * Literals whose windows sit far into them (a rare run after 200 common
 * bytes), mixed with short ones: occurrences are found out of order and
 * must still come out in order.
 */
static void test_far_windows(void **state)
{
	char a[256], b[256], data[4096];
	const char *lits[] = {a, b, "e", "ee", "Zq"};
	size_t lens[] = {203, 255, 1, 2, 2}, i, k;

	(void)state;
	memset(a, 'e', sizeof(a));
	memcpy(a + 200, "Zq", 2);
	memset(b, 'e', sizeof(b));
	memcpy(b + 240, "Zq", 2);
	memset(data, 'e', sizeof(data));
	for (k = 0; k < 6; k++) {
		i = 300 + k * 600 + rnd(100);
		memcpy(data + i, "Zq", 2);
	}
	check_all(data, sizeof(data), lits, lens, ARRAY_SIZE(lits));
	check_scan(data, sizeof(data), lits, lens, ARRAY_SIZE(lits), 100, 3000);
}

/*
 * Random sets of 1..64 literals over a small alphabet (NUL included),
 * half of them cut from the data, on data of 0..300 bytes.
 */
static void test_random(void **state)
{
	static const char alphabet[] = "ab\0cZ\xff";
	char data[300], litbuf[MULTILIT_MAX][40];
	const char *lits[MULTILIT_MAX];
	size_t lens[MULTILIT_MAX], round, n, i, j, len, from, to;

	(void)state;
	for (round = 0; round < 3000; round++) {
		len = rnd(sizeof(data) + 1);
		for (i = 0; i < len; i++)
			data[i] = alphabet[rnd(sizeof(alphabet) - 1)];
		n = 1 + rnd(MULTILIT_MAX);
		for (i = 0; i < n; i++) {
			lens[i] = 1 + rnd(rnd(2) ? 6 : sizeof(litbuf[0]));
			if (len >= lens[i] && rnd(2))
				memcpy(litbuf[i], data + rnd(len - lens[i] + 1),
				       lens[i]);
			else
				for (j = 0; j < lens[i]; j++)
					litbuf[i][j] = alphabet[rnd(
						sizeof(alphabet) - 1)];
			lits[i] = litbuf[i];
		}
		from = rnd(4) ? 0 : rnd(len + 1);
		to = rnd(4) ? len : rnd(len + 2);
		check_scan(data, len, lits, lens, n, from, to);
	}
}

/* Encoded keywords planted in 1 MiB of text, as the prefilter sees them. */
static void test_planted(void **state)
{
	static const char text[] = "static int main(void) { return 0; }\n"
				   "ZmFsc2U= dHJ1ZQ== \0\0\0\x7f";
	const char *lits[] = {"bmZfYXRf",      "5mX2F0X",    "uZl9hdF",
			      "f\0_\0a\0t\0_", "Ym1aZllYUm", "VtWDJGMF"};
	size_t lens[] = {8, 7, 7, 9, 10, 8}, len = 1 << 20, i, k;
	char *data = malloc(len);

	(void)state;
	assert_non_null(data);
	for (i = 0; i < len; i++)
		data[i] = text[i % (sizeof(text) - 1)];
	for (k = 0; k < 200; k++) {
		i = rnd(ARRAY_SIZE(lits));
		memcpy(data + rnd(len - lens[i]), lits[i], lens[i]);
	}
	memcpy(data, lits[0], lens[0]);
	memcpy(data + len - lens[3], lits[3], lens[3]);
	check_all(data, len, lits, lens, ARRAY_SIZE(lits));
	check_scan(data, len, lits, lens, 1, 0, len);
	free(data);
}

/* A non-zero return from the callback stops the scan and is returned. */
static void test_stop(void **state)
{
	const char *lits[] = {"ab", "b", "c\0"};
	size_t lens[] = {2, 1, 2}, p;
	const char data[] = "abcabc\0ab";
	struct lit_hit hit[8];
	struct lit_got g = {hit, 0, 8, 3};
	struct multilit *m;
	static const enum multilit_path paths[] = {
		MULTILIT_PORTABLE, MULTILIT_TEDDY, MULTILIT_TEDDY_AVX2};

	(void)state;
	for (p = 0; p < ARRAY_SIZE(paths); p++) {
		if (multilit_new_path(&m, lits, lens, 3, paths[p]))
			continue;
		g.n = 0;
		assert_int_equal(multilit_scan(m, data, sizeof(data) - 1, 0,
					       SIZE_MAX, lit_collect, &g),
				 7);
		assert_int_equal(g.n, 3);
		assert_int_equal(hit[2].pos, 3);
		assert_int_equal(hit[2].i, 0);
		multilit_free(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_sets),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_far_windows),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the decoding layer: the --decode names, the base64
 * literals the prefilter looks for, and base64 / UTF-16 found through
 * triggers in memory and across a stream's chunks, each at the raw bytes
 * that encode it. Tokens are built at run time.
 */
#include "util/common.h"
#include "util/error.h"
#include "config/rules.h"
#include "decode/decode.h"
#include "decode/intext.h"
#include "engine/engine.h"

#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

static struct ruleset *rs;
static struct scanner *sc;
static struct intext *it;

struct got {
	size_t n;
	struct hit h[8];
	char secret[8][300];
};

static int record(void *ctx, const struct hit *h)
{
	struct got *g = ctx;

	if (g->n < 8) {
		g->h[g->n] = *h;
		memcpy(g->secret[g->n], h->secret, h->len < 299 ? h->len : 299);
		g->secret[g->n][h->len < 299 ? h->len : 299] = '\0';
	}
	g->n++;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	if (rules_open(&rs, NULL) || intext_prepare(rs, DECODE_ALL) ||
	    intext_new(&it, rs, 4))
		return -1;
	return scanner_new(&sc, rs);
}

static int teardown(void **state)
{
	(void)state;
	scanner_free(sc);
	intext_free(it);
	ruleset_free(rs);
	return 0;
}

static struct got scan(const char *text, size_t len, unsigned layers)
{
	struct got g;

	memset(&g, 0, sizeof(g));
	intext_attach(it, sc, layers);
	assert_int_equal(scanner_scan_mem(sc, "x", text, len, record, &g), 0);
	return g;
}

/* Standard base64 of p[0..n) into out (NUL-terminated). */
static void b64(const unsigned char *p, size_t n, char *out)
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789+/";
	size_t i, k = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 |
			     p[i + 2];

		out[k++] = a[v >> 18];
		out[k++] = a[(v >> 12) & 63];
		out[k++] = a[(v >> 6) & 63];
		out[k++] = a[v & 63];
	}
	if (n - i == 1) {
		out[k++] = a[p[i] >> 2];
		out[k++] = a[(p[i] & 3) << 4];
	} else if (n - i == 2) {
		out[k++] = a[p[i] >> 2];
		out[k++] = a[((p[i] & 3) << 4) | p[i + 1] >> 4];
		out[k++] = a[(p[i + 1] & 15) << 2];
	}
	out[k] = '\0';
}

static void test_names(void **state)
{
	unsigned bits;

	(void)state;
	assert_int_equal(decode_parse_list("base64,gzip", &bits), 0);
	assert_int_equal(bits, DECODE_BASE64 | DECODE_GZIP);
	assert_int_equal(decode_parse_list("all", &bits), 0);
	assert_int_equal(bits, DECODE_ALL);
	assert_int_equal(decode_parse_list("none", &bits), 0);
	assert_int_equal(bits, 0);
	assert_int_equal(decode_parse_list("base64,rot13", &bits), NFG_EINVAL);
	assert_string_equal(error_last(),
			    "unknown decoder 'rot13' (known: base64, utf16, "
			    "gzip, zlib, bzip2, xz, zip, tar, all, none)");
	assert_int_equal(decode_parse_list(",", &bits), NFG_EINVAL);
	assert_int_equal(decoder_bit("tar"), DECODE_TAR);
	assert_int_equal(decoder_bit("all"), 0);
	assert_string_equal(decoder_name(DECODE_UTF16), "utf16");
	assert_null(decoder_name(DECODE_ALL));
}

/* The literals of the keyword at the three alignments, as base64 spells
 * them whatever stands before. */
static void test_base64_literals(void **state)
{
	static const struct {
		unsigned align, phase;
		const char *lit;
	} want[] = {{0, 0, "bmZfYXRf"}, {1, 2, "5mX2F0X"}, {2, 3, "uZl9hdF"}};
	const unsigned char kw[] = {'n', 'f', '_', 'a', 't', '_'};
	char out[32];
	unsigned phase;
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		n = intext_base64_literal(kw, sizeof(kw), want[i].align, out,
					  &phase);
		out[n] = '\0';
		assert_string_equal(out, want[i].lit);
		assert_int_equal(phase, want[i].phase);
	}
}

/* Each alignment, found once, at the characters that encode it. */
static void test_base64_alignments(void **state)
{
	char tok[64], plain[96], enc[160], text[200];
	size_t a;

	(void)state;
	test_token(tok, 32, 7);
	for (a = 0; a < 3; a++) {
		struct got g;
		size_t off = a + 1, len = strlen(tok);

		memset(plain, 'q', a);
		plain[a] = ':';
		memcpy(plain + a + 1, tok, strlen(tok) + 1);
		b64((const unsigned char *)plain, strlen(plain), enc);
		snprintf(text, sizeof(text), "key: %s\n", enc);
		g = scan(text, strlen(text), 4);
		assert_int_equal(g.n, 1);
		assert_string_equal(g.secret[0], tok);
		assert_int_equal(g.h[0].nencoding, 1);
		assert_string_equal(g.h[0].encoding[0], "base64");
		assert_int_equal(g.h[0].line, 1);
		assert_int_equal(g.h[0].end_line, 1);
		assert_int_equal(g.h[0].column, 6);
		assert_int_equal(g.h[0].end_column, 6 + strlen(enc));
		assert_int_equal(g.h[0].span,
				 g.h[0].end_column - g.h[0].column);
		assert_true(8 * (off + len) / 6 <= strlen(enc));
	}
}

/* s split into lines of width characters (no break after the last). */
static void wrap(const char *s, size_t width, char *out)
{
	size_t i, k = 0;

	for (i = 0; s[i]; i++) {
		if (i && i % width == 0)
			out[k++] = '\n';
		out[k++] = s[i];
	}
	out[k] = '\0';
}

/*
 * The location of a token in base64 is its whole run: from a key on the
 * first line to a closing tag on the last, between PEM armour lines,
 * after a blank line, never into a next line of other text, and no
 * further back than INTEXT_WINDOW bytes before the encoded keyword.
 */
static void test_base64_run(void **state)
{
	static const struct {
		const char *before, *after;
		size_t width;
		uint64_t line, column;
	} cases[] = {
		{"key: ", "\n", 0, 1, 6},
		{"key: ", "\nother: text\n", 0, 1, 6},
		{"<d>", "</d>\n", 16, 1, 4},
		{"-----BEGIN X-----\n", "\n-----END X-----\n", 16, 2, 1},
		{"Content-Transfer-Encoding: base64\n\n", "\n\n-- \n", 20, 3,
		 1},
	};
	char tok[64], plain[96], enc[160], wrapped[200], text[300];
	size_t i, len, lines, last;
	static char big[6000];
	struct got g;

	(void)state;
	test_token(tok, 32, 11);
	snprintf(plain, sizeof(plain), "xx:%s:yy", tok);
	b64((const unsigned char *)plain, strlen(plain), enc);
	len = strlen(enc);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t w = cases[i].width ? cases[i].width : len;

		wrap(enc, w, wrapped);
		snprintf(text, sizeof(text), "%s%s%s", cases[i].before, wrapped,
			 cases[i].after);
		lines = (len - 1) / w;
		last = len - lines * w;
		g = scan(text, strlen(text), 4);
		assert_int_equal(g.n, 1);
		assert_string_equal(g.secret[0], tok);
		assert_int_equal(g.h[0].line, cases[i].line);
		assert_int_equal(g.h[0].column, cases[i].column);
		assert_int_equal(g.h[0].end_line, cases[i].line + lines);
		assert_int_equal(g.h[0].end_column,
				 (lines ? 1 : cases[i].column) + last);
	}
	/* A run 5000 characters long before the token's: cut. "bmZfYXRf"
	 * (the keyword) starts 4 characters into enc. */
	memset(big, 'A', 5000);
	memcpy(big + 5000, enc, len + 1);
	g = scan(big, strlen(big), 4);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].column, 5000 + 4 - INTEXT_WINDOW + 1);
	assert_int_equal(g.h[0].end_column, 5000 + len + 1);
}

/* A token glued to a word inside the encoded text is not one. */
static void test_base64_glued(void **state)
{
	char tok[64], plain[96], enc[160];
	struct got g;

	(void)state;
	test_token(tok, 32, 8);
	snprintf(plain, sizeof(plain), "conf%s", tok);
	b64((const unsigned char *)plain, strlen(plain), enc);
	g = scan(enc, strlen(enc), 4);
	assert_int_equal(g.n, 0);
}

/* UTF-16LE and BE, and the layer bound. */
static void test_utf16_and_depth(void **state)
{
	char tok[64], wide[200], plain[96], enc[300];
	size_t i, n, len;
	struct got g;

	(void)state;
	test_token(tok, 32, 9);
	len = strlen(tok);
	n = 0;
	wide[n++] = '=';
	wide[n++] = 0;
	for (i = 0; i < len; i++) {
		wide[n++] = tok[i];
		wide[n++] = 0;
	}
	g = scan(wide, n, 4);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.secret[0], tok);
	assert_string_equal(g.h[0].encoding[0], "utf16le");
	assert_int_equal(g.h[0].column, 3);
	assert_int_equal(g.h[0].span, 2 * len);
	/* The same shifted by one byte: big-endian. */
	memmove(wide + 1, wide, n);
	wide[0] = 0;
	g = scan(wide, n + 1, 4);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.h[0].encoding[0], "utf16be");

	/* base64 of base64: two layers; with one allowed, counted. */
	snprintf(plain, sizeof(plain), "t=%s", tok);
	b64((const unsigned char *)plain, strlen(plain), wide);
	b64((const unsigned char *)wide, strlen(wide), enc);
	g = scan(enc, strlen(enc), 4);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].nencoding, 2);
	assert_int_equal(intext_depth_limited(it), 0);
	g = scan(enc, strlen(enc), 1);
	assert_int_equal(g.n, 0);
	assert_true(intext_depth_limited(it) > 0);
}

/* An encoded token across the stream's chunk boundary, wrapped MIME-style
 * with its literal split by a line break: found once, on its line. */
static void test_stream_boundary(void **state)
{
	size_t total = SCANNER_CHUNK + 4096, at, i, k;
	char tok[64], plain[96], enc[160], *buf = malloc(total);
	struct pieces s;
	struct got g;

	(void)state;
	assert_non_null(buf);
	test_token(tok, 40, 10);
	snprintf(plain, sizeof(plain), "t=%s", tok);
	b64((const unsigned char *)plain, strlen(plain), enc);
	memset(buf, '.', total);
	for (i = 99; i < total; i += 100)
		buf[i] = '\n';
	/* Lines of 10 characters from just before the chunk's end. */
	at = SCANNER_CHUNK - 25;
	buf[at - 1] = '\n';
	for (i = 0, k = at; enc[i]; i++) {
		buf[k++] = enc[i];
		if (i % 10 == 9)
			buf[k++] = '\n';
	}
	buf[k] = '\n';
	memset(&g, 0, sizeof(g));
	s.p = buf;
	s.len = total;
	s.at = 0;
	s.step = total;
	intext_attach(it, sc, 4);
	assert_int_equal(
		scanner_scan_stream(sc, "x", read_pieces, &s, record, &g, NULL),
		0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.secret[0], tok);
	/* The run: from the first of its lines to the last. */
	assert_int_equal(g.h[0].column, 1);
	assert_int_equal(g.h[0].end_line - g.h[0].line, (strlen(enc) - 1) / 10);
	assert_int_equal(g.h[0].end_column, (strlen(enc) - 1) % 10 + 2);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_base64_literals),
		cmocka_unit_test(test_base64_alignments),
		cmocka_unit_test(test_base64_run),
		cmocka_unit_test(test_base64_glued),
		cmocka_unit_test(test_utf16_and_depth),
		cmocka_unit_test(test_stream_boundary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

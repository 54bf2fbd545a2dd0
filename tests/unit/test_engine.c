/*
 * Unit tests of the engine with the built-in rule: the pattern's
 * boundaries, every documented placeholder, the filters, and streaming
 * across chunk boundaries. Tokens are built at run time.
 */
#include "util/common.h"
#include "config/rules.h"
#include "engine/engine.h"

#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

static struct ruleset *rs;
static struct scanner *sc;

/* A token with a body of n characters, on the heap (caller frees). */
static char *make_token(size_t n, unsigned seed)
{
	char *t = malloc(n + 7);

	test_token(t, n, seed);
	return t;
}

struct got {
	size_t n;
	struct hit h[16];
	char secret[16][300];
};

static int record(void *ctx, const struct hit *h)
{
	struct got *g = ctx;

	if (g->n < 16) {
		g->h[g->n] = *h;
		memcpy(g->secret[g->n], h->secret, h->len < 299 ? h->len : 299);
		g->secret[g->n][h->len < 299 ? h->len : 299] = '\0';
	}
	g->n++;
	return 0;
}

static struct got scan(const char *text)
{
	struct got g;

	memset(&g, 0, sizeof(g));
	assert_int_equal(
		scanner_scan_mem(sc, "x.txt", text, strlen(text), record, &g),
		0);
	return g;
}

static int setup(void **state)
{
	(void)state;
	if (rules_open(&rs, NULL))
		return -1;
	return scanner_new(&sc, rs);
}

static int teardown(void **state)
{
	(void)state;
	scanner_free(sc);
	ruleset_free(rs);
	return 0;
}

static void test_finds_token_with_position(void **state)
{
	char *tok = make_token(32, 1), text[256];
	struct got g;

	(void)state;
	snprintf(text, sizeof(text), "a=1\nTOKEN=%s\n", tok);
	g = scan(text);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.secret[0], tok);
	assert_int_equal(g.h[0].line, 2);
	assert_int_equal(g.h[0].column, 7);
	assert_int_equal(g.h[0].end_column, 7 + 38);
	assert_int_equal(g.h[0].offset, 10);
	free(tok);
}

/*
 * "nfguard:allow" next to a token on its line flags that hit only (the
 * caller drops it); the marker on another line flags nothing.
 */
static void test_inline_allow(void **state)
{
	char *a = make_token(20, 12), *b = make_token(24, 13), text[256];
	struct got g;

	(void)state;
	snprintf(text, sizeof(text),
		 "x=%s # nfguard:allow\n/* nfguard:allow */ y=%s\nz=%s\n", a, a,
		 b);
	g = scan(text);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.h[0].allowed, 1);
	assert_int_equal(g.h[1].allowed, 1);
	assert_int_equal(g.h[2].allowed, 0);
	assert_string_equal(g.secret[2], b);
	assert_int_equal(g.h[2].line, 3);
	/* the marker must be on the token's own line */
	snprintf(text, sizeof(text), "# nfguard:allow\nx=%s\n", a);
	g = scan(text);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].allowed, 0);
	snprintf(text, sizeof(text), "x=%s\n# nfguard:allow\n", a);
	g = scan(text);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].allowed, 0);
	/* switched off: nothing is flagged */
	ruleset_set_inline_allow(rs, 0);
	snprintf(text, sizeof(text), "x=%s # nfguard:allow\n", a);
	g = scan(text);
	ruleset_set_inline_allow(rs, 1);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].allowed, 0);
	free(a);
	free(b);
}

/*
 * The allowed flag of one token with the marker gap bytes after it
 * (after != 0) or before it, the gap filled with fill.
 */
static int allowed_at(const char *tok, size_t gap, int after, char fill)
{
	char text[512];
	size_t n = 0, tl = strlen(tok);
	struct got g;

	memcpy(text, "k=", 2);
	n = 2;
	if (!after) {
		memcpy(text + n, ALLOW_MARKER, strlen(ALLOW_MARKER));
		n += strlen(ALLOW_MARKER);
		memset(text + n, fill, gap);
		n += gap;
	}
	memcpy(text + n, tok, tl);
	n += tl;
	if (after) {
		memset(text + n, fill, gap);
		n += gap;
		memcpy(text + n, ALLOW_MARKER, strlen(ALLOW_MARKER));
		n += strlen(ALLOW_MARKER);
	}
	text[n] = '\0';
	g = scan(text);
	assert_int_equal(g.n, 1);
	return g.h[0].allowed;
}

/* The marker counts up to ALLOW_DISTANCE bytes away, not one more. */
static void test_inline_allow_distance(void **state)
{
	char *tok = make_token(32, 14);

	(void)state;
	assert_int_equal(ALLOW_DISTANCE, 64);
	assert_int_equal(allowed_at(tok, 1, 1, ' '), 1);
	assert_int_equal(allowed_at(tok, 1, 0, ' '), 1);
	assert_int_equal(allowed_at(tok, ALLOW_DISTANCE, 1, ' '), 1);
	assert_int_equal(allowed_at(tok, ALLOW_DISTANCE + 1, 1, ' '), 0);
	assert_int_equal(allowed_at(tok, ALLOW_DISTANCE, 0, ' '), 1);
	assert_int_equal(allowed_at(tok, ALLOW_DISTANCE + 1, 0, ' '), 0);
	assert_int_equal(allowed_at(tok, 300, 1, ' '), 0);
	/* a line break in between: another line */
	assert_int_equal(allowed_at(tok, 1, 1, '\n'), 0);
	assert_int_equal(allowed_at(tok, 1, 0, '\n'), 0);
	assert_int_equal(allowed_at(tok, 1, 1, '\r'), 1);
	free(tok);
}

/* Columns count bytes; char columns count code points (for SARIF). */
static void test_char_columns(void **state)
{
	char *tok = make_token(20, 11), text[256];
	struct got g;

	(void)state;
	snprintf(text, sizeof(text), "x\n\xc3\xa9\xe2\x82\xac=%s\n", tok);
	g = scan(text);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].line, 2);
	assert_int_equal(g.h[0].column, 7);
	assert_int_equal(g.h[0].end_column, 7 + 26);
	assert_int_equal(g.h[0].char_column, 4);
	assert_int_equal(g.h[0].char_end_column, 4 + 26);
	free(tok);
}

static void test_boundaries(void **state)
{
	char *t16 = make_token(16, 2), *t256 = make_token(256, 3);
	char *t15 = make_token(15, 4), *t257 = make_token(257, 5);
	char text[1024];

	(void)state;
	assert_int_equal(scan(t16).n, 1);
	assert_int_equal(scan(t256).n, 1);
	assert_int_equal(scan(t15).n, 0);
	assert_int_equal(scan(t257).n, 0);
	/* preceded by a token character: "conf_at_..." is not a token */
	snprintf(text, sizeof(text), "co%s", t16);
	assert_int_equal(scan(text).n, 0);
	snprintf(text, sizeof(text), "-%s", t16);
	assert_int_equal(scan(text).n, 0);
	/* ended by the first non-token character */
	snprintf(text, sizeof(text), "\"%s\".", t16);
	assert_int_equal(scan(text).n, 1);
	assert_string_equal(scan(text).secret[0], t16);
	free(t16);
	free(t256);
	free(t15);
	free(t257);
}

/* Hits of "k=", n backslashes, "n" and tok. */
static size_t scan_backslashes(const char *tok, size_t n)
{
	char text[256];

	memcpy(text, "k=", 2);
	memset(text + 2, '\\', n);
	snprintf(text + 2 + n, sizeof(text) - 2 - n, "n%s", tok);
	return scan(text).n;
}

/*
 * A token glued after an escape for a non-token character is found at
 * its first raw byte (offset and column: after the escape); glued after
 * letters, digits or an escape for one, it is not.
 */
static void test_escape_boundary(void **state)
{
	static const char *const found[] = {
		"\\u003d",    "\\u0022", "\\u00e9", "\\x3d", "%3D",
		"%22",	      "%3d",	 "\\n",	    "\\r",   "\\t",
		"\\0",	      "\\\\\\n", "\\075",   "\\\"",  "&quot;",
		"&#61;",      "&#x3d;",	 "&nbsp;",  "\\\\",  "&#X3D;",
		"\\b",	      "\\f",	 "%0A",	    "\\a",   "\\U0000003d",
		"\\U0001F600"};
	static const char *const glued[] = {
		"co",	   "x",	      "%41",	   "%4",
		"\\u0041", "\\u003",  "\\x41",	   "\\101",
		"\\\\n",   "\\q",     "\\\\u003d", "\\\\x3d",
		"%5F",	   "\\u002d", "\\\\\\\\n", "\\U00000041"};
	char *tok = make_token(32, 21), text[256];
	size_t i, pl;
	struct got g;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(found); i++) {
		pl = strlen(found[i]);
		snprintf(text, sizeof(text), "a\nk=%s%s\n", found[i], tok);
		g = scan(text);
		if (g.n != 1)
			fail_msg("escape %zu (%s): %zu hits", i, found[i], g.n);
		assert_string_equal(g.secret[0], tok);
		assert_int_equal(g.h[0].offset, 4 + pl);
		assert_int_equal(g.h[0].line, 2);
		assert_int_equal(g.h[0].column, 3 + pl);
		assert_int_equal(g.h[0].end_column, 3 + pl + 38);
	}
	for (i = 0; i < ARRAY_SIZE(glued); i++) {
		snprintf(text, sizeof(text), "k=%s%s\n", glued[i], tok);
		if (scan(text).n)
			fail_msg("glued %zu (%s) reported", i, glued[i]);
	}
	/* backslashes counted: an odd run escapes the n, an even one does
	 * not; one longer than the engine reads counts as an escape */
	assert_int_equal(scan_backslashes(tok, 21), 1);
	assert_int_equal(scan_backslashes(tok, 20), 0);
	assert_int_equal(scan_backslashes(tok, 40), 1);
	/* at the very start of the input */
	snprintf(text, sizeof(text), "%%3D%s", tok);
	g = scan(text);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].offset, 3);
	free(tok);
}

/* The right side already ends at an escape's first byte. */
static void test_escape_after(void **state)
{
	static const char *const after[] = {"\\u0022", "\\n",	 "%22",
					    "%26",     "&quot;", "&#34;"};
	char *tok = make_token(24, 22), text[256];
	size_t i;
	struct got g;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(after); i++) {
		snprintf(text, sizeof(text), "\"%s%s,", tok, after[i]);
		g = scan(text);
		assert_int_equal(g.n, 1);
		assert_string_equal(g.secret[0], tok);
	}
	free(tok);
}

/*
 * The decoded character is judged by the rule's own left boundary, not
 * by a class written in C: a rule that takes ';' as a token character
 * rejects "&#65;" ("A") before a token and accepts "&#61;" ("=").
 */
static void test_escape_rule_boundary(void **state)
{
	static const char json[] =
		"{\"version\": 1, \"rules\": [{\"id\": \"semi\", "
		"\"description\": \"d\", \"severity\": \"high\", "
		"\"remediation\": \"r\", \"keywords\": [\"nf_at_\"], "
		"\"min_length\": 16, \"max_length\": 64, \"pattern\": "
		"\"(?<![A-Za-z0-9;])(?<secret>nf_at_[A-Za-z0-9]{16,64})\"}]}";
	struct rule_specs l = {0};
	struct ruleset *rs2;
	struct scanner *sc2;
	char *tok = make_token(32, 23), text[256];
	struct got g;

	(void)state;
	assert_int_equal(rules_parse(&l, json, strlen(json), "semi.json"), 0);
	assert_int_equal(ruleset_new(&rs2, l.v, l.n), 0);
	assert_int_equal(scanner_new(&sc2, rs2), 0);
	snprintf(text, sizeof(text), "x=&#65;%s\ny=&#61;%s\nz=;%s\n", tok, tok,
		 tok);
	memset(&g, 0, sizeof(g));
	assert_int_equal(
		scanner_scan_mem(sc2, NULL, text, strlen(text), record, &g), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].line, 2);
	assert_int_equal(g.h[0].column, 8);
	scanner_free(sc2);
	ruleset_free(rs2);
	rule_specs_release(&l);
	free(tok);
}

static void test_two_on_a_line(void **state)
{
	char *a = make_token(20, 6), *b = make_token(40, 7), text[256];
	struct got g;

	(void)state;
	snprintf(text, sizeof(text), "%s,%s", a, b);
	g = scan(text);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.secret[0], a);
	assert_string_equal(g.secret[1], b);
	assert_int_equal(g.h[1].column, 1 + 26 + 1);
	free(a);
	free(b);
}

static void test_placeholders_rejected(void **state)
{
	static const char *const bodies[] = {
		"xxx",
		"YOUR_TOKEN",
		"your_account_token_here",
		"...",
		"\xe2\x80\xa6",
		"<token>",
		"${NOTIFLOWS_TOKEN}",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"XXXX-XXXX-XXXX-XXXX-XXXX",
		"0000000000000000",
		"insert_your_token_here_please",
		"REDACTED_REDACTED_REDACTED",
	};
	char text[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bodies); i++) {
		snprintf(text, sizeof(text), "T=nf_%s_%s\n", "at", bodies[i]);
		if (scan(text).n)
			fail_msg("placeholder %zu reported: %s", i, text);
	}
}

static void test_filters(void **state)
{
	char *stop[] = {"your", "here"};

	(void)state;
	assert_true(shannon_entropy("aaaa", 4) == 0.0);
	assert_true(shannon_entropy("abcd", 4) == 2.0);
	assert_true(shannon_entropy("", 0) == 0.0);
	assert_true(is_repeated_char("a-a_aaa", 7));
	assert_false(is_repeated_char("aab", 3));
	assert_true(has_stopword("put_YOUR_key", 12, stop, 2));
	assert_true(has_stopword("here", 4, stop, 2));
	assert_false(has_stopword("yourself_Xq", 11, stop, 2));
	assert_false(has_stopword("AhereB", 6, stop, 2));
}

/* read_pieces that remembers where the scanner's buffer starts. */
struct spy {
	struct pieces r;
	const char *buf; /* dst of the first read */
};

static long read_spy(void *ctx, char *dst, size_t len)
{
	struct spy *s = ctx;

	if (!s->buf)
		s->buf = dst;
	return read_pieces(&s->r, dst, len);
}

/* 1 if n bytes at p are all zero. */
static int all_zero(const char *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/*
 * The scanner's stream buffer is wiped when a rule matched in the stream
 * (a token, or a placeholder the filters drop), and left alone when none
 * did: the common path pays nothing. The buffer stays the scanner's until
 * scanner_free, so it can be looked at after the scan.
 */
static void test_stream_wipe(void **state)
{
	char *tok = make_token(40, 11), text[128];
	/* A placeholder, split so no scan of this file sees a token. */
	const char *kinds[] = {tok,
			       "nf_at_"
			       "your_token_here_0000000000000000",
			       "no token at all"};
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		struct got g;
		struct spy s;

		n = (size_t)snprintf(text, sizeof(text), "T=%s\n", kinds[i]);
		memset(&s, 0, sizeof(s));
		s.r = (struct pieces){text, n, 0, n};
		memset(&g, 0, sizeof(g));
		assert_int_equal(scanner_scan_stream(sc, "a.env", read_spy, &s,
						     record, &g, NULL),
				 0);
		assert_int_equal(g.n, i == 0);
		assert_non_null(s.buf);
		if (i < 2)
			assert_true(all_zero(s.buf, n));
		else
			assert_memory_equal(s.buf, text, n);
	}
	free(tok);
}

/* Expected line and column of offset at, counted the slow way. */
static uint64_t line_of(const char *text, size_t at)
{
	uint64_t line = 1;
	size_t i;

	for (i = 0; i < at; i++)
		line += text[i] == '\n';
	return line;
}

static uint64_t column_of(const char *text, size_t at)
{
	size_t i = at;

	while (i > 0 && text[i - 1] != '\n')
		i--;
	return at - i + 1;
}

/*
 * A token placed across each boundary the stream scanner has (the chunk
 * size, the end of a read, the end of the hit zone), at many shifts, is
 * found exactly once with the right line and column, read or fed.
 */
static void test_stream_boundaries(void **state)
{
	size_t size = 3 * SCANNER_CHUNK, k, b, shift;
	size_t span = ruleset_span(rs);
	size_t bounds[] = {SCANNER_CHUNK, SCANNER_CHUNK + 256,
			   SCANNER_CHUNK + span, 2 * SCANNER_CHUNK + span,
			   2 * SCANNER_CHUNK};
	char *text = malloc(size);
	char *tok = make_token(40, 8);

	(void)state;
	memset(text, 'x', size);
	for (k = 0; k < size; k += 1000)
		text[k] = '\n';
	for (b = 0; b < ARRAY_SIZE(bounds); b++) {
		for (shift = 0; shift <= 50; shift += 5) {
			size_t at = bounds[b] - 46 + shift;
			struct pieces r = {text, size, 0, 70000};
			char save[48];
			struct got g;
			uint64_t bytes;

			memcpy(save, text + at - 1, 48);
			text[at - 1] = ' ';
			memcpy(text + at, tok, 46);
			text[at + 46] = ' ';
			memset(&g, 0, sizeof(g));
			assert_int_equal(
				scanner_scan_stream(sc, NULL, read_pieces, &r,
						    record, &g, &bytes),
				0);
			assert_int_equal(bytes, size);
			assert_int_equal(g.n, 1);
			assert_int_equal(g.h[0].offset, at);
			assert_int_equal(g.h[0].line, line_of(text, at));
			assert_int_equal(g.h[0].column, column_of(text, at));
			assert_string_equal(g.secret[0], tok);
			/* fed in other pieces, the same one hit */
			memset(&g, 0, sizeof(g));
			assert_int_equal(feed_pieces(sc, NULL, text, size,
						     65536 + 7 * shift, record,
						     &g),
					 0);
			assert_int_equal(g.n, 1);
			assert_int_equal(g.h[0].offset, at);
			assert_int_equal(g.h[0].line, line_of(text, at));
			assert_int_equal(g.h[0].column, column_of(text, at));
			memcpy(text + at - 1, save, 48);
		}
	}
	free(tok);
	free(text);
}

/*
 * An escape before a token, placed across the first chunk's boundary and
 * the end of its hit zone at every shift, is read from the bytes the
 * stream keeps: the stream finds what a whole-buffer scan finds, where it
 * finds it. Filler 'a' makes the escape the only boundary there is.
 */
static void test_stream_escape_boundaries(void **state)
{
	static const char *const forms[] = {"\\u003d", "%3D", "\\\\\\n",
					    "\\\\n", "\\U0000003d"};
	size_t size = 2 * SCANNER_CHUNK, f, shift;
	char *text = malloc(size), *tok = make_token(40, 24);

	(void)state;
	memset(text, 'a', size);
	for (f = 0; f < ARRAY_SIZE(forms); f++) {
		size_t fl = strlen(forms[f]);

		for (shift = 0; shift < 360; shift++) {
			/* the escape's first byte from 12 before the chunk's
			 * end to past the end of its hit zone */
			size_t at = SCANNER_CHUNK - 12 + shift;
			struct pieces r = {text, size, 0, 70000};
			struct got g, m;

			if (shift == 24)
				shift = 300; /* the hit zone ends near 333 */
			memcpy(text + at, forms[f], fl);
			memcpy(text + at + fl, tok, 46);
			text[at + fl + 46] = ' ';
			memset(&g, 0, sizeof(g));
			assert_int_equal(scanner_scan_stream(sc, NULL,
							     read_pieces, &r,
							     record, &g, NULL),
					 0);
			memset(&m, 0, sizeof(m));
			assert_int_equal(scanner_scan_mem(sc, NULL, text, size,
							  record, &m),
					 0);
			assert_int_equal(g.n, f != 3);
			assert_int_equal(m.n, g.n);
			if (g.n) {
				assert_int_equal(g.h[0].offset, at + fl);
				assert_int_equal(m.h[0].offset, at + fl);
				assert_int_equal(g.h[0].column, at + fl + 1);
			}
			memset(text + at, 'a', fl + 47);
		}
	}
	free(tok);
	free(text);
}

/*
 * One line longer than the chunk: a token with the marker ALLOW_DISTANCE
 * (allowed) or one more byte (not) after or before it, placed across every
 * boundary the stream scanner has, is flagged as a whole-buffer scan
 * flags it.
 */
static void test_stream_allow_boundaries(void **state)
{
	size_t size = 3 * SCANNER_CHUNK, b, shift, mk = strlen(ALLOW_MARKER);
	size_t span = ruleset_span(rs);
	size_t bounds[] = {SCANNER_CHUNK, SCANNER_CHUNK + span / 2,
			   SCANNER_CHUNK + span, 2 * SCANNER_CHUNK + span,
			   2 * SCANNER_CHUNK};
	char *text = malloc(size), *tok = make_token(40, 9);
	int variant;

	(void)state;
	for (b = 0; b < ARRAY_SIZE(bounds); b++)
		for (shift = 0; shift <= 300; shift += 15)
			for (variant = 0; variant < 4; variant++) {
				size_t gap = ALLOW_DISTANCE + (variant & 1);
				int after = variant < 2;
				size_t at = bounds[b] - 200 + shift, m;
				struct pieces r = {text, size, 0, 70000};
				struct got g;

				memset(text, '.', size);
				text[at - 1] = ' ';
				memcpy(text + at, tok, 46);
				text[at + 46] = ' ';
				m = after ? at + 46 + gap : at - gap - mk;
				memcpy(text + m, ALLOW_MARKER, mk);
				memset(&g, 0, sizeof(g));
				assert_int_equal(scanner_scan_stream(
							 sc, NULL, read_pieces,
							 &r, record, &g, NULL),
						 0);
				assert_int_equal(g.n, 1);
				assert_int_equal(g.h[0].offset, at);
				assert_int_equal(g.h[0].allowed,
						 !(variant & 1));
				memset(&g, 0, sizeof(g));
				assert_int_equal(scanner_scan_mem(sc, NULL,
								  text, size,
								  record, &g),
						 0);
				assert_int_equal(g.n, 1);
				assert_int_equal(g.h[0].allowed,
						 !(variant & 1));
			}
	free(tok);
	free(text);
}

static void test_binary_bytes(void **state)
{
	char *tok = make_token(24, 9);
	char data[200];
	struct got g;

	(void)state;
	memset(data, 0, sizeof(data));
	data[10] = '\xff';
	data[11] = '\n';
	memcpy(data + 50, tok, 30);
	memset(&g, 0, sizeof(g));
	assert_int_equal(
		scanner_scan_mem(sc, NULL, data, sizeof(data), record, &g), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.h[0].line, 2);
	assert_int_equal(g.h[0].column, 50 - 12 + 1);
	free(tok);
}

static void test_examples_pass(void **state)
{
	struct rules_check_result res;

	(void)state;
	assert_int_equal(rules_check_examples(rs, &res), 0);
	assert_int_equal(res.failed, 0);
	assert_true(res.examples >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_token_with_position),
		cmocka_unit_test(test_char_columns),
		cmocka_unit_test(test_inline_allow),
		cmocka_unit_test(test_inline_allow_distance),
		cmocka_unit_test(test_stream_allow_boundaries),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_two_on_a_line),
		cmocka_unit_test(test_escape_boundary),
		cmocka_unit_test(test_escape_after),
		cmocka_unit_test(test_escape_rule_boundary),
		cmocka_unit_test(test_placeholders_rejected),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_stream_boundaries),
		cmocka_unit_test(test_stream_escape_boundaries),
		cmocka_unit_test(test_stream_wipe),
		cmocka_unit_test(test_binary_bytes),
		cmocka_unit_test(test_examples_pass),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

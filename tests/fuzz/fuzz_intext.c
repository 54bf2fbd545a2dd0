/*
 * Fuzzes the text decoders (base64, UTF-16) through the engine's
 * triggers: the input, with each "{{T}}" replaced by the keyword, is
 * scanned as it is, or first encoded (FLAGS bit 0: base64, wrapped at a
 * width from bit 2-4; bit 1: UTF-16LE, then base64 if bit 0 too).
 * Oracle: a whole-buffer scan and a stream read in pieces give the same
 * hits; every hit is a token of the built-in rule whose raw bytes lie in
 * the input, its end line and column those of their last byte, with at
 * most as many layers as allowed.
 *
 * Input: FLAGS STEP TEXT.
 */
#include "fuzz.h"
#include "config/rules.h"
#include "decode/decode.h"
#include "decode/intext.h"
#include "engine/engine.h"
#include "../unit/testutil.h"

#include <stdlib.h>
#include <string.h>

#define KEYWORD                                                                \
	"nf_"                                                                  \
	"at_"

static struct ruleset *rs;
static struct scanner *sc;
static struct intext *it;

struct got {
	size_t n;
	struct hit v[64];
	char secret[64][300];
};

static int keep(void *ctx, const struct hit *h)
{
	struct got *g = ctx;

	if (g->n < 64) {
		g->v[g->n] = *h;
		FUZZ_CHECK(h->len < 300);
		memcpy(g->secret[g->n], h->secret, h->len);
	}
	g->n++;
	return 0;
}

/* Appends base64 of p[0..n) to out, a line break every width chars. */
static size_t b64(const unsigned char *p, size_t n, char *out, size_t width)
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789+/";
	size_t i, k = 0, col = 0;

	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		char q[4];
		int j;

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = a[v >> 18];
		q[1] = a[(v >> 12) & 63];
		q[2] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? a[v & 63] : '=';
		for (j = 0; j < 4; j++) {
			out[k++] = q[j];
			if (width && ++col == width) {
				out[k++] = '\n';
				col = 0;
			}
		}
	}
	return k;
}

static void check_hits(const struct got *g, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < g->n && i < 64; i++) {
		const struct hit *h = &g->v[i];
		const char *raw = b + h->offset;
		size_t k, lines = 0, after = 0; /* bytes after the last '\n' */

		FUZZ_CHECK(h->len >= 22 && !memcmp(g->secret[i], KEYWORD, 6));
		FUZZ_CHECK(h->offset + h->span <= n);
		for (k = 0; k < h->span; k++) {
			after = raw[k] == '\n' ? 0 : after + 1;
			lines += raw[k] == '\n';
		}
		FUZZ_CHECK(h->end_line == h->line + lines);
		FUZZ_CHECK(h->end_column ==
			   (lines ? after + 1 : h->column + h->span));
		FUZZ_CHECK(h->nencoding <= 4);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8192], wide[16384], enc[32768];
	struct got mem, str;
	struct pieces r;
	size_t n = 0, i, ml = 5;
	const char *b = text;
	uint64_t bytes = 0;

	if (!rs && (rules_open(&rs, NULL) || intext_prepare(rs, DECODE_ALL) ||
		    intext_new(&it, rs, 4) || scanner_new(&sc, rs)))
		abort();
	if (size < 2 || size > 4000)
		return 0;
	for (i = 2; i < size;) {
		if (size - i >= ml && !memcmp(data + i, "{{T}}", ml)) {
			memcpy(text + n, KEYWORD, 6);
			n += 6;
			i += ml;
		} else {
			text[n++] = (char)data[i++];
		}
	}
	if (data[0] & 2) {
		for (i = 0; i < n; i++) {
			wide[2 * i] = text[i];
			wide[2 * i + 1] = 0;
		}
		n *= 2;
		b = wide;
	}
	if (data[0] & 1) {
		n = b64((const unsigned char *)b, n, enc,
			(size_t)((data[0] >> 2) & 7) * 16);
		b = enc;
	}
	memset(&mem, 0, sizeof(mem));
	memset(&str, 0, sizeof(str));
	intext_attach(it, sc, 4);
	FUZZ_CHECK(scanner_scan_mem(sc, "x", b, n, keep, &mem) == 0);
	check_hits(&mem, b, n);
	r.p = b;
	r.len = n;
	r.at = 0;
	r.step = 1 + data[1];
	intext_attach(it, sc, 4);
	FUZZ_CHECK(scanner_scan_stream(sc, "x", read_pieces, &r, keep, &str,
				       &bytes) == 0);
	FUZZ_CHECK(bytes == n && mem.n == str.n);
	for (i = 0; i < mem.n && i < 64; i++)
		FUZZ_CHECK(mem.v[i].offset == str.v[i].offset &&
			   mem.v[i].span == str.v[i].span &&
			   mem.v[i].end_line == str.v[i].end_line &&
			   mem.v[i].len == str.v[i].len &&
			   !memcmp(mem.secret[i], str.secret[i], mem.v[i].len));
	return 0;
}

/*
 * Base64 and UTF-16 found through the prefilter: the literals each adds,
 * and the trigger that decodes the run around one literal and scans it
 * with the next layer's scanner, mapping what it finds back to raw bytes.
 */
#include "util/common.h"
#include "util/error.h"
#include "decode/decode.h"
#include "decode/intext.h"

enum { KIND_BASE64 = 1, KIND_UTF16 = 2 };

/* A trigger's tag: the decoder, the literal's first character's place in
 * its base64 group, and whether the literal starts with a line break. */
#define TAG(kind, phase, lead) ((kind) | (phase) << 4 | (lead) << 6)
#define TAG_KIND(t)	       ((t)&15u)
#define TAG_PHASE(t)	       (((t) >> 4) & 3u)
#define TAG_LEAD(t)	       (((t) >> 6) & 1u)

/*
 * Raw bytes a trigger may read before and after its literal: the start of
 * a base64 run is looked for up to RUN_BACK bytes back (a run that starts
 * further back is reported from there).
 */
#define RUN_BACK     INTEXT_WINDOW
#define REACH_BEFORE (RUN_BACK + 64)
#define REACH_AFTER  (2 * INTEXT_WINDOW + 64)

/* Characters of base64 context kept before a token's group. */
#define BASE64_CONTEXT 8

/* One layer of decoding: the bytes it decoded and where they came from. */
struct layer {
	struct intext *t;
	unsigned index;	    /* 0: the attached scanner's raw input */
	struct scanner *sc; /* scans buf (layers >= 1) */
	unsigned char *buf; /* decoded bytes */
	uint32_t *pos;	    /* buf[i] came from data[pos[i]] below */
	uint32_t *chars;    /* base64: raw index of each character */
	/* base64: the run's bounds in the window below (struct run) */
	size_t run_floor, run_end, run_lim;
	uint64_t done_end; /* raw stream offset decoded up to */
	/* while buf is scanned: where its hits go */
	struct scanner *outer; /* the scanner of the layer below */
	const char *data;      /* the window below */
	uint64_t base;
	unsigned width; /* raw bytes per decoded unit: 1 or 2 */
	const char *name;
};

struct intext {
	unsigned depth, layers;
	uint64_t limited;
	struct layer layer[HIT_MAX_ENCODING + 1];
};

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t intext_base64_literal(const unsigned char *s, size_t n, unsigned align,
			     char *out, unsigned *phase)
{
	size_t bits = 8 * ((size_t)align + n), first = (8 * align + 5) / 6;
	size_t j, k = 0;

	/* Character j holds bits [6j, 6j + 6): known when all are of s. */
	for (j = first; 6 * j + 6 <= bits; j++) {
		unsigned v = 0, b;

		for (b = 0; b < 6; b++) {
			size_t bit = 6 * j + b, byte = bit / 8 - align;

			v = v << 1 | ((s[byte] >> (7 - bit % 8)) & 1u);
		}
		out[k++] = b64_alphabet[v];
	}
	*phase = (unsigned)(first % 4);
	return k;
}

static int add(struct ruleset *rs, const char *lit, size_t n, unsigned tag)
{
	return ruleset_add_trigger(rs, lit, n, tag, REACH_BEFORE, REACH_AFTER);
}

/*
 * The base64 literals of s at each alignment, and with wrapped = 1 the
 * same split by a line break wherever a piece of 4 characters or more
 * stays on one side ("\n" + tail, head + "\r" or "\n").
 */
static int add_base64(struct ruleset *rs, const unsigned char *s, size_t n,
		      int wrapped)
{
	char lit[2 * 256 + 8], piece[2 * 256 + 8];
	unsigned a, phase;
	size_t len, i;
	int err = 0;

	for (a = 0; !err && a < 3; a++) {
		len = intext_base64_literal(s, n, a, lit, &phase);
		if (len < 4)
			continue;
		err = add(rs, lit, len, TAG(KIND_BASE64, phase, 0));
		for (i = 1; wrapped && !err && i < len; i++) {
			if (len - i >= 4) {
				piece[0] = '\n';
				memcpy(piece + 1, lit + i, len - i);
				err = add(rs, piece, len - i + 1,
					  TAG(KIND_BASE64, (phase + i) % 4, 1));
			}
			if (!err && i >= 5) {
				memcpy(piece, lit, i);
				piece[i] = '\r';
				err = add(rs, piece, i + 1,
					  TAG(KIND_BASE64, phase, 0));
				piece[i] = '\n';
				if (!err)
					err = add(rs, piece, i + 1,
						  TAG(KIND_BASE64, phase, 0));
			}
		}
	}
	return err;
}

/* Triggers for keyword k (n >= 4 bytes, at most 256). */
static int add_keyword_triggers(struct ruleset *rs, const char *k, size_t n,
				unsigned enabled)
{
	unsigned char wide[2 * 256];
	char lit[2 * 256 + 8];
	unsigned a, phase;
	size_t i, len;
	int err = 0;

	for (i = 0; i < n; i++) {
		wide[2 * i] = (unsigned char)k[i];
		wide[2 * i + 1] = 0;
	}
	if (enabled & DECODE_BASE64) {
		err = add_base64(rs, (const unsigned char *)k, n, 1);
		/* base64 of base64 (a Kubernetes Secret of a Docker
		 * config.json): the first layer's literals, encoded again. */
		for (a = 0; !err && a < 3; a++) {
			len = intext_base64_literal((const unsigned char *)k, n,
						    a, lit, &phase);
			err = add_base64(rs, (const unsigned char *)lit, len,
					 0);
		}
	}
	/* From the second character: the same bytes in either order. */
	if (!err && (enabled & DECODE_UTF16))
		err = add(rs, (const char *)wide + 2, 2 * n - 3,
			  TAG(KIND_UTF16, 0, 0));
	/* base64 of UTF-16LE (PowerShell's -EncodedCommand). */
	if (!err && (enabled & DECODE_BASE64) && (enabled & DECODE_UTF16))
		err = add_base64(rs, wide, 2 * n, 0);
	return err;
}

int intext_prepare(struct ruleset *rs, unsigned enabled)
{
	size_t i, n = ruleset_keyword_count(rs);
	int err = 0;

	if (!(enabled & (DECODE_BASE64 | DECODE_UTF16)))
		return 0;
	for (i = 0; !err && i < n; i++) {
		unsigned trigger;
		size_t len;
		const char *k = ruleset_keyword(rs, i, &len, &trigger);
		char copy[256];

		/* A copy: adding triggers moves the keyword table. */
		if (trigger || len < 4 || len > sizeof(copy))
			continue;
		memcpy(copy, k, len);
		err = add_keyword_triggers(rs, copy, len, enabled);
	}
	return err;
}

/*
 * Steps back from data[q] over count base64 characters, line breaks not
 * counted; -1 when a byte that is neither comes first.
 */
static long b64_back(const char *data, long q, unsigned count)
{
	while (count) {
		if (--q < 0)
			return -1;
		if (data[q] == '\n' || data[q] == '\r')
			continue;
		if (b64_value((unsigned char)data[q]) < 0)
			return -1;
		count--;
	}
	return q;
}

/*
 * Decodes the base64 run around the literal at data[p] into l: from the
 * start of its group (a little before, for the rules' left boundary) to
 * the end of the run, the window or INTEXT_WINDOW bytes. Returns the
 * bytes decoded; *end gets the raw index where decoding stopped.
 */
static size_t decode_base64(struct layer *l, const char *data, size_t len,
			    size_t p, unsigned tag, size_t *end)
{
	long g = b64_back(data, (long)(p + TAG_LEAD(tag)), TAG_PHASE(tag));
	unsigned long acc = 0;
	size_t i, n = 0, nchars = 0;
	unsigned nbits = 0, k;

	/* No further than the stream is sure to hold, whatever its chunks. */
	if (len - p > REACH_AFTER)
		len = p + REACH_AFTER;
	*end = p + 1;
	if (g < 0)
		return 0;
	for (k = 0; k < BASE64_CONTEXT / 4; k++) {
		long back = b64_back(data, g, 4);

		if (back < 0)
			break;
		g = back;
	}
	for (i = (size_t)g; i < len && n < INTEXT_WINDOW; i++) {
		unsigned char c = (unsigned char)data[i];
		int v;

		if (c == '\n' || c == '\r')
			continue;
		if ((v = b64_value(c)) < 0)
			break;
		l->chars[nchars++] = (uint32_t)i;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			l->buf[n] = (unsigned char)(acc >> nbits);
			/* The byte's first bit is in character 8n / 6. */
			l->pos[n] = l->chars[8 * n / 6];
			n++;
		}
	}
	*end = i;
	return n;
}

/* A character of ASCII text: what a UTF-16 run is made of here. */
static int is_text(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Decodes the UTF-16 text around the literal at data[p] (a character
 * byte, each followed by a zero byte): back to the start of the run (at
 * most REACH_BEFORE bytes), forward to its end or INTEXT_WINDOW
 * characters. A character outside printable ASCII ends it (a token is
 * ASCII; a byte order mark is not part of the run). whole: data starts
 * where the raw input does. Sets l->name to the
 * byte order the run's start shows (a zero byte before its first
 * character: big-endian).
 */
static size_t decode_utf16(struct layer *l, const char *data, size_t len,
			   size_t p, int whole, size_t *end)
{
	size_t q = p, i, n = 0, be;

	while (q >= 2 && p - q < REACH_BEFORE - 2 && !data[q - 1] &&
	       is_text((unsigned char)data[q - 2]))
		q -= 2;
	/*
	 * A zero byte before the first character: big-endian, unless that
	 * byte starts a window cut from decoded text (whose first byte may
	 * be the second half of a unit): then little-endian, as Windows,
	 * and so base64 of UTF-16, writes it.
	 */
	be = q >= 1 && !data[q - 1] && (q >= 2 || whole);
	l->name = be ? "utf16be" : "utf16le";
	for (i = q;
	     i < len && is_text((unsigned char)data[i]) && n < INTEXT_WINDOW;
	     i += 2) {
		l->buf[n] = (unsigned char)data[i];
		l->pos[n++] = (uint32_t)(i - be);
		if (i + 1 >= len || data[i + 1])
			break;
	}
	*end = i;
	return n;
}

/*
 * Where a base64 run lies in the bytes below a layer: its characters are
 * in d[floor..end) (end: where decoding stopped), and d[floor..lim) may
 * be read (for the padding and line ends after end).
 */
struct run {
	const char *d;
	size_t floor, end, lim;
};

/* '=' padding at d[e..): 0 to 2 characters. */
static size_t b64_pad(const struct run *r, size_t e)
{
	size_t k = 0;

	while (k < 2 && e + k < r->lim && r->d[e + k] == '=')
		k++;
	return k;
}

/* PEM armour: "-----BEGIN X-----" ends in, "-----END X-----" starts with
 * characters of the URL-safe alphabet. */
static int is_armour(const char *s, size_t n)
{
	return n >= 5 &&
	       (!memcmp(s, "-----", 5) || !memcmp(s + n - 5, "-----", 5));
}

/*
 * Whether the line break d[a..b) joins the base64 characters before it
 * and those after it into one run: both are there, neither is PEM
 * armour, and one of them fills its line (MIME and PEM wrap whole lines;
 * the first may follow a key, the last come before a closing tag).
 */
static int b64_joins(const struct run *r, size_t a, size_t b)
{
	const char *d = r->d;
	size_t ka = a, kb = b, e;

	while (ka > r->floor && b64_value((unsigned char)d[ka - 1]) >= 0)
		ka--;
	while (kb < r->end && b64_value((unsigned char)d[kb]) >= 0)
		kb++;
	if (ka == a || kb == b || is_armour(d + ka, a - ka) ||
	    is_armour(d + b, kb - b))
		return 0;
	if (ka == r->floor || d[ka - 1] == '\n')
		return 1;
	e = kb + b64_pad(r, kb);
	/* At the window's end a run cut there counts as filling its line. */
	return e == r->lim || d[e] == '\n' || d[e] == '\r' ||
	       (kb == r->end && b64_value((unsigned char)d[kb]) >= 0);
}

/* Start of the run holding the base64 character d[s]. */
static size_t run_start(const struct run *r, size_t s)
{
	const char *d = r->d;

	for (;;) {
		size_t a;

		while (s > r->floor && b64_value((unsigned char)d[s - 1]) >= 0)
			s--;
		if (s == r->floor || d[s - 1] != '\n')
			return s;
		a = s - 1;
		if (a > r->floor && d[a - 1] == '\r')
			a--;
		if (!b64_joins(r, a, s))
			return s;
		s = a;
	}
}

/* End (exclusive, with its padding) of the run holding d[e - 1]. */
static size_t run_end(const struct run *r, size_t e)
{
	const char *d = r->d;

	for (;;) {
		size_t b = e;

		while (e < r->end && b64_value((unsigned char)d[e]) >= 0)
			e++;
		if (e == r->end)
			return e + b64_pad(r, e);
		/* Below end, decoding met only characters and line breaks. */
		if (d[e] == '\n')
			b = e + 1;
		else if (e + 1 < r->end && d[e + 1] == '\n')
			b = e + 2;
		if (b == e || !b64_joins(r, e, b))
			return e;
		e = b;
	}
}

/*
 * A hit in a layer's decoded bytes, handed to the layer below at the raw
 * bytes a person deletes: for base64 the whole run around the token (up
 * to where decoding stopped), for UTF-16 the token's own code units (the
 * run there is the whole text of the file).
 */
static int on_inner_hit(void *ctx, const struct hit *h)
{
	struct layer *l = ctx;
	const char *enc[HIT_MAX_ENCODING];
	size_t a = (size_t)h->offset, b = a + (size_t)h->span;
	size_t rs = l->pos[a], re = l->pos[b - 1] + l->width;
	unsigned n = 0, i;

	if (l->width == 1) {
		struct run r = {l->data, l->run_floor, l->run_end, l->run_lim};

		rs = run_start(&r, rs);
		re = run_end(&r, l->chars[(8 * (b - 1) + 7) / 6] + 1);
	}
	enc[n++] = l->name;
	for (i = 0; i < h->nencoding && n < HIT_MAX_ENCODING; i++)
		enc[n++] = h->encoding[i];
	return scanner_add_decoded(l->outer, h->rule, l->base + rs,
				   l->base + re, h->secret, h->len, enc, n);
}

/* The trigger of the scanner of layer ctx: decodes into the next one. */
static int on_trigger(void *ctx, struct scanner *s, unsigned tag,
		      const char *data, size_t len, uint64_t base, size_t p)
{
	struct layer *below = ctx, *l;
	struct intext *t = below->t;
	size_t n, end;
	int err;

	if (base + p < below->done_end)
		return 0; /* inside a run already decoded */
	if (below->index >= t->layers) {
		t->limited++;
		return 0;
	}
	l = &t->layer[below->index + 1];
	if (len > UINT32_MAX)
		return 0; /* windows are far smaller; never trust that */
	if (TAG_KIND(tag) == KIND_BASE64) {
		n = decode_base64(l, data, len, p, tag, &end);
		l->name = "base64";
		l->width = 1;
		l->run_floor = p > RUN_BACK ? p - RUN_BACK : 0;
		l->run_end = end;
		l->run_lim = len - p > REACH_AFTER ? p + REACH_AFTER : len;
	} else {
		n = decode_utf16(l, data, len, p, !below->index && !base, &end);
		l->width = 2;
	}
	below->done_end = base + end;
	if (!n)
		return 0;
	l->outer = s;
	l->data = data;
	l->base = base;
	l->done_end = 0;
	err = scanner_scan_mem(l->sc, NULL, (const char *)l->buf, n,
			       on_inner_hit, l);
	/* the window may hold a token until the next trigger: not kept */
	explicit_bzero(l->buf, n);
	return err;
}

int intext_new(struct intext **out, const struct ruleset *rs, unsigned depth)
{
	struct intext *t;
	unsigned i;
	int err = 0;

	*out = NULL;
	if (depth > HIT_MAX_ENCODING)
		depth = HIT_MAX_ENCODING;
	if (!(t = calloc(1, sizeof(*t))))
		return error_nomem();
	t->depth = depth;
	for (i = 0; i <= depth; i++) {
		struct layer *l = &t->layer[i];

		l->t = t;
		l->index = i;
		if (!i)
			continue;
		l->buf = malloc(INTEXT_WINDOW);
		l->pos = malloc(INTEXT_WINDOW * sizeof(*l->pos));
		l->chars =
			malloc((INTEXT_WINDOW * 4 / 3 + 4) * sizeof(*l->chars));
		if (!l->buf || !l->pos || !l->chars)
			err = error_nomem();
		else if (!(err = scanner_new(&l->sc, rs)))
			scanner_set_trigger(l->sc, on_trigger, l);
		if (err) {
			intext_free(t);
			return err;
		}
	}
	*out = t;
	return 0;
}

void intext_free(struct intext *t)
{
	unsigned i;

	if (!t)
		return;
	for (i = 1; i <= t->depth; i++) {
		struct layer *l = &t->layer[i];

		scanner_free(l->sc);
		if (l->buf)
			explicit_bzero(l->buf, INTEXT_WINDOW);
		free(l->buf);
		free(l->pos);
		free(l->chars);
	}
	free(t);
}

void intext_attach(struct intext *t, struct scanner *sc, unsigned layers)
{
	t->layers = layers < t->depth ? layers : t->depth;
	t->limited = 0;
	t->layer[0].done_end = 0;
	scanner_set_trigger(sc, on_trigger, &t->layer[0]);
}

uint64_t intext_depth_limited(const struct intext *t)
{
	return t->limited;
}

/*
 * Fuzzes the engine with the built-in rules over arbitrary bytes, each
 * "{{T}}" in the input replaced by the rule's keyword (seeds hold no
 * token). Oracle: a naive model of the rule gives exactly the hits, with
 * offset, line, columns and allow flag recomputed from the bytes; a
 * streamed scan and a fed one give the same; every report format parses and
 * never holds a whole token.
 *
 * Input: FLAGS OFFSET TEXT. FLAGS bits 0 and 1 both set: put TEXT after
 * about SCANNER_CHUNK filler bytes, so it crosses the stream's first
 * chunk boundary (OFFSET moves it; two bits, as a padded run costs a
 * hundred plain ones); bits 2-3: the filler; bit 4: inline allow off;
 * bits 5-7: the size of each read of the stream.
 */
#include "fuzz.h"
#include "config/rules.h"
#include "engine/engine.h"
#include "finding/finding.h"
#include "report/report.h"
#include "../unit/testutil.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARK "{{T}}"
#define KEYWORD                                                                \
	"nf_"                                                                  \
	"at_"
#define PATH	     "fuzz/x.txt"
#define REPORT_LIMIT 32 /* reports are built for 1 to this many findings */

static struct ruleset *rs;
static struct scanner *sc;

struct got {
	struct hit *v; /* secret points into bytes, a copy */
	char *bytes;
	size_t n, cap, nbytes;
};

static int keep_hit(void *ctx, const struct hit *h)
{
	struct got *g = ctx;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->v = realloc(g->v, g->cap * sizeof(*g->v));
		if (!g->v)
			abort();
	}
	g->bytes = realloc(g->bytes, g->nbytes + h->len + 1);
	if (!g->bytes)
		abort();
	memcpy(g->bytes + g->nbytes, h->secret, h->len);
	g->v[g->n] = *h;
	g->v[g->n].secret = (const char *)(uintptr_t)g->nbytes;
	g->nbytes += h->len;
	g->n++;
	return 0;
}

static const char *secret_of(const struct got *g, size_t i)
{
	return g->bytes + (uintptr_t)g->v[i].secret;
}

static int tok_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/*
 * 1 if the escape of k bytes ending at start is not itself escaped: the
 * backslashes before it are even in number, or run back to the first of
 * the 32 bytes the engine reads (unless that is the input's start).
 */
static int model_unescaped(const char *b, size_t start, size_t k)
{
	size_t q = start - k, run = 0;

	while (run < q && b[q - run - 1] == '\\')
		run++;
	return run % 2 == 0 || (start > 32 && q - run <= start - 32);
}

/*
 * 1 if an escape standing for a non-token character ends at start. Only
 * those whose last byte is a token character matter to the built-in
 * rule: a "\UXXXXXXXX", "\uXXXX", "\xXX" or "\NNN" (octal) escape,
 * "%XX", or a backslash and one of n r t b f v a e 0.
 */
static int model_escaped(const char *b, size_t start)
{
	unsigned long v;
	char hex[5] = {0}, wide[9] = {0};
	size_t i;

	if (start >= 10 && b[start - 10] == '\\' && b[start - 9] == 'U' &&
	    model_unescaped(b, start, 10)) {
		for (i = 0; i < 8 && is_hex(b[start - 8 + i]); i++)
			wide[i] = b[start - 8 + i];
		if (i == 8) {
			v = strtoul(wide, NULL, 16);
			return v >= 0x80 ? v <= 0x10ffff
					 : !tok_char((unsigned char)v);
		}
	}
	if (start >= 6 && b[start - 6] == '\\' && b[start - 5] == 'u' &&
	    is_hex(b[start - 4]) && is_hex(b[start - 3]) &&
	    is_hex(b[start - 2]) && is_hex(b[start - 1]) &&
	    model_unescaped(b, start, 6)) {
		memcpy(hex, b + start - 4, 4);
		v = strtoul(hex, NULL, 16);
		return v >= 0x80 || !tok_char((unsigned char)v);
	}
	if (start >= 4 && b[start - 4] == '\\' && b[start - 3] == 'x' &&
	    is_hex(b[start - 2]) && is_hex(b[start - 1]) &&
	    model_unescaped(b, start, 4)) {
		memcpy(hex, b + start - 2, 2);
		v = strtoul(hex, NULL, 16);
		return v >= 0x80 || !tok_char((unsigned char)v);
	}
	if (start >= 4 && b[start - 4] == '\\' && b[start - 3] >= '0' &&
	    b[start - 3] <= '3' && b[start - 2] >= '0' && b[start - 2] <= '7' &&
	    b[start - 1] >= '0' && b[start - 1] <= '7' &&
	    model_unescaped(b, start, 4)) {
		memcpy(hex, b + start - 3, 3);
		v = strtoul(hex, NULL, 8);
		return v >= 0x80 || !tok_char((unsigned char)v);
	}
	if (start >= 2 && b[start - 2] == '\\' &&
	    memchr("nrtbfvae0", b[start - 1], 9) &&
	    model_unescaped(b, start, 2))
		return 1;
	if (start >= 3 && b[start - 3] == '%' && is_hex(b[start - 2]) &&
	    is_hex(b[start - 1])) {
		memcpy(hex, b + start - 2, 2);
		v = strtoul(hex, NULL, 16);
		return v >= 0x80 || !tok_char((unsigned char)v);
	}
	return 0;
}

/*
 * The built-in rule, naively: a run of [A-Za-z0-9_-] starting with the
 * keyword, not preceded by a token character unless an escape for a
 * non-token character ends there, 16 to 256 bytes after it, that passes
 * the filters. Returns the run's end at start when it is a secret, else 0.
 */
static size_t model_secret(const char *b, size_t n, size_t start,
			   const struct rule_spec *spec)
{
	size_t end = start + 6, blen;

	if (start + 6 > n || memcmp(b + start, KEYWORD, 6) ||
	    (start && tok_char((unsigned char)b[start - 1]) &&
	     !model_escaped(b, start)))
		return 0;
	while (end < n && tok_char((unsigned char)b[end]))
		end++;
	blen = end - start - 6;
	if (blen < 16 || blen > 256 || is_repeated_char(b + start + 6, blen) ||
	    shannon_entropy(b + start + 6, blen) < spec->min_entropy ||
	    has_stopword(b + start + 6, blen, spec->stopwords,
			 spec->nstopwords))
		return 0;
	return end;
}

/* ALLOW_MARKER on [ls, le) at most ALLOW_DISTANCE bytes from [s, e). */
static int model_allowed(const char *b, size_t ls, size_t le, size_t s,
			 size_t e)
{
	size_t ml = strlen(ALLOW_MARKER), i;

	/* a marker further away cannot count: look no further */
	if (s - ls > ALLOW_DISTANCE + ml)
		ls = s - ALLOW_DISTANCE - ml;
	if (le - e > ALLOW_DISTANCE + ml)
		le = e + ALLOW_DISTANCE + ml;
	for (i = ls; i + ml <= le; i++) {
		if (b[i] != ALLOW_MARKER[0] || memcmp(b + i, ALLOW_MARKER, ml))
			continue;
		if (i + ml <= s && s - (i + ml) <= ALLOW_DISTANCE)
			return 1;
		if (i >= e && i - e <= ALLOW_DISTANCE)
			return 1;
	}
	return 0;
}

/* The hits of the mem scan are those of the model, placed right. */
static void check_model(const char *b, size_t n, const struct got *g,
			int allow_on)
{
	const struct rule_spec *spec = ruleset_rule(rs, 0);
	const char *q = b;
	size_t k = 0, pos = 0, line = 1, ls = 0, chars = 0;

	while ((q = memmem(q, n - (size_t)(q - b), KEYWORD, 6))) {
		size_t s = (size_t)(q - b), e = model_secret(b, n, s, spec), le;

		q++;
		if (!e)
			continue;
		FUZZ_CHECK(k < g->n);
		/* walk to s counting lines and code points, byte by byte */
		for (; pos < s; pos++) {
			if (b[pos] == '\n') {
				line++;
				ls = pos + 1;
				chars = 0;
			} else {
				chars += ((unsigned char)b[pos] & 0xc0) != 0x80;
			}
		}
		for (le = e; le < n && b[le] != '\n'; le++)
			;
		FUZZ_CHECK(g->v[k].rule == 0);
		FUZZ_CHECK(g->v[k].offset == s && g->v[k].len == e - s);
		FUZZ_CHECK(!memcmp(secret_of(g, k), b + s, e - s));
		FUZZ_CHECK(g->v[k].line == line);
		FUZZ_CHECK(g->v[k].column == s - ls + 1);
		FUZZ_CHECK(g->v[k].end_column == e - ls + 1);
		FUZZ_CHECK(g->v[k].char_column == chars + 1);
		FUZZ_CHECK(g->v[k].char_end_column == chars + 1 + (e - s));
		FUZZ_CHECK(g->v[k].allowed ==
			   (allow_on && model_allowed(b, ls, le, s, e)));
		k++;
	}
	FUZZ_CHECK(k == g->n);
}

static void check_same(const struct got *a, const struct got *b)
{
	size_t i;

	FUZZ_CHECK(a->n == b->n);
	for (i = 0; i < a->n; i++) {
		const struct hit *x = &a->v[i], *y = &b->v[i];

		FUZZ_CHECK(x->rule == y->rule && x->offset == y->offset &&
			   x->len == y->len && x->line == y->line &&
			   x->column == y->column &&
			   x->end_column == y->end_column &&
			   x->char_column == y->char_column &&
			   x->char_end_column == y->char_end_column &&
			   x->allowed == y->allowed);
		FUZZ_CHECK(!memcmp(secret_of(a, i), secret_of(b, i), x->len));
	}
}

static char *write_report(enum report_format fmt, const struct findings *l,
			  size_t *len)
{
	static const char *const targets[] = {PATH};
	struct report_opts o = {fmt, 0, 0, rs};
	struct scan_info si;
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		abort();
	memset(&si, 0, sizeof(si));
	si.command = "dir";
	si.targets = targets;
	si.ntargets = 1;
	si.files_scanned = 1;
	FUZZ_CHECK(report_write(f, &o, &si, l) == 0);
	fclose(f);
	return text;
}

/* A finding's object in a JSON report says where it is. */
static void check_json_finding(const cJSON *o, const struct finding *f)
{
	const cJSON *line = cJSON_GetObjectItem(o, "line");
	const cJSON *col = cJSON_GetObjectItem(o, "column");
	const cJSON *end = cJSON_GetObjectItem(o, "end_column");

	FUZZ_CHECK(cJSON_IsObject(o) && !cJSON_GetObjectItem(o, "secret"));
	FUZZ_CHECK(line && line->valuedouble == (double)f->line);
	FUZZ_CHECK(col && col->valuedouble == (double)f->column);
	FUZZ_CHECK(end && end->valuedouble == (double)f->end_column);
}

static void check_reports(const struct findings *l)
{
	enum report_format fmt;

	for (fmt = 0; fmt < REPORT_NFORMATS; fmt++) {
		size_t len, i;
		char *text = write_report(fmt, l, &len);
		cJSON *doc = NULL;
		const cJSON *a;

		for (i = 0; i < l->n; i++)
			FUZZ_CHECK(!memmem(text, len, l->v[i].secret,
					   l->v[i].secret_len));
		if (fmt == REPORT_JSON) {
			doc = cJSON_ParseWithLength(text, len);
			a = cJSON_GetObjectItem(doc, "findings");
			FUZZ_CHECK(cJSON_IsArray(a) &&
				   (size_t)cJSON_GetArraySize(a) == l->n);
			for (i = 0; i < l->n; i++)
				check_json_finding(
					cJSON_GetArrayItem(a, (int)i),
					&l->v[i]);
		} else if (fmt == REPORT_JSONL) {
			const char *p = text, *nl;

			for (i = 0;
			     (nl = memchr(p, '\n', len - (size_t)(p - text)));
			     i++, p = nl + 1) {
				cJSON *o = cJSON_ParseWithLength(
					p, (size_t)(nl - p));

				FUZZ_CHECK(i < l->n && o);
				check_json_finding(o, &l->v[i]);
				cJSON_Delete(o);
			}
			FUZZ_CHECK(i == l->n && p == text + len);
		} else if (fmt == REPORT_SARIF) {
			const cJSON *run;

			doc = cJSON_ParseWithLength(text, len);
			run = cJSON_GetArrayItem(
				cJSON_GetObjectItem(doc, "runs"), 0);
			a = cJSON_GetObjectItem(run, "results");
			FUZZ_CHECK(cJSON_IsArray(a) &&
				   (size_t)cJSON_GetArraySize(a) == l->n);
		} else if (fmt == REPORT_HTML) {
			/*
			 * one page, whose only scripts are the report's own:
			 * the card data block, then the one that runs
			 */
			static const char data[] =
				"<script type=\"application/json\" "
				"id=\"card-data\">";
			const char *d, *r;

			FUZZ_CHECK(len > 15 &&
				   !memcmp(text, "<!DOCTYPE html>", 15));
			d = memmem(text, len, "<script", 7);
			FUZZ_CHECK(d && !memcmp(d, data, sizeof(data) - 1));
			r = memmem(d + 7, len - (size_t)(d + 7 - text),
				   "<script", 7);
			FUZZ_CHECK(r && r == memmem(text, len, "<script>", 8));
			FUZZ_CHECK(!memmem(r + 7, len - (size_t)(r + 7 - text),
					   "<script", 7));
		} else {
			/* human, without colour: text and newlines only */
			for (i = 0; i < len; i++)
				FUZZ_CHECK((unsigned char)text[i] >= 0x20 ||
					   text[i] == '\n');
		}
		cJSON_Delete(doc);
		free(text);
	}
}

/*
 * The input with every MARK replaced by the keyword, after pad bytes of
 * fill, in a buffer kept between runs: a fresh megabyte each time costs
 * more than the scans.
 */
static char *expand(const uint8_t *data, size_t size, size_t pad, char fill,
		    size_t *out_len)
{
	static char *b;
	static size_t cap;
	size_t n = pad, i = 0, ml = strlen(MARK);

	if (pad + size * 2 + 1 > cap) {
		cap = pad + size * 2 + 1;
		free(b);
		if (!(b = malloc(cap)))
			abort();
	}
	memset(b, fill, pad);
	while (i < size) {
		if (data[i] == MARK[0] && size - i >= ml &&
		    !memcmp(data + i, MARK, ml)) {
			memcpy(b + n, KEYWORD, 6);
			n += 6;
			i += ml;
		} else {
			b[n++] = (char)data[i++];
		}
	}
	*out_len = n;
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char fills[4] = {'\n', ' ', 'a', '\x80'};
	struct got mem = {0}, str = {0}, fed = {0};
	struct findings l;
	struct pieces r;
	uint64_t bytes = 0;
	size_t n, pad = 0, i;
	int allow_on;
	char *b;

	if (!rs && (rules_open(&rs, NULL) || scanner_new(&sc, rs)))
		abort();
	if (size < 2)
		return 0;
	/* the model is of the built-in rule: fail loudly when it changes */
	FUZZ_CHECK(ruleset_count(rs) == 1 &&
		   ruleset_rule(rs, 0)->nkeywords == 1 &&
		   !strcmp(ruleset_rule(rs, 0)->keywords[0], KEYWORD));
	if ((data[0] & 3) == 3)
		pad = SCANNER_CHUNK - 4096 + (size_t)data[1] * 64;
	allow_on = !(data[0] & 16);
	ruleset_set_inline_allow(rs, allow_on);
	b = expand(data + 2, size - 2, pad, fills[(data[0] >> 2) & 3], &n);

	FUZZ_CHECK(scanner_scan_mem(sc, PATH, b, n, keep_hit, &mem) == 0);
	check_model(b, n, &mem, allow_on);

	r.p = b;
	r.len = n;
	r.at = 0;
	/* a byte at a time is slow over a padded input: not then */
	r.step = 1 + (size_t)(data[0] >> 5) * 9377;
	if (pad && r.step < 4096)
		r.step = 4096;
	FUZZ_CHECK(scanner_scan_stream(sc, PATH, read_pieces, &r, keep_hit,
				       &str, &bytes) == 0);
	FUZZ_CHECK(bytes == n);
	check_same(&mem, &str);
	FUZZ_CHECK(feed_pieces(sc, PATH, b, n, r.step, keep_hit, &fed) == 0);
	check_same(&mem, &fed);

	if (mem.n > 0 && mem.n <= REPORT_LIMIT) {
		findings_init(&l);
		for (i = 0; i < mem.n; i++) {
			struct finding f;
			struct hit h = mem.v[i];

			h.secret = secret_of(&mem, i);
			FUZZ_CHECK(finding_init_hit(&f, ruleset_rule(rs, 0), &h,
						    PATH) == 0);
			FUZZ_CHECK(findings_push(&l, &f) == 0);
		}
		check_reports(&l);
		findings_release(&l);
	}
	free(mem.v);
	free(mem.bytes);
	free(str.v);
	free(str.bytes);
	free(fed.v);
	free(fed.bytes);
	return 0;
}

/*
 * Fuzzes tokens_parse (src/verify/tokens.c), the lines of nfguard verify,
 * with the built-in rules; "$K" in the input is a token, "$T" its prefix.
 * The oracle: each finding is the whole trimmed text of its line, of the
 * rule's shape, one per line in line order; every other non-blank line is
 * refused exactly once, in order; equal lines get the same answer; and no
 * error message holds a token.
 */
#include "fuzz.h"
#include "config/rules.h"
#include "util/error.h"
#include "verify/tokens.h"

#include <stdlib.h>
#include <string.h>

struct line {
	const char *p;
	size_t n;
	uint64_t no;
	int accepted;
};

struct refused {
	uint64_t *v;
	size_t n;
};

static void on_bad(void *ctx, uint64_t line, int holds_token)
{
	struct refused *r = ctx;

	(void)holds_token;
	r->v[r->n++] = line;
}

static int by_text(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The non-blank lines of text, trimmed as tokens.h says. */
static size_t split(const char *text, size_t len, struct line *out)
{
	const char *p = text, *end = text + len, *nl, *e;
	size_t n = 0;
	uint64_t no = 0;

	for (; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl ? nl : end;
		no++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (e > p &&
		       (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (p < e)
			out[n++] = (struct line){p, (size_t)(e - p), no, 0};
	}
	return n;
}

/* 1 if msg holds a token's shape anywhere. */
static int holds_token(const char *msg)
{
	const char *p;
	size_t i, n = strlen(msg);

	for (p = msg; (p = strstr(p, "nf_at_")) != NULL; p++)
		for (i = 22; i <= (size_t)(msg + n - p); i++)
			if (fuzz_token_shaped(p, i))
				return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset *rs;
	struct findings l;
	struct refused bad = {NULL, 0};
	struct line *lines;
	size_t len, nlines, nbad = 0, i, j, f = 0;
	char *text = fuzz_expand_tokens(data, size, &len);

	if (!rs && rules_open(&rs, NULL))
		abort();
	lines = malloc((len + 1) * sizeof(*lines));
	bad.v = malloc((len + 1) * sizeof(*bad.v));
	if (!lines || !bad.v)
		abort();
	nlines = split(text, len, lines);
	findings_init(&l);
	error_clear();
	FUZZ_CHECK(tokens_parse(rs, text, len, "stdin", &l, on_bad, &bad,
				&nbad) == 0);
	FUZZ_CHECK(!holds_token(error_last()));
	FUZZ_CHECK(nbad == bad.n && l.n + nbad == nlines);
	/* Lines in order: each a finding or refused, never both. */
	for (i = 0, j = 0; i < nlines; i++) {
		struct line *ln = &lines[i];

		if (f < l.n && l.v[f].line == ln->no) {
			const struct finding *x = &l.v[f++];

			ln->accepted = 1;
			FUZZ_CHECK(x->secret_len == ln->n &&
				   !memcmp(x->secret, ln->p, ln->n));
			FUZZ_CHECK(fuzz_token_shaped(x->secret, x->secret_len));
			FUZZ_CHECK(!strcmp(x->path, "stdin"));
			FUZZ_CHECK(!fuzz_holds_token(x->redacted,
						     strlen(x->redacted),
						     x->secret, x->secret_len));
		} else {
			FUZZ_CHECK(j < bad.n && bad.v[j++] == ln->no);
		}
	}
	FUZZ_CHECK(f == l.n && j == bad.n);
	/* The answer depends on the line's text only. */
	qsort(lines, nlines, sizeof(*lines), by_text);
	for (i = 1; i < nlines; i++)
		if (!by_text(&lines[i - 1], &lines[i]))
			FUZZ_CHECK(lines[i - 1].accepted == lines[i].accepted);
	findings_release(&l);
	free(bad.v);
	free(lines);
	free(text);
	return 0;
}

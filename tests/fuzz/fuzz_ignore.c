/*
 * Fuzzes the ignore file parser (suppress_parse_ignore). Oracle: a naive
 * reading of the format line by line gives the same entries (fingerprint,
 * line, comment: each round-trips to the text of its line), fails on the
 * same line for the same reason without quoting it, and every entry is
 * reachable through the digest index.
 */
#include "fuzz.h"
#include "finding/suppress.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORIGIN "fuzz.ignore"

static const char bad_fp[] = "expected a fingerprint ('sha256:' and 64 "
			     "lowercase hex digits) or a '#' comment";
static const char bad_tail[] = "text after the fingerprint must be a "
			       "'# comment'";

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Checks one line [p, e) against the entries from *k on: returns NULL
 * when it is fine (and moves *k past its entry), else why it is not.
 */
static const char *check_line(const struct suppress *s, size_t *k,
			      const char *p, const char *e, size_t line)
{
	const struct suppress_entry *en;
	const char *fp = NULL, *c = NULL, *ce = NULL;
	size_t i;

	while (p < e && blank(*p))
		p++;
	if (p == e || *p == '#')
		return NULL;
	if (e - p < 71 || memcmp(p, "sha256:", 7))
		return bad_fp;
	for (i = 7; i < 71; i++)
		if (!strchr("0123456789abcdef", p[i]) || !p[i])
			return bad_fp;
	fp = p;
	p += 71;
	if (p < e && !blank(*p))
		return bad_fp;
	while (p < e && blank(*p))
		p++;
	if (p < e) {
		if (*p != '#')
			return bad_tail;
		for (c = p + 1; c < e && blank(*c); c++)
			;
		for (ce = e; ce > c && blank(ce[-1]); ce--)
			;
	}
	/* the next entry is this line's, and says what the line says */
	FUZZ_CHECK(*k < s->nentries);
	en = &s->entries[*k];
	FUZZ_CHECK(en->line == line);
	FUZZ_CHECK(!strcmp(en->origin, ORIGIN));
	FUZZ_CHECK(strlen(en->fingerprint) == 71 &&
		   !memcmp(en->fingerprint, fp, 71));
	if (c)
		FUZZ_CHECK(en->comment &&
			   strlen(en->comment) == (size_t)(ce - c) &&
			   !memcmp(en->comment, c, (size_t)(ce - c)));
	else
		FUZZ_CHECK(!en->comment);
	FUZZ_CHECK(en->uses == 0);
	(*k)++;
	return NULL;
}

/*
 * Entry k is on the chain of its digest's first 20 bytes (the index's
 * key), and every entry there shares them.
 */
static void check_index(const struct suppress *s, size_t k)
{
	unsigned char d[32];
	const uint32_t *first;
	size_t i;
	int seen = 0;

	FUZZ_CHECK(fingerprint_decode(s->entries[k].fingerprint, d) == 0);
	first = idmap_get(&s->ignore_ids, d);
	FUZZ_CHECK(first != NULL);
	for (i = *first; i != SIZE_MAX; i = s->entries[i].next) {
		FUZZ_CHECK(i < s->nentries);
		FUZZ_CHECK(!memcmp(s->entries[i].fingerprint,
				   s->entries[k].fingerprint, 7 + 40));
		seen |= i == k;
	}
	FUZZ_CHECK(seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *p = text, *end = text + size;
	const char *nul = memchr(text, '\0', size), *why = NULL;
	char want[256];
	struct suppress s;
	size_t line = 0, k = 0;
	int err;

	suppress_init(&s);
	error_clear();
	err = suppress_parse_ignore(&s, text, size, ORIGIN);
	if (nul) {
		for (p = text; p < nul; p++)
			line += *p == '\n';
		snprintf(want, sizeof(want), "%s:%zu: NUL byte", ORIGIN,
			 line + 1);
		FUZZ_CHECK(err != 0 && s.nentries == 0);
		FUZZ_CHECK(!strcmp(error_last(), want));
		goto done;
	}
	while (p < end && !why) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		line++;
		if (le > p && le[-1] == '\r')
			le--;
		why = check_line(&s, &k, p, le, line);
		p = nl ? nl + 1 : end;
	}
	FUZZ_CHECK(k == s.nentries);
	if (why) {
		snprintf(want, sizeof(want), "%s:%zu: %s", ORIGIN, line, why);
		FUZZ_CHECK(err != 0);
		FUZZ_CHECK(!strcmp(error_last(), want));
	} else {
		FUZZ_CHECK(err == 0);
	}
	for (k = 0; k < s.nentries; k++)
		check_index(&s, k);
done:
	suppress_release(&s);
	return 0;
}

/*
 * Fuzzes the rule file loader (rules_parse, then ruleset_new). Oracle: a
 * rejected file has a message naming it; an accepted one is one JSON
 * value (nothing after it dropped), holds valid fields, loads the same
 * twice; the ruleset compiles exactly when a
 * naive check of the rules (distinct ids, keywords, lengths in range,
 * every pattern compiling, a "secret" group) says it should; and its hits
 * on the file's own first bytes lie inside them, in order, placed right.
 */
#include "fuzz.h"
#include "config/rules.h"
#include "engine/engine.h"
#include "util/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define ORIGIN	   "fuzz-rules.json"
#define SCAN_BYTES 512 /* of the input scanned with the loaded rules */

static int compiles(const char *re, int want_secret)
{
	PCRE2_SIZE off;
	int code, ok;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0,
				      &code, &off, NULL);

	if (!c)
		return 0;
	ok = !want_secret ||
	     pcre2_substring_number_from_name(c, (PCRE2_SPTR) "secret") >= 0;
	pcre2_code_free(c);
	return ok;
}

static int strv_compile(char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!compiles(v[i], 0))
			return 0;
	return 1;
}

/* text is one JSON value and white space: nothing after it is dropped */
static int one_value(const char *text, size_t size)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text, size, &end, 0);
	int ok = v && end;

	cJSON_Delete(v);
	for (; ok && end < text + size; end++)
		if (!*end || !strchr(" \t\r\n", *end))
			return 0;
	return ok;
}

/* Whether ruleset_new must accept these specs. */
static int ref_valid(const struct rule_specs *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const struct rule_spec *r = &l->v[i];

		for (j = 0; j < i; j++)
			if (!strcmp(r->id, l->v[j].id))
				return 0;
		if (!r->nkeywords || !r->max_length || r->max_length > 65536 ||
		    r->max_length < r->min_length)
			return 0;
		for (j = 0; j < r->nkeywords; j++)
			if (!*r->keywords[j])
				return 0;
		if (!compiles(r->pattern, 1) ||
		    !strv_compile(r->allow_paths, r->nallow_paths) ||
		    !strv_compile(r->allow_values, r->nallow_values))
			return 0;
	}
	return 1;
}

static const char *const severities[] = {"critical", "high", "medium", "low"};

static void check_spec(const struct rule_spec *r)
{
	size_t i;
	int sev = 0;

	FUZZ_CHECK(r->id && *r->id && r->description && *r->description);
	FUZZ_CHECK(r->pattern && *r->pattern);
	FUZZ_CHECK(r->origin && !strcmp(r->origin, ORIGIN));
	for (i = 0; i < 4; i++)
		sev |= r->severity && !strcmp(r->severity, severities[i]);
	FUZZ_CHECK(sev);
	FUZZ_CHECK(r->nkeywords >= 1);
	for (i = 0; i < r->nkeywords; i++)
		FUZZ_CHECK(r->keywords[i] != NULL);
	FUZZ_CHECK(r->min_entropy >= 0 && r->min_entropy <= 8);
	FUZZ_CHECK(r->min_length <= 1000000000 && r->max_length <= 1000000000);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_strv(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

static void check_same(const struct rule_spec *a, const struct rule_spec *b)
{
	FUZZ_CHECK(same_str(a->id, b->id) &&
		   same_str(a->description, b->description) &&
		   same_str(a->severity, b->severity) &&
		   same_str(a->remediation, b->remediation) &&
		   same_str(a->pattern, b->pattern) &&
		   same_str(a->verify_json, b->verify_json) &&
		   same_str(a->revoke_json, b->revoke_json));
	FUZZ_CHECK(a->min_length == b->min_length &&
		   a->max_length == b->max_length &&
		   a->min_entropy == b->min_entropy);
	FUZZ_CHECK(same_strv(a->keywords, a->nkeywords, b->keywords,
			     b->nkeywords) &&
		   same_strv(a->stopwords, a->nstopwords, b->stopwords,
			     b->nstopwords) &&
		   same_strv(a->allow_paths, a->nallow_paths, b->allow_paths,
			     b->nallow_paths) &&
		   same_strv(a->allow_values, a->nallow_values, b->allow_values,
			     b->nallow_values) &&
		   same_strv(a->match_examples, a->nmatch_examples,
			     b->match_examples, b->nmatch_examples) &&
		   same_strv(a->nomatch_examples, a->nnomatch_examples,
			     b->nomatch_examples, b->nnomatch_examples));
}

struct scan_check {
	const char *data;
	size_t len, count, nrules;
	uint64_t last;
};

/* Each hit lies in the bytes, after the one before, its line counted. */
static int check_hit(void *ctx, const struct hit *h)
{
	struct scan_check *c = ctx;
	uint64_t line = 1, ls = 0, i;

	FUZZ_CHECK(h->rule < c->nrules);
	FUZZ_CHECK(h->offset <= c->len && h->len <= c->len - h->offset);
	FUZZ_CHECK(h->secret == c->data + h->offset);
	FUZZ_CHECK(!c->count || h->offset >= c->last);
	for (i = 0; i < h->offset; i++)
		if (c->data[i] == '\n') {
			line++;
			ls = i + 1;
		}
	FUZZ_CHECK(h->line == line && h->column == h->offset - ls + 1 &&
		   h->end_column == h->column + h->len);
	c->last = h->offset;
	c->count++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct rule_specs l = {NULL, 0}, again = {NULL, 0};
	struct ruleset *rs = NULL;
	struct scanner *sc = NULL;
	size_t i;
	int err;

	error_clear();
	err = rules_parse(&l, text, size, ORIGIN);
	if (err) {
		FUZZ_CHECK(!strncmp(error_last(), ORIGIN ": ",
				    strlen(ORIGIN) + 2));
		goto done;
	}
	FUZZ_CHECK(l.n >= 1 && one_value(text, size));
	FUZZ_CHECK(rules_parse(&again, text, size, ORIGIN) == 0 &&
		   again.n == l.n);
	for (i = 0; i < l.n; i++) {
		check_spec(&l.v[i]);
		check_same(&l.v[i], &again.v[i]);
	}
	error_clear();
	err = ruleset_new(&rs, l.v, l.n);
	FUZZ_CHECK((err == 0) == ref_valid(&l));
	if (err) {
		FUZZ_CHECK(!rs && *error_last());
		goto done;
	}
	FUZZ_CHECK(ruleset_count(rs) == l.n);
	for (i = 0; i < l.n; i++)
		check_same(ruleset_rule(rs, i), &l.v[i]);
	if (scanner_new(&sc, rs) == 0) {
		struct scan_check c = {
			text, size < SCAN_BYTES ? size : SCAN_BYTES, 0, l.n, 0};

		FUZZ_CHECK(scanner_scan_mem(sc, NULL, text, c.len, check_hit,
					    &c) == 0);
	}
done:
	scanner_free(sc);
	ruleset_free(rs);
	rule_specs_release(&l);
	rule_specs_release(&again);
	return 0;
}

/*
 * Fuzzes the baseline parser (suppress_parse_baseline). Oracle: a naive
 * reading of the contract (one JSON report, else JSONL) accepts the same
 * inputs and yields the same set of fingerprints, each once and indexed;
 * a rejected input has a message naming the origin; and the set written
 * back as a report and as JSONL parses to itself.
 */
#include "fuzz.h"
#include "finding/suppress.h"
#include "util/buf.h"
#include "util/error.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define ORIGIN "fuzz.baseline"

/* The fingerprints the reference accepted, in order (duplicates too). */
struct ref {
	unsigned char (*d)[32];
	size_t n;
};

static int space_only(const char *p, const char *e)
{
	for (; p < e; p++)
		if (!strchr(" \t\r\n", *p))
			return 0;
	return 1;
}

/* [p, e) as one JSON value and white space, or NULL. */
static cJSON *one_value(const char *p, const char *e)
{
	const char *at = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(p, (size_t)(e - p), &at, 0);

	if (v && (!at || !space_only(at, e))) {
		cJSON_Delete(v);
		v = NULL;
	}
	return v;
}

/* Adds v's fingerprint; -1 when v is no finding with a valid one. */
static int ref_add(struct ref *r, const cJSON *v)
{
	const cJSON *fp =
		cJSON_IsObject(v)
			? cJSON_GetObjectItemCaseSensitive(v, "fingerprint")
			: NULL;
	void *p;

	if (!cJSON_IsString(fp) || !fp->valuestring)
		return -1;
	p = realloc(r->d, (r->n + 1) * sizeof(*r->d));
	if (!p)
		abort();
	r->d = p;
	return fingerprint_decode(fp->valuestring, r->d[r->n++]) ? -1 : 0;
}

static int has_key(const cJSON *v, const char *key)
{
	return cJSON_IsObject(v) && cJSON_GetObjectItemCaseSensitive(v, key);
}

/* 0 when the text is a valid baseline, with its fingerprints in r. */
static int ref_parse(struct ref *r, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	const cJSON *it;
	cJSON *root;
	int bad = 0;

	if (memchr(text, '\0', len))
		return -1;
	if (space_only(text, end))
		return 0;
	if ((root = one_value(text, end))) {
		const cJSON *f = has_key(root, "findings")
					 ? cJSON_GetObjectItemCaseSensitive(
						   root, "findings")
					 : NULL;

		if (f && cJSON_IsArray(f)) {
			cJSON_ArrayForEach(it, f) bad |= ref_add(r, it) != 0;
		} else if (f || !has_key(root, "fingerprint")) {
			bad = 1;
		} else {
			bad = ref_add(r, root) != 0;
		}
		cJSON_Delete(root);
		return bad ? -1 : 0;
	}
	/* JSONL, unless the first line is a report cut short */
	while (p < end && !bad) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		cJSON *v;

		if (!space_only(p, le)) {
			v = one_value(p, le);
			if (!v || (r->n == 0 && has_key(v, "findings")))
				bad = 1;
			else
				bad = ref_add(r, v) != 0;
			cJSON_Delete(v);
		}
		p = nl ? nl + 1 : end;
	}
	return bad ? -1 : 0;
}

/* The baseline holds exactly the distinct digests of r, each indexed. */
static void check_set(const struct suppress *s, const struct ref *r)
{
	size_t i, j, distinct = 0;

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < i && memcmp(r->d[i], r->d[j], 32); j++)
			;
		distinct += j == i;
		FUZZ_CHECK(idmap_get(&s->baseline_ids, r->d[i]) != NULL);
	}
	FUZZ_CHECK(s->nbaseline == distinct);
	/* each is on the chain of its first 20 bytes, the index's key */
	for (i = 0; i < s->nbaseline; i++) {
		const uint32_t *at =
			idmap_get(&s->baseline_ids, s->baseline[i]);

		FUZZ_CHECK(at != NULL);
		for (j = *at; j != i; j = s->baseline_next[j])
			FUZZ_CHECK(j < s->nbaseline &&
				   !memcmp(s->baseline[j], s->baseline[i], 20));
	}
}

/* Writes the set as a report (jsonl 0) or JSONL and parses it again. */
static void check_written(const struct suppress *s, int jsonl)
{
	static const char hex[] = "0123456789abcdef";
	struct suppress again;
	struct buf b;
	size_t i, k;

	buf_init(&b, BUF_DEFAULT_MAX);
	if (!jsonl)
		buf_puts(&b, "{\"findings\": [");
	for (i = 0; i < s->nbaseline; i++) {
		buf_puts(&b, i && !jsonl ? ",\n{\"fingerprint\":\"sha256:"
					 : "{\"fingerprint\":\"sha256:");
		for (k = 0; k < 32; k++) {
			buf_putc(&b, hex[s->baseline[i][k] >> 4]);
			buf_putc(&b, hex[s->baseline[i][k] & 15]);
		}
		buf_puts(&b, jsonl ? "\"}\n" : "\"}");
	}
	if (!jsonl)
		buf_puts(&b, "]}\n");
	FUZZ_CHECK(!buf_failed(&b));
	suppress_init(&again);
	FUZZ_CHECK(suppress_parse_baseline(&again, b.ptr, b.len, ORIGIN) == 0);
	FUZZ_CHECK(again.nbaseline == s->nbaseline);
	for (i = 0; i < s->nbaseline; i++)
		FUZZ_CHECK(!memcmp(again.baseline[i], s->baseline[i], 32));
	suppress_release(&again);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ref r = {NULL, 0};
	struct suppress s;
	int err, want;

	suppress_init(&s);
	error_clear();
	err = suppress_parse_baseline(&s, text, size, ORIGIN);
	want = ref_parse(&r, text, size);
	FUZZ_CHECK((err == 0) == (want == 0));
	if (err) {
		FUZZ_CHECK(
			!strncmp(error_last(), ORIGIN ":", strlen(ORIGIN) + 1));
	} else {
		check_set(&s, &r);
		check_written(&s, 0);
		check_written(&s, 1);
	}
	free(r.d);
	suppress_release(&s);
	return 0;
}

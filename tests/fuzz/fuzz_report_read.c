/*
 * Fuzzes the report reader of nfguard merge (report_read). Oracle: a
 * naive reading of the contract agrees on the shape of what is accepted
 * (one JSON report with the built-in rules' digest, else JSONL with one
 * finding object a line) and on its findings' fingerprints, in order; a
 * rejected input has a message naming the origin; and an accepted report
 * written back as JSON reads back to the same findings and entries.
 * "$D" in an input stands for the built-in rules' digest.
 */
#include "fuzz.h"
#include "config/rules.h"
#include "report/read.h"
#include "util/buf.h"
#include "util/error.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORIGIN "fuzz.report"

static struct ruleset *rules;

static int space_only(const char *p, const char *e)
{
	for (; p < e; p++)
		if (!strchr(" \t\r\n", *p))
			return 0;
	return 1;
}

/* The input with each "$D" replaced by the digest (caller frees). */
static char *expand_digest(const uint8_t *data, size_t size, size_t *len)
{
	char digest[FINGERPRINT_LEN + 1];
	struct buf b;
	size_t i;

	report_rules_digest(rules, digest);
	buf_init(&b, BUF_DEFAULT_MAX);
	for (i = 0; i < size; i++) {
		if (data[i] == '$' && i + 1 < size && data[i + 1] == 'D') {
			buf_puts(&b, digest);
			i++;
		} else {
			buf_putc(&b, (char)data[i]);
		}
	}
	if (buf_failed(&b))
		abort();
	return buf_detach(&b, len);
}

/* The fingerprint text of a finding object, or NULL. */
static const char *fp_of(const cJSON *v)
{
	const cJSON *fp =
		cJSON_IsObject(v)
			? cJSON_GetObjectItemCaseSensitive(v, "fingerprint")
			: NULL;

	return cJSON_IsString(fp) ? fp->valuestring : NULL;
}

/* Checks an accepted JSON report's findings against the tree's. */
static void check_json(const struct report_doc *d, const cJSON *root)
{
	char digest[FINGERPRINT_LEN + 1];
	const cJSON *scan = cJSON_GetObjectItemCaseSensitive(root, "scan");
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "findings");
	const cJSON *repos =
		cJSON_GetObjectItemCaseSensitive(scan, "repositories");
	const cJSON *it;
	size_t i = 0;

	report_rules_digest(rules, digest);
	FUZZ_CHECK(!d->jsonl);
	FUZZ_CHECK(!strcmp(d->rules_digest, digest));
	FUZZ_CHECK(cJSON_IsArray(f) && cJSON_IsArray(repos));
	FUZZ_CHECK(d->scan.has_repositories &&
		   d->scan.nrepositories == (size_t)cJSON_GetArraySize(repos));
	FUZZ_CHECK(d->findings.n == (size_t)cJSON_GetArraySize(f));
	cJSON_ArrayForEach(it, f)
	{
		FUZZ_CHECK(fp_of(it) &&
			   !strcmp(fp_of(it), d->findings.v[i].fingerprint));
		i++;
	}
}

/* Checks an accepted JSONL report: one finding per non-blank line. */
static void check_jsonl(const struct report_doc *d, const char *text,
			size_t len)
{
	const char *p = text, *end = text + len, *nl, *le;
	size_t i = 0;
	cJSON *v;

	FUZZ_CHECK(d->jsonl);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		le = nl ? nl : end;
		if (!space_only(p, le)) {
			v = cJSON_ParseWithLength(p, (size_t)(le - p));
			FUZZ_CHECK(v && i < d->findings.n && fp_of(v) &&
				   !strcmp(fp_of(v),
					   d->findings.v[i].fingerprint));
			cJSON_Delete(v);
			i++;
		}
		p = nl ? nl + 1 : end;
	}
	FUZZ_CHECK(i == d->findings.n);
}

/* A JSON report written back reads back to the same. */
static void check_round_trip(const struct report_doc *d)
{
	struct report_opts ro = {REPORT_JSON, 0, 0, rules};
	struct report_doc again;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(report_write(f, &ro, &d->scan, &d->findings) == 0);
	fclose(f);
	FUZZ_CHECK(report_read(&again, text, len, ORIGIN, rules) == 0);
	FUZZ_CHECK(again.findings.n == d->findings.n);
	FUZZ_CHECK(again.scan.nrepositories == d->scan.nrepositories);
	FUZZ_CHECK(again.scan.errors == d->scan.errors);
	for (i = 0; i < d->findings.n; i++) {
		const struct finding *a = &again.findings.v[i];
		const struct finding *b = &d->findings.v[i];

		FUZZ_CHECK(!strcmp(a->fingerprint, b->fingerprint));
		FUZZ_CHECK(!strcmp(a->repository, b->repository));
		FUZZ_CHECK(a->line == b->line && a->column == b->column);
	}
	for (i = 0; i < d->scan.nrepositories; i++) {
		const struct scan_repository *a = &again.scan.repositories[i];
		const struct scan_repository *b = &d->scan.repositories[i];

		FUZZ_CHECK(!strcmp(a->repository, b->repository));
		FUZZ_CHECK(a->status == b->status && a->bytes == b->bytes);
	}
	report_doc_release(&again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_doc d;
	const char *at = NULL;
	size_t len;
	char *text;
	cJSON *root;
	int err;

	if (!rules && rules_open(&rules, NULL))
		abort();
	text = expand_digest(data, size, &len);
	error_clear();
	err = report_read(&d, text, len, ORIGIN, rules);
	if (err) {
		FUZZ_CHECK(!strncmp(error_last(), ORIGIN, strlen(ORIGIN)));
		free(text);
		return 0;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &at, 0);
	if (root && cJSON_IsObject(root) &&
	    cJSON_GetObjectItemCaseSensitive(root, "tool") && at &&
	    space_only(at, text + len)) {
		check_json(&d, root);
		check_round_trip(&d);
	} else {
		check_jsonl(&d, text, len);
	}
	cJSON_Delete(root);
	report_doc_release(&d);
	free(text);
	return 0;
}

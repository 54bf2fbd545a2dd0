/*
 * Unit tests of the report reader (report_read) on memory buffers: a
 * sweep's JSON report and JSONL read back whole, and each refusal (other
 * rules, a wrong type, an unknown rule, a forged secret, the size bound)
 * with its message. Tokens are built at run time.
 */
#include "util/common.h"
#include "config/rules.h"
#include "report/read.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/sha256.h"

#include <setjmp.h>
#include <cmocka.h>

static struct ruleset *rs;
static char digest[FINGERPRINT_LEN + 1];
static char token[64], fp[FINGERPRINT_LEN + 1];

static int setup(void **state)
{
	char hex[65];
	size_t i;

	(void)state;
	if (rules_open(&rs, NULL))
		return -1;
	report_rules_digest(rs, digest);
	memcpy(token, "nf_", 3);
	memcpy(token + 3, "at_", 3);
	for (i = 0; i < 32; i++)
		token[6 + i] = (char)('a' + i % 26);
	token[38] = '\0';
	sha256_hex(token, strlen(token), hex);
	snprintf(fp, sizeof(fp), "sha256:%s", hex);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ruleset_free(rs);
	return 0;
}

/* A sweep report of two repositories, one failed; extra goes in a finding. */
static void report(struct buf *b, const char *dig, const char *errors,
		   const char *extra)
{
	buf_reset(b);
	buf_printf(b,
		   "{\"tool\":{\"name\":\"nfguard\",\"version\":\"0.1.0\","
		   "\"rules_digest\":\"%s\"},\n\"scan\":{\"command\":\"git\","
		   "\"targets\":[\"a\",\"b\"],\"started_at\":\"x\","
		   "\"duration_ms\":1,\"files_scanned\":3,\"bytes_scanned\":"
		   "90,\"findings\":1,\"commits\":4,\"shallow\":true,"
		   "\"errors\":%s,\"skipped\":0,\"problems\":[{\"kind\":"
		   "\"error\",\"message\":\"'b': gone\",\"count\":2}],"
		   "\"repositories\":[{\"repository\":\"a\",\"status\":"
		   "\"scanned\",\"error\":null,\"refs\":1,\"commits\":4,"
		   "\"blobs\":3,\"bytes\":90,\"findings\":1,\"seconds\":"
		   "1.250},{\"repository\":\"b\",\"status\":\"failed\","
		   "\"error\":\"gone\",\"refs\":0,\"commits\":0,\"blobs\":0,"
		   "\"bytes\":0,\"findings\":0,\"seconds\":0.000}],\"shard\":"
		   "{\"index\":2,\"count\":3}},\n\"findings\":[{\"rule_id\":"
		   "\"notiflows-account-token\",\"secret_redacted\":\"r\","
		   "\"fingerprint\":\"%s\",\"path\":\"k.env\",\"line\":2,"
		   "\"column\":5,\"end_column\":43,\"repository\":\"a\","
		   "\"location\":\"file\"%s}],\"incidents\":[]}\n",
		   dig, errors, fp, extra);
	assert_false(buf_failed(b));
}

static void test_json(void **state)
{
	struct report_doc d;
	struct buf b;

	(void)state;
	buf_init(&b, BUF_DEFAULT_MAX);
	report(&b, digest, "1", "");
	assert_int_equal(report_read(&d, b.ptr, b.len, "r.json", rs), 0);
	assert_false(d.jsonl);
	assert_string_equal(d.rules_digest, digest);
	assert_int_equal(d.scan.files_scanned, 3);
	assert_int_equal(d.scan.commits, 4);
	assert_true(d.scan.has_git && d.scan.shallow);
	assert_int_equal(d.scan.errors, 1);
	assert_int_equal(d.scan.nproblems, 1);
	assert_int_equal(d.scan.problems[0].count, 2);
	assert_int_equal(d.scan.ntargets, 2);
	assert_int_equal(d.scan.nrepositories, 2);
	assert_int_equal(d.scan.repositories[0].duration_ms, 1250);
	assert_int_equal(d.scan.repositories[1].status, REPO_FAILED);
	assert_string_equal(d.scan.repositories[1].error, "gone");
	assert_int_equal(d.scan.shard_index, 2);
	assert_int_equal(d.scan.shard_count, 3);
	assert_int_equal(d.findings.n, 1);
	assert_string_equal(d.findings.v[0].fingerprint, fp);
	assert_string_equal(d.findings.v[0].rule->id,
			    "notiflows-account-token");
	assert_int_equal(d.findings.v[0].column, 5);
	assert_int_equal(d.findings.v[0].reachable, -1);
	assert_null(d.findings.v[0].secret);
	assert_int_equal(d.nunknown, 0);
	report_doc_release(&d);
	/* The token, when given, must be the fingerprint's. */
	buf_reset(&b);
	report(&b, digest, "1", "");
	{
		struct buf x;

		buf_init(&x, BUF_DEFAULT_MAX);
		buf_printf(&x, ",\"secret\":\"%s\",\"later\":1", token);
		report(&b, digest, "1", x.ptr);
		buf_release(&x);
	}
	assert_int_equal(report_read(&d, b.ptr, b.len, "r.json", rs), 0);
	assert_string_equal(d.findings.v[0].secret, token);
	assert_int_equal(d.nunknown, 1);
	assert_string_equal(d.unknown[0], "findings[].later");
	report_doc_release(&d);
	/* dir's counts of what was left out are read back, not unknown. */
	report(&b, digest, "1,\"excluded\":3,\"too_large\":1", "");
	assert_int_equal(report_read(&d, b.ptr, b.len, "r.json", rs), 0);
	assert_true(d.scan.has_skips);
	assert_true(d.scan.excluded == 3 && d.scan.too_large == 1);
	assert_int_equal(d.nunknown, 0);
	report_doc_release(&d);
	report(&b, digest, "1", "");
	assert_int_equal(report_read(&d, b.ptr, b.len, "r.json", rs), 0);
	assert_false(d.scan.has_skips);
	report_doc_release(&d);
	buf_release(&b);
}

static void expect_refused(const char *text, const char *origin, int code,
			   const char *msg)
{
	struct report_doc d;

	assert_int_equal(report_read(&d, text, strlen(text), origin, rs), code);
	assert_string_equal(error_last(), msg);
	assert_int_equal(d.findings.n, 0);
}

static void test_refused(void **state)
{
	struct report_doc d;
	struct buf b, want;
	char zeros[FINGERPRINT_LEN + 1];

	(void)state;
	buf_init(&b, BUF_DEFAULT_MAX);
	buf_init(&want, BUF_DEFAULT_MAX);
	snprintf(zeros, sizeof(zeros), "sha256:%064d", 0);
	report(&b, zeros, "1", "");
	buf_printf(&want,
		   "o.json: made with other rules (%s) than those "
		   "loaded (%s)",
		   zeros, digest);
	expect_refused(b.ptr, "o.json", NFG_EINVAL, want.ptr);
	report(&b, digest, "-1", "");
	expect_refused(b.ptr, "t.json", NFG_EINVAL,
		       "t.json: errors: must be a whole number from 0 to 2^53");
	report(&b, digest, "1.5", "");
	expect_refused(b.ptr, "t.json", NFG_EINVAL,
		       "t.json: errors: must be a whole number from 0 to 2^53");
	report(&b, digest, "1", ",\"secret\":\"nf_at_forged\"");
	expect_refused(b.ptr, "f.json", NFG_EINVAL,
		       "f.json: secret: does not match the fingerprint");
	report(&b, digest, "1", ",\"verification\":{\"status\":\"live\"}");
	expect_refused(b.ptr, "v.json", NFG_EINVAL,
		       "v.json: verification: a verified report cannot be "
		       "merged: merge the shards' reports made without "
		       "--verify, then merge --verify");
	expect_refused("{\"rule_id\":\"nope\",\"fingerprint\":\"\"}\n",
		       "u.jsonl", NFG_EINVAL,
		       "u.jsonl:1: rule_id: 'nope' is not a rule of the "
		       "rules loaded");
	expect_refused("\n{", "m.jsonl", NFG_EINVAL,
		       "m.jsonl:2: malformed JSON near line 1");
	assert_int_equal(
		report_read(&d, "x", REPORT_READ_MAX_SIZE + 1, "big", rs),
		NFG_ELIMIT);
	buf_release(&want);
	buf_release(&b);
}

static void test_jsonl(void **state)
{
	struct report_doc d;
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b, BUF_DEFAULT_MAX);
	for (i = 0; i < 2; i++)
		buf_printf(&b,
			   "{\"rule_id\":\"notiflows-account-token\","
			   "\"secret_redacted\":\"r\",\"fingerprint\":\"%s\","
			   "\"path\":\"p%zu\",\"line\":1,\"column\":1,"
			   "\"end_column\":2,\"repository\":\"r%zu\"}\r\n\n",
			   fp, i, i);
	assert_int_equal(report_read(&d, b.ptr, b.len, "l.jsonl", rs), 0);
	assert_true(d.jsonl);
	assert_false(d.scan.has_repositories);
	assert_int_equal(d.findings.n, 2);
	assert_string_equal(d.findings.v[1].path, "p1");
	assert_string_equal(d.findings.v[1].repository, "r1");
	report_doc_release(&d);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_jsonl),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

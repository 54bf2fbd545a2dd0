/*
 * Unit tests of the revoke layer's pure parts: the revoke spec, the
 * mapping of revoke and whoami results to a revocation, skip reasons,
 * revocation copies, and the audit log's line format.
 */
#include "util/common.h"
#include "util/error.h"
#include "verify/audit.h"
#include "verify/revoke.h"

#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "testspec.h"

static const char good_spec[] =
	"{\"method\":\"DELETE\","
	"\"path\":\"/management/v1/account-tokens/current\","
	"\"headers\":{\"Authorization\":\"Bearer {{secret}}\"},"
	"\"revoked\":[200,204],\"unsupported\":[404,405]}";

/* A rule whose revoke spec is json. */
static struct rule_spec rule_with(const char *json)
{
	return test_rule(TEST_REVOKE_SPEC, json);
}

static void expect_spec_error(const char *json, const char *msg)
{
	test_spec_refused(revoke_spec_parse, TEST_REVOKE_SPEC, json, msg);
}

static void test_spec_parse(void **state)
{
	struct rule_spec r = rule_with(good_spec);
	struct api_spec s;

	(void)state;
	assert_int_equal(revoke_spec_parse(&s, &r), 0);
	assert_string_equal(s.method, "DELETE");
	assert_string_equal(s.path, "/management/v1/account-tokens/current");
	assert_true(api_spec_has(&s, REVOKE_SET_REVOKED, 204));
	assert_true(api_spec_has(&s, REVOKE_SET_REVOKED, 200));
	assert_false(api_spec_has(&s, REVOKE_SET_REVOKED, 404));
	assert_true(api_spec_has(&s, REVOKE_SET_UNSUPPORTED, 405));
	api_spec_release(&s);

	expect_spec_error("{\"method\":\"DELETE\",\"path\":\"/x\","
			  "\"headers\":{\"A\":\"{{secret}}\"},"
			  "\"revoked\":[204]}",
			  "rules.json: rule 'r1': field 'revoke.unsupported': "
			  "missing");
	expect_spec_error("{\"method\":\"DELETE\",\"path\":\"/x\","
			  "\"headers\":{\"A\":\"{{secret}}\"},"
			  "\"revoked\":[204],\"unsupported\":[404],"
			  "\"live\":[200]}",
			  "field 'revoke.live': unknown field");
	expect_spec_error("{\"method\":\"DELETE\",\"path\":\"/x\","
			  "\"headers\":{\"A\":\"{{secret}}\"},"
			  "\"revoked\":[2040],\"unsupported\":[404]}",
			  "field 'revoke.revoked[0]': must be an HTTP status");
	expect_spec_error("{\"method\":\"ERASE\",\"path\":\"/x\","
			  "\"headers\":{\"A\":\"{{secret}}\"},"
			  "\"revoked\":[204],\"unsupported\":[404]}",
			  "field 'revoke.method'");
	expect_spec_error("{\"method\":\"DELETE\",\"path\":\"/x\","
			  "\"headers\":{\"A\":\"x\"},"
			  "\"revoked\":[204],\"unsupported\":[404]}",
			  "no header holds {{secret}}");
}

static void result(struct http_result *r, enum http_outcome oc, long status,
		   const char *body)
{
	buf_release(&r->body);
	memset(r, 0, sizeof(*r));
	buf_init(&r->body, HTTP_BODY_MAX);
	r->outcome = oc;
	r->status = status;
	r->attempts = 4;
	if (body)
		assert_int_equal(buf_puts(&r->body, body), 0);
}

static void test_map_result(void **state)
{
	struct rule_spec rs = rule_with(good_spec);
	struct verification v, after;
	struct revocation rv;
	struct http_result r;
	struct api_spec s;
	int again;

	(void)state;
	memset(&rv, 0, sizeof(rv));
	memset(&r, 0, sizeof(r));
	memset(&v, 0, sizeof(v));
	memset(&after, 0, sizeof(after));
	v.status = VERIFICATION_LIVE;
	v.project_id = "p1";
	v.project_name = "Web";
	v.project_slug = "web";
	assert_int_equal(revoke_spec_parse(&s, &rs), 0);

	/* 204: only whoami can tell. */
	result(&r, HTTP_RESPONSE, 204, NULL);
	memcpy(r.request_id, "req_1", 6);
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	assert_true(again);
	assert_int_equal(rv.http_status, 204);
	assert_string_equal(rv.request_id, "req_1");
	/* whoami 401: revoked, keeping the revoke response's status. */
	after.status = VERIFICATION_INVALID;
	after.http_status = 401;
	assert_int_equal(revoke_map_recheck(&rv, &after), 0);
	assert_int_equal(rv.status, REVOCATION_REVOKED);
	assert_int_equal(rv.http_status, 204);
	assert_string_equal(rv.request_id, "req_1");
	assert_null(rv.reason);

	/* whoami still 200: failed with whoami's status and id. */
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	after.status = VERIFICATION_LIVE;
	after.http_status = 200;
	after.request_id = "req_2";
	assert_int_equal(revoke_map_recheck(&rv, &after), 0);
	assert_int_equal(rv.status, REVOCATION_FAILED);
	assert_int_equal(rv.http_status, 200);
	assert_string_equal(rv.request_id, "req_2");
	assert_string_equal(rv.reason,
			    "the API accepted the revoke request (204) but "
			    "the token still works (whoami 200)");
	/* whoami unknown: failed, not confirmed. */
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	after.status = VERIFICATION_UNKNOWN;
	after.http_status = 0;
	after.request_id = NULL;
	after.reason = "timeout after 4 attempts";
	assert_int_equal(revoke_map_recheck(&rv, &after), 0);
	assert_int_equal(rv.status, REVOCATION_FAILED);
	assert_string_equal(rv.reason,
			    "the API accepted the revoke request (204) but "
			    "whoami could not confirm it: timeout after 4 "
			    "attempts");
	assert_null(rv.request_id);

	/* 404: unsupported, with the dashboard and the project. */
	result(&r, HTTP_RESPONSE, 404,
	       "{\"error\":{\"code\":\"not_found\",\"request_id\":\"req_9\"}}");
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	assert_false(again);
	assert_int_equal(rv.status, REVOCATION_UNSUPPORTED);
	assert_int_equal(rv.http_status, 404);
	assert_string_equal(rv.request_id, "req_9");
	assert_string_equal(
		rv.reason,
		"the API cannot revoke tokens (404): delete the token in the "
		"Notiflows dashboard, "
		"https://app.notiflows.com/account-tokens, "
		"in project Web (slug web, id p1), named after the system that "
		"used it; then give that system a new token");

	/* 500 after the retries, 429, another status, no answer. */
	result(&r, HTTP_RESPONSE, 500, NULL);
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	assert_int_equal(rv.status, REVOCATION_FAILED);
	assert_string_equal(rv.reason, "server error 500 after 4 attempts");
	result(&r, HTTP_RESPONSE, 429, NULL);
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	assert_string_equal(rv.reason, "rate limited (429) after 4 attempts");
	result(&r, HTTP_RESPONSE, 403, NULL);
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	assert_string_equal(rv.reason, "unexpected status 403");
	result(&r, HTTP_TIMEOUT, 0, NULL);
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	assert_int_equal(rv.status, REVOCATION_FAILED);
	assert_int_equal(rv.http_status, 0);
	assert_string_equal(rv.reason, "timeout after 4 attempts");
	result(&r, HTTP_DEADLINE, 0, NULL);
	assert_int_equal(revoke_map_result(&rv, &s, &r, &v, 300000, &again), 0);
	assert_string_equal(rv.reason, "deadline of 300 s reached");

	revocation_release(&rv);
	buf_release(&r.body);
	api_spec_release(&s);
}

static void test_skip_reason(void **state)
{
	struct verification v;
	char why[256];

	(void)state;
	memset(&v, 0, sizeof(v));
	revoke_skip_reason(&v, why, sizeof(why));
	assert_string_equal(why, "not verified");
	v.status = VERIFICATION_INVALID;
	v.http_status = 401;
	revoke_skip_reason(&v, why, sizeof(why));
	assert_string_equal(why, "not live: the API rejected the token (401)");
	v.status = VERIFICATION_UNKNOWN;
	v.reason = "unexpected status 418";
	revoke_skip_reason(&v, why, sizeof(why));
	assert_string_equal(why, "not known to be live: unexpected status 418");
	v.status = VERIFICATION_LIVE;
	revoke_skip_reason(&v, why, sizeof(why));
	assert_string_equal(why, "the rule has no revoke request");
}

static void test_revocation_copy(void **state)
{
	struct revocation a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.status = REVOCATION_UNSUPPORTED;
	a.http_status = 404;
	a.reason = strdup("why");
	a.at = strdup("2026-01-01T00:00:00.000Z");
	assert_int_equal(revocation_copy(&b, &a), 0);
	assert_ptr_not_equal(b.reason, a.reason);
	assert_string_equal(b.reason, "why");
	assert_null(b.request_id);
	assert_string_equal(revocation_status_name(b.status),
			    "revoke_unsupported");
	assert_string_equal(revocation_status_name(REVOCATION_REVOKED),
			    "revoked");
	assert_string_equal(revocation_status_name(REVOCATION_FAILED),
			    "revoke_failed");
	assert_string_equal(revocation_status_name(REVOCATION_SKIPPED),
			    "skipped");
	assert_string_equal(revocation_status_name(REVOCATION_DRY_RUN),
			    "dry_run");
	assert_null(revocation_status_name(REVOCATION_NONE));
	revocation_release(&a);
	revocation_release(&b);
	assert_int_equal(b.status, REVOCATION_NONE);
}

static void test_audit_format(void **state)
{
	struct rule_spec rule = rule_with(good_spec);
	struct finding f;
	struct audit_entry e;
	struct buf b;
	char tok[40];

	(void)state;
	test_token(tok, 32, 7);
	memset(&f, 0, sizeof(f));
	f.rule = &rule;
	f.secret = tok;
	f.secret_len = strlen(tok);
	f.redacted = "nf_at_AbCd\xe2\x80\xa6WxYz";
	memcpy(f.fingerprint, "sha256:00", 10);
	f.path = "dir/a\x01\xff.env";
	f.line = 3;
	f.commit = "c0ffee";
	f.verification.status = VERIFICATION_LIVE;
	f.verification.project_id = "p1";
	f.verification.project_name = "Web \"shop\"";
	f.verification.project_slug = "web";
	memset(&e, 0, sizeof(e));
	e.time_ms = 1700000000123LL;
	e.action = "revoke_failed";
	e.f = &f;
	e.http_status = 500;
	e.request_id = "req_1";
	e.reason = "server error 500 after 4 attempts";
	buf_init(&b, BUF_DEFAULT_MAX);
	assert_int_equal(audit_format(&b, &e), 0);
	assert_string_equal(
		b.ptr,
		"{\"time\":\"2023-11-14T22:13:20.123Z\","
		"\"action\":\"revoke_failed\",\"rule_id\":\"r1\","
		"\"fingerprint\":\"sha256:00\","
		"\"secret_redacted\":\"nf_at_AbCd\xe2\x80\xa6WxYz\","
		"\"project\":{\"id\":\"p1\",\"name\":\"Web \\\"shop\\\"\","
		"\"slug\":\"web\"},"
		"\"location\":{\"path\":\"dir/a\\u0001\\\\xFF.env\",\"line\":3,"
		"\"commit\":\"c0ffee\"},"
		"\"http_status\":500,\"request_id\":\"req_1\","
		"\"reason\":\"server error 500 after 4 attempts\"}\n");
	assert_null(strstr(b.ptr, tok + 6));

	/* A request about to be sent; no project when not live. */
	buf_reset(&b);
	f.verification.status = VERIFICATION_INVALID;
	f.commit = NULL;
	memset(&e, 0, sizeof(e));
	e.time_ms = 0;
	e.action = "revoke_requested";
	e.f = &f;
	e.attempt = 2;
	e.request = "DELETE https://api.example/x";
	assert_int_equal(audit_format(&b, &e), 0);
	assert_string_equal(
		b.ptr, "{\"time\":\"1970-01-01T00:00:00.000Z\","
		       "\"action\":\"revoke_requested\",\"rule_id\":\"r1\","
		       "\"fingerprint\":\"sha256:00\","
		       "\"secret_redacted\":\"nf_at_AbCd\xe2\x80\xa6WxYz\","
		       "\"location\":{\"path\":\"dir/a\\u0001\\\\xFF.env\","
		       "\"line\":3},"
		       "\"attempt\":2,\"request\":\"DELETE "
		       "https://api.example/x\"}\n");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_map_result),
		cmocka_unit_test(test_skip_reason),
		cmocka_unit_test(test_revocation_copy),
		cmocka_unit_test(test_audit_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

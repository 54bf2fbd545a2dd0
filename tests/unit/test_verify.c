/*
 * Unit tests of the verify layer's pure parts: request specs, URL and
 * loopback checks, Retry-After, the response parsers under the HTTP client
 * (body cap, headers, retry hint), retry delays, the mapping of HTTP results
 * to live / invalid / unknown, tokens given one per line, and the summary
 * of what verification left (counts and reasons).
 */
#include "util/common.h"
#include "util/error.h"
#include "config/rules.h"
#include "net/http.h"
#include "net/http_parse.h"
#include "net/curl_load.h"
#include "verify/tokens.h"
#include "verify/verify.h"

#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "testspec.h"

static const char good_spec[] =
	"{\"method\":\"GET\",\"path\":\"/management/v1/whoami\","
	"\"headers\":{\"Authorization\":\"Bearer {{secret}}\"},"
	"\"live\":[200],\"invalid\":[401]}";

/* A rule whose verify spec is json. */
static struct rule_spec rule_with(const char *json)
{
	return test_rule(TEST_VERIFY_SPEC, json);
}

static void expect_spec_error(const char *json, const char *msg)
{
	test_spec_refused(verify_spec_parse, TEST_VERIFY_SPEC, json, msg);
}

static void test_spec_parse(void **state)
{
	struct rule_spec r = rule_with(good_spec);
	struct api_spec s;

	(void)state;
	assert_int_equal(verify_spec_parse(&s, &r), 0);
	assert_string_equal(s.method, "GET");
	assert_string_equal(s.path, "/management/v1/whoami");
	assert_int_equal(s.nheaders, 1);
	assert_string_equal(s.header_names[0], "Authorization");
	assert_string_equal(s.header_values[0], "Bearer {{secret}}");
	assert_true(api_spec_has(&s, VERIFY_SET_LIVE, 200));
	assert_false(api_spec_has(&s, VERIFY_SET_LIVE, 401));
	assert_true(api_spec_has(&s, VERIFY_SET_INVALID, 401));
	api_spec_release(&s);

	expect_spec_error("[]", "rules.json: rule 'r1': field 'verify': "
				"must be an object");
	expect_spec_error("{\"method\":\"GET\"}",
			  "field 'verify.path': missing");
	expect_spec_error(
		"{\"method\":\"TRACE\",\"path\":\"/x\",\"headers\":{},"
		"\"live\":[200],\"invalid\":[401]}",
		"field 'verify.method'");
	expect_spec_error(
		"{\"method\":\"GET\",\"path\":\"x\",\"headers\":{},"
		"\"live\":[200],\"invalid\":[401]}",
		"field 'verify.path': must be a string starting with '/'");
	expect_spec_error(
		"{\"method\":\"GET\",\"path\":\"/x/{{secret}}\",\"headers\":{},"
		"\"live\":[200],\"invalid\":[401]}",
		"field 'verify.path': must not hold a placeholder");
	expect_spec_error("{\"method\":\"GET\",\"path\":\"/x\",\"headers\":"
			  "{\"A\":\"b\"},\"live\":[200],\"invalid\":[401]}",
			  "field 'verify.headers': no header holds {{secret}}");
	expect_spec_error("{\"method\":\"GET\",\"path\":\"/x\",\"headers\":"
			  "{\"A\":\"{{token}} {{secret}}\"},\"live\":[200],"
			  "\"invalid\":[401]}",
			  "field 'verify.headers.A': the only placeholder");
	expect_spec_error("{\"method\":\"GET\",\"path\":\"/x\",\"headers\":"
			  "{\"A b\":\"{{secret}}\"},\"live\":[200],"
			  "\"invalid\":[401]}",
			  "not a valid header name");
	expect_spec_error("{\"method\":\"GET\",\"path\":\"/x\",\"headers\":"
			  "{\"A\":\"x\\r\\n{{secret}}\"},\"live\":[200],"
			  "\"invalid\":[401]}",
			  "must be printable ASCII");
	expect_spec_error("{\"method\":\"GET\",\"path\":\"/x\",\"headers\":"
			  "{\"A\":\"{{secret}}\"},\"live\":[],"
			  "\"invalid\":[401]}",
			  "field 'verify.live': must be a non-empty array");
	expect_spec_error("{\"method\":\"GET\",\"path\":\"/x\",\"headers\":"
			  "{\"A\":\"{{secret}}\"},\"live\":[200, 20.5],"
			  "\"invalid\":[401]}",
			  "field 'verify.live[1]': must be an HTTP status");
	expect_spec_error("{\"method\":\"GET\",\"path\":\"/x\",\"headers\":"
			  "{\"A\":\"{{secret}}\"},\"live\":[200]}",
			  "field 'verify.invalid': missing");
	expect_spec_error("{\"method\":\"GET\",\"path\":\"/x\",\"headers\":"
			  "{\"A\":\"{{secret}}\"},\"live\":[200],"
			  "\"invalid\":[401],\"timeout\":3}",
			  "field 'verify.timeout': unknown field");
}

static void test_request_headers(void **state)
{
	struct rule_spec r = rule_with(good_spec);
	struct http_request req;
	struct api_spec s;
	char secret[64];

	(void)state;
	test_token(secret, 16, 1);
	assert_int_equal(verify_spec_parse(&s, &r), 0);
	assert_int_equal(verify_request_init(&req, &s, "https://api.example/",
					     secret, strlen(secret)),
			 0);
	assert_string_equal(req.url,
			    "https://api.example/management/v1/whoami");
	assert_non_null(req.headers);
	http_request_release(&req);
	/* A secret with a line break never reaches a header. */
	assert_int_equal(verify_request_init(&req, &s, "https://api.example",
					     "a\r\nX: y", 7),
			 NFG_EINVAL);
	/* Non-loopback http is refused at the lowest level too. */
	assert_int_equal(verify_request_init(&req, &s, "http://api.example",
					     secret, strlen(secret)),
			 NFG_EINVAL);
	api_spec_release(&s);
}

/*
 * A spec whose request cannot be built for the rule's longest secret is
 * refused when it is parsed, not for each token at verification time.
 */
static void test_spec_fits(void **state)
{
	static char *keywords[] = {"nf_"
				   "at_"};
	struct rule_spec r = rule_with(NULL);
	struct http_request req;
	struct api_spec s;
	char json[4096], value[API_SPEC_PATH_MAX + 1], secret[6 + 256 + 1];
	size_t i, n;

	(void)state;
	r.keywords = keywords;
	r.nkeywords = 1;
	r.max_length = 256;
	r.verify_json = json;
	/* 62 secrets fill a header to the byte (6 + 2 + 62 * 262 = 16252). */
	for (n = 62; n <= 63; n++) {
		for (i = 0; i < n; i++)
			memcpy(value + 10 * i, "{{secret}}", 10);
		value[10 * n] = '\0';
		snprintf(json, sizeof(json),
			 "{\"method\":\"GET\",\"path\":\"/a\",\"headers\":"
			 "{\"X-Key\":\"%s\"},\"live\":[200],\"invalid\":[401]}",
			 value);
		if (n == 63) {
			assert_int_equal(verify_spec_parse(&s, &r), NFG_EINVAL);
			assert_non_null(strstr(error_last(),
					       "field 'verify.headers.X-Key': "
					       "too long"));
			break;
		}
		assert_int_equal(verify_spec_parse(&s, &r), 0);
		memset(secret, 'a', sizeof(secret) - 1);
		memcpy(secret,
		       "nf_"
		       "at_",
		       6);
		assert_int_equal(
			verify_request_init(&req, &s, "https://api.example",
					    secret, sizeof(secret) - 1),
			0);
		http_request_release(&req);
		api_spec_release(&s);
	}
	/* A path longer than API_SPEC_PATH_MAX. */
	memset(value, 'p', API_SPEC_PATH_MAX);
	value[API_SPEC_PATH_MAX] = '\0';
	snprintf(json, sizeof(json),
		 "{\"method\":\"GET\",\"path\":\"/%s\",\"headers\":"
		 "{\"X-Key\":\"{{secret}}\"},\"live\":[200],\"invalid\":[401]}",
		 value);
	assert_int_equal(verify_spec_parse(&s, &r), NFG_EINVAL);
	assert_non_null(strstr(error_last(),
			       "field 'verify.path': longer than 2048 bytes"));
}

static void test_loopback(void **state)
{
	(void)state;
	assert_true(http_host_is_loopback("127.0.0.1"));
	assert_true(http_host_is_loopback("127.255.3.4"));
	assert_true(http_host_is_loopback("localhost"));
	assert_true(http_host_is_loopback("LocalHost"));
	assert_true(http_host_is_loopback("[::1]"));
	assert_true(http_host_is_loopback("[::ffff:127.0.0.2]"));
	assert_false(http_host_is_loopback("128.0.0.1"));
	assert_false(http_host_is_loopback("10.0.0.1"));
	assert_false(http_host_is_loopback("127.0.0.1.nip.io"));
	assert_false(http_host_is_loopback("localhost.example.com"));
	assert_false(http_host_is_loopback("[::2]"));
	assert_false(http_host_is_loopback("::1"));
	assert_false(http_host_is_loopback(""));
	assert_false(http_host_is_loopback(NULL));
}

static void test_check_url(void **state)
{
	(void)state;
	assert_int_equal(http_check_url("https://api.notiflows.com", "u"), 0);
	assert_int_equal(http_check_url("https://10.1.2.3:8443/api", "u"), 0);
	assert_int_equal(http_check_url("http://127.0.0.1:8080", "u"), 0);
	assert_int_equal(http_check_url("http://localhost/", "u"), 0);
	assert_int_equal(http_check_url("http://[::1]:9/", "u"), 0);
	assert_int_equal(http_check_url("http://example.com", "u"), NFG_EINVAL);
	assert_string_equal(error_last(),
			    "u: plain http is allowed only to a loopback "
			    "address (127.0.0.1, ::1, localhost); use https");
	assert_int_equal(http_check_url("ftp://127.0.0.1/", "u"), NFG_EINVAL);
	assert_int_equal(http_check_url("https://a:b@example.com", "u"),
			 NFG_EINVAL);
	/* The message never repeats the URL (it may hold a password). */
	assert_null(strstr(error_last(), "a:b"));
	assert_int_equal(http_check_url("https://example.com/?q", "u"),
			 NFG_EINVAL);
	assert_int_equal(http_check_url("https://example.com/#f", "u"),
			 NFG_EINVAL);
	assert_int_equal(http_check_url("nonsense", "u"), NFG_EINVAL);
}

static void test_retry_after(void **state)
{
	int64_t ms = -1;
	time_t now = 1700000000; /* Tue, 14 Nov 2023 22:13:20 GMT */

	(void)state;
	assert_int_equal(http_parse_retry_after("1", now, &ms), 0);
	assert_int_equal(ms, 1000);
	assert_int_equal(http_parse_retry_after(" 120 ", now, &ms), 0);
	assert_int_equal(ms, 120000);
	assert_int_equal(http_parse_retry_after("0", now, &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(
		http_parse_retry_after("99999999999999999999999", now, &ms), 0);
	assert_int_equal(ms, 86400000);
	assert_int_equal(http_parse_retry_after("Tue, 14 Nov 2023 22:13:25 GMT",
						now, &ms),
			 0);
	assert_int_equal(ms, 5000);
	assert_int_equal(http_parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT",
						now, &ms),
			 0);
	assert_int_equal(ms, 0);
	assert_int_equal(http_parse_retry_after("", now, &ms), NFG_EINVAL);
	assert_int_equal(http_parse_retry_after("1.5", now, &ms), NFG_EINVAL);
	assert_int_equal(http_parse_retry_after("-1", now, &ms), NFG_EINVAL);
	assert_int_equal(http_parse_retry_after("soon", now, &ms), NFG_EINVAL);
}

/* Feeds each line of lines (NULL-terminated) to r as libcurl would. */
static void feed_headers(struct http_request *r, const char *const *lines)
{
	for (; *lines; lines++)
		http_response_header(r, *lines, strlen(*lines));
}

static void test_response_parse(void **state)
{
	static const char *const first[] = {"HTTP/1.1 100 Continue\r\n",
					    "X-Request-Id: early\r\n",
					    "Retry-After: 9\r\n", "\r\n", NULL};
	static const char *const second[] = {
		"HTTP/1.1 429 Too Many Requests\r\n",
		"x-request-id:  req-42 \t\r\n", "retry-after: 3\r\n", "\r\n",
		NULL};
	static const char hint_body[] =
		"{\"error\":{\"details\":{\"retry_after\":2}}}";
	struct http_request r;
	struct http_opts o;
	char chunk[4096];
	size_t i;

	(void)state;
	http_opts_default(&o);
	o.body_retry_after_ms = verify_body_retry_after_ms;
	assert_int_equal(http_request_init(&r, "GET", "https://api.invalid/"),
			 0);
	/* A status line starts over: only the final response counts. */
	feed_headers(&r, first);
	assert_string_equal(r.result.request_id, "early");
	feed_headers(&r, second);
	assert_string_equal(r.result.request_id, "req-42");
	assert_int_equal(http_response_retry_after_ms(&r, 0, &o), 3000);
	/*
	 * A Retry-After value too long for its buffer, or with a NUL, is no
	 * hint: cut, it read as a delay the server never gave.
	 */
	memset(chunk, ' ', 80);
	memcpy(chunk, "Retry-After: 5", 14);
	memcpy(chunk + 80, "x\r\n", 3);
	http_response_header(&r, chunk, 83);
	assert_int_equal(http_response_retry_after_ms(&r, 0, &o), -1);
	http_response_header(&r, "Retry-After: 4\0x\r\n", 18);
	assert_int_equal(http_response_retry_after_ms(&r, 0, &o), -1);
	/* Without Retry-After the body's hint counts. */
	http_response_reset(&r);
	assert_string_equal(r.result.request_id, "");
	assert_int_equal(http_response_retry_after_ms(&r, 0, &o), -1);
	assert_int_equal(
		http_response_body(&r, hint_body, sizeof(hint_body) - 1), 0);
	assert_int_equal(http_response_retry_after_ms(&r, 0, &o), 2000);
	/* The cap holds to the byte, whatever the chunks. */
	http_response_reset(&r);
	memset(chunk, ' ', sizeof(chunk));
	for (i = 0; i < HTTP_BODY_MAX / sizeof(chunk); i++)
		assert_int_equal(http_response_body(&r, chunk, sizeof(chunk)),
				 0);
	assert_int_equal(r.result.body.len, HTTP_BODY_MAX);
	assert_false(r.too_big);
	assert_int_equal(http_response_body(&r, chunk, 1), NFG_ELIMIT);
	assert_true(r.too_big);
	assert_int_equal(r.result.body.len, HTTP_BODY_MAX);
	/* A body that was cut gives no hint. */
	assert_int_equal(http_response_retry_after_ms(&r, 0, &o), -1);
	http_request_release(&r);
}

/*
 * The last response's header lines are kept whole for callers that read
 * more than the client does (Link, rate limits); one that does not fit
 * is missing and said. A request URL may hold a query, a base may not.
 */
static void test_response_headers_kept(void **state)
{
	static const char *const lines[] = {"HTTP/1.1 100 Continue\r\n",
					    "Link: <old>\r\n",
					    "\r\n",
					    "HTTP/1.1 200 OK\r\n",
					    "Link: <https://h/x?page=2>\r\n",
					    "X-Next-Page: 2\r\n",
					    "\r\n",
					    NULL};
	struct http_request r;
	char *big;

	(void)state;
	assert_int_equal(
		http_request_init(&r, "GET", "https://api.invalid/a?page=1"),
		0);
	assert_int_equal(http_check_url("https://api.invalid/a?page=1", "u"),
			 NFG_EINVAL);
	feed_headers(&r, lines);
	assert_string_equal(r.result.headers.ptr,
			    "Link: <https://h/x?page=2>\r\nX-Next-Page: "
			    "2\r\n\r\n");
	assert_false(r.result.headers_cut);
	big = malloc(HTTP_HEADERS_MAX + 1);
	assert_non_null(big);
	memset(big, 'a', HTTP_HEADERS_MAX + 1);
	http_response_header(&r, big, HTTP_HEADERS_MAX + 1);
	assert_true(r.result.headers_cut);
	http_response_reset(&r);
	assert_false(r.result.headers_cut);
	assert_int_equal(r.result.headers.len, 0);
	free(big);
	/* A larger body cap for one request. */
	http_request_set_body_max(&r, HTTP_BODY_MAX * 2);
	assert_int_equal(r.result.body.max, HTTP_BODY_MAX * 2);
	http_request_release(&r);
}

static void test_retry_delay(void **state)
{
	struct http_result r;
	struct http_opts o;
	unsigned a;

	(void)state;
	http_opts_default(&o);
	memset(&r, 0, sizeof(r));
	r.outcome = HTTP_RESPONSE;
	r.status = 503;
	/* Backoff doubles: 500, 1000, 2000 ms, each jittered in [b/2, b]. */
	for (a = 1; a <= 3; a++) {
		int64_t b = 500LL << (a - 1);

		assert_int_equal(http_retry_delay_ms(&r, a, -1, &o, 0), b / 2);
		assert_int_equal(http_retry_delay_ms(&r, a, -1, &o, b / 2), b);
		assert_int_equal(http_retry_delay_ms(&r, a, -1, &o, b / 2 + 1),
				 b / 2);
	}
	/* After max_retries retries: no more. */
	assert_int_equal(http_retry_delay_ms(&r, 4, -1, &o, 0), -1);
	/* Retry-After wins when longer, and is capped. */
	r.status = 429;
	assert_int_equal(http_retry_delay_ms(&r, 1, 3000, &o, 0), 3000);
	assert_int_equal(http_retry_delay_ms(&r, 1, 10, &o, 0), 250);
	assert_int_equal(http_retry_delay_ms(&r, 1, 3600000, &o, 0), 60000);
	/* Final answers are never retried. */
	r.status = 200;
	assert_int_equal(http_retry_delay_ms(&r, 1, -1, &o, 0), -1);
	r.status = 401;
	assert_int_equal(http_retry_delay_ms(&r, 1, 5000, &o, 0), -1);
	r.status = 302;
	assert_int_equal(http_retry_delay_ms(&r, 1, -1, &o, 0), -1);
	r.outcome = HTTP_TLS_CERT;
	assert_int_equal(http_retry_delay_ms(&r, 1, -1, &o, 0), -1);
	r.outcome = HTTP_TOO_BIG;
	assert_int_equal(http_retry_delay_ms(&r, 1, -1, &o, 0), -1);
	r.outcome = HTTP_TIMEOUT;
	assert_true(http_retry_delay_ms(&r, 1, -1, &o, 0) > 0);
	r.outcome = HTTP_CONNECT;
	assert_true(http_retry_delay_ms(&r, 3, -1, &o, 0) > 0);
	/* The cap on one backoff. */
	o.max_retries = 10;
	assert_int_equal(http_retry_delay_ms(&r, 10, -1, &o, 4000), 8000);
}

static void result(struct http_result *r, enum http_outcome oc, long status,
		   const char *body)
{
	buf_release(&r->body);
	memset(r, 0, sizeof(*r));
	buf_init(&r->body, HTTP_BODY_MAX);
	r->outcome = oc;
	r->status = status;
	r->attempts = 1;
	if (body)
		assert_int_equal(buf_puts(&r->body, body), 0);
}

static void test_map_result(void **state)
{
	struct rule_spec rs = rule_with(good_spec);
	struct verification v;
	struct http_result r;
	struct api_spec s;

	(void)state;
	memset(&v, 0, sizeof(v));
	memset(&r, 0, sizeof(r));
	assert_int_equal(verify_spec_parse(&s, &rs), 0);

	result(&r, HTTP_RESPONSE, 200,
	       "{\"project\":{\"id\":\"p1\",\"name\":\"Web\",\"slug\":\"web\"}"
	       "}");
	memcpy(r.request_id, "req_1", 6);
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_int_equal(v.status, VERIFICATION_LIVE);
	assert_int_equal(v.http_status, 200);
	assert_string_equal(v.project_id, "p1");
	assert_string_equal(v.project_name, "Web");
	assert_string_equal(v.project_slug, "web");
	assert_string_equal(v.request_id, "req_1");
	assert_null(v.reason);

	/* 200 without the documented body is not live. */
	result(&r, HTTP_RESPONSE, 200, "{\"project\":{\"id\":\"p1\"}}");
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_int_equal(v.status, VERIFICATION_UNKNOWN);
	assert_string_equal(v.reason, "body is not the documented JSON");
	assert_null(v.project_id);
	result(&r, HTTP_RESPONSE, 200, "<html>");
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason, "body is not the documented JSON");

	/* 401: invalid, request id from the error body. */
	result(&r, HTTP_RESPONSE, 401,
	       "{\"error\":{\"code\":\"unauthenticated\",\"request_id\":"
	       "\"req_9\"}}");
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_int_equal(v.status, VERIFICATION_INVALID);
	assert_int_equal(v.http_status, 401);
	assert_string_equal(v.request_id, "req_9");
	assert_null(v.reason);

	/* Anything else is unknown, with a reason; never invalid. */
	result(&r, HTTP_RESPONSE, 403, NULL);
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_int_equal(v.status, VERIFICATION_UNKNOWN);
	assert_string_equal(v.reason, "unexpected status 403");
	assert_null(v.request_id);
	result(&r, HTTP_RESPONSE, 429, NULL);
	r.attempts = 4;
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason, "rate limited (429) after 4 attempts");
	result(&r, HTTP_RESPONSE, 502, NULL);
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason, "server error 502 after 1 attempt");
	result(&r, HTTP_RESPONSE, 301, NULL);
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason, "redirect 301 not followed");
	result(&r, HTTP_TIMEOUT, 0, NULL);
	r.attempts = 4;
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason, "timeout after 4 attempts");
	assert_int_equal(v.http_status, 0);
	result(&r, HTTP_DNS, 0, NULL);
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason,
			    "dns: cannot resolve the host after 1 attempt");
	result(&r, HTTP_TLS_CERT, 0, NULL);
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason,
			    "tls: certificate not trusted or not for this "
			    "host");
	result(&r, HTTP_DEADLINE, 0, NULL);
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason, "deadline of 300 s reached");
	result(&r, HTTP_TOO_BIG, 200, NULL);
	assert_int_equal(verify_map_result(&v, &s, &r, 300000), 0);
	assert_string_equal(v.reason, "response body larger than 64 KiB");

	verification_release(&v);
	buf_release(&r.body);
	api_spec_release(&s);
}

static void test_body_retry_after(void **state)
{
	static const char b[] =
		"{\"error\":{\"code\":\"rate_limited\",\"details\":"
		"{\"retry_after\":2}}}";

	(void)state;
	assert_int_equal(verify_body_retry_after_ms(b, strlen(b)), 2000);
	assert_int_equal(verify_body_retry_after_ms("{}", 2), -1);
	assert_int_equal(verify_body_retry_after_ms("nope", 4), -1);
	assert_int_equal(verify_body_retry_after_ms("", 0), -1);
}

/* The bad lines tokens_parse named: line numbers and holds_token. */
struct bad_seen {
	uint64_t line[8];
	int holds[8];
	size_t n;
};

static void on_bad_line(void *ctx, uint64_t line, int holds_token)
{
	struct bad_seen *b = ctx;

	if (b->n < 8) {
		b->line[b->n] = line;
		b->holds[b->n] = holds_token;
	}
	b->n++;
}

static void test_tokens_parse(void **state)
{
	struct bad_seen bad = {{0}, {0}, 0};
	struct ruleset *rs;
	struct findings l;
	char text[512], tok[64];
	size_t nbad;

	(void)state;
	assert_int_equal(rules_open(&rs, NULL), 0);
	findings_init(&l);
	test_token(tok, 16, 2);
	snprintf(text, sizeof(text), "%s\n\n  %s\t\r\nx %s\nnf_at_abc\n%s %s",
		 tok, tok, tok, tok, tok);
	assert_int_equal(tokens_parse(rs, text, strlen(text), "stdin", &l,
				      on_bad_line, &bad, &nbad),
			 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(nbad, 3);
	/* "x TOKEN" and "TOKEN TOKEN" hold tokens among text: "nf_at_abc" not.
	 */
	assert_int_equal(bad.n, 3);
	assert_int_equal(bad.line[0], 4);
	assert_int_equal(bad.holds[0], 1);
	assert_int_equal(bad.line[1], 5);
	assert_int_equal(bad.holds[1], 0);
	assert_int_equal(bad.line[2], 6);
	assert_int_equal(bad.holds[2], 1);
	assert_int_equal(l.v[0].line, 1);
	assert_int_equal(l.v[1].line, 3);
	assert_string_equal(l.v[1].path, "stdin");
	assert_memory_equal(l.v[1].secret, tok, strlen(tok));
	findings_release(&l);
	ruleset_free(rs);
}

static void test_verification_copy(void **state)
{
	struct verification a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.status = VERIFICATION_LIVE;
	a.http_status = 200;
	a.project_name = strdup("n");
	a.checked_at = strdup("2026-01-01T00:00:00.000Z");
	assert_int_equal(verification_copy(&b, &a), 0);
	assert_ptr_not_equal(b.project_name, a.project_name);
	assert_string_equal(b.project_name, "n");
	assert_null(b.project_id);
	assert_string_equal(verification_status_name(b.status), "live");
	assert_null(verification_status_name(VERIFICATION_NONE));
	verification_release(&a);
	verification_release(&b);
	assert_int_equal(b.status, VERIFICATION_NONE);
}

/* Sets finding i's verification to status with reason (or none). */
static void set_status(struct findings *l, size_t i,
		       enum verification_status status, const char *reason)
{
	verification_release(&l->v[i].verification);
	l->v[i].verification.status = status;
	l->v[i].verification.reason = reason ? strdup(reason) : NULL;
}

static void test_summary(void **state)
{
	struct verify_summary s;
	struct ruleset *rs;
	struct findings l;
	char text[512], tok[6][64];
	size_t i, nbad;

	(void)state;
	assert_int_equal(rules_open(&rs, NULL), 0);
	findings_init(&l);
	for (i = 0; i < 6; i++)
		test_token(tok[i], 24, 10 + (unsigned)i);
	/* Token 0 twice: one distinct token, counted once. */
	snprintf(text, sizeof(text), "%s\n%s\n%s\n%s\n%s\n%s\n%s\n", tok[0],
		 tok[1], tok[2], tok[3], tok[4], tok[5], tok[0]);
	assert_int_equal(tokens_parse(rs, text, strlen(text), "stdin", &l, NULL,
				      NULL, &nbad),
			 0);
	assert_int_equal(l.n, 7);
	set_status(&l, 0, VERIFICATION_UNKNOWN, "timeout after 4 attempts");
	set_status(&l, 6, VERIFICATION_UNKNOWN, "timeout after 4 attempts");
	set_status(&l, 1, VERIFICATION_UNKNOWN, "unexpected status 418");
	set_status(&l, 2, VERIFICATION_UNKNOWN, "timeout after 4 attempts");
	set_status(&l, 3, VERIFICATION_LIVE, NULL);
	set_status(&l, 4, VERIFICATION_INVALID, NULL);
	/* Token 5 never verified: unknown, "not verified". */
	assert_int_equal(verify_summary_build(&s, &l), 0);
	assert_int_equal(s.tokens, 6);
	assert_int_equal(s.live, 1);
	assert_int_equal(s.invalid, 1);
	assert_int_equal(s.unknown, 4);
	/* Most tokens first, then by text. */
	assert_int_equal(s.nreasons, 3);
	assert_string_equal(s.reasons[0].reason, "timeout after 4 attempts");
	assert_int_equal(s.reasons[0].tokens, 2);
	assert_string_equal(s.reasons[1].reason, "not verified");
	assert_int_equal(s.reasons[1].tokens, 1);
	assert_string_equal(s.reasons[2].reason, "unexpected status 418");
	assert_int_equal(s.reasons[2].tokens, 1);
	verify_summary_release(&s);
	assert_null(s.reasons);
	verify_summary_release(NULL);
	findings_release(&l);
	/* No findings: all zero. */
	assert_int_equal(verify_summary_build(&s, &l), 0);
	assert_int_equal(s.tokens + s.unknown + s.nreasons, 0);
	verify_summary_release(&s);
	ruleset_free(rs);
}

/* libcurl is loaded at run time: a missing library is a clear error. */
static void test_curl_load(void **state)
{
	const struct curl_fns *c = NULL;
	struct curl_fns f;

	(void)state;
	assert_int_equal(curl_load_from("libnfg-no-such-curl.so.4", &f),
			 NFG_ERR);
	assert_non_null(strstr(error_last(), "cannot load libcurl ("));
	assert_non_null(strstr(error_last(), "libnfg-no-such-curl.so.4"));
	assert_null(f.easy_init);
	/* A library without curl's functions: named with the first missing. */
	assert_int_equal(curl_load_from("libz.so.1", &f), NFG_ERR);
	assert_string_equal(error_last(),
			    "cannot load libcurl (libz.so.1 has no "
			    "curl_global_init); verification needs it");
	assert_int_equal(curl_load(&c), 0);
	assert_ptr_equal(c, curl_fns());
	assert_non_null(c->easy_init);
	assert_non_null(c->multi_cleanup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_request_headers),
		cmocka_unit_test(test_spec_fits),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_check_url),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_response_parse),
		cmocka_unit_test(test_retry_delay),
		cmocka_unit_test(test_response_headers_kept),
		cmocka_unit_test(test_map_result),
		cmocka_unit_test(test_body_retry_after),
		cmocka_unit_test(test_tokens_parse),
		cmocka_unit_test(test_verification_copy),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_curl_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

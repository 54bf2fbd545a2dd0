/*
 * Unit tests of the host listings (src/sweep/hosts.c) on memory buffers:
 * endpoint URLs, one page's JSON with its Link / X-Next-Page headers
 * (forks, archived, hostile next links and bodies), and the rate-limit
 * reading of an answer.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "sweep/hosts.h"

#include <setjmp.h>
#include <cmocka.h>

#define API "https://ghe.example/api/v3"
#define NOW ((time_t)1700000000)

static void check_first(const char *api, enum hosts_kind k, const char *name,
			const char *want)
{
	struct buf b;

	buf_init(&b, 4096);
	assert_int_equal(hosts_first_url(&b, api, k, name), 0);
	assert_string_equal(b.ptr, want);
	buf_release(&b);
}

static void test_first_url(void **state)
{
	struct buf b;

	(void)state;
	check_first(API, HOSTS_GITHUB_ORG, "acme",
		    API "/orgs/acme/repos?per_page=100&type=all");
	check_first(API "//", HOSTS_GITHUB_USER, "me",
		    API "/users/me/repos?per_page=100&type=owner");
	check_first("https://gl.example/api/v4", HOSTS_GITLAB_GROUP,
		    "acme/sub group",
		    "https://gl.example/api/v4/groups/acme%2Fsub%20group/"
		    "projects?include_subgroups=true&per_page=100");
	buf_init(&b, 4096);
	assert_int_equal(hosts_first_url(&b, API, HOSTS_GITHUB_ORG, ""),
			 NFG_EINVAL);
	assert_int_equal(hosts_first_url(&b, API, HOSTS_GITHUB_ORG, "a\nb"),
			 NFG_EINVAL);
	buf_release(&b);
}

static const struct hosts_query gh = {
	HOSTS_GITHUB_ORG, API, API "/orgs/acme/repos?per_page=100", 0, 0};

static int parse(struct hosts_page *pg, const struct hosts_query *q,
		 const char *body, const char *headers)
{
	memset(pg, 0, sizeof(*pg));
	return hosts_parse_page(pg, q, body, strlen(body), headers,
				strlen(headers));
}

static const char page[] =
	"[{\"clone_url\":\"https://h/a.git\",\"fork\":false,"
	"\"archived\":false},"
	" {\"clone_url\":\"https://h/f.git\",\"fork\":true},"
	" {\"clone_url\":\"https://h/o.git\",\"archived\":true}]\n";

static void test_github_page(void **state)
{
	struct hosts_query q = gh;
	struct hosts_page pg;

	(void)state;
	assert_int_equal(parse(&pg, &q, page,
			       "Link: <" API "/organizations/9/repos?page=3>; "
			       "rel=\"last\", <" API
			       "/organizations/9/repos?page=2>; "
			       "rel=\"next\"\r\nX-Other: 1\r\n"),
			 0);
	assert_int_equal(pg.n, 3);
	assert_int_equal(pg.listed, 3);
	assert_string_equal(pg.urls[1], "https://h/f.git");
	assert_string_equal(pg.next, API "/organizations/9/repos?page=2");
	hosts_page_release(&pg);
	q.skip_forks = q.skip_archived = 1;
	assert_int_equal(parse(&pg, &q, page, "link: <x>; rel=prev\r\n"), 0);
	assert_int_equal(pg.n, 1);
	assert_int_equal(pg.forks, 1);
	assert_int_equal(pg.archived, 1);
	assert_null(pg.next);
	hosts_page_release(&pg);
	/* an empty last page */
	assert_int_equal(parse(&pg, &q, " [ ] ", ""), 0);
	assert_int_equal(pg.n, 0);
	assert_null(pg.next);
	hosts_page_release(&pg);
}

static void test_gitlab_page(void **state)
{
	struct hosts_query q = {HOSTS_GITLAB_GROUP, "http://127.0.0.1:9/api/v4",
				"http://127.0.0.1:9/api/v4/groups/g/projects?"
				"per_page=100",
				1, 0};
	struct hosts_page pg;
	const char *body = "[{\"http_url_to_repo\":\"https://h/a.git\"},"
			   "{\"http_url_to_repo\":\"https://h/b.git\","
			   "\"forked_from_project\":{\"id\":1}},"
			   "{\"http_url_to_repo\":\"https://h/c.git\","
			   "\"forked_from_project\":null}]";

	(void)state;
	assert_int_equal(parse(&pg, &q, body, "X-Next-Page: 2\r\n"), 0);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.forks, 1);
	assert_string_equal(pg.next, "http://127.0.0.1:9/api/v4/groups/g/"
				     "projects?per_page=100&page=2");
	hosts_page_release(&pg);
	/* an empty X-Next-Page: the last page */
	assert_int_equal(parse(&pg, &q, body, "X-Next-Page: \r\n"), 0);
	assert_null(pg.next);
	hosts_page_release(&pg);
	assert_int_equal(parse(&pg, &q, body, "X-Next-Page: two\r\n"),
			 NFG_EINVAL);
	assert_string_equal(error_last(),
			    "an X-Next-Page header that is not a page number");
}

/* Answers a listing must refuse, each with its reason. */
static void test_hostile(void **state)
{
	static const struct {
		const char *body, *headers, *why;
	} cases[] = {
		{"<html>", "", "the answer is not JSON"},
		{"[] x", "", "the answer is not JSON"},
		{"{\"message\":\"Bad credentials\"}", "",
		 "the answer is not a list of repositories"},
		{"[1]", "", "repository 1: an entry that is not an object"},
		{"[{\"clone_url\":\"https://h/a\"},{\"name\":\"b\"}]", "",
		 "repository 2: an entry without clone_url"},
		{"[{\"clone_url\":\"\"}]", "",
		 "repository 1: an entry without clone_url"},
		{"[{\"clone_url\":\"https://h/a\\n\"}]", "",
		 "repository 1: clone_url too long or with a control byte"},
		{"[{\"clone_url\":\"https://h/a\",\"fork\":\"yes\"}]", "",
		 "repository 1: 'fork' is not true or false"},
		{"[{\"clone_url\":\"/srv/git/a\"}]", "",
		 "repository 1: a clone_url that is not a network URL (https, "
		 "ssh, git): the API may not name a local repository"},
		{"[{\"clone_url\":\"https://h/a\"},{\"clone_url\":"
		 "\"FILE:///srv/git/b\"}]",
		 "",
		 "repository 2: a clone_url that is not a network URL (https, "
		 "ssh, git): the API may not name a local repository"},
		{"[]",
		 "Link: <https://evil.example/api/v3/x>; rel=\"next\"\r\n",
		 "the next page's link points outside the API base; the token "
		 "is not sent there"},
		{"[]", "Link: <" API "x/y>; rel=\"next\"\r\n",
		 "the next page's link points outside the API base; the token "
		 "is not sent there"},
		{"[]", "Link: <" API ">; rel=\"next\"\r\n",
		 "the next page's link points outside the API base; the token "
		 "is not sent there"},
		{"[]", "Link: " API "/x; rel=\"next\"\r\n",
		 "a Link header that cannot be read"},
		{"[]", "Link: <" API "/x; rel=\"next\"\r\n",
		 "a Link header that cannot be read"},
		{"[]", "Link: <" API "/x>; rel=\"next\r\n",
		 "a Link header that cannot be read"},
		{"[]",
		 "Link: <" API "/a>; rel=next\r\nLink: <" API
		 "/b>; rel=next\r\n",
		 "two different next links"},
	};
	struct hosts_page pg;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(
			parse(&pg, &gh, cases[i].body, cases[i].headers),
			NFG_EINVAL);
		assert_string_equal(error_last(), cases[i].why);
		assert_null(pg.urls);
		assert_null(pg.next);
	}
	/* the same next link twice, and "next" among other relations */
	assert_int_equal(parse(&pg, &gh, "[]",
			       "Link: <" API "/a>; rel=\"prev next\", <" API
			       "/a>;rel=next\r\n"),
			 0);
	assert_string_equal(pg.next, API "/a");
	hosts_page_release(&pg);
}

static void test_rate_limit(void **state)
{
	static const struct {
		long status;
		const char *headers;
		int64_t want;
	} cases[] = {
		/* not a rate limit: another status, a 403 without its headers
		 */
		{200, "Retry-After: 5\r\n", -1},
		{403, "x-ratelimit-reset: 1700000100\r\n", -1},
		{429, "", -1},
		/* GitHub: remaining 0, reset in Unix seconds (plus one) */
		{403,
		 "x-ratelimit-remaining: 0\r\nx-ratelimit-reset: "
		 "1700000001\r\n",
		 2000},
		/* a 403 rate limit naming no time: a day */
		{403, "X-RateLimit-Remaining: 0\r\n", 86400000},
		/* the longest of Retry-After and a reset given as a delay */
		{403, "Retry-After: 30\r\nx-ratelimit-reset: 5\r\n", 30000},
		{429, "x-ratelimit-reset: 5\r\n", 5000},
		/* a reset in the past: a second; a huge one: a day */
		{429, "RateLimit-Reset: 1699999990\r\n", 1000},
		{429, "Retry-After: 999999999\r\n", 86400000},
		/* unreadable values are no times */
		{429, "Retry-After: soon\r\nRateLimit-Reset: -1\r\n", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(
			hosts_rate_limit_ms(cases[i].status, cases[i].headers,
					    strlen(cases[i].headers), NOW),
			cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_url),
		cmocka_unit_test(test_github_page),
		cmocka_unit_test(test_gitlab_page),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_rate_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

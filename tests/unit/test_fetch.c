/*
 * Unit tests of fetching's parsers, on memory buffers: a URL's parts
 * (userinfo decoded, host and port, path), a git credential helper's
 * answer, the cache entry's name and the password check of a URL.
 */
#include "util/common.h"
#include "util/error.h"
#include "sweep/credential.h"
#include "sweep/fetch.h"

#include <setjmp.h>
#include <cmocka.h>

static void split(const char *url, const char *scheme, const char *user,
		  const char *password, const char *host, const char *hostname,
		  const char *path)
{
	struct url_parts u;

	assert_int_equal(url_parts_split(&u, url, strlen(url)), 0);
	assert_string_equal(u.scheme, scheme);
	if (user)
		assert_string_equal(u.user, user);
	else
		assert_null(u.user);
	if (password)
		assert_string_equal(u.password, password);
	else
		assert_null(u.password);
	assert_string_equal(u.host, host);
	assert_string_equal(u.hostname, hostname);
	if (path)
		assert_string_equal(u.path, path);
	else
		assert_null(u.path);
	url_parts_release(&u);
}

static void test_url_parts(void **state)
{
	struct url_parts u;

	(void)state;
	split("HTTPS://me:p%40ss:w@Host.example:8443/a/b.git?x#y", "https",
	      "me", "p@ss:w", "Host.example:8443", "Host.example", "a/b.git");
	split("https://tok@host/x", "https", "tok", NULL, "host", "host", "x");
	split("http://[::1]:8080/r", "http", NULL, NULL, "[::1]:8080", "[::1]",
	      "r");
	split("git://127.0.0.1:9418", "git", NULL, NULL, "127.0.0.1:9418",
	      "127.0.0.1", NULL);
	split("file:///srv/r.git", "file", NULL, NULL, "", "", "srv/r.git");
	/* A '%' without two hex digits stays as it is. */
	split("https://a%4:%zz@h/p", "https", "a%4", "%zz", "h", "h", "p");
	assert_int_equal(url_parts_split(&u, "host:path", 9), NFG_EINVAL);
	assert_int_equal(url_parts_split(&u, "https:///x", 10), NFG_EINVAL);
	assert_int_equal(url_parts_split(&u, "https://h\0/x", 12), NFG_EINVAL);
	assert_int_equal(url_parts_split(&u, "://h/x", 6), NFG_EINVAL);
}

static void test_credential_parse(void **state)
{
	static const char ok[] = "protocol=https\nhost=h\nusername=u\n"
				 "password=first\npassword=p=w\n\n";
	char *user, *pass;

	(void)state;
	assert_int_equal(credential_parse(ok, sizeof(ok) - 1, &user, &pass), 0);
	assert_string_equal(user, "u");
	assert_string_equal(pass, "p=w");
	credential_wipe(user);
	credential_wipe(pass);
	assert_int_equal(credential_parse("quit=1", 6, &user, &pass), 0);
	assert_null(user);
	assert_null(pass);
	assert_int_equal(credential_parse("", 0, &user, &pass), 0);
	assert_null(pass);
	assert_int_equal(
		credential_parse("password=x\nnoequals\n", 20, &user, &pass),
		NFG_EINVAL);
	assert_null(user);
	assert_null(pass);
	assert_int_equal(credential_parse("password=a\0b", 12, &user, &pass),
			 NFG_EINVAL);
	assert_null(pass);
}

static void test_cache_name(void **state)
{
	char *n, *m;

	(void)state;
	n = fetch_cache_name("host/acme/app");
	assert_non_null(n);
	assert_int_equal(strlen(n), strlen("host_acme_app-") + 16 + 4);
	assert_memory_equal(n, "host_acme_app-", 14);
	assert_string_equal(n + strlen(n) - 4, ".git");
	/* Keys that sanitise alike still differ by their hash. */
	m = fetch_cache_name("host/acme_app");
	assert_non_null(m);
	assert_string_not_equal(n, m);
	free(m);
	free(n);
	n = fetch_cache_name("../../etc");
	assert_non_null(n);
	assert_null(strchr(n, '/'));
	assert_int_equal(n[0], '_');
	free(n);
	n = fetch_cache_name("a/very/long/key/that/goes/on/and/on/and/on/"
			     "past/sixty-four/characters/of/text/here");
	assert_int_equal(strlen(n), 64 + 1 + 16 + 4);
	free(n);
}

static void test_url_password(void **state)
{
	(void)state;
	assert_true(fetch_url_has_password("https://u:p@h/x"));
	assert_false(fetch_url_has_password("https://u@h/x"));
	assert_false(fetch_url_has_password("git@h:x"));
	assert_false(fetch_url_has_password("/srv/u:p@h"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_parts),
		cmocka_unit_test(test_credential_parse),
		cmocka_unit_test(test_cache_name),
		cmocka_unit_test(test_url_password),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

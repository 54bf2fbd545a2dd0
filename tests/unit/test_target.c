/*
 * Unit tests of sweep targets: URL or local path (as git tells them),
 * userinfo removed from every URL shape, the normalised key, and the
 * --repos-from list parser on memory buffers.
 */
#include "util/common.h"
#include "util/error.h"
#include "sweep/target.h"

#include <setjmp.h>
#include <cmocka.h>

/* Parses s and checks its kind, shown form and key. */
static void check(const char *s, enum target_kind kind, const char *shown,
		  const char *key)
{
	struct sweep_target t;

	assert_int_equal(target_parse(&t, s, strlen(s)), 0);
	assert_int_equal(t.kind, kind);
	assert_string_equal(t.given, s);
	assert_string_equal(t.shown, shown);
	assert_string_equal(t.key, key);
	target_release(&t);
}

static void test_userinfo_removed(void **state)
{
	(void)state;
	check("https://user:pa55@Example.COM/acme/app.git", TARGET_URL,
	      "https://Example.COM/acme/app.git", "example.com/acme/app");
	check("https://tok@example.com:8443/acme/app/", TARGET_URL,
	      "https://example.com:8443/acme/app/",
	      "example.com:8443/acme/app");
	check("http://a@b@host/x", TARGET_URL, "http://host/x", "host/x");
	check("ssh://git@host:2222/srv/app.git", TARGET_URL,
	      "ssh://host:2222/srv/app.git", "host:2222/srv/app");
	check("git+ssh://me@host/app", TARGET_URL, "git+ssh://host/app",
	      "host/app");
	check("git://host/app.git", TARGET_URL, "git://host/app.git",
	      "host/app");
	check("file://u:p@/srv/git//app.git/", TARGET_URL,
	      "file:///srv/git//app.git/", "/srv/git/app.git");
	check("file:///srv/app", TARGET_URL, "file:///srv/app", "/srv/app");
	/* scp-like: the user (or user:password) goes too */
	check("git@github.com:acme/app.git", TARGET_URL,
	      "github.com:acme/app.git", "github.com/acme/app");
	check("u:secret@host:acme/app", TARGET_URL, "host:acme/app",
	      "host/acme/app");
	check("host:app", TARGET_URL, "host:app", "host/app");
	check("me@[::1]:srv/app", TARGET_URL, "[::1]:srv/app", "[::1]/srv/app");
	/* the same repository however it is written */
	check("https://github.com/acme/app", TARGET_URL,
	      "https://github.com/acme/app", "github.com/acme/app");
}

static void test_local_paths(void **state)
{
	(void)state;
	/* a slash before the colon: a local path, as git reads it */
	check("./repo:1", TARGET_LOCAL, "./repo:1", "repo:1");
	check("/srv/a:b/c", TARGET_LOCAL, "/srv/a:b/c", "/srv/a:b/c");
	check("repo", TARGET_LOCAL, "repo", "repo");
	check("repo/.git", TARGET_LOCAL, "repo/.git", "repo");
	check("a//b/./c/", TARGET_LOCAL, "a//b/./c/", "a/b/c");
	check(".", TARGET_LOCAL, ".", ".");
	check("user@host", TARGET_LOCAL, "user@host", "user@host");
	check(":odd", TARGET_LOCAL, ":odd", ":odd");
	check("x.bundle", TARGET_LOCAL, "x.bundle", "x.bundle");
}

static void test_bad_targets(void **state)
{
	struct sweep_target t;

	(void)state;
	assert_int_equal(target_parse(&t, "", 0), NFG_EINVAL);
	assert_string_equal(error_last(), "empty repository name");
	assert_int_equal(target_parse(&t, "a\0b", 3), NFG_EINVAL);
	assert_int_equal(target_parse(&t, "ftp://u:pw@host/x", 17), NFG_EINVAL);
	/* the error names the URL without its userinfo */
	assert_non_null(strstr(error_last(), "'ftp://host/x'"));
	assert_null(strstr(error_last(), "pw"));
	assert_int_equal(target_parse(&t, "https://u@/x", 12), NFG_EINVAL);
	assert_string_equal(error_last(), "'https:///x': a URL without a host");
	assert_int_equal(target_parse(&t, "https://h/a\tb", 13), NFG_EINVAL);
	assert_null(t.given);
}

static void test_list(void **state)
{
	static const char text[] = "# the fleet\n"
				   "\n"
				   "  alpha  \r\n"
				   "\t# indented comment\n"
				   "https://tok@host/beta.git\n"
				   "https://host/beta\n" /* the same key */
				   "./alpha/\n"		 /* the same key */
				   "git@host:gamma";
	struct target_list l;

	(void)state;
	target_list_init(&l);
	assert_int_equal(target_list_parse(&l, "list", text, strlen(text)), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.duplicates, 2);
	assert_string_equal(l.v[0].given, "alpha");
	assert_string_equal(l.v[1].shown, "https://host/beta.git");
	assert_string_equal(l.v[2].shown, "host:gamma");
	target_list_release(&l);
	target_list_release(NULL);
}

static void test_list_errors(void **state)
{
	struct target_list l;
	char *longline;

	(void)state;
	target_list_init(&l);
	assert_int_equal(target_list_parse(&l, "f", "a\nb\0c\n", 6),
			 NFG_EINVAL);
	assert_string_equal(error_last(),
			    "f:2: repository name holds a NUL byte");
	target_list_release(&l);
	target_list_init(&l);
	assert_int_equal(target_list_parse(&l, "f", "a\nftp://x/y\n", 12),
			 NFG_EINVAL);
	assert_non_null(strstr(error_last(), "f:2: 'ftp://x/y': unsupported"));
	target_list_release(&l);
	longline = malloc(TARGET_LINE_MAX + 2);
	assert_non_null(longline);
	memset(longline, 'a', TARGET_LINE_MAX + 1);
	longline[TARGET_LINE_MAX + 1] = '\n';
	target_list_init(&l);
	assert_int_equal(
		target_list_parse(&l, "f", longline, TARGET_LINE_MAX + 2),
		NFG_EINVAL);
	assert_string_equal(error_last(), "f:1: longer than 4096 bytes");
	target_list_release(&l);
	/* exactly the longest line is fine; an empty list is no error */
	target_list_init(&l);
	assert_int_equal(target_list_parse(&l, "f", longline, TARGET_LINE_MAX),
			 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(target_list_parse(&l, "f", "", 0), 0);
	target_list_release(&l);
	free(longline);
}

/* The split every worker computes: SHA-256's first 8 bytes mod N, + 1. */
static void test_shard(void **state)
{
	(void)state;
	assert_int_equal(target_shard("alpha", 3), 3);
	assert_int_equal(target_shard("beta", 3), 1);
	assert_int_equal(target_shard("delta", 3), 2);
	assert_int_equal(target_shard("example.com/acme/app", 3), 2);
	assert_int_equal(target_shard("example.com/acme/app", 10000), 7894);
	assert_int_equal(target_shard("gamma", 10000), 4673);
	assert_int_equal(target_shard("gamma", 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_userinfo_removed),
		cmocka_unit_test(test_local_paths),
		cmocka_unit_test(test_bad_targets),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_shard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the gitignore-like globs: segment wildcards, "**",
 * classes, escapes, anchoring, directory patterns, invalid patterns, and
 * patterns that would make a naive backtracking matcher explode.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/glob.h"

#include <setjmp.h>
#include <cmocka.h>
#include <time.h>

struct gcase {
	const char *pattern, *path;
	int want;
};

static void run_cases(const struct gcase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int got = glob_match(c[i].pattern, c[i].path);

		if (got != c[i].want)
			fail_msg("glob_match(\"%s\", \"%s\") = %d, want %d",
				 c[i].pattern, c[i].path, got, c[i].want);
	}
}

static void test_segment_wildcards(void **state)
{
	static const struct gcase c[] = {
		{"a.txt", "a.txt", 1},
		{"a.txt", "b.txt", 0},
		{"a.txt", "a.txtx", 0},
		{"*", "anything", 1},
		{"*.pem", "key.pem", 1},
		{"*.pem", "a/b/c.pem", 1},
		{"*.pem", "a/b/c.pem.bak", 0},
		{"*.pem", ".pem", 1},
		{"x*y*z", "xaaybbz", 1},
		{"x*y*z", "xaaybb", 0},
		{"x*y*z", "xyz", 1},
		{"a*", "a", 1},
		{"*a*b", "zzazzbzzb", 1},
		{"*a*b", "zzazzbzzc", 0},
		{"?", "a", 1},
		{"?", "ab", 0},
		{"a?c", "abc", 1},
		{"a?c", "ac", 0},
		/* '*' and '?' never cross a '/' */
		{"/a*c", "ab/c", 0},
		{"/a?c", "a/c", 0},
		{"src/*.c", "src/x.c", 1},
		{"src/*.c", "src/sub/x.c", 0},
		{"src/*", "src/sub/x.c", 1}, /* src/sub is a directory */
		{"a**b", "axxb", 1},	     /* ** inside a segment is '*' */
		{"a**b", "ax/xb", 0},
		{"**", "a", 1},
		{"**", "a/b/c", 1},
		{"*", "a/b/c", 1},
		{"x", "", 0},
		{"**", "", 0},
	};

	(void)state;
	run_cases(c, ARRAY_SIZE(c));
}

static void test_double_star(void **state)
{
	static const struct gcase c[] = {
		{"**/x", "x", 1},
		{"**/x", "a/x", 1},
		{"**/x", "a/b/c/x", 1},
		{"**/x", "a/b/c/y", 0},
		{"**/x", "a/x/y", 1},
		{"a/**", "a/x", 1},
		{"a/**", "a/x/y/z", 1},
		{"a/**", "a", 0},
		{"a/**", "b/a/x", 0},
		{"a/**/b", "a/b", 1},
		{"a/**/b", "a/x/b", 1},
		{"a/**/b", "a/x/y/z/b", 1},
		{"a/**/b", "a/x/y/z/c", 0},
		{"a/**/b", "x/a/b", 0},
		{"a/**/b/*.c", "a/b/q.c", 1},
		{"a/**/b/*.c", "a/1/2/b/q.c", 1},
		{"a/**/b/*.c", "a/1/2/b/q.h", 0},
		{"**/b/**/c", "x/b/y/c", 1},
		{"**/b/**/c", "b/c", 1},
		{"**/b/**/c", "x/b/y", 0},
		{"a/**/**/b", "a/b", 1},
		{"**/**", "a/b", 1},
		/* backtracking past a false start */
		{"**/a/b", "a/x/a/b", 1},
		{"**/a/b", "a/a/a/c", 0},
		{"a/**/a/b", "a/a/a/a/b", 1},
	};

	(void)state;
	run_cases(c, ARRAY_SIZE(c));
}

static void test_classes_and_escapes(void **state)
{
	static const struct gcase c[] = {
		{"[abc].txt", "b.txt", 1},
		{"[abc].txt", "d.txt", 0},
		{"[a-c]x", "cx", 1},
		{"[a-c]x", "dx", 0},
		{"[!a-c]x", "dx", 1},
		{"[!a-c]x", "ax", 0},
		{"[^a-c]x", "dx", 1},
		{"[]]", "]", 1},
		{"[]a]", "a", 1},
		{"[!]]", "]", 0},
		{"[!]]", "x", 1},
		{"[a-]", "-", 1},
		{"[\\]]", "]", 1},
		/* from tests/fuzz/fuzz_glob, checked with git check-ignore:
		 * a reversed range holds its first byte */
		{"[a-\\]]", "a", 1},
		{"[a-\\]]", "b", 0},
		{"[[:digit:]]*.log", "7days.log", 1},
		{"[[:digit:]]*.log", "days.log", 0},
		{"[[:upper:][:digit:]]", "Q", 1},
		{"[[:upper:][:digit:]]", "q", 0},
		{"[[:alpha:]_]", "_", 1},
		{"\\*", "*", 1},
		{"\\*", "a", 0},
		{"\\?x", "?x", 1},
		{"\\[a]", "[a]", 1},
		{"\\[a]", "a", 0},
		{"a\\b", "ab", 1},
		{"\\!x", "!x", 1},
		/* raw bytes, case-sensitive */
		{"*.PEM", "a.pem", 0},
		{"caf\xc3\xa9/*", "caf\xc3\xa9/x", 1},
		{"[\x80-\xff]*", "\xc3\xa9t\xc3\xa9", 1},
		{"?", "\xff", 1},
	};

	(void)state;
	run_cases(c, ARRAY_SIZE(c));
}

static void test_anchors_and_dirs(void **state)
{
	static const struct gcase c[] = {
		{"/a.txt", "a.txt", 1},
		{"/a.txt", "x/a.txt", 0},
		{"a.txt", "x/a.txt", 1},
		{"x/a.txt", "x/a.txt", 1},
		{"x/a.txt", "y/x/a.txt", 0}, /* a middle '/' anchors */
		{"/x/*.txt", "x/a.txt", 1},
		{"vendor/", "vendor/x/y.txt", 1},
		{"vendor/", "a/vendor/x", 1},
		{"vendor/", "vendor", 0},
		{"vendor/", "vendors/x", 0},
		{"/vendor/", "a/vendor/x", 0},
		{"/vendor/", "vendor/x", 1},
		{"build", "build", 1},
		{"build", "build/x.o", 1},
		{"build", "a/build/x.o", 1},
		{"build", "builder/x.o", 0},
		{"a/b/", "a/b/c", 1},
		{"a/b/", "a/b", 0},
		{"a/b", "a/b/c/d", 1},
		{"*.d/", "x.d/y", 1},
		{"*.d/", "x.d", 0},
		{"test/**/", "test/a/b", 1},
		{"test/**/", "test/a", 0}, /* only folders inside test */
		{"//x", "x", 1},
		{"x//", "x/y", 1},
		/* as git check-ignore decides */
		{"**/", "a", 0},
		{"**/", "a/b", 1},
		{"**/**", "a", 1},
		{"**/**/", "a", 0},
		{"x/**/", "x/a.txt", 0},
		{"x/**/", "x/y/z", 1},
		{"x/**/**", "x/y", 1},
	};

	(void)state;
	run_cases(c, ARRAY_SIZE(c));
}

/*
 * A folder named with a trailing '/' (how dir asks whether to walk it):
 * matched when everything below it would be, never on a file pattern.
 */
static void test_folder_paths(void **state)
{
	static const struct gcase c[] = {
		{"vendor/", "vendor/", 1},
		{"vendor/", "a/vendor/", 1},
		{"/vendor/", "a/vendor/", 0},
		{"vendor", "vendor/", 1},
		{"*", "vendor/", 1},
		{"*.d", "x/y.d/", 1},
		{"vendor/*.c", "vendor/", 0},
		{"vendor/*", "vendor/", 1},  /* everything inside it */
		{"vendor/*/", "vendor/", 0}, /* only folders inside it */
		{"a/**", "a/", 1},
		{"**/node_modules", "x/y/node_modules/", 1},
		{"**/node_modules/", "node_modules/", 1},
		{"test/**/", "test/", 0},
		{"test/**/", "test/a/", 1},
		{"build", "builder/", 0},
		{"[!a]*", "a/", 0},
		{"x.txt", "x.txt/", 1},
	};

	(void)state;
	run_cases(c, ARRAY_SIZE(c));
}

static void test_invalid(void **state)
{
	/* "[a\\" came from tests/fuzz/fuzz_glob: the escape ended the class */
	static const char *const bad[] = {
		"",    "/",  "///", "[abc",	  "a[",	       "[!",
		"x\\", "!x", "[]",  "[[:nope:]]", "[[:alpha:", "[a\\"};
	static const char *const good[] = {"*.pem",  "[]]",   "\\!x",
					   "a/**/b", "[a-z]", "**"};
	const char *why = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (glob_check(bad[i], &why) != NFG_EINVAL)
			fail_msg("glob_check(\"%s\") accepted it", bad[i]);
		assert_non_null(why);
		assert_non_null(strstr(error_last(), "bad glob '"));
		/* an invalid pattern matches nothing */
		assert_int_equal(glob_match(bad[i], "a"), 0);
		assert_int_equal(glob_match(bad[i], bad[i]), 0);
	}
	assert_int_equal(glob_check("[abc", &why), NFG_EINVAL);
	assert_string_equal(why, "unterminated '['");
	assert_string_equal(error_last(), "bad glob '[abc': unterminated '['");
	assert_int_equal(glob_check("!x", NULL), NFG_EINVAL);
	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (glob_check(good[i], NULL))
			fail_msg("glob_check(\"%s\"): %s", good[i],
				 error_last());
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Patterns that take exponential time with naive recursion. */
static void test_no_blowup(void **state)
{
	char pat[512], path[8192];
	size_t i, n = 0;
	double t0;

	(void)state;
	for (i = 0; i < 30; i++)
		n += (size_t)snprintf(pat + n, sizeof(pat) - n, "a*");
	snprintf(pat + n, sizeof(pat) - n, "b");
	memset(path, 'a', 4000);
	path[4000] = '\0';
	t0 = now_s();
	assert_int_equal(glob_match(pat, path), 0);
	path[3999] = 'b';
	assert_int_equal(glob_match(pat, path), 1);

	n = 0;
	for (i = 0; i < 30; i++)
		n += (size_t)snprintf(pat + n, sizeof(pat) - n, "**/a/");
	snprintf(pat + n, sizeof(pat) - n, "b");
	n = 0;
	for (i = 0; i < 2000; i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "a/");
	snprintf(path + n, sizeof(path) - n, "c");
	assert_int_equal(glob_match(pat, path), 0);
	path[n] = 'b';
	assert_int_equal(glob_match(pat, path), 1);
	if (now_s() - t0 > 2.0)
		fail_msg("glob matching took %.2f s", now_s() - t0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segment_wildcards),
		cmocka_unit_test(test_double_star),
		cmocka_unit_test(test_classes_and_escapes),
		cmocka_unit_test(test_anchors_and_dirs),
		cmocka_unit_test(test_folder_paths),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_no_blowup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

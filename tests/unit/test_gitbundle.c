/*
 * Unit tests of the git bundle header parser, on headers built in memory:
 * v2 and v3 headers with prerequisites and refs, and hostile ones (no
 * signature, unknown capabilities, bad ids, overlong lines, no blank
 * line, no refs, more refs than the bound).
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/bundle_header.h"

#include <setjmp.h>
#include <cmocka.h>

#define ID_A "0123456789abcdef0123456789abcdef01234567"
#define ID_B "89ABCDEF0123456789abcdef0123456789abcdef"

static int parse(struct bundle_header *h, const char *s)
{
	return bundle_header_parse(h, (const unsigned char *)s, strlen(s));
}

static void test_valid(void **state)
{
	static const char v2[] =
		"# v2 git bundle\n"
		"-" ID_A " first commit\n"
		"-" ID_B "\n" ID_A " refs/heads/main\n" ID_B " HEAD\n"
		"\nPACK...";
	static const char v3[] = "# v3 git bundle\n@object-format=sha1\n" ID_A
				 " refs/tags/v1\n\nPACK";
	struct bundle_header h;

	(void)state;
	assert_int_equal(parse(&h, v2), 0);
	assert_int_equal(h.version, 2);
	assert_int_equal(h.nprereqs, 2);
	assert_int_equal(h.prereqs[0][0], 0x01);
	assert_int_equal(h.prereqs[1][0], 0x89);
	assert_int_equal(h.nrefs, 2);
	assert_string_equal(h.refs[0].name, "refs/heads/main");
	assert_string_equal(h.refs[1].name, "HEAD");
	assert_int_equal(h.refs[1].id[19], 0xef);
	assert_memory_equal(v2 + h.len, "PACK", 4);
	bundle_header_release(&h);

	assert_int_equal(parse(&h, v3), 0);
	assert_int_equal(h.version, 3);
	assert_int_equal(h.nprereqs, 0);
	assert_int_equal(h.nrefs, 1);
	assert_memory_equal(v3 + h.len, "PACK", 4);
	bundle_header_release(&h);
	bundle_header_release(&h); /* a released header releases again */
}

static void expect_fail(const char *s, int code, const char *msg)
{
	struct bundle_header h;

	assert_int_equal(parse(&h, s), code);
	assert_non_null(strstr(error_last(), msg));
	assert_null(h.refs);
	assert_null(h.prereqs);
}

static void test_hostile(void **state)
{
	(void)state;
	expect_fail("", NFG_EINVAL, "not a git bundle");
	expect_fail("# v4 git bundle\n" ID_A " HEAD\n\n", NFG_EINVAL,
		    "not a git bundle");
	expect_fail("PACK", NFG_EINVAL, "not a git bundle");
	expect_fail("# v3 git bundle\n@object-format=sha256\n" ID_A " HEAD\n\n",
		    NFG_EINVAL, "other than sha1");
	expect_fail("# v3 git bundle\n@filter=blob:none\n" ID_A " HEAD\n\n",
		    NFG_EINVAL, "capability");
	/* Capabilities are v3's, and come first. */
	expect_fail("# v2 git bundle\n@object-format=sha1\n" ID_A " HEAD\n\n",
		    NFG_EINVAL, "ref line");
	expect_fail("# v3 git bundle\n" ID_A " HEAD\n@object-format=sha1\n\n",
		    NFG_EINVAL, "ref line");
	expect_fail("# v2 git bundle\n0123 HEAD\n\n", NFG_EINVAL, "ref line");
	expect_fail("# v2 git bundle\n" ID_A "\n\n", NFG_EINVAL, "ref line");
	expect_fail("# v2 git bundle\n" ID_A " \n\n", NFG_EINVAL, "ref line");
	expect_fail("# v2 git bundle\n" ID_A "xHEAD\n\n", NFG_EINVAL,
		    "ref line");
	expect_fail("# v2 git bundle\nz123456789abcdef0123456789abcdef01234567"
		    " HEAD\n\n",
		    NFG_EINVAL, "ref line");
	expect_fail("# v2 git bundle\n-0123\n" ID_A " HEAD\n\n", NFG_EINVAL,
		    "prerequisite");
	expect_fail("# v2 git bundle\n-" ID_A "x\n" ID_A " HEAD\n\n",
		    NFG_EINVAL, "prerequisite");
	expect_fail("# v2 git bundle\n-" ID_A "\n\n", NFG_EINVAL, "no refs");
	expect_fail("# v2 git bundle\n\n", NFG_EINVAL, "no refs");
	expect_fail("# v2 git bundle\n" ID_A " HEAD\n", NFG_EINVAL, "no end");
	expect_fail("# v2 git bundle\n" ID_A " HEAD", NFG_EINVAL, "no end");
	expect_fail("# v2 git bundle\n" ID_A " HEAD\nPACK", NFG_EINVAL,
		    "no end");
	expect_fail("# v2 git bundle\n" ID_A " HEAD\nPACK\n\n", NFG_EINVAL,
		    "ref line");
}

static void test_nul_in_name(void **state)
{
	static const char s[] = "# v2 git bundle\n" ID_A " refs/a\0b\n\n";
	struct bundle_header h;

	(void)state;
	assert_int_equal(bundle_header_parse(&h, (const unsigned char *)s,
					     sizeof(s) - 1),
			 NFG_EINVAL);
	assert_non_null(strstr(error_last(), "NUL"));
}

static void test_long_line(void **state)
{
	size_t n = BUNDLE_MAX_LINE + 100, at;
	char *s = malloc(n + 128);
	struct bundle_header h;

	(void)state;
	assert_non_null(s);
	at = (size_t)snprintf(s, 64, "# v2 git bundle\n%s refs/", ID_A);
	memset(s + at, 'x', n);
	memcpy(s + at + n, "\n\n", 3);
	assert_int_equal(parse(&h, s), NFG_EINVAL);
	assert_non_null(strstr(error_last(), "longer than"));
	/* A line just within the bound is read. */
	memcpy(s + BUNDLE_MAX_LINE + BUNDLE_SIG_LEN, "\n\n", 3);
	assert_int_equal(parse(&h, s), 0);
	assert_int_equal(strlen(h.refs[0].name),
			 BUNDLE_MAX_LINE - 2 * BUNDLE_ID_LEN - 1);
	bundle_header_release(&h);
	free(s);
}

/* More refs than the bound: refused before the header's end is read. */
static void test_too_many_refs(void **state)
{
	static const char line[] = ID_A " refs/x\n";
	size_t n = BUNDLE_MAX_REFS + 1, i, len = sizeof(line) - 1;
	char *s = malloc(BUNDLE_SIG_LEN + n * len + 2);
	struct bundle_header h;

	(void)state;
	assert_non_null(s);
	memcpy(s, "# v2 git bundle\n", BUNDLE_SIG_LEN);
	for (i = 0; i < n; i++)
		memcpy(s + BUNDLE_SIG_LEN + i * len, line, len);
	memcpy(s + BUNDLE_SIG_LEN + n * len, "\n", 2);
	assert_int_equal(bundle_header_parse(&h, (const unsigned char *)s,
					     BUNDLE_SIG_LEN + n * len + 1),
			 NFG_ELIMIT);
	assert_non_null(strstr(error_last(), "more than"));
	free(s);
}

/* A header past BUNDLE_MAX_HEADER without a blank line. */
static void test_huge_header(void **state)
{
	size_t n = BUNDLE_MAX_HEADER + 4096, at = BUNDLE_SIG_LEN, line = 4000;
	char *s = malloc(n);
	struct bundle_header h;

	(void)state;
	assert_non_null(s);
	memcpy(s, "# v2 git bundle\n", BUNDLE_SIG_LEN);
	/* Long comments: fewer prerequisites than their bound. */
	for (; at + line <= n; at += line) {
		memset(s + at, 'c', line);
		memcpy(s + at, "-" ID_A " ", 42);
		s[at + line - 1] = '\n';
	}
	memset(s + at, 'x', n - at);
	assert_int_equal(bundle_header_parse(&h, (const unsigned char *)s, n),
			 NFG_ELIMIT);
	assert_non_null(strstr(error_last(), "larger than"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_nul_in_name),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_too_many_refs),
		cmocka_unit_test(test_huge_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

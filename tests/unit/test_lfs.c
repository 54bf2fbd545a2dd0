/*
 * Unit tests of the Git LFS pointer parser, on buffers built in memory:
 * the exact form git-lfs writes is a pointer; near misses that start
 * with the version line are malformed; anything else is not a pointer.
 */
#include "util/common.h"
#include "source/git/lfs_pointer.h"

#include <setjmp.h>
#include <cmocka.h>

#define V1  "version https://git-lfs.github.com/spec/v1\n"
#define HEX "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
#define OID "oid sha256:" HEX "\n"

static enum lfs_kind parse(const char *s, struct lfs_pointer *p)
{
	return lfs_pointer_parse(s, strlen(s), p);
}

static void test_exact(void **state)
{
	struct lfs_pointer p;

	(void)state;
	assert_int_equal(parse(V1 OID "size 12345\n", &p), LFS_POINTER);
	assert_string_equal(p.oid, HEX);
	assert_int_equal(p.size, 12345);
	assert_int_equal(parse(V1 OID "size 0\n", &p), LFS_POINTER);
	assert_int_equal(p.size, 0);
	assert_int_equal(parse(V1 OID "size 9223372036854775807\n", &p),
			 LFS_POINTER);
	assert_true(p.size == (uint64_t)INT64_MAX);
	/* Extensions, in increasing priority, come before the oid. */
	assert_int_equal(parse(V1 "ext-0-foo sha256:" HEX "\n"
				  "ext-1-bar_2 sha256:" HEX "\n" OID "size 7\n",
			       &p),
			 LFS_POINTER);
	assert_int_equal(p.size, 7);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		V1 OID "size 12",		     /* no final newline */
		V1 OID "size 12\r\n",		     /* CR */
		V1 OID "size 12\n\n",		     /* blank line after */
		V1 OID "size 12\nx-note hi\n",	     /* extra key */
		V1 OID "size 012\n",		     /* leading zero */
		V1 OID "size -1\n",		     /* negative */
		V1 OID "size +1\n",		     /* sign */
		V1 OID "size 9223372036854775808\n", /* above INT64_MAX */
		V1 OID "size 99999999999999999999999\n",
		V1 OID "size \n",
		V1 OID,		    /* no size */
		V1 "size 12\n" OID, /* wrong order */
		V1 "oid sha1:" HEX "\n"
		   "size 1\n",			    /* other hash */
		V1 "oid sha256:" HEX "0\nsize 1\n", /* 65 digits */
		V1 "oid sha256:4D7A214614AB2935C943F9E0FF69D22EADBB8F32B1258DA"
		   "AA5E2CA24D17E2393\nsize 1\n",   /* upper case */
		V1 "oid sha256:4d7a\nsize 1\n",	    /* cut short */
		V1 "oid  sha256:" HEX "\nsize 1\n", /* two spaces */
		V1 "ext-1-a sha256:" HEX "\next-0-b sha256:" HEX "\n" OID
		   "size 1\n", /* extensions out of order */
		V1 "ext-0-a sha256:" HEX "\next-0-b sha256:" HEX "\n" OID
		   "size 1\n", /* duplicate priority */
		V1 "ext-x-a sha256:" HEX "\n" OID "size 1\n",
		V1 "ext-0- sha256:" HEX "\n" OID "size 1\n",
		"  " V1 OID "size 1\n", /* leading blanks */
		"version https://hawser.github.com/spec/v1\n" OID "size 1\n",
		"version https://git-lfs.github.com/spec/v1", /* only that */
		V1,
	};
	struct lfs_pointer p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse(bad[i], &p) != LFS_MALFORMED)
			fail_msg("case %zu: not malformed", i);
	}
}

static void test_not_pointer(void **state)
{
	char big[LFS_POINTER_MAX + 16];
	struct lfs_pointer p;

	(void)state;
	assert_int_equal(parse("", &p), LFS_NOT_POINTER);
	assert_int_equal(parse("hello\n", &p), LFS_NOT_POINTER);
	assert_int_equal(parse("version 1.2.3\n", &p), LFS_NOT_POINTER);
	assert_int_equal(
		parse("version https://git-lfs.github.com/spec/v10\n" OID
		      "size 1\n",
		      &p),
		LFS_NOT_POINTER);
	assert_int_equal(parse("# version " V1 OID "size 1\n", &p),
			 LFS_NOT_POINTER);
	/* Not NUL-terminated: the parser stays inside len. */
	assert_int_equal(lfs_pointer_parse(V1, 10, &p), LFS_NOT_POINTER);
	assert_int_equal(lfs_pointer_parse(V1 OID "size 12\n",
					   strlen(V1 OID "size 1"), &p),
			 LFS_MALFORMED);
	/* A pointer is smaller than 1 KiB: a bigger file is a file. */
	memset(big, ' ', sizeof(big));
	memcpy(big, V1 OID "size 1\n", strlen(V1 OID "size 1\n"));
	assert_int_equal(lfs_pointer_parse(big, LFS_POINTER_MAX, &p),
			 LFS_NOT_POINTER);
	assert_int_equal(lfs_pointer_parse(big, LFS_POINTER_MAX - 1, &p),
			 LFS_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_not_pointer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the util layer: the bounded buffer, bounded number
 * parsing and checked sizes, the object-id map, the priority queue, and
 * the last error; base64 (RFC 4648's vectors, padded and not, and an
 * output too small) and ISO 8601 dates read back.
 */
#include "util/common.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/file.h"
#include "util/idmap.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/pqueue.h"
#include "util/tmpdir.h"
#include "util/wipe.h"

#include <fcntl.h>
#include <stdalign.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

static void test_buf_limits(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_string_equal(b.ptr, "");
	assert_int_equal(buf_puts(&b, "12345"), 0);
	assert_int_equal(buf_printf(&b, "%d", 678), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.ptr, "12345678");
	/* one byte past the maximum fails and changes nothing */
	assert_int_equal(buf_putc(&b, '9'), NFG_ELIMIT);
	assert_string_equal(b.ptr, "12345678");
	assert_int_equal(buf_printf(&b, "%s", "x"), NFG_ELIMIT);
	buf_consume(&b, 3);
	assert_string_equal(b.ptr, "45678");
	assert_int_equal(b.len, 5);
	buf_truncate(&b, 9);
	assert_int_equal(b.len, 5);
	buf_truncate(&b, 2);
	assert_string_equal(b.ptr, "45");
	assert_int_equal(b.len, 2);
	buf_reset(&b);
	assert_int_equal(buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.ptr, "a\0b", 4);
	buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
}

/* After the first failure every append does nothing and returns it. */
static void test_buf_sticky_failure(void **state)
{
	struct buf b;
	char *p;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_failed(&b), 0);
	assert_int_equal(buf_puts(&b, "ab"), 0);
	assert_int_equal(buf_puts(&b, "cde"), NFG_ELIMIT);
	assert_int_equal(buf_failed(&b), NFG_ELIMIT);
	error_set(NFG_EIO, "a later message");
	assert_int_equal(buf_putc(&b, 'c'), NFG_ELIMIT);
	assert_int_equal(buf_printf(&b, "%d", 1), NFG_ELIMIT);
	assert_int_equal(buf_add(&b, "", 0), NFG_ELIMIT);
	assert_int_equal(buf_grow(&b, 1), NFG_ELIMIT);
	/* the no-op appends leave the buffer and the last error alone */
	assert_string_equal(b.ptr, "ab");
	assert_string_equal(error_last(), "a later message");
	buf_consume(&b, 1);
	assert_string_equal(b.ptr, "b");
	assert_int_equal(buf_failed(&b), NFG_ELIMIT);
	buf_reset(&b);
	assert_int_equal(buf_failed(&b), 0);
	assert_int_equal(buf_puts(&b, "abcd"), 0);
	assert_int_equal(buf_putc(&b, 'e'), NFG_ELIMIT);
	p = buf_detach(&b, NULL);
	assert_string_equal(p, "abcd");
	free(p);
	assert_int_equal(buf_failed(&b), 0);
	assert_int_equal(buf_putc(&b, 'x'), 0);
	assert_int_equal(buf_printf(&b, "%s", "yzwv"), NFG_ELIMIT);
	buf_release(&b);
	assert_int_equal(buf_failed(&b), 0);
	assert_int_equal(buf_puts(&b, "ok"), 0);
	buf_release(&b);
}

static void test_buf_wipe_and_detach(void **state)
{
	struct buf b;
	size_t len;
	char *p;
	int i;

	(void)state;
	buf_init(&b, BUF_DEFAULT_MAX);
	b.wipe = 1;
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 1000);
	assert_int_equal(b.ptr[999], 'a' + 999 % 26);
	p = buf_detach(&b, &len);
	assert_int_equal(len, 1000);
	assert_int_equal(p[1000], '\0');
	assert_int_equal(b.len, 0);
	free(p);
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
}

static void test_parse_u64(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(parse_u64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_u64("0", 0, 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("101", 0, 100, &v), NFG_EINVAL);
	assert_non_null(strstr(error_last(), "out of range"));
	assert_int_equal(parse_u64("", 0, 100, &v), NFG_EINVAL);
	assert_int_equal(parse_u64("-1", 0, 100, &v), NFG_EINVAL);
	assert_int_equal(parse_u64("1x", 0, 100, &v), NFG_EINVAL);
	assert_int_equal(parse_u64(" 1", 0, 100, &v), NFG_EINVAL);
	assert_int_equal(parse_u64("18446744073709551615", 0, UINT64_MAX, &v),
			 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", 0, UINT64_MAX, &v),
			 NFG_EINVAL);
	assert_non_null(strstr(error_last(), "too large"));
	assert_int_equal(v, UINT64_MAX); /* unchanged on failure */
}

static void test_parse_size(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(parse_size("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(parse_size("1048576", &v), 0);
	assert_true(v == 1048576);
	assert_int_equal(parse_size("1k", &v), 0);
	assert_true(v == 1024);
	assert_int_equal(parse_size("3M", &v), 0);
	assert_true(v == 3 << 20);
	assert_int_equal(parse_size("2g", &v), 0);
	assert_true(v == (uint64_t)2 << 30);
	assert_int_equal(parse_size("0K", &v), 0);
	assert_true(v == 0);
	assert_int_equal(parse_size("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	/* The largest number each suffix takes, and one more. */
	assert_int_equal(parse_size("17179869183G", &v), 0);
	assert_true(v == (UINT64_MAX >> 30) << 30);
	v = 7;
	assert_int_equal(parse_size("17179869184G", &v), NFG_EINVAL);
	assert_string_equal(error_last(), "'17179869184G' is too large");
	assert_int_equal(parse_size("18446744073709551616", &v), NFG_EINVAL);
	assert_int_equal(parse_size("99999999999999999999999999k", &v),
			 NFG_EINVAL);
	assert_string_equal(error_last(),
			    "'99999999999999999999999999k' is too large");
	/* Bad suffixes and forms. */
	assert_int_equal(parse_size("1T", &v), NFG_EINVAL);
	assert_string_equal(error_last(), "'1T' is not a size (bytes, or a "
					  "number with k, M or G)");
	assert_int_equal(parse_size("1kB", &v), NFG_EINVAL);
	assert_int_equal(parse_size("1MiB", &v), NFG_EINVAL);
	assert_int_equal(parse_size("k", &v), NFG_EINVAL);
	assert_int_equal(parse_size("", &v), NFG_EINVAL);
	assert_int_equal(parse_size("-1", &v), NFG_EINVAL);
	assert_int_equal(parse_size(" 1", &v), NFG_EINVAL);
	assert_int_equal(parse_size("1 k", &v), NFG_EINVAL);
	assert_int_equal(parse_size("1.5M", &v), NFG_EINVAL);
	assert_true(v == 7); /* unchanged on failure */
}

static void test_checked_sizes(void **state)
{
	size_t out = 0;

	(void)state;
	assert_int_equal(size_add(1, 2, &out), 0);
	assert_int_equal(out, 3);
	assert_int_equal(size_add(SIZE_MAX, 1, &out), NFG_ELIMIT);
	assert_int_equal(size_mul(SIZE_MAX / 2, 2, &out), 0);
	assert_int_equal(size_mul(SIZE_MAX / 2 + 1, 2, &out), NFG_ELIMIT);
	assert_int_equal(size_mul(0, SIZE_MAX, &out), 0);
	assert_int_equal(out, 0);
}

static void test_idmap(void **state)
{
	unsigned char id[ID_LEN];
	struct idmap m;
	uint32_t i, *slot;
	int existed;

	(void)state;
	idmap_init(&m);
	assert_null(
		idmap_get(&m, (const unsigned char *)"01234567890123456789"));
	/* enough ids to force several doublings */
	for (i = 0; i < 5000; i++) {
		memset(id, 0, sizeof(id));
		memcpy(id + 8, &i, sizeof(i));
		id[0] = (unsigned char)(i * 7);
		assert_int_equal(idmap_put(&m, id, i, &existed, &slot), 0);
		assert_false(existed);
		assert_int_equal(*slot, i);
	}
	assert_int_equal(m.n, 5000);
	for (i = 0; i < 5000; i++) {
		memset(id, 0, sizeof(id));
		memcpy(id + 8, &i, sizeof(i));
		id[0] = (unsigned char)(i * 7);
		assert_non_null(idmap_get(&m, id));
		assert_int_equal(*idmap_get(&m, id), i);
		assert_int_equal(idmap_put(&m, id, 99, &existed, &slot), 0);
		assert_true(existed);
		assert_int_equal(*slot, i); /* an existing value is kept */
	}
	memset(id, 0xff, sizeof(id));
	assert_null(idmap_get(&m, id));
	idmap_release(&m);
	assert_int_equal(m.n, 0);
}

/* Orders items by key[item], the item itself breaking ties. */
static int key_less(const void *ctx, uint32_t a, uint32_t b)
{
	const int *key = ctx;

	if (key[a] != key[b])
		return key[a] < key[b];
	return a < b;
}

static void test_pqueue(void **state)
{
	static const int key[] = {5, 3, 9, 3, 0, 7, 1, 8, 2, 6, 4, 9};
	const uint32_t n = sizeof(key) / sizeof(key[0]);
	struct pqueue q;
	uint32_t i, prev, x;

	(void)state;
	pqueue_init(&q, key_less, key);
	for (i = 0; i < n; i++)
		assert_int_equal(pqueue_push(&q, i), 0);
	assert_int_equal(q.n, n);
	prev = pqueue_pop(&q);
	assert_int_equal(prev, 4); /* key 0 */
	while (q.n) {
		x = pqueue_pop(&q);
		assert_true(key_less(key, prev, x));
		prev = x;
	}
	assert_int_equal(prev, 11); /* key 9, the larger index */
	/* Reserved room, then pushes and pops interleaved. */
	assert_int_equal(pqueue_reserve(&q, 64), 0);
	assert_int_equal(pqueue_push(&q, 2), 0);
	assert_int_equal(pqueue_push(&q, 6), 0);
	assert_int_equal(pqueue_pop(&q), 6);
	assert_int_equal(pqueue_push(&q, 4), 0);
	assert_int_equal(pqueue_pop(&q), 4);
	assert_int_equal(pqueue_pop(&q), 2);
	assert_int_equal(q.n, 0);
	pqueue_release(&q);
	pqueue_release(&q);
}

static void test_last_error(void **state)
{
	(void)state;
	error_clear();
	assert_string_equal(error_last(), "");
	assert_int_equal(error_set(NFG_EIO, "cannot open '%s'", "x"), NFG_EIO);
	assert_string_equal(error_last(), "cannot open 'x'");
	assert_int_equal(error_set_errno(NFG_EIO, ENOENT, "'%s'", "y"),
			 NFG_EIO);
	assert_string_equal(error_last(), "'y': No such file or directory");
}

/* Counts the bytes of s equal to c. */
static size_t count_of(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/*
 * A message longer than its buffer loses its middle: the reason after a
 * long path stays, and a word the cut would split goes whole, so a token
 * is never printed in part (redaction needs it whole).
 */
static void test_long_error(void **state)
{
	char path[6000], small[64];
	const char *msg;
	size_t i;

	(void)state;
	memset(path, 'x', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	error_set_errno(NFG_EIO, ENAMETOOLONG, "cannot open '%s'", path);
	assert_string_equal(error_last(),
			    "cannot open ' ... ': File name too long");

	/* Short words around a long one that sits where the cut falls. */
	for (i = 0; i + 1 < 500; i += 2)
		memcpy(path + i, "a/", 2);
	memset(path + 500, 'Q', 60);
	for (i = 560; i + 1 < 1400; i += 2)
		memcpy(path + i, "/b", 2);
	path[1400] = '\0';
	error_set(NFG_EIO, "'%s': unreadable", path);
	msg = error_last();
	assert_true(strlen(msg) < 1024);
	assert_int_equal(count_of(msg, 'Q'), 0);
	assert_non_null(strstr(msg, " ... "));
	assert_int_equal(strncmp(msg, "'a/a/", 5), 0);
	assert_string_equal(msg + strlen(msg) - 17, "/b/b': unreadable");

	/* The same word whole when the cut misses it. */
	path[600] = '\0';
	error_format(small, sizeof(small), "%s", path + 470);
	assert_int_equal(count_of(small, 'Q'), 0);
	error_format(small, sizeof(small), "%.62s", path + 499);
	assert_int_equal(count_of(small, 'Q'), 60);
}

/* Returns the nearest of the names to typed, or NULL. */
static const char *nearest(const char *typed)
{
	static const char *const names[] = {"format", "range",	  "git",
					    "staged", "no-color", "verify"};
	struct str_nearest n = {typed, NULL, 0};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		str_nearest_try(&n, names[i]);
	return n.best;
}

static void test_nearest(void **state)
{
	char long_name[100];

	(void)state;
	assert_string_equal(nearest("formt"), "format"); /* dropped */
	assert_string_equal(nearest("rnage"), "range");	 /* swapped */
	assert_string_equal(nearest("gti"), "git");	 /* swapped, short */
	assert_string_equal(nearest("no-colr"), "no-color");
	assert_string_equal(nearest("verifyy"), "verify"); /* added */
	assert_string_equal(nearest("stagex"), "staged");  /* changed */
	assert_string_equal(nearest("gut"), "git");
	assert_null(nearest("gxx")); /* a short name: one edit at most */
	assert_null(nearest("scan"));
	assert_null(nearest("fmt"));
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_null(nearest(long_name));
}

static void test_str(void **state)
{
	static const char text[] = "a\nb\n\nc";
	char *s = NULL, **v;

	(void)state;
	assert_int_equal(str_dup(&s, NULL), 0);
	assert_null(s);
	assert_int_equal(str_dup(&s, "one"), 0);
	assert_string_equal(s, "one");
	assert_int_equal(str_set(&s, "two"), 0);
	assert_string_equal(s, "two");
	assert_int_equal(str_set(&s, NULL), 0);
	assert_null(s);
	v = calloc(2, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(str_dup(&v[0], "x"), 0);
	strv_free(v, 2);
	strv_free(NULL, 3);
	assert_int_equal(str_line_of(text, 6, text), 1);
	assert_int_equal(str_line_of(text, 6, text + 2), 2);
	assert_int_equal(str_line_of(text, 6, text + 5), 4);
	assert_int_equal(str_line_of(text, 6, text + 6), 4);
	/* outside the text: line 1 */
	assert_int_equal(str_line_of(text, 6, text + 7), 1);
	assert_int_equal(str_line_of(text, 6, NULL), 1);
}

/* A file's fstat before and after it is read, with what was read. */
static void test_file_change(void **state)
{
	char path[] = "/tmp/nfguard-test-file-XXXXXX";
	struct stat a, b;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, "abcd", 4), 4);
	assert_int_equal(fstat(fd, &a), 0);
	b = a;
	assert_int_equal(file_change(&a, &b, 4), FILE_UNCHANGED);
	/* The same metadata: what /proc gives is not a change. */
	assert_int_equal(file_change(&a, &b, 0), FILE_UNCHANGED);
	assert_int_equal(file_change(&a, &b, 9), FILE_UNCHANGED);
	/* Appended to: read to the new end, or not. */
	assert_int_equal(write(fd, "ef", 2), 2);
	assert_int_equal(fstat(fd, &b), 0);
	assert_int_equal(file_change(&a, &b, 6), FILE_GREW);
	assert_int_equal(file_change(&a, &b, 4), FILE_CHANGED);
	assert_int_equal(file_change(&a, &b, 7), FILE_CHANGED);
	/* Shrunk, even when what was read matches the new size. */
	assert_int_equal(ftruncate(fd, 1), 0);
	assert_int_equal(fstat(fd, &b), 0);
	assert_int_equal(file_change(&a, &b, 1), FILE_CHANGED);
	/* The same size, rewritten: its modification time moved. */
	b = a;
	b.st_mtim.tv_nsec = (a.st_mtim.tv_nsec + 1) % 1000000000;
	assert_int_equal(file_change(&a, &b, 4), FILE_CHANGED);
	close(fd);
}

/*
 * A temporary folder is removed whole however deep it goes, without
 * following a symbolic link out of it; the signal-time removal removes
 * every folder still registered; a removed folder is no longer one.
 */
static void test_tmpdir(void **state)
{
	char outside[] = "/tmp/nfguard-unit-XXXXXX", path[8192], keep[256];
	char *a, *b;
	size_t len;
	int i, fd;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(outside));
	snprintf(keep, sizeof(keep), "%s/keep", outside);
	assert_int_equal(close(open(keep, O_CREAT | O_WRONLY, 0600)), 0);
	assert_int_equal(tmpdir_make(NULL, "nfguard-unit", &a), 0);
	assert_int_equal(strncmp(a, "/tmp/nfguard-unit-", 18), 0);
	assert_int_equal(stat(a, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* 300 folders deep, a file at each level, a link out at the end. */
	len = (size_t)snprintf(path, sizeof(path), "%s", a);
	for (i = 0; i < 300; i++) {
		len += (size_t)snprintf(path + len, sizeof(path) - len, "/d");
		assert_int_equal(mkdir(path, 0700), 0);
		fd = open(path, O_RDONLY | O_DIRECTORY);
		assert_int_equal(
			close(openat(fd, "f", O_CREAT | O_WRONLY, 0600)), 0);
		if (i == 299)
			assert_int_equal(symlinkat(outside, fd, "out"), 0);
		close(fd);
	}
	assert_int_equal(tmpdir_make("/tmp", "nfguard-unit", &b), 0);
	tmpdir_remove(a);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(stat(keep, &st), 0);
	/* Only b is left registered: the signal-time removal takes it. */
	snprintf(path, sizeof(path), "%s/x", b);
	assert_int_equal(mkdir(path, 0700), 0);
	tmpdir_signal_cleanup();
	assert_int_equal(stat(b, &st), -1);
	tmpdir_remove(b);
	tmpdir_remove(NULL);
	assert_int_equal(unlink(keep), 0);
	assert_int_equal(rmdir(outside), 0);
	assert_int_equal(tmpdir_make("/nonexistent-folder", "x", &a), NFG_EIO);
	assert_null(a);
}

/* wipe_alloc: aligned, writable, NULL on an overflowing size. */
static void test_wipe(void **state)
{
	unsigned char *p = wipe_alloc(3, 7);

	(void)state;
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
	memset(p, 0xaa, 21);
	wipe_free(p);
	wipe_free(NULL);
	assert_null(wipe_alloc(SIZE_MAX / 2, 3));
	assert_null(wipe_alloc(1, SIZE_MAX - 4));
}

static void b64(const char *in, int pad, const char *want)
{
	char out[16];

	assert_int_equal(base64_encode((const unsigned char *)in, strlen(in),
				       pad, out, sizeof(out)),
			 strlen(want));
	assert_string_equal(out, want);
}

static void test_base64(void **state)
{
	char small[4] = "xyz";

	(void)state;
	b64("", 1, "");
	b64("f", 1, "Zg==");
	b64("fo", 1, "Zm8=");
	b64("foo", 1, "Zm9v");
	b64("foob", 1, "Zm9vYg==");
	b64("fooba", 1, "Zm9vYmE=");
	b64("foobar", 1, "Zm9vYmFy");
	b64("f", 0, "Zg");
	b64("fooba", 0, "Zm9vYmE");
	b64("\xff\xfe", 1, "//4=");
	/* Room for "Zm9v" but not its NUL. */
	assert_int_equal(base64_encode((const unsigned char *)"foo", 3, 1,
				       small, sizeof(small)),
			 0);
	assert_string_equal(small, "");
}

static void iso(const char *s, int64_t want)
{
	int64_t ms = -1;

	assert_int_equal(clock_parse_iso(s, &ms), 0);
	assert_int_equal(ms, want);
}

static void test_parse_iso(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-11-28",
		"2026-11-28T00:00:00",
		"2026-11-28T00:00:00z",
		"2026-11-28 00:00:00Z",
		"2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"2026-02-29T00:00:00Z",
		"2026-04-31T00:00:00Z",
		"2026-11-28T24:00:00Z",
		"2026-11-28T00:60:00Z",
		"2026-11-28T00:00:60Z",
		"2026-11-28T00:00:00.Z",
		"2026-11-28T00:00:00.1234567890Z",
		"2026-11-28T00:00:00ZZ",
		"2026-11-28T00:00:00+01:00",
		"+026-11-28T00:00:00Z",
		"2026-1a-28T00:00:00Z",
	};
	char out[32];
	int64_t ms = 7;
	size_t i;

	(void)state;
	iso("1970-01-01T00:00:00Z", 0);
	iso("2026-11-28T00:00:00.123Z", 1795824000123);
	iso("2026-11-28T00:00:00.1Z", 1795824000100);
	iso("2026-11-28T00:00:00.12Z", 1795824000120);
	iso("2026-11-28T00:00:00.123456789Z", 1795824000123);
	iso("2024-02-29T12:30:45Z", 1709209845000);
	iso("1969-12-31T23:59:59.999Z", -1);
	iso("2000-02-29T00:00:00Z", 951782400000);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(clock_parse_iso(bad[i], &ms), NFG_EINVAL);
		assert_int_equal(ms, 7);
	}
	/* What clock_format_ms writes reads back to the same time. */
	clock_format_ms(1795824000123, out);
	iso(out, 1795824000123);
	clock_format_s(1709209845, out);
	iso(out, 1709209845000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_limits),
		cmocka_unit_test(test_buf_sticky_failure),
		cmocka_unit_test(test_buf_wipe_and_detach),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_checked_sizes),
		cmocka_unit_test(test_idmap),
		cmocka_unit_test(test_pqueue),
		cmocka_unit_test(test_last_error),
		cmocka_unit_test(test_long_error),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_tmpdir),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_file_change),
		cmocka_unit_test(test_wipe),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_parse_iso),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

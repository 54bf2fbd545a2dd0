/*
 * Unit tests of the index file parser, on indexes built in memory: the
 * versions 2 to 4, hostile headers, counts, names, prefixes, extensions
 * and checksums, and the split index's merge with its shared index
 * (replacements, deletions, additions, and links that cannot hold).
 */
#include "util/common.h"
#include "util/error.h"
#include "util/sha1.h"
#include "source/git/index_file.h"

#include <setjmp.h>
#include <cmocka.h>

/* An index being built: header, entries, extensions, then finish(). */
struct ib {
	unsigned char b[4096];
	size_t n;
	unsigned version;
	char prev[256]; /* the last path, for version 4 */
};

static void put(struct ib *x, const void *p, size_t n)
{
	assert_true(x->n + n <= sizeof(x->b));
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

static void put32(struct ib *x, uint32_t v)
{
	unsigned char p[4] = {(unsigned char)(v >> 24),
			      (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			      (unsigned char)v};

	put(x, p, 4);
}

static void put16(struct ib *x, unsigned v)
{
	unsigned char p[2] = {(unsigned char)(v >> 8), (unsigned char)v};

	put(x, p, 2);
}

static void start(struct ib *x, unsigned version, uint32_t count)
{
	memset(x, 0, sizeof(*x));
	x->version = version;
	put(x, "DIRC", 4);
	put32(x, version);
	put32(x, count);
}

/* One entry: path, stage, extended flags, id filled with idbyte. */
static void entry(struct ib *x, const char *path, unsigned stage, unsigned ext,
		  unsigned char idbyte)
{
	unsigned char id[20];
	size_t len = strlen(path), at = x->n, i;

	for (i = 0; i < 10; i++)
		put32(x, i == 6 ? 0100644 : (uint32_t)i);
	memset(id, idbyte, sizeof(id));
	put(x, id, sizeof(id));
	put16(x, (ext ? 0x4000u : 0) | stage << 12 |
			 (len < 0xfff ? (unsigned)len : 0xfffu));
	if (ext)
		put16(x, ext);
	if (x->version == 4) {
		size_t common = 0, plen = strlen(x->prev);
		unsigned char strip;

		while (common < plen && common < len &&
		       x->prev[common] == path[common])
			common++;
		strip = (unsigned char)(plen - common); /* < 128 here */
		put(x, &strip, 1);
		put(x, path + common, len - common + 1);
		snprintf(x->prev, sizeof(x->prev), "%s", path);
		return;
	}
	put(x, path, len);
	do
		put(x, "", 1);
	while ((x->n - at) % 8);
}

static void ext(struct ib *x, const char *sig, const void *data, uint32_t n)
{
	put(x, sig, 4);
	put32(x, n);
	put(x, data, n);
}

static void finish(struct ib *x)
{
	unsigned char sum[20];

	sha1(x->b, x->n, sum);
	put(x, sum, sizeof(sum));
}

static int parse(struct index_file *f, const struct ib *x)
{
	index_file_init(f);
	return index_file_parse(f, x->b, x->n, "idx");
}

static void expect_error(const struct ib *x, const char *msg)
{
	struct index_file f;

	assert_int_equal(parse(&f, x), NFG_EINVAL);
	assert_string_equal(error_last(), msg);
	assert_int_equal(f.n, 0);
}

static void test_sha1(void **state)
{
	static const struct {
		const char *in, *want;
	} v[] = {
		{"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
		{"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
	};
	unsigned char md[20];
	char hex[41];
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		sha1(v[i].in, strlen(v[i].in), md);
		for (j = 0; j < 20; j++)
			snprintf(hex + 2 * j, 3, "%02x", md[j]);
		assert_string_equal(hex, v[i].want);
	}
}

/* In pieces of every size, across block boundaries: as in one call. */
static void test_sha1_pieces(void **state)
{
	unsigned char data[300], whole[20], md[20];
	struct sha1_ctx c;
	size_t len, step, at, i;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	for (len = 0; len <= sizeof(data); len += 37) {
		sha1(data, len, whole);
		for (step = 1; step <= 130; step += 3) {
			sha1_init(&c);
			for (at = 0; at < len; at += step)
				sha1_update(&c, data + at,
					    len - at < step ? len - at : step);
			sha1_final(&c, md);
			assert_memory_equal(md, whole, 20);
		}
	}
}

static void test_versions(void **state)
{
	struct index_file f;
	struct ib x;
	unsigned v;

	(void)state;
	for (v = 2; v <= 4; v++) {
		start(&x, v, 4);
		entry(&x, "a/b/long-name.c", 0, 0, 1);
		entry(&x, "a/b/long-other.c", 0,
		      v > 2 ? INDEX_INTENT_TO_ADD : 0, 2);
		entry(&x, "a/c", 1, 0, 3);
		entry(&x, "a/c", 2, v > 2 ? INDEX_SKIP_WORKTREE : 0, 4);
		ext(&x, "TREE", "junk", 4);
		ext(&x, "UNTR", "", 0);
		finish(&x);
		assert_int_equal(parse(&f, &x), 0);
		assert_int_equal(f.version, v);
		assert_int_equal(f.n, 4);
		assert_string_equal(f.v[0].path, "a/b/long-name.c");
		assert_string_equal(f.v[1].path, "a/b/long-other.c");
		assert_int_equal(f.v[1].flags_ext,
				 v > 2 ? INDEX_INTENT_TO_ADD : 0);
		assert_string_equal(f.v[3].path, "a/c");
		assert_int_equal(INDEX_STAGE(&f.v[3]), 2);
		assert_int_equal(f.v[2].id[0], 3);
		assert_false(index_file_needs_shared(&f));
		index_file_release(&f);
	}
	/* git 2.40's index.skipHash: a zero checksum is not checked */
	start(&x, 2, 1);
	entry(&x, "a", 0, 0, 1);
	memset(x.b + x.n, 0, 20);
	x.n += 20;
	assert_int_equal(parse(&f, &x), 0);
	index_file_release(&f);
}

static void test_hostile_header(void **state)
{
	struct ib x;

	(void)state;
	start(&x, 2, 0);
	x.b[0] = 'X';
	finish(&x);
	expect_error(&x, "idx: bad signature");
	start(&x, 5, 0);
	finish(&x);
	expect_error(&x, "idx: unsupported version 5");
	start(&x, 2, 0);
	x.n = 8;
	expect_error(&x, "idx: bad signature"); /* too short for one */
	start(&x, 2, 1);
	entry(&x, "a", 0, 0, 1);
	finish(&x);
	x.b[20] ^= 1;
	expect_error(&x, "idx: checksum mismatch");
	start(&x, 2, 2);
	entry(&x, "a", 0, 0, 1);
	finish(&x);
	expect_error(&x, "idx: 2 entries cannot fit in 96 bytes");
	start(&x, 2, 1000000);
	finish(&x);
	expect_error(&x, "idx: 1000000 entries cannot fit in 32 bytes");
}

/*
 * A version 4 index of "ab" and "ac" whose entry which has its prefix
 * length's bytes set to strip: parsing fails with msg.
 */
static void bad_prefix(size_t which, unsigned char strip, const char *msg)
{
	struct ib x;
	size_t at[2];

	start(&x, 4, 2);
	at[0] = x.n;
	entry(&x, "ab", 0, 0, 1);
	at[1] = x.n;
	entry(&x, "ac", 0, 0, 2);
	memset(x.b + at[which] + 62, strip,
	       strip & 0x80 ? x.n - at[which] - 62 : 1);
	finish(&x);
	expect_error(&x, msg);
}

/* Two entries in this order: the second is out of order. */
static void out_of_order(const char *a, unsigned sa, const char *b, unsigned sb)
{
	struct ib x;

	start(&x, 2, 2);
	entry(&x, a, sa, 0, 1);
	entry(&x, b, sb, 0, 1);
	finish(&x);
	expect_error(&x, "idx: entry 1 is out of order");
}

static void test_hostile_entries(void **state)
{
	struct ib x;
	size_t at;

	(void)state;
	/* a name whose NUL is missing: it runs into the checksum */
	start(&x, 2, 1);
	at = x.n;
	entry(&x, "abcdefg", 0, 0, 1);
	memset(x.b + at + 62, 'x', x.n - at - 62);
	x.b[at + 61] = 0xff; /* flags: 0xfff, look for the NUL */
	x.b[at + 60] = 0x0f;
	finish(&x);
	expect_error(&x, "idx: entry 0: name runs past the end");
	/* the length in the flags is not the name's */
	start(&x, 2, 1);
	at = x.n;
	entry(&x, "abc", 0, 0, 1);
	x.b[at + 61] = 2;
	finish(&x);
	expect_error(&x, "idx: entry 0: name length does not match");
	/* version 4: strip more than the previous name has; the first
	 * entry compresses against ""; a prefix length that never ends */
	bad_prefix(1, 3,
		   "idx: entry 1: prefix length 3 is longer than the previous "
		   "name");
	bad_prefix(0, 1,
		   "idx: entry 0: prefix length 1 is longer than the previous "
		   "name");
	bad_prefix(0, 0x80, "idx: entry 0: bad prefix length");
	/* unknown extended flags */
	start(&x, 3, 1);
	entry(&x, "a", 0, 0x0001, 1);
	finish(&x);
	expect_error(&x, "idx: entry 0 has unknown flags 0x0001");
	/* order */
	out_of_order("b", 0, "a", 0);
	out_of_order("a", 2, "a", 1);
	out_of_order("a", 0, "a", 0);
	start(&x, 2, 1);
	entry(&x, "", 0, 0, 1);
	finish(&x);
	expect_error(&x, "idx: entry 0 has no name");
}

static void test_hostile_extensions(void **state)
{
	struct ib x;

	(void)state;
	start(&x, 2, 1);
	entry(&x, "a", 0, 0, 1);
	put(&x, "TREE", 4);
	put32(&x, 1000);
	finish(&x);
	expect_error(&x, "idx: extension runs past the end");
	start(&x, 2, 1);
	entry(&x, "a", 0, 0, 1);
	put(&x, "TRE", 3);
	finish(&x);
	expect_error(&x, "idx: extension runs past the end");
	start(&x, 2, 1);
	entry(&x, "a", 0, 0, 1);
	ext(&x, "abcd", "", 0);
	finish(&x);
	expect_error(&x, "idx: unsupported mandatory extension 'abcd'");
	start(&x, 2, 1);
	entry(&x, "a", 0, 0, 1);
	ext(&x, "x\n\\\377", "", 0);
	finish(&x);
	expect_error(&x,
		     "idx: unsupported mandatory extension 'x\\x0a\\x5c\\xff'");
	/* the sparse marker is known */
	start(&x, 2, 1);
	entry(&x, "a", 0, 0, 1);
	ext(&x, "sdir", "", 0);
	finish(&x);
	{
		struct index_file f;

		assert_int_equal(parse(&f, &x), 0);
		index_file_release(&f);
	}
}

/* An ewah bitmap of up to 64 bits, one literal word. */
static size_t ewah(unsigned char *p, uint64_t bits)
{
	struct ib t;

	t.n = 0;
	put32(&t, 64);
	put32(&t, 2);
	put32(&t, 2); /* run-length word: no run, one literal word */
	put32(&t, 0);
	put32(&t, (uint32_t)(bits >> 32));
	put32(&t, (uint32_t)bits);
	put32(&t, 0);
	memcpy(p, t.b, t.n);
	return t.n;
}

/* A shared index of "a" "b" "c" "d" and its checksum. */
static void shared_index(struct ib *s, unsigned char id[20])
{
	start(s, 2, 4);
	entry(s, "a", 0, 0, 1);
	entry(s, "b", 0, 0, 2);
	entry(s, "c", 0, 0, 3);
	entry(s, "d", 2, 0, 4);
	finish(s);
	memcpy(id, s->b + s->n - 20, 20);
}

/*
 * A split index over it: b replaced, c deleted, "bb" and "d" (stage 0,
 * which ends d's conflict) added; del and rep are the bitmaps.
 */
static void split_index(struct ib *x, const unsigned char id[20], uint64_t del,
			uint64_t rep, const char *first)
{
	unsigned char link[20 + 2 * 28];
	size_t n = 20;

	start(x, 2, 3);
	entry(x, first, 0, 0, 9);
	entry(x, "bb", 0, 0, 8);
	entry(x, "d", 0, 0, 7);
	memcpy(link, id, 20);
	n += ewah(link + n, del);
	n += ewah(link + n, rep);
	ext(x, "link", link, (uint32_t)n);
	finish(x);
}

static int merge(const struct ib *x, const struct ib *s, struct index_file *out)
{
	struct index_file sh;
	int err;

	assert_int_equal(parse(out, x), 0);
	assert_int_equal(parse(&sh, s), 0);
	err = index_file_merge(out, &sh, "idx");
	index_file_release(&sh);
	return err;
}

static void test_split(void **state)
{
	static const char *want[] = {"a", "b", "bb", "d"};
	static const unsigned char ids[] = {1, 9, 8, 7};
	struct index_file f;
	struct ib s, x;
	unsigned char id[20];
	size_t i;

	(void)state;
	shared_index(&s, id);
	split_index(&x, id, 1u << 2, 1u << 1, "");
	assert_int_equal(parse(&f, &x), 0);
	assert_true(index_file_needs_shared(&f));
	index_file_release(&f);
	assert_int_equal(merge(&x, &s, &f), 0);
	assert_int_equal(f.n, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(f.v[i].path, want[i]);
		assert_int_equal(f.v[i].id[0], ids[i]);
		assert_int_equal(INDEX_STAGE(&f.v[i]), 0);
	}
	index_file_release(&f);
}

static void expect_merge_error(const struct ib *x, const struct ib *s,
			       const char *msg)
{
	struct index_file f;

	assert_int_equal(merge(x, s, &f), NFG_EINVAL);
	assert_string_equal(error_last(), msg);
	index_file_release(&f);
}

static void test_split_hostile(void **state)
{
	struct ib s, x, bad;
	unsigned char id[20], link[20 + 2 * 28];

	(void)state;
	shared_index(&s, id);
	/* positions beyond the shared index's 4 entries */
	split_index(&x, id, 1u << 4, 1u << 1, "");
	expect_merge_error(&x, &s,
			   "idx: deletion position beyond the shared index's "
			   "4 entries");
	split_index(&x, id, 0, (uint64_t)1 << 63, "");
	expect_merge_error(&x, &s,
			   "idx: replacement position beyond the shared "
			   "index's 4 entries");
	/* both replaced and deleted */
	split_index(&x, id, 1u << 1, 1u << 1, "");
	expect_merge_error(&x, &s,
			   "idx: shared entry 1 is both replaced and deleted");
	/* more replacements than nameless entries, and fewer */
	split_index(&x, id, 0, 3u << 1, "");
	expect_merge_error(&x, &s,
			   "idx: more replacements than nameless entries");
	split_index(&x, id, 0, 0, "");
	expect_merge_error(&x, &s,
			   "idx: fewer replacements than nameless entries");
	/* a link to another shared index */
	id[0] ^= 1;
	split_index(&x, id, 0, 1u << 1, "");
	expect_merge_error(&x, &s,
			   "idx: the shared index has another checksum");
	/* a shared index that is itself split */
	start(&bad, 2, 0);
	memset(link, 0, 20);
	link[0] = 1;
	ext(&bad, "link", link, 20);
	finish(&bad);
	memcpy(id, bad.b + bad.n - 20, 20);
	split_index(&x, id, 0, 1u << 1, "");
	expect_merge_error(&x, &bad, "idx: the shared index is split");
	/* a corrupt bitmap: its literal words are not there */
	start(&x, 2, 0);
	memcpy(link, id, 20);
	{
		struct ib t;

		t.n = 0;
		put32(&t, 64);
		put32(&t, 1);
		put32(&t, 4); /* two literal words follow: none do */
		put32(&t, 0);
		put32(&t, 0);
		memcpy(link + 20, t.b, t.n);
		ext(&x, "link", link, (uint32_t)(20 + t.n));
	}
	finish(&x);
	expect_error(&x, "idx: corrupt link bitmap");
	/* a link cut short */
	start(&x, 2, 0);
	ext(&x, "link", link, 10);
	finish(&x);
	expect_error(&x, "idx: link extension too short");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1),
		cmocka_unit_test(test_sha1_pieces),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_hostile_header),
		cmocka_unit_test(test_hostile_entries),
		cmocka_unit_test(test_hostile_extensions),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

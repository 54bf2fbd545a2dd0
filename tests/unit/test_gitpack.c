/*
 * Unit tests of the pack-format readers, on packs and indexes built in
 * memory: index validation (fan-out, id order, size, offsets), the entry
 * header parser, delta application, and the reader's chain walk (cycles,
 * zero distances and chains deeper than the limit are refused), its
 * checks (each entry's CRC-32, each object's id), the index's pack order, tree
 * entries, the parts of commit and tag objects' text, the lines of an
 * alternates file, and notes' fanned-out paths.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/object_text.h"
#include "source/git/pack_index.h"
#include "source/git/pack_object.h"
#include "source/git/tree_entry.h"
#include "source/git/alternates.h"
#include "source/git/notes.h"

#include <malloc.h>
#include <setjmp.h>
#include <cmocka.h>
#include <zlib.h>

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* An index of n objects: ids[i] (sorted), 32-bit offsets, nbig entries. */
struct idx_spec {
	unsigned char ids[8][20];
	uint32_t offsets[8]; /* with bit 31: an index into big[] */
	uint64_t big[4];
	uint32_t n, nbig;
};

static size_t build_idx(unsigned char *out, const struct idx_spec *s)
{
	size_t at = 8 + 1024, i;
	uint32_t count;
	int b;

	memcpy(out, "\377tOc", 4);
	put32(out + 4, 2);
	for (b = 0; b < 256; b++) {
		count = 0;
		for (i = 0; i < s->n; i++)
			count += s->ids[i][0] <= b;
		put32(out + 8 + (size_t)b * 4, count);
	}
	for (i = 0; i < s->n; i++, at += 20)
		memcpy(out + at, s->ids[i], 20);
	for (i = 0; i < s->n; i++, at += 4)
		put32(out + at, 0x1000u + (uint32_t)i); /* CRCs */
	for (i = 0; i < s->n; i++, at += 4)
		put32(out + at, s->offsets[i]);
	for (i = 0; i < s->nbig; i++, at += 8) {
		put32(out + at, (uint32_t)(s->big[i] >> 32));
		put32(out + at + 4, (uint32_t)s->big[i]);
	}
	memset(out + at, 0, 40);
	return at + 40;
}

static unsigned char idx_buf[8 + 1024 + 8 * 28 + 4 * 8 + 40];

static void three_objects(struct idx_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->n = 3;
	s->ids[0][0] = 0x01;
	s->ids[1][0] = 0x7f;
	s->ids[1][19] = 1;
	s->ids[2][0] = 0x7f;
	s->ids[2][19] = 2;
	s->offsets[0] = 12;
	s->offsets[1] = 40;
	s->offsets[2] = 90;
}

static void test_index_valid(void **state)
{
	struct pack_index x;
	struct idx_spec s;
	size_t len;

	(void)state;
	three_objects(&s);
	len = build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 200), 0);
	assert_int_equal(x.n, 3);
	assert_int_equal(pack_index_find(&x, s.ids[0]), 12);
	assert_int_equal(pack_index_find(&x, s.ids[2]), 90);
	assert_int_equal(pack_index_crc(&x, 1), 0x1001);
	s.ids[1][19] = 9; /* an id the index lacks */
	assert_true(pack_index_find(&x, s.ids[1]) == UINT64_MAX);
}

static void test_index_big_offsets(void **state)
{
	struct pack_index x;
	struct idx_spec s;
	size_t len;

	(void)state;
	three_objects(&s);
	s.offsets[2] = 0x80000000u;
	s.big[0] = (uint64_t)5 << 32;
	s.nbig = 1;
	len = build_idx(idx_buf, &s);
	assert_int_equal(
		pack_index_parse(&x, idx_buf, len, ((uint64_t)5 << 32) + 100),
		0);
	assert_true(pack_index_offset(&x, 2) == (uint64_t)5 << 32);
	/* the same offset past the end of a smaller pack */
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 4096), NFG_EINVAL);
	assert_string_equal(error_last(), "object 2 lies outside the pack");
	/* a 64-bit entry the table does not have */
	s.offsets[2] = 0x80000001u;
	len = build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 1u << 30),
			 NFG_EINVAL);
	assert_string_equal(error_last(),
			    "object 2 names a 64-bit offset the index lacks");
}

static void test_index_hostile(void **state)
{
	struct pack_index x;
	struct idx_spec s;
	size_t len;

	(void)state;
	three_objects(&s);
	len = build_idx(idx_buf, &s);
	/* a fan-out entry larger than the next */
	put32(idx_buf + 8 + 0x10 * 4, 3);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 200), NFG_EINVAL);
	assert_string_equal(error_last(), "fan-out decreases at entry 17");
	/* a last entry larger than the objects the file holds */
	len = build_idx(idx_buf, &s);
	put32(idx_buf + 8 + 255 * 4, 1000);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 200), NFG_EINVAL);
	assert_string_equal(error_last(),
			    "size 1156 does not fit 1000 objects");
	/* ids out of order */
	len = build_idx(idx_buf, &s);
	memset(idx_buf + 8 + 1024 + 2 * 20, 0x7f, 1);
	idx_buf[8 + 1024 + 2 * 20 + 19] = 0;
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 200), NFG_EINVAL);
	assert_string_equal(error_last(), "object 2 is out of order");
	/* an offset in the pack header, and one in its trailer */
	s.offsets[0] = 4;
	len = build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 200), NFG_EINVAL);
	s.offsets[0] = 12;
	len = build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 100), NFG_EINVAL);
	assert_string_equal(error_last(), "object 2 lies outside the pack");
	/* truncated; not an index; version 1 */
	assert_int_equal(pack_index_parse(&x, idx_buf, len - 1, 200),
			 NFG_EINVAL);
	assert_int_equal(
		pack_index_parse(&x, (const unsigned char *)"PACK", 4, 200),
		NFG_ENOTFOUND);
	put32(idx_buf + 4, 1);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 200),
			 NFG_ENOTFOUND);
}

/*
 * A version 2 index cut before the end of its fan-out is a corrupt index,
 * not an older format to leave to libgit2 (found by fuzz/pack_index).
 */
static void test_index_truncated(void **state)
{
	struct pack_index x;
	struct idx_spec s;

	(void)state;
	three_objects(&s);
	build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, 100, 200), NFG_EINVAL);
	assert_string_equal(error_last(), "truncated at 100 bytes");
	assert_int_equal(pack_index_parse(&x, idx_buf, 8, 200), NFG_EINVAL);
	/* the magic alone is too short to name a version */
	assert_int_equal(pack_index_parse(&x, idx_buf, 7, 200), NFG_ENOTFOUND);
}

/* A pack under construction: entries appended after a 12-byte header. */
struct pack_build {
	unsigned char buf[1 << 20];
	size_t len;
};

static void pack_begin(struct pack_build *p)
{
	memcpy(p->buf, "PACK\0\0\0\2\0\0\0\0", 12);
	p->len = 12;
}

/* Appends an entry: header, then (OFS) distance or (REF) base id, data. */
static uint64_t pack_add(struct pack_build *p, int type, const void *data,
			 size_t len, uint64_t dist, const unsigned char *id)
{
	uint64_t off = p->len, size = len;
	unsigned char tmp[16];
	uLongf zlen = sizeof(p->buf) - p->len;
	int n = 0;

	p->buf[p->len] = (unsigned char)(type << 4 | (size & 15));
	size >>= 4;
	while (size) {
		p->buf[p->len++] |= 0x80;
		p->buf[p->len] = size & 0x7f;
		size >>= 7;
	}
	p->len++;
	if (type == PACK_OFS_DELTA) {
		tmp[n++] = dist & 0x7f;
		while (dist >>= 7)
			tmp[n++] = (unsigned char)(0x80 | (--dist & 0x7f));
		while (n--)
			p->buf[p->len++] = tmp[n];
	} else if (type == PACK_REF_DELTA) {
		memcpy(p->buf + p->len, id, 20);
		p->len += 20;
	}
	assert_int_equal(compress2(p->buf + p->len, &zlen, data, len, 6), Z_OK);
	p->len += zlen;
	return off;
}

static void pack_end(struct pack_build *p, struct pack_map *pk)
{
	memset(p->buf + p->len, 0, 20); /* the trailer */
	p->len += 20;
	memset(pk, 0, sizeof(*pk));
	pk->map = p->buf;
	pk->len = p->len;
}

static struct pack_build pb;

static void test_entry_header(void **state)
{
	struct pack_entry e;
	struct pack_map pk;
	static const unsigned char blob[40] = "hello, pack";
	char msg[64];
	uint64_t a, d;

	(void)state;
	pack_begin(&pb);
	a = pack_add(&pb, PACK_BLOB, blob, sizeof(blob), 0, NULL);
	d = pack_add(&pb, PACK_OFS_DELTA, "\x28\x05\x05hello", 8, pb.len - a,
		     NULL);
	pack_end(&pb, &pk);
	assert_int_equal(pack_entry_header(&e, pk.map, pk.len, a), 0);
	assert_int_equal(e.type, PACK_BLOB);
	assert_int_equal(e.size, 40);
	assert_int_equal(e.data, a + 2);
	assert_int_equal(pack_entry_header(&e, pk.map, pk.len, d), 0);
	assert_int_equal(e.type, PACK_OFS_DELTA);
	assert_int_equal(e.base_off, a);
	/* a distance of zero would make the entry its own base */
	pb.buf[d + 1] = 0;
	assert_int_equal(pack_entry_header(&e, pk.map, pk.len, d), NFG_EINVAL);
	snprintf(msg, sizeof(msg), "entry at %u: delta base is not before it",
		 (unsigned)d);
	assert_string_equal(error_last(), msg);
	/* a distance past the start of the pack */
	pb.buf[d + 1] = 0x7f;
	assert_int_equal(pack_entry_header(&e, pk.map, pk.len, d), NFG_EINVAL);
	/* type 5 does not exist; an offset outside the pack */
	pb.buf[a] = 0x50;
	assert_int_equal(pack_entry_header(&e, pk.map, pk.len, a), NFG_EINVAL);
	assert_string_equal(error_last(), "entry at 12: unknown object type");
	assert_int_equal(pack_entry_header(&e, pk.map, pk.len, pk.len),
			 NFG_EINVAL);
	/* a header whose size never ends */
	memset(pb.buf + a, 0xb3, 20);
	assert_int_equal(pack_entry_header(&e, pk.map, pk.len, a), NFG_EINVAL);
	assert_string_equal(error_last(),
			    "entry at 12: truncated or overlong header");
}

static void test_delta_apply(void **state)
{
	static const unsigned char base[] = "0123456789";
	/* base 10, result 7: copy 4 bytes from 3, insert "xyz" */
	static const unsigned char d[] = {10, 7, 0x91, 3, 4, 3, 'x', 'y', 'z'};
	unsigned char *out, bad[sizeof(d)];
	size_t len;

	(void)state;
	assert_int_equal(
		pack_delta_apply(&out, &len, base, 10, d, sizeof(d), 100), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(out, "3456xyz", 8);
	free(out);
	/* the base is not the size the delta was made for */
	assert_int_equal(
		pack_delta_apply(&out, &len, base, 9, d, sizeof(d), 100),
		NFG_EINVAL);
	assert_null(out);
	/* a result larger than allowed */
	assert_int_equal(
		pack_delta_apply(&out, &len, base, 10, d, sizeof(d), 6),
		NFG_ELIMIT);
	/* a copy past the end of the base */
	memcpy(bad, d, sizeof(d));
	bad[3] = 8;
	assert_int_equal(
		pack_delta_apply(&out, &len, base, 10, bad, sizeof(bad), 100),
		NFG_EINVAL);
	/* the reserved opcode 0 */
	memcpy(bad, d, sizeof(d));
	bad[5] = 0;
	assert_int_equal(
		pack_delta_apply(&out, &len, base, 10, bad, sizeof(bad), 100),
		NFG_EINVAL);
	/* a truncated insert */
	assert_int_equal(
		pack_delta_apply(&out, &len, base, 10, d, sizeof(d) - 1, 100),
		NFG_EINVAL);
	/* one copy of a 10-byte base cannot build 30 bytes: refused before
	 * anything is allocated, whatever max allows */
	memcpy(bad, d, sizeof(d));
	bad[1] = 30;
	assert_int_equal(pack_delta_apply(&out, &len, base, 10, bad, 4, 1000),
			 NFG_EINVAL);
	assert_string_equal(error_last(),
			    "delta announces more than it can build");
	/* two instruction bytes can build 20: no more than max then */
	bad[1] = 20;
	assert_int_equal(pack_delta_apply(&out, &len, base, 10, bad, 4, 19),
			 NFG_ELIMIT);
}

/* A delta that rebuilds its 10-byte base whole: copy 10 bytes from 0. */
static const unsigned char same10[] = {10, 10, 0x90, 10};

#define MAX_ENTRIES (PACK_CHAIN_MAX + 2)
static unsigned char big_idx[8 + 1024 + MAX_ENTRIES * 28 + 40];
static struct pack_place *by_off;

/*
 * Indexes the n entries of pb that start at off[0..n) (ascending), with
 * ids (sorted; NULL: made up, in that order) and the CRC-32 git stores
 * (over each entry up to the next): pk gets the index and its pack order.
 */
static void index_entries(struct pack_map *pk, const uint64_t *off, size_t n,
			  const unsigned char (*ids)[20])
{
	size_t at = 8 + 1024, i;
	uint32_t count;
	uint64_t end;
	int b;

	assert_true(n <= MAX_ENTRIES);
	memcpy(big_idx, "\377tOc", 4);
	put32(big_idx + 4, 2);
	for (i = 0; i < n; i++, at += 20) {
		memset(big_idx + at, 0, 20);
		if (ids)
			memcpy(big_idx + at, ids[i], 20);
		else
			put32(big_idx + at, (uint32_t)i + 1);
	}
	for (b = 0; b < 256; b++) {
		for (count = 0, i = 0; i < n; i++)
			count += big_idx[8 + 1024 + i * 20] <= b;
		put32(big_idx + 8 + (size_t)b * 4, count);
	}
	for (i = 0; i < n; i++, at += 4) {
		end = i + 1 < n ? off[i + 1] : pk->len - 20;
		put32(big_idx + at, (uint32_t)crc32(0, pk->map + off[i],
						    (uInt)(end - off[i])));
	}
	for (i = 0; i < n; i++, at += 4)
		put32(big_idx + at, (uint32_t)off[i]);
	memset(big_idx + at, 0, 40);
	assert_int_equal(pack_index_parse(&pk->idx, big_idx, at + 40, pk->len),
			 0);
	free(by_off);
	assert_int_equal(pack_index_by_offset(&pk->idx, &by_off), 0);
	pk->by_off = by_off;
}

/* Reads the object at off: 0 and its bytes in *out, or the error. */
static int read_at(struct pack_map *pk, uint64_t off, unsigned char **out,
		   size_t *len, int *type)
{
	struct pack_reader *r;
	int err;

	assert_int_equal(pack_reader_new(&r, pk), 0);
	err = pack_reader_read(r, off, out, len, type);
	pack_reader_free(r);
	return err;
}

/* The type of the object at off from its chain's headers, or the error. */
static int type_at(struct pack_map *pk, uint64_t off, int *type)
{
	struct pack_reader *r;
	int err;

	assert_int_equal(pack_reader_new(&r, pk), 0);
	err = pack_reader_type(r, off, type);
	pack_reader_free(r);
	return err;
}

static void test_reader_chain(void **state)
{
	static const unsigned char base[] = "0123456789";
	static const unsigned char d[] = {10, 7, 0x91, 3, 4, 3, 'x', 'y', 'z'};
	struct pack_reader *r;
	struct pack_map pk;
	unsigned char *out;
	uint64_t off[3];
	size_t len;
	int type;

	(void)state;
	pack_begin(&pb);
	off[0] = pack_add(&pb, PACK_BLOB, base, 10, 0, NULL);
	off[1] = pack_add(&pb, PACK_OFS_DELTA, same10, sizeof(same10),
			  pb.len - off[0], NULL);
	off[2] = pack_add(&pb, PACK_OFS_DELTA, d, sizeof(d), pb.len - off[1],
			  NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, off, 3, NULL);
	assert_int_equal(pack_reader_new(&r, &pk), 0);
	assert_int_equal(pack_reader_read(r, off[2], &out, &len, &type), 0);
	assert_int_equal(len, 7);
	assert_int_equal(type, PACK_BLOB);
	assert_memory_equal(out, "3456xyz", 8);
	free(out);
	/* again, from the cache the first read filled */
	assert_int_equal(pack_reader_read(r, off[2], &out, &len, &type), 0);
	assert_memory_equal(out, "3456xyz", 8);
	assert_int_equal(type, PACK_BLOB);
	free(out);
	assert_int_equal(pack_reader_read(r, off[0], &out, &len, &type), 0);
	assert_memory_equal(out, base, 11);
	free(out);
	pack_reader_free(r);
}

static void test_reader_ref_cycle(void **state)
{
	static const unsigned char ids[2][20] = {{0xaa}, {0xbb}};
	struct pack_map pk;
	unsigned char *out;
	uint64_t off[2];
	size_t len;
	int type;

	(void)state;
	/* a is a ref-delta on b, b an offset delta on a: a loop */
	pack_begin(&pb);
	off[0] = pack_add(&pb, PACK_REF_DELTA, same10, sizeof(same10), 0,
			  ids[1]);
	off[1] = pack_add(&pb, PACK_OFS_DELTA, same10, sizeof(same10),
			  pb.len - off[0], NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, off, 2, ids);
	/* a bound, not a read to try another way: libgit2 would loop */
	assert_int_equal(read_at(&pk, off[0], &out, &len, &type), NFG_ELIMIT);
	assert_string_equal(error_last(), "delta chain loops");
	assert_null(out);
	assert_int_equal(read_at(&pk, off[1], &out, &len, &type), NFG_ELIMIT);
	assert_int_equal(type_at(&pk, off[1], &type), NFG_ELIMIT);
	assert_string_equal(error_last(), "delta chain loops");
}

static uint64_t deep_off[MAX_ENTRIES];

static void test_reader_too_deep(void **state)
{
	static const unsigned char base[] = "0123456789";
	struct pack_reader *r;
	struct pack_map pk;
	unsigned char *out;
	size_t i, len;
	int type;

	(void)state;
	/* PACK_CHAIN_MAX deltas are read; one more is refused */
	pack_begin(&pb);
	deep_off[0] = pack_add(&pb, PACK_BLOB, base, 10, 0, NULL);
	for (i = 1; i <= PACK_CHAIN_MAX + 1; i++)
		deep_off[i] =
			pack_add(&pb, PACK_OFS_DELTA, same10, sizeof(same10),
				 pb.len - deep_off[i - 1], NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, deep_off, PACK_CHAIN_MAX + 2, NULL);
	assert_int_equal(pack_reader_new(&r, &pk), 0);
	assert_int_equal(pack_reader_read(r, deep_off[PACK_CHAIN_MAX], &out,
					  &len, &type),
			 0);
	assert_memory_equal(out, base, 11);
	free(out);
	pack_reader_free(r);
	/* a fresh reader: no cached base shortens the chain */
	assert_int_equal(
		read_at(&pk, deep_off[PACK_CHAIN_MAX + 1], &out, &len, &type),
		NFG_ELIMIT);
	assert_string_equal(error_last(), "delta chain deeper than 4096");
}

/*
 * Every entry read is checked against its index's CRC-32: a changed byte
 * of an object, or of the base of a delta asked for, makes it corrupt;
 * so does an offset delta whose base is no object of the index. Swapped
 * offsets in the index (each id pointing at the other's entry) fail too.
 */
static void test_reader_crc(void **state)
{
	static const unsigned char base[] = "0123456789";
	struct pack_map pk;
	unsigned char *out, *crcs;
	uint64_t off[2];
	uint32_t tmp;
	size_t len;
	int type;
	char msg[96];

	(void)state;
	pack_begin(&pb);
	off[0] = pack_add(&pb, PACK_BLOB, base, 10, 0, NULL);
	off[1] = pack_add(&pb, PACK_OFS_DELTA, same10, sizeof(same10),
			  pb.len - off[0], NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, off, 2, NULL);
	/* untouched: both read */
	assert_int_equal(read_at(&pk, off[1], &out, &len, &type), 0);
	free(out);
	/* the CRC-32s of the two entries swapped */
	crcs = big_idx + 8 + 1024 + 2 * 20;
	memcpy(&tmp, crcs, 4);
	memcpy(crcs, crcs + 4, 4);
	memcpy(crcs + 4, &tmp, 4);
	assert_int_equal(read_at(&pk, off[0], &out, &len, &type), NFG_ECORRUPT);
	assert_null(out);
	assert_string_equal(error_last(), "CRC-32 mismatch at offset 12");
	memcpy(crcs + 4, crcs, 4);
	memcpy(crcs, &tmp, 4);
	/* a byte of the base's zlib stream changed */
	pb.buf[off[0] + 4] ^= 1;
	assert_int_equal(read_at(&pk, off[0], &out, &len, &type), NFG_ECORRUPT);
	assert_string_equal(error_last(), "CRC-32 mismatch at offset 12");
	assert_int_equal(read_at(&pk, off[1], &out, &len, &type), NFG_ECORRUPT);
	assert_string_equal(error_last(),
			    "CRC-32 mismatch of its delta base at offset 12");
	/* following the chain's headers checks them too */
	assert_int_equal(type_at(&pk, off[1], &type), NFG_ECORRUPT);
	assert_string_equal(error_last(),
			    "CRC-32 mismatch of its delta base at offset 12");
	pb.buf[off[0] + 4] ^= 1;
	assert_int_equal(type_at(&pk, off[1], &type), 0);
	assert_int_equal(type, PACK_BLOB);
	/* the delta's base one byte further: no object starts there */
	index_entries(&pk, off, 2, NULL);
	pb.buf[off[1] + 1]--;
	put32(big_idx + 8 + 1024 + 2 * 20 + 4,
	      (uint32_t)crc32(0, pk.map + off[1],
			      (uInt)(pk.len - 20 - off[1])));
	assert_int_equal(read_at(&pk, off[1], &out, &len, &type), NFG_ECORRUPT);
	snprintf(msg, sizeof(msg),
		 "its delta base at offset %u is no object of the index",
		 (unsigned)off[0] + 1);
	assert_string_equal(error_last(), msg);
}

/*
 * An entry is inflated whole into the size its header states: a stream
 * that ends short of it, runs past it or is cut is corrupt data (and so
 * is a delta on such a base), while the entry after a cut one reads.
 */
static void test_reader_inflate_size(void **state)
{
	static const unsigned char blob[40] = "a blob of forty bytes, inflated";
	struct pack_map pk;
	unsigned char *out;
	uint64_t off[5];
	size_t len, i;
	int type;
	char msg[64];

	(void)state;
	pack_begin(&pb);
	/* 40 bytes: the header's low nibble is 8 (then 2 << 4) */
	off[0] = pack_add(&pb, PACK_BLOB, blob, sizeof(blob), 0, NULL);
	pb.buf[off[0]] = (unsigned char)((pb.buf[off[0]] & 0xf0) | 9);
	off[1] = pack_add(&pb, PACK_BLOB, blob, sizeof(blob), 0, NULL);
	pb.buf[off[1]] = (unsigned char)((pb.buf[off[1]] & 0xf0) | 7);
	off[2] = pack_add(&pb, PACK_BLOB, blob, sizeof(blob), 0, NULL);
	pb.len = off[2] + 2 + (pb.len - off[2] - 2) / 2; /* cut */
	off[3] = pack_add(&pb, PACK_BLOB, blob, sizeof(blob), 0, NULL);
	off[4] = pack_add(&pb, PACK_OFS_DELTA, "\x29\x28\x90\x28", 4,
			  pb.len - off[0], NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, off, 5, NULL);
	for (i = 0; i < 3; i++) {
		assert_int_equal(read_at(&pk, off[i], &out, &len, &type),
				 NFG_ENOTFOUND);
		assert_null(out);
		snprintf(msg, sizeof(msg), "corrupt data at %u",
			 (unsigned)off[i] + 2);
		assert_string_equal(error_last(), msg);
	}
	assert_int_equal(read_at(&pk, off[3], &out, &len, &type), 0);
	assert_int_equal(len, sizeof(blob));
	assert_memory_equal(out, blob, sizeof(blob));
	free(out);
	assert_int_equal(read_at(&pk, off[4], &out, &len, &type),
			 NFG_ENOTFOUND);
	snprintf(msg, sizeof(msg), "corrupt data at %u", (unsigned)off[0] + 2);
	assert_string_equal(error_last(), msg);
	free(by_off);
	by_off = NULL;
}

/* pack_object_id is git's id; with check_ids a wrong one is corrupt. */
static void test_reader_ids(void **state)
{
	static const unsigned char hello[] = "hello\n";
	unsigned char id[2][20], *out;
	struct pack_map pk;
	uint64_t off[1];
	size_t len;
	int type;

	(void)state;
	assert_int_equal(pack_object_id(id[0], PACK_BLOB, hello, 6), 0);
	assert_memory_equal(id[0],
			    "\xce\x01\x36\x25\x03\x0b\xa8\xdb\xa9\x06"
			    "\xf7\x56\x96\x7f\x9e\x9c\xa3\x94\x46\x4a",
			    20);
	assert_int_equal(pack_object_id(id[1], PACK_TREE, hello, 0), 0);
	assert_memory_equal(id[1],
			    "\x4b\x82\x5d\xc6\x42\xcb\x6e\xb9\xa0\x60"
			    "\xe5\x4b\xf8\xd6\x92\x88\xfb\xee\x49\x04",
			    20);
	assert_int_equal(pack_object_id(id[1], 5, hello, 6), NFG_EINVAL);
	pack_begin(&pb);
	off[0] = pack_add(&pb, PACK_BLOB, hello, 6, 0, NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, off, 1, (const unsigned char(*)[20])id);
	pk.check_ids = 1;
	assert_int_equal(read_at(&pk, off[0], &out, &len, &type), 0);
	assert_memory_equal(out, hello, 7);
	free(out);
	/* filed under another id: the CRC-32 holds, the id does not */
	id[0][19] ^= 1;
	index_entries(&pk, off, 1, (const unsigned char(*)[20])id);
	pk.check_ids = 1;
	assert_int_equal(read_at(&pk, off[0], &out, &len, &type), NFG_ECORRUPT);
	assert_string_equal(error_last(), "hash mismatch at offset 12");
	pk.check_ids = 0;
	assert_int_equal(read_at(&pk, off[0], &out, &len, &type), 0);
	free(out);
	free(by_off);
	by_off = NULL;
}

/* Objects in pack order, each entry's end; two at one offset refused. */
static void test_index_by_offset(void **state)
{
	struct pack_index x;
	struct idx_spec s;
	struct pack_place *v;
	uint32_t pos;
	uint64_t end;
	size_t len;

	(void)state;
	three_objects(&s);
	s.offsets[0] = 90;
	s.offsets[2] = 12;
	len = build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 200), 0);
	assert_int_equal(pack_index_by_offset(&x, &v), 0);
	assert_int_equal(v[0].pos, 2);
	assert_int_equal(v[1].pos, 1);
	assert_int_equal(v[2].pos, 0);
	assert_int_equal(v[2].off, 90);
	assert_int_equal(pack_index_entry(v, 3, 200, 40, &pos, &end), 0);
	assert_int_equal(pos, 1);
	assert_int_equal(end, 90);
	assert_int_equal(pack_index_entry(v, 3, 200, 90, &pos, &end), 0);
	assert_int_equal(pos, 0);
	assert_int_equal(end, 180);
	assert_int_equal(pack_index_entry(v, 3, 200, 41, &pos, &end),
			 NFG_ENOTFOUND);
	free(v);
	s.offsets[1] = 90;
	len = build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, 200), 0);
	assert_int_equal(pack_index_by_offset(&x, &v), NFG_EINVAL);
	assert_null(v);
	assert_string_equal(error_last(),
			    "objects 0 and 1 both lie at offset 90");
}

/*
 * Eight objects in pack order whatever digits their offsets share: 32-
 * and 64-bit offsets, neighbours across a digit of the sort, a repeated
 * offset found among many.
 */
static void test_index_by_offset_wide(void **state)
{
	static const uint64_t want[8] = {12,
					 13,
					 2047,
					 2048,
					 4194305,
					 0x7fffffffu,
					 (uint64_t)1 << 33,
					 ((uint64_t)1 << 40) + 5};
	static const uint32_t order[8] = {5, 0, 7, 3, 1, 6, 4, 2};
	struct pack_index x;
	struct idx_spec s;
	struct pack_place *v;
	size_t len, i;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.n = 8;
	for (i = 0; i < 8; i++) {
		s.ids[i][0] = (unsigned char)(0x10 * (i + 1));
		s.offsets[order[i]] = (uint32_t)want[i];
	}
	s.big[0] = want[6];
	s.big[1] = want[7];
	s.nbig = 2;
	s.offsets[order[6]] = 0x80000000u;
	s.offsets[order[7]] = 0x80000001u;
	len = build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, (uint64_t)1 << 41),
			 0);
	assert_int_equal(pack_index_by_offset(&x, &v), 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(v[i].off, want[i]);
		assert_int_equal(v[i].pos, order[i]);
	}
	free(v);
	s.offsets[order[2]] = 0x80000001u;
	len = build_idx(idx_buf, &s);
	assert_int_equal(pack_index_parse(&x, idx_buf, len, (uint64_t)1 << 41),
			 0);
	assert_int_equal(pack_index_by_offset(&x, &v), NFG_EINVAL);
	assert_null(v);
	assert_string_equal(error_last(),
			    "objects 2 and 7 both lie at offset 1099511627781");
}

/*
 * A delta that builds n * 64 KiB from a base of blen bytes by n copies of
 * its first 64 KiB (copy op 0x80 alone: offset 0, size 0x10000). Its
 * length.
 */
static size_t copies(unsigned char *d, size_t blen, size_t n)
{
	size_t at = 0, i, v;

	for (v = blen; v >= 0x80; v >>= 7)
		d[at++] = (unsigned char)(0x80 | (v & 0x7f));
	d[at++] = (unsigned char)v;
	for (v = n << 16; v >= 0x80; v >>= 7)
		d[at++] = (unsigned char)(0x80 | (v & 0x7f));
	d[at++] = (unsigned char)v;
	for (i = 0; i < n; i++)
		d[at++] = 0x80;
	return at;
}

static void test_reader_budget(void **state)
{
	static const unsigned char zeros[1 << 16];
	unsigned char d[64], *out;
	struct pack_reader *r;
	struct pack_map pk;
	uint64_t off[9];
	size_t i, len, dlen;
	int type;

	(void)state;
	/*
	 * A 64 KiB base, a delta making 1 MiB of it, then deltas copying
	 * 1 MiB each: under an 8 MiB budget the 7th delta still builds, the
	 * 8th would take the chain past it (64 KiB + 8 MiB, deltas aside).
	 */
	pack_begin(&pb);
	off[0] = pack_add(&pb, PACK_BLOB, zeros, sizeof(zeros), 0, NULL);
	dlen = copies(d, sizeof(zeros), 16);
	off[1] = pack_add(&pb, PACK_OFS_DELTA, d, dlen, pb.len - off[0], NULL);
	dlen = copies(d, (size_t)1 << 20, 16);
	for (i = 2; i <= 8; i++)
		off[i] = pack_add(&pb, PACK_OFS_DELTA, d, dlen,
				  pb.len - off[i - 1], NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, off, 9, NULL);
	assert_int_equal(pack_reader_new(&r, &pk), 0);
	pack_reader_limit(r, (uint64_t)8 << 20);
	assert_int_equal(pack_reader_read(r, off[7], &out, &len, &type), 0);
	assert_int_equal(len, (size_t)1 << 20);
	assert_int_equal(out[len - 1], 0);
	free(out);
	pack_reader_free(r);
	/* a fresh reader: no cached base shortens the chain */
	assert_int_equal(pack_reader_new(&r, &pk), 0);
	pack_reader_limit(r, (uint64_t)8 << 20);
	assert_int_equal(pack_reader_read(r, off[8], &out, &len, &type),
			 NFG_ELIMIT);
	assert_string_equal(error_last(), "delta chain builds more than 8 MiB");
	assert_null(out);
	pack_reader_free(r);
}

static void test_pack_header(void **state)
{
	unsigned char p[32];

	(void)state;
	memset(p, 0, sizeof(p));
	memcpy(p, "PACK\0\0\0\2\0\0\0\5", 12);
	assert_int_equal(pack_header_check(p, sizeof(p), 5), 0);
	p[7] = 3;
	assert_int_equal(pack_header_check(p, sizeof(p), 5), 0);
	assert_int_equal(pack_header_check(p, sizeof(p), 4), NFG_EINVAL);
	assert_string_equal(error_last(), "holds 5 objects, its index 4");
	p[7] = 4;
	assert_int_equal(pack_header_check(p, sizeof(p), 5), NFG_EINVAL);
	assert_string_equal(error_last(), "version 4");
	p[3] = 'X';
	assert_int_equal(pack_header_check(p, sizeof(p), 5), NFG_EINVAL);
	assert_string_equal(error_last(), "no PACK signature");
	assert_int_equal(pack_header_check(p, 31, 5), NFG_EINVAL);
	assert_string_equal(error_last(), "truncated at 31 bytes");
}

static void test_pack_budget(void **state)
{
	static const unsigned char zeros[1 << 16];
	struct pack_budget budget = {0, (uint64_t)3 << 20};
	unsigned char d[64], *out;
	struct pack_reader *r, *r2;
	struct pack_map pk;
	uint64_t off[3];
	size_t len, dlen;
	int type;

	(void)state;
	/*
	 * A base and two 1 MiB deltas; the pack's budget of 3 MiB, shared by
	 * two readers. Whole objects are not charged; the first delta read
	 * costs its base and result (64 KiB + 1 MiB), the second read of it
	 * too: the budget passed, the third read is refused in either reader.
	 */
	pack_begin(&pb);
	off[0] = pack_add(&pb, PACK_BLOB, zeros, sizeof(zeros), 0, NULL);
	dlen = copies(d, sizeof(zeros), 16);
	off[1] = pack_add(&pb, PACK_OFS_DELTA, d, dlen, pb.len - off[0], NULL);
	dlen = copies(d, (size_t)1 << 20, 1);
	off[2] = pack_add(&pb, PACK_OFS_DELTA, d, dlen, pb.len - off[1], NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, off, 3, NULL);
	pk.budget = &budget;
	assert_int_equal(pack_reader_new(&r, &pk), 0);
	assert_int_equal(pack_reader_new(&r2, &pk), 0);
	assert_int_equal(pack_reader_read(r, off[0], &out, &len, &type), 0);
	free(out);
	assert_int_equal(budget.spent, 0);
	assert_int_equal(pack_reader_read(r, off[1], &out, &len, &type), 0);
	free(out);
	assert_true(budget.spent > ((size_t)1 << 20));
	assert_int_equal(pack_reader_read(r2, off[1], &out, &len, &type), 0);
	free(out);
	assert_int_equal(pack_reader_read(r, off[2], &out, &len, &type), 0);
	free(out);
	assert_true(budget.spent >= budget.max);
	assert_int_equal(pack_reader_read(r2, off[2], &out, &len, &type),
			 NFG_ELIMIT);
	assert_string_equal(error_last(), "its pack's delta work passed 3 MiB");
	assert_null(out);
	/* whole objects are still read */
	assert_int_equal(pack_reader_read(r2, off[0], &out, &len, &type), 0);
	free(out);
	pack_reader_free(r);
	pack_reader_free(r2);
}

/*
 * The buffers nfguard frees while "watch" is set are searched for the
 * marker before they go (the test links with -Wl,--wrap=free): a block
 * that still holds it was freed without being wiped.
 */
static const char marker[] = "wipe-me:0123456789abcdef";
static struct {
	int on;
	size_t min, max;	 /* blocks of a size in [min, max] ... */
	unsigned checked, dirty; /* ... were checked; these held it */
} watch;

void __real_free(void *p);
void __wrap_free(void *p);
/* The linker calls it for every free (-Wl,--wrap=free). */
/* cppcheck-suppress unusedFunction */
void __wrap_free(void *p)
{
	size_t n = p ? malloc_usable_size(p) : 0;

	if (watch.on && n >= watch.min && n <= watch.max) {
		watch.checked++;
		watch.dirty += memmem(p, n, marker, sizeof(marker) - 1) != NULL;
	}
	__real_free(p);
}

/* Watches the blocks of a copy of an n-byte object (n + 1, rounded). */
static void watch_start(size_t n)
{
	memset(&watch, 0, sizeof(watch));
	watch.min = n;
	watch.max = 2 * n;
	watch.on = 1;
}

static void test_reader_wipe(void **state)
{
	unsigned char blob[64], d[4], *out;
	struct pack_reader *r;
	struct pack_map pk;
	uint64_t off[2];
	size_t len;
	int type;

	(void)state;
	/* off[0]: a blob holding the marker; off[1]: its first 8 bytes, by
	 * a delta */
	memset(blob, '.', sizeof(blob));
	memcpy(blob + 20, marker, sizeof(marker) - 1);
	memcpy(d, "\x40\x08\x90\x08", 4);
	pack_begin(&pb);
	off[0] = pack_add(&pb, PACK_BLOB, blob, sizeof(blob), 0, NULL);
	off[1] = pack_add(&pb, PACK_OFS_DELTA, d, 4, pb.len - off[0], NULL);
	pack_end(&pb, &pk);
	index_entries(&pk, off, 2, NULL);

	/* Reading off[1] caches off[0]; once told it held a token, the cache
	 * is wiped now and every copy of it freed later is wiped first. */
	assert_int_equal(pack_reader_new(&r, &pk), 0);
	assert_int_equal(pack_reader_read(r, off[1], &out, &len, &type), 0);
	assert_memory_equal(out, "........", 9);
	free(out);
	watch_start(sizeof(blob));
	pack_reader_wipe(r);
	assert_int_equal(watch.checked, 1);
	assert_int_equal(pack_reader_read(r, off[1], &out, &len, &type), 0);
	free(out);
	pack_reader_free(r);
	watch.on = 0;
	assert_int_equal(watch.checked, 2); /* the slot, the base kept */
	assert_int_equal(watch.dirty, 0);

	/* Data that fails to inflate is wiped, whoever reads it (its
	 * CRC-32 made to match, so that the inflate is what fails). */
	pb.buf[off[1] - 1] ^= 0xff; /* a's checksum: inflated, refused */
	index_entries(&pk, off, 2, NULL);
	assert_int_equal(pack_reader_new(&r, &pk), 0);
	watch_start(sizeof(blob));
	assert_int_equal(pack_reader_read(r, off[0], &out, &len, &type),
			 NFG_ENOTFOUND);
	watch.on = 0;
	pack_reader_free(r);
	assert_int_equal(watch.checked, 1);
	assert_int_equal(watch.dirty, 0);
	pb.buf[off[1] - 1] ^= 0xff;
	index_entries(&pk, off, 2, NULL);

	/* A reader that never met a token wipes nothing: the watch sees a
	 * freed unwiped (and so would have seen a wipe missing above). */
	assert_int_equal(pack_reader_new(&r, &pk), 0);
	watch_start(sizeof(blob));
	assert_int_equal(pack_reader_read(r, off[1], &out, &len, &type), 0);
	free(out);
	pack_reader_free(r);
	watch.on = 0;
	assert_int_equal(watch.checked, 1); /* the base kept */
	assert_int_equal(watch.dirty, 1);
	free(by_off);
	by_off = NULL;
}

static void test_tree_entries(void **state)
{
	/* "100644 a.env\0" + id, "40000 sub\0" + id */
	unsigned char t[64] = {0};
	const unsigned char *p = t, *end;
	struct tree_entry e;
	size_t n = 0;

	(void)state;
	memcpy(t + n, "100644 a.env", 13);
	n += 13;
	memset(t + n, 0xaa, 20);
	n += 20;
	memcpy(t + n, "40000 sub", 10);
	n += 10;
	memset(t + n, 0xbb, 20);
	n += 20;
	end = t + n;
	assert_int_equal(tree_entry_next(&e, &p, end), 1);
	assert_int_equal(e.mode, 0100644);
	assert_string_equal(e.name, "a.env");
	assert_int_equal(e.name_len, 5);
	assert_int_equal(e.id[0], 0xaa);
	assert_int_equal(tree_entry_next(&e, &p, end), 1);
	assert_int_equal(e.mode, 040000);
	assert_string_equal(e.name, "sub");
	assert_int_equal(e.id[19], 0xbb);
	assert_int_equal(tree_entry_next(&e, &p, end), 0);
	/* an id cut short */
	p = t + 33;
	assert_int_equal(tree_entry_next(&e, &p, end - 1), NFG_EINVAL);
	assert_string_equal(error_last(), "malformed tree");
	/* no space after the mode; a mode of 8 digits; no mode */
	p = t;
	memcpy(t, "100644-", 7);
	assert_int_equal(tree_entry_next(&e, &p, t + 33), NFG_EINVAL);
	memcpy(t, "10064412 a", 10);
	p = t;
	assert_int_equal(tree_entry_next(&e, &p, t + 33), NFG_EINVAL);
	t[0] = ' ';
	p = t;
	assert_int_equal(tree_entry_next(&e, &p, t + 33), NFG_EINVAL);
}

/* The part of the byte at off of a NUL-terminated text (o parsed). */
static enum objtext_part part(const struct objtext *o, int is_tag,
			      const char *text, size_t len, size_t off)
{
	size_t start = off;

	while (start && text[start - 1] != '\n')
		start--;
	return objtext_part_at(o, is_tag, text, len, start, off);
}

static void test_object_text(void **state)
{
	static const char c[] = "tree 0123\n"
				"author A <a@x> 1 +0000\n"
				"committer C <c@x> 1 +0000\n"
				"gpgsig -----BEGIN\n"
				" author in a signature\n"
				"\n"
				"subject\0after nul\n";
	static const char t[] = "object 0123\ntype commit\ntag v1\n"
				"tagger T <t@x> 1 +0000\n\nnotes\n";
	size_t clen = sizeof(c) - 1, tlen = sizeof(t) - 1;
	const char *msg = c + clen - 18;
	struct objtext o;

	(void)state;
	objtext_parse(&o, c, clen);
	assert_int_equal(o.msg, (size_t)(msg - c));
	assert_int_equal(o.msg_line, 6);
	assert_int_equal(part(&o, 0, c, clen, 5), OBJTEXT_HEADER);
	assert_int_equal(part(&o, 0, c, clen, 12), OBJTEXT_IDENTITY);
	assert_int_equal(part(&o, 0, c, clen, 40), OBJTEXT_IDENTITY);
	/* a continuation line is its header's, whatever its first word */
	assert_int_equal(part(&o, 0, c, clen, 90), OBJTEXT_HEADER);
	/* past the NUL, still the message */
	assert_int_equal(part(&o, 0, c, clen, clen - 3), OBJTEXT_MESSAGE);
	/* "tag " and "tagger " name nothing in a commit */
	objtext_parse(&o, t, tlen);
	assert_int_equal(part(&o, 1, t, tlen, 28), OBJTEXT_TAG_NAME);
	assert_int_equal(part(&o, 0, t, tlen, 28), OBJTEXT_HEADER);
	assert_int_equal(part(&o, 1, t, tlen, 40), OBJTEXT_IDENTITY);
	assert_int_equal(part(&o, 0, t, tlen, 40), OBJTEXT_HEADER);
	assert_int_equal(part(&o, 1, t, tlen, tlen - 2), OBJTEXT_MESSAGE);
	/* a line start after the offset, or an offset past the end */
	assert_int_equal(objtext_part_at(&o, 1, t, tlen, 40, 30),
			 OBJTEXT_HEADER);
	assert_int_equal(objtext_part_at(&o, 1, t, tlen, 0, tlen),
			 OBJTEXT_HEADER);
	/* no empty line: all headers; a leading one: all message */
	objtext_parse(&o, "tree 0\nauthor", 13);
	assert_int_equal(o.msg, 13);
	objtext_parse(&o, "\nmsg", 4);
	assert_int_equal(o.msg, 1);
	assert_int_equal(o.msg_line, 1);
	objtext_parse(&o, "", 0);
	assert_int_equal(o.msg, 0);
}

/* The next path of an alternates file, as "path" or "<code>". */
static const char *next_alt(const char **p, const char *end, char *out,
			    size_t size)
{
	const char *path;
	size_t len;
	int rc = alternates_next(&path, &len, p, end);

	if (rc == 1)
		snprintf(out, size, "%.*s", (int)len, path);
	else
		snprintf(out, size, "<%d>", rc);
	return out;
}

static void test_alternates_lines(void **state)
{
	static const char text[] = "# pool\n\n../../pool.git/objects//\n"
				   "\"quoted\"\n/abs/objects\na\0b\n/\nlast";
	const char *p = text, *end = text + sizeof(text) - 1;
	char got[64];

	(void)state;
	assert_string_equal(next_alt(&p, end, got, sizeof(got)),
			    "../../pool.git/objects");
	assert_string_equal(next_alt(&p, end, got, sizeof(got)), "<-4>");
	assert_string_equal(error_last(), "quoted paths are not read");
	assert_string_equal(next_alt(&p, end, got, sizeof(got)),
			    "/abs/objects");
	assert_string_equal(next_alt(&p, end, got, sizeof(got)), "<-4>");
	assert_string_equal(error_last(), "a path holds a NUL byte");
	/* the root keeps its slash; the last line needs no newline */
	assert_string_equal(next_alt(&p, end, got, sizeof(got)), "/");
	assert_string_equal(next_alt(&p, end, got, sizeof(got)), "last");
	assert_string_equal(next_alt(&p, end, got, sizeof(got)), "<0>");
	/* nothing at all */
	p = end;
	assert_string_equal(next_alt(&p, end, got, sizeof(got)), "<0>");
}

static void test_notes_unfan(void **state)
{
	static const char id[] = "2d1839ab00112233445566778899aabbccddeeff";
	char p[64];

	(void)state;
	snprintf(p, sizeof(p), "2d/1839ab00112233445566778899aabbccddeeff");
	assert_int_equal(notes_unfan(p), 1);
	assert_string_equal(p, id);
	snprintf(p, sizeof(p), "2d/18/39ab00112233445566778899aabbccddeeff");
	assert_int_equal(notes_unfan(p), 1);
	assert_string_equal(p, id);
	/* already an id; one digit short; a folder of 3; not hex; no note */
	snprintf(p, sizeof(p), "%s", id);
	assert_int_equal(notes_unfan(p), 0);
	assert_string_equal(p, id);
	snprintf(p, sizeof(p), "2d/1839ab00112233445566778899aabbccddeef");
	assert_int_equal(notes_unfan(p), 0);
	snprintf(p, sizeof(p), "2d1/839ab00112233445566778899aabbccddeeff");
	assert_int_equal(notes_unfan(p), 0);
	snprintf(p, sizeof(p), "2d/1839ab00112233445566778899aabbccddeefg");
	assert_int_equal(notes_unfan(p), 0);
	snprintf(p, sizeof(p), "2d/");
	assert_int_equal(notes_unfan(p), 0);
	snprintf(p, sizeof(p), "docs/README");
	assert_int_equal(notes_unfan(p), 0);
	assert_string_equal(p, "docs/README");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_valid),
		cmocka_unit_test(test_index_big_offsets),
		cmocka_unit_test(test_index_hostile),
		cmocka_unit_test(test_index_truncated),
		cmocka_unit_test(test_entry_header),
		cmocka_unit_test(test_delta_apply),
		cmocka_unit_test(test_reader_chain),
		cmocka_unit_test(test_reader_ref_cycle),
		cmocka_unit_test(test_reader_too_deep),
		cmocka_unit_test(test_reader_crc),
		cmocka_unit_test(test_reader_inflate_size),
		cmocka_unit_test(test_reader_ids),
		cmocka_unit_test(test_index_by_offset),
		cmocka_unit_test(test_index_by_offset_wide),
		cmocka_unit_test(test_reader_budget),
		cmocka_unit_test(test_pack_budget),
		cmocka_unit_test(test_pack_header),
		cmocka_unit_test(test_reader_wipe),
		cmocka_unit_test(test_tree_entries),
		cmocka_unit_test(test_object_text),
		cmocka_unit_test(test_alternates_lines),
		cmocka_unit_test(test_notes_unfan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

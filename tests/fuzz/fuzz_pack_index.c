/*
 * Fuzzes the pack index parser (src/source/git/pack_index.c). Input: the
 * pack's length (8 bytes, big-endian), then the .idx bytes. The oracle: a
 * naive validator written from the format agrees on accept or refuse; an
 * accepted index has the fields the bytes hold, and every lookup agrees
 * with a linear search (stored ids found at their offset, others not).
 */
#include "fuzz.h"
#include "util/error.h"
#include "source/git/pack_index.h"

#include <string.h>

#define HDR	  8
#define FANOUT	  1024
#define TRAILER	  40
#define PROBES	  64
#define NOT_FOUND UINT64_MAX

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The naive reading of a version 2 index: what the format says. */
struct naive {
	const uint8_t *m;
	uint32_t n;
	uint64_t nbig;
};

static const uint8_t *n_id(const struct naive *v, uint32_t i)
{
	return v->m + HDR + FANOUT + (size_t)i * 20;
}

static uint32_t n_crc(const struct naive *v, uint32_t i)
{
	return rd32(v->m + HDR + FANOUT + (size_t)v->n * 20 + (size_t)i * 4);
}

/* The offset of object i; sets *bad when it names a missing entry. */
static uint64_t n_offset(const struct naive *v, uint32_t i, int *bad)
{
	const uint8_t *small = v->m + HDR + FANOUT + (size_t)v->n * 24;
	uint32_t o = rd32(small + (size_t)i * 4);

	*bad = 0;
	if (!(o >> 31))
		return o;
	if ((o & 0x7fffffffu) >= v->nbig) {
		*bad = 1;
		return 0;
	}
	return rd64(small + (size_t)v->n * 4 + (size_t)(o & 0x7fffffffu) * 8);
}

/* 0 for a valid index, NFG_ENOTFOUND for no v2 index, else NFG_EINVAL. */
static int naive_parse(struct naive *v, const uint8_t *m, size_t size,
		       uint64_t pack_len)
{
	uint64_t fixed, count;
	uint32_t i, b;
	int bad;

	v->m = m;
	if (size < HDR || memcmp(m, "\377tOc", 4) || rd32(m + 4) != 2)
		return NFG_ENOTFOUND;
	if (size < HDR + FANOUT + TRAILER)
		return NFG_EINVAL;
	for (b = 1; b < 256; b++)
		if (rd32(m + HDR + b * 4) < rd32(m + HDR + (b - 1) * 4))
			return NFG_EINVAL;
	v->n = rd32(m + HDR + 255 * 4);
	fixed = HDR + FANOUT + TRAILER + (uint64_t)v->n * 28;
	if (size < fixed || (size - fixed) % 8 || (size - fixed) / 8 > v->n)
		return NFG_EINVAL;
	v->nbig = (size - fixed) / 8;
	for (b = 0; b < 256; b++) {
		count = 0;
		for (i = 0; i < v->n; i++)
			count += n_id(v, i)[0] <= b;
		if (count != rd32(m + HDR + b * 4))
			return NFG_EINVAL;
	}
	for (i = 1; i < v->n; i++)
		if (memcmp(n_id(v, i - 1), n_id(v, i), 20) >= 0)
			return NFG_EINVAL;
	for (i = 0; i < v->n; i++) {
		uint64_t off = n_offset(v, i, &bad);

		if (bad || off < 12 || pack_len < 20 || off >= pack_len - 20)
			return NFG_EINVAL;
	}
	return 0;
}

static uint64_t linear_find(const struct naive *v, const uint8_t *id)
{
	uint32_t i;
	int bad;

	for (i = 0; i < v->n; i++)
		if (!memcmp(n_id(v, i), id, 20))
			return n_offset(v, i, &bad);
	return NOT_FOUND;
}

static void check_lookups(const struct pack_index *x, const struct naive *v)
{
	uint8_t probe[20];
	uint32_t i, k;
	int bad;

	for (i = 0; i < v->n; i++) {
		uint64_t off = n_offset(v, i, &bad);

		FUZZ_CHECK(pack_index_id(x, i) == n_id(v, i));
		FUZZ_CHECK(pack_index_offset(x, i) == off);
		FUZZ_CHECK(pack_index_crc(x, i) == n_crc(v, i));
		FUZZ_CHECK(pack_index_find(x, n_id(v, i)) == off);
	}
	/* Neighbours of stored ids, and the edges of each probed bucket. */
	for (k = 0; k < PROBES; k++) {
		if (k < v->n && k % 2 == 0) {
			memcpy(probe, n_id(v, k), 20);
			probe[19] ^= 1;
		} else {
			memset(probe, k & 4 ? 0xff : 0, 20);
			probe[0] = (uint8_t)(k * 37);
		}
		FUZZ_CHECK(pack_index_find(x, probe) == linear_find(v, probe));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pack_index x;
	struct naive v;
	uint64_t pack_len;
	int rc, want;

	if (size < 8)
		return 0;
	pack_len = rd64(data);
	data += 8;
	size -= 8;
	error_clear();
	rc = pack_index_parse(&x, data, size, pack_len);
	want = naive_parse(&v, data, size, pack_len);
	FUZZ_CHECK(rc == want);
	if (rc) {
		FUZZ_CHECK(*error_last() != '\0');
		return 0;
	}
	FUZZ_CHECK(x.n == v.n && x.nbig == v.nbig);
	FUZZ_CHECK(x.size == size && x.map == data);
	check_lookups(&x, &v);
	return 0;
}

/*
 * Fuzzes the index file parser and the split index merge
 * (src/source/git/index_file.c). Input: an index file, or a split index
 * followed by its shared index (the second "DIRC" starts it). Each is read
 * as it is, with its checksum made right, and with it zeroed (skipHash).
 * The oracle: a naive second reading of gitformat-index accepts the same
 * files and finds the same entries, built from the input, at offsets
 * inside it, as many as the header says, in order; a merge keeps every
 * entry of the split index and only entries of the shared one.
 */
#include "fuzz.h"
#include "util/error.h"
#include "util/sha1.h"
#include "source/git/index_file.h"

#include <stdlib.h>
#include <string.h>

#define FIXED 62 /* an entry's stat data, id and flags */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Path, then length, then stage: <0, 0 or >0. */
static int order(const char *a, size_t alen, unsigned astage, const char *b,
		 size_t blen, unsigned bstage)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return (int)astage - (int)bstage;
}

/* git's varint (read-cache.c decode_varint); 0 when it overflows. */
static int varint(const unsigned char **p, const unsigned char *end,
		  uint64_t *out)
{
	uint64_t v;
	unsigned char c;

	if (*p >= end)
		return 0;
	c = *(*p)++;
	v = c & 127;
	while (c & 128) {
		v++;
		if (!v || v >> 57 || *p >= end)
			return 0;
		c = *(*p)++;
		v = (v << 7) + (c & 127);
	}
	*out = v;
	return 1;
}

/* An ewah bitmap's size at p[0..len), or 0 when it is not one. */
static size_t ewah_size(const unsigned char *p, size_t len)
{
	size_t words, i;

	if (len < 12)
		return 0;
	words = be32(p + 4);
	if (words > (len - 12) / 8)
		return 0;
	for (i = 0; i < words; i++) {
		uint64_t lit = (uint64_t)be32(p + 8 + 8 * i) >> 1;

		if (lit > words - i - 1)
			return 0;
		i += lit;
	}
	return 8 + 8 * words + 4;
}

/* The link extension's payload is well formed. */
static int link_ok(const unsigned char *p, size_t len)
{
	size_t a, b;

	if (len < INDEX_ID_LEN)
		return 0;
	p += INDEX_ID_LEN;
	len -= INDEX_ID_LEN;
	if (!len)
		return 1;
	return (a = ewah_size(p, len)) && (b = ewah_size(p + a, len - a)) &&
	       a + b == len;
}

/*
 * The naive reading of p[0..len): 1 when it is a valid index, else 0.
 * When x is not NULL (the parser took it), every entry of x is checked
 * against the bytes it came from.
 */
static int naive(const unsigned char *p, size_t len, const struct index_file *x)
{
	static const unsigned char zero[INDEX_ID_LEN];
	const unsigned char *q, *end;
	unsigned char sum[INDEX_ID_LEN];
	char *prev = NULL, *cur = NULL;
	size_t prev_len = 0, count, i, nameless = 0;
	unsigned version, prev_stage = 0;
	int ok = 0, links = 0, shared = 0;

	if (len < 12 + INDEX_ID_LEN || memcmp(p, "DIRC", 4))
		return 0;
	version = be32(p + 4);
	count = be32(p + 8);
	end = p + len - INDEX_ID_LEN;
	if (version < 2 || version > 4)
		return 0;
	sha1(p, len - INDEX_ID_LEN, sum);
	if (memcmp(end, zero, INDEX_ID_LEN) && memcmp(end, sum, INDEX_ID_LEN))
		return 0;
	if (x) {
		FUZZ_CHECK(x->version == version && x->n == count);
		FUZZ_CHECK(!memcmp(x->checksum, end, INDEX_ID_LEN));
	}
	if (count > len / (FIXED + 2) || !(prev = calloc(1, len)) ||
	    !(cur = calloc(1, len)))
		goto done;
	q = p + 12;
	for (i = 0; i < count; i++) {
		const unsigned char *s = q + FIXED, *nul;
		unsigned flags, ext = 0;
		size_t keep = 0, slen, flen, size;
		uint64_t strip;
		char *t;

		if ((size_t)(end - q) < FIXED)
			goto done;
		flags = be16(q + 60);
		if (flags & 0x4000) {
			if (end - s < 2 || (ext = be16(s)) & ~0x6000u)
				goto done;
			s += 2;
		}
		if (version == 4) {
			if (!varint(&s, end, &strip) || strip > prev_len)
				goto done;
			keep = prev_len - (size_t)strip;
		}
		if (!(nul = memchr(s, 0, (size_t)(end - s))))
			goto done;
		slen = (size_t)(nul - s);
		flen = keep + slen;
		if ((flags & 0xfff) != (flen < 0xfff ? flen : 0xfff))
			goto done;
		size = version == 4 ? (size_t)(nul + 1 - q)
				    : ((size_t)(s - q) + slen + 8) / 8 * 8;
		if (size > (size_t)(end - q))
			goto done;
		memcpy(cur, prev, keep);
		memcpy(cur + keep, s, slen);
		if (x) {
			const struct index_entry *e = &x->v[i];

			FUZZ_CHECK(e->path_len == flen &&
				   !memcmp(e->path, cur, flen) &&
				   strlen(e->path) == flen);
			FUZZ_CHECK(e->flags == flags && e->flags_ext == ext);
			FUZZ_CHECK(e->ctime_s == be32(q) &&
				   e->mode == be32(q + 24) &&
				   e->size == be32(q + 36) &&
				   !memcmp(e->id, q + 40, INDEX_ID_LEN));
		}
		/* nameless entries lead a split index only (checked below) */
		if (!flen && nameless == i)
			nameless++;
		else if (!flen)
			goto done;
		else if (i > nameless && order(prev, prev_len, prev_stage, cur,
					       flen, (flags >> 12) & 3) >= 0)
			goto done;
		prev_stage = (flags >> 12) & 3;
		t = prev;
		prev = cur;
		cur = t;
		prev_len = flen;
		q += size;
	}
	while (q < end) {
		size_t n;

		if (end - q < 8 || (n = be32(q + 4)) > (size_t)(end - q) - 8)
			goto done;
		if (!memcmp(q, "link", 4)) {
			if (links++ || !link_ok(q + 8, n))
				goto done;
			shared = memcmp(q + 8, zero, INDEX_ID_LEN) != 0;
		} else if (memcmp(q, "sdir", 4) && (q[0] < 'A' || q[0] > 'Z')) {
			goto done;
		}
		q += 8 + n;
	}
	if (x)
		FUZZ_CHECK(x->linked == links);
	ok = !nameless || shared;
done:
	free(prev);
	free(cur);
	return ok;
}

/* Entries a and b are the same, path and all. */
static int same_entry(const struct index_entry *a, const struct index_entry *b)
{
	return a->path_len == b->path_len &&
	       !memcmp(a->path, b->path, a->path_len) && a->flags == b->flags &&
	       a->flags_ext == b->flags_ext && a->mode == b->mode &&
	       !memcmp(a->id, b->id, INDEX_ID_LEN);
}

/*
 * Parses p[0..len) as it is, with its checksum made right and with it
 * zeroed, each against the naive reading; *out keeps the parse with the
 * right checksum (empty when it failed).
 */
static void check_file(const uint8_t *p, size_t len, struct index_file *out)
{
	struct index_file x, z;
	unsigned char *fixed = NULL, *zeroed = NULL;
	int rc, rz;
	size_t i;

	index_file_init(&x);
	rc = index_file_parse(&x, p, len, "idx");
	FUZZ_CHECK(rc == 0 || (rc == NFG_EINVAL && *error_last()));
	FUZZ_CHECK(naive(p, len, rc ? NULL : &x) == (rc == 0));
	index_file_release(&x);
	if (len < 12 + INDEX_ID_LEN)
		return;
	if (!(fixed = malloc(len)) || !(zeroed = malloc(len)))
		abort();
	memcpy(fixed, p, len);
	sha1(fixed, len - INDEX_ID_LEN, fixed + len - INDEX_ID_LEN);
	memcpy(zeroed, p, len);
	memset(zeroed + len - INDEX_ID_LEN, 0, INDEX_ID_LEN);
	index_file_init(&z);
	rc = index_file_parse(out, fixed, len, "idx");
	rz = index_file_parse(&z, zeroed, len, "idx");
	FUZZ_CHECK(naive(fixed, len, rc ? NULL : out) == (rc == 0));
	FUZZ_CHECK(naive(zeroed, len, rz ? NULL : &z) == (rz == 0));
	/* the checksum aside, the two read the same */
	FUZZ_CHECK(rc == rz && out->n == z.n);
	for (i = 0; i < z.n; i++)
		FUZZ_CHECK(same_entry(&out->v[i], &z.v[i]));
	index_file_release(&z);
	free(fixed);
	free(zeroed);
}

/* 1 if x holds an entry of that path and stage (its first n entries). */
static int holds(const struct index_entry *v, size_t n, const char *path,
		 size_t len, unsigned stage)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].path_len == len && !memcmp(v[i].path, path, len) &&
		    INDEX_STAGE(&v[i]) == stage)
			return 1;
	return 0;
}

/*
 * Merges split x into shared and checks the result: every named entry of
 * x is in it once; each other entry is a shared one x does not override,
 * still under its path; paths stay in order.
 */
static void check_merge(struct index_file *x, struct index_file *shared)
{
	struct index_file before, base;
	size_t i, j;
	int rc;

	if (!index_file_needs_shared(x) || shared->linked)
		return;
	/* the shared index's checksum is what the split one names */
	memcpy(x->shared_id, shared->checksum, INDEX_ID_LEN);
	if (!index_file_needs_shared(x))
		return;
	index_file_init(&before);
	index_file_init(&base);
	before.v = calloc(x->n + 1, sizeof(*x->v));
	base.v = calloc(shared->n + 1, sizeof(*shared->v));
	if (!before.v || !base.v)
		abort();
	for (i = 0; i < x->n; i++) {
		before.v[before.n] = x->v[i];
		if (!(before.v[before.n++].path = strdup(x->v[i].path)))
			abort();
	}
	for (i = 0; i < shared->n; i++) {
		base.v[base.n] = shared->v[i];
		if (!(base.v[base.n++].path = strdup(shared->v[i].path)))
			abort();
	}
	rc = index_file_merge(x, shared, "idx");
	FUZZ_CHECK(rc == 0 || (rc == NFG_EINVAL && *error_last()));
	if (rc)
		goto done;
	FUZZ_CHECK(shared->n == 0);
	for (i = 0; i < before.n; i++)
		if (before.v[i].path_len) {
			size_t found = 0;

			for (j = 0; j < x->n; j++)
				found += same_entry(&x->v[j], &before.v[i]);
			FUZZ_CHECK(found == 1);
		}
	for (j = 0; j < x->n; j++) {
		const struct index_entry *e = &x->v[j];

		FUZZ_CHECK(e->path_len && strlen(e->path) == e->path_len);
		FUZZ_CHECK(!j || order(x->v[j - 1].path, x->v[j - 1].path_len,
				       0, e->path, e->path_len, 0) <= 0);
		if (holds(before.v, before.n, e->path, e->path_len,
			  INDEX_STAGE(e)))
			continue;
		/* a shared entry, not one x ends (its stage 0 path) */
		FUZZ_CHECK(!holds(before.v, before.n, e->path, e->path_len, 0));
		for (i = 0; i < base.n; i++)
			if (base.v[i].path_len == e->path_len &&
			    !memcmp(base.v[i].path, e->path, e->path_len))
				break;
		FUZZ_CHECK(i < base.n);
	}
done:
	index_file_release(&before);
	index_file_release(&base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *second =
		size > 4 ? memmem(data + 4, size - 4, "DIRC", 4) : NULL;
	size_t first = second ? (size_t)(second - data) : size;
	struct index_file x, shared;

	index_file_init(&x);
	index_file_init(&shared);
	check_file(data, first, &x);
	if (second) {
		check_file(second, size - first, &shared);
		check_merge(&x, &shared);
	}
	index_file_release(&x);
	index_file_release(&shared);
	return 0;
}

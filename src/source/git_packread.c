/*
 * A pack reader for the blob scan: each worker inflates objects straight
 * from the mapped pack files and applies deltas itself, with its own
 * delta base cache. libgit2 1.5 serialises every pack read behind one
 * lock, which left one of two cores idle; this needs no lock. zlib does
 * the inflating (libgit2 already depends on it) and still checks each
 * stream's checksum. Objects too large or unreadable here are left to
 * libgit2.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git_internal.h"

#include <zlib.h>

/* Objects larger than this are read by libgit2 instead. */
#define READ_MAX ((size_t)256 << 20)
/* The delta base cache: slots and the bytes they may hold, per reader. */
#define CACHE_SLOTS 1024
#define CACHE_BYTES ((size_t)32 << 20)
/* Deeper delta chains than git ever writes are refused. */
#define CHAIN_MAX 4096

enum { OBJ_OFS_DELTA = 6, OBJ_REF_DELTA = 7 };

struct cached {
	uint64_t off; /* object offset + 1 (0: empty slot) */
	unsigned char *data;
	size_t len;
};

struct pack_reader {
	const struct pack_map *pack;
	z_stream zs;
	int zs_ready;
	struct cached slots[CACHE_SLOTS];
	size_t cached_bytes;
};

int pack_reader_new(struct pack_reader **out, const struct pack_map *pack)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return error_set(NFG_ENOMEM, "out of memory");
	(*out)->pack = pack;
	return 0;
}

void pack_reader_free(struct pack_reader *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		free(r->slots[i].data);
	if (r->zs_ready)
		inflateEnd(&r->zs);
	free(r);
}

/* Inflates exactly want bytes of the zlib stream at p (at most avail). */
static unsigned char *inflate_at(struct pack_reader *r, const unsigned char *p,
				 size_t avail, size_t want)
{
	unsigned char *out = malloc(want + 1);
	int rc;

	if (!out)
		return NULL;
	if (!r->zs_ready) {
		memset(&r->zs, 0, sizeof(r->zs));
		if (inflateInit(&r->zs) != Z_OK) {
			free(out);
			return NULL;
		}
		r->zs_ready = 1;
	} else if (inflateReset(&r->zs) != Z_OK) {
		free(out);
		return NULL;
	}
	r->zs.next_in = (Bytef *)p;
	r->zs.avail_in = avail > UINT_MAX ? UINT_MAX : (uInt)avail;
	r->zs.next_out = out;
	r->zs.avail_out = (uInt)want;
	rc = inflate(&r->zs, Z_FINISH);
	if (rc != Z_STREAM_END || r->zs.total_out != want) {
		free(out);
		return NULL;
	}
	out[want] = '\0';
	return out;
}

/* A delta's size header: a little-endian base-128 number. */
static int delta_size(const unsigned char **p, const unsigned char *end,
		      size_t *out)
{
	size_t v = 0;
	unsigned shift = 0;

	do {
		if (*p >= end || shift > 56)
			return -1;
		v |= (size_t)(**p & 0x7f) << shift;
		shift += 7;
	} while (*(*p)++ & 0x80);
	*out = v;
	return 0;
}

/* Applies a git delta to base; a new buffer of *len bytes, or NULL. */
static unsigned char *apply_delta(const unsigned char *base, size_t blen,
				  const unsigned char *d, size_t dlen,
				  size_t *len)
{
	const unsigned char *end = d + dlen;
	size_t src, dst, at = 0;
	unsigned char *out;

	if (delta_size(&d, end, &src) || src != blen ||
	    delta_size(&d, end, &dst) || dst > READ_MAX ||
	    !(out = malloc(dst + 1)))
		return NULL;
	while (d < end) {
		unsigned op = *d++;

		if (op & 0x80) {
			size_t off = 0, n = 0;
			unsigned i;

			for (i = 0; i < 4; i++)
				if (op & (1u << i)) {
					if (d >= end)
						goto bad;
					off |= (size_t)*d++ << (8 * i);
				}
			for (i = 0; i < 3; i++)
				if (op & (0x10u << i)) {
					if (d >= end)
						goto bad;
					n |= (size_t)*d++ << (8 * i);
				}
			if (!n)
				n = 0x10000;
			if (off > blen || n > blen - off || n > dst - at)
				goto bad;
			memcpy(out + at, base + off, n);
			at += n;
		} else if (op) {
			if (op > (size_t)(end - d) || op > dst - at)
				goto bad;
			memcpy(out + at, d, op);
			d += op;
			at += op;
		} else {
			goto bad; /* reserved */
		}
	}
	if (at != dst)
		goto bad;
	out[dst] = '\0';
	*len = dst;
	return out;
bad:
	free(out);
	return NULL;
}

static struct cached *slot_of(struct pack_reader *r, uint64_t off)
{
	return &r->slots[(off * 0x9E3779B97F4A7C15ull) >> 54 &
			 (CACHE_SLOTS - 1)];
}

/* Keeps a copy of an object that later deltas may build on. */
static void cache_put(struct pack_reader *r, uint64_t off,
		      const unsigned char *data, size_t len)
{
	struct cached *c = slot_of(r, off);
	unsigned char *copy;

	if (len > CACHE_BYTES / 8 || !(copy = malloc(len + 1)))
		return;
	memcpy(copy, data, len + 1);
	if (c->off) {
		r->cached_bytes -= c->len;
		free(c->data);
	}
	c->off = off + 1;
	c->data = copy;
	c->len = len;
	r->cached_bytes += len;
	/* Over budget: empty the cache (cheap, and rare at this size). */
	if (r->cached_bytes > CACHE_BYTES) {
		size_t i;

		for (i = 0; i < CACHE_SLOTS; i++) {
			free(r->slots[i].data);
			r->slots[i].data = NULL;
			r->slots[i].off = 0;
		}
		r->cached_bytes = 0;
	}
}

static unsigned char *read_at(struct pack_reader *r, uint64_t off, size_t *len,
			      int depth)
{
	const struct pack_map *pk = r->pack;
	const unsigned char *p, *end = pk->map + pk->len;
	struct cached *c = slot_of(r, off);
	unsigned char *base, *delta, *out;
	size_t size, shift = 4, blen;
	uint64_t base_off;
	int type;

	if (c->off == off + 1) {
		out = malloc(c->len + 1);
		if (out) {
			memcpy(out, c->data, c->len + 1);
			*len = c->len;
		}
		return out;
	}
	if (off >= pk->len || depth > CHAIN_MAX)
		return NULL;
	p = pk->map + off;
	type = (*p >> 4) & 7;
	size = *p & 0x0f;
	while (*p & 0x80) {
		if (++p >= end || shift > 56)
			return NULL;
		size |= (size_t)(*p & 0x7f) << shift;
		shift += 7;
	}
	p++;
	if (size > READ_MAX)
		return NULL;
	if (type == OBJ_OFS_DELTA) {
		if (p >= end)
			return NULL;
		base_off = *p & 0x7f;
		while (*p & 0x80) {
			if (++p >= end)
				return NULL;
			base_off = ((base_off + 1) << 7) | (*p & 0x7f);
		}
		p++;
		if (base_off > off)
			return NULL;
		base_off = off - base_off;
	} else if (type == OBJ_REF_DELTA) {
		if (p + 20 > end ||
		    (base_off = pack_idx_find(pk, p)) == UINT64_MAX)
			return NULL;
		p += 20;
	} else {
		if (p >= end)
			return NULL;
		out = inflate_at(r, p, (size_t)(end - p), size);
		if (out)
			*len = size;
		return out;
	}
	if (p >= end || !(delta = inflate_at(r, p, (size_t)(end - p), size)))
		return NULL;
	base = read_at(r, base_off, &blen, depth + 1);
	if (!base) {
		free(delta);
		return NULL;
	}
	out = apply_delta(base, blen, delta, size, len);
	/* The base often serves the next delta too. */
	cache_put(r, base_off, base, blen);
	free(base);
	free(delta);
	return out;
}

unsigned char *pack_reader_read(struct pack_reader *r, uint64_t off,
				size_t *len)
{
	return read_at(r, off, len, 0);
}

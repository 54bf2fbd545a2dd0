/*
 * Pack entries: the header parser, delta application and the per-thread
 * reader. libgit2 1.5 serialises every pack read behind one lock, which
 * left one of two cores idle; this reader needs no lock. zlib inflates
 * (libgit2 already depends on it) and checks each stream's checksum; each
 * entry's CRC-32 is checked against the index before it is inflated.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/sha1.h"
#include "source/git/pack_object.h"

#include <inttypes.h>
#include <zlib.h>

/* The delta base cache: slots and the bytes they may hold, per reader. */
#define CACHE_SLOTS 1024
#define CACHE_BYTES ((size_t)32 << 20)

static int bad_entry(uint64_t off, const char *why)
{
	return error_set(NFG_EINVAL, "entry at %" PRIu64 ": %s", off, why);
}

int pack_entry_header(struct pack_entry *e, const unsigned char *pack,
		      size_t len, uint64_t off)
{
	const unsigned char *p, *end = pack + len;
	unsigned shift = 4;
	uint64_t size, dist;

	memset(e, 0, sizeof(*e));
	if (off >= len)
		return bad_entry(off, "outside the pack");
	p = pack + off;
	e->type = (*p >> 4) & 7;
	size = *p & 0x0f;
	while (*p & 0x80) {
		if (++p >= end || shift > 57)
			return bad_entry(off, "truncated or overlong header");
		size |= (uint64_t)(*p & 0x7f) << shift;
		shift += 7;
	}
	p++;
	switch (e->type) {
	case PACK_COMMIT:
	case PACK_TREE:
	case PACK_BLOB:
	case PACK_TAG:
		break;
	case PACK_OFS_DELTA:
		if (p >= end)
			return bad_entry(off, "truncated delta base");
		dist = *p & 0x7f;
		while (*p & 0x80) {
			if (++p >= end || dist >= UINT64_MAX >> 8)
				return bad_entry(off, "truncated or overlong "
						      "delta base");
			dist = ((dist + 1) << 7) | (*p & 0x7f);
		}
		p++;
		/* Zero would make the entry its own base: a loop. */
		if (!dist || dist > off)
			return bad_entry(off, "delta base is not before it");
		e->base_off = off - dist;
		break;
	case PACK_REF_DELTA:
		if ((size_t)(end - p) < PACK_ID_LEN)
			return bad_entry(off, "truncated delta base");
		e->base_id = p;
		p += PACK_ID_LEN;
		break;
	default:
		return bad_entry(off, "unknown object type");
	}
	if (p >= end)
		return bad_entry(off, "no data");
	e->size = size;
	e->data = (uint64_t)(p - pack);
	return 0;
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

int pack_delta_apply(unsigned char **out_buf, size_t *out_len,
		     const unsigned char *base, size_t blen,
		     const unsigned char *d, size_t dlen, size_t max)
{
	const unsigned char *end = d + dlen;
	size_t src, dst, at = 0;
	unsigned char *out;

	*out_buf = NULL;
	if (delta_size(&d, end, &src) || delta_size(&d, end, &dst))
		return error_set(NFG_EINVAL, "malformed delta header");
	if (src != blen)
		return error_set(NFG_EINVAL, "delta base size mismatch");
	if (dst > max)
		return error_set(NFG_ELIMIT, "delta result too large");
	if (!(out = malloc(dst + 1)))
		return error_nomem();
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
	*out_buf = out;
	*out_len = dst;
	return 0;
bad:
	free(out);
	return error_set(NFG_EINVAL, "malformed delta");
}

int pack_object_id(unsigned char out[PACK_ID_LEN], int type,
		   const unsigned char *data, size_t len)
{
	static const char *const names[] = {NULL, "commit", "tree", "blob",
					    "tag"};
	char hdr[32];
	struct sha1_ctx c;
	int n;

	if (type < PACK_COMMIT || type > PACK_TAG)
		return error_set(NFG_EINVAL, "no object type %d", type);
	n = snprintf(hdr, sizeof(hdr), "%s %zu", names[type], len);
	sha1_init(&c);
	sha1_update(&c, hdr, (size_t)n + 1); /* the NUL too */
	sha1_update(&c, data, len);
	sha1_final(&c, out);
	return 0;
}

struct cached {
	uint64_t off; /* object offset + 1 (0: empty slot) */
	unsigned char *data;
	size_t len;
	int type;
};

struct pack_reader {
	const struct pack_map *pack;
	z_stream zs;
	int zs_ready;
	struct cached slots[CACHE_SLOTS];
	size_t cached_bytes;
	unsigned char *crc_ok; /* a bit per index position: CRC-32 checked */
	uint64_t chain[PACK_CHAIN_MAX]; /* the deltas above the base */
};

int pack_reader_new(struct pack_reader **out, const struct pack_map *pack)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return error_nomem();
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
	free(r->crc_ok);
	if (r->zs_ready)
		inflateEnd(&r->zs);
	free(r);
}

/* Inflates exactly e's size from its zlib stream: a new buffer, or NULL. */
static unsigned char *inflate_entry(struct pack_reader *r,
				    const struct pack_entry *e)
{
	const struct pack_map *pk = r->pack;
	size_t avail = pk->len - (size_t)e->data, want = (size_t)e->size;
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
	r->zs.next_in = (Bytef *)(pk->map + e->data);
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

static struct cached *slot_of(struct pack_reader *r, uint64_t off)
{
	return &r->slots[(off * 0x9E3779B97F4A7C15ull) >> 54 &
			 (CACHE_SLOTS - 1)];
}

static void cache_clear(struct pack_reader *r)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		free(r->slots[i].data);
		r->slots[i].data = NULL;
		r->slots[i].off = 0;
	}
	r->cached_bytes = 0;
}

/* Keeps a copy of an object that later deltas may build on. */
static void cache_put(struct pack_reader *r, uint64_t off, int type,
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
	c->type = type;
	r->cached_bytes += len;
	/* Over budget: empty the cache (cheap, and rare at this size). */
	if (r->cached_bytes > CACHE_BYTES)
		cache_clear(r);
}

/* A copy of the cached object at off, or NULL. */
static unsigned char *cache_get(struct pack_reader *r, uint64_t off,
				size_t *len, int *type)
{
	struct cached *c = slot_of(r, off);
	unsigned char *out;

	if (c->off != off + 1 || !(out = malloc(c->len + 1)))
		return NULL;
	memcpy(out, c->data, c->len + 1);
	*len = c->len;
	*type = c->type;
	return out;
}

static int on_chain(const struct pack_reader *r, size_t n, uint64_t off)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r->chain[i] == off)
			return 1;
	return 0;
}

/*
 * Checks the entry at off against the CRC-32 the index stores for it,
 * once per reader (delta bases are read again and again); top is the
 * offset of the object asked for (off is then a delta base). 0, or
 * NFG_ECORRUPT with the reason set.
 */
static int check_crc(struct pack_reader *r, uint64_t off, uint64_t top)
{
	const struct pack_map *pk = r->pack;
	uint32_t pos;
	uint64_t end;

	if (pack_index_entry(pk->by_off, pk->idx.n, pk->len, off, &pos, &end))
		return error_set(NFG_ECORRUPT,
				 "its delta base at offset %" PRIu64
				 " is no object of the index",
				 off);
	if (!r->crc_ok && !(r->crc_ok = calloc(pk->idx.n / 8 + 1, 1)))
		return error_nomem();
	if (r->crc_ok[pos / 8] & (1u << (pos % 8)))
		return 0;
	if (crc32_z(0, pk->map + off, (z_size_t)(end - off)) ==
	    pack_index_crc(&pk->idx, pos)) {
		r->crc_ok[pos / 8] |= (unsigned char)(1u << (pos % 8));
		return 0;
	}
	if (off == top)
		return error_set(NFG_ECORRUPT,
				 "CRC-32 mismatch at offset %" PRIu64, off);
	return error_set(NFG_ECORRUPT,
			 "CRC-32 mismatch of its delta base at offset %" PRIu64,
			 off);
}

/*
 * Walks down from off to a cached object or a whole one, checking each
 * entry met and pushing each delta on r->chain: *n deltas, *base_off
 * where the walk stopped, *out the base's bytes and *type its type.
 */
static int find_base(struct pack_reader *r, uint64_t off, size_t *n,
		     uint64_t *base_off, unsigned char **out, size_t *blen,
		     int *type)
{
	const struct pack_map *pk = r->pack;
	uint64_t top = off;
	struct pack_entry e;
	int err;

	*n = 0;
	for (;;) {
		if ((*out = cache_get(r, off, blen, type)))
			break;
		if ((err = check_crc(r, off, top)) ||
		    (err = pack_entry_header(&e, pk->map, pk->len, off)))
			return err;
		if (e.size > PACK_READ_MAX)
			return error_set(NFG_ELIMIT, "object too large");
		if (e.type != PACK_OFS_DELTA && e.type != PACK_REF_DELTA) {
			if (!(*out = inflate_entry(r, &e)))
				return error_set(
					NFG_EINVAL,
					"corrupt data at offset %" PRIu64, off);
			*blen = (size_t)e.size;
			*type = e.type;
			break;
		}
		if (*n == PACK_CHAIN_MAX)
			return error_set(NFG_ELIMIT, "delta chain too deep");
		r->chain[(*n)++] = off;
		/* An offset delta's base lies strictly before it; only a
		 * reference can lead back into the chain. */
		if (e.type == PACK_OFS_DELTA) {
			off = e.base_off;
		} else {
			off = pack_index_find(&pk->idx, e.base_id);
			if (off == UINT64_MAX || on_chain(r, *n, off))
				return error_set(NFG_ENOTFOUND,
						 "delta base not in the pack, "
						 "or a loop");
		}
	}
	*base_off = off;
	return 0;
}

/* With check_ids: the object at off must hash to the id it is filed as. */
static int check_id(const struct pack_map *pk, uint64_t off, int type,
		    const unsigned char *data, size_t len)
{
	unsigned char id[PACK_ID_LEN];
	uint32_t pos;
	uint64_t end;

	if (!pk->check_ids)
		return 0;
	if (pack_index_entry(pk->by_off, pk->idx.n, pk->len, off, &pos, &end) ||
	    pack_object_id(id, type, data, len) ||
	    memcmp(id, pack_index_id(&pk->idx, pos), PACK_ID_LEN))
		return error_set(NFG_ECORRUPT,
				 "hash mismatch at offset %" PRIu64, off);
	return 0;
}

int pack_reader_read(struct pack_reader *r, uint64_t off, unsigned char **out,
		     size_t *len, int *type)
{
	const struct pack_map *pk = r->pack;
	struct pack_entry e;
	unsigned char *base, *delta, *next;
	uint64_t base_off = 0;
	size_t n, blen = 0, olen;
	int err;

	*out = NULL;
	if ((err = find_base(r, off, &n, &base_off, &base, &blen, type)))
		return err;
	/* Back up the chain: at most base, delta and result are alive. */
	while (n) {
		uint64_t at = r->chain[--n];

		if (pack_entry_header(&e, pk->map, pk->len, at) ||
		    !(delta = inflate_entry(r, &e))) {
			free(base);
			return error_set(NFG_EINVAL,
					 "corrupt data at offset %" PRIu64, at);
		}
		err = pack_delta_apply(&next, &olen, base, blen, delta,
				       (size_t)e.size, PACK_READ_MAX);
		free(delta);
		/* The base often serves the next delta too. */
		if (!err)
			cache_put(r, base_off, *type, base, blen);
		free(base);
		if (err)
			return err;
		base = next;
		blen = olen;
		base_off = at;
	}
	if ((err = check_id(pk, off, *type, base, blen))) {
		free(base);
		return err;
	}
	*out = base;
	*len = blen;
	return 0;
}

/*
 * Pack entries: the header parser, delta application and the per-thread
 * reader. libgit2 1.5 serialises every pack read behind one lock, which
 * left one of two cores idle; this reader needs no lock. libdeflate
 * inflates each entry whole, into a buffer of the size its header gives,
 * and checks its stream's Adler-32; each entry's CRC-32 (zlib's crc32_z)
 * is checked against the index before it is inflated.
 * Readers that met a token wipe what they free (pack_reader_wipe).
 */
#include "util/common.h"
#include "util/error.h"
#include "util/sha1.h"
#include "source/git/pack_object.h"

#include <inttypes.h>
#include <libdeflate.h>
#include <stdatomic.h>
#include <zlib.h>

/* The delta base cache: slots and the bytes they may hold, per reader. */
#define CACHE_SLOTS 1024
#define CACHE_BYTES ((size_t)32 << 20)
/* The most one delta instruction builds: a copy of 2^24 - 1 bytes. */
#define COPY_MAX ((size_t)0xffffff)

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

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int pack_header_check(const unsigned char *pack, size_t len, uint32_t nidx)
{
	uint32_t v, n;

	if (len < 12 + PACK_ID_LEN)
		return error_set(NFG_EINVAL, "truncated at %zu bytes", len);
	if (memcmp(pack, "PACK", 4))
		return error_set(NFG_EINVAL, "no PACK signature");
	if ((v = get_be32(pack + 4)) != 2 && v != 3)
		return error_set(NFG_EINVAL, "version %" PRIu32, v);
	if ((n = get_be32(pack + 8)) != nidx)
		return error_set(NFG_EINVAL,
				 "holds %" PRIu32
				 " objects, its index %" PRIu32,
				 n, nidx);
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
	size_t src, dst, at = 0, per_byte;
	unsigned char *out;

	*out_buf = NULL;
	if (delta_size(&d, end, &src) || delta_size(&d, end, &dst))
		return error_set(NFG_EINVAL, "malformed delta header");
	if (src != blen)
		return error_set(NFG_EINVAL, "delta base size mismatch");
	/*
	 * Each instruction byte builds at most one copy of the base (up to
	 * COPY_MAX) or one inserted byte: a header announcing more lies, and
	 * is refused before its size is allocated.
	 */
	if (dst > max) {
		*out_len = dst;
		return error_set(NFG_ELIMIT, "delta result too large");
	}
	per_byte = blen < COPY_MAX ? blen : COPY_MAX;
	if (dst / (per_byte ? per_byte : 1) > (size_t)(end - d))
		return error_set(NFG_EINVAL,
				 "delta announces more than it can build");
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
	explicit_bzero(out, at);
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
	struct libdeflate_decompressor *inflater; /* made when first needed */
	int wipe;	   /* it read a token: what it frees is wiped first */
	uint64_t work_max; /* bytes one object's chain may inflate and build */
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
	(*out)->work_max = PACK_WORK_MAX;
	return 0;
}

void pack_reader_limit(struct pack_reader *r, uint64_t work_max)
{
	r->work_max = work_max;
}

/* Frees an object buffer of len bytes (plus its NUL), wiped if it must. */
static void drop(const struct pack_reader *r, unsigned char *p, size_t len)
{
	if (p && r->wipe)
		explicit_bzero(p, len + 1);
	free(p);
}

static void cache_clear(struct pack_reader *r)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		drop(r, r->slots[i].data, r->slots[i].len);
		r->slots[i].data = NULL;
		r->slots[i].off = 0;
	}
	r->cached_bytes = 0;
}

void pack_reader_free(struct pack_reader *r)
{
	if (!r)
		return;
	cache_clear(r);
	free(r->crc_ok);
	if (r->inflater)
		libdeflate_free_decompressor(r->inflater);
	free(r);
}

void pack_reader_wipe(struct pack_reader *r)
{
	if (!r)
		return;
	r->wipe = 1;
	cache_clear(r);
}

/*
 * Inflates exactly e's size from its zlib stream into a new buffer: 0, or
 * NFG_ENOTFOUND (error set) for corrupt data (a stream that ends short of
 * that size, runs past it or fails its Adler-32) or no memory.
 */
static int inflate_entry(struct pack_reader *r, const struct pack_entry *e,
			 unsigned char **out_buf)
{
	const struct pack_map *pk = r->pack;
	size_t want = (size_t)e->size, used;
	unsigned char *out;

	*out_buf = NULL;
	if (!r->inflater && !(r->inflater = libdeflate_alloc_decompressor()))
		return error_set(NFG_ENOTFOUND, "out of memory");
	if (!(out = malloc(want + 1)))
		return error_set(NFG_ENOTFOUND, "out of memory");
	/* Given where the stream ended (used), the next entry may follow;
	 * given no room for the size, the stream must fill it exactly. */
	if (libdeflate_zlib_decompress_ex(r->inflater, pk->map + e->data,
					  pk->len - (size_t)e->data, out, want,
					  &used, NULL) != LIBDEFLATE_SUCCESS) {
		/* Partly inflated, it may hold part of a token. */
		explicit_bzero(out, want);
		free(out);
		return error_set(NFG_ENOTFOUND, "corrupt data at %" PRIu64,
				 e->data);
	}
	out[want] = '\0';
	*out_buf = out;
	return 0;
}

static size_t slot_of(uint64_t off)
{
	return (off * 0x9E3779B97F4A7C15ull) >> 54 & (CACHE_SLOTS - 1);
}

/*
 * Keeps data (taken: freed here if it cannot be kept) for later deltas to
 * build on; data must not be in the cache already.
 */
static void cache_take(struct pack_reader *r, uint64_t off, int type,
		       unsigned char *data, size_t len)
{
	struct cached *c = &r->slots[slot_of(off)];

	if (len > CACHE_BYTES / 8) {
		drop(r, data, len);
		return;
	}
	if (c->off) {
		r->cached_bytes -= c->len;
		drop(r, c->data, c->len);
	}
	c->off = off + 1;
	c->data = data;
	c->len = len;
	c->type = type;
	r->cached_bytes += len;
	/* Over budget: empty the cache (cheap, and rare at this size). */
	if (r->cached_bytes > CACHE_BYTES)
		cache_clear(r);
}

/*
 * The cached object at off, borrowed until the cache changes next, or
 * NULL.
 */
static const unsigned char *cache_get(const struct pack_reader *r, uint64_t off,
				      size_t *len, int *type)
{
	const struct cached *c = &r->slots[slot_of(off)];

	if (c->off != off + 1)
		return NULL;
	*len = c->len;
	*type = c->type;
	return c->data;
}

/* A copy of len bytes of data (and its NUL), or NULL. */
static unsigned char *copy_of(const unsigned char *data, size_t len)
{
	unsigned char *out = malloc(len + 1);

	if (out)
		memcpy(out, data, len + 1);
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

static int over_budget(const struct pack_reader *r)
{
	int gib = !(r->work_max & ((1u << 30) - 1));

	return error_set(NFG_ELIMIT,
			 "delta chain builds more than %" PRIu64 " %s",
			 r->work_max >> (gib ? 30 : 20), gib ? "GiB" : "MiB");
}

/* Adds n bytes to *work: NFG_ELIMIT (error set) past r's budget. */
static int spend(const struct pack_reader *r, uint64_t *work, uint64_t n)
{
	if (n > r->work_max - *work)
		return over_budget(r);
	*work += n;
	return 0;
}

/*
 * One step down a chain from the delta e at off: pushes off on r->chain
 * (*n deltas there), *next gets its base. pack_reader_read's codes.
 */
static int chain_step(struct pack_reader *r, const struct pack_entry *e,
		      uint64_t off, size_t *n, uint64_t *next)
{
	if (*n == PACK_CHAIN_MAX)
		return error_set(NFG_ELIMIT, "delta chain deeper than %d",
				 PACK_CHAIN_MAX);
	r->chain[(*n)++] = off;
	/* An offset delta's base lies strictly before it; only a reference
	 * can lead back into the chain. */
	if (e->type == PACK_OFS_DELTA) {
		*next = e->base_off;
		return 0;
	}
	*next = pack_index_find(&r->pack->idx, e->base_id);
	if (*next == UINT64_MAX)
		return error_set(NFG_ENOTFOUND, "delta base not in the pack");
	if (on_chain(r, *n, *next))
		return error_set(NFG_ELIMIT, "delta chain loops");
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
 * The entry at off, checked against its CRC-32 (top: the object asked
 * for), its header in *e. pack_reader_read's codes.
 */
static int checked_entry(struct pack_reader *r, uint64_t off, uint64_t top,
			 struct pack_entry *e)
{
	const struct pack_map *pk = r->pack;
	int err;

	if ((err = check_crc(r, off, top)))
		return err;
	if (pack_entry_header(e, pk->map, pk->len, off))
		return NFG_ENOTFOUND;
	return 0;
}

/* What a reader's failure err means to its caller: pack_reader_read's. */
static int final_code(int err)
{
	return err == NFG_ELIMIT || err == NFG_ECORRUPT ? err : NFG_ENOTFOUND;
}

/*
 * Walks down from off to a cached object or a whole one, checking each
 * entry met and pushing each delta on r->chain: *n deltas, *base_off
 * where the walk stopped, *base its bytes (borrowed from the cache when
 * *cached is set, else the caller's) and *type its type.
 * pack_reader_read's codes.
 */
static int find_base(struct pack_reader *r, uint64_t off, size_t *n,
		     uint64_t *base_off, unsigned char **base, size_t *blen,
		     int *type, int *cached, uint64_t *work)
{
	uint64_t top = off;
	struct pack_entry e;
	int err;

	*n = 0;
	for (;;) {
		if ((*base = (unsigned char *)cache_get(r, off, blen, type))) {
			*cached = 1;
			break;
		}
		if ((err = checked_entry(r, off, top, &e)))
			return err;
		if (e.size > PACK_READ_MAX)
			return error_set(NFG_ENOTFOUND,
					 "entry at %" PRIu64 ": too large",
					 off);
		if (e.type != PACK_OFS_DELTA && e.type != PACK_REF_DELTA) {
			if ((err = inflate_entry(r, &e, base)))
				return err;
			*blen = (size_t)e.size;
			*type = e.type;
			break;
		}
		if ((err = chain_step(r, &e, off, n, &off)))
			return err;
	}
	*base_off = off;
	return spend(r, work, *blen);
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

/* NFG_ELIMIT (error set) once the delta work of r's pack is spent. */
static int budget_left(const struct pack_reader *r)
{
	const struct pack_budget *b = r->pack->budget;

	if (!b || atomic_load(&b->spent) < b->max)
		return 0;
	return error_set(NFG_ELIMIT,
			 "its pack's delta work passed %" PRIu64 " MiB",
			 b->max >> 20);
}

/*
 * The result of the delta at off was refused by pack_delta_apply
 * (NFG_ELIMIT): olen bytes announced, room left of r's budget. Past the
 * budget, an error; else it is only too large for this reader, and
 * libgit2 builds it (the chain is checked, its work counted in *work).
 */
static int result_refused(const struct pack_reader *r, uint64_t off,
			  size_t olen, uint64_t room, uint64_t *work)
{
	if (olen > room)
		return over_budget(r);
	*work += olen;
	return error_set(NFG_ENOTFOUND,
			 "entry at %" PRIu64 ": delta result too large", off);
}

int pack_reader_read(struct pack_reader *r, uint64_t off, unsigned char **out,
		     size_t *len, int *type)
{
	const struct pack_map *pk = r->pack;
	struct pack_entry e;
	unsigned char *base = NULL, *delta, *next;
	uint64_t base_off = 0, work = 0;
	size_t n = 0, deltas, blen = 0, olen;
	int err, cached = 0;

	*out = NULL;
	err = find_base(r, off, &n, &base_off, &base, &blen, type, &cached,
			&work);
	deltas = n;
	if (err || (deltas && (err = budget_left(r))))
		goto done;
	/* Back up the chain: at most base, delta and result are alive. */
	while (n) {
		uint64_t at = r->chain[--n], room;

		if (pack_entry_header(&e, pk->map, pk->len, at)) {
			err = NFG_ENOTFOUND;
			goto done;
		}
		if ((err = spend(r, &work, e.size)) ||
		    (err = inflate_entry(r, &e, &delta)))
			goto done;
		room = r->work_max - work;
		err = pack_delta_apply(
			&next, &olen, base, blen, delta, (size_t)e.size,
			room < PACK_READ_MAX ? (size_t)room : PACK_READ_MAX);
		drop(r, delta, (size_t)e.size);
		if (err == NFG_ELIMIT)
			err = result_refused(r, at, olen, room, &work);
		if (err)
			goto done;
		work += olen; /* no more than room: the delta's max */
		/* The base often serves the next delta too: kept, not
		 * copied. */
		if (!cached)
			cache_take(r, base_off, *type, base, blen);
		cached = 0;
		base = next;
		blen = olen;
		base_off = at;
	}
	if (!deltas && cached && !(base = copy_of(base, blen)))
		err = error_set(NFG_ENOTFOUND, "out of memory");
	cached = 0;
	if (!err)
		err = check_id(pk, off, *type, base, blen);
done:
	if (deltas && pk->budget)
		atomic_fetch_add(&pk->budget->spent, work);
	if (!err) {
		*out = base;
		*len = blen;
		return 0;
	}
	/* A failure is rare: what it leaves behind is wiped whatever r saw. */
	if (base && !cached) {
		explicit_bzero(base, blen + 1);
		free(base);
	}
	return final_code(err);
}

int pack_reader_type(struct pack_reader *r, uint64_t off, int *type)
{
	uint64_t top = off;
	struct pack_entry e;
	size_t n = 0;
	int err;

	for (;;) {
		if ((err = checked_entry(r, off, top, &e)))
			return final_code(err);
		if (e.type != PACK_OFS_DELTA && e.type != PACK_REF_DELTA) {
			*type = e.type;
			return 0;
		}
		if ((err = chain_step(r, &e, off, &n, &off)))
			return final_code(err);
	}
}

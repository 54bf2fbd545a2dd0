/*
 * Fuzzes the pack reader whole (pack_reader_read, pack_reader_type) over
 * a pack and index built in memory from the input: a script of objects,
 * whole or deltas on earlier ones (by offset) or on any (by id: loops,
 * missing bases), or whole with a header one byte larger than its stream
 * (corrupt). The oracle: a naive resolver (chains followed by a
 * counted loop, git's patch_delta written out) agrees on every object's
 * bytes and type or on why it is refused, read in pack order and again
 * backwards (the delta base cache warm); each refusal says why.
 */
#include "fuzz.h"
#include "util/error.h"
#include "source/git/pack_object.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_OBJ 32
#define REF_MAX ((size_t)1 << 20) /* the largest result the naive builds */

/* What the naive resolver makes of an object. */
enum state { UNKNOWN, RESOLVED, MALFORMED, LOOPS, MISSING, TOO_LARGE };

struct obj {
	int kind; /* 0: whole; 1: offset delta; 2: reference delta; 3: whole,
		     its header a byte larger than its stream */
	int type; /* a whole one's */
	int base; /* a delta's base (index; >= n: an id no object has) */
	int raw;  /* a delta stored without the base's size before it */
	const uint8_t *body;
	size_t blen;
	enum state state;
	int btype; /* the type of its chain's whole object; 0: none */
	uint8_t *data, *stored;
	size_t len, slen;
	uint64_t off;
};

static struct obj objs[MAX_OBJ];
static size_t nobj;

static void put_varint(uint8_t *out, size_t *at, uint64_t v)
{
	while (v >= 0x80) {
		out[(*at)++] = (uint8_t)(0x80 | (v & 0x7f));
		v >>= 7;
	}
	out[(*at)++] = (uint8_t)v;
}

/* A delta as stored: the base's size (unless raw), then its body. */
static void store_delta(struct obj *o, size_t base_len)
{
	size_t at = 0;

	if (o->stored)
		return;
	if (!(o->stored = malloc(o->blen + 10)))
		abort();
	if (!o->raw)
		put_varint(o->stored, &at, base_len);
	if (o->blen)
		memcpy(o->stored + at, o->body, o->blen);
	o->slen = at + o->blen;
}

/* Resolves object i naively: its chain by a counted loop, then up. */
static void resolve(size_t i)
{
	size_t stack[MAX_OBJ + 2] = {0}, n = 0, j = i;
	enum state st;
	int btype = 0;

	while (objs[j].state == UNKNOWN &&
	       (objs[j].kind == 1 || objs[j].kind == 2) && n <= nobj) {
		stack[n++] = j;
		if ((size_t)objs[j].base >= nobj)
			break;
		j = (size_t)objs[j].base;
	}
	if (n > nobj) {
		st = LOOPS;
	} else if (n && (size_t)objs[stack[n - 1]].base >= nobj) {
		st = MISSING;
		store_delta(&objs[stack[--n]], 0);
		objs[stack[n]].state = st;
	} else if (objs[j].state == UNKNOWN && objs[j].kind == 3) {
		objs[j].state = MALFORMED;
		objs[j].btype = objs[j].type;
		st = MALFORMED;
		btype = objs[j].type;
	} else if (objs[j].state == UNKNOWN) {
		objs[j].state = RESOLVED;
		objs[j].btype = objs[j].type;
		objs[j].data = (uint8_t *)objs[j].body;
		objs[j].len = objs[j].blen;
		st = RESOLVED;
		btype = objs[j].type;
	} else {
		st = objs[j].state;
		btype = objs[j].btype;
	}
	while (n) {
		struct obj *o = &objs[stack[--n]], *b;
		uint64_t dst;
		int rc;

		if (o->state != UNKNOWN) {
			st = o->state;
			btype = o->btype;
			continue;
		}
		b = &objs[o->base];
		o->btype = btype;
		if (st != RESOLVED) {
			store_delta(o, 0);
			o->state =
				st == LOOPS || st == MISSING ? st : TOO_LARGE;
			if (st == MALFORMED)
				o->state = MALFORMED;
			continue;
		}
		store_delta(o, b->len);
		rc = fuzz_naive_delta(&o->data, &dst, b->data, b->len,
				      o->stored, o->slen, REF_MAX);
		o->len = (size_t)dst;
		o->state = !rc		      ? RESOLVED
			   : rc == NFG_ELIMIT ? TOO_LARGE
					      : MALFORMED;
		st = o->state;
	}
}

static uint8_t *pack, *idx;
static size_t pack_len, idx_len;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void make_id(uint8_t id[20], size_t i)
{
	memset(id, 0, 20);
	id[0] = (uint8_t)i;
	id[19] = 0xa5;
}

/* The pack and its version 2 index, each entry's CRC-32 in it. */
static void build(void)
{
	size_t cap = 64, i, at;
	uint32_t *crc = calloc(nobj + 1, sizeof(*crc));

	for (i = 0; i < nobj; i++)
		cap += 64 + compressBound(objs[i].kind == 1 || objs[i].kind == 2
						  ? objs[i].slen
						  : objs[i].blen);
	if (!crc || !(pack = malloc(cap)))
		abort();
	memcpy(pack, "PACK\0\0\0\2", 8);
	put32(pack + 8, (uint32_t)nobj);
	pack_len = 12;
	for (i = 0; i < nobj; i++) {
		struct obj *o = &objs[i];
		int delta = o->kind == 1 || o->kind == 2;
		const uint8_t *data = delta ? o->stored : o->body;
		size_t len = delta ? o->slen : o->blen;
		size_t size = len + (o->kind == 3);
		int type = o->kind == 1	  ? PACK_OFS_DELTA
			   : o->kind == 2 ? PACK_REF_DELTA
					  : o->type;
		uLongf zlen;

		o->off = pack_len;
		pack[pack_len] = (uint8_t)(type << 4 | (size & 15));
		for (size >>= 4; size; size >>= 7) {
			pack[pack_len++] |= 0x80;
			pack[pack_len] = size & 0x7f;
		}
		pack_len++;
		if (o->kind == 1) {
			uint64_t dist = o->off - objs[o->base].off;
			uint8_t tmp[10];
			int k = 0;

			tmp[k++] = dist & 0x7f;
			while (dist >>= 7)
				tmp[k++] = (uint8_t)(0x80 | (--dist & 0x7f));
			while (k--)
				pack[pack_len++] = tmp[k];
		} else if (o->kind == 2) {
			make_id(pack + pack_len, (size_t)o->base < nobj
							 ? (size_t)o->base
							 : 0xff);
			pack_len += 20;
		}
		zlen = (uLongf)(cap - pack_len);
		if (compress2(pack + pack_len, &zlen, data, len, 1) != Z_OK)
			abort();
		pack_len += zlen;
		crc[i] = (uint32_t)crc32(0, pack + o->off,
					 (uInt)(pack_len - o->off));
	}
	memset(pack + pack_len, 0, 20);
	pack_len += 20;
	idx_len = 8 + 1024 + nobj * 28 + 40;
	if (!(idx = calloc(1, idx_len)))
		abort();
	memcpy(idx, "\377tOc\0\0\0\2", 8);
	for (i = 0; i < 256; i++)
		put32(idx + 8 + i * 4, (uint32_t)(i < nobj ? i + 1 : nobj));
	at = 8 + 1024;
	for (i = 0; i < nobj; i++, at += 20)
		make_id(idx + at, i);
	for (i = 0; i < nobj; i++, at += 4)
		put32(idx + at, crc[i]);
	for (i = 0; i < nobj; i++, at += 4)
		put32(idx + at, (uint32_t)objs[i].off);
	free(crc);
}

/* The script: per object an op byte, a length byte, that many bytes. */
static void parse(const uint8_t *p, size_t size)
{
	const uint8_t *end = p + size;

	nobj = 0;
	while (p < end && nobj < MAX_OBJ) {
		struct obj *o = &objs[nobj];
		uint8_t op = *p++;
		size_t len = p < end ? *p++ : 0;

		memset(o, 0, sizeof(*o));
		if (len > (size_t)(end - p))
			len = (size_t)(end - p);
		o->kind = op & 3;
		o->raw = op >> 7;
		o->type = 1 + (op >> 2) % 4;
		o->base = (op >> 2) & 31;
		if (o->kind == 1) {
			if (!nobj)
				o->kind = 0;
			else
				o->base %= (int)nobj;
		}
		o->body = p;
		o->blen = len;
		p += len;
		nobj++;
	}
}

static void check(struct pack_reader *r, size_t i)
{
	const struct obj *o = &objs[i];
	unsigned char *out;
	size_t len;
	int type, rc;

	error_clear();
	rc = pack_reader_read(r, o->off, &out, &len, &type);
	if (rc)
		FUZZ_CHECK(out == NULL && *error_last());
	switch (o->state) {
	case RESOLVED:
		FUZZ_CHECK(rc == 0 && type == o->btype && len == o->len);
		FUZZ_CHECK(out[len] == 0 && !memcmp(out, o->data, len));
		break;
	case MALFORMED:
	case MISSING:
		FUZZ_CHECK(rc == NFG_ENOTFOUND);
		break;
	case LOOPS:
		FUZZ_CHECK(rc == NFG_ELIMIT);
		break;
	default: /* too large for the naive: the reader may build it */
		FUZZ_CHECK(!rc || rc == NFG_ELIMIT || rc == NFG_ENOTFOUND);
		if (!rc)
			FUZZ_CHECK(type == o->btype && out[len] == 0);
	}
	free(out);
	error_clear();
	rc = pack_reader_type(r, o->off, &type);
	if (o->state == LOOPS)
		FUZZ_CHECK(rc == NFG_ELIMIT && *error_last());
	else if (o->state == MISSING)
		FUZZ_CHECK(rc == NFG_ENOTFOUND && *error_last());
	else
		FUZZ_CHECK(rc == 0 && type == o->btype);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pack_map pk;
	struct pack_place *by_off = NULL;
	struct pack_reader *r = NULL;
	size_t i;

	parse(data, size);
	for (i = 0; i < nobj; i++)
		resolve(i);
	build();
	memset(&pk, 0, sizeof(pk));
	FUZZ_CHECK(!pack_header_check(pack, pack_len, (uint32_t)nobj));
	FUZZ_CHECK(!pack_index_parse(&pk.idx, idx, idx_len, pack_len));
	FUZZ_CHECK(!pack_index_by_offset(&pk.idx, &by_off));
	pk.map = pack;
	pk.len = pack_len;
	pk.by_off = by_off;
	pk.name = "fuzz";
	if (pack_reader_new(&r, &pk))
		abort();
	pack_reader_limit(r, (uint64_t)64 << 20);
	for (i = 0; i < nobj; i++)
		check(r, i);
	for (i = nobj; i--;)
		check(r, i);
	pack_reader_free(r);
	free(by_off);
	for (i = 0; i < nobj; i++) {
		if (objs[i].data != objs[i].body)
			free(objs[i].data);
		free(objs[i].stored);
	}
	free(pack);
	free(idx);
	return 0;
}

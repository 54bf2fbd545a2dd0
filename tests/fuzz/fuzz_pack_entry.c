/*
 * Fuzzes pack entry headers and delta application (pack_object.c). Input:
 * a mode byte; even: a pack whose entry header is parsed at every offset;
 * odd: a base's length (3 bytes, little-endian, at most 128 KiB), how
 * many of its bytes follow (2 bytes; repeated to its length), a delta.
 * The oracle: naive readers written from git's format agree with the
 * parsers on accept or refuse, on every header field and on the bytes and
 * length of every delta's result; a refusal always says why.
 */
#include "fuzz.h"
#include "util/error.h"
#include "source/git/pack_object.h"

#include <stdlib.h>
#include <string.h>

#define DELTA_MAX ((size_t)1 << 20)
#define BASE_MAX  ((size_t)1 << 17)

/* A header as the naive reader sees it; ok 0 when refused. */
struct hdr {
	int ok, type;
	uint64_t size, base_off;
	size_t id_at, data;
};

static void naive_header(struct hdr *h, const uint8_t *b, size_t len,
			 size_t off)
{
	size_t i = off;
	uint64_t dist;
	unsigned more = 0;
	uint8_t c;

	memset(h, 0, sizeof(*h));
	if (off >= len)
		return;
	c = b[i++];
	h->type = c >> 4 & 7;
	h->size = c & 15;
	/* A size of at most 60 bits: 8 bytes after the first. */
	for (; c & 0x80; more++) {
		if (i == len || more == 8)
			return;
		c = b[i++];
		h->size += (uint64_t)(c & 0x7f) << (4 + 7 * more);
	}
	if (h->type == 6) {
		if (i == len)
			return;
		c = b[i++];
		dist = c & 0x7f;
		while (c & 0x80) {
			/* Only grows: past the buffer, it can never fit. */
			if (i == len || dist > len)
				return;
			c = b[i++];
			dist = (dist + 1) << 7 | (c & 0x7f);
		}
		if (!dist || dist > off)
			return;
		h->base_off = off - dist;
	} else if (h->type == 7) {
		if (len - i < 20)
			return;
		h->id_at = i;
		i += 20;
	} else if (h->type < 1 || h->type > 4) {
		return;
	}
	if (i == len)
		return; /* no data */
	h->data = i;
	h->ok = 1;
}

static void check_headers(const uint8_t *b, size_t len)
{
	struct pack_entry e;
	struct hdr h;
	size_t off;
	int rc;

	for (off = 0; off <= len; off++) {
		error_clear();
		rc = pack_entry_header(&e, b, len, off);
		naive_header(&h, b, len, off);
		FUZZ_CHECK(h.ok == !rc);
		if (rc) {
			FUZZ_CHECK(rc == NFG_EINVAL && *error_last());
			continue;
		}
		FUZZ_CHECK(e.type == h.type && e.size == h.size);
		FUZZ_CHECK(e.data == h.data && e.data > off && e.data < len);
		if (h.type == PACK_OFS_DELTA)
			FUZZ_CHECK(e.base_off == h.base_off &&
				   e.base_off < off);
		if (h.type == PACK_REF_DELTA)
			FUZZ_CHECK(e.base_id == b + h.id_at &&
				   e.base_id + 20 <= b + e.data);
		else
			FUZZ_CHECK(e.base_id == NULL);
	}
}

/*
 * The base: blen bytes, those of the input first, then the same again,
 * so that a short input still makes a base a 64 KiB copy fits in.
 */
static uint8_t *make_base(size_t blen, const uint8_t *in, size_t n)
{
	uint8_t *base = malloc(blen ? blen : 1);
	size_t i;

	if (!base)
		abort();
	for (i = 0; i < blen; i++)
		base[i] = n ? in[i % n] : 0;
	return base;
}

static void check_delta(const uint8_t *data, size_t size)
{
	size_t blen = 0, take = 0, dlen, i;
	const uint8_t *in = data + (size < 5 ? size : 5), *d;
	uint8_t *base, *want;
	unsigned char *got;
	uint64_t want_len;
	size_t got_len = 0;
	int rc, want_rc;

	for (i = 0; i < 5 && i < size; i++) {
		if (i < 3)
			blen |= (size_t)data[i] << (8 * i);
		else
			take |= (size_t)data[i] << (8 * (i - 3));
	}
	blen %= BASE_MAX + 1;
	dlen = size - (size_t)(in - data);
	if (take > dlen)
		take = dlen;
	base = make_base(blen, in, take);
	d = in + take;
	dlen -= take;
	error_clear();
	rc = pack_delta_apply(&got, &got_len, base, blen, d, dlen, DELTA_MAX);
	want_rc = fuzz_naive_delta(&want, &want_len, base, blen, d, dlen,
				   DELTA_MAX);
	FUZZ_CHECK(rc == want_rc);
	if (rc) {
		FUZZ_CHECK(got == NULL && *error_last());
	} else {
		FUZZ_CHECK(got_len == want_len && got[got_len] == '\0');
		FUZZ_CHECK(!memcmp(got, want, got_len));
		free(got);
		free(want);
	}
	free(base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		check_delta(data + 1, size - 1);
	else
		check_headers(data + 1, size - 1);
	return 0;
}

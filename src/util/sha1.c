/*
 * SHA-1, in one call or in pieces: whole 64-byte blocks are hashed where
 * they lie, and only a piece's tail and the padding are copied, so that
 * checking a large index's trailing checksum costs one pass over its bytes.
 */
#include "util/common.h"
#include "util/sha1.h"

static uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

/* One round: f is the round's function of b, c and d, k its constant. */
#define ROUND(f, k)                                                            \
	do {                                                                   \
		t = rol(a, 5) + (f) + e + (k) + w[i];                          \
		e = d;                                                         \
		d = c;                                                         \
		c = rol(b, 30);                                                \
		b = a;                                                         \
		a = t;                                                         \
	} while (0)

static void block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], t;
	size_t i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	/* four loops, not one with a branch per round: twice as fast */
	for (i = 0; i < 20; i++)
		ROUND(d ^ (b & (c ^ d)), 0x5a827999);
	for (; i < 40; i++)
		ROUND(b ^ c ^ d, 0x6ed9eba1);
	for (; i < 60; i++)
		ROUND((b & c) | (d & (b | c)), 0x8f1bbcdc);
	for (; i < 80; i++)
		ROUND(b ^ c ^ d, 0xca62c1d6);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void sha1_init(struct sha1_ctx *c)
{
	static const uint32_t h0[5] = {0x67452301, 0xefcdab89, 0x98badcfe,
				       0x10325476, 0xc3d2e1f0};

	memcpy(c->h, h0, sizeof(h0));
	c->n = 0;
	c->len = 0;
}

void sha1_update(struct sha1_ctx *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t take;

	c->len += len;
	if (c->n) {
		take = 64 - c->n < len ? 64 - c->n : len;
		memcpy(c->buf + c->n, p, take);
		c->n += take;
		p += take;
		len -= take;
		if (c->n < 64)
			return;
		block(c->h, c->buf);
		c->n = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		block(c->h, p);
	memcpy(c->buf, p, len);
	c->n = len;
}

void sha1_final(struct sha1_ctx *c, unsigned char out[20])
{
	uint64_t bits = c->len * 8;
	size_t i;

	c->buf[c->n++] = 0x80;
	if (c->n > 56) {
		memset(c->buf + c->n, 0, 64 - c->n);
		block(c->h, c->buf);
		c->n = 0;
	}
	memset(c->buf + c->n, 0, 56 - c->n);
	for (i = 0; i < 8; i++)
		c->buf[63 - i] = (unsigned char)(bits >> (8 * i));
	block(c->h, c->buf);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

void sha1(const void *data, size_t len, unsigned char out[20])
{
	struct sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, data, len);
	sha1_final(&c, out);
}

/*
 * SHA-1 in one call: whole 64-byte blocks are hashed where they lie, and
 * only the tail and the padding are copied, so that checking a large
 * index's trailing checksum costs one pass over its bytes.
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

void sha1(const void *data, size_t len, unsigned char out[20])
{
	uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
			 0xc3d2e1f0};
	const unsigned char *p = data;
	unsigned char tail[128];
	uint64_t bits = (uint64_t)len * 8;
	size_t i, rest = len % 64, ntail;

	for (i = 0; i + 64 <= len; i += 64)
		block(h, p + i);
	memset(tail, 0, sizeof(tail));
	if (rest)
		memcpy(tail, p + i, rest);
	tail[rest] = 0x80;
	ntail = rest < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[ntail - 1 - i] = (unsigned char)(bits >> (8 * i));
	block(h, tail);
	if (ntail == 128)
		block(h, tail + 64);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/*
 * SHA-1 (FIPS 180-4), of one buffer or in pieces: the checksums git
 * writes at the end of its files (the index), and object ids checked
 * against what an object's bytes hash to. Not a defence against SHA-1
 * collisions (git's own sha1dc is): it tells corrupt or swapped objects.
 */
#ifndef NFG_UTIL_SHA1_H
#define NFG_UTIL_SHA1_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 20-byte SHA-1 of data[0..len) to out. Never fails. */
void sha1(const void *data, size_t len, unsigned char out[20]);

/* A hash in pieces: init, update as often as needed, final. */
struct sha1_ctx {
	uint32_t h[5];
	unsigned char buf[64]; /* a block not complete yet */
	size_t n;	       /* bytes in buf */
	uint64_t len;	       /* bytes hashed so far */
};

void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t len);
/* Writes the SHA-1 of everything given to out; c must be init'ed again. */
void sha1_final(struct sha1_ctx *c, unsigned char out[20]);

#endif

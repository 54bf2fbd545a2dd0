/*
 * SHA-256 (FIPS 180-4), used for token fingerprints. Incremental API; the
 * context is wiped by sha256_final because it has seen a secret.
 */
#ifndef NFG_UTIL_SHA256_H
#define NFG_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t nbytes;
	unsigned char block[64];
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the 32-byte digest and wipes the context. */
void sha256_final(struct sha256 *c, unsigned char out[32]);

/* One call: lower-case hex of SHA-256(data) into hex (65 bytes, NUL). */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif

/*
 * SHA-1 (FIPS 180-4) of one buffer, for the checksums git writes at the
 * end of its files (the index). Not for security: git's object ids are
 * libgit2's business.
 */
#ifndef NFG_UTIL_SHA1_H
#define NFG_UTIL_SHA1_H

#include <stddef.h>

/* Writes the 20-byte SHA-1 of data[0..len) to out. Never fails. */
void sha1(const void *data, size_t len, unsigned char out[20]);

#endif

/*
 * Base64 (RFC 4648, standard alphabet) encoding into a caller's buffer.
 * Nothing is allocated.
 */
#ifndef NFG_UTIL_BASE64_H
#define NFG_UTIL_BASE64_H

#include <stddef.h>

/*
 * Writes the base64 of in[0..n) ('=' padding when pad) and a NUL to
 * out[0..size). The length written, or 0 when out is too small (out then
 * holds "").
 */
size_t base64_encode(const unsigned char *in, size_t n, int pad, char *out,
		     size_t size);

#endif

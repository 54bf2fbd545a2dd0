/*
 * Base64 (RFC 4648) encoding: host key fingerprints and known_hosts keys,
 * and the hashes of a Content-Security-Policy.
 */
#include "util/common.h"
#include "util/base64.h"

size_t base64_encode(const unsigned char *in, size_t n, int pad, char *out,
		     size_t size)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				     "opqrstuvwxyz0123456789+/";
	size_t i, j = 0, need;
	uint32_t v;

	need = n / 3 * 4 + (n % 3 ? (pad ? 4 : n % 3 + 1) : 0);
	if (n > SIZE_MAX / 2 || need >= size) {
		if (size)
			out[0] = '\0';
		return 0;
	}
	for (i = 0; i < n; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[j++] = digits[(v >> 18) & 63];
		out[j++] = digits[(v >> 12) & 63];
		if (i + 1 < n)
			out[j++] = digits[(v >> 6) & 63];
		else if (pad)
			out[j++] = '=';
		if (i + 2 < n)
			out[j++] = digits[v & 63];
		else if (pad)
			out[j++] = '=';
	}
	out[j] = '\0';
	return j;
}

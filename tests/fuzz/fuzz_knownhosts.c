/*
 * Fuzzes the reading of known_hosts' @revoked lines (src/sweep/
 * knownhosts.h). Input: 1 byte n, a key of n % 64 bytes, the file's text.
 * The oracle: the answer is 0 or 1 and the same twice; a 1 means the text
 * holds "@revoked" and the key's padded base64; a text that holds neither
 * gives 0; and a line that revokes the key, appended, always gives 1.
 */
#include "fuzz.h"
#include "sweep/knownhosts.h"
#include "util/base64.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char line[] = "\n@revoked * t ";
	const unsigned char *key;
	const char *text;
	char b64[96], *more;
	size_t n, tlen, blen;
	int r;

	if (size < 1)
		return 0;
	n = data[0] % 64;
	if (size - 1 < n)
		return 0;
	key = data + 1;
	text = (const char *)data + 1 + n;
	tlen = size - 1 - n;
	blen = base64_encode(key, n, 1, b64, sizeof(b64));
	FUZZ_CHECK(blen == (n + 2) / 3 * 4 && strlen(b64) == blen);
	r = knownhosts_revoked(text, tlen, key, n);
	FUZZ_CHECK(r == 0 || r == 1);
	FUZZ_CHECK(r == knownhosts_revoked(text, tlen, key, n));
	if (r)
		FUZZ_CHECK(n && fuzz_mem_holds(text, tlen, "@revoked") &&
			   fuzz_mem_holds(text, tlen, b64));
	if (!n)
		return 0;
	more = malloc(tlen + sizeof(line) + blen);
	if (!more)
		return 0;
	memcpy(more, text, tlen);
	memcpy(more + tlen, line, sizeof(line) - 1);
	memcpy(more + tlen + sizeof(line) - 1, b64, blen);
	FUZZ_CHECK(knownhosts_revoked(more, tlen + sizeof(line) - 1 + blen, key,
				      n) == 1);
	free(more);
	return 0;
}

/*
 * What every fuzz target shares (see fuzz.h): the oracle's failure, and
 * tokens made at run time from markers in the input.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "oracle failed: %s (%s:%d)\n", what, file, line);
	abort();
}

#define PREFIX                                                                 \
	"nf_"                                                                  \
	"at_"

static int body_byte(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

char *fuzz_expand_tokens(const uint8_t *data, size_t size, size_t *len)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
				"tuvwxyz0123456789";
	size_t i, n = 0, k;
	unsigned seed = 7;
	char *out;

	/* Each marker (2 bytes) grows to at most 6 + FUZZ_TOKEN_BODY. */
	out = malloc(size / 2 * (sizeof(PREFIX) - 1 + FUZZ_TOKEN_BODY) + size +
		     1);
	if (!out)
		abort();
	for (i = 0; i < size; i++) {
		if (data[i] != '$' || i + 1 == size ||
		    (data[i + 1] != 'T' && data[i + 1] != 'K')) {
			out[n++] = (char)data[i];
			continue;
		}
		memcpy(out + n, PREFIX, sizeof(PREFIX) - 1);
		n += sizeof(PREFIX) - 1;
		for (k = 0; data[i + 1] == 'K' && k < FUZZ_TOKEN_BODY; k++) {
			seed = seed * 1103515245u + 12345u;
			out[n++] = a[(seed >> 16) % 62];
		}
		i++;
	}
	out[n] = '\0';
	*len = n;
	return out;
}

int fuzz_token_shaped(const char *p, size_t n)
{
	size_t i;

	if (n < sizeof(PREFIX) - 1 + 16 || n > sizeof(PREFIX) - 1 + 256 ||
	    memcmp(p, PREFIX, sizeof(PREFIX) - 1))
		return 0;
	for (i = sizeof(PREFIX) - 1; i < n; i++)
		if (!body_byte(p[i]))
			return 0;
	return 1;
}

int fuzz_holds_token(const char *s, size_t n, const char *tok, size_t len)
{
	const char *p = s, *end = s + n;

	while ((p = memmem(p, (size_t)(end - p), tok, len)) != NULL) {
		if ((p == s || !body_byte(p[-1])) &&
		    (p + len == end || !body_byte(p[len])))
			return 1;
		p++;
	}
	return 0;
}

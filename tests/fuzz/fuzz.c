/*
 * What every fuzz target shares (see fuzz.h): the oracle's failure,
 * tokens made at run time from markers in the input, and the pack
 * targets' naive delta reference.
 */
#include "fuzz.h"
#include "util/error.h"

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

/* A delta header size: little-endian base 128, at most 9 bytes. */
static int naive_size(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	unsigned k;

	*v = 0;
	for (k = 0; k < 9 && *p < end; k++) {
		uint8_t c = *(*p)++;

		*v |= (uint64_t)(c & 0x7f) << (7 * k);
		if (!(c & 0x80))
			return 0;
	}
	return -1;
}

int fuzz_naive_delta(uint8_t **out, uint64_t *dst, const uint8_t *base,
		     size_t blen, const uint8_t *d, size_t dlen, size_t max)
{
	const uint8_t *end = d + dlen;
	uint64_t src, at = 0;
	uint8_t *o;

	*out = NULL;
	if (naive_size(&d, end, &src) || naive_size(&d, end, dst) ||
	    src != blen)
		return NFG_EINVAL;
	if (*dst > max)
		return NFG_ELIMIT;
	if (!(o = malloc(*dst + 1)))
		abort();
	while (d < end) {
		uint8_t op = *d++;
		uint64_t cp_off = 0, cp_len = 0;
		int bit;

		if (!op)
			goto bad;
		if (!(op & 0x80)) {
			if ((size_t)(end - d) < op || *dst - at < op)
				goto bad;
			memcpy(o + at, d, op);
			at += op;
			d += op;
			continue;
		}
		for (bit = 0; bit < 7; bit++) {
			if (!(op >> bit & 1))
				continue;
			if (d == end)
				goto bad;
			if (bit < 4)
				cp_off |= (uint64_t)*d++ << (8 * bit);
			else
				cp_len |= (uint64_t)*d++ << (8 * (bit - 4));
		}
		if (!cp_len)
			cp_len = 0x10000;
		if (cp_off + cp_len > blen || cp_len > *dst - at)
			goto bad;
		memcpy(o + at, base + cp_off, cp_len);
		at += cp_len;
	}
	if (at != *dst)
		goto bad;
	*out = o;
	return 0;
bad:
	free(o);
	return NFG_EINVAL;
}

int fuzz_mem_holds(const char *s, size_t n, const char *t)
{
	size_t k = strlen(t), i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(s + i, t, k))
			return 1;
	return 0;
}

/*
 * known_hosts' @revoked lines: each line split into its fields and the
 * key field compared with the base64 of the server's key, so a key is
 * never decoded from the file.
 */
#include "util/common.h"
#include "util/base64.h"
#include "util/error.h"
#include "sweep/knownhosts.h"

static const char marker[] = "@revoked";

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The next field of line [*p, end): its start and length, *p past it.
 * 0 when the line has no more fields.
 */
static int field(const char **p, const char *end, const char **f, size_t *n)
{
	const char *s = *p;

	while (s < end && blank(*s))
		s++;
	if (s == end)
		return 0;
	*f = s;
	while (s < end && !blank(*s))
		s++;
	*n = (size_t)(s - *f);
	*p = s;
	return 1;
}

/* 1 when the line [p, end) revokes the key whose base64 is b64[0..bn). */
static int line_revokes(const char *p, const char *end, const char *b64,
			size_t bn)
{
	const char *f;
	size_t n, i;

	if (!field(&p, end, &f, &n) || n != sizeof(marker) - 1 ||
	    memcmp(f, marker, n))
		return 0;
	/* The host patterns and the key type: what they say is not used. */
	for (i = 0; i < 2; i++)
		if (!field(&p, end, &f, &n))
			return 0;
	return field(&p, end, &f, &n) && n == bn && !memcmp(f, b64, bn);
}

int knownhosts_revoked(const char *data, size_t len, const unsigned char *key,
		       size_t keylen)
{
	const char *p = data, *end = data + len, *nl, *e;
	char *b64;
	size_t bn, size;
	int hit = 0;

	/* A key longer than the file cannot be in it. */
	if (!keylen || keylen > len)
		return 0;
	size = keylen / 3 * 4 + 5;
	if (!(b64 = malloc(size)))
		return error_nomem();
	bn = base64_encode(key, keylen, 1, b64, size);
	while (p < end && !hit) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl ? nl : end;
		if (e > p && e[-1] == '\r')
			e--;
		hit = line_revokes(p, e, b64, bn);
		p = nl ? nl + 1 : end;
	}
	free(b64);
	return hit;
}

/*
 * Fuzzes the LFS pointer parser (src/source/git/lfs_pointer.c). Input: a
 * blob. The oracle: a naive line-by-line reading of git-lfs's spec gives
 * the same kind; a pointer's oid is 64 lower-case hex of the input, and
 * writing the pointer back as git-lfs would gives the input byte for byte.
 */
#include "fuzz.h"
#include "source/git/lfs_pointer.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SPEC_V1 "https://git-lfs.github.com/spec/v1"

struct line {
	const char *p;
	size_t n; /* without its newline */
};

static int is_lower_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]) &&
		    !(p[i] >= 'a' && p[i] <= 'f'))
			return 0;
	return 1;
}

static int line_is(struct line l, const char *text)
{
	return l.n == strlen(text) && !memcmp(l.p, text, l.n);
}

/* "KEY sha256:<64 lower-case hex>" */
static int is_hash_line(struct line l, size_t key)
{
	return l.n == key + 7 + LFS_OID_HEX &&
	       !memcmp(l.p + key, "sha256:", 7) &&
	       is_lower_hex(l.p + key + 7, LFS_OID_HEX);
}

/* "ext-<digit>-<word>" then the hash; its digit above *last. */
static int is_extension(struct line l, int *last)
{
	size_t w = 6;

	if (l.n < 7 || memcmp(l.p, "ext-", 4) ||
	    !isdigit((unsigned char)l.p[4]) || l.p[5] != '-' ||
	    l.p[4] - '0' <= *last)
		return 0;
	while (w < l.n && (isalnum((unsigned char)l.p[w]) || l.p[w] == '_'))
		w++;
	if (w == 6 || w >= l.n || l.p[w] != ' ' || !is_hash_line(l, w + 1))
		return 0;
	*last = l.p[4] - '0';
	return 1;
}

/* "size <decimal without a leading zero, at most INT64_MAX>" */
static int is_size(struct line l)
{
	static const char max[] = "9223372036854775807";
	size_t d = l.n - 5, i;

	if (l.n < 6 || memcmp(l.p, "size ", 5) || (l.p[5] == '0' && d > 1))
		return 0;
	for (i = 5; i < l.n; i++)
		if (!isdigit((unsigned char)l.p[i]))
			return 0;
	return d < sizeof(max) - 1 ||
	       (d == sizeof(max) - 1 && memcmp(l.p + 5, max, d) <= 0);
}

/* The first line, leading blanks aside, names a spec version. */
static int naive_looks(const char *data, size_t len)
{
	static const char *const versions[] = {
		SPEC_V1,
		"https://hawser.github.com/spec/v1",
		"http://git-media.io/v/2",
	};
	size_t i = 0, k;

	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i + 8 > len || memcmp(data + i, "version ", 8))
		return 0;
	i += 8;
	for (k = 0; k < sizeof(versions) / sizeof(*versions); k++) {
		size_t n = strlen(versions[k]);

		if (len - i >= n && !memcmp(data + i, versions[k], n) &&
		    (len - i == n || isspace((unsigned char)data[i + n])))
			return 1;
	}
	return 0;
}

/* An exact pointer: *ext_end gets the end of its extension lines. */
static int naive_pointer(const char *data, size_t len, size_t *ext_end)
{
	struct line l[16];
	size_t n = 0, at = 0, i = 1;
	int last = -1;

	while (at < len) {
		const char *nl = memchr(data + at, '\n', len - at);

		if (!nl || n == 16)
			return 0;
		l[n].p = data + at;
		l[n++].n = (size_t)(nl - (data + at));
		at = (size_t)(nl - data) + 1;
	}
	if (n < 3 || !line_is(l[0], "version " SPEC_V1))
		return 0;
	while (i < n && is_extension(l[i], &last))
		i++;
	if (i + 2 != n)
		return 0;
	*ext_end = (size_t)(l[i].p - data);
	return l[i].n > 4 && !memcmp(l[i].p, "oid ", 4) &&
	       is_hash_line(l[i], 4) && is_size(l[i + 1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct lfs_pointer p, again;
	char out[LFS_POINTER_MAX + 64];
	size_t ext_end = 0;
	enum lfs_kind kind = lfs_pointer_parse(d, size, &p);
	int n;

	if (size >= LFS_POINTER_MAX || !naive_looks(d, size)) {
		FUZZ_CHECK(kind == LFS_NOT_POINTER);
		return 0;
	}
	if (!naive_pointer(d, size, &ext_end)) {
		FUZZ_CHECK(kind == LFS_MALFORMED);
		return 0;
	}
	FUZZ_CHECK(kind == LFS_POINTER);
	FUZZ_CHECK(strlen(p.oid) == LFS_OID_HEX &&
		   is_lower_hex(p.oid, LFS_OID_HEX));
	FUZZ_CHECK(p.size <= INT64_MAX);
	/* git-lfs's own writing of it: the input again */
	memcpy(out, d, ext_end);
	n = snprintf(out + ext_end, sizeof(out) - ext_end,
		     "oid sha256:%s\nsize %" PRIu64 "\n", p.oid, p.size);
	FUZZ_CHECK(n > 0 && ext_end + (size_t)n == size &&
		   !memcmp(out, d, size));
	FUZZ_CHECK(lfs_pointer_parse(out, size, &again) == LFS_POINTER &&
		   !strcmp(again.oid, p.oid) && again.size == p.size);
	return 0;
}

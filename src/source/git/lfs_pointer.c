/*
 * LFS pointers. Every line is matched against the end of the buffer
 * before it is read; the size is parsed digit by digit with an overflow
 * check. Only git-lfs's canonical form is a pointer: anything else that
 * starts like one is told apart, so that a caller can say so.
 */
#include "util/common.h"
#include "source/git/lfs_pointer.h"

#include <ctype.h>

#define VERSION_KEY "version "
#define SPEC_V1	    "https://git-lfs.github.com/spec/v1"
#define SHA256	    "sha256:"

/* The spec versions git-lfs accepts (older ones are its aliases of v1). */
static const char *const versions[] = {
	SPEC_V1,
	"https://hawser.github.com/spec/v1",
	"http://git-media.io/v/2",
};

struct cursor {
	const char *p, *end;
};

/* Consumes lit if the input goes on with it. */
static int eat(struct cursor *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n))
		return 0;
	c->p += n;
	return 1;
}

/* Consumes 64 lower-case hex digits into hex (NUL-terminated). */
static int eat_hex(struct cursor *c, char *hex)
{
	size_t i;

	if ((size_t)(c->end - c->p) < LFS_OID_HEX)
		return 0;
	for (i = 0; i < LFS_OID_HEX; i++) {
		char ch = c->p[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return 0;
		if (hex)
			hex[i] = ch;
	}
	if (hex)
		hex[LFS_OID_HEX] = '\0';
	c->p += LFS_OID_HEX;
	return 1;
}

/* Consumes a decimal without a leading zero, at most INT64_MAX. */
static int eat_size(struct cursor *c, uint64_t *out)
{
	const char *start = c->p;
	uint64_t v = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');

		if (v > ((uint64_t)INT64_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
		c->p++;
	}
	if (c->p == start || (*start == '0' && c->p - start > 1))
		return 0;
	*out = v;
	return 1;
}

/* Consumes "ext-<digit>-<word> sha256:<hex>\n" with a priority above
 * *last (-1 before the first). */
static int eat_extension(struct cursor *c, int *last)
{
	const char *name;
	int prio;

	if (!eat(c, "ext-") || c->p >= c->end || *c->p < '0' || *c->p > '9')
		return 0;
	prio = *c->p++ - '0';
	if (prio <= *last || !eat(c, "-"))
		return 0;
	name = c->p;
	while (c->p < c->end && (isalnum((unsigned char)*c->p) || *c->p == '_'))
		c->p++;
	if (c->p == name || !eat(c, " " SHA256) || !eat_hex(c, NULL) ||
	    !eat(c, "\n"))
		return 0;
	*last = prio;
	return 1;
}

/* 1 if the first line, leading blanks aside, names a spec version. */
static int looks_like_pointer(struct cursor c)
{
	size_t i;

	while (c.p < c.end && isspace((unsigned char)*c.p))
		c.p++;
	if (!eat(&c, VERSION_KEY))
		return 0;
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		struct cursor v = c;

		if (eat(&v, versions[i]) &&
		    (v.p == v.end || isspace((unsigned char)*v.p)))
			return 1;
	}
	return 0;
}

enum lfs_kind lfs_pointer_parse(const char *data, size_t len,
				struct lfs_pointer *p)
{
	struct cursor c = {data, data + len};
	int last = -1;

	if (len >= LFS_POINTER_MAX || !looks_like_pointer(c))
		return LFS_NOT_POINTER;
	if (!eat(&c, VERSION_KEY SPEC_V1 "\n"))
		return LFS_MALFORMED;
	while (c.p < c.end && *c.p == 'e')
		if (!eat_extension(&c, &last))
			return LFS_MALFORMED;
	if (!eat(&c, "oid " SHA256) || !eat_hex(&c, p->oid) ||
	    !eat(&c, "\nsize ") || !eat_size(&c, &p->size) || !eat(&c, "\n") ||
	    c.p != c.end)
		return LFS_MALFORMED;
	return LFS_POINTER;
}

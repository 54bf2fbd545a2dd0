/*
 * Fuzzes the path globs (src/util/glob.c). Input: PATTERN NUL PATH. The
 * oracle: an invalid pattern matches nothing; on one segment (no '/' on
 * either side) a naive reference of glob.h's syntax, byte classes
 * included (git's wildmatch rules at the edges), agrees on validity and
 * on every match; where fnmatch(3) means the same (no class) it agrees too.
 */
#include "fuzz.h"
#include "util/glob.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Longest pattern and path the reference compares (its table is n * m). */
#define REF_MAX 256

/* One pattern token: '*' (star), or the set of bytes it matches. */
struct ref_tok {
	int star;
	unsigned char set[256];
};

static int ref_posix(const char *name, size_t n, unsigned char set[256])
{
	static const char *const names[] = {
		"alpha", "alnum", "digit", "upper", "lower", "xdigit",
		"space", "blank", "cntrl", "graph", "print", "punct"};
	size_t k;
	int c;

	for (k = 0; k < 12; k++)
		if (strlen(names[k]) == n && !memcmp(name, names[k], n))
			break;
	if (k == 12)
		return -1;
	for (c = 0; c < 128; c++) {
		int al = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		int di = c >= '0' && c <= '9';
		int gr = c > ' ' && c < 127;
		int in[12] = {al,
			      al || di,
			      di,
			      c >= 'A' && c <= 'Z',
			      c >= 'a' && c <= 'z',
			      di || (c >= 'a' && c <= 'f') ||
				      (c >= 'A' && c <= 'F'),
			      c == ' ' || (c >= 9 && c <= 13),
			      c == ' ' || c == '\t',
			      c < 32 || c == 127,
			      gr,
			      gr || c == ' ',
			      gr && !al && !di};

		if (in[k])
			set[c] = 1;
	}
	return 0;
}

/*
 * Reads the class at p ('['), git's way: a first ']' is literal, "x-y"
 * a range unless '-' comes first, after a range or class, or before the
 * closing ']', "\c" the byte c. The byte after the class, or NULL.
 */
static const char *ref_class(const char *p, struct ref_tok *t)
{
	const char *q = p + 1;
	int neg, prev = -1, c, i;

	neg = *q == '!' || *q == '^';
	q += neg;
	c = (unsigned char)*q;
	do {
		int next_prev;

		if (!c)
			return NULL;
		if (c == '\\') {
			c = (unsigned char)*++q;
			if (!c)
				return NULL;
			t->set[c] = 1;
			next_prev = c;
		} else if (c == '-' && prev >= 0 && q[1] && q[1] != ']') {
			c = (unsigned char)*++q;
			if (c == '\\' && !(c = (unsigned char)*++q))
				return NULL;
			for (i = prev; i <= c; i++)
				t->set[i] = 1;
			next_prev = -1;
		} else if (c == '[' && q[1] == ':') {
			const char *s = q + 2, *r = strchr(s, ']');

			if (!r)
				return NULL;
			if (r - s < 1 || r[-1] != ':') {
				t->set['['] = 1; /* no ":]": a plain '[' */
				next_prev = '[';
			} else {
				if (ref_posix(s, (size_t)(r - s - 1), t->set))
					return NULL;
				q = r;
				next_prev = -1;
			}
		} else {
			t->set[c] = 1;
			next_prev = c;
		}
		prev = next_prev;
		c = (unsigned char)*++q;
	} while (c != ']');
	if (neg)
		for (i = 0; i < 256; i++)
			t->set[i] = !t->set[i];
	t->set['/'] = 0;
	return q + 1;
}

/* Splits pattern into tokens: their count, or -1 when it is invalid. */
static int ref_tokens(const char *p, struct ref_tok *toks)
{
	int n = 0;

	if (*p == '!')
		return -1;
	while (*p) {
		struct ref_tok *t = &toks[n++];

		memset(t, 0, sizeof(*t));
		if (*p == '*') {
			t->star = 1;
			p++;
		} else if (*p == '?') {
			memset(t->set, 1, sizeof(t->set));
			t->set['/'] = 0;
			p++;
		} else if (*p == '\\') {
			if (!p[1])
				return -1;
			t->set[(unsigned char)p[1]] = 1;
			p += 2;
		} else if (*p == '[') {
			if (!(p = ref_class(p, t)))
				return -1;
		} else {
			t->set[(unsigned char)*p++] = 1;
		}
	}
	return n;
}

/* The reference: 1 match, 0 no match, -1 invalid pattern. */
static int ref_match(const char *pattern, const char *path)
{
	static struct ref_tok toks[REF_MAX];
	static unsigned char ok[REF_MAX + 1][REF_MAX + 1];
	size_t m = strlen(path), i, j;
	int n = ref_tokens(pattern, toks);

	if (n <= 0)
		return -1;
	/* ok[i][j]: tokens i.. match path bytes j.. */
	for (i = (size_t)n + 1; i-- > 0;)
		for (j = m + 1; j-- > 0;) {
			if (i == (size_t)n)
				ok[i][j] = j == m;
			else if (toks[i].star)
				ok[i][j] = ok[i + 1][j] ||
					   (j < m && path[j] != '/' &&
					    ok[i][j + 1]);
			else
				ok[i][j] =
					j < m &&
					toks[i].set[(unsigned char)path[j]] &&
					ok[i + 1][j + 1];
		}
	return ok[0][0];
}

static int one_segment(const char *pattern, const char *path)
{
	return *path && !strchr(pattern, '/') && !strchr(path, '/') &&
	       strlen(pattern) < REF_MAX && strlen(path) < REF_MAX;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	char *pattern, *path;
	int match, valid, ref;

	pattern = strndup((const char *)data, plen);
	path = nul ? strndup((const char *)nul + 1, size - plen - 1)
		   : strdup("a");
	if (!pattern || !path)
		abort();
	match = glob_match(pattern, path);
	valid = glob_check(pattern, NULL) == 0;
	FUZZ_CHECK(match == 0 || match == 1);
	if (!valid)
		FUZZ_CHECK(match == 0);
	if (one_segment(pattern, path)) {
		ref = ref_match(pattern, path);
		if (ref < 0)
			FUZZ_CHECK(!valid);
		else if (valid)
			FUZZ_CHECK(match == ref);
		if (valid && !strchr(pattern, '['))
			FUZZ_CHECK(match ==
				   (fnmatch(pattern, path, FNM_PATHNAME) == 0));
	}
	free(pattern);
	free(path);
	return 0;
}

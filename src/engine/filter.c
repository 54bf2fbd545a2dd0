/*
 * Filters that tell a real secret from a placeholder: Shannon entropy,
 * bodies of one repeated character, and whole-word stopwords.
 */
#include "util/common.h"
#include "engine/engine.h"

#include <math.h>
#include <strings.h>

double shannon_entropy(const char *p, size_t n)
{
	size_t count[256] = {0};
	double h = 0.0;
	size_t i;

	if (!n)
		return 0.0;
	for (i = 0; i < n; i++)
		count[(unsigned char)p[i]]++;
	for (i = 0; i < 256; i++) {
		double q;

		if (!count[i])
			continue;
		q = (double)count[i] / (double)n;
		h -= q * log2(q);
	}
	return h;
}

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

int is_repeated_char(const char *p, size_t n)
{
	int first = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!is_alnum(c))
			continue;
		if (first < 0)
			first = c;
		else if (c != first)
			return 0;
	}
	return 1;
}

static int is_word_sep(char c)
{
	return c == '_' || c == '-' || c == '.';
}

int has_stopword(const char *p, size_t n, char *const *words, size_t nwords)
{
	size_t start = 0;

	while (start < n) {
		size_t end = start, i;

		while (end < n && !is_word_sep(p[end]))
			end++;
		for (i = 0; i < nwords; i++) {
			size_t wl = strlen(words[i]);

			if (wl == end - start &&
			    !strncasecmp(p + start, words[i], wl))
				return 1;
		}
		start = end + 1;
	}
	return 0;
}

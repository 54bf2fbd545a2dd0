/*
 * Small string helpers: optional copies, replacement, string vectors and
 * line numbers, written once for every layer.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/str.h"

int str_dup(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst ? error_nomem() : 0;
}

int str_set(char **dst, const char *src)
{
	free(*dst);
	return str_dup(dst, src);
}

void strv_free(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

size_t str_line_of(const char *text, size_t len, const char *p)
{
	size_t line = 1;

	if (!p || p < text || p > text + len)
		return 1;
	for (; text < p; text++)
		line += *text == '\n';
	return line;
}

int str_has_control(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

int str_hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Longest name str_nearest_try compares (its rows live on the stack). */
#define NEAREST_MAX 64

/*
 * The edit distance of a and b with adjacent swaps (optimal string
 * alignment), over three rows; SIZE_MAX when either is too long.
 */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, v;
	size_t rows[3][NEAREST_MAX + 1], *two, *prev, *cur;

	if (la > NEAREST_MAX || lb > NEAREST_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		rows[1][j] = j;
	for (i = 1; i <= la; i++) {
		/* Row k is rows[(k + 1) % 3]. */
		two = rows[(i + 2) % 3];
		prev = rows[i % 3];
		cur = rows[(i + 1) % 3];
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && two[j - 2] + 1 < v)
				v = two[j - 2] + 1;
			cur[j] = v;
		}
	}
	return rows[(la + 1) % 3][lb];
}

void str_nearest_try(struct str_nearest *n, const char *candidate)
{
	size_t d = edit_distance(n->typed, candidate);
	size_t most = strlen(n->typed) > 5 ? 2 : 1;

	if (d <= most && (!n->best || d < n->dist)) {
		n->best = candidate;
		n->dist = d;
	}
}

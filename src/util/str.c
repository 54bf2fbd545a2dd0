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

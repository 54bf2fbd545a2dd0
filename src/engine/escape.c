/*
 * The escape sequence that ends right before a keyword hit, if any: JSON
 * and C backslash escapes, URL percent escapes and HTML character
 * references, decoded to the character they stand for, so the rule's own
 * left boundary can judge that character instead of the escape's last byte.
 */
#include "util/common.h"
#include "util/str.h"
#include "engine/internal.h"

_Static_assert(ESCAPE_REACH <= ENGINE_CONTEXT,
	       "the stream keeps ENGINE_CONTEXT bytes before every hit");

/* The named references that stand before tokens in practice. */
static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"quot", '"'},	{"amp", '&'},	  {"lt", '<'},	   {"gt", '>'},
	{"apos", '\''}, {"nbsp", 0xa0},	  {"equals", '='}, {"colon", ':'},
	{"sol", '/'},	{"bsol", '\\'},	  {"comma", ','},  {"period", '.'},
	{"semi", ';'},	{"quest", '?'},	  {"num", '#'},	   {"excl", '!'},
	{"lpar", '('},	{"rpar", ')'},	  {"lsqb", '['},   {"rsqb", ']'},
	{"lcub", '{'},	{"rcub", '}'},	  {"vert", '|'},   {"grave", '`'},
	{"Tab", '\t'},	{"NewLine", '\n'}};

/* The backslash escapes of one character: the letter, then its value. */
static const char simple_escapes[] = "n\nr\rt\tb\bf\fv\va\ae\033"
				     "\"\"''\\\\//??";

/* The value of n hex digits at p, or -1 (also past U+10FFFF). */
static long hex_run(const char *p, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = str_hex_digit((unsigned char)p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
		if (v > 0x10ffff)
			return -1; /* no character */
	}
	return v;
}

/*
 * 1 if the backslash at data[b] starts an escape: an even number of
 * backslashes stands before it. A run reaching lo, where the bytes before
 * are not known, counts as an escape: a token is reported rather than
 * missed.
 */
static int backslash_escapes(const char *data, size_t lo, size_t b)
{
	size_t i = b;

	while (i > lo && data[i - 1] == '\\')
		i--;
	return (i == lo && lo > 0) || (b - i) % 2 == 0;
}

/*
 * The backslash escape ending at data[p]: "\\UXXXXXXXX", "\\uXXXX", "\\xXX",
 * "\\NNN" (octal) or one of simple_escapes. Its value, or -1.
 */
static long backslash_before(const char *data, size_t lo, size_t p)
{
	const char *q;
	long v;

	if (p - lo >= 10 && data[p - 10] == '\\' && data[p - 9] == 'U' &&
	    (v = hex_run(data + p - 8, 8)) >= 0 &&
	    backslash_escapes(data, lo, p - 10))
		return v;
	if (p - lo >= 6 && data[p - 6] == '\\' && data[p - 5] == 'u' &&
	    (v = hex_run(data + p - 4, 4)) >= 0 &&
	    backslash_escapes(data, lo, p - 6))
		return v;
	if (p - lo >= 4 && data[p - 4] == '\\' && data[p - 3] == 'x' &&
	    (v = hex_run(data + p - 2, 2)) >= 0 &&
	    backslash_escapes(data, lo, p - 4))
		return v;
	if (p - lo >= 4 && data[p - 4] == '\\' && data[p - 3] >= '0' &&
	    data[p - 3] <= '3' && data[p - 2] >= '0' && data[p - 2] <= '7' &&
	    data[p - 1] >= '0' && data[p - 1] <= '7' &&
	    backslash_escapes(data, lo, p - 4))
		return (data[p - 3] - '0') * 64 + (data[p - 2] - '0') * 8 +
		       (data[p - 1] - '0');
	if (p - lo < 2 || data[p - 2] != '\\' ||
	    !backslash_escapes(data, lo, p - 2))
		return -1;
	if (data[p - 1] == '0')
		return 0;
	for (q = simple_escapes; *q; q += 2)
		if (*q == data[p - 1])
			return (unsigned char)q[1];
	return -1;
}

/* The HTML character reference "&...;" ending at data[p]: its value, or -1. */
static long reference_before(const char *data, size_t lo, size_t p)
{
	size_t amp = p - 1, n, i;
	long v = 0;

	if (p - lo < 3 || data[p - 1] != ';')
		return -1;
	while (amp > lo && data[amp - 1] != '&' && p - amp < 10)
		amp--;
	if (amp == lo || data[amp - 1] != '&')
		return -1;
	n = p - 1 - amp; /* bytes between '&' and ';' */
	if (n >= 3 && data[amp] == '#' && (data[amp + 1] | 0x20) == 'x')
		return n <= 8 ? hex_run(data + amp + 2, n - 2) : -1;
	if (n >= 2 && data[amp] == '#') {
		for (i = amp + 1; i < p - 1; i++) {
			if (data[i] < '0' || data[i] > '9')
				return -1;
			v = v * 10 + (data[i] - '0');
		}
		return v;
	}
	for (i = 0; i < ARRAY_SIZE(entities); i++)
		if (strlen(entities[i].name) == n &&
		    !memcmp(data + amp, entities[i].name, n))
			return entities[i].cp;
	return -1;
}

/* The UTF-8 form of code point cp (surrogates too) into out: its length. */
static size_t put_utf8(char out[4], uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t escape_before(const char *data, size_t p, char out[4])
{
	size_t lo = p > ESCAPE_REACH ? p - ESCAPE_REACH : 0;
	long v = -1;

	v = backslash_before(data, lo, p);
	if (v < 0 && p - lo >= 3 && data[p - 3] == '%')
		v = hex_run(data + p - 2, 2);
	if (v < 0)
		v = reference_before(data, lo, p);
	if (v < 0 || v > 0x10ffff)
		return 0;
	return put_utf8(out, (uint32_t)v);
}

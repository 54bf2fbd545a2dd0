/*
 * Small string helpers shared by every layer: copying an optional string,
 * replacing one, freeing a string vector, the line of a position, the
 * value of a hex digit, and the nearest of a set of names.
 *
 * Ownership: strings made here are the caller's (free them).
 */
#ifndef NFG_UTIL_STR_H
#define NFG_UTIL_STR_H

#include <stddef.h>

/* *dst = a copy of src (NULL stays NULL). 0 or NFG_ENOMEM (*dst NULL). */
int str_dup(char **dst, const char *src);

/* Frees *dst, then str_dup(dst, src). */
int str_set(char **dst, const char *src);

/* Frees the n strings of v, then v. Accepts NULL. */
void strv_free(char **v, size_t n);

/*
 * The 1-based line of position p in text (p from text to text + len; 1
 * for a p outside that range).
 */
size_t str_line_of(const char *text, size_t len, const char *p);

/* 1 when s[0..len) holds a C0 control byte or DEL, else 0. */
int str_has_control(const char *s, size_t len);

/* The value of hex digit c (either case), or -1 when c is not one. */
int str_hex_digit(unsigned char c);

/*
 * The nearest name to a mistyped one ("did you mean"): start with
 * {typed, NULL, 0}, offer every candidate to str_nearest_try, then best
 * is the closest candidate within a small edit distance (letters added,
 * dropped, changed or swapped: at most 1 for names up to 5 bytes, 2
 * above), or NULL. Names longer than 64 bytes are never near.
 */
struct str_nearest {
	const char *typed;
	const char *best; /* borrowed from the candidates */
	size_t dist;
};
void str_nearest_try(struct str_nearest *n, const char *candidate);

#endif

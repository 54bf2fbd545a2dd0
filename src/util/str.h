/*
 * Small string helpers shared by every layer: copying an optional string,
 * replacing one, freeing a string vector, the line of a position, and
 * the value of a hex digit.
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

#endif

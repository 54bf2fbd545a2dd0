/*
 * Growing plain C arrays: one checked helper instead of a realloc dance in
 * every module. The array stays the caller's; only its storage grows.
 */
#ifndef NFG_UTIL_ARRAY_H
#define NFG_UTIL_ARRAY_H

#include <stddef.h>

/*
 * Makes *ptr (an array of elements of size elem, with room for *cap of
 * them) hold at least need elements, doubling. The size is checked for
 * overflow. 0, or NFG_ENOMEM / NFG_ELIMIT with *ptr and *cap unchanged.
 */
int array_reserve(void *ptr, size_t *cap, size_t need, size_t elem);

/* array_reserve for one more element than n. */
#define ARRAY_GROW(v, n, cap) array_reserve(&(v), &(cap), (n) + 1, sizeof(*(v)))

#endif

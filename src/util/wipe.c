/*
 * Blocks with a size header, zeroed with explicit_bzero before they are
 * freed (see wipe.h).
 */
#include "util/common.h"
#include "util/wipe.h"

#include <stdalign.h>

/* The header keeps the block after it aligned for any type. */
#define WIPE_HEAD alignof(max_align_t)

void *wipe_alloc(size_t nmemb, size_t size)
{
	unsigned char *p;
	size_t n;

	if (__builtin_mul_overflow(nmemb, size, &n) ||
	    __builtin_add_overflow(n, WIPE_HEAD, &n))
		return NULL;
	if (!(p = malloc(n)))
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + WIPE_HEAD;
}

void wipe_free(void *p)
{
	unsigned char *head;
	size_t n;

	if (!p)
		return;
	head = (unsigned char *)p - WIPE_HEAD;
	memcpy(&n, head, sizeof(n));
	explicit_bzero(head, n);
	free(head);
}

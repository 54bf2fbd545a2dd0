/*
 * Memory that is wiped when freed, for libraries that allocate through
 * callbacks and free without a size (zlib's zalloc/zfree, liblzma's
 * allocator): each block carries its size in a header in front of it, so
 * the decoded bytes a decompressor's window held do not outlive it.
 */
#ifndef NFG_UTIL_WIPE_H
#define NFG_UTIL_WIPE_H

#include <stddef.h>

/*
 * A block of nmemb * size bytes, aligned for any type, or NULL (out of
 * memory, or a size that overflows). Free it with wipe_free only.
 */
void *wipe_alloc(size_t nmemb, size_t size);

/* Zeroes p's whole block, then frees it. Accepts NULL. */
void wipe_free(void *p);

#endif

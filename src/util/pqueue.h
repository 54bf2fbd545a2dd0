/*
 * A binary-heap priority queue of 32-bit items (typically indices into
 * the caller's own array), ordered by the caller's comparison: pop gives
 * the least item first.
 *
 * Ownership: caller-owned (pqueue_init/pqueue_release); the context the
 * comparison reads is borrowed and must outlive the queue.
 */
#ifndef NFG_UTIL_PQUEUE_H
#define NFG_UTIL_PQUEUE_H

#include <stddef.h>
#include <stdint.h>

/* Nonzero when item a comes before item b. */
typedef int (*pqueue_less_fn)(const void *ctx, uint32_t a, uint32_t b);

struct pqueue {
	uint32_t *v;
	size_t n, cap;
	pqueue_less_fn less;
	const void *ctx;
};

/* An empty queue ordered by less(ctx, a, b). Allocates nothing. */
void pqueue_init(struct pqueue *q, pqueue_less_fn less, const void *ctx);
/* Frees the storage; the queue is empty and usable again. */
void pqueue_release(struct pqueue *q);

/* Makes room for n items in all, so pushes up to n cannot fail. */
int pqueue_reserve(struct pqueue *q, size_t n);

/* Adds x. 0, or NFG_ENOMEM / NFG_ELIMIT with the queue unchanged. */
int pqueue_push(struct pqueue *q, uint32_t x);

/* Removes and returns the least item; the queue must not be empty. */
uint32_t pqueue_pop(struct pqueue *q);

#endif

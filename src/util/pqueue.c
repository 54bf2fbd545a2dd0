/*
 * The priority queue: an implicit binary heap in one growing array,
 * sifted up on push and down on pop.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/pqueue.h"

void pqueue_init(struct pqueue *q, pqueue_less_fn less, const void *ctx)
{
	q->v = NULL;
	q->n = q->cap = 0;
	q->less = less;
	q->ctx = ctx;
}

void pqueue_release(struct pqueue *q)
{
	free(q->v);
	q->v = NULL;
	q->n = q->cap = 0;
}

int pqueue_reserve(struct pqueue *q, size_t n)
{
	return array_reserve(&q->v, &q->cap, n, sizeof(*q->v));
}

int pqueue_push(struct pqueue *q, uint32_t x)
{
	size_t i;
	int err = ARRAY_GROW(q->v, q->n, q->cap);

	if (err)
		return err;
	i = q->n++;
	while (i && q->less(q->ctx, x, q->v[(i - 1) / 2])) {
		q->v[i] = q->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	q->v[i] = x;
	return 0;
}

uint32_t pqueue_pop(struct pqueue *q)
{
	uint32_t top = q->v[0], x = q->v[--q->n];
	size_t i = 0;

	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= q->n)
			break;
		if (l + 1 < q->n && q->less(q->ctx, q->v[l + 1], q->v[l]))
			m = l + 1;
		if (!q->less(q->ctx, q->v[m], x))
			break;
		q->v[i] = q->v[m];
		i = m;
	}
	if (q->n)
		q->v[i] = x;
	return top;
}

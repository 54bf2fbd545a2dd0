/*
 * Token groups: the finding indexes sorted by digest, rule and position,
 * then cut wherever the (digest, rule) pair changes.
 */
#include "util/common.h"
#include "util/error.h"
#include "finding/group.h"

static int cmp_index(const void *a, const void *b, void *ctx)
{
	const struct findings *l = ctx;
	const struct finding *x = &l->v[*(const size_t *)a],
			     *y = &l->v[*(const size_t *)b];
	int c = memcmp(x->digest, y->digest, sizeof(x->digest));

	if (c)
		return c;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void token_groups_release(struct token_groups *t)
{
	if (!t)
		return;
	free(t->order);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

int token_groups_build(struct token_groups *t, const struct findings *l)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	if (!l->n)
		return 0;
	t->order = calloc(l->n, sizeof(*t->order));
	t->v = calloc(l->n, sizeof(*t->v));
	if (!t->order || !t->v) {
		token_groups_release(t);
		return error_nomem();
	}
	for (i = 0; i < l->n; i++)
		t->order[i] = i;
	qsort_r(t->order, l->n, sizeof(*t->order), cmp_index, (void *)l);
	for (i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[t->order[i]];
		const struct finding *g =
			t->n ? &l->v[token_groups_at(t, t->n - 1, 0)] : NULL;

		/* l->n > 0: l->v is set, so f is (the analyzer doubts it) */
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
		if (g && g->rule == f->rule &&
		    !memcmp(g->digest, f->digest, sizeof(f->digest))) {
			t->v[t->n - 1].n++;
			continue;
		}
		t->v[t->n].first = i;
		t->v[t->n].n = 1;
		t->n++;
	}
	return 0;
}

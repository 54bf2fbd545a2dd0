/*
 * Incidents of a sweep: each token found in more than one repository is
 * one incident, with every repository holding it (in the sweep's order)
 * and the finding where it first appeared (the oldest commit date).
 * Built from the findings alone, so any report of them agrees.
 */
#include "util/common.h"
#include "util/error.h"
#include "report/writers.h"

size_t report_repo_index(const struct scan_info *scan, const char *name)
{
	size_t i;

	for (i = 0; name && i < scan->nrepositories; i++)
		if (!strcmp(scan->repositories[i].repository, name))
			return i;
	return SIZE_MAX;
}

struct keyed {
	const struct finding *f;
	size_t repo;
};

/* A date missing sorts last; dates are ISO 8601 UTC, so bytes order. */
static int cmp_date(const char *a, const char *b)
{
	if (!a || !b)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = memcmp(a->f->digest, b->f->digest, sizeof(a->f->digest));

	if (c)
		return c;
	if (a->repo != b->repo)
		return a->repo < b->repo ? -1 : 1;
	if ((c = cmp_date(a->f->date, b->f->date)))
		return c;
	return cmp_date(a->f->commit, b->f->commit);
}

/* Fills one incident from v[0..n), one token's findings, >= 2 repos. */
static void fill(struct incident *in, const struct keyed *v, size_t n,
		 const struct scan_info *scan)
{
	size_t i;

	in->first = v[0].f;
	in->nrepos = 0;
	for (i = 0; i < n; i++) {
		if (i == 0 || v[i].repo != v[i - 1].repo)
			in->repos[in->nrepos++] =
				scan->repositories[v[i].repo].repository;
		if (cmp_date(v[i].f->date, in->first->date) < 0)
			in->first = v[i].f;
	}
}

int incidents_build(struct incidents *out, const struct scan_info *scan,
		    const struct findings *l)
{
	struct keyed *v = NULL;
	size_t i, j, k, n = 0, nrepos, used = 0;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!scan->has_repositories || !l->n)
		return 0;
	if (!(v = calloc(l->n, sizeof(*v))))
		return error_nomem();
	for (i = 0; i < l->n; i++) {
		v[n].f = &l->v[i];
		v[n].repo = report_repo_index(scan, l->v[i].repository);
		n += v[n].repo != SIZE_MAX;
	}
	qsort(v, n, sizeof(*v), cmp_keyed);
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	out->repos = calloc(n ? n : 1, sizeof(*out->repos));
	if (!out->v || !out->repos) {
		err = error_nomem();
		goto done;
	}
	for (i = 0; i < n; i = j) {
		nrepos = 1;
		for (j = i + 1; j < n && !memcmp(v[j].f->digest, v[i].f->digest,
						 sizeof(v[i].f->digest));
		     j++)
			nrepos += v[j].repo != v[j - 1].repo;
		if (nrepos < 2)
			continue;
		k = out->n++;
		out->v[k].repos = out->repos + used;
		fill(&out->v[k], v + i, j - i, scan);
		used += nrepos;
	}
done:
	free(v);
	if (err)
		incidents_release(out);
	return err;
}

void incidents_release(struct incidents *in)
{
	if (!in)
		return;
	free(in->v);
	free(in->repos);
	memset(in, 0, sizeof(*in));
}

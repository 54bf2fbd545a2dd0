/*
 * The commit graph: commits join it by id from the starting points, are
 * loaded breadth first (parents, tree, time; shallow cuts honoured; each
 * message scanned as it loads), then sorted parents first, oldest first
 * among those ready.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/pqueue.h"
#include "source/git/internal.h"

int gs_add_commit(struct gitscan *gs, const git_oid *id, int reachable,
		  uint32_t *index)
{
	uint32_t *slot;
	int existed, err;

	if ((err = idmap_put(&gs->commit_ids, id->id, gs->ncommits, &existed,
			     &slot)))
		return err;
	if (index)
		*index = *slot;
	if (existed)
		return 0;
	if ((err = ARRAY_GROW(gs->commits, gs->ncommits, gs->capcommits)))
		return err;
	memset(&gs->commits[gs->ncommits], 0, sizeof(gs->commits[0]));
	git_oid_cpy(&gs->commits[gs->ncommits].oid, id);
	gs->commits[gs->ncommits].reachable = reachable;
	gs->ncommits++;
	return 0;
}

static int push_parent(struct gitscan *gs, uint32_t idx)
{
	int err = ARRAY_GROW(gs->parents, gs->nparents, gs->capparents);

	if (err)
		return err;
	gs->parents[gs->nparents++] = idx;
	return 0;
}

int gs_load_commits(struct gitscan *gs, uint32_t from, int closed)
{
	uint32_t i;
	int err;

	for (i = from; i < gs->ncommits; i++) {
		struct gcommit *gc = &gs->commits[i];
		git_commit *c;
		unsigned p, np;
		int reachable = gc->reachable;
		git_oid id = gc->oid;

		if (gc->loaded)
			continue;
		gc->loaded = 1;
		if (git_commit_lookup(&c, gs->repo, &id)) {
			gs_object_error(gs, "commit", &id);
			continue;
		}
		git_oid_cpy(&gs->commits[i].tree, git_commit_tree_id(c));
		gs->commits[i].time = git_commit_time(c);
		gs->commits[i].parent0 = gs->nparents;
		np = idmap_get(&gs->shallow, id.id) ? 0
						    : git_commit_parentcount(c);
		for (p = 0; p < np; p++) {
			const git_oid *pid = git_commit_parent_id(c, p);
			uint32_t pi;

			if (closed && !idmap_get(&gs->commit_ids, pid->id))
				continue;
			/* A bundle's prerequisite: cut, as by a shallow clone.
			 */
			if (idmap_get(&gs->prereqs, pid->id))
				continue;
			if ((err = gs_add_commit(gs, pid, reachable, &pi)) ||
			    (err = push_parent(gs, pi))) {
				git_commit_free(c);
				return err;
			}
			gs->commits[i].nparents++;
		}
		err = gs_scan_commit_object(gs, c, reachable);
		git_commit_free(c);
		if (err)
			return err;
	}
	return 0;
}

int gs_read_shallow(struct gitscan *gs)
{
	struct buf path;
	FILE *f;
	char line[128];
	size_t lineno = 0;
	int err = 0;

	gs->gt->shallow = git_repository_is_shallow(gs->repo) == 1;
	if (!gs->gt->shallow)
		return 0;
	buf_init(&path, 8192);
	if ((err = buf_printf(&path, "%sshallow",
			      git_repository_commondir(gs->repo))))
		goto done;
	/*
	 * Without its cuts, every cut commit's parents read as missing: a
	 * shallow file that cannot be read whole is an error of its own.
	 */
	if (!(f = fopen(path.ptr, "r"))) {
		if (errno != ENOENT)
			gs_problem(gs, PROBLEM_ERROR, "cannot read '%s': %s",
				   path.ptr, strerror(errno));
		goto done;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		git_oid id;

		lineno++;
		if (strlen(line) != GIT_OID_HEXSZ + 1 ||
		    line[GIT_OID_HEXSZ] != '\n' ||
		    git_oid_fromstrn(&id, line, GIT_OID_HEXSZ)) {
			gs_problem(gs, PROBLEM_ERROR,
				   "'%s' line %zu is not an object id",
				   path.ptr, lineno);
			/* The rest of a line too long for the buffer. */
			while (!strchr(line, '\n') &&
			       fgets(line, sizeof(line), f))
				;
			continue;
		}
		err = idmap_put(&gs->shallow, id.id, 0, NULL, NULL);
	}
	if (!err && ferror(f))
		gs_problem(gs, PROBLEM_ERROR, "cannot read '%s': %s", path.ptr,
			   strerror(errno));
	fclose(f);
done:
	buf_release(&path);
	return err;
}

/* The topological sort's order among ready commits: oldest first. */
static int older(const void *ctx, uint32_t a, uint32_t b)
{
	const struct gcommit *c = ctx;

	if (c[a].time != c[b].time)
		return c[a].time < c[b].time;
	return git_oid_cmp(&c[a].oid, &c[b].oid) < 0;
}

int gs_topo_sort(struct gitscan *gs)
{
	uint32_t n = gs->ncommits, i, k, *pending = NULL, *child0 = NULL;
	uint32_t *children = NULL, *order = NULL, *newidx = NULL;
	struct gcommit *sorted = NULL;
	uint32_t *newparents = NULL;
	struct pqueue ready;
	int err = 0;

	if (!n)
		return 0;
	pqueue_init(&ready, older, gs->commits);
	pending = calloc(n, sizeof(*pending));
	child0 = calloc((size_t)n + 1, sizeof(*child0));
	children = calloc(gs->nparents ? gs->nparents : 1, sizeof(*children));
	order = calloc(n, sizeof(*order));
	newidx = calloc(n, sizeof(*newidx));
	sorted = calloc(n, sizeof(*sorted));
	newparents =
		calloc(gs->nparents ? gs->nparents : 1, sizeof(*newparents));
	if (!pending || !child0 || !children || !order || !newidx || !sorted ||
	    !newparents || pqueue_reserve(&ready, n)) {
		err = error_nomem();
		goto done;
	}
	/* children lists in CSR form; order[] counts fills until reused */
	for (i = 0; i < n; i++)
		for (k = 0; k < gs->commits[i].nparents; k++)
			child0[gs->parents[gs->commits[i].parent0 + k] + 1]++;
	for (i = 0; i < n; i++)
		child0[i + 1] += child0[i];
	for (i = 0; i < n; i++) {
		pending[i] = gs->commits[i].nparents;
		for (k = 0; k < gs->commits[i].nparents; k++) {
			uint32_t p = gs->parents[gs->commits[i].parent0 + k];

			children[child0[p] + order[p]++] = i;
		}
	}
	/* Pushes cannot fail: room for all n commits is reserved. */
	for (i = 0; i < n; i++)
		if (!pending[i])
			(void)pqueue_push(&ready, i);
	for (k = 0; ready.n; k++) {
		uint32_t c = pqueue_pop(&ready), j;

		order[k] = c;
		newidx[c] = k;
		for (j = child0[c]; j < child0[c + 1]; j++)
			if (!--pending[children[j]])
				(void)pqueue_push(&ready, children[j]);
	}
	/* Parent cycles cannot happen in git; guard anyway. */
	if (k != n) {
		err = error_set(NFG_EINVAL, "the commit graph has a cycle");
		goto done;
	}
	{
		uint32_t np = 0;

		for (k = 0; k < n; k++) {
			const struct gcommit *c = &gs->commits[order[k]];

			sorted[k] = *c;
			sorted[k].parent0 = np;
			for (i = 0; i < c->nparents; i++)
				newparents[np++] =
					newidx[gs->parents[c->parent0 + i]];
			*idmap_get(&gs->commit_ids, c->oid.id) = k;
		}
	}
	free(gs->commits);
	gs->commits = sorted;
	gs->capcommits = n;
	sorted = NULL;
	free(gs->parents);
	gs->parents = newparents;
	gs->capparents = gs->nparents ? gs->nparents : 1;
	newparents = NULL;
done:
	free(pending);
	free(child0);
	free(children);
	free(order);
	free(newidx);
	pqueue_release(&ready);
	free(sorted);
	free(newparents);
	return err;
}

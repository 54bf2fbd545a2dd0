/*
 * The commits a --state run scans: what the refs reach that the last
 * scan's tips do not. A search from the new tips that stops at those tips
 * costs what changed; when a path passes them by (to a root, or beyond a
 * budget), libgit2's walk that hides them answers: slower, as whole.
 * The search may take more, never less: a branch from an old commit that
 * no ref names leads it down to the tags below, and it scans those
 * commits again (bounded by the budget; their tokens were reported).
 */
#include "util/common.h"
#include "util/array.h"
#include "util/error.h"
#include "source/git/internal.h"

/*
 * The commits the search reads before it gives up. A night's pushes
 * bring tens or hundreds; a path this long that meets no recorded tip is
 * a branch from old history, headed for a root, and only the hide walk
 * can tell what of it is new. The search then wasted at most this many
 * commit reads: about what the hide walk itself reads when a new commit
 * is dated a year before the old tips of a history like curl's (3597
 * commits from August 2025 to August 2026).
 */
#define SINCE_SEARCH_BUDGET 4096

/* The search's state: what it met, in order. */
struct search {
	struct idmap seen;
	git_oid *queue;
	size_t n, cap;
};

/*
 * Queues id unless it is a recorded tip (its whole history was scanned:
 * the path ends there) or was met already. 0 or NFG_ENOMEM.
 */
static int meet(const struct gitscan *gs, struct search *s, const git_oid *id)
{
	int existed, err;

	if (idmap_get(&gs->recorded, id->id))
		return 0;
	if ((err = idmap_put(&s->seen, id->id, 0, &existed, NULL)) || existed)
		return err;
	if ((err = ARRAY_GROW(s->queue, s->n, s->cap)))
		return err;
	s->queue[s->n++] = *id;
	return 0;
}

/*
 * Breadth first from the starting points (gt->tips) to the recorded
 * tips. 1 when every path ended at one (s->queue then holds exactly the
 * new commits), 0 when one went past them (a root, a commit that cannot
 * be read or whose parents a shallow clone cut, the budget), or
 * NFG_ENOMEM.
 */
static int search(struct gitscan *gs, struct search *s)
{
	const struct gitscan_totals *gt = gs->gt;
	size_t i, head;
	unsigned p, np;
	git_oid id;
	int err;

	for (i = 0; i < gt->ntips; i++) {
		git_oid_fromraw(&id, gt->tips + i * GIT_OID_RAWSZ);
		if ((err = meet(gs, s, &id)))
			return err;
	}
	for (head = 0; head < s->n; head++) {
		git_commit *c;

		if (head == SINCE_SEARCH_BUDGET ||
		    idmap_get(&gs->shallow, s->queue[head].id) ||
		    git_commit_lookup(&c, gs->repo, &s->queue[head]))
			return 0;
		np = git_commit_parentcount(c);
		for (p = 0, err = 0; !err && p < np; p++)
			err = meet(gs, s, git_commit_parent_id(c, p));
		git_commit_free(c);
		if (err)
			return err;
		if (!np)
			return 0;
	}
	return 1;
}

/*
 * libgit2's walk from the starting points that hides the recorded tips:
 * whole whatever the dates, but it reads the hidden history down to the
 * date of the oldest new commit.
 */
static int hide_walk(struct gitscan *gs)
{
	const struct gitscan_opts *o = gs->opts;
	const struct gitscan_totals *gt = gs->gt;
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i;
	int err = 0, rc;

	if (git_revwalk_new(&walk, gs->repo))
		return error_set(NFG_EIO, "cannot start a history walk: %s",
				 gs_git_error());
	for (i = 0; i < gt->ntips; i++) {
		git_oid_fromraw(&id, gt->tips + i * GIT_OID_RAWSZ);
		if (git_revwalk_push(walk, &id))
			gs_object_error(gs, "commit", &id);
	}
	for (i = 0; i < o->nexclude_ids; i++) {
		git_oid_fromraw(&id, o->exclude_ids + i * GIT_OID_RAWSZ);
		if (git_revwalk_hide(walk, &id))
			gs_object_error(gs, "commit", &id);
	}
	while (!(rc = git_revwalk_next(&id, walk)))
		if ((err = gs_add_commit(gs, &id, 1, NULL)))
			goto done;
	if (rc != GIT_ITEROVER)
		gs_problem(gs, PROBLEM_ERROR,
			   "cannot walk the history since the last scan: %s",
			   gs_git_error());
done:
	git_revwalk_free(walk);
	return err;
}

int gs_add_since(struct gitscan *gs)
{
	struct search s;
	size_t i;
	int err;

	memset(&s, 0, sizeof(s));
	idmap_init(&s.seen);
	if (!(err = search(gs, &s)))
		err = hide_walk(gs);
	else if (err == 1)
		for (i = 0, err = 0; !err && i < s.n; i++)
			err = gs_add_commit(gs, &s.queue[i], 1, NULL);
	idmap_release(&s.seen);
	free(s.queue);
	return err;
}

/*
 * --unreachable: the objects of the database that no starting point
 * reaches. Dangling commits (and the history behind them) join the graph,
 * which is sorted and walked again; then dangling trees, blobs and tags.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/error.h"
#include "source/git/internal.h"

/* Objects of the database that the walk from refs did not reach. */
struct oid_list {
	git_oid *v;
	size_t n, cap;
};

struct loose_objects {
	struct gitscan *gs;
	git_odb *odb;
	struct oid_list trees, blobs, tags;
	int err;
};

static int push_oid(struct oid_list *l, const git_oid *id)
{
	int err = ARRAY_GROW(l->v, l->n, l->cap);

	if (!err)
		git_oid_cpy(&l->v[l->n++], id);
	return err;
}

static int collect_loose(const git_oid *id, void *payload)
{
	struct loose_objects *lo = payload;
	struct gitscan *gs = lo->gs;
	int type;
	size_t len;

	if (idmap_get(&gs->commit_ids, id->id) ||
	    idmap_get(&gs->blob_ids, id->id) ||
	    idmap_get(&gs->tree_ids, id->id) || idmap_get(&gs->tag_ids, id->id))
		return 0;
	/* A pack's own type (the same numbers) spares libgit2's read. */
	if ((type = gs_chain_check(gs, id)) < 0) {
		gs_object_error(gs, "object", id);
		return 0;
	}
	if (!type) {
		git_object_t t;

		if (git_odb_read_header(&len, &t, lo->odb, id)) {
			gs_object_error(gs, "object", id);
			return 0;
		}
		type = t;
	}
	switch (type) {
	case GIT_OBJECT_COMMIT:
		lo->err = gs_add_commit(gs, id, 0, NULL);
		break;
	case GIT_OBJECT_TREE:
		lo->err = push_oid(&lo->trees, id);
		break;
	case GIT_OBJECT_BLOB:
		lo->err = push_oid(&lo->blobs, id);
		break;
	case GIT_OBJECT_TAG:
		lo->err = push_oid(&lo->tags, id);
		break;
	default:
		break;
	}
	return lo->err ? -1 : 0;
}

static void release_loose(struct loose_objects *lo)
{
	git_odb_free(lo->odb);
	free(lo->trees.v);
	free(lo->blobs.v);
	free(lo->tags.v);
}

/*
 * Adds what only the object database knows (--unreachable), after the
 * reachable history is walked so that reachable copies keep their place:
 * dangling commits and the history behind them join the graph, which is
 * sorted and walked again (known trees are skipped); then dangling trees,
 * blobs and tags.
 */
static int add_unreachable(struct gitscan *gs, struct loose_objects *lo)
{
	uint32_t from = gs->ncommits;
	size_t i;
	int err;

	lo->gs = gs;
	if (git_repository_odb(&lo->odb, gs->repo))
		return error_set(NFG_EIO, "cannot open the object database: %s",
				 gs_git_error());
	if (git_odb_foreach(lo->odb, collect_loose, lo) && lo->err)
		return lo->err;
	if (gs->ncommits > from &&
	    ((err = gs_load_commits(gs, from, 0)) || (err = gs_topo_sort(gs)) ||
	     (err = gs_walk_trees(gs))))
		return err;
	for (i = 0; i < lo->trees.n; i++)
		if (!idmap_get(&gs->tree_ids, lo->trees.v[i].id) &&
		    (err = gs_walk_loose_tree(gs, &lo->trees.v[i], 0)))
			return err;
	for (i = 0; i < lo->blobs.n; i++)
		if ((err = gs_add_blob(gs, &lo->blobs.v[i], "", 0, NULL)))
			return err;
	for (i = 0; i < lo->tags.n; i++) {
		git_tag *tag;

		if (git_tag_lookup(&tag, gs->repo, &lo->tags.v[i])) {
			gs_object_error(gs, "tag", &lo->tags.v[i]);
			continue;
		}
		err = gs_scan_tag(gs, tag, 0);
		git_tag_free(tag);
		if (err)
			return err;
	}
	return 0;
}

int gs_add_unreachable(struct gitscan *gs)
{
	struct loose_objects lo;
	int err;

	memset(&lo, 0, sizeof(lo));
	err = add_unreachable(gs, &lo);
	release_loose(&lo);
	return err;
}

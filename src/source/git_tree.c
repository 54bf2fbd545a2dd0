/*
 * Tree walks of the git source. Each tree is read once per scan (a set of
 * walked tree ids), so the cost grows with unique trees, not commits. A
 * range walk compares each tree with its parents' and descends only into
 * subtrees that changed, so it touches only what the range introduced.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git_internal.h"

/* Marks a tree walked; 1 if it already was, 0 if not, <0 on error. */
static int seen_tree(struct gitscan *gs, const git_oid *id)
{
	int existed, err;

	if ((err = idmap_put(&gs->tree_ids, id->id, 0, &existed, NULL)))
		return err;
	return existed;
}

/* Appends "name" or "/name" to path; restore with path->len = mark. */
static int path_push(struct buf *path, const char *name)
{
	int err = 0;

	if (path->len)
		err = buf_putc(path, '/');
	return err ? err : buf_puts(path, name);
}

static void path_pop(struct buf *path, size_t mark)
{
	path->len = mark;
	path->ptr[mark] = '\0';
}

static int walk_tree(struct gitscan *gs, const git_oid *id, struct buf *path,
		     int reachable);

/* Records that the commit being walked brought blob bi at path (ranges). */
static int add_intro(struct gitscan *gs, uint32_t bi, const char *path)
{
	int err = ARRAY_GROW(gs->intros, gs->nintros, gs->capintros);
	char *p;

	if (err)
		return err;
	if (!(p = strdup(path)))
		return error_set(NFG_ENOMEM, "out of memory");
	gs->intros[gs->nintros].commit = gs->cur_commit;
	gs->intros[gs->nintros].blob = bi;
	gs->intros[gs->nintros].path = p;
	gs->nintros++;
	return 0;
}

/* Handles one entry of a tree that is new to the scan. */
static int walk_entry(struct gitscan *gs, unsigned mode, const char *name,
		      const git_oid *id, struct buf *path, int reachable)
{
	size_t mark = path->len;
	uint32_t bi;
	int err;

	switch (mode) {
	case GIT_FILEMODE_COMMIT:
		gs->gt->submodules++; /* a submodule: not followed */
		return 0;
	case GIT_FILEMODE_TREE:
		if ((err = path_push(path, name)))
			return err;
		err = walk_tree(gs, id, path, reachable);
		break;
	default:
		if ((err = path_push(path, name)))
			return err;
		err = gs_add_blob(gs, id, path->ptr, reachable, &bi);
		if (!err && gs->opts->range)
			err = add_intro(gs, bi, path->ptr);
		break;
	}
	path_pop(path, mark);
	return err;
}

/*
 * A tree object's bytes: from the packs with the main thread's own
 * readers when they are mapped (a whole-history scan), else via libgit2
 * (*obj is then set and owns them). NULL when it cannot be read.
 */
static const unsigned char *read_tree(struct gitscan *gs, const git_oid *id,
				      size_t *len, git_odb_object **obj,
				      unsigned char **owned)
{
	size_t k;

	*obj = NULL;
	*owned = NULL;
	for (k = 0; k < gs->npacks; k++) {
		uint64_t off = pack_index_find(&gs->packs[k].idx, id->id);

		if (off == UINT64_MAX)
			continue;
		if (!gs->tree_readers[k] &&
		    pack_reader_new(&gs->tree_readers[k], &gs->packs[k]))
			break;
		if ((*owned = pack_reader_read(gs->tree_readers[k], off, len)))
			return *owned;
		break;
	}
	if (!gs->odb && git_repository_odb(&gs->odb, gs->repo))
		return NULL;
	if (git_odb_read(obj, gs->odb, id))
		return NULL;
	*len = git_odb_object_size(*obj);
	return git_odb_object_data(*obj);
}

int gs_tree_each(struct gitscan *gs, const git_oid *id, tree_entry_fn fn,
		 void *ctx)
{
	const unsigned char *data, *p, *end;
	unsigned char *owned;
	git_odb_object *obj;
	size_t len;
	int err = 0;

	if (!(data = read_tree(gs, id, &len, &obj, &owned)))
		return NFG_ENOTFOUND;
	for (p = data, end = data + len; !err && p < end;) {
		const unsigned char *nul;
		unsigned mode = 0;
		git_oid eid;

		while (p < end && *p >= '0' && *p <= '7')
			mode = mode * 8 + (unsigned)(*p++ - '0');
		if (p >= end || *p++ != ' ' ||
		    !(nul = memchr(p, '\0', (size_t)(end - p))) ||
		    (size_t)(end - nul) < 21) {
			git_error_set_str(GIT_ERROR_OBJECT, "malformed tree");
			err = NFG_ENOTFOUND;
			break;
		}
		memcpy(eid.id, nul + 1, GIT_OID_RAWSZ);
		err = fn(ctx, mode, (const char *)p, &eid);
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	free(owned);
	git_odb_object_free(obj);
	return err;
}

struct walk_ctx {
	struct gitscan *gs;
	struct buf *path;
	int reachable;
};

static int walk_one_entry(void *ctx, unsigned mode, const char *name,
			  const git_oid *id)
{
	struct walk_ctx *w = ctx;

	return walk_entry(w->gs, mode, name, id, w->path, w->reachable);
}

static int walk_tree(struct gitscan *gs, const git_oid *id, struct buf *path,
		     int reachable)
{
	struct walk_ctx w = {gs, path, reachable};
	int err;

	if ((err = seen_tree(gs, id)))
		return err < 0 ? err : 0;
	err = gs_tree_each(gs, id, walk_one_entry, &w);
	if (err == NFG_ENOTFOUND) {
		gs_object_error(gs, "tree", id);
		err = 0;
	}
	return err;
}

#define MAX_PARENTS 64

/*
 * Walks what tree t has that none of its parents' trees had: unchanged
 * entries are skipped, changed subtrees are compared with the parents'
 * subtrees of the same name.
 */
/*
 * The entry of tree p named like e, or NULL. Entries come in git's order,
 * so a cursor per parent moves forward only: comparing a tree with its
 * parent costs one pass over both.
 */
static const git_tree_entry *match_entry(git_tree *p, size_t *pos,
					 const git_tree_entry *e)
{
	size_t n = git_tree_entrycount(p);
	const git_tree_entry *pe;
	int c = -1;

	while (*pos < n) {
		pe = git_tree_entry_byindex(p, *pos);
		if ((c = git_tree_entry_cmp(pe, e)) >= 0)
			break;
		(*pos)++;
	}
	return *pos < n && !c ? git_tree_entry_byindex(p, *pos) : NULL;
}

static int walk_new(struct gitscan *gs, git_tree *t, git_tree **parents,
		    size_t np, struct buf *path, int reachable)
{
	size_t i, j, n = git_tree_entrycount(t), pos[MAX_PARENTS] = {0};
	const git_tree_entry *pe[MAX_PARENTS];
	int err = 0;

	for (i = 0; !err && i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		git_tree *sub = NULL, *psub[MAX_PARENTS];
		size_t mark = path->len;
		int same = 0;

		for (j = 0; j < np; j++) {
			pe[j] = parents[j] ? match_entry(parents[j], &pos[j], e)
					   : NULL;
			same |= pe[j] && git_oid_equal(git_tree_entry_id(pe[j]),
						       git_tree_entry_id(e));
		}
		if (same)
			continue;
		if (git_tree_entry_filemode(e) != GIT_FILEMODE_TREE) {
			err = walk_entry(gs, git_tree_entry_filemode(e),
					 git_tree_entry_name(e),
					 git_tree_entry_id(e), path, reachable);
			continue;
		}
		if ((err = seen_tree(gs, git_tree_entry_id(e))))
			err = err < 0 ? err : 0;
		else if (git_tree_lookup(&sub, gs->repo, git_tree_entry_id(e)))
			gs_object_error(gs, "tree", git_tree_entry_id(e));
		if (err || !sub)
			continue;
		for (j = 0; j < np; j++) {
			psub[j] = NULL;
			if (pe[j] &&
			    git_tree_entry_filemode(pe[j]) == GIT_FILEMODE_TREE)
				git_tree_lookup(&psub[j], gs->repo,
						git_tree_entry_id(pe[j]));
		}
		if (!(err = path_push(path, git_tree_entry_name(e))))
			err = walk_new(gs, sub, psub, np, path, reachable);
		path_pop(path, mark);
		for (j = 0; j < np; j++)
			git_tree_free(psub[j]);
		git_tree_free(sub);
	}
	return err;
}

/*
 * What a commit introduced compared with all its parents: every blob of
 * its tree is then known, since its parents were walked before it (or are
 * outside a range, or cut by a shallow clone: compared as empty).
 */
static int walk_commit_new(struct gitscan *gs, const struct gcommit *gc,
			   struct buf *path)
{
	git_tree *tree = NULL, *parents[MAX_PARENTS];
	git_commit *c = NULL;
	size_t np = 0, i;
	int err = 0;

	if (git_commit_lookup(&c, gs->repo, &gc->oid)) {
		gs_object_error(gs, "commit", &gc->oid);
		return 0;
	}
	if (git_commit_tree(&tree, c)) {
		gs_object_error(gs, "tree", &gc->tree);
		goto done;
	}
	np = git_commit_parentcount(c);
	if (np > MAX_PARENTS)
		np = MAX_PARENTS;
	for (i = 0; i < np; i++) {
		git_commit *p = NULL;

		parents[i] = NULL;
		/* A parent we cannot read (shallow) compares as empty. */
		if (!git_commit_parent(&p, c, (unsigned)i))
			git_commit_tree(&parents[i], p);
		git_commit_free(p);
	}
	err = walk_new(gs, tree, parents, np, path, gc->reachable);
	for (i = 0; i < np; i++)
		git_tree_free(parents[i]);
done:
	git_tree_free(tree);
	git_commit_free(c);
	return err;
}

int gs_walk_trees(struct gitscan *gs)
{
	struct buf path;
	uint32_t i;
	int err = 0;

	buf_init(&path, 1 << 20);
	for (i = 0; !err && i < gs->ncommits; i++) {
		struct gcommit *gc = &gs->commits[i];

		if (!gc->loaded || gc->walked || git_oid_is_zero(&gc->tree))
			continue; /* walked, or unreadable (reported) */
		gc->walked = 1;
		buf_reset(&path);
		gs->cur_commit = i;
		/*
		 * A full scan walks whole trees, skipping trees already seen
		 * (measured: cheaper than comparing each commit with its
		 * parents); a range must compare, to take only what it
		 * brought.
		 */
		if (gs->opts->range)
			err = walk_commit_new(gs, gc, &path);
		else
			err = walk_tree(gs, &gc->tree, &path, gc->reachable);
	}
	buf_release(&path);
	return err;
}

int gs_walk_loose_tree(struct gitscan *gs, const git_oid *tree, int reachable)
{
	struct buf path;
	int err;

	buf_init(&path, 1 << 20);
	err = walk_tree(gs, tree, &path, reachable);
	buf_release(&path);
	return err;
}

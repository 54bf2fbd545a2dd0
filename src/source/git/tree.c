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
#include "source/git/internal.h"
#include "source/git/tree_entry.h"

int gs_add_blob(struct gitscan *gs, const git_oid *id, const char *path,
		int reachable, uint32_t *index)
{
	uint32_t *slot;
	int existed, err;
	struct gblob *b;

	if ((err = idmap_put(&gs->blob_ids, id->id, gs->nblobs, &existed,
			     &slot)))
		return err;
	if (index)
		*index = *slot;
	if (existed) {
		gs->blobs[*slot].reachable |= reachable;
		return 0;
	}
	if ((err = ARRAY_GROW(gs->blobs, gs->nblobs, gs->capblobs)))
		return err;
	b = &gs->blobs[gs->nblobs];
	memset(b, 0, sizeof(*b));
	git_oid_cpy(&b->oid, id);
	b->path = strdup(path);
	if (!b->path)
		return error_nomem();
	b->reachable = reachable;
	findings_init(&b->hits);
	gs->nblobs++;
	return 0;
}

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

/* Records that the commit being walked brought blob bi at path (ranges). */
static int add_intro(struct gitscan *gs, uint32_t bi, const char *path)
{
	int err = ARRAY_GROW(gs->intros, gs->nintros, gs->capintros);
	char *p;

	if (err)
		return err;
	if (!(p = strdup(path)))
		return error_nomem();
	gs->intros[gs->nintros].commit = gs->cur_commit;
	gs->intros[gs->nintros].blob = bi;
	gs->intros[gs->nintros].path = p;
	gs->nintros++;
	return 0;
}

/*
 * Handles one entry of a tree new to the scan that is not a tree: a
 * submodule is counted, anything else is a blob at path/name.
 */
static int walk_leaf(struct gitscan *gs, unsigned mode, const char *name,
		     const git_oid *id, struct buf *path, int reachable)
{
	size_t mark = path->len;
	uint32_t bi;
	int err;

	if (mode == GIT_FILEMODE_COMMIT) {
		gs->gt->submodules++; /* a submodule: not followed */
		return 0;
	}
	if ((err = path_push(path, name)))
		return err;
	err = gs_add_blob(gs, id, path->ptr, reachable, &bi);
	if (!err && gs->closed)
		err = add_intro(gs, bi, path->ptr);
	path_pop(path, mark);
	return err;
}

/*
 * A tree object's bytes: from the packs with the main thread's own
 * readers (gs_pack_read), else via libgit2 (*obj is then set and owns
 * them). 0, or gs_tree_open's codes.
 */
static int read_tree(struct gitscan *gs, const git_oid *id, size_t *len,
		     git_odb_object **obj, unsigned char **owned,
		     const unsigned char **data)
{
	int err;

	*obj = NULL;
	*data = NULL;
	/* Read another way, a corrupt object's bytes would pass unchecked,
	 * and libgit2 would follow a looping chain without end. */
	if ((err = gs_pack_read(gs, id, owned, len)) != NFG_ENOTFOUND) {
		*data = *owned;
		return err;
	}
	if ((!gs->odb && git_repository_odb(&gs->odb, gs->repo)) ||
	    git_odb_read(obj, gs->odb, id))
		return NFG_ENOTFOUND;
	*len = git_odb_object_size(*obj);
	*data = git_odb_object_data(*obj);
	return 0;
}

int gs_tree_open(struct gitscan *gs, const git_oid *id, struct tree_cursor *c)
{
	const unsigned char *data;
	size_t len;
	int err;

	memset(c, 0, sizeof(*c));
	if ((err = read_tree(gs, id, &len, &c->obj, &c->owned, &data)))
		return err;
	c->p = data;
	c->end = data + len;
	return 0;
}

int gs_tree_next(struct tree_cursor *c, unsigned *mode, const char **name,
		 git_oid *id)
{
	struct tree_entry e;
	int rc = tree_entry_next(&e, &c->p, c->end);

	if (rc < 0) {
		git_error_set_str(GIT_ERROR_OBJECT, "malformed tree");
		c->p = c->end;
		return NFG_ENOTFOUND;
	}
	if (rc) {
		*mode = e.mode;
		*name = e.name;
		memcpy(id->id, e.id, GIT_OID_RAWSZ);
	}
	return rc;
}

void gs_tree_close(struct tree_cursor *c)
{
	free(c->owned);
	git_odb_object_free(c->obj);
	memset(c, 0, sizeof(*c));
}

/* A tree being walked: its entries, and where its path starts. */
struct frame {
	struct tree_cursor cur;
	git_oid id;
	size_t mark;
};

struct frames {
	struct frame *v;
	size_t n, cap;
};

/*
 * Pushes tree id, whose path ends at path->len, unless it was walked
 * already or cannot be read (reported); then path is cut back to mark.
 */
static int push_frame(struct gitscan *gs, struct frames *st, const git_oid *id,
		      struct buf *path, size_t mark, int reachable)
{
	struct frame *f;
	int err;

	if ((err = seen_tree(gs, id)) ||
	    (err = ARRAY_GROW(st->v, st->n, st->cap))) {
		path_pop(path, mark);
		return err < 0 ? err : 0;
	}
	f = &st->v[st->n];
	memset(f, 0, sizeof(*f));
	if ((err = gs_tree_open(gs, id, &f->cur))) {
		if (err != NFG_ECORRUPT)
			gs_object_error(gs, "tree", id);
		path_pop(path, mark);
		return 0;
	}
	f->id = *id;
	f->mark = mark;
	st->n++;
	return gs_scan_tree_names(gs, f->cur.p, (size_t)(f->cur.end - f->cur.p),
				  path, reachable);
}

/*
 * Walks tree id and every tree under it not walked yet, depth first in
 * entry order, over a heap stack: no input depth reaches the C stack.
 */
static int walk_tree(struct gitscan *gs, const git_oid *id, struct buf *path,
		     int reachable)
{
	struct frames st = {NULL, 0, 0};
	int err = push_frame(gs, &st, id, path, path->len, reachable);

	while (!err && st.n) {
		struct frame *f = &st.v[st.n - 1];
		const char *name;
		unsigned mode;
		git_oid eid;
		size_t mark;
		int rc = gs_tree_next(&f->cur, &mode, &name, &eid);

		if (rc <= 0) {
			if (rc < 0)
				gs_object_error(gs, "tree", &f->id);
			path_pop(path, f->mark);
			gs_tree_close(&f->cur);
			st.n--;
		} else if (mode == GIT_FILEMODE_TREE) {
			mark = path->len;
			if (!(err = path_push(path, name)))
				err = push_frame(gs, &st, &eid, path, mark,
						 reachable);
		} else {
			err = walk_leaf(gs, mode, name, &eid, path, reachable);
		}
	}
	while (st.n)
		gs_tree_close(&st.v[--st.n].cur);
	free(st.v);
	return err;
}

#define MAX_PARENTS 64

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

/* A tree of a range walk, its parents' trees of the same path, cursors. */
struct new_frame {
	git_tree *t;
	size_t i, np, mark;
	git_tree **parents; /* np, each may be NULL; owned */
	size_t *pos;	    /* per parent: match_entry's cursor */
};

struct new_frames {
	struct new_frame *v;
	size_t n, cap;
};

static void new_frame_release(struct new_frame *f)
{
	size_t j;

	for (j = 0; j < f->np; j++)
		git_tree_free(f->parents[j]);
	git_tree_free(f->t);
	free(f->parents);
}

/* Pushes t with its np parents (all taken, even on failure). */
static int push_new(struct new_frames *st, git_tree *t, git_tree **parents,
		    size_t np, size_t mark)
{
	struct new_frame f = {t, 0, np, mark, NULL, NULL};
	int err = ARRAY_GROW(st->v, st->n, st->cap);

	if (!err && !(f.parents = calloc(np ? np : 1,
					 sizeof(*f.parents) + sizeof(*f.pos))))
		err = error_nomem();
	if (err) {
		size_t j;

		for (j = 0; j < np; j++)
			git_tree_free(parents[j]);
		git_tree_free(t);
		return err;
	}
	memcpy(f.parents, parents, np * sizeof(*parents));
	f.pos = (size_t *)(void *)(f.parents + (np ? np : 1));
	st->v[st->n++] = f;
	return 0;
}

/*
 * Handles entry e of frame f: skipped when a parent has it unchanged, a
 * leaf walked, a changed subtree pushed with the parents' subtrees of the
 * same name. A name no parent has is new: scanned.
 */
static int walk_new_entry(struct gitscan *gs, struct new_frames *st,
			  struct new_frame *f, const git_tree_entry *e,
			  struct buf *path, int reachable)
{
	const git_tree_entry *pe[MAX_PARENTS];
	git_tree *sub = NULL, *psub[MAX_PARENTS];
	size_t j, np = f->np, mark = path->len;
	int err, same = 0, named = 0;

	for (j = 0; j < np; j++) {
		pe[j] = f->parents[j]
				? match_entry(f->parents[j], &f->pos[j], e)
				: NULL;
		same |= pe[j] && git_oid_equal(git_tree_entry_id(pe[j]),
					       git_tree_entry_id(e));
		named |= pe[j] != NULL;
	}
	if (same)
		return 0;
	if (!named) {
		if (!(err = path_push(path, git_tree_entry_name(e))))
			err = gs_scan_path_name(gs, path->ptr,
						mark + (mark != 0), reachable);
		path_pop(path, mark);
		if (err)
			return err;
	}
	if (git_tree_entry_filemode(e) != GIT_FILEMODE_TREE)
		return walk_leaf(gs, git_tree_entry_filemode(e),
				 git_tree_entry_name(e), git_tree_entry_id(e),
				 path, reachable);
	if ((err = seen_tree(gs, git_tree_entry_id(e))))
		return err < 0 ? err : 0;
	if (git_tree_lookup(&sub, gs->repo, git_tree_entry_id(e))) {
		gs_object_error(gs, "tree", git_tree_entry_id(e));
		return 0;
	}
	/* A parent's tree that cannot be read is left out: its own commit's
	 * walk reports it. */
	for (j = 0; j < np; j++) {
		psub[j] = NULL;
		if (pe[j] &&
		    git_tree_entry_filemode(pe[j]) == GIT_FILEMODE_TREE)
			git_tree_lookup(&psub[j], gs->repo,
					git_tree_entry_id(pe[j]));
	}
	/* f may move when the stack grows: nothing of it is used after. */
	if ((err = path_push(path, git_tree_entry_name(e)))) {
		for (j = 0; j < np; j++)
			git_tree_free(psub[j]);
		git_tree_free(sub);
		return err;
	}
	return push_new(st, sub, psub, np, mark);
}

/*
 * Walks what tree t has that none of its np parents' trees had (t and
 * the parents taken): unchanged entries are skipped, changed subtrees
 * compared with the parents' subtrees of the same name, over a heap
 * stack, so no input depth reaches the C stack.
 */
static int walk_new(struct gitscan *gs, git_tree *t, git_tree **parents,
		    size_t np, struct buf *path, int reachable)
{
	struct new_frames st = {NULL, 0, 0};
	int err = push_new(&st, t, parents, np, path->len);

	while (!err && st.n) {
		struct new_frame *f = &st.v[st.n - 1];

		if (f->i == git_tree_entrycount(f->t)) {
			path_pop(path, f->mark);
			new_frame_release(f);
			st.n--;
			continue;
		}
		err = walk_new_entry(gs, &st, f,
				     git_tree_entry_byindex(f->t, f->i++), path,
				     reachable);
	}
	while (st.n)
		new_frame_release(&st.v[--st.n]);
	free(st.v);
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
	/* walk_new takes the trees. */
	err = walk_new(gs, tree, parents, np, path, gc->reachable);
	tree = NULL;
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
		if (gs->closed)
			err = walk_commit_new(gs, gc, &path);
		else
			err = walk_tree(gs, &gc->tree, &path, gc->reachable);
	}
	buf_release(&path);
	return err;
}

int gs_walk_loose_tree(struct gitscan *gs, const git_oid *tree, int reachable)
{
	uint32_t ci = gs->cur_commit;
	struct buf path;
	int err;

	gs->cur_commit = UINT32_MAX; /* names met here: no commit holds them */
	buf_init(&path, 1 << 20);
	err = walk_tree(gs, tree, &path, reachable);
	buf_release(&path);
	gs->cur_commit = ci;
	return err;
}

/*
 * Attribution: only blobs that hold findings are placed in history. Each
 * tree is summarised once (memoised by id) as the list of such blobs under
 * it; walking the commits oldest first, the first commit whose tree holds
 * a token introduced it, and every commit holding it is an occurrence.
 * With no findings this phase costs nothing.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git/internal.h"
#include "source/git/notes.h"

/*
 * A path relative to some tree, shared between summaries: its first name
 * and the node of the rest (NO_NODE at the file name). A summary of a
 * tree reuses its subtrees' nodes, so a path costs one node per level,
 * not one copy per level (a deep tree would make that quadratic).
 */
#define NO_NODE UINT32_MAX

struct path_node {
	char *name;
	uint32_t rest;
};

/* A blob with findings, at a path relative to some tree. */
struct placed {
	uint32_t node;
	uint32_t blob;
};

struct placed_list {
	struct placed *v;
	size_t n, cap;
};

/* One token: its occurrence count, and where it was found. */
struct group {
	uint32_t last_commit;
	uint64_t occurrences;
	int reachable;
	/* ranges: the paths where the range's commits brought the token */
	const char **paths;
	size_t npaths, cappaths;
};

struct attr {
	struct gitscan *gs;
	struct idmap memo;	   /* tree id -> index in lists (0: empty) */
	struct placed_list *lists; /* lists[0] is the empty list */
	struct path_node *nodes;
	size_t nnodes, capnodes;
	struct buf path; /* a placed path, spelled out */
	size_t nlists, caplists;
	struct idmap groups; /* fingerprint -> index in groups */
	struct group *gv;
	size_t ngroups, capgroups;
	struct findings found;
	size_t *found_group; /* per found finding: its group */
	size_t capfound_group;
};

/* Places blob under name/rest (rest NO_NODE: name is the file). */
static int push_placed(struct attr *a, struct placed_list *l, const char *name,
		       uint32_t rest, uint32_t blob)
{
	struct path_node *pn;
	int err;

	if ((err = ARRAY_GROW(l->v, l->n, l->cap)) ||
	    (err = ARRAY_GROW(a->nodes, a->nnodes, a->capnodes)))
		return err;
	if (a->nnodes >= NO_NODE)
		return error_set(NFG_ELIMIT, "too many placed paths");
	pn = &a->nodes[a->nnodes];
	if (!(pn->name = strdup(name)))
		return error_nomem();
	pn->rest = rest;
	l->v[l->n].node = (uint32_t)a->nnodes++;
	l->v[l->n].blob = blob;
	l->n++;
	return 0;
}

/* Spells out the path of node into a->path. */
static int node_path(struct attr *a, uint32_t node, const char **out)
{
	int err = 0;

	buf_reset(&a->path);
	for (; !err && node != NO_NODE; node = a->nodes[node].rest) {
		if (a->path.len)
			err = buf_putc(&a->path, '/');
		if (!err)
			err = buf_puts(&a->path, a->nodes[node].name);
	}
	*out = a->path.ptr;
	return err;
}

/* Frees a list of placed blobs (the nodes are the attr's). */
static void placed_list_release(struct placed_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A tree being summarised: its entries, its list so far, and the name of
 * the subtree summarised above it. */
struct sum_frame {
	struct tree_cursor cur;
	git_oid id;
	struct placed_list l;
	const char *sub_name; /* borrowed from cur */
};

struct sum_frames {
	struct sum_frame *v;
	size_t n, cap;
};

/* A tree whose summary is being built: met again below itself, it is a
 * loop only a corrupt repository holds, and counts as empty. */
#define IN_PROGRESS UINT32_MAX

/* Adds list index sub (a summary) to l under dir. */
static int add_list(struct attr *a, struct placed_list *l, const char *dir,
		    size_t sub)
{
	size_t j;
	int err = 0;

	for (j = 0; !err && j < a->lists[sub].n; j++)
		err = push_placed(a, l, dir, a->lists[sub].v[j].node,
				  a->lists[sub].v[j].blob);
	return err;
}

/* Starts summarising tree id (marked in progress); unreadable: empty. */
static int push_sum(struct attr *a, struct sum_frames *st, const git_oid *id)
{
	struct sum_frame *f;
	int err;

	if ((err = ARRAY_GROW(st->v, st->n, st->cap)) ||
	    (err = idmap_put(&a->memo, id->id, IN_PROGRESS, NULL, NULL)))
		return err;
	f = &st->v[st->n];
	memset(f, 0, sizeof(*f));
	f->id = *id;
	/* Unreadable: reported by the tree walk already; summarised empty. */
	gs_tree_open(a->gs, id, &f->cur);
	st->n++;
	return 0;
}

/* Ends the top frame: its list is kept (index 0 when empty) and memoised. */
static int pop_sum(struct attr *a, struct sum_frames *st, size_t *out)
{
	struct sum_frame *f = &st->v[st->n - 1];
	uint32_t *slot;
	int err = 0;

	*out = 0;
	if (f->l.n && !(err = ARRAY_GROW(a->lists, a->nlists, a->caplists))) {
		a->lists[a->nlists] = f->l;
		*out = a->nlists++;
		memset(&f->l, 0, sizeof(f->l));
	}
	placed_list_release(&f->l);
	if (!err && (slot = idmap_get(&a->memo, f->id.id)))
		*slot = (uint32_t)*out;
	gs_tree_close(&f->cur);
	st->n--;
	return err;
}

/*
 * The findings-bearing blobs under tree id, computed once per tree (in
 * post-order over a heap stack: no input depth reaches the C stack).
 */
static int summarise(struct attr *a, const git_oid *id, size_t *out)
{
	struct sum_frames st = {NULL, 0, 0};
	uint32_t *known = idmap_get(&a->memo, id->id);
	size_t done = 0;
	int err;

	*out = known && *known != IN_PROGRESS ? *known : 0;
	if (known)
		return 0;
	err = push_sum(a, &st, id);
	while (!err && st.n) {
		struct sum_frame *f = &st.v[st.n - 1];
		const char *name;
		unsigned mode;
		git_oid eid;
		uint32_t *bi;

		if (gs_tree_next(&f->cur, &mode, &name, &eid) <= 0) {
			/* Malformed: reported by the tree walk already. */
			if (!(err = pop_sum(a, &st, &done)) && st.n) {
				f = &st.v[st.n - 1];
				err = add_list(a, &f->l, f->sub_name, done);
			}
		} else if (mode == GIT_FILEMODE_TREE) {
			if (!(known = idmap_get(&a->memo, eid.id))) {
				f->sub_name = name;
				err = push_sum(a, &st, &eid);
			} else if (*known != IN_PROGRESS) {
				err = add_list(a, &f->l, name, *known);
			}
		} else if (mode != GIT_FILEMODE_COMMIT &&
			   (bi = idmap_get(&a->gs->blob_ids, eid.id)) &&
			   a->gs->blobs[*bi].hits.n) {
			err = push_placed(a, &f->l, name, NO_NODE, *bi);
		}
	}
	while (st.n) {
		placed_list_release(&st.v[st.n - 1].l);
		gs_tree_close(&st.v[--st.n].cur);
	}
	free(st.v);
	*out = done;
	return err;
}

/*
 * The group id of a finding's token: the first bytes of its digest,
 * with the top bit flipped for a hit next to the inline allow marker, so
 * that an allowed place never stands for the token's other places (the
 * allowed group's finding is suppressed later; the other is reported).
 */
static void group_key(const struct finding *f, unsigned char key[ID_LEN])
{
	memcpy(key, f->digest, ID_LEN);
	if (f->inline_allowed)
		key[0] ^= 0x80;
}

/*
 * Adds a reported finding for hit h of blob b at path, in commit ci (or
 * none: UINT32_MAX), to group g.
 */
static int add_finding(struct attr *a, const struct finding *h,
		       const struct gblob *b, const char *path, uint32_t ci,
		       size_t g)
{
	struct gitscan *gs = a->gs;
	struct finding f;
	int err;

	if ((err = finding_clone(&f, h)))
		return err;
	err = finding_set_path(&f, path);
	f.blob = gs_oid_str(&b->oid);
	f.location = strdup("file");
	f.repository = strdup(gs->gt->repository);
	if (!err && (!f.blob || !f.location || !f.repository))
		err = error_nomem();
	if (!err && ci != UINT32_MAX) {
		git_commit *c;

		if (git_commit_lookup(&c, gs->repo, &gs->commits[ci].oid))
			gs_object_error(gs, "commit", &gs->commits[ci].oid);
		else {
			err = gs_set_commit_fields(&f, c);
			git_commit_free(c);
		}
	}
	if (!err)
		err = ARRAY_GROW(a->found_group, a->found.n, a->capfound_group);
	if (!err && !(err = findings_push(&a->found, &f)))
		a->found_group[a->found.n - 1] = g;
	finding_release(&f);
	return err;
}

/* Finds or creates the group of a token; *is_new tells which. */
static int get_group(struct attr *a, const struct finding *f, size_t *g,
		     int *is_new)
{
	unsigned char key[ID_LEN];
	uint32_t *slot;
	int err;

	group_key(f, key);
	if ((err = idmap_put(&a->groups, key, (uint32_t)a->ngroups, is_new,
			     &slot)))
		return err;
	*is_new = !*is_new;
	*g = *slot;
	if (*is_new) {
		if ((err = ARRAY_GROW(a->gv, a->ngroups, a->capgroups)))
			return err;
		memset(&a->gv[a->ngroups], 0, sizeof(*a->gv));
		a->gv[a->ngroups].last_commit = UINT32_MAX;
		a->ngroups++;
	}
	return 0;
}

/*
 * Keeps the first hit of each token in a blob (hits come in offset
 * order): a token twice in one file is one occurrence, placed at its first
 * line. Done once per blob, not once per commit that holds it.
 */
static int first_hits_only(struct findings *hits)
{
	unsigned char key[ID_LEN];
	struct idmap seen;
	size_t i, kept = 0;
	int existed, err = 0;

	idmap_init(&seen);
	for (i = 0; !err && i < hits->n; i++) {
		group_key(&hits->v[i], key);
		if ((err = idmap_put(&seen, key, 0, &existed, NULL)))
			break;
		if (existed)
			finding_release(&hits->v[i]);
		else
			hits->v[kept++] = hits->v[i];
	}
	for (; i < hits->n; i++)
		hits->v[kept++] = hits->v[i];
	hits->n = kept;
	idmap_release(&seen);
	return err;
}

/*
 * What a visit does: place a token's finding, count its occurrence, note
 * where a range brought it (and, with VISIT_COUNT in a range, count only
 * there).
 */
enum { VISIT_PLACE = 1, VISIT_COUNT = 2, VISIT_NOTE = 4, VISIT_RANGE = 8 };

static int group_has_path(const struct group *gr, const char *path)
{
	size_t i;

	for (i = 0; i < gr->npaths; i++)
		if (!strcmp(gr->paths[i], path))
			return 1;
	return 0;
}

static int visit(struct attr *a, uint32_t ci, const char *path, uint32_t bi,
		 int what)
{
	const struct gblob *b = &a->gs->blobs[bi];
	int all = a->gs->opts->all_occurrences;
	size_t i, g;
	int is_new, err;

	for (i = 0; i < b->hits.n; i++) {
		const struct finding *h = &b->hits.v[i];
		struct group *gr;

		if ((err = get_group(a, h, &g, &is_new)))
			return err;
		gr = &a->gv[g];
		if ((what & VISIT_NOTE) && !group_has_path(gr, path)) {
			if ((err = ARRAY_GROW(gr->paths, gr->npaths,
					      gr->cappaths)))
				return err;
			gr->paths[gr->npaths++] = path;
		}
		if ((what & VISIT_RANGE) && !group_has_path(gr, path))
			continue;
		if ((what & VISIT_COUNT) && ci != UINT32_MAX &&
		    gr->last_commit != ci) {
			gr->last_commit = ci;
			gr->occurrences++;
		}
		if ((what & VISIT_COUNT) &&
		    (ci == UINT32_MAX ? b->reachable
				      : a->gs->commits[ci].reachable))
			gr->reachable = 1;
		if (((what & VISIT_PLACE) && is_new) ||
		    ((what & VISIT_COUNT) && all && ci != UINT32_MAX))
			if ((err = add_finding(a, h, b, path, ci, g)))
				return err;
	}
	return 0;
}

static void release_attr(struct attr *a)
{
	size_t i;

	for (i = 0; i < a->nlists; i++)
		free(a->lists[i].v);
	free(a->lists);
	for (i = 0; i < a->nnodes; i++)
		free(a->nodes[i].name);
	free(a->nodes);
	buf_release(&a->path);
	idmap_release(&a->memo);
	idmap_release(&a->groups);
	for (i = 0; i < a->ngroups; i++)
		free(a->gv[i].paths);
	free(a->gv);
	free(a->found_group);
	findings_release(&a->found);
}

/*
 * Marks every commit a notes ref reaches: children come after their
 * parents (topological order), so one pass from the end carries the mark
 * down whole chains.
 */
static void mark_notes_history(struct gitscan *gs)
{
	uint32_t i, p;

	for (i = gs->ncommits; i-- > 0;) {
		const struct gcommit *c = &gs->commits[i];

		for (p = 0; c->notes && p < c->nparents; p++)
			gs->commits[gs->parents[c->parent0 + p]].notes = 1;
	}
}

int gs_attribute(struct gitscan *gs)
{
	struct attr a;
	const char *path;
	uint32_t i;
	size_t k, list;
	int err = 0, any = 0, range = gs->closed;

	for (i = 0; i < gs->nblobs; i++)
		if (gs->blobs[i].hits.n) {
			any = 1;
			if ((err = first_hits_only(&gs->blobs[i].hits)))
				return err;
		}
	if (!any)
		return 0;
	mark_notes_history(gs);
	memset(&a, 0, sizeof(a));
	a.gs = gs;
	idmap_init(&a.memo);
	idmap_init(&a.groups);
	buf_init(&a.path, BUF_DEFAULT_MAX);
	findings_init(&a.found);
	if ((err = ARRAY_GROW(a.lists, 0, a.caplists)))
		goto done;
	memset(&a.lists[0], 0, sizeof(a.lists[0]));
	a.nlists = 1;
	/*
	 * A range places each token where a commit of the range brought it,
	 * and counts the range's commits that hold it at such a path (an
	 * older range commit may hold the same token at a path no range
	 * commit changed: not the range's doing). Any other scan places a
	 * token at the first commit whose tree holds it, at any path.
	 */
	for (k = 0; range && !err && k < gs->nintros; k++)
		if (gs->blobs[gs->intros[k].blob].hits.n)
			err = visit(&a, gs->intros[k].commit,
				    gs->intros[k].path, gs->intros[k].blob,
				    gs->opts->all_occurrences
					    ? VISIT_NOTE
					    : VISIT_NOTE | VISIT_PLACE);
	for (i = 0; !err && i < gs->ncommits; i++) {
		if (!gs->commits[i].loaded ||
		    git_oid_is_zero(&gs->commits[i].tree))
			continue;
		if ((err = summarise(&a, &gs->commits[i].tree, &list)))
			break;
		for (k = 0; !err && k < a.lists[list].n; k++) {
			if ((err = node_path(&a, a.lists[list].v[k].node,
					     &path)))
				break;
			/* A note: at the id of the object it annotates. */
			if (gs->commits[i].notes)
				notes_unfan(a.path.ptr);
			err = visit(&a, i, path, a.lists[list].v[k].blob,
				    range ? VISIT_COUNT | VISIT_RANGE
					  : VISIT_PLACE | VISIT_COUNT);
		}
	}
	/*
	 * Blobs no commit holds: dangling, or named by a ref directly (also
	 * when every ref is walked less what earlier scans saw).
	 */
	for (i = 0; !gs->opts->range && !err && i < gs->nblobs; i++)
		if (gs->blobs[i].hits.n)
			err = visit(&a, UINT32_MAX, gs->blobs[i].path, i,
				    VISIT_PLACE | VISIT_COUNT);
	for (k = 0; !err && k < a.found.n; k++) {
		const struct group *gr = &a.gv[a.found_group[k]];

		a.found.v[k].occurrences = gr->occurrences;
		a.found.v[k].reachable = gr->reachable;
	}
	if (!err)
		err = findings_merge(gs->out, &a.found);
done:
	release_attr(&a);
	return err;
}

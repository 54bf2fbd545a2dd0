/*
 * Attribution: only blobs that hold findings are placed in history. Each
 * tree is summarised once (memoised by id) as its entries that hold such
 * blobs and the set of tokens under it; walking the commits oldest first,
 * the first commit whose tree holds a token introduced it, and every
 * commit holding it is an occurrence. With no findings this costs nothing.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git/internal.h"
#include "source/git/notes.h"

/*
 * A tree's summary is a run of items, one per entry that holds findings:
 * a blob with hits, or a subtree whose summary is not empty. Summaries
 * point to their subtrees' (no list is copied up the tree: a commit's
 * whole list would cost each tree as many copies as it has findings
 * below it), and carry the set of tokens under them, interned, so that a
 * commit's occurrences cost one count per distinct set of tokens, not one
 * per token and commit.
 */
#define NO_BLOB UINT32_MAX

struct sum_item {
	char *name;
	uint32_t blob; /* index in gs->blobs, or NO_BLOB: a subtree */
	uint32_t sub;  /* the subtree's summary */
};

struct summary {
	size_t first; /* its items in attr.items */
	uint32_t n;
	uint32_t set; /* the tokens under it, in attr.sets */
};

/* A set of tokens (indices in attr.gv), and the commits that hold it. */
struct token_set {
	size_t first; /* its tokens in attr.elems, in no order */
	uint32_t n;
	uint64_t commits;
	unsigned reachable : 1; /* a reachable commit holds it */
	unsigned settled : 1;	/* every token of it was placed */
};

/* One token: its occurrence count, and where it was found. */
struct group {
	uint32_t last_commit;
	uint64_t occurrences;
	int reachable;
	int seen; /* visited once: the first visit placed it */
	/* ranges: the paths where the range's commits brought the token */
	const char **paths;
	size_t npaths, cappaths;
};

struct attr {
	struct gitscan *gs;
	struct idmap memo; /* tree id -> index in sums (0: empty) */
	struct summary *sums;
	size_t nsums, capsums;
	struct sum_item *items;
	size_t nitems, capitems;
	struct token_set *sets; /* sets[0] is the empty set */
	size_t nsets, capsets;
	uint32_t *elems;
	size_t nelems, capelems;
	struct idmap set_ids;  /* a set's hashes and size -> index in sets */
	uint32_t *mark;	       /* per token: the stamp of the set being built */
	uint32_t stamp;	       /* ... */
	uint32_t *blob_tokens; /* the tokens of blob b: tokens_at[b..b+1) */
	uint32_t *tokens_at;
	/* A bit per 16-bit id prefix of the blobs with hits: most entries
	 * of most trees are no such blob, and are dismissed without a
	 * lookup in the blob map. */
	uint64_t hit_ids[1024];
	struct buf path;     /* a placed path, spelled out */
	struct buf note;     /* the same, of a note, unfanned */
	struct idmap groups; /* fingerprint -> index in groups */
	struct group *gv;
	size_t ngroups, capgroups;
	struct findings found;
	size_t *found_group; /* per found finding: its group */
	size_t capfound_group;
};

static unsigned id_prefix(const unsigned char *id)
{
	return (unsigned)id[0] << 8 | id[1];
}

/* Whether id may be a blob with hits (0: surely not). */
static int maybe_hit(const struct attr *a, const unsigned char *id)
{
	unsigned k = id_prefix(id);

	return ((a->hit_ids[k / 64] >> (k % 64)) & 1) != 0;
}

/* Adds token t to the set being built, unless there already. */
static int set_add(struct attr *a, uint32_t t, uint64_t h[2])
{
	uint64_t x;
	int err;

	if (a->mark[t] == a->stamp)
		return 0;
	a->mark[t] = a->stamp;
	if ((err = ARRAY_GROW(a->elems, a->nelems, a->capelems)))
		return err;
	a->elems[a->nelems++] = t;
	/* Sums of a mix of each member: the same for any order. */
	x = (t + 1) * 0x9E3779B97F4A7C15ull;
	x ^= x >> 31;
	h[0] += x * 0xBF58476D1CE4E5B9ull;
	h[1] += (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return 0;
}

/*
 * Ends the set built from elems[from..): *set gets the index of an
 * equal set made before (the new copy dropped), or of this one.
 */
static int set_intern(struct attr *a, size_t from, const uint64_t h[2],
		      uint32_t *set)
{
	unsigned char key[ID_LEN];
	uint32_t n = (uint32_t)(a->nelems - from), i, *slot;
	const struct token_set *old;
	int existed, err;

	if (!n) {
		*set = 0;
		return 0;
	}
	memcpy(key, &h[0], 8);
	memcpy(key + 8, &h[1], 8);
	memcpy(key + 16, &n, 4);
	if ((err = idmap_put(&a->set_ids, key, (uint32_t)a->nsets, &existed,
			     &slot)))
		return err;
	if (existed) {
		/* Equal when its n members are all marked in this stamp. */
		old = &a->sets[*slot];
		for (i = 0; old->n == n && i < n &&
			    a->mark[a->elems[old->first + i]] == a->stamp;
		     i++)
			;
		if (old->n == n && i == n) {
			a->nelems = from;
			*set = *slot;
			return 0;
		}
		/* Two sets alike in hashes: the second stays un-interned. */
	}
	if ((err = ARRAY_GROW(a->sets, a->nsets, a->capsets)))
		return err;
	if (a->nsets >= UINT32_MAX)
		return error_set(NFG_ELIMIT, "too many sets of tokens");
	memset(&a->sets[a->nsets], 0, sizeof(*a->sets));
	a->sets[a->nsets].first = from;
	a->sets[a->nsets].n = n;
	*set = (uint32_t)a->nsets++;
	return 0;
}

/* The items of a tree being summarised. */
struct item_list {
	struct sum_item *v;
	size_t n, cap;
};

/* Adds an item (name copied) to l. */
static int push_item(struct item_list *l, const char *name, uint32_t blob,
		     uint32_t sub)
{
	int err;

	if ((err = ARRAY_GROW(l->v, l->n, l->cap)))
		return err;
	if (!(l->v[l->n].name = strdup(name)))
		return error_nomem();
	l->v[l->n].blob = blob;
	l->v[l->n].sub = sub;
	l->n++;
	return 0;
}

static void item_list_release(struct item_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A tree being summarised: its entries, its items so far, and the name
 * of the subtree summarised above it. */
struct sum_frame {
	struct tree_cursor cur;
	git_oid id;
	struct item_list l;
	const char *sub_name; /* borrowed from cur */
};

struct sum_frames {
	struct sum_frame *v;
	size_t n, cap;
};

/* A tree whose summary is being built: met again below itself, it is a
 * loop only a corrupt repository holds, and counts as empty. */
#define IN_PROGRESS UINT32_MAX

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

/*
 * The summary of items l (taken): *out gets its index, 0 when l is
 * empty; its set is the union of its blobs' tokens and subtrees' sets.
 */
static int make_summary(struct attr *a, struct item_list *l, uint32_t *out)
{
	uint64_t h[2] = {0, 0};
	size_t i, j, from = a->nelems;
	struct summary *s;
	int err;

	*out = 0;
	if (!l->n)
		return 0;
	if ((err = ARRAY_GROW(a->sums, a->nsums, a->capsums)) ||
	    (err = array_reserve(&a->items, &a->capitems, a->nitems + l->n,
				 sizeof(*a->items))))
		return err;
	if (a->nsums >= IN_PROGRESS)
		return error_set(NFG_ELIMIT, "too many summarised trees");
	if (++a->stamp == 0) {
		memset(a->mark, 0, a->ngroups * sizeof(*a->mark));
		a->stamp = 1;
	}
	for (i = 0; !err && i < l->n; i++) {
		const struct sum_item *it = &l->v[i];

		if (it->blob != NO_BLOB) {
			for (j = a->tokens_at[it->blob];
			     !err && j < a->tokens_at[it->blob + 1]; j++)
				err = set_add(a, a->blob_tokens[j], h);
		} else {
			const struct token_set *ts =
				&a->sets[a->sums[it->sub].set];

			for (j = 0; !err && j < ts->n; j++)
				err = set_add(a, a->elems[ts->first + j], h);
		}
	}
	s = &a->sums[a->nsums];
	if (err || (err = set_intern(a, from, h, &s->set))) {
		a->nelems = from;
		return err;
	}
	s->first = a->nitems;
	s->n = (uint32_t)l->n;
	memcpy(a->items + a->nitems, l->v, l->n * sizeof(*l->v));
	a->nitems += l->n;
	free(l->v);
	memset(l, 0, sizeof(*l));
	*out = (uint32_t)a->nsums++;
	return 0;
}

/* Ends the top frame: its summary is kept and memoised. */
static int pop_sum(struct attr *a, struct sum_frames *st, uint32_t *out)
{
	struct sum_frame *f = &st->v[st->n - 1];
	uint32_t *slot;
	int err;

	err = make_summary(a, &f->l, out);
	item_list_release(&f->l);
	if (!err && (slot = idmap_get(&a->memo, f->id.id)))
		*slot = *out;
	gs_tree_close(&f->cur);
	st->n--;
	return err;
}

/*
 * The summary of tree id, computed once per tree (in post-order over a
 * heap stack: no input depth reaches the C stack).
 */
static int summarise(struct attr *a, const git_oid *id, uint32_t *out)
{
	struct sum_frames st = {NULL, 0, 0};
	uint32_t *known = idmap_get(&a->memo, id->id), done = 0;
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
			if (!(err = pop_sum(a, &st, &done)) && st.n && done) {
				f = &st.v[st.n - 1];
				err = push_item(&f->l, f->sub_name, NO_BLOB,
						done);
			}
		} else if (mode == GIT_FILEMODE_TREE) {
			if (!(known = idmap_get(&a->memo, eid.id))) {
				f->sub_name = name;
				err = push_sum(a, &st, &eid);
			} else if (*known != IN_PROGRESS && *known) {
				err = push_item(&f->l, name, NO_BLOB, *known);
			}
		} else if (mode != GIT_FILEMODE_COMMIT &&
			   maybe_hit(a, eid.id) &&
			   (bi = idmap_get(&a->gs->blob_ids, eid.id)) &&
			   a->gs->blobs[*bi].hits.n) {
			err = push_item(&f->l, name, *bi, 0);
		}
	}
	while (st.n) {
		item_list_release(&st.v[st.n - 1].l);
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

/*
 * Gives every token of the blobs' hits a group, and each blob the list
 * of its hits' groups (one per hit: a blob keeps only a token's first).
 */
static int make_groups(struct attr *a)
{
	const struct gitscan *gs = a->gs;
	unsigned char key[ID_LEN];
	size_t n = 0, at = 0;
	uint32_t i, j, *slot;
	int existed, err;

	for (i = 0; i < gs->nblobs; i++)
		n += gs->blobs[i].hits.n;
	if (n >= UINT32_MAX)
		return error_set(NFG_ELIMIT, "too many findings");
	a->tokens_at = malloc(((size_t)gs->nblobs + 1) * sizeof(uint32_t));
	a->blob_tokens = malloc((n ? n : 1) * sizeof(uint32_t));
	if (!a->tokens_at || !a->blob_tokens)
		return error_nomem();
	for (i = 0; i < gs->nblobs; i++) {
		unsigned k = id_prefix(gs->blobs[i].oid.id);

		if (gs->blobs[i].hits.n)
			a->hit_ids[k / 64] |= (uint64_t)1 << (k % 64);
		a->tokens_at[i] = (uint32_t)at;
		for (j = 0; j < gs->blobs[i].hits.n; j++) {
			group_key(&gs->blobs[i].hits.v[j], key);
			if ((err = idmap_put(&a->groups, key,
					     (uint32_t)a->ngroups, &existed,
					     &slot)))
				return err;
			a->blob_tokens[at++] = *slot;
			if (existed)
				continue;
			if ((err = ARRAY_GROW(a->gv, a->ngroups, a->capgroups)))
				return err;
			memset(&a->gv[a->ngroups], 0, sizeof(*a->gv));
			a->gv[a->ngroups].last_commit = UINT32_MAX;
			a->ngroups++;
		}
	}
	a->tokens_at[gs->nblobs] = (uint32_t)at;
	if (!(a->mark = calloc(a->ngroups ? a->ngroups : 1, sizeof(*a->mark))))
		return error_nomem();
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

		g = a->blob_tokens[a->tokens_at[bi] + i];
		gr = &a->gv[g];
		is_new = !gr->seen;
		gr->seen = 1;
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

/* A summary being visited, and where its path starts. */
struct visit_frame {
	uint32_t sum, next; /* next: its item to visit */
	size_t mark;	    /* the path's length before its name */
};

/*
 * Visits (what) every blob of summary top in commit ci, in the order of
 * the tree's entries, depth first over a heap stack, each at its path.
 */
static int visit_summary(struct attr *a, uint32_t ci, uint32_t top, int what)
{
	struct visit_frame *st = NULL;
	size_t n = 0, cap = 0;
	int err;

	if ((err = ARRAY_GROW(st, n, cap)))
		return err;
	buf_reset(&a->path);
	st[n++] = (struct visit_frame){top, 0, 0};
	while (!err && n) {
		struct visit_frame *f = &st[n - 1];
		const struct summary *s = &a->sums[f->sum];
		const struct sum_item *it;

		a->path.len = f->mark;
		if (f->next == s->n) {
			n--;
			continue;
		}
		it = &a->items[s->first + f->next++];
		if (a->path.len && (err = buf_putc(&a->path, '/')))
			break;
		if ((err = buf_puts(&a->path, it->name)))
			break;
		if (it->blob == NO_BLOB) {
			if (!(err = ARRAY_GROW(st, n, cap)))
				st[n++] = (struct visit_frame){it->sub, 0,
							       a->path.len};
			continue;
		}
		if (!a->gs->commits[ci].notes) {
			err = visit(a, ci, a->path.ptr, it->blob, what);
			continue;
		}
		/* A note: at the id of the object it annotates (unfanned in
		 * a copy: the folders' names serve the next entries). */
		buf_reset(&a->note);
		if (!(err = buf_puts(&a->note, a->path.ptr))) {
			notes_unfan(a->note.ptr);
			err = visit(a, ci, a->note.ptr, it->blob, what);
		}
	}
	free(st);
	return err;
}

/*
 * The default scan's commit ci, whose tree's summary is sum: its set of
 * tokens is counted (tokens get their occurrences from their sets at the
 * end); the first commit of a set with tokens not yet placed places
 * them, in the order of its entries.
 */
static int count_commit(struct attr *a, uint32_t ci, uint32_t sum)
{
	struct token_set *ts = &a->sets[a->sums[sum].set];
	uint32_t i;

	ts->commits++;
	if (a->gs->commits[ci].reachable)
		ts->reachable = 1;
	if (ts->settled)
		return 0;
	ts->settled = 1;
	for (i = 0; i < ts->n; i++)
		if (!a->gv[a->elems[ts->first + i]].seen)
			return visit_summary(a, ci, sum, VISIT_PLACE);
	return 0;
}

/* Gives each token the commits and reachability of the sets holding it. */
static void count_sets(struct attr *a)
{
	size_t s;
	uint32_t i;

	for (s = 1; s < a->nsets; s++)
		for (i = 0; i < a->sets[s].n; i++) {
			struct group *gr =
				&a->gv[a->elems[a->sets[s].first + i]];

			gr->occurrences += a->sets[s].commits;
			if (a->sets[s].reachable)
				gr->reachable = 1;
		}
}

static void release_attr(struct attr *a)
{
	size_t i;

	for (i = 0; i < a->nitems; i++)
		free(a->items[i].name);
	free(a->items);
	free(a->sums);
	free(a->sets);
	free(a->elems);
	free(a->mark);
	free(a->blob_tokens);
	free(a->tokens_at);
	buf_release(&a->path);
	buf_release(&a->note);
	idmap_release(&a->memo);
	idmap_release(&a->set_ids);
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
	uint32_t i, sum;
	size_t k;
	int err = 0, any = 0, range = gs->closed;
	int each = range || gs->opts->all_occurrences;

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
	idmap_init(&a.set_ids);
	idmap_init(&a.groups);
	buf_init(&a.path, BUF_DEFAULT_MAX);
	buf_init(&a.note, BUF_DEFAULT_MAX);
	findings_init(&a.found);
	/* Summary 0 and set 0: empty. */
	if ((err = make_groups(&a)) ||
	    (err = ARRAY_GROW(a.sums, 0, a.capsums)) ||
	    (err = ARRAY_GROW(a.sets, 0, a.capsets)))
		goto done;
	memset(a.sums, 0, sizeof(*a.sums));
	memset(a.sets, 0, sizeof(*a.sets));
	a.nsums = a.nsets = 1;
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
		if ((err = summarise(&a, &gs->commits[i].tree, &sum)) || !sum)
			continue;
		/* Ranges and --all-occurrences look at every commit's blobs;
		 * a default scan only at the first commit of each set. */
		if (each)
			err = visit_summary(&a, i, sum,
					    range ? VISIT_COUNT | VISIT_RANGE
						  : VISIT_PLACE | VISIT_COUNT);
		else
			err = count_commit(&a, i, sum);
	}
	if (!each)
		count_sets(&a);
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

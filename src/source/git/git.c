/*
 * The git history source: opens the repository, gathers the starting
 * points (every ref, HEAD, older stashes, or --ref / --range), walks the
 * commit graph into topological order, scans commit and tag messages, and
 * runs the tree walk, the parallel blob scan and the attribution.
 */
#include "util/common.h"
#include "util/clock.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/git_internal.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t problem_lock = PTHREAD_MUTEX_INITIALIZER;

void gs_problem(struct gitscan *gs, enum problem_kind kind, const char *fmt,
		...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&problem_lock);
	if (kind == PROBLEM_ERROR)
		gs->totals->errors++;
	else if (kind == PROBLEM_UNREADABLE)
		gs->totals->unreadable++;
	gs->problem(gs->pctx, kind, msg);
	pthread_mutex_unlock(&problem_lock);
}

void gs_object_error(struct gitscan *gs, const char *what, const git_oid *id)
{
	const git_error *e = git_error_last();
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	gs_problem(gs, PROBLEM_ERROR, "cannot read %s %s: %s", what, hex,
		   e && e->message ? e->message : "object missing or corrupt");
}

/* An ISO 8601 UTC date of a git time, as a new string. */
static char *iso_date(git_time_t t)
{
	char out[32];

	clock_format_s((int64_t)t, out);
	return strdup(out);
}

static char *oid_str(const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	return strdup(hex);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

int gs_set_commit_fields(struct finding *f, const git_commit *c)
{
	const git_signature *a = git_commit_author(c);

	f->commit = oid_str(git_commit_id(c));
	f->author_name = dup_or_empty(a ? a->name : NULL);
	f->author_email = dup_or_empty(a ? a->email : NULL);
	f->date = iso_date(a ? a->when.time : git_commit_time(c));
	if (!f->commit || !f->author_name || !f->author_email || !f->date)
		return error_set(NFG_ENOMEM, "out of memory");
	return 0;
}

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
		return error_set(NFG_ENOMEM, "out of memory");
	b->reachable = reachable;
	findings_init(&b->hits);
	gs->nblobs++;
	return 0;
}

static int scan_message(struct gitscan *gs, const char *msg,
			struct findings *found)
{
	struct collect_ctx cc = {gs->rs, "", found};

	if (!msg)
		return 0;
	gs->totals->bytes += strlen(msg);
	return scanner_scan_mem(gs->sc, "", msg, strlen(msg), collect_hit, &cc);
}

/* Moves message findings to the output, filling the fields they share. */
static int emit_message_findings(struct gitscan *gs, struct findings *found,
				 const char *location, int reachable)
{
	size_t i;
	int err = 0;

	for (i = 0; i < found->n; i++) {
		struct finding *f = &found->v[i];

		f->location = strdup(location);
		f->repository = strdup(gs->gt->repository);
		f->reachable = reachable;
		f->occurrences = 1;
		if (!f->location || !f->repository)
			err = error_set(NFG_ENOMEM, "out of memory");
	}
	if (!err)
		err = findings_merge(gs->out, found);
	findings_release(found);
	return err;
}

static int scan_commit_message(struct gitscan *gs, const git_commit *c,
			       int reachable)
{
	struct findings found;
	size_t i;
	int err;

	findings_init(&found);
	err = scan_message(gs, git_commit_message_raw(c), &found);
	for (i = 0; !err && i < found.n; i++)
		err = gs_set_commit_fields(&found.v[i], c);
	if (!err)
		return emit_message_findings(gs, &found, "commit-message",
					     reachable);
	findings_release(&found);
	return err;
}

/* Scans an annotated tag's message (once per tag object). */
static int scan_tag(struct gitscan *gs, git_tag *tag, int reachable)
{
	const git_signature *t = git_tag_tagger(tag);
	struct findings found;
	int existed, err;
	size_t i;

	if ((err = idmap_put(&gs->tag_ids, git_tag_id(tag)->id, 0, &existed,
			     NULL)) ||
	    existed)
		return err;
	findings_init(&found);
	err = scan_message(gs, git_tag_message(tag), &found);
	for (i = 0; !err && i < found.n; i++) {
		struct finding *f = &found.v[i];

		f->commit = oid_str(git_tag_id(tag));
		f->ref = dup_or_empty(git_tag_name(tag));
		f->author_name = dup_or_empty(t ? t->name : NULL);
		f->author_email = dup_or_empty(t ? t->email : NULL);
		f->date = iso_date(t ? t->when.time : 0);
		if (!f->commit || !f->ref || !f->author_name ||
		    !f->author_email || !f->date)
			err = error_set(NFG_ENOMEM, "out of memory");
	}
	if (!err)
		return emit_message_findings(gs, &found, "tag-message",
					     reachable);
	findings_release(&found);
	return err;
}

/* Adds a commit to the graph (not loaded yet) unless known. */
static int add_commit(struct gitscan *gs, const git_oid *id, int reachable,
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

/*
 * Loads every commit from index `from` on, adding parents as they are
 * found (breadth first), until no commit is left unloaded. In a closed
 * graph (a range) parents outside the graph are not added.
 */
static int load_commits(struct gitscan *gs, uint32_t from, int closed)
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
			if ((err = add_commit(gs, pid, reachable, &pi)) ||
			    (err = push_parent(gs, pi))) {
				git_commit_free(c);
				return err;
			}
			gs->commits[i].nparents++;
		}
		err = scan_commit_message(gs, c, reachable);
		git_commit_free(c);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Follows a starting point through tags to what it names: commits join
 * the graph, trees and blobs are walked or added directly.
 */
static int add_start(struct gitscan *gs, const git_oid *start, int reachable)
{
	git_oid id = *start;
	git_object *obj;
	int depth, err = 0;

	for (depth = 0; depth < 64; depth++) {
		git_object_t type;

		if (git_object_lookup(&obj, gs->repo, &id, GIT_OBJECT_ANY)) {
			gs_object_error(gs, "object", &id);
			return 0;
		}
		type = git_object_type(obj);
		if (type == GIT_OBJECT_TAG) {
			err = scan_tag(gs, (git_tag *)obj, reachable);
			id = *git_tag_target_id((git_tag *)obj);
			git_object_free(obj);
			if (err)
				return err;
			continue;
		}
		git_object_free(obj);
		if (type == GIT_OBJECT_COMMIT)
			return add_commit(gs, &id, reachable, NULL);
		if (type == GIT_OBJECT_TREE)
			return gs_walk_loose_tree(gs, &id, reachable);
		if (type == GIT_OBJECT_BLOB)
			return gs_add_blob(gs, &id, "", reachable, NULL);
		return 0;
	}
	return 0;
}

/* The HEAD of every linked worktree (git rev-list --all counts them). */
static int add_worktree_heads(struct gitscan *gs)
{
	git_strarray names = {NULL, 0};
	size_t i;
	int err = 0;

	if (git_worktree_list(&names, gs->repo))
		return 0; /* no worktrees, or none readable: nothing to add */
	for (i = 0; !err && i < names.count; i++) {
		git_worktree *wt = NULL;
		git_repository *wr = NULL;
		git_oid head;

		if (!git_worktree_lookup(&wt, gs->repo, names.strings[i]) &&
		    !git_repository_open_from_worktree(&wr, wt) &&
		    !git_reference_name_to_id(&head, wr, "HEAD")) {
			gs->gt->refs++;
			err = add_start(gs, &head, 1);
		}
		git_repository_free(wr);
		git_worktree_free(wt);
	}
	git_strarray_dispose(&names);
	return err;
}

/* 1 if the repository has a stash reflog (in the common git dir). */
static int has_stash_log(struct gitscan *gs)
{
	struct buf path;
	struct stat st;
	int yes;

	buf_init(&path, 8192);
	yes = !buf_printf(&path, "%slogs/refs/stash",
			  git_repository_commondir(gs->repo)) &&
	      !lstat(path.ptr, &st);
	buf_release(&path);
	return yes;
}

/* Every ref, HEAD and older stash entries: the default starting points. */
static int add_all_refs(struct gitscan *gs)
{
	git_reference_iterator *it = NULL;
	git_reference *ref, *res;
	git_reflog *log;
	git_oid head;
	size_t i;
	int err = 0;

	if (git_reference_iterator_new(&it, gs->repo))
		return error_set(NFG_EIO, "cannot list refs: %s",
				 git_error_last()->message);
	while (!err && !git_reference_next(&ref, it)) {
		if (!git_reference_resolve(&res, ref)) {
			gs->gt->refs++;
			err = add_start(gs, git_reference_target(res), 1);
			git_reference_free(res);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (!err && !git_reference_name_to_id(&head, gs->repo, "HEAD")) {
		gs->gt->refs++;
		err = add_start(gs, &head, 1);
	}
	if (!err)
		err = add_worktree_heads(gs);
	/*
	 * Only the newest stash is a ref; the others live in its reflog.
	 * libgit2 1.5 creates a reflog it is asked to read when there is
	 * none: ask only for one that exists, so a scan writes nothing.
	 */
	if (!err && has_stash_log(gs) &&
	    !git_reflog_read(&log, gs->repo, "refs/stash")) {
		for (i = 0; !err && i < git_reflog_entrycount(log); i++)
			err = add_start(
				gs,
				git_reflog_entry_id_new(
					git_reflog_entry_byindex(log, i)),
				1);
		git_reflog_free(log);
	}
	return err;
}

static int add_named_refs(struct gitscan *gs)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < gs->opts->nrefs; i++) {
		git_object *obj;

		if (git_revparse_single(&obj, gs->repo, gs->opts->refs[i]))
			return error_set(NFG_EINVAL, "unknown ref '%s'",
					 gs->opts->refs[i]);
		gs->gt->refs++;
		err = add_start(gs, git_object_id(obj), 1);
		git_object_free(obj);
	}
	return err;
}

/* The commits of a range A..B: reachable from B and not from A. */
static int walk_error(const char *what, const char *spec)
{
	const git_error *e = git_error_last();

	return error_set(NFG_EINVAL, "bad %s '%s': %s", what, spec,
			 e && e->message ? e->message : "unknown");
}

/* Pushes (or hides) the commit a revision names. 0 or a libgit2 error. */
static int push_rev(struct gitscan *gs, git_revwalk *walk, const char *rev,
		    int hide)
{
	git_object *obj;
	int err = git_revparse_single(&obj, gs->repo, rev);

	if (err)
		return err;
	err = hide ? git_revwalk_hide(walk, git_object_id(obj))
		   : git_revwalk_push(walk, git_object_id(obj));
	git_object_free(obj);
	return err;
}

/*
 * The messages of the annotated tags a range's tip names (a pushed tag
 * brings its message): "B" of "A..B" ("A.." is HEAD), or the single tip.
 */
static int scan_tip_tags(struct gitscan *gs, const char *range)
{
	const char *dots = strstr(range, "..");
	const char *tip = dots ? (dots[2] ? dots + 2 : "HEAD") : range;
	git_object *obj, *next;
	int depth, err = 0;

	if (git_revparse_single(&obj, gs->repo, tip))
		return 0; /* the walk has read it: cannot fail here */
	for (depth = 0;
	     !err && depth < 64 && git_object_type(obj) == GIT_OBJECT_TAG;
	     depth++) {
		err = scan_tag(gs, (git_tag *)obj, 1);
		if (!err && git_tag_target(&next, (git_tag *)obj)) {
			gs_object_error(gs, "object",
					git_tag_target_id((git_tag *)obj));
			break;
		}
		if (!err) {
			git_object_free(obj);
			obj = next;
		}
	}
	git_object_free(obj);
	return err;
}

/* The commits a range hides, peeled: an array grown by hide_add. */
struct hidden {
	git_repository *repo;
	git_oid *v;
	size_t n, cap;
};

static int hide_add(struct hidden *h, const git_object *obj)
{
	git_object *c;
	int err;

	if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT))
		return 0; /* not a commit-ish: the walk hid nothing for it */
	err = ARRAY_GROW(h->v, h->n, h->cap);
	if (!err)
		git_oid_cpy(&h->v[h->n++], git_object_id(c));
	git_object_free(c);
	return err;
}

static int hide_ref(const char *name, void *payload)
{
	struct hidden *h = payload;
	git_object *obj;
	int err;

	if (git_revparse_single(&obj, h->repo, name))
		return 0;
	err = hide_add(h, obj);
	git_object_free(obj);
	return err ? GIT_EUSER : 0;
}

/*
 * A range that walked no commit. git lists none either when its tip is
 * hidden (the tip, or reachable from A or an excluded revision): a
 * warning, as a gate that scanned nothing must say so. A tip that nothing
 * hides yet walked no commit would be a walk that disagrees with git:
 * nothing was scanned, an error (checked apart from the walk, with
 * libgit2's graph functions).
 */
static int check_empty_range(struct gitscan *gs, const char *range)
{
	const struct git_opts *o = gs->opts;
	struct hidden h = {gs->repo, NULL, 0, 0};
	git_revspec spec = {NULL, NULL, 0};
	git_object *tip = NULL, *obj;
	int two = strstr(range, "..") != NULL, hidden = 0, err = 0;
	size_t i;

	/* The walk read the range: a failure here leaves hidden 0. */
	if (git_revparse(&spec, gs->repo, range) ||
	    git_object_peel(&tip, two ? spec.to : spec.from,
			    GIT_OBJECT_COMMIT) ||
	    (two && (err = hide_add(&h, spec.from))))
		goto report;
	for (i = 0; !err && i < o->nexcludes; i++)
		if (!git_revparse_single(&obj, gs->repo, o->excludes[i])) {
			err = hide_add(&h, obj);
			git_object_free(obj);
		}
	for (i = 0; !err && i < o->nexclude_globs; i++)
		if (git_reference_foreach_glob(gs->repo, o->exclude_globs[i],
					       hide_ref, &h) == GIT_EUSER)
			err = error_set(NFG_ENOMEM, "out of memory");
	for (i = 0; !err && i < h.n && !hidden; i++)
		hidden = git_oid_equal(&h.v[i], git_object_id(tip));
	if (!err && !hidden && h.n)
		hidden = git_graph_reachable_from_any(
				 gs->repo, git_object_id(tip), h.v, h.n) == 1;
report:
	if (err)
		goto done;
	if (hidden)
		gs_problem(gs, PROBLEM_WARNING,
			   "the range '%s' holds no commit", range);
	else
		gs_problem(gs, PROBLEM_ERROR,
			   "the range '%s' walked no commit, but git lists "
			   "its tip: nothing was scanned",
			   range);
done:
	git_object_free(tip);
	git_object_free(spec.from);
	git_object_free(spec.to);
	free(h.v);
	return err;
}

/*
 * The commits of a range: "A..B" (reachable from B and not from A) or a
 * single tip "B", less whatever the excluded revisions and ref globs reach
 * (a pre-push hook: "only what the remote does not have yet").
 */
static int add_range(struct gitscan *gs, const char *range)
{
	const struct git_opts *o = gs->opts;
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i;
	int err = 0;

	if (git_revwalk_new(&walk, gs->repo)) {
		err = walk_error("range", range);
		goto done;
	}
	if (strstr(range, "..") ? git_revwalk_push_range(walk, range)
				: push_rev(gs, walk, range, 0)) {
		err = walk_error("range", range);
		goto done;
	}
	for (i = 0; i < o->nexcludes; i++)
		if (push_rev(gs, walk, o->excludes[i], 1)) {
			err = walk_error("revision", o->excludes[i]);
			goto done;
		}
	for (i = 0; i < o->nexclude_globs; i++)
		if (git_revwalk_hide_glob(walk, o->exclude_globs[i])) {
			err = walk_error("ref glob", o->exclude_globs[i]);
			goto done;
		}
	gs->gt->refs++;
	while (!git_revwalk_next(&id, walk))
		if ((err = add_commit(gs, &id, 1, NULL)))
			break;
	if (!err)
		err = scan_tip_tags(gs, range);
	if (!err && !gs->ncommits)
		err = check_empty_range(gs, range);
done:
	git_revwalk_free(walk);
	return err;
}

/* Reads the shallow file: the commits whose parents are not here. */
static int read_shallow(struct gitscan *gs)
{
	struct buf path;
	FILE *f;
	char line[128];
	int err = 0;

	gs->gt->shallow = git_repository_is_shallow(gs->repo) == 1;
	if (!gs->gt->shallow)
		return 0;
	buf_init(&path, 8192);
	if ((err = buf_printf(&path, "%sshallow", gs->gitdir)))
		goto done;
	f = fopen(path.ptr, "r");
	while (!err && f && fgets(line, sizeof(line), f)) {
		git_oid id;

		if (!git_oid_fromstrn(&id, line, GIT_OID_HEXSZ))
			err = idmap_put(&gs->shallow, id.id, 0, NULL, NULL);
	}
	if (f)
		fclose(f);
done:
	buf_release(&path);
	return err;
}

/* A binary heap of commit indices, oldest committer time first. */
struct heap {
	uint32_t *v;
	size_t n;
	const struct gcommit *c;
};

static int heap_less(const struct heap *h, uint32_t a, uint32_t b)
{
	if (h->c[a].time != h->c[b].time)
		return h->c[a].time < h->c[b].time;
	return git_oid_cmp(&h->c[a].oid, &h->c[b].oid) < 0;
}

static void heap_push(struct heap *h, uint32_t x)
{
	size_t i = h->n++;

	while (i && heap_less(h, x, h->v[(i - 1) / 2])) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = x;
}

static uint32_t heap_pop(struct heap *h)
{
	uint32_t top = h->v[0], x = h->v[--h->n];
	size_t i = 0;

	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= h->n)
			break;
		if (l + 1 < h->n && heap_less(h, h->v[l + 1], h->v[l]))
			m = l + 1;
		if (!heap_less(h, h->v[m], x))
			break;
		h->v[i] = h->v[m];
		i = m;
	}
	if (h->n)
		h->v[i] = x;
	return top;
}

/*
 * Sorts the commits so that parents come before children, the oldest
 * first among those ready (Kahn's algorithm), and renumbers the parents.
 */
static int topo_sort(struct gitscan *gs)
{
	uint32_t n = gs->ncommits, i, k, *pending = NULL, *child0 = NULL;
	uint32_t *children = NULL, *order = NULL, *newidx = NULL;
	struct gcommit *sorted = NULL;
	uint32_t *newparents = NULL;
	struct heap h = {NULL, 0, gs->commits};
	int err = 0;

	if (!n)
		return 0;
	pending = calloc(n, sizeof(*pending));
	child0 = calloc((size_t)n + 1, sizeof(*child0));
	children = calloc(gs->nparents ? gs->nparents : 1, sizeof(*children));
	order = calloc(n, sizeof(*order));
	newidx = calloc(n, sizeof(*newidx));
	h.v = calloc(n, sizeof(*h.v));
	sorted = calloc(n, sizeof(*sorted));
	newparents =
		calloc(gs->nparents ? gs->nparents : 1, sizeof(*newparents));
	if (!pending || !child0 || !children || !order || !newidx || !h.v ||
	    !sorted || !newparents) {
		err = error_set(NFG_ENOMEM, "out of memory");
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
	for (i = 0; i < n; i++)
		if (!pending[i])
			heap_push(&h, i);
	for (k = 0; h.n; k++) {
		uint32_t c = heap_pop(&h), j;

		order[k] = c;
		newidx[c] = k;
		for (j = child0[c]; j < child0[c + 1]; j++)
			if (!--pending[children[j]])
				heap_push(&h, children[j]);
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
	free(h.v);
	free(sorted);
	free(newparents);
	return err;
}

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
	git_object_t type;
	size_t len;

	if (idmap_get(&gs->commit_ids, id->id) ||
	    idmap_get(&gs->blob_ids, id->id) ||
	    idmap_get(&gs->tree_ids, id->id) || idmap_get(&gs->tag_ids, id->id))
		return 0;
	if (git_odb_read_header(&len, &type, lo->odb, id)) {
		gs_object_error(gs, "object", id);
		return 0;
	}
	switch (type) {
	case GIT_OBJECT_COMMIT:
		lo->err = add_commit(gs, id, 0, NULL);
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
				 git_error_last()->message);
	if (git_odb_foreach(lo->odb, collect_loose, lo) && lo->err)
		return lo->err;
	if (gs->ncommits > from &&
	    ((err = load_commits(gs, from, 0)) || (err = topo_sort(gs)) ||
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
		err = scan_tag(gs, tag, 0);
		git_tag_free(tag);
		if (err)
			return err;
	}
	return 0;
}

static void release_loose(struct loose_objects *lo)
{
	git_odb_free(lo->odb);
	free(lo->trees.v);
	free(lo->blobs.v);
	free(lo->tags.v);
}

static const char *env_work_tree;

void source_git_set_work_tree(const char *path)
{
	env_work_tree = path;
}

int gs_has_work_tree(git_repository *repo, int from_env)
{
	return !git_repository_is_bare(repo) || (from_env && env_work_tree);
}

int gs_open(git_repository **out, const char *repo, int flags, char **where)
{
	const char *path = repo ? repo : ".";
	int from_env = flags & GS_FROM_ENV;
	const char *dir;
	struct stat st;
	size_t n;
	int err;

	*out = NULL;
	*where = NULL;
	git_libgit2_init();
	/* zlib's checksum still catches corrupt data; SHA-1 of every
	 * object read would triple the cost of a full-history scan. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/*
	 * An incident responder scans other users' repositories. The
	 * ownership check (safe.directory) guards programs that run what a
	 * repository's config names; nfguard only reads objects and runs
	 * nothing, so it need not refuse them.
	 */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	/*
	 * Each tree is read once, so libgit2's object cache (256 MiB by
	 * default) buys nothing but memory; nor need whole packs stay mapped.
	 * Measured on curl: peak RSS 544 -> 283 MiB, same wall time.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)16 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)128 << 20);
	/*
	 * In a hook, git describes the repository in the environment
	 * (GIT_DIR, GIT_INDEX_FILE, the quarantine of pushed objects).
	 */
	/* A file is no repository, even inside a work tree. */
	if (!from_env && (stat(path, &st) || !S_ISDIR(st.st_mode)))
		return error_set(NFG_ENOTFOUND, "'%s' is not a git repository",
				 path);
	err = from_env ? git_repository_open_ext(
				 out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL)
		       : git_repository_open_ext(
				 out, path,
				 flags & GS_NO_SEARCH
					 ? GIT_REPOSITORY_OPEN_NO_SEARCH
					 : 0,
				 NULL);
	if (err)
		return error_set(NFG_ENOTFOUND, "'%s' is not a git repository",
				 path);
	/*
	 * GIT_WORK_TREE only names where the work tree is: nfguard reads the
	 * index and objects, never work tree files, so libgit2 need not know
	 * (its git_repository_set_workdir leaks, too).
	 */
	if (from_env && env_work_tree)
		dir = env_work_tree;
	else
		dir = git_repository_is_bare(*out)
			      ? git_repository_path(*out)
			      : git_repository_workdir(*out);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	*where = strndup(dir, n);
	if (!*where) {
		git_repository_free(*out);
		*out = NULL;
		return error_set(NFG_ENOMEM, "out of memory");
	}
	return 0;
}

static int open_repo(struct gitscan *gs)
{
	git_oid head;
	int err = gs_open(&gs->repo, gs->opts->repo,
			  (gs->opts->from_env ? GS_FROM_ENV : 0) |
				  (gs->opts->no_search ? GS_NO_SEARCH : 0),
			  &gs->gt->repository);

	if (err)
		return err;
	gs->gitdir = git_repository_path(gs->repo);
	if (!git_reference_name_to_id(&head, gs->repo, "HEAD"))
		git_oid_tostr(gs->gt->revision, sizeof(gs->gt->revision),
			      &head);
	return 0;
}

static void release(struct gitscan *gs)
{
	uint32_t i;

	for (i = 0; i < gs->nblobs; i++) {
		free(gs->blobs[i].path);
		findings_release(&gs->blobs[i].hits);
	}
	for (i = 0; i < gs->nintros; i++)
		free(gs->intros[i].path);
	free(gs->intros);
	free(gs->blobs);
	free(gs->commits);
	free(gs->parents);
	idmap_release(&gs->shallow);
	gs_packs_release(gs);
	git_odb_free(gs->odb);
	idmap_release(&gs->commit_ids);
	idmap_release(&gs->blob_ids);
	idmap_release(&gs->tree_ids);
	idmap_release(&gs->tag_ids);
	scanner_free(gs->sc);
	git_repository_free(gs->repo);
}

void git_totals_release(struct git_totals *gt)
{
	free(gt->repository);
	gt->repository = NULL;
}

/* The unique blobs of history that the scan could read. */
static uint64_t blobs_read(const struct gitscan *gs)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < gs->nblobs; i++)
		n += !gs->blobs[i].unreadable;
	return n;
}

int source_git_scan(const struct ruleset *rs, const struct git_opts *opts,
		    problem_fn problem, void *pctx, struct findings *out,
		    struct scan_totals *totals, struct git_totals *gt)
{
	struct loose_objects lo;
	struct read_ahead ra;
	struct gitscan gs;
	int err, range = opts->range != NULL;
	/*
	 * A whole-history scan reads nearly every blob of the packs anyway:
	 * read them all ahead, in pack order, while the commits are walked.
	 */
	int ahead = !range && !opts->nrefs && !opts->unreachable;

	memset(&gs, 0, sizeof(gs));
	memset(&lo, 0, sizeof(lo));
	memset(&ra, 0, sizeof(ra));
	memset(gt, 0, sizeof(*gt));
	gs.rs = rs;
	gs.opts = opts;
	gs.problem = problem;
	gs.pctx = pctx;
	gs.out = out;
	gs.totals = totals;
	gs.gt = gt;
	idmap_init(&gs.commit_ids);
	idmap_init(&gs.blob_ids);
	idmap_init(&gs.tree_ids);
	idmap_init(&gs.tag_ids);
	idmap_init(&gs.shallow);
	if ((err = open_repo(&gs)) || (err = scanner_new(&gs.sc, rs)) ||
	    (err = read_shallow(&gs)) ||
	    (ahead && (err = gs_ahead_start(&gs, &ra))))
		goto done;
	if (range)
		err = add_range(&gs, opts->range);
	else if (opts->nrefs)
		err = add_named_refs(&gs);
	else
		err = add_all_refs(&gs);
	if (err || (err = load_commits(&gs, 0, range)) ||
	    (err = topo_sort(&gs)) || (err = gs_walk_trees(&gs)))
		goto done;
	if (opts->unreachable && !range && (err = add_unreachable(&gs, &lo)))
		goto done;
	if (gs.gt->shallow)
		gs_problem(&gs, PROBLEM_WARNING,
			   "shallow clone: history before %zu "
			   "commit%s is cut",
			   gs.shallow.n, gs.shallow.n == 1 ? "" : "s");
	gt->commits = gs.ncommits;
	err = ahead ? gs_ahead_finish(&gs, &ra) : gs_scan_blobs(&gs);
	gt->blobs = blobs_read(&gs);
	if (err)
		goto done;
	err = gs_attribute(&gs);
done:
	gs_ahead_release(&ra);
	release_loose(&lo);
	release(&gs);
	findings_sort(out);
	return err;
}

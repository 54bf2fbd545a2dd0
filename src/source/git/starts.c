/*
 * The starting points of a history scan: every ref, HEAD, linked
 * worktrees' HEADs and older stash entries by default; the --ref
 * revisions; or the commits of a range, less what it excludes. Tags on
 * the way are scanned; trees and blobs named directly are walked or added.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git/internal.h"

#include <fts.h>
#include <sys/stat.h>

/*
 * A commit a starting point names: one of the scan's tips; it joins the
 * graph, or, when earlier scans are left out, waits in gt->tips for the
 * search that leaves them out (since.c). An unreadable commit is
 * reported by the search and the graph alike.
 */
static int add_start_commit(struct gitscan *gs, const git_oid *id,
			    int reachable)
{
	struct gitscan_totals *gt = gs->gt;
	int err = array_reserve(&gt->tips, &gs->captips,
				(gt->ntips + 1) * GIT_OID_RAWSZ, 1);

	if (err)
		return err;
	memcpy(gt->tips + gt->ntips++ * GIT_OID_RAWSZ, id->id, GIT_OID_RAWSZ);
	return gs->closed ? 0 : gs_add_commit(gs, id, reachable, NULL);
}

/*
 * Follows a starting point through tags to what it names: commits join
 * the graph, trees and blobs are walked or added directly.
 */
static int add_start(struct gitscan *gs, const git_oid *start, int reachable)
{
	git_oid id = *start;
	git_object *obj;
	int depth, err;

	for (depth = 0; depth < 64; depth++) {
		git_object_t type;

		/* A tip the last scan recorded is a commit: not read again. */
		if (idmap_get(&gs->recorded, id.id))
			return add_start_commit(gs, &id, reachable);
		if (git_object_lookup(&obj, gs->repo, &id, GIT_OBJECT_ANY)) {
			gs_object_error(gs, "object", &id);
			return 0;
		}
		type = git_object_type(obj);
		if (type == GIT_OBJECT_TAG) {
			err = gs_scan_tag(gs, (git_tag *)obj, reachable);
			id = *git_tag_target_id((git_tag *)obj);
			git_object_free(obj);
			if (err)
				return err;
			continue;
		}
		git_object_free(obj);
		if (type == GIT_OBJECT_COMMIT)
			return add_start_commit(gs, &id, reachable);
		if (type == GIT_OBJECT_TREE)
			return gs_walk_loose_tree(gs, &id, reachable);
		if (type == GIT_OBJECT_BLOB)
			return gs_add_blob(gs, &id, "", reachable, NULL);
		return 0;
	}
	return 0;
}

/*
 * Marks the commit a notes ref (under refs/notes/) names; any other ref,
 * or none, marks nothing. Its tree names notes by the ids they annotate.
 */
static void mark_notes(struct gitscan *gs, const git_reference *ref)
{
	git_object *c;
	uint32_t *at;

	if (!ref || strncmp(git_reference_name(ref), "refs/notes/", 11) ||
	    git_reference_peel(&c, ref, GIT_OBJECT_COMMIT))
		return;
	if ((at = idmap_get(&gs->commit_ids, git_object_id(c)->id)))
		gs->commits[*at].notes = 1;
	git_object_free(c);
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

/*
 * libgit2's ref iterator passes over a loose ref it cannot read (garbage
 * in the file, a name git would not accept) without a word, and the
 * commits only that ref holds would go unscanned: every file under the
 * common git dir's refs/ must read as a ref, else it is an error. fts
 * walks without recursion; a symbolic link is not followed.
 */
static void check_loose_refs(struct gitscan *gs)
{
	const char *common = git_repository_commondir(gs->repo);
	char *roots[2] = {NULL, NULL};
	struct buf path;
	FTS *fts;
	FTSENT *e;
	size_t skip;

	buf_init(&path, 8192);
	if (buf_printf(&path, "%srefs", common)) {
		buf_release(&path);
		return;
	}
	skip = strlen(common);
	roots[0] = path.ptr;
	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	while (fts && (e = fts_read(fts))) {
		git_reference *ref = NULL;
		const char *name = e->fts_path + skip;

		if (e->fts_info == FTS_DNR || e->fts_info == FTS_ERR)
			gs_problem(gs, PROBLEM_ERROR,
				   "cannot read ref folder "
				   "'%s': %s",
				   name, strerror(e->fts_errno));
		if (e->fts_info != FTS_F && e->fts_info != FTS_SL)
			continue;
		/* A lock or a half-written ref of a running git: not a ref. */
		if (e->fts_namelen > 5 &&
		    !strcmp(e->fts_name + e->fts_namelen - 5, ".lock"))
			continue;
		if (git_reference_lookup(&ref, gs->repo, name))
			gs_problem(gs, PROBLEM_ERROR,
				   "ref '%s' cannot be read, so what only it "
				   "holds was not scanned: %s",
				   name, gs_git_error());
		git_reference_free(ref);
	}
	if (!fts && errno != ENOENT)
		gs_problem(gs, PROBLEM_ERROR, "cannot list the refs folder: %s",
			   strerror(errno));
	if (fts)
		fts_close(fts);
	buf_release(&path);
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

	/* Names first: a tag's "tag NAME" header then repeats no ref. */
	if ((err = gs_scan_ref_names(gs)))
		return err;
	check_loose_refs(gs);
	if (git_reference_iterator_new(&it, gs->repo))
		return error_set(NFG_EIO, "cannot list refs: %s",
				 gs_git_error());
	while (!err && !git_reference_next(&ref, it)) {
		if (!git_reference_resolve(&res, ref)) {
			gs->gt->refs++;
			err = add_start(gs, git_reference_target(res), 1);
			mark_notes(gs, res);
			git_reference_free(res);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (!err && !git_reference_name_to_id(&head, gs->repo, "HEAD")) {
		gs->gt->refs++;
		err = add_start(gs, &head, 1);
	} else if (!err && git_reference_lookup(&ref, gs->repo, "HEAD")) {
		/* Not a branch yet to be born: a HEAD git would refuse. */
		gs_problem(gs, PROBLEM_ERROR, "HEAD cannot be read: %s",
			   gs_git_error());
	} else if (!err) {
		git_reference_free(ref);
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

/* The --ref revisions, each a starting point. */
static int add_named_refs(struct gitscan *gs)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < gs->opts->nrefs; i++) {
		git_reference *ref = NULL;
		git_object *obj;

		if (git_revparse_ext(&obj, &ref, gs->repo, gs->opts->refs[i]))
			return error_set(NFG_EINVAL, "unknown ref '%s'",
					 gs->opts->refs[i]);
		gs->gt->refs++;
		err = add_start(gs, git_object_id(obj), 1);
		mark_notes(gs, ref);
		git_reference_free(ref);
		git_object_free(obj);
	}
	return err;
}

/* A range, revision or ref glob that libgit2 could not walk. */
static int walk_error(const char *what, const char *spec)
{
	return error_set(NFG_EINVAL, "bad %s '%s': %s", what, spec,
			 gs_git_error());
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
		err = gs_scan_tag(gs, (git_tag *)obj, 1);
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
	const struct gitscan_opts *o = gs->opts;
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
			err = error_nomem();
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
 * Says what is wrong with one end of a range, in git's words: libgit2's
 * own message for an unknown name is "OID prefix is too short" or
 * "revspec not found". 0 when rev names an object.
 */
static int check_rev(struct gitscan *gs, const char *rev, size_t len,
		     const char *range)
{
	git_object *obj;
	char *name = strndup(rev, len);
	int err = 0, rc;

	if (!name)
		return error_nomem();
	rc = git_revparse_single(&obj, gs->repo, name);
	if (!rc)
		git_object_free(obj);
	else if (git_error_last() && git_error_last()->klass == GIT_ERROR_ODB)
		/* The name is known, an object on the way is not there. */
		err = error_set(NFG_EINVAL, "bad range '%s': %s", range,
				gs_git_error());
	else if (rc == GIT_EAMBIGUOUS && len >= GIT_OID_MINPREFIXLEN)
		err = error_set(NFG_EINVAL,
				"bad range '%s': the revision '%s' is "
				"ambiguous (give more of the commit id)",
				range, name);
	else if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS ||
		 rc == GIT_EINVALIDSPEC)
		err = error_set(NFG_EINVAL,
				"bad range '%s': unknown revision '%s'", range,
				name);
	free(name);
	return err;
}

/*
 * Checks a range's form and both its ends before the walk, so that the
 * error names what is wrong: three dots (a symmetric difference, which
 * a scan of what a push brings has no use for) or an unknown revision.
 */
static int check_range(struct gitscan *gs, const char *range)
{
	const char *dots = strstr(range, "..");
	int err;

	if (strstr(range, "..."))
		return error_set(NFG_EINVAL,
				 "bad range '%s': three-dot ranges are not "
				 "supported; use A..B (the commits of B "
				 "that A lacks)",
				 range);
	if (!dots)
		return check_rev(gs, range, strlen(range), range);
	if (dots > range &&
	    (err = check_rev(gs, range, (size_t)(dots - range), range)))
		return err;
	return dots[2] ? check_rev(gs, dots + 2, strlen(dots + 2), range) : 0;
}

/*
 * The commits of a range: "A..B" (reachable from B and not from A) or a
 * single tip "B", less whatever the excluded revisions and ref globs reach
 * (a pre-push hook: "only what the remote does not have yet").
 */
static int add_range(struct gitscan *gs, const char *range)
{
	const struct gitscan_opts *o = gs->opts;
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i;
	int err = 0, rc = 0;

	if ((err = check_range(gs, range)))
		goto done;
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
	while (!(rc = git_revwalk_next(&id, walk)))
		if ((err = gs_add_commit(gs, &id, 1, NULL)))
			break;
	/* A commit the walk could not read (a hidden one's parent too): the
	 * range is not whole. */
	if (!err && rc != GIT_ITEROVER)
		err = walk_error("range", range);
	if (!err)
		err = scan_tip_tags(gs, range);
	if (!err && !gs->ncommits)
		err = check_empty_range(gs, range);
done:
	git_revwalk_free(walk);
	return err;
}

/*
 * Marks the commits notes refs name once they are in the graph (the refs
 * were met before the walk that adds them).
 */
static void mark_notes_refs(struct gitscan *gs)
{
	git_reference_iterator *it = NULL;
	git_reference *ref, *res;

	if (git_reference_iterator_glob_new(&it, gs->repo, "refs/notes/*"))
		return; /* then add_all_refs could not list them either */
	while (!git_reference_next(&ref, it)) {
		if (!git_reference_resolve(&res, ref)) {
			mark_notes(gs, res);
			git_reference_free(res);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
}

/*
 * Every ref, less what opts->exclude_ids reach: the starting points are
 * gathered, and what they reach that those commits do not joins the
 * graph (since.c).
 */
static int add_refs_since(struct gitscan *gs)
{
	int err;

	if ((err = add_all_refs(gs)) || (err = gs_add_since(gs)))
		return err;
	mark_notes_refs(gs);
	return 0;
}

int gs_check_excludes(struct gitscan *gs)
{
	const struct gitscan_opts *o = gs->opts;
	git_odb *odb = NULL;
	git_oid id, first;
	size_t i, missing = 0;
	char hex[GIT_OID_HEXSZ + 1];
	int err = 0;

	if (!o->nexclude_ids)
		return 0;
	if (o->range || o->nrefs || o->unreachable)
		return error_set(NFG_EINVAL, "commits to leave out go with "
					     "every ref only");
	if (git_repository_odb(&odb, gs->repo))
		return error_set(NFG_EIO, "cannot open the object database: %s",
				 gs_git_error());
	for (i = 0; i < o->nexclude_ids; i++) {
		git_oid_fromraw(&id, o->exclude_ids + i * GIT_OID_RAWSZ);
		if (!git_odb_exists(odb, &id) && !missing++)
			first = id;
	}
	git_odb_free(odb);
	gs->gt->excludes_missing = missing;
	if (!missing) {
		gs->closed = 1;
		for (i = 0; !err && i < o->nexclude_ids; i++)
			err = idmap_put(&gs->recorded,
					o->exclude_ids + i * GIT_OID_RAWSZ, 0,
					NULL, NULL);
		return err;
	}
	git_oid_tostr(hex, sizeof(hex), &first);
	gs_problem(gs, PROBLEM_WARNING,
		   "history rewritten: %zu of the %zu commits scanned before "
		   "%s gone (%s%s): the whole history is scanned",
		   missing, o->nexclude_ids, missing == 1 ? "is" : "are", hex,
		   missing > 1 ? ", ..." : "");
	return 0;
}

int gs_add_starts(struct gitscan *gs)
{
	if (gs->opts->range)
		return add_range(gs, gs->opts->range);
	if (gs->opts->nrefs)
		return add_named_refs(gs);
	return gs->closed ? add_refs_since(gs) : add_all_refs(gs);
}

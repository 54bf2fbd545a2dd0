/*
 * The staged source, for pre-commit hooks: the index compared with HEAD
 * (renames detected, no context lines), and in each added or changed file
 * only the tokens on added lines. Staged blobs are read from the object
 * database, so partially staged files and merges are seen as git will
 * commit them.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/git/alternates.h"
#include "source/git/internal.h"
#include "source/git/odb_check.h"

/* Line numbers added in one file's new version, in increasing order. */
struct added_lines {
	size_t *v;
	size_t n, cap;
	int binary; /* no line information: compare tokens instead */
};

static int collect_added(git_patch *patch, struct added_lines *al)
{
	size_t h, l, nh = git_patch_num_hunks(patch);
	int err = 0;

	for (h = 0; !err && h < nh; h++) {
		size_t nl = (size_t)git_patch_num_lines_in_hunk(patch, h);

		for (l = 0; !err && l < nl; l++) {
			const git_diff_line *line;

			if (git_patch_get_line_in_hunk(&line, patch, h, l))
				return error_set(NFG_EIO, "cannot diff: %s",
						 gs_git_error());
			if (line->origin != GIT_DIFF_LINE_ADDITION)
				continue;
			if (!(err = ARRAY_GROW(al->v, al->n, al->cap)))
				al->v[al->n++] = (size_t)line->new_lineno;
		}
	}
	return err;
}

static int is_added(const struct added_lines *al, uint64_t line)
{
	size_t lo = 0, hi = al->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (al->v[mid] == line)
			return 1;
		if (al->v[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* What every step of the staged scan reads with, and counts into. */
struct staged {
	git_repository *repo;
	struct collector *sc;
	char *lfs_objects; /* the LFS store's objects folder */
	struct scan_totals *t;
};

/*
 * Claims a failed check of the object database (odb_check.h): counted
 * as a corrupt object, *id and why filled. 1 when there was one, else 0.
 */
static int claim_corrupt(const struct staged *s, git_oid *id, struct buf *why)
{
	if (gs_odb_corrupt(s->repo, id, why) != 1)
		return 0;
	s->t->objects_corrupt++;
	return 1;
}

/*
 * The error to return when libgit2 failed to read what path names
 * (what: "read the staged" or "diff"): "cannot <what> '<path>': ...",
 * with where the object lies when it failed a check.
 */
static int git_failure(const struct staged *s, const char *what,
		       const char *path)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct buf why;
	git_oid id;
	int err;

	buf_init(&why, 4096);
	if (claim_corrupt(s, &id, &why)) {
		git_oid_tostr(hex, sizeof(hex), &id);
		err = error_set(NFG_ECORRUPT,
				"cannot %s '%s': object %s is corrupt: %s",
				what, path, hex, why.ptr);
	} else {
		err = error_set(NFG_EIO, "cannot %s '%s': %s", what, path,
				gs_git_error());
	}
	buf_release(&why);
	return err;
}

/*
 * Scans one blob into out, and its LFS object when it is a pointer (*lfs
 * says); bytes read are counted.
 */
static int scan_blob(const struct staged *s, const git_oid *id,
		     const char *path, struct findings *out, enum gs_lfs *lfs)
{
	char why[1024];
	git_blob *blob;
	uint64_t n = 0;
	int err;

	if (git_blob_lookup(&blob, s->repo, id))
		return git_failure(s, "read the staged", path);
	s->t->files++;
	s->t->bytes += (uint64_t)git_blob_rawsize(blob);
	err = source_scan_mem(s->sc, path, git_blob_rawcontent(blob),
			      (size_t)git_blob_rawsize(blob), out);
	if (!err)
		err = gs_lfs_scan(s->lfs_objects, s->sc, path,
				  git_blob_rawcontent(blob),
				  (size_t)git_blob_rawsize(blob), out, &n, lfs);
	s->t->bytes += n;
	/*
	 * The blob's bytes, and the patch's lines that point into its copy,
	 * are libgit2's (its object, odb and pack caches): nfguard cannot
	 * wipe them. What it owns of them is wiped: the findings' secrets
	 * (finding_release) and the engine's stream buffer for LFS objects.
	 */
	if (err == NFG_EIO) {
		snprintf(why, sizeof(why), "%s", error_last());
		err = error_set(NFG_EIO,
				"cannot scan the LFS object of the staged "
				"'%s': %s",
				path, why);
	}
	git_blob_free(blob);
	return err;
}

/* 1 if l holds f's token at a place no inline marker allows. */
static int has_token(const struct findings *l, const struct finding *f)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!l->v[i].inline_allowed &&
		    !memcmp(l->v[i].digest, f->digest, sizeof(f->digest)))
			return 1;
	return 0;
}

/*
 * Keeps from found what the change added: findings on added lines, or, in
 * a binary file, tokens the old version did not hold.
 */
static int keep_added(struct findings *found, const struct added_lines *al,
		      const struct findings *old, struct findings *out)
{
	size_t i;
	int err = 0;

	for (i = 0; i < found->n; i++) {
		struct finding *f = &found->v[i];
		int keep =
			al->binary ? !has_token(old, f) : is_added(al, f->line);

		if (keep && !err)
			err = findings_push(out, f);
	}
	findings_release(found);
	return err;
}

/*
 * A path the change adds (a new file, or the new name of a renamed or
 * copied one): the tokens in its name that the old name did not hold,
 * as "path-name" findings at line 1.
 */
static int scan_new_name(struct collector *sc, const git_diff_delta *d,
			 struct findings *out)
{
	struct findings found, old;
	size_t i;
	int err;

	findings_init(&found);
	findings_init(&old);
	err = gs_scan_name(sc, d->new_file.path, d->new_file.path, &found);
	if (!err && found.n && d->status != GIT_DELTA_ADDED)
		err = gs_scan_name(sc, d->old_file.path, d->old_file.path,
				   &old);
	for (i = 0; !err && i < found.n; i++) {
		struct finding *f = &found.v[i];

		f->inline_allowed = 0;
		if (has_token(&old, f))
			continue;
		if (!(f->location = strdup("path-name")))
			err = error_nomem();
		else
			err = findings_push(out, f);
	}
	findings_release(&found);
	findings_release(&old);
	return err;
}

static int scan_delta(const struct staged *s, git_diff *diff, size_t i,
		      struct findings *out)
{
	const git_diff_delta *d = git_diff_get_delta(diff, i);
	struct added_lines al = {NULL, 0, 0, 0};
	struct findings found, old;
	git_patch *patch = NULL;
	enum gs_lfs lfs, old_lfs;
	int err;

	switch (d->status) {
	case GIT_DELTA_ADDED:
	case GIT_DELTA_MODIFIED:
	case GIT_DELTA_RENAMED:
	case GIT_DELTA_COPIED:
	case GIT_DELTA_TYPECHANGE:
		break;
	default:
		return 0; /* deleted, unmodified, conflicted: nothing added */
	}
	if (d->status != GIT_DELTA_MODIFIED &&
	    d->status != GIT_DELTA_TYPECHANGE &&
	    (err = scan_new_name(s->sc, d, out)))
		return err;
	if (d->new_file.mode == GIT_FILEMODE_COMMIT)
		return 0; /* a submodule: not followed */
	findings_init(&found);
	findings_init(&old);
	if (git_patch_from_diff(&patch, diff, i)) {
		err = git_failure(s, "diff", d->new_file.path);
		goto done;
	}
	al.binary =
		(git_patch_get_delta(patch)->flags & GIT_DIFF_FLAG_BINARY) != 0;
	if ((err = al.binary ? 0 : collect_added(patch, &al)))
		goto done;
	if (!al.binary && !al.n)
		goto done; /* a pure rename or mode change */
	if ((err = scan_blob(s, &d->new_file.id, d->new_file.path, &found,
			     &lfs)))
		goto done;
	gs_lfs_count(s->t, lfs);
	/* An LFS object has no diff: the tokens its old version lacked. */
	if (lfs >= GS_LFS_SCANNED)
		al.binary = 1;
	if (al.binary && !git_oid_is_zero(&d->old_file.id) &&
	    d->old_file.mode != GIT_FILEMODE_COMMIT &&
	    (err = scan_blob(s, &d->old_file.id, d->old_file.path, &old,
			     &old_lfs)))
		goto done;
	err = keep_added(&found, &al, &old, out);
done:
	findings_release(&found);
	findings_release(&old);
	free(al.v);
	git_patch_free(patch);
	return err;
}

/* HEAD's tree, or NULL before the first commit. */
static int head_tree(git_repository *repo, git_tree **out)
{
	git_object *obj;
	int err;

	*out = NULL;
	err = git_revparse_single(&obj, repo, "HEAD^{tree}");
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH ||
	    git_repository_head_unborn(repo) == 1)
		return 0;
	if (err)
		return error_set(NFG_EIO, "cannot read HEAD: %s",
				 gs_git_error());
	*out = (git_tree *)obj;
	return 0;
}

int source_staged_scan(const struct source_ctx *ctx, const char *repo,
		       const char *work_tree, const char *index_file,
		       int strict_objects, char **repository)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct staged s = {NULL, NULL, NULL, ctx->totals};
	struct collect_env env = {ctx->rs,     ctx->decode,  &lock,
				  ctx->totals, ctx->problem, ctx->pctx};
	struct findings *out = ctx->out;
	int flags = repo ? 0 : GS_FROM_ENV;
	git_diff_options dopts;
	git_diff_find_options fopts;
	git_index *index = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	size_t i, n;
	int err;

	if ((err = gs_open(&s.repo, repo, flags, work_tree, repository)) ||
	    (err = gs_link_alternates(s.repo, ctx->problem, ctx->pctx)) ||
	    (err = gs_odb_check(s.repo, strict_objects)))
		goto done;
	if (!gs_has_work_tree(s.repo, flags, work_tree)) {
		err = error_set(NFG_EINVAL,
				"'%s' is a bare repository: nothing is staged",
				*repository);
		goto done;
	}
	if ((err = head_tree(s.repo, &tree)) ||
	    (err = gs_lfs_objects_dir(s.repo, &s.lfs_objects)) ||
	    (err = collector_new(&s.sc, &env)))
		goto done;
	if ((err = gs_staged_index(s.repo, repo ? NULL : index_file, &index)))
		goto done;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	dopts.context_lines = 0;
	dopts.flags |= GIT_DIFF_INCLUDE_TYPECHANGE;
	fopts.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_COPIES;
	if (git_diff_tree_to_index(&diff, s.repo, tree, index, &dopts) ||
	    git_diff_find_similar(diff, &fopts)) {
		err = error_set(NFG_EIO,
				"cannot compare the index with HEAD: %s",
				gs_git_error());
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; !err && i < n; i++)
		err = scan_delta(&s, diff, i, out);
	if (!err)
		gs_lfs_warn(&lock, s.t, ctx->problem, ctx->pctx,
			    s.t->lfs_missing, s.t->lfs_malformed);
	findings_sort(out);
done:
	/* A corrupt object met inside libgit2 (the diff, the index's
	 * trees): its message says so; counted here. */
	if (err && s.repo) {
		struct buf why;
		git_oid id;

		buf_init(&why, 4096);
		claim_corrupt(&s, &id, &why);
		buf_release(&why);
	}
	git_diff_free(diff);
	git_index_free(index);
	git_tree_free(tree);
	collector_free(s.sc);
	free(s.lfs_objects);
	git_repository_free(s.repo);
	return err;
}

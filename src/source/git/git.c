/*
 * The history scan, phase by phase; each phase lives in its own file:
 *
 *   open.c         open the repository (alternates.c: the borrowed object
 *                  folders; bundle.c: a bundle); HEAD's id
 *   gitdir.c       (whole repository) the git folder's files: config...
 *   graph.c        read the shallow file
 *   ahead.c        (whole history) list every pack blob, scan in background
 *   starts.c       starting points: a range, --ref, or every ref
 *   starts.c       (every ref) names.c scans the refs' names
 *   since.c        (--state) what the refs reach that the last scan's
 *                  tips do not
 *   graph.c        load the commits (messages.c scans each object), sort
 *   tree.c         walk each commit's tree: the unique blobs and paths
 *                  (names.c scans the entries' names)
 *   unreachable.c  (--unreachable) dangling commits, trees, blobs and tags
 *   scan.c         read and scan the blobs (ahead.c: take what was read),
 *                  and the LFS objects of pointer blobs (lfs.c)
 *   attribute.c    place each token at the commits that hold it
 *
 * pack.c orders blobs by pack position; problem.c reports problems.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/internal.h"
#include "source/git/lib.h"

#include <inttypes.h>

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
	idmap_release(&gs->name_keys);
	idmap_release(&gs->ref_tokens);
	collector_free(gs->sc);
	free(gs->lfs_objects);
	git_repository_free(gs->repo);
	gs_bundle_release(gs);
	idmap_release(&gs->prereqs);
	idmap_release(&gs->corrupt_ids);
	idmap_release(&gs->recorded);
	pthread_mutex_destroy(&gs->problem_lock);
}

void gitscan_totals_release(struct gitscan_totals *gt)
{
	free(gt->repository);
	gt->repository = NULL;
	free(gt->tips);
	gt->tips = NULL;
	gt->ntips = 0;
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

/* Counts the LFS pointers of history and says what was not scanned. */
static void count_lfs(struct gitscan *gs)
{
	struct scan_totals t;
	uint32_t i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < gs->nblobs; i++)
		gs_lfs_count(&t, (enum gs_lfs)gs->blobs[i].lfs);
	gs->totals->lfs_pointers += t.lfs_pointers;
	gs->totals->lfs_missing += t.lfs_missing;
	gs->totals->lfs_malformed += t.lfs_malformed;
	gs_lfs_warn(&gs->problem_lock, gs->totals, gs->problem, gs->pctx,
		    t.lfs_missing, t.lfs_malformed);
}

/* 1 when a git-dir finding is in an index file ("index", ".../index"). */
static int in_index(const struct finding *f)
{
	const char *base = strrchr(f->path, '/');

	return f->location && !strcmp(f->location, "git-dir") &&
	       !strcmp(base ? base + 1 : f->path, "index");
}

/*
 * The index holds the work tree's paths: a token it holds in a name that
 * history reports as a path-name is the same leak, said once (by
 * history). One it holds alone (a file staged, never committed) stays.
 */
static void drop_index_names(struct findings *l)
{
	size_t i, j, kept = 0;

	for (i = 0; i < l->n; i++) {
		int dup = 0;

		for (j = 0; in_index(&l->v[i]) && !dup && j < l->n; j++)
			dup = l->v[j].location &&
			      !strcmp(l->v[j].location, "path-name") &&
			      !strcmp(l->v[j].repository, l->v[i].repository) &&
			      !memcmp(l->v[j].digest, l->v[i].digest,
				      sizeof(l->v[i].digest));
		if (dup)
			finding_release(&l->v[i]);
		else
			l->v[kept++] = l->v[i];
	}
	l->n = kept;
}

int source_git_scan(const struct source_ctx *ctx,
		    const struct gitscan_opts *opts, struct gitscan_totals *gt)
{
	struct read_ahead ra;
	struct gitscan gs;
	int err, ahead, range = opts->range != NULL;

	memset(gt, 0, sizeof(*gt));
	if ((err = gs_lib_init()))
		return err;
	memset(&gs, 0, sizeof(gs));
	memset(&ra, 0, sizeof(ra));
	gs.rs = ctx->rs;
	gs.decode = ctx->decode;
	gs.opts = opts;
	gs.problem = ctx->problem;
	gs.pctx = ctx->pctx;
	gs.out = ctx->out;
	gs.totals = ctx->totals;
	gs.gt = gt;
	pthread_mutex_init(&gs.problem_lock, NULL);
	idmap_init(&gs.commit_ids);
	idmap_init(&gs.blob_ids);
	idmap_init(&gs.tree_ids);
	idmap_init(&gs.tag_ids);
	idmap_init(&gs.name_keys);
	idmap_init(&gs.ref_tokens);
	gs.cur_commit = UINT32_MAX;
	gs.closed = range;
	idmap_init(&gs.shallow);
	idmap_init(&gs.prereqs);
	idmap_init(&gs.corrupt_ids);
	idmap_init(&gs.recorded);
	/*
	 * Only a whole-repository scan reads the git folder: a range or --ref
	 * (a CI gate, a hook) judges commits, and the git folder is then the
	 * runner's own (a CI checkout's credentials), not part of them. A
	 * bundle's is nfguard's own temporary one.
	 */
	if ((err = gs_open_scan(&gs)) || (err = gs_check_excludes(&gs)))
		goto done;
	/*
	 * A whole-history scan reads nearly every blob of the packs anyway:
	 * read them all ahead, in pack order, while the commits are walked.
	 */
	ahead = !gs.closed && !opts->nrefs && !opts->unreachable;
	if ((err = gs_lfs_objects_dir(gs.repo, &gs.lfs_objects)) ||
	    (err = gs_collector_new(&gs, &gs.sc)) ||
	    (!range && !opts->nrefs && !gs.bundle_dir &&
	     (err = gs_scan_git_dir(&gs))) ||
	    (err = gs_read_shallow(&gs)) ||
	    (err = ahead ? gs_ahead_start(&gs, &ra) : gs_pack_map(&gs)))
		goto done;
	if ((err = gs_add_starts(&gs)) ||
	    (err = gs_load_commits(&gs, 0, gs.closed)) ||
	    (err = gs_topo_sort(&gs)) || (err = gs_walk_trees(&gs)))
		goto done;
	if (opts->unreachable && !gs.closed && (err = gs_add_unreachable(&gs)))
		goto done;
	if (gs.gt->shallow)
		gs_problem(&gs, PROBLEM_WARNING,
			   "shallow clone: history before %zu "
			   "commit%s is cut",
			   gs.shallow.n, gs.shallow.n == 1 ? "" : "s");
	/* An empty repository: say so, as a scan of nothing would. */
	if (!range && !gt->refs && !gs.ncommits)
		gs_problem(&gs, PROBLEM_WARNING,
			   "no commits: only the git folder was scanned");
	gt->commits = gs.ncommits;
	err = ahead ? gs_ahead_finish(&gs, &ra) : gs_scan_blobs(&gs);
	gt->blobs = blobs_read(&gs);
	if (gs.prereqs.n) {
		gt->shallow = 1;
		gs_problem(&gs, PROBLEM_WARNING,
			   "bundle: history before its %zu prerequisite "
			   "commit%s is not in it (%" PRIu64
			   " object%s it names not scanned)",
			   gs.prereqs.n, gs.prereqs.n == 1 ? "" : "s",
			   gs.absent, gs.absent == 1 ? "" : "s");
	}
	if (err)
		goto done;
	count_lfs(&gs);
	if (!(err = gs_attribute(&gs)))
		drop_index_names(ctx->out);
done:
	gs_ahead_release(&ra);
	release(&gs);
	findings_sort(ctx->out);
	return err;
}

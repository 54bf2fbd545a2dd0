/*
 * The history scan, phase by phase; each phase lives in its own file:
 *
 *   open.c         open the repository; HEAD's id
 *   gitdir.c       (whole repository) the git folder's files: config...
 *   graph.c        read the shallow file
 *   ahead.c        (whole history) list every pack blob, scan in background
 *   starts.c       starting points: a range, --ref, or every ref
 *   graph.c        load the commits (messages.c scans each message), sort
 *   tree.c         walk each commit's tree: the unique blobs and paths
 *   unreachable.c  (--unreachable) dangling commits, trees, blobs and tags
 *   scan.c         read and scan the blobs (ahead.c: take what was read)
 *   attribute.c    place each token at the commits that hold it
 *
 * pack.c orders blobs by pack position; problem.c reports problems.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/internal.h"

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
	pthread_mutex_destroy(&gs->problem_lock);
}

void gitscan_totals_release(struct gitscan_totals *gt)
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

int source_git_scan(const struct source_ctx *ctx,
		    const struct gitscan_opts *opts, struct gitscan_totals *gt)
{
	struct read_ahead ra;
	struct gitscan gs;
	int err, range = opts->range != NULL;
	/*
	 * A whole-history scan reads nearly every blob of the packs anyway:
	 * read them all ahead, in pack order, while the commits are walked.
	 */
	int ahead = !range && !opts->nrefs && !opts->unreachable;

	memset(&gs, 0, sizeof(gs));
	memset(&ra, 0, sizeof(ra));
	memset(gt, 0, sizeof(*gt));
	gs.rs = ctx->rs;
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
	idmap_init(&gs.shallow);
	/*
	 * Only a whole-repository scan reads the git folder: a range or --ref
	 * (a CI gate, a hook) judges commits, and the git folder is then the
	 * runner's own (a CI checkout's credentials), not part of them.
	 */
	if ((err = gs_open_scan(&gs)) || (err = scanner_new(&gs.sc, ctx->rs)) ||
	    (!range && !opts->nrefs && (err = gs_scan_git_dir(&gs))) ||
	    (err = gs_read_shallow(&gs)) ||
	    (ahead && (err = gs_ahead_start(&gs, &ra))))
		goto done;
	if ((err = gs_add_starts(&gs)) ||
	    (err = gs_load_commits(&gs, 0, range)) ||
	    (err = gs_topo_sort(&gs)) || (err = gs_walk_trees(&gs)))
		goto done;
	if (opts->unreachable && !range && (err = gs_add_unreachable(&gs)))
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
	if (err)
		goto done;
	err = gs_attribute(&gs);
done:
	gs_ahead_release(&ra);
	release(&gs);
	findings_sort(ctx->out);
	return err;
}

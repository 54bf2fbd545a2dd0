/*
 * Reading ahead: a full history scan starts reading every blob of the
 * packs, in pack order, on the worker threads as soon as the repository
 * is open, while the main thread walks commits and trees to learn which
 * blobs history holds and where. Afterwards each reachable blob takes the
 * hits found in it (path allows applied now that its path is known), and
 * the few blobs no pack held (loose objects) are scanned the usual way,
 * as are LFS pointers, whose objects are read once their path is known.
 * The walk, which cannot be shared out, no longer delays the scan.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/internal.h"

int gs_ahead_start(struct gitscan *gs, struct read_ahead *ra)
{
	uint32_t *order, i;
	int err;

	memset(ra, 0, sizeof(*ra));
	if ((err = gs_pack_blobs(gs, &ra->v, &ra->n)))
		return err;
	order = malloc((ra->n ? ra->n : 1) * sizeof(*order));
	if (!order)
		return error_nomem();
	for (i = 0; i < ra->n; i++)
		order[i] = i;
	return gs_scan_start(gs, ra->v, ra->n, order, &ra->scan);
}

/* Moves b's hits into dst, less those its path allows. */
static int take_hits(struct gitscan *gs, struct gblob *from, struct gblob *to)
{
	size_t i;
	int err = 0;

	/* Read ahead or not, it could not be read: it was not scanned. */
	to->unreadable |= from->unreadable;
	to->lfs = from->lfs;
	for (i = 0; i < from->hits.n; i++) {
		struct finding *f = &from->hits.v[i];

		if (err || ruleset_allows_path(gs->rs, f->rule, to->path))
			continue;
		err = findings_push(&to->hits, f);
	}
	return err;
}

int gs_ahead_finish(struct gitscan *gs, struct read_ahead *ra)
{
	struct idmap ids;
	uint32_t *order = NULL, nleft = 0, i, *at;
	int err = 0, werr;

	idmap_init(&ids);
	/* Built while the workers may still run: the main thread is free. */
	for (i = 0; !err && i < ra->n; i++)
		err = idmap_put(&ids, ra->v[i].oid.id, i, NULL, NULL);
	werr = gs_scan_wait(ra->scan);
	ra->scan = NULL;
	if (err || (err = werr))
		goto done;
	order = malloc((gs->nblobs ? gs->nblobs : 1) * sizeof(*order));
	if (!order) {
		err = error_nomem();
		goto done;
	}
	for (i = 0; !err && i < gs->nblobs; i++) {
		if ((at = idmap_get(&ids, gs->blobs[i].oid.id)) &&
		    ra->v[*at].lfs != GS_LFS_LATER)
			err = take_hits(gs, &ra->v[*at], &gs->blobs[i]);
		else
			order[nleft++] = i;
	}
	if (!err && nleft) {
		struct blob_scan *w;

		err = gs_scan_start(gs, gs->blobs, nleft, order, &w);
		order = NULL;
		if (!err)
			err = gs_scan_wait(w);
	}
done:
	free(order);
	idmap_release(&ids);
	return err;
}

void gs_ahead_release(struct read_ahead *ra)
{
	uint32_t i;

	if (ra->scan)
		gs_scan_wait(ra->scan);
	for (i = 0; i < ra->n; i++)
		findings_release(&ra->v[i].hits);
	free(ra->v);
	memset(ra, 0, sizeof(*ra));
}

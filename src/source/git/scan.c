/*
 * The parallel blob scan: every unique blob is read and scanned exactly
 * once. libgit2 objects are not shared across threads, so each worker
 * opens its own repository handle; workers take blobs in small batches.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/git/alternates.h"
#include "source/git/internal.h"
#include "source/git/odb_check.h"

#include <pthread.h>
#include <time.h>

#define BATCH 32

struct blob_scan {
	struct gitscan *gs;
	struct gblob *v; /* the blobs to scan */
	uint32_t n;
	uint32_t *order; /* indices into v in pack order (owned) */
	pthread_t threads[256];
	unsigned started;
	pthread_mutex_t lock; /* guards the fields below */
	uint32_t next;
	uint64_t done, bytes;
	uint64_t uncounted; /* of done, blobs not read (or to be read again) */
	int err;
	struct timespec last_progress;
};

static void progress(struct blob_scan *w, uint32_t n, uint32_t uncounted,
		     uint64_t bytes)
{
	const struct gitscan_opts *o = w->gs->opts;
	struct timespec now;

	pthread_mutex_lock(&w->lock);
	w->done += n;
	w->uncounted += uncounted;
	w->bytes += bytes;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (o->progress &&
	    (now.tv_sec - w->last_progress.tv_sec) * 1000000000L +
			    (now.tv_nsec - w->last_progress.tv_nsec) >
		    100000000L) {
		w->last_progress = now;
		o->progress(w->gs->pctx, w->done, w->n, w->bytes);
	}
	pthread_mutex_unlock(&w->lock);
}

static int take(struct blob_scan *w, uint32_t *from, uint32_t *to)
{
	int more;

	pthread_mutex_lock(&w->lock);
	more = !w->err && w->next < w->n;
	*from = w->next;
	w->next = w->n - w->next > BATCH ? w->next + BATCH : w->n;
	*to = w->next;
	pthread_mutex_unlock(&w->lock);
	return more;
}

/* A worker's readers, one per pack, made when first needed. */
struct readers {
	struct pack_reader **v;
	size_t n;
};

/*
 * The bytes of blob b: from its pack with this thread's own reader when
 * a mapped pack holds it (*reader gets it), else (or when that reader
 * cannot) through libgit2 (*obj then owns them). A blob the read-ahead
 * did not list (its type unknown: its chain loops or is too deep) is
 * looked up, so that such a chain meets the pack reader's bounds and
 * never libgit2's unbounded walk. NULL when it cannot be read: reported
 * (a corrupt object as such).
 */
static unsigned char *read_blob(struct gitscan *gs, git_odb *odb,
				struct readers *rd, const struct gblob *b,
				size_t *len, git_odb_object **obj,
				struct pack_reader **reader)
{
	unsigned char *data;
	uint64_t off = b->off;
	uint32_t pack = b->pack ? b->pack : gs_pack_find(gs, b->oid.id, &off);
	int type;

	*obj = NULL;
	*reader = NULL;
	if (pack && pack <= rd->n) {
		struct pack_reader **r = &rd->v[pack - 1];
		int err = *r ? 0 : pack_reader_new(r, &gs->packs[pack - 1]);

		if (!err)
			err = pack_reader_read(*reader = *r, off, &data, len,
					       &type);
		if (!err)
			return data;
		/* Read another way, corrupt bytes would pass unchecked, and
		 * libgit2 would follow a looping chain without end. */
		err = gs_pack_failed(gs, &gs->packs[pack - 1], &b->oid, err);
		if (err == NFG_ELIMIT)
			gs_object_error(gs, "blob", &b->oid);
		if (err != NFG_ENOTFOUND)
			return NULL;
	}
	if (git_odb_read(obj, odb, &b->oid)) {
		gs_object_error(gs, "blob", &b->oid);
		return NULL;
	}
	*len = git_odb_object_size(*obj);
	return (unsigned char *)git_odb_object_data(*obj);
}

/*
 * The LFS object of a pointer blob, scanned as the blob's content: its
 * hits join the blob's, so attribution places them at the pointer's
 * paths and commits. An object that is there but cannot be scanned is an
 * error of the scan, not of the blob.
 */
static int scan_lfs(struct gitscan *gs, struct collector *sc, struct gblob *b,
		    const unsigned char *data, size_t len, uint64_t *bytes)
{
	char hex[GIT_OID_HEXSZ + 1];
	enum gs_lfs state;
	int err = gs_lfs_scan(gs->lfs_objects, sc, b->path, (const char *)data,
			      len, &b->hits, bytes, &state);

	b->lfs = state;
	if (err != NFG_EIO)
		return err;
	if (b->path[0]) {
		gs_problem(gs, PROBLEM_ERROR,
			   "cannot scan the LFS object of '%s': %s", b->path,
			   error_last());
	} else {
		git_oid_tostr(hex, sizeof(hex), &b->oid);
		gs_problem(gs, PROBLEM_ERROR,
			   "cannot scan the LFS object of blob %s: %s", hex,
			   error_last());
	}
	return 0;
}

static int scan_blob(struct gitscan *gs, git_odb *odb, struct readers *rd,
		     struct collector *sc, struct gblob *b, uint64_t *bytes)
{
	struct pack_reader *reader;
	git_odb_object *obj;
	unsigned char *data;
	size_t len, had = b->hits.n;
	int err;

	if (!(data = read_blob(gs, odb, rd, b, &len, &obj, &reader))) {
		b->unreadable = 1;
		return 0;
	}
	/* Without a path (a pack read ahead of the walk) no path allow
	 * applies yet: gs_ahead_finish applies them once the path is known. */
	err = source_scan_mem(sc, b->path, (const char *)data, len, &b->hits);
	if (!err)
		err = scan_lfs(gs, sc, b, data, len, bytes);
	/* A pointer read ahead is read again once its path is known. */
	if (b->lfs != GS_LFS_LATER)
		*bytes += len;
	/*
	 * A blob that held a token is wiped with what the pack reader kept
	 * of its chain, and the reader wipes what it frees from then on.
	 * libgit2's object and its delta base cache are libgit2's to free:
	 * nfguard cannot wipe them.
	 */
	if (b->hits.n > had)
		pack_reader_wipe(reader);
	if (obj) {
		git_odb_object_free(obj);
	} else {
		if (b->hits.n > had)
			explicit_bzero(data, len);
		free(data);
	}
	return err;
}

static void *worker(void *arg)
{
	struct blob_scan *w = arg;
	struct gitscan *gs = w->gs;
	git_repository *repo = NULL;
	struct collector *sc = NULL;
	git_odb *odb = NULL;
	struct readers rd = {NULL, gs->npacks};
	uint32_t from, to, i;
	int err = 0;

	/* The same repository, objects in a hook's quarantine included. */
	if ((gs->opts->from_env
		     ? git_repository_open_ext(
			       &repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL)
		     : git_repository_open(&repo, gs->gitdir)) ||
	    git_repository_odb(&odb, repo))
		err = error_set(NFG_EIO, "cannot open '%s': %s", gs->gitdir,
				gs_git_error());
	else if (!(rd.v = calloc(rd.n ? rd.n : 1, sizeof(*rd.v))))
		err = error_nomem();
	else
		err = gs_collector_new(gs, &sc);
	/* The main thread reported the chain's problems already. */
	if (!err && !(err = gs_link_alternates(repo, NULL, NULL)) &&
	    !(err = gs_odb_check(repo, gs->opts->strict_objects)))
		err = gs_guard_odb(gs, repo, &rd.v);
	while (!err && take(w, &from, &to)) {
		uint64_t bytes = 0;
		uint32_t uncounted = 0;

		for (i = from; !err && i < to; i++) {
			struct gblob *b = &w->v[w->order[i]];

			err = scan_blob(gs, odb, &rd, sc, b, &bytes);
			uncounted += b->unreadable || b->lfs == GS_LFS_LATER;
		}
		progress(w, to - from, uncounted, bytes);
	}
	if (err) {
		pthread_mutex_lock(&w->lock);
		if (!w->err) {
			w->err = err;
			gs_problem(gs, PROBLEM_ERROR, "%s", error_last());
		}
		pthread_mutex_unlock(&w->lock);
	}
	collector_free(sc);
	/* The guard of repo borrows rd.v: freed after it. */
	git_odb_free(odb);
	git_repository_free(repo);
	for (i = 0; rd.v && i < rd.n; i++)
		pack_reader_free(rd.v[i]);
	free(rd.v);
	return NULL;
}

int gs_scan_start(struct gitscan *gs, struct gblob *v, uint32_t n,
		  uint32_t *order, struct blob_scan **out)
{
	unsigned jobs = gs->opts->jobs ? gs->opts->jobs : 1, i;
	struct blob_scan *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w) {
		free(order);
		return error_nomem();
	}
	w->gs = gs;
	w->v = v;
	w->n = n;
	w->order = order;
	pthread_mutex_init(&w->lock, NULL);
	if (jobs > n / BATCH + 1)
		jobs = n / BATCH + 1;
	if (jobs > ARRAY_SIZE(w->threads))
		jobs = ARRAY_SIZE(w->threads);
	for (i = 0; i < jobs; i++)
		if (!pthread_create(&w->threads[w->started], NULL, worker, w))
			w->started++;
	*out = w;
	return 0;
}

int gs_scan_wait(struct blob_scan *w)
{
	unsigned i;
	int err;

	if (!w->started)
		worker(w); /* no thread could start: scan here */
	for (i = 0; i < w->started; i++)
		pthread_join(w->threads[i], NULL);
	pthread_mutex_destroy(&w->lock);
	w->gs->totals->bytes += w->bytes;
	w->gs->totals->files += w->done - w->uncounted;
	err = w->err == NFG_ENOMEM ? w->err : 0;
	free(w->order);
	free(w);
	return err;
}

int gs_scan_blobs(struct gitscan *gs)
{
	uint32_t *order =
		malloc((gs->nblobs ? gs->nblobs : 1) * sizeof(*order));
	struct blob_scan *w;
	int err;

	if (!order)
		return error_nomem();
	if ((err = gs_pack_order(gs, order))) {
		free(order);
		return err;
	}
	if ((err = gs_scan_start(gs, gs->blobs, gs->nblobs, order, &w)))
		return err;
	return gs_scan_wait(w);
}

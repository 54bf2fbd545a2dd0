/*
 * The parallel blob scan: every unique blob is read and scanned exactly
 * once. libgit2 objects are not shared across threads, so each worker
 * opens its own repository handle; workers take blobs in small batches.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/git_internal.h"

#include <pthread.h>
#include <time.h>

#define BATCH 32

struct blob_work {
	struct gitscan *gs;
	uint32_t *order;      /* blob indices in pack order */
	pthread_mutex_t lock; /* guards the fields below */
	uint32_t next;
	uint64_t done, bytes;
	int err;
	struct timespec last_progress;
};

static void progress(struct blob_work *w, uint32_t n, uint64_t bytes)
{
	const struct git_opts *o = w->gs->opts;
	struct timespec now;

	pthread_mutex_lock(&w->lock);
	w->done += n;
	w->bytes += bytes;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (o->progress &&
	    (now.tv_sec - w->last_progress.tv_sec) * 1000000000L +
			    (now.tv_nsec - w->last_progress.tv_nsec) >
		    100000000L) {
		w->last_progress = now;
		o->progress(w->gs->pctx, w->done, w->gs->nblobs, w->bytes);
	}
	pthread_mutex_unlock(&w->lock);
}

static int take(struct blob_work *w, uint32_t *from, uint32_t *to)
{
	int more;

	pthread_mutex_lock(&w->lock);
	more = !w->err && w->next < w->gs->nblobs;
	*from = w->next;
	w->next = w->gs->nblobs - w->next > BATCH ? w->next + BATCH
						  : w->gs->nblobs;
	*to = w->next;
	pthread_mutex_unlock(&w->lock);
	return more;
}

static int scan_blob(struct gitscan *gs, git_odb *odb, struct scanner *sc,
		     struct gblob *b, uint64_t *bytes)
{
	struct collect_ctx cc = {gs->rs, b->path, &b->hits};
	git_odb_object *obj;
	int err;

	if (git_odb_read(&obj, odb, &b->oid)) {
		gs_object_error(gs, "blob", &b->oid);
		return 0;
	}
	*bytes += git_odb_object_size(obj);
	err = scanner_scan_mem(sc, b->path, git_odb_object_data(obj),
			       git_odb_object_size(obj), collect_hit, &cc);
	git_odb_object_free(obj);
	return err;
}

static void *worker(void *arg)
{
	struct blob_work *w = arg;
	struct gitscan *gs = w->gs;
	git_repository *repo = NULL;
	struct scanner *sc = NULL;
	git_odb *odb = NULL;
	uint32_t from, to, i;
	int err = 0;

	/* The same repository, objects in a hook's quarantine included. */
	if ((gs->opts->from_env
		     ? git_repository_open_ext(
			       &repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL)
		     : git_repository_open(&repo, gs->gitdir)) ||
	    git_repository_odb(&odb, repo))
		err = error_set(NFG_EIO, "cannot open '%s': %s", gs->gitdir,
				git_error_last()->message);
	else
		err = scanner_new(&sc, gs->rs);
	while (!err && take(w, &from, &to)) {
		uint64_t bytes = 0;

		for (i = from; !err && i < to; i++)
			err = scan_blob(gs, odb, sc, &gs->blobs[w->order[i]],
					&bytes);
		progress(w, to - from, bytes);
	}
	if (err) {
		pthread_mutex_lock(&w->lock);
		if (!w->err) {
			w->err = err;
			gs_problem(gs, PROBLEM_ERROR, "%s", error_last());
		}
		pthread_mutex_unlock(&w->lock);
	}
	scanner_free(sc);
	git_odb_free(odb);
	git_repository_free(repo);
	return NULL;
}

int gs_scan_blobs(struct gitscan *gs)
{
	unsigned jobs = gs->opts->jobs ? gs->opts->jobs : 1, i, started = 0;
	pthread_t threads[256];
	struct blob_work w;

	memset(&w, 0, sizeof(w));
	w.gs = gs;
	w.order = malloc((gs->nblobs ? gs->nblobs : 1) * sizeof(*w.order));
	if (!w.order)
		return error_set(NFG_ENOMEM, "out of memory");
	if ((w.err = gs_pack_order(gs, w.order))) {
		free(w.order);
		return w.err;
	}
	pthread_mutex_init(&w.lock, NULL);
	if (jobs > gs->nblobs / BATCH + 1)
		jobs = gs->nblobs / BATCH + 1;
	if (jobs > ARRAY_SIZE(threads))
		jobs = ARRAY_SIZE(threads);
	for (i = 0; i < jobs; i++)
		if (!pthread_create(&threads[i], NULL, worker, &w))
			started++;
	if (!started)
		worker(&w);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&w.lock);
	free(w.order);
	gs->totals->bytes += w.bytes;
	gs->totals->files += w.done;
	return w.err == NFG_ENOMEM ? w.err : 0;
}

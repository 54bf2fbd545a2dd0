/*
 * The sweep's scheduler: worker threads take the next target, resolve it
 * to a repository, scan its history with source_git_scan and record what
 * became of it; problems and progress are passed up under one lock, each
 * problem naming its repository.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "sweep/sweep.h"

#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>

/* Progress redraws between a repository's start and end, at most. */
#define PROGRESS_EVERY_MS 200

struct sweep {
	const struct sweep_opts *o;
	struct sweep_repo *repos;
	pthread_mutex_t lock;
	size_t next, done;
	uint64_t findings;
	unsigned char *inflight; /* per target: being scanned */
	const char **names;	 /* scratch for the progress line */
	int64_t drawn_ms;
	int fatal; /* out of memory: no target is started any more */
};

/* One repository being scanned: its problems' and progress's context. */
struct repo_ctx {
	struct sweep *s;
	struct sweep_repo *r;
	char *least_error; /* the first of its errors in byte order */
};

int sweep_resolve_local(void *ctx, const struct sweep_target *t, char **path,
			const char **transfer)
{
	(void)ctx;
	*path = NULL;
	*transfer = NULL;
	if (t->kind == TARGET_URL)
		return error_set(NFG_EINVAL, "URL targets need fetching");
	if (!(*path = strdup(t->given)))
		return error_nomem();
	return 0;
}

/* Calls the progress hook; under the lock. */
static void show_progress(struct sweep *s)
{
	const struct sweep_opts *o = s->o;
	struct sweep_progress p;
	size_t i;

	if (!o->progress)
		return;
	p.done = s->done;
	p.total = o->ntargets;
	p.findings = s->findings;
	p.ninflight = 0;
	for (i = 0; i < o->ntargets && p.ninflight < o->repo_jobs; i++)
		if (s->inflight[i])
			s->names[p.ninflight++] = o->targets[i].shown;
	p.inflight = s->names;
	s->drawn_ms = clock_now_ms();
	o->progress(o->progress_ctx, &p);
}

static void repo_progress(void *ctx, uint64_t done, uint64_t total,
			  uint64_t bytes)
{
	struct repo_ctx *rc = ctx;

	(void)done;
	(void)total;
	(void)bytes;
	pthread_mutex_lock(&rc->s->lock);
	if (clock_now_ms() - rc->s->drawn_ms >= PROGRESS_EVERY_MS)
		show_progress(rc->s);
	pthread_mutex_unlock(&rc->s->lock);
}

/* Passes one problem up as "'SHOWN': msg"; under the lock. */
static void say(struct sweep *s, const struct sweep_repo *r,
		enum problem_kind kind, const char *msg)
{
	struct buf line;

	buf_init(&line, 16384);
	buf_printf(&line, "'%s': %s", r->target->shown, msg);
	s->o->problem(s->o->pctx, kind,
		      buf_failed(&line) ? "a problem too long to say"
					: line.ptr);
	buf_release(&line);
}

static int fails_repo(const struct sweep *s, enum problem_kind kind)
{
	return kind == PROBLEM_ERROR ||
	       (kind == PROBLEM_UNREADABLE && !s->o->skip_unreadable);
}

static void repo_problem(void *ctx, enum problem_kind kind, const char *msg)
{
	struct repo_ctx *rc = ctx;
	char *copy;

	pthread_mutex_lock(&rc->s->lock);
	/* The least message, not the first met: threads race to be first. */
	if (fails_repo(rc->s, kind) &&
	    (!rc->least_error || strcmp(msg, rc->least_error) < 0) &&
	    (copy = strdup(msg))) {
		free(rc->least_error);
		rc->least_error = copy;
	}
	say(rc->s, rc->r, kind, msg);
	pthread_mutex_unlock(&rc->s->lock);
}

/* Every finding names the target as shown, not the path scanned. */
static int name_findings(struct sweep_repo *r)
{
	size_t i;

	for (i = 0; i < r->found.n; i++) {
		free(r->found.v[i].repository);
		if (!(r->found.v[i].repository = strdup(r->target->shown)))
			return error_nomem();
	}
	return 0;
}

/*
 * Decides the repository's status and reason; under the lock. why is
 * the scan's error (err set) and is taken.
 */
static void settle(struct sweep *s, struct repo_ctx *rc, int err, char *why)
{
	struct sweep_repo *r = rc->r;
	uint64_t errors = r->totals.errors +
			  (s->o->skip_unreadable ? 0 : r->totals.unreadable);
	struct buf b;

	r->scan_err = err;
	if (err) {
		r->rep.status = REPO_FAILED;
		r->error = why;
		r->totals.errors++;
		say(s, r, PROBLEM_ERROR, why ? why : "out of memory");
		return;
	}
	free(why);
	if (errors) {
		r->rep.status = REPO_FAILED;
		buf_init(&b, 16384);
		buf_puts(&b, rc->least_error ? rc->least_error
					     : "the scan was incomplete");
		if (errors > 1)
			buf_printf(&b, " (%" PRIu64 " errors)", errors);
		r->error = buf_detach(&b, NULL);
		buf_release(&b);
	} else if (!r->rep.refs && !r->rep.commits) {
		r->rep.status = REPO_EMPTY;
	} else {
		r->rep.status = REPO_SCANNED;
	}
}

/*
 * A local target's absolute path when its scan did not say it (it could
 * not be opened): the real path, else the path joined to this folder.
 */
static char *absolute(const char *given)
{
	char *real = realpath(given, NULL), *cwd;
	struct buf b;

	if (real || given[0] == '/')
		return real ? real : strdup(given);
	if (!(cwd = getcwd(NULL, 0)))
		return NULL;
	buf_init(&b, BUF_DEFAULT_MAX);
	buf_printf(&b, "%s/%s", cwd, given);
	free(cwd);
	return buf_detach(&b, NULL);
}

/* Resolves and scans target i: 0, or NFG_ENOMEM to stop the sweep. */
static int scan_one(struct sweep *s, size_t i)
{
	const struct sweep_opts *o = s->o;
	const struct sweep_fetch *f = o->fetch;
	struct sweep_repo *r = &s->repos[i];
	struct repo_ctx rc = {s, r, NULL};
	struct gitscan_totals gt;
	struct gitscan_opts g;
	struct source_ctx ctx;
	int64_t start = clock_now_ms();
	char *path = NULL, *why = NULL;
	const char *transfer = NULL;
	int err;

	memset(&gt, 0, sizeof(gt));
	err = f ? f->resolve(f->ctx, r->target, &path, &transfer)
		: sweep_resolve_local(NULL, r->target, &path, &transfer);
	if (!err) {
		g = *o->scan;
		g.repo = path;
		g.from_env = 0;
		g.work_tree = NULL;
		g.no_search = 1;
		g.progress = o->progress ? repo_progress : NULL;
		if (o->since) {
			g.exclude_ids = o->since[i].ids;
			g.nexclude_ids = o->since[i].n;
		}
		ctx.rs = o->rs;
		ctx.decode = o->decode;
		ctx.problem = repo_problem;
		ctx.pctx = &rc;
		ctx.out = &r->found;
		ctx.totals = &r->totals;
		err = source_git_scan(&ctx, &g, &gt);
		r->path = gt.repository;
		gt.repository = NULL;
		memcpy(r->revision, gt.revision, sizeof(r->revision));
		r->rep.refs = gt.refs;
		r->rep.commits = gt.commits;
		r->rep.blobs = gt.blobs;
		r->submodules = gt.submodules;
		r->git_dir_files = gt.git_dir_files;
		r->shallow = gt.shallow;
		r->tips = gt.tips;
		r->ntips = gt.ntips;
		gt.tips = NULL;
		r->since_missing = gt.excludes_missing;
		if (!err)
			err = name_findings(r);
	}
	if (!r->path && r->target->kind == TARGET_LOCAL)
		r->path = absolute(r->target->given);
	/* The reason, read on this thread before anything else sets one. */
	if (err && !(why = strdup(error_last())))
		err = NFG_ENOMEM;
	if (path && f && f->release)
		f->release(f->ctx, r->target, path);
	else
		free(path);
	pthread_mutex_lock(&s->lock);
	settle(s, &rc, err, why);
	r->rep.repository = r->target->shown;
	r->rep.uri = r->target->kind == TARGET_URL ? r->target->shown : r->path;
	r->rep.revision = r->revision[0] ? r->revision : NULL;
	r->rep.transfer = transfer			    ? transfer
			  : r->target->kind == TARGET_LOCAL ? "local"
							    : NULL;
	r->rep.error = r->error;
	r->rep.bytes = r->totals.bytes;
	r->rep.findings = r->found.n;
	r->rep.duration_ms = (uint64_t)(clock_now_ms() - start);
	s->inflight[i] = 0;
	s->done++;
	if (o->done)
		o->done(o->done_ctx, r);
	s->findings += r->rep.findings;
	show_progress(s);
	pthread_mutex_unlock(&s->lock);
	free(rc.least_error);
	return err == NFG_ENOMEM ? err : 0;
}

static void *worker(void *arg)
{
	struct sweep *s = arg;
	size_t i;
	int err;

	for (;;) {
		pthread_mutex_lock(&s->lock);
		if (s->fatal || s->next == s->o->ntargets) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		i = s->next++;
		s->inflight[i] = 1;
		show_progress(s);
		pthread_mutex_unlock(&s->lock);
		if ((err = scan_one(s, i))) {
			pthread_mutex_lock(&s->lock);
			s->fatal = err;
			pthread_mutex_unlock(&s->lock);
		}
	}
}

int sweep_run(const struct sweep_opts *o, struct sweep_repo **out)
{
	pthread_t threads[SWEEP_MAX_JOBS];
	unsigned jobs = o->repo_jobs, started, i;
	struct sweep s;
	int err = 0;

	memset(&s, 0, sizeof(s));
	*out = NULL;
	if (jobs < 1 || jobs > SWEEP_MAX_JOBS)
		return error_set(NFG_EINVAL,
				 "repository jobs %u: not from 1 "
				 "to %d",
				 jobs, SWEEP_MAX_JOBS);
	if (jobs > o->ntargets)
		jobs = o->ntargets ? (unsigned)o->ntargets : 1;
	s.o = o;
	s.repos = calloc(o->ntargets ? o->ntargets : 1, sizeof(*s.repos));
	s.inflight = calloc(o->ntargets ? o->ntargets : 1, 1);
	s.names = calloc(o->repo_jobs, sizeof(*s.names));
	if (!s.repos || !s.inflight || !s.names) {
		free(s.repos);
		free(s.inflight);
		free(s.names);
		return error_nomem();
	}
	for (i = 0; i < o->ntargets; i++) {
		s.repos[i].target = &o->targets[i];
		s.repos[i].rep.repository = o->targets[i].shown;
		s.repos[i].rep.status = REPO_FAILED;
		findings_init(&s.repos[i].found);
	}
	pthread_mutex_init(&s.lock, NULL);
	/* One at a time: this thread, so a backtrace shows the scan. */
	if (jobs == 1) {
		worker(&s);
	} else {
		for (started = 0; started < jobs; started++)
			if (pthread_create(&threads[started], NULL, worker, &s))
				break;
		if (!started)
			err = error_set(NFG_ERR, "cannot start a thread");
		for (i = 0; i < started; i++)
			pthread_join(threads[i], NULL);
	}
	pthread_mutex_destroy(&s.lock);
	if (!err && s.fatal)
		err = error_set(s.fatal, "out of memory");
	free(s.inflight);
	free(s.names);
	*out = s.repos;
	return err;
}

void sweep_repos_free(struct sweep_repo *v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].error);
		free(v[i].path);
		free(v[i].tips);
		findings_release(&v[i].found);
	}
	free(v);
}

/*
 * The git folder's own files: config, FETCH_HEAD, the reflogs, a
 * half-written COMMIT_EDITMSG, hooks, info/, the index and each linked
 * worktree's folder, where a token pasted into a command lives. Read with
 * the folder source (dir.c), the object databases left out.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git/internal.h"

#include <limits.h>
#include <sys/stat.h>

/* The walk's problems, said to be about the git folder; the walk counts. */
static void problem_in_git_dir(void *ctx, enum problem_kind kind,
			       const char *msg)
{
	struct gitscan *gs = ctx;
	char line[1100];

	snprintf(line, sizeof(line), "git folder: %s", msg);
	pthread_mutex_lock(&gs->problem_lock);
	gs->problem(gs->pctx, kind, line);
	pthread_mutex_unlock(&gs->problem_lock);
}

/* A finding of the git folder: prefix (may be NULL) + "/" + its path. */
static int mark_finding(struct gitscan *gs, struct finding *f,
			const char *prefix)
{
	struct buf path;

	f->location = strdup("git-dir");
	f->repository = strdup(gs->gt->repository);
	if (!f->location || !f->repository)
		return error_nomem();
	if (!prefix)
		return 0;
	buf_init(&path, BUF_DEFAULT_MAX);
	buf_printf(&path, "%s/%s", prefix, f->path);
	if (buf_failed(&path)) {
		buf_release(&path);
		return error_nomem();
	}
	free(f->path);
	f->path = buf_detach(&path, NULL);
	return f->path ? 0 : error_nomem();
}

/*
 * Scans every file under dir but its object databases; findings are named
 * by their path under dir, after prefix when there is one.
 */
static int scan_folder(struct gitscan *gs, const char *dir, const char *prefix)
{
	struct scan_totals t = {0};
	struct findings found;
	struct dir_opts o;
	struct stat st;
	struct source_ctx ctx = {gs->rs, gs->decode, problem_in_git_dir,
				 gs,	 &found,     &t};
	size_t i;
	int err;

	memset(&o, 0, sizeof(o));
	o.targets = &dir;
	o.ntargets = 1;
	o.jobs = gs->opts->jobs ? gs->opts->jobs : 1;
	o.git_folder = 1;
	/* The LFS store, wherever lfs.storage puts it: history's content. */
	if (gs->lfs_objects && !stat(gs->lfs_objects, &st)) {
		o.skip_set = 1;
		o.skip_dev = (uint64_t)st.st_dev;
		o.skip_ino = (uint64_t)st.st_ino;
	}
	findings_init(&found);
	err = source_dir_scan(&ctx, &o);
	for (i = 0; !err && i < found.n; i++)
		err = mark_finding(gs, &found.v[i], prefix);
	if (!err)
		err = findings_merge(gs->out, &found);
	findings_release(&found);
	gs->gt->git_dir_files += t.files;
	gs->totals->bytes += t.bytes;
	gs->totals->unreadable += t.unreadable;
	gs->totals->errors += t.errors;
	return err;
}

/* 1 when path is dir or below it (both absolute, resolved). */
static int is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (!path[n] || path[n] == '/');
}

/* path without its trailing slashes, as a new string. */
static char *strip_slashes(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	return strndup(path, n);
}

int gs_scan_git_dir(struct gitscan *gs)
{
	const char *common = git_repository_commondir(gs->repo);
	char *rcommon = NULL, *rgit = NULL, *prefix = NULL;
	int err;

	if (!common)
		common = gs->gitdir;
	/*
	 * The common folder holds every worktree's own (worktrees/NAME), so
	 * one walk reads them all, whichever worktree was opened.
	 */
	if ((err = scan_folder(gs, common, NULL)) ||
	    !strcmp(common, gs->gitdir))
		return err;
	rcommon = realpath(common, NULL);
	rgit = realpath(gs->gitdir, NULL);
	prefix = strip_slashes(gs->gitdir);
	if (!prefix) {
		err = error_nomem();
		goto done;
	}
	/* A worktree's folder kept elsewhere: named by where it is. */
	if (!rcommon || !rgit || !is_below(rgit, rcommon))
		err = scan_folder(gs, gs->gitdir, prefix);
done:
	free(prefix);
	free(rgit);
	free(rcommon);
	return err;
}

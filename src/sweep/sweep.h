/*
 * A sweep: the history scan (source_git_scan, as it is) run on each
 * target of a list, a few repositories at once, each repository's
 * failure recorded with its reason while the others go on. What a target
 * is scanned from comes from a resolve hook: local paths are scanned
 * where they are; the hook is where fetching URLs plugs in.
 *
 * Ownership: the targets, rules and callbacks are borrowed for the run;
 * the results (struct sweep_repo) are the caller's (sweep_repos_free).
 * The sweep never prints: problems go to the caller's callback.
 */
#ifndef NFG_SWEEP_SWEEP_H
#define NFG_SWEEP_SWEEP_H

#include <stdint.h>

#include "finding/finding.h"
#include "report/report.h"
#include "source/source.h"
#include "sweep/target.h"

/* The most repositories scanned at once (--repo-jobs). */
#define SWEEP_MAX_JOBS 64

/* What became of one target. */
struct sweep_repo {
	const struct sweep_target *target; /* borrowed */
	/* The report's entry: repository is target->shown, uri is path. */
	struct scan_repository rep;
	char *error; /* rep.error when failed (owned) */
	char *path;  /* the repository's absolute path, or NULL */
	char revision[41];
	struct findings found; /* its findings, each naming target->shown */
	struct scan_totals totals;
	uint64_t submodules, git_dir_files;
	int shallow;
	int scan_err; /* 0, or the code that stopped its scan */
	/* the commits its scan started from: ntips ids of 20 bytes (owned) */
	unsigned char *tips;
	size_t ntips;
	size_t since_missing; /* ids of its since not in the repository */
};

/*
 * Commits whose history a target's scan leaves out (the tips of an
 * earlier scan): n ids of 20 bytes (gitscan_opts.exclude_ids).
 */
struct sweep_since {
	const unsigned char *ids;
	size_t n;
};

/*
 * Where a target is scanned from. resolve sets *path (allocated) to the
 * repository to open and *transfer to how it was obtained ("clone",
 * "fetch", static; NULL: scanned where it is), even when it fails: 0, or
 * a negative code with the error set (the reason the repository fails,
 * one line, without the target's name).
 * release (may be NULL) is called after the scan with the path resolve
 * gave, to remove what resolve made (a temporary clone); it frees path.
 * Both run on worker threads, several at once.
 */
struct sweep_fetch {
	int (*resolve)(void *ctx, const struct sweep_target *t, char **path,
		       const char **transfer);
	void (*release)(void *ctx, const struct sweep_target *t, char *path);
	void *ctx;
};

/*
 * The resolve of local targets: a copy of the path as given, *transfer
 * NULL. A URL target fails: NFG_EINVAL, "URL targets need fetching"
 * (src/sweep/fetch.h resolves them).
 */
int sweep_resolve_local(void *ctx, const struct sweep_target *t, char **path,
			const char **transfer);

/* The sweep's state, for a progress line. Strings borrowed for the call. */
struct sweep_progress {
	size_t done, total;
	const char *const *inflight; /* shown names, in target order */
	size_t ninflight;
	uint64_t findings; /* in the repositories done */
};

struct sweep_opts {
	const struct sweep_target *targets;
	size_t ntargets;
	unsigned repo_jobs; /* repositories at once, 1..SWEEP_MAX_JOBS */
	/*
	 * What each scan is given: repo, from_env, no_search and progress
	 * are the sweep's (the target's path, never a folder above it).
	 */
	const struct gitscan_opts *scan;
	const struct ruleset *rs;
	const struct decode_opts *decode; /* NULL: nothing is decoded */
	/* Problems, "'SHOWN': msg" (never concurrently); counted per repo. */
	problem_fn problem;
	void *pctx;
	int skip_unreadable; /* an unreadable input does not fail a repo */
	const struct sweep_fetch *fetch; /* NULL: sweep_resolve_local */
	/* Per target (ntargets entries, borrowed), or NULL: none left out. */
	const struct sweep_since *since;
	/*
	 * Called once per target as it ends, in the order they end, never
	 * concurrently: r is complete and the callee may change r->found
	 * (suppress, write) and r->rep.findings. May be NULL.
	 */
	void (*done)(void *ctx, struct sweep_repo *r);
	void *done_ctx;
	/* Called when a repository starts or ends, and now and then. */
	void (*progress)(void *ctx, const struct sweep_progress *p);
	void *progress_ctx;
};

/*
 * Sweeps every target; *out gets one result per target, in target order.
 * A target whose repository cannot be resolved, opened or read whole is
 * REPO_FAILED with its reason in error, said through problem (an error,
 * counted in its totals) unless its own problems said it already; its
 * findings found before the failure are kept. A repository with no ref
 * and no commit is REPO_EMPTY. Returns 0, or NFG_ENOMEM (the sweep
 * stopped; *out still holds what ended) or a failure to start threads.
 */
int sweep_run(const struct sweep_opts *o, struct sweep_repo **out);
void sweep_repos_free(struct sweep_repo *v, size_t n);

#endif

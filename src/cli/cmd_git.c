/*
 * nfguard git [REPO...]: scan a repository's history; with several
 * repositories (or --repos-from), sweep them (cli/sweep_run.c).
 */
#include "util/common.h"
#include "util/buf.h"
#include "sweep/target.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"

/* Checks that the history options make sense together. */
static int check_opts(const struct cli_opts *o)
{
	if (o->range && o->since_commit) {
		cli_error("--range and --since-commit cannot be combined");
		return EXIT_ERROR;
	}
	if ((o->range || o->since_commit) && (o->refs.n || o->unreachable)) {
		cli_error("--range and --since-commit cannot be combined with "
			  "--ref or --unreachable");
		return EXIT_ERROR;
	}
	if (o->state && (o->range || o->since_commit || o->refs.n)) {
		cli_error("--state cannot be combined with --range, "
			  "--since-commit or --ref");
		return EXIT_ERROR;
	}
	if ((o->excludes.n || o->exclude_globs.n) && !o->range &&
	    !o->since_commit) {
		cli_error("--exclude and --exclude-glob go with --range");
		return EXIT_ERROR;
	}
	if ((o->skip_forks || o->skip_archived || o->github_api_url ||
	     o->gitlab_api_url) &&
	    !cli_lists_hosts(o)) {
		cli_error(
			"--skip-forks, --skip-archived, --github-api-url and "
			"--gitlab-api-url go with --github-org, --github-user "
			"or --gitlab-group");
		return EXIT_ERROR;
	}
	return 0;
}

/* 1 when the target names a URL (fetched, so swept). */
static int is_url(const char *s)
{
	struct sweep_target t;
	int url;

	if (target_parse(&t, s, strlen(s)))
		return 0;
	url = t.kind == TARGET_URL;
	target_release(&t);
	return url;
}

int cmd_git(const struct command *self, int argc, char **argv)
{
	struct gitscan_totals gt;
	struct scan_run run;
	struct gitscan_opts g;
	struct buf range;
	const char *target;
	int first, rc, err;

	if ((rc = cli_parse(self, argc, argv, &run.opts, &first)) !=
	    CLI_CONTINUE)
		return rc;
	if ((rc = check_opts(&run.opts)))
		return rc;
	memset(&g, 0, sizeof(g));
	buf_init(&range, 4096);
	if (run.opts.since_commit &&
	    buf_printf(&range, "%s..HEAD", run.opts.since_commit)) {
		cli_error("--since-commit: value too long");
		return EXIT_ERROR;
	}
	g.repo = first < argc ? argv[first] : NULL;
	g.refs = run.opts.refs.v;
	g.nrefs = run.opts.refs.n;
	g.range = run.opts.since_commit ? range.ptr : run.opts.range;
	g.excludes = run.opts.excludes.v;
	g.nexcludes = run.opts.excludes.n;
	g.exclude_globs = run.opts.exclude_globs.v;
	g.nexclude_globs = run.opts.exclude_globs.n;
	/* Without REPO, find the repository as git does: its environment
	 * (GIT_DIR, GIT_INDEX_FILE, a hook's quarantine) first. */
	g.from_env = g.repo == NULL;
	g.unreachable = run.opts.unreachable;
	g.all_occurrences = run.opts.all_occurrences;
	g.jobs = run.opts.jobs;
	g.strict_objects = run.opts.strict_objects;
	g.progress = cli_progress;
	g.tmp_dir = getenv("TMPDIR");
	if (g.tmp_dir && !*g.tmp_dir)
		g.tmp_dir = NULL;
	/*
	 * Several repositories, or one to fetch: a sweep, each recorded in
	 * the report; and --state and --shard, which record each repository
	 * as a sweep does.
	 */
	if (argc - first > 1 || run.opts.repos_from || run.opts.state ||
	    run.opts.shard_count || run.opts.cache ||
	    cli_lists_hosts(&run.opts) || (g.repo && is_url(g.repo))) {
		rc = git_sweep(&run, self, &g, argv + first,
			       (size_t)(argc - first));
		buf_release(&range);
		return rc;
	}
	target = g.repo ? g.repo : ".";
	if ((rc = scan_begin(&run, self, &target, 1))) {
		buf_release(&range);
		return rc;
	}
	g.work_tree = cli_take_git_env();
	err = source_git_scan(&run.src, &g, &gt);
	run.info.has_git = 1;
	run.info.commits = gt.commits;
	run.info.blobs_scanned = gt.blobs;
	run.info.refs = gt.refs;
	run.info.submodules = gt.submodules;
	run.info.shallow = gt.shallow;
	run.info.repository = gt.repository;
	run.info.root = gt.repository;
	run.info.revision = gt.revision[0] ? gt.revision : NULL;
	run.info.has_lfs = 1;
	run.info.has_objects = 1;
	run.info.git_dir_files = gt.git_dir_files;
	rc = scan_finish(&run, err);
	gitscan_totals_release(&gt);
	buf_release(&range);
	return rc;
}

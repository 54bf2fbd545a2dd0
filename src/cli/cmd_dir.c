/*
 * nfguard dir [PATH...]: scan files and folders; the history of each git
 * directory the walk is given or meets is scanned as nfguard git does.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"

#include <inttypes.h>
#include <sys/stat.h>

/* The git directories the walk handed over, scanned after it. */
struct git_dir {
	char *full, *display;
};

struct git_dirs {
	struct git_dir *v;
	size_t n, cap;
};

static int add_git_dir(void *ctx, const char *full, const char *display)
{
	struct git_dirs *l = ctx;
	struct git_dir *g;
	int err;

	if ((err = ARRAY_GROW(l->v, l->n, l->cap)))
		return err;
	g = &l->v[l->n];
	g->full = strdup(full);
	g->display = strdup(display);
	if (!g->full || !g->display) {
		free(g->full);
		free(g->display);
		return error_nomem();
	}
	l->n++;
	return 0;
}

static int cmp_git_dir(const void *a, const void *b)
{
	return strcmp(((const struct git_dir *)a)->display,
		      ((const struct git_dir *)b)->display);
}

/* -v: the lines naming what the walk left out, printed sorted after it. */
struct skip_lines {
	char **v;
	size_t n, cap;
	int failed;	   /* out of memory: some lines were lost */
	const char *limit; /* where the size limit was set */
	uint64_t max;	   /* the limit */
};

static void on_skip(void *ctx, enum dir_skip why, const char *display,
		    const char *glob, int anchored, uint64_t size)
{
	struct skip_lines *l = ctx;
	struct buf line;

	buf_init(&line, BUF_DEFAULT_MAX);
	if (why == DIR_SKIP_EXCLUDED)
		buf_printf(&line, "skipped '%s': excluded by %s '%s'", display,
			   anchored ? "exclude_paths" : "--exclude", glob);
	else
		buf_printf(&line,
			   "skipped '%s': too large (%" PRIu64
			   " bytes, more than %s %" PRIu64 ")",
			   display, size, l->limit, l->max);
	if (buf_failed(&line) || ARRAY_GROW(l->v, l->n, l->cap))
		l->failed = 1;
	else
		l->v[l->n++] = buf_detach(&line, NULL);
	buf_release(&line);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the lines in byte order (the walk's threads meet them in any). */
static void print_skips(struct skip_lines *l)
{
	size_t i;

	if (l->n)
		cli_progress_done();
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_line);
	for (i = 0; i < l->n; i++) {
		cli_error("%s", l->v[i]);
		free(l->v[i]);
	}
	if (l->failed)
		cli_error("out of memory: not every file left out was named");
	free(l->v);
}

/* A history scan's problems name the git directory they are about. */
struct named_problem {
	struct cli_opts *opts;
	const char *name;
};

static void problem_in(void *ctx, enum problem_kind kind, const char *msg)
{
	const struct named_problem *np = ctx;
	char line[1200];

	snprintf(line, sizeof(line), "'%s': %s", np->name, msg);
	cli_problem(np->opts, kind, line);
}

static void progress_in(void *ctx, uint64_t done, uint64_t total,
			uint64_t bytes)
{
	cli_progress(((const struct named_problem *)ctx)->opts, done, total,
		     bytes);
}

/*
 * Scans one git directory's history into run->findings, each finding's
 * repository named as the walk named the folder. A repository that cannot
 * be opened is an error of the run; only running out of memory stops it.
 */
static int scan_history(struct scan_run *run, const struct git_dir *d)
{
	struct named_problem np = {&run->opts, d->display};
	struct scan_totals t;
	struct gitscan_totals gt;
	struct findings found;
	struct source_ctx ctx;
	struct gitscan_opts g;
	size_t i;
	int err;

	memset(&g, 0, sizeof(g));
	memset(&t, 0, sizeof(t));
	g.repo = d->full;
	g.no_search = 1;
	g.jobs = run->opts.jobs;
	g.progress = progress_in;
	findings_init(&found);
	ctx.rs = run->rules;
	ctx.decode = run->src.decode;
	ctx.problem = problem_in;
	ctx.pctx = &np;
	ctx.out = &found;
	ctx.totals = &t;
	err = source_git_scan(&ctx, &g, &gt);
	for (i = 0; !err && i < found.n; i++) {
		free(found.v[i].repository);
		if (!(found.v[i].repository = strdup(d->display)))
			err = error_nomem();
	}
	if (!err)
		err = findings_merge(&run->findings, &found);
	findings_release(&found);
	run->totals.bytes += t.bytes;
	run->totals.unreadable += t.unreadable;
	run->totals.errors += t.errors;
	run->totals.lfs_pointers += t.lfs_pointers;
	run->totals.lfs_missing += t.lfs_missing;
	run->totals.lfs_malformed += t.lfs_malformed;
	run->totals.objects_corrupt += t.objects_corrupt;
	run->totals.decode_limited += t.decode_limited;
	run->totals.decode_failed += t.decode_failed;
	run->info.git_dirs += !err;
	run->info.commits += gt.commits;
	run->info.blobs_scanned += gt.blobs;
	run->info.git_dir_files += gt.git_dir_files;
	gitscan_totals_release(&gt);
	if (err && err != NFG_ENOMEM) {
		cli_progress_done();
		cli_error("cannot scan the history and files of '%s': %s",
			  d->display, error_last());
		run->totals.errors++;
		err = 0;
	}
	return err;
}

int cmd_dir(const struct command *self, int argc, char **argv)
{
	static const char *const dot[] = {"."};
	struct git_dirs gd = {NULL, 0, 0};
	struct skip_lines skips = {NULL, 0, 0, 0, NULL, 0};
	struct scan_run run;
	struct dir_opts d;
	struct stat st;
	char *root = NULL;
	size_t i;
	int first, rc, err;

	if ((rc = cli_parse(self, argc, argv, &run.opts, &first)) !=
	    CLI_CONTINUE)
		return rc;
	memset(&d, 0, sizeof(d));
	d.targets = first < argc ? (const char *const *)argv + first : dot;
	d.ntargets = first < argc ? (size_t)(argc - first) : 1;
	d.jobs = run.opts.jobs;
	d.progress = cli_progress;
	d.git_dir = add_git_dir;
	d.git_ctx = &gd;
	if ((rc = scan_begin(&run, self, d.targets, d.ntargets)))
		return rc;
	d.excludes = run.opts.skip_globs.v;
	d.nexcludes = run.opts.skip_globs.n;
	settings_dir_excludes(&run, &d.anchored, &d.nanchored, &d.anchor);
	d.max_file_size = run.opts.max_file_size;
	skips.max = d.max_file_size;
	skips.limit = run.opts.from_config & SET_MAX_FILE_SIZE
			      ? "max_file_size"
			      : "--max-file-size";
	if (run.opts.verbose) {
		d.skipped = on_skip;
		d.skip_ctx = &skips;
	}
	/* One folder: paths are relative to it, and SARIF says where it is. */
	if (d.ntargets == 1 && !stat(d.targets[0], &st) && S_ISDIR(st.st_mode))
		root = realpath(d.targets[0], NULL);
	run.info.root = root;
	err = source_dir_scan(&run.src, &d);
	print_skips(&skips);
	run.info.has_skips = 1;
	run.info.excluded = run.totals.excluded;
	run.info.too_large = run.totals.too_large;
	run.info.has_git_dirs = 1;
	run.info.git_dirs_skipped = run.totals.git_dirs_skipped;
	run.info.has_lfs = gd.n > 0;
	run.info.has_objects = gd.n > 0;
	run.info.has_changed = 1;
	run.info.changed_during_scan = run.totals.changed;
	/* After the files, each history in name order: stable output. */
	if (gd.n)
		qsort(gd.v, gd.n, sizeof(*gd.v), cmp_git_dir);
	for (i = 0; !err && i < gd.n; i++)
		err = scan_history(&run, &gd.v[i]);
	rc = scan_finish(&run, err);
	for (i = 0; i < gd.n; i++) {
		free(gd.v[i].full);
		free(gd.v[i].display);
	}
	free(gd.v);
	free(root);
	return rc;
}

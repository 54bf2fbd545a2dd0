/*
 * nfguard git with several repositories: the targets from the operands
 * and --repos-from, the sweep (src/sweep/) run with the run's rules, each
 * repository's findings suppressed (and, for jsonl, written) as it ends,
 * then one report for all of them.
 */
#include "util/common.h"
#include "util/error.h"
#include "finding/redact.h"
#include "net/http.h"
#include "sweep/credential.h"
#include "sweep/fetch.h"
#include "sweep/hosts.h"
#include "sweep/sweep.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"
#include "cli/sweep_state.h"

#include <errno.h>

#include <pwd.h>
#include <signal.h>

/* What the sweep's done hook needs. */
struct sweep_cli {
	struct scan_run *run;
	int stream;	 /* jsonl without verification: written as it ends */
	int stream_err;	 /* a write failed: no more are tried */
	uint64_t failed; /* steps of the hook that failed */
	struct sweep_state *state; /* --state, or NULL */
};

int cli_lists_hosts(const struct cli_opts *o)
{
	return o->github_orgs.n || o->github_users.n || o->gitlab_groups.n;
}

/*
 * Adds the repositories of every --github-org, --github-user and
 * --gitlab-group, tokens from the environment: 0 or EXIT_ERROR.
 */
static int list_hosts(struct target_list *l, const struct cli_opts *o)
{
	const struct opt_list *lists[] = {&o->github_orgs, &o->github_users,
					  &o->gitlab_groups};
	const enum hosts_kind kinds[] = {HOSTS_GITHUB_ORG, HOSTS_GITHUB_USER,
					 HOSTS_GITLAB_GROUP};
	struct hosts_opts ho;
	size_t k, i;

	if ((o->github_api_url &&
	     http_check_url(o->github_api_url, "--github-api-url")) ||
	    (o->gitlab_api_url &&
	     http_check_url(o->gitlab_api_url, "--gitlab-api-url"))) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	memset(&ho, 0, sizeof(ho));
	ho.github_api = o->github_api_url;
	ho.gitlab_api = o->gitlab_api_url;
	ho.github_token = getenv("GITHUB_TOKEN");
	ho.gitlab_token = getenv("GITLAB_TOKEN");
	ho.cacert = o->cacert;
	ho.skip_forks = o->skip_forks;
	ho.skip_archived = o->skip_archived;
	for (k = 0; k < ARRAY_SIZE(lists); k++) {
		for (i = 0; i < lists[k]->n; i++) {
			if (hosts_list(l, &ho, kinds[k], lists[k]->v[i],
				       NULL)) {
				cli_error("%s", error_last());
				return EXIT_ERROR;
			}
		}
	}
	return 0;
}

/* Reads the operands and the --repos-from list: 0 or EXIT_ERROR. */
static int list_targets(struct target_list *l, const struct cli_opts *o,
			char *const *operands, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (target_list_add(l, operands[i], strlen(operands[i]))) {
			cli_error("%s", error_last());
			return EXIT_ERROR;
		}
	}
	if (o->repos_from && target_list_read(l, o->repos_from)) {
		cli_error("--repos-from: %s", error_last());
		return EXIT_ERROR;
	}
	if (list_hosts(l, o))
		return EXIT_ERROR;
	/* --state alone: the current folder's repository. */
	if (!n && !o->repos_from && !cli_lists_hosts(o) &&
	    target_list_add(l, ".", 1)) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	if (!l->n && !o->repos_from) {
		cli_error("no repository to sweep: --skip-forks and "
			  "--skip-archived left out every one listed");
		return EXIT_ERROR;
	}
	if (!l->n) {
		cli_error("--repos-from: '%s' lists no repository",
			  o->repos_from);
		return EXIT_ERROR;
	}
	return 0;
}

/*
 * A credential from the environment: copied, then wiped where it was and
 * unset, so that no child process inherits it. NULL when unset or empty.
 */
static char *take_secret_env(const char *name)
{
	char *v = getenv(name), *copy = NULL;

	if (!v)
		return NULL;
	if (*v && !(copy = strdup(v)))
		cli_error("out of memory");
	explicit_bzero(v, strlen(v));
	unsetenv(name);
	return copy;
}

/* Says that a password in a URL operand can be read in argv. */
static void warn_argv_passwords(struct scan_run *run, char *const *operands,
				size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fetch_url_has_password(operands[i])) {
			cli_problem(&run->opts, PROBLEM_WARNING,
				    "a URL on the command line holds a "
				    "password, which other users can read in "
				    "the process list: use "
				    "NFGUARD_GIT_PASSWORD or a credential "
				    "helper");
			return;
		}
	}
}

/*
 * The known_hosts file libgit2 reads, $HOME/.ssh/known_hosts, else the
 * account's: in out[0..size), or NULL when there is no home.
 */
static const char *known_hosts_path(char *out, size_t size)
{
	const char *home = getenv("HOME");
	struct passwd pwd, *pw = NULL;
	char pwbuf[4096];

	if ((!home || !*home) &&
	    !getpwuid_r(geteuid(), &pwd, pwbuf, sizeof(pwbuf), &pw) && pw)
		home = pw->pw_dir;
	if (!home || !*home ||
	    snprintf(out, size, "%s/.ssh/known_hosts", home) >= (int)size)
		return NULL;
	return out;
}

/* Sets up the fetching of URL targets: 0 or EXIT_ERROR (said). */
static int fetch_setup(struct fetch_ctx *fc, const struct scan_run *run,
		       const struct gitscan_opts *scan,
		       const struct target_list *l)
{
	struct fetch_opts fo;
	char known[4096];
	int err;

	memset(&fo, 0, sizeof(fo));
	fo.known_hosts = known_hosts_path(known, sizeof(known));
	fo.cache = run->opts.cache;
	fo.tmpdir = scan->tmp_dir;
	fo.cacert = run->opts.cacert;
	fo.token = take_secret_env("NFGUARD_GIT_TOKEN");
	fo.password = take_secret_env("NFGUARD_GIT_PASSWORD");
	fo.username = getenv("NFGUARD_GIT_USERNAME");
	fo.targets = l->v;
	fo.ntargets = l->n;
	err = fetch_init(fc, &fo);
	credential_wipe((char *)fo.token);
	credential_wipe((char *)fo.password);
	if (err) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	return 0;
}

/* A step of the done hook that failed: an error of the repository. */
static void hook_failed(struct sweep_cli *sc, struct sweep_repo *r,
			const char *what)
{
	char line[8192];

	snprintf(line, sizeof(line), "'%s': %s", r->target->shown, what);
	cli_problem(&sc->run->opts, PROBLEM_ERROR, line);
	sc->failed++;
	if (r->rep.status != REPO_FAILED) {
		r->rep.status = REPO_FAILED;
		if (!r->error && (r->error = strdup(what)))
			r->rep.error = r->error;
	}
}

/*
 * Writes r's findings when streaming: 1 when they are out (on standard
 * output, flushed; an -o file is only out once renamed at the end).
 */
static int stream_repo(struct sweep_cli *sc, struct sweep_repo *r)
{
	struct scan_run *run = sc->run;
	struct report_opts ro;

	if (!sc->stream || sc->stream_err)
		return 0;
	if (!run->opts.show_secret &&
	    findings_redact_fields(&r->found, run->rules)) {
		hook_failed(sc, r, "its findings could not be redacted");
		return 0;
	}
	memset(&ro, 0, sizeof(ro));
	ro.format = run->opts.format;
	ro.show_secret = run->opts.show_secret;
	ro.rules = run->rules;
	cli_progress_done();
	if (report_write(run->out, &ro, &run->info, &r->found)) {
		cli_report_error(run, error_last());
		sc->stream_err = 1;
		return 0;
	}
	if (fflush(run->out)) {
		cli_report_error(run, strerror(errno));
		sc->stream_err = 1;
		return 0;
	}
	return !run->tmp_path;
}

/*
 * As each repository ends (under the sweep's lock): its reason and path
 * redacted, its findings suppressed (and, with --state, those reported
 * before dropped) and, when streaming, written; then its state recorded.
 */
static void repo_done(void *ctx, struct sweep_repo *r)
{
	struct sweep_cli *sc = ctx;
	struct scan_run *run = sc->run;
	int written;

	/*
	 * allow_paths match each repository's own paths: anchored at its
	 * folder, before its name is redacted.
	 */
	if (r->found.n && settings_suppress(run, &r->found, r->path, r->path))
		hook_failed(sc, r, "the suppressions could not be applied");
	if (sc->state)
		sweep_state_filter(sc->state, r);
	r->rep.findings = r->found.n;
	if (problems_redact(&r->error) || problems_redact(&r->path))
		hook_failed(sc, r, "its reason could not be redacted");
	r->rep.error = r->error;
	if (r->target->kind == TARGET_LOCAL)
		r->rep.uri = r->path;
	written = stream_repo(sc, r);
	if (sc->state && sweep_state_record(sc->state, r, written))
		sc->failed++;
}

/* Each target's shown name, redacted unless --show-secret: 0 or error. */
static int redact_targets(struct target_list *l, const struct ruleset *rs)
{
	char **v = calloc(l->n, sizeof(*v));
	size_t i;
	int err;

	if (!v)
		return error_nomem();
	for (i = 0; i < l->n; i++)
		v[i] = l->v[i].shown;
	err = redact_texts(rs, v, l->n);
	for (i = 0; i < l->n; i++)
		l->v[i].shown = v[i];
	free(v);
	return err;
}

/*
 * --shard I/N: moves the targets of share I to the front of l->v (in
 * list order, the others after them, to be released with the list) and
 * sets *n to how many there are; without --shard, all of them. The
 * list's key index is stale afterwards. 0 or NFG_ENOMEM.
 */
static int take_shard(struct target_list *l, const struct cli_opts *o,
		      size_t *n)
{
	struct sweep_target *v;
	size_t i, k = 0, rest;

	*n = l->n;
	if (!o->shard_count || !l->n)
		return 0;
	if (!(v = calloc(l->n, sizeof(*v))))
		return error_nomem();
	for (i = 0; i < l->n; i++)
		k += target_shard(l->v[i].key, o->shard_count) ==
		     o->shard_index;
	*n = k;
	for (i = 0, rest = k, k = 0; i < l->n; i++) {
		if (target_shard(l->v[i].key, o->shard_count) == o->shard_index)
			v[k++] = l->v[i];
		else
			v[rest++] = l->v[i];
	}
	memcpy(l->v, v, l->n * sizeof(*v));
	free(v);
	return 0;
}

/* The sweep's totals into the run's: counts summed, entries in order. */
static int gather(struct scan_run *run, struct sweep_repo *v, size_t n,
		  struct scan_repository *reps)
{
	struct scan_info *in = &run->info;
	size_t i;
	int err = 0;

	for (i = 0; i < n; i++) {
		run->totals.bytes += v[i].totals.bytes;
		run->totals.files += v[i].totals.files;
		run->totals.unreadable += v[i].totals.unreadable;
		run->totals.errors += v[i].totals.errors;
		run->totals.lfs_pointers += v[i].totals.lfs_pointers;
		run->totals.lfs_missing += v[i].totals.lfs_missing;
		run->totals.lfs_malformed += v[i].totals.lfs_malformed;
		run->totals.objects_corrupt += v[i].totals.objects_corrupt;
		run->totals.decode_limited += v[i].totals.decode_limited;
		run->totals.decode_failed += v[i].totals.decode_failed;
		in->commits += v[i].rep.commits;
		in->blobs_scanned += v[i].rep.blobs;
		in->refs += v[i].rep.refs;
		in->submodules += v[i].submodules;
		in->git_dir_files += v[i].git_dir_files;
		in->shallow |= v[i].shallow;
		reps[i] = v[i].rep;
		if (!err)
			err = findings_merge(&run->findings, &v[i].found);
	}
	in->has_git = 1;
	in->has_lfs = 1;
	in->has_objects = 1;
	in->has_repositories = 1;
	in->repositories = reps;
	in->nrepositories = n;
	return err;
}

int git_sweep(struct scan_run *run, const struct command *self,
	      const struct gitscan_opts *scan, char *const *operands,
	      size_t noperands)
{
	struct sweep_cli sc = {run, 0, 0, 0, NULL};
	const struct sweep_since *since = NULL;
	struct sweep_fetch sf = {fetch_resolve, fetch_path_release, NULL};
	struct fetch_ctx fc;
	struct scan_repository *reps = NULL;
	struct sweep_repo *repos = NULL;
	const char **names = NULL;
	struct gitscan_opts g = *scan;
	struct target_list l;
	struct sweep_opts so;
	size_t i, nsel = 0;
	int rc, err;

	target_list_init(&l);
	memset(&fc, 0, sizeof(fc));
	/* The operator's settings, never a swept repository's own. */
	run->opts.settings_start = ".";
	if ((rc = list_targets(&l, &run->opts, operands, noperands)))
		goto done;
	if (!(names = calloc(l.n, sizeof(*names))) ||
	    !(reps = calloc(l.n, sizeof(*reps)))) {
		cli_error("out of memory");
		rc = EXIT_ERROR;
		goto done;
	}
	for (i = 0; i < l.n; i++)
		names[i] = l.v[i].shown;
	if ((rc = scan_begin(run, self, names, l.n)))
		goto done;
	cli_take_git_env();
	if (l.duplicates) {
		char line[128];

		snprintf(line, sizeof(line),
			 "%zu repositor%s listed more than once, swept once",
			 l.duplicates, l.duplicates == 1 ? "y" : "ies");
		cli_problem(&run->opts, PROBLEM_WARNING, line);
	}
	warn_argv_passwords(run, operands, noperands);
	if ((rc = fetch_setup(&fc, run, scan, &l)))
		goto done;
	sf.ctx = &fc;
	/*
	 * A server or credential helper that hangs up while nfguard writes
	 * to it must fail that repository, not kill the sweep: writes to a
	 * closed socket or pipe fail with EPIPE instead (a closed stdout
	 * too: the report's write error is then exit 2).
	 */
	for (i = 0; i < l.n; i++)
		if (l.v[i].kind == TARGET_URL)
			signal(SIGPIPE, SIG_IGN);
	memset(&so, 0, sizeof(so));
	so.repo_jobs = run->opts.repo_jobs ? run->opts.repo_jobs : 1;
	/* The cores are shared among the repositories scanned at once. */
	g.jobs = run->opts.jobs / so.repo_jobs;
	if (g.jobs == 0)
		g.jobs = 1;
	err = run->opts.show_secret ? 0 : redact_targets(&l, run->rules);
	for (i = 0; i < l.n; i++)
		names[i] = l.v[i].shown;
	/*
	 * The report lists every target; its entries, this shard's. The
	 * state's entries follow the targets in the order swept.
	 */
	if (!err)
		err = take_shard(&l, &run->opts, &nsel);
	if (!err && run->opts.state)
		err = sweep_state_open(&sc.state, run, &l, &since);
	run->info.shard_index = run->opts.shard_index;
	run->info.shard_count = run->opts.shard_count;
	if (!err && run->opts.shard_count && !nsel) {
		char line[160];

		snprintf(line, sizeof(line),
			 "shard %u/%u holds none of the %zu repositor%s "
			 "listed: nothing to sweep",
			 run->opts.shard_index, run->opts.shard_count, l.n,
			 l.n == 1 ? "y" : "ies");
		cli_problem(&run->opts, PROBLEM_WARNING, line);
	}
	so.targets = l.v;
	so.ntargets = nsel;
	so.scan = &g;
	so.rs = run->rules;
	so.decode = run->src.decode;
	so.problem = cli_problem;
	so.pctx = &run->opts;
	so.skip_unreadable = run->opts.skip_unreadable;
	so.since = since;
	so.fetch = &sf;
	so.done = repo_done;
	so.done_ctx = &sc;
	so.progress = cli_progress_sweep;
	so.progress_ctx = &run->opts;
	sc.stream = run->opts.format == REPORT_JSONL && !run->opts.verify;
	run->parts_suppressed = 1;
	run->streamed = sc.stream;
	if (!err)
		err = sweep_run(&so, &repos);
	if (!err)
		err = gather(run, repos, nsel, reps);
	run->totals.errors += sc.failed;
	rc = scan_finish(run, err);
done:
	fetch_release(&fc);
	sweep_repos_free(repos, nsel);
	sweep_state_free(sc.state);
	free(reps);
	free(names);
	target_list_release(&l);
	return rc;
}

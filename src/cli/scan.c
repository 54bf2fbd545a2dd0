/*
 * What every scan command shares: loading the rules, opening the report
 * output (a temporary file renamed into place on success, removed on
 * failure or signal), printing problems, writing the report and choosing
 * the exit status.
 */
#include "util/common.h"
#include "util/clock.h"
#include "util/buf.h"
#include "util/error.h"
#include "decode/intext.h"
#include "util/str.h"
#include "config/rules.h"
#include "finding/redact.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* The temporary report file, for the signal handler to remove. */
static volatile sig_atomic_t have_tmp;
static char tmp_for_signal[4096];

static void on_signal(int sig)
{
	if (have_tmp)
		unlink(tmp_for_signal);
	source_git_signal_cleanup();
	_exit(sig == SIGINT ? EXIT_SIGINT : EXIT_SIGTERM);
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static char *index_file;

const char *cli_take_git_env(void)
{
	static char *work_tree;
	const char *wt = getenv("GIT_WORK_TREE");
	const char *ix = getenv("GIT_INDEX_FILE");

	if (ix && !index_file && (index_file = strdup(ix)))
		unsetenv("GIT_INDEX_FILE");
	if (!wt || work_tree)
		return work_tree;
	work_tree = strdup(wt);
	unsetenv("GIT_WORK_TREE");
	return work_tree;
}

const char *cli_git_index_file(void)
{
	return index_file;
}

static mode_t current_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

/*
 * The mode of a new report file: an existing regular file (through a link,
 * the file it names) keeps its permission bits and, when we may set it,
 * its group; when we may not, no group bits, so that no one reads it who
 * could not before. A new report holding whole tokens (--show-secret) is
 * 0600, any other the mode a plain create gives; both less the umask.
 */
static int set_output_mode(int fd, const struct stat *old, int show_secret)
{
	struct stat st;
	mode_t mode;

	if (!old)
		return fchmod(fd,
			      (show_secret ? 0600 : 0666) & ~current_umask());
	mode = old->st_mode & 0777;
	if (fstat(fd, &st))
		return -1;
	if (st.st_gid != old->st_gid && fchown(fd, (uid_t)-1, old->st_gid))
		mode &= ~(mode_t)S_IRWXG;
	return fchmod(fd, mode);
}

/*
 * Opens the output: -o FILE's temporary sibling, renamed into place by
 * close_output, or FILE itself when it is not a regular file.
 */
static int open_output(struct scan_run *run)
{
	struct buf path;
	struct stat st;
	int fd, exists, e;

	/*
	 * Only a regular file (or a new one) is replaced by renaming; a
	 * device, FIFO or terminal (/dev/null, /dev/stdout) is written to.
	 */
	exists = !stat(run->opts.output, &st);
	if (exists && !S_ISREG(st.st_mode)) {
		run->out = fopen(run->opts.output, "w");
		if (!run->out) {
			cli_error("cannot write '%s': %s", run->opts.output,
				  strerror(errno));
			return EXIT_ERROR;
		}
		return 0;
	}
	/* Through a symbolic link: replace the file it names, not the link. */
	run->real_output = realpath(run->opts.output, NULL);
	buf_init(&path, sizeof(tmp_for_signal) - 1);
	if (buf_printf(&path, "%s.nfguard-XXXXXX",
		       run->real_output ? run->real_output
					: run->opts.output)) {
		cli_error("output path '%s' is too long", run->opts.output);
		return EXIT_ERROR;
	}
	fd = mkstemp(path.ptr);
	if (fd >= 0 &&
	    set_output_mode(fd, exists ? &st : NULL, run->opts.show_secret)) {
		e = errno;
		close(fd);
		unlink(path.ptr);
		fd = -1;
		errno = e;
	}
	if (fd < 0 || !(run->out = fdopen(fd, "w"))) {
		cli_error("cannot write '%s': %s", run->opts.output,
			  strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path.ptr);
		}
		buf_release(&path);
		return EXIT_ERROR;
	}
	memcpy(tmp_for_signal, path.ptr, path.len + 1);
	have_tmp = 1;
	run->tmp_path = buf_detach(&path, NULL);
	return 0;
}

/* Frees what a run holds besides its output. */
static void release_run(struct scan_run *run)
{
	findings_release(&run->findings);
	strv_free(run->shown_targets, run->info.ntargets);
	free(run->shown_root);
	free(run->shown_repository);
	run->shown_targets = NULL;
	run->shown_root = run->shown_repository = NULL;
	problems_redact_release();
	ruleset_free(run->rules);
	run->rules = NULL;
	settings_free(run->settings);
	run->settings = NULL;
	run->opts.config_path = NULL; /* it was the settings' */
	cli_revoke_close(run);
	problems_release();
}

int scan_begin(struct scan_run *run, const struct command *self,
	       const char *const *targets, size_t ntargets)
{
	const char *const *extra, *start = targets[0];
	size_t nextra;

	run->rules = NULL;
	run->shown_targets = NULL;
	run->shown_root = run->shown_repository = NULL;
	findings_init(&run->findings);
	memset(&run->totals, 0, sizeof(run->totals));
	memset(&run->info, 0, sizeof(run->info));
	run->out = stdout;
	run->tmp_path = NULL;
	run->real_output = NULL;
	run->settings = NULL;
	run->audit = NULL;
	run->parts_suppressed = run->streamed = 0;
	run->reported = NULL;
	run->reported_ctx = NULL;
	run->decoded_total = 0;
	run->cmd = self;
	run->info.command = self->name;
	run->info.targets = targets;
	run->info.ntargets = ntargets;
	run->info.started_at_ms = clock_now_ms();
	catch_signals();
	/* Settings are found from the scanned folder (stdin: this one). */
	if (run->opts.settings_start)
		start = run->opts.settings_start;
	if ((self->opts & OPT_SUPPRESS) &&
	    settings_load(run, self->flags & CMD_INPUT_STDIN ? "." : start)) {
		release_run(run);
		return EXIT_ERROR;
	}
	/* Flags and config merged: one check for both. */
	if (cli_check_opts(&run->opts, self)) {
		release_run(run);
		return EXIT_ERROR;
	}
	settings_extra_rules(run, &extra, &nextra);
	if (rules_open_extra(&run->rules, run->opts.rules_path, extra,
			     nextra)) {
		cli_error("%s", error_last());
		release_run(run);
		return EXIT_ERROR;
	}
	ruleset_set_inline_allow(run->rules, !run->opts.no_inline_allow);
	if ((self->opts & OPT_DECODE) &&
	    intext_prepare(run->rules, run->opts.decode.enabled)) {
		cli_error("%s", error_last());
		release_run(run);
		return EXIT_ERROR;
	}
	run->info.has_decode = !!(self->opts & OPT_DECODE);
	run->info.decoders = run->opts.decode.enabled;
	run->opts.decode.total_used = &run->decoded_total;
	run->src.decode = run->info.has_decode ? &run->opts.decode : NULL;
	problems_redact_with(run->opts.show_secret ? NULL : run->rules);
	run->src.rs = run->rules;
	run->src.problem = cli_problem;
	run->src.pctx = &run->opts;
	run->src.out = &run->findings;
	run->src.totals = &run->totals;
	if ((run->opts.verify && cli_verify_prepare(run)) ||
	    (run->opts.revoke && cli_revoke_prepare(run)) ||
	    (run->opts.output && open_output(run))) {
		release_run(run);
		return EXIT_ERROR;
	}
	return 0;
}

void cli_report_error(const struct scan_run *run, const char *why)
{
	if (run->opts.output)
		cli_error("cannot write the report to '%s': %s",
			  run->opts.output, why);
	else
		cli_error("cannot write the report to standard output: %s",
			  why);
}

/* Records a failed step's errno in *why (the first one wins). */
static int io_failed(int failed, int *why)
{
	if (failed && !*why)
		*why = errno ? errno : EIO;
	return failed;
}

/*
 * Flushes and closes the report, renaming a temporary file into place
 * when ok. A failure here, after a report that was written whole (ok),
 * is said once, naming the file.
 */
static int close_output(struct scan_run *run, int ok)
{
	const char *dest =
		run->real_output ? run->real_output : run->opts.output;
	int why = 0, failed;

	errno = 0;
	failed = io_failed(fflush(run->out) != 0, &why) | ferror(run->out);
	if (run->tmp_path)
		failed |= io_failed(fsync(fileno(run->out)) != 0, &why);
	if (run->out != stdout)
		failed |= io_failed(fclose(run->out) != 0, &why);
	run->out = NULL;
	if (ok && failed)
		cli_report_error(run, strerror(why ? why : EIO));
	if (!run->tmp_path)
		return failed ? EXIT_ERROR : 0;
	if (ok && !failed && rename(run->tmp_path, dest)) {
		cli_error("cannot write '%s': %s", run->opts.output,
			  strerror(errno));
		failed = 1;
	}
	if (!ok || failed)
		unlink(run->tmp_path);
	have_tmp = 0;
	free(run->tmp_path);
	free(run->real_output);
	run->tmp_path = NULL;
	run->real_output = NULL;
	return failed ? EXIT_ERROR : 0;
}

/*
 * The status of a run without errors: the exit code when findings fail
 * it. An exit code of 0 lets failing findings pass: say so, and whose
 * setting it is.
 */
static int exit_for_findings(const struct scan_run *run)
{
	const struct cli_opts *o = &run->opts;
	size_t n = cli_failing_findings(run);

	if (!n)
		return EXIT_CLEAN;
	if (!o->exit_code) {
		if ((o->from_config & SET_EXIT_CODE) && o->config_path)
			cli_error("warning: %zu finding%s, exit status 0 "
				  "(exit_code 0 in %s)",
				  n, n == 1 ? "" : "s", o->config_path);
		else
			cli_error("warning: %zu finding%s, exit status 0 "
				  "(--exit-code 0)",
				  n, n == 1 ? "" : "s");
	}
	return o->exit_code;
}

/* Counts an error of a step after the scan and lists it in the report. */
static void step_failed(struct scan_run *run, const char *what)
{
	run->totals.errors++;
	problems_note(SCAN_PROBLEM_ERROR, what);
}

/*
 * The report's copies of the targets, root folder and repository, and
 * the findings' text fields, with every token redacted: a file or folder
 * named after a token is named redacted.
 */
static int redact_report(struct scan_run *run)
{
	size_t i, n = run->info.ntargets;
	int err;

	if (!(run->shown_targets = calloc(n ? n : 1, sizeof(char *))))
		return error_nomem();
	for (i = 0; i < n; i++)
		if ((err = str_dup(&run->shown_targets[i],
				   run->info.targets[i])))
			return err;
	if ((err = redact_texts(run->rules, run->shown_targets, n)) ||
	    (err = str_dup(&run->shown_root, run->info.root)) ||
	    (err = str_dup(&run->shown_repository, run->info.repository)) ||
	    (err = redact_texts(run->rules, &run->shown_root, 1)) ||
	    (err = redact_texts(run->rules, &run->shown_repository, 1)))
		return err;
	run->info.targets = (const char *const *)run->shown_targets;
	run->info.root = run->shown_root;
	run->info.repository = run->shown_repository;
	return findings_redact_fields(&run->findings, run->rules);
}

int scan_finish(struct scan_run *run, int scan_err)
{
	struct report_opts ro;
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	int status, werr;

	problems_flush();
	if (scan_err)
		cli_error("%s", error_last());
	run->info.duration_ms =
		(uint64_t)(clock_now_ms() - run->info.started_at_ms);
	run->info.files_scanned = run->totals.files;
	run->info.bytes_scanned = run->totals.bytes;
	run->info.lfs_pointers = run->totals.lfs_pointers;
	run->info.lfs_missing = run->totals.lfs_missing;
	run->info.lfs_malformed = run->totals.lfs_malformed;
	run->info.objects_corrupt = run->totals.objects_corrupt;
	run->info.decode_limited = run->totals.decode_limited;
	run->info.decode_failed = run->totals.decode_failed;
	if (!run->totals.bytes && !scan_err && !run->totals.errors &&
	    !run->opts.quiet && !(run->cmd->flags & CMD_TOKENS))
		cli_error("warning: nothing was scanned (0 bytes)");
	/*
	 * Suppressed tokens are neither verified nor reported. A step that
	 * fails has printed why; the report lists what did not complete.
	 */
	if (!scan_err && settings_apply(run))
		step_failed(run, "the suppressions could not be applied");
	/* After the scan, before the report; a failure is an error (2). */
	if (!scan_err && run->opts.verify && cli_verify_run(run)) {
		step_failed(run, "the findings could not be verified");
	} else if (!scan_err && run->opts.revoke && cli_revoke_run(run)) {
		step_failed(run, "the tokens could not be revoked");
	}
	/* Tokens in targets, paths, names and refs: redacted like secrets. */
	if (!scan_err && !run->opts.show_secret && redact_report(run)) {
		cli_error("%s", error_last());
		step_failed(run, "the report's fields could not be redacted");
	}
	/* Inputs not read are errors, unless skipped on request. */
	run->info.errors = run->totals.errors;
	if (run->opts.skip_unreadable)
		run->info.skipped = run->totals.unreadable;
	else
		run->info.errors += run->totals.unreadable;
	problems_fill(&run->info);
	ro.format = run->opts.format;
	ro.show_secret = run->opts.show_secret;
	ro.rules = run->rules;
	/* A dumb terminal shows escape codes as they are: never colour it. */
	ro.color = run->opts.format == REPORT_HUMAN &&
		   (run->opts.color == COLOR_ALWAYS ||
		    (run->opts.color == COLOR_AUTO && !run->tmp_path &&
		     isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
		     !(term && !strcmp(term, "dumb"))));
	/*
	 * A scan that could not run (no repository, out of memory) has no
	 * report; one that ran into problems reports what it found.
	 */
	werr = scan_err || run->streamed ||
			       (run->opts.quiet && ro.format == REPORT_HUMAN &&
				!run->findings.n)
		       ? 0
		       : report_write(run->out, &ro, &run->info,
				      &run->findings);
	if (werr)
		cli_report_error(run, error_last());
	if (close_output(run, !werr && !scan_err))
		werr = 1;
	if (!werr && !scan_err && run->reported &&
	    run->reported(run->reported_ctx))
		werr = 1;
	if (werr || scan_err || run->totals.errors ||
	    (run->totals.unreadable && !run->opts.skip_unreadable))
		status = EXIT_ERROR;
	else
		status = exit_for_findings(run);
	release_run(run);
	return status;
}

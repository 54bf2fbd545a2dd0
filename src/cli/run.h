/*
 * One scan run, shared by every scan command: scan_begin (settings, rules,
 * the --verify and --revoke preparation, the output) and scan_finish
 * (suppressions, verification, revocation, the report, the exit status),
 * with the hooks they call in settings.c, verify_run.c and revoke_run.c.
 * A run owns what it holds until scan_finish (or a failed scan_begin)
 * releases it.
 */
#ifndef NFG_CLI_RUN_H
#define NFG_CLI_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/options.h"
#include "finding/finding.h"
#include "report/report.h"
#include "source/source.h"

struct verify_opts;

/*
 * The audit log --revoke writes when --audit-log is not given:
 * $XDG_STATE_HOME/nfguard/audit.jsonl, else under $HOME/.local/state.
 */
#define AUDIT_LOG_DIR  "nfguard"
#define AUDIT_LOG_NAME "audit.jsonl"

/*
 * The rules, the open report output and the timing of one run. The
 * command fills opts (cli_parse) before scan_begin; the rest is
 * scan_begin's.
 */
struct scan_run {
	struct cli_opts opts;
	const struct command *cmd; /* the command's row (borrowed) */
	struct ruleset *rules;
	struct findings findings;
	struct scan_totals totals;
	struct scan_info info;
	FILE *out;
	char *tmp_path;	   /* the -o temporary file, renamed on success */
	char *real_output; /* -o through a symbolic link: its target */
	struct cli_settings *settings; /* config file and suppressions */
	struct audit_log *audit;       /* --revoke: open from scan_begin */
	struct source_ctx src;	/* what a source is given: set by scan_begin */
	uint64_t decoded_total; /* bytes decoded in the run (--decode-max-total)
				 */
	/* the report's targets, root and repository, tokens redacted */
	char **shown_targets, *shown_root, *shown_repository;
	/*
	 * Set after scan_begin by a command that suppressed its findings
	 * part by part (settings_suppress) or wrote them as it went: then
	 * scan_finish neither suppresses nor writes them again.
	 */
	int parts_suppressed, streamed;
	/*
	 * Set after scan_begin by a command that must know when its
	 * findings are out (--state): called by scan_finish once the report
	 * is written and its output committed; 0, or EXIT_ERROR (message
	 * printed: the exit status is then 2).
	 */
	int (*reported)(void *ctx);
	void *reported_ctx;
};

/*
 * scan_begin does what self's option groups and flags ask before the
 * scan: loads the settings (found from targets[0], or from "." for
 * CMD_INPUT_STDIN), checks the options (cli_check_opts), loads the rules,
 * prepares --verify and --revoke and opens the output, so that an
 * unwritable path fails before any work; run->src is then what the
 * command hands its source (the rules, cli_problem, the run's findings
 * and totals). targets (borrowed until
 * scan_finish) name what is scanned in the report. Returns 0, or
 * EXIT_ERROR with the message printed and the run released.
 * scan_finish writes the report, commits the output, releases the run
 * and returns the exit status; scan_err is the scan's error (0: none).
 */
int scan_begin(struct scan_run *run, const struct command *self,
	       const char *const *targets, size_t ntargets);
int scan_finish(struct scan_run *run, int scan_err);

/*
 * Says on stderr that the report could not be written to its
 * destination (the -o file, else standard output), and why.
 */
void cli_report_error(const struct scan_run *run, const char *why);

/*
 * --verify (cli/verify_run.c). cli_verify_prepare, before the scan, picks
 * the API base URL (--api-url, NOTIFLOWS_BASE_URL, the default) and checks
 * it, the --cacert file and the rules' verify requests: 0 or EXIT_ERROR
 * (message printed). cli_verify_run verifies run->findings after the scan,
 * fills run->info's verification counts and, when tokens stay unknown,
 * says how many and why in one line on stderr: 0 or EXIT_ERROR.
 * cli_failing_findings counts the findings that make the exit status
 * non-zero under --fail-on (live: every finding but those of tokens the
 * API rejected or that this run revoked; unknown counts).
 * cli_verify_opts fills the verify options as the verify layer takes them
 * (base URL, client); its strings are borrowed from run.
 */
int cli_verify_prepare(struct scan_run *run);
int cli_verify_run(struct scan_run *run);
size_t cli_failing_findings(const struct scan_run *run);
void cli_verify_opts(const struct scan_run *run, struct verify_opts *vo);

/*
 * --revoke (cli/revoke_run.c). cli_revoke_prepare, before the scan (after
 * cli_verify_prepare), checks the rules' revoke requests and opens the
 * audit log (--audit-log, else the per-user default, its folders created
 * 0700), so that it exists before the first request, and says on stderr
 * where it is: 0 or EXIT_ERROR (message printed).
 * cli_revoke_run, after verification: lists what would be revoked, asks
 * for consent on a terminal (--yes: none asked; no terminal and no
 * --yes: nothing is revoked), revokes, and closes the log: 0 or
 * EXIT_ERROR. cli_revoke_close accepts a run without a log.
 */
int cli_revoke_prepare(struct scan_run *run);
int cli_revoke_run(struct scan_run *run);
void cli_revoke_close(struct scan_run *run);

/*
 * The config file and suppressions (cli/settings.c). settings_load, at
 * the start of a scan: finds and reads .nfguard.json (flags win over it),
 * the ignore file and the baseline; 0 or EXIT_ERROR (message printed).
 * settings_extra_rules gives the config's extra rule files (borrowed
 * from the run).
 * settings_apply, after the scan: removes suppressed findings, fills the
 * report's counts, names unused ignores when asked. settings_free
 * accepts NULL.
 */
int settings_load(struct scan_run *run, const char *start);
void settings_extra_rules(const struct scan_run *run, const char *const **files,
			  size_t *n);
/*
 * The config's exclude_paths for dir (borrowed from the run), and the
 * config file's folder they are anchored at (absolute, no symbolic
 * links); none (*n 0, *anchor NULL) without.
 */
void settings_dir_excludes(const struct scan_run *run,
			   const char *const **globs, size_t *n,
			   const char **anchor);
int settings_apply(struct scan_run *run);
/*
 * Removes the suppressed findings of l, whose paths are relative to root
 * (NULL: this folder), allow_paths anchored at dir (NULL: the config
 * file's folder), adding to run->info's counts: what settings_apply does
 * for the run's findings, for a part of them (a sweep's repository, its
 * allow_paths anchored at its own root). 0 or EXIT_ERROR (message
 * printed).
 */
int settings_suppress(struct scan_run *run, struct findings *l, const char *dir,
		      const char *root);
void settings_free(struct cli_settings *s);

/*
 * Takes GIT_WORK_TREE out of the environment (libgit2 refuses to open a
 * repository from git's environment while it is set) and returns it for
 * the git sources' options (NULL: none; kept for the process's life).
 * Call before a git source opens a repository.
 */
const char *cli_take_git_env(void);
/*
 * GIT_INDEX_FILE as cli_take_git_env took it out of the environment
 * (NULL: none): nfguard reads the index itself, in formats libgit2 1.5
 * refuses, so libgit2 must not open it when it opens the repository.
 */
const char *cli_git_index_file(void);

/*
 * nfguard git with several repositories (cli/sweep_run.c): the operands
 * and --repos-from's list swept with scan (the history options, as for
 * one repository), each repository recorded in the report. Returns the
 * exit status, as scan_finish does.
 */
int git_sweep(struct scan_run *run, const struct command *self,
	      const struct gitscan_opts *scan, char *const *operands,
	      size_t noperands);

/* 1 when repositories are listed through a host's API (--github-org...). */
int cli_lists_hosts(const struct cli_opts *o);

#endif

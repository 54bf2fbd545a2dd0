/*
 * The command-line layer: the command table, the shared option table of
 * the scan commands, and the exit codes. The only layer that reads argv
 * and the environment, prints, or decides how the process exits.
 */
#ifndef NFG_CLI_CLI_H
#define NFG_CLI_CLI_H

#include <stdio.h>

#include "report/report.h"
#include "source/source.h"

/* Exit statuses: documented in --help, the man page and the README. */
enum {
	EXIT_CLEAN = 0,	   /* nothing found */
	EXIT_FINDINGS = 1, /* findings (--exit-code N changes it) */
	EXIT_ERROR = 2,	   /* bad usage, bad rules, unreadable input, ... */
	EXIT_SIGINT = 130,
	EXIT_SIGTERM = 143
};

/* Which options of the shared table a command takes. */
enum {
	OPT_REPORT = 1 << 0,  /* -f -o --show-secret --exit-code --no-color */
	OPT_RULES = 1 << 1,   /* --rules */
	OPT_JOBS = 1 << 2,    /* -j --no-progress */
	OPT_SKIP = 1 << 3,    /* --skip-unreadable */
	OPT_LABEL = 1 << 4,   /* --label */
	OPT_GIT = 1 << 5,     /* --unreachable --range --ref ... */
	OPT_HOOKS = 1 << 6,   /* --pre-push --pre-receive --force --chain */
	OPT_SUPPRESS = 1 << 7 /* --config --baseline --no-inline-allow ... */
};
/* --hook (staged and git, as the installed hooks run them). */
enum { OPT_HOOK = 1 << 8 };

/*
 * Options a config file may also set: cli_opts.set has those given as
 * flags, cli_opts.from_config those taken from the config file.
 */
enum { SET_FORMAT = 1, SET_EXIT_CODE = 2, SET_JOBS = 4, SET_FAIL_ON = 8 };

/* The verification options (cli/verify_run.c); a bit far from the rest. */
enum { OPT_VERIFY = 1 << 10 /* --verify --api-url --cacert --fail-on ... */ };
/* The revocation options (cli/revoke_run.c). */
enum { OPT_REVOKE = 1 << 11 /* --revoke --yes --dry-run --audit-log */ };

/*
 * The audit log --revoke writes when --audit-log is not given:
 * $XDG_STATE_HOME/nfguard/audit.jsonl, else under $HOME/.local/state.
 */
#define AUDIT_LOG_DIR  "nfguard"
#define AUDIT_LOG_NAME "audit.jsonl"

/* --fail-on: which findings make the exit status non-zero. */
enum { FAIL_ON_DEFAULT = 0, FAIL_ON_ANY, FAIL_ON_LIVE };

#define MAX_REFS 64

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	unsigned opts;	     /* OPT_* */
	const char *usage;   /* after "nfguard " */
	const char *summary; /* one line */
	const char *details; /* more lines, or NULL */
};

/* The table, in the order help lists it. */
extern const struct command commands[];
extern const size_t ncommands;

const struct command *command_find(const char *name);
/* Prints a command's help (usage, summary, options) to out. */
void command_help(FILE *out, const struct command *c);
/* Prints the general help (all commands, exit codes) to out. */
void general_help(FILE *out);

/* Options as parsed for one run of a command. */
struct cli_opts {
	enum report_format format;
	const char *output; /* NULL: stdout */
	const char *rules_path;
	const char *label;
	int show_secret;
	int exit_code; /* status when findings are reported */
	int skip_unreadable;
	int no_color;
	int no_progress;
	int quiet; /* human output: nothing when nothing is found */
	unsigned jobs;
	/* git */
	int unreachable;
	int all_occurrences;
	const char *range;
	const char *since_commit;
	const char *refs[MAX_REFS];
	size_t nrefs;
	const char *excludes[MAX_REFS];
	size_t nexcludes;
	const char *exclude_globs[MAX_REFS];
	size_t nexclude_globs;
	/* install-hooks */
	int pre_push, pre_receive, force, chain;
	/* suppression and configuration (OPT_SUPPRESS) */
	const char *config;   /* --config FILE */
	int no_config;	      /* --no-config */
	int no_inline_allow;  /* --no-inline-allow (or --no-config) */
	const char *baseline; /* --baseline FILE */
	int report_unused_ignores;
	unsigned set;	      /* SET_*: flags that win over the config file */
	unsigned from_config; /* SET_*: values taken from the config file */
	const char *config_path; /* the config file read (borrowed), or NULL */
	int hook;	   /* --hook: human, exit 1, fail on any finding */
	unsigned cmd_opts; /* the command's OPT_* groups */
	/* verification (OPT_VERIFY) */
	int verify;
	int fail_on;		 /* FAIL_ON_* */
	const char *api_url;	 /* NULL: NOTIFLOWS_BASE_URL or the default */
	const char *cacert;	 /* CA file instead of the system store */
	unsigned verify_jobs;	 /* requests at once; 0: default (8) */
	unsigned verify_timeout; /* seconds per request; 0: default (10) */
	/* revocation (OPT_REVOKE) */
	int revoke;	       /* --revoke (implies verify) */
	int yes;	       /* --yes: no confirmation asked */
	int dry_run;	       /* --dry-run: no revoke request sent */
	const char *audit_log; /* NULL: the per-user default (see above) */
};

/* cli_parse's answer when the command should go on. */
#define CLI_CONTINUE (-1)

/*
 * Parses argv for command c into *o; *first is the index of the first
 * operand. Returns CLI_CONTINUE, or the status to exit with at once: after
 * printing --help (EXIT_CLEAN), or one line on a usage error (EXIT_ERROR).
 * How options combine is checked later, by cli_check_opts.
 */
int cli_parse(const struct command *c, int argc, char **argv,
	      struct cli_opts *o, int *first);

/*
 * The one check of a run's settings, whatever their source: call it once
 * flags and config file are merged (scan_begin does). Applies what
 * options imply (revoke: verify; --hook: human format, exit code 1,
 * --fail-on any), then checks the combination (--fail-on live needs
 * --verify, exit code 0..125, --yes/--dry-run/--audit-log need --revoke).
 * A bad value is named by where it came from: "--fail-on live needs
 * --verify" or "PATH: key 'fail_on': 'live' needs --verify". Returns 0, or
 * EXIT_ERROR with the message printed.
 */
int cli_check_opts(struct cli_opts *o, const char *command);

/* Prints "nfguard: <fmt>" and a newline to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * One scan run: the rules, the open report output and the timing, shared
 * by every scan command. scan_begin opens the output first so an
 * unwritable path fails before any work; scan_finish writes the report,
 * commits the output and returns the exit status.
 */
struct scan_run {
	struct cli_opts opts;
	struct ruleset *rules;
	struct findings findings;
	struct scan_totals totals;
	struct scan_info info;
	FILE *out;
	char *tmp_path;	   /* the -o temporary file, renamed on success */
	char *real_output; /* -o through a symbolic link: its target */
	struct cli_settings *settings; /* config file and suppressions */
	struct audit_log *audit;       /* --revoke: open from scan_begin */
};

int scan_begin(struct scan_run *run, const char *command,
	       const char *const *targets, size_t ntargets);
int scan_finish(struct scan_run *run, int scan_err);

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
 */
int cli_verify_prepare(struct scan_run *run);
int cli_verify_run(struct scan_run *run);
size_t cli_failing_findings(const struct scan_run *run);
/* The verify options as the verify layer takes them (base URL, client). */
struct verify_opts;
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
 * nfguard verify and nfguard revoke (cli/cmd_verify.c): tokens from
 * standard input, one per line, verified (and revoked) like findings.
 */
int cli_tokens_command(const char *name, int argc, char **argv);

/*
 * The config file and suppressions (cli/settings.c). settings_load, at
 * the start of a scan: finds and reads .nfguard.json (flags win over it),
 * the ignore file and the baseline; 0 or EXIT_ERROR (message printed).
 * settings_extra_rules gives the config's extra rule files.
 * settings_apply, after the scan: removes suppressed findings, fills the
 * report's counts, names unused ignores when asked. settings_free
 * accepts NULL.
 */
int settings_load(struct scan_run *run, const char *start);
void settings_extra_rules(const struct scan_run *run, const char *const **files,
			  size_t *n);
int settings_apply(struct scan_run *run);
void settings_free(struct cli_settings *s);

/*
 * Takes GIT_WORK_TREE out of the environment (libgit2 refuses to open a
 * repository from git's environment while it is set) and returns it for
 * the git sources' options (NULL: none; kept for the process's life).
 * Call before a git source opens a repository.
 */
const char *cli_take_git_env(void);

/*
 * The scan's problems (cli/problems.c), one log per process. cli_problem,
 * the problem_fn of every scan command (ctx: struct cli_opts), records a
 * problem by its distinct message and counts it: PROBLEM_UNREADABLE is an
 * error, or skipped under --skip-unreadable. problems_flush prints each
 * distinct problem not printed yet once on stderr, "(N times)" when it was
 * met more than once. problems_note records one without printing it (a
 * step that printed its own reason). problems_fill lends the list to the
 * report until problems_release. At most 1000 distinct problems are kept;
 * later new ones are printed at once and counted as unlisted.
 */
void cli_problem(void *ctx, enum problem_kind kind, const char *msg);
void problems_note(enum scan_problem_kind kind, const char *msg);
void problems_flush(void);
void problems_fill(struct scan_info *info);
void problems_release(void);

/*
 * The progress_fn of the scan commands: one self-erasing line on stderr
 * when it is a terminal and --no-progress was not given. ctx: struct
 * cli_opts. cli_progress_done erases the line.
 */
void cli_progress(void *ctx, uint64_t done, uint64_t total, uint64_t bytes);
void cli_progress_done(void);

int cmd_dir(int argc, char **argv);
int cmd_git(int argc, char **argv);
int cmd_staged(int argc, char **argv);
int cmd_install_hooks(int argc, char **argv);
int cmd_stdin(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_revoke(int argc, char **argv);

#endif

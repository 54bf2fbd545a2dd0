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
	OPT_REPORT = 1 << 0, /* -f -o --show-secret --exit-code --no-color */
	OPT_RULES = 1 << 1,  /* --rules */
	OPT_JOBS = 1 << 2,   /* -j --no-progress */
	OPT_SKIP = 1 << 3,   /* --skip-unreadable */
	OPT_LABEL = 1 << 4,  /* --label */
	OPT_GIT = 1 << 5,    /* --unreachable --range --ref ... */
	OPT_HOOKS = 1 << 6   /* --pre-push --pre-receive --force --chain */
};

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
};

/* cli_parse's answer when the command should go on. */
#define CLI_CONTINUE (-1)

/*
 * Parses argv for command c into *o; *first is the index of the first
 * operand. Returns CLI_CONTINUE, or the status to exit with at once: after
 * printing --help (EXIT_CLEAN), or one line on a usage error (EXIT_ERROR).
 */
int cli_parse(const struct command *c, int argc, char **argv,
	      struct cli_opts *o, int *first);

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
	char *tmp_path; /* the -o temporary file, renamed on success */
};

int scan_begin(struct scan_run *run, const char *command,
	       const char *const *targets, size_t ntargets);
int scan_finish(struct scan_run *run, int scan_err);

/* The problem_fn of every scan command: prints the problem on stderr. */
void cli_problem(void *ctx, enum problem_kind kind, const char *msg);

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

#endif

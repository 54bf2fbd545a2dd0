/*
 * The options of one run: the option table (options.c) gives getopt_long
 * its input, the help text its option lines and cli_parse the storage and
 * kind of each option. The strings in struct cli_opts are borrowed from
 * argv (or from the run's settings, see config_path).
 */
#ifndef NFG_CLI_OPTIONS_H
#define NFG_CLI_OPTIONS_H

#include "decode/decode.h"
#include <stddef.h>
#include <stdio.h>

#include "report/report.h"

struct command;

/*
 * Options a config file may also set: cli_opts.set has those given as
 * flags, cli_opts.from_config those taken from the config file.
 */
enum {
	SET_FORMAT = 1,
	SET_EXIT_CODE = 2,
	SET_JOBS = 4,
	SET_FAIL_ON = 8,
	SET_DECODE = 16
};

/* --fail-on: which findings make the exit status non-zero. */
enum { FAIL_ON_DEFAULT = 0, FAIL_ON_ANY, FAIL_ON_LIVE };

/* The most values a repeatable option takes. */
#define MAX_REFS 64

/* A repeatable option's values, in the order given. */
struct opt_list {
	const char *v[MAX_REFS];
	size_t n;
};

/* --color: auto (the default) colours a terminal only. */
enum cli_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Options as parsed for one run of a command. */
struct cli_opts {
	enum report_format format;
	const char *output; /* NULL: stdout */
	const char *rules_path;
	const char *label;
	int show_secret;
	int exit_code; /* status when findings are reported */
	int skip_unreadable;
	enum cli_color color;
	int no_progress;
	int quiet; /* human output: nothing when nothing is found */
	unsigned jobs;
	/* git */
	int unreachable;
	int all_occurrences;
	const char *range;
	const char *since_commit;
	struct opt_list refs;
	struct opt_list excludes;
	struct opt_list exclude_globs;
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
	int hook; /* --hook: human, exit 1, fail on any finding */
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
	const char *audit_log; /* NULL: the per-user default (see run.h) */
	/* object checks (OPT_OBJECTS) */
	int strict_objects; /* every object's id, packed ones too */
	/* git sweeps: several repositories */
	const char *repos_from; /* --repos-from FILE ("-": stdin) */
	unsigned repo_jobs;	/* repositories at once; 0: 1 */
	const char *state;	/* --state FILE: incremental sweeps */
	/* whole organisations listed through the hosts' APIs */
	struct opt_list github_orgs, github_users, gitlab_groups;
	const char *github_api_url, *gitlab_api_url; /* NULL: defaults */
	int skip_forks, skip_archived;
	const char *cache; /* --cache DIR: URL targets' clones kept */
	/* where settings are found from (NULL: the first target) */
	const char *settings_start;
	/* --shard I/N: this run's share (0/0: the whole list) */
	unsigned shard_index, shard_count;
	/* merge: JSONL reports accepted though partial */
	int accept_jsonl;
	/* decoding (OPT_DECODE): which decoders, within which bounds */
	struct decode_opts decode;
	/* install-hooks and uninstall-hooks for every repository */
	int global;
	const char *hooks_dir; /* NULL: $XDG_CONFIG_HOME/nfguard/hooks */
};

/* cli_parse's answer when the command should go on. */
#define CLI_CONTINUE (-1)

/*
 * Parses argv for command c into *o (its option groups only); *first is
 * the index of the first operand. Returns CLI_CONTINUE, or the status to
 * exit with at once: after printing --help (EXIT_CLEAN), or one line on a
 * usage error (EXIT_ERROR). How options combine is checked later, by
 * cli_check_opts.
 */
int cli_parse(const struct command *c, int argc, char **argv,
	      struct cli_opts *o, int *first);

/*
 * The one check of a run's settings, whatever their source: call it once
 * flags and config file are merged (scan_begin does). Applies what
 * command c and the options imply (CMD_REVOKES: revoke; CMD_VERIFIES and
 * revoke: verify; CMD_FAIL_ON_LIVE: --fail-on live unless given; --hook:
 * human format, exit code 1, --fail-on any), then checks the combination
 * (--fail-on live needs --verify, exit code 0..125, --yes/--dry-run/
 * --audit-log need --revoke). A bad value is named by where it came from:
 * "--fail-on live needs --verify" or "PATH: key 'fail_on': 'live' needs
 * --verify". Returns 0, or EXIT_ERROR with the message printed.
 */
int cli_check_opts(struct cli_opts *o, const struct command *c);

/* Prints the options of the OPT_* groups in mask (always --help). */
void options_help(FILE *out, unsigned mask);

/* One row of the option table, as help and the completions show it. */
struct opt_view {
	const char *name; /* the long option, without "--" */
	char letter;	  /* the short option, or 0 */
	const char *arg;  /* the value's name in help ("FILE"), or NULL */
	const char *help; /* its help line (strings borrowed from the table) */
};

/* The number of rows of the option table. */
size_t options_count(void);

/*
 * Row i (< options_count()) in *v when a command taking the OPT_* groups
 * in mask takes it (--help always): 1, else 0 and *v unchanged.
 */
int options_at(size_t i, unsigned mask, struct opt_view *v);

/*
 * Appends the values row i's option accepts, when the table knows them,
 * to out, each followed by a space ("human json jsonl sarif html "; nothing
 * for a FILE or a number). 0, or the buffer's failure.
 */
int options_values(size_t i, struct buf *out);

#endif

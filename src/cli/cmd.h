/*
 * The command table: each row names a command, the function that runs it,
 * the option groups it takes and the needs the shared set-up reads from
 * its flags (as git's RUN_SETUP), and the exit statuses every command
 * returns. Rows are static: a pointer to one is valid for the process.
 */
#ifndef NFG_CLI_CMD_H
#define NFG_CLI_CMD_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses: documented in --help, the man page and the README. */
enum {
	EXIT_CLEAN = 0,	   /* nothing found */
	EXIT_FINDINGS = 1, /* findings (--exit-code N changes it) */
	EXIT_ERROR = 2,	   /* bad usage, bad rules, unreadable input, ... */
	EXIT_SIGINT = 130,
	EXIT_SIGTERM = 143
};

/* Which groups of the option table (options.c) a command takes. */
enum {
	OPT_REPORT = 1 << 0,   /* -f -o --show-secret --exit-code --color */
	OPT_RULES = 1 << 1,    /* --rules */
	OPT_JOBS = 1 << 2,     /* -j --no-progress */
	OPT_SKIP = 1 << 3,     /* --skip-unreadable */
	OPT_LABEL = 1 << 4,    /* --label */
	OPT_GIT = 1 << 5,      /* --unreachable --range --ref ... */
	OPT_HOOKS = 1 << 6,    /* --pre-push --pre-receive --force --chain */
	OPT_SUPPRESS = 1 << 7, /* --config --baseline --no-inline-allow ... */
	OPT_HOOK = 1 << 8,     /* --hook (staged and git, as hooks run them) */
	OPT_VERIFY = 1 << 9,   /* --verify --api-url --cacert --fail-on ... */
	OPT_REVOKE = 1 << 10,  /* --revoke --yes --dry-run --audit-log */
	OPT_OBJECTS = 1 << 11, /* --strict-objects (git and staged) */
	OPT_MERGE = 1 << 12,   /* --accept-jsonl (merge) */
	OPT_DECODE = 1 << 13,  /* --decode --no-decode --decode-* */
	OPT_GLOBAL = 1 << 14,  /* --global --hooks-dir (install/uninstall) */
	OPT_WALK = 1 << 15     /* --exclude --max-file-size -v (dir) */
};

/* What a command needs from the shared set-up (scan_begin, scan_finish). */
enum {
	/* Its data is standard input: settings are found from ".", not
	 * from a target, and consent is asked on /dev/tty. */
	CMD_INPUT_STDIN = 1 << 0,
	/* It reads tokens, not files: no "nothing was scanned" warning. */
	CMD_TOKENS = 1 << 1,
	/* It verifies whatever the flags say (implies --verify). */
	CMD_VERIFIES = 1 << 2,
	/* It revokes whatever the flags say (implies --revoke). */
	CMD_REVOKES = 1 << 3,
	/* --fail-on live unless --fail-on says otherwise. */
	CMD_FAIL_ON_LIVE = 1 << 4
};

struct command {
	const char *name;
	/* Runs the command with its own row: argv[0] is the command name. */
	int (*fn)(const struct command *self, int argc, char **argv);
	unsigned opts;	     /* OPT_* */
	unsigned flags;	     /* CMD_* */
	const char *usage;   /* after "nfguard " */
	const char *summary; /* one line */
	const char *details; /* more lines, or NULL */
};

/* The table, in the order help lists it. */
extern const struct command commands[];
extern const size_t ncommands;

/* The row named name, or NULL. */
const struct command *command_find(const char *name);
/*
 * Says on stderr that no command is named name, with the nearest one
 * when a typo is likely.
 */
void command_unknown(const char *name);
/* Prints a command's help (usage, summary, options) to out. */
void command_help(FILE *out, const struct command *c);
/* Prints the general help (all commands, exit codes) to out. */
void general_help(FILE *out);

/*
 * The commands, one file each (cli/cmd_<name>.c; cmd_tokens serves both
 * verify and revoke, told apart by their flags). Each returns the exit
 * status, its messages printed.
 */
int cmd_dir(const struct command *self, int argc, char **argv);
int cmd_git(const struct command *self, int argc, char **argv);
int cmd_staged(const struct command *self, int argc, char **argv);
int cmd_install_hooks(const struct command *self, int argc, char **argv);
int cmd_stdin(const struct command *self, int argc, char **argv);
int cmd_rules(const struct command *self, int argc, char **argv);
int cmd_help(const struct command *self, int argc, char **argv);
int cmd_tokens(const struct command *self, int argc, char **argv);
int cmd_merge(const struct command *self, int argc, char **argv);
int cmd_uninstall_hooks(const struct command *self, int argc, char **argv);
int cmd_completion(const struct command *self, int argc, char **argv);

/*
 * nfguard --version [--format human|json] (cli/version.c): argv[0] is
 * "--version". Prints the version, the commit the binary was built from
 * ("unknown" outside a git checkout) and the versions of the libraries
 * loaded; returns the exit status, a usage error printed.
 */
int cli_version(int argc, char **argv);

#endif

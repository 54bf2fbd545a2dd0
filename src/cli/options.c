/*
 * One table describes every option: its group, its getopt_long entry and
 * its help line. Commands take the groups they declare in the command
 * table; numbers are parsed with bounds.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/escape.h"
#include "util/parse.h"
#include "cli/cli.h"
#include "cli/options.h"

#include <getopt.h>
#include <limits.h>
#include <unistd.h>

enum {
	O_HELP = 'h',
	O_FORMAT = 'f',
	O_OUTPUT = 'o',
	O_JOBS = 'j',
	O_QUIET = 'q',
	O_RULES = 256,
	O_VERIFY,
	O_API_URL,
	O_CACERT,
	O_VERIFY_CONCURRENCY,
	O_VERIFY_TIMEOUT,
	O_FAIL_ON,
	O_REVOKE,
	O_YES,
	O_DRY_RUN,
	O_AUDIT_LOG,
	O_SHOW_SECRET,
	O_EXIT_CODE,
	O_SKIP_UNREADABLE,
	O_NO_PROGRESS,
	O_NO_COLOR,
	O_LABEL,
	O_UNREACHABLE,
	O_RANGE,
	O_SINCE_COMMIT,
	O_REF,
	O_EXCLUDE,
	O_EXCLUDE_GLOB,
	O_ALL_OCCURRENCES,
	O_CONFIG,
	O_NO_CONFIG,
	O_NO_INLINE_ALLOW,
	O_BASELINE,
	O_REPORT_UNUSED_IGNORES,
	O_PRE_PUSH,
	O_PRE_RECEIVE,
	O_FORCE,
	O_CHAIN,
	O_HOOK
};

struct opt_def {
	unsigned group; /* OPT_*, 0 for every command */
	const char *name;
	int has_arg;
	int val;
	const char *arg;  /* name of the argument in help */
	const char *help; /* one line */
};

static const struct opt_def defs[] = {
	{OPT_REPORT, "format", required_argument, O_FORMAT, "FMT",
	 "report format: "}, /* + the names from report_format_names */
	{OPT_REPORT, "output", required_argument, O_OUTPUT, "FILE",
	 "write the report to FILE (atomically, keeping its mode; a new "
	 "one is 0600 with --show-secret)"},
	{OPT_REPORT, "show-secret", no_argument, O_SHOW_SECRET, NULL,
	 "show whole tokens instead of redacted ones"},
	{OPT_REPORT, "exit-code", required_argument, O_EXIT_CODE, "N",
	 "exit status when findings are reported (0-125, default 1)"},
	{OPT_REPORT, "no-color", no_argument, O_NO_COLOR, NULL,
	 "no colour in human output (also: NO_COLOR set)"},
	{OPT_REPORT, "quiet", no_argument, O_QUIET, NULL,
	 "no summary and no warnings when nothing is found"},
	{OPT_RULES, "rules", required_argument, O_RULES, "PATH",
	 "rule file or folder of *.json to use instead of the built-in rules"},
	{OPT_JOBS, "jobs", required_argument, O_JOBS, "N",
	 "scan with N threads (default: number of cores)"},
	{OPT_JOBS, "no-progress", no_argument, O_NO_PROGRESS, NULL,
	 "show no progress on stderr (shown only on a terminal)"},
	{OPT_SKIP, "skip-unreadable", no_argument, O_SKIP_UNREADABLE, NULL,
	 "warn about unreadable files instead of failing (exit 2)"},
	{OPT_GIT, "unreachable", no_argument, O_UNREACHABLE, NULL,
	 "also scan every object no ref reaches (dangling, dropped)"},
	{OPT_GIT, "range", required_argument, O_RANGE, "A..B",
	 "only what commits in B and not in A introduced (or a tip B; "
	 "warns when none)"},
	{OPT_GIT, "since-commit", required_argument, O_SINCE_COMMIT, "REV",
	 "the same as --range REV..HEAD"},
	{OPT_GIT, "ref", required_argument, O_REF, "REF",
	 "start from REF only (repeatable; default: every ref)"},
	{OPT_GIT, "exclude", required_argument, O_EXCLUDE, "REV",
	 "with --range: leave out what REV reaches (repeatable)"},
	{OPT_GIT, "exclude-glob", required_argument, O_EXCLUDE_GLOB, "GLOB",
	 "with --range: leave out what refs matching GLOB reach"},
	{OPT_GIT, "all-occurrences", no_argument, O_ALL_OCCURRENCES, NULL,
	 "one finding per commit and path holding a token"},
	{OPT_LABEL, "label", required_argument, O_LABEL, "NAME",
	 "path to report for findings (default: stdin)"},
	{OPT_SUPPRESS, "config", required_argument, O_CONFIG, "FILE",
	 "read settings from FILE (default: .nfguard.json found upward)"},
	{OPT_SUPPRESS, "no-config", no_argument, O_NO_CONFIG, NULL,
	 "no config, .nfguardignore or nfguard:allow (untrusted changes)"},
	{OPT_SUPPRESS, "no-inline-allow", no_argument, O_NO_INLINE_ALLOW, NULL,
	 "report tokens marked nfguard:allow as well"},
	{OPT_SUPPRESS, "baseline", required_argument, O_BASELINE, "FILE",
	 "report only tokens not in FILE (an earlier -f json report)"},
	{OPT_SUPPRESS, "report-unused-ignores", no_argument,
	 O_REPORT_UNUSED_IGNORES, NULL,
	 "name .nfguardignore entries that matched nothing"},
	{OPT_HOOKS, "pre-push", no_argument, O_PRE_PUSH, NULL,
	 "also install the pre-push hook"},
	{OPT_HOOKS, "pre-receive", no_argument, O_PRE_RECEIVE, NULL,
	 "install the server-side pre-receive hook (bare repositories)"},
	{OPT_HOOKS, "force", no_argument, O_FORCE, NULL,
	 "replace an existing hook that is not nfguard's"},
	{OPT_HOOKS, "chain", no_argument, O_CHAIN, NULL,
	 "keep an existing hook and run it before nfguard's"},
	{OPT_HOOK, "hook", no_argument, O_HOOK, NULL,
	 "as a git hook: human report, exit 1 on any finding (config aside)"},
	{OPT_VERIFY, "verify", no_argument, O_VERIFY, NULL,
	 "ask the Notiflows API whether each token is live"},
	{OPT_VERIFY, "api-url", required_argument, O_API_URL, "URL",
	 "API base (default: NOTIFLOWS_BASE_URL, else api.notiflows.com)"},
	{OPT_VERIFY, "cacert", required_argument, O_CACERT, "FILE",
	 "trust the CA certificates in FILE instead of the system's"},
	{OPT_VERIFY, "verify-concurrency", required_argument,
	 O_VERIFY_CONCURRENCY, "N", "verify N tokens at once (default 8)"},
	{OPT_VERIFY, "verify-timeout", required_argument, O_VERIFY_TIMEOUT,
	 "SECS", "timeout of one verify request in seconds (default 10)"},
	{OPT_VERIFY, "fail-on", required_argument, O_FAIL_ON, "live|any",
	 "exit 1 on any finding (default) or only on a live or unverified "
	 "token (--verify)"},
	{OPT_REVOKE, "revoke", no_argument, O_REVOKE, NULL,
	 "revoke live tokens after confirmation (implies --verify)"},
	{OPT_REVOKE, "yes", no_argument, O_YES, NULL,
	 "revoke without asking (needed without a terminal)"},
	{OPT_REVOKE, "dry-run", no_argument, O_DRY_RUN, NULL,
	 "show what would be revoked; send no revoke request"},
	{OPT_REVOKE, "audit-log", required_argument, O_AUDIT_LOG, "FILE",
	 "audit log (default $XDG_STATE_HOME/nfguard/audit.jsonl)"},
	{0, "help", no_argument, O_HELP, NULL, "show this help"},
};

void cli_error(const char *fmt, ...)
{
	char msg[2048];
	struct buf esc;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Messages quote paths and arguments: keep escapes off the terminal. */
	buf_init(&esc, BUF_DEFAULT_MAX);
	if (escape_term(&esc, msg, strlen(msg)))
		fprintf(stderr, "nfguard: %s\n", msg);
	else
		fprintf(stderr, "nfguard: %s\n", esc.ptr);
	buf_release(&esc);
}

void options_help(FILE *out, unsigned mask)
{
	struct buf formats;
	size_t i;

	buf_init(&formats, BUF_DEFAULT_MAX);
	report_format_names(&formats, 1);
	fprintf(out, "\nOptions:\n");
	for (i = 0; i < ARRAY_SIZE(defs); i++) {
		char flag[64];
		const struct opt_def *d = &defs[i];

		if (d->group && !(d->group & mask))
			continue;
		if (d->val < 256)
			snprintf(flag, sizeof(flag), "-%c, --%s%s%s", d->val,
				 d->name, d->arg ? " " : "",
				 d->arg ? d->arg : "");
		else
			snprintf(flag, sizeof(flag), "    --%s%s%s", d->name,
				 d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(out, "  %-26s %s%s\n", flag, d->help,
			d->val == O_FORMAT ? formats.ptr : "");
	}
	buf_release(&formats);
}

/* Appends a repeatable option's value; fails past MAX_REFS values. */
static int add_value(const char **v, size_t *n, const char *name)
{
	if (*n == MAX_REFS) {
		cli_error("at most %d %s options", MAX_REFS, name);
		return -1;
	}
	v[(*n)++] = optarg;
	return 0;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

int cli_parse(const struct command *c, int argc, char **argv,
	      struct cli_opts *o, int *first)
{
	struct option longopts[ARRAY_SIZE(defs) + 1];
	char shortopts[32];
	size_t i, n = 0, s = 0;
	uint64_t v;
	int ch;

	memset(o, 0, sizeof(*o));
	o->format = REPORT_HUMAN;
	o->exit_code = EXIT_FINDINGS;
	o->jobs = default_jobs();
	o->cmd_opts = c->opts;
	shortopts[s++] = ':'; /* report a missing value as ':' */
	for (i = 0; i < ARRAY_SIZE(defs); i++) {
		const struct opt_def *d = &defs[i];

		if (d->group && !(d->group & c->opts))
			continue;
		longopts[n].name = d->name;
		longopts[n].has_arg = d->has_arg;
		longopts[n].flag = NULL;
		longopts[n].val = d->val;
		n++;
		if (d->val < 256) {
			shortopts[s++] = (char)d->val;
			if (d->has_arg)
				shortopts[s++] = ':';
		}
	}
	memset(&longopts[n], 0, sizeof(longopts[n]));
	shortopts[s] = '\0';
	/* Options may follow operands ("dir . -f json"); 0 resets glibc. */
	optind = 0;
	opterr = 0;
	for (;;) {
		ch = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (ch == -1)
			break;
		switch (ch) {
		case O_HELP:
			command_help(stdout, c);
			return fflush(stdout) || ferror(stdout) ? EXIT_ERROR
								: EXIT_CLEAN;
		case O_FORMAT:
			if (report_format_parse(optarg, &o->format)) {
				cli_error("%s", error_last());
				return EXIT_ERROR;
			}
			o->set |= SET_FORMAT;
			break;
		case O_OUTPUT:
			o->output = optarg;
			break;
		case O_SHOW_SECRET:
			o->show_secret = 1;
			break;
		case O_EXIT_CODE:
			/* The range is cli_check_opts's, as for the config. */
			if (parse_u64(optarg, 0, UINT64_MAX, &v)) {
				cli_error("--exit-code: %s", error_last());
				return EXIT_ERROR;
			}
			o->exit_code = v > INT_MAX ? INT_MAX : (int)v;
			o->set |= SET_EXIT_CODE;
			break;
		case O_NO_COLOR:
			o->no_color = 1;
			break;
		case O_QUIET:
			o->quiet = 1;
			break;
		case O_RULES:
			o->rules_path = optarg;
			break;
		case O_JOBS:
			if (parse_u64(optarg, 1, 256, &v)) {
				cli_error("--jobs: %s", error_last());
				return EXIT_ERROR;
			}
			o->jobs = (unsigned)v;
			o->set |= SET_JOBS;
			break;
		case O_SKIP_UNREADABLE:
			o->skip_unreadable = 1;
			break;
		case O_NO_PROGRESS:
			o->no_progress = 1;
			break;
		case O_UNREACHABLE:
			o->unreachable = 1;
			break;
		case O_ALL_OCCURRENCES:
			o->all_occurrences = 1;
			break;
		case O_CONFIG:
			o->config = optarg;
			break;
		case O_NO_CONFIG:
			o->no_config = 1;
			o->no_inline_allow = 1; /* untrusted changes */
			break;
		case O_NO_INLINE_ALLOW:
			o->no_inline_allow = 1;
			break;
		case O_BASELINE:
			o->baseline = optarg;
			break;
		case O_REPORT_UNUSED_IGNORES:
			o->report_unused_ignores = 1;
			break;
		case O_PRE_PUSH:
			o->pre_push = 1;
			break;
		case O_PRE_RECEIVE:
			o->pre_receive = 1;
			break;
		case O_FORCE:
			o->force = 1;
			break;
		case O_CHAIN:
			o->chain = 1;
			break;
		case O_HOOK:
			o->hook = 1;
			break;
		case O_RANGE:
			o->range = optarg;
			break;
		case O_SINCE_COMMIT:
			o->since_commit = optarg;
			break;
		case O_REF:
			if (add_value(o->refs, &o->nrefs, "--ref"))
				return EXIT_ERROR;
			break;
		case O_EXCLUDE:
			if (add_value(o->excludes, &o->nexcludes, "--exclude"))
				return EXIT_ERROR;
			break;
		case O_EXCLUDE_GLOB:
			if (add_value(o->exclude_globs, &o->nexclude_globs,
				      "--exclude-glob"))
				return EXIT_ERROR;
			break;
		case O_LABEL:
			o->label = optarg;
			break;
		case O_VERIFY:
			o->verify = 1;
			break;
		case O_API_URL:
			o->api_url = optarg;
			break;
		case O_CACERT:
			o->cacert = optarg;
			break;
		case O_VERIFY_CONCURRENCY:
			if (parse_u64(optarg, 1, 256, &v)) {
				cli_error("--verify-concurrency: %s",
					  error_last());
				return EXIT_ERROR;
			}
			o->verify_jobs = (unsigned)v;
			break;
		case O_VERIFY_TIMEOUT:
			if (parse_u64(optarg, 1, 300, &v)) {
				cli_error("--verify-timeout: %s", error_last());
				return EXIT_ERROR;
			}
			o->verify_timeout = (unsigned)v;
			break;
		case O_FAIL_ON:
			if (!strcmp(optarg, "live")) {
				o->fail_on = FAIL_ON_LIVE;
			} else if (!strcmp(optarg, "any")) {
				o->fail_on = FAIL_ON_ANY;
			} else {
				cli_error("--fail-on: '%s' is not live or any",
					  optarg);
				return EXIT_ERROR;
			}
			o->set |= SET_FAIL_ON;
			break;
		case O_REVOKE:
			o->revoke = 1;
			break;
		case O_YES:
			o->yes = 1;
			break;
		case O_DRY_RUN:
			o->dry_run = 1;
			break;
		case O_AUDIT_LOG:
			o->audit_log = optarg;
			break;
		case ':':
			cli_error(
				"option '%s' needs a value (try 'nfguard help "
				"%s')",
				argv[optind - 1], c->name);
			return EXIT_ERROR;
		default:
			if (optopt)
				cli_error("unknown option '-%c' (try 'nfguard "
					  "help %s')",
					  optopt, c->name);
			else
				cli_error("unknown option '%s' (try 'nfguard "
					  "help %s')",
					  argv[optind - 1], c->name);
			return EXIT_ERROR;
		}
	}
	*first = optind;
	return CLI_CONTINUE;
}

/* "--flag" or "PATH: key 'key'": where the value of a setting came from. */
static const char *origin(const struct cli_opts *o, unsigned bit,
			  const char *flag, const char *key, char *b, size_t n)
{
	if (!(o->from_config & bit) || !o->config_path)
		return flag;
	snprintf(b, n, "%s: key '%s'", o->config_path, key);
	return b;
}

int cli_check_opts(struct cli_opts *o, const char *command)
{
	char from[4200];

	/* The revoke command revokes; elsewhere these need --revoke. */
	if (!strcmp(command, "revoke"))
		o->revoke = 1;
	if (!o->revoke && (o->yes || o->dry_run || o->audit_log)) {
		cli_error("%s needs --revoke", o->yes	    ? "--yes"
					       : o->dry_run ? "--dry-run"
							    : "--audit-log");
		return EXIT_ERROR;
	}
	/* Only a token verified live in this run is ever revoked. */
	if (o->revoke)
		o->verify = 1;
	/*
	 * A hook is a gate for every developer: settings meant for a CI job
	 * (a SARIF report, exit 0, only live tokens) never apply to it.
	 */
	if (o->hook) {
		if (o->set & (SET_FORMAT | SET_EXIT_CODE | SET_FAIL_ON)) {
			cli_error("--hook cannot be combined with %s",
				  o->set & SET_FORMAT	   ? "--format"
				  : o->set & SET_EXIT_CODE ? "--exit-code"
							   : "--fail-on");
			return EXIT_ERROR;
		}
		o->format = REPORT_HUMAN;
		o->exit_code = EXIT_FINDINGS;
		o->fail_on = FAIL_ON_ANY;
		o->from_config &=
			~(unsigned)(SET_FORMAT | SET_EXIT_CODE | SET_FAIL_ON);
	}
	if (o->exit_code < 0 || o->exit_code > 125) {
		cli_error("%s: must be an integer from 0 to 125",
			  origin(o, SET_EXIT_CODE, "--exit-code", "exit_code",
				 from, sizeof(from)));
		return EXIT_ERROR;
	}
	/* Without verification no token is ever live: refuse to pass. */
	if (o->fail_on == FAIL_ON_LIVE && !o->verify) {
		if (o->from_config & SET_FAIL_ON)
			cli_error("%s: 'live' needs --verify",
				  origin(o, SET_FAIL_ON, "--fail-on", "fail_on",
					 from, sizeof(from)));
		else
			cli_error("--fail-on live needs --verify");
		return EXIT_ERROR;
	}
	return 0;
}

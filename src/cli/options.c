/*
 * One table describes every option: its group, its getopt_long entry, its
 * help line, and where and how its value is stored. Commands take the
 * groups they declare in the command table; numbers are parsed with
 * bounds; only values that are more than a string or a number have a
 * check of their own.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/glob.h"
#include "util/parse.h"
#include "util/str.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/options.h"
#include "sweep/target.h"

#include <getopt.h>
#include <limits.h>
#include <unistd.h>

/* What an option row stores, and how. */
enum opt_kind {
	OK_FLAG,   /* int: set to 1 */
	OK_STRING, /* const char *: the value (borrowed from argv) */
	OK_UINT,   /* unsigned: the value, from min to max */
	OK_LIST,   /* struct opt_list: the value appended */
	OK_CHECK,  /* the row's check parses and stores the value */
	OK_HELP	   /* prints the command's help and ends the run */
};

struct opt_def {
	unsigned group; /* OPT_*, 0 for every command */
	const char *name;
	char letter; /* the short option, or 0 */
	enum opt_kind kind;
	size_t off;	   /* the storage in struct cli_opts */
	unsigned min, max; /* OK_UINT: the bounds */
	/* OK_CHECK: 0, or EXIT_ERROR with the message printed. */
	int (*check)(struct cli_opts *o, const char *value);
	unsigned set;	  /* SET_* noted when the option is given */
	const char *arg;  /* name of the value in help; NULL: takes none */
	const char *help; /* one line */
	/* The values it accepts, each and a space, when more than arg says. */
	int (*values)(struct buf *out);
};

/*
 * The offset of field in struct cli_opts, which must have type t: a
 * _Generic without a matching type does not compile.
 */
/* A type name cannot be parenthesized: t stays bare. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define AT(field, t)                                                           \
	(offsetof(struct cli_opts, field) +                                    \
	 0 * _Generic(((struct cli_opts *)0)->field, t : 1))
/* NOLINTEND(bugprone-macro-parentheses) */
#define FLAG(f)	  .kind = OK_FLAG, .off = AT(f, int)
#define STRING(f) .kind = OK_STRING, .off = AT(f, const char *)
#define UINT(f, lo, hi)                                                        \
	.kind = OK_UINT, .off = AT(f, unsigned), .min = (lo), .max = (hi)
#define LIST(f)	  .kind = OK_LIST, .off = AT(f, struct opt_list)
#define CHECK(fn) .kind = OK_CHECK, .check = (fn)

/* The real validators: values that are more than a string or a number. */
static int set_format(struct cli_opts *o, const char *value)
{
	if (report_format_parse(value, &o->format)) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	return 0;
}

static int set_exit_code(struct cli_opts *o, const char *value)
{
	uint64_t v;

	/* The range is cli_check_opts's, as for the config. */
	if (parse_u64(value, 0, UINT64_MAX, &v)) {
		cli_error("--exit-code: %s", error_last());
		return EXIT_ERROR;
	}
	o->exit_code = v > INT_MAX ? INT_MAX : (int)v;
	return 0;
}

static int set_decode(struct cli_opts *o, const char *value)
{
	if (decode_parse_list(value, &o->decode.enabled)) {
		cli_error("--decode: %s", error_last());
		return EXIT_ERROR;
	}
	o->set |= SET_DECODE;
	return 0;
}

static int set_no_decode(struct cli_opts *o, const char *value)
{
	(void)value;
	o->decode.enabled = 0;
	o->set |= SET_DECODE;
	return 0;
}

/* A decoding bound: a whole number in [lo, hi]. */
static int set_bound(const char *flag, const char *value, uint64_t lo,
		     uint64_t hi, uint64_t *out)
{
	if (parse_u64(value, lo, hi, out)) {
		cli_error("--%s: %s", flag, error_last());
		return EXIT_ERROR;
	}
	return 0;
}

static int set_decode_depth(struct cli_opts *o, const char *value)
{
	uint64_t v;

	if (set_bound("decode-depth", value, 1, HIT_MAX_ENCODING, &v))
		return EXIT_ERROR;
	o->decode.limits.depth = (unsigned)v;
	return 0;
}

static int set_decode_max_bytes(struct cli_opts *o, const char *value)
{
	return set_bound("decode-max-bytes", value, 1, UINT64_MAX,
			 &o->decode.limits.max_bytes);
}

static int set_decode_max_entries(struct cli_opts *o, const char *value)
{
	return set_bound("decode-max-entries", value, 1, UINT64_MAX,
			 &o->decode.limits.max_entries);
}

static int set_decode_max_total(struct cli_opts *o, const char *value)
{
	return set_bound("decode-max-total", value, 1, UINT64_MAX,
			 &o->decode.limits.max_total);
}

static int set_fail_on(struct cli_opts *o, const char *value)
{
	if (!strcmp(value, "live")) {
		o->fail_on = FAIL_ON_LIVE;
	} else if (!strcmp(value, "any")) {
		o->fail_on = FAIL_ON_ANY;
	} else {
		cli_error("--fail-on: '%s' is not live or any", value);
		return EXIT_ERROR;
	}
	return 0;
}

static int set_color(struct cli_opts *o, const char *value)
{
	if (!strcmp(value, "auto")) {
		o->color = COLOR_AUTO;
	} else if (!strcmp(value, "always")) {
		o->color = COLOR_ALWAYS;
	} else if (!strcmp(value, "never")) {
		o->color = COLOR_NEVER;
	} else {
		cli_error("--color: '%s' is not auto, always or never", value);
		return EXIT_ERROR;
	}
	return 0;
}

static int set_no_color(struct cli_opts *o, const char *value)
{
	(void)value;
	o->color = COLOR_NEVER;
	return 0;
}

static int set_no_config(struct cli_opts *o, const char *value)
{
	(void)value;
	o->no_config = 1;
	o->no_inline_allow = 1; /* untrusted changes */
	return 0;
}

/* A glob as the config file's are checked: never one that matches nothing. */
static int add_skip_glob(struct cli_opts *o, const char *value)
{
	if (glob_check(value, NULL)) {
		cli_error("--exclude: %s", error_last());
		return EXIT_ERROR;
	}
	if (o->skip_globs.n == MAX_REFS) {
		cli_error("at most %d --exclude options", MAX_REFS);
		return EXIT_ERROR;
	}
	o->skip_globs.v[o->skip_globs.n++] = value;
	return 0;
}

static int set_max_file_size(struct cli_opts *o, const char *value)
{
	if (parse_size(value, &o->max_file_size)) {
		cli_error("--max-file-size: %s", error_last());
		return EXIT_ERROR;
	}
	return 0;
}

/* --shard I/N: 1 <= I <= N <= TARGET_SHARD_MAX. */
static int set_shard(struct cli_opts *o, const char *value)
{
	const char *slash = strchr(value, '/');
	uint64_t i = 0, n = 0;
	char num[24];
	size_t len = slash ? (size_t)(slash - value) : 0;

	if (slash && len < sizeof(num)) {
		memcpy(num, value, len);
		num[len] = '\0';
	}
	if (!slash || len >= sizeof(num) ||
	    parse_u64(slash + 1, 1, TARGET_SHARD_MAX, &n) ||
	    parse_u64(num, 1, n, &i)) {
		cli_error("--shard: '%s' is not I/N (1 <= I <= N <= %d)", value,
			  TARGET_SHARD_MAX);
		return EXIT_ERROR;
	}
	o->shard_index = (unsigned)i;
	o->shard_count = (unsigned)n;
	return 0;
}

/* The completions' value lists: the names the parsers above accept. */
static int format_values(struct buf *out)
{
	unsigned f;

	for (f = 0; report_format_name(f); f++)
		buf_printf(out, "%s ", report_format_name(f));
	return buf_failed(out);
}

static int decode_values(struct buf *out)
{
	unsigned bit;

	for (bit = 1; bit & DECODE_ALL; bit <<= 1)
		buf_printf(out, "%s ", decoder_name(bit));
	buf_puts(out, "all none ");
	return buf_failed(out);
}

/* In the order help lists them. */
static const struct opt_def defs[] = {
	{OPT_REPORT, "format", 'f', CHECK(set_format), .set = SET_FORMAT,
	 .arg = "FMT", .values = format_values,
	 .help = "report format: "}, /* + the names from report_format_names */
	{OPT_REPORT, "output", 'o', STRING(output), .arg = "FILE",
	 .help = "write the report to FILE (atomically, keeping its mode; a "
		 "new one is 0600 with --show-secret)"},
	{OPT_REPORT, "show-secret", 0, FLAG(show_secret),
	 .help = "show whole tokens instead of redacted ones (never in -f "
		 "html: that report holds no whole token)"},
	{OPT_REPORT, "exit-code", 0, CHECK(set_exit_code), .set = SET_EXIT_CODE,
	 .arg = "N",
	 .help = "exit status when findings are reported (0-125 but 2, default "
		 "1)"},
	{OPT_REPORT, "color", 0, CHECK(set_color), .arg = "auto|always|never",
	 .help = "colour in human output: auto (default: on a terminal, not "
		 "with NO_COLOR set or TERM=dumb), always or never"},
	{OPT_REPORT, "no-color", 0, CHECK(set_no_color),
	 .help = "the same as --color never"},
	{OPT_REPORT, "quiet", 'q', FLAG(quiet),
	 .help = "no summary and no warnings when nothing is found"},
	{OPT_RULES, "rules", 0, STRING(rules_path), .arg = "PATH",
	 .help = "rule file or folder of *.json to use instead of the "
		 "built-in rules"},
	{OPT_JOBS, "jobs", 'j', UINT(jobs, 1, 256), .set = SET_JOBS, .arg = "N",
	 .help = "scan with N threads (default: number of cores)"},
	{OPT_JOBS, "no-progress", 0, FLAG(no_progress),
	 .help = "show no progress on stderr (shown only on a terminal)"},
	{OPT_SKIP, "skip-unreadable", 0, FLAG(skip_unreadable),
	 .help = "warn about unreadable files instead of failing (exit 2)"},
	{OPT_GIT, "unreachable", 0, FLAG(unreachable),
	 .help = "also scan every object no ref reaches (dangling, dropped)"},
	{OPT_GIT, "range", 0, STRING(range), .arg = "A..B",
	 .help = "only what commits in B and not in A introduced (or a tip "
		 "B; warns when none)"},
	{OPT_GIT, "since-commit", 0, STRING(since_commit), .arg = "REV",
	 .help = "the same as --range REV..HEAD"},
	{OPT_GIT, "ref", 0, LIST(refs), .arg = "REF",
	 .help = "start from REF only (repeatable; default: every ref)"},
	{OPT_GIT, "exclude", 0, LIST(excludes), .arg = "REV",
	 .help = "with --range: leave out what REV reaches (repeatable)"},
	{OPT_GIT, "exclude-glob", 0, LIST(exclude_globs), .arg = "GLOB",
	 .help = "with --range: leave out what refs matching GLOB reach"},
	{OPT_GIT, "all-occurrences", 0, FLAG(all_occurrences),
	 .help = "one finding per commit and path holding a token"},
	{OPT_GIT, "repos-from", 0, STRING(repos_from), .arg = "FILE",
	 .help = "also sweep the repositories FILE lists, one a line ('-': "
		 "stdin)"},
	{OPT_GIT, "repo-jobs", 0, UINT(repo_jobs, 1, 64), .arg = "N",
	 .help = "in a sweep, scan N repositories at once (default 1)"},
	{OPT_GIT, "state", 0, STRING(state), .arg = "FILE",
	 .help = "scan only what is new since the run that wrote FILE and "
		 "report only new tokens; FILE is updated"},
	{OPT_GIT, "github-org", 0, LIST(github_orgs), .arg = "ORG",
	 .help = "also sweep every repository of GitHub organisation ORG "
		 "(token: GITHUB_TOKEN)"},
	{OPT_GIT, "github-user", 0, LIST(github_users), .arg = "USER",
	 .help = "also sweep every repository GitHub user USER owns"},
	{OPT_GIT, "gitlab-group", 0, LIST(gitlab_groups), .arg = "GROUP",
	 .help = "also sweep GitLab group GROUP and its subgroups (token: "
		 "GITLAB_TOKEN)"},
	{OPT_GIT, "github-api-url", 0, STRING(github_api_url), .arg = "URL",
	 .help = "GitHub API base (default https://api.github.com; "
		 "Enterprise: https://HOST/api/v3)"},
	{OPT_GIT, "gitlab-api-url", 0, STRING(gitlab_api_url), .arg = "URL",
	 .help = "GitLab API base (default https://gitlab.com/api/v4)"},
	{OPT_GIT, "skip-forks", 0, FLAG(skip_forks),
	 .help = "leave out forks when listing organisations"},
	{OPT_GIT, "skip-archived", 0, FLAG(skip_archived),
	 .help = "leave out archived repositories when listing organisations"},
	{OPT_GIT, "shard", 0, CHECK(set_shard), .arg = "I/N",
	 .help = "sweep only share I of N of the repositories (by a hash of "
		 "each)"},
	{OPT_GIT, "cache", 0, STRING(cache), .arg = "DIR",
	 .help = "keep URL targets' clones in DIR and only fetch what is new "
		 "the next time"},
	{OPT_LABEL, "label", 0, STRING(label), .arg = "NAME",
	 .help = "path to report for findings (default: stdin)"},
	{OPT_SUPPRESS, "config", 0, STRING(config), .arg = "FILE",
	 .help = "read settings from FILE (default: .nfguard.json found "
		 "upward)"},
	{OPT_SUPPRESS, "no-config", 0, CHECK(set_no_config),
	 .help = "no config, .nfguardignore or nfguard:allow (untrusted "
		 "changes)"},
	{OPT_SUPPRESS, "no-inline-allow", 0, FLAG(no_inline_allow),
	 .help = "report tokens marked nfguard:allow as well"},
	{OPT_SUPPRESS, "baseline", 0, STRING(baseline), .arg = "FILE",
	 .help = "report only tokens not in FILE (an earlier -f json report)"},
	{OPT_SUPPRESS, "report-unused-ignores", 0, FLAG(report_unused_ignores),
	 .help = "name .nfguardignore entries that matched nothing"},
	{OPT_HOOKS, "pre-push", 0, FLAG(pre_push),
	 .help = "also install the pre-push hook"},
	{OPT_HOOKS, "pre-receive", 0, FLAG(pre_receive),
	 .help = "install the server-side pre-receive hook (bare "
		 "repositories)"},
	{OPT_HOOKS, "force", 0, FLAG(force),
	 .help = "replace an existing hook that is not nfguard's"},
	{OPT_HOOKS, "chain", 0, FLAG(chain),
	 .help = "keep an existing hook and run it before nfguard's"},
	{OPT_HOOK, "hook", 0, FLAG(hook),
	 .help = "as a git hook: human report, exit 1 on any finding (config "
		 "aside)"},
	{OPT_VERIFY, "verify", 0, FLAG(verify),
	 .help = "ask the Notiflows API whether each token is live"},
	{OPT_VERIFY, "api-url", 0, STRING(api_url), .arg = "URL",
	 .help = "API base (default: NOTIFLOWS_BASE_URL, else "
		 "api.notiflows.com)"},
	{OPT_VERIFY, "cacert", 0, STRING(cacert), .arg = "FILE",
	 .help = "trust the CA certificates in FILE instead of the system's "
		 "(API and https clones)"},
	{OPT_VERIFY, "verify-concurrency", 0, UINT(verify_jobs, 1, 256),
	 .arg = "N",
	 .help = "verify N tokens at once over HTTP/1.1, on N connections at "
		 "most (default 8)"},
	{OPT_VERIFY, "verify-streams", 0, UINT(verify_streams, 1, 100),
	 .arg = "N",
	 .help = "verify N tokens at once over HTTP/2, on one connection "
		 "(default 100)"},
	{OPT_VERIFY, "verify-timeout", 0, UINT(verify_timeout, 1, 300),
	 .arg = "SECS",
	 .help = "timeout of one verify request in seconds (default 10)"},
	{OPT_VERIFY, "fail-on", 0, CHECK(set_fail_on), .set = SET_FAIL_ON,
	 .arg = "live|any",
	 .help = "exit 1 on any finding (default) or only on a live or "
		 "unverified token (--verify)"},
	{OPT_REVOKE, "revoke", 0, FLAG(revoke),
	 .help = "revoke live tokens after confirmation (implies --verify)"},
	{OPT_REVOKE, "yes", 0, FLAG(yes),
	 .help = "revoke without asking (needed without a terminal)"},
	{OPT_REVOKE, "dry-run", 0, FLAG(dry_run),
	 .help = "show what would be revoked; send no revoke request"},
	{OPT_REVOKE, "audit-log", 0, STRING(audit_log), .arg = "FILE",
	 .help = "audit log (default $XDG_STATE_HOME/nfguard/audit.jsonl)"},
	{OPT_OBJECTS, "strict-objects", 0, FLAG(strict_objects),
	 .help = "check every object's id, as git fsck does (slower; default: "
		 "loose objects' ids and packed entries' CRC-32)"},
	{OPT_DECODE, "decode", 0, CHECK(set_decode), .arg = "LIST",
	 .values = decode_values,
	 .help = "decoders to run: base64,utf16,gzip,zlib,bzip2,xz,zip,tar, "
		 "all (default) or none"},
	{OPT_DECODE, "no-decode", 0, CHECK(set_no_decode),
	 .help = "decode nothing: only tokens written as plain text are found"},
	{OPT_DECODE, "decode-depth", 0, CHECK(set_decode_depth), .arg = "N",
	 .help = "decode at most N layers deep (1-8, default 8)"},
	{OPT_DECODE, "decode-max-bytes", 0, CHECK(set_decode_max_bytes),
	 .arg = "N",
	 .help = "decode at most N bytes from one input (default 256 MiB)"},
	{OPT_DECODE, "decode-max-entries", 0, CHECK(set_decode_max_entries),
	 .arg = "N",
	 .help = "read at most N archive entries of one input (default "
		 "100000)"},
	{OPT_DECODE, "decode-max-total", 0, CHECK(set_decode_max_total),
	 .arg = "N",
	 .help = "decode at most N bytes in the whole run (default 16 GiB)"},
	{OPT_MERGE, "accept-jsonl", 0, FLAG(accept_jsonl),
	 .help = "merge JSONL reports too (no totals, repository entries or "
		 "rule-set identity)"},
	{OPT_GLOBAL, "global", 0, FLAG(global),
	 .help = "every repository of the user: the global core.hooksPath"},
	{OPT_GLOBAL, "hooks-dir", 0, STRING(hooks_dir), .arg = "DIR",
	 .help = "with --global: the hooks folder (default "
		 "$XDG_CONFIG_HOME/nfguard/hooks)"},
	{OPT_WALK, "exclude", 0, CHECK(add_skip_glob), .arg = "GLOB",
	 .help = "leave out files and folders matching GLOB, a path below "
		 "the folder scanned (repeatable)"},
	{OPT_WALK, "exclude-glob", 0, CHECK(add_skip_glob), .arg = "GLOB",
	 .help = "the same as --exclude"},
	{OPT_WALK, "max-file-size", 0, CHECK(set_max_file_size),
	 .set = SET_MAX_FILE_SIZE, .arg = "SIZE",
	 .help = "leave out files over SIZE bytes (k, M, G: KiB, MiB, GiB; "
		 "default 0: no limit)"},
	{OPT_WALK, "verbose", 'v', FLAG(verbose),
	 .help = "name on stderr each file or folder left out, and why"},
	{0, "help", 'h', .kind = OK_HELP, .help = "show this help"},
};

/* getopt_long's code for a row: its letter, else 256 and its index. */
static int code_of(size_t i)
{
	return defs[i].letter ? defs[i].letter : 256 + (int)i;
}

static const struct opt_def *def_of(int code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(defs); i++)
		if (code_of(i) == code)
			return &defs[i];
	return NULL;
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
		if (d->letter)
			snprintf(flag, sizeof(flag), "-%c, --%s%s%s", d->letter,
				 d->name, d->arg ? " " : "",
				 d->arg ? d->arg : "");
		else
			snprintf(flag, sizeof(flag), "    --%s%s%s", d->name,
				 d->arg ? " " : "", d->arg ? d->arg : "");
		/* A flag too long for its column puts its help below. */
		fprintf(out, "  %-26s%s%s%s\n", flag,
			strlen(flag) > 26 ? "\n                             "
					  : " ",
			d->help, d->check == set_format ? formats.ptr : "");
	}
	buf_release(&formats);
}

size_t options_count(void)
{
	return ARRAY_SIZE(defs);
}

int options_at(size_t i, unsigned mask, struct opt_view *v)
{
	const struct opt_def *d = &defs[i];

	if (d->group && !(d->group & mask))
		return 0;
	v->name = d->name;
	v->letter = d->letter;
	v->arg = d->arg;
	v->help = d->help;
	return 1;
}

int options_values(size_t i, struct buf *out)
{
	const struct opt_def *d = &defs[i];
	const char *p = d->arg, *bar;

	if (d->values)
		return d->values(out);
	/* "live|any": the choices are the value's name. */
	if (p && strchr(p, '|')) {
		while ((bar = strchr(p, '|'))) {
			buf_add(out, p, (size_t)(bar - p));
			buf_puts(out, " ");
			p = bar + 1;
		}
		buf_printf(out, "%s ", p);
	}
	return buf_failed(out);
}

/* Stores one option's value where its row says: 0 or EXIT_ERROR. */
static int take(const struct opt_def *d, struct cli_opts *o, const char *value)
{
	void *at = (char *)o + d->off;
	struct opt_list *l = at;
	uint64_t v;

	switch (d->kind) {
	case OK_FLAG:
		*(int *)at = 1;
		break;
	case OK_STRING:
		*(const char **)at = value;
		break;
	case OK_UINT:
		if (parse_u64(value, d->min, d->max, &v)) {
			cli_error("--%s: %s", d->name, error_last());
			return EXIT_ERROR;
		}
		*(unsigned *)at = (unsigned)v;
		break;
	case OK_LIST:
		if (l->n == MAX_REFS) {
			cli_error("at most %d --%s options", MAX_REFS, d->name);
			return EXIT_ERROR;
		}
		l->v[l->n++] = value;
		break;
	case OK_CHECK:
		if (d->check(o, value))
			return EXIT_ERROR;
		break;
	case OK_HELP:
		break; /* cli_parse's */
	}
	o->set |= d->set;
	return 0;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/*
 * Says that arg ("--name" or "--name=value") is no option of c, with the
 * nearest option c takes when a typo is likely.
 */
static void unknown_option(const struct command *c, const char *arg)
{
	char name[72];
	struct str_nearest n = {name, NULL, 0};
	size_t i;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg + 2, "="),
		 arg + 2);
	for (i = 0; i < ARRAY_SIZE(defs); i++)
		if (!defs[i].group || (defs[i].group & c->opts))
			str_nearest_try(&n, defs[i].name);
	if (!strncmp(arg, "--", 2) && n.best)
		cli_error("unknown option '%s': did you mean '--%s'? (try "
			  "'nfguard help %s')",
			  arg, n.best, c->name);
	else
		cli_error("unknown option '%s' (try 'nfguard help %s')", arg,
			  c->name);
}

int cli_parse(const struct command *c, int argc, char **argv,
	      struct cli_opts *o, int *first)
{
	struct option longopts[ARRAY_SIZE(defs) + 1];
	const struct opt_def *d;
	char shortopts[32];
	size_t i, n = 0, s = 0;
	int ch;

	memset(o, 0, sizeof(*o));
	o->format = REPORT_HUMAN;
	o->exit_code = EXIT_FINDINGS;
	o->jobs = default_jobs();
	decode_opts_default(&o->decode);
	shortopts[s++] = ':'; /* report a missing value as ':' */
	for (i = 0; i < ARRAY_SIZE(defs); i++) {
		d = &defs[i];
		if (d->group && !(d->group & c->opts))
			continue;
		longopts[n].name = d->name;
		longopts[n].has_arg = d->arg ? required_argument : no_argument;
		longopts[n].flag = NULL;
		longopts[n].val = code_of(i);
		n++;
		if (d->letter) {
			shortopts[s++] = d->letter;
			if (d->arg)
				shortopts[s++] = ':';
		}
	}
	memset(&longopts[n], 0, sizeof(longopts[n]));
	shortopts[s] = '\0';
	/* Options may follow operands ("dir . -f json"); 0 resets glibc. */
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	       -1) {
		if (ch == ':') {
			cli_error(
				"option '%s' needs a value (try 'nfguard help "
				"%s')",
				argv[optind - 1], c->name);
			return EXIT_ERROR;
		}
		if (!(d = def_of(ch))) {
			/*
			 * "--quiet=1": glibc puts the option's code in
			 * optopt, which is no letter the user typed.
			 */
			d = optopt ? def_of(optopt) : NULL;
			if (d && (!d->group || (d->group & c->opts)) &&
			    !strncmp(argv[optind - 1], "--", 2))
				cli_error("option '--%s' takes no value (try "
					  "'nfguard help %s')",
					  d->name, c->name);
			else if (optopt)
				cli_error("unknown option '-%c' (try 'nfguard "
					  "help %s')",
					  optopt, c->name);
			else
				unknown_option(c, argv[optind - 1]);
			return EXIT_ERROR;
		}
		if (d->kind == OK_HELP) {
			command_help(stdout, c);
			return fflush(stdout) || ferror(stdout) ? EXIT_ERROR
								: EXIT_CLEAN;
		}
		if (take(d, o, optarg))
			return EXIT_ERROR;
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

int cli_check_opts(struct cli_opts *o, const struct command *c)
{
	char from[4200];

	/* What the command implies; elsewhere these need the flags. */
	if (c->flags & CMD_REVOKES)
		o->revoke = 1;
	if (c->flags & CMD_VERIFIES)
		o->verify = 1;
	if ((c->flags & CMD_FAIL_ON_LIVE) && o->fail_on == FAIL_ON_DEFAULT)
		o->fail_on = FAIL_ON_LIVE;
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
	/* 2 is the error status: findings must never look like an error. */
	if (o->exit_code < 0 || o->exit_code > 125 ||
	    o->exit_code == EXIT_ERROR) {
		cli_error("%s: must be an integer from 0 to 125 other than 2 "
			  "(the error status)",
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

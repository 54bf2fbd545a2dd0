/*
 * Fuzzes option parsing (src/cli/options.c) for every command of the
 * table: the input, split at NUL, is the arguments ("$K" a token). What
 * cli_parse and cli_check_opts print is caught in memory files. The
 * oracle: numbers within their bounds, options only of the command's
 * groups, strings borrowed from argv, one "nfguard: " line for each
 * failure and none otherwise, an option an error names is one given, and
 * no token of an argument on stderr.
 */
#include "fuzz.h"
#include "cli/cmd.h"
#include "cli/options.h"
#include "config/rules.h"
#include "util/glob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_ARGS 128

struct out {
	char err[8192], out[256];
	size_t err_len, out_len;
};

struct secrets {
	char *v[64];
	size_t len[64], n;
};

static int on_hit(void *ctx, const struct hit *h)
{
	struct secrets *s = ctx;

	if (s->n < 64) {
		s->v[s->n] = (char *)h->secret;
		s->len[s->n++] = h->len;
	}
	return 0;
}

/* Runs fn with stdout and stderr going to memory files read into o. */
static int caught(struct out *o, int (*fn)(void *), void *arg)
{
	static int err_fd = -1, out_fd = -1, saved_err, saved_out;
	ssize_t n;
	int rc;

	if (err_fd < 0) {
		err_fd = memfd_create("fuzz-stderr", 0);
		out_fd = memfd_create("fuzz-stdout", 0);
		saved_err = dup(2);
		saved_out = dup(1);
		if (err_fd < 0 || out_fd < 0 || saved_err < 0 || saved_out < 0)
			abort();
	}
	fflush(stdout);
	fflush(stderr);
	/* Emptied and rewound: the offset is the descriptor's, not the size. */
	if (ftruncate(err_fd, 0) || ftruncate(out_fd, 0) ||
	    lseek(err_fd, 0, SEEK_SET) || lseek(out_fd, 0, SEEK_SET) ||
	    dup2(err_fd, 2) < 0 || dup2(out_fd, 1) < 0)
		abort();
	rc = fn(arg);
	fflush(stdout);
	fflush(stderr);
	if (dup2(saved_err, 2) < 0 || dup2(saved_out, 1) < 0)
		abort();
	n = pread(err_fd, o->err, sizeof(o->err) - 1, 0);
	o->err_len = n > 0 ? (size_t)n : 0;
	o->err[o->err_len] = '\0';
	n = pread(out_fd, o->out, sizeof(o->out) - 1, 0);
	o->out_len = n > 0 ? (size_t)n : 0;
	o->out[o->out_len] = '\0';
	return rc;
}

struct call {
	const struct command *c;
	int argc, first;
	char **argv;
	struct cli_opts o;
};

static int do_parse(void *p)
{
	struct call *k = p;

	return cli_parse(k->c, k->argc, k->argv, &k->o, &k->first);
}

static int do_check(void *p)
{
	struct call *k = p;

	return cli_check_opts(&k->o, k->c);
}

/* One line "nfguard: ...\n", nothing else. */
static int one_line(const struct out *o)
{
	return o->err_len > 10 && !strncmp(o->err, "nfguard: ", 9) &&
	       strchr(o->err, '\n') == o->err + o->err_len - 1;
}

/* 1 if s is NULL or borrowed from argv (an argument or a part of one). */
static int in_argv(const struct call *k, const char *s)
{
	int i;

	for (i = 0; s && i < k->argc; i++)
		if (s >= k->argv[i] && s <= k->argv[i] + strlen(k->argv[i]))
			return 1;
	return !s;
}

/* 1 if arg is name, or name's long option with a value ("--x=1"). */
static int names(const char *arg, const char *name)
{
	size_t n = strcspn(arg, "=");

	if (!strcmp(arg, name))
		return 1;
	/* "--ver=1" may stand for "--verify": a prefix before the '='. */
	return !strncmp(arg, "--", 2) && arg[n] == '=' &&
	       !strncmp(arg, name, n);
}

/* 1 if every argument reaches stderr as it is, and holds no quote. */
static int plain_args(const struct call *k)
{
	const unsigned char *p;
	int i;

	for (i = 1; i < k->argc; i++)
		for (p = (const unsigned char *)k->argv[i]; *p; p++)
			if (*p < 0x20 || *p >= 0x7f || *p == '\\' || *p == '\'')
				return 0;
	return 1;
}

/*
 * An option an error quotes ("unknown option 'X'", "option 'X' needs a
 * value") is one of the arguments, or "-c" for a letter of one. Skipped
 * when an argument has bytes that are escaped or a token (redacted).
 */
static void check_named(const struct call *k, const char *msg, size_t nsecrets)
{
	const char *p, *q;
	char name[4096];
	int i, found = 0;

	if (!strncmp(msg, "nfguard: unknown option '", 25))
		p = msg + 25;
	else if (!strncmp(msg, "nfguard: option '", 17))
		p = msg + 17;
	else
		return;
	if (!(q = strchr(p, '\'')) || nsecrets || !plain_args(k))
		return;
	if ((size_t)(q - p) >= sizeof(name))
		return;
	memcpy(name, p, (size_t)(q - p));
	name[q - p] = '\0';
	for (i = 1; i < k->argc && !found; i++)
		found = names(k->argv[i], name) ||
			(strlen(name) == 2 && name[0] == '-' &&
			 k->argv[i][0] == '-' && k->argv[i][1] != '-' &&
			 strchr(k->argv[i] + 1, name[1]));
	FUZZ_CHECK(found);
}

/* The values cli_parse keeps: in bounds, of the command's groups only. */
static void check_opts(const struct call *k)
{
	const struct cli_opts *o = &k->o;
	unsigned g = k->c->opts;
	size_t i;

	FUZZ_CHECK(k->first >= 1 && k->first <= k->argc);
	FUZZ_CHECK(o->jobs >= 1 && o->jobs <= 256);
	FUZZ_CHECK(o->verify_jobs <= 256 && o->verify_timeout <= 300);
	FUZZ_CHECK(o->exit_code >= 0);
	FUZZ_CHECK((unsigned)o->format < REPORT_NFORMATS);
	FUZZ_CHECK(o->refs.n <= MAX_REFS && o->excludes.n <= MAX_REFS &&
		   o->exclude_globs.n <= MAX_REFS);
	FUZZ_CHECK(in_argv(k, o->output) && in_argv(k, o->rules_path) &&
		   in_argv(k, o->label) && in_argv(k, o->range) &&
		   in_argv(k, o->api_url) && in_argv(k, o->audit_log) &&
		   in_argv(k, o->config) && in_argv(k, o->baseline));
	if (!(g & OPT_REPORT))
		FUZZ_CHECK(o->format == REPORT_HUMAN && !o->output &&
			   !o->show_secret && o->exit_code == EXIT_FINDINGS);
	if (!(g & OPT_GIT))
		FUZZ_CHECK(!o->range && !o->since_commit && !o->refs.n &&
			   !o->excludes.n && !o->unreachable);
	if (!(g & OPT_VERIFY))
		FUZZ_CHECK(!o->verify && !o->api_url && !o->verify_jobs &&
			   !o->fail_on);
	if (!(g & OPT_REVOKE))
		FUZZ_CHECK(!o->revoke && !o->yes && !o->dry_run &&
			   !o->audit_log);
	if (!(g & OPT_SUPPRESS))
		FUZZ_CHECK(!o->config && !o->no_config && !o->baseline);
	if (!(g & OPT_WALK))
		FUZZ_CHECK(!o->skip_globs.n && !o->max_file_size &&
			   !o->verbose);
	FUZZ_CHECK(o->skip_globs.n <= MAX_REFS);
	for (i = 0; i < o->skip_globs.n; i++)
		FUZZ_CHECK(in_argv(k, o->skip_globs.v[i]) &&
			   !glob_check(o->skip_globs.v[i], NULL));
}

static void no_secret(const struct secrets *s, const struct out *o)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		FUZZ_CHECK(!fuzz_holds_token(o->err, o->err_len, s->v[i],
					     s->len[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset *rs;
	static struct scanner *sc;
	char *args[MAX_ARGS + 1], *argv[MAX_ARGS + 1], *text, *p, *end;
	struct secrets secrets = {.n = 0};
	struct call k;
	struct out out;
	size_t len, c;
	int argc = 1, rc;

	if ((!rs && rules_open(&rs, NULL)) || (!sc && scanner_new(&sc, rs)))
		abort();
	text = fuzz_expand_tokens(data, size, &len);
	for (p = text, end = text + len; p <= end && argc < MAX_ARGS;
	     p += strlen(p) + 1) {
		args[argc++] = p;
		scanner_scan_mem(sc, NULL, p, strlen(p), on_hit, &secrets);
	}
	for (c = 0; c < ncommands; c++) {
		memset(&k, 0, sizeof(k));
		k.c = &commands[c];
		k.argc = argc;
		k.argv = argv;
		args[0] = (char *)k.c->name;
		memcpy(argv, args, (size_t)argc * sizeof(*argv));
		argv[argc] = NULL;
		rc = caught(&out, do_parse, &k);
		no_secret(&secrets, &out);
		if (rc == EXIT_ERROR) {
			FUZZ_CHECK(one_line(&out) && !out.out_len);
			check_named(&k, out.err, secrets.n);
			continue;
		}
		if (rc == EXIT_CLEAN) {
			FUZZ_CHECK(!out.err_len && out.out_len);
			continue;
		}
		FUZZ_CHECK(rc == CLI_CONTINUE && !out.err_len && !out.out_len);
		check_opts(&k);
		rc = caught(&out, do_check, &k);
		no_secret(&secrets, &out);
		if (rc) {
			FUZZ_CHECK(rc == EXIT_ERROR && one_line(&out));
			continue;
		}
		FUZZ_CHECK(!out.err_len && !out.out_len);
		FUZZ_CHECK(k.o.exit_code >= 0 && k.o.exit_code <= 125);
		FUZZ_CHECK(k.o.verify || k.o.fail_on != FAIL_ON_LIVE);
		FUZZ_CHECK(k.o.verify || !k.o.revoke);
		FUZZ_CHECK(k.o.revoke ||
			   !(k.o.yes || k.o.dry_run || k.o.audit_log));
	}
	free(text);
	return 0;
}

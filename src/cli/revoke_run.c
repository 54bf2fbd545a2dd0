/*
 * --revoke for the scan commands and nfguard revoke: the audit log's path
 * (opened before the first request), the consent (a list and a y/N
 * question on the terminal, --yes, --dry-run, or nothing revoked without
 * a terminal), and the call into the revoke layer.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/escape.h"
#include "verify/revoke.h"
#include "verify/verify.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"

#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOT_CONFIRMED_NO_TTY "not confirmed (no terminal; pass --yes)"
#define NOT_CONFIRMED_NO     "not confirmed (answered no)"

/* Creates each missing folder of dir (an absolute path) with mode 0700. */
static int make_dirs(char *dir)
{
	struct stat st;
	char *p = dir;
	int last;

	do {
		p += strcspn(p + 1, "/") + 1;
		last = !*p;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			cli_error("cannot create the folder '%s': %s", dir,
				  strerror(errno));
			return EXIT_ERROR;
		}
		if (last && stat(dir, &st)) {
			cli_error("cannot use the folder '%s': %s", dir,
				  strerror(errno));
			return EXIT_ERROR;
		}
		if (last && !S_ISDIR(st.st_mode)) {
			cli_error("cannot use the folder '%s': not a folder",
				  dir);
			return EXIT_ERROR;
		}
		if (!last)
			*p = '/';
	} while (!last);
	return 0;
}

/*
 * The default audit log, kept out of the scanned folder (often the
 * repository under incident): $XDG_STATE_HOME/nfguard/audit.jsonl, else
 * $HOME/.local/state/nfguard/audit.jsonl. A variable counts only when it
 * holds an absolute path, as the XDG specification asks.
 */
static int default_audit_log(struct buf *path)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int err;

	if (state && state[0] == '/')
		err = buf_printf(path, "%s/" AUDIT_LOG_DIR, state);
	else if (home && home[0] == '/')
		err = buf_printf(path, "%s/.local/state/" AUDIT_LOG_DIR, home);
	else {
		cli_error("no folder for the audit log: neither XDG_STATE_HOME "
			  "nor HOME is an absolute path (pass --audit-log "
			  "FILE)");
		return EXIT_ERROR;
	}
	if (err) {
		cli_error("the audit log's path is too long");
		return EXIT_ERROR;
	}
	if (make_dirs(path->ptr))
		return EXIT_ERROR;
	if (buf_puts(path, "/" AUDIT_LOG_NAME)) {
		cli_error("the audit log's path is too long");
		return EXIT_ERROR;
	}
	return 0;
}

int cli_revoke_prepare(struct scan_run *run)
{
	struct buf path;
	int rc = EXIT_ERROR;

	buf_init(&path, 4096);
	if (revoke_check_rules(run->rules)) {
		cli_error("%s", error_last());
		goto done;
	}
	if (!run->opts.audit_log) {
		if (default_audit_log(&path))
			goto done;
	} else if (buf_puts(&path, run->opts.audit_log)) {
		cli_error("--audit-log: the path is too long");
		goto done;
	}
	if (audit_open(&run->audit, path.ptr)) {
		cli_error("%s", error_last());
		goto done;
	}
	/* Say where the record of what was revoked is kept. */
	cli_error("audit log: %s", path.ptr);
	rc = 0;
done:
	buf_release(&path);
	return rc;
}

void cli_revoke_close(struct scan_run *run)
{
	audit_close(run->audit);
	run->audit = NULL;
}

/* Prints s to stderr with its control bytes escaped. */
static void put_err(const char *s)
{
	struct buf b;

	buf_init(&b, BUF_DEFAULT_MAX);
	if (!escape_term(&b, s ? s : "", s ? strlen(s) : 0))
		fputs(b.ptr, stderr);
	buf_release(&b);
}

/*
 * "  nf_at_AbCd…WxYz  project Web shop (web-shop)  src/.env:3 (+2 more)"
 * for each target: the redacted token, the project it opens and where it
 * was found first.
 */
static void list_targets(const struct revoke_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct finding *f = p->v[i].f;
		const struct verification *v = &f->verification;

		fputs("  ", stderr);
		put_err(f->redacted);
		fputs("  project ", stderr);
		put_err(v->project_name);
		fputs(" (", stderr);
		put_err(v->project_slug);
		fputs(")  ", stderr);
		put_err(f->path && *f->path ? f->path : f->location);
		fprintf(stderr, ":%llu", (unsigned long long)f->line);
		if (f->commit) {
			fputs(" in commit ", stderr);
			put_err(f->commit);
		}
		if (p->v[i].nfindings > 1)
			fprintf(stderr, " (+%zu more)", p->v[i].nfindings - 1);
		fputc('\n', stderr);
	}
}

/*
 * A terminal to ask on: stderr is one, and so is stdin unless the command
 * reads its data from stdin, CMD_INPUT_STDIN (then /dev/tty is asked
 * directly). Returns an
 * open descriptor of /dev/tty, or -1.
 */
static int open_terminal(const struct command *c)
{
	if (!isatty(STDERR_FILENO))
		return -1;
	if (!(c->flags & CMD_INPUT_STDIN) && !isatty(STDIN_FILENO))
		return -1;
	return open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
}

/* Reads one answer line from fd: 1 for y or yes, 0 otherwise. */
static int read_yes(int fd)
{
	char line[64];
	size_t n = 0;
	ssize_t r;
	char c;

	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (c == '\r' || c == ' ' || c == '\t')
			continue;
		if (n < sizeof(line) - 1)
			line[n++] = c;
	}
	line[n] = '\0';
	return !strcasecmp(line, "y") || !strcasecmp(line, "yes");
}

/* Decides o->consent (and the reason when declined), asking if it may. */
static void consent(struct scan_run *run, const struct revoke_plan *p,
		    struct revoke_opts *o)
{
	const struct cli_opts *opts = &run->opts;
	int fd;

	o->consent = REVOKE_DECLINED;
	o->declined_reason = NULL;
	if (!p->n) {
		o->consent = REVOKE_CONFIRMED; /* nothing to revoke */
		return;
	}
	if (opts->dry_run) {
		fprintf(stderr, "nfguard: dry run: would revoke %zu live %s:\n",
			p->n, p->n == 1 ? "token" : "tokens");
		list_targets(p);
		o->consent = REVOKE_DRY_RUN;
		return;
	}
	if (opts->yes) {
		o->consent = REVOKE_CONFIRMED;
		return;
	}
	fd = open_terminal(run->cmd);
	if (fd < 0) {
		cli_error("not revoking %zu live %s: no terminal to confirm "
			  "on (pass --yes)",
			  p->n, p->n == 1 ? "token" : "tokens");
		o->declined_reason = NOT_CONFIRMED_NO_TTY;
		return;
	}
	fprintf(stderr, "nfguard: %zu live %s will be revoked:\n", p->n,
		p->n == 1 ? "token" : "tokens");
	list_targets(p);
	fprintf(stderr, "Revoke %s now? This cannot be undone. [y/N] ",
		p->n == 1 ? "it" : "them");
	fflush(stderr);
	if (read_yes(fd)) {
		o->consent = REVOKE_CONFIRMED;
	} else {
		fprintf(stderr, "nfguard: nothing revoked\n");
		o->declined_reason = NOT_CONFIRMED_NO;
	}
	close(fd);
}

int cli_revoke_run(struct scan_run *run)
{
	struct revoke_counts counts;
	struct revoke_plan plan;
	struct verify_opts vo;
	struct revoke_opts ro;
	int rc = 0, err;

	if (revoke_plan_build(&plan, &run->findings)) {
		cli_error("cannot revoke the tokens: %s", error_last());
		cli_revoke_close(run);
		return EXIT_ERROR;
	}
	cli_verify_opts(run, &vo);
	memset(&ro, 0, sizeof(ro));
	ro.base_url = vo.base_url;
	ro.http = vo.http;
	ro.http.progress = cli_progress_revoke;
	ro.audit = run->audit;
	consent(run, &plan, &ro);
	err = revoke_findings(&run->findings, &plan, &ro, &counts);
	cli_progress_done();
	if (err) {
		cli_error("cannot revoke the tokens: %s", error_last());
		rc = EXIT_ERROR;
	}
	revoke_plan_release(&plan);
	cli_revoke_close(run);
	return rc;
}

/*
 * One-line messages on stderr, escaped for the terminal, and the
 * self-erasing progress line of the scan commands. The problems log,
 * which prints through cli_error, is problems.c.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/escape.h"
#include "cli/msgs.h"
#include "cli/options.h"
#include "sweep/sweep.h"

#include <inttypes.h>
#include <stdarg.h>
#include <unistd.h>

/* Printed when a message cannot be escaped: never the raw bytes. */
#define UNPRINTABLE "an error occurred (its message could not be printed)"

void cli_error(const char *fmt, ...)
{
	char buf[2048], *msg;
	struct buf esc;
	va_list ap;

	va_start(ap, fmt);
	error_vformat(buf, sizeof(buf), "", fmt, ap);
	va_end(ap);
	/* A quoted path or name may hold a token: never printed whole. */
	if (!(msg = strdup(buf)) || problems_redact(&msg)) {
		fprintf(stderr, "nfguard: %s\n", UNPRINTABLE);
		free(msg);
		return;
	}
	/* Messages quote paths and arguments: keep escapes off the terminal. */
	buf_init(&esc, BUF_DEFAULT_MAX);
	if (escape_term(&esc, msg, strlen(msg)))
		fprintf(stderr, "nfguard: %s\n", UNPRINTABLE);
	else
		fprintf(stderr, "nfguard: %s\n", esc.ptr);
	buf_release(&esc);
	free(msg);
}

static int progress_shown;
static int64_t progress_start;

/* A progress line goes to a terminal only, and not with --no-progress. */
static int progress_on(const struct cli_opts *o)
{
	return !o->no_progress && isatty(STDERR_FILENO);
}

void cli_progress(void *ctx, uint64_t done, uint64_t total, uint64_t bytes)
{
	const struct cli_opts *o = ctx;
	double secs, mb = (double)bytes / (1024.0 * 1024.0);

	if (!progress_on(o))
		return;
	if (!progress_start)
		progress_start = clock_now_ms();
	secs = (double)(clock_now_ms() - progress_start) / 1000.0;
	if (total)
		fprintf(stderr, "\rnfguard: %" PRIu64 "/%" PRIu64 " objects",
			done, total);
	else
		fprintf(stderr, "\rnfguard: %" PRIu64 " %s", done,
			done == 1 ? "file" : "files");
	fprintf(stderr, ", %.1f MiB, %.1f MiB/s\033[K", mb,
		secs > 0 ? mb / secs : 0.0);
	progress_shown = 1;
}

void cli_progress_sweep(void *ctx, const struct sweep_progress *p)
{
	const struct cli_opts *o = ctx;
	struct buf line;
	size_t i;

	if (!progress_on(o))
		return;
	buf_init(&line, 4096);
	buf_printf(&line,
		   "\rnfguard: %zu/%zu repositories, %" PRIu64 " finding%s",
		   p->done, p->total, p->findings, p->findings == 1 ? "" : "s");
	for (i = 0; i < p->ninflight && i < 3; i++) {
		buf_puts(&line, i ? ", " : ", scanning ");
		escape_term(&line, p->inflight[i], strlen(p->inflight[i]));
	}
	if (p->ninflight > 3)
		buf_printf(&line, " and %zu more", p->ninflight - 3);
	buf_puts(&line, "\033[K");
	if (!buf_failed(&line)) {
		fputs(line.ptr, stderr);
		progress_shown = 1;
	}
	buf_release(&line);
}

/* "nfguard: WHAT: done/total requests", the same way as cli_progress. */
static void requests_line(const struct cli_opts *o, const char *what,
			  size_t done, size_t total)
{
	if (!progress_on(o))
		return;
	fprintf(stderr, "\rnfguard: %s: %zu/%zu requests\033[K", what, done,
		total);
	progress_shown = 1;
}

void cli_progress_verify(void *ctx, size_t done, size_t total)
{
	requests_line(ctx, "verifying", done, total);
}

void cli_progress_revoke(void *ctx, size_t done, size_t total)
{
	requests_line(ctx, "revoking", done, total);
}

void cli_progress_done(void)
{
	if (progress_shown)
		fprintf(stderr, "\r\033[K");
	progress_shown = 0;
}

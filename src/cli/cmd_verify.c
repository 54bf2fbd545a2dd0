/*
 * nfguard verify and nfguard revoke, one function told apart by the flags
 * of their rows: tokens from standard input, one per line (never from
 * argv, which every user of the machine can read), verified (and revoked)
 * against the API and reported like findings of a scan.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "verify/tokens.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"

#include <inttypes.h>
#include <unistd.h>

#define TOKENS_INPUT_MAX ((size_t)16 << 20)

/* Bad lines named one by one; the rest are counted in one line. */
#define BAD_LINES_SHOWN 10

/* What the bad lines were: how many, and whether one held a token. */
struct bad_lines {
	size_t n;
	int held_token;
};

static void bad_line(void *ctx, uint64_t line, int holds_token)
{
	struct bad_lines *b = ctx;

	if (b->n++ >= BAD_LINES_SHOWN)
		return;
	if (holds_token && !b->held_token)
		cli_error("stdin:%" PRIu64 ": not a token, but a token among "
			  "other text: to find the tokens in text such as "
			  "NAME=token lines, use 'nfguard stdin --verify'",
			  line);
	else
		cli_error("stdin:%" PRIu64 ": not a token (a line must be "
			  "exactly one token of a rule)",
			  line);
	b->held_token |= holds_token;
}

/* Reads all of fd into b (which wipes). 0, or an error with a message. */
static int read_all(struct buf *b, int fd)
{
	ssize_t n;
	int err;

	for (;;) {
		if ((err = buf_grow(b, 65536)))
			return err == NFG_ELIMIT
				       ? error_set(err,
						   "standard input is larger "
						   "than %zu MiB",
						   TOKENS_INPUT_MAX >> 20)
				       : err;
		n = read(fd, b->ptr + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_set_errno(NFG_EIO, errno,
					       "cannot read standard input");
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		b->ptr[b->len] = '\0';
	}
}

int cmd_tokens(const struct command *self, int argc, char **argv)
{
	static const char *const targets[] = {"stdin"};
	struct scan_run run;
	struct buf in;
	struct bad_lines bad = {0, 0};
	size_t nbad = 0;
	int first, rc, err;

	if ((rc = cli_parse(self, argc, argv, &run.opts, &first)) !=
	    CLI_CONTINUE)
		return rc;
	/* An operand may be a token: never echo it. */
	if (first < argc) {
		cli_error("%s takes no operands: give the tokens on "
			  "standard input, one per line",
			  self->name);
		return EXIT_ERROR;
	}
	if ((rc = scan_begin(&run, self, targets, 1)))
		return rc;
	/* Not an error: one line that says why nothing seems to happen. */
	if (isatty(STDIN_FILENO))
		cli_error("reading tokens from the terminal, one per line; "
			  "end with Ctrl-D");
	buf_init(&in, TOKENS_INPUT_MAX);
	in.wipe = 1;
	err = read_all(&in, STDIN_FILENO);
	if (!err) {
		run.totals.bytes = in.len;
		err = tokens_parse(run.rules, in.ptr, in.len, "stdin",
				   &run.findings, bad_line, &bad, &nbad);
	}
	buf_release(&in);
	if (nbad > BAD_LINES_SHOWN)
		cli_error("... and %zu more lines that are not tokens",
			  nbad - BAD_LINES_SHOWN);
	run.totals.errors += nbad;
	return scan_finish(&run, err);
}

/*
 * nfguard stdin [--label NAME]: scan standard input.
 */
#include "util/common.h"
#include "source/source.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"

#include <unistd.h>

int cmd_stdin(const struct command *self, int argc, char **argv)
{
	struct scan_run run;
	const char *label;
	int first, rc, err;

	if ((rc = cli_parse(self, argc, argv, &run.opts, &first)) !=
	    CLI_CONTINUE)
		return rc;
	if (first < argc) {
		cli_error("stdin takes no operands (got '%s')", argv[first]);
		return EXIT_ERROR;
	}
	label = run.opts.label ? run.opts.label : "stdin";
	if ((rc = scan_begin(&run, self, &label, 1)))
		return rc;
	/* Not an error: one line that says why nothing seems to happen. */
	if (isatty(STDIN_FILENO))
		cli_error("reading standard input from the terminal; end with "
			  "Ctrl-D");
	err = source_fd_scan(&run.src, STDIN_FILENO, label);
	return scan_finish(&run, err);
}

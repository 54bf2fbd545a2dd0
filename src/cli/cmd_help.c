/*
 * nfguard help [COMMAND]: help generated from the command table.
 */
#include "util/common.h"
#include "cli/cmd.h"
#include "cli/msgs.h"

int cmd_help(const struct command *self, int argc, char **argv)
{
	const struct command *c;

	(void)self;
	if (argc < 2) {
		general_help(stdout);
	} else if ((c = command_find(argv[1]))) {
		command_help(stdout, c);
	} else {
		cli_error("unknown command '%s' (try 'nfguard help')", argv[1]);
		return EXIT_ERROR;
	}
	return fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_CLEAN;
}

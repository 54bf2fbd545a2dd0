/*
 * nfguard help [COMMAND]: help generated from the command table.
 */
#include "util/common.h"
#include "cli/cmd.h"
#include "cli/msgs.h"

int cmd_help(const struct command *self, int argc, char **argv)
{
	const struct command *c;

	if (argc > 2) {
		cli_error("help takes one command at most (usage: nfguard %s)",
			  self->usage);
		return EXIT_ERROR;
	}
	if (argc < 2) {
		general_help(stdout);
	} else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		command_help(stdout, self);
	} else if ((c = command_find(argv[1]))) {
		command_help(stdout, c);
	} else if (argv[1][0] == '-') {
		cli_error("unknown option '%s' (try 'nfguard help help')",
			  argv[1]);
		return EXIT_ERROR;
	} else {
		command_unknown(argv[1]);
		return EXIT_ERROR;
	}
	return fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_CLEAN;
}

/*
 * nfguard: finds leaked Notiflows account tokens. Start-up only: look the
 * command up in the table and run it.
 */
#include "util/common.h"
#include "cli/cmd.h"
#include "cli/msgs.h"

#include <locale.h>

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		general_help(stderr);
		return EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("nfguard %s\n", NFG_VERSION);
		return fflush(stdout) || ferror(stdout) ? EXIT_ERROR
							: EXIT_CLEAN;
	}
	/* --help is nfguard help, whatever follows it. */
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		c = command_find("help");
		return c->fn(c, 1, argv + 1);
	}
	c = command_find(argv[1]);
	if (!c) {
		cli_error("unknown command '%s' (try 'nfguard help')", argv[1]);
		return EXIT_ERROR;
	}
	return c->fn(c, argc - 1, argv + 1);
}

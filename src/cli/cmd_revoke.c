/*
 * nfguard revoke: tokens from standard input, one per line, verified and
 * the live ones revoked with consent (see cli/revoke_run.c).
 */
#include "util/common.h"
#include "cli/cli.h"

int cmd_revoke(int argc, char **argv)
{
	return cli_tokens_command("revoke", argc, argv);
}

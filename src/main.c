/*
 * nfguard: finds leaked Notiflows account tokens. Start-up and shutdown
 * only: keep secrets in the process (no core file, no ptrace), look the
 * command up in the table, run it, and release the libraries it loaded
 * (libgit2 and libcurl are set up on first use, by source/ and net/).
 */
#include "util/common.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "net/http.h"
#include "source/git/lib.h"

#include <locale.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/*
 * Raises the soft limit on open files to the hard one, once, at start:
 * history with thousands of packs needs more than the usual 1024 (half
 * goes to libgit2's packs, source/git/lib.c).
 */
static void open_files_raise(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE,
			  &rl); /* keeps the old one on failure */
	}
}

/*
 * Tokens pass through this process's memory: a crash must not write them
 * to a core file, and no other process of the same user may read them
 * (ptrace, /proc/PID/mem). Set before anything reads input. Neither call
 * fails on Linux but under a seccomp policy that forbids it; nfguard then
 * refuses to run rather than scan with a promise it cannot keep.
 */
static int process_harden(void)
{
	static const struct rlimit none = {0, 0};

	if (prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L)) {
		cli_error("cannot make the process non-dumpable: %s",
			  strerror(errno));
		return -1;
	}
	if (setrlimit(RLIMIT_CORE, &none)) {
		cli_error("cannot turn off core files: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void libraries_shutdown(void)
{
	problems_redact_release(); /* rules an error message loaded */
	http_global_cleanup();
	gs_lib_shutdown();
}

static int run(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		general_help(stderr);
		return EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cli_version(argc - 1, argv + 1);
	/* --help is nfguard help, whatever follows it. */
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		c = command_find("help");
		return c->fn(c, 1, argv + 1);
	}
	c = command_find(argv[1]);
	if (!c) {
		command_unknown(argv[1]);
		return EXIT_ERROR;
	}
	return c->fn(c, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	int rc;

	if (process_harden())
		return EXIT_ERROR;
	open_files_raise();
	rc = run(argc, argv);
	libraries_shutdown();
	return rc;
}

/*
 * nfguard: finds leaked Notiflows account tokens. Start-up and shutdown
 * only: keep secrets in the process (no core file, no ptrace), set up the
 * libraries' process-wide state once, look the command
 * up in the table, run it, and release the libraries.
 */
#include "util/common.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "net/http.h"

#include <git2.h>
#include <locale.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/*
 * Raises the soft limit on open files to the hard one (once, at start:
 * history with thousands of packs needs more than the usual 1024) and
 * returns how many pack files libgit2 may keep open: half the limit.
 */
static size_t pack_file_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 64; /* unknown: a limit any system allows */
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t cur = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			rl.rlim_cur = cur;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 8192)
		return 4096;
	return rl.rlim_cur < 4 ? 1 : (size_t)rl.rlim_cur / 2;
}

/*
 * libgit2 keeps process-wide state: initialised and configured once here,
 * before any command opens a repository. libcurl itself is loaded
 * (dlopen) and set up by net/ on the first request instead, so that a
 * scan without --verify, such as the pre-commit hook, never pays for it;
 * main.c only releases it.
 */
static int libraries_init(void)
{
	static const char *extensions[] = {"preciousobjects", "partialclone",
					   "worktreeconfig", "objectformat"};

	if (git_libgit2_init() < 0) {
		cli_error("cannot initialise libgit2");
		return -1;
	}
	/* zlib's checksum still catches corrupt data; SHA-1 of every
	 * object read would triple the cost of a full-history scan. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/*
	 * An incident responder scans other users' repositories. The
	 * ownership check (safe.directory) guards programs that run what a
	 * repository's config names; nfguard only reads objects and runs
	 * nothing, so it need not refuse them.
	 */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	/*
	 * Each tree is read once, so libgit2's object cache (256 MiB by
	 * default) buys nothing but memory; nor need whole packs stay mapped.
	 * Measured on curl: peak RSS 544 -> 283 MiB, same wall time.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)16 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)128 << 20);
	/*
	 * libgit2 keeps each pack file it read open: a repository with more
	 * packs than descriptors would lose objects ("object not found").
	 * Half the descriptors at most go to packs (the least recently used
	 * closes), the rest stays for reports, folders and sockets.
	 */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_FILE_LIMIT, pack_file_limit());
	/*
	 * Repository extensions libgit2 1.5 does not know, but that change
	 * nothing for a program that only reads objects, refs and the index
	 * (config keys, so lower case; any other one is refused by name):
	 *   preciousobjects  forbids deleting objects; nfguard deletes none
	 *   partialclone     objects the promisor remote kept back are
	 *                    missing: each is reported as unreadable, and
	 *                    nothing is fetched
	 *   worktreeconfig   per-worktree config (config.worktree, e.g. a
	 *                    sparse checkout's settings): none of its keys
	 *                    changes which objects or refs exist
	 *   objectformat     libgit2 1.5 reads SHA-1 only: accepted here so
	 *                    that an explicit "sha1" opens, as git opens
	 *                    it; gs_open refuses any other value itself
	 */
	git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions,
			 ARRAY_SIZE(extensions));
	return 0;
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
	git_libgit2_shutdown();
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

	if (process_harden() || libraries_init())
		return EXIT_ERROR;
	rc = run(argc, argv);
	libraries_shutdown();
	return rc;
}

/*
 * libgit2 set up on the first call that needs it, with nfguard's
 * process-wide options (gs_lib_init), and released at exit if it was.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/lib.h"

#include <git2.h>
#include <pthread.h>
#include <sys/resource.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int ready; /* 1 once libgit2 is initialised and configured */

/*
 * How many pack files libgit2 may keep open: half the limit on open files
 * (main.c raised the soft limit to the hard one at start).
 */
static size_t pack_file_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 64; /* unknown: a limit any system allows */
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 8192)
		return 4096;
	return rl.rlim_cur < 4 ? 1 : (size_t)rl.rlim_cur / 2;
}

static void setup(void)
{
	static const char *extensions[] = {"preciousobjects", "partialclone",
					   "worktreeconfig", "objectformat"};

	if (git_libgit2_init() < 0)
		return;
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
	ready = 1;
}

int gs_lib_init(void)
{
	pthread_once(&once, setup);
	return ready ? 0 : error_set(NFG_EIO, "cannot initialise libgit2");
}

void gs_lib_shutdown(void)
{
	if (ready)
		git_libgit2_shutdown();
}

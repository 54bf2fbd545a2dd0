/*
 * Opening a repository as every git command of nfguard does: a folder, or
 * the repository git's environment names (in a hook), with the work tree
 * git names. Shared by the history scan, the staged scan and hook
 * installation. Sets libgit2 up on first use (lib.h).
 */
#ifndef NFG_SOURCE_GIT_OPEN_H
#define NFG_SOURCE_GIT_OPEN_H

#include <git2.h>

/* gs_open's flags. */
enum { GS_FROM_ENV = 1, GS_NO_SEARCH = 2 };

/*
 * Opens a repository: repo (NULL: found from the current folder), or the
 * one git's environment names with GS_FROM_ENV; with GS_NO_SEARCH, repo
 * itself or nothing, never a folder above it. work_tree (may be NULL) is
 * GIT_WORK_TREE as git passed it, used only with GS_FROM_ENV: libgit2 1.5
 * does not read it. *where gets the absolute path of the work tree (the
 * git dir when bare); caller frees both. 0, NFG_ENOTFOUND or NFG_ENOMEM.
 */
int gs_open(git_repository **out, const char *repo, int flags,
	    const char *work_tree, char **where);

/*
 * 1 if a repository opened by gs_open (with the same flags and work_tree)
 * has a work tree, and so an index.
 */
int gs_has_work_tree(git_repository *repo, int flags, const char *work_tree);

/*
 * libgit2's last error message, or a fixed text when it set none: never
 * NULL. Borrowed until the next libgit2 call on this thread.
 */
const char *gs_git_error(void);

#endif

/*
 * Installing git hooks: where a repository's hooks live, and writing one
 * hook without ever silently replacing someone else's. This layer writes
 * into repositories; it sits above source/ (it opens them as the scans do)
 * and below cli/.
 */
#ifndef NFG_HOOKS_INSTALL_H
#define NFG_HOOKS_INSTALL_H

#include <stddef.h>

/*
 * The folder where a repository's hooks live (core.hooksPath, or the
 * common git dir's "hooks", shared by every worktree), created if missing.
 * repo NULL: found as git finds it, with work_tree (GIT_WORK_TREE as git
 * passed it; may be NULL) where a relative core.hooksPath starts. Caller
 * frees *out. 0, or a negative code with the last error set.
 */
int hooks_dir(char **out, const char *repo, const char *work_tree);

/* What to do with a hook that exists and is not nfguard's. */
enum hook_mode {
	HOOK_REFUSE, /* leave it alone; fail */
	HOOK_FORCE,  /* replace it */
	HOOK_CHAIN   /* keep it as NAME.nfguard-chained, run it first */
};

enum hook_action { HOOK_INSTALLED, HOOK_UPDATED, HOOK_REPLACED, HOOK_CHAINED };

/*
 * Writes hook name (text, len bytes) into dir atomically, mode 0755. An
 * nfguard hook already there is updated; another is handled as mode says.
 * *action tells what happened. 0, or a negative code with the last error
 * set (NFG_EINVAL when mode refuses).
 */
int hooks_install(const char *dir, const char *name, const char *text,
		  size_t len, enum hook_mode mode, enum hook_action *action);

#endif

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
 * common git dir's "hooks", shared by every worktree), created if missing
 * when create is set. repo NULL: found as git finds it, with work_tree
 * (GIT_WORK_TREE as git passed it; may be NULL) where a relative
 * core.hooksPath starts. *bare (when not NULL) is 1 for a repository
 * without a work tree. Caller frees *out. 0, or a negative code with the
 * last error set.
 */
int hooks_dir(char **out, const char *repo, const char *work_tree, int create,
	      int *bare);

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

/*
 * Writes len bytes of text to path through a temporary file beside it
 * (renamed over path), with the given mode. 0 or NFG_EIO.
 */
int hooks_write_file(const char *path, const char *text, size_t len,
		     unsigned mode);

/* What uninstalling one hook found, or did. */
enum hook_undo {
	HOOK_ABSENT,  /* no hook of that name */
	HOOK_FOREIGN, /* a hook that is not nfguard's: left alone */
	HOOK_REMOVED, /* nfguard's hook removed */
	HOOK_RESTORED /* removed, and the hook --chain kept put back */
};

/*
 * Removes nfguard's hook name from dir: NAME.nfguard-chained, when there,
 * is put back as NAME (or removed when nfguard wrote it too, as
 * install-hooks --global does). With dry_run nothing changes: *what says
 * what would happen. A hook that is not nfguard's is HOOK_FOREIGN, left
 * alone; NFG_EINVAL (the reason in the last error, nothing changed) when
 * NAME.nfguard-chained is there without nfguard's NAME in front of it.
 * NFG_EIO when a file cannot be removed or renamed.
 */
int hooks_uninstall(const char *dir, const char *name, int dry_run,
		    enum hook_undo *what);

/*
 * The global hooks folder (install-hooks --global): git's global config
 * file points core.hooksPath at it, and its record, DIR/.nfguard-global,
 * says how to undo that. How the config file stood before core.hooksPath
 * was set, so that unsetting it gives back the same bytes:
 */
enum hooks_config_was {
	HOOKS_CONFIG_ABSENT,  /* no such file */
	HOOKS_CONFIG_NO_CORE, /* no core.* entry */
	HOOKS_CONFIG_CORE     /* some core.* entry */
};

/* The record of a global hooks folder; strings owned (release frees). */
struct hooks_global {
	char *config; /* the git config file changed */
	enum hooks_config_was was;
	char *previous; /* core.hooksPath before, or NULL */
};

/* The record's file name, in the global hooks folder. */
#define HOOKS_GLOBAL_RECORD ".nfguard-global"

/*
 * core.hooksPath in the git config file at path as written (no ~
 * expansion): *value NULL when unset (caller frees). *was tells how the
 * file stands. 0, or NFG_EIO with the last error set.
 */
int hooks_config_get(const char *path, char **value,
		     enum hooks_config_was *was);

/*
 * Sets core.hooksPath to value in the git config file at path; value NULL
 * unsets it and gives back the state was: a [core] section left empty is
 * removed (HOOKS_CONFIG_NO_CORE, HOOKS_CONFIG_ABSENT) and so is a file
 * left empty (HOOKS_CONFIG_ABSENT). 0, or NFG_EIO with the last error set.
 */
int hooks_config_set(const char *path, const char *value,
		     enum hooks_config_was was);

/*
 * In the len bytes of a git config file at text, removes the first line
 * "[core]" that begins an empty section (only blank lines after it, then
 * another section or the end): what setting core.hooksPath added and
 * unsetting it left behind. Returns the new length (len when nothing was
 * removed); the bytes after it are left as they were. Pure.
 */
size_t hooks_config_drop_empty_core(char *text, size_t len);

/*
 * Creates dir and its missing parents (mode 0777 less the umask). 0, or
 * NFG_EIO with the last error set.
 */
int hooks_make_dir(const char *dir);

/*
 * Writes g as dir's record (its previous core.hooksPath must hold no
 * newline: NFG_EINVAL). 0, or a negative code with the last error set.
 */
int hooks_global_write(const char *dir, const struct hooks_global *g);

/*
 * Parses a record (len bytes at text, NUL bytes refused): "key=value"
 * lines config, was and previous, others ignored; config and a known was
 * are required. 0, or NFG_EINVAL ("not nfguard's record", *g empty) or
 * NFG_ENOMEM. Release *g after.
 */
int hooks_global_parse(struct hooks_global *g, const char *text, size_t len);

/*
 * Reads dir's record into *g: *found 0 (and *g empty) when there is none.
 * NFG_EINVAL for a record that is not one. Release *g after.
 */
int hooks_global_read(const char *dir, struct hooks_global *g, int *found);

/* Frees g's strings; accepts an empty g. */
void hooks_global_release(struct hooks_global *g);

/*
 * Removes dir's record, then dir itself when it is empty (a folder that
 * holds anything else stays). 0, or NFG_EIO with the last error set.
 */
int hooks_global_remove(const char *dir);

#endif

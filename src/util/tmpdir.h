/*
 * Private temporary folders (mode 0700) that are removed whole when their
 * user is done with them and, from a signal handler, when the process is
 * stopped: a bundle's repository, a remote repository's clone. Up to
 * TMPDIR_SLOTS exist at once, made and removed from any thread.
 */
#ifndef NFG_UTIL_TMPDIR_H
#define NFG_UTIL_TMPDIR_H

/* The most temporary folders at once, and the longest path of one. */
#define TMPDIR_SLOTS	160
#define TMPDIR_PATH_MAX 3072

/*
 * Makes a folder "BASE/PREFIX-XXXXXX" (mkdtemp) and registers it for
 * removal; base is the folder to make it in (NULL: /tmp).
 * *out gets its path (the caller's, freed by tmpdir_remove). 0, or
 * NFG_ELIMIT ("the temporary folder path is too long", "more than
 * TMPDIR_SLOTS temporary folders at once"), NFG_EIO ("cannot make a
 * temporary folder in 'BASE': why"), NFG_ENOMEM.
 */
int tmpdir_make(const char *base, const char *prefix, char **out);

/*
 * Removes the folder tmpdir_make made and everything in it, however
 * deep, unregisters it and frees path. Accepts NULL.
 */
void tmpdir_remove(char *path);

/*
 * Unregisters the folder tmpdir_make made without removing it (it was
 * renamed into a place of its own, or is kept) and frees path. Accepts
 * NULL.
 */
void tmpdir_keep(char *path);

/*
 * Removes every registered folder: async-signal-safe (no allocation, no
 * lock, no stdio), for a handler that then calls _exit.
 */
void tmpdir_signal_cleanup(void);

#endif

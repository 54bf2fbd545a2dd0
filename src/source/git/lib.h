/*
 * libgit2's process-wide state, set up on first use: only a command that
 * reads a repository pays for git_libgit2_init (Debian's libgit2 parses
 * the whole system CA bundle there), so dir, stdin, rules, verify, merge
 * and --help never do.
 */
#ifndef NFG_SOURCE_GIT_LIB_H
#define NFG_SOURCE_GIT_LIB_H

/*
 * Initialises and configures libgit2 once per process (thread-safe: the
 * first caller does it, the others wait). Every entry point that calls
 * libgit2 calls this first. 0, or NFG_EIO (error_last says why) on this
 * and every later call when libgit2 could not be initialised.
 */
int gs_lib_init(void);

/* Releases libgit2 if gs_lib_init set it up; once, at exit. */
void gs_lib_shutdown(void);

#endif

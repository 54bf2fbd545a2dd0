/*
 * gitignore-like globs over '/'-separated relative paths, for path allow
 * lists. Matching is bytewise (case-sensitive, no locale) and iterative
 * with one backtrack point per level, so its cost is bounded by
 * pattern length times path length: no recursion, no blow-up.
 *
 * Syntax:
 *   *       any bytes within one path segment (never '/')
 *   ?       one byte that is not '/'
 *   [abc] [a-z] [!x] [^x] [[:alpha:]]   a byte class (never '/'); a ']'
 *           first in the class is literal; POSIX names are ASCII only
 *   \c      the byte c literally
 *   **      when it is a whole segment: zero or more segments, so it
 *           can lead (any depth), trail (everything inside a folder) or
 *           sit in the middle; within a longer segment it is like '*'
 *   no '/' in the pattern (a trailing one aside): matches the basename
 *           at any depth ("*.pem" matches "a/b/c.pem")
 *   leading '/': anchored at the root ("/x" matches "x", not "a/x"); a
 *           '/' in the middle anchors too, as in gitignore
 *   trailing '/': matches directories only ("vendor/" matches
 *           "vendor/x/y.txt" but not a file named "vendor")
 * As in gitignore, a pattern that matches a directory matches everything
 * below it ("build" matches "build/x.o"). Negation ('!') is not supported.
 * An empty path never matches. A path ending in '/' names a folder: it
 * matches when the pattern takes in the folder and all below it ("vendor/"
 * and "*" match "vendor/"; a pattern of some files inside it does not), so
 * a walk can leave out a folder whole.
 * Decisions agree with git check-ignore on
 * the cases of tests/unit/test_glob.c (and ~2,800 compared by hand).
 */
#ifndef NFG_UTIL_GLOB_H
#define NFG_UTIL_GLOB_H

/*
 * 1 when path matches pattern, 0 when not. An invalid pattern (see
 * glob_check) matches nothing. Both strings are NUL-terminated; the path
 * is matched as given (a leading "./" or "/" is not removed).
 */
int glob_match(const char *pattern, const char *path);

/*
 * Validates pattern: 0, or NFG_EINVAL with the last error set to
 * "bad glob 'PATTERN': REASON" and *why (when why is not NULL) pointing to
 * the bare, static REASON (e.g. "unterminated '['"). Rejected: an empty
 * pattern (or only slashes), a leading '!', an unterminated class, an
 * unknown [:name:] class, a trailing lone '\'.
 */
int glob_check(const char *pattern, const char **why);

#endif

/*
 * Alternates: object folders a repository borrows from, named one a line
 * in objects/info/alternates, each of which may borrow in turn. libgit2
 * 1.5 resolves a relative path against its objects folder only on the
 * first level (deeper ones against the current folder), so nfguard reads
 * the chain itself, as git does, and hands libgit2 absolute paths.
 *
 * Ownership: entries borrow the caller's bytes.
 */
#ifndef NFG_SOURCE_GIT_ALTERNATES_H
#define NFG_SOURCE_GIT_ALTERNATES_H

#include <git2.h>
#include <stddef.h>

#include "source/source.h"

/*
 * How deep git follows alternates of alternates: the alternates files of
 * folders up to this many borrowings away are read (git's own bound).
 */
#define ALTERNATES_DEPTH_MAX 5
/* Object folders one repository may borrow from, all levels together. */
#define ALTERNATES_MAX 256

/*
 * Parses the line at *p (before end) of an alternates file and moves *p
 * past it: 1 with the path in *path, *len (not NUL-terminated, trailing
 * slashes removed), 0 at the end; empty lines and '#' comments are
 * skipped. NFG_EINVAL (last error set, *p past the line, so the caller
 * may go on) for a line git would unquote ("quoted paths are not read")
 * or one holding a NUL byte.
 */
int alternates_next(const char **path, size_t *len, const char **p,
		    const char *end);

/*
 * Adds to repo's object database every folder its alternates chain
 * names, each relative path resolved against the objects folder of the
 * file that names it, as deep as ALTERNATES_DEPTH_MAX allows (libgit2
 * ignores a folder it has already). A missing or unreadable folder or
 * file, a loop, a chain too deep or too long is passed to report(ctx,
 * PROBLEM_WARNING, msg) when report is not NULL: objects then missing
 * are reported where they are read. 0, or NFG_ENOMEM.
 */
int gs_link_alternates(git_repository *repo, problem_fn report, void *ctx);

#endif

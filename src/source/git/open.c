/*
 * Opening a repository: a folder or git's environment, with the work tree
 * git names, and the history scan's own opening (HEAD's id, the git dir).
 * The process-wide libgit2 options are set once in main.c.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/internal.h"

#include <sys/stat.h>

const char *gs_git_error(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

int gs_has_work_tree(git_repository *repo, int flags, const char *work_tree)
{
	return !git_repository_is_bare(repo) ||
	       ((flags & GS_FROM_ENV) && work_tree);
}

int gs_open(git_repository **out, const char *repo, int flags,
	    const char *work_tree, char **where)
{
	const char *path = repo ? repo : ".";
	int from_env = flags & GS_FROM_ENV;
	const char *dir;
	struct stat st;
	size_t n;
	int err;

	*out = NULL;
	*where = NULL;
	/* A file is no repository, even inside a work tree. */
	if (!from_env && (stat(path, &st) || !S_ISDIR(st.st_mode)))
		return error_set(NFG_ENOTFOUND, "'%s' is not a git repository",
				 path);
	/*
	 * In a hook, git describes the repository in the environment
	 * (GIT_DIR, GIT_INDEX_FILE, the quarantine of pushed objects).
	 */
	err = from_env ? git_repository_open_ext(
				 out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL)
		       : git_repository_open_ext(
				 out, path,
				 flags & GS_NO_SEARCH
					 ? GIT_REPOSITORY_OPEN_NO_SEARCH
					 : 0,
				 NULL);
	if (err)
		return error_set(NFG_ENOTFOUND, "'%s' is not a git repository",
				 path);
	/*
	 * GIT_WORK_TREE only names where the work tree is: nfguard reads the
	 * index and objects, never work tree files, so libgit2 need not know
	 * (its git_repository_set_workdir leaks, too).
	 */
	if (from_env && work_tree)
		dir = work_tree;
	else
		dir = git_repository_is_bare(*out)
			      ? git_repository_path(*out)
			      : git_repository_workdir(*out);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	*where = strndup(dir, n);
	if (!*where) {
		git_repository_free(*out);
		*out = NULL;
		return error_nomem();
	}
	return 0;
}

int gs_open_scan(struct gitscan *gs)
{
	const struct gitscan_opts *o = gs->opts;
	git_oid head;
	int err;

	if (o->repo && !o->from_env && gs_is_bundle(o->repo))
		return gs_open_bundle(gs);
	err = gs_open(&gs->repo, o->repo,
		      (o->from_env ? GS_FROM_ENV : 0) |
			      (o->no_search ? GS_NO_SEARCH : 0),
		      o->work_tree, &gs->gt->repository);
	if (err)
		return err;
	gs->gitdir = git_repository_path(gs->repo);
	if (!git_reference_name_to_id(&head, gs->repo, "HEAD"))
		git_oid_tostr(gs->gt->revision, sizeof(gs->gt->revision),
			      &head);
	return 0;
}

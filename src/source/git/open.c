/*
 * Opening a repository: a folder or git's environment, with the work tree
 * git names, and the history scan's own opening (HEAD's id, the git dir).
 * libgit2 is set up here on first use (lib.h).
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git/alternates.h"
#include "source/git/internal.h"
#include "source/git/lib.h"
#include "source/git/odb_check.h"

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

struct ext_scan {
	git_strarray known; /* what libgit2 was told to accept */
	char name[64];	    /* the first other extension met */
	int sha256;
};

static int check_extension(const git_config_entry *e, void *ctx)
{
	struct ext_scan *x = ctx;
	const char *name;
	size_t i;

	if (strncmp(e->name, "extensions.", strlen("extensions.")))
		return 0;
	name = e->name + strlen("extensions.");
	if (!strcmp(name, "objectformat") && e->value &&
	    !strcasecmp(e->value, "sha256")) {
		x->sha256 = 1;
		return 1;
	}
	for (i = 0; i < x->known.count; i++)
		if (!strcmp(name, x->known.strings[i]))
			return 0;
	snprintf(x->name, sizeof(x->name), "%s", name);
	return 1;
}

/*
 * Why libgit2 refused a repository it found (start: where it searched
 * from), told by its format: a version above 1, the SHA-256 object
 * format, or an extension libgit2 was not told to accept (lib.c). why
 * is libgit2's own reason, said when the format explains nothing.
 */
static int refused(const char *path, const char *start, const char *why)
{
	struct ext_scan x;
	git_buf dir = {NULL, 0, 0};
	git_config *cfg = NULL;
	struct buf file;
	int32_t version = 0;
	int err;

	memset(&x, 0, sizeof(x));
	buf_init(&file, 8192);
	if (!git_repository_discover(&dir, start, 0, NULL) &&
	    !buf_printf(&file, "%sconfig", dir.ptr) &&
	    !git_config_open_ondisk(&cfg, file.ptr) &&
	    !git_libgit2_opts(GIT_OPT_GET_EXTENSIONS, &x.known)) {
		git_config_get_int32(&version, cfg,
				     "core.repositoryformatversion");
		if (version == 1)
			git_config_foreach(cfg, check_extension, &x);
	}
	if (version > 1)
		err = error_set(NFG_EINVAL,
				"'%s' uses repository format version %d, "
				"which nfguard cannot read",
				path, (int)version);
	else if (x.sha256)
		err = error_set(NFG_EINVAL,
				"'%s' uses the SHA-256 object format, "
				"which nfguard does not support yet",
				path);
	else if (*x.name)
		err = error_set(NFG_EINVAL,
				"'%s' uses the repository extension '%s', "
				"which nfguard cannot read",
				path, x.name);
	else
		err = error_set(NFG_EIO, "cannot open '%s': %s", path, why);
	git_strarray_dispose(&x.known);
	git_config_free(cfg);
	buf_release(&file);
	git_buf_dispose(&dir);
	return err;
}

/*
 * libgit2 accepts extensions.objectformat (lib.c) but reads SHA-1 only:
 * any other format git would honour (format version 1) is refused here.
 */
static int object_format(git_repository *repo, const char *path)
{
	git_config *cfg = NULL;
	git_buf v = {NULL, 0, 0};
	int32_t version = 0;
	int err = 0;

	if (git_repository_config_snapshot(&cfg, repo))
		return error_set(NFG_EIO, "cannot read the config of '%s': %s",
				 path, gs_git_error());
	if (!git_config_get_int32(&version, cfg,
				  "core.repositoryformatversion") &&
	    version == 1 &&
	    !git_config_get_string_buf(&v, cfg, "extensions.objectformat") &&
	    strcasecmp(v.ptr, "sha1"))
		err = !strcasecmp(v.ptr, "sha256")
			      ? error_set(
					NFG_EINVAL,
					"'%s' uses the SHA-256 object format, "
					"which nfguard does not support yet",
					path)
			      : error_set(NFG_EINVAL,
					  "'%s' uses the object format '%s', "
					  "which nfguard cannot read",
					  path, v.ptr);
	git_buf_dispose(&v);
	git_config_free(cfg);
	return err;
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
	if ((err = gs_lib_init()))
		return err;
	if (!from_env && stat(path, &st))
		return error_set_errno(NFG_ENOTFOUND, errno, "cannot open '%s'",
				       path);
	/* A file is no repository, even inside a work tree. */
	if (!from_env && !S_ISDIR(st.st_mode))
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
	if (err == GIT_ENOTFOUND)
		return error_set(NFG_ENOTFOUND, "'%s' is not a git repository",
				 path);
	if (err) {
		/* Kept: the diagnosis calls libgit2 again. */
		char why[256];

		snprintf(why, sizeof(why), "%s", gs_git_error());
		return refused(path, from_env ? "." : path, why);
	}
	if ((err = object_format(*out, path))) {
		git_repository_free(*out);
		*out = NULL;
		return err;
	}
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

/* Passes a problem of the alternates chain on as the scan's own. */
static void alternates_problem(void *ctx, enum problem_kind kind,
			       const char *msg)
{
	gs_problem(ctx, kind, "%s", msg);
}

int gs_open_scan(struct gitscan *gs)
{
	const struct gitscan_opts *o = gs->opts;
	git_oid head;
	int err;

	if (o->repo && !o->from_env && gs_is_bundle(o->repo))
		return (err = gs_open_bundle(gs))
			       ? err
			       : gs_odb_check(gs->repo, o->strict_objects);
	err = gs_open(&gs->repo, o->repo,
		      (o->from_env ? GS_FROM_ENV : 0) |
			      (o->no_search ? GS_NO_SEARCH : 0),
		      o->work_tree, &gs->gt->repository);
	if (err ||
	    (err = gs_link_alternates(gs->repo, alternates_problem, gs)) ||
	    (err = gs_odb_check(gs->repo, o->strict_objects)))
		return err;
	gs->gitdir = git_repository_path(gs->repo);
	if (!git_reference_name_to_id(&head, gs->repo, "HEAD"))
		git_oid_tostr(gs->gt->revision, sizeof(gs->gt->revision),
			      &head);
	return 0;
}

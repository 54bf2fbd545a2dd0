/*
 * Installing git hooks: where a repository's hooks live (core.hooksPath,
 * or the common git dir's hooks folder, shared by all worktrees) and
 * writing one hook atomically without ever silently replacing someone
 * else's: an existing hook is refused, replaced (force) or kept and run
 * first (chain).
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git/open.h"
#include "hooks/install.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The line every nfguard hook carries; a hook with it is ours to update. */
#define HOOK_MARK "# nfguard hook: "

int hooks_dir(char **out, const char *repo, const char *work_tree, int create,
	      int *bare)
{
	git_repository *r = NULL;
	git_config *cfg = NULL;
	git_buf val = GIT_BUF_INIT;
	struct buf dir;
	char *where = NULL;
	int err;

	*out = NULL;
	buf_init(&dir, 8192);
	if ((err = gs_open(&r, repo, repo ? 0 : GS_FROM_ENV, work_tree,
			   &where)))
		goto done;
	if (git_repository_config_snapshot(&cfg, r)) {
		err = error_set(NFG_EIO, "cannot read the git config: %s",
				gs_git_error());
		goto done;
	}
	if (!git_config_get_path(&val, cfg, "core.hooksPath") && val.size) {
		/* A relative hooksPath is relative to where hooks run. */
		if (val.ptr[0] == '/')
			err = buf_puts(&dir, val.ptr);
		else
			err = buf_printf(&dir, "%s/%s", where, val.ptr);
	} else {
		err = buf_printf(&dir, "%shooks", git_repository_commondir(r));
	}
	if (!err && create && mkdir(dir.ptr, 0777) && errno != EEXIST)
		err = error_set_errno(NFG_EIO, errno, "cannot create '%s'",
				      dir.ptr);
	if (!err)
		*out = buf_detach(&dir, NULL);
	if (!err && bare)
		*bare = git_repository_is_bare(r);
done:
	git_buf_dispose(&val);
	git_config_free(cfg);
	git_repository_free(r);
	free(where);
	buf_release(&dir);
	return err;
}

/* 1 if the file at path is an nfguard hook, 0 if not, -1 if absent. */
static int is_ours(const char *path)
{
	char head[512];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return errno == ENOENT ? -1 : 0;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	return strstr(head, HOOK_MARK) != NULL;
}

int hooks_write_file(const char *path, const char *text, size_t len,
		     unsigned mode)
{
	struct buf tmp;
	int fd, err = 0;

	buf_init(&tmp, 8192);
	if ((err = buf_printf(&tmp, "%s.nfguard-XXXXXX", path)))
		goto done;
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		err = error_set_errno(NFG_EIO, errno, "cannot write '%s'",
				      path);
		goto done;
	}
	if (write(fd, text, len) != (ssize_t)len || fchmod(fd, (mode_t)mode) ||
	    fsync(fd)) {
		err = error_set_errno(NFG_EIO, errno, "cannot write '%s'",
				      path);
		close(fd);
		unlink(tmp.ptr);
		goto done;
	}
	close(fd);
	if (rename(tmp.ptr, path)) {
		err = error_set_errno(NFG_EIO, errno, "cannot write '%s'",
				      path);
		unlink(tmp.ptr);
	}
done:
	buf_release(&tmp);
	return err;
}

/* dir/name and the name a hook --chain kept has beside it. */
static int hook_paths(struct buf *path, struct buf *chained, const char *dir,
		      const char *name)
{
	int err;

	buf_init(path, 8192);
	buf_init(chained, 8192);
	if ((err = buf_printf(path, "%s/%s", dir, name)))
		return err;
	return buf_printf(chained, "%s.nfguard-chained", path->ptr);
}

int hooks_install(const char *dir, const char *name, const char *text,
		  size_t len, enum hook_mode mode, enum hook_action *action)
{
	struct buf path, chained;
	int ours, err = 0;

	if ((err = hook_paths(&path, &chained, dir, name)))
		goto done;
	ours = is_ours(path.ptr);
	*action = ours < 0 ? HOOK_INSTALLED : HOOK_UPDATED;
	if (!ours) {
		if (mode == HOOK_REFUSE) {
			err = error_set(NFG_EINVAL,
					"'%s' exists and is not nfguard's: "
					"--chain keeps it and runs it first, "
					"--force replaces it",
					path.ptr);
			goto done;
		}
		if (mode == HOOK_CHAIN && !access(chained.ptr, F_OK)) {
			err = error_set(NFG_EINVAL,
					"'%s' already exists: cannot chain "
					"'%s' too",
					chained.ptr, path.ptr);
			goto done;
		}
		if (mode == HOOK_CHAIN && rename(path.ptr, chained.ptr)) {
			err = error_set_errno(NFG_EIO, errno,
					      "cannot move '%s'", path.ptr);
			goto done;
		}
		*action = mode == HOOK_CHAIN ? HOOK_CHAINED : HOOK_REPLACED;
	}
	err = hooks_write_file(path.ptr, text, len, 0755);
done:
	buf_release(&path);
	buf_release(&chained);
	return err;
}

int hooks_uninstall(const char *dir, const char *name, int dry_run,
		    enum hook_undo *what)
{
	struct buf path, chained;
	int ours, kept, err = 0;

	*what = HOOK_ABSENT;
	if ((err = hook_paths(&path, &chained, dir, name)))
		goto done;
	ours = is_ours(path.ptr);
	kept = is_ours(chained.ptr);
	if (ours < 1 && kept >= 0) {
		/* Putting it back would replace, or revive, a hook blindly. */
		err = error_set(NFG_EINVAL,
				ours < 0
					? "'%s' is there without nfguard's "
					  "'%s': left alone"
					: "'%s' is kept for '%s', which is not "
					  "nfguard's any more: left alone",
				chained.ptr, path.ptr);
		goto done;
	}
	if (ours < 1) {
		*what = ours < 0 ? HOOK_ABSENT : HOOK_FOREIGN;
		goto done;
	}
	*what = kept == 0 ? HOOK_RESTORED : HOOK_REMOVED;
	if (dry_run)
		goto done;
	if (kept == 1 && unlink(chained.ptr))
		err = error_set_errno(NFG_EIO, errno, "cannot remove '%s'",
				      chained.ptr);
	else if (kept == 0 && rename(chained.ptr, path.ptr))
		err = error_set_errno(NFG_EIO, errno, "cannot put back '%s'",
				      chained.ptr);
	else if (kept < 0 && unlink(path.ptr))
		err = error_set_errno(NFG_EIO, errno, "cannot remove '%s'",
				      path.ptr);
	/* With the chained hook removed, nfguard's still has to go. */
	if (!err && kept == 1 && unlink(path.ptr))
		err = error_set_errno(NFG_EIO, errno, "cannot remove '%s'",
				      path.ptr);
done:
	buf_release(&path);
	buf_release(&chained);
	return err;
}

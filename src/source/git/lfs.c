/*
 * Git LFS objects: the content of a file tracked with LFS is not in git's
 * object database but in the LFS store (lfs/objects/ab/cd/<sha256> of the
 * git folder, or lfs.storage). A pointer blob's object, when it is local,
 * is streamed through the engine as the pointer path's content.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/git/internal.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

int gs_lfs_objects_dir(git_repository *repo, char **out)
{
	const char *common = git_repository_commondir(repo);
	git_config *cfg = NULL;
	git_buf storage = {0};
	struct buf b;
	int err;

	*out = NULL;
	buf_init(&b, BUF_DEFAULT_MAX);
	/* lfs.storage: absolute, or relative to the (common) git folder. */
	if (!git_repository_config_snapshot(&cfg, repo) &&
	    !git_config_get_string_buf(&storage, cfg, "lfs.storage") &&
	    storage.size) {
		if (storage.ptr[0] != '/')
			buf_printf(&b, "%s%s", common,
				   common[strlen(common) - 1] == '/' ? ""
								     : "/");
		buf_puts(&b, storage.ptr);
	} else {
		buf_printf(&b, "%s%slfs", common,
			   common[strlen(common) - 1] == '/' ? "" : "/");
	}
	err = buf_puts(&b, "/objects");
	git_buf_dispose(&storage);
	git_config_free(cfg);
	if (!err && !(*out = strdup(b.ptr)))
		err = error_nomem();
	buf_release(&b);
	return err;
}

int gs_lfs_scan(const char *objects, struct collector *sc, const char *path,
		const char *data, size_t len, struct findings *out,
		uint64_t *bytes, enum gs_lfs *state)
{
	struct lfs_pointer p;
	char file[4096];
	struct stat st;
	uint64_t n = 0;
	int fd, err;

	switch (lfs_pointer_parse(data, len, &p)) {
	case LFS_NOT_POINTER:
		*state = GS_LFS_NONE;
		return 0;
	case LFS_MALFORMED:
		*state = GS_LFS_MALFORMED;
		return 0;
	case LFS_POINTER:
		break;
	}
	if (!path) {
		*state = GS_LFS_LATER;
		return 0;
	}
	*state = GS_LFS_FAILED;
	if ((size_t)snprintf(file, sizeof(file), "%s/%.2s/%.2s/%s", objects,
			     p.oid, p.oid + 2, p.oid) >= sizeof(file))
		return error_set(NFG_EIO, "the LFS store's path is too long");
	fd = open(file,
		  O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT) {
		*state = GS_LFS_MISSING;
		return 0;
	}
	if (fd < 0)
		return error_set_errno(NFG_EIO, errno, "cannot open '%s'",
				       file);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		err = error_set(NFG_EIO, "'%s' is not a regular file", file);
	else if ((uint64_t)st.st_size != p.size)
		err = error_set(NFG_EIO,
				"'%s' is %" PRIu64 " bytes, its pointer says "
				"%" PRIu64 " (git lfs fsck)",
				file, (uint64_t)st.st_size, p.size);
	else if (!(err = source_scan_fd(sc, path, fd, out, &n)) && n != p.size)
		err = error_set(NFG_EIO, "'%s' changed while it was read",
				file);
	*bytes += n;
	close(fd);
	if (!err)
		*state = GS_LFS_SCANNED;
	return err;
}

void gs_lfs_count(struct scan_totals *t, enum gs_lfs state)
{
	t->lfs_pointers += state >= GS_LFS_SCANNED;
	t->lfs_missing += state == GS_LFS_MISSING;
	t->lfs_malformed += state == GS_LFS_MALFORMED;
}

/* Reports through source_problem. */
static void report(pthread_mutex_t *lock, struct scan_totals *t, problem_fn fn,
		   void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void report(pthread_mutex_t *lock, struct scan_totals *t, problem_fn fn,
		   void *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	source_problem(lock, t, fn, ctx, PROBLEM_WARNING, fmt, ap);
	va_end(ap);
}

void gs_lfs_warn(pthread_mutex_t *lock, struct scan_totals *t, problem_fn fn,
		 void *ctx, uint64_t missing, uint64_t malformed)
{
	if (missing)
		report(lock, t, fn, ctx,
		       "%" PRIu64 " LFS object%s not in this clone: "
		       "%s pointer%s scanned, not %s content "
		       "(git lfs fetch --all gets %s)",
		       missing, missing == 1 ? " is" : "s are",
		       missing == 1 ? "its" : "their",
		       missing == 1 ? " was" : "s were",
		       missing == 1 ? "its" : "their",
		       missing == 1 ? "it" : "them");
	if (malformed)
		report(lock, t, fn, ctx,
		       "%" PRIu64 " file%s start%s like an LFS pointer but "
		       "%s not one: scanned as text, no LFS object read",
		       malformed, malformed == 1 ? "" : "s",
		       malformed == 1 ? "s" : "",
		       malformed == 1 ? "is" : "are");
}

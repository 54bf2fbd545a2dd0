/*
 * file_read_all: a whole small file into a bounded buffer; file_change:
 * whether a file's metadata moved while it was read.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/file.h"

int file_read_all(struct buf *b, const char *path, int *missing)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	int err = 0;

	if (!f) {
		if (missing && errno == ENOENT) {
			*missing = 1;
			return 0;
		}
		return error_set_errno(NFG_EIO, errno, "cannot open '%s'",
				       path);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((err = buf_add(b, chunk, n))) {
			error_set(err, "'%s': larger than %zu bytes", path,
				  b->max);
			break;
		}
	if (!err && ferror(f))
		err = error_set_errno(NFG_EIO, errno, "cannot read '%s'", path);
	fclose(f);
	return err;
}

enum file_change file_change(const struct stat *before,
			     const struct stat *after, uint64_t bytes)
{
	if (before->st_size == after->st_size &&
	    before->st_mtim.tv_sec == after->st_mtim.tv_sec &&
	    before->st_mtim.tv_nsec == after->st_mtim.tv_nsec)
		return FILE_UNCHANGED;
	/* Appended to (a log), and every byte up to the new end was read. */
	if (after->st_size > before->st_size &&
	    bytes == (uint64_t)after->st_size)
		return FILE_GREW;
	return FILE_CHANGED;
}

/*
 * Reading a small file (rules, config, ignore lists, baselines) whole into
 * a bounded buffer; telling whether a file changed while it was read.
 */
#ifndef NFG_UTIL_FILE_H
#define NFG_UTIL_FILE_H

#include <stdint.h>
#include <sys/stat.h>

#include "util/buf.h"

/*
 * Appends the file at path to b (whose maximum bounds the size). When
 * missing is not NULL, a file that does not exist sets *missing to 1 and
 * is no error. 0, NFG_EIO ("cannot open/read 'path': reason") or
 * NFG_ELIMIT ("'path': larger than N bytes").
 */
int file_read_all(struct buf *b, const char *path, int *missing);

/* How a file changed while it was read whole (see file_change). */
enum file_change {
	FILE_UNCHANGED,
	FILE_GREW,   /* only grew, and was read up to its new end */
	FILE_CHANGED /* shrank, was rewritten, or holds bytes not read */
};

/*
 * Compares the fstat of a regular file taken before reading it to the end
 * with the one taken after, and bytes, what the reads gave. The same size
 * and modification time is FILE_UNCHANGED whatever was read (files in
 * /proc and /sys give other sizes than they say). Pure.
 */
enum file_change file_change(const struct stat *before,
			     const struct stat *after, uint64_t bytes);

#endif

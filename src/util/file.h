/*
 * Reading a small file (rules, config, ignore lists, baselines) whole into
 * a bounded buffer.
 */
#ifndef NFG_UTIL_FILE_H
#define NFG_UTIL_FILE_H

#include "util/buf.h"

/*
 * Appends the file at path to b (whose maximum bounds the size). When
 * missing is not NULL, a file that does not exist sets *missing to 1 and
 * is no error. 0, NFG_EIO ("cannot open/read 'path': reason") or
 * NFG_ELIMIT ("'path': larger than N bytes").
 */
int file_read_all(struct buf *b, const char *path, int *missing);

#endif

/*
 * Git LFS pointer files, parsed from memory: the small text blob git
 * holds in place of a file whose content lives in lfs/objects/. No
 * libgit2, so a fuzz target and the unit tests reach it directly.
 *
 * Ownership: the parsed pointer is a copy; nothing is borrowed.
 */
#ifndef NFG_SOURCE_GIT_LFS_POINTER_H
#define NFG_SOURCE_GIT_LFS_POINTER_H

#include <stddef.h>
#include <stdint.h>

/* A pointer is smaller than this (git-lfs's own cutoff). */
#define LFS_POINTER_MAX 1024
#define LFS_OID_HEX	64

enum lfs_kind {
	LFS_NOT_POINTER, /* any other blob */
	LFS_POINTER,	 /* an exact pointer: *p is filled */
	LFS_MALFORMED	 /* starts as a pointer does, but is not one */
};

struct lfs_pointer {
	char oid[LFS_OID_HEX + 1]; /* lower-case hex, NUL-terminated */
	uint64_t size;		   /* the object's size in bytes */
};

/*
 * Classifies data[0..len). A pointer is exactly what git-lfs writes: the
 * line "version https://git-lfs.github.com/spec/v1", then extension lines
 * "ext-<digit>-<word> sha256:<64 hex>" in increasing priority, then
 * "oid sha256:<64 lower-case hex>" and "size <decimal, no leading zero,
 * at most 2^63-1>", each line ending in "\n", nothing else, fewer than
 * LFS_POINTER_MAX bytes. LFS_MALFORMED: fewer than LFS_POINTER_MAX bytes
 * whose first line (leading blanks aside) names one of git-lfs's spec
 * versions, and which is not an exact pointer. Never fails.
 */
enum lfs_kind lfs_pointer_parse(const char *data, size_t len,
				struct lfs_pointer *p);

#endif

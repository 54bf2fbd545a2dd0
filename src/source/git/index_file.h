/*
 * git's index file ("DIRC", versions 2 to 4), parsed from memory: its
 * entries, the split index's link to a shared index, and the sparse
 * index's directory entries. No libgit2, so a fuzz target and the unit
 * tests reach it directly.
 *
 * Ownership: struct index_file is caller-owned (index_file_init and
 * index_file_release); it owns its entries and their paths.
 */
#ifndef NFG_SOURCE_GIT_INDEX_FILE_H
#define NFG_SOURCE_GIT_INDEX_FILE_H

#include <stddef.h>
#include <stdint.h>

#define INDEX_ID_LEN 20

/* flags: the stage (0 merged, 1 to 3 a conflict's sides) */
#define INDEX_STAGE(e) (((e)->flags >> 12) & 3)
/* flags_ext (version 3 up) */
#define INDEX_SKIP_WORKTREE 0x4000
#define INDEX_INTENT_TO_ADD 0x2000
/* mode of a sparse directory entry, whose path ends in '/' */
#define INDEX_MODE_SPARSE_DIR 040000

struct index_entry {
	uint32_t ctime_s, ctime_ns, mtime_s, mtime_ns;
	uint32_t dev, ino, mode, uid, gid, size;
	unsigned char id[INDEX_ID_LEN];
	uint16_t flags;	    /* assume-valid, extended, stage, name length */
	uint16_t flags_ext; /* skip-worktree, intent-to-add */
	char *path;	    /* NUL-terminated; "" for a split replacement */
	size_t path_len;
};

struct index_file {
	struct index_entry *v;
	size_t n, cap;
	unsigned version;
	unsigned char checksum[INDEX_ID_LEN]; /* the file's last 20 bytes */
	int linked; /* a link extension: entries apply to a shared index */
	unsigned char shared_id[INDEX_ID_LEN]; /* all zero: none needed */
	/* the link's ewah bitmaps, copied (NULL without bitmaps) */
	unsigned char *del, *rep;
	size_t del_len, rep_len;
};

void index_file_init(struct index_file *x);
/* Frees what x holds and initialises it again. Accepts NULL. */
void index_file_release(struct index_file *x);

/*
 * Parses the index file p[0..len) into x (initialised, empty). name
 * (e.g. the file's path) starts every error message. The trailing
 * SHA-1 is verified (git 2.40's index.skipHash writes zeros there: then
 * it is not); entries must be sorted by path and stage; optional
 * extensions (first byte 'A' to 'Z') are skipped; of the mandatory ones,
 * "link" (split index) is read and "sdir" (sparse index) accepted.
 * Returns 0, NFG_ENOMEM, or NFG_EINVAL for a bad signature or version, a
 * file cut short, a checksum mismatch, an entry count beyond the file,
 * a name running off the end, a version 4 prefix longer than the
 * previous name, entries out of order, an extension running past the
 * end, a corrupt link, or an unknown mandatory extension (named, its
 * unprintable bytes escaped). On failure x holds nothing.
 */
int index_file_parse(struct index_file *x, const unsigned char *p, size_t len,
		     const char *name);

/* 1 if x is split: linked to a shared index it needs (index_file_merge). */
int index_file_needs_shared(const struct index_file *x);

/*
 * Applies a split index x (x->linked, x->shared_id not zero) to its
 * shared index, as git does: replaced entries take x's leading nameless
 * entries in the order of the replace bitmap, deleted ones go, and x's
 * other entries are merged in by path and stage (a stage 0 entry drops
 * the conflict's entries of its path). shared must not be linked itself
 * and its checksum must be x->shared_id. On success x holds the merged
 * entries and shared is emptied (their paths move). 0, NFG_ENOMEM, or
 * NFG_EINVAL (named by name: a position beyond the shared index, an
 * entry both replaced and deleted, too many or too few replacements, a
 * shared index that is itself split or has another checksum).
 */
int index_file_merge(struct index_file *x, struct index_file *shared,
		     const char *name);

#endif

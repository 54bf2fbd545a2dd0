/*
 * Pack entries read from memory: the one entry-header parser (used by the
 * type pass and the reader alike), delta application, and a per-thread
 * reader that inflates objects from a mapped pack with its own delta base
 * cache. Delta chains are followed by a loop over an explicit stack, with
 * a bounded depth, at most three object buffers alive at once and a
 * bounded number of bytes inflated and built per object, so no input
 * chooses the C stack depth, the memory or the time a chain may take.
 *
 * Ownership: struct pack_map borrows its mappings; a pack_reader borrows
 * its pack_map, which must outlive it; buffers returned are the caller's.
 */
#ifndef NFG_SOURCE_GIT_PACK_OBJECT_H
#define NFG_SOURCE_GIT_PACK_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "source/git/pack_index.h"

/* Object types as a pack entry header stores them. */
enum pack_type {
	PACK_COMMIT = 1,
	PACK_TREE = 2,
	PACK_BLOB = 3,
	PACK_TAG = 4,
	PACK_OFS_DELTA = 6,
	PACK_REF_DELTA = 7
};

/* Objects (and delta results) larger than this are not read here. */
#define PACK_READ_MAX ((size_t)256 << 20)
/* Deeper delta chains than git ever writes are refused. */
#define PACK_CHAIN_MAX 4096
/*
 * The bytes one object's chain may inflate and build (its base, each delta
 * and each result): git's default depth of 50 over 40 MiB versions fits.
 */
#define PACK_WORK_MAX ((uint64_t)2 << 30)

/* One entry's header. */
struct pack_entry {
	int type;		      /* enum pack_type */
	uint64_t size;		      /* inflated size of its data */
	uint64_t base_off;	      /* PACK_OFS_DELTA: the base's offset */
	const unsigned char *base_id; /* PACK_REF_DELTA: 20 bytes, borrowed */
	uint64_t data;		      /* offset of the zlib stream */
};

/*
 * Parses the header of the entry at off in pack[0..len) (the 20-byte
 * trailer included in len). Returns 0 or NFG_EINVAL ("entry at N: ...")
 * for an offset outside the pack, a truncated or overlong header, an
 * unknown type, or an offset delta whose base is not strictly before it.
 */
int pack_entry_header(struct pack_entry *e, const unsigned char *pack,
		      size_t len, uint64_t off);

/*
 * Applies the git delta d[0..dlen) to base[0..blen): *out gets a new
 * buffer of *out_len bytes (plus a NUL, not counted). Returns 0, NFG_EINVAL
 * for a malformed delta, one whose base size does not match or one that
 * announces a result larger than its instructions could build (checked
 * before anything is allocated), NFG_ELIMIT when the result would exceed
 * max, NFG_ENOMEM. What a failed delta built is wiped before it is freed.
 */
int pack_delta_apply(unsigned char **out, size_t *out_len,
		     const unsigned char *base, size_t blen,
		     const unsigned char *d, size_t dlen, size_t max);

/* A pack and its validated index, mapped read-only. */
struct pack_map {
	const unsigned char *map;
	size_t len;
	struct pack_index idx;
	const unsigned char *idx_map; /* what idx borrows, to unmap */
	size_t idx_size;
};

/* A per-thread reader of one pack. 0 or NFG_ENOMEM. */
struct pack_reader;
int pack_reader_new(struct pack_reader **out, const struct pack_map *pack);
void pack_reader_free(struct pack_reader *r);

/*
 * The object at off, inflated and with its deltas applied: 0 with *out a
 * new buffer (caller frees) of *len bytes plus a NUL. NFG_ELIMIT (error
 * set: "delta chain deeper than 4096", "delta chain loops", "delta chain
 * builds more than 2 GiB") when following its chain would pass a bound:
 * the object must not be read another way (libgit2 has no such bounds and
 * follows a loop forever), the caller reports it. NFG_ENOTFOUND (error
 * set) when it cannot be read here (too large, corrupt data, its base in
 * no index, out of memory): the caller reads it another way or reports it.
 * Whatever failed is wiped before it is freed.
 */
int pack_reader_read(struct pack_reader *r, uint64_t off, unsigned char **out,
		     size_t *len);

/*
 * The type of the object at off (enum pack_type, never a delta's), found
 * by following its chain's headers, nothing inflated: 0, or the codes of
 * pack_reader_read (NFG_ELIMIT for a chain that loops or is too deep).
 */
int pack_reader_type(struct pack_reader *r, uint64_t off, int *type);

/*
 * Sets the bytes one object's chain may inflate and build (PACK_WORK_MAX
 * unless set; a whole number of MiB, as its error names it): tests use
 * less.
 */
void pack_reader_limit(struct pack_reader *r, uint64_t work_max);

/*
 * Says that an object r read held a token: its delta base cache (which may
 * hold earlier versions of it) is wiped and emptied now, and from now on
 * every buffer r frees is wiped first. Readers that never read a token
 * pay nothing. Objects r returned are the caller's to wipe.
 */
void pack_reader_wipe(struct pack_reader *r);

#endif

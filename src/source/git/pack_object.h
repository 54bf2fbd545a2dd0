/*
 * Pack entries read from memory: the one entry-header parser (used by the
 * type pass and the reader alike), delta application, and a per-thread
 * reader that inflates objects from a mapped pack with its own delta base
 * cache. Delta chains are followed by a loop over an explicit stack, with
 * a bounded depth, at most three object buffers alive at once and a
 * bounded number of bytes inflated and built per object, so no input
 * chooses the C stack depth, the memory or the time a chain may take.
 * Every entry read is checked against the CRC-32 its index stores.
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
/*
 * The delta work all readers of one pack may do in one scan: the bytes
 * the chains of its deltified objects inflate and build, together, may
 * not pass PACK_WORK_MAX + PACK_SCAN_FACTOR * the pack's size. A pack's
 * whole objects are bounded by zlib's ratio (about 1032) already; a few
 * KiB of deltas copying a large base again and again are not, and would
 * take hours. Legit histories (curl, git) stay far below: with the delta
 * base cache most objects cost their own size and one base.
 */
#define PACK_SCAN_FACTOR 4096

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
 * max (*out_len then gets the size it announces), NFG_ENOMEM. What a
 * failed delta built is wiped before it is freed.
 */
int pack_delta_apply(unsigned char **out, size_t *out_len,
		     const unsigned char *base, size_t blen,
		     const unsigned char *d, size_t dlen, size_t max);

/*
 * The id git gives an object of type (PACK_COMMIT to PACK_TAG) whose
 * bytes are data[0..len): the SHA-1 of "<type> <len>\0" and the bytes.
 * 0, or NFG_EINVAL for another type.
 */
int pack_object_id(unsigned char out[PACK_ID_LEN], int type,
		   const unsigned char *data, size_t len);

/*
 * A pack's delta work in one scan, shared by all its readers (atomic);
 * max is PACK_WORK_MAX + PACK_SCAN_FACTOR * the pack's size in scans.
 */
struct pack_budget {
	_Atomic uint64_t spent;
	uint64_t max;
};

/*
 * Checks a pack's header against its index: pack[0..len) must start
 * with "PACK", version 2 or 3, and the object count the index holds
 * (nidx), and be long enough for the header and the 20-byte trailer.
 * 0, or NFG_EINVAL with the reason set ("no PACK signature", "version 4",
 * "holds 7 objects, its index 5", "truncated at 30 bytes").
 */
int pack_header_check(const unsigned char *pack, size_t len, uint32_t nidx);

/* A pack and its validated index, mapped read-only. */
struct pack_map {
	const unsigned char *map;
	size_t len;
	struct pack_index idx;
	const unsigned char *idx_map; /* what idx borrows, to unmap */
	size_t idx_size;
	const struct pack_place *by_off; /* idx's objects by offset */
	const char *name;		 /* the pack's path, for messages */
	int check_ids; /* also hash each object read against its id */
	struct pack_budget *budget; /* NULL: no bound but each object's */
};

/* A per-thread reader of one pack. 0 or NFG_ENOMEM. */
struct pack_reader;
int pack_reader_new(struct pack_reader **out, const struct pack_map *pack);
void pack_reader_free(struct pack_reader *r);

/*
 * The object at off, inflated and with its deltas applied: 0 with *out a
 * new buffer (caller frees) of *len bytes plus a NUL, and *type its type.
 * Every entry read from the pack is checked first against the CRC-32 the
 * index stores for it (over its bytes up to the next object, as git
 * computes it), and with check_ids the result against its id. Two kinds
 * of failure mean the object must not be read another way, and the
 * caller reports it: NFG_ECORRUPT (error set: "CRC-32 mismatch at offset
 * N", "... of its delta base at offset N", "hash mismatch at offset N")
 * when a check fails or a delta's base offset is no object of the index
 * (read another way, the same bytes would pass unchecked); NFG_ELIMIT
 * (error set: "delta chain deeper than 4096", "delta chain loops", "delta
 * chain builds more than 2 GiB", "delta work in this pack passed N MiB")
 * when following its chain would pass a bound (libgit2 has no such
 * bounds and follows a loop forever); the pack's budget is checked
 * before each deltified object and charged after it. NFG_ENOTFOUND
 * (error set) when it cannot be read here (larger than PACK_READ_MAX,
 * whole or as a delta result that fits the bounds above: libgit2 reads
 * such objects; corrupt data, its base in no index, out of memory): the
 * caller reads it another way or reports it. Whatever failed is wiped
 * before it is freed.
 */
int pack_reader_read(struct pack_reader *r, uint64_t off, unsigned char **out,
		     size_t *len, int *type);

/*
 * The type of the object at off (enum pack_type, never a delta's), found
 * by following its chain's headers, each entry checked against its
 * CRC-32, nothing inflated: 0, or the codes of pack_reader_read
 * (NFG_ECORRUPT for a failed check, NFG_ELIMIT for a chain that loops or
 * is too deep).
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

/*
 * A pack index (.idx version 2), parsed from memory and validated whole
 * before the first lookup: the fan-out, the id order, the exact size with
 * its 64-bit offset table, and every offset against the pack's length.
 * Nothing in the index is trusted unchecked afterwards. Its objects in
 * pack order give each entry's extent, over which its CRC-32 is checked.
 *
 * Ownership: struct pack_index borrows the caller's bytes, which must
 * outlive it; it owns nothing and needs no release.
 */
#ifndef NFG_SOURCE_GIT_PACK_INDEX_H
#define NFG_SOURCE_GIT_PACK_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define PACK_ID_LEN 20 /* SHA-1 object ids */

struct pack_index {
	const unsigned char *map;
	size_t size;
	uint32_t n;    /* objects */
	uint32_t nbig; /* entries of the 64-bit offset table */
	const unsigned char *fanout, *ids, *crcs, *offsets, *big_offsets;
};

/*
 * Validates the index bytes map[0..size) of a pack of pack_len bytes
 * and fills *x. Returns 0, NFG_ENOTFOUND for an index without a version
 * 2 header (an older format, left to libgit2), or NFG_EINVAL with a last
 * error naming what is wrong ("truncated at 100 bytes", "fan-out
 * decreases at entry 17", "object 7 lies outside the pack", ...).
 */
int pack_index_parse(struct pack_index *x, const unsigned char *map,
		     size_t size, uint64_t pack_len);

/* The id of the object at position pos (< x->n): 20 borrowed bytes. */
const unsigned char *pack_index_id(const struct pack_index *x, uint32_t pos);

/* The pack offset of the object at position pos (< x->n). */
uint64_t pack_index_offset(const struct pack_index *x, uint32_t pos);

/* The CRC-32 the index records for the object at position pos. */
uint32_t pack_index_crc(const struct pack_index *x, uint32_t pos);

/* The pack offset of object id, or UINT64_MAX when the pack lacks it. */
uint64_t pack_index_find(const struct pack_index *x, const unsigned char *id);

/* An object of the index: where its entry starts, its position. */
struct pack_place {
	uint64_t off;
	uint32_t pos;
};

/*
 * x's objects in pack order (by offset): *out gets a new array of x->n
 * places (caller frees). 0, NFG_EINVAL when two objects claim the same
 * offset ("objects 3 and 7 both lie at offset 1234"), or NFG_ENOMEM.
 */
int pack_index_by_offset(const struct pack_index *x, struct pack_place **out);

/*
 * Where the entry at off ends: the next object's offset in by_off[0..n)
 * (from pack_index_by_offset), or the start of the pack's trailer
 * pack_len - 20. *pos gets the index position of the object at off. 0,
 * or NFG_ENOTFOUND when no object of the index starts at off.
 */
int pack_index_entry(const struct pack_place *by_off, uint32_t n,
		     uint64_t pack_len, uint64_t off, uint32_t *pos,
		     uint64_t *end);

#endif

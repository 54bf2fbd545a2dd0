/*
 * A hash map from 20-byte object ids (such as SHA-1) to 32-bit values:
 * open addressing, linear probing, no deletion. Used for sets of trees,
 * blobs and commits seen in a walk.
 *
 * Ownership: caller-owned (idmap_init/idmap_release).
 */
#ifndef NFG_UTIL_IDMAP_H
#define NFG_UTIL_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#define ID_LEN 20

/*
 * A slot holds the id itself, so that a probe that finds it reads one
 * cache line: slots are 32 bytes, aligned on 32, so none spans two
 * lines. Ids are hashed whole with a key drawn once per process: ids
 * from hostile trees or pack indexes (unchecked, they need not be
 * SHA-1s, and may share any prefix) cannot be chosen to collide, so
 * every operation stays O(1) expected.
 */
struct idmap_slot {
	unsigned char id[ID_LEN];
	uint32_t value;
	uint32_t used;
	uint32_t pad;
};

struct idmap {
	struct idmap_slot *slots; /* in mem, aligned */
	void *mem;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

void idmap_init(struct idmap *m);
void idmap_release(struct idmap *m);

/*
 * Finds id: returns a pointer to its value (borrowed; valid until the next
 * insertion), or NULL when absent.
 */
uint32_t *idmap_get(const struct idmap *m, const unsigned char *id);

/*
 * Inserts id with value unless present. *existed (may be NULL) tells which
 * happened; *slot (may be NULL) points to the value (valid until the next
 * insertion). 0 or NFG_ENOMEM.
 */
int idmap_put(struct idmap *m, const unsigned char *id, uint32_t value,
	      int *existed, uint32_t **slot);

#endif

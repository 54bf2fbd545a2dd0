/*
 * The tree object format, parsed from memory: "<octal mode> <name>\0"
 * followed by a 20-byte id, repeated. No libgit2, so a fuzz target and
 * the unit tests reach it directly.
 *
 * Ownership: entries borrow the caller's bytes.
 */
#ifndef NFG_SOURCE_GIT_TREE_ENTRY_H
#define NFG_SOURCE_GIT_TREE_ENTRY_H

#include <stddef.h>

struct tree_entry {
	unsigned mode;
	const char *name; /* NUL-terminated inside the tree's bytes */
	size_t name_len;
	const unsigned char *id; /* 20 bytes */
};

/*
 * Parses the entry at *p (before end) into *e and moves *p past it.
 * Returns 1 for an entry, 0 at the end, NFG_EINVAL ("malformed tree")
 * for a mode that is not 1 to 7 octal digits, no space after it, a name
 * without its NUL, or an id cut short.
 */
int tree_entry_next(struct tree_entry *e, const unsigned char **p,
		    const unsigned char *end);

#endif

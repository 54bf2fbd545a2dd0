/*
 * Tree entries. Every length is checked against the end of the object
 * before it is used; a mode has at most the seven digits git could write.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/tree_entry.h"

#define TREE_ID_LEN 20

int tree_entry_next(struct tree_entry *e, const unsigned char **p,
		    const unsigned char *end)
{
	const unsigned char *q = *p, *nul;
	unsigned digits = 0;

	if (q >= end)
		return 0;
	e->mode = 0;
	while (q < end && *q >= '0' && *q <= '7' && digits < 8) {
		e->mode = e->mode * 8 + (unsigned)(*q++ - '0');
		digits++;
	}
	if (!digits || digits > 7 || q >= end || *q++ != ' ' ||
	    !(nul = memchr(q, '\0', (size_t)(end - q))) ||
	    (size_t)(end - nul) < 1 + TREE_ID_LEN)
		return error_set(NFG_EINVAL, "malformed tree");
	e->name = (const char *)q;
	e->name_len = (size_t)(nul - q);
	e->id = nul + 1;
	*p = nul + 1 + TREE_ID_LEN;
	return 1;
}

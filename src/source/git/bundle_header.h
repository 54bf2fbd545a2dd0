/*
 * The header of a git bundle (v2 or v3), parsed from memory: the
 * signature, v3 capabilities, prerequisite lines "-<id>[ comment]" and
 * ref lines "<id> <refname>", up to the blank line where the pack starts.
 * No libgit2, so a fuzz target and the unit tests reach it directly.
 *
 * Ownership: struct bundle_header owns its arrays and names; release it
 * with bundle_header_release (which accepts a zeroed struct).
 */
#ifndef NFG_SOURCE_GIT_BUNDLE_HEADER_H
#define NFG_SOURCE_GIT_BUNDLE_HEADER_H

#include <stddef.h>

#define BUNDLE_ID_LEN	  20		     /* SHA-1 object ids */
#define BUNDLE_MAX_HEADER ((size_t)64 << 20) /* bytes before the pack */
#define BUNDLE_MAX_LINE	  4200		     /* one header line */
#define BUNDLE_MAX_REFS	  ((size_t)1 << 20)  /* refs, and prerequisites */
#define BUNDLE_SIG_LEN	  16		     /* "# v2 git bundle\n" */

struct bundle_ref {
	unsigned char id[BUNDLE_ID_LEN];
	char *name; /* NUL-free, as the bundle spells it; not validated */
};

struct bundle_header {
	int version; /* 2 or 3 */
	unsigned char (*prereqs)[BUNDLE_ID_LEN];
	size_t nprereqs;
	struct bundle_ref *refs;
	size_t nrefs;
	size_t len; /* header bytes, blank line included: the pack's offset */
};

/*
 * 1 if p (len bytes: the start of a file) begins with the signature of a
 * bundle nfguard knows ("# v2 git bundle\n" or "# v3 git bundle\n"),
 * else 0.
 */
int bundle_is_signature(const unsigned char *p, size_t len);

/*
 * Parses the header at the start of p (len bytes; the pack may follow)
 * into *h (zeroed first). Accepts the capability @object-format=sha1 only.
 * Returns 0; NFG_EINVAL (error set, never quoting the bundle's bytes) for
 * a missing signature, an unknown capability, a line longer than
 * BUNDLE_MAX_LINE, a bad id, an empty or NUL-holding ref name, no ref, or
 * no blank line within len bytes; NFG_ELIMIT past BUNDLE_MAX_REFS refs or
 * prerequisites or BUNDLE_MAX_HEADER bytes; NFG_ENOMEM. On error *h holds
 * nothing to release.
 */
int bundle_header_parse(struct bundle_header *h, const unsigned char *p,
			size_t len);

/* Frees what *h holds and zeroes it. */
void bundle_header_release(struct bundle_header *h);

#endif

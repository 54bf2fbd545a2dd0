/*
 * In-text decoders: base64 (standard and URL-safe, padded or not, wrapped
 * as MIME and PEM wrap it) and UTF-16 (either byte order). They never
 * look at a byte the prefilter did not point at: each adds fixed
 * literals to the ruleset (the keyword as base64 at each byte alignment,
 * split by a line break, as UTF-16, and two layers deep for base64 of
 * base64 and base64 of UTF-16), and decodes only the run around a
 * literal the scanner meets, scanning the decoded bytes again with a
 * nested scanner. A token found inside is reported with its layers
 * (engine.h, struct hit) at the raw bytes a person deletes: for base64
 * the whole run (over wrapped lines; from at most INTEXT_WINDOW bytes
 * before the encoded keyword to where decoding stopped), for UTF-16 the
 * token's own code units.
 */
#ifndef NFG_DECODE_INTEXT_H
#define NFG_DECODE_INTEXT_H

#include <stdint.h>

#include "engine/engine.h"

/* Decoded bytes one literal's run may give (the rest of a longer run is
 * reached by the next literal in it). */
#define INTEXT_WINDOW 4096

/*
 * Adds the triggers of the enabled decoders (DECODE_BASE64, DECODE_UTF16
 * bits of enabled) for each rule keyword of rs of 4 bytes or more.
 * Call once, before any scanner uses rs. 0 or NFG_ENOMEM.
 */
int intext_prepare(struct ruleset *rs, unsigned enabled);

/* One thread's decoding state: a scanner and a buffer per layer. */
struct intext;

/* For up to depth layers (at most HIT_MAX_ENCODING). 0 or NFG_ENOMEM. */
int intext_new(struct intext **out, const struct ruleset *rs, unsigned depth);
void intext_free(struct intext *t);

/*
 * Makes sc (a scanner of the same ruleset, about to scan one input)
 * decode what its triggers point at, peeling at most layers layers
 * (<= the depth given to intext_new). Resets the count of literals left
 * undecoded at that bound.
 */
void intext_attach(struct intext *t, struct scanner *sc, unsigned layers);

/* Literals met since intext_attach that the layer bound left undecoded. */
uint64_t intext_depth_limited(const struct intext *t);

/* Exposed for tests: the base64 text of s that does not depend on the
 * `align` (0-2) bytes before it, into out (room for 2 * n + 4); its
 * length, and *phase gets its first character's place in its group. */
size_t intext_base64_literal(const unsigned char *s, size_t n, unsigned align,
			     char *out, unsigned *phase);

#endif

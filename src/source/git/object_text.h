/*
 * The parts of a commit or tag object's raw bytes, parsed from memory:
 * header lines (identities, a tag's name, the rest) up to the first empty
 * line, then the message. No libgit2, so a fuzz target and the unit tests
 * reach it directly.
 *
 * Ownership: nothing is kept; the caller's bytes are only read.
 */
#ifndef NFG_SOURCE_GIT_OBJECT_TEXT_H
#define NFG_SOURCE_GIT_OBJECT_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum objtext_part {
	OBJTEXT_HEADER,	  /* any other header line, or a continuation */
	OBJTEXT_IDENTITY, /* "author ", "committer " or "tagger " */
	OBJTEXT_TAG_NAME, /* a tag object's "tag NAME" */
	OBJTEXT_MESSAGE	  /* after the first empty line */
};

/* Where an object's message starts. */
struct objtext {
	size_t msg; /* offset of its first byte (len: no message) */
	/* newlines before it: object line - this = line (0 without an empty
	 * line, where there is no message to place) */
	uint64_t msg_line;
};

/*
 * Finds the message of data[0..len): what follows the first empty line
 * (as git and libgit2 read it; the bytes may hold NULs). Never fails.
 */
void objtext_parse(struct objtext *t, const char *data, size_t len);

/*
 * The part that holds byte off of data[0..len), parsed into t, on the
 * line that starts at line_start (as the scanner's column tells: no walk
 * back per hit). is_tag tells a tag object ("tagger ", "tag NAME") from a
 * commit ("author ", "committer "). An offset past len, or a line start
 * after off, is a header.
 */
enum objtext_part objtext_part_at(const struct objtext *t, int is_tag,
				  const char *data, size_t len,
				  size_t line_start, size_t off);

#endif

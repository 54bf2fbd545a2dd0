/*
 * Fuzzes the parts of a commit or tag object (src/source/git/object_text.c).
 * Input: the object's raw bytes, read both as a commit and as a tag. The
 * oracle: the message starts after the first empty line, its line count is
 * right, and every byte's part agrees with a naive line-by-line re-parse.
 */
#include "fuzz.h"
#include "source/git/object_text.h"

#include <string.h>

/* 1 if the line data[s..e) starts with word. */
static int line_starts(const char *data, size_t s, size_t e, const char *word)
{
	size_t n = strlen(word);

	return e - s >= n && !memcmp(data + s, word, n);
}

/* The part of a header line data[s..e) (its newline excluded). */
static enum objtext_part naive_header(const char *data, size_t s, size_t e,
				      int is_tag)
{
	if (is_tag ? line_starts(data, s, e, "tagger ")
		   : line_starts(data, s, e, "author ") ||
			     line_starts(data, s, e, "committer "))
		return OBJTEXT_IDENTITY;
	if (is_tag && line_starts(data, s, e, "tag "))
		return OBJTEXT_TAG_NAME;
	return OBJTEXT_HEADER;
}

static void check(const char *data, size_t len, int is_tag)
{
	struct objtext t;
	size_t s = 0, msg = len, i;
	uint64_t lines = 0;
	int found = 0;

	objtext_parse(&t, data, len);
	/* naive: the message follows the first line that is empty */
	while (s < len) {
		const char *nl = memchr(data + s, '\n', len - s);
		size_t e = nl ? (size_t)(nl - data) : len;

		if (e == s) {
			msg = s + 1;
			lines++;
			found = 1;
			break;
		}
		for (i = s; i < e; i++)
			FUZZ_CHECK(
				objtext_part_at(&t, is_tag, data, len, s, i) ==
				naive_header(data, s, e, is_tag));
		if (nl) {
			FUZZ_CHECK(
				objtext_part_at(&t, is_tag, data, len, s, e) ==
				naive_header(data, s, e, is_tag));
			lines++;
		}
		s = e + 1;
	}
	FUZZ_CHECK(t.msg == msg);
	if (found) {
		/* the separator: a leading newline, or the first "\n\n" */
		FUZZ_CHECK(data[t.msg - 1] == '\n' &&
			   (t.msg == 1 || data[t.msg - 2] == '\n'));
		FUZZ_CHECK(t.msg_line == lines);
		for (i = 0, lines = 0; i < t.msg; i++)
			lines += data[i] == '\n';
		FUZZ_CHECK(t.msg_line == lines);
	} else {
		FUZZ_CHECK(t.msg_line == 0);
	}
	for (i = t.msg; i < len; i++)
		FUZZ_CHECK(objtext_part_at(&t, is_tag, data, len, 0, i) ==
			   OBJTEXT_MESSAGE);
	/* a line start after the offset, or an offset past the end */
	FUZZ_CHECK(objtext_part_at(&t, is_tag, data, len, 0, len) ==
		   OBJTEXT_HEADER);
	if (len > 1)
		FUZZ_CHECK(objtext_part_at(&t, is_tag, data, len, len - 1, 0) ==
			   OBJTEXT_HEADER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size, 0);
	check((const char *)data, size, 1);
	return 0;
}

/*
 * Commit and tag objects as text. A header line is told by its first
 * word; a line starting with a space continues the header above it (a
 * signature, a merged tag), so it is never taken for an identity.
 */
#include "util/common.h"
#include "source/git/object_text.h"

void objtext_parse(struct objtext *t, const char *data, size_t len)
{
	const char *end;
	size_t i;

	t->msg = len;
	t->msg_line = 0;
	if (len && data[0] == '\n') {
		t->msg = 1;
		t->msg_line = 1;
		return;
	}
	end = len > 1 ? memmem(data, len, "\n\n", 2) : NULL;
	if (!end)
		return;
	t->msg = (size_t)(end - data) + 2;
	for (i = 0; i < t->msg; i++)
		t->msg_line += data[i] == '\n';
}

/* 1 if the line at data[0..n) starts with word (a NUL-terminated text). */
static int starts(const char *line, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && !memcmp(line, word, w);
}

enum objtext_part objtext_part_at(const struct objtext *t, int is_tag,
				  const char *data, size_t len,
				  size_t line_start, size_t off)
{
	const char *line = data + line_start;
	size_t n;

	if (off >= len || line_start > off)
		return OBJTEXT_HEADER;
	if (off >= t->msg)
		return OBJTEXT_MESSAGE;
	n = len - line_start;
	if (is_tag ? starts(line, n, "tagger ")
		   : starts(line, n, "author ") ||
			     starts(line, n, "committer "))
		return OBJTEXT_IDENTITY;
	if (is_tag && starts(line, n, "tag "))
		return OBJTEXT_TAG_NAME;
	return OBJTEXT_HEADER;
}

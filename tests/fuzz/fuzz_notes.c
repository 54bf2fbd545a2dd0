/*
 * Fuzzes the fanned-out note path (notes_unfan in src/source/git/notes.c).
 * Input: a path of a notes tree (up to its first NUL). The oracle: a naive
 * split at '/' tells the same notes (two-digit hex folders, then the rest
 * of 40 hex digits in all), each rewritten as the path without its
 * slashes; any other path is left as it is.
 */
#include "fuzz.h"
#include "source/git/notes.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* 1 if path is fanned-out hex: two-digit folders, a last part, 40 digits. */
static int naive_note(const char *path, size_t len)
{
	size_t at = 0, digits = 0, parts = 0;

	for (;;) {
		const char *slash = memchr(path + at, '/', len - at);
		size_t n = slash ? (size_t)(slash - (path + at)) : len - at, i;

		for (i = 0; i < n; i++)
			if (!isxdigit((unsigned char)path[at + i]))
				return 0;
		digits += n;
		parts++;
		if (!slash)
			return n && parts > 1 && digits == 40;
		if (n != 2)
			return 0;
		at += n + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t len = nul ? (size_t)(nul - data) : size, i, o = 0;
	char *path = malloc(len + 1), *want = malloc(len + 1);
	int note;

	if (!path || !want)
		abort();
	memcpy(path, data, len);
	path[len] = '\0';
	note = naive_note(path, len);
	for (i = 0; i < len; i++)
		if (!note || path[i] != '/')
			want[o++] = path[i];
	want[o] = '\0';
	FUZZ_CHECK(notes_unfan(path) == note);
	FUZZ_CHECK(!strcmp(path, want));
	FUZZ_CHECK(!note || strlen(path) == 40);
	free(path);
	free(want);
	return 0;
}

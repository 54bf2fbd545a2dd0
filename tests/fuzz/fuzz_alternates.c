/*
 * Fuzzes the reading of objects/info/alternates (alternates_next in
 * src/source/git/alternates.c). Input: the file's text. The oracle: a
 * naive split into lines gives the same paths, each the start of its line
 * within the input, trailing slashes gone (the root's kept); empty lines
 * and comments are skipped; quoted and NUL-holding lines are refused.
 */
#include "fuzz.h"
#include "util/error.h"
#include "source/git/alternates.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size;
	const char *p = text, *path;
	size_t at = 0, len;
	int rc;

	while (at < size) {
		const char *nl = memchr(text + at, '\n', size - at);
		size_t e = nl ? (size_t)(nl - text) : size, want = e - at;

		if (!want || text[at] == '#') {
			at = e + 1;
			continue;
		}
		rc = alternates_next(&path, &len, &p, end);
		FUZZ_CHECK(p == (nl ? nl + 1 : end));
		if (text[at] == '"') {
			FUZZ_CHECK(rc == NFG_EINVAL &&
				   !strcmp(error_last(),
					   "quoted paths are not read"));
		} else if (memchr(text + at, '\0', want)) {
			FUZZ_CHECK(rc == NFG_EINVAL &&
				   !strcmp(error_last(),
					   "a path holds a NUL byte"));
		} else {
			while (want > 1 && text[at + want - 1] == '/')
				want--;
			FUZZ_CHECK(rc == 1 && path == text + at && len == want);
			FUZZ_CHECK(len && len <= size &&
				   (len == 1 || path[len - 1] != '/'));
		}
		at = e + 1;
	}
	FUZZ_CHECK(alternates_next(&path, &len, &p, end) == 0 && p == end);
	return 0;
}

/*
 * Fuzzes the path globs (src/util/glob.c). Input: PATTERN NUL PATH. The
 * oracle: an invalid pattern matches nothing, and where gitignore globs
 * and POSIX fnmatch(3) mean the same thing (no '/' on either side, no
 * byte class: the two differ on ranges at the edges) both agree.
 */
#include "fuzz.h"
#include "util/glob.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static int comparable(const char *pattern, const char *path)
{
	return *path && !strchr(pattern, '/') && !strchr(path, '/') &&
	       !strchr(pattern, '[');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	char *pattern, *path;
	int match;

	pattern = strndup((const char *)data, plen);
	path = nul ? strndup((const char *)nul + 1, size - plen - 1)
		   : strdup("a");
	if (!pattern || !path)
		abort();
	match = glob_match(pattern, path);
	FUZZ_CHECK(match == 0 || match == 1);
	if (glob_check(pattern, NULL) != 0)
		FUZZ_CHECK(match == 0);
	else if (comparable(pattern, path))
		FUZZ_CHECK(match ==
			   (fnmatch(pattern, path, FNM_PATHNAME) == 0));
	free(pattern);
	free(path);
	return 0;
}

/*
 * Notes' paths: a fanned-out note path turned back into the id of the
 * object it annotates (git's notes.c reads the same layout).
 */
#include "util/common.h"
#include "source/git/notes.h"

#include <ctype.h>

int notes_unfan(char *path)
{
	size_t i, seg = 0, digits = 0, slashes = 0, out = 0;

	for (i = 0; path[i]; i++) {
		if (path[i] == '/') {
			/* Only two-digit folders: the note is the last part. */
			if (seg != 2)
				return 0;
			seg = 0;
			slashes++;
		} else if (isxdigit((unsigned char)path[i])) {
			seg++;
			digits++;
		} else {
			return 0;
		}
	}
	if (!slashes || digits != 40 || !seg)
		return 0;
	for (i = 0; path[i]; i++)
		if (path[i] != '/')
			path[out++] = path[i];
	path[out] = '\0';
	return 1;
}

/*
 * The oracle's failure, shared by every fuzz target (see fuzz.h).
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "oracle failed: %s (%s:%d)\n", what, file, line);
	abort();
}

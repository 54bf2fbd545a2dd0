/*
 * Fuzzes the global hooks folder's record parser and the empty [core]
 * removal (src/hooks/global.c). The oracle: a parsed record has a config
 * and a known state, and no value holds a newline; the removal keeps the
 * length or takes exactly one "[core]\n" out of it, and what is left is
 * the input without that line.
 */
#include "fuzz.h"
#include "util/common.h"
#include "hooks/install.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hooks_global g;
	char *copy = malloc(size + 1);
	size_t n, at, p;

	if (!copy)
		abort();
	if (!hooks_global_parse(&g, (const char *)data, size)) {
		FUZZ_CHECK(g.config && !strchr(g.config, '\n'));
		FUZZ_CHECK(!g.previous || !strchr(g.previous, '\n'));
		FUZZ_CHECK(g.was <= HOOKS_CONFIG_CORE);
		hooks_global_release(&g);
	}
	memcpy(copy, data, size);
	n = size ? hooks_config_drop_empty_core(copy, size) : 0;
	FUZZ_CHECK(n == size || n + 7 == size);
	if (n + 7 == size) {
		/* Some "[core]\n" at p within the common prefix was taken. */
		for (at = 0; at < n && copy[at] == (char)data[at]; at++)
			;
		for (p = 0; p <= at; p++)
			if (!memcmp(data + p, "[core]\n", 7) &&
			    !memcmp(copy + p, data + p + 7, n - p))
				break;
		FUZZ_CHECK(p <= at);
	}
	free(copy);
	return 0;
}

/*
 * Fuzzes the reading of ISO 8601 dates (clock_parse_iso), which reads the
 * dates of reports merged back. Oracle: a date read is written back by
 * clock_format_ms with the same date and time to the second, and that
 * text reads back to the same milliseconds.
 */
#include "fuzz.h"
#include "util/clock.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[32];
	int64_t ms = 0, back = 0;

	FUZZ_CHECK(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	if (clock_parse_iso(s, &ms) == 0) {
		clock_format_ms(ms, out);
		FUZZ_CHECK(!strncmp(out, s, 19));
		FUZZ_CHECK(clock_parse_iso(out, &back) == 0 && back == ms);
	}
	free(s);
	return 0;
}

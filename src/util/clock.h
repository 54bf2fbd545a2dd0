/*
 * Wall-clock time in milliseconds and its ISO 8601 UTC forms, used by
 * reports, git dates, verification and the audit log alike.
 */
#ifndef NFG_UTIL_CLOCK_H
#define NFG_UTIL_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch. */
int64_t clock_now_ms(void);

/*
 * "YYYY-MM-DDTHH:MM:SS.mmmZ" for Unix milliseconds (floored, so -1 ms is
 * 1969-12-31T23:59:59.999Z); years are clamped to 0000..9999.
 */
void clock_format_ms(int64_t ms, char out[32]);

/* "YYYY-MM-DDTHH:MM:SSZ" for Unix seconds (git's author dates). */
void clock_format_s(int64_t sec, char out[32]);

/*
 * Reads back a date in either form above ("YYYY-MM-DDTHH:MM:SSZ", with
 * an optional fraction of 1 to 9 digits, of which milliseconds are kept)
 * into Unix milliseconds. The whole NUL-terminated s must be one date,
 * each field in its range. 0, or NFG_EINVAL without setting the last
 * error.
 */
int clock_parse_iso(const char *s, int64_t *ms);

#endif

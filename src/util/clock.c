/*
 * Wall-clock milliseconds and ISO 8601 UTC formatting.
 */
#include "util/common.h"
#include "util/clock.h"

#include <sys/time.h>
#include <time.h>

int64_t clock_now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Broken-down UTC time of sec, with the year clamped to four digits. */
static void utc(int64_t sec, struct tm *tm, unsigned *year)
{
	time_t t = (time_t)sec;

	if (!gmtime_r(&t, tm))
		memset(tm, 0, sizeof(*tm));
	*year = tm->tm_year < -1900	    ? 0
		: tm->tm_year > 9999 - 1900 ? 9999
					    : (unsigned)(tm->tm_year + 1900);
}

void clock_format_ms(int64_t ms, char out[32])
{
	int64_t sec = ms / 1000, rem = ms % 1000;
	unsigned year;
	struct tm tm;

	if (rem < 0) {
		rem += 1000;
		sec--;
	}
	utc(sec, &tm, &year);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", year % 10000,
		 (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100,
		 (unsigned)tm.tm_hour % 100, (unsigned)tm.tm_min % 100,
		 (unsigned)tm.tm_sec % 100, (unsigned)rem % 1000);
}

void clock_format_s(int64_t sec, char out[32])
{
	unsigned year;
	struct tm tm;

	utc(sec, &tm, &year);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", year % 10000,
		 (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100,
		 (unsigned)tm.tm_hour % 100, (unsigned)tm.tm_min % 100,
		 (unsigned)tm.tm_sec % 100);
}

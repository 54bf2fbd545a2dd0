/*
 * Wall-clock milliseconds, and ISO 8601 UTC dates written and read back.
 */
#include "util/common.h"
#include "util/clock.h"
#include "util/error.h"

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

/* The value of the n digits at p, or -1 when one is not a digit. */
static int digits(const char *p, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int clock_parse_iso(const char *s, int64_t *ms)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, sec, frac = 0, leap;
	size_t n;
	const char *p;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return NFG_EINVAL;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return NFG_EINVAL;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return NFG_EINVAL;
	p = s + 19;
	if (*p == '.') {
		n = strspn(++p, "0123456789");
		if (n < 1 || n > 9)
			return NFG_EINVAL;
		frac = digits(p, n < 3 ? n : 3) * (n == 1   ? 100
						   : n == 2 ? 10
							    : 1);
		p += n;
	}
	if (strcmp(p, "Z"))
		return NFG_EINVAL;
	*ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	      (int64_t)sec * 1000 + frac;
	return 0;
}

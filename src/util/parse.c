/*
 * Number parsing with bounds and checked size arithmetic, in the spirit of
 * OpenBSD's strtonum: no silent wrap, no partial parse.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/parse.h"

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (!*p)
		return error_set(NFG_EINVAL, "'' is not a number");
	for (; *p; p++) {
		unsigned d;

		if (*p < '0' || *p > '9')
			return error_set(NFG_EINVAL, "'%s' is not a number", s);
		d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return error_set(NFG_EINVAL, "'%s' is too large", s);
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return error_set(
			NFG_EINVAL, "'%s' is out of range (%llu to %llu)", s,
			(unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int size_add(size_t a, size_t b, size_t *out)
{
	if (a > SIZE_MAX - b)
		return error_set(NFG_ELIMIT, "size overflow");
	*out = a + b;
	return 0;
}

int size_mul(size_t a, size_t b, size_t *out)
{
	if (a && b > SIZE_MAX / a)
		return error_set(NFG_ELIMIT, "size overflow");
	*out = a * b;
	return 0;
}

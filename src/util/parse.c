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

int parse_size(const char *s, uint64_t *out)
{
	char digits[24];
	size_t n = strspn(s, "0123456789");
	unsigned shift = 0;
	uint64_t v;

	switch (s[n]) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		n = 0; /* not a size */
	}
	if (!n || (s[n] && s[n + 1]))
		return error_set(NFG_EINVAL,
				 "'%s' is not a size (bytes, or a number with "
				 "k, M or G)",
				 s);
	if (n >= sizeof(digits))
		return error_set(NFG_EINVAL, "'%s' is too large", s);
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (parse_u64(digits, 0, UINT64_MAX >> shift, &v))
		return error_set(NFG_EINVAL, "'%s' is too large", s);
	*out = v << shift;
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

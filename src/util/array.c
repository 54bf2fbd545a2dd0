/*
 * array_reserve: capacity doubling with overflow checks.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/error.h"
#include "util/parse.h"

int array_reserve(void *ptr, size_t *cap, size_t need, size_t elem)
{
	void **v = ptr;
	size_t ncap = *cap ? *cap : 16, bytes;
	void *nv;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		if (size_mul(ncap, 2, &ncap))
			return NFG_ELIMIT;
	if (size_mul(ncap, elem, &bytes))
		return NFG_ELIMIT;
	nv = realloc(*v, bytes);
	if (!nv)
		return error_nomem();
	*v = nv;
	*cap = ncap;
	return 0;
}

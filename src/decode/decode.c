/*
 * The decoders' shared settings: the default limits, and the --decode
 * list's names.
 */
#include "util/common.h"
#include "util/error.h"
#include "decode/decode.h"

static const struct {
	const char *name;
	unsigned bit;
} decoders[] = {
	{"base64", DECODE_BASE64}, {"utf16", DECODE_UTF16},
	{"gzip", DECODE_GZIP},	   {"zlib", DECODE_ZLIB},
	{"bzip2", DECODE_BZIP2},   {"xz", DECODE_XZ},
	{"zip", DECODE_ZIP},	   {"tar", DECODE_TAR},
};

void decode_opts_default(struct decode_opts *o)
{
	o->enabled = DECODE_ALL;
	o->limits.depth = DECODE_DEFAULT_DEPTH;
	o->limits.max_bytes = DECODE_DEFAULT_MAX_BYTES;
	o->limits.max_entries = DECODE_DEFAULT_MAX_ENTRIES;
	o->limits.max_total = DECODE_DEFAULT_MAX_TOTAL;
	o->total_used = NULL;
}

const char *decoder_name(unsigned bit)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(decoders); i++)
		if (decoders[i].bit == bit)
			return decoders[i].name;
	return NULL;
}

/* The bit of the name p[0..n), or 0. "all" and "none" are not names. */
static unsigned bit_of(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(decoders); i++)
		if (strlen(decoders[i].name) == n &&
		    !memcmp(decoders[i].name, p, n))
			return decoders[i].bit;
	return 0;
}

unsigned decoder_bit(const char *name)
{
	return bit_of(name, strlen(name));
}

int decode_parse_list(const char *list, unsigned *enabled)
{
	unsigned bits = 0;
	const char *p = list;

	if (!strcmp(list, "all")) {
		*enabled = DECODE_ALL;
		return 0;
	}
	if (!strcmp(list, "none")) {
		*enabled = 0;
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned bit = bit_of(p, n);

		if (!bit)
			return error_set(
				NFG_EINVAL,
				"unknown decoder '%.*s' (known: base64, "
				"utf16, gzip, zlib, bzip2, xz, zip, "
				"tar, all, none)",
				(int)(n > 64 ? 64 : n), p);
		bits |= bit;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!bits)
		return error_set(NFG_EINVAL, "empty --decode list");
	*enabled = bits;
	return 0;
}

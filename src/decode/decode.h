/*
 * Decoding: the layer between every source and the engine that finds
 * tokens in disguise (base64, UTF-16, compressed streams, archives). This
 * header holds what all decoders share: which ones run, the limits that
 * bound what one input may expand to, and the run-wide budget.
 *
 * Arrows: engine <- decode <- source. Nothing here knows files or git.
 */
#ifndef NFG_DECODE_DECODE_H
#define NFG_DECODE_DECODE_H

#include <stdint.h>

/* The decoders, as bits of decode_opts.enabled; names for --decode. */
enum decoder {
	DECODE_BASE64 = 1u << 0, /* "base64": standard and URL-safe */
	DECODE_UTF16 = 1u << 1,	 /* "utf16": little- and big-endian */
	DECODE_GZIP = 1u << 2,	 /* "gzip" */
	DECODE_ZLIB = 1u << 3,	 /* "zlib" */
	DECODE_BZIP2 = 1u << 4,	 /* "bzip2" */
	DECODE_XZ = 1u << 5,	 /* "xz" */
	DECODE_ZIP = 1u << 6,	 /* "zip" (jar, apk, whl, docx, xlsx...) */
	DECODE_TAR = 1u << 7,	 /* "tar" */
	DECODE_ALL = (1u << 8) - 1
};

/*
 * Bounds on what one input may decode to. An input is what a source hands
 * over: a file, stdin, a git blob. Reaching a bound stops decoding that
 * input (what was decoded is still scanned) and is reported.
 */
struct decode_limits {
	unsigned depth;	      /* decoding layers on top of the raw bytes */
	uint64_t max_bytes;   /* decoded bytes from one input */
	uint64_t max_entries; /* archive entries from one input, all depths */
	uint64_t max_total;   /* decoded bytes in the whole run */
};

#define DECODE_DEFAULT_DEPTH	   8
#define DECODE_DEFAULT_MAX_BYTES   ((uint64_t)256 << 20)
#define DECODE_DEFAULT_MAX_ENTRIES ((uint64_t)100000)
#define DECODE_DEFAULT_MAX_TOTAL   ((uint64_t)16 << 30)

/* What a run decodes, and within which bounds. */
struct decode_opts {
	unsigned enabled; /* enum decoder bits */
	struct decode_limits limits;
	uint64_t *total_used; /* the run's decoded bytes (atomic), or NULL */
};

/* The decoders that open an input whole: compressions and archives. */
#define DECODE_CONTAINERS                                                      \
	(DECODE_GZIP | DECODE_ZLIB | DECODE_BZIP2 | DECODE_XZ | DECODE_ZIP |   \
	 DECODE_TAR)

/* enabled = DECODE_ALL, every limit at its default, no run counter. */
void decode_opts_default(struct decode_opts *o);

/*
 * Parses a --decode list ("base64,gzip"; "all"; "none" for nothing) into
 * *enabled. NFG_EINVAL naming the unknown decoder.
 */
int decode_parse_list(const char *list, unsigned *enabled);

/* The name of one decoder bit ("base64"), or NULL. */
const char *decoder_name(unsigned bit);

/* The bit of a decoder's name, or 0. */
unsigned decoder_bit(const char *name);

#endif

/*
 * Compressed streams and archives: turns one input's bytes into the leaf
 * streams inside it (gzip, zlib, bzip2, xz; zip and tar entries, nested),
 * within the limits of decode.h. Knows nothing of files, git, findings or
 * the engine: bytes come from a read_fn, leaves go to a callback.
 *
 * gzip, bzip2, zip and tar are read with libarchive, zlib with zlib, xz
 * with liblzma. zlib's and liblzma's memory, and the walk's own buffers,
 * are wiped when freed; libarchive keeps decoded bytes in buffers of its
 * own that cannot be wiped from outside.
 */
#ifndef NFG_DECODE_CONTAINER_H
#define NFG_DECODE_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "engine/engine.h"

/* The most bytes container_sniff looks at. */
#define CONTAINER_SNIFF 4096

/* The longest entry name kept in a path or chain element, in bytes. */
#define CONTAINER_NAME_MAX 255

/*
 * The memory an xz stream may take to decode (its dictionary, mostly):
 * xz's presets need at most 65 MiB (-9); a crafted header may ask for
 * 1.5 GiB, per thread. A stream over it is not decoded: a limit reached.
 */
#define CONTAINER_XZ_MEMLIMIT ((uint64_t)80 << 20)

/* Layers one walk ever opens, whatever limits->depth says. */
#define CONTAINER_DEPTH_MAX 32

/*
 * Which container or compression p[0..n) starts with, among the enabled
 * decoder bits: one of DECODE_GZIP, _ZLIB, _BZIP2, _XZ, _ZIP, _TAR, or 0
 * (not one: the caller scans the bytes as they are). n is up to
 * CONTAINER_SNIFF; fewer means p holds the whole input. Decided from the
 * content only, strictly enough that text and ordinary binaries are not
 * taken for one: gzip's magic, method and flags; zlib's header and a
 * trial inflate of p that fails nowhere (and ends, when p is the whole
 * input); bzip2's magic and first block or end marker; xz's magic; a zip
 * local header or an empty zip's end record; a tar header's checksum.
 */
unsigned container_sniff(const unsigned char *p, size_t n, unsigned enabled);

/*
 * One leaf: an entry that is not itself a container (or whose decoder is
 * not enabled). Everything is borrowed, valid during the callback only.
 *
 * path: the archive entry names from the outside in, joined by '!'
 * ("inner.zip!conf/app.env"); compressions add no name, so a bare gzip
 * stream's leaf is "". Names are hostile: each is cut to
 * CONTAINER_NAME_MAX bytes and its control bytes are replaced by '?';
 * a '!' inside a name is kept as it is, so a path does not always split
 * back into its names. Never use a path as a file name. It may hold a
 * token: redact it like any path.
 *
 * chain[0..nchain): the layers from the outside in: "gzip", "zlib",
 * "bzip2", "xz" for a compression (twice for a gzip in a gzip),
 * "zip:NAME" or "tar:NAME" for an entry.
 *
 * read/rctx: the leaf's decoded bytes from its first. It returns 0 at the
 * leaf's end and also where decoding stopped (a limit, corrupt data, a
 * failed read of the input); the walk reports why through its problem
 * callback once cb has returned. It never returns an error.
 */
struct container_entry {
	const char *path;
	const char *const *chain;
	size_t nchain;
	read_fn read;
	void *rctx;
};

/* Called for each leaf; a non-zero return stops the walk and is returned. */
typedef int (*container_entry_fn)(void *ctx, const struct container_entry *e);

/*
 * Called for what the walk could not decode: is_limit 1 when a limit of
 * decode.h was reached (the message names it and its flag), 0 for a
 * corrupt, truncated, encrypted or unreadable part (the message says
 * why). msg is one line without a newline, borrowed; it may hold entry
 * names (control bytes replaced), so redact it like a path.
 */
typedef void (*container_problem_fn)(void *ctx, int is_limit, const char *msg);

/*
 * Walks the container whose first bytes sniffed as format (one bit that
 * container_sniff gave for enabled): every leaf at every depth, in
 * archive order, each handed to cb, which reads it or not before it
 * returns (the walk reads and counts what cb left). An entry that itself
 * sniffs as a container is walked in its place. rd/rctx give the input's
 * bytes from its first (rd's errors are reported as problems, not
 * returned). Only regular files are leaves: directories, links and
 * devices are skipped without a word.
 *
 * Bounds, each reported once through problem(ctx, 1, ...):
 *  - limits->depth (at most CONTAINER_DEPTH_MAX): the layers of a leaf's
 *    chain; an entry that would open a layer beyond it is skipped (the
 *    message names it) and its siblings are still walked;
 *  - limits->max_bytes: bytes decoded from this input, summed over the
 *    layers (a .tar.gz's content counts once out of gzip, once out of
 *    tar): the walk stops where it is reached;
 *  - limits->max_entries: archive entries of this input at all depths,
 *    directories included: the walk stops at the one past it;
 *  - limits->max_total: bytes decoded in the whole run, counted in
 *    *total_used, which threads share (added to atomically): the walk
 *    stops where it is reached.
 * A leaf being read when a byte limit is reached ends there; what was
 * handed out stays handed out. A corrupt or truncated layer, an
 * encrypted entry or a format the reader refuses: problem(ctx, 0, ...),
 * what cannot be read is skipped and the walk goes on where it can.
 *
 * Returns 0 (also after a limit or a problem), cb's non-zero code,
 * NFG_ENOMEM, or NFG_EINVAL (nothing read) when format is not one of the
 * bits container_sniff gives.
 */
int container_walk(unsigned format, unsigned enabled,
		   const struct decode_limits *limits, uint64_t *total_used,
		   read_fn rd, void *rctx, container_entry_fn cb, void *cbctx,
		   container_problem_fn problem, void *pctx);

#endif

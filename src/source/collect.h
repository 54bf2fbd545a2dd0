/*
 * Shared by the sources: turning engine hits into findings, and reading a
 * file descriptor for the stream scanner. Private to src/source/.
 */
#ifndef NFG_SOURCE_COLLECT_H
#define NFG_SOURCE_COLLECT_H

#include "engine/engine.h"
#include "finding/finding.h"

struct collect_ctx {
	const struct ruleset *rs;
	const char *path; /* the findings' path */
	struct findings *out;
};

/* A hit_fn that appends a finding for each hit to ctx->out. */
int collect_hit(void *ctx, const struct hit *h);

/* A read_fn over a file descriptor (ctx points to an int), EINTR-safe. */
long read_fd(void *ctx, char *dst, size_t len);

#endif

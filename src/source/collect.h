/*
 * The one seam between the sources and the engine: every byte a source
 * reads reaches the engine through this pair, which turns each hit into a
 * finding with the source's path. Decoding (escapes, base64, archives)
 * plugs in here, once for every source. Private to src/source/.
 */
#ifndef NFG_SOURCE_COLLECT_H
#define NFG_SOURCE_COLLECT_H

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>

#include "engine/engine.h"
#include "finding/finding.h"
#include "source/source.h"

/*
 * Scans data[0..len) with sc (a scanner of rs), appending a finding at
 * path for each hit to out. path NULL: not known yet (a blob read ahead
 * of the walk): no path allow applies and findings get "". 0, or the
 * engine's or NFG_ENOMEM's code.
 */
int source_scan_mem(struct scanner *sc, const struct ruleset *rs,
		    const char *path, const char *data, size_t len,
		    struct findings *out);

/*
 * The same for everything readable from fd, in chunks; *bytes gets what
 * was read. NFG_EIO (last error "read failed: REASON") when a read fails.
 */
int source_scan_fd(struct scanner *sc, const struct ruleset *rs,
		   const char *path, int fd, struct findings *out,
		   uint64_t *bytes);

/*
 * Formats a problem, counts it in t (errors or unreadable inputs) and
 * hands it to fn, all under lock: a source whose threads report
 * concurrently calls this, so the callback never runs twice at once.
 */
void source_problem(pthread_mutex_t *lock, struct scan_totals *t, problem_fn fn,
		    void *ctx, enum problem_kind kind, const char *fmt,
		    va_list ap) __attribute__((format(printf, 6, 0)));

#endif

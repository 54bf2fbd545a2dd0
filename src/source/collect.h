/*
 * The one seam between the sources and the engine: every byte a source
 * reads reaches the engine through a collector, which turns each hit into
 * a finding with the source's path and runs the decoders (src/decode/)
 * on the way, once for every source. Private to src/source/.
 */
#ifndef NFG_SOURCE_COLLECT_H
#define NFG_SOURCE_COLLECT_H

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>

#include "decode/decode.h"
#include "engine/engine.h"
#include "finding/finding.h"
#include "source/source.h"

/*
 * What a source's collectors share, all borrowed: the rules, the
 * decoding asked for (NULL: none), and where problems go (problem called
 * under lock, which also guards totals).
 */
struct collect_env {
	const struct ruleset *rs;
	const struct decode_opts *decode;
	pthread_mutex_t *lock;
	struct scan_totals *totals;
	problem_fn problem;
	void *pctx;
};

/* One thread's scanner and decoders. */
struct collector;

/* 0 or NFG_ENOMEM. env is copied; what it points to is borrowed. */
int collector_new(struct collector **out, const struct collect_env *env);
void collector_free(struct collector *c);

/*
 * Scans data[0..len) and what the decoders find in it, appending a
 * finding at path for each hit to out. path NULL: not known yet (a blob
 * read ahead of the walk): no path allow applies and findings get ""
 * (finding_set_path adds archive entries once it is known). Problems
 * (a decoding bound reached) are reported and counted, not returned.
 * 0, or the engine's or NFG_ENOMEM's code.
 */
int source_scan_mem(struct collector *c, const char *path, const char *data,
		    size_t len, struct findings *out);

/*
 * The same for everything readable from fd, in chunks; *bytes gets what
 * was read. NFG_EIO (last error "read failed: REASON") when a read fails.
 */
int source_scan_fd(struct collector *c, const char *path, int fd,
		   struct findings *out, uint64_t *bytes);

/*
 * Formats a problem, counts it in t (errors or unreadable inputs) and
 * hands it to fn, all under lock: a source whose threads report
 * concurrently calls this, so the callback never runs twice at once.
 */
void source_problem(pthread_mutex_t *lock, struct scan_totals *t, problem_fn fn,
		    void *ctx, enum problem_kind kind, const char *fmt,
		    va_list ap) __attribute__((format(printf, 6, 0)));

#endif

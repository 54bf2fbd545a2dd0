/*
 * The seam between the sources and the engine: the only caller of the
 * scanner's scan functions, with the hit-to-finding callback and the file
 * descriptor reader they share; and the problem report every source uses.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/collect.h"

#include <unistd.h>

struct collect_ctx {
	const struct ruleset *rs;
	const char *path; /* the findings' path */
	struct findings *out;
};

/* Appends a finding for the hit to ctx->out. */
static int collect_hit(void *ctx, const struct hit *h)
{
	struct collect_ctx *c = ctx;
	struct finding f;
	int err;

	if ((err = finding_init_hit(&f, ruleset_rule(c->rs, h->rule), h,
				    c->path)))
		return err;
	if ((err = findings_push(c->out, &f)))
		finding_release(&f);
	return err;
}

/* A read_fn over a file descriptor (ctx points to an int), EINTR-safe. */
static long read_fd(void *ctx, char *dst, size_t len)
{
	int fd = *(int *)ctx;
	ssize_t n;

	do
		n = read(fd, dst, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_set_errno(NFG_EIO, errno, "read failed");
	return (long)n;
}

int source_scan_mem(struct scanner *sc, const struct ruleset *rs,
		    const char *path, const char *data, size_t len,
		    struct findings *out)
{
	struct collect_ctx cc = {rs, path ? path : "", out};

	return scanner_scan_mem(sc, path, data, len, collect_hit, &cc);
}

int source_scan_fd(struct scanner *sc, const struct ruleset *rs,
		   const char *path, int fd, struct findings *out,
		   uint64_t *bytes)
{
	struct collect_ctx cc = {rs, path, out};

	return scanner_scan_stream(sc, path, read_fd, &fd, collect_hit, &cc,
				   bytes);
}

void source_problem(pthread_mutex_t *lock, struct scan_totals *t, problem_fn fn,
		    void *ctx, enum problem_kind kind, const char *fmt,
		    va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	pthread_mutex_lock(lock);
	if (kind == PROBLEM_ERROR)
		t->errors++;
	else if (kind == PROBLEM_UNREADABLE)
		t->unreadable++;
	fn(ctx, kind, msg);
	pthread_mutex_unlock(lock);
}

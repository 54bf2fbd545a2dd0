/*
 * The seam between the sources and the engine: the only caller of the
 * scanner's scan functions, with the hit-to-finding callback and the file
 * descriptor reader they share, the decoders on the way, and the problem
 * report every source uses.
 */
#include "util/common.h"
#include "util/error.h"
#include "decode/intext.h"
#include "source/collect.h"

#include <unistd.h>

struct collector {
	struct collect_env env;
	struct scanner *sc;
	struct intext *it; /* NULL when no in-text decoder runs */
};

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
	if ((f.nencoding && (err = finding_set_path(&f, c->path))) ||
	    (err = findings_push(c->out, &f)))
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

int collector_new(struct collector **out, const struct collect_env *env)
{
	struct collector *c;
	const struct decode_opts *d = env->decode;
	int err;

	*out = NULL;
	if (!(c = calloc(1, sizeof(*c))))
		return error_nomem();
	c->env = *env;
	if ((err = scanner_new(&c->sc, env->rs)) ||
	    (d && (d->enabled & (DECODE_BASE64 | DECODE_UTF16)) &&
	     (err = intext_new(&c->it, env->rs, d->limits.depth)))) {
		collector_free(c);
		return err;
	}
	*out = c;
	return 0;
}

void collector_free(struct collector *c)
{
	if (!c)
		return;
	scanner_free(c->sc);
	intext_free(c->it);
	free(c);
}

static void report(struct collector *c, enum problem_kind kind, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));

static void report(struct collector *c, enum problem_kind kind, const char *fmt,
		   ...)
{
	va_list ap;

	va_start(ap, fmt);
	source_problem(c->env.lock, c->env.totals, c->env.problem, c->env.pctx,
		       kind, fmt, ap);
	va_end(ap);
}

/* Before one input: the decoders start afresh. */
static void begin(struct collector *c)
{
	if (c->it)
		intext_attach(c->it, c->sc, c->env.decode->limits.depth);
}

/* After one input: what a bound left undecoded is said and counted. */
static void end(struct collector *c, const char *path)
{
	uint64_t n = c->it ? intext_depth_limited(c->it) : 0;

	if (!n)
		return;
	pthread_mutex_lock(c->env.lock);
	c->env.totals->decode_limited++;
	pthread_mutex_unlock(c->env.lock);
	report(c, PROBLEM_ERROR,
	       "'%s': encoded text nested deeper than %u layer%s was not "
	       "decoded (--decode-depth)",
	       path && *path ? path : "(blob)", c->env.decode->limits.depth,
	       c->env.decode->limits.depth == 1 ? "" : "s");
}

int source_scan_mem(struct collector *c, const char *path, const char *data,
		    size_t len, struct findings *out)
{
	struct collect_ctx cc = {c->env.rs, path ? path : "", out};
	int err;

	begin(c);
	err = scanner_scan_mem(c->sc, path, data, len, collect_hit, &cc);
	end(c, path);
	return err;
}

int source_scan_fd(struct collector *c, const char *path, int fd,
		   struct findings *out, uint64_t *bytes)
{
	struct collect_ctx cc = {c->env.rs, path, out};
	int err;

	begin(c);
	err = scanner_scan_stream(c->sc, path, read_fd, &fd, collect_hit, &cc,
				  bytes);
	end(c, path);
	return err;
}

void scan_totals_add(struct scan_totals *dst, const struct scan_totals *src)
{
	dst->files += src->files;
	dst->bytes += src->bytes;
	dst->unreadable += src->unreadable;
	dst->errors += src->errors;
	dst->git_dirs_skipped += src->git_dirs_skipped;
	dst->lfs_pointers += src->lfs_pointers;
	dst->lfs_missing += src->lfs_missing;
	dst->lfs_malformed += src->lfs_malformed;
	dst->changed += src->changed;
	dst->objects_corrupt += src->objects_corrupt;
	dst->decode_limited += src->decode_limited;
	dst->decode_failed += src->decode_failed;
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

/*
 * The seam between the sources and the engine: the only caller of the
 * scanner's scan functions, with the hit-to-finding callback and the file
 * descriptor reader they share, the decoders on the way, and the problem
 * report every source uses. A container's raw bytes are scanned too, as
 * --no-decode scans them, so decoding never finds less than that.
 */
#include "util/common.h"
#include "util/error.h"
#include "decode/container.h"
#include "decode/intext.h"
#include "source/collect.h"

#include <unistd.h>

struct collector {
	struct collect_env env;
	struct scanner *sc;
	struct intext *it;    /* NULL when no in-text decoder runs */
	unsigned containers;  /* the container decoders that run */
	unsigned char *head;  /* a stream's first bytes, when they do */
	uint64_t own_total;   /* the run's count, when env has none */
	int limited, failed;  /* the input's containers: problems met */
	const char *input;    /* the input's name in problems */
	struct scanner *raw;  /* a container input's raw bytes, as they pass */
	struct findings held; /* raw findings until the walk has ended */
	char *drain;	      /* the raw bytes the walk left, CONTAINER_SNIFF */
};

/*
 * Raw findings of one container input held back until its walk has ended
 * (a stored zip entry or a plain tar holds its tokens in the raw bytes
 * too, and those doubles are dropped then). A finding takes a few hundred
 * bytes: this keeps a thread's hold near a megabyte. Past it, raw findings
 * are reported at once: a token may then show twice, none is lost.
 */
#define RAW_HOLD_MAX 4096

struct collect_ctx {
	const struct ruleset *rs;
	const char *path; /* the findings' path */
	struct findings *out;
	const char *const *outer; /* container layers around the bytes */
	size_t nouter;
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
	if ((err = finding_wrap_encoding(&f, c->outer, c->nouter)) ||
	    (f.nencoding && (err = finding_set_path(&f, c->path))) ||
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
	c->containers = d ? d->enabled & DECODE_CONTAINERS : 0;
	findings_init(&c->held);
	if (c->containers && (!(c->head = malloc(CONTAINER_SNIFF)) ||
			      !(c->drain = malloc(CONTAINER_SNIFF)))) {
		collector_free(c);
		return error_nomem();
	}
	if ((err = scanner_new(&c->sc, env->rs)) ||
	    (c->containers && (err = scanner_new(&c->raw, env->rs))) ||
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
	scanner_free(c->raw);
	intext_free(c->it);
	findings_release(&c->held);
	free(c->head);
	free(c->drain);
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

/* Counts one input into decode_limited or decode_failed. */
static void count(struct collector *c, uint64_t *counter)
{
	pthread_mutex_lock(c->env.lock);
	(*counter)++;
	pthread_mutex_unlock(c->env.lock);
}

/*
 * Scans one stream of an input (the input itself, or a leaf inside its
 * containers, outer[0..nouter) its layers): text decoders may peel what
 * the depth bound leaves after those layers; a literal they could not
 * reach is said and counted once per input.
 */
static int scan_one(struct collector *c, const char *path, read_fn rd,
		    void *rctx, const char *data, size_t len,
		    const char *const *outer, size_t nouter,
		    struct findings *out, uint64_t *bytes)
{
	struct collect_ctx cc = {c->env.rs, path ? path : "", out, outer,
				 nouter};
	unsigned depth = c->env.decode ? c->env.decode->limits.depth : 0;
	int err;

	if (c->it)
		intext_attach(c->it, c->sc,
			      depth > nouter ? depth - (unsigned)nouter : 0);
	err = rd ? scanner_scan_stream(c->sc, path, rd, rctx, collect_hit, &cc,
				       bytes)
		 : scanner_scan_mem(c->sc, path, data, len, collect_hit, &cc);
	if (c->it && intext_depth_limited(c->it) && !c->limited) {
		c->limited = 1;
		count(c, &c->env.totals->decode_limited);
		report(c, PROBLEM_ERROR,
		       "'%s': encoded text nested deeper than %u layer%s was "
		       "not decoded (--decode-depth)",
		       c->input, depth, depth == 1 ? "" : "s");
	}
	return err;
}

/* A problem of the container walk: an error naming the input. */
static void on_container_problem(void *ctx, int is_limit, const char *msg)
{
	struct collector *c = ctx;

	if (is_limit && !c->limited) {
		c->limited = 1;
		count(c, &c->env.totals->decode_limited);
	} else if (!is_limit && !c->failed) {
		c->failed = 1;
		count(c, &c->env.totals->decode_failed);
	}
	report(c, PROBLEM_ERROR, "'%s': %s", c->input, msg);
}

struct leaf_ctx {
	struct collector *c;
	const char *path;
	struct findings *out;
};

/* A leaf inside the input's containers, scanned with its layers. */
static int on_leaf(void *ctx, const struct container_entry *e)
{
	struct leaf_ctx *l = ctx;

	return scan_one(l->c, l->path, e->read, e->rctx, NULL, 0, e->chain,
			e->nchain, l->out, NULL);
}

/*
 * The input's bytes on their way to the container walk, fed to the raw
 * scan as they pass; after the walk, the bytes it left are read here too.
 */
struct tee {
	struct collector *c;
	read_fn rd;
	void *rctx;
	int done; /* rd met its end or failed: it is not read again */
};

static long read_tee(void *ctx, char *dst, size_t len)
{
	struct tee *t = ctx;
	long n;
	int err;

	if (t->done)
		return 0;
	if ((n = t->rd(t->rctx, dst, len)) <= 0) {
		t->done = 1;
		return n;
	}
	if ((err = scanner_feed(t->c->raw, dst, (size_t)n)))
		return err;
	return n;
}

/* The raw scan's hits: held back, or past RAW_HOLD_MAX reported at once. */
struct raw_ctx {
	struct collect_ctx cc; /* cc.out: c->held, then out */
	struct findings *out;
};

static int collect_raw(void *ctx, const struct hit *h)
{
	struct raw_ctx *r = ctx;

	if (r->cc.out != r->out && r->cc.out->n >= RAW_HOLD_MAX)
		r->cc.out = r->out;
	return collect_hit(&r->cc, h);
}

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(a, b, FINGERPRINT_DIGEST_LEN);
}

/*
 * Moves the held raw findings to out, but those whose token a finding
 * from inside the containers (one with an encoding, in out[from..))
 * holds: the same token found in the raw bytes is not reported twice.
 */
static int release_held(struct collector *c, struct findings *out, size_t from)
{
	unsigned char(*inside)[FINGERPRINT_DIGEST_LEN] = NULL;
	size_t i, n = 0;
	int err = 0;

	if (!c->held.n)
		return 0;
	if (out->n > from &&
	    !(inside = malloc((out->n - from) * sizeof(*inside))))
		return error_nomem();
	for (i = from; i < out->n; i++)
		if (out->v[i].nencoding)
			memcpy(inside[n++], out->v[i].digest,
			       FINGERPRINT_DIGEST_LEN);
	if (n > 1)
		qsort(inside, n, sizeof(*inside), cmp_digest);
	for (i = 0; i < c->held.n; i++) {
		struct finding *f = &c->held.v[i];

		if (err || (n && bsearch(f->digest, inside, n, sizeof(*inside),
					 cmp_digest)))
			finding_release(f);
		else
			err = findings_push(out, f);
	}
	c->held.n = 0;
	free(inside);
	return err;
}

/*
 * Walks the containers of an input whose first bytes sniffed as fmt, and
 * scans its raw bytes as they pass, then those the walk left (after a
 * gzip member, a tar's end blocks or a zip's central directory; all of
 * them when a limit stopped it): a raw finding whose token the walk found
 * inside is dropped, the others are reported where they stand, plain.
 */
static int walk(struct collector *c, unsigned fmt, const char *path, read_fn rd,
		void *rctx, struct findings *out)
{
	const struct decode_opts *d = c->env.decode;
	struct leaf_ctx l = {c, path, out};
	struct raw_ctx r = {{c->env.rs, path ? path : "", &c->held, NULL, 0},
			    out};
	struct tee t = {c, rd, rctx, 0};
	size_t from = out->n;
	long n = 0;
	int err, end;

	scanner_feed_begin(c->raw, path, collect_raw, &r);
	err = container_walk(fmt, d->enabled, &d->limits,
			     d->total_used ? d->total_used : &c->own_total,
			     read_tee, &t, on_leaf, &l, on_container_problem,
			     c);
	while (!err && (n = read_tee(&t, c->drain, CONTAINER_SNIFF)) > 0)
		;
	explicit_bzero(c->drain, CONTAINER_SNIFF);
	if (!err && n < 0)
		err = (int)n;
	end = scanner_feed_end(c->raw);
	if (!err)
		err = end;
	if (!err)
		return release_held(c, out, from);
	for (; c->held.n; c->held.n--)
		finding_release(&c->held.v[c->held.n - 1]);
	return err;
}

/* Before one input: its problems are its own. */
static void begin(struct collector *c, const char *path)
{
	c->limited = 0;
	c->failed = 0;
	c->input = path && *path ? path : "(blob)";
}

/* A read_fn over memory. */
struct mem_reader {
	const char *p;
	size_t n, at;
};

static long read_mem(void *ctx, char *dst, size_t len)
{
	struct mem_reader *m = ctx;
	size_t k = m->n - m->at < len ? m->n - m->at : len;

	memcpy(dst, m->p + m->at, k);
	m->at += k;
	return (long)k;
}

int source_scan_mem(struct collector *c, const char *path, const char *data,
		    size_t len, struct findings *out)
{
	unsigned fmt = 0;

	begin(c, path);
	if (c->containers)
		fmt = container_sniff((const unsigned char *)data,
				      len < CONTAINER_SNIFF ? len
							    : CONTAINER_SNIFF,
				      c->containers);
	if (fmt) {
		struct mem_reader m = {data, len, 0};

		return walk(c, fmt, path, read_mem, &m, out);
	}
	return scan_one(c, path, NULL, NULL, data, len, NULL, 0, out, NULL);
}

/* A read_fn over a file descriptor whose first bytes were read ahead. */
struct fd_reader {
	const char *head;
	size_t nhead, at;
	int fd;
	uint64_t bytes; /* read from fd */
	int eof;	/* the read ahead met the end: no read is needed */
};

static long read_fd_after(void *ctx, char *dst, size_t len)
{
	struct fd_reader *r = ctx;
	long n;

	if (r->at < r->nhead) {
		size_t k = r->nhead - r->at < len ? r->nhead - r->at : len;

		memcpy(dst, r->head + r->at, k);
		r->at += k;
		return (long)k;
	}
	if (r->eof)
		return 0;
	if ((n = read_fd(&r->fd, dst, len)) > 0)
		r->bytes += (uint64_t)n;
	return n;
}

int source_scan_fd(struct collector *c, const char *path, int fd,
		   struct findings *out, uint64_t *bytes)
{
	struct fd_reader r = {(const char *)c->head, 0, 0, fd, 0, 0};
	unsigned fmt = 0;
	int err;

	begin(c, path);
	*bytes = 0;
	if (!c->containers)
		return scan_one(c, path, read_fd, &fd, NULL, 0, NULL, 0, out,
				bytes);
	/* The first bytes decide; the scan reads them again. */
	while (r.nhead < CONTAINER_SNIFF) {
		long n = read_fd(&fd, (char *)c->head + r.nhead,
				 CONTAINER_SNIFF - r.nhead);

		if (n < 0)
			return (int)n;
		if (!n) {
			r.eof = 1;
			break;
		}
		r.nhead += (size_t)n;
	}
	r.bytes = r.nhead;
	fmt = container_sniff(c->head, r.nhead, c->containers);
	if (!fmt) {
		err = scan_one(c, path, read_fd_after, &r, NULL, 0, NULL, 0,
			       out, NULL);
	} else {
		/* A failed read is one of the walk's problems, said there. */
		err = walk(c, fmt, path, read_fd_after, &r, out);
	}
	explicit_bzero(c->head, r.nhead);
	*bytes = r.bytes;
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
	dst->excluded += src->excluded;
	dst->too_large += src->too_large;
}

void source_problem(pthread_mutex_t *lock, struct scan_totals *t, problem_fn fn,
		    void *ctx, enum problem_kind kind, const char *fmt,
		    va_list ap)
{
	char msg[1024];

	error_vformat(msg, sizeof(msg), "", fmt, ap);
	pthread_mutex_lock(lock);
	if (kind == PROBLEM_ERROR)
		t->errors++;
	else if (kind == PROBLEM_UNREADABLE)
		t->unreadable++;
	fn(ctx, kind, msg);
	pthread_mutex_unlock(lock);
}

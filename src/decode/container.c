/*
 * Compressed streams and archives, walked one layer over another with an
 * explicit stack: layer 0 is the input, each layer above reads the
 * current entry of the one below (libarchive, loaded on first use, for
 * gzip, bzip2, zip and tar; zlib's inflate for zlib, liblzma for xz, each with
 * a wiping allocator and xz with a memory limit) and every decoded byte is
 * counted.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/wipe.h"
#include "decode/archive_load.h"
#include "decode/container.h"

#include <lzma.h>
#include <zlib.h>

/* What one layer pulls from the layer below at a time. */
#define LAYER_BUF ((size_t)64 << 10)

/* The decoder bits container_sniff may give. */
#define CONTAINER_KINDS                                                        \
	(DECODE_GZIP | DECODE_ZLIB | DECODE_BZIP2 | DECODE_XZ | DECODE_ZIP |   \
	 DECODE_TAR)

/* The longest problem message. */
#define MSG_MAX 640

struct walk;

struct layer {
	struct walk *w;
	size_t idx;
	unsigned kind; /* DECODE_* bit; 0 for the input */
	struct archive *ar;
	const struct archive_fns *la; /* libarchive, with ar */
	z_stream zs;
	int zs_live;
	lzma_stream xs;
	int xs_live;
	int zs_end;   /* the zlib or xz stream ended */
	int in_end;   /* the entry below ended (xz finishes then) */
	size_t nelem; /* chain elements: 1, or gzip's stacked by libarchive */
	int given;    /* a compression's one entry was handed out */
	int retried;  /* a damaged header was skipped (and said) */
	int ended;    /* the current entry's data ended or failed */
	unsigned char *in;
	/* the current entry's first bytes, read to sniff them, replayed */
	unsigned char peek[CONTAINER_SNIFF];
	size_t npeek, peek_at;
	char name[CONTAINER_NAME_MAX + 1]; /* "" for a compression */
	char elem[CONTAINER_NAME_MAX + 5]; /* the chain element */
};

struct walk {
	unsigned enabled;
	unsigned depth;
	const struct decode_limits *lim;
	uint64_t *total_used;
	read_fn rd;
	void *rctx;
	container_problem_fn problem;
	void *pctx;
	struct layer *l; /* l[0..top] */
	size_t top;
	uint64_t bytes, entries;
	int stop;	   /* a limit was reached: no more decoding */
	int limit_pending; /* limit_msg not reported yet */
	int fail_pending;  /* fail_msg not reported yet */
	char limit_msg[MSG_MAX];
	char fail_msg[MSG_MAX];
	char path[(CONTAINER_NAME_MAX + 1) * CONTAINER_DEPTH_MAX];
	char where[(CONTAINER_NAME_MAX + 1) * CONTAINER_DEPTH_MAX];
	const char *chain[CONTAINER_DEPTH_MAX];
};

/* --- allocators ---------------------------------------------------------- */

/* zlib's and liblzma's windows hold decoded bytes: wiped when freed. */
static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return wipe_alloc(items, size);
}

static void zlib_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	wipe_free(p);
}

static void *xz_alloc(void *opaque, size_t nmemb, size_t size)
{
	(void)opaque;
	return wipe_alloc(nmemb, size);
}

static void xz_free(void *opaque, void *p)
{
	(void)opaque;
	wipe_free(p);
}

static const lzma_allocator xz_allocator = {xz_alloc, xz_free, NULL};

/* An inflate stream whose memory is wiped when freed. */
static int zlib_init(z_stream *zs)
{
	memset(zs, 0, sizeof(*zs));
	zs->zalloc = zlib_alloc;
	zs->zfree = zlib_free;
	return inflateInit(zs);
}

/* --- sniffing ----------------------------------------------------------- */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int is_gzip(const unsigned char *p, size_t n)
{
	/* magic, deflate, no reserved flag bit */
	return n >= 10 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 &&
	       !(p[3] & 0xe0);
}

static int is_bzip2(const unsigned char *p, size_t n)
{
	static const unsigned char block[6] = {0x31, 0x41, 0x59,
					       0x26, 0x53, 0x59};
	static const unsigned char end[6] = {0x17, 0x72, 0x45,
					     0x38, 0x50, 0x90};

	return n >= 10 && !memcmp(p, "BZh", 3) && p[3] >= '1' && p[3] <= '9' &&
	       (!memcmp(p + 4, block, 6) || !memcmp(p + 4, end, 6));
}

static int is_xz(const unsigned char *p, size_t n)
{
	static const unsigned char magic[6] = {0xfd, '7', 'z', 'X', 'Z', 0};

	/* magic, then stream flags and their CRC32 */
	return n >= 12 && !memcmp(p, magic, 6) && p[6] == 0 && p[7] < 16 &&
	       crc32(0, p + 6, 2) == le32(p + 8);
}

static int is_zip(const unsigned char *p, size_t n)
{
	return (n >= 30 && !memcmp(p, "PK\3\4", 4)) ||
	       (n >= 22 && !memcmp(p, "PK\5\6", 4));
}

static int is_tar(const unsigned char *p, size_t n)
{
	unsigned long want = 0, sum = 0;
	long ssum = 0;
	size_t i = 148, digits = 0;

	if (n < 512)
		return 0;
	while (i < 156 && p[i] == ' ')
		i++;
	for (; i < 156 && p[i] >= '0' && p[i] <= '7'; i++, digits++)
		want = want * 8 + (unsigned long)(p[i] - '0');
	if (!digits)
		return 0;
	for (; i < 156; i++)
		if (p[i] != ' ' && p[i] != 0)
			return 0;
	for (i = 0; i < 512; i++) {
		unsigned c = i >= 148 && i < 156 ? ' ' : p[i];

		sum += c;
		ssum += (signed char)c;
	}
	/* old writers summed signed chars; libarchive accepts both */
	return sum == want || (ssum >= 0 && (unsigned long)ssum == want);
}

/*
 * zlib: the header, then inflate p: no error anywhere, and the stream's
 * end when p is the whole input ("x^" opens a valid header, text goes
 * wrong within a few bytes).
 */
static int is_zlib(const unsigned char *p, size_t n)
{
	unsigned char out[16384];
	z_stream zs;
	int ret, ok = 0;

	if (n < 2 || (p[0] & 0x0f) != 8 || p[0] >> 4 > 7 ||
	    ((unsigned)p[0] << 8 | p[1]) % 31 || (p[1] & 0x20))
		return 0;
	if (zlib_init(&zs) != Z_OK)
		return 0;
	zs.next_in = (unsigned char *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	for (;;) {
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		ret = inflate(&zs, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			ok = 1;
			break;
		}
		if (ret != Z_OK && ret != Z_BUF_ERROR)
			break;
		if (!zs.avail_in) {
			ok = n >= CONTAINER_SNIFF;
			break;
		}
	}
	inflateEnd(&zs);
	explicit_bzero(out, sizeof(out));
	return ok;
}

unsigned container_sniff(const unsigned char *p, size_t n, unsigned enabled)
{
	static const struct {
		unsigned bit;
		int (*is)(const unsigned char *, size_t);
	} kinds[] = {
		{DECODE_GZIP, is_gzip}, {DECODE_BZIP2, is_bzip2},
		{DECODE_XZ, is_xz},	{DECODE_ZIP, is_zip},
		{DECODE_TAR, is_tar},	{DECODE_ZLIB, is_zlib},
	};
	size_t i;

	if (n > CONTAINER_SNIFF)
		n = CONTAINER_SNIFF;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if ((enabled & kinds[i].bit) && kinds[i].is(p, n))
			return kinds[i].bit;
	return 0;
}

/* --- problems ----------------------------------------------------------- */

/* Control bytes of hostile names and libarchive's messages become '?'. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/*
 * The path of the entries of layers 1..upto, joined by '!', into out
 * (w->path for a leaf, w->where for a message: a leaf's stays put while
 * a problem is written during its reading).
 */
static const char *walk_path(const struct walk *w, size_t upto, char *out)
{
	size_t i, at = 0;

	out[0] = 0;
	for (i = 1; i <= upto; i++) {
		size_t n = strlen(w->l[i].name);

		if (!n)
			continue;
		if (at)
			out[at++] = '!';
		memcpy(out + at, w->l[i].name, n + 1);
		at += n;
	}
	return out;
}

static void walk_limit(struct walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void walk_limit(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	if (w->stop)
		return;
	w->stop = 1;
	w->limit_pending = 1;
	va_start(ap, fmt);
	error_vformat(w->limit_msg, sizeof(w->limit_msg), "", fmt, ap);
	va_end(ap);
}

/* Keeps the first failure until it is reported: the rest follow from it. */
static void walk_fail(struct walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void walk_fail(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	if (w->fail_pending || w->stop)
		return;
	w->fail_pending = 1;
	va_start(ap, fmt);
	error_vformat(w->fail_msg, sizeof(w->fail_msg), "", fmt, ap);
	va_end(ap);
}

/* A layer's data is bad: names the layer and where, with libarchive's why. */
static void layer_fail(struct layer *L, const char *why)
{
	const char *at = walk_path(L->w, L->idx, L->w->where);

	walk_fail(L->w, "cannot decode %s%s%s%s: %s", decoder_name(L->kind),
		  *at ? " at '" : "", at, *at ? "'" : "",
		  why && *why ? why : "corrupt or truncated data");
}

/*
 * An xz stream needs more memory than CONTAINER_XZ_MEMLIMIT: that layer
 * ends (said as a limit once the leaf is done), the walk goes on.
 */
static void layer_limit(struct layer *L, uint64_t need)
{
	struct walk *w = L->w;
	const char *at = walk_path(w, L->idx, w->where);

	if (w->limit_pending)
		return;
	w->limit_pending = 1;
	error_format(
		w->limit_msg, sizeof(w->limit_msg),
		"xz stream%s%s%s not decoded: it needs %llu MiB of memory, "
		"over the limit of %llu MiB",
		*at ? " in '" : "", at, *at ? "'" : "",
		(unsigned long long)((need + (1 << 20) - 1) >> 20),
		(unsigned long long)(CONTAINER_XZ_MEMLIMIT >> 20));
}

static void walk_flush(struct walk *w)
{
	if (w->fail_pending) {
		w->fail_pending = 0;
		sanitize(w->fail_msg);
		w->problem(w->pctx, 0, w->fail_msg);
	}
	if (w->limit_pending) {
		w->limit_pending = 0;
		sanitize(w->limit_msg);
		w->problem(w->pctx, 1, w->limit_msg);
	}
}

/* The chain elements of layers 1..upto. */
static size_t walk_chain_len(const struct walk *w, size_t upto)
{
	size_t i, n = 0;

	for (i = 1; i <= upto; i++)
		n += w->l[i].nelem;
	return n;
}

/*
 * The current entry of layer upto is a container of kind that would take
 * the chain to layer beyond the depth: said at once, and the walk goes on
 * with its siblings.
 */
static void walk_too_deep(struct walk *w, unsigned kind, size_t layer,
			  size_t upto)
{
	const char *at = walk_path(w, upto, w->where);
	char msg[MSG_MAX];

	error_format(msg, sizeof(msg),
		     "%s%s%s%s not decoded: it would be decoding layer %zu, "
		     "beyond the limit of %u (--decode-depth)",
		     decoder_name(kind), *at ? " in '" : " stream", at,
		     *at ? "'" : "", layer, w->depth);
	sanitize(msg);
	w->problem(w->pctx, 1, msg);
}

/* --- reading ------------------------------------------------------------ */

/* n decoded bytes counted: how many of them are within the limits. */
static size_t walk_count(struct walk *w, size_t n)
{
	uint64_t old;

	if (n > w->lim->max_bytes - w->bytes) {
		n = (size_t)(w->lim->max_bytes - w->bytes);
		walk_limit(w,
			   "decoding stopped after %llu bytes decoded from "
			   "this input, its limit (--decode-max-bytes)",
			   (unsigned long long)w->lim->max_bytes);
	}
	w->bytes += n;
	old = __atomic_fetch_add(w->total_used, (uint64_t)n, __ATOMIC_RELAXED);
	if (old + n > w->lim->max_total) {
		n = old >= w->lim->max_total
			    ? 0
			    : (size_t)(w->lim->max_total - old);
		walk_limit(w,
			   "decoding stopped after %llu bytes decoded in "
			   "this run, its limit (--decode-max-total)",
			   (unsigned long long)w->lim->max_total);
	}
	return n;
}

/*
 * Reading layer k reads layer k-1: here directly, through libarchive's
 * read callback elsewhere. The calls nest once per open layer, at most
 * CONTAINER_DEPTH_MAX (checked before a layer opens), whatever the input.
 */
/* NOLINTBEGIN(misc-no-recursion) */
static long entry_read(void *ctx, char *dst, size_t len);

static long zlib_read(struct layer *L, char *dst, size_t len)
{
	z_stream *zs = &L->zs;
	int ret;

	zs->next_out = (unsigned char *)dst;
	zs->avail_out = (uInt)len;
	while (zs->avail_out == len && !L->zs_end) {
		if (!zs->avail_in) {
			long n = entry_read(L - 1, (char *)L->in, LAYER_BUF);

			if (n <= 0) {
				layer_fail(L, "truncated zlib stream");
				return -1;
			}
			zs->next_in = L->in;
			zs->avail_in = (uInt)n;
		}
		ret = inflate(zs, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			L->zs_end = 1;
			/* bytes after it were taken for zlib and are lost */
			if (zs->avail_in || entry_read(L - 1, (char *)L->in, 1))
				layer_fail(L, "data after the zlib stream");
		} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			layer_fail(L, zs->msg);
			return -1;
		}
	}
	return (long)(len - zs->avail_out);
}

/* Why liblzma stopped, in words. */
static const char *xz_why(lzma_ret ret)
{
	switch (ret) {
	case LZMA_FORMAT_ERROR:
		return "not an xz stream";
	case LZMA_OPTIONS_ERROR:
		return "unsupported xz options";
	case LZMA_DATA_ERROR:
		return "corrupt xz data";
	case LZMA_BUF_ERROR:
		return "truncated xz stream";
	case LZMA_MEM_ERROR:
		return "out of memory";
	default:
		return "xz decoder error";
	}
}

static long xz_read(struct layer *L, char *dst, size_t len)
{
	lzma_stream *xs = &L->xs;
	lzma_ret ret;

	xs->next_out = (uint8_t *)dst;
	xs->avail_out = len;
	while (xs->avail_out == len && !L->zs_end) {
		if (!xs->avail_in && !L->in_end) {
			long n = entry_read(L - 1, (char *)L->in, LAYER_BUF);

			if (n > 0) {
				xs->next_in = L->in;
				xs->avail_in = (size_t)n;
			} else {
				L->in_end = 1;
			}
		}
		/* concatenated streams: only the input's end ends them */
		ret = lzma_code(xs, L->in_end ? LZMA_FINISH : LZMA_RUN);
		if (ret == LZMA_STREAM_END) {
			L->zs_end = 1;
		} else if (ret == LZMA_MEMLIMIT_ERROR) {
			layer_limit(L, lzma_memusage(xs));
			return -1;
		} else if (ret != LZMA_OK) {
			layer_fail(L, xz_why(ret));
			return -1;
		}
	}
	return (long)(len - xs->avail_out);
}

/*
 * The current entry of layer ctx: its sniffed bytes again, then the rest,
 * counted; 0 at its end, where it failed or where a limit stopped it.
 * Layer 0 is the input.
 */
static long entry_read(void *ctx, char *dst, size_t len)
{
	struct layer *L = ctx;
	struct walk *w = L->w;
	long n;

	if (L->peek_at < L->npeek) {
		size_t k = L->npeek - L->peek_at;

		if (k > len)
			k = len;
		memcpy(dst, L->peek + L->peek_at, k);
		L->peek_at += k;
		return (long)k;
	}
	if (L->ended || w->stop || !len)
		return 0;
	if (len > LAYER_BUF)
		len = LAYER_BUF;
	if (!L->idx) {
		n = w->rd(w->rctx, dst, len);
		if (n < 0) {
			walk_fail(w, "cannot read the input: %s", error_last());
			L->ended = 1;
			return 0;
		}
		if (!n)
			L->ended = 1;
		return n;
	}
	if (L->kind == DECODE_ZLIB) {
		n = zlib_read(L, dst, len);
	} else if (L->kind == DECODE_XZ) {
		n = xz_read(L, dst, len);
	} else {
		n = (long)L->la->read_data(L->ar, dst, len);
		if (n < 0)
			layer_fail(L, L->la->error_string(L->ar));
	}
	if (n <= 0) {
		L->ended = 1;
		return 0;
	}
	return (long)walk_count(w, (size_t)n);
}
/* NOLINTEND(misc-no-recursion) */

/* libarchive's read callback: the current entry of the layer below. */
static la_ssize_t layer_pull(struct archive *a, void *ctx, const void **buf)
{
	struct layer *L = ctx;

	(void)a;
	*buf = L->in;
	return entry_read(L - 1, (char *)L->in, LAYER_BUF);
}

/* --- layers ------------------------------------------------------------- */

static void layer_close(struct walk *w)
{
	struct layer *L = &w->l[w->top];

	if (L->ar)
		L->la->read_free(L->ar);
	if (L->zs_live)
		inflateEnd(&L->zs);
	if (L->xs_live)
		lzma_end(&L->xs);
	if (L->in)
		explicit_bzero(L->in, LAYER_BUF);
	free(L->in);
	explicit_bzero(L, sizeof(*L));
	w->top--;
}

/*
 * Opens a layer of kind over the current entry of the top one. 0 (a
 * format libarchive refuses is a failure reported, with no layer
 * opened), or NFG_ENOMEM.
 */
static int layer_open(struct walk *w, unsigned kind)
{
	struct layer *L = &w->l[++w->top];
	const struct archive_fns *la;
	int r;

	L->w = w;
	L->idx = w->top;
	L->kind = kind;
	L->nelem = 1;
	L->in = malloc(LAYER_BUF);
	if (!L->in)
		goto nomem;
	if (kind == DECODE_ZLIB) {
		if (zlib_init(&L->zs) != Z_OK)
			goto nomem;
		L->zs_live = 1;
		return 0;
	}
	if (kind == DECODE_XZ) {
		L->xs = (lzma_stream)LZMA_STREAM_INIT;
		L->xs.allocator = &xz_allocator;
		if (lzma_stream_decoder(&L->xs, CONTAINER_XZ_MEMLIMIT,
					LZMA_CONCATENATED) != LZMA_OK)
			goto nomem;
		L->xs_live = 1;
		return 0;
	}
	/* without libarchive the layer cannot be read: said, as bad data */
	if (archive_load(&la)) {
		layer_fail(L, error_last());
		layer_close(w);
		return 0;
	}
	L->la = la;
	L->ar = la->read_new();
	if (!L->ar)
		goto nomem;
	/* only the one reader asked for: libarchive guesses nothing */
	r = kind == DECODE_GZIP	   ? la->support_filter_gzip(L->ar)
	    : kind == DECODE_BZIP2 ? la->support_filter_bzip2(L->ar)
	    : kind == DECODE_ZIP   ? la->support_format_zip(L->ar)
				   : la->support_format_tar(L->ar);
	if (r == ARCHIVE_OK && !(kind & (DECODE_ZIP | DECODE_TAR)))
		r = la->support_format_raw(L->ar);
	if (r == ARCHIVE_OK)
		r = la->read_open(L->ar, L, NULL, layer_pull, NULL);
	if (r != ARCHIVE_OK) {
		if (la->errno_(L->ar) == ENOMEM)
			goto nomem;
		layer_fail(L, la->error_string(L->ar));
		layer_close(w);
		return 0;
	}
	/* libarchive applies a filter again while it bids: gzip in gzip */
	if (la->filter_count(L->ar) > 2)
		L->nelem = (size_t)la->filter_count(L->ar) - 1;
	if (walk_chain_len(w, w->top) > w->depth) {
		walk_too_deep(w, kind, walk_chain_len(w, w->top), w->top - 1);
		layer_close(w);
	}
	return 0;
nomem:
	layer_close(w);
	return error_nomem();
}

/* Copies a hostile entry name into a chain element's room, cut and safe. */
static void layer_name(struct layer *L, const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n) {
		name = "?";
		n = 1;
	}
	if (n > CONTAINER_NAME_MAX)
		n = CONTAINER_NAME_MAX;
	memcpy(L->name, name, n);
	L->name[n] = 0;
	sanitize(L->name);
	snprintf(L->elem, sizeof(L->elem), "%s:%s", decoder_name(L->kind),
		 L->name);
}

enum { NEXT_END, NEXT_ENTRY, NEXT_SKIP };

/*
 * Moves layer L to its next entry: NEXT_ENTRY (a regular file, its name
 * and chain element set), NEXT_SKIP (not a leaf, or not readable:
 * reported) or NEXT_END (no more, or a limit reached).
 */
static int layer_next(struct walk *w, struct layer *L)
{
	struct archive_entry *e;
	int r;

	L->ended = 0;
	L->npeek = L->peek_at = 0;
	if (!(L->kind & (DECODE_ZIP | DECODE_TAR))) {
		if (L->given)
			return NEXT_END;
		L->given = 1;
		L->name[0] = 0;
		snprintf(L->elem, sizeof(L->elem), "%s", decoder_name(L->kind));
		if (L->ar &&
		    L->la->read_next_header(L->ar, &e) < ARCHIVE_WARN) {
			layer_fail(L, L->la->error_string(L->ar));
			return NEXT_END;
		}
		return NEXT_ENTRY;
	}
	if (w->stop)
		return NEXT_END;
	L->name[0] = 0;
	r = L->la->read_next_header(L->ar, &e);
	if (r == ARCHIVE_EOF)
		return NEXT_END;
	if (r == ARCHIVE_RETRY) {
		/* a damaged header: libarchive looks for the next good one */
		if (!L->retried)
			layer_fail(L, L->la->error_string(L->ar));
		L->retried = 1;
		return NEXT_SKIP;
	}
	if (r < ARCHIVE_WARN) {
		/* the reader's state is not trusted after a failed header */
		if (!w->stop)
			layer_fail(L, L->la->error_string(L->ar));
		return NEXT_END;
	}
	if (++w->entries > w->lim->max_entries) {
		walk_limit(
			w,
			"decoding stopped after %llu archive entries of this "
			"input, its limit (--decode-max-entries)",
			(unsigned long long)w->lim->max_entries);
		return NEXT_END;
	}
	if (L->la->entry_filetype(e) != AE_IFREG || L->la->entry_hardlink(e))
		return NEXT_SKIP;
	layer_name(L, L->la->entry_pathname(e));
	if (L->la->entry_is_encrypted(e)) {
		walk_fail(w, "encrypted entry '%s' not decoded",
			  walk_path(w, L->idx, w->where));
		return NEXT_SKIP;
	}
	return NEXT_ENTRY;
}

/* Reads the current entry's first bytes of L, to be replayed. */
static void layer_peek(struct layer *L)
{
	size_t got = 0;
	long n;

	L->npeek = L->peek_at = 0;
	while (got < sizeof(L->peek) &&
	       (n = entry_read(L, (char *)L->peek + got,
			       sizeof(L->peek) - got)) > 0)
		got += (size_t)n;
	L->npeek = got;
}

/* Hands the current entry of the top layer to cb as a leaf. */
static int walk_leaf(struct walk *w, container_entry_fn cb, void *cbctx)
{
	struct container_entry e;
	size_t i, k, n = 0;

	for (i = 1; i <= w->top; i++)
		for (k = 0; k < w->l[i].nelem; k++)
			w->chain[n++] = w->l[i].elem;
	e.path = walk_path(w, w->top, w->path);
	e.chain = w->chain;
	e.nchain = n;
	e.read = entry_read;
	e.rctx = &w->l[w->top];
	return cb(cbctx, &e);
}

int container_walk(unsigned format, unsigned enabled,
		   const struct decode_limits *limits, uint64_t *total_used,
		   read_fn rd, void *rctx, container_entry_fn cb, void *cbctx,
		   container_problem_fn problem, void *pctx)
{
	struct walk *w;
	int rc = 0;

	if (!(format & CONTAINER_KINDS) || (format & (format - 1)))
		return error_set(NFG_EINVAL, "not a container format: %#x",
				 format);
	w = calloc(1, sizeof(*w));
	if (!w)
		return error_nomem();
	w->enabled = enabled;
	w->depth = limits->depth < CONTAINER_DEPTH_MAX ? limits->depth
						       : CONTAINER_DEPTH_MAX;
	w->lim = limits;
	w->total_used = total_used;
	w->rd = rd;
	w->rctx = rctx;
	w->problem = problem;
	w->pctx = pctx;
	w->l = calloc((size_t)w->depth + 1, sizeof(*w->l));
	if (!w->l) {
		rc = error_nomem();
		goto done;
	}
	w->l[0].w = w;
	if (!w->depth) {
		walk_limit(w, "not decoded: decoding layers are limited to 0 "
			      "(--decode-depth)");
		goto done;
	}
	rc = layer_open(w, format);
	while (!rc && w->top && !w->stop) {
		struct layer *L = &w->l[w->top];
		int next = layer_next(w, L);
		unsigned inner;

		walk_flush(w);
		if (next == NEXT_END) {
			layer_close(w);
			continue;
		}
		if (next == NEXT_SKIP)
			continue;
		layer_peek(L);
		/* a limit reached in the peek: what it decoded is a leaf */
		inner = w->stop ? 0
				: container_sniff(L->peek, L->npeek,
						  w->enabled);
		if (inner && walk_chain_len(w, w->top) >= w->depth) {
			walk_too_deep(w, inner, walk_chain_len(w, w->top) + 1,
				      w->top);
			continue;
		}
		if (inner)
			rc = layer_open(w, inner);
		else
			rc = walk_leaf(w, cb, cbctx);
		walk_flush(w);
	}
done:
	walk_flush(w);
	if (w->l)
		while (w->top)
			layer_close(w);
	free(w->l);
	free(w);
	return rc;
}

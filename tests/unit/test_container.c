/*
 * Unit tests of the container walk (src/decode/container.c) on inputs
 * built here in memory with zlib and libarchive's writer: each format
 * sniffed and walked, nesting, every limit, corrupt and truncated
 * inputs, and text and binaries that must not be taken for a container.
 */
#include "util/common.h"
#include "util/error.h"
#include "decode/archive_load.h"
#include "decode/container.h"
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <setjmp.h>
#include <cmocka.h>

/* A growing memory buffer: what the builders write. */
struct mem {
	unsigned char *p;
	size_t n, cap;
};

static void mem_add(struct mem *m, const void *p, size_t n)
{
	if (!n)
		return;
	if (m->n + n > m->cap) {
		m->cap = (m->n + n) * 2;
		m->p = realloc(m->p, m->cap);
		assert_non_null(m->p);
	}
	memcpy(m->p + m->n, p, n);
	m->n += n;
}

static la_ssize_t mem_write(struct archive *a, void *ctx, const void *p,
			    size_t n)
{
	(void)a;
	mem_add(ctx, p, n);
	return (la_ssize_t)n;
}

/* An entry to build: data NULL for a directory, link for a symlink. */
struct ent {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
	const char *link;
};

/*
 * An archive in libarchive's format (ARCHIVE_FORMAT_ZIP, _TAR_USTAR, or
 * _RAW for one bare stream) under filter (ARCHIVE_FILTER_NONE, _GZIP,
 * _BZIP2, _XZ), appended to a fresh buffer.
 */
static struct mem build(int format, int filter, const struct ent *e, size_t n,
			const char *options)
{
	struct archive *a = archive_write_new();
	struct mem m = {0};
	size_t i;

	assert_non_null(a);
	assert_int_equal(archive_write_set_format(a, format), ARCHIVE_OK);
	if (filter != ARCHIVE_FILTER_NONE)
		assert_int_equal(archive_write_add_filter(a, filter),
				 ARCHIVE_OK);
	if (options) {
		assert_int_equal(archive_write_set_options(a, options),
				 ARCHIVE_OK);
		assert_int_equal(archive_write_set_passphrase(a, "pw"),
				 ARCHIVE_OK);
	}
	/* no padding to 10 KiB blocks: the bytes are exactly the archive */
	archive_write_set_bytes_per_block(a, 0);
	assert_int_equal(archive_write_open(a, &m, NULL, mem_write, NULL),
			 ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();
		size_t len =
			e[i].data ? e[i].len ? e[i].len : strlen(e[i].data) : 0;

		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_mtime(ae, 1700000000, 0);
		if (e[i].link) {
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_symlink(ae, e[i].link);
			archive_entry_set_perm(ae, 0777);
		} else if (!e[i].data) {
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
		} else {
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, (la_int64_t)len);
		}
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		if (len)
			assert_int_equal(archive_write_data(a, e[i].data, len),
					 (la_ssize_t)len);
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return m;
}

/* One bare compressed stream of p[0..n) (filter as for build). */
static struct mem compressed(int filter, const char *p, size_t n)
{
	struct ent e = {"data", p, n, NULL};

	return build(ARCHIVE_FORMAT_RAW, filter, &e, 1, NULL);
}

static struct mem zlib_of(const char *p, size_t n)
{
	struct mem m = {0};
	uLongf len = compressBound((uLong)n);

	m.p = malloc(len);
	assert_non_null(m.p);
	assert_int_equal(compress2(m.p, &len, (const Bytef *)p, (uLong)n, 9),
			 Z_OK);
	m.n = m.cap = len;
	return m;
}

#define NOISE ((size_t)1 << 20)

/* read_pieces, failing from byte fail_at on. */
struct failing {
	struct pieces in;
	size_t fail_at;
};

static long failing_read(void *ctx, char *dst, size_t len)
{
	struct failing *f = ctx;

	if (f->in.at >= f->fail_at)
		return error_set(NFG_EIO, "read failed: disk on fire");
	return read_pieces(&f->in, dst, len);
}

/*
 * What a walk did, as text: "path|chain,chain|bytes" per leaf (bytes as
 * they are when short and printable, else "N bytes"), "limit: msg" and
 * "problem: msg" per problem, one a line.
 */
struct log {
	struct mem text;
	size_t read_max; /* a leaf's bytes read at most: 0 = all */
	int stop_at;	 /* leaves before cb fails (0: never) */
	size_t leaves;
};

static void log_str(struct log *l, const char *s)
{
	mem_add(&l->text, s, strlen(s));
}

static int on_entry(void *ctx, const struct container_entry *e)
{
	struct log *l = ctx;
	struct mem data = {0};
	char buf[7], num[32];
	size_t i;
	long n;

	if (l->stop_at && (int)++l->leaves >= l->stop_at)
		return -42;
	log_str(l, e->path);
	log_str(l, "|");
	for (i = 0; i < e->nchain; i++) {
		log_str(l, i ? "," : "");
		log_str(l, e->chain[i]);
	}
	log_str(l, "|");
	while ((!l->read_max || data.n < l->read_max) &&
	       (n = e->read(e->rctx, buf, sizeof(buf))) > 0)
		mem_add(&data, buf, (size_t)n);
	for (i = 0; i < data.n && data.p[i] >= 0x20 && data.p[i] < 0x7f; i++)
		;
	if (data.n && data.n <= 80 && i == data.n) {
		mem_add(&l->text, data.p, data.n);
	} else {
		snprintf(num, sizeof(num), "%zu bytes", data.n);
		log_str(l, num);
	}
	log_str(l, "\n");
	free(data.p);
	return 0;
}

static void on_problem(void *ctx, int is_limit, const char *msg)
{
	struct log *l = ctx;

	log_str(l, is_limit ? "limit: " : "problem: ");
	log_str(l, msg);
	log_str(l, "\n");
}

static struct decode_limits limits(void)
{
	struct decode_limits lim = {
		DECODE_DEFAULT_DEPTH, DECODE_DEFAULT_MAX_BYTES,
		DECODE_DEFAULT_MAX_ENTRIES, DECODE_DEFAULT_MAX_TOTAL};
	return lim;
}

/*
 * Sniffs m (all decoders on), walks it with lim, reading in steps of 3
 * bytes; returns the log (caller frees), NUL-terminated; *rc the walk's.
 */
static char *walk_with(const struct mem *m, const struct decode_limits *lim,
		       struct log *l, uint64_t *total, int *rc)
{
	struct pieces s = {(const char *)m->p, m->n, 0, 3};
	unsigned f = container_sniff(m->p, m->n, DECODE_ALL);

	assert_int_not_equal(f, 0);
	*rc = container_walk(f, DECODE_ALL, lim, total, read_pieces, &s,
			     on_entry, l, on_problem, l);
	mem_add(&l->text, "", 1);
	return (char *)l->text.p;
}

/* walk_with, reading at most read_max bytes of a leaf (0: all). */
static char *walk_limited(const struct mem *m, const struct decode_limits *lim,
			  uint64_t *total, size_t read_max)
{
	struct log l = {0};
	int rc;
	char *out;

	l.read_max = read_max;
	out = walk_with(m, lim, &l, total, &rc);
	assert_int_equal(rc, 0);
	return out;
}

static char *walk(const struct mem *m)
{
	struct decode_limits lim = limits();
	uint64_t total = 0;

	return walk_limited(m, &lim, &total, 0);
}

static void expect_walk(struct mem m, const char *want)
{
	char *got = walk(&m);

	assert_string_equal(got, want);
	free(got);
	free(m.p);
}

static void test_bare_streams(void **state)
{
	char tok[64], text[128], want[192];

	(void)state;
	test_token(tok, 30, 1);
	snprintf(text, sizeof(text), "key=%s", tok);
	snprintf(want, sizeof(want), "|gzip|%s\n", text);
	expect_walk(compressed(ARCHIVE_FILTER_GZIP, text, strlen(text)), want);
	snprintf(want, sizeof(want), "|bzip2|%s\n", text);
	expect_walk(compressed(ARCHIVE_FILTER_BZIP2, text, strlen(text)), want);
	snprintf(want, sizeof(want), "|xz|%s\n", text);
	expect_walk(compressed(ARCHIVE_FILTER_XZ, text, strlen(text)), want);
	snprintf(want, sizeof(want), "|zlib|%s\n", text);
	expect_walk(zlib_of(text, strlen(text)), want);
	/* libarchive reads a gzip in a gzip in one go: two layers still */
	{
		struct mem in =
			compressed(ARCHIVE_FILTER_GZIP, text, strlen(text));

		snprintf(want, sizeof(want), "|gzip,gzip|%s\n", text);
		expect_walk(compressed(ARCHIVE_FILTER_GZIP, (char *)in.p, in.n),
			    want);
		free(in.p);
	}
}

static void test_archives(void **state)
{
	char tok[64], env[128], want[512];
	int i;
	struct ent e[] = {
		{"conf/", NULL, 0, NULL},
		{"conf/app.env", env, 0, NULL},
		{"conf/link", NULL, 0, "app.env"},
		{"README", "hello", 0, NULL},
		{"empty", "", 0, NULL},
	};

	(void)state;
	test_token(tok, 30, 2);
	snprintf(env, sizeof(env), "NF_TOKEN=%s", tok);
	/* a zip's local headers hold no file type: its link is a file */
	snprintf(want, sizeof(want),
		 "conf/app.env|zip:conf/app.env|%s\n"
		 "conf/link|zip:conf/link|app.env\n"
		 "README|zip:README|hello\n"
		 "empty|zip:empty|0 bytes\n",
		 env);
	expect_walk(build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, e, 5, NULL),
		    want);
	/* a tar, then a tar.gz */
	for (i = 0; i < 2; i++) {
		const char *c = i ? "gzip,tar" : "tar";

		snprintf(want, sizeof(want),
			 "conf/app.env|%s:conf/app.env|%s\n"
			 "README|%s:README|hello\n"
			 "empty|%s:empty|0 bytes\n",
			 c, env, c, c);
		expect_walk(build(ARCHIVE_FORMAT_TAR_USTAR,
				  i ? ARCHIVE_FILTER_GZIP : ARCHIVE_FILTER_NONE,
				  e, 5, NULL),
			    want);
	}
	/* an empty zip is its end record alone */
	expect_walk(build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, e, 0, NULL),
		    "");
}

/* A tar.gz holding inner.zip holding conf/app.env.gz and notes.txt. */
static struct mem nested(const char *leaf)
{
	struct mem gz = compressed(ARCHIVE_FILTER_GZIP, leaf, strlen(leaf));
	struct ent z[] = {
		{"conf/app.env.gz", (const char *)gz.p, gz.n, NULL},
		{"notes.txt", "notes", 0, NULL},
	};
	struct mem zip =
		build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, z, 2, NULL);
	struct ent t[] = {
		{"inner.zip", (const char *)zip.p, zip.n, NULL},
		{"after", "after", 0, NULL},
	};
	struct mem out = build(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP, t,
			       2, NULL);

	free(gz.p);
	free(zip.p);
	return out;
}

static void test_nested(void **state)
{
	char tok[64], want[512];

	(void)state;
	test_token(tok, 30, 3);
	snprintf(want, sizeof(want),
		 "inner.zip!conf/app.env.gz|gzip,tar:inner.zip,zip:conf/"
		 "app.env.gz,gzip|%s\n"
		 "inner.zip!notes.txt|gzip,tar:inner.zip,zip:notes.txt|notes\n"
		 "after|gzip,tar:after|after\n",
		 tok);
	expect_walk(nested(tok), want);
}

static void test_depth(void **state)
{
	struct decode_limits lim = limits();
	struct mem m = nested("x");
	uint64_t total = 0;
	char *got;

	(void)state;
	lim.depth = 3;
	got = walk_limited(&m, &lim, &total, 0);
	assert_string_equal(
		got, "limit: gzip in 'inner.zip!conf/app.env.gz' not decoded: "
		     "it would be decoding layer 4, beyond the limit of 3 "
		     "(--decode-depth)\n"
		     "inner.zip!notes.txt|gzip,tar:inner.zip,zip:notes.txt|"
		     "notes\n"
		     "after|gzip,tar:after|after\n");
	free(got);
	lim.depth = 1;
	got = walk_limited(&m, &lim, &total, 0);
	assert_string_equal(got, "limit: tar stream not decoded: it would be "
				 "decoding layer 2, beyond the limit of 1 "
				 "(--decode-depth)\n");
	free(got);
	free(m.p);
	/* gzip in gzip: two layers, though libarchive opens them as one */
	m = compressed(ARCHIVE_FILTER_GZIP, "x", 1);
	{
		struct mem in = m;

		m = compressed(ARCHIVE_FILTER_GZIP, (char *)in.p, in.n);
		free(in.p);
	}
	got = walk_limited(&m, &lim, &total, 0);
	assert_string_equal(got, "limit: gzip stream not decoded: it would be "
				 "decoding layer 2, beyond the limit of 1 "
				 "(--decode-depth)\n");
	free(got);
	free(m.p);
}

/* A gzip of n zero bytes, written a MiB at a time. */
static struct mem gzip_zeros(size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae = archive_entry_new();
	char *zero = calloc(1, 1 << 20);
	struct mem m = {0};

	assert_non_null(zero);
	archive_write_set_format_raw(a);
	archive_write_add_filter_gzip(a);
	archive_write_set_bytes_per_block(a, 0);
	assert_int_equal(archive_write_open(a, &m, NULL, mem_write, NULL),
			 ARCHIVE_OK);
	archive_entry_set_pathname(ae, "zeros");
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_size(ae, (la_int64_t)n);
	assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
	for (; n; n -= n < (1 << 20) ? n : (1 << 20))
		archive_write_data(a, zero, n < (1 << 20) ? n : (1 << 20));
	archive_write_close(a);
	archive_write_free(a);
	archive_entry_free(ae);
	free(zero);
	return m;
}

static void test_max_bytes(void **state)
{
	struct decode_limits lim = limits();
	struct mem m = gzip_zeros((size_t)64 << 20);
	uint64_t total = 0;
	char *got;

	(void)state;
	lim.max_bytes = 1000000;
	got = walk_limited(&m, &lim, &total, 0);
	assert_string_equal(got, "|gzip|1000000 bytes\n"
				 "limit: decoding stopped after 1000000 bytes "
				 "decoded from this input, its limit "
				 "(--decode-max-bytes)\n");
	assert_true(total == 1000000);
	free(got);
	/* the run's budget: 1000 bytes of it left */
	lim = limits();
	lim.max_total = 5000;
	total = 4000;
	got = walk_limited(&m, &lim, &total, 0);
	assert_string_equal(got, "|gzip|1000 bytes\n"
				 "limit: decoding stopped after 5000 bytes "
				 "decoded in this run, its limit "
				 "(--decode-max-total)\n");
	free(got);
	/* the leaf left unread: its bytes are not decoded at all */
	lim = limits();
	total = 0;
	got = walk_limited(&m, &lim, &total, 1);
	assert_string_equal(got, "|gzip|7 bytes\n");
	assert_true(total < (1 << 20));
	free(got);
	free(m.p);
}

static void test_max_entries(void **state)
{
	struct decode_limits lim = limits();
	struct ent *e = calloc(5000, sizeof(*e));
	char(*names)[16] = calloc(5000, sizeof(*names));
	struct mem m;
	uint64_t total = 0;
	size_t i;
	char *got;

	(void)state;
	assert_non_null(e);
	assert_non_null(names);
	for (i = 0; i < 5000; i++) {
		snprintf(names[i], sizeof(names[i]), "f%zu", i);
		e[i].name = names[i];
		e[i].data = "x";
	}
	m = build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, e, 5000, NULL);
	lim.max_entries = 2;
	got = walk_limited(&m, &lim, &total, 0);
	assert_string_equal(got, "f0|zip:f0|x\n"
				 "f1|zip:f1|x\n"
				 "limit: decoding stopped after 2 archive "
				 "entries of this input, its limit "
				 "(--decode-max-entries)\n");
	free(got);
	free(m.p);
	free(e);
	free(names);
}

/* 1 MiB of letters that deflate cannot shrink much (caller frees). */
static char *noise(void)
{
	char *p = malloc(NOISE);
	uint32_t x = 2463534242u;
	size_t i;

	assert_non_null(p);
	for (i = 0; i < NOISE; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (char)('a' + x % 26);
	}
	return p;
}

static void test_corrupt(void **state)
{
	char *text = noise();
	struct mem m;
	struct decode_limits lim = limits();
	struct log l = {0};
	struct failing s;
	uint64_t total = 0;
	int rc;
	char *got;

	(void)state;
	/*
	 * a gzip cut short: what was decoded is handed out, then said
	 * (libarchive reads ahead: a short one fails before any byte)
	 */
	m = compressed(ARCHIVE_FILTER_GZIP, text, NOISE);
	m.n /= 2;
	got = walk(&m);
	assert_non_null(strstr(got, "|gzip|"));
	assert_non_null(strstr(got, " bytes\nproblem: cannot decode gzip: "));
	free(got);
	free(m.p);
	/* a tar whose second header is damaged: the first entry stays */
	{
		struct ent e[] = {{"a", "one", 0, NULL}, {"b", "two", 0, NULL}};

		m = build(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE, e, 2,
			  NULL);
		m.p[1024 + 148] ^= 1;
		got = walk(&m);
		assert_string_equal(got, "a|tar:a|one\n"
					 "problem: cannot decode tar: Damaged "
					 "tar archive\n");
		free(got);
		free(m.p);
	}
	/* a zlib stream with a wrong checksum */
	m = zlib_of(text, NOISE);
	m.p[m.n - 1] ^= 1;
	got = walk(&m);
	assert_string_equal(got, "|zlib|1048576 bytes\n"
				 "problem: cannot decode zlib: incorrect data "
				 "check\n");
	free(got);
	/* too short for a whole one, it is no zlib at all */
	assert_int_equal(container_sniff(m.p, 100, DECODE_ALL), 0);
	/* bytes after a zlib stream */
	m.p[m.n - 1] ^= 1;
	mem_add(&m, "tail", 4);
	got = walk(&m);
	assert_string_equal(got, "|zlib|1048576 bytes\n"
				 "problem: cannot decode zlib: data after the "
				 "zlib stream\n");
	free(got);
	/* a zlib stream cut short */
	m.n /= 2;
	got = walk(&m);
	assert_non_null(strstr(got, " bytes\nproblem: cannot decode zlib: "
				    "truncated zlib stream\n"));
	free(got);
	/* the input's read fails */
	s = (struct failing){{(const char *)m.p, m.n, 0, 3}, 30};
	rc = container_walk(DECODE_ZLIB, DECODE_ALL, &lim, &total, failing_read,
			    &s, on_entry, &l, on_problem, &l);
	assert_int_equal(rc, 0);
	mem_add(&l.text, "", 1);
	assert_non_null(strstr((char *)l.text.p,
			       "problem: cannot read the input: read failed: "
			       "disk on fire\n"));
	free(l.text.p);
	free(m.p);
	free(text);
}

static void test_encrypted(void **state)
{
	struct ent e[] = {{"secret.env", "hidden", 0, NULL}};
	struct mem m;
	char *got;

	(void)state;
	m = build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, e, 1,
		  "zip:encryption=zipcrypt");
	got = walk(&m);
	assert_string_equal(got, "problem: encrypted entry 'secret.env' not "
				 "decoded\n");
	free(got);
	free(m.p);
}

static void test_hostile_names(void **state)
{
	char longname[400];
	char want[600];
	struct ent e[] = {
		{"a\x1b[31m!b\n", "x", 0, NULL},
		{longname, "y", 0, NULL},
	};

	(void)state;
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	snprintf(want, sizeof(want),
		 "a?[31m!b?|tar:a?[31m!b?|x\n%.255s|tar:%.255s|y\n", longname,
		 longname);
	expect_walk(build(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
			  ARCHIVE_FILTER_NONE, e, 2, NULL),
		    want);
}

static void test_callback_stops(void **state)
{
	struct ent e[] = {{"a", "1", 0, NULL}, {"b", "2", 0, NULL}};
	struct mem m =
		build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, e, 2, NULL);
	struct decode_limits lim = limits();
	struct log l = {0};
	uint64_t total = 0;
	int rc;
	char *got;

	(void)state;
	l.stop_at = 2;
	got = walk_with(&m, &lim, &l, &total, &rc);
	assert_int_equal(rc, -42);
	assert_string_equal(got, "a|zip:a|1\n");
	free(got);
	free(m.p);
}

/* Only the bits container_sniff gives are formats to walk. */
static void test_bad_format(void **state)
{
	struct decode_limits lim = limits();
	struct pieces s = {"", 0, 0, 1};
	struct log l = {0};
	uint64_t total = 0;
	unsigned bad[] = {0, DECODE_BASE64, DECODE_GZIP | DECODE_ZIP};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(container_walk(bad[i], DECODE_ALL, &lim,
						&total, read_pieces, &s,
						on_entry, &l, on_problem, &l),
				 NFG_EINVAL);
	assert_null(l.text.p);
}

static void test_sniff(void **state)
{
	static const unsigned char png[] = {0x89, 'P',	'N', 'G', '\r', '\n',
					    0x1a, '\n', 0,   0,	  0,	13,
					    'I',  'H',	'D', 'R'};
	unsigned char bin[8192];
	char text[600];
	struct mem m;
	size_t i;

	(void)state;
	/* "x^" is a valid zlib header: text after it is not zlib */
	assert_int_equal(
		container_sniff((const unsigned char *)"x^2", 3, DECODE_ALL),
		0);
	memset(text, 0, sizeof(text));
	snprintf(text, sizeof(text), "x^2 + y^2 = r^2, said the %s",
		 "mathematician, over and over again");
	assert_int_equal(container_sniff((const unsigned char *)text,
					 strlen(text), DECODE_ALL),
			 0);
	/* 512 bytes of text: no tar checksum */
	memset(text, 'a', 512);
	assert_int_equal(
		container_sniff((const unsigned char *)text, 512, DECODE_ALL),
		0);
	/* a PNG and an ELF-like header over pseudo-random bytes */
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)((i * 2654435761u) >> 13);
	memcpy(bin, png, sizeof(png));
	assert_int_equal(container_sniff(bin, sizeof(bin), DECODE_ALL), 0);
	memcpy(bin,
	       "\x7f"
	       "ELF\2\1\1",
	       7);
	assert_int_equal(container_sniff(bin, sizeof(bin), DECODE_ALL), 0);
	assert_int_equal(container_sniff(bin, 0, DECODE_ALL), 0);
	/* each format, and nothing when its decoder is off */
	m = compressed(ARCHIVE_FILTER_GZIP, "g", 1);
	assert_int_equal(container_sniff(m.p, m.n, DECODE_ALL), DECODE_GZIP);
	assert_int_equal(container_sniff(m.p, m.n, DECODE_ALL & ~DECODE_GZIP),
			 0);
	free(m.p);
	m = compressed(ARCHIVE_FILTER_BZIP2, "b", 1);
	assert_int_equal(container_sniff(m.p, m.n, DECODE_ALL), DECODE_BZIP2);
	free(m.p);
	m = compressed(ARCHIVE_FILTER_XZ, "x", 1);
	assert_int_equal(container_sniff(m.p, m.n, DECODE_ALL), DECODE_XZ);
	free(m.p);
	m = zlib_of("z", 1);
	assert_int_equal(container_sniff(m.p, m.n, DECODE_ALL), DECODE_ZLIB);
	/* a zlib stream cut short is only zlib when more may follow */
	assert_int_equal(container_sniff(m.p, m.n - 1, DECODE_ALL), 0);
	free(m.p);
	{
		struct ent e = {"f", "data", 0, NULL};

		m = build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, &e, 1, NULL);
		assert_int_equal(container_sniff(m.p, m.n, DECODE_ALL),
				 DECODE_ZIP);
		free(m.p);
		m = build(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE, &e, 1,
			  NULL);
		assert_int_equal(container_sniff(m.p, m.n, DECODE_ALL),
				 DECODE_TAR);
		assert_int_equal(
			container_sniff(m.p, m.n, DECODE_ALL & ~DECODE_TAR), 0);
		free(m.p);
	}
}

/* libarchive is loaded at run time: a missing library is a clear error. */
static void test_archive_load(void **state)
{
	const struct archive_fns *la = NULL, *again = NULL;
	struct archive_fns f;

	(void)state;
	assert_int_equal(archive_load_from("libnfg-no-such-archive.so.13", &f),
			 NFG_ERR);
	assert_non_null(strstr(error_last(), "cannot load libarchive ("));
	assert_non_null(strstr(error_last(), "libnfg-no-such-archive.so.13"));
	assert_null(f.read_new);
	/* A library without libarchive's functions: the first one missing. */
	assert_int_equal(archive_load_from("libz.so.1", &f), NFG_ERR);
	assert_string_equal(error_last(),
			    "cannot load libarchive (libz.so.1 has no "
			    "archive_version_number); archives and gzip or "
			    "bzip2 streams need it");
	assert_null(f.read_new);
	assert_int_equal(archive_load(&la), 0);
	assert_int_equal(archive_load(&again), 0);
	assert_ptr_equal(la, again);
	/* the library this test links (its writer) is the one loaded */
	assert_int_equal(la->version_number(), archive_version_number());
	assert_non_null(la->entry_is_encrypted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archive_load),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_bare_streams),
		cmocka_unit_test(test_archives),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_max_bytes),
		cmocka_unit_test(test_max_entries),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_bad_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The index file, read as git 2.39 writes it (Documentation/gitformat-
 * index.txt): every count, length and offset is checked against the end of
 * the buffer before it is used, and the split index's bitmaps against the
 * number of entries of the shared index.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/error.h"
#include "util/sha1.h"
#include "source/git/index_file.h"

#define HEADER_LEN    12
#define ENTRY_FIXED   62     /* stat data, id and flags */
#define NAME_MASK     0xfff  /* flags: the name's length, or more */
#define FLAG_EXTENDED 0x4000 /* flags: flags_ext follows */
#define STAGE_MASK    0x3000 /* flags: the stage */
#define EXT_KNOWN     (INDEX_SKIP_WORKTREE | INDEX_INTENT_TO_ADD)
#define EWAH_WORD     64 /* bits in an ewah word */

static const unsigned char no_id[INDEX_ID_LEN];

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

void index_file_init(struct index_file *x)
{
	memset(x, 0, sizeof(*x));
}

void index_file_release(struct index_file *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->n; i++)
		free(x->v[i].path);
	free(x->v);
	free(x->del);
	free(x->rep);
	index_file_init(x);
}

int index_file_needs_shared(const struct index_file *x)
{
	return x->linked && memcmp(x->shared_id, no_id, INDEX_ID_LEN) != 0;
}

/* -1, 0 or 1 as a sorts before, with or after b in the index. */
static int entry_cmp(const struct index_entry *a, const struct index_entry *b)
{
	size_t n = a->path_len < b->path_len ? a->path_len : b->path_len;
	int c = memcmp(a->path, b->path, n);

	if (c)
		return c < 0 ? -1 : 1;
	if (a->path_len != b->path_len)
		return a->path_len < b->path_len ? -1 : 1;
	if (INDEX_STAGE(a) != INDEX_STAGE(b))
		return INDEX_STAGE(a) < INDEX_STAGE(b) ? -1 : 1;
	return 0;
}

/* git's variable-width number (version 4 prefix lengths); 0 when bad. */
static int read_varint(const unsigned char **p, const unsigned char *end,
		       uint64_t *out)
{
	const unsigned char *q = *p;
	uint64_t v;

	if (q >= end)
		return 0;
	v = *q & 127;
	while (*q++ & 128) {
		if (q >= end || v >= (UINT64_MAX >> 7) - 1)
			return 0;
		v = ((v + 1) << 7) | (*q & 127);
	}
	*p = q;
	*out = v;
	return 1;
}

/*
 * Reads the entry at *p into e (path allocated), prev being the previous
 * entry's path (version 4 compresses against it); moves *p past it.
 */
static int read_entry(struct index_entry *e, const unsigned char **p,
		      const unsigned char *end, unsigned version,
		      const struct index_entry *prev, size_t i,
		      const char *name)
{
	const unsigned char *q = *p, *s, *nul;
	size_t keep = 0, slen, flen, size;
	uint64_t strip;

	if ((size_t)(end - q) < ENTRY_FIXED)
		return error_set(NFG_EINVAL, "%s: entry %zu runs past the end",
				 name, i);
	e->ctime_s = be32(q);
	e->ctime_ns = be32(q + 4);
	e->mtime_s = be32(q + 8);
	e->mtime_ns = be32(q + 12);
	e->dev = be32(q + 16);
	e->ino = be32(q + 20);
	e->mode = be32(q + 24);
	e->uid = be32(q + 28);
	e->gid = be32(q + 32);
	e->size = be32(q + 36);
	memcpy(e->id, q + 40, INDEX_ID_LEN);
	e->flags = (uint16_t)(q[60] << 8 | q[61]);
	s = q + ENTRY_FIXED;
	if (e->flags & FLAG_EXTENDED) {
		if (end - s < 2)
			return error_set(NFG_EINVAL,
					 "%s: entry %zu runs past the end",
					 name, i);
		e->flags_ext = (uint16_t)(s[0] << 8 | s[1]);
		s += 2;
		if (e->flags_ext & ~EXT_KNOWN)
			return error_set(
				NFG_EINVAL,
				"%s: entry %zu has unknown flags 0x%04x", name,
				i, e->flags_ext);
	}
	if (version == 4) {
		if (!read_varint(&s, end, &strip))
			return error_set(NFG_EINVAL,
					 "%s: entry %zu: bad prefix length",
					 name, i);
		if (strip > (prev ? prev->path_len : 0))
			return error_set(NFG_EINVAL,
					 "%s: entry %zu: prefix length %ju is "
					 "longer than the previous name",
					 name, i, (uintmax_t)strip);
		keep = prev ? prev->path_len - (size_t)strip : 0;
	}
	if (!(nul = memchr(s, '\0', (size_t)(end - s))))
		return error_set(NFG_EINVAL,
				 "%s: entry %zu: name runs past the end", name,
				 i);
	slen = (size_t)(nul - s);
	flen = keep + slen;
	if ((e->flags & NAME_MASK) != (flen < NAME_MASK ? flen : NAME_MASK))
		return error_set(NFG_EINVAL,
				 "%s: entry %zu: name length does not match",
				 name, i);
	size = (size_t)(nul + 1 - q);
	if (version < 4) {
		/* 1 to 8 NULs pad the entry to a multiple of 8 bytes */
		size = (size_t)(s - q) + slen + 8;
		size -= size % 8;
		if (size > (size_t)(end - q))
			return error_set(NFG_EINVAL,
					 "%s: entry %zu runs past the end",
					 name, i);
	}
	if (!(e->path = malloc(flen + 1)))
		return error_nomem();
	if (keep)
		memcpy(e->path, prev->path, keep);
	memcpy(e->path + keep, s, slen);
	e->path[flen] = '\0';
	e->path_len = flen;
	*p = q + size;
	return 0;
}

/*
 * Checks the ewah bitmap at p[0..len) (bit count, word count, words, the
 * last run-length word's position) and that every run's literal words are
 * there; *used gets its size.
 */
static int ewah_check(const unsigned char *p, size_t len, size_t *used,
		      const char *name)
{
	size_t words, i;

	if (len < 8 || (words = be32(p + 4)) > (len - 8) / 8 ||
	    len - 8 - words * 8 < 4)
		return error_set(NFG_EINVAL, "%s: corrupt link bitmap", name);
	for (i = 0; i < words;) {
		uint64_t lit = be64(p + 8 + 8 * i) >> 33;

		i++;
		if (lit > words - i)
			return error_set(NFG_EINVAL, "%s: corrupt link bitmap",
					 name);
		i += (size_t)lit;
	}
	*used = 8 + words * 8 + 4;
	return 0;
}

static int dup_bytes(unsigned char **out, const unsigned char *p, size_t n)
{
	if (!(*out = malloc(n ? n : 1)))
		return error_nomem();
	memcpy(*out, p, n);
	return 0;
}

/* The link extension: the shared index's id, then two ewah bitmaps. */
static int read_link(struct index_file *x, const unsigned char *p, size_t len,
		     const char *name)
{
	size_t a, b;
	int err;

	if (x->linked)
		return error_set(NFG_EINVAL, "%s: two link extensions", name);
	if (len < INDEX_ID_LEN)
		return error_set(NFG_EINVAL, "%s: link extension too short",
				 name);
	x->linked = 1;
	memcpy(x->shared_id, p, INDEX_ID_LEN);
	p += INDEX_ID_LEN;
	len -= INDEX_ID_LEN;
	if (!len)
		return 0;
	if ((err = ewah_check(p, len, &a, name)) ||
	    (err = ewah_check(p + a, len - a, &b, name)))
		return err;
	if (a + b != len)
		return error_set(NFG_EINVAL,
				 "%s: garbage at the end of the link extension",
				 name);
	if ((err = dup_bytes(&x->del, p, a)) ||
	    (err = dup_bytes(&x->rep, p + a, b)))
		return err;
	x->del_len = a;
	x->rep_len = b;
	return 0;
}

static int read_extension(struct index_file *x, const unsigned char *sig,
			  const unsigned char *data, size_t len,
			  const char *name)
{
	char shown[17];
	size_t i, o = 0;

	if (!memcmp(sig, "link", 4))
		return read_link(x, data, len, name);
	if (!memcmp(sig, "sdir", 4) || (sig[0] >= 'A' && sig[0] <= 'Z'))
		return 0; /* the sparse marker; optional ones */
	for (i = 0; i < 4; i++)
		o += (size_t)snprintf(shown + o, sizeof(shown) - o,
				      sig[i] > ' ' && sig[i] < 127 &&
						      sig[i] != '\\'
					      ? "%c"
					      : "\\x%02x",
				      sig[i]);
	return error_set(NFG_EINVAL, "%s: unsupported mandatory extension '%s'",
			 name, shown);
}

/*
 * Entries sorted by path and stage; the leading nameless entries of a file
 * linked to a shared index are its replacements.
 */
static int check_order(const struct index_file *x, const char *name)
{
	size_t i = 0;

	if (index_file_needs_shared(x))
		while (i < x->n && !x->v[i].path_len)
			i++;
	for (; i < x->n; i++) {
		if (!x->v[i].path_len)
			return error_set(NFG_EINVAL,
					 "%s: entry %zu has no name", name, i);
		if (i && x->v[i - 1].path_len &&
		    entry_cmp(&x->v[i - 1], &x->v[i]) >= 0)
			return error_set(NFG_EINVAL,
					 "%s: entry %zu is out of order", name,
					 i);
	}
	return 0;
}

static int parse(struct index_file *x, const unsigned char *p, size_t len,
		 const char *name)
{
	const unsigned char *q, *end;
	unsigned char sum[INDEX_ID_LEN];
	size_t count, i;
	int err;

	if (len < HEADER_LEN + INDEX_ID_LEN || memcmp(p, "DIRC", 4))
		return error_set(NFG_EINVAL, "%s: bad signature", name);
	x->version = be32(p + 4);
	if (x->version < 2 || x->version > 4)
		return error_set(NFG_EINVAL, "%s: unsupported version %u", name,
				 x->version);
	end = p + len - INDEX_ID_LEN;
	memcpy(x->checksum, end, INDEX_ID_LEN);
	if (memcmp(x->checksum, no_id, INDEX_ID_LEN)) {
		sha1(p, len - INDEX_ID_LEN, sum);
		if (memcmp(sum, x->checksum, INDEX_ID_LEN))
			return error_set(NFG_EINVAL, "%s: checksum mismatch",
					 name);
	}
	count = be32(p + 8);
	if (count > (len - HEADER_LEN - INDEX_ID_LEN) / (ENTRY_FIXED + 2))
		return error_set(NFG_EINVAL,
				 "%s: %zu entries cannot fit in %zu bytes",
				 name, count, len);
	if (count &&
	    (err = array_reserve(&x->v, &x->cap, count, sizeof(*x->v))))
		return err;
	q = p + HEADER_LEN;
	for (i = 0; i < count; i++) {
		memset(&x->v[i], 0, sizeof(x->v[i]));
		err = read_entry(&x->v[i], &q, end, x->version,
				 i ? &x->v[i - 1] : NULL, i, name);
		if (err)
			return err;
		x->n++;
	}
	while (q < end) {
		size_t ext;

		if (end - q < 8 || (ext = be32(q + 4)) > (size_t)(end - q) - 8)
			return error_set(NFG_EINVAL,
					 "%s: extension runs past the end",
					 name);
		if ((err = read_extension(x, q, q + 8, ext, name)))
			return err;
		q += 8 + ext;
	}
	return check_order(x, name);
}

int index_file_parse(struct index_file *x, const unsigned char *p, size_t len,
		     const char *name)
{
	int err = parse(x, p, len, name);

	if (err)
		index_file_release(x);
	return err;
}

/*
 * Calls fn for each set bit of a bitmap checked by ewah_check, in
 * increasing order, stopping at fn's first error; a bit at or beyond
 * limit is an error before fn sees it.
 */
static int ewah_each(const unsigned char *b, size_t limit,
		     int (*fn)(size_t pos, void *ctx), void *ctx,
		     const char *name, const char *what)
{
	size_t words = be32(b + 4), i = 0, pos = 0, k, c;
	int err;

	while (i < words) {
		uint64_t rlw = be64(b + 8 + 8 * i++);
		uint64_t run = (rlw >> 1) & 0xffffffffu, lit = rlw >> 33;

		if (run && (rlw & 1)) {
			if (run > (limit - pos) / EWAH_WORD)
				goto beyond;
			for (k = 0; k < run * EWAH_WORD; k++)
				if ((err = fn(pos++, ctx)))
					return err;
		} else if (run > (limit - pos) / EWAH_WORD) {
			pos = limit; /* only zeros so far beyond the end */
		} else {
			pos += (size_t)run * EWAH_WORD;
		}
		for (k = 0; k < lit; k++, i++) {
			uint64_t w = be64(b + 8 + 8 * i);

			for (c = 0; c < EWAH_WORD; c++, pos++) {
				if (!(w >> c & 1))
					continue;
				if (pos >= limit)
					goto beyond;
				if ((err = fn(pos, ctx)))
					return err;
			}
			if (pos > limit)
				pos = limit; /* keeps pos from wrapping */
		}
	}
	return 0;
beyond:
	return error_set(NFG_EINVAL,
			 "%s: %s position beyond the shared index's %zu "
			 "entries",
			 name, what, limit);
}

struct split {
	struct index_file *x, *shared;
	unsigned char *state; /* per shared entry: 1 replaced, 2 deleted */
	size_t nrep;
	const char *name;
};

static int replace_one(size_t pos, void *ctx)
{
	struct split *s = ctx;
	struct index_entry *dst = &s->shared->v[pos], *src;
	char *path = dst->path;
	size_t len = dst->path_len;

	if (s->nrep >= s->x->n || s->x->v[s->nrep].path_len)
		return error_set(NFG_EINVAL,
				 "%s: more replacements than nameless entries",
				 s->name);
	src = &s->x->v[s->nrep++];
	free(src->path);
	*dst = *src;
	dst->path = path;
	dst->path_len = len;
	src->path = NULL;
	s->state[pos] = 1;
	return 0;
}

static int delete_one(size_t pos, void *ctx)
{
	struct split *s = ctx;

	if (s->state[pos])
		return error_set(NFG_EINVAL,
				 "%s: shared entry %zu is both replaced and "
				 "deleted",
				 s->name, pos);
	s->state[pos] = 2;
	return 0;
}

/* Merges the shared entries kept and x's additions into out, by order. */
static void merge_sorted(struct split *s, struct index_entry *out, size_t *n)
{
	struct index_file *sh = s->shared, *x = s->x;
	size_t i = 0, j = s->nrep, o = 0;

	while (i < sh->n || j < x->n) {
		struct index_entry *b = i < sh->n ? &sh->v[i] : NULL;
		struct index_entry *a = j < x->n ? &x->v[j] : NULL;
		int c;

		if (b && s->state[i] == 2) {
			i++;
			continue;
		}
		c = !a ? -1 : !b ? 1 : entry_cmp(b, a);
		if (b && a && b->path_len == a->path_len &&
		    !memcmp(b->path, a->path, a->path_len) &&
		    (!INDEX_STAGE(a) || !c)) {
			/* replaced by a, or a conflict a's stage 0 ends */
			s->state[i++] = 2;
			continue;
		}
		if (c < 0) {
			/* b is set: a is unset only once i < sh->n */
			/* NOLINTBEGIN(clang-analyzer-core.NullDereference) */
			out[o++] = *b;
			b->path = NULL;
			/* NOLINTEND(clang-analyzer-core.NullDereference) */
			s->state[i++] = 2;
		} else {
			out[o++] = *a;
			a->path = NULL;
			j++;
		}
	}
	*n = o;
}

int index_file_merge(struct index_file *x, struct index_file *shared,
		     const char *name)
{
	struct split s = {x, shared, NULL, 0, name};
	struct index_entry *out = NULL;
	size_t n = 0, cap = 0, i;
	int err;

	if (shared->linked)
		return error_set(NFG_EINVAL, "%s: the shared index is split",
				 name);
	if (memcmp(shared->checksum, x->shared_id, INDEX_ID_LEN))
		return error_set(NFG_EINVAL,
				 "%s: the shared index has another checksum",
				 name);
	if (!(s.state = calloc(shared->n ? shared->n : 1, 1)))
		return error_nomem();
	if (x->rep && (err = ewah_each(x->rep, shared->n, replace_one, &s, name,
				       "replacement")))
		goto done;
	if (x->del && (err = ewah_each(x->del, shared->n, delete_one, &s, name,
				       "deletion")))
		goto done;
	for (i = s.nrep; i < x->n; i++)
		if (!x->v[i].path_len) {
			err = error_set(NFG_EINVAL,
					"%s: fewer replacements than nameless "
					"entries",
					name);
			goto done;
		}
	if ((err = array_reserve(&out, &cap, shared->n + x->n - s.nrep + 1,
				 sizeof(*out))))
		goto done;
	merge_sorted(&s, out, &n);
	for (i = 0; i < x->n; i++)
		free(x->v[i].path);
	free(x->v);
	x->v = out;
	x->n = n;
	x->cap = cap;
	out = NULL;
	index_file_release(shared);
done:
	free(out);
	free(s.state);
	return err;
}

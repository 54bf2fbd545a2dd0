/*
 * One pass for many literals (multilit.h). Teddy: each literal is filed in
 * one of 8 buckets by a 3-byte window of it, and SSSE3 nibble lookups
 * (pshufb) flag, 16 positions at a time, where some bucket's window may
 * start; memcmp confirms. Elsewhere memmem per literal, merged in order.
 */
#include "util/common.h"

#include "engine/multilit.h"
#include "util/error.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define MULTILIT_X86 1
#include <immintrin.h>
#endif

#define FP	3   /* bytes of a literal's window (its fingerprint) */
#define NBUCKET 8   /* one bit of a pshufb result byte each */
#define RING	512 /* > the widest spread of pending starts: 252 + 32 */

/*
 * How common each byte is in source code and text, the lower the rarer:
 * 8 * log2(1 + occurrences per 2^24 bytes) over the files of a checkout of
 * curl (18 MB of C, shell, Perl, Markdown and test data). That tree holds
 * no NUL; binary files are full of it, so NUL gets the weight of ' ', the
 * most common byte of text. A literal's window is its 3 bytes of least
 * total weight: the rarest, as the product of the bytes' frequencies.
 */
/* clang-format off */
static const unsigned char byte_weight[256] = {
	173,   0,   0,   0,   0,   0,   0,   0,	/* 0x00 */
	  0,  93, 153,   0,   0,  78,   0,   0,	/* 0x08 */
	  0,   0,   0,   0,   0,   0,   0,   0,	/* 0x10 */
	  0,   0,   0,   0,   0,   0,   0,   0,	/* 0x18 */
	173, 112, 136, 130, 122, 124, 116, 120,	/* 0x20 */
	137, 137, 146, 107, 138, 139, 135, 137,	/* 0x28 */
	132, 128, 125, 121, 118, 117, 117, 112,	/* 0x30 */
	113, 113, 129, 134, 128, 132, 132, 102,	/* 0x38 */
	103, 134, 121, 138, 128, 138, 124, 121,	/* 0x40 */
	125, 133,  95, 115, 138, 125, 132, 134,	/* 0x48 */
	133, 101, 138, 138, 140, 134, 115, 115,	/* 0x50 */
	112, 116,  98, 116, 118, 116,  86, 148,	/* 0x58 */
	108, 151, 134, 148, 147, 159, 144, 135,	/* 0x60 */
	143, 152, 100, 127, 149, 140, 152, 152,	/* 0x68 */
	142, 110, 153, 153, 156, 146, 130, 129,	/* 0x70 */
	129, 134, 113, 122, 123, 122, 104,   0,	/* 0x78 */
	 25,  30,  36,  12,  12,  25,   0,  23,	/* 0x80 */
	 12,  15,  12,   8,  15,  26,   8,   8,	/* 0x88 */
	  8,   8,  12,  15,  18,  12,   8,  20,	/* 0x90 */
	  0,  26,  18,  22,   8,  20,  15,  29,	/* 0x98 */
	 20,  39,   8,   8,  36,   8,  15,  22,	/* 0xa0 */
	 12,  37,   8,  23,   8,  39,  18,   8,	/* 0xa8 */
	 27,  26,  15,  26,   8,  18,  42,   8,	/* 0xb0 */
	 36,  20,  27,  20,  38,  27,  33,   8,	/* 0xb8 */
	  0,   0,   0,  61,  34,  43,   0,   0,	/* 0xc0 */
	 12,   0,   8,   0,   8,   0,   0,   0,	/* 0xc8 */
	 50,  35,   0,   0,   0,   0,   0,   0,	/* 0xd0 */
	  0,   0,   0,   0,   0,   0,   0,   0,	/* 0xd8 */
	  0,  12,   0,  22,  20,  27,  20,  25,	/* 0xe0 */
	 12,  12,   0,   0,   0,   0,   0,   0,	/* 0xe8 */
	  0,   0,   0,   0,   0,   0,   0,   0,	/* 0xf0 */
	  0,   0,   0,   0,   0,   0,   0,   0,	/* 0xf8 */
};
/* clang-format on */

struct multilit {
	enum multilit_path path;
	size_t n;
	unsigned char *bytes;	  /* the literals, back to back */
	size_t at[MULTILIT_MAX];  /* literal i is bytes + at[i] */
	size_t len[MULTILIT_MAX]; /* and len[i] bytes long */
	size_t off[MULTILIT_MAX]; /* where its window starts in it */
	size_t minoff, maxoff;	  /* of off[] */
	size_t ringmask;	  /* the ring of pending starts used, - 1 */
	unsigned char bucket[NBUCKET][MULTILIT_MAX]; /* literal indices */
	size_t nbucket[NBUCKET];
	/* bit b of lo[j][x] (hi[j][x]): some window of bucket b has x as
	 * the low (high) nibble of its byte j */
	unsigned char lo[FP][16], hi[FP][16];
};

/* The start of the window of p[0..len) with the least weight. */
static size_t window_of(const unsigned char *p, size_t len)
{
	size_t o, j, cost, best = 0, bestcost = SIZE_MAX;

	for (o = 0; o + FP <= len; o++) {
		for (cost = 0, j = 0; j < FP; j++)
			cost += byte_weight[p[o + j]];
		if (cost < bestcost) {
			bestcost = cost;
			best = o;
		}
	}
	return best;
}

/* Literal i's window as a number, its bytes past the literal as 0. */
static uint32_t window_key(const struct multilit *m, size_t i)
{
	const unsigned char *p = m->bytes + m->at[i] + m->off[i];
	uint32_t key = 0;
	size_t j;

	for (j = 0; j < FP; j++)
		key = key << 8 | (m->off[i] + j < m->len[i] ? p[j] : 0);
	return key;
}

/*
 * Files the literals in buckets, in the order of their windows, so that
 * alike windows share one (fewer stray nibble pairs), and sets the masks.
 * A window byte past a short literal's end matches any byte.
 */
static void build_buckets(struct multilit *m)
{
	unsigned char order[MULTILIT_MAX];
	uint32_t key[MULTILIT_MAX];
	size_t i, k, j, b, x;

	for (i = 0; i < m->n; i++) {
		key[i] = window_key(m, i);
		for (k = i; k > 0 && key[order[k - 1]] > key[i]; k--)
			order[k] = order[k - 1];
		order[k] = (unsigned char)i;
	}
	for (k = 0; k < m->n; k++) {
		i = order[k];
		b = k * NBUCKET / m->n;
		m->bucket[b][m->nbucket[b]++] = (unsigned char)i;
		for (j = 0; j < FP; j++) {
			unsigned char bit = (unsigned char)(1u << b);
			unsigned char c;

			if (m->off[i] + j >= m->len[i]) {
				for (x = 0; x < 16; x++) {
					m->lo[j][x] |= bit;
					m->hi[j][x] |= bit;
				}
				continue;
			}
			c = m->bytes[m->at[i] + m->off[i] + j];
			m->lo[j][c & 15] |= bit;
			m->hi[j][c >> 4] |= bit;
		}
	}
}

/*
 * The fastest search this CPU has. Each path of the enum needs what the
 * previous one needs and more (AVX2 CPUs have SSSE3): the CPU can take
 * every path up to this one.
 */
static enum multilit_path best_path(void)
{
#ifdef MULTILIT_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2"))
		return MULTILIT_TEDDY_AVX2;
	if (__builtin_cpu_supports("ssse3"))
		return MULTILIT_TEDDY;
#endif
	return MULTILIT_PORTABLE;
}

int multilit_new_path(struct multilit **out, const char *const *lits,
		      const size_t *lens, size_t n, enum multilit_path path)
{
	struct multilit *m = NULL;
	size_t i, total = 0;
	int err = 0;

	*out = NULL;
	if (n > MULTILIT_MAX)
		return error_set(NFG_EINVAL, "more than %d literals",
				 MULTILIT_MAX);
	for (i = 0; i < n; i++) {
		if (lens[i] < 1 || lens[i] > MULTILIT_MAXLEN)
			return error_set(NFG_EINVAL,
					 "literal %zu: length %zu not in 1..%d",
					 i, lens[i], MULTILIT_MAXLEN);
		total += lens[i];
	}
	if (path == MULTILIT_AUTO)
		path = best_path();
	else if (path > best_path())
		return error_set(NFG_EINVAL, "this CPU cannot search that way");
	if (!(m = calloc(1, sizeof(*m))) || !(m->bytes = malloc(total + 1))) {
		err = error_nomem();
		goto done;
	}
	m->n = n;
	m->minoff = SIZE_MAX;
	for (i = 0, total = 0; i < n; i++) {
		memcpy(m->bytes + total, lits[i], lens[i]);
		m->at[i] = total;
		m->len[i] = lens[i];
		m->off[i] = window_of(m->bytes + total, lens[i]);
		if (m->off[i] < m->minoff)
			m->minoff = m->off[i];
		if (m->off[i] > m->maxoff)
			m->maxoff = m->off[i];
		total += lens[i];
	}
	m->path = path;
	for (m->ringmask = 63; m->ringmask < m->maxoff + 32;)
		m->ringmask = m->ringmask << 1 | 1;
	if (n)
		build_buckets(m);
	*out = m;
	m = NULL;
done:
	multilit_free(m);
	return err;
}

int multilit_new(struct multilit **out, const char *const *lits,
		 const size_t *lens, size_t n)
{
	return multilit_new_path(out, lits, lens, n, MULTILIT_AUTO);
}

void multilit_free(struct multilit *m)
{
	if (!m)
		return;
	free(m->bytes);
	free(m);
}

enum multilit_path multilit_path_of(const struct multilit *m)
{
	return m->path;
}

/*
 * The first start of literal i in [from, to) where it lies wholly in
 * data[0..len), or SIZE_MAX.
 */
static size_t find_one(const struct multilit *m, size_t i, const char *data,
		       size_t len, size_t from, size_t to)
{
	size_t end = len - to >= m->len[i] - 1 ? to + m->len[i] - 1 : len;
	const char *q;

	if (from >= to || end - from < m->len[i])
		return SIZE_MAX;
	q = memmem(data + from, end - from, m->bytes + m->at[i], m->len[i]);
	return q ? (size_t)(q - data) : SIZE_MAX;
}

static int scan_portable(const struct multilit *m, const char *data, size_t len,
			 size_t from, size_t to,
			 int (*cb)(void *ctx, size_t pos, size_t i), void *ctx)
{
	size_t next[MULTILIT_MAX], i, best, bi;
	int err;

	for (i = 0; i < m->n; i++)
		next[i] = find_one(m, i, data, len, from, to);
	for (;;) {
		best = SIZE_MAX;
		bi = 0;
		for (i = 0; i < m->n; i++)
			if (next[i] < best) {
				best = next[i];
				bi = i;
			}
		if (best == SIZE_MAX)
			return 0;
		if ((err = cb(ctx, best, bi)))
			return err;
		next[bi] = find_one(m, bi, data, len, best + 1, to);
	}
}

#ifdef MULTILIT_X86
/*
 * Occurrences confirmed but not yet reported, by start: Teddy finds them
 * in the order of their windows, which start at different offsets. Bit i
 * of ring[s & mask] is literal i at s; every start below next is
 * reported; pending counts the non-zero slots. Only the first mask + 1
 * slots are used (and cleared before a scan): the starts pending at once
 * spread over less than maxoff + 32.
 */
struct pending {
	uint64_t ring[RING];
	size_t next, pending, mask;
	int (*cb)(void *ctx, size_t pos, size_t i);
	void *ctx;
};

/* Reports the pending occurrences that start below limit, in order. */
static int report_below(struct pending *pd, size_t limit)
{
	int err;

	while (pd->pending && pd->next < limit) {
		uint64_t *slot = &pd->ring[pd->next & pd->mask];
		uint64_t bits = *slot;

		if (bits) {
			*slot = 0;
			pd->pending--;
			for (; bits; bits &= bits - 1)
				if ((err = pd->cb(
					     pd->ctx, pd->next,
					     (size_t)__builtin_ctzll(bits))))
					return err;
		}
		pd->next++;
	}
	if (pd->next < limit)
		pd->next = limit;
	return 0;
}

/*
 * Confirms the literals of the buckets in bits whose window starts at
 * data[p] and that start in [from, to) wholly inside data[0..len).
 */
static void confirm(const struct multilit *m, struct pending *pd,
		    const char *data, size_t len, size_t from, size_t to,
		    size_t p, unsigned bits)
{
	size_t k, i, s;
	uint64_t *slot;

	for (; bits; bits &= bits - 1) {
		unsigned b = (unsigned)__builtin_ctz(bits);

		for (k = 0; k < m->nbucket[b]; k++) {
			i = m->bucket[b][k];
			if (p < m->off[i])
				continue;
			s = p - m->off[i];
			if (s < from || s >= to || m->len[i] > len - s ||
			    memcmp(data + s, m->bytes + m->at[i], m->len[i]))
				continue;
			slot = &pd->ring[s & pd->mask];
			if (!*slot)
				pd->pending++;
			*slot |= (uint64_t)1 << i;
		}
	}
}

/*
 * The Teddy steps: from window start q on, while q + width + FP - 1 <=
 * end (every byte read lies below end), the first block of width starts
 * where some bucket's window may start. Returns its q, with its result
 * bytes in res (bit b of res[k]: bucket b at q + k) and a bit per start
 * in *hits; or the q where the blocks ran out, *hits 0.
 */
__attribute__((target("ssse3"))) static size_t
step_ssse3(const struct multilit *m, const unsigned char *data, size_t q,
	   size_t end, unsigned char *res, uint32_t *hits)
{
	const __m128i nib = _mm_set1_epi8(0x0f), zero = _mm_setzero_si128();
	const __m128i lo0 = _mm_loadu_si128((const __m128i *)m->lo[0]);
	const __m128i lo1 = _mm_loadu_si128((const __m128i *)m->lo[1]);
	const __m128i lo2 = _mm_loadu_si128((const __m128i *)m->lo[2]);
	const __m128i hi0 = _mm_loadu_si128((const __m128i *)m->hi[0]);
	const __m128i hi1 = _mm_loadu_si128((const __m128i *)m->hi[1]);
	const __m128i hi2 = _mm_loadu_si128((const __m128i *)m->hi[2]);

	for (; end - q >= 16 + FP - 1; q += 16) {
		const unsigned char *p = data + q;
		__m128i v0 = _mm_loadu_si128((const __m128i *)p);
		__m128i v1 = _mm_loadu_si128((const __m128i *)(p + 1));
		__m128i v2 = _mm_loadu_si128((const __m128i *)(p + 2));
		__m128i r0 = _mm_and_si128(
			_mm_shuffle_epi8(lo0, _mm_and_si128(v0, nib)),
			_mm_shuffle_epi8(
				hi0,
				_mm_and_si128(_mm_srli_epi16(v0, 4), nib)));
		__m128i r1 = _mm_and_si128(
			_mm_shuffle_epi8(lo1, _mm_and_si128(v1, nib)),
			_mm_shuffle_epi8(
				hi1,
				_mm_and_si128(_mm_srli_epi16(v1, 4), nib)));
		__m128i r2 = _mm_and_si128(
			_mm_shuffle_epi8(lo2, _mm_and_si128(v2, nib)),
			_mm_shuffle_epi8(
				hi2,
				_mm_and_si128(_mm_srli_epi16(v2, 4), nib)));
		__m128i r = _mm_and_si128(r0, _mm_and_si128(r1, r2));
		uint32_t h = 0xffffu & ~(uint32_t)_mm_movemask_epi8(
					       _mm_cmpeq_epi8(r, zero));

		if (h) {
			_mm_storeu_si128((__m128i *)res, r);
			*hits = h;
			return q;
		}
	}
	*hits = 0;
	return q;
}

/* step_ssse3 with AVX2, 32 window starts a step. */
__attribute__((target("avx2"))) static size_t
step_avx2(const struct multilit *m, const unsigned char *data, size_t q,
	  size_t end, unsigned char *res, uint32_t *hits)
{
	const __m256i nib = _mm256_set1_epi8(0x0f);
	const __m256i zero = _mm256_setzero_si256();
	const __m256i lo0 = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)m->lo[0]));
	const __m256i lo1 = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)m->lo[1]));
	const __m256i lo2 = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)m->lo[2]));
	const __m256i hi0 = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)m->hi[0]));
	const __m256i hi1 = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)m->hi[1]));
	const __m256i hi2 = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)m->hi[2]));

	for (; end - q >= 32 + FP - 1; q += 32) {
		const unsigned char *p = data + q;
		__m256i v0 = _mm256_loadu_si256((const __m256i *)p);
		__m256i v1 = _mm256_loadu_si256((const __m256i *)(p + 1));
		__m256i v2 = _mm256_loadu_si256((const __m256i *)(p + 2));
		__m256i r0 = _mm256_and_si256(
			_mm256_shuffle_epi8(lo0, _mm256_and_si256(v0, nib)),
			_mm256_shuffle_epi8(
				hi0, _mm256_and_si256(_mm256_srli_epi16(v0, 4),
						      nib)));
		__m256i r1 = _mm256_and_si256(
			_mm256_shuffle_epi8(lo1, _mm256_and_si256(v1, nib)),
			_mm256_shuffle_epi8(
				hi1, _mm256_and_si256(_mm256_srli_epi16(v1, 4),
						      nib)));
		__m256i r2 = _mm256_and_si256(
			_mm256_shuffle_epi8(lo2, _mm256_and_si256(v2, nib)),
			_mm256_shuffle_epi8(
				hi2, _mm256_and_si256(_mm256_srli_epi16(v2, 4),
						      nib)));
		__m256i r = _mm256_and_si256(r0, _mm256_and_si256(r1, r2));
		uint32_t h = ~(uint32_t)_mm256_movemask_epi8(
			_mm256_cmpeq_epi8(r, zero));

		if (h) {
			_mm256_storeu_si256((__m256i *)res, r);
			*hits = h;
			return q;
		}
	}
	*hits = 0;
	return q;
}

/*
 * The window starts below qend in steps (AVX2's, then SSSE3's), the last
 * ones (whose bytes run past the data) from a zero-padded copy; each
 * block with candidates is confirmed once every start that no later
 * window can reach has been reported.
 */
static int scan_teddy(const struct multilit *m, const char *data, size_t len,
		      size_t from, size_t to, struct pending *pd)
{
	const unsigned char *u = (const unsigned char *)data;
	unsigned char res[32], pad[16 + FP - 1];
	size_t q = from + m->minoff, qend, end, width;
	uint32_t hits;
	int err;

	/* windows that start past qend belong to no start below to */
	qend = len - to > m->maxoff ? to + m->maxoff : len;
	/* the steps read up to end: the data, or the bytes of qend's block */
	end = len - qend > FP - 1 ? qend + FP - 1 : len;
	while (q < qend) {
		width = 32;
		hits = 0;
		if (m->path == MULTILIT_TEDDY_AVX2)
			q = step_avx2(m, u, q, end, res, &hits);
		if (!hits) {
			width = 16;
			q = step_ssse3(m, u, q, end, res, &hits);
		}
		if (!hits) {
			if (q >= qend)
				break;
			memset(pad, 0, sizeof(pad));
			memcpy(pad, u + q, end - q);
			step_ssse3(m, pad, 0, sizeof(pad), res, &hits);
			if (qend - q < 16)
				hits &= (1u << (qend - q)) - 1;
		}
		/* no window below q is left to find a start below this */
		if (hits && q > m->maxoff &&
		    (err = report_below(pd, q - m->maxoff)))
			return err;
		for (; hits; hits &= hits - 1) {
			unsigned k = (unsigned)__builtin_ctz(hits);

			confirm(m, pd, data, len, from, to, q + k, res[k]);
		}
		q += width;
	}
	return report_below(pd, to);
}
#endif

int multilit_scan(const struct multilit *m, const char *data, size_t len,
		  size_t from, size_t to,
		  int (*cb)(void *ctx, size_t pos, size_t i), void *ctx)
{
	if (to > len)
		to = len;
	if (from >= to || !m->n)
		return 0;
#ifdef MULTILIT_X86
	if (m->path != MULTILIT_PORTABLE) {
		struct pending pd;

		memset(pd.ring, 0, (m->ringmask + 1) * sizeof(pd.ring[0]));
		pd.mask = m->ringmask;
		pd.next = from;
		pd.pending = 0;
		pd.cb = cb;
		pd.ctx = ctx;
		return scan_teddy(m, data, len, from, to, &pd);
	}
#endif
	return scan_portable(m, data, len, from, to, cb, ctx);
}

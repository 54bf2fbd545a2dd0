/*
 * The matcher: a literal keyword prefilter finds candidate positions, and
 * each rule's PCRE2 pattern runs only on a bounded window around them.
 * Streams are scanned in chunks that overlap by the ruleset's span, and
 * hits are emitted in offset order with their line and column, flagged
 * when the inline allow marker stands next to them.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/error.h"
#include "engine/internal.h"
#include "engine/multilit.h"

/*
 * A hit waiting for its line number, by absolute offset; a decoded one
 * owns a copy of its token (wiped when freed).
 */
struct pending {
	size_t rule;
	uint64_t start, end;
	char *secret; /* decoded hits only */
	size_t len;
	const char *encoding[HIT_MAX_ENCODING];
	unsigned nencoding;
};

struct scanner {
	const struct ruleset *rs;
	pcre2_match_data **md; /* one per rule */
	unsigned char *active; /* per rule: not disabled by allow.paths */
	uint64_t *last_end;    /* per rule: end of its last match */
	size_t *next;	       /* per keyword: next occurrence in chunk */
	struct pending *pend;
	size_t npend, cappend;
	char *chunk; /* stream buffer, SCANNER_CHUNK + span bytes */
	char *esc;   /* a window after an escape: 4 + rs->after bytes */
	int held;    /* a rule matched in this stream: wipe the chunk */
	/* the stream in progress: chunk[0..len) holds stream bytes from base */
	size_t cap, len, hit_from, used;
	uint64_t base;
	int applies; /* a rule applies to the stream's path */
	int err;     /* a fed stream's first error, kept */
	hit_fn cb;
	void *ctx;
	trigger_fn trigger;
	void *tctx;
	/* line tracking: a newline count up to abs offset pos */
	uint64_t pos, line, line_start;
	uint64_t line_chars; /* code points from line_start to pos */
};

int scanner_new(struct scanner **out, const struct ruleset *rs)
{
	struct scanner *s;
	size_t i;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return error_nomem();
	s->rs = rs;
	s->md = calloc(rs->nrules ? rs->nrules : 1, sizeof(*s->md));
	s->active = calloc(rs->nrules ? rs->nrules : 1, 1);
	s->last_end = calloc(rs->nrules ? rs->nrules : 1, sizeof(uint64_t));
	s->next = calloc(rs->nkeywords ? rs->nkeywords : 1, sizeof(size_t));
	s->esc = malloc(4 + rs->after);
	if (!s->md || !s->active || !s->last_end || !s->next || !s->esc)
		goto fail;
	for (i = 0; i < rs->nrules; i++) {
		s->md[i] = pcre2_match_data_create_from_pattern(
			rs->rules[i].code, NULL);
		if (!s->md[i])
			goto fail;
	}
	*out = s;
	return 0;
fail:
	scanner_free(s);
	return error_nomem();
}

/* Frees the decoded tokens of pend[from..to), wiping them. */
static void pend_drop(struct scanner *s, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (s->pend[i].secret) {
			explicit_bzero(s->pend[i].secret, s->pend[i].len);
			free(s->pend[i].secret);
			s->pend[i].secret = NULL;
		}
}

void scanner_set_trigger(struct scanner *s, trigger_fn fn, void *ctx)
{
	s->trigger = fn;
	s->tctx = ctx;
}

void scanner_free(struct scanner *s)
{
	size_t i;

	if (!s)
		return;
	pend_drop(s, 0, s->npend);
	if (s->md)
		for (i = 0; i < s->rs->nrules; i++)
			pcre2_match_data_free(s->md[i]);
	free(s->md);
	free(s->active);
	free(s->last_end);
	free(s->next);
	free(s->esc);
	free(s->pend);
	free(s->chunk);
	free(s);
}

static int regex_matches(pcre2_code *code, const char *p, size_t n)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc;

	if (!md)
		return 0;
	rc = pcre2_match(code, (PCRE2_SPTR)p, n, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

int ruleset_allows_path(const struct ruleset *rs, const struct rule_spec *spec,
			const char *path)
{
	size_t i, j;

	for (i = 0; i < rs->nrules; i++) {
		const struct compiled_rule *r = &rs->rules[i];

		if (&r->spec != spec)
			continue;
		for (j = 0; j < r->spec.nallow_paths; j++)
			if (regex_matches(r->allow_paths[j], path,
					  strlen(path)))
				return 1;
	}
	return 0;
}

/* Sets up per-stream state; returns how many rules apply to path. */
static size_t scan_begin(struct scanner *s, const char *path)
{
	size_t i, nactive = 0;

	for (i = 0; i < s->rs->nrules; i++) {
		s->active[i] =
			!path || !ruleset_allows_path(
					 s->rs, &s->rs->rules[i].spec, path);
		nactive += s->active[i];
		s->last_end[i] = 0;
	}
	pend_drop(s, 0, s->npend);
	s->npend = 0;
	s->held = 0;
	s->pos = 0;
	s->line = 1;
	s->line_start = 0;
	s->line_chars = 0;
	return nactive;
}

size_t rule_body_offset(const struct rule_spec *spec, const char *p, size_t n)
{
	size_t i, best = 0;

	for (i = 0; i < spec->nkeywords; i++) {
		size_t kl = strlen(spec->keywords[i]);

		if (kl <= n && kl > best && !memcmp(p, spec->keywords[i], kl))
			best = kl;
	}
	return best;
}

/* 1 if the secret passes the rule's length, placeholder and allow checks. */
static int secret_passes(const struct compiled_rule *r, const char *p, size_t n)
{
	const struct rule_spec *spec = &r->spec;
	size_t off = rule_body_offset(spec, p, n), i;
	const char *body = p + off;
	size_t blen = n - off;

	if (blen < spec->min_length || blen > spec->max_length)
		return 0;
	if (is_repeated_char(body, blen))
		return 0;
	if (shannon_entropy(body, blen) < spec->min_entropy)
		return 0;
	if (has_stopword(body, blen, spec->stopwords, spec->nstopwords))
		return 0;
	for (i = 0; i < spec->nallow_values; i++)
		if (regex_matches(r->allow_values[i], p, n))
			return 0;
	return 1;
}

static int pend_add(struct scanner *s, size_t rule, uint64_t start,
		    uint64_t end)
{
	int err = ARRAY_GROW(s->pend, s->npend, s->cappend);

	if (err)
		return err;
	memset(&s->pend[s->npend], 0, sizeof(s->pend[s->npend]));
	s->pend[s->npend].rule = rule;
	s->pend[s->npend].start = start;
	s->pend[s->npend].end = end;
	s->npend++;
	return 0;
}

int scanner_add_decoded(struct scanner *s, size_t rule, uint64_t start,
			uint64_t end, const char *secret, size_t len,
			const char *const *encoding, unsigned nencoding)
{
	struct pending *pd;
	char *copy;
	int err;

	if (!s->active[rule])
		return 0; /* allow.paths: the rule does not apply here */
	if (nencoding > HIT_MAX_ENCODING)
		nencoding = HIT_MAX_ENCODING;
	if (!(copy = malloc(len ? len : 1)))
		return error_nomem();
	memcpy(copy, secret, len);
	if ((err = pend_add(s, rule, start, end))) {
		explicit_bzero(copy, len);
		free(copy);
		return err;
	}
	pd = &s->pend[s->npend - 1];
	pd->secret = copy;
	pd->len = len;
	memcpy(pd->encoding, encoding, nencoding * sizeof(*encoding));
	pd->nencoding = nencoding;
	s->held = 1;
	return 0;
}

/*
 * Runs r on subj[from..to) until a match covers subj[p]: 1 with md's
 * ovector set, 0 if none does (or the match limit was reached).
 */
static int match_covering(const struct compiled_rule *r, pcre2_match_data *md,
			  pcre2_match_context *mctx, const char *subj,
			  size_t to, size_t from, size_t p)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

	for (;;) {
		if (pcre2_match(r->code, (PCRE2_SPTR)subj, to, from, 0, md,
				mctx) < 0)
			return 0;
		if (ov[0] > p)
			return 0;
		if (ov[1] > p)
			return 1;
		from = ov[1] > from ? ov[1] : from + 1;
		if (from >= to)
			return 0;
	}
}

/*
 * Runs r on the window data[p..to) with the character an escape ending at
 * p stands for put before it, so the rule's left boundary judges that
 * character ("\u003d" is '=', "%41" is 'A'). 1 with ov (offsets into
 * data) set when a match starts at p, else 0.
 */
static int match_after_escape(struct scanner *s, const struct compiled_rule *r,
			      pcre2_match_data *md, const char *data, size_t to,
			      size_t p, size_t ov[4])
{
	PCRE2_SIZE *mv = pcre2_get_ovector_pointer(md);
	size_t pre = escape_before(data, p, s->esc), i;
	int found;

	if (!pre)
		return 0;
	memcpy(s->esc + pre, data + p, to - p);
	found = match_covering(r, md, s->rs->mctx, s->esc, pre + to - p, pre,
			       pre);
	explicit_bzero(s->esc + pre, to - p);
	if (!found)
		return 0;
	for (i = 0; i < 4; i++) {
		size_t v = i < 2 ? mv[i] : mv[2 * r->secret_group + i - 2];

		if (v == PCRE2_UNSET || v < pre)
			return 0; /* the secret starts inside the escape */
		ov[i] = v - pre + p;
	}
	return 1;
}

/*
 * Runs rule ri on the window around a keyword hit at data[p]. A match
 * counts only if it covers the hit, so what is found never depends on
 * where chunks or windows happen to start. With no such match, a match
 * starting at p after an escape sequence counts too.
 */
static int match_at(struct scanner *s, size_t ri, const char *data, size_t len,
		    uint64_t base, size_t p)
{
	const struct compiled_rule *r = &s->rs->rules[ri];
	pcre2_match_data *md = s->md[ri];
	PCRE2_SIZE *mv = pcre2_get_ovector_pointer(md);
	/* Not rs->before: that is raised for triggers, which reach further
	 * back than a rule's left boundary needs to look. */
	size_t from = p > ENGINE_CONTEXT ? p - ENGINE_CONTEXT : 0;
	size_t to = len - p > r->after ? p + r->after : len;
	size_t ov[4]; /* match start and end, secret start and end */

	if (s->last_end[ri] > base + p)
		return 0; /* inside a match already taken */
	if (s->last_end[ri] > base + from)
		from = (size_t)(s->last_end[ri] - base);
	if (match_covering(r, md, s->rs->mctx, data, to, from, p)) {
		ov[0] = mv[0];
		ov[1] = mv[1];
		ov[2] = mv[2 * r->secret_group];
		ov[3] = mv[2 * r->secret_group + 1];
	} else if (!match_after_escape(s, r, md, data, to, p, ov)) {
		return 0;
	}
	/* A match cut by the window's end might be longer: not a match. */
	if (ov[1] == to && to < len)
		return 0;
	s->last_end[ri] = base + ov[1];
	s->held = 1; /* filtered out or not, it looks like a secret */
	if (ov[2] == PCRE2_UNSET || ov[3] <= ov[2])
		return 0;
	if (!secret_passes(r, data + ov[2], ov[3] - ov[2]))
		return 0;
	return pend_add(s, ri, base + ov[2], base + ov[3]);
}

/* What one literal of the prefilter met at data[p] sets off. */
static int at_keyword(struct scanner *s, const struct keyword *kw,
		      const char *data, size_t len, uint64_t base, size_t p)
{
	size_t i;
	int err;

	if (kw->trigger && s->trigger &&
	    (err = s->trigger(s->tctx, s, kw->trigger - 1, data, len, base, p)))
		return err;
	for (i = 0; i < kw->nrules; i++) {
		if (!s->active[kw->rules[i]])
			continue;
		if ((err = match_at(s, kw->rules[i], data, len, base, p)))
			return err;
	}
	return 0;
}

struct literal_ctx {
	struct scanner *s;
	const char *data;
	size_t len;
	uint64_t base;
};

static int on_literal(void *ctx, size_t pos, size_t k)
{
	struct literal_ctx *c = ctx;

	return at_keyword(c->s, &c->s->rs->keywords[k], c->data, c->len,
			  c->base, pos);
}

/*
 * Processes keyword hits at data[hit_from .. hit_to), in order of
 * position (then of keyword): one multilit pass, or, for a ruleset with
 * more literals than one holds, memmem per literal merged in order.
 */
static int find_hits(struct scanner *s, const char *data, size_t len,
		     uint64_t base, size_t hit_from, size_t hit_to)
{
	const struct ruleset *rs = s->rs;
	struct literal_ctx lc = {s, data, len, base};
	size_t k;
	int err;

	if (rs->ml)
		return multilit_scan(rs->ml, data, len, hit_from, hit_to,
				     on_literal, &lc);
	for (k = 0; k < rs->nkeywords; k++) {
		const char *q =
			memmem(data + hit_from, len - hit_from,
			       rs->keywords[k].text, rs->keywords[k].len);
		s->next[k] = q ? (size_t)(q - data) : SIZE_MAX;
	}
	for (;;) {
		size_t best = SIZE_MAX, bk = 0;
		const struct keyword *kw;
		const char *q;

		for (k = 0; k < rs->nkeywords; k++)
			if (s->next[k] < best) {
				best = s->next[k];
				bk = k;
			}
		if (best >= hit_to)
			return 0;
		kw = &rs->keywords[bk];
		if ((err = at_keyword(s, kw, data, len, base, best)))
			return err;
		q = memmem(data + best + 1, len - best - 1, kw->text, kw->len);
		s->next[bk] = q ? (size_t)(q - data) : SIZE_MAX;
	}
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Counts lines in the bytes between the tracked position and abs. */
/* Code points in p[0..n): bytes that do not continue a UTF-8 sequence. */
/*
 * Line and code point counts run over every byte a stream holds: in
 * blocks of 64, whose fixed trip count lets -O2 vectorise them (a byte
 * counter cannot overflow in one block), then byte by byte.
 */
#define COUNT_BLOCK 64

/* The newlines in p[0..n). */
static uint64_t count_newlines(const char *p, size_t n)
{
	uint64_t c = 0;
	size_t i;

	for (; n >= COUNT_BLOCK; p += COUNT_BLOCK, n -= COUNT_BLOCK) {
		unsigned char k = 0;

		for (i = 0; i < COUNT_BLOCK; i++)
			k += p[i] == '\n';
		c += k;
	}
	for (i = 0; i < n; i++)
		c += p[i] == '\n';
	return c;
}

static uint64_t count_chars(const char *p, size_t n)
{
	uint64_t c = 0;
	size_t i;

	for (; n >= COUNT_BLOCK; p += COUNT_BLOCK, n -= COUNT_BLOCK) {
		unsigned char k = 0;

		for (i = 0; i < COUNT_BLOCK; i++)
			k += ((unsigned char)p[i] & 0xc0) != 0x80;
		c += k;
	}
	for (i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xc0) != 0x80;
	return c;
}

/*
 * Moves the tracked position to abs, counting newlines on the way, and the
 * code points between the last line start and abs.
 */
static void advance_lines(struct scanner *s, const char *data, uint64_t base,
			  uint64_t abs)
{
	const char *p = data + (s->pos - base);
	const char *end = data + (abs - base);
	const char *last = end > p ? memrchr(p, '\n', (size_t)(end - p)) : NULL;

	/* A counting loop, not memchr per line: a call for every short line
	 * of a large file costs more. */
	if (last) {
		s->line += count_newlines(p, (size_t)(last - p) + 1);
		s->line_start = base + (uint64_t)(last - data) + 1;
		s->line_chars = 0;
		p = last + 1;
	}
	s->line_chars += count_chars(p, (size_t)(end - p));
	s->pos = abs;
}

/*
 * 1 if ALLOW_MARKER stands on the line of the secret at data[start..end)
 * with at most ALLOW_DISTANCE bytes between them, on either side. Only
 * ALLOW_REACH bytes on each side are read: the stream keeps at least that
 * many around every hit it emits (fewer only at the stream's own ends).
 */
static int near_marker(const char *data, size_t len, size_t start, size_t end)
{
	size_t lo = start > ALLOW_REACH ? start - ALLOW_REACH : 0;
	size_t hi = len - end > ALLOW_REACH ? end + ALLOW_REACH : len;
	const char *nl = memrchr(data + lo, '\n', start - lo);

	if (nl)
		lo = (size_t)(nl - data) + 1;
	if ((nl = memchr(data + end, '\n', hi - end)))
		hi = (size_t)(nl - data);
	return memmem(data + lo, start - lo, ALLOW_MARKER,
		      sizeof(ALLOW_MARKER) - 1) ||
	       memmem(data + end, hi - end, ALLOW_MARKER,
		      sizeof(ALLOW_MARKER) - 1);
}

/*
 * The end of h (line, column and span set) whose raw bytes are raw: on
 * the line of its start, or past the last line break among them.
 */
static void set_end(struct hit *h, const char *raw)
{
	size_t n = (size_t)h->span;
	const char *last = n ? memrchr(raw, '\n', n) : NULL;

	if (!last) {
		h->end_line = h->line;
		h->end_column = h->column + h->span;
		h->char_end_column = h->char_column + count_chars(raw, n);
		return;
	}
	h->end_line = h->line + count_newlines(raw, (size_t)(last - raw) + 1);
	h->end_column = (uint64_t)(raw + n - last);
	h->char_end_column =
		count_chars(last + 1, (size_t)(raw + n - last - 1)) + 1;
}

/* Emits pending hits that start before limit (absolute), in order. */
static int emit_pending(struct scanner *s, const char *data, size_t len,
			uint64_t base, uint64_t limit, hit_fn cb, void *ctx)
{
	size_t i, done = 0;
	int err = 0;

	if (s->npend > 1)
		qsort(s->pend, s->npend, sizeof(*s->pend), cmp_pending);
	for (i = 0; i < s->npend && s->pend[i].start < limit; i++) {
		struct pending *pd = &s->pend[i];
		struct hit h;

		const char *raw = data + (pd->start - base);

		memset(&h, 0, sizeof(h));
		advance_lines(s, data, base, pd->start);
		h.rule = pd->rule;
		h.span = pd->end - pd->start;
		h.secret = pd->secret ? pd->secret : raw;
		h.len = pd->secret ? pd->len : (size_t)h.span;
		h.offset = pd->start;
		h.line = s->line;
		h.column = pd->start - s->line_start + 1;
		h.char_column = s->line_chars + 1;
		set_end(&h, raw);
		memcpy(h.encoding, pd->encoding, sizeof(h.encoding));
		h.nencoding = pd->nencoding;
		h.allowed = s->rs->inline_allow &&
			    near_marker(data, len, (size_t)(pd->start - base),
					(size_t)(pd->end - base));
		done++;
		if ((err = cb(ctx, &h)))
			break;
	}
	pend_drop(s, 0, done);
	if (done && done < s->npend)
		memmove(s->pend, s->pend + done,
			(s->npend - done) * sizeof(*s->pend));
	s->npend -= done;
	return err;
}

int scanner_scan_mem(struct scanner *s, const char *path, const char *data,
		     size_t len, hit_fn cb, void *ctx)
{
	int err;

	if (!scan_begin(s, path))
		return 0;
	if ((err = find_hits(s, data, len, 0, 0, len)))
		return err;
	return emit_pending(s, data, len, 0, UINT64_MAX, cb, ctx);
}

/* Reads until dst is full or the stream ends: bytes read, or <0. */
static long read_full(read_fn rd, void *rctx, char *dst, size_t len, int *eof)
{
	size_t got = 0;

	while (got < len) {
		long n = rd(rctx, dst + got, len - got);

		if (n < 0)
			return n;
		if (n == 0) {
			*eof = 1;
			break;
		}
		got += (size_t)n;
	}
	return (long)got;
}

/* Starts a stream: per-stream state, and the chunk it is read into. */
static int stream_begin(struct scanner *s, const char *path, hit_fn cb,
			void *ctx)
{
	const struct ruleset *rs = s->rs;

	/* Beyond the match windows, the bytes a marker check may read. */
	s->cap = SCANNER_CHUNK + rs->before + rs->after + 2 * ALLOW_REACH;
	s->len = s->hit_from = s->used = 0;
	s->base = 0;
	s->err = 0;
	s->cb = cb;
	s->ctx = ctx;
	s->applies = scan_begin(s, path) > 0;
	if (!s->chunk && !(s->chunk = malloc(s->cap)))
		return error_nomem();
	return 0;
}

/*
 * Scans the chunk, which is full (or holds the stream's last bytes: eof),
 * and keeps of it what later windows may reach.
 */
static int stream_step(struct scanner *s, int eof)
{
	const struct ruleset *rs = s->rs;
	size_t post = rs->after + ALLOW_REACH;
	size_t hit_to, emit_to, keep;
	char *data = s->chunk;
	int err;

	if (s->len > s->used)
		s->used = s->len;
	if (!s->applies) {
		s->len = 0; /* every rule is allowed here: only count */
		return 0;
	}
	hit_to = eof ? s->len : s->len - post;
	if ((err = find_hits(s, data, s->len, s->base, s->hit_from, hit_to)))
		return err;
	if (eof)
		return emit_pending(s, data, s->len, s->base, UINT64_MAX, s->cb,
				    s->ctx);
	/*
	 * No later keyword can give a hit starting before emit_to, and
	 * those hits end at most post - ALLOW_REACH bytes before len. Keep
	 * what later windows and marker checks may reach.
	 */
	emit_to = hit_to - rs->before;
	if ((err = emit_pending(s, data, s->len, s->base, s->base + emit_to,
				s->cb, s->ctx)))
		return err;
	keep = emit_to - ALLOW_REACH;
	if (s->base + keep > s->pos)
		advance_lines(s, data, s->base, s->base + keep);
	memmove(data, data + keep, s->len - keep);
	s->base += keep;
	s->len -= keep;
	s->hit_from = rs->before + ALLOW_REACH;
	return 0;
}

/*
 * Ends a stream: bytes that matched a rule are wiped; so is a stream not
 * scanned (allow.paths), which may hold one. Others cost nothing more.
 */
static void stream_end(struct scanner *s)
{
	if (s->chunk && (s->held || !s->applies))
		explicit_bzero(s->chunk, s->used);
	s->used = s->len = 0;
}

int scanner_scan_stream(struct scanner *s, const char *path, read_fn rd,
			void *rctx, hit_fn cb, void *ctx, uint64_t *bytes_out)
{
	uint64_t total = 0;
	int eof = 0, err;

	if (bytes_out)
		*bytes_out = 0;
	if ((err = stream_begin(s, path, cb, ctx)))
		return err;
	while (!eof) {
		long n = read_full(rd, rctx, s->chunk + s->len, s->cap - s->len,
				   &eof);

		if (n < 0) {
			err = (int)n;
			break;
		}
		s->len += (size_t)n;
		total += (uint64_t)n;
		if ((err = stream_step(s, eof)))
			break;
	}
	stream_end(s);
	if (bytes_out)
		*bytes_out = total;
	return err;
}

int scanner_feed_begin(struct scanner *s, const char *path, hit_fn cb,
		       void *ctx)
{
	return s->err = stream_begin(s, path, cb, ctx);
}

int scanner_feed(struct scanner *s, const char *data, size_t len)
{
	while (!s->err && s->applies && len) {
		size_t k = s->cap - s->len < len ? s->cap - s->len : len;

		memcpy(s->chunk + s->len, data, k);
		s->len += k;
		data += k;
		len -= k;
		if (s->len == s->cap)
			s->err = stream_step(s, 0);
	}
	return s->err;
}

int scanner_feed_end(struct scanner *s)
{
	if (!s->err)
		s->err = stream_step(s, 1);
	stream_end(s);
	return s->err;
}

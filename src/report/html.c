/*
 * The html writer: one self-contained page for people to look at after a
 * scan or a sweep: what was scanned, the counts and problems, a timeline
 * of each token's exposure, the repositories, and one card per token.
 * Style and script are inline, allowed by their hashes; nothing is fetched.
 *
 * DOM CONTRACT (tests rely on it: extend it, never rename):
 *   meta[http-equiv="Content-Security-Policy"]: default-src 'none';
 *     style-src and script-src each the 'sha256-...' of the one <style>
 *     and the one <script> that runs (the other holds the card data);
 *     img-src data:; base-uri and form-action 'none'.
 *   #scan: a dl.facts, one dd[data-field=F] per fact, F among version,
 *     rules_digest, command, targets, started_at, duration, repositories,
 *     refs, commits, blobs, files, bytes, suppressed (each when it applies).
 *   #summary: data-count-{tokens,findings,live,invalid,unknown,unverified,
 *     revoked,errors,skipped,repositories,failed} (integers). Tokens are
 *     distinct (by fingerprint); live counts tokens verified live, revoked
 *     or not; failed counts repositories not scanned whole.
 *   #problems (only when there is one), a ul: one li.problem[data-kind=
 *     error|skipped|warning][data-count] per problem of the scan, in its
 *     order; li.problem.unlisted[data-count] when more were not listed;
 *     one li.incomplete[data-repository] per repository not scanned whole.
 *   svg#timeline: one g.bar[data-fingerprint][data-start][data-end]
 *     [data-open][data-status][data-revocation] per token, in row order:
 *     tokens with a date first, ordered by status (live and not revoked,
 *     then unknown or not verified and not revoked, then revoked, then
 *     invalid), then by exposure, longest first, then fingerprint; then
 *     tokens without a date (a dir scan), by status then fingerprint.
 *     data-start is the oldest commit date of the token; data-end its
 *     revocation time (revoked), or the time it was checked (invalid), or
 *     the scan's start (open); both "" without a date. data-open is
 *     "true" while the token's exposure has not ended as far as this run
 *     knows (neither revoked nor verified invalid), "false" once it has,
 *     with or without a date: a token found only in files (a dir scan)
 *     is open unless revoked or invalid. Each bar holds a rect (dated)
 *     or a text.no-date (not dated) that ends with how it stands: "still
 *     open", "revoked at T" or "found invalid at T".
 *   #repos, a table: thead th[data-sort=KEY][data-type=text|num] with a
 *     button, KEY among repository, status, tokens, live, findings,
 *     commits, blobs, bytes, error; tbody one tr[data-status=scanned|
 *     failed|empty][data-repository] per repository of a sweep (one row
 *     for a single scan), each td[data-key=KEY][data-value=sort key].
 *   select#filter-status: option values "" (all), scanned, failed, empty;
 *     the script sets hidden on the rows it filters out.
 *   #tokens: one article.card[data-fingerprint][data-status=live|invalid|
 *     unknown|unverified][data-revocation=revoked|revoke_failed|
 *     revoke_unsupported|skipped|dry_run|none] per token, id "t-" + the
 *     fingerprint's 64 hex digits, in the timeline's order, holding
 *     .token (redacted) and p.seen: "first in WHERE line N[ of REPO][,
 *     DATE]; N findings[ in N repositories]" (what the page shows with
 *     script off, and what find in page finds in a card not yet built).
 *   script#card-data[type="application/json"] (data, never run): {"cards":
 *     [one entry per card, in their order], "repositories": [names],
 *     "advice": [ADVICE...]}, its strings redacted, then escaped by
 *     escape_json_html (no "<" in it). An entry: {"facts": [FACT...],
 *     "seen": [FACT...] (the first appearance), "n": findings, "nrepos":
 *     repositories (0 outside a sweep), "places": [PLACE...] (the first
 *     100), "first": the index in places of the first appearance (-1: not
 *     listed), "more": places left out, "next": an index in advice}.
 *     FACT is [FIELD, SEGMENTS]; SEGMENTS a list of strings (text) and of
 *     arrays of one string (code). PLACE is [an index in repositories or
 *     -1, path, line, commit, date, occurrences (0: not counted),
 *     reachable 1|0|-1, and without a path the SEGMENTS of where]. ADVICE
 *     is [[rule id, [paragraph...]]...], one per rule of the token.
 *   div.detail: added to a card by the script when the card comes within
 *     1000px of the viewport (IntersectionObserver), and to every card on
 *     beforeprint, from its entry, every text set as textContent:
 *     p.fingerprint, dl.facts dd[data-field=rule|verification|project|
 *     revocation|exposed], dl.first-seen dd[data-field=repository|commit|
 *     path|line|author|date|encoding], table.places tr.place
 *     [data-repository][data-path][data-line][data-commit]
 *     [data-reachable=true|false|""] (tr.first for the first appearance;
 *     tr.more[data-count] when places were left out), and .next (what to
 *     do).
 */
#include "util/common.h"
#include "util/clock.h"

#include <inttypes.h>
#include <stdarg.h>

#include "finding/group.h"
#include "finding/redact.h"
#include "report/writers.h"
#include "util/base64.h"
#include "util/error.h"
#include "util/escape.h"
#include "util/idmap.h"
#include "util/sha256.h"

extern const char report_css[], report_js[];
extern const size_t report_css_len, report_js_len;

/* Places listed on one card; the JSON report lists them all. */
#define PLACES_LISTED_MAX 100

/* The timeline's drawing, in SVG user units. */
#define TL_WIDTH 960
#define TL_LABEL 4   /* x of a row's label */
#define TL_LEFT	 230 /* x where time starts */
#define TL_RIGHT 940 /* x where time ends */
#define TL_TOP	 28  /* y of the first row */
#define TL_ROW	 20  /* height of a row */
#define DAY_MS	 ((int64_t)86400000)

/* One token: its findings (a run of the token groups' order). */
struct token {
	size_t at, n;		     /* its findings: order[at .. at + n) */
	const struct finding *first; /* oldest date; list order on ties */
	const struct finding *v, *r; /* verification and revocation */
	const char *end_at;	     /* revoked or checked at; NULL: open */
	int64_t start_ms, end_ms;
	int dated, open, rank;
	size_t nrepos; /* of a sweep's repositories */
};

/*
 * Distinct JSON values of the card data (repository names, advice), each
 * written once and referred to by its index.
 */
struct strtab {
	struct idmap ids; /* the value's SHA-256 (its first ID_LEN bytes) */
	struct buf json;  /* the values, comma-separated, in index order */
	uint32_t n;
};

struct html {
	FILE *out;
	const struct report_opts *opts;
	const struct scan_info *scan;
	const struct findings *l;
	struct buf b;	       /* the page being built, flushed by parts */
	struct scanner *sc;    /* redacts tokens in texts (with rules) */
	struct token_groups g; /* order holds each token's findings */
	struct token *tok;     /* in row order */
	size_t ntok;
	int json; /* writing the card data: segments as JSON */
	struct strtab repos, advice; /* of the card data */
	int err; /* the first failure; later calls do nothing */
};

static void fail(struct html *h, int err)
{
	if (!h->err)
		h->err = err;
}

static void put(struct html *h, const char *s)
{
	buf_puts(&h->b, s);
}

/*
 * Text from the data (or a rule file) into the page: every token in it
 * redacted first, whatever --show-secret says, then escaped by esc
 * (escape_html, or escape_json_html in the card data).
 */
static void text_esc(struct html *h, const char *p, size_t n,
		     int (*esc)(struct buf *, const char *, size_t))
{
	char *copy;
	int err;

	if (h->err)
		return;
	if (!h->sc) {
		esc(&h->b, p, n);
		return;
	}
	if (!(copy = malloc(n + 1))) {
		fail(h, error_nomem());
		return;
	}
	memcpy(copy, p, n);
	copy[n] = '\0';
	err = redact_text(h->sc, h->opts->rules, &copy);
	if (err)
		fail(h, err);
	else
		esc(&h->b, copy, strlen(copy));
	explicit_bzero(copy, strlen(copy));
	free(copy);
}

static void text_n(struct html *h, const char *p, size_t n)
{
	text_esc(h, p, n, escape_html);
}

static void text(struct html *h, const char *s)
{
	if (s)
		text_n(h, s, strlen(s));
}

/*
 * JSON of the card data: a comma before a value unless it opens an
 * array or an object, follows a key or a comma.
 */
static void jsep(struct html *h)
{
	if (h->b.len && !strchr("[{:,", h->b.ptr[h->b.len - 1]))
		put(h, ",");
}

static void jkey(struct html *h, const char *key)
{
	jsep(h);
	buf_printf(&h->b, "\"%s\":", key);
}

static void jnum(struct html *h, int64_t v)
{
	jsep(h);
	buf_printf(&h->b, "%" PRId64, v);
}

/*
 * Segments of a text. In the page they are HTML (seg_code as <code>); in
 * the card data (h->json) they are the values of a list, a string for
 * text and an array of one string for code. seg_lit writes nfguard's own
 * words; seg_text and seg_code text from the data (NULL as "").
 */
static void seg_lit(struct html *h, const char *s)
{
	if (!h->json) {
		escape_html(&h->b, s, strlen(s));
		return;
	}
	jsep(h);
	put(h, "\"");
	escape_json_html(&h->b, s, strlen(s));
	put(h, "\"");
}

static void seg_text(struct html *h, const char *s)
{
	if (!s)
		s = "";
	if (!h->json) {
		text(h, s);
		return;
	}
	jsep(h);
	put(h, "\"");
	text_esc(h, s, strlen(s), escape_json_html);
	put(h, "\"");
}

static void seg_code(struct html *h, const char *s)
{
	if (!h->json) {
		put(h, "<code>");
		text(h, s);
		put(h, "</code>");
		return;
	}
	jsep(h);
	put(h, "[");
	seg_text(h, s);
	put(h, "]");
}

/* seg_lit of printf-formatted words. */
static void seg_litf(struct html *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void seg_litf(struct html *h, const char *fmt, ...)
{
	char s[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	seg_lit(h, s);
}

/* ' NAME="VALUE"', the value from the data. */
static void attr(struct html *h, const char *name, const char *value)
{
	buf_printf(&h->b, " %s=\"", name);
	text(h, value ? value : "");
	put(h, "\"");
}

/* Writes what was built, unless something failed, and empties it. */
static void flush(struct html *h)
{
	if (!h->err && buf_failed(&h->b))
		fail(h, buf_failed(&h->b));
	if (!h->err && h->b.len)
		fwrite(h->b.ptr, 1, h->b.len, h->out);
	buf_reset(&h->b);
}

static const char *verification_word(const struct token *t)
{
	const char *s = verification_status_name(t->v->verification.status);

	return s ? s : "unverified";
}

static const char *revocation_word(const struct token *t)
{
	const char *s = revocation_status_name(t->r->revocation.status);

	return s ? s : "none";
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* A date of the data in Unix milliseconds, or 0 when it is not one. */
static int date_ms(const char *s, int64_t *ms)
{
	return s && !clock_parse_iso(s, ms);
}

/* The row order of the contract: status group, exposure, fingerprint. */
static int cmp_token(const void *pa, const void *pb)
{
	const struct token *a = pa, *b = pb;
	int64_t ea = a->end_ms - a->start_ms, eb = b->end_ms - b->start_ms;

	if (a->dated != b->dated)
		return b->dated - a->dated;
	if (a->rank != b->rank)
		return a->rank - b->rank;
	if (a->dated && ea != eb)
		return ea > eb ? -1 : 1;
	return memcmp(a->first->digest, b->first->digest,
		      sizeof(a->first->digest));
}

/* Fills t from its findings: where it first appeared, status, window. */
static void token_fill(struct html *h, struct token *t)
{
	const struct findings *l = h->l;
	const struct finding *f;
	int64_t ms, first_ms = 0;
	size_t k;

	t->v = t->r = &l->v[h->g.order[t->at]];
	for (k = 0; k < t->n; k++) {
		f = &l->v[h->g.order[t->at + k]];
		if (f->verification.status && !t->v->verification.status)
			t->v = f;
		if (f->revocation.status && !t->r->revocation.status)
			t->r = f;
		if (date_ms(f->date, &ms) &&
		    (!t->dated || ms < first_ms ||
		     (ms == first_ms && f < t->first))) {
			t->dated = 1;
			first_ms = ms;
			t->first = f;
		} else if (!t->dated && (!t->first || f < t->first)) {
			t->first = f;
		}
	}
	if (!t->v->verification.status)
		t->v = t->first;
	if (!t->r->revocation.status)
		t->r = t->first;
	t->start_ms = first_ms;
	t->end_ms = h->scan->started_at_ms;
	t->open = 1;
	if (t->r->revocation.status == REVOCATION_REVOKED) {
		t->open = 0;
		t->rank = 2;
		if (date_ms(t->r->revocation.at, &ms)) {
			t->end_at = t->r->revocation.at;
			t->end_ms = ms;
		}
	} else if (t->v->verification.status == VERIFICATION_INVALID) {
		t->open = 0;
		t->rank = 3;
		if (date_ms(t->v->verification.checked_at, &ms)) {
			t->end_at = t->v->verification.checked_at;
			t->end_ms = ms;
		}
	} else {
		t->rank =
			t->v->verification.status == VERIFICATION_LIVE ? 0 : 1;
	}
	if (t->end_ms < t->start_ms)
		t->end_ms = t->start_ms;
}

/* The tokens of l, one per distinct digest, in row order. */
static int tokens_build(struct html *h)
{
	const struct findings *l = h->l;
	size_t i, j;
	int err;

	if ((err = token_groups_build(&h->g, l)) || !h->g.n)
		return err;
	if (!(h->tok = calloc(h->g.n, sizeof(*h->tok))))
		return error_nomem();
	for (i = 0; i < h->g.n; i = j) {
		struct token *t = &h->tok[h->ntok++];
		const unsigned char *d =
			l->v[token_groups_at(&h->g, i, 0)].digest;

		t->at = h->g.v[i].first;
		for (j = i; j < h->g.n &&
			    !memcmp(l->v[token_groups_at(&h->g, j, 0)].digest,
				    d, FINGERPRINT_DIGEST_LEN);
		     j++)
			t->n += h->g.v[j].n;
		token_fill(h, t);
	}
	qsort(h->tok, h->ntok, sizeof(*h->tok), cmp_token);
	return 0;
}

/* "sha256-BASE64": the CSP source of the bytes p[0..n). */
static void put_hash(struct html *h, const char *p, size_t n)
{
	unsigned char d[32];
	char b64[48];
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, p, n);
	sha256_final(&c, d);
	base64_encode(d, sizeof(d), 1, b64, sizeof(b64));
	buf_printf(&h->b, "'sha256-%s'", b64);
}

static void put_head(struct html *h)
{
	put(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	       "<meta charset=\"utf-8\">\n"
	       "<meta http-equiv=\"Content-Security-Policy\" "
	       "content=\"default-src 'none'; style-src ");
	put_hash(h, report_css, report_css_len);
	put(h, "; script-src ");
	put_hash(h, report_js, report_js_len);
	put(h, "; img-src data:; base-uri 'none'; form-action 'none'\">\n"
	       "<meta name=\"referrer\" content=\"no-referrer\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, "
	       "initial-scale=1\">\n");
	buf_printf(&h->b, "<meta name=\"generator\" content=\"nfguard %s\">\n",
		   NFG_VERSION);
	buf_printf(&h->b,
		   "<title>nfguard report: %zu %s, %zu %s</title>\n<style>",
		   h->ntok, plural(h->ntok, "token", "tokens"), h->l->n,
		   plural(h->l->n, "finding", "findings"));
	buf_add(&h->b, report_css, report_css_len);
	put(h, "</style>\n</head>\n<body>\n");
}

/* "<dt>LABEL</dt><dd data-field=FIELD>" ... closed by the caller. */
static void fact(struct html *h, const char *field, const char *label)
{
	buf_printf(&h->b, "<dt>%s</dt><dd data-field=\"%s\">", label, field);
}

static void fact_u64(struct html *h, const char *field, const char *label,
		     uint64_t v)
{
	fact(h, field, label);
	buf_printf(&h->b, "%" PRIu64 "</dd>\n", v);
}

/* Texts v[0..n) each as code, the words sep between them. */
static void put_codes(struct html *h, const char *const *v, size_t n,
		      const char *sep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			seg_lit(h, sep);
		seg_code(h, v[i]);
	}
}

static void put_scan(struct html *h)
{
	const struct scan_info *s = h->scan;
	uint64_t sup;
	char when[32];

	put(h, "<header>\n<h1>nfguard report</h1>\n"
	       "<section id=\"scan\">\n<dl class=\"facts\">\n");
	fact(h, "version", "nfguard");
	put(h, NFG_VERSION "</dd>\n");
	if (h->opts->rules) {
		char digest[FINGERPRINT_LEN + 1];

		report_rules_digest(h->opts->rules, digest);
		fact(h, "rules_digest", "rules");
		buf_printf(&h->b, "<code>%s</code></dd>\n", digest);
	}
	fact(h, "command", "command");
	put(h, "nfguard ");
	text(h, s->command);
	put(h, "</dd>\n");
	fact(h, "targets", "targets");
	put_codes(h, s->targets, s->ntargets, ", ");
	put(h, "</dd>\n");
	clock_format_ms(s->started_at_ms, when);
	fact(h, "started_at", "started");
	buf_printf(&h->b, "%s</dd>\n", when);
	fact(h, "duration", "duration");
	buf_printf(&h->b, "%" PRIu64 ".%03u s</dd>\n", s->duration_ms / 1000,
		   (unsigned)(s->duration_ms % 1000));
	if (s->has_repositories)
		fact_u64(h, "repositories", "repositories", s->nrepositories);
	if (s->has_git || s->git_dirs) {
		if (s->has_git)
			fact_u64(h, "refs", "refs", s->refs);
		fact_u64(h, "commits", "commits", s->commits);
		fact_u64(h, "blobs", "blobs", s->blobs_scanned);
	}
	if (!s->has_git)
		fact_u64(h, "files", "files", s->files_scanned);
	fact_u64(h, "bytes", "bytes", s->bytes_scanned);
	sup = s->suppressed_ignored + s->suppressed_baseline +
	      s->suppressed_paths + s->suppressed_inline + s->suppressed_state;
	if (s->has_suppressed)
		fact_u64(h, "suppressed", "findings suppressed", sup);
	put(h, "</dl>\n</section>\n</header>\n");
}

static size_t repos_failed(const struct scan_info *s)
{
	size_t i, n = 0;

	if (!s->has_repositories)
		return s->errors ? 1 : 0;
	for (i = 0; i < s->nrepositories; i++)
		n += s->repositories[i].status == REPO_FAILED;
	return n;
}

static void count(struct html *h, const char *key, const char *label,
		  uint64_t v)
{
	buf_printf(&h->b,
		   "<div class=\"count %s\"><b>%" PRIu64 "</b>%s</div>\n", key,
		   v, label);
}

static void put_summary(struct html *h)
{
	const struct scan_info *s = h->scan;
	uint64_t st[4] = {0, 0, 0, 0}, revoked = 0, repos, failed;
	size_t i;

	for (i = 0; i < h->ntok; i++) {
		st[h->tok[i].v->verification.status & 3]++;
		revoked += h->tok[i].r->revocation.status == REVOCATION_REVOKED;
	}
	repos = s->has_repositories ? s->nrepositories : 1;
	failed = repos_failed(s);
	buf_printf(&h->b,
		   "<section id=\"summary\" data-count-tokens=\"%zu\" "
		   "data-count-findings=\"%zu\" data-count-live=\"%" PRIu64
		   "\" "
		   "data-count-invalid=\"%" PRIu64
		   "\" data-count-unknown=\"%" PRIu64
		   "\" data-count-unverified=\"%" PRIu64 "\" "
		   "data-count-revoked=\"%" PRIu64
		   "\" data-count-errors=\"%" PRIu64
		   "\" data-count-skipped=\"%" PRIu64 "\" "
		   "data-count-repositories=\"%" PRIu64 "\" "
		   "data-count-failed=\"%" PRIu64 "\">\n",
		   h->ntok, h->l->n, st[VERIFICATION_LIVE],
		   st[VERIFICATION_INVALID], st[VERIFICATION_UNKNOWN],
		   st[VERIFICATION_NONE], revoked, s->errors, s->skipped, repos,
		   failed);
	count(h, "tokens", plural(h->ntok, "token", "tokens"), h->ntok);
	count(h, "findings", plural(h->l->n, "finding", "findings"), h->l->n);
	count(h, "live", "live", st[VERIFICATION_LIVE]);
	count(h, "invalid", "invalid", st[VERIFICATION_INVALID]);
	count(h, "unknown", "unknown", st[VERIFICATION_UNKNOWN]);
	count(h, "unverified", "not verified", st[VERIFICATION_NONE]);
	count(h, "revoked", "revoked", revoked);
	count(h, "errors", plural(s->errors, "error", "errors"), s->errors);
	if (s->skipped)
		count(h, "skipped", "skipped", s->skipped);
	put(h, "</section>\n");
}

static void put_problems(struct html *h)
{
	static const char *const kinds[] = {"error", "skipped", "warning"};
	const struct scan_info *s = h->scan;
	size_t i;

	if (!s->nproblems && !s->problems_unlisted && !s->errors &&
	    !repos_failed(s))
		return;
	put(h, "<section id=\"problems-section\">\n");
	if (s->errors)
		buf_printf(&h->b,
			   "<h2>Incomplete: %" PRIu64
			   " %s, what follows may miss tokens</h2>\n",
			   s->errors, plural(s->errors, "error", "errors"));
	else
		put(h, "<h2>Problems</h2>\n");
	put(h, "<ul id=\"problems\">\n");
	for (i = 0; i < s->nproblems; i++) {
		const struct scan_problem *p = &s->problems[i];
		const char *kind = kinds[p->kind % 3];

		buf_printf(&h->b,
			   "<li class=\"problem %s\" data-kind=\"%s\" "
			   "data-count=\"%" PRIu64 "\">%s: ",
			   kind, kind, p->count, kind);
		text(h, p->message);
		if (p->count > 1)
			buf_printf(&h->b, " (%" PRIu64 " times)", p->count);
		put(h, "</li>\n");
	}
	if (s->problems_unlisted)
		buf_printf(
			&h->b,
			"<li class=\"problem unlisted\" data-count=\"%" PRIu64
			"\">%" PRIu64
			" more problems are not listed: see the standard "
			"error</li>\n",
			s->problems_unlisted, s->problems_unlisted);
	for (i = 0; s->has_repositories && i < s->nrepositories; i++) {
		const struct scan_repository *r = &s->repositories[i];

		if (r->status != REPO_FAILED)
			continue;
		put(h, "<li class=\"incomplete\"");
		attr(h, "data-repository", r->repository);
		put(h, ">repository <code>");
		text(h, r->repository);
		put(h, "</code> not scanned whole: ");
		text(h, r->error ? r->error : "failed");
		put(h, "</li>\n");
	}
	put(h, "</ul>\n</section>\n");
}

/* The x of a time on the timeline scaled to [lo, hi]. */
static double tl_x(int64_t t, int64_t lo, int64_t hi)
{
	return TL_LEFT +
	       (double)(t - lo) * (TL_RIGHT - TL_LEFT) / (double)(hi - lo);
}

static void put_axis(struct html *h, int64_t lo, int64_t hi, int rows)
{
	char when[32];
	int k, bottom = TL_TOP + rows * TL_ROW;

	put(h, "<g class=\"axis\">\n");
	for (k = 0; k <= 4; k++) {
		int64_t t = lo + (hi - lo) / 4 * k;
		double x = tl_x(t, lo, hi);

		clock_format_ms(t, when);
		when[10] = '\0';
		buf_printf(&h->b,
			   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>"
			   "<text x=\"%.1f\" y=\"14\" "
			   "text-anchor=\"%s\">%s</text>\n",
			   x, x, TL_TOP - 8, bottom, x,
			   k == 0   ? "start"
			   : k == 4 ? "end"
				    : "middle",
			   when);
	}
	buf_printf(
		&h->b,
		"<line class=\"scan-time\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
		"y2=\"%d\"/>\n</g>\n",
		tl_x(h->scan->started_at_ms, lo, hi),
		tl_x(h->scan->started_at_ms, lo, hi), TL_TOP - 8, bottom);
}

/* How an undated token's exposure stands: open, or ended when. */
static void put_undated_end(struct html *h, const struct token *t)
{
	seg_lit(h, t->open	  ? "still open"
		   : t->rank == 2 ? "revoked at "
				  : "found invalid at ");
	if (!t->open)
		seg_text(h, t->end_at ? t->end_at : "an unknown time");
}

static void put_bar(struct html *h, const struct token *t, int row, int64_t lo,
		    int64_t hi)
{
	const struct finding *f = t->first;
	int y = TL_TOP + row * TL_ROW;
	char now[32];
	const char *end = now;
	double x0, x1;

	clock_format_ms(h->scan->started_at_ms, now);
	if (t->end_at)
		end = t->end_at;
	buf_printf(&h->b, "<g class=\"bar %s%s\"", verification_word(t),
		   t->r->revocation.status == REVOCATION_REVOKED ? " revoked"
								 : "");
	attr(h, "data-fingerprint", f->fingerprint);
	attr(h, "data-start", t->dated ? f->date : "");
	attr(h, "data-end", t->dated ? end : "");
	buf_printf(&h->b,
		   " data-open=\"%s\" data-status=\"%s\" "
		   "data-revocation=\"%s\">",
		   t->open ? "true" : "false", verification_word(t),
		   revocation_word(t));
	put(h, "<title>");
	text(h, f->redacted);
	if (t->dated) {
		put(h, ": ");
		text(h, f->date);
		put(h, t->open ? " to the scan, still open" : " to ");
		if (!t->open)
			text(h, end);
	} else {
		put(h, ": no commit date, ");
		put_undated_end(h, t);
	}
	buf_printf(&h->b, "</title><a href=\"#t-%s\"><text x=\"%d\" y=\"%d\">",
		   f->fingerprint + 7, TL_LABEL, y + 14);
	text(h, f->redacted);
	put(h, "</text></a>");
	if (t->dated) {
		x0 = tl_x(t->start_ms, lo, hi);
		x1 = tl_x(t->end_ms, lo, hi);
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		buf_printf(&h->b,
			   "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			   "height=\"12\" "
			   "rx=\"2\"/>",
			   x0, y + 4, x1 - x0);
	} else {
		buf_printf(&h->b,
			   "<text class=\"no-date\" x=\"%d\" y=\"%d\">no "
			   "commit date: found in files, not in history; ",
			   TL_LEFT, y + 14);
		put_undated_end(h, t);
		put(h, "</text>");
	}
	put(h, "</g>\n");
}

static void put_timeline(struct html *h)
{
	int64_t lo = INT64_MAX, hi = h->scan->started_at_ms;
	size_t i, dated = 0;
	int rows = (int)h->ntok;

	for (i = 0; i < h->ntok; i++) {
		if (!h->tok[i].dated)
			continue;
		dated++;
		if (h->tok[i].start_ms < lo)
			lo = h->tok[i].start_ms;
		if (h->tok[i].end_ms > hi)
			hi = h->tok[i].end_ms;
	}
	if (!dated)
		lo = hi;
	if (hi - lo < DAY_MS)
		lo = hi - DAY_MS;
	put(h, "<section id=\"timeline-section\">\n<h2>Exposure</h2>\n"
	       "<p class=\"muted\">Each token from the date it was first "
	       "committed to its revocation, or to the time it was found "
	       "invalid, or to this scan (still open). Live tokens that are "
	       "not revoked come first, the longest exposed at the top.</p>\n");
	buf_printf(&h->b,
		   "<svg id=\"timeline\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		   "height=\"%d\" role=\"img\" aria-label=\"exposure of each "
		   "token\">\n",
		   TL_WIDTH, TL_TOP + rows * TL_ROW + 4, TL_WIDTH,
		   TL_TOP + rows * TL_ROW + 4);
	if (dated)
		put_axis(h, lo, hi, rows);
	for (i = 0; i < h->ntok && !h->err; i++) {
		put_bar(h, &h->tok[i], (int)i, lo, hi);
		flush(h);
	}
	put(h, "</svg>\n</section>\n");
}

/* A cell of #repos: td[data-key][data-value]. */
static void cell_num(struct html *h, const char *key, uint64_t v)
{
	buf_printf(&h->b,
		   "<td class=\"num\" data-key=\"%s\" data-value=\"%" PRIu64
		   "\">%" PRIu64 "</td>",
		   key, v, v);
}

static void cell_text(struct html *h, const char *key, const char *v)
{
	buf_printf(&h->b, "<td data-key=\"%s\"", key);
	attr(h, "data-value", v ? v : "");
	put(h, ">");
	text(h, v ? v : "");
	put(h, "</td>");
}

/* One row of #repos; r NULL for the single repository or folder. */
static void repo_row(struct html *h, const char *name, const char *status,
		     const struct scan_repository *r, uint64_t tokens,
		     uint64_t live)
{
	const struct scan_info *s = h->scan;

	buf_printf(&h->b, "<tr data-status=\"%s\"", status);
	attr(h, "data-repository", name);
	put(h, ">");
	cell_text(h, "repository", name);
	cell_text(h, "status", status);
	cell_num(h, "tokens", tokens);
	cell_num(h, "live", live);
	cell_num(h, "findings", r ? r->findings : h->l->n);
	cell_num(h, "commits", r ? r->commits : s->commits);
	cell_num(h, "blobs", r ? r->blobs : s->blobs_scanned);
	cell_num(h, "bytes", r ? r->bytes : s->bytes_scanned);
	cell_text(h, "error", r ? r->error : NULL);
	put(h, "</tr>\n");
}

/*
 * Each repository's distinct tokens and live ones (tokens[], live[] of
 * nrepositories), and each token's number of repositories.
 */
static int count_repo_tokens(struct html *h, uint64_t *tokens, uint64_t *live)
{
	const struct scan_info *s = h->scan;
	size_t i, k, r, *last = calloc(s->nrepositories + 1, sizeof(size_t));

	if (!last)
		return error_nomem();
	for (i = 0; i < h->ntok; i++) {
		struct token *t = &h->tok[i];

		for (k = 0; k < t->n; k++) {
			r = report_repo_index(
				s, h->l->v[h->g.order[t->at + k]].repository);
			if (r == SIZE_MAX || last[r] == i + 1)
				continue;
			last[r] = i + 1;
			tokens[r]++;
			live[r] +=
				t->v->verification.status == VERIFICATION_LIVE;
			t->nrepos++;
		}
	}
	free(last);
	return 0;
}

static void put_repos(struct html *h)
{
	static const struct {
		const char *key, *label;
		int num;
	} cols[] = {
		{"repository", "repository", 0}, {"status", "status", 0},
		{"tokens", "tokens", 1},	 {"live", "live", 1},
		{"findings", "findings", 1},	 {"commits", "commits", 1},
		{"blobs", "blobs", 1},		 {"bytes", "bytes", 1},
		{"error", "error", 0},
	};
	const struct scan_info *s = h->scan;
	uint64_t *tokens = NULL, *live = NULL, nlive = 0;
	struct buf names;
	size_t i;
	int err;

	put(h, "<section id=\"repositories\">\n<h2>Repositories</h2>\n"
	       "<p><label for=\"filter-status\">show </label>"
	       "<select id=\"filter-status\"><option value=\"\">all</option>"
	       "<option value=\"scanned\">scanned</option>"
	       "<option value=\"failed\">failed</option>"
	       "<option value=\"empty\">empty</option></select></p>\n"
	       "<table id=\"repos\">\n<thead><tr>");
	for (i = 0; i < ARRAY_SIZE(cols); i++)
		buf_printf(&h->b,
			   "<th%s data-sort=\"%s\" data-type=\"%s\"><button "
			   "type=\"button\">%s</button></th>",
			   cols[i].num ? " class=\"num\"" : "", cols[i].key,
			   cols[i].num ? "num" : "text", cols[i].label);
	put(h, "</tr></thead>\n<tbody>\n");
	if (s->has_repositories) {
		tokens = calloc(s->nrepositories + 1, sizeof(*tokens));
		live = calloc(s->nrepositories + 1, sizeof(*live));
		if (!tokens || !live)
			err = error_nomem();
		else
			err = count_repo_tokens(h, tokens, live);
		for (i = 0; !err && i < s->nrepositories; i++) {
			const struct scan_repository *r = &s->repositories[i];

			repo_row(h, r->repository,
				 report_repo_status(r->status), r, tokens[i],
				 live[i]);
		}
		fail(h, err);
	} else {
		buf_init(&names, BUF_DEFAULT_MAX);
		if (s->repository)
			buf_puts(&names, s->repository);
		for (i = 0; !s->repository && i < s->ntargets; i++)
			buf_printf(&names, "%s%s", i ? ", " : "",
				   s->targets[i]);
		for (i = 0; i < h->ntok; i++)
			nlive += h->tok[i].v->verification.status ==
				 VERIFICATION_LIVE;
		fail(h, buf_failed(&names));
		repo_row(h, names.ptr ? names.ptr : "",
			 s->errors ? "failed" : "scanned", NULL, h->ntok,
			 nlive);
		buf_release(&names);
	}
	free(tokens);
	free(live);
	put(h, "</tbody>\n</table>\n</section>\n");
}

/*
 * The index in t of the JSON value written to the page since mark, the
 * value added to t when new, written in its place.
 */
static void put_ref_at(struct html *h, struct strtab *t, size_t mark)
{
	unsigned char d[32];
	struct sha256 c;
	uint32_t *slot;
	int existed = 0, err;

	if (h->err || buf_failed(&h->b))
		return;
	sha256_init(&c);
	sha256_update(&c, h->b.ptr + mark, h->b.len - mark);
	sha256_final(&c, d);
	if ((err = idmap_put(&t->ids, d, t->n, &existed, &slot))) {
		fail(h, err);
		return;
	}
	if (!existed) {
		if (t->n++)
			buf_putc(&t->json, ',');
		buf_add(&t->json, h->b.ptr + mark, h->b.len - mark);
	}
	buf_truncate(&h->b, mark);
	jnum(h, *slot);
}

/* The index of the text s in t (repository names), or -1 for NULL. */
static void put_ref(struct html *h, struct strtab *t, const char *s)
{
	size_t mark;

	if (!s) {
		jnum(h, -1);
		return;
	}
	jsep(h);
	mark = h->b.len;
	seg_text(h, s);
	put_ref_at(h, t, mark);
}

/* Where in its commit or file a finding is, as segments. */
static void put_where(struct html *h, const struct finding *f)
{
	if (f->path && *f->path) {
		seg_code(h, f->path);
	} else if (f->location && !strcmp(f->location, "tag-message") &&
		   f->ref) {
		seg_lit(h, "message of tag ");
		seg_code(h, f->ref);
	} else if (f->blob && !f->commit) {
		seg_lit(h, "blob ");
		seg_code(h, f->blob);
	} else {
		seg_text(h, f->location);
	}
}

/* One fact of the card data, ["FIELD",[SEGMENTS]], closed by fact_end. */
static void jfact(struct html *h, const char *field)
{
	jsep(h);
	put(h, "[");
	seg_lit(h, field);
	put(h, ",[");
}

static void jfact_end(struct html *h)
{
	put(h, "]]");
}

static void put_first_seen(struct html *h, const struct token *t)
{
	const struct finding *f = t->first;

	jkey(h, "seen");
	put(h, "[");
	if (f->repository) {
		jfact(h, "repository");
		seg_code(h, f->repository);
		jfact_end(h);
	}
	if (f->commit) {
		jfact(h, "commit");
		seg_code(h, f->commit);
		jfact_end(h);
	}
	jfact(h, "path");
	put_where(h, f);
	jfact_end(h);
	jfact(h, "line");
	seg_litf(h, "%" PRIu64 ", column %" PRIu64, f->line, f->column);
	jfact_end(h);
	if (f->author_name || f->author_email) {
		jfact(h, "author");
		if (f->author_name)
			seg_text(h, f->author_name);
		if (f->author_email) {
			seg_lit(h, f->author_name ? " <" : "<");
			seg_text(h, f->author_email);
			seg_lit(h, ">");
		}
		jfact_end(h);
	}
	if (f->date) {
		jfact(h, "date");
		seg_text(h, f->date);
		jfact_end(h);
	}
	if (f->nencoding) {
		jfact(h, "encoding");
		put_codes(h, (const char *const *)f->encoding, f->nencoding,
			  " > ");
		jfact_end(h);
	}
	put(h, "]");
}

/*
 * [repository, path, line, commit, date, occurrences, reachable] and,
 * without a path, the segments of where the finding is.
 */
static void put_place(struct html *h, const struct finding *f)
{
	jsep(h);
	put(h, "[");
	put_ref(h, &h->repos, f->repository);
	seg_text(h, f->path);
	jnum(h, (int64_t)f->line);
	seg_text(h, f->commit);
	seg_text(h, f->date);
	jnum(h, (int64_t)f->occurrences);
	jnum(h, f->reachable == 1 ? 1 : f->reachable == 0 ? 0 : -1);
	if (!f->path || !*f->path) {
		jsep(h);
		put(h, "[");
		put_where(h, f);
		put(h, "]");
	}
	put(h, "]");
}

static void put_places(struct html *h, const struct token *t)
{
	const struct finding *f;
	int64_t first = -1;
	size_t k;

	jkey(h, "n");
	jnum(h, (int64_t)t->n);
	jkey(h, "nrepos");
	jnum(h, (int64_t)t->nrepos);
	jkey(h, "places");
	put(h, "[");
	for (k = 0; k < t->n && k < PLACES_LISTED_MAX; k++) {
		f = &h->l->v[h->g.order[t->at + k]];
		if (f == t->first)
			first = (int64_t)k;
		put_place(h, f);
	}
	put(h, "]");
	jkey(h, "first");
	jnum(h, first);
	jkey(h, "more");
	jnum(h, t->n > PLACES_LISTED_MAX ? (int64_t)(t->n - PLACES_LISTED_MAX)
					 : 0);
}

/*
 * One piece of fix_advice as a paragraph: a line of the rule's
 * remediation as it is, a fixed text laid out for a terminal as one line.
 */
static void put_fix_piece(void *ctx, enum fix_piece piece, const char *p,
			  size_t n)
{
	struct html *h = ctx;
	const char *end = p + n, *nl;

	jsep(h);
	put(h, "\"");
	if (piece == FIX_REMEDIATION_LINE) {
		text_esc(h, p, n, escape_json_html);
		p = end;
	}
	while (p < end) {
		p += strspn(p, " ");
		nl = memchr(p, '\n', (size_t)(end - p));
		text_esc(h, p, (size_t)((nl ? nl : end) - p), escape_json_html);
		if (nl && nl + 1 < end)
			put(h, " ");
		p = nl ? nl + 1 : end;
	}
	put(h, "\"");
}

/*
 * The fix of each rule the token's findings are under: [[RULE,
 * [PARAGRAPH...]]...], most often the same for every token, so written
 * once in the advice table and referred to by its index.
 */
static void put_next(struct html *h, const struct token *t)
{
	const struct finding *f, *g;
	struct fix_tally tally;
	size_t k, m, mark;

	jkey(h, "next");
	mark = h->b.len;
	put(h, "[");
	for (k = 0; k < t->n; k++) {
		f = &h->l->v[h->g.order[t->at + k]];
		/* The token's findings are grouped by rule: one fix each. */
		if (k && f->rule == h->l->v[h->g.order[t->at + k - 1]].rule)
			continue;
		if (!f->rule)
			continue;
		memset(&tally, 0, sizeof(tally));
		for (m = k; m < t->n; m++) {
			g = &h->l->v[h->g.order[t->at + m]];
			if (g->rule == f->rule)
				fix_tally_add(&tally, g);
		}
		jsep(h);
		put(h, "[");
		seg_text(h, f->rule->id);
		put(h, ",[");
		fix_advice(f->rule, &tally, report_reads_tokens(h->scan),
			   put_fix_piece, h);
		put(h, "]]");
	}
	put(h, "]");
	put_ref_at(h, &h->advice, mark);
}

/* "WORD, checked AT (HTTP N): REASON", with the parts known. */
static void put_status(struct html *h, const char *word, const char *at_label,
		       const char *at, long http_status, const char *reason)
{
	seg_lit(h, word);
	if (at) {
		seg_lit(h, at_label);
		seg_text(h, at);
	}
	if (http_status > 0)
		seg_litf(h, " (HTTP %ld)", http_status);
	if (reason) {
		seg_lit(h, ": ");
		seg_text(h, reason);
	}
}

static void put_status_facts(struct html *h, const struct token *t)
{
	const struct verification *v = &t->v->verification;
	const struct revocation *r = &t->r->revocation;
	const struct rule_spec *rule = t->first->rule;
	int64_t days = (t->end_ms - t->start_ms) / DAY_MS;

	jkey(h, "facts");
	put(h, "[");
	if (rule) {
		jfact(h, "rule");
		seg_code(h, rule->id);
		if (rule->severity) {
			seg_lit(h, " (");
			seg_text(h, rule->severity);
			seg_lit(h, ")");
		}
		jfact_end(h);
	}
	jfact(h, "verification");
	put_status(h, verification_word(t), ", checked ", v->checked_at,
		   v->http_status, v->reason);
	jfact_end(h);
	if (v->status == VERIFICATION_LIVE) {
		jfact(h, "project");
		seg_text(h, v->project_name);
		seg_lit(h, " (slug ");
		seg_code(h, v->project_slug);
		seg_lit(h, ", id ");
		seg_code(h, v->project_id);
		seg_lit(h, ")");
		jfact_end(h);
	}
	jfact(h, "revocation");
	put_status(h,
		   r->status ? revocation_word(t) : "not revoked by this run",
		   " at ", r->at, r->http_status, r->reason);
	jfact_end(h);
	jfact(h, "exposed");
	if (!t->dated) {
		seg_lit(h, "no commit date: found in files, not in history; ");
		put_undated_end(h, t);
	} else {
		seg_text(h, t->first->date);
		seg_lit(h, t->open ? " until this scan, still open" : " to ");
		if (!t->open)
			seg_text(h, t->end_at ? t->end_at : "an unknown time");
		seg_litf(h, " (%" PRId64 " %s)", days,
			 plural((uint64_t)days, "day", "days"));
	}
	jfact_end(h);
	put(h, "]");
}

/*
 * A card as the page holds it: the token, its status, and one line of
 * where it first appeared, for readers without script and for find in
 * page; the script adds the rest from the card data.
 */
static void put_card(struct html *h, const struct token *t)
{
	const struct finding *f = t->first;

	buf_printf(&h->b, "<article class=\"card\" id=\"t-%s\"",
		   f->fingerprint + 7);
	attr(h, "data-fingerprint", f->fingerprint);
	buf_printf(&h->b,
		   " data-status=\"%s\" data-revocation=\"%s\">\n<h3><span "
		   "class=\"token\">",
		   verification_word(t), revocation_word(t));
	text(h, f->redacted);
	buf_printf(&h->b, "</span><span class=\"badge %s\">%s</span>",
		   verification_word(t), verification_word(t));
	if (t->r->revocation.status == REVOCATION_REVOKED)
		put(h, "<span class=\"badge revoked\">revoked</span>");
	put(h, "</h3>\n<p class=\"seen\">first in ");
	put_where(h, f);
	buf_printf(&h->b, " line %" PRIu64, f->line);
	if (f->repository) {
		put(h, " of ");
		seg_code(h, f->repository);
	}
	if (f->date) {
		put(h, ", ");
		seg_text(h, f->date);
	}
	buf_printf(&h->b, "; %zu %s", t->n,
		   plural(t->n, "finding", "findings"));
	if (t->nrepos)
		buf_printf(&h->b, " in %zu %s", t->nrepos,
			   plural(t->nrepos, "repository", "repositories"));
	put(h, "</p>\n</article>\n");
}

static void put_cards(struct html *h)
{
	size_t i;

	put(h, "<section id=\"tokens\">\n<h2>Tokens</h2>\n");
	if (!h->ntok)
		put(h, "<p>No token was found.</p>\n");
	else
		put(h, "<noscript><p>With script off each card shows where "
		       "its token first appeared; its other places, status "
		       "and what to do next are in the JSON report "
		       "(<code>-f json</code>).</p></noscript>\n");
	for (i = 0; i < h->ntok && !h->err; i++) {
		put_card(h, &h->tok[i]);
		flush(h);
	}
	put(h, "</section>\n");
}

/*
 * The card data, one entry per card in the cards' order, then the
 * tables its entries refer to. A <script> of type application/json is
 * data, never run, so the CSP needs no hash of it; escape_json_html
 * keeps "</script" out of it.
 */
static void put_card_data(struct html *h)
{
	size_t i;

	put(h, "<script type=\"application/json\" id=\"card-data\">"
	       "{\"cards\":[");
	h->json = 1;
	for (i = 0; i < h->ntok && !h->err; i++) {
		put(h, i ? ",\n{" : "\n{");
		put_status_facts(h, &h->tok[i]);
		put_first_seen(h, &h->tok[i]);
		put_places(h, &h->tok[i]);
		put_next(h, &h->tok[i]);
		put(h, "}");
		flush(h);
	}
	h->json = 0;
	fail(h, buf_failed(&h->repos.json));
	fail(h, buf_failed(&h->advice.json));
	put(h, "],\n\"repositories\":[");
	buf_add(&h->b, h->repos.json.ptr, h->repos.json.len);
	put(h, "],\n\"advice\":[");
	buf_add(&h->b, h->advice.json.ptr, h->advice.json.len);
	put(h, "]}</script>\n");
}

static void strtab_init(struct strtab *t)
{
	idmap_init(&t->ids);
	buf_init(&t->json, BUF_DEFAULT_MAX);
	t->n = 0;
}

static void strtab_release(struct strtab *t)
{
	idmap_release(&t->ids);
	buf_release(&t->json);
}

int report_write_html(FILE *out, const struct report_opts *opts,
		      const struct scan_info *scan, const struct findings *l)
{
	struct html h = {.out = out, .opts = opts, .scan = scan, .l = l};
	int err;

	buf_init(&h.b, BUF_DEFAULT_MAX);
	strtab_init(&h.repos);
	strtab_init(&h.advice);
	if ((err = tokens_build(&h)) ||
	    (opts->rules && (err = scanner_new(&h.sc, opts->rules))))
		goto done;
	put_head(&h);
	put_scan(&h);
	put_summary(&h);
	put_problems(&h);
	flush(&h);
	put_timeline(&h);
	put_repos(&h);
	flush(&h);
	put_cards(&h);
	put_card_data(&h);
	put(&h, "<footer class=\"muted\"><p>Made by nfguard " NFG_VERSION
		". Tokens are redacted; this page never holds a whole "
		"token.</p></footer>\n<script>");
	buf_add(&h.b, report_js, report_js_len);
	put(&h, "</script>\n</body>\n</html>\n");
	flush(&h);
	err = h.err;
done:
	scanner_free(h.sc);
	free(h.tok);
	token_groups_release(&h.g);
	strtab_release(&h.advice);
	strtab_release(&h.repos);
	buf_release(&h.b);
	return err;
}

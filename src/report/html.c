/*
 * The html writer: one self-contained page for people to look at after a
 * scan or a sweep: what was scanned, the counts and problems, a timeline
 * of each token's exposure, the repositories, and one card per token.
 * Style and script are inline, allowed by their hashes; nothing is fetched.
 *
 * DOM CONTRACT (tests rely on it: extend it, never rename):
 *   meta[http-equiv="Content-Security-Policy"]: default-src 'none';
 *     style-src and script-src each the 'sha256-...' of the one <style>
 *     and the one <script>; img-src data:; base-uri and form-action 'none'.
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
 *     .token (redacted), .fingerprint, dl.facts dd[data-field=rule|
 *     verification|project|revocation|exposed], dl.first-seen
 *     dd[data-field=repository|commit|path|line|author|date|encoding],
 *     table.places tr.place[data-repository][data-path][data-line]
 *     [data-commit][data-reachable=true|false|""] (tr.first for the first
 *     appearance; tr.more[data-count] when places were left out), and
 *     .next (what to do).
 */
#include "util/common.h"
#include "util/clock.h"

#include <inttypes.h>

#include "finding/group.h"
#include "finding/redact.h"
#include "report/writers.h"
#include "util/base64.h"
#include "util/error.h"
#include "util/escape.h"
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
 * redacted first, whatever --show-secret says, then escape_html.
 */
static void text_n(struct html *h, const char *p, size_t n)
{
	char *copy;
	int err;

	if (h->err)
		return;
	if (!h->sc) {
		escape_html(&h->b, p, n);
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
		escape_html(&h->b, copy, strlen(copy));
	explicit_bzero(copy, strlen(copy));
	free(copy);
}

static void text(struct html *h, const char *s)
{
	if (s)
		text_n(h, s, strlen(s));
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

/* Texts v[0..n) each as <code>, sep between them, then "</dd>". */
static void put_codes(struct html *h, const char *const *v, size_t n,
		      const char *sep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		put(h, i ? sep : "");
		put(h, "<code>");
		text(h, v[i]);
		put(h, "</code>");
	}
	put(h, "</dd>\n");
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
	put(h, t->open	      ? "still open"
	       : t->rank == 2 ? "revoked at "
			      : "found invalid at ");
	if (!t->open)
		text(h, t->end_at ? t->end_at : "an unknown time");
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

/* "commit ABC, path P:LINE" style place of a finding: where in it. */
static void put_where(struct html *h, const struct finding *f)
{
	if (f->path && *f->path) {
		put(h, "<code>");
		text(h, f->path);
		put(h, "</code>");
	} else if (f->location && !strcmp(f->location, "tag-message") &&
		   f->ref) {
		put(h, "message of tag <code>");
		text(h, f->ref);
		put(h, "</code>");
	} else if (f->blob && !f->commit) {
		put(h, "blob <code>");
		text(h, f->blob);
		put(h, "</code>");
	} else {
		text(h, f->location ? f->location : "");
	}
}

static void put_author(struct html *h, const struct finding *f)
{
	text(h, f->author_name);
	if (f->author_email) {
		put(h, f->author_name ? " &lt;" : "&lt;");
		text(h, f->author_email);
		put(h, "&gt;");
	}
}

static void put_first_seen(struct html *h, const struct token *t)
{
	const struct finding *f = t->first;

	put(h, "<h4>First appeared</h4>\n<dl class=\"facts first-seen\">\n");
	if (f->repository) {
		fact(h, "repository", "repository");
		put(h, "<code>");
		text(h, f->repository);
		put(h, "</code></dd>\n");
	}
	if (f->commit) {
		fact(h, "commit", "commit");
		put(h, "<code>");
		text(h, f->commit);
		put(h, "</code></dd>\n");
	}
	fact(h, "path", "where");
	put_where(h, f);
	put(h, "</dd>\n");
	fact(h, "line", "line");
	buf_printf(&h->b, "%" PRIu64 ", column %" PRIu64 "</dd>\n", f->line,
		   f->column);
	if (f->author_name || f->author_email) {
		fact(h, "author", "author");
		put_author(h, f);
		put(h, "</dd>\n");
	}
	if (f->date) {
		fact(h, "date", "date");
		text(h, f->date);
		put(h, "</dd>\n");
	}
	if (f->nencoding) {
		fact(h, "encoding", "hidden by");
		put_codes(h, (const char *const *)f->encoding, f->nencoding,
			  " &gt; ");
	}
	put(h, "</dl>\n");
}

static void put_place(struct html *h, const struct token *t,
		      const struct finding *f)
{
	put(h, f == t->first ? "<tr class=\"place first\""
			     : "<tr class=\"place\"");
	attr(h, "data-repository", f->repository);
	attr(h, "data-path", f->path);
	buf_printf(&h->b, " data-line=\"%" PRIu64 "\"", f->line);
	attr(h, "data-commit", f->commit);
	buf_printf(&h->b, " data-reachable=\"%s\"><td>",
		   f->reachable == 1   ? "true"
		   : f->reachable == 0 ? "false"
				       : "");
	text(h, f->repository);
	put(h, "</td><td>");
	put_where(h, f);
	buf_printf(&h->b, "</td><td class=\"num\">%" PRIu64 "</td><td><code>",
		   f->line);
	if (f->commit)
		text_n(h, f->commit, strnlen(f->commit, 12));
	put(h, "</code></td><td>");
	text(h, f->date);
	put(h, "</td><td>");
	if (f->occurrences)
		buf_printf(&h->b, "%" PRIu64, f->occurrences);
	put(h, "</td><td>");
	put(h, f->reachable == 0   ? "no: no ref reaches it"
	       : f->reachable == 1 ? "yes"
				   : "");
	put(h, "</td></tr>\n");
}

static void put_places(struct html *h, const struct token *t)
{
	size_t k;

	buf_printf(&h->b, "<h4>Every place (%zu %s%s", t->n,
		   plural(t->n, "finding", "findings"),
		   t->nrepos ? ", in " : "");
	if (t->nrepos)
		buf_printf(&h->b, "%zu %s", t->nrepos,
			   plural(t->nrepos, "repository", "repositories"));
	put(h, ")</h4>\n<table class=\"places\">\n<thead><tr><th>repository"
	       "</th><th>where</th><th class=\"num\">line</th><th>commit</th>"
	       "<th>date</th><th>occurrences</th><th>reachable</th></tr>"
	       "</thead>\n<tbody>\n");
	for (k = 0; k < t->n && k < PLACES_LISTED_MAX; k++)
		put_place(h, t, &h->l->v[h->g.order[t->at + k]]);
	if (t->n > PLACES_LISTED_MAX)
		buf_printf(&h->b,
			   "<tr class=\"more\" data-count=\"%zu\"><td "
			   "colspan=\"7\">"
			   "and %zu more (the JSON report lists every one)</td>"
			   "</tr>\n",
			   t->n - PLACES_LISTED_MAX, t->n - PLACES_LISTED_MAX);
	put(h, "</tbody>\n</table>\n");
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

	put(h, "<p>");
	if (piece == FIX_REMEDIATION_LINE) {
		text_n(h, p, n);
		p = end;
	}
	while (p < end) {
		p += strspn(p, " ");
		nl = memchr(p, '\n', (size_t)(end - p));
		text_n(h, p, (size_t)((nl ? nl : end) - p));
		if (nl && nl + 1 < end)
			put(h, " ");
		p = nl ? nl + 1 : end;
	}
	put(h, "</p>\n");
}

/* The fix of each rule the token's findings are under. */
static void put_next(struct html *h, const struct token *t)
{
	const struct finding *f, *g;
	struct fix_tally tally;
	size_t k, m;

	put(h, "<div class=\"next\">\n<h4>What to do next</h4>\n");
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
		put(h, "<p class=\"fix-rule\">fix (<code>");
		text(h, f->rule->id);
		put(h, "</code>):</p>\n");
		fix_advice(f->rule, &tally, report_reads_tokens(h->scan),
			   put_fix_piece, h);
	}
	put(h, "</div>\n");
}

/* "WORD, checked AT (HTTP N): REASON</dd>", with the parts known. */
static void put_status(struct html *h, const char *word, const char *at_label,
		       const char *at, long http_status, const char *reason)
{
	put(h, word);
	if (at) {
		put(h, at_label);
		text(h, at);
	}
	if (http_status > 0)
		buf_printf(&h->b, " (HTTP %ld)", http_status);
	if (reason) {
		put(h, ": ");
		text(h, reason);
	}
	put(h, "</dd>\n");
}

static void put_status_facts(struct html *h, const struct token *t)
{
	const struct verification *v = &t->v->verification;
	const struct revocation *r = &t->r->revocation;
	const struct rule_spec *rule = t->first->rule;

	if (rule) {
		fact(h, "rule", "rule");
		put(h, "<code>");
		text(h, rule->id);
		put(h, "</code>");
		if (rule->severity) {
			put(h, " (");
			text(h, rule->severity);
			put(h, ")");
		}
		put(h, "</dd>\n");
	}
	fact(h, "verification", "verification");
	put_status(h, verification_word(t), ", checked ", v->checked_at,
		   v->http_status, v->reason);
	if (v->status == VERIFICATION_LIVE) {
		fact(h, "project", "project");
		text(h, v->project_name);
		put(h, " (slug <code>");
		text(h, v->project_slug);
		put(h, "</code>, id <code>");
		text(h, v->project_id);
		put(h, "</code>)</dd>\n");
	}
	fact(h, "revocation", "revocation");
	put_status(h,
		   r->status ? revocation_word(t) : "not revoked by this run",
		   " at ", r->at, r->http_status, r->reason);
	fact(h, "exposed", "exposed");
	if (!t->dated) {
		put(h, "no commit date: found in files, not in history; ");
		put_undated_end(h, t);
	} else {
		text(h, t->first->date);
		put(h, t->open ? " until this scan, still open" : " to ");
		if (!t->open)
			text(h, t->end_at ? t->end_at : "an unknown time");
		buf_printf(
			&h->b, " (%" PRId64 " %s)",
			(t->end_ms - t->start_ms) / DAY_MS,
			plural((uint64_t)((t->end_ms - t->start_ms) / DAY_MS),
			       "day", "days"));
	}
	put(h, "</dd>\n");
}

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
	put(h, "</h3>\n<p class=\"fingerprint\">");
	text(h, f->fingerprint);
	put(h, "</p>\n<dl class=\"facts\">\n");
	put_status_facts(h, t);
	put(h, "</dl>\n");
	put_first_seen(h, t);
	put_places(h, t);
	put_next(h, t);
	put(h, "</article>\n");
}

static void put_cards(struct html *h)
{
	size_t i;

	put(h, "<section id=\"tokens\">\n<h2>Tokens</h2>\n");
	if (!h->ntok)
		put(h, "<p>No token was found.</p>\n");
	for (i = 0; i < h->ntok && !h->err; i++) {
		put_card(h, &h->tok[i]);
		flush(h);
	}
	put(h, "</section>\n");
}

int report_write_html(FILE *out, const struct report_opts *opts,
		      const struct scan_info *scan, const struct findings *l)
{
	struct html h = {.out = out, .opts = opts, .scan = scan, .l = l};
	int err;

	buf_init(&h.b, BUF_DEFAULT_MAX);
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
	buf_release(&h.b);
	return err;
}

/*
 * The human writer: one block per finding, the remediation of each rule
 * that fired, and a summary line. Every string from input or rule files
 * goes through escape_term; colour is ANSI, only when opts->color.
 */
#include "util/common.h"

#include <inttypes.h>

#include "finding/group.h"
#include "finding/product.h"
#include "report/writers.h"
#include "util/error.h"
#include "util/escape.h"

#define C_RESET "\033[0m"
#define C_BOLD	"\033[1m"
#define C_DIM	"\033[2m"
#define C_LIVE	"\033[1;41;97m" /* bold white on red */

/* By severity_rank: low, medium, high, critical. */
static const char *const severity_colors[] = {"\033[36m", "\033[33m",
					      "\033[31m", "\033[1;31m"};

struct human {
	FILE *out;
	const struct report_opts *opts;
	const struct scan_info *scan;
	struct buf b; /* the text being built; wiped if it held a secret */
};

static void put_term(struct human *h, const char *s)
{
	escape_term(&h->b, s ? s : "", s ? strlen(s) : 0);
}

static void put_color(struct human *h, const char *code)
{
	if (h->opts->color)
		buf_puts(&h->b, code);
}

/*
 * Writes the text built so far unless err is set or the buffer failed,
 * and releases it either way. Returns the buffer's failure, else err.
 */
static int flush_text(struct human *h, int err)
{
	if (buf_failed(&h->b))
		err = buf_failed(&h->b);
	if (!err && h->b.len)
		fwrite(h->b.ptr, 1, h->b.len, h->out);
	buf_release(&h->b);
	return err;
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "commit <sha> <name> <<email>> <date>", with only the parts present. */
static void put_commit_line(struct human *h, const struct finding *f)
{
	buf_puts(&h->b, "    commit ");
	put_term(h, f->commit);
	if (f->author_name) {
		buf_putc(&h->b, ' ');
		put_term(h, f->author_name);
	}
	if (f->author_email) {
		buf_puts(&h->b, " <");
		put_term(h, f->author_email);
		buf_putc(&h->b, '>');
	}
	if (f->date) {
		buf_putc(&h->b, ' ');
		put_term(h, f->date);
	}
	buf_putc(&h->b, '\n');
}

/*
 * "LIVE  project NAME (slug SLUG, id ID)", "invalid: the API rejected the
 * token (401)" or "unknown: REASON", for a verified finding.
 */
static void put_verification(struct human *h, const struct finding *f)
{
	const struct verification *v = &f->verification;

	switch (v->status) {
	case VERIFICATION_LIVE:
		buf_puts(&h->b, "    ");
		put_color(h, C_LIVE);
		buf_puts(&h->b, "LIVE");
		put_color(h, C_RESET);
		buf_puts(&h->b, "  project ");
		put_term(h, v->project_name);
		buf_puts(&h->b, " (slug ");
		put_term(h, v->project_slug);
		buf_puts(&h->b, ", id ");
		put_term(h, v->project_id);
		buf_puts(&h->b, ")\n");
		break;
	case VERIFICATION_INVALID:
		buf_printf(&h->b,
			   "    invalid: the API rejected the token (%ld)\n",
			   v->http_status);
		break;
	case VERIFICATION_UNKNOWN:
		buf_puts(&h->b, "    unknown: ");
		put_term(h, v->reason);
		buf_putc(&h->b, '\n');
		break;
	default:
		break;
	}
}

/*
 * "REVOKED  (204, request ID)", "revoke failed: REASON (status S, request
 * ID)", "revoke unsupported: GUIDANCE", "revoke skipped: REASON" or
 * "dry run: would revoke", when --revoke decided about the finding.
 */
static void put_revocation(struct human *h, const struct finding *f)
{
	const struct revocation *r = &f->revocation;
	const char *label;
	int bold = r->status != REVOCATION_SKIPPED &&
		   r->status != REVOCATION_DRY_RUN;

	switch (r->status) {
	case REVOCATION_REVOKED:
		label = "REVOKED";
		break;
	case REVOCATION_FAILED:
		label = "revoke failed: ";
		break;
	case REVOCATION_UNSUPPORTED:
		label = "revoke unsupported: ";
		break;
	case REVOCATION_SKIPPED:
		label = "revoke skipped: ";
		break;
	case REVOCATION_DRY_RUN:
		label = "dry run: would revoke ";
		break;
	default:
		return;
	}
	buf_puts(&h->b, "    ");
	if (bold)
		put_color(h, C_BOLD);
	buf_puts(&h->b, label);
	if (r->status == REVOCATION_REVOKED)
		buf_puts(&h->b, "  whoami now answers 401");
	else if (r->status == REVOCATION_DRY_RUN)
		buf_puts(&h->b, "(no request sent)");
	else
		put_term(h, r->reason);
	if (bold)
		put_color(h, C_RESET);
	if (r->http_status > 0) {
		buf_printf(&h->b, " (status %ld", r->http_status);
		if (r->request_id) {
			buf_puts(&h->b, ", request ");
			put_term(h, r->request_id);
		}
		buf_putc(&h->b, ')');
	}
	buf_putc(&h->b, '\n');
}

/* "    encoded zip:conf/app.env > base64": how the token was hidden. */
static void put_encoding_line(struct human *h, const struct finding *f)
{
	size_t i;

	buf_puts(&h->b, "    encoded ");
	for (i = 0; i < f->nencoding; i++) {
		if (i)
			buf_puts(&h->b, " > ");
		put_term(h, f->encoding[i]);
	}
	buf_putc(&h->b, '\n');
}

/*
 * Where a finding is: its path; without one, "tag NAME" for an annotated
 * tag's message, "blob ID" for a blob no tree names, else the location
 * ("commit-message").
 */
static void put_where(struct human *h, const struct finding *f)
{
	if (f->path && *f->path) {
		put_term(h, f->path);
	} else if (f->location && !strcmp(f->location, "tag-message") &&
		   f->ref) {
		buf_puts(&h->b, "tag ");
		put_term(h, f->ref);
	} else if (f->blob && !f->commit) {
		buf_puts(&h->b, "blob ");
		put_term(h, f->blob);
	} else {
		put_term(h, f->location ? f->location : "");
	}
}

static int put_finding(struct human *h, const struct finding *f)
{
	const char *id = f->rule ? f->rule->id : "";
	const char *severity = f->rule ? f->rule->severity : NULL;
	int rank = severity_rank(severity);

	h->b.wipe = h->opts->show_secret;
	put_color(h, C_BOLD);
	put_where(h, f);
	put_color(h, C_RESET);
	buf_printf(&h->b, ":%" PRIu64 ":%" PRIu64 "  ", f->line, f->column);
	put_color(h, severity_colors[rank]);
	put_term(h, id);
	if (severity && *severity) {
		buf_puts(&h->b, " (");
		put_term(h, severity);
		buf_putc(&h->b, ')');
	}
	put_color(h, C_RESET);
	buf_puts(&h->b, "  ");
	if (h->opts->show_secret)
		escape_term(&h->b, f->secret ? f->secret : "",
			    f->secret ? f->secret_len : 0);
	else
		put_term(h, f->redacted);
	buf_puts(&h->b, "\n    ");
	put_color(h, C_DIM);
	buf_puts(&h->b, "fingerprint ");
	put_term(h, f->fingerprint);
	put_color(h, C_RESET);
	buf_putc(&h->b, '\n');
	/* A dir scan or a sweep meets several repositories: say whose. */
	if (f->repository && (!h->scan->has_git || h->scan->has_repositories)) {
		buf_puts(&h->b, "    repository ");
		put_term(h, f->repository);
		buf_putc(&h->b, '\n');
	}
	if (f->nencoding)
		put_encoding_line(h, f);
	if (f->commit)
		put_commit_line(h, f);
	/* Found only because --unreachable looked past the refs. */
	if (f->reachable == 0)
		buf_printf(&h->b, "    unreachable: no ref reaches this %s\n",
			   f->commit ? "commit" : "blob");
	/* Its path is inside the git folder, not the work tree. */
	if (f->location && !strcmp(f->location, "git-dir"))
		buf_puts(&h->b, "    in the git folder (not in history)\n");
	put_verification(h, f);
	put_revocation(h, f);
	buf_putc(&h->b, '\n');
	return flush_text(h, 0);
}

/* Writes one piece of fix_advice: a rule's lines indented after the first. */
struct fix_put {
	struct human *h;
	size_t lines;
};

static void put_fix_piece(void *ctx, enum fix_piece piece, const char *text,
			  size_t n)
{
	struct fix_put *fp = ctx;

	if (piece != FIX_REMEDIATION_LINE) {
		buf_add(&fp->h->b, text, n);
		return;
	}
	if (fp->lines++)
		buf_puts(&fp->h->b, "    ");
	escape_term(&fp->h->b, text, n);
	buf_putc(&fp->h->b, '\n');
}

/* "fix (<rule id>): " and fix_advice's text, then an empty line. */
static void put_fix(struct human *h, const struct rule_spec *r,
		    const struct fix_tally *t)
{
	struct fix_put fp = {h, 0};

	buf_puts(&h->b, "fix (");
	put_term(h, r->id);
	buf_puts(&h->b, "): ");
	fix_advice(r, t, put_fix_piece, &fp);
	buf_putc(&h->b, '\n');
}

/*
 * The fix of each rule, once, in order of first finding; the
 * remediation's own line breaks become indented lines.
 */
static int put_fixes(struct human *h, const struct findings *l)
{
	const struct rule_spec **seen = NULL, *r;
	struct fix_tally t;
	size_t i, j, nseen = 0;

	if (!l->n)
		return 0;
	/* Rules are few, findings may be many: test against the rules. */
	seen = calloc(l->n, sizeof(*seen));
	if (!seen)
		return error_nomem();
	for (i = 0; i < l->n; i++) {
		r = l->v[i].rule;
		if (!r || !r->remediation || !*r->remediation)
			continue;
		for (j = 0; j < nseen && seen[j] != r; j++)
			;
		if (j < nseen)
			continue;
		seen[nseen++] = r;
		memset(&t, 0, sizeof(t));
		for (j = i; j < l->n; j++)
			if (l->v[j].rule == r)
				fix_tally_add(&t, &l->v[j]);
		put_fix(h, r, &t);
	}
	free(seen);
	return flush_text(h, 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * What the findings are in: distinct paths (files), and the findings
 * without one, in messages (commit and tag) or in blobs no tree names.
 */
struct places {
	size_t files, messages, blobs;
};

static int count_places(const struct findings *l, struct places *out)
{
	const char **paths;
	size_t i, n = 0, k = 0;
	const struct finding *f;

	memset(out, 0, sizeof(*out));
	if (!l->n)
		return 0;
	paths = calloc(l->n, sizeof(*paths));
	if (!paths)
		return error_nomem();
	for (i = 0; i < l->n; i++) {
		f = &l->v[i];
		if (f->path && *f->path)
			paths[k++] = f->path;
		else if (f->location && strstr(f->location, "-message"))
			out->messages++;
		else
			out->blobs++;
	}
	qsort(paths, k, sizeof(*paths), cmp_str);
	for (i = 0; i < k; i++)
		if (i == 0 || strcmp(paths[i], paths[i - 1]))
			n++;
	free(paths);
	out->files = n;
	return 0;
}

/* " in 2 files, 1 message and 1 blob": the places that are not zero. */
static void put_places(struct buf *b, const struct places *p)
{
	const size_t v[] = {p->files, p->messages, p->blobs};
	const char *const one[] = {"file", "message", "blob"};
	const char *const many[] = {"files", "messages", "blobs"};
	size_t i, left = (v[0] > 0) + (v[1] > 0) + (v[2] > 0);

	buf_puts(b, " in");
	for (i = 0; i < 3; i++) {
		if (!v[i])
			continue;
		left--;
		buf_printf(b, " %zu %s%s", v[i], plural(v[i], one[i], many[i]),
			   left > 1    ? ","
			   : left == 1 ? " and"
				       : "");
	}
}

static void put_size(struct buf *b, uint64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB",
					    "TiB", "PiB", "EiB"};
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1024) {
		buf_printf(b, "%" PRIu64 " B", bytes);
		return;
	}
	v /= 1024;
	while (v >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	buf_printf(b, "%.1f %s", v, units[u]);
}

/*
 * Calls tally once per distinct token of l, in digest order, with its
 * first finding in l (a token under several rules is one token here: its
 * groups are adjacent).
 */
static int each_token(const struct findings *l,
		      void (*tally)(void *ctx, const struct finding *f),
		      void *ctx)
{
	struct token_groups t;
	size_t i, j, first, k;
	int err;

	if ((err = token_groups_build(&t, l)))
		return err;
	for (i = 0; i < t.n; i = j) {
		first = token_groups_at(&t, i, 0);
		for (j = i + 1; j < t.n; j++) {
			k = token_groups_at(&t, j, 0);
			if (memcmp(l->v[k].digest, l->v[first].digest,
				   sizeof(l->v[k].digest)))
				break;
			if (k < first)
				first = k;
		}
		tally(ctx, &l->v[first]);
	}
	token_groups_release(&t);
	return 0;
}

struct verify_tally {
	size_t n, st[4];
};

static void tally_verify(void *ctx, const struct finding *f)
{
	struct verify_tally *t = ctx;

	t->n++;
	t->st[f->verification.status & 3]++;
}

/*
 * "verified 3 tokens: 1 live, 1 invalid, 1 unknown", counting distinct
 * tokens, when the findings were verified.
 */
static int put_verify_summary(struct human *h, const struct findings *l)
{
	struct verify_tally t = {0, {0}};
	size_t i, n, *st = t.st;
	int err;

	for (i = 0; i < l->n && !l->v[i].verification.status; i++)
		;
	if (i == l->n)
		return 0;
	if ((err = each_token(l, tally_verify, &t)))
		return err;
	n = t.n;
	buf_printf(&h->b, "verified %zu %s: ", n, plural(n, "token", "tokens"));
	if (st[VERIFICATION_LIVE])
		put_color(h, C_LIVE);
	buf_printf(&h->b, "%zu live", st[VERIFICATION_LIVE]);
	if (st[VERIFICATION_LIVE])
		put_color(h, C_RESET);
	buf_printf(&h->b, ", %zu invalid, %zu unknown\n",
		   st[VERIFICATION_INVALID],
		   st[VERIFICATION_UNKNOWN] + st[VERIFICATION_NONE]);
	return 0;
}

/*
 * When --revoke ran: "tokens: 5 found, 3 live, 1 revoked, 1 failed, 1
 * unsupported" (distinct tokens; skipped and dry_run when there are any),
 * then the work that revocation does not do, listing the tokens that
 * could not be verified (and so were not revoked).
 */
struct revoke_tally {
	size_t n, live, unknown, st[REVOCATION_DRY_RUN + 1];
};

static int not_verified(const struct finding *f)
{
	return f->verification.status != VERIFICATION_LIVE &&
	       f->verification.status != VERIFICATION_INVALID;
}

static void tally_revoke(void *ctx, const struct finding *f)
{
	struct revoke_tally *t = ctx;

	t->n++;
	t->live += f->verification.status == VERIFICATION_LIVE;
	t->unknown += not_verified(f);
	if (f->revocation.status <= REVOCATION_DRY_RUN)
		t->st[f->revocation.status]++;
}

/* Tokens listed under "still to do"; the report above has them all. */
#define UNKNOWN_LISTED_MAX 20

struct unknown_list {
	struct human *h;
	size_t listed;
};

/* "      nf_at_AbCd…WxYz  stdin:1 (REASON)" for a token not verified. */
static void list_unknown(void *ctx, const struct finding *f)
{
	struct unknown_list *u = ctx;
	struct human *h = u->h;
	const char *where = f->path && *f->path ? f->path : f->location;

	if (!not_verified(f) || u->listed++ >= UNKNOWN_LISTED_MAX)
		return;
	buf_puts(&h->b, "      ");
	put_term(h, f->redacted);
	buf_puts(&h->b, "  ");
	put_term(h, where);
	buf_printf(&h->b, ":%" PRIu64 " (", f->line);
	put_term(h, f->verification.reason ? f->verification.reason
					   : "not verified");
	buf_puts(&h->b, ")\n");
}

static int put_revoke_summary(struct human *h, const struct findings *l)
{
	struct unknown_list ul = {h, 0};
	struct revoke_tally t;
	size_t i, n, live, *st = t.st;
	int err;

	for (i = 0; i < l->n && !l->v[i].revocation.status; i++)
		;
	if (i == l->n)
		return 0;
	memset(&t, 0, sizeof(t));
	if ((err = each_token(l, tally_revoke, &t)))
		return err;
	n = t.n;
	live = t.live;
	buf_printf(&h->b,
		   "revocation: %zu %s found, %zu live, %zu revoked, "
		   "%zu failed, %zu unsupported",
		   n, plural(n, "token", "tokens"), live,
		   st[REVOCATION_REVOKED], st[REVOCATION_FAILED],
		   st[REVOCATION_UNSUPPORTED]);
	if (st[REVOCATION_DRY_RUN])
		buf_printf(&h->b, ", %zu dry run", st[REVOCATION_DRY_RUN]);
	buf_puts(&h->b, "\nstill to do:\n");
	if (st[REVOCATION_REVOKED])
		buf_printf(&h->b,
			   "  - give each system that used a revoked token a "
			   "new one, and rotate it\n"
			   "    wherever the old one was deployed (%zu "
			   "revoked)\n",
			   st[REVOCATION_REVOKED]);
	if (live > st[REVOCATION_REVOKED])
		buf_printf(&h->b,
			   "  - %zu live %s not revoked: delete %s in "
			   "the dashboard, " PRODUCT_DASHBOARD_URL "\n",
			   live - st[REVOCATION_REVOKED],
			   plural(live - st[REVOCATION_REVOKED], "token",
				  "tokens"),
			   plural(live - st[REVOCATION_REVOKED], "it", "them"));
	if (t.unknown) {
		buf_printf(&h->b,
			   "  - %zu %s could not be verified and %s not "
			   "revoked: run again once\n"
			   "    the API answers, or delete %s in the "
			   "dashboard if %s,\n"
			   "    " PRODUCT_DASHBOARD_URL ":\n",
			   t.unknown, plural(t.unknown, "token", "tokens"),
			   plural(t.unknown, "was", "were"),
			   plural(t.unknown, "it", "them"),
			   plural(t.unknown, "it works", "they work"));
		if ((err = each_token(l, list_unknown, &ul)))
			return err;
	}
	if (t.unknown > UNKNOWN_LISTED_MAX)
		buf_printf(&h->b, "      and %zu more (see above)\n",
			   t.unknown - UNKNOWN_LISTED_MAX);
	buf_puts(&h->b, "  - take every token out of the files that hold it, "
			"and rewrite git\n"
			"    history (git filter-repo) where it was committed: "
			"clones keep it\n");
	return 0;
}

/*
 * Under the summary, each distinct error and skipped input once:
 * "  error: cannot read blob <id>: <reason> (3 times)". Warnings are on
 * stderr only.
 */
static void put_problems(struct human *h, const struct scan_info *scan)
{
	size_t i;

	for (i = 0; i < scan->nproblems; i++) {
		const struct scan_problem *sp = &scan->problems[i];

		if (sp->kind == SCAN_PROBLEM_WARNING)
			continue;
		buf_puts(&h->b, sp->kind == SCAN_PROBLEM_ERROR ? "  error: "
							       : "  skipped: ");
		put_term(h, sp->message);
		if (sp->count > 1)
			buf_printf(&h->b, " (%" PRIu64 " times)", sp->count);
		buf_putc(&h->b, '\n');
	}
	if (scan->problems_unlisted)
		buf_printf(&h->b,
			   "  %" PRIu64 " more problems are not listed: "
			   "see the standard error\n",
			   scan->problems_unlisted);
}

/*
 * "3 findings suppressed (1 by the ignore file, 2 by nfguard:allow)":
 * what was not reported and why, when anything was suppressed.
 */
static void put_suppressed(struct human *h, const struct scan_info *scan)
{
	const struct {
		uint64_t n;
		const char *by;
	} why[] = {
		{scan->suppressed_ignored, "the ignore file"},
		{scan->suppressed_baseline, "the baseline"},
		{scan->suppressed_paths, "allow_paths"},
		{scan->suppressed_inline, "nfguard:allow"},
		{scan->suppressed_state, "the state file (reported before)"}};
	uint64_t total = 0;
	const char *sep = " (";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(why); i++)
		total += why[i].n;
	if (!scan->has_suppressed || !total)
		return;
	buf_printf(&h->b, "%" PRIu64 " %s suppressed", total,
		   plural(total, "finding", "findings"));
	for (i = 0; i < ARRAY_SIZE(why); i++) {
		if (!why[i].n)
			continue;
		buf_printf(&h->b, "%s%" PRIu64 " by %s", sep, why[i].n,
			   why[i].by);
		sep = ", ";
	}
	buf_puts(&h->b, ")\n");
}

/*
 * "2 LFS pointers, 1 LFS object missing, " in the summary's parentheses,
 * when the scan met LFS pointers.
 */
static void put_lfs(struct human *h, const struct scan_info *scan)
{
	if (!scan->has_lfs)
		return;
	if (scan->lfs_pointers)
		buf_printf(&h->b, "%" PRIu64 " LFS %s, ", scan->lfs_pointers,
			   plural(scan->lfs_pointers, "pointer", "pointers"));
	if (scan->lfs_missing)
		buf_printf(&h->b, "%" PRIu64 " LFS %s missing, ",
			   scan->lfs_missing,
			   plural(scan->lfs_missing, "object", "objects"));
	if (scan->lfs_malformed)
		buf_printf(&h->b, "%" PRIu64 " malformed LFS %s, ",
			   scan->lfs_malformed,
			   plural(scan->lfs_malformed, "pointer", "pointers"));
}

/*
 * "2 findings in 1 file (12 files, 3.4 KiB scanned)" or
 * "no findings (12 files, 3.4 KiB scanned)"; git scans count commits
 * and blobs instead of files. A scan with errors is "incomplete: 2 errors"
 * (after the findings, when there are some), then ", 1 skipped" for
 * unreadable inputs skipped on request.
 */
static int put_summary(struct human *h, const struct scan_info *scan,
		       const struct findings *l)
{
	struct places places;
	int err = count_places(l, &places);

	if (err)
		return flush_text(h, err);
	put_color(h, C_BOLD);
	if (l->n) {
		buf_printf(&h->b, "%zu %s", l->n,
			   plural(l->n, "finding", "findings"));
		put_places(&h->b, &places);
	} else if (!scan->errors)
		buf_puts(&h->b, "no findings");
	if (scan->errors)
		buf_printf(&h->b, "%sincomplete: %" PRIu64 " %s",
			   l->n ? ", " : "", scan->errors,
			   plural(scan->errors, "error", "errors"));
	if (scan->skipped)
		buf_printf(&h->b, ", %" PRIu64 " skipped", scan->skipped);
	put_color(h, C_RESET);
	if (scan->has_git)
		buf_printf(&h->b, " (%" PRIu64 " %s, %" PRIu64 " %s, ",
			   scan->commits,
			   plural(scan->commits, "commit", "commits"),
			   scan->blobs_scanned,
			   plural(scan->blobs_scanned, "blob", "blobs"));
	else
		buf_printf(&h->b, " (%" PRIu64 " %s, ", scan->files_scanned,
			   plural(scan->files_scanned, "file", "files"));
	if (scan->git_dirs)
		buf_printf(&h->b,
			   "%" PRIu64 " git %s: %" PRIu64 " %s, %" PRIu64
			   " %s, ",
			   scan->git_dirs,
			   plural(scan->git_dirs, "folder", "folders"),
			   scan->commits,
			   plural(scan->commits, "commit", "commits"),
			   scan->blobs_scanned,
			   plural(scan->blobs_scanned, "blob", "blobs"));
	put_lfs(h, scan);
	if (scan->objects_corrupt)
		buf_printf(&h->b, "%" PRIu64 " corrupt %s, ",
			   scan->objects_corrupt,
			   plural(scan->objects_corrupt, "object", "objects"));
	if (scan->decode_limited)
		buf_printf(&h->b, "%" PRIu64 " cut short by a decoding bound, ",
			   scan->decode_limited);
	if (scan->decode_failed)
		buf_printf(&h->b, "%" PRIu64 " not decodable, ",
			   scan->decode_failed);
	put_size(&h->b, scan->bytes_scanned);
	buf_puts(&h->b, " scanned)\n");
	/* Files only: the history of a work tree's repository is not read. */
	if (scan->git_dirs_skipped)
		buf_printf(&h->b,
			   "%" PRIu64 " .git %s skipped: scan %s history "
			   "with nfguard git\n",
			   scan->git_dirs_skipped,
			   plural(scan->git_dirs_skipped, "folder", "folders"),
			   plural(scan->git_dirs_skipped, "its", "their"));
	if (scan->changed_during_scan)
		buf_printf(&h->b, "%" PRIu64 " %s changed while read\n",
			   scan->changed_during_scan,
			   plural(scan->changed_during_scan, "file", "files"));
	put_problems(h, scan);
	put_suppressed(h, scan);
	err = put_verify_summary(h, l);
	if (!err)
		err = put_revoke_summary(h, l);
	return flush_text(h, err);
}

/*
 * A sweep's repositories, one line each, before the summary:
 * "repositories: 3 (1 scanned, 1 empty, 1 failed)", then
 * "  scanned  NAME  2 findings (3 commits, 4 blobs, 1.2 KiB)" and, for a
 * failed one, ": REASON" after.
 */
static int put_repositories(struct human *h, const struct scan_info *scan)
{
	uint64_t st[3] = {0, 0, 0};
	size_t i;

	if (!scan->has_repositories)
		return 0;
	for (i = 0; i < scan->nrepositories; i++)
		st[scan->repositories[i].status % 3]++;
	buf_printf(&h->b,
		   "repositories: %zu (%" PRIu64 " scanned, %" PRIu64
		   " empty, %" PRIu64 " failed)\n",
		   scan->nrepositories, st[REPO_SCANNED], st[REPO_EMPTY],
		   st[REPO_FAILED]);
	for (i = 0; i < scan->nrepositories; i++) {
		const struct scan_repository *r = &scan->repositories[i];

		buf_printf(&h->b, "  %-8s ", report_repo_status(r->status));
		put_term(h, r->repository);
		buf_printf(&h->b,
			   "  %" PRIu64 " %s (%" PRIu64 " %s, %" PRIu64 " %s, ",
			   r->findings,
			   plural(r->findings, "finding", "findings"),
			   r->commits, plural(r->commits, "commit", "commits"),
			   r->blobs, plural(r->blobs, "blob", "blobs"));
		put_size(&h->b, r->bytes);
		if (r->transfer && !strcmp(r->transfer, "clone"))
			buf_puts(&h->b, ", cloned");
		else if (r->transfer && !strcmp(r->transfer, "fetch"))
			buf_puts(&h->b, ", fetched");
		buf_putc(&h->b, ')');
		if (r->error) {
			buf_puts(&h->b, ": ");
			put_term(h, r->error);
		}
		buf_putc(&h->b, '\n');
	}
	return flush_text(h, 0);
}

/*
 * The section a sweep's report ends with: each token found in more than
 * one repository, every repository holding it, and where it first
 * appeared.
 */
static int put_incidents(struct human *h, const struct scan_info *scan,
			 const struct findings *l)
{
	struct incidents in;
	size_t i, k;
	int err;

	if ((err = incidents_build(&in, scan, l)))
		return err;
	if (!in.n) {
		incidents_release(&in);
		return 0;
	}
	buf_printf(&h->b,
		   "\nincidents: %zu %s found in more than one "
		   "repository\n",
		   in.n, plural(in.n, "token", "tokens"));
	for (i = 0; i < in.n; i++) {
		const struct finding *f = in.v[i].first;

		buf_puts(&h->b, "  ");
		put_term(h, f->redacted);
		buf_puts(&h->b, "  ");
		put_term(h, f->fingerprint);
		buf_printf(&h->b,
			   "\n    in %zu repositories: ", in.v[i].nrepos);
		for (k = 0; k < in.v[i].nrepos; k++) {
			if (k)
				buf_puts(&h->b, ", ");
			put_term(h, in.v[i].repos[k]);
		}
		buf_puts(&h->b, "\n    first seen in ");
		put_term(h, f->repository);
		buf_putc(&h->b, '\n');
		if (f->commit)
			put_commit_line(h, f);
	}
	incidents_release(&in);
	return flush_text(h, 0);
}

int report_write_human(FILE *out, const struct report_opts *opts,
		       const struct scan_info *scan, const struct findings *l)
{
	struct human h = {.out = out, .opts = opts, .scan = scan};
	size_t i;
	int err = 0;

	buf_init(&h.b, BUF_DEFAULT_MAX);
	for (i = 0; i < l->n && !err; i++)
		err = put_finding(&h, &l->v[i]);
	if (!err)
		err = put_fixes(&h, l);
	if (!err && l->n && scan->advice) {
		buf_printf(&h.b, "%s\n", scan->advice);
		err = flush_text(&h, 0);
	}
	if (!err)
		err = put_repositories(&h, scan);
	if (!err)
		err = put_summary(&h, scan, l);
	if (!err)
		err = put_incidents(&h, scan, l);
	buf_release(&h.b);
	return err;
}

/*
 * The SARIF 2.1.0 writer, shaped for GitHub code scanning: every rule once
 * with descriptions and help, results with a region and the token's
 * fingerprint, at most SARIF_MAX_RESULTS results. The token itself is
 * never written here, not even with show_secret.
 */
#include "util/common.h"
#include "util/clock.h"

#include <ctype.h>
#include <inttypes.h>

#include "report/writers.h"
#include "util/error.h"
#include "util/escape.h"

#define SARIF_SCHEMA	  "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_TOOL_URI	  "https://github.com/nfguard/nfguard"
#define SARIF_MAX_RESULTS 25000 /* GitHub's limit per run */
#define SARIF_FINGERPRINT "nfguardFingerprint/v1"
#define SARIF_SRCROOT	  "SRCROOT"

/* By severity_rank: low, medium, high, critical. */
static const char *const levels[] = {"note", "warning", "error", "error"};
static const char *const security_severities[] = {"3.0", "5.5", "8.0", "9.5"};

/* The rules of tool.driver.rules, in order: their index is ruleIndex. */
struct rule_list {
	const struct rule_spec **v;
	size_t n;
};

static size_t rule_find(const struct rule_list *rl, const struct rule_spec *r)
{
	size_t i;

	for (i = 0; i < rl->n; i++)
		if (rl->v[i] == r)
			return i;
	for (i = 0; i < rl->n; i++)
		if (r->id && rl->v[i]->id && !strcmp(rl->v[i]->id, r->id))
			return i;
	return SIZE_MAX;
}

/*
 * The ruleset's rules, then any rule a finding names that the ruleset
 * does not hold (each id once).
 */
static int rule_list_build(struct rule_list *rl, const struct ruleset *rs,
			   const struct finding *const *fv, size_t nresults)
{
	size_t nrules = rs ? ruleset_count(rs) : 0, i;
	const struct rule_spec *r;

	rl->n = 0;
	rl->v = calloc(nrules + nresults + 1, sizeof(*rl->v));
	if (!rl->v)
		return error_nomem();
	for (i = 0; i < nrules + nresults; i++) {
		/* fv holds nresults findings: the caller fills it first and
		 * does not call here once that failed */
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
		r = i < nrules ? ruleset_rule(rs, i) : fv[i - nrules]->rule;
		if (r && rule_find(rl, r) == SIZE_MAX)
			rl->v[rl->n++] = r;
	}
	return 0;
}

/* "notiflows-account-token" -> "NotiflowsAccountToken". */
static void pascal_name(struct buf *b, const char *id)
{
	const char *p;
	int start = 1;

	for (p = id ? id : ""; *p; p++) {
		if (!isascii((unsigned char)*p) ||
		    !isalnum((unsigned char)*p)) {
			start = 1;
			continue;
		}
		buf_putc(b, (char)(start ? toupper((unsigned char)*p)
					 : tolower((unsigned char)*p)));
		start = 0;
	}
	if (!b->len)
		buf_puts(b, "Rule");
}

/* key: {"text": the text of b}. */
static void add_message(struct json_build *j, cJSON *obj, const char *key,
			const struct buf *text)
{
	json_add_buf(j, json_add_object(j, obj, key), "text", text);
}

static void rule_descriptor(struct json_build *j, cJSON *rules,
			    const struct rule_spec *r)
{
	const char *desc =
		r->description && *r->description ? r->description : r->id;
	const char *fix =
		r->remediation && *r->remediation ? r->remediation : NULL;
	int rank = severity_rank(r->severity);
	cJSON *o = json_add_object(j, rules, NULL), *help, *props, *tags;
	struct buf b;

	buf_init(&b, BUF_DEFAULT_MAX);
	json_add_str(j, o, "id", r->id);
	pascal_name(&b, r->id);
	json_add_buf(j, o, "name", &b);
	buf_reset(&b);
	buf_puts(&b, desc ? desc : "");
	add_message(j, o, "shortDescription", &b);
	add_message(j, o, "fullDescription", &b);
	help = json_add_object(j, o, "help");
	if (fix)
		buf_printf(&b, "\n\nRemediation: %s", fix);
	json_add_buf(j, help, "text", &b);
	buf_reset(&b);
	buf_puts(&b, desc ? desc : "");
	if (fix)
		buf_printf(&b, "\n\n**Remediation:** %s", fix);
	json_add_buf(j, help, "markdown", &b);
	json_add_str(j, json_add_object(j, o, "defaultConfiguration"), "level",
		     levels[rank]);
	props = json_add_object(j, o, "properties");
	tags = json_add_array(j, props, "tags");
	json_add_str(j, tags, NULL, "security");
	json_add_str(j, tags, NULL, "secret");
	json_add_str(j, props, "precision", "high");
	json_add_str(j, props, "security-severity", security_severities[rank]);
	buf_release(&b);
}

static void add_driver(struct json_build *j, cJSON *run,
		       const struct rule_list *rl)
{
	cJSON *driver, *rules;
	size_t i;

	driver = json_add_object(j, json_add_object(j, run, "tool"), "driver");
	json_add_str(j, driver, "name", "nfguard");
	json_add_str(j, driver, "version", NFG_VERSION);
	json_add_str(j, driver, "semanticVersion", NFG_VERSION);
	json_add_str(j, driver, "informationUri", SARIF_TOOL_URI);
	rules = json_add_array(j, driver, "rules");
	for (i = 0; i < rl->n && !j->err; i++)
		rule_descriptor(j, rules, rl->v[i]);
}

/*
 * artifactLocation.uri: a relative path percent-encoded, relative to
 * SRCROOT when the scan has a root; an absolute path as a file URI.
 */
static void add_artifact(struct json_build *j, cJSON *phys, int rooted,
			 const char *path)
{
	cJSON *art = json_add_object(j, phys, "artifactLocation");
	int abs = path[0] == '/';
	struct buf b;

	buf_init(&b, BUF_DEFAULT_MAX);
	if (abs)
		buf_puts(&b, "file://");
	escape_uri_path(&b, path, strlen(path));
	json_add_buf(j, art, "uri", &b);
	if (!abs && rooted)
		json_add_str(j, art, "uriBaseId", SARIF_SRCROOT);
	buf_release(&b);
}

/*
 * The region in code points (run.columnKind "unicodeCodePoints"), which
 * SARIF viewers place right on lines with non-ASCII text; a finding made
 * without code-point columns falls back to its byte columns.
 */
static void add_region(struct json_build *j, cJSON *phys,
		       const struct finding *f)
{
	uint64_t col = f->char_column ? f->char_column : f->column;
	uint64_t end = f->char_column ? f->char_end_column : f->end_column;
	cJSON *reg = json_add_object(j, phys, "region");

	json_add_u64(j, reg, "startLine", f->line);
	json_add_u64(j, reg, "startColumn", col);
	json_add_u64(j, reg, "endLine",
		     f->end_line > f->line ? f->end_line : f->line);
	json_add_u64(j, reg, "endColumn", end);
}

/*
 * A git scan names its one repository in versionControlProvenance; a dir
 * scan's history findings (with_repo) each name theirs.
 */
static void add_git_properties(struct json_build *j, cJSON *res,
			       const struct finding *f, int with_repo)
{
	const struct {
		const char *key, *value;
	} fields[] = {
		{"repository", with_repo ? f->repository : NULL},
		{"commit", f->commit},
		{"author_name", f->author_name},
		{"author_email", f->author_email},
		{"date", f->date},
		{"ref", f->ref},
		{"blob", f->blob},
	};
	cJSON *props = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields) && !j->err; i++) {
		if (!fields[i].value)
			continue;
		if (!props)
			props = json_add_object(j, res, "properties");
		json_add_str(j, props, fields[i].key, fields[i].value);
	}
}

/* A token the API accepted is an incident, whatever the rule says. */
static const char *result_level(const struct finding *f)
{
	if (f->verification.status == VERIFICATION_LIVE)
		return "error";
	return levels[severity_rank(f->rule ? f->rule->severity : NULL)];
}

/*
 * properties.verification and properties.revocation, when the finding was
 * verified or --revoke decided about it.
 */
static void add_verification_property(struct json_build *j, cJSON *res,
				      const struct finding *f)
{
	cJSON *props;

	if (j->err || (f->verification.status == VERIFICATION_NONE &&
		       f->revocation.status == REVOCATION_NONE))
		return;
	props = cJSON_GetObjectItemCaseSensitive(res, "properties");
	if (!props)
		props = json_add_object(j, res, "properties");
	report_verification_json(j, props, "verification", f);
	report_revocation_json(j, props, "revocation", f);
}

/* properties.encoding: the decoding that revealed a token, if any. */
static void add_encoding_property(struct json_build *j, cJSON *res,
				  const struct finding *f)
{
	cJSON *props;

	if (j->err || !f->nencoding)
		return;
	props = cJSON_GetObjectItemCaseSensitive(res, "properties");
	if (!props)
		props = json_add_object(j, res, "properties");
	report_encoding_json(j, props, f);
}

static void add_result(struct json_build *j, cJSON *results,
		       const struct rule_list *rl, const struct scan_info *scan,
		       int rooted, const struct finding *f)
{
	const struct rule_spec *r = f->rule;
	size_t idx = r ? rule_find(rl, r) : SIZE_MAX;
	cJSON *res = json_add_object(j, results, NULL), *loc, *phys;
	struct buf msg;

	buf_init(&msg, BUF_DEFAULT_MAX);
	if (idx != SIZE_MAX) {
		json_add_str(j, res, "ruleId", r->id);
		json_add_u64(j, res, "ruleIndex", idx);
	}
	json_add_str(j, res, "level", result_level(f));
	/* Names the rule and the redacted token: never the token. */
	buf_printf(&msg, "Rule %s matched the secret %s.",
		   r && r->id ? r->id : "(unknown)",
		   f->redacted ? f->redacted : "…");
	add_message(j, res, "message", &msg);
	loc = json_add_object(j, json_add_array(j, res, "locations"), NULL);
	phys = json_add_object(j, loc, "physicalLocation");
	add_artifact(j, phys, rooted, f->path ? f->path : "");
	add_region(j, phys, f);
	json_add_str(j, json_add_object(j, res, "partialFingerprints"),
		     SARIF_FINGERPRINT, f->fingerprint);
	add_git_properties(j, res, f, !scan->has_git || scan->has_repositories);
	add_encoding_property(j, res, f);
	add_verification_property(j, res, f);
	buf_release(&msg);
}

/*
 * One notification per distinct problem; the text (msg, then reset) ends
 * with a full stop.
 */
static void add_problem_note(struct json_build *j, cJSON *notes,
			     const char *level, struct buf *msg)
{
	cJSON *note = json_add_object(j, notes, NULL);

	json_add_str(j, note, "level", level);
	buf_putc(msg, '.');
	add_message(j, note, "message", msg);
	buf_reset(msg);
}

/*
 * What one run reports: the whole scan (repo NULL), or one repository of
 * a sweep (first: the run that also takes the problems of no repository).
 */
struct run_part {
	const struct scan_repository *repo;
	int first;
};

/* 1 when msg starts with "'NAME': ", as a sweep's problems do. */
static int names_repo(const char *msg, const char *name)
{
	size_t n = strlen(name);

	return msg[0] == '\'' && !strncmp(msg + 1, name, n) &&
	       !strncmp(msg + 1 + n, "': ", 3);
}

/* Whether a problem belongs in the run of rp. */
static int problem_in_run(const struct scan_info *scan,
			  const struct run_part *rp, const char *msg)
{
	size_t i;

	if (!rp->repo)
		return 1;
	if (names_repo(msg, rp->repo->repository))
		return 1;
	for (i = 0; rp->first && i < scan->nrepositories; i++)
		if (names_repo(msg, scan->repositories[i].repository))
			return 0;
	return rp->first;
}

/*
 * Errors at level "error", skipped inputs and warnings at "warning": the
 * message as printed on stderr, "(N times)" when repeated. notes NULL:
 * only counts. Returns how many problems of the run are errors.
 */
static size_t add_problem_notes(struct json_build *j, cJSON *notes,
				const struct scan_info *scan,
				const struct run_part *rp, size_t *count)
{
	size_t i, errors = 0;
	struct buf msg;

	*count = 0;
	buf_init(&msg, BUF_DEFAULT_MAX);
	for (i = 0; !j->err && i < scan->nproblems; i++) {
		const struct scan_problem *sp = &scan->problems[i];

		if (!problem_in_run(scan, rp, sp->message))
			continue;
		++*count;
		errors += sp->kind == SCAN_PROBLEM_ERROR;
		if (!notes)
			continue;
		buf_puts(&msg, sp->message);
		if (sp->count > 1)
			buf_printf(&msg, " (%" PRIu64 " times)", sp->count);
		add_problem_note(j, notes,
				 sp->kind == SCAN_PROBLEM_ERROR ? "error"
								: "warning",
				 &msg);
	}
	if (scan->problems_unlisted && (!rp->repo || rp->first)) {
		++*count;
		errors += scan->errors != 0;
		if (notes) {
			buf_printf(&msg,
				   "%" PRIu64 " more problems are not listed "
				   "here: see the standard error",
				   scan->problems_unlisted);
			add_problem_note(j, notes,
					 scan->errors ? "error" : "warning",
					 &msg);
		}
	}
	buf_release(&msg);
	return errors;
}

static void add_invocation(struct json_build *j, cJSON *run,
			   const struct scan_info *scan,
			   const struct run_part *rp, size_t dropped)
{
	cJSON *inv, *notes = NULL;
	size_t nnotes, errors = add_problem_notes(j, NULL, scan, rp, &nnotes);
	int ok = rp->repo ? rp->repo->status != REPO_FAILED && !errors
			  : !scan->errors;
	char when[32];
	struct buf msg;

	buf_init(&msg, BUF_DEFAULT_MAX);
	inv = json_add_object(j, json_add_array(j, run, "invocations"), NULL);
	json_add_bool(j, inv, "executionSuccessful", ok);
	clock_format_ms(scan->started_at_ms, when);
	json_add_str(j, inv, "startTimeUtc", when);
	clock_format_ms(scan->started_at_ms + (int64_t)scan->duration_ms, when);
	json_add_str(j, inv, "endTimeUtc", when);
	if (dropped || nnotes)
		notes = json_add_array(j, inv, "toolExecutionNotifications");
	add_problem_notes(j, notes, scan, rp, &nnotes);
	if (dropped) {
		buf_printf(&msg,
			   "%zu results were left out: GitHub code "
			   "scanning accepts at most %d results per run",
			   dropped, SARIF_MAX_RESULTS);
		add_problem_note(j, notes, "warning", &msg);
	}
	buf_release(&msg);
}

/* Percent-encodes the bytes of a URI that a URI may not hold as they are. */
static void uri_clean(struct buf *b, const char *s)
{
	static const char allowed[] = "-._~:/?#[]@!$&'()*+,;=";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '%' && isxdigit(p[1]) && isxdigit(p[2]))
			buf_putc(b, '%');
		else if (*p < 0x80 && (isalnum(*p) || strchr(allowed, *p)))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

static int is_scheme_uri(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	       *p == '.')
		p++;
	return p[0] == ':' && p[1] == '/' && p[2] == '/';
}

/* "file://" and the absolute path, percent-encoded. */
static void file_uri(struct buf *b, const char *path)
{
	buf_puts(b, "file://");
	escape_uri_path(b, path, strlen(path));
}

/*
 * A repository's URI: an absolute path as a file URI, a URL cleaned, and
 * git's scp-like host:path as ssh://host/path. 0 when it is none of them.
 */
static int repo_uri(struct buf *b, const char *repo)
{
	const char *colon = strchr(repo, ':');

	if (repo[0] == '/')
		file_uri(b, repo);
	else if (is_scheme_uri(repo))
		uri_clean(b, repo);
	else if (colon && colon > repo) {
		buf_puts(b, "ssh://");
		buf_add(b, repo, (size_t)(colon - repo));
		if (colon[1] != '/')
			buf_putc(b, '/');
		uri_clean(b, colon + 1);
	} else
		return 0;
	return 1;
}

/*
 * originalUriBaseIds.SRCROOT (the absolute root as a file URI ending in
 * '/') and versionControlProvenance (the scanned repository, when
 * it is a URI or an absolute path, mapped to SRCROOT when there is one).
 */
static void add_bases(struct json_build *j, cJSON *run, const char *root,
		      const char *repo, const char *revision)
{
	cJSON *bases = NULL, *v;
	struct buf b;

	buf_init(&b, BUF_DEFAULT_MAX);
	if (root && root[0] == '/') {
		file_uri(&b, root);
		if (b.ptr[b.len - 1] != '/')
			buf_putc(&b, '/');
		bases = json_add_object(j, run, "originalUriBaseIds");
		json_add_buf(j, json_add_object(j, bases, SARIF_SRCROOT), "uri",
			     &b);
	}
	buf_reset(&b);
	if (!j->err && repo && repo_uri(&b, repo)) {
		v = json_add_object(
			j, json_add_array(j, run, "versionControlProvenance"),
			NULL);
		json_add_buf(j, v, "repositoryUri", &b);
		json_add_opt_str(j, v, "revisionId", revision);
		/* A git scan's root is the repository's work tree. */
		if (bases)
			json_add_str(j, json_add_object(j, v, "mappedTo"),
				     "uriBaseId", SARIF_SRCROOT);
	}
	buf_release(&b);
}

/*
 * A sweep's run: SRCROOT is its repository (its folder, or its URL, the
 * root its paths are relative to), and versionControlProvenance names it
 * mapped to SRCROOT. A repository without a URI (none is made without a
 * path) has neither.
 */
static void add_repo_bases(struct json_build *j, cJSON *run,
			   const struct scan_repository *r)
{
	cJSON *v;
	struct buf b;

	buf_init(&b, BUF_DEFAULT_MAX);
	if (r->uri && repo_uri(&b, r->uri)) {
		v = json_add_object(
			j, json_add_array(j, run, "versionControlProvenance"),
			NULL);
		json_add_buf(j, v, "repositoryUri", &b);
		json_add_opt_str(j, v, "revisionId", r->revision);
		json_add_str(j, json_add_object(j, v, "mappedTo"), "uriBaseId",
			     SARIF_SRCROOT);
		if (b.ptr[b.len - 1] != '/')
			buf_putc(&b, '/');
		json_add_buf(
			j,
			json_add_object(
				j,
				json_add_object(j, run, "originalUriBaseIds"),
				SARIF_SRCROOT),
			"uri", &b);
	}
	buf_release(&b);
}

/*
 * One run of the document: the findings fv[0..nf) (at most
 * SARIF_MAX_RESULTS written) of the whole scan or of one repository.
 * A sweep's run names its repository (automationDetails, properties) so
 * that each is a category of its own for GitHub.
 */
static void add_run(struct json_build *j, cJSON *runs,
		    const struct report_opts *opts,
		    const struct scan_info *scan, const struct run_part *rp,
		    const struct finding *const *fv, size_t nf)
{
	size_t n = nf, i;
	const struct scan_repository *r = rp->repo;
	int totals = !r || rp->first; /* a sweep's: in its first run only */
	struct rule_list rl = {NULL, 0};
	cJSON *run, *results, *props = NULL;
	struct buf id;

	if (n > SARIF_MAX_RESULTS)
		n = SARIF_MAX_RESULTS;
	if (!j->err)
		j->err = rule_list_build(&rl, opts->rules, fv, n);
	run = json_add_object(j, runs, NULL);
	add_driver(j, run, &rl);
	add_invocation(j, run, scan, rp, nf - n);
	if (r)
		add_repo_bases(j, run, r);
	else
		add_bases(j, run, scan->root,
			  scan->has_git ? scan->repository : NULL,
			  scan->revision);
	if (r) {
		buf_init(&id, BUF_DEFAULT_MAX);
		buf_printf(&id, "nfguard/%s/", r->repository);
		json_add_buf(j, json_add_object(j, run, "automationDetails"),
			     "id", &id);
		buf_release(&id);
	}
	json_add_str(j, run, "columnKind", "unicodeCodePoints");
	results = json_add_array(j, run, "results");
	for (i = 0; i < n && !j->err; i++)
		add_result(j, results, &rl, scan,
			   r ? r->uri != NULL : scan->root != NULL, fv[i]);
	if (r || nf > n || scan->has_verification || scan->has_lfs ||
	    scan->changed_during_scan || scan->has_objects || scan->excluded ||
	    scan->too_large)
		props = json_add_object(j, run, "properties");
	if (r) {
		json_add_str(j, props, "repository", r->repository);
		json_add_str(j, props, "status", report_repo_status(r->status));
		json_add_opt_str(j, props, "error", r->error);
	}
	if (nf > n)
		json_add_u64(j, props, "resultsDropped", nf - n);
	if (scan->changed_during_scan)
		json_add_u64(j, props, "changedDuringScan",
			     scan->changed_during_scan);
	if (scan->has_verification && totals)
		report_verification_counts_json(j, props, scan);
	if (scan->has_lfs && totals) {
		json_add_u64(j, props, "lfsPointers", scan->lfs_pointers);
		json_add_u64(j, props, "lfsMissing", scan->lfs_missing);
		json_add_u64(j, props, "lfsMalformed", scan->lfs_malformed);
	}
	if (scan->has_objects && totals)
		json_add_u64(j, props, "objectsCorrupt", scan->objects_corrupt);
	if (scan->has_decode && totals) {
		json_add_u64(j, props, "decodeLimited", scan->decode_limited);
		json_add_u64(j, props, "decodeFailed", scan->decode_failed);
	}
	if ((scan->excluded || scan->too_large) && totals) {
		json_add_u64(j, props, "excluded", scan->excluded);
		json_add_u64(j, props, "tooLarge", scan->too_large);
	}
	free(rl.v);
}

/* The findings of run rp (all of them without a repository), in order. */
static size_t pick(const struct run_part *rp, const struct findings *l,
		   const struct finding **fv)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		if (!rp->repo ||
		    (l->v[i].repository &&
		     !strcmp(l->v[i].repository, rp->repo->repository)))
			fv[n++] = &l->v[i];
	return n;
}

/* One run, or in a sweep one run per repository. */
int report_write_sarif(FILE *out, const struct report_opts *opts,
		       const struct scan_info *scan, const struct findings *l)
{
	size_t nruns = scan->has_repositories ? scan->nrepositories : 1, i, n,
	       most = 0;
	const struct finding **fv = calloc(l->n ? l->n : 1, sizeof(*fv));
	struct json_build j = {0};
	cJSON *doc = json_new_object(&j), *runs;
	struct run_part rp;

	if (!fv && !j.err)
		j.err = error_nomem();
	json_add_str(&j, doc, "$schema", SARIF_SCHEMA);
	json_add_str(&j, doc, "version", "2.1.0");
	runs = json_add_array(&j, doc, "runs");
	for (i = 0; i < nruns && !j.err; i++) {
		rp.repo =
			scan->has_repositories ? &scan->repositories[i] : NULL;
		rp.first = i == 0;
		n = pick(&rp, l, fv);
		most += n < SARIF_MAX_RESULTS ? n : SARIF_MAX_RESULTS;
		add_run(&j, runs, opts, scan, &rp, fv, n);
	}
	json_print(&j, out, doc, 1, 4096 * nruns + most * 1536);
	json_puts(&j, out, "\n");
	free(fv);
	cJSON_Delete(doc);
	return j.err;
}

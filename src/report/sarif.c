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

static int nomem(void)
{
	return error_set(NFG_ENOMEM, "out of memory");
}

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
			   const struct findings *l, size_t nresults)
{
	size_t nrules = rs ? ruleset_count(rs) : 0, i;
	const struct rule_spec *r;

	rl->n = 0;
	rl->v = calloc(nrules + nresults + 1, sizeof(*rl->v));
	if (!rl->v)
		return nomem();
	for (i = 0; i < nrules + nresults; i++) {
		r = i < nrules ? ruleset_rule(rs, i) : l->v[i - nrules].rule;
		if (r && rule_find(rl, r) == SIZE_MAX)
			rl->v[rl->n++] = r;
	}
	return 0;
}

/* "notiflows-account-token" -> "NotiflowsAccountToken". */
static int pascal_name(struct buf *b, const char *id)
{
	int start = 1, err = 0;
	const char *p;

	for (p = id ? id : ""; *p && !err; p++) {
		if (!isascii((unsigned char)*p) ||
		    !isalnum((unsigned char)*p)) {
			start = 1;
			continue;
		}
		err = buf_putc(b, (char)(start ? toupper((unsigned char)*p)
					       : tolower((unsigned char)*p)));
		start = 0;
	}
	if (!err && !b->len)
		err = buf_puts(b, "Rule");
	return err;
}

static int add_message(cJSON *obj, const char *key, const struct buf *text)
{
	cJSON *m;
	int err = json_add_object(obj, key, &m);

	return err ? err : json_add_text(m, "text", text->ptr, text->len);
}

static int rule_descriptor(cJSON *rules, const struct rule_spec *r)
{
	const char *desc =
		r->description && *r->description ? r->description : r->id;
	int rank = severity_rank(r->severity);
	cJSON *o = NULL, *sub, *props, *tags;
	struct buf b;
	int err;

	buf_init(&b, BUF_DEFAULT_MAX);
	err = json_add_object(rules, NULL, &o);
	if (!err)
		err = json_add_str(o, "id", r->id);
	if (!err)
		err = pascal_name(&b, r->id);
	if (!err)
		err = json_add_text(o, "name", b.ptr, b.len);
	buf_reset(&b);
	if (!err)
		err = buf_puts(&b, desc ? desc : "");
	if (!err)
		err = add_message(o, "shortDescription", &b);
	if (!err)
		err = add_message(o, "fullDescription", &b);
	if (!err)
		err = json_add_object(o, "help", &sub);
	if (!err && r->remediation && *r->remediation)
		err = buf_printf(&b, "\n\nRemediation: %s", r->remediation);
	if (!err)
		err = json_add_text(sub, "text", b.ptr, b.len);
	buf_reset(&b);
	if (!err)
		err = buf_puts(&b, desc ? desc : "");
	if (!err && r->remediation && *r->remediation)
		err = buf_printf(&b, "\n\n**Remediation:** %s", r->remediation);
	if (!err)
		err = json_add_text(sub, "markdown", b.ptr, b.len);
	if (!err)
		err = json_add_object(o, "defaultConfiguration", &sub);
	if (!err)
		err = json_add_str(sub, "level", levels[rank]);
	if (!err)
		err = json_add_object(o, "properties", &props);
	if (!err)
		err = json_add_array(props, "tags", &tags);
	if (!err)
		err = json_append_str(tags, "security");
	if (!err)
		err = json_append_str(tags, "secret");
	if (!err)
		err = json_add_str(props, "precision", "high");
	if (!err)
		err = json_add_str(props, "security-severity",
				   security_severities[rank]);
	buf_release(&b);
	return err;
}

static int add_driver(cJSON *run, const struct rule_list *rl)
{
	cJSON *tool, *driver, *rules;
	size_t i;
	int err;

	err = json_add_object(run, "tool", &tool);
	if (!err)
		err = json_add_object(tool, "driver", &driver);
	if (!err)
		err = json_add_str(driver, "name", "nfguard");
	if (!err)
		err = json_add_str(driver, "version", NFG_VERSION);
	if (!err)
		err = json_add_str(driver, "semanticVersion", NFG_VERSION);
	if (!err)
		err = json_add_str(driver, "informationUri", SARIF_TOOL_URI);
	if (!err)
		err = json_add_array(driver, "rules", &rules);
	for (i = 0; i < rl->n && !err; i++)
		err = rule_descriptor(rules, rl->v[i]);
	return err;
}

/*
 * artifactLocation.uri: a relative path percent-encoded, relative to
 * SRCROOT when the scan has a root; an absolute path as a file URI.
 */
static int add_artifact(cJSON *phys, const struct scan_info *scan,
			const char *path)
{
	cJSON *art;
	struct buf b;
	int abs = path[0] == '/', err;

	buf_init(&b, BUF_DEFAULT_MAX);
	err = json_add_object(phys, "artifactLocation", &art);
	if (!err && abs)
		err = buf_puts(&b, "file://");
	if (!err)
		err = escape_uri_path(&b, path, strlen(path));
	if (!err)
		err = json_add_text(art, "uri", b.ptr, b.len);
	if (!err && !abs && scan->root)
		err = json_add_str(art, "uriBaseId", SARIF_SRCROOT);
	buf_release(&b);
	return err;
}

/*
 * The region in code points (run.columnKind "unicodeCodePoints"), which
 * SARIF viewers place right on lines with non-ASCII text; a finding made
 * without code-point columns falls back to its byte columns.
 */
static int add_region(cJSON *phys, const struct finding *f)
{
	uint64_t col = f->char_column ? f->char_column : f->column;
	uint64_t end = f->char_column ? f->char_end_column : f->end_column;
	cJSON *reg;
	int err = json_add_object(phys, "region", &reg);

	if (!err)
		err = json_add_u64(reg, "startLine", f->line);
	if (!err)
		err = json_add_u64(reg, "startColumn", col);
	if (!err)
		err = json_add_u64(reg, "endLine", f->line);
	if (!err)
		err = json_add_u64(reg, "endColumn", end);
	return err;
}

/*
 * A git scan names its one repository in versionControlProvenance; a dir
 * scan's history findings (with_repo) each name theirs.
 */
static int add_git_properties(cJSON *res, const struct finding *f,
			      int with_repo)
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
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(fields) && !err; i++) {
		if (!fields[i].value)
			continue;
		if (!props)
			err = json_add_object(res, "properties", &props);
		if (!err)
			err = json_add_str(props, fields[i].key,
					   fields[i].value);
	}
	return err;
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
static int add_verification_property(cJSON *res, const struct finding *f)
{
	cJSON *props;
	int err = 0;

	if (f->verification.status == VERIFICATION_NONE &&
	    f->revocation.status == REVOCATION_NONE)
		return 0;
	props = cJSON_GetObjectItemCaseSensitive(res, "properties");
	if (!props)
		err = json_add_object(res, "properties", &props);
	if (!err)
		err = report_verification_json(props, "verification", f);
	return err ? err : report_revocation_json(props, "revocation", f);
}

static int add_result(cJSON *results, const struct rule_list *rl,
		      const struct scan_info *scan, const struct finding *f)
{
	const struct rule_spec *r = f->rule;
	size_t idx = r ? rule_find(rl, r) : SIZE_MAX;
	cJSON *res, *locs, *loc, *phys, *fp;
	struct buf msg;
	int err;

	buf_init(&msg, BUF_DEFAULT_MAX);
	err = json_add_object(results, NULL, &res);
	if (!err && idx != SIZE_MAX) {
		err = json_add_str(res, "ruleId", r->id);
		if (!err)
			err = json_add_u64(res, "ruleIndex", idx);
	}
	if (!err)
		err = json_add_str(res, "level", result_level(f));
	/* Names the rule and the redacted token: never the token. */
	if (!err)
		err = buf_printf(&msg, "Rule %s matched the secret %s.",
				 r && r->id ? r->id : "(unknown)",
				 f->redacted ? f->redacted : "…");
	if (!err)
		err = add_message(res, "message", &msg);
	if (!err)
		err = json_add_array(res, "locations", &locs);
	if (!err)
		err = json_add_object(locs, NULL, &loc);
	if (!err)
		err = json_add_object(loc, "physicalLocation", &phys);
	if (!err)
		err = add_artifact(phys, scan, f->path ? f->path : "");
	if (!err)
		err = add_region(phys, f);
	if (!err)
		err = json_add_object(res, "partialFingerprints", &fp);
	if (!err)
		err = json_add_str(fp, SARIF_FINGERPRINT, f->fingerprint);
	if (!err)
		err = add_git_properties(res, f, !scan->has_git);
	if (!err)
		err = add_verification_property(res, f);
	buf_release(&msg);
	return err;
}

/* One notification per distinct problem; the text ends with a full stop. */
static int add_problem_note(cJSON *notes, const char *level, struct buf *msg)
{
	cJSON *note;
	int err;

	err = json_add_object(notes, NULL, &note);
	if (!err)
		err = json_add_str(note, "level", level);
	if (!err)
		err = buf_putc(msg, '.');
	if (!err)
		err = add_message(note, "message", msg);
	buf_reset(msg);
	return err;
}

/*
 * Errors at level "error", skipped inputs and warnings at "warning": the
 * message as printed on stderr, "(N times)" when repeated.
 */
static int add_problem_notes(cJSON *notes, const struct scan_info *scan)
{
	struct buf msg;
	size_t i;
	int err = 0;

	buf_init(&msg, BUF_DEFAULT_MAX);
	for (i = 0; !err && i < scan->nproblems; i++) {
		const struct scan_problem *sp = &scan->problems[i];

		err = buf_puts(&msg, sp->message);
		if (!err && sp->count > 1)
			err = buf_printf(&msg, " (%" PRIu64 " times)",
					 sp->count);
		if (!err)
			err = add_problem_note(notes,
					       sp->kind == SCAN_PROBLEM_ERROR
						       ? "error"
						       : "warning",
					       &msg);
	}
	if (!err && scan->problems_unlisted) {
		err = buf_printf(&msg,
				 "%" PRIu64 " more problems are not listed "
				 "here: see the standard error",
				 scan->problems_unlisted);
		if (!err)
			err = add_problem_note(
				notes, scan->errors ? "error" : "warning",
				&msg);
	}
	buf_release(&msg);
	return err;
}

static int add_invocation(cJSON *run, const struct scan_info *scan,
			  size_t dropped)
{
	cJSON *invs, *inv, *notes = NULL, *note;
	char when[32];
	struct buf msg;
	int err;

	buf_init(&msg, BUF_DEFAULT_MAX);
	err = json_add_array(run, "invocations", &invs);
	if (!err)
		err = json_add_object(invs, NULL, &inv);
	if (!err)
		err = json_add_bool(inv, "executionSuccessful", !scan->errors);
	clock_format_ms(scan->started_at_ms, when);
	if (!err)
		err = json_add_str(inv, "startTimeUtc", when);
	clock_format_ms(scan->started_at_ms + (int64_t)scan->duration_ms, when);
	if (!err)
		err = json_add_str(inv, "endTimeUtc", when);
	if (!err && (dropped || scan->nproblems || scan->problems_unlisted))
		err = json_add_array(inv, "toolExecutionNotifications", &notes);
	if (!err)
		err = add_problem_notes(notes, scan);
	if (!err && dropped) {
		err = json_add_object(notes, NULL, &note);
		if (!err)
			err = json_add_str(note, "level", "warning");
		if (!err)
			err = buf_printf(
				&msg,
				"%zu results were left out: GitHub code "
				"scanning accepts at most %d results per run.",
				dropped, SARIF_MAX_RESULTS);
		if (!err)
			err = add_message(note, "message", &msg);
	}
	buf_release(&msg);
	return err;
}

/* Percent-encodes the bytes of a URI that a URI may not hold as they are. */
static int uri_clean(struct buf *b, const char *s)
{
	static const char allowed[] = "-._~:/?#[]@!$&'()*+,;=";
	const unsigned char *p;
	int err = 0;

	for (p = (const unsigned char *)s; *p && !err; p++) {
		if (*p == '%' && isxdigit(p[1]) && isxdigit(p[2]))
			err = buf_putc(b, '%');
		else if (*p < 0x80 && (isalnum(*p) || strchr(allowed, *p)))
			err = buf_putc(b, (char)*p);
		else
			err = buf_printf(b, "%%%02X", *p);
	}
	return err;
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

/*
 * originalUriBaseIds.SRCROOT (the absolute root as a file URI ending in
 * '/') and versionControlProvenance (the scanned repository, when
 * it is a URI or an absolute path, mapped to SRCROOT when there is one).
 */
static int add_bases(cJSON *run, const struct scan_info *scan)
{
	const char *repo = NULL;
	cJSON *bases = NULL, *root, *vcp, *v, *mapped;
	struct buf b;
	int err = 0;

	buf_init(&b, BUF_DEFAULT_MAX);
	if (scan->root && scan->root[0] == '/') {
		err = buf_puts(&b, "file://");
		if (!err)
			err = escape_uri_path(&b, scan->root,
					      strlen(scan->root));
		if (!err && b.ptr[b.len - 1] != '/')
			err = buf_putc(&b, '/');
		if (!err)
			err = json_add_object(run, "originalUriBaseIds",
					      &bases);
		if (!err)
			err = json_add_object(bases, SARIF_SRCROOT, &root);
		if (!err)
			err = json_add_text(root, "uri", b.ptr, b.len);
	}
	if (scan->has_git)
		repo = scan->repository;
	buf_reset(&b);
	if (!err && repo && (is_scheme_uri(repo) || repo[0] == '/')) {
		if (repo[0] == '/') {
			err = buf_puts(&b, "file://");
			if (!err)
				err = escape_uri_path(&b, repo, strlen(repo));
		} else {
			err = uri_clean(&b, repo);
		}
		if (!err)
			err = json_add_array(run, "versionControlProvenance",
					     &vcp);
		if (!err)
			err = json_add_object(vcp, NULL, &v);
		if (!err)
			err = json_add_text(v, "repositoryUri", b.ptr, b.len);
		if (!err && scan->revision)
			err = json_add_str(v, "revisionId", scan->revision);
		/* A git scan's root is the repository's work tree. */
		if (!err && bases)
			err = json_add_object(v, "mappedTo", &mapped);
		if (!err && bases)
			err = json_add_str(mapped, "uriBaseId", SARIF_SRCROOT);
	}
	buf_release(&b);
	return err;
}

int report_write_sarif(FILE *out, const struct report_opts *opts,
		       const struct scan_info *scan, const struct findings *l)
{
	size_t n = l->n < SARIF_MAX_RESULTS ? l->n : SARIF_MAX_RESULTS, i;
	struct rule_list rl = {NULL, 0};
	cJSON *doc = cJSON_CreateObject(), *runs, *run, *results, *props;
	int err;

	if (!doc)
		return nomem();
	err = rule_list_build(&rl, opts->rules, l, n);
	if (!err)
		err = json_add_str(doc, "$schema", SARIF_SCHEMA);
	if (!err)
		err = json_add_str(doc, "version", "2.1.0");
	if (!err)
		err = json_add_array(doc, "runs", &runs);
	if (!err)
		err = json_add_object(runs, NULL, &run);
	if (!err)
		err = add_driver(run, &rl);
	if (!err)
		err = add_invocation(run, scan, l->n - n);
	if (!err)
		err = add_bases(run, scan);
	if (!err)
		err = json_add_str(run, "columnKind", "unicodeCodePoints");
	if (!err)
		err = json_add_array(run, "results", &results);
	for (i = 0; i < n && !err; i++)
		err = add_result(results, &rl, scan, &l->v[i]);
	if (!err && (l->n > n || scan->has_verification))
		err = json_add_object(run, "properties", &props);
	if (!err && l->n > n)
		err = json_add_u64(props, "resultsDropped", l->n - n);
	if (!err && scan->has_verification)
		err = report_verification_counts_json(props, scan);
	if (!err)
		err = json_print(out, doc, 1, 4096 + n * 1536);
	if (!err)
		fputc('\n', out);
	free(rl.v);
	cJSON_Delete(doc);
	return err;
}

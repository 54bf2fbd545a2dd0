/*
 * Unit tests of the report writers on findings built by hand: exact keys
 * and values of json/jsonl (parsed back with cJSON), the human layout,
 * SARIF for GitHub (rules, results, never the token, the result cap), and
 * invalid UTF-8 in paths. Tokens are built at run time.
 */
#include "util/common.h"
#include "engine/engine.h"
#include "finding/finding.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/escape.h"
#include "util/sha256.h"

#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include <cjson/cJSON.h>

#define STARTED_MS 1795824000123 /* 2026-11-28T00:00:00.123Z */

struct fixture {
	char token[64];
	size_t token_len;
	char redacted[64];
	char fingerprint[FINGERPRINT_LEN + 1];
	struct rule_spec rule;
	struct finding f[2];
	struct findings l;
	const char *targets[1];
	struct scan_info scan;
	struct report_opts opts;
	struct ruleset *rs;
};

static struct fixture fx;

static void fill_finding(struct finding *f, const char *path, uint64_t line,
			 uint64_t column)
{
	memset(f, 0, sizeof(*f));
	f->rule = &fx.rule;
	f->secret = fx.token;
	f->secret_len = fx.token_len;
	f->redacted = fx.redacted;
	memcpy(f->fingerprint, fx.fingerprint, sizeof(fx.fingerprint));
	f->path = (char *)path;
	f->line = line;
	f->column = column;
	f->end_column = column + fx.token_len;
	f->reachable = -1;
}

/* One finding in src/app.ts; tests change what they need. */
static int setup(void **state)
{
	char hex[65];

	(void)state;
	memset(&fx, 0, sizeof(fx));
	test_token(fx.token, 24, 7);
	fx.token_len = strlen(fx.token);
	snprintf(fx.redacted, sizeof(fx.redacted), "%.10s\xe2\x80\xa6%s",
		 fx.token, fx.token + fx.token_len - 4);
	sha256_hex(fx.token, fx.token_len, hex);
	snprintf(fx.fingerprint, sizeof(fx.fingerprint), "sha256:%s", hex);
	fx.rule.id = "notiflows-account-token";
	fx.rule.description = "Notiflows account token";
	fx.rule.severity = "high";
	fx.rule.remediation = "Revoke the token.\nLoad it from a secret store.";
	fill_finding(&fx.f[0], "src/app.ts", 12, 5);
	fill_finding(&fx.f[1], "src/app.ts", 40, 1);
	fx.l.v = fx.f;
	fx.l.n = 1;
	fx.l.cap = 2;
	fx.targets[0] = ".";
	fx.scan.command = "dir";
	fx.scan.targets = fx.targets;
	fx.scan.ntargets = 1;
	fx.scan.started_at_ms = STARTED_MS;
	fx.scan.duration_ms = 42;
	fx.scan.files_scanned = 12;
	fx.scan.bytes_scanned = 3500;
	fx.opts.format = REPORT_JSON;
	return 0;
}

static char *render(size_t *len)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	assert_non_null(f);
	assert_int_equal(report_write(f, &fx.opts, &fx.scan, &fx.l), 0);
	assert_int_equal(fclose(f), 0);
	if (len)
		*len = n;
	return p;
}

static void assert_valid_utf8(const char *p, size_t n)
{
	struct buf b;

	buf_init(&b, BUF_DEFAULT_MAX);
	assert_int_equal(escape_utf8(&b, p, n), 0);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.ptr, p, n);
	buf_release(&b);
}

static int contains(const char *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void assert_keys(const cJSON *o, const char *const *keys, size_t n)
{
	const cJSON *c;
	size_t i = 0;

	assert_true(cJSON_IsObject(o));
	cJSON_ArrayForEach(c, o)
	{
		assert_true(i < n);
		assert_string_equal(c->string, keys[i]);
		i++;
	}
	assert_int_equal(i, n);
}

static const char *str_at(const cJSON *o, const char *key)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsString(c));
	return c->valuestring;
}

static double num_at(const cJSON *o, const char *key)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsNumber(c));
	return c->valuedouble;
}

static const cJSON *at(const cJSON *o, const char *key)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_non_null(c);
	return c;
}

static void test_format_parse(void **state)
{
	enum report_format f;

	(void)state;
	assert_int_equal(report_format_parse("human", &f), 0);
	assert_int_equal(f, REPORT_HUMAN);
	assert_int_equal(report_format_parse("json", &f), 0);
	assert_int_equal(f, REPORT_JSON);
	assert_int_equal(report_format_parse("jsonl", &f), 0);
	assert_int_equal(f, REPORT_JSONL);
	assert_int_equal(report_format_parse("sarif", &f), 0);
	assert_int_equal(f, REPORT_SARIF);
	assert_int_equal(report_format_parse("html", &f), 0);
	assert_int_equal(f, REPORT_HTML);
	assert_int_equal(report_format_parse("", &f), NFG_EINVAL);
	assert_int_equal(report_format_parse("JSON", &f), NFG_EINVAL);
	assert_non_null(strstr(error_last(), "unknown format 'JSON'"));
}

/* Help and messages list the formats from the one table. */
static void test_format_names(void **state)
{
	enum report_format f;
	struct buf b;

	(void)state;
	buf_init(&b, BUF_DEFAULT_MAX);
	assert_int_equal(report_format_names(&b, 1), 0);
	assert_string_equal(b.ptr, "human (default), json, jsonl, sarif, html");
	buf_reset(&b);
	assert_int_equal(report_format_names(&b, 0), 0);
	assert_string_equal(b.ptr, "human, json, jsonl, sarif or html");
	buf_release(&b);
	assert_int_equal(report_format_parse("xml", &f), NFG_EINVAL);
	assert_string_equal(error_last(), "unknown format 'xml' (human, "
					  "json, jsonl, sarif or html)");
}

static void test_json_document(void **state)
{
	static const char *const top[] = {"tool", "scan", "findings"};
	static const char *const scan[] = {
		"command",	 "targets",	  "started_at", "duration_ms",
		"files_scanned", "bytes_scanned", "findings",	"errors",
		"skipped",	 "problems"};
	static const char *const keys[] = {
		"rule_id", "secret_redacted", "fingerprint", "path",
		"line",	   "column",	      "end_column"};
	const cJSON *s, *f;
	size_t n;
	char *out;
	cJSON *doc;

	(void)state;
	fx.l.n = 2;
	out = render(&n);
	assert_valid_utf8(out, n);
	assert_false(contains(out, n, fx.token));
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	assert_keys(doc, top, ARRAY_SIZE(top));
	assert_string_equal(str_at(at(doc, "tool"), "name"), "nfguard");
	assert_string_equal(str_at(at(doc, "tool"), "version"), NFG_VERSION);
	s = at(doc, "scan");
	assert_keys(s, scan, ARRAY_SIZE(scan));
	assert_string_equal(str_at(s, "command"), "dir");
	assert_int_equal(cJSON_GetArraySize(at(s, "targets")), 1);
	assert_string_equal(
		cJSON_GetArrayItem(at(s, "targets"), 0)->valuestring, ".");
	assert_string_equal(str_at(s, "started_at"),
			    "2026-11-28T00:00:00.123Z");
	assert_true(num_at(s, "duration_ms") == 42);
	assert_true(num_at(s, "files_scanned") == 12);
	assert_true(num_at(s, "bytes_scanned") == 3500);
	assert_true(num_at(s, "findings") == 2);
	assert_int_equal(cJSON_GetArraySize(at(doc, "findings")), 2);
	f = cJSON_GetArrayItem(at(doc, "findings"), 0);
	assert_keys(f, keys, ARRAY_SIZE(keys));
	assert_string_equal(str_at(f, "rule_id"), "notiflows-account-token");
	assert_string_equal(str_at(f, "secret_redacted"), fx.redacted);
	assert_string_equal(str_at(f, "fingerprint"), fx.fingerprint);
	assert_int_equal(strlen(fx.fingerprint), FINGERPRINT_LEN);
	assert_string_equal(str_at(f, "path"), "src/app.ts");
	assert_true(num_at(f, "line") == 12);
	assert_true(num_at(f, "column") == 5);
	assert_true(num_at(f, "end_column") == 5 + 30);
	f = cJSON_GetArrayItem(at(doc, "findings"), 1);
	assert_true(num_at(f, "line") == 40);
	cJSON_Delete(doc);
	free(out);
}

static void test_json_empty_and_git_scan(void **state)
{
	static const char *const scan[] = {
		"command",	 "targets",	  "started_at", "duration_ms",
		"files_scanned", "bytes_scanned", "findings",	"commits",
		"blobs_scanned", "refs",	  "submodules", "shallow",
		"repository",	 "git_dir_files", "errors",	"skipped",
		"problems"};
	const cJSON *s;
	char *out;
	cJSON *doc;

	(void)state;
	fx.l.n = 0;
	fx.scan.command = "git";
	fx.scan.has_git = 1;
	fx.scan.commits = 5;
	fx.scan.blobs_scanned = 9;
	fx.scan.refs = 2;
	fx.scan.submodules = 1;
	fx.scan.shallow = 1;
	fx.scan.repository = "/srv/repo";
	fx.scan.git_dir_files = 7;
	fx.scan.started_at_ms = -1; /* before 1970: floor, not truncation */
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	s = at(doc, "scan");
	assert_keys(s, scan, ARRAY_SIZE(scan));
	assert_string_equal(str_at(s, "started_at"),
			    "1969-12-31T23:59:59.999Z");
	assert_true(num_at(s, "findings") == 0);
	assert_true(num_at(s, "commits") == 5);
	assert_true(num_at(s, "blobs_scanned") == 9);
	assert_true(num_at(s, "refs") == 2);
	assert_true(num_at(s, "submodules") == 1);
	assert_true(cJSON_IsTrue(at(s, "shallow")));
	assert_string_equal(str_at(s, "repository"), "/srv/repo");
	assert_true(num_at(s, "git_dir_files") == 7);
	assert_true(cJSON_IsArray(at(doc, "findings")));
	assert_int_equal(cJSON_GetArraySize(at(doc, "findings")), 0);
	cJSON_Delete(doc);
	free(out);
}

static void test_json_show_secret(void **state)
{
	static const char *const keys[] = {
		"rule_id", "secret_redacted", "fingerprint", "secret", "path",
		"line",	   "column",	      "end_column"};
	const cJSON *f;
	char *out;
	cJSON *doc;

	(void)state;
	fx.opts.show_secret = 1;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	f = cJSON_GetArrayItem(at(doc, "findings"), 0);
	assert_keys(f, keys, ARRAY_SIZE(keys));
	assert_string_equal(str_at(f, "secret"), fx.token);
	cJSON_Delete(doc);
	free(out);
}

static void test_json_git_fields(void **state)
{
	static const char *const keys[] = {"rule_id",	  "secret_redacted",
					   "fingerprint", "path",
					   "line",	  "column",
					   "end_column",  "repository",
					   "commit",	  "ref",
					   "author_name", "author_email",
					   "date",	  "blob",
					   "location",	  "reachable",
					   "occurrences"};
	struct finding *g = &fx.f[0];
	const cJSON *f;
	char *out;
	cJSON *doc;

	(void)state;
	g->repository = "https://example.com/r.git";
	g->commit = "0123456789abcdef0123456789abcdef01234567";
	g->ref = "refs/heads/main";
	g->author_name = "Jos\xc3\xa9 \xff";
	g->author_email = "jose@example.com";
	g->date = "2024-01-02T03:04:05Z";
	g->blob = "89abcdef0123456789abcdef0123456789abcdef";
	g->location = "file";
	g->reachable = 0;
	g->occurrences = 3;
	fx.opts.format = REPORT_JSONL;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	f = doc;
	assert_keys(f, keys, ARRAY_SIZE(keys));
	assert_string_equal(str_at(f, "author_name"), "Jos\xc3\xa9 \\xFF");
	assert_true(cJSON_IsFalse(at(f, "reachable")));
	assert_true(num_at(f, "occurrences") == 3);
	cJSON_Delete(doc);
	free(out);
	/* reachable 1 is true; only some fields present. */
	g->repository = g->ref = g->author_name = g->author_email = NULL;
	g->date = g->blob = g->location = NULL;
	g->reachable = 1;
	g->occurrences = 0;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	assert_true(cJSON_IsTrue(at(doc, "reachable")));
	assert_null(cJSON_GetObjectItemCaseSensitive(doc, "occurrences"));
	assert_null(cJSON_GetObjectItemCaseSensitive(doc, "ref"));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(doc, "commit"));
	cJSON_Delete(doc);
	free(out);
}

/*
 * A sweep: scan.repositories in order, findings of one token in two
 * repositories as one incident first seen at the older date, and none
 * for a token of one repository.
 */
static void test_json_sweep(void **state)
{
	static const struct scan_repository repos[] = {
		{"a", "/srv/a", NULL, REPO_SCANNED, NULL, 2, 3, 4, 500, 1, 1234,
		 NULL, "local"},
		{"b", "/srv/b", NULL, REPO_SCANNED, NULL, 1, 1, 1, 9, 1, 5,
		 NULL, "fetch"},
		{"c", NULL, NULL, REPO_FAILED, "cannot open 'c'", 0, 0, 0, 0, 0,
		 0, NULL, NULL},
	};
	const cJSON *r, *in, *first;
	char *out;
	cJSON *doc;

	(void)state;
	fx.l.n = 2;
	fx.f[0].repository = "a";
	fx.f[0].commit = "1111111111111111111111111111111111111111";
	fx.f[0].date = "2024-02-01T00:00:00Z";
	fx.f[1].repository = "b";
	fx.f[1].commit = "2222222222222222222222222222222222222222";
	fx.f[1].date = "2024-01-01T00:00:00Z";
	fx.f[1].author_name = "Bo";
	fx.f[1].author_email = "bo@example.com";
	fx.scan.has_git = 1;
	fx.scan.has_repositories = 1;
	fx.scan.repositories = repos;
	fx.scan.nrepositories = ARRAY_SIZE(repos);
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	r = at(at(doc, "scan"), "repositories");
	assert_int_equal(cJSON_GetArraySize(r), 3);
	assert_string_equal(str_at(cJSON_GetArrayItem(r, 0), "status"),
			    "scanned");
	assert_true(num_at(cJSON_GetArrayItem(r, 0), "seconds") == 1.234);
	assert_true(cJSON_IsNull(at(cJSON_GetArrayItem(r, 0), "error")));
	assert_string_equal(str_at(cJSON_GetArrayItem(r, 2), "status"),
			    "failed");
	assert_string_equal(str_at(cJSON_GetArrayItem(r, 2), "error"),
			    "cannot open 'c'");
	/* How each was obtained; none said, no field. */
	assert_string_equal(str_at(cJSON_GetArrayItem(r, 0), "transfer"),
			    "local");
	assert_string_equal(str_at(cJSON_GetArrayItem(r, 1), "transfer"),
			    "fetch");
	assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(r, 2),
						     "transfer"));
	in = at(doc, "incidents");
	assert_int_equal(cJSON_GetArraySize(in), 1);
	in = cJSON_GetArrayItem(in, 0);
	assert_string_equal(str_at(in, "fingerprint"), fx.fingerprint);
	assert_int_equal(cJSON_GetArraySize(at(in, "repositories")), 2);
	first = at(in, "first_seen");
	assert_string_equal(str_at(first, "repository"), "b");
	assert_string_equal(str_at(first, "date"), "2024-01-01T00:00:00Z");
	assert_string_equal(str_at(first, "author"), "Bo <bo@example.com>");
	cJSON_Delete(doc);
	free(out);
	/* The same token in one repository twice: no incident. */
	fx.f[1].repository = "a";
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetArraySize(at(doc, "incidents")), 0);
	cJSON_Delete(doc);
	free(out);
}

static void test_jsonl_exact(void **state)
{
	struct buf want;
	size_t n;
	char *out;

	(void)state;
	fx.opts.format = REPORT_JSONL;
	fx.l.n = 2;
	buf_init(&want, BUF_DEFAULT_MAX);
	assert_int_equal(
		buf_printf(&want,
			   "{\"rule_id\":\"notiflows-account-token\","
			   "\"secret_redacted\":\"%s\",\"fingerprint\":\"%s\","
			   "\"path\":\"src/app.ts\",\"line\":12,\"column\":5,"
			   "\"end_column\":35}\n"
			   "{\"rule_id\":\"notiflows-account-token\","
			   "\"secret_redacted\":\"%s\",\"fingerprint\":\"%s\","
			   "\"path\":\"src/app.ts\",\"line\":40,\"column\":1,"
			   "\"end_column\":31}\n",
			   fx.redacted, fx.fingerprint, fx.redacted,
			   fx.fingerprint),
		0);
	out = render(&n);
	assert_string_equal(out, want.ptr);
	free(out);
	buf_release(&want);
	/* No findings: no output at all. */
	fx.l.n = 0;
	out = render(&n);
	assert_int_equal(n, 0);
	free(out);
}

static void test_invalid_utf8_path(void **state)
{
	const cJSON *f, *loc;
	size_t n;
	char *out;
	cJSON *doc;

	(void)state;
	fx.f[0].path = "dir/\xff\xfe"
		       "a\xc3\xa9.env";
	out = render(&n);
	assert_valid_utf8(out, n);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	f = cJSON_GetArrayItem(at(doc, "findings"), 0);
	assert_string_equal(str_at(f, "path"), "dir/\\xFF\\xFEa\xc3\xa9.env");
	cJSON_Delete(doc);
	free(out);

	fx.opts.format = REPORT_SARIF;
	out = render(&n);
	assert_valid_utf8(out, n);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	loc = at(cJSON_GetArrayItem(
			 at(cJSON_GetArrayItem(at(doc, "runs"), 0), "results"),
			 0),
		 "locations");
	loc = at(at(cJSON_GetArrayItem(loc, 0), "physicalLocation"),
		 "artifactLocation");
	assert_string_equal(str_at(loc, "uri"), "dir/%FF%FEa%C3%A9.env");
	cJSON_Delete(doc);
	free(out);
}

static void test_human(void **state)
{
	struct buf want;
	size_t n;
	char *out;

	(void)state;
	fx.opts.format = REPORT_HUMAN;
	fx.l.n = 2;
	fx.f[1].path = "a\x1b[2Jb\xff.env";
	buf_init(&want, BUF_DEFAULT_MAX);
	assert_int_equal(
		buf_printf(
			&want,
			"src/app.ts:12:5  notiflows-account-token (high)  %s\n"
			"    fingerprint %s\n"
			"\n"
			"a\\x1B[2Jb\\xFF.env:40:1  notiflows-account-token "
			"(high)  "
			"%s\n"
			"    fingerprint %s\n"
			"\n"
			"fix (notiflows-account-token): Revoke the token.\n"
			"    Load it from a secret store.\n"
			"\n"
			"2 findings in 2 files (12 files, 3.4 KiB scanned)\n",
			fx.redacted, fx.fingerprint, fx.redacted,
			fx.fingerprint),
		0);
	out = render(&n);
	assert_string_equal(out, want.ptr);
	assert_false(contains(out, n, fx.token));
	assert_false(contains(out, n, "\033"));
	free(out);
	buf_release(&want);

	/* The same file twice is one file; colour only when asked. */
	fx.f[1].path = "src/app.ts";
	fx.opts.color = 1;
	out = render(&n);
	assert_true(contains(out, n, "2 findings in 1 file\033[0m (12 files"));
	assert_true(contains(out, n, "\033[31mnotiflows-account-token"));
	free(out);
}

static void test_human_show_secret_and_git(void **state)
{
	struct finding *g = &fx.f[0];
	size_t n;
	char *out;

	(void)state;
	fx.opts.format = REPORT_HUMAN;
	fx.opts.show_secret = 1;
	g->commit = "0123456789abcdef0123456789abcdef01234567";
	g->author_name = "Jane\rDoe";
	g->author_email = "jane@example.com";
	g->date = "2024-01-02T03:04:05Z";
	out = render(&n);
	assert_true(contains(out, n, fx.token));
	assert_true(contains(out, n,
			     "\n    commit 0123456789abcdef0123456789abcdef"
			     "01234567 Jane\\x0DDoe <jane@example.com> "
			     "2024-01-02T03:04:05Z\n"));
	free(out);
}

/*
 * git places without a path: a tag's message is "tag NAME", a blob no
 * tree names "blob ID", marked unreachable; the summary counts messages
 * and blobs, not files.
 */
static void test_human_git_places(void **state)
{
	struct finding *t = &fx.f[0], *b = &fx.f[1];
	char *out;
	size_t n;

	(void)state;
	fx.opts.format = REPORT_HUMAN;
	fx.scan.has_git = 1;
	fx.l.n = 2;
	t->path = "";
	t->location = "tag-message";
	t->ref = "v1";
	t->commit = "0123456789abcdef0123456789abcdef01234567";
	t->reachable = 1;
	b->path = "";
	b->location = "file";
	b->blob = "89abcdef0123456789abcdef0123456789abcdef";
	b->reachable = 0;
	out = render(&n);
	assert_true(contains(out, n,
			     "tag v1:12:5  notiflows-account-token "
			     "(high)  "));
	assert_true(contains(out, n,
			     "blob 89abcdef0123456789abcdef01234567"
			     "89abcdef:40:1  notiflows-account-token"));
	assert_true(contains(out, n,
			     "    unreachable: no ref reaches this "
			     "blob\n"));
	assert_false(contains(out, n, "this commit"));
	assert_true(contains(out, n, "\n2 findings in 1 message and 1 blob ("));
	free(out);
	b->path = "a.env";
	out = render(&n);
	assert_true(contains(out, n, "\n2 findings in 1 file and 1 message ("));
	free(out);
}

static void test_human_summaries(void **state)
{
	char *out;

	(void)state;
	fx.opts.format = REPORT_HUMAN;
	fx.l.n = 0;
	fx.scan.files_scanned = 1;
	fx.scan.bytes_scanned = 1023;
	out = render(NULL);
	assert_string_equal(out, "no findings (1 file, 1023 B scanned)\n");
	free(out);
	fx.l.n = 1;
	fx.rule.remediation = NULL;
	fx.scan.has_git = 1;
	fx.scan.commits = 1;
	fx.scan.blobs_scanned = 3;
	fx.scan.bytes_scanned = (uint64_t)5 << 20;
	out = render(NULL);
	assert_non_null(strstr(out, "\n\n1 finding in 1 file (1 commit, 3 "
				    "blobs, 5.0 MiB scanned)\n"));
	assert_null(strstr(out, "fix ("));
	free(out);
}

/* dir: files changed while read, in every format. */
static void test_changed_during_scan(void **state)
{
	const cJSON *run;
	cJSON *doc;
	char *out;

	(void)state;
	fx.l.n = 0;
	fx.scan.files_scanned = 2;
	fx.scan.bytes_scanned = 0;
	fx.scan.has_changed = 1;
	fx.scan.changed_during_scan = 2;
	fx.opts.format = REPORT_HUMAN;
	out = render(NULL);
	assert_string_equal(out, "no findings (2 files, 0 B scanned)\n"
				 "2 files changed while read\n");
	free(out);
	fx.opts.format = REPORT_JSON;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	assert_true(num_at(at(doc, "scan"), "changed_during_scan") == 2);
	cJSON_Delete(doc);
	free(out);
	fx.opts.format = REPORT_SARIF;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	run = cJSON_GetArrayItem(at(doc, "runs"), 0);
	assert_true(num_at(at(run, "properties"), "changedDuringScan") == 2);
	cJSON_Delete(doc);
	free(out);
	/* None changed: JSON says 0, the others say nothing. */
	fx.scan.changed_during_scan = 0;
	fx.opts.format = REPORT_JSON;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_true(num_at(at(doc, "scan"), "changed_during_scan") == 0);
	cJSON_Delete(doc);
	free(out);
	fx.opts.format = REPORT_HUMAN;
	out = render(NULL);
	assert_string_equal(out, "no findings (2 files, 0 B scanned)\n");
	free(out);
}

static const cJSON *sarif_run(const cJSON *doc)
{
	const cJSON *runs = at(doc, "runs");

	assert_int_equal(cJSON_GetArraySize(runs), 1);
	return cJSON_GetArrayItem(runs, 0);
}

static void test_sarif(void **state)
{
	static const char *const rule_keys[] = {"id",
						"name",
						"shortDescription",
						"fullDescription",
						"help",
						"defaultConfiguration",
						"properties"};
	static const char *const res_keys[] = {
		"ruleId",  "ruleIndex", "level",
		"message", "locations", "partialFingerprints"};
	const cJSON *run, *driver, *rule, *res, *phys, *reg, *inv;
	struct rule_spec other = {0};
	char msg[128];
	size_t n;
	char *out;
	cJSON *doc;

	(void)state;
	/* f[0] is a ruleset rule; f[1] names a rule outside the ruleset. */
	fx.opts.format = REPORT_SARIF;
	fx.opts.show_secret = 1;
	fx.opts.rules = fx.rs;
	fx.f[0].rule = ruleset_rule(fx.rs, 0);
	other.id = "other-rule";
	other.severity = "low";
	fx.f[1].rule = &other;
	fx.f[1].path = "my dir/x.env";
	/* f[1] has code-point columns (non-ASCII before it); f[0] not. */
	fx.f[1].char_column = 3;
	fx.f[1].char_end_column = 3 + fx.token_len;
	fx.l.n = 2;
	fx.scan.root = "/tmp/my root";
	out = render(&n);
	assert_valid_utf8(out, n);
	/* Never the token, whatever show_secret says. */
	assert_false(contains(out, n, fx.token));
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	assert_string_equal(str_at(doc, "$schema"),
			    "https://json.schemastore.org/sarif-2.1.0.json");
	assert_string_equal(str_at(doc, "version"), "2.1.0");
	run = sarif_run(doc);
	driver = at(at(run, "tool"), "driver");
	assert_string_equal(str_at(driver, "name"), "nfguard");
	assert_string_equal(str_at(driver, "version"), NFG_VERSION);
	assert_string_equal(str_at(driver, "semanticVersion"), NFG_VERSION);
	assert_string_equal(str_at(driver, "informationUri"),
			    "https://github.com/nfguard/nfguard");
	assert_int_equal(cJSON_GetArraySize(at(driver, "rules")), 2);
	rule = cJSON_GetArrayItem(at(driver, "rules"), 0);
	assert_keys(rule, rule_keys, ARRAY_SIZE(rule_keys));
	assert_string_equal(str_at(rule, "id"), "t");
	assert_string_equal(str_at(rule, "name"), "T");
	assert_string_equal(str_at(at(rule, "shortDescription"), "text"),
			    "Test token");
	assert_string_equal(str_at(at(rule, "fullDescription"), "text"),
			    "Test token");
	assert_string_equal(str_at(at(rule, "help"), "text"),
			    "Test token\n\nRemediation: Rotate it.");
	assert_string_equal(str_at(at(rule, "help"), "markdown"),
			    "Test token\n\n**Remediation:** Rotate it.");
	assert_string_equal(str_at(at(rule, "defaultConfiguration"), "level"),
			    "error");
	assert_string_equal(str_at(at(rule, "properties"), "precision"),
			    "high");
	assert_string_equal(str_at(at(rule, "properties"), "security-severity"),
			    "8.0");
	assert_string_equal(
		cJSON_GetArrayItem(at(at(rule, "properties"), "tags"), 1)
			->valuestring,
		"secret");
	rule = cJSON_GetArrayItem(at(driver, "rules"), 1);
	assert_string_equal(str_at(rule, "id"), "other-rule");
	assert_string_equal(str_at(rule, "name"), "OtherRule");
	/* No description: the id stands in, so GitHub still gets text. */
	assert_string_equal(str_at(at(rule, "shortDescription"), "text"),
			    "other-rule");
	assert_string_equal(str_at(at(rule, "properties"), "security-severity"),
			    "3.0");

	inv = cJSON_GetArrayItem(at(run, "invocations"), 0);
	assert_true(cJSON_IsTrue(at(inv, "executionSuccessful")));
	assert_string_equal(str_at(inv, "startTimeUtc"),
			    "2026-11-28T00:00:00.123Z");
	assert_string_equal(str_at(inv, "endTimeUtc"),
			    "2026-11-28T00:00:00.165Z");
	assert_null(cJSON_GetObjectItemCaseSensitive(
		inv, "toolExecutionNotifications"));
	assert_string_equal(
		str_at(at(at(run, "originalUriBaseIds"), "SRCROOT"), "uri"),
		"file:///tmp/my%20root/");

	assert_int_equal(cJSON_GetArraySize(at(run, "results")), 2);
	res = cJSON_GetArrayItem(at(run, "results"), 0);
	assert_keys(res, res_keys, ARRAY_SIZE(res_keys));
	assert_string_equal(str_at(res, "ruleId"), "t");
	assert_true(num_at(res, "ruleIndex") == 0);
	assert_string_equal(str_at(res, "level"), "error");
	assert_non_null(strstr(str_at(at(res, "message"), "text"), "t"));
	assert_non_null(
		strstr(str_at(at(res, "message"), "text"), fx.redacted));
	phys = at(cJSON_GetArrayItem(at(res, "locations"), 0),
		  "physicalLocation");
	assert_string_equal(str_at(at(phys, "artifactLocation"), "uri"),
			    "src/app.ts");
	assert_string_equal(str_at(at(phys, "artifactLocation"), "uriBaseId"),
			    "SRCROOT");
	reg = at(phys, "region");
	assert_true(num_at(reg, "startLine") == 12);
	assert_true(num_at(reg, "startColumn") == 5);
	assert_true(num_at(reg, "endLine") == 12);
	assert_true(num_at(reg, "endColumn") == 35);
	assert_string_equal(
		str_at(at(res, "partialFingerprints"), "nfguardFingerprint/v1"),
		fx.fingerprint);

	res = cJSON_GetArrayItem(at(run, "results"), 1);
	assert_string_equal(str_at(run, "columnKind"), "unicodeCodePoints");
	reg = at(at(cJSON_GetArrayItem(at(res, "locations"), 0),
		    "physicalLocation"),
		 "region");
	assert_true(num_at(reg, "startColumn") == 3);
	assert_true(num_at(reg, "endColumn") == 3 + (double)fx.token_len);
	assert_string_equal(str_at(res, "ruleId"), "other-rule");
	assert_true(num_at(res, "ruleIndex") == 1);
	assert_string_equal(str_at(res, "level"), "note");
	snprintf(msg, sizeof(msg), "Rule other-rule matched the secret %s.",
		 fx.redacted);
	assert_string_equal(str_at(at(res, "message"), "text"), msg);
	cJSON_Delete(doc);
	free(out);
}

static void test_sarif_git_and_no_root(void **state)
{
	const cJSON *run, *res, *art;
	char *out;
	cJSON *doc;

	(void)state;
	fx.opts.format = REPORT_SARIF;
	fx.scan.has_git = 1;
	fx.scan.repository = "https://example.com/o/r.git";
	fx.scan.revision = "89abcdef0123456789abcdef0123456789abcdef";
	fx.f[0].path = "/abs/path/x.env";
	fx.f[0].repository = "https://example.com/o/r.git";
	fx.f[0].commit = "0123456789abcdef0123456789abcdef01234567";
	fx.f[0].author_name = "Jane";
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	run = sarif_run(doc);
	assert_null(
		cJSON_GetObjectItemCaseSensitive(run, "originalUriBaseIds"));
	assert_string_equal(
		str_at(cJSON_GetArrayItem(at(run, "versionControlProvenance"),
					  0),
		       "repositoryUri"),
		"https://example.com/o/r.git");
	assert_string_equal(
		str_at(cJSON_GetArrayItem(at(run, "versionControlProvenance"),
					  0),
		       "revisionId"),
		"89abcdef0123456789abcdef0123456789abcdef");
	res = cJSON_GetArrayItem(at(run, "results"), 0);
	/* The ruleset is not given: the finding's own rule is listed. */
	assert_true(num_at(res, "ruleIndex") == 0);
	assert_string_equal(
		str_at(cJSON_GetArrayItem(
			       at(at(at(run, "tool"), "driver"), "rules"), 0),
		       "name"),
		"NotiflowsAccountToken");
	art = at(at(cJSON_GetArrayItem(at(res, "locations"), 0),
		    "physicalLocation"),
		 "artifactLocation");
	assert_string_equal(str_at(art, "uri"), "file:///abs/path/x.env");
	assert_null(cJSON_GetObjectItemCaseSensitive(art, "uriBaseId"));
	assert_string_equal(str_at(at(res, "properties"), "commit"),
			    fx.f[0].commit);
	assert_string_equal(str_at(at(res, "properties"), "author_name"),
			    "Jane");
	assert_null(cJSON_GetObjectItemCaseSensitive(at(res, "properties"),
						     "date"));
	cJSON_Delete(doc);
	free(out);
}

static void test_sarif_result_cap(void **state)
{
	struct finding *many = calloc(25003, sizeof(*many));
	const cJSON *run, *inv, *note;
	size_t i;
	char *out;
	cJSON *doc;

	(void)state;
	assert_non_null(many);
	for (i = 0; i < 25003; i++)
		fill_finding(&many[i], "src/app.ts", i + 1, 1);
	fx.l.v = many;
	fx.l.n = 25003;
	fx.opts.format = REPORT_SARIF;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	run = sarif_run(doc);
	assert_int_equal(cJSON_GetArraySize(at(run, "results")), 25000);
	assert_true(num_at(at(run, "properties"), "resultsDropped") == 3);
	inv = cJSON_GetArrayItem(at(run, "invocations"), 0);
	note = cJSON_GetArrayItem(at(inv, "toolExecutionNotifications"), 0);
	assert_string_equal(str_at(note, "level"), "warning");
	assert_non_null(strstr(str_at(at(note, "message"), "text"),
			       "3 results were left out"));
	cJSON_Delete(doc);
	free(out);
	free(many);
}

/* An incomplete scan: counts, distinct problems, in each format. */
static void test_incomplete_scan(void **state)
{
	static const struct scan_problem problems[] = {
		{SCAN_PROBLEM_ERROR, "cannot read 'a\x01': broken", 2},
		{SCAN_PROBLEM_SKIPPED, "cannot open 'b': denied", 1},
		{SCAN_PROBLEM_WARNING, "shallow clone", 1}};
	const cJSON *s, *p, *inv, *notes;
	char *out;
	cJSON *doc;

	(void)state;
	fx.l.n = 0;
	fx.scan.files_scanned = 1;
	fx.scan.bytes_scanned = 10;
	fx.scan.errors = 2;
	fx.scan.skipped = 1;
	fx.scan.problems = problems;
	fx.scan.nproblems = ARRAY_SIZE(problems);
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	s = at(doc, "scan");
	assert_true(num_at(s, "errors") == 2);
	assert_true(num_at(s, "skipped") == 1);
	assert_int_equal(cJSON_GetArraySize(at(s, "problems")), 3);
	p = cJSON_GetArrayItem(at(s, "problems"), 0);
	assert_string_equal(str_at(p, "kind"), "error");
	assert_string_equal(str_at(p, "message"),
			    "cannot read 'a\x01': broken");
	assert_true(num_at(p, "count") == 2);
	p = cJSON_GetArrayItem(at(s, "problems"), 1);
	assert_string_equal(str_at(p, "kind"), "skipped");
	p = cJSON_GetArrayItem(at(s, "problems"), 2);
	assert_string_equal(str_at(p, "kind"), "warning");
	assert_null(cJSON_GetObjectItemCaseSensitive(s, "problems_unlisted"));
	cJSON_Delete(doc);
	free(out);

	fx.opts.format = REPORT_HUMAN;
	out = render(NULL);
	assert_string_equal(out, "incomplete: 2 errors, 1 skipped (1 file, "
				 "10 B scanned)\n"
				 "  error: cannot read 'a\\x01': broken "
				 "(2 times)\n"
				 "  skipped: cannot open 'b': denied\n");
	free(out);
	fx.l.n = 1;
	fx.scan.skipped = 0;
	fx.scan.nproblems = 1;
	fx.scan.problems_unlisted = 4;
	out = render(NULL);
	assert_non_null(strstr(out, "\n1 finding in 1 file, incomplete: 2 "
				    "errors (1 file, 10 B scanned)\n"
				    "  error: cannot read 'a\\x01': broken "
				    "(2 times)\n"
				    "  4 more problems are not listed: see the "
				    "standard error\n"));
	free(out);

	fx.opts.format = REPORT_SARIF;
	fx.scan.nproblems = ARRAY_SIZE(problems);
	fx.scan.problems_unlisted = 0;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	inv = cJSON_GetArrayItem(at(sarif_run(doc), "invocations"), 0);
	assert_true(cJSON_IsFalse(at(inv, "executionSuccessful")));
	notes = at(inv, "toolExecutionNotifications");
	assert_int_equal(cJSON_GetArraySize(notes), 3);
	p = cJSON_GetArrayItem(notes, 0);
	assert_string_equal(str_at(p, "level"), "error");
	assert_string_equal(str_at(at(p, "message"), "text"),
			    "cannot read 'a\x01': broken (2 times).");
	p = cJSON_GetArrayItem(notes, 1);
	assert_string_equal(str_at(p, "level"), "warning");
	assert_string_equal(str_at(at(p, "message"), "text"),
			    "cannot open 'b': denied.");
	p = cJSON_GetArrayItem(notes, 2);
	assert_string_equal(str_at(p, "level"), "warning");
	cJSON_Delete(doc);
	free(out);

	/* Skipped inputs and warnings only: the run still succeeded. */
	fx.scan.errors = 0;
	fx.scan.problems = problems + 1;
	fx.scan.nproblems = 2;
	out = render(NULL);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	inv = cJSON_GetArrayItem(at(sarif_run(doc), "invocations"), 0);
	assert_true(cJSON_IsTrue(at(inv, "executionSuccessful")));
	assert_int_equal(
		cJSON_GetArraySize(at(inv, "toolExecutionNotifications")), 2);
	cJSON_Delete(doc);
	free(out);
}

static void test_write_error(void **state)
{
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	fx.opts.format = REPORT_HUMAN;
	assert_int_equal(report_write(f, &fx.opts, &fx.scan, &fx.l), NFG_EIO);
	assert_string_equal(error_last(), "No space left on device");
	fclose(f);
}

static int group_setup(void **state)
{
	static char *keywords[] = {"nf_at_"};
	struct rule_spec spec = {0};

	(void)state;
	spec.id = "t";
	spec.description = "Test token";
	spec.severity = "high";
	spec.remediation = "Rotate it.";
	spec.pattern = "(?<secret>nf_at_[A-Za-z0-9]{16,})";
	spec.keywords = keywords;
	spec.nkeywords = 1;
	spec.min_length = 16;
	spec.max_length = 256;
	if (ruleset_new(&fx.rs, &spec, 1)) {
		fprintf(stderr, "ruleset_new: %s\n", error_last());
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	ruleset_free(fx.rs);
	return 0;
}

/* setup() clears fx, so keep the ruleset across it. */
static int test_setup(void **state)
{
	struct ruleset *rs = fx.rs;

	setup(state);
	fx.rs = rs;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_format_parse, test_setup),
		cmocka_unit_test_setup(test_format_names, test_setup),
		cmocka_unit_test_setup(test_json_document, test_setup),
		cmocka_unit_test_setup(test_json_empty_and_git_scan,
				       test_setup),
		cmocka_unit_test_setup(test_json_show_secret, test_setup),
		cmocka_unit_test_setup(test_json_git_fields, test_setup),
		cmocka_unit_test_setup(test_jsonl_exact, test_setup),
		cmocka_unit_test_setup(test_json_sweep, test_setup),
		cmocka_unit_test_setup(test_invalid_utf8_path, test_setup),
		cmocka_unit_test_setup(test_human, test_setup),
		cmocka_unit_test_setup(test_human_show_secret_and_git,
				       test_setup),
		cmocka_unit_test_setup(test_human_git_places, test_setup),
		cmocka_unit_test_setup(test_human_summaries, test_setup),
		cmocka_unit_test_setup(test_sarif, test_setup),
		cmocka_unit_test_setup(test_sarif_git_and_no_root, test_setup),
		cmocka_unit_test_setup(test_sarif_result_cap, test_setup),
		cmocka_unit_test_setup(test_incomplete_scan, test_setup),
		cmocka_unit_test_setup(test_write_error, test_setup),
		cmocka_unit_test_setup(test_changed_during_scan, test_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * Unit tests of the html writer on findings built by hand: the CSP hashes
 * match the inline style and script, the counts and the row order of the
 * contract, hostile names as text, and never a whole token, not even with
 * show_secret or inside a path. Tokens are built at run time.
 */
#include "util/common.h"
#include "config/rules.h"
#include "finding/finding.h"
#include "report/report.h"
#include "util/base64.h"
#include "util/error.h"
#include "util/sha256.h"

#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#define STARTED_MS 1795824000123 /* 2026-11-28T00:00:00.123Z */
#define NTOK	   3

extern const char report_css[], report_js[];
extern const size_t report_css_len, report_js_len;

struct fixture {
	char token[NTOK][64];
	char *redacted[NTOK];
	char path_with_token[128];
	struct finding f[4];
	struct findings l;
	const char *targets[1];
	struct scan_info scan;
	struct report_opts opts;
	struct ruleset *rs;
};

static struct fixture fx;

static void fill(struct finding *f, int t, const char *path, const char *date)
{
	unsigned char d[32];
	struct sha256 c;

	memset(f, 0, sizeof(*f));
	f->rule = ruleset_rule(fx.rs, 0);
	f->secret = fx.token[t];
	f->secret_len = strlen(fx.token[t]);
	f->redacted = fx.redacted[t];
	sha256_init(&c);
	sha256_update(&c, f->secret, f->secret_len);
	sha256_final(&c, d);
	memcpy(f->digest, d, sizeof(d));
	fingerprint_format(f->fingerprint, d);
	f->path = (char *)path;
	f->line = 3;
	f->column = 7;
	f->reachable = -1;
	f->date = (char *)date;
	f->repository = date ? "repo" : NULL;
	f->commit = date ? "0123456789abcdef0123456789abcdef01234567" : NULL;
}

/*
 * Token 0: invalid, committed 2024-01-01; token 1: live, 2025-01-01 and
 * again later in a hostile path; token 2: not verified, 2026-01-01.
 */
static int setup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NTOK; i++) {
		test_token(fx.token[i], 40, (unsigned)(11 + i));
		fx.redacted[i] = redact_secret(fx.token[i], 46, 6);
		assert_non_null(fx.redacted[i]);
	}
	snprintf(fx.path_with_token, sizeof(fx.path_with_token),
		 "<img src=x onerror=alert(1)>%s.env", fx.token[2]);
	fill(&fx.f[0], 0, "a.env", "2024-01-01T00:00:00Z");
	fx.f[0].verification.status = VERIFICATION_INVALID;
	fill(&fx.f[1], 1, "b.env", "2025-01-01T00:00:00Z");
	fx.f[1].verification.status = VERIFICATION_LIVE;
	fx.f[1].verification.project_name = "Acme </script><script>x()";
	fx.f[1].author_name = "</script>";
	fill(&fx.f[2], 1, fx.path_with_token, "2025-06-01T00:00:00Z");
	fx.f[2].verification.status = VERIFICATION_LIVE;
	fill(&fx.f[3], 2, "c.env", "2026-01-01T00:00:00Z");
	fx.l.v = fx.f;
	fx.l.n = 4;
	fx.l.cap = 4;
	fx.targets[0] = "repo";
	fx.scan.command = "git";
	fx.scan.targets = fx.targets;
	fx.scan.ntargets = 1;
	fx.scan.started_at_ms = STARTED_MS;
	fx.scan.has_git = 1;
	fx.scan.repository = "repo";
	fx.opts.format = REPORT_HTML;
	fx.opts.rules = fx.rs;
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NTOK; i++)
		free(fx.redacted[i]);
	return 0;
}

static char *render(void)
{
	/* Static: GCC takes a page inlined into a test for a pointer to a
	   local open_memstream wrote, and warns (-Wdangling-pointer). */
	static char *p;
	static size_t n;
	FILE *f;

	p = NULL;
	f = open_memstream(&p, &n);

	assert_non_null(f);
	assert_int_equal(report_write(f, &fx.opts, &fx.scan, &fx.l), 0);
	assert_int_equal(fclose(f), 0);
	return p;
}

/* Where needle is in hay (which must hold it). */
static const char *at(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	if (!p)
		fail_msg("not in the page: %s", needle);
	return p;
}

/* "'sha256-BASE64'" of the bytes between open and close in page. */
static void assert_hash(const char *page, const char *open, const char *close,
			const char *body, size_t n)
{
	const char *s = at(page, open) + strlen(open), *e = at(s, close);
	unsigned char d[32];
	char b64[48], want[64];
	struct sha256 c;

	assert_int_equal((size_t)(e - s), n);
	assert_memory_equal(s, body, n);
	sha256_init(&c);
	sha256_update(&c, s, n);
	sha256_final(&c, d);
	base64_encode(d, sizeof(d), 1, b64, sizeof(b64));
	snprintf(want, sizeof(want), "'sha256-%s'", b64);
	at(at(page, "Content-Security-Policy"), want);
}

static void test_csp(void **state)
{
	char *page;

	(void)state;
	page = render();
	assert_true(!strncmp(page, "<!DOCTYPE html>\n", 16));
	at(page, "content=\"default-src 'none'; style-src 'sha256-");
	at(page, "; img-src data:; base-uri 'none'; form-action 'none'\">");
	assert_hash(page, "<style>", "</style>", report_css, report_css_len);
	assert_hash(page, "<script>", "</script>\n</body>", report_js,
		    report_js_len);
	assert_null(strstr(page, "unsafe-inline"));
	/* The embedded files cannot close their element early. */
	assert_null(memmem(report_css, report_css_len, "</", 2));
	assert_null(memmem(report_js, report_js_len, "</", 2));
	free(page);
}

static void test_counts_and_order(void **state)
{
	const char *a, *b, *c;
	char *page;

	(void)state;
	page = render();
	at(page, "<section id=\"summary\" data-count-tokens=\"3\" "
		 "data-count-findings=\"4\" data-count-live=\"1\" "
		 "data-count-invalid=\"1\" data-count-unknown=\"0\" "
		 "data-count-unverified=\"1\" data-count-revoked=\"0\" "
		 "data-count-errors=\"0\" data-count-skipped=\"0\" "
		 "data-count-repositories=\"1\" data-count-failed=\"0\">");
	assert_null(strstr(page, "id=\"problems\""));
	/* Live and open first, then not verified, then invalid. */
	a = at(page, "<g class=\"bar live\"");
	b = at(page, "<g class=\"bar unverified\"");
	c = at(page, "<g class=\"bar invalid\"");
	assert_true(a < b && b < c);
	at(a, "data-start=\"2025-01-01T00:00:00Z\" "
	      "data-end=\"2026-11-28T00:00:00.123Z\" data-open=\"true\" "
	      "data-status=\"live\" data-revocation=\"none\">");
	at(c, "data-start=\"2024-01-01T00:00:00Z\" "
	      "data-end=\"2026-11-28T00:00:00.123Z\" data-open=\"false\"");
	/* The cards in the same order. */
	a = at(page, "<article class=\"card\" id=\"t-");
	assert_true(at(a, "data-status=\"live\"") <
		    at(a, "data-status=\"unverified\""));
	at(page, "<tr data-status=\"scanned\" data-repository=\"repo\">");
	at(page, "<td class=\"num\" data-key=\"tokens\" data-value=\"3\">");
	/* The cards' details in the card data, in the same order. */
	a = at(page, "<script type=\"application/json\" id=\"card-data\">"
		     "{\"cards\":[\n{\"facts\":[[\"rule\",");
	assert_true(at(a, "[\"verification\",[\"live\"]]") <
		    at(a, "[\"verification\",[\"unverified\"]]"));
	assert_true(at(a, "[\"verification\",[\"unverified\"]]") <
		    at(a, "[\"verification\",[\"invalid\"]]"));
	/* One repository name for the four places, written once. */
	at(a, "\"places\":[[0,\"b.env\",3,");
	at(a, "\n\"repositories\":[\"repo\"],\n");
	/* The advice's own line breaks are not data: no \x0A for them. */
	at(a, "\"no token found works any more (verified invalid or "
	      "revoked): nothing to revoke. Take them out");
	assert_null(strstr(page, "\\x0A"));
	free(page);
}

static void test_no_token_and_escaped(void **state)
{
	char *page;
	size_t i;

	(void)state;
	fx.opts.show_secret = 1;
	page = render();
	for (i = 0; i < NTOK; i++) {
		assert_null(strstr(page, fx.token[i]));
		at(page, fx.redacted[i]);
	}
	/* The path's token redacted, its markup text (in the card data). */
	assert_null(strstr(page, "<img"));
	at(page, "\\u003cimg src=x onerror=alert(1)\\u003e");
	at(page, "[\"author\",[\"\\u003c/script\\u003e\"]]");
	at(page, "[\"project\",[\"Acme \\u003c/script\\u003e\\u003cscript"
		 "\\u003ex()\"");
	/* Two script elements: the card data, then the report's own. */
	assert_ptr_equal(strstr(page, "<script"),
			 strstr(page, "<script type=\"application/json\" "
				      "id=\"card-data\">"));
	assert_ptr_equal(strstr(strstr(page, "<script") + 1, "<script"),
			 strstr(page, "<script>"));
	assert_null(strstr(strstr(page, "<script>") + 1, "<script"));
	assert_null(strstr(page, "</script><script"));
	free(page);
}

static void test_undated_and_problems(void **state)
{
	static const struct scan_problem problems[] = {
		{SCAN_PROBLEM_ERROR, "cannot read 'x<y>'", 2},
	};
	char *page;
	size_t i;

	(void)state;
	for (i = 0; i < fx.l.n; i++)
		fx.f[i].date = NULL;
	fx.f[0].path = "bad\xff<.env";
	fx.scan.has_git = 0;
	fx.scan.command = "dir";
	fx.scan.errors = 2;
	fx.scan.problems = problems;
	fx.scan.nproblems = 1;
	page = render();
	at(page, "data-count-errors=\"2\"");
	at(page, "<li class=\"problem error\" data-kind=\"error\" "
		 "data-count=\"2\">error: cannot read &#39;x&lt;y&gt;&#39; "
		 "(2 times)</li>");
	at(page, "<tr data-status=\"failed\"");
	at(page, "bad\\xFF&lt;.env");
	/* No date: shown as such, in status order, never dropped. */
	assert_true(at(page, "<g class=\"bar live\" ") <
		    at(page, "<g class=\"bar invalid\" "));
	at(page, "data-start=\"\" data-end=\"\" data-open=\"true\" "
		 "data-status=\"unverified\"");
	at(page, "<text class=\"no-date\"");
	assert_null(strstr(page, "<rect"));
	free(page);
}

static int group_setup(void **state)
{
	(void)state;
	if (rules_open(&fx.rs, NULL)) {
		fprintf(stderr, "rules_open: %s\n", error_last());
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

/* setup() fills fx anew: keep the ruleset across it. */
static int test_setup(void **state)
{
	struct ruleset *rs = fx.rs;

	memset(&fx, 0, sizeof(fx));
	fx.rs = rs;
	return setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csp, test_setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_and_order,
						test_setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_token_and_escaped,
						test_setup, teardown),
		cmocka_unit_test_setup_teardown(test_undated_and_problems,
						test_setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

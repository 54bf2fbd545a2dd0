/*
 * Unit tests of suppression: the .nfguardignore format and its errors,
 * baselines read from real JSON and JSONL reports, path allow globs, and
 * exact outcomes of suppress_apply (a second token on an ignored line
 * stays reported), use counts and unused entries.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/sha256.h"
#include "finding/finding.h"
#include "finding/suppress.h"
#include "report/report.h"

#include <setjmp.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *keywords[] = {"nf_"
			   "at_"};
static struct rule_spec rule = {
	.id = "r", .keywords = keywords, .nkeywords = 1};

/* A fake token: the keyword and a body derived from seed, at run time. */
static void make_token(char *out, unsigned seed)
{
	size_t i;

	memcpy(out, keywords[0], 6);
	for (i = 0; i < 24; i++)
		out[6 + i] = (char)('a' + (seed * 7 + i * 3 + seed / 26) % 26);
	snprintf(out + 30, 12, "%u", seed);
}

static void fingerprint_of(const char *tok, char out[FINGERPRINT_LEN + 1])
{
	char hex[65];

	sha256_hex(tok, strlen(tok), hex);
	snprintf(out, FINGERPRINT_LEN + 1, "sha256:%s", hex);
}

/* Pushes a finding of token seed at path:line:column. */
static void push(struct findings *l, unsigned seed, const char *path,
		 uint64_t line, uint64_t column)
{
	char tok[64];
	struct hit h;
	struct finding f;

	make_token(tok, seed);
	memset(&h, 0, sizeof(h));
	h.secret = tok;
	h.len = strlen(tok);
	h.offset = line * 100 + column;
	h.line = line;
	h.column = column;
	h.end_column = column + h.len;
	assert_int_equal(finding_init_hit(&f, &rule, &h, path), 0);
	assert_int_equal(findings_push(l, &f), 0);
}

static void test_fingerprint_decode(void **state)
{
	char fp[FINGERPRINT_LEN + 1];
	unsigned char d[32];

	(void)state;
	memset(fp, 'a', sizeof(fp));
	memcpy(fp, "sha256:", 7);
	fp[FINGERPRINT_LEN] = '\0';
	assert_int_equal(fingerprint_decode(fp, d), 0);
	assert_int_equal(d[0], 0xaa);
	assert_int_equal(d[31], 0xaa);
	fp[7] = '0';
	fp[8] = 'f';
	assert_int_equal(fingerprint_decode(fp, d), 0);
	assert_int_equal(d[0], 0x0f);
	fp[8] = 'F'; /* upper case is not what nfguard writes */
	assert_int_equal(fingerprint_decode(fp, d), NFG_EINVAL);
	fp[8] = 'g';
	assert_int_equal(fingerprint_decode(fp, d), NFG_EINVAL);
	fp[8] = 'f';
	fp[FINGERPRINT_LEN - 1] = '\0';
	assert_int_equal(fingerprint_decode(fp, d), NFG_EINVAL);
	assert_int_equal(fingerprint_decode("sha1:abc", d), NFG_EINVAL);
	assert_int_equal(fingerprint_decode(NULL, d), NFG_EINVAL);
}

static void test_ignore_format(void **state)
{
	char a[FINGERPRINT_LEN + 1], b[FINGERPRINT_LEN + 1], tok[64];
	char text[1024];
	struct suppress s;

	(void)state;
	make_token(tok, 1);
	fingerprint_of(tok, a);
	make_token(tok, 2);
	fingerprint_of(tok, b);
	snprintf(text, sizeof(text),
		 "# false positives, reviewed\n"
		 "\n"
		 "   \t\n"
		 "%s\n"
		 "  %s \t#   test fixture, not a real token  \r\n"
		 "\t# indented comment\n"
		 "%s #\n"
		 "%s",
		 a, b, a, b);
	suppress_init(&s);
	assert_int_equal(suppress_parse_ignore(&s, text, strlen(text), "ign"),
			 0);
	assert_int_equal(s.nentries, 4);
	assert_string_equal(s.entries[0].fingerprint, a);
	assert_string_equal(s.entries[0].origin, "ign");
	assert_int_equal(s.entries[0].line, 4);
	assert_null(s.entries[0].comment);
	assert_string_equal(s.entries[1].fingerprint, b);
	assert_int_equal(s.entries[1].line, 5);
	assert_string_equal(s.entries[1].comment,
			    "test fixture, not a real token");
	assert_int_equal(s.entries[2].line, 7);
	assert_string_equal(s.entries[2].comment, "");
	assert_int_equal(s.entries[3].line, 8); /* no final newline */
	assert_null(s.entries[3].comment);
	suppress_release(&s);
	suppress_release(&s); /* twice is fine */
	suppress_release(NULL);
}

static void expect_ignore_error(const char *text, const char *want)
{
	struct suppress s;

	suppress_init(&s);
	assert_int_equal(
		suppress_parse_ignore(&s, text, strlen(text), ".nfguardignore"),
		NFG_EINVAL);
	if (strcmp(error_last(), want))
		fail_msg("for %s\ngot  %s\nwant %s", text, error_last(), want);
	suppress_release(&s);
}

static void test_ignore_errors(void **state)
{
	static const char bad_line[] =
		".nfguardignore:%d: expected a fingerprint ('sha256:' and 64 "
		"lowercase hex digits) or a '#' comment";
	char fp[FINGERPRINT_LEN + 1], text[1024], want[256], tok[64];
	struct suppress s;

	(void)state;
	make_token(tok, 3);
	fingerprint_of(tok, fp);
	snprintf(want, sizeof(want), bad_line, 2);
	/* a pasted token: the message must not quote it */
	snprintf(text, sizeof(text), "%s\n%s\n", fp, tok);
	expect_ignore_error(text, want);
	assert_null(strstr(error_last(), tok));
	/* upper-case hex, a short and a long fingerprint */
	snprintf(text, sizeof(text), "# x\nsha256:%064d\n%s\n", 0, fp);
	text[12] = 'A';
	expect_ignore_error(text, want);
	snprintf(text, sizeof(text), "\n%.70s\n", fp);
	expect_ignore_error(text, want);
	snprintf(text, sizeof(text), "\n%sa\n", fp);
	expect_ignore_error(text, want);
	snprintf(text, sizeof(text), "\n%s#no space\n", fp);
	expect_ignore_error(text, want);
	snprintf(text, sizeof(text), "\n  ; comment\n");
	expect_ignore_error(text, want);
	snprintf(text, sizeof(text), "\nsha1:%040d\n", 0);
	expect_ignore_error(text, want);
	snprintf(text, sizeof(text), "%s\n\n%s reviewed\n", fp, fp);
	expect_ignore_error(text,
			    ".nfguardignore:3: text after the fingerprint "
			    "must be a '# comment'");

	/* a NUL byte */
	suppress_init(&s);
	assert_int_equal(suppress_parse_ignore(&s, "# a\n\n#\0b\n", 9, "i"),
			 NFG_EINVAL);
	assert_string_equal(error_last(), "i:3: NUL byte");
	suppress_release(&s);
}

struct unused {
	char lines[16][128];
	size_t n;
};

static void collect_unused(void *ctx, const char *origin, size_t line,
			   const char *fingerprint, const char *comment)
{
	struct unused *u = ctx;

	assert_true(u->n < 16);
	snprintf(u->lines[u->n++], 128, "%s:%zu:%.15s:%s", origin, line,
		 fingerprint, comment ? comment : "(none)");
}

/* The ignore follows the token: a second token on the same line stays. */
static void test_apply_same_line(void **state)
{
	char fp1[FINGERPRINT_LEN + 1], fp3[FINGERPRINT_LEN + 1], tok[64];
	char text[512];
	struct findings l;
	struct suppress s;
	struct suppress_counts c;
	struct unused u = {.n = 0};

	(void)state;
	findings_init(&l);
	push(&l, 1, "app/.env", 3, 10);
	push(&l, 2, "app/.env", 3, 60); /* same line, another token */
	push(&l, 1, "other/file", 9, 1);
	make_token(tok, 1);
	fingerprint_of(tok, fp1);
	make_token(tok, 3);
	fingerprint_of(tok, fp3);
	snprintf(text, sizeof(text), "%s # fixture\n%s # gone\n", fp1, fp3);
	suppress_init(&s);
	assert_int_equal(suppress_parse_ignore(&s, text, strlen(text), "ig"),
			 0);
	memset(&c, 0xff, sizeof(c));
	assert_int_equal(suppress_apply(&s, &l, &c), 0);
	assert_int_equal(l.n, 1);
	make_token(tok, 2);
	assert_string_equal(l.v[0].secret, tok);
	assert_string_equal(l.v[0].path, "app/.env");
	assert_int_equal(l.v[0].line, 3);
	assert_int_equal(l.v[0].column, 60);
	assert_int_equal(c.ignored, 2);
	assert_int_equal(c.baselined, 0);
	assert_int_equal(c.allowed_path, 0);
	assert_int_equal(s.entries[0].uses, 2);
	assert_int_equal(s.entries[1].uses, 0);
	suppress_each_unused(&s, collect_unused, &u);
	assert_int_equal(u.n, 1);
	snprintf(text, sizeof(text), "ig:2:%.15s:gone", fp3);
	assert_string_equal(u.lines[0], text);
	/* a second pass over nothing changes no counts */
	assert_int_equal(suppress_apply(&s, &l, NULL), 0);
	assert_int_equal(l.n, 1);
	findings_release(&l);
	suppress_release(&s);
}

/* Duplicate entries all count; the order of reasons is fixed. */
static void test_apply_reasons(void **state)
{
	char fp[FINGERPRINT_LEN + 1], tok[64], text[512];
	struct findings l;
	struct suppress s;
	struct suppress_counts c;
	struct unused u = {.n = 0};

	(void)state;
	findings_init(&l);
	push(&l, 10, "a.txt", 1, 1);	       /* ignored (and baselined) */
	push(&l, 11, "keys/dev.pem", 1, 1);    /* allowed path */
	push(&l, 12, "src/x.c", 1, 1);	       /* baselined */
	push(&l, 13, "src/y.c", 2, 1);	       /* kept */
	push(&l, 14, "vendor/lib/z.js", 1, 1); /* allowed path */
	push(&l, 15, "src/keys/dev.pem.txt", 1, 1); /* kept */
	suppress_init(&s);
	make_token(tok, 10);
	fingerprint_of(tok, fp);
	snprintf(text, sizeof(text), "%s\n# again\n%s # twice\n", fp, fp);
	assert_int_equal(suppress_parse_ignore(&s, text, strlen(text), "one"),
			 0);
	snprintf(text, sizeof(text), "{\"fingerprint\":\"%s\"}\n", fp);
	make_token(tok, 12);
	fingerprint_of(tok, fp);
	snprintf(text + strlen(text), sizeof(text) - strlen(text),
		 "{\"fingerprint\":\"%s\",\"path\":\"x\"}\n", fp);
	assert_int_equal(suppress_parse_baseline(&s, text, strlen(text), "bl"),
			 0);
	assert_int_equal(s.nbaseline, 2);
	assert_int_equal(suppress_add_allow_path(&s, "*.pem"), 0);
	assert_int_equal(suppress_add_allow_path(&s, "vendor/"), 0);
	assert_int_equal(suppress_add_allow_path(&s, "[oops"), NFG_EINVAL);
	assert_string_equal(error_last(), "bad glob '[oops': unterminated '['");
	assert_int_equal(s.nallow_paths, 2);
	assert_int_equal(suppress_apply(&s, &l, &c), 0);
	assert_int_equal(c.ignored, 1);
	assert_int_equal(c.baselined, 1);
	assert_int_equal(c.allowed_path, 2);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].path, "src/y.c");
	assert_string_equal(l.v[1].path, "src/keys/dev.pem.txt");
	assert_int_equal(s.entries[0].uses, 1);
	assert_int_equal(s.entries[1].uses, 1);
	suppress_each_unused(&s, collect_unused, &u);
	assert_int_equal(u.n, 0);
	findings_release(&l);
	suppress_release(&s);
}

/* Writes a real report of l in format f into a new string. */
static char *report_text(const struct findings *l, enum report_format f,
			 size_t *len)
{
	struct report_opts o = {.format = f};
	struct scan_info si = {.command = "dir"};
	char *text = NULL;
	FILE *out = open_memstream(&text, len);

	assert_non_null(out);
	assert_int_equal(report_write(out, &o, &si, l), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void test_baseline_reports(void **state)
{
	enum report_format formats[] = {REPORT_JSON, REPORT_JSONL};
	struct findings old, now;
	struct suppress s;
	struct suppress_counts c;
	size_t i, len;
	char *text;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		findings_init(&old);
		findings_init(&now);
		push(&old, 20, "a", 1, 1);
		push(&old, 21, "b", 1, 1);
		push(&old, 20, "c", 5, 1); /* the same token twice */
		text = report_text(&old, formats[i], &len);
		suppress_init(&s);
		assert_int_equal(suppress_parse_baseline(&s, text, len, "old"),
				 0);
		free(text);
		assert_int_equal(s.nbaseline, 2);
		/* a moved old token is still baselined; a new one is not */
		push(&now, 21, "moved/b", 40, 3);
		push(&now, 22, "b", 1, 1);
		push(&now, 20, "a", 1, 1);
		assert_int_equal(suppress_apply(&s, &now, &c), 0);
		assert_int_equal(c.baselined, 2);
		assert_int_equal(c.ignored + c.allowed_path, 0);
		assert_int_equal(now.n, 1);
		assert_string_equal(now.v[0].path, "b");
		findings_release(&old);
		findings_release(&now);
		suppress_release(&s);
	}

	/* a clean scan: empty JSONL, and a JSON report with no findings */
	findings_init(&old);
	suppress_init(&s);
	assert_int_equal(suppress_parse_baseline(&s, "", 0, "e"), 0);
	assert_int_equal(suppress_parse_baseline(&s, " \n\n", 3, "e"), 0);
	text = report_text(&old, REPORT_JSON, &len);
	assert_int_equal(suppress_parse_baseline(&s, text, len, "e"), 0);
	free(text);
	assert_int_equal(s.nbaseline, 0);
	suppress_release(&s);
}

static void expect_baseline_error(const char *text, const char *want)
{
	struct suppress s;

	suppress_init(&s);
	assert_int_equal(suppress_parse_baseline(&s, text, strlen(text), "B"),
			 NFG_EINVAL);
	if (strcmp(error_last(), want))
		fail_msg("for %s\ngot  %s\nwant %s", text, error_last(), want);
	suppress_release(&s);
}

static void test_baseline_errors(void **state)
{
	char fp[FINGERPRINT_LEN + 1], tok[64], text[1024];
	struct findings l;
	size_t len;
	char *report;

	(void)state;
	make_token(tok, 30);
	fingerprint_of(tok, fp);

	/* a truncated JSON report */
	findings_init(&l);
	push(&l, 30, "a", 1, 1);
	push(&l, 31, "b", 1, 1);
	report = report_text(&l, REPORT_JSON, &len);
	report[len - 20] = '\0';
	snprintf(text, sizeof(text), "%s", report);
	free(report);
	findings_release(&l);
	{
		struct suppress s;

		suppress_init(&s);
		assert_int_equal(
			suppress_parse_baseline(&s, text, strlen(text), "B"),
			NFG_EINVAL);
		assert_non_null(strstr(error_last(), "B: malformed JSON near "
						     "line "));
		suppress_release(&s);
	}

	snprintf(text, sizeof(text),
		 "{\"fingerprint\":\"%s\"}\n\n{\"fingerprint\":\"%s\"\n", fp,
		 fp);
	expect_baseline_error(text, "B:3: malformed JSON");
	snprintf(text, sizeof(text),
		 "{\"fingerprint\":\"%s\"}\n{\"path\":\"x\"}\n", fp);
	expect_baseline_error(text, "B:2: no valid \"fingerprint\"");
	snprintf(text, sizeof(text),
		 "{\"fingerprint\":\"%s\"}\n{\"fingerprint\":\"sha256:ab\"}\n",
		 fp);
	expect_baseline_error(text, "B:2: no valid \"fingerprint\"");
	snprintf(text, sizeof(text), "{\"fingerprint\":\"%s\"}\n[1]\n", fp);
	expect_baseline_error(text, "B:2: no valid \"fingerprint\"");
	snprintf(text, sizeof(text),
		 "{\"findings\":[{\"fingerprint\":\"%s\"},{\"x\":1}]}", fp);
	expect_baseline_error(text, "B: findings[1]: no valid \"fingerprint\"");
	expect_baseline_error("{\"findings\":{}}",
			      "B: not an nfguard report (no \"findings\" "
			      "array)");
	/* SARIF is not a baseline */
	expect_baseline_error("{\n  \"version\": \"2.1.0\",\n  \"runs\": []\n}",
			      "B: not an nfguard report (no \"findings\" "
			      "array)");
	expect_baseline_error("[]", "B: not an nfguard report (no "
				    "\"findings\" array)");
	expect_baseline_error("{\"fingerprint\":7}",
			      "B: no valid \"fingerprint\"");
	expect_baseline_error("{\n\"findings\": [\n", "B: malformed JSON near "
						      "line 3");
	expect_baseline_error("hello", "B: malformed JSON near line 1");
	snprintf(text, sizeof(text), "{\"findings\":[]}\ngarbage\n");
	expect_baseline_error(text, "B: malformed JSON near line 2");
}

static char *tmp_dir(void)
{
	const char *t = getenv("TMPDIR");
	char path[4096];
	char *d;

	snprintf(path, sizeof(path), "%s/nfg-supp-XXXXXX",
		 t && *t ? t : "/tmp");
	d = mkdtemp(path);
	assert_non_null(d);
	return strdup(d);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_load_files(void **state)
{
	char fp[FINGERPRINT_LEN + 1], tok[64], text[512], ign[4200], base[4200],
		missing[4200], want[4400];
	char *dir = tmp_dir();
	struct suppress s;

	(void)state;
	make_token(tok, 40);
	fingerprint_of(tok, fp);
	snprintf(ign, sizeof(ign), "%s/.nfguardignore", dir);
	snprintf(base, sizeof(base), "%s/base.json", dir);
	snprintf(missing, sizeof(missing), "%s/nope", dir);
	snprintf(text, sizeof(text), "%s # ok\n", fp);
	write_file(ign, text);
	snprintf(text, sizeof(text),
		 "{\"findings\":[{\"fingerprint\":\"%s\"}]}", fp);
	write_file(base, text);

	suppress_init(&s);
	assert_int_equal(suppress_load_ignore(&s, ign, 0), 0);
	assert_int_equal(s.nentries, 1);
	assert_string_equal(s.entries[0].origin, ign);
	assert_string_equal(s.entries[0].comment, "ok");
	assert_int_equal(suppress_load_ignore(&s, missing, 1), 0);
	assert_int_equal(s.nentries, 1);
	assert_int_equal(suppress_load_ignore(&s, missing, 0), NFG_EIO);
	snprintf(want, sizeof(want),
		 "cannot open '%s': No such file or directory", missing);
	assert_string_equal(error_last(), want);
	assert_int_equal(suppress_load_baseline(&s, base), 0);
	assert_int_equal(s.nbaseline, 1);
	assert_int_equal(suppress_load_baseline(&s, missing), NFG_EIO);
	/* a folder is not an ignore file, even with missing_ok */
	assert_int_not_equal(suppress_load_ignore(&s, dir, 1), 0);
	write_file(ign, "sha256:0\n");
	assert_int_equal(suppress_load_ignore(&s, ign, 1), NFG_EINVAL);
	snprintf(want, sizeof(want), "%s:1: expected", ign);
	assert_memory_equal(error_last(), want, strlen(want));
	suppress_release(&s);

	unlink(ign);
	unlink(base);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A finding carrying only a fingerprint and a path, for volume tests. */
/*
 * Globs anchored at a folder: paths relative to another folder (base) are
 * placed under the anchor first; ".." and "." are followed; a path
 * outside the anchor never matches; inline-allowed findings count last.
 */
static void test_apply_anchor(void **state)
{
	char *root = tmp_dir(), sub[4096], out[4096];
	struct findings l;
	struct suppress s;
	struct suppress_counts c;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/sub", root);
	snprintf(out, sizeof(out), "%s/../outside/a.env", root);
	assert_int_equal(mkdir(sub, 0700), 0);
	findings_init(&l);
	push(&l, 20, "fixtures/a.env", 1, 1);	     /* sub/fixtures: allowed */
	push(&l, 21, "x/fixtures/a.env", 1, 1);	     /* kept: anchored rule */
	push(&l, 22, "./../top/./b.env", 1, 1);	     /* top/b.env: allowed */
	push(&l, 23, "../../elsewhere/b.env", 1, 1); /* outside: kept */
	push(&l, 24, out, 1, 1);     /* absolute, outside: kept */
	push(&l, 25, "y.env", 1, 1); /* inline allowed */
	l.v[5].inline_allowed = 1;
	suppress_init(&s);
	assert_int_equal(suppress_add_allow_path(&s, "sub/fixtures/"), 0);
	assert_int_equal(suppress_add_allow_path(&s, "/top/*.env"), 0);
	assert_int_equal(suppress_add_allow_path(&s, "b.env"), 0);
	assert_int_equal(suppress_set_anchor(&s, root, sub), 0);
	assert_int_equal(suppress_apply(&s, &l, &c), 0);
	assert_int_equal(c.allowed_path, 2);
	assert_int_equal(c.inline_allowed, 1);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].path, "x/fixtures/a.env");
	assert_string_equal(l.v[1].path, "../../elsewhere/b.env");
	assert_string_equal(l.v[2].path, out);
	/* an anchor that does not exist is an error naming it */
	assert_int_equal(suppress_set_anchor(&s, out, NULL), NFG_EIO);
	assert_non_null(strstr(error_last(), "cannot open '"));
	findings_release(&l);
	suppress_release(&s);
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(root), 0);
	free(root);
}

/* Pushes a finding whose fingerprint is "sha256:" + hex. */
static void push_hex(struct findings *l, const char *hex)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	f.reachable = -1;
	snprintf(f.fingerprint, sizeof(f.fingerprint), "sha256:%s", hex);
	assert_int_equal(fingerprint_decode(f.fingerprint, f.digest), 0);
	f.path = strdup("p");
	f.rule = &rule;
	assert_non_null(f.path);
	assert_int_equal(findings_push(l, &f), 0);
}

static void push_fp(struct findings *l, size_t i)
{
	char hex[65], seed[32];

	snprintf(seed, sizeof(seed), "seed-%zu", i);
	sha256_hex(seed, strlen(seed), hex);
	push_hex(l, hex);
}

/*
 * The baseline's index is keyed by a digest's first 20 bytes: a second
 * fingerprint sharing them (found by fuzz_baseline) is kept, not taken
 * for a duplicate, and still suppresses its finding.
 */
static void test_baseline_shared_prefix(void **state)
{
	char a[65], b[65], text[512];
	struct findings l;
	struct suppress s;
	struct suppress_counts c;

	(void)state;
	sha256_hex("x", 1, a);
	memcpy(b, a, sizeof(b));
	b[63] = b[63] == '0' ? '1' : '0';
	snprintf(text, sizeof(text),
		 "{\"fingerprint\":\"sha256:%s\"}\n"
		 "{\"fingerprint\":\"sha256:%s\"}\n"
		 "{\"fingerprint\":\"sha256:%s\"}\n",
		 a, b, b);
	suppress_init(&s);
	assert_int_equal(suppress_parse_baseline(&s, text, strlen(text), "bl"),
			 0);
	assert_int_equal(s.nbaseline, 2);
	findings_init(&l);
	push_hex(&l, b);
	push_hex(&l, a);
	assert_int_equal(suppress_apply(&s, &l, &c), 0);
	assert_int_equal(c.baselined, 2);
	assert_int_equal(l.n, 0);
	findings_release(&l);
	suppress_release(&s);
}

static void test_large_baseline(void **state)
{
	const size_t n = 100000;
	struct findings l;
	struct suppress s;
	struct suppress_counts c;
	size_t i, len = 0, cap = n * 100;
	char *text = malloc(cap);
	double t0;

	(void)state;
	assert_non_null(text);
	findings_init(&l);
	for (i = 0; i < 2 * n; i++)
		push_fp(&l, i);
	/* JSONL of the even-numbered half */
	for (i = 0; i < 2 * n; i += 2)
		len += (size_t)snprintf(text + len, cap - len,
					"{\"fingerprint\":\"%s\"}\n",
					l.v[i].fingerprint);
	t0 = now_s();
	suppress_init(&s);
	assert_int_equal(suppress_parse_baseline(&s, text, len, "big"), 0);
	assert_int_equal(s.nbaseline, n);
	assert_int_equal(suppress_apply(&s, &l, &c), 0);
	assert_int_equal(c.baselined, n);
	assert_int_equal(l.n, n);
	if (now_s() - t0 > 5.0)
		fail_msg("100000 baseline lookups took %.2f s", now_s() - t0);
	suppress_release(&s);
	findings_release(&l);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_decode),
		cmocka_unit_test(test_ignore_format),
		cmocka_unit_test(test_ignore_errors),
		cmocka_unit_test(test_apply_same_line),
		cmocka_unit_test(test_apply_reasons),
		cmocka_unit_test(test_apply_anchor),
		cmocka_unit_test(test_baseline_reports),
		cmocka_unit_test(test_baseline_errors),
		cmocka_unit_test(test_baseline_shared_prefix),
		cmocka_unit_test(test_load_files),
		cmocka_unit_test(test_large_baseline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

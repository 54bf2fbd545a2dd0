/*
 * Unit tests of .nfguard.json: every key with its defaults, has_ flags and
 * path resolution; each kind of error naming file and key; discovery up to
 * the repository root; and extra rule files added to the built-in rules.
 */
#include "util/common.h"
#include "util/error.h"
#include "config/config.h"
#include "config/rules.h"

#include <setjmp.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[4096]; /* a fresh folder per test */

/* Files and folders made by a test, removed in reverse order after it. */
static char made[32][4200];
static size_t nmade;

static const char *at(const char *rel)
{
	static char path[8][4200];
	static size_t next;
	char *p = path[next++ % 8];

	snprintf(p, 4200, "%s/%s", tmp, rel);
	return p;
}

static void note(const char *path)
{
	assert_true(nmade < 32);
	snprintf(made[nmade++], sizeof(made[0]), "%s", path);
}

static void make_dir(const char *rel)
{
	assert_int_equal(mkdir(at(rel), 0700), 0);
	note(at(rel));
}

static void write_file(const char *rel, const char *text)
{
	FILE *f = fopen(at(rel), "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	if (nmade == 0 || strcmp(made[nmade - 1], at(rel)))
		note(at(rel));
}

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/nfg-config-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	nmade = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	while (nmade--)
		remove(made[nmade]);
	return rmdir(tmp);
}

static void test_defaults(void **state)
{
	struct config c;

	(void)state;
	config_init(&c);
	assert_null(c.path);
	assert_int_equal(c.exit_code, 1);
	assert_null(c.format);
	assert_int_equal(c.fail_on, CONFIG_FAIL_ON_ANY);
	assert_int_equal(c.jobs, 0);
	assert_int_equal(c.has_exit_code + c.has_rules + c.has_format, 0);
	config_release(&c);
	config_release(NULL);
	memset(&c, 0, sizeof(c));
	config_release(&c);

	/* an empty object sets nothing */
	write_file(".nfguard.json", " { }\n");
	assert_int_equal(config_load(&c, at(".nfguard.json")), 0);
	assert_string_equal(c.path, at(".nfguard.json"));
	assert_string_equal(c.dir, tmp);
	assert_int_equal(c.exit_code, 1);
	assert_int_equal(c.has_exit_code + c.has_rules + c.has_allow_paths +
				 c.has_format + c.has_baseline +
				 c.has_ignore_file + c.has_fail_on +
				 c.has_skip_unreadable + c.has_jobs +
				 c.has_report_unused_ignores,
			 0);
	config_release(&c);
}

static void test_all_keys(void **state)
{
	struct config c;
	char want[4300];

	(void)state;
	make_dir("sub");
	write_file("sub/.nfguard.json",
		   "{\n"
		   "  \"rules\": [\"rules/extra.json\", \"/etc/nfg/r.json\"],\n"
		   "  \"allow_paths\": [\"*.pem\", \"vendor/\", \"/x/**\"],\n"
		   "  \"exit_code\": 0,\n"
		   "  \"format\": \"sarif\",\n"
		   "  \"baseline\": \"../base.json\",\n"
		   "  \"ignore_file\": \".nfguardignore\",\n"
		   "  \"fail_on\": \"live\",\n"
		   "  \"skip_unreadable\": true,\n"
		   "  \"jobs\": 256,\n"
		   "  \"report_unused_ignores\": false\n"
		   "}\n");
	assert_int_equal(config_load(&c, at("sub/.nfguard.json")), 0);
	assert_int_equal(c.nrules, 2);
	snprintf(want, sizeof(want), "%s/sub/rules/extra.json", tmp);
	assert_string_equal(c.rules[0], want);
	assert_string_equal(c.rules[1], "/etc/nfg/r.json");
	assert_int_equal(c.nallow_paths, 3);
	assert_string_equal(c.allow_paths[0], "*.pem"); /* globs as written */
	assert_string_equal(c.allow_paths[2], "/x/**");
	assert_int_equal(c.exit_code, 0);
	assert_string_equal(c.format, "sarif");
	snprintf(want, sizeof(want), "%s/sub/../base.json", tmp);
	assert_string_equal(c.baseline, want);
	snprintf(want, sizeof(want), "%s/sub/.nfguardignore", tmp);
	assert_string_equal(c.ignore_file, want);
	assert_int_equal(c.fail_on, CONFIG_FAIL_ON_LIVE);
	assert_int_equal(c.skip_unreadable, 1);
	assert_int_equal(c.jobs, 256);
	assert_int_equal(c.report_unused_ignores, 0);
	assert_true(c.has_rules && c.has_allow_paths && c.has_exit_code &&
		    c.has_format && c.has_baseline && c.has_ignore_file &&
		    c.has_fail_on && c.has_skip_unreadable && c.has_jobs &&
		    c.has_report_unused_ignores);
	config_release(&c);
	assert_null(c.rules);
	assert_int_equal(c.has_rules, 0);

	/* dir's: globs kept as written, a size in either form */
	write_file("sub/.nfguard.json",
		   "{\"exclude_paths\": [\"vendor/\", \"*.log\"],\n"
		   " \"max_file_size\": \"10M\"}\n");
	assert_int_equal(config_load(&c, at("sub/.nfguard.json")), 0);
	assert_int_equal(c.nexclude_paths, 2);
	assert_string_equal(c.exclude_paths[0], "vendor/");
	assert_string_equal(c.exclude_paths[1], "*.log");
	assert_true(c.max_file_size == 10 << 20);
	assert_true(c.has_exclude_paths && c.has_max_file_size);
	config_release(&c);
	assert_null(c.exclude_paths);
	write_file("sub/.nfguard.json",
		   "{\"max_file_size\": 9007199254740992}");
	assert_int_equal(config_load(&c, at("sub/.nfguard.json")), 0);
	assert_true(c.max_file_size == (uint64_t)1 << 53);
	config_release(&c);
	write_file("sub/.nfguard.json", "{\"max_file_size\": 0}");
	assert_int_equal(config_load(&c, at("sub/.nfguard.json")), 0);
	assert_true(c.max_file_size == 0 && c.has_max_file_size);
	config_release(&c);
}

/* A config named without a folder: its paths stay relative to cwd. */
static void test_relative_config_path(void **state)
{
	char cwd[4096];
	struct config c;

	(void)state;
	write_file("cfg.json", "{\"rules\":[\"r.json\"],\"baseline\":\"b\"}");
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmp), 0);
	assert_int_equal(config_load(&c, "cfg.json"), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_string_equal(c.dir, ".");
	assert_string_equal(c.rules[0], "r.json");
	assert_string_equal(c.baseline, "b");
	config_release(&c);
}

/* The parser on a memory buffer: no file, the same checks and messages. */
static void test_parse_memory(void **state)
{
	static const char text[] = "{\"jobs\": 4, \"baseline\": \"b.json\"}";
	struct config c;

	(void)state;
	assert_int_equal(
		config_parse(&c, text, sizeof(text) - 1, "sub/.nfguard.json"),
		0);
	assert_string_equal(c.path, "sub/.nfguard.json");
	assert_string_equal(c.dir, "sub");
	assert_int_equal(c.jobs, 4);
	assert_string_equal(c.baseline, "sub/b.json");
	config_release(&c);
	/* the length, not a NUL, ends the text; a NUL inside is refused */
	assert_int_equal(config_parse(&c, "{}x", 2, "m.json"), 0);
	config_release(&c);
	assert_int_equal(config_parse(&c, "{}\0", 3, "m.json"), NFG_EINVAL);
	assert_string_equal(error_last(), "m.json: NUL byte in the file");
	assert_null(c.path);
}

/*
 * A rule file holds one JSON object: a second one after it (two files
 * concatenated) is an error, not silently dropped with its rules (found
 * by fuzz_rules). Trailing white space is fine.
 */
static void test_rules_one_value(void **state)
{
	static const char rule[] =
		"{\"rules\":[{\"id\":\"%s\",\"description\":\"d\","
		"\"severity\":\"low\",\"keywords\":[\"k\"],"
		"\"pattern\":\"(?<secret>k.)\"}]}";
	struct rule_specs l = {NULL, 0};
	char a[256], b[256], text[600];

	(void)state;
	snprintf(a, sizeof(a), rule, "a");
	snprintf(b, sizeof(b), rule, "b");
	snprintf(text, sizeof(text), "%s \r\n\t", a);
	assert_int_equal(rules_parse(&l, text, strlen(text), "r.json"), 0);
	assert_int_equal(l.n, 1);
	rule_specs_release(&l);
	snprintf(text, sizeof(text), "%s\n%s\n", a, b);
	assert_int_equal(rules_parse(&l, text, strlen(text), "r.json"),
			 NFG_EINVAL);
	assert_string_equal(error_last(), "r.json: malformed JSON near line 2");
	rule_specs_release(&l);
	assert_int_equal(rules_parse(&l, "{}x", 3, "r.json"), NFG_EINVAL);
	assert_string_equal(error_last(), "r.json: malformed JSON near line 1");
	rule_specs_release(&l);
}

static void expect_error(const char *text, const char *want_after_path)
{
	char want[4400];
	struct config c;
	int err;

	write_file("bad.json", text);
	err = config_load(&c, at("bad.json"));
	snprintf(want, sizeof(want), "%s: %s", at("bad.json"), want_after_path);
	if (err != NFG_EINVAL || strcmp(error_last(), want))
		fail_msg("for %s\ngot  %d %s\nwant %s", text, err, error_last(),
			 want);
	/* a failed load leaves only defaults */
	assert_null(c.path);
	assert_null(c.rules);
	assert_int_equal(c.exit_code, 1);
	assert_int_equal(c.has_rules, 0);
	config_release(&c);
}

static void test_errors(void **state)
{
	struct config c;
	char want[4400];

	(void)state;
	expect_error("{\"exit_code\":1,\"colour\":true}",
		     "unknown key 'colour'");
	expect_error("{\"Rules\":[]}", "unknown key 'Rules'");
	/* exit_code's range (0..125) is checked with the flags, in cli/. */
	expect_error("{\"exit_code\":1.5}",
		     "key 'exit_code': must be an integer");
	expect_error("{\"exit_code\":\"1\"}",
		     "key 'exit_code': must be an integer");
	expect_error("{\"exit_code\":1e300}",
		     "key 'exit_code': must be an integer");
	write_file("wide.json", "{\"exit_code\":-1}");
	assert_int_equal(config_load(&c, at("wide.json")), 0);
	assert_int_equal(c.exit_code, -1);
	config_release(&c);
	write_file("wide.json", "{\"exit_code\":300}");
	assert_int_equal(config_load(&c, at("wide.json")), 0);
	assert_int_equal(c.exit_code, 300);
	config_release(&c);
	expect_error("{\"jobs\":0}",
		     "key 'jobs': must be an integer from 1 to 256");
	expect_error("{\"jobs\":257}",
		     "key 'jobs': must be an integer from 1 to 256");
	expect_error("{\"format\":\"xml\"}",
		     "key 'format': must be \"human\", \"json\", \"jsonl\" or "
		     "\"sarif\"");
	expect_error("{\"format\":[]}",
		     "key 'format': must be \"human\", \"json\", \"jsonl\" or "
		     "\"sarif\"");
	expect_error("{\"fail_on\":\"all\"}",
		     "key 'fail_on': must be \"live\" or \"any\"");
	expect_error("{\"skip_unreadable\":\"yes\"}",
		     "key 'skip_unreadable': must be true or false");
	expect_error("{\"report_unused_ignores\":1}",
		     "key 'report_unused_ignores': must be true or false");
	expect_error("{\"rules\":\"r.json\"}",
		     "key 'rules': must be an array of non-empty strings");
	expect_error("{\"rules\":[\"a\",2]}",
		     "key 'rules': must be an array of non-empty strings");
	expect_error("{\"rules\":[\"\"]}",
		     "key 'rules': must be an array of non-empty strings");
	expect_error("{\"allow_paths\":[\"ok/\",\"[x\"]}",
		     "key 'allow_paths': bad glob '[x': unterminated '['");
	expect_error(
		"{\"allow_paths\":[null]}",
		"key 'allow_paths': must be an array of non-empty strings");
	expect_error("{\"baseline\":\"\"}",
		     "key 'baseline': must be a non-empty string");
	expect_error("{\"ignore_file\":false}",
		     "key 'ignore_file': must be a non-empty string");
	expect_error("{\"jobs\":2,\"jobs\":3}", "key 'jobs': given twice");
	expect_error("[]", "the file must hold a JSON object");
	expect_error("\"x\"", "the file must hold a JSON object");
	expect_error("{\n\"jobs\": 2,\n\"format\": \"json\"\n",
		     "malformed JSON "
		     "near line 3");
	expect_error("{\n\"jobs\": 2,,\n}", "malformed JSON near line 2");
	expect_error("{}\n{}\n", "malformed JSON near line 2");
	expect_error("", "malformed JSON near line 1");

	/* an unreadable file */
	expect_error("{\"decode\":\"foo\"}",
		     "key 'decode': unknown decoder 'foo' (known: base64, "
		     "utf16, gzip, zlib, bzip2, xz, zip, tar, all, none)");
	expect_error("{\"exclude_paths\":[\"[x\"]}",
		     "key 'exclude_paths': bad glob '[x': unterminated '['");
	expect_error("{\"max_file_size\":-1}",
		     "key 'max_file_size': must be a size such as \"10M\" or "
		     "a whole number of bytes");
	expect_error("{\"max_file_size\":1.5}",
		     "key 'max_file_size': must be a size such as \"10M\" or "
		     "a whole number of bytes");
	expect_error("{\"max_file_size\":1e300}",
		     "key 'max_file_size': must be a size such as \"10M\" or "
		     "a whole number of bytes");
	expect_error("{\"max_file_size\":\"10T\"}",
		     "key 'max_file_size': '10T' is not a size (bytes, or a "
		     "number with k, M or G)");
	expect_error("{\"max_file_size\":\"99999999999G\"}",
		     "key 'max_file_size': '99999999999G' is too large");

	/* an unreadable file */
	assert_int_equal(config_load(&c, at("missing.json")), NFG_EIO);
	snprintf(want, sizeof(want),
		 "cannot open '%s': No such file or directory",
		 at("missing.json"));
	assert_string_equal(error_last(), want);
	config_release(&c);
}

static void expect_found(const char *start, const char *want_rel)
{
	char *found = (char *)"unset";
	char want[4400], real[4096];

	assert_non_null(realpath(tmp, real));
	assert_int_equal(config_find(&found, at(start)), 0);
	if (!want_rel) {
		if (found)
			fail_msg("from %s found %s", start, found);
		return;
	}
	snprintf(want, sizeof(want), "%s/%s", real, want_rel);
	if (!found || strcmp(found, want))
		fail_msg("from %s found %s, want %s", start,
			 found ? found : "nothing", want);
	free(found);
}

static void test_find(void **state)
{
	char *found = NULL;

	(void)state;
	/* tmp/.nfguard.json is above the repository: never used for it */
	write_file(".nfguard.json", "{}");
	make_dir("repo");
	make_dir("repo/.git");
	make_dir("repo/a");
	make_dir("repo/a/b");
	expect_found("repo/a/b", NULL);
	expect_found("repo", NULL);

	write_file("repo/.nfguard.json", "{}");
	expect_found("repo/a/b", "repo/.nfguard.json");
	expect_found("repo", "repo/.nfguard.json");
	write_file("repo/a/.nfguard.json", "{}");
	expect_found("repo/a/b", "repo/a/.nfguard.json"); /* the nearest */
	expect_found("repo/a", "repo/a/.nfguard.json");
	expect_found("repo/a/b/../..", "repo/.nfguard.json");

	/* a worktree or submodule root has a .git file */
	make_dir("wt");
	write_file("wt/.git", "gitdir: /elsewhere\n");
	make_dir("wt/x");
	expect_found("wt/x", NULL);

	/*
	 * Outside any repository only the start folder counts: a file in a
	 * parent (/tmp, $HOME) may have been planted by someone else.
	 */
	make_dir("plain");
	make_dir("plain/deep");
	expect_found("plain/deep", NULL);
	write_file("plain/deep/.nfguard.json", "{}");
	expect_found("plain/deep", "plain/deep/.nfguard.json");

	assert_int_equal(config_find(&found, at("no/such/dir")), NFG_EIO);
	assert_null(found);
	assert_non_null(strstr(error_last(), "cannot open '"));
}

static const char extra_rule[] =
	"{\"version\":1,\"rules\":[{\"id\":\"%s\",\"description\":\"d\","
	"\"severity\":\"low\",\"keywords\":[\"zz_\"],"
	"\"pattern\":\"zz_(?<secret>[a-z]{8})\"}]}";

static void test_rules_extra(void **state)
{
	struct ruleset *base = NULL, *rs = NULL;
	char text[512];
	const char *extra[2];
	size_t nbase;

	(void)state;
	assert_int_equal(rules_open(&base, NULL), 0);
	nbase = ruleset_count(base);
	snprintf(text, sizeof(text), extra_rule, "extra-one");
	write_file("one.json", text);
	snprintf(text, sizeof(text), extra_rule, "extra-two");
	make_dir("more");
	write_file("more/two.json", text);
	extra[0] = at("one.json");
	extra[1] = at("more");
	assert_int_equal(rules_open_extra(&rs, NULL, extra, 2), 0);
	assert_int_equal(ruleset_count(rs), nbase + 2);
	assert_string_equal(ruleset_rule(rs, 0)->id, ruleset_rule(base, 0)->id);
	assert_string_equal(ruleset_rule(rs, nbase)->id, "extra-one");
	assert_string_equal(ruleset_rule(rs, nbase + 1)->id, "extra-two");
	ruleset_free(rs);

	/* a path instead of the built-in rules, plus an extra */
	extra[0] = at("more");
	assert_int_equal(rules_open_extra(&rs, at("one.json"), extra, 1), 0);
	assert_int_equal(ruleset_count(rs), 2);
	ruleset_free(rs);

	/* the same id twice across files */
	snprintf(text, sizeof(text), extra_rule, ruleset_rule(base, 0)->id);
	write_file("dup.json", text);
	extra[0] = at("dup.json");
	assert_int_equal(rules_open_extra(&rs, NULL, extra, 1), NFG_EINVAL);
	assert_null(rs);
	assert_non_null(strstr(error_last(), "defined twice"));
	assert_non_null(strstr(error_last(), "dup.json"));

	extra[0] = at("nope.json");
	assert_int_equal(rules_open_extra(&rs, NULL, extra, 1), NFG_EIO);
	assert_null(rs);
	ruleset_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_config_path,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_memory, setup,
						teardown),
		cmocka_unit_test(test_rules_one_value),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_extra, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

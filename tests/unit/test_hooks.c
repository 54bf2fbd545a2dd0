/*
 * Unit tests of the global hooks folder's pure parts: the record that
 * says what uninstall-hooks --global undoes, and the removal of the empty
 * [core] section unsetting core.hooksPath leaves in a git config file.
 */
#include "util/common.h"
#include "util/error.h"
#include "hooks/install.h"

#include <setjmp.h>
#include <cmocka.h>

static int parse(struct hooks_global *g, const char *text)
{
	return hooks_global_parse(g, text, strlen(text));
}

static void test_record(void **state)
{
	struct hooks_global g;

	(void)state;
	assert_int_equal(parse(&g, "# comment\nconfig=/h/.gitconfig\n"
				   "was=no-core\nprevious=~/team hooks\n"),
			 0);
	assert_string_equal(g.config, "/h/.gitconfig");
	assert_int_equal(g.was, HOOKS_CONFIG_NO_CORE);
	assert_string_equal(g.previous, "~/team hooks");
	hooks_global_release(&g);
	/* The last of a repeated key wins; unknown keys are ignored. */
	assert_int_equal(parse(&g, "config=a\nwas=core\nconfig=b\nx=y\n"), 0);
	assert_string_equal(g.config, "b");
	assert_int_equal(g.was, HOOKS_CONFIG_CORE);
	assert_null(g.previous);
	hooks_global_release(&g);
	assert_int_equal(parse(&g, "config=\nwas=absent\n"), 0);
	assert_string_equal(g.config, "");
	assert_int_equal(g.was, HOOKS_CONFIG_ABSENT);
	hooks_global_release(&g);
	hooks_global_release(NULL);
}

static void test_record_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"config=/a\n",		  /* no was */
		"was=core\n",		  /* no config */
		"config=/a\nwas=maybe\n", /* unknown was */
		"config=/a\nwas=core",	  /* last line unterminated */
		"config /a\nwas=core\n",  /* not key=value */
		"CONFIG=/a\nwas=core\n",  /* keys are lower case */
	};
	static const char nul[] = "config=/a\0b\nwas=core\n";
	struct hooks_global g;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(parse(&g, bad[i]), NFG_EINVAL);
		assert_null(g.config);
		assert_null(g.previous);
		assert_string_equal(error_last(), "not nfguard's record");
	}
	assert_int_equal(hooks_global_parse(&g, nul, sizeof(nul) - 1),
			 NFG_EINVAL);
}

/* Runs the removal on a copy of in; the result must be want. */
static void drop(const char *in, const char *want)
{
	char buf[256];
	size_t n = strlen(in);

	memcpy(buf, in, n);
	n = hooks_config_drop_empty_core(buf, n);
	if (n != strlen(want) || memcmp(buf, want, n))
		fail_msg("from '%s': got '%.*s', want '%s'", in, (int)n, buf,
			 want);
}

static void test_drop_empty_core(void **state)
{
	(void)state;
	drop("[core]\n", "");
	drop("[user]\n\tname = A\n[core]\n", "[user]\n\tname = A\n");
	drop("[core]\n\n[user]\n", "\n[user]\n");
	drop("[core]\n \t\n", " \t\n");
	/* A section with an entry, or a header not at a line start, stays. */
	drop("[core]\n\teditor = vi\n", "[core]\n\teditor = vi\n");
	drop("x[core]\n", "x[core]\n");
	drop("[core] # c\n", "[core] # c\n");
	/* Only the first empty one goes. */
	drop("[core]\n[core]\n", "[core]\n");
	drop("[core]\n\tx = 1\n[core]\n", "[core]\n\tx = 1\n");
	drop("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_record_refused),
		cmocka_unit_test(test_drop_empty_core),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

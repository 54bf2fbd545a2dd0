/*
 * nfguard rules: list the rules in use; nfguard rules check FILE: validate
 * a rule file and run its examples.
 */
#include "util/common.h"
#include "util/error.h"
#include "config/rules.h"
#include "verify/revoke.h"
#include "verify/verify.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/options.h"

static int list_rules(const char *path)
{
	struct ruleset *rs;
	size_t i;

	if (rules_open(&rs, path)) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	for (i = 0; i < ruleset_count(rs); i++) {
		const struct rule_spec *r = ruleset_rule(rs, i);

		printf("%s\t%s\t%s\n", r->id, r->severity, r->description);
	}
	ruleset_free(rs);
	return fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_CLEAN;
}

static int check_file(const char *path)
{
	struct rules_check_result res;
	struct ruleset *rs;
	size_t n;

	if (rules_open(&rs, path)) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	n = ruleset_count(rs);
	if (verify_check_rules(rs) || revoke_check_rules(rs)) {
		cli_error("%s", error_last());
		ruleset_free(rs);
		return EXIT_ERROR;
	}
	if (rules_check_examples(rs, &res)) {
		cli_error("%s", error_last());
		if (res.failed > 1)
			cli_error("%s: %zu of %zu examples failed", path,
				  res.failed, res.examples);
		ruleset_free(rs);
		return EXIT_ERROR;
	}
	ruleset_free(rs);
	printf("%s: ok (%zu rule%s, %zu examples passed)\n", path, n,
	       n == 1 ? "" : "s", res.examples);
	return fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_CLEAN;
}

int cmd_rules(const struct command *self, int argc, char **argv)
{
	struct cli_opts o;
	int first, rc;

	if ((rc = cli_parse(self, argc, argv, &o, &first)) != CLI_CONTINUE)
		return rc;
	if (first == argc)
		return list_rules(o.rules_path);
	if (!strcmp(argv[first], "check") && argc - first == 2)
		return check_file(argv[first + 1]);
	cli_error("usage: nfguard %s", self->usage);
	return EXIT_ERROR;
}

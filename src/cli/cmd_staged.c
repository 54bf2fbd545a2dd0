/*
 * nfguard staged [REPO]: scan what the next commit would add (the
 * pre-commit hook's command).
 */
#include "util/common.h"
#include "source/source.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"

/* What to do about a staged token. */
#define STEPS                                                                  \
	"  1. Take the token out of the file (load it from the environment "   \
	"or a\n"                                                               \
	"     secret store), then 'git add' the file again; or unstage it "    \
	"with\n"                                                               \
	"     'git restore --staged <path>'.\n"                                \
	"  2. If it was ever pushed or shared, revoke it in the Notiflows\n"   \
	"     dashboard (Account tokens) and create a new one.\n"              \
	"  A false positive? Add a 'nfguard:allow' comment right after the "   \
	"token, or\n"                                                          \
	"  its fingerprint to .nfguardignore.\n"

/*
 * Run as the pre-commit hook (--hook), a finding always stops the commit
 * (exit 1, whatever the config says); run by hand, nothing is stopped.
 */
static const char stopped[] =
	"The commit was stopped: nothing has left this machine yet.\n" STEPS;
static const char would_stop[] = "The commit would be stopped: nothing has "
				 "left this machine yet.\n" STEPS;

int cmd_staged(const struct command *self, int argc, char **argv)
{
	const char *target, *work_tree;
	struct scan_run run;
	char *repository = NULL;
	int first, rc, err;

	if ((rc = cli_parse(self, argc, argv, &run.opts, &first)) !=
	    CLI_CONTINUE)
		return rc;
	if (argc - first > 1) {
		cli_error("staged takes one repository (got '%s' too)",
			  argv[first + 1]);
		return EXIT_ERROR;
	}
	target = first < argc ? argv[first] : ".";
	if ((rc = scan_begin(&run, self, &target, 1)))
		return rc;
	work_tree = cli_take_git_env();
	err = source_staged_scan(&run.src, first < argc ? argv[first] : NULL,
				 work_tree, cli_git_index_file(),
				 run.opts.strict_objects, &repository);
	run.info.root = repository;
	run.info.has_lfs = 1;
	run.info.has_objects = 1;
	run.info.advice = run.opts.hook ? stopped : would_stop;
	rc = scan_finish(&run, err);
	free(repository);
	return rc;
}

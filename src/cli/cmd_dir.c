/*
 * nfguard dir [PATH...]: scan files and folders.
 */
#include "util/common.h"
#include "cli/cli.h"

#include <sys/stat.h>

int cmd_dir(int argc, char **argv)
{
	static const char *const dot[] = {"."};
	const struct command *c = command_find("dir");
	struct scan_run run;
	struct dir_opts d;
	struct stat st;
	char *root = NULL;
	int first, rc, err;

	if ((rc = cli_parse(c, argc, argv, &run.opts, &first)) != CLI_CONTINUE)
		return rc;
	d.targets = first < argc ? (const char *const *)argv + first : dot;
	d.ntargets = first < argc ? (size_t)(argc - first) : 1;
	d.jobs = run.opts.jobs;
	if ((rc = scan_begin(&run, "dir", d.targets, d.ntargets)))
		return rc;
	/* One folder: paths are relative to it, and SARIF says where it is. */
	if (d.ntargets == 1 && !stat(d.targets[0], &st) && S_ISDIR(st.st_mode))
		root = realpath(d.targets[0], NULL);
	run.info.root = root;
	err = source_dir_scan(run.rules, &d, cli_problem, &run.opts,
			      &run.findings, &run.totals);
	rc = scan_finish(&run, err);
	free(root);
	return rc;
}

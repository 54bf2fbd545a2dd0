/*
 * nfguard dir [PATH...]: scan files and folders.
 */
#include "util/common.h"
#include "cli/cli.h"

int cmd_dir(int argc, char **argv)
{
	static const char *const dot[] = {"."};
	const struct command *c = command_find("dir");
	struct scan_run run;
	struct dir_opts d;
	int first, rc, err;

	if ((rc = cli_parse(c, argc, argv, &run.opts, &first)))
		return rc;
	if (run.opts.help) {
		command_help(stdout, c);
		return EXIT_CLEAN;
	}
	d.targets = first < argc ? (const char *const *)argv + first : dot;
	d.ntargets = first < argc ? (size_t)(argc - first) : 1;
	d.jobs = run.opts.jobs;
	if ((rc = scan_begin(&run, "dir", d.targets, d.ntargets)))
		return rc;
	err = source_dir_scan(run.rules, &d, cli_problem, &run.opts,
			      &run.findings, &run.totals);
	return scan_finish(&run, err);
}

/*
 * The command table and the help text generated from it and from the
 * shared option table (options.c), so help can never list a command or an
 * option that does not exist.
 */
#include "util/common.h"
#include "util/str.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/options.h"

const struct command commands[] = {
	{"dir", cmd_dir,
	 OPT_REPORT | OPT_RULES | OPT_JOBS | OPT_SKIP | OPT_VERIFY |
		 OPT_REVOKE | OPT_SUPPRESS | OPT_DECODE | OPT_WALK,
	 0, "dir [options] [PATH...]", "scan files and folders (default: .)",
	 "Every regular file is scanned, binaries included; symbolic links "
	 "are\n"
	 "not followed (a PATH named on the command line is). Paths are\n"
	 "reported relative to PATH when a single folder is given, else as\n"
	 "PATH/relative-path. A file named twice, or named and also inside\n"
	 "a named folder, is scanned and reported once.\n"
	 "A git folder (HEAD, objects/ and refs/: a bare repository, a "
	 "mirror,\n"
	 "a work tree's .git named as PATH) has its history and its files\n"
	 "scanned as nfguard git does, each finding naming the folder in\n"
	 "repository as paths are named. .git folders met inside a folder are\n"
	 "skipped and counted (their history is nfguard git's job). A git "
	 "pack\n"
	 "or bundle, or a PATH inside a git folder's objects/, is an error.\n"
	 "A file whose size or modification time changes while it is read is\n"
	 "a warning when it only grew and was read to its new end, else an\n"
	 "error; both are counted (scan.changed_during_scan).\n"
	 "--exclude GLOB leaves out what GLOB matches (as in .gitignore:\n"
	 "*.log, vendor/, /build), a path below the folder scanned (a file\n"
	 "PATH: as given); a folder that matches is not walked.\n"
	 "--max-file-size SIZE leaves out larger files. Neither is an\n"
	 "error: each file or folder left out is counted (scan.excluded,\n"
	 "scan.too_large, \"not scanned\" in the summary) and -v names it\n"
	 "on stderr. The config file sets them too (exclude_paths,\n"
	 "max_file_size), and a warning on stderr says so.\n"},
	{"git", cmd_git,
	 OPT_REPORT | OPT_RULES | OPT_JOBS | OPT_GIT | OPT_VERIFY | OPT_REVOKE |
		 OPT_SUPPRESS | OPT_HOOK | OPT_OBJECTS | OPT_DECODE,
	 0, "git [options] [REPO...]",
	 "scan a repository's history: every ref, every unique blob once",
	 "REPO is a work tree or bare repository (default: found from the\n"
	 "current folder, as git does). Every object reachable from any ref\n"
	 "(branches, tags, remotes, stashes, notes) and HEAD is scanned, each\n"
	 "unique blob once, with commit and tag objects whole (messages,\n"
	 "headers, identities) and the names of tree entries and refs.\n"
	 "Each token is reported once, at the commit that introduced it\n"
	 "(oldest first), with the number of commits that hold it. The\n"
	 "pre-push and pre-receive hooks run it with --hook (see nfguard\n"
	 "help staged).\n"
	 "Git LFS objects that are local are scanned as their pointer's\n"
	 "content; those that are not are counted (scan.lfs_missing) and\n"
	 "said in a warning: git lfs fetch --all fetches them.\n"
	 "REPO may be a git bundle (git bundle create): scanned as the\n"
	 "repository it holds, named by its path, without unbundling it.\n"

	 "Without --range, --since-commit or --ref, the git folder's own\n"
	 "files are scanned too (config, FETCH_HEAD, logs/, COMMIT_EDITMSG,\n"
	 "hooks/, info/, the index, linked worktrees' and submodules'\n"
	 "folders; not objects/ or lfs/objects/): location git-dir, the path\n"
	 "inside it.\n"
	 "Loose objects' ids and the CRC-32 of packed entries nfguard reads\n"
	 "itself are checked; --strict-objects checks every object's id.\n"
	 "An object that fails is not scanned: an error, counted in\n"
	 "scan.objects_corrupt.\n"
	 "Several REPOs, or --repos-from FILE (one a line, '#' comments, '-'\n"
	 "for stdin), sweep each repository with the same options, in one\n"
	 "report: an entry per repository (scanned, failed or empty), each\n"
	 "finding naming its repository as given, and each token found in\n"
	 "several repositories as one incident. A repository that fails is\n"
	 "an error (exit 2) and the others go on. URL targets (https://,\n"
	 "ssh://, git://, file://, user@host:path) are cloned as bare\n"
	 "mirrors of every ref (pull request refs too) into a temporary\n"
	 "folder, or with --cache DIR kept there and only fetched the next\n"
	 "time. https credentials: NFGUARD_GIT_TOKEN (user name\n"
	 "NFGUARD_GIT_USERNAME, else x-access-token), or\n"
	 "NFGUARD_GIT_USERNAME and NFGUARD_GIT_PASSWORD, else git's\n"
	 "credential helpers; ssh keys come from the agent, and the host\n"
	 "key must be in ~/.ssh/known_hosts (no ~/.ssh/config). --cacert FILE\n"
	 "is trusted for https clones too. Plain http:// is refused but to\n"
	 "a loopback address. Settings come from the current folder, not\n"
	 "the repositories.\n"
	 "--state FILE records per repository the commits its scan started\n"
	 "from and the tokens it reported: the next run scans only commits\n"
	 "new since then (as a range) and reports only new tokens\n"
	 "(scan.repositories[].incremental: full, incremental, or fallback\n"
	 "when a recorded commit is gone: the whole history, a warning).\n"
	 "Tokens count as reported once the report is written (JSONL on\n"
	 "stdout: as each repository ends); a killed run's are found again.\n"
	 "A corrupt state file is an error (exit 2), left as it is.\n"
	 "FILE is written at the start and once the report is out; in\n"
	 "between each repository is appended to FILE.journal, replayed\n"
	 "by the next run when a run is killed. A run locks FILE.lock: a\n"
	 "second run with the same FILE fails at once (exit 2).\n"
	 "A pack object whose delta chain loops, is deeper than 4096 or would\n"
	 "build more than 2 GiB is named as unreadable (exit 2), as is each\n"
	 "once a pack's deltas built 2 GiB + 4096 times its size in a scan.\n"
	 "A pack whose header disagrees with its index is refused (exit 2).\n"

	 "--github-org, --github-user and --gitlab-group (repeatable) sweep\n"
	 "every repository the host's API lists (GitLab: subgroups too),\n"
	 "every page followed, by its https clone URL; forks and archived\n"
	 "ones too unless --skip-forks / --skip-archived. Tokens:\n"
	 "GITHUB_TOKEN, GITLAB_TOKEN (environment only). A rate limit\n"
	 "resetting within 60 s is waited; a longer one, or any other\n"
	 "failure to list every page, stops the run before any scan (exit 2,\n"
	 "no report).\n"
	 "--shard I/N sweeps share I of N of the list (by SHA-256 of each\n"
	 "target's normalised name, the same on every machine); nfguard\n"
	 "merge joins the shards' reports.\n"},
	{"staged", cmd_staged,
	 OPT_REPORT | OPT_RULES | OPT_VERIFY | OPT_REVOKE | OPT_SUPPRESS |
		 OPT_HOOK | OPT_OBJECTS | OPT_DECODE,
	 0, "staged [options] [REPO]",
	 "scan what the next commit would add (the pre-commit hook)",
	 "Compares the index with HEAD (the whole index before the first\n"
	 "commit) and reports only tokens on added or changed lines, with the\n"
	 "staged path and line. It reads the staged blobs, not the work tree,\n"
	 "so partially staged files and merges are judged as git will commit\n"
	 "them. Run by hand, it says the commit \"would be stopped\"; the\n"
	 "hooks run it with --hook: a human report and exit 1 on any finding\n"
	 "whatever .nfguard.json sets (its suppressions still apply). A\n"
	 "token in a new path's name is reported too (\"path-name\").\n"
	 "Every index git writes is read (versions 2 to 4, split, sparse);\n"
	 "one that cannot be read is an error (exit 2).\n"},
	{"install-hooks", cmd_install_hooks, OPT_HOOKS | OPT_GLOBAL, 0,
	 "install-hooks [--pre-push] [--pre-receive] [--force|--chain] "
	 "[REPO | --global [--hooks-dir DIR]]",
	 "install nfguard's git hooks in a repository",
	 "Installs pre-commit (nfguard staged), and with --pre-push the hook\n"
	 "that scans exactly the commits being pushed; --pre-receive installs\n"
	 "the server-side hook in a bare repository instead. Hooks go where "
	 "git\n"
	 "looks for them: core.hooksPath, or the hooks folder shared by every\n"
	 "worktree. An existing hook that is not nfguard's is left alone "
	 "unless\n"
	 "--chain (keep it, run it first) or --force (replace it) is given.\n"
	 "--global installs them for every repository of the user: in DIR\n"
	 "(--hooks-dir, default $XDG_CONFIG_HOME/nfguard/hooks, else\n"
	 "~/.config/nfguard/hooks), with the global core.hooksPath (git\n"
	 "config --global) pointed at it. Each runs the repository's own\n"
	 "hook first (core.hooksPath makes git skip .git/hooks). A\n"
	 "core.hooksPath already pointing elsewhere is refused unless\n"
	 "--chain: its hooks then run too. nfguard uninstall-hooks undoes\n"
	 "either install.\n"},
	{"stdin", cmd_stdin,
	 OPT_REPORT | OPT_RULES | OPT_LABEL | OPT_VERIFY | OPT_REVOKE |
		 OPT_SUPPRESS | OPT_DECODE,
	 CMD_INPUT_STDIN, "stdin [options]", "scan standard input",
	 "Findings are reported with NAME as their path (default: stdin).\n"},
	{"rules", cmd_rules, OPT_RULES, 0,
	 "rules [--rules PATH] | rules check FILE",
	 "list the rules, or validate a rule file and run its examples",
	 "'rules check FILE' checks every field of FILE, compiles its "
	 "patterns\n"
	 "and runs its examples: each match example must be found exactly\n"
	 "once, each no_match example not at all. Exit 0 when all is well.\n"},
	{"verify", cmd_tokens, OPT_REPORT | OPT_RULES | OPT_VERIFY,
	 CMD_INPUT_STDIN | CMD_TOKENS | CMD_VERIFIES | CMD_FAIL_ON_LIVE,
	 "verify [options] < TOKENS",
	 "verify tokens read from standard input, one per line",
	 "Each non-blank line must be one whole token of a rule (tokens are\n"
	 "never taken from the command line, where every user of the machine\n"
	 "can see them). Each distinct token is asked once; the report has a\n"
	 "finding per line (path \"stdin\") with its verification: live,\n"
	 "invalid or unknown. Exit 1 when a token is live or could not be\n"
	 "verified (--fail-on any: when any token was read); stderr says how\n"
	 "many could not be verified and why. Empty input is a clean no-op.\n"},
	{"revoke", cmd_tokens, OPT_REPORT | OPT_RULES | OPT_VERIFY | OPT_REVOKE,
	 CMD_INPUT_STDIN | CMD_TOKENS | CMD_VERIFIES | CMD_REVOKES |
		 CMD_FAIL_ON_LIVE,
	 "revoke [options] < TOKENS",
	 "revoke live tokens read from standard input, one per line",
	 "Each token is verified first; only a live one is revoked, once,\n"
	 "with the revoke request of its rule, and counts as revoked only "
	 "when\n"
	 "whoami answers 401 afterwards. On a terminal the list is shown and\n"
	 "the answer read from /dev/tty; without one nothing is revoked\n"
	 "unless --yes is given. --dry-run sends no revoke request. Every\n"
	 "decision is appended to the audit log the moment it is made:\n"
	 "--audit-log FILE, else $XDG_STATE_HOME/nfguard/audit.jsonl, else\n"
	 "~/.local/state/nfguard/audit.jsonl (folders made 0700, the file\n"
	 "0600); stderr says which. Exit 1 when a token is still live\n"
	 "afterwards or could not be verified (--fail-on any: when any\n"
	 "token was read); human output lists the unverified ones under\n"
	 "\"still to do\".\n"},
	{"merge", cmd_merge,
	 OPT_REPORT | OPT_RULES | OPT_VERIFY | OPT_REVOKE | OPT_MERGE, 0,
	 "merge [options] REPORT...",
	 "join the reports of a sweep's shards (git --shard I/N) into one",
	 "Each REPORT is an nfguard git sweep's -f json report. The merged\n"
	 "report (any -f) is the one the unsharded sweep would write:\n"
	 "repositories in the targets' order, findings once each (same\n"
	 "fingerprint, repository, commit, path, line, column, location),\n"
	 "totals summed, incidents rebuilt; started_at and duration_ms are\n"
	 "the merge's. Reports made with rules other than the merge's\n"
	 "(tool.rules_digest; give the shards' with --rules), verified\n"
	 "reports, and unreadable or malformed ones are refused (exit 2, no\n"
	 "report). A report that recorded a failed repository or an error, a\n"
	 "shard missing or given twice, a repository in two reports and\n"
	 "fields the merge does not know make the merge exit 2 with its\n"
	 "report written. JSONL reports carry no totals, repository entries\n"
	 "or rules digest: refused unless --accept-jsonl (then each rule id\n"
	 "must be a loaded rule, and a warning says the totals are partial).\n"
	 "--verify and --revoke act on the merged findings; a token is\n"
	 "verified only when a report holds it (shards run with\n"
	 "--show-secret), else it is unknown and stderr says why.\n"},
	{"uninstall-hooks", cmd_uninstall_hooks, OPT_GLOBAL, 0,
	 "uninstall-hooks [REPO | --global [--hooks-dir DIR]]",
	 "remove the hooks install-hooks wrote",
	 "Removes nfguard's hooks from REPO (default: the repository you\n"
	 "are in), putting back each hook --chain kept. --global removes the\n"
	 "global hooks folder and sets core.hooksPath back as it was (unset,\n"
	 "or the path --chain kept), only when it still names that folder.\n"
	 "A hook nfguard did not write is left alone and named; no hook of\n"
	 "nfguard's at all, or one whose kept hook cannot be put back safely,\n"
	 "is an error (exit 2) and nothing changes.\n"},
	{"help", cmd_help, 0, 0, "help [COMMAND]",
	 "show help for nfguard or a command", NULL},
	{"completion", cmd_completion, 0, 0, "completion SHELL",
	 "print the shell completion script for bash, zsh or fish",
	 "Written from the same tables as this help: commands, their options\n"
	 "and the values an option takes (formats, --fail-on, --decode).\n"
	 "Load it for this shell, or install it where the shell looks:\n"
	 "  bash  source <(nfguard completion bash)\n"
	 "        ~/.local/share/bash-completion/completions/nfguard\n"
	 "  zsh   nfguard completion zsh > \"${fpath[1]}/_nfguard\"\n"
	 "  fish  nfguard completion fish | source\n"
	 "        ~/.config/fish/completions/nfguard.fish\n"
	 "cmake --install and the Debian package put all three where the\n"
	 "shells look.\n"},
};
const size_t ncommands = ARRAY_SIZE(commands);

const struct command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void command_unknown(const char *name)
{
	struct str_nearest n = {name, NULL, 0};
	size_t i;

	for (i = 0; i < ncommands; i++)
		str_nearest_try(&n, commands[i].name);
	if (n.best)
		cli_error("unknown command '%s': did you mean '%s'? (try "
			  "'nfguard help')",
			  name, n.best);
	else
		cli_error("unknown command '%s' (try 'nfguard help')", name);
}

static const char exit_text[] =
	"Exit status: 0 nothing found, 1 findings (see --exit-code; 0 warns;\n"
	"with --fail-on live, a token live or not verified),\n"
	"2 error (bad usage, bad rules, unreadable input, write failure),\n"
	"130/143 interrupted by SIGINT/SIGTERM.\n";

/* Help's width: a usage line wraps before this column. */
#define HELP_WIDTH 79

/*
 * Prints the usage text u after "usage: nfguard ", wrapped before
 * HELP_WIDTH at the spaces outside brackets, continued under the word
 * after "nfguard ".
 */
static void usage_wrap(FILE *out, const char *u)
{
	const char *p = u, *w;
	int col = fprintf(out, "usage: nfguard "), indent;
	int depth;

	/* The first word (the command's name) always fits. */
	w = strchr(p, ' ');
	w = w ? w : p + strlen(p);
	col += fprintf(out, "%.*s", (int)(w - p), p);
	indent = col + 1;
	for (p = w; *p == ' '; p = w) {
		p++;
		for (w = p, depth = 0; *w && (*w != ' ' || depth); w++)
			depth += (*w == '[') - (*w == ']');
		if (col + 1 + (int)(w - p) > HELP_WIDTH)
			col = fprintf(out, "\n%*s", indent, "") - 1;
		else
			col += fprintf(out, " ");
		col += fprintf(out, "%.*s", (int)(w - p), p);
	}
	fprintf(out, "\n");
}

/*
 * Prints c's usage. "[options]" in the table's usage becomes every
 * option the command takes ("[-f FMT] [--show-secret] ..."; --help
 * aside); a usage that spells its options out is printed as it is.
 */
static void usage_help(FILE *out, const struct command *c)
{
	static const char mark[] = "[options]";
	const char *at = strstr(c->usage, mark);
	struct buf u;
	size_t i;

	buf_init(&u, BUF_DEFAULT_MAX);
	if (!at)
		at = c->usage + strlen(c->usage);
	/* "dir [options] [PATH...]": "dir", the options, " [PATH...]". */
	buf_add(&u, c->usage, (size_t)(at - c->usage) - (*at != '\0'));
	for (i = 0; *at && i < options_count(); i++) {
		struct opt_view v;

		if (!options_at(i, c->opts, &v) || !strcmp(v.name, "help"))
			continue;
		if (v.letter)
			buf_printf(&u, " [-%c", v.letter);
		else
			buf_printf(&u, " [--%s", v.name);
		buf_printf(&u, "%s%s]", v.arg ? " " : "", v.arg ? v.arg : "");
	}
	buf_puts(&u, *at ? at + strlen(mark) : "");
	/* Out of memory, the table's usage still says what to type. */
	usage_wrap(out, buf_failed(&u) ? c->usage : u.ptr);
	buf_release(&u);
}

void command_help(FILE *out, const struct command *c)
{
	usage_help(out, c);
	fprintf(out, "\n%s\n", c->summary);
	if (c->details)
		fprintf(out, "\n%s", c->details);
	options_help(out, c->opts);
	if (c->opts & OPT_REPORT)
		fprintf(out, "\n%s", exit_text);
}

void general_help(FILE *out)
{
	int w = (int)strlen("--version");
	size_t i;

	for (i = 0; i < ncommands; i++)
		if ((int)strlen(commands[i].name) > w)
			w = (int)strlen(commands[i].name);
	fprintf(out, "usage: nfguard COMMAND [options] [ARGS]\n\n"
		     "Finds leaked Notiflows account tokens (nf_at_...).\n\n"
		     "Commands:\n");
	for (i = 0; i < ncommands; i++)
		fprintf(out, "  %-*s  %s\n", w, commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n  %-*s  print the version, the commit and the "
		"libraries' (-f json)\n"
		"\nRun 'nfguard help COMMAND' for a command's options.\n"
		"\n%s",
		w, "--version", exit_text);
}

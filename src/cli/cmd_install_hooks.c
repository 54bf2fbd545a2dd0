/*
 * nfguard install-hooks [--pre-push] [--pre-receive] [REPO]: install the
 * git hooks from hooks/ (compiled in), pointing them at this binary.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "hooks/install.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/options.h"
#include "cli/run.h"

#include <unistd.h>

extern const char hook_pre_commit[], hook_pre_push[], hook_pre_receive[];
extern const size_t hook_pre_commit_len, hook_pre_push_len,
	hook_pre_receive_len;

/* The line of each hook that names the binary to run. */
static const char bin_line[] = "nfguard=${NFGUARD:-nfguard}\n";

/*
 * The hook's text with this binary's absolute path as the default, so
 * the hook works whatever PATH git runs it with (NFGUARD still wins).
 */
static int hook_text(struct buf *out, const char *text, size_t len)
{
	const char *at = memmem(text, len, bin_line, sizeof(bin_line) - 1);
	char *self = realpath("/proc/self/exe", NULL);
	const char *p;
	int err;

	if (!at || !self) {
		free(self);
		return buf_add(out, text, len);
	}
	err = buf_add(out, text, (size_t)(at - text));
	if (!err)
		err = buf_puts(out, "nfguard=${NFGUARD:-'");
	for (p = self; !err && *p; p++)
		err = *p == '\'' ? buf_puts(out, "'\\''") : buf_putc(out, *p);
	if (!err)
		err = buf_puts(out, "'}\n");
	at += sizeof(bin_line) - 1;
	if (!err)
		err = buf_add(out, at, len - (size_t)(at - text));
	free(self);
	return err;
}

static const char *const action_names[] = {
	[HOOK_INSTALLED] = "installed",
	[HOOK_UPDATED] = "updated",
	[HOOK_REPLACED] = "replaced the existing hook with",
	[HOOK_CHAINED] = "installed (the existing hook runs first)",
};

static int install(const char *dir, const char *name, const char *text,
		   size_t len, enum hook_mode mode)
{
	enum hook_action action;
	struct buf b;
	int err;

	buf_init(&b, 1 << 20);
	err = hook_text(&b, text, len);
	if (!err)
		err = hooks_install(dir, name, b.ptr, b.len, mode, &action);
	buf_release(&b);
	if (err) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	printf("nfguard: %s %s/%s\n", action_names[action], dir, name);
	return 0;
}

int cmd_install_hooks(const struct command *self, int argc, char **argv)
{
	struct cli_opts o;
	enum hook_mode mode;
	char *dir = NULL;
	int first, rc;

	if ((rc = cli_parse(self, argc, argv, &o, &first)) != CLI_CONTINUE)
		return rc;
	if (argc - first > 1) {
		cli_error("install-hooks takes one repository (got '%s' too)",
			  argv[first + 1]);
		return EXIT_ERROR;
	}
	if (o.force && o.chain) {
		cli_error("--force and --chain cannot be combined");
		return EXIT_ERROR;
	}
	mode = o.force ? HOOK_FORCE : o.chain ? HOOK_CHAIN : HOOK_REFUSE;
	if (hooks_dir(&dir, first < argc ? argv[first] : NULL,
		      cli_take_git_env())) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	/* A server's bare repository gets pre-receive only. */
	rc = 0;
	if (!o.pre_receive || o.pre_push)
		rc = install(dir, "pre-commit", hook_pre_commit,
			     hook_pre_commit_len, mode);
	if (!rc && o.pre_push)
		rc = install(dir, "pre-push", hook_pre_push, hook_pre_push_len,
			     mode);
	if (!rc && o.pre_receive)
		rc = install(dir, "pre-receive", hook_pre_receive,
			     hook_pre_receive_len, mode);
	free(dir);
	if (!rc && (fflush(stdout) || ferror(stdout)))
		rc = EXIT_ERROR;
	return rc;
}

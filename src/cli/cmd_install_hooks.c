/*
 * nfguard install-hooks [--pre-push] [--pre-receive] [--global] [REPO]:
 * install the git hooks from hooks/ (compiled in), pointing them at this
 * binary, in one repository or, through the global core.hooksPath, for
 * every repository of the user; nfguard uninstall-hooks undoes either.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "hooks/install.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/options.h"
#include "cli/run.h"

#include <sys/stat.h>
#include <unistd.h>

extern const char hook_pre_commit[], hook_pre_push[], hook_pre_receive[],
	hook_chain[];
extern const size_t hook_pre_commit_len, hook_pre_push_len,
	hook_pre_receive_len, hook_chain_len;

/* The hooks nfguard writes, in the order it writes them. */
static const char *const kinds[] = {"pre-commit", "pre-push", "pre-receive"};

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
		   size_t len, enum hook_mode mode, int quiet)
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
	if (!quiet)
		printf("nfguard: %s %s/%s\n", action_names[action], dir, name);
	return 0;
}

/* A folder's path made absolute from the current one, with no "." part. */
static int absolute(struct buf *out, const char *dir)
{
	char *real = realpath(dir, NULL), *cwd = NULL;
	int err;

	if (real)
		err = buf_puts(out, real);
	else if (dir[0] == '/')
		err = buf_puts(out, dir);
	else if ((cwd = getcwd(NULL, 0)))
		err = buf_printf(out, "%s/%s", cwd, dir);
	else
		err = error_set_errno(NFG_EIO, errno, "cannot find '%s'", dir);
	free(real);
	free(cwd);
	return err;
}

/*
 * The global hooks folder, absolute: --hooks-dir, else
 * $XDG_CONFIG_HOME/nfguard/hooks, else ~/.config/nfguard/hooks (an XDG
 * variable counts only when absolute, as the specification asks).
 */
static int global_dir(struct buf *out, const struct cli_opts *o)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct buf b;
	int err;

	if (o->hooks_dir)
		return absolute(out, o->hooks_dir);
	buf_init(&b, 8192);
	if (xdg && xdg[0] == '/')
		err = buf_printf(&b, "%s/nfguard/hooks", xdg);
	else if (home && home[0] == '/')
		err = buf_printf(&b, "%s/.config/nfguard/hooks", home);
	else
		err = error_set(NFG_EINVAL,
				"no folder for the global hooks: neither "
				"XDG_CONFIG_HOME nor HOME is an absolute path "
				"(pass --hooks-dir DIR)");
	if (!err)
		err = absolute(out, b.ptr);
	buf_release(&b);
	return err;
}

/*
 * The file git config --global writes: GIT_CONFIG_GLOBAL, else
 * ~/.gitconfig, else the XDG one when only it exists.
 */
static int global_config(struct buf *out)
{
	const char *env = getenv("GIT_CONFIG_GLOBAL"), *home = getenv("HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	struct buf x;
	int err;

	if (env && *env)
		return buf_puts(out, env);
	if (!home || home[0] != '/')
		return error_set(NFG_EINVAL, "HOME is not an absolute path: "
					     "no global git config");
	buf_init(&x, 8192);
	if ((err = buf_printf(out, "%s/.gitconfig", home)))
		goto done;
	if (xdg && xdg[0] == '/')
		err = buf_printf(&x, "%s/git/config", xdg);
	else
		err = buf_printf(&x, "%s/.config/git/config", home);
	if (!err && access(out->ptr, F_OK) && !access(x.ptr, F_OK)) {
		buf_reset(out);
		err = buf_puts(out, x.ptr);
	}
done:
	buf_release(&x);
	return err;
}

/* 1 when core.hooksPath value (as written) names the folder dir. */
static int names_dir(const char *value, const char *dir)
{
	const char *home = getenv("HOME");
	struct stat a, b;
	struct buf v;
	int same;

	buf_init(&v, 8192);
	if (!strncmp(value, "~/", 2) && home)
		buf_printf(&v, "%s/%s", home, value + 2);
	else
		buf_puts(&v, value);
	if (buf_failed(&v))
		same = 0;
	else if (!stat(v.ptr, &a) && !stat(dir, &b))
		same = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	else
		same = !strcmp(v.ptr, dir);
	buf_release(&v);
	return same;
}

/* Refuses a folder install-hooks --global wrote, outside --global. */
static int not_global(const char *dir)
{
	struct hooks_global g;
	int found;

	if (hooks_global_read(dir, &g, &found))
		return EXIT_ERROR;
	hooks_global_release(&g);
	if (!found)
		return 0;
	cli_error("'%s' is nfguard's global hooks folder (core.hooksPath): "
		  "use --global",
		  dir);
	return EXIT_ERROR;
}

/* Which kinds an install writes: a server's bare repository, pre-receive. */
static int wanted(const struct cli_opts *o, size_t kind)
{
	if (kind == 0)
		return !o->pre_receive || o->pre_push;
	return kind == 1 ? o->pre_push : o->pre_receive;
}

static const char *const kind_texts[] = {hook_pre_commit, hook_pre_push,
					 hook_pre_receive};

static size_t kind_len(size_t kind)
{
	return kind == 0   ? hook_pre_commit_len
	       : kind == 1 ? hook_pre_push_len
			   : hook_pre_receive_len;
}

/*
 * install-hooks --global: the hooks (each with the chain that runs the
 * repository's own hook first) in the global folder, and core.hooksPath
 * pointed at it; one pointing elsewhere is kept and chained with --chain.
 */
static int install_global(const struct cli_opts *o)
{
	struct hooks_global rec = {0}, old = {0};
	struct buf dir, cfg, chained;
	char *cur = NULL;
	enum hooks_config_was was;
	int rc = EXIT_ERROR, found, ours;
	size_t i;

	buf_init(&dir, 8192);
	buf_init(&cfg, 8192);
	buf_init(&chained, 8192);
	if (global_dir(&dir, o) || global_config(&cfg) ||
	    hooks_config_get(cfg.ptr, &cur, &was) ||
	    hooks_global_read(dir.ptr, &old, &found)) {
		cli_error("%s", error_last());
		goto done;
	}
	ours = cur && names_dir(cur, dir.ptr);
	if (cur && !ours && !o->chain) {
		cli_error("core.hooksPath is already '%s' (in '%s'): --chain "
			  "keeps it and runs its hooks first",
			  cur, cfg.ptr);
		goto done;
	}
	rec.config = cfg.ptr;
	rec.was = found && ours ? old.was : was;
	/* Set by hand to this folder: uninstall sets it back, not unsets. */
	rec.previous = found && ours ? old.previous : cur;
	if (hooks_make_dir(dir.ptr) || hooks_global_write(dir.ptr, &rec)) {
		cli_error("%s", error_last());
		goto done;
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!wanted(o, i))
			continue;
		buf_reset(&chained);
		if (buf_printf(&chained, "%s.nfguard-chained", kinds[i])) {
			cli_error("%s", error_last());
			goto done;
		}
		/* The chain first: never a moment without the repo's hook. */
		if (install(dir.ptr, chained.ptr, hook_chain, hook_chain_len,
			    HOOK_REFUSE, 1) ||
		    install(dir.ptr, kinds[i], kind_texts[i], kind_len(i),
			    o->force ? HOOK_FORCE : HOOK_REFUSE, 0))
			goto done;
	}
	if (!ours) {
		if (hooks_config_set(cfg.ptr, dir.ptr, was)) {
			cli_error("%s", error_last());
			goto done;
		}
		printf("nfguard: core.hooksPath set to '%s' in '%s'\n", dir.ptr,
		       cfg.ptr);
	}
	printf("nfguard: each repository's own hooks run first");
	if (rec.previous && !names_dir(rec.previous, dir.ptr))
		printf(", then those of '%s'", rec.previous);
	printf("\n");
	rc = 0;
done:
	free(cur);
	hooks_global_release(&old);
	buf_release(&dir);
	buf_release(&cfg);
	buf_release(&chained);
	return rc;
}

/* cli_parse, and the operands both commands take: one REPO, or none. */
static int parse(const struct command *self, int argc, char **argv,
		 struct cli_opts *o, int *first)
{
	int rc = cli_parse(self, argc, argv, o, first);

	if (rc != CLI_CONTINUE)
		return rc;
	if (argc - *first > (o->global ? 0 : 1)) {
		cli_error("%s takes %s (got '%s')", self->name,
			  o->global ? "no repository with --global"
				    : "one repository",
			  argv[o->global ? *first : *first + 1]);
		return EXIT_ERROR;
	}
	if (o->hooks_dir && !o->global) {
		cli_error("--hooks-dir needs --global");
		return EXIT_ERROR;
	}
	return CLI_CONTINUE;
}

int cmd_install_hooks(const struct command *self, int argc, char **argv)
{
	struct cli_opts o;
	enum hook_mode mode;
	char *dir = NULL;
	int first, rc, bare = 0;
	size_t i;

	if ((rc = parse(self, argc, argv, &o, &first)) != CLI_CONTINUE)
		return rc;
	if (o.force && o.chain) {
		cli_error("--force and --chain cannot be combined");
		return EXIT_ERROR;
	}
	if (o.global) {
		rc = install_global(&o);
		goto flush;
	}
	mode = o.force ? HOOK_FORCE : o.chain ? HOOK_CHAIN : HOOK_REFUSE;
	if (hooks_dir(&dir, first < argc ? argv[first] : NULL,
		      cli_take_git_env(), 1, &bare)) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	/* git runs pre-receive on the server's (bare) side only, pre-commit
	 * and pre-push where commits are made: a hook git never runs guards
	 * nothing. */
	if (bare && wanted(&o, 0))
		cli_error(
			"warning: a bare repository has no work tree to commit "
			"from: git never runs its pre-commit hook "
			"(--pre-receive guards a server)");
	if (!bare && wanted(&o, 2))
		cli_error("warning: git runs pre-receive only in the "
			  "repository pushed to, usually a bare one on a "
			  "server: this one has a work tree");
	rc = not_global(dir);
	for (i = 0; !rc && i < ARRAY_SIZE(kinds); i++)
		if (wanted(&o, i))
			rc = install(dir, kinds[i], kind_texts[i], kind_len(i),
				     mode, 0);
	free(dir);
flush:
	if (!rc && (fflush(stdout) || ferror(stdout)))
		rc = EXIT_ERROR;
	return rc;
}

/*
 * Removes nfguard's hooks from dir, after checking that it can remove
 * them all: a hook it did not write is left alone, and when dir holds
 * none of nfguard's, that is the error.
 */
static int uninstall_in(const char *dir)
{
	static const char *const done_names[] = {
		[HOOK_REMOVED] = "removed",
		[HOOK_RESTORED] = "removed (the hook it chained is back)",
	};
	enum hook_undo what;
	size_t i, ours = 0;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (hooks_uninstall(dir, kinds[i], 1, &what)) {
			cli_error("%s", error_last());
			return EXIT_ERROR;
		}
		if (what == HOOK_FOREIGN)
			cli_error("'%s/%s' is not nfguard's: left alone", dir,
				  kinds[i]);
		ours += what >= HOOK_REMOVED;
	}
	if (!ours) {
		cli_error("no nfguard hook in '%s'", dir);
		return EXIT_ERROR;
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (hooks_uninstall(dir, kinds[i], 0, &what)) {
			cli_error("%s", error_last());
			return EXIT_ERROR;
		}
		if (what >= HOOK_REMOVED)
			printf("nfguard: %s %s/%s\n", done_names[what], dir,
			       kinds[i]);
	}
	return 0;
}

/*
 * uninstall-hooks --global: the hooks, core.hooksPath set back as the
 * record says (only when it still names the folder), the folder itself
 * when empty, and the default folder's empty nfguard/ parent.
 */
static int uninstall_global(const struct cli_opts *o)
{
	struct hooks_global rec = {0};
	struct buf dir, cfg;
	enum hooks_config_was was;
	char *cur = NULL, *slash;
	int rc = EXIT_ERROR, found, err;

	buf_init(&dir, 8192);
	buf_init(&cfg, 8192);
	if (global_dir(&dir, o) || hooks_global_read(dir.ptr, &rec, &found) ||
	    (found ? buf_puts(&cfg, rec.config) : global_config(&cfg)) ||
	    hooks_config_get(cfg.ptr, &cur, &was)) {
		cli_error("%s", error_last());
		goto done;
	}
	if (uninstall_in(dir.ptr))
		goto done;
	if (cur && names_dir(cur, dir.ptr)) {
		err = rec.previous
			      ? hooks_config_set(cfg.ptr, rec.previous, was)
			      : hooks_config_set(cfg.ptr, NULL,
						 found ? rec.was : was);
		if (err) {
			cli_error("%s", error_last());
			goto done;
		}
		if (rec.previous)
			printf("nfguard: core.hooksPath set back to '%s' in "
			       "'%s'\n",
			       rec.previous, cfg.ptr);
		else
			printf("nfguard: core.hooksPath unset in '%s'\n",
			       cfg.ptr);
	} else if (cur) {
		printf("nfguard: core.hooksPath is '%s' in '%s', not this "
		       "folder: left as it is\n",
		       cur, cfg.ptr);
	}
	if (hooks_global_remove(dir.ptr)) {
		cli_error("%s", error_last());
		goto done;
	}
	if (!o->hooks_dir && (slash = strrchr(dir.ptr, '/'))) {
		*slash = '\0';
		(void)rmdir(dir.ptr); /* only when empty; else it stays */
	}
	rc = 0;
done:
	free(cur);
	hooks_global_release(&rec);
	buf_release(&dir);
	buf_release(&cfg);
	return rc;
}

int cmd_uninstall_hooks(const struct command *self, int argc, char **argv)
{
	struct cli_opts o;
	char *dir = NULL;
	int first, rc;

	if ((rc = parse(self, argc, argv, &o, &first)) != CLI_CONTINUE)
		return rc;
	if (o.global) {
		rc = uninstall_global(&o);
	} else if (hooks_dir(&dir, first < argc ? argv[first] : NULL,
			     cli_take_git_env(), 0, NULL)) {
		cli_error("%s", error_last());
		rc = EXIT_ERROR;
	} else {
		rc = not_global(dir);
		if (!rc)
			rc = uninstall_in(dir);
		free(dir);
	}
	if (!rc && (fflush(stdout) || ferror(stdout)))
		rc = EXIT_ERROR;
	return rc;
}

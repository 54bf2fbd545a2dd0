/*
 * The config file (.nfguard.json) and suppression for a scan run: where
 * they are found, how they merge with the flags (flags win), and the
 * removal of suppressed findings before verification and the report.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "config/config.h"
#include "finding/suppress.h"
#include "cli/msgs.h"
#include "cli/run.h"

#include <inttypes.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#define IGNORE_FILE_NAME ".nfguardignore"

struct cli_settings {
	struct config config;
	struct suppress suppress;
	int active;   /* anything can suppress: counts go in the report */
	char *anchor; /* exclude_paths: the config's folder, real path */
};

void settings_free(struct cli_settings *s)
{
	if (!s)
		return;
	config_release(&s->config);
	suppress_release(&s->suppress);
	free(s->anchor);
	free(s);
}

/* The folder a scan's settings are looked up from: start, or its folder. */
static char *start_dir(const char *start)
{
	struct stat st;
	char *copy, *dir;

	if (!stat(start, &st) && S_ISDIR(st.st_mode))
		return strdup(start);
	if (!(copy = strdup(start)))
		return NULL;
	dir = strdup(dirname(copy));
	free(copy);
	return dir;
}

/*
 * The ignore file: the config's, else .nfguardignore in the config file's
 * folder, else in the start folder or a parent up to the repository root
 * (the same walk as for the config file).
 */
static int load_ignore(struct cli_settings *s, const char *dir)
{
	struct buf path;
	char *found = NULL;
	int err;

	if (s->config.has_ignore_file) {
		s->active = 1;
		return suppress_load_ignore(&s->suppress, s->config.ignore_file,
					    0);
	}
	buf_init(&path, 8192);
	if (s->config.path) {
		if ((err = buf_printf(&path, "%s/%s", s->config.dir,
				      IGNORE_FILE_NAME)))
			goto done;
	} else {
		if ((err = config_find_name(&found, dir, IGNORE_FILE_NAME)) ||
		    !found)
			goto done;
		if ((err = buf_puts(&path, found)))
			goto done;
	}
	if (!access(path.ptr, F_OK))
		s->active = 1;
	err = suppress_load_ignore(&s->suppress, path.ptr, 1);
done:
	free(found);
	buf_release(&path);
	return err;
}

/*
 * The config's decoders, when the flags chose none. A config file comes
 * with the code it sits in: turning a decoder off there hides what that
 * decoder would find, so it is said on every run.
 */
static void take_decode(struct cli_opts *o, const struct config *c)
{
	unsigned off = o->decode.enabled & ~c->decode, bit;
	struct buf msg;

	o->decode.enabled = c->decode;
	if (!off)
		return;
	buf_init(&msg, BUF_DEFAULT_MAX);
	buf_printf(&msg, "%s turns off decoding (", c->path);
	for (bit = 1; bit & DECODE_ALL; bit <<= 1)
		if (off & bit)
			buf_printf(&msg, "%s%s",
				   msg.ptr[msg.len - 1] == '(' ? "" : ",",
				   decoder_name(bit));
	buf_puts(&msg, "): tokens hidden that way are not looked for");
	cli_problem(o, PROBLEM_WARNING,
		    buf_failed(&msg) ? "the config file turns off decoding"
				     : msg.ptr);
	buf_release(&msg);
}

/*
 * What the config makes a folder walk leave out (its exclude_paths, and
 * its max_file_size when the flags set none), said once a run for the
 * reason take_decode says: nothing a file in the tree asks for passes
 * silently. The count in the report is not enough, a gate reads stderr.
 */
static void warn_walk_limits(struct cli_opts *o, const struct config *c)
{
	struct buf msg;
	size_t i;

	buf_init(&msg, BUF_DEFAULT_MAX);
	if (c->nexclude_paths) {
		buf_printf(&msg, "%s sets exclude_paths (", c->path);
		for (i = 0; i < c->nexclude_paths; i++)
			buf_printf(&msg, "%s'%s'", i ? ", " : "",
				   c->exclude_paths[i]);
		buf_puts(&msg, "): what they match is not scanned");
		cli_problem(o, PROBLEM_WARNING,
			    buf_failed(&msg) ? "the config file sets "
					       "exclude_paths: what they match "
					       "is not scanned"
					     : msg.ptr);
	}
	if ((o->from_config & SET_MAX_FILE_SIZE) && o->max_file_size) {
		buf_reset(&msg);
		buf_printf(&msg,
			   "%s sets max_file_size %" PRIu64
			   ": larger files are not scanned",
			   c->path, o->max_file_size);
		cli_problem(o, PROBLEM_WARNING,
			    buf_failed(&msg)
				    ? "the config file sets "
				      "max_file_size: larger files are "
				      "not scanned"
				    : msg.ptr);
	}
	buf_release(&msg);
}

/*
 * Takes what the flags left unset from the config file, noting which
 * values came from it: cli_check_opts judges them with the flags. walk:
 * the command walks folders (OPT_WALK), where exclude_paths and
 * max_file_size apply.
 */
static int merge(struct cli_opts *o, const struct config *c, int walk)
{
	o->config_path = c->path;
	if (c->has_format && !(o->set & SET_FORMAT)) {
		if (report_format_parse(c->format, &o->format))
			return error_set(NFG_EINVAL,
					 "%s: key 'format': unknown", c->path);
		o->from_config |= SET_FORMAT;
	}
	if (c->has_exit_code && !(o->set & SET_EXIT_CODE)) {
		o->exit_code = c->exit_code;
		o->from_config |= SET_EXIT_CODE;
	}
	if (c->has_jobs && !(o->set & SET_JOBS)) {
		o->jobs = c->jobs;
		o->from_config |= SET_JOBS;
	}
	if (c->has_skip_unreadable)
		o->skip_unreadable |= c->skip_unreadable;
	if (c->has_report_unused_ignores)
		o->report_unused_ignores |= c->report_unused_ignores;
	if (c->has_fail_on && !(o->set & SET_FAIL_ON)) {
		o->fail_on = c->fail_on == CONFIG_FAIL_ON_LIVE ? FAIL_ON_LIVE
							       : FAIL_ON_ANY;
		o->from_config |= SET_FAIL_ON;
	}
	if (c->has_baseline && !o->baseline)
		o->baseline = c->baseline;
	if (c->has_decode && !(o->set & SET_DECODE))
		take_decode(o, c);
	if (c->has_max_file_size && !(o->set & SET_MAX_FILE_SIZE)) {
		o->max_file_size = c->max_file_size;
		o->from_config |= SET_MAX_FILE_SIZE;
	}
	if (walk)
		warn_walk_limits(o, c);
	return 0;
}

int settings_load(struct scan_run *run, const char *start)
{
	struct cli_opts *o = &run->opts;
	struct cli_settings *s = calloc(1, sizeof(*s));
	char *dir = NULL, *found = NULL;
	struct stat st;
	size_t i;
	int err = 0, e;

	run->settings = s;
	if (!s || !(dir = start_dir(start))) {
		cli_error("out of memory");
		free(dir);
		return EXIT_ERROR;
	}
	config_init(&s->config);
	suppress_init(&s->suppress);
	/* Neither the target nor its folder: say so of what the user named. */
	if (stat(start, &st) && (e = errno, stat(dir, &st))) {
		cli_error("cannot open '%s': %s", start, strerror(e));
		free(dir);
		return EXIT_ERROR;
	}
	if (o->config)
		err = config_load(&s->config, o->config);
	else if (!o->no_config && !(err = config_find(&found, dir)) && found)
		err = config_load(&s->config, found);
	if (!err)
		err = merge(o, &s->config, !!(run->cmd->opts & OPT_WALK));
	/* Anchored as allow_paths are: at the config file's folder. */
	if (!err && s->config.nexclude_paths &&
	    !(s->anchor = realpath(s->config.dir, NULL)))
		err = error_set_errno(NFG_EIO, errno, "cannot open '%s'",
				      s->config.dir);
	for (i = 0; !err && i < s->config.nallow_paths; i++) {
		s->active = 1;
		err = suppress_add_allow_path(&s->suppress,
					      s->config.allow_paths[i]);
	}
	if (!err && !o->no_config)
		err = load_ignore(s, dir);
	if (!err && o->baseline) {
		s->active = 1;
		err = suppress_load_baseline(&s->suppress, o->baseline);
	}
	free(found);
	free(dir);
	if (err) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	return 0;
}

void settings_extra_rules(const struct scan_run *run, const char *const **files,
			  size_t *n)
{
	const struct cli_settings *s = run->settings;

	*files = s ? (const char *const *)s->config.rules : NULL;
	*n = s ? s->config.nrules : 0;
}

void settings_dir_excludes(const struct scan_run *run,
			   const char *const **globs, size_t *n,
			   const char **anchor)
{
	const struct cli_settings *s = run->settings;

	*globs = s && s->anchor ? (const char *const *)s->config.exclude_paths
				: NULL;
	*n = s && s->anchor ? s->config.nexclude_paths : 0;
	*anchor = s ? s->anchor : NULL;
}

static void print_unused(void *ctx, const char *origin, size_t line,
			 const char *fingerprint, const char *comment)
{
	(void)ctx;
	cli_error("warning: unused ignore %s:%zu %s%s%s", origin, line,
		  fingerprint, comment ? " # " : "", comment ? comment : "");
}

int settings_suppress(struct scan_run *run, struct findings *l, const char *dir,
		      const char *root)
{
	struct cli_settings *s = run->settings;
	struct suppress_counts c;
	int err = 0;

	if (!s)
		return 0;
	/*
	 * allow_paths are relative to the config file's folder; finding
	 * paths to the scanned folder or repository (root), else to here.
	 */
	if (s->config.nallow_paths)
		err = suppress_set_anchor(&s->suppress,
					  dir ? dir : s->config.dir, root);
	if (!err)
		err = suppress_apply(&s->suppress, l, &c);
	if (err) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	run->info.suppressed_ignored += c.ignored;
	run->info.suppressed_baseline += c.baselined;
	run->info.suppressed_paths += c.allowed_path;
	run->info.suppressed_inline += c.inline_allowed;
	return 0;
}

int settings_apply(struct scan_run *run)
{
	struct cli_settings *s = run->settings;

	if (!s)
		return 0;
	if (!run->parts_suppressed &&
	    settings_suppress(run, &run->findings, NULL, run->info.root))
		return EXIT_ERROR;
	run->info.has_suppressed =
		s->active || !run->opts.no_inline_allow || run->info.has_state;
	if (run->opts.report_unused_ignores)
		suppress_each_unused(&s->suppress, print_unused, NULL);
	return 0;
}

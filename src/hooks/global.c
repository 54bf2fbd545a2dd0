/*
 * The global hooks folder of install-hooks --global: core.hooksPath in
 * git's global config file pointed at it, and the record kept in it of
 * what that replaced, so that uninstall-hooks --global gives back the
 * config file and the previous core.hooksPath as they were.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "source/git/lib.h"
#include "source/git/open.h"
#include "hooks/install.h"

#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOOKS_KEY "core.hooksPath"

/* The largest config file or record read whole. */
#define TEXT_MAX ((size_t)16 << 20)

static const char *const was_names[] = {
	[HOOKS_CONFIG_ABSENT] = "absent",
	[HOOKS_CONFIG_NO_CORE] = "no-core",
	[HOOKS_CONFIG_CORE] = "core",
};

static int open_config(git_config **cfg, const char *path)
{
	int err;

	if ((err = gs_lib_init()))
		return err;
	if (git_config_open_ondisk(cfg, path))
		return error_set(NFG_EIO, "cannot read the git config '%s': %s",
				 path, gs_git_error());
	return 0;
}

/* 1 when the config holds a core.* entry, 0 if not, or an error. */
static int has_core(git_config *cfg, const char *path)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int rc;

	/* Not a glob iterator: libgit2 1.5 leaks its regex match data. */
	if (git_config_iterator_new(&it, cfg))
		return error_set(NFG_EIO, "cannot read the git config '%s': %s",
				 path, gs_git_error());
	do
		rc = git_config_next(&e, it);
	while (!rc && strncasecmp(e->name, "core.", 5));
	git_config_iterator_free(it);
	if (rc && rc != GIT_ITEROVER)
		return error_set(NFG_EIO, "cannot read the git config '%s': %s",
				 path, gs_git_error());
	return rc == 0;
}

int hooks_config_get(const char *path, char **value, enum hooks_config_was *was)
{
	git_config *cfg = NULL;
	git_buf val = GIT_BUF_INIT;
	int err, core;

	*value = NULL;
	*was = HOOKS_CONFIG_ABSENT;
	if (access(path, F_OK))
		return 0;
	if ((err = open_config(&cfg, path)))
		goto done;
	if ((core = has_core(cfg, path)) < 0) {
		err = core;
		goto done;
	}
	*was = core ? HOOKS_CONFIG_CORE : HOOKS_CONFIG_NO_CORE;
	err = git_config_get_string_buf(&val, cfg, HOOKS_KEY);
	if (err == GIT_ENOTFOUND)
		err = 0;
	else if (err)
		err = error_set(NFG_EIO, "cannot read %s in '%s': %s",
				HOOKS_KEY, path, gs_git_error());
	else if (!(*value = strdup(val.ptr)))
		err = error_nomem();
done:
	git_buf_dispose(&val);
	git_config_free(cfg);
	return err;
}

size_t hooks_config_drop_empty_core(char *text, size_t len)
{
	static const char head[] = "[core]\n";
	char *at = text, *end = text + len, *p;

	while ((at = memmem(at, (size_t)(end - at), head, sizeof(head) - 1))) {
		if (at != text && at[-1] != '\n') {
			at++;
			continue;
		}
		p = at + sizeof(head) - 1;
		while (p < end && (*p == '\n' || *p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p == '[') {
			/* The blank lines after it belong to the next. */
			memmove(at, at + sizeof(head) - 1,
				(size_t)(end - at) - (sizeof(head) - 1));
			return len - (sizeof(head) - 1);
		}
		at++;
	}
	return len;
}

/* After core.hooksPath is unset: the file as it was before it was set. */
static int restore_shape(const char *path, enum hooks_config_was was)
{
	git_config *cfg = NULL;
	struct stat st;
	struct buf text;
	int err, core;

	buf_init(&text, TEXT_MAX);
	if ((err = open_config(&cfg, path)))
		goto done;
	if ((core = has_core(cfg, path)) != 0) {
		err = core < 0 ? core : 0;
		goto done;
	}
	if (stat(path, &st)) {
		err = error_set_errno(NFG_EIO, errno, "cannot read '%s'", path);
		goto done;
	}
	if ((err = file_read_all(&text, path, NULL)))
		goto done;
	if (text.len) {
		text.len = hooks_config_drop_empty_core(text.ptr, text.len);
		text.ptr[text.len] = '\0';
	}
	if (was == HOOKS_CONFIG_ABSENT && text.len == 0) {
		if (unlink(path))
			err = error_set_errno(NFG_EIO, errno,
					      "cannot remove '%s'", path);
		goto done;
	}
	err = hooks_write_file(path, text.ptr, text.len, st.st_mode & 07777);
done:
	git_config_free(cfg);
	buf_release(&text);
	return err;
}

int hooks_config_set(const char *path, const char *value,
		     enum hooks_config_was was)
{
	git_config *cfg = NULL;
	int err = 0, rc;

	if ((err = open_config(&cfg, path)))
		goto done;
	if (value)
		rc = git_config_set_string(cfg, HOOKS_KEY, value);
	else
		rc = git_config_delete_entry(cfg, HOOKS_KEY);
	if (rc) {
		err = error_set(NFG_EIO, "cannot %s %s in '%s': %s",
				value ? "set" : "unset", HOOKS_KEY, path,
				gs_git_error());
		goto done;
	}
	if (!value && was != HOOKS_CONFIG_CORE)
		err = restore_shape(path, was);
done:
	git_config_free(cfg);
	return err;
}

int hooks_make_dir(const char *dir)
{
	struct buf b;
	char *p, c;
	int err;

	buf_init(&b, 8192);
	if ((err = buf_puts(&b, dir)))
		goto done;
	for (p = b.ptr + 1;; p++) {
		if (*p && *p != '/')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(b.ptr, 0777) && errno != EEXIST) {
			err = error_set_errno(NFG_EIO, errno,
					      "cannot create '%s'", b.ptr);
			goto done;
		}
		if (!c)
			break;
		*p = c;
	}
done:
	buf_release(&b);
	return err;
}

static int record_path(struct buf *b, const char *dir)
{
	return buf_printf(b, "%s/" HOOKS_GLOBAL_RECORD, dir);
}

int hooks_global_write(const char *dir, const struct hooks_global *g)
{
	struct buf path, text;
	int err;

	buf_init(&path, 8192);
	buf_init(&text, 3 * 8192);
	if (strchr(g->config, '\n') ||
	    (g->previous && strchr(g->previous, '\n'))) {
		err = error_set(NFG_EINVAL, "a path with a newline: refused");
		goto done;
	}
	if ((err = record_path(&path, dir)) ||
	    (err = buf_printf(&text,
			      "# nfguard install-hooks --global: git config "
			      "'%s' points core.hooksPath here;\n"
			      "# nfguard uninstall-hooks --global reads this "
			      "to undo it.\nconfig=%s\nwas=%s\n",
			      g->config, g->config, was_names[g->was])) ||
	    (g->previous &&
	     (err = buf_printf(&text, "previous=%s\n", g->previous))))
		goto done;
	err = hooks_write_file(path.ptr, text.ptr, text.len, 0644);
done:
	buf_release(&path);
	buf_release(&text);
	return err;
}

/* Sets *out to a copy of the value of line "key=value", if it is one. */
static int take_value(char **out, const char *line, size_t len, const char *key)
{
	size_t n = strlen(key);

	if (len <= n || memcmp(line, key, n) || line[n] != '=')
		return 0;
	free(*out);
	*out = strndup(line + n + 1, len - n - 1);
	return *out ? 0 : error_nomem();
}

int hooks_global_parse(struct hooks_global *g, const char *text, size_t len)
{
	const char *line = text, *end = text + len, *nl;
	char *was = NULL;
	int err = 0;
	size_t i = 0;

	memset(g, 0, sizeof(*g));
	if (memchr(text, '\0', len))
		err = NFG_EINVAL;
	for (; !err && (nl = memchr(line, '\n', (size_t)(end - line)));
	     line = nl + 1) {
		size_t n = (size_t)(nl - line);

		if (!(err = take_value(&g->config, line, n, "config")) &&
		    !(err = take_value(&was, line, n, "was")))
			err = take_value(&g->previous, line, n, "previous");
	}
	while (!err && was && i < ARRAY_SIZE(was_names) &&
	       strcmp(was, was_names[i]))
		i++;
	if (!err && (!g->config || !was || i == ARRAY_SIZE(was_names)))
		err = NFG_EINVAL;
	if (err == NFG_EINVAL)
		err = error_set(NFG_EINVAL, "not nfguard's record");
	if (err)
		hooks_global_release(g);
	else
		g->was = (enum hooks_config_was)i;
	free(was);
	return err;
}

int hooks_global_read(const char *dir, struct hooks_global *g, int *found)
{
	struct buf path, text;
	int err, missing = 0;

	memset(g, 0, sizeof(*g));
	*found = 0;
	buf_init(&path, 8192);
	buf_init(&text, TEXT_MAX);
	if ((err = record_path(&path, dir)) ||
	    (err = file_read_all(&text, path.ptr, &missing)) || missing)
		goto done;
	if (hooks_global_parse(g, text.ptr, text.len))
		err = error_set(NFG_EINVAL, "'%s' is not nfguard's record",
				path.ptr);
	else
		*found = 1;
done:
	buf_release(&path);
	buf_release(&text);
	return err;
}

void hooks_global_release(struct hooks_global *g)
{
	if (!g)
		return;
	free(g->config);
	free(g->previous);
	memset(g, 0, sizeof(*g));
}

int hooks_global_remove(const char *dir)
{
	struct buf path;
	int err;

	buf_init(&path, 8192);
	if ((err = record_path(&path, dir)))
		goto done;
	if (unlink(path.ptr) && errno != ENOENT)
		err = error_set_errno(NFG_EIO, errno, "cannot remove '%s'",
				      path.ptr);
	else if (rmdir(dir) && errno != ENOTEMPTY && errno != EEXIST &&
		 errno != ENOENT)
		err = error_set_errno(NFG_EIO, errno, "cannot remove '%s'",
				      dir);
done:
	buf_release(&path);
	return err;
}

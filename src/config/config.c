/*
 * Reading .nfguard.json with cJSON: one table of known keys, each value
 * checked for type and range, paths made usable by joining them with the
 * config file's folder, and the upward search that finds the file.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/glob.h"
#include "util/parse.h"
#include "config/config.h"
#include "decode/decode.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <sys/stat.h>

#define CONFIG_MAX ((size_t)1 << 20)

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->exit_code = 1;
	c->fail_on = CONFIG_FAIL_ON_ANY;
}

void config_release(struct config *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->dir);
	strv_free(c->rules, c->nrules);
	strv_free(c->allow_paths, c->nallow_paths);
	strv_free(c->exclude_paths, c->nexclude_paths);
	free(c->baseline);
	free(c->ignore_file);
	config_init(c);
}

static int bad_key(const char *path, const char *key, const char *why)
{
	return error_set(NFG_EINVAL, "%s: key '%s': %s", path, key, why);
}

/*
 * bad_key with the last error as the reason: copied first, as setting the
 * error reuses the buffer error_last points into.
 */
static int bad_key_last(const char *path, const char *key)
{
	char why[512];

	snprintf(why, sizeof(why), "%s", error_last());
	return bad_key(path, key, why);
}

/* A path from the file, relative to the file's folder: a new string. */
static char *resolve(const struct config *c, const char *p)
{
	struct buf b;
	size_t n = strlen(c->dir);

	if (p[0] == '/' || !strcmp(c->dir, "."))
		return strdup(p);
	buf_init(&b, BUF_DEFAULT_MAX);
	if (buf_puts(&b, c->dir) ||
	    (c->dir[n - 1] != '/' && buf_putc(&b, '/')) || buf_puts(&b, p)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static int get_int(int *out, const cJSON *it, int min, int max,
		   const char *path)
{
	char why[64];

	if (!cJSON_IsNumber(it) || it->valuedouble < min ||
	    it->valuedouble > max ||
	    it->valuedouble != (double)(int)it->valuedouble) {
		snprintf(why, sizeof(why), "must be an integer from %d to %d",
			 min, max);
		return bad_key(path, it->string, why);
	}
	*out = (int)it->valuedouble;
	return 0;
}

/* Any integer an int holds; the caller checks the range (exit_code). */
static int get_whole(int *out, const cJSON *it, const char *path)
{
	if (!cJSON_IsNumber(it) || !(it->valuedouble >= INT_MIN) ||
	    !(it->valuedouble <= INT_MAX) ||
	    it->valuedouble != (double)(int)it->valuedouble)
		return bad_key(path, it->string, "must be an integer");
	*out = (int)it->valuedouble;
	return 0;
}

/* A size as --max-file-size takes it ("10M"), or a whole number of bytes. */
static int get_size(uint64_t *out, const cJSON *it, const char *path)
{
	if (cJSON_IsString(it) && it->valuestring)
		return parse_size(it->valuestring, out)
			       ? bad_key_last(path, it->string)
			       : 0;
	/* Whole numbers beyond 2^53 are not exact in JSON's doubles. */
	if (!cJSON_IsNumber(it) || !(it->valuedouble >= 0) ||
	    !(it->valuedouble <= 9007199254740992.0) ||
	    it->valuedouble != (double)(uint64_t)it->valuedouble)
		return bad_key(path, it->string,
			       "must be a size such as \"10M\" or a whole "
			       "number of bytes");
	*out = (uint64_t)it->valuedouble;
	return 0;
}

static int get_bool(int *out, const cJSON *it, const char *path)
{
	if (!cJSON_IsBool(it))
		return bad_key(path, it->string, "must be true or false");
	*out = cJSON_IsTrue(it);
	return 0;
}

static int get_path(char **out, const struct config *c, const cJSON *it,
		    const char *path)
{
	if (!cJSON_IsString(it) || !it->valuestring || !*it->valuestring)
		return bad_key(path, it->string, "must be a non-empty string");
	*out = resolve(c, it->valuestring);
	return *out ? 0 : error_nomem();
}

/*
 * An array of non-empty strings: paths (resolved) or globs (checked and
 * kept as written).
 */
static int get_list(char ***out, size_t *n, const struct config *c,
		    const cJSON *it, int globs, const char *path)
{
	const cJSON *e;
	const char *why;
	char msg[512];

	if (!cJSON_IsArray(it))
		return bad_key(path, it->string,
			       "must be an array of non-empty strings");
	*out = calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof(char *));
	if (!*out)
		return error_nomem();
	cJSON_ArrayForEach(e, it)
	{
		if (!cJSON_IsString(e) || !e->valuestring || !*e->valuestring)
			return bad_key(path, it->string,
				       "must be an array of non-empty strings");
		if (globs && glob_check(e->valuestring, &why)) {
			snprintf(msg, sizeof(msg), "bad glob '%s': %s",
				 e->valuestring, why);
			return bad_key(path, it->string, msg);
		}
		(*out)[*n] = globs ? strdup(e->valuestring)
				   : resolve(c, e->valuestring);
		if (!(*out)[*n])
			return error_nomem();
		(*n)++;
	}
	return 0;
}

static int get_format(struct config *c, const cJSON *it, const char *path)
{
	static const char why[] = "must be \"human\", \"json\", \"jsonl\" or "
				  "\"sarif\"";

	static const char *const names[] = {"human", "json", "jsonl", "sarif"};
	size_t i;

	for (i = 0; cJSON_IsString(it) && it->valuestring && i < 4; i++)
		if (!strcmp(it->valuestring, names[i])) {
			c->format = names[i];
			return 0;
		}
	return bad_key(path, it->string, why);
}

static int get_fail_on(struct config *c, const cJSON *it, const char *path)
{
	if (cJSON_IsString(it) && it->valuestring &&
	    !strcmp(it->valuestring, "live"))
		c->fail_on = CONFIG_FAIL_ON_LIVE;
	else if (cJSON_IsString(it) && it->valuestring &&
		 !strcmp(it->valuestring, "any"))
		c->fail_on = CONFIG_FAIL_ON_ANY;
	else
		return bad_key(path, it->string, "must be \"live\" or \"any\"");
	return 0;
}

/* A --decode list: "all", "none" or names joined by commas. */
static int get_decode(struct config *c, const cJSON *it, const char *path)
{
	if (!cJSON_IsString(it) || !it->valuestring)
		return bad_key(path, it->string,
			       "must be a string such as \"all\" or "
			       "\"base64,gzip\"");
	if (decode_parse_list(it->valuestring, &c->decode))
		return bad_key_last(path, it->string);
	return 0;
}

enum key {
	KEY_RULES,
	KEY_ALLOW_PATHS,
	KEY_EXIT_CODE,
	KEY_FORMAT,
	KEY_BASELINE,
	KEY_IGNORE_FILE,
	KEY_FAIL_ON,
	KEY_SKIP_UNREADABLE,
	KEY_JOBS,
	KEY_REPORT_UNUSED_IGNORES,
	KEY_DECODE,
	KEY_EXCLUDE_PATHS,
	KEY_MAX_FILE_SIZE
};

static const char *const key_names[] = {
	[KEY_RULES] = "rules",
	[KEY_ALLOW_PATHS] = "allow_paths",
	[KEY_EXIT_CODE] = "exit_code",
	[KEY_FORMAT] = "format",
	[KEY_BASELINE] = "baseline",
	[KEY_IGNORE_FILE] = "ignore_file",
	[KEY_FAIL_ON] = "fail_on",
	[KEY_SKIP_UNREADABLE] = "skip_unreadable",
	[KEY_JOBS] = "jobs",
	[KEY_REPORT_UNUSED_IGNORES] = "report_unused_ignores",
	[KEY_DECODE] = "decode",
	[KEY_EXCLUDE_PATHS] = "exclude_paths",
	[KEY_MAX_FILE_SIZE] = "max_file_size",
};

const char *const *config_keys(size_t *n)
{
	*n = ARRAY_SIZE(key_names);
	return key_names;
}

static int *has_flag(struct config *c, enum key k)
{
	switch (k) {
	case KEY_RULES:
		return &c->has_rules;
	case KEY_ALLOW_PATHS:
		return &c->has_allow_paths;
	case KEY_EXIT_CODE:
		return &c->has_exit_code;
	case KEY_FORMAT:
		return &c->has_format;
	case KEY_BASELINE:
		return &c->has_baseline;
	case KEY_IGNORE_FILE:
		return &c->has_ignore_file;
	case KEY_FAIL_ON:
		return &c->has_fail_on;
	case KEY_SKIP_UNREADABLE:
		return &c->has_skip_unreadable;
	case KEY_JOBS:
		return &c->has_jobs;
	case KEY_DECODE:
		return &c->has_decode;
	case KEY_EXCLUDE_PATHS:
		return &c->has_exclude_paths;
	case KEY_MAX_FILE_SIZE:
		return &c->has_max_file_size;
	default:
		return &c->has_report_unused_ignores;
	}
}

static int set_key(struct config *c, enum key k, const cJSON *it,
		   const char *path)
{
	int jobs = 0, err;

	switch (k) {
	case KEY_RULES:
		return get_list(&c->rules, &c->nrules, c, it, 0, path);
	case KEY_ALLOW_PATHS:
		return get_list(&c->allow_paths, &c->nallow_paths, c, it, 1,
				path);
	case KEY_EXIT_CODE:
		/* Its range is checked with the flags' (cli_check_opts). */
		return get_whole(&c->exit_code, it, path);
	case KEY_FORMAT:
		return get_format(c, it, path);
	case KEY_BASELINE:
		return get_path(&c->baseline, c, it, path);
	case KEY_IGNORE_FILE:
		return get_path(&c->ignore_file, c, it, path);
	case KEY_FAIL_ON:
		return get_fail_on(c, it, path);
	case KEY_SKIP_UNREADABLE:
		return get_bool(&c->skip_unreadable, it, path);
	case KEY_JOBS:
		if ((err = get_int(&jobs, it, 1, 256, path)))
			return err;
		c->jobs = (unsigned)jobs;
		return 0;
	case KEY_DECODE:
		return get_decode(c, it, path);
	case KEY_EXCLUDE_PATHS:
		return get_list(&c->exclude_paths, &c->nexclude_paths, c, it, 1,
				path);
	case KEY_MAX_FILE_SIZE:
		return get_size(&c->max_file_size, it, path);
	default:
		return get_bool(&c->report_unused_ignores, it, path);
	}
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

cJSON *config_json_parse(const char *text, size_t len, const char *origin)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);

	if (root && end)
		while (end < text + len && (*end == ' ' || *end == '\t' ||
					    *end == '\r' || *end == '\n'))
			end++;
	if (root && end == text + len)
		return root;
	cJSON_Delete(root);
	error_set(NFG_EINVAL, "%s: malformed JSON near line %zu", origin,
		  str_line_of(text, len, end));
	return NULL;
}

static int parse(struct config *c, const char *text, size_t len,
		 const char *path)
{
	const cJSON *it;
	cJSON *root;
	size_t k;
	int err = 0;

	if (memchr(text, '\0', len))
		return error_set(NFG_EINVAL, "%s: NUL byte in the file", path);
	if (!(root = config_json_parse(text, len, path)))
		return NFG_EINVAL;
	if (!cJSON_IsObject(root)) {
		err = error_set(NFG_EINVAL,
				"%s: the file must hold a JSON object", path);
		goto done;
	}
	cJSON_ArrayForEach(it, root)
	{
		for (k = 0; k < ARRAY_SIZE(key_names); k++)
			if (!strcmp(it->string, key_names[k]))
				break;
		if (k == ARRAY_SIZE(key_names)) {
			err = error_set(NFG_EINVAL, "%s: unknown key '%s'",
					path, it->string);
			goto done;
		}
		if (*has_flag(c, (enum key)k)) {
			err = bad_key(path, it->string, "given twice");
			goto done;
		}
		if ((err = set_key(c, (enum key)k, it, path)))
			goto done;
		*has_flag(c, (enum key)k) = 1;
	}
done:
	cJSON_Delete(root);
	return err;
}

int config_parse(struct config *c, const char *text, size_t len,
		 const char *path)
{
	int err;

	config_init(c);
	c->path = strdup(path);
	c->dir = dir_of(path);
	if (!c->path || !c->dir)
		err = error_nomem();
	else
		err = parse(c, text, len, path);
	if (err)
		config_release(c);
	return err;
}

int config_load(struct config *c, const char *path)
{
	struct buf b;
	int err;

	config_init(c);
	buf_init(&b, CONFIG_MAX);
	if (!(err = file_read_all(&b, path, NULL)))
		err = config_parse(c, b.ptr, b.len, path);
	buf_release(&b);
	return err;
}

/* 1 when path exists, 0 when it does not, or an error. */
static int exists(const char *path)
{
	struct stat st;

	if (!lstat(path, &st))
		return 1;
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	return error_set_errno(NFG_EIO, errno, "cannot access '%s'", path);
}

int config_find(char **out_path, const char *start_dir)
{
	return config_find_name(out_path, start_dir, CONFIG_FILE_NAME);
}

/* Cuts the last component off an absolute path ("/a/b" -> "/a"). */
static void parent_dir(char *dir)
{
	char *slash = strrchr(dir, '/');

	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
}

/*
 * 1 when dir is inside a git repository (it or a parent has .git), 0 when
 * not, <0 on error. Only then may settings come from a parent folder:
 * outside a repository, a file in /tmp or $HOME planted by someone else
 * must not silence a scan.
 */
static int in_repository(const char *start)
{
	char *dir = strdup(start);
	struct buf cand;
	int found = 0;

	if (!dir)
		return error_nomem();
	buf_init(&cand, BUF_DEFAULT_MAX);
	for (;;) {
		int root = !strcmp(dir, "/");

		buf_reset(&cand);
		if ((found = buf_printf(&cand, "%s/.git", root ? "" : dir)) ||
		    (found = exists(cand.ptr)) || root)
			break;
		parent_dir(dir);
	}
	free(dir);
	buf_release(&cand);
	return found;
}

int config_find_name(char **out_path, const char *start_dir, const char *name)
{
	struct buf cand;
	char *dir = NULL;
	int err = 0, found, repo;

	*out_path = NULL;
	buf_init(&cand, BUF_DEFAULT_MAX);
	if (!(dir = realpath(start_dir, NULL))) {
		err = error_set_errno(errno == ENOMEM ? NFG_ENOMEM : NFG_EIO,
				      errno, "cannot open '%s'", start_dir);
		goto done;
	}
	if ((repo = in_repository(dir)) < 0) {
		err = repo;
		goto done;
	}
	for (;;) {
		int root = !strcmp(dir, "/");

		buf_reset(&cand);
		if ((err = buf_printf(&cand, "%s/%s", root ? "" : dir, name)))
			goto done;
		if ((found = exists(cand.ptr)) < 0) {
			err = found;
			goto done;
		}
		if (found) {
			*out_path = buf_detach(&cand, NULL);
			err = *out_path ? 0 : error_nomem();
			goto done;
		}
		buf_reset(&cand);
		if ((err = buf_printf(&cand, "%s/.git", root ? "" : dir)))
			goto done;
		/* a repository root ends the search, as for .gitignore */
		if ((found = exists(cand.ptr)) != 0 || root || !repo) {
			err = found < 0 ? found : 0;
			goto done;
		}
		parent_dir(dir);
	}
done:
	free(dir);
	buf_release(&cand);
	return err;
}

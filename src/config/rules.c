/*
 * Reading rule files with cJSON: strict field-by-field validation (unknown
 * keys are errors, so a typo never silently disables a check), folders of
 * rule files, the built-in rules, and the examples self-test.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "config/config.h"
#include "config/rules.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <sys/random.h>
#include <sys/stat.h>

extern const char default_rules_json[];
extern const size_t default_rules_json_len;

/* Rule files larger than this are refused. */
#define RULE_FILE_MAX ((size_t)16 << 20)

void rule_specs_release(struct rule_specs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		rule_spec_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Context for messages: which file and which rule. */
struct where {
	const char *origin;
	const char *id;
};

static int bad_field(const struct where *w, const char *field, const char *why)
{
	if (w->id)
		return error_set(NFG_EINVAL, "%s: rule '%s': field '%s': %s",
				 w->origin, w->id, field, why);
	return error_set(NFG_EINVAL, "%s: field '%s': %s", w->origin, field,
			 why);
}

static int get_string(char **out, const cJSON *obj, const char *key,
		      int required, const struct where *w)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!it)
		return required ? bad_field(w, key, "missing") : 0;
	if (!cJSON_IsString(it) || !it->valuestring)
		return bad_field(w, key, "must be a string");
	if (required && !*it->valuestring)
		return bad_field(w, key, "must not be empty");
	*out = strdup(it->valuestring);
	return *out ? 0 : error_nomem();
}

static int get_strv(char ***out, size_t *n, const cJSON *obj, const char *key,
		    const char *field, const struct where *w)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key), *e;
	size_t i = 0;

	*out = NULL;
	*n = 0;
	if (!it)
		return 0;
	if (!cJSON_IsArray(it))
		return bad_field(w, field, "must be an array of strings");
	*out = calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof(char *));
	if (!*out)
		return error_nomem();
	cJSON_ArrayForEach(e, it)
	{
		if (!cJSON_IsString(e) || !e->valuestring)
			return bad_field(w, field,
					 "must be an array of strings");
		(*out)[i] = strdup(e->valuestring);
		if (!(*out)[i])
			return error_nomem();
		*n = ++i;
	}
	return 0;
}

static int get_size(size_t *out, const cJSON *obj, const char *key, size_t dflt,
		    const struct where *w)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = dflt;
	if (!it)
		return 0;
	if (!cJSON_IsNumber(it) || it->valuedouble < 0 ||
	    it->valuedouble > 1e9 ||
	    it->valuedouble != (double)(size_t)it->valuedouble)
		return bad_field(w, key, "must be a whole number >= 0");
	*out = (size_t)it->valuedouble;
	return 0;
}

static int get_json(char **out, const cJSON *obj, const char *key,
		    const struct where *w)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!it)
		return 0;
	if (!cJSON_IsObject(it))
		return bad_field(w, key, "must be an object");
	*out = cJSON_PrintUnformatted(it);
	return *out ? 0 : error_nomem();
}

/* Fails on any key of obj not in the NULL-terminated list. */
static int check_keys(const cJSON *obj, const char *const *keys,
		      const char *prefix, const struct where *w)
{
	const cJSON *it;
	char field[128];

	cJSON_ArrayForEach(it, obj)
	{
		size_t i;
		int known = 0;

		for (i = 0; keys[i]; i++)
			if (!strcmp(it->string, keys[i]))
				known = 1;
		if (!known) {
			snprintf(field, sizeof(field), "%s%s", prefix,
				 it->string);
			return bad_field(w, field, "unknown field");
		}
	}
	return 0;
}

static const char *const rule_keys[] = {
	"id",	       "description", "severity",    "keywords",  "pattern",
	"min_length",  "max_length",  "min_entropy", "stopwords", "allow",
	"remediation", "examples",    "verify",	     "revoke",	  NULL};
static const char *const allow_keys[] = {"paths", "values", NULL};
static const char *const example_keys[] = {"match", "no_match", NULL};
static const char *const severities[] = {"critical", "high", "medium", "low",
					 NULL};

static int parse_rule(struct rule_spec *r, const cJSON *obj, const char *origin)
{
	struct where w = {origin, NULL};
	const cJSON *allow, *ex, *ent;
	int err, ok = 0;
	size_t i;

	if (!cJSON_IsObject(obj))
		return bad_field(&w, "rules", "each rule must be an object");
	if ((err = get_string(&r->id, obj, "id", 1, &w)))
		return err;
	w.id = r->id;
	if ((err = check_keys(obj, rule_keys, "", &w)) ||
	    (err = get_string(&r->description, obj, "description", 1, &w)) ||
	    (err = get_string(&r->severity, obj, "severity", 1, &w)) ||
	    (err = get_string(&r->pattern, obj, "pattern", 1, &w)) ||
	    (err = get_string(&r->remediation, obj, "remediation", 0, &w)) ||
	    (err = get_strv(&r->keywords, &r->nkeywords, obj, "keywords",
			    "keywords", &w)) ||
	    (err = get_strv(&r->stopwords, &r->nstopwords, obj, "stopwords",
			    "stopwords", &w)) ||
	    (err = get_size(&r->min_length, obj, "min_length", 1, &w)) ||
	    (err = get_size(&r->max_length, obj, "max_length", 256, &w)) ||
	    (err = get_json(&r->verify_json, obj, "verify", &w)) ||
	    (err = get_json(&r->revoke_json, obj, "revoke", &w)))
		return err;
	for (i = 0; severities[i]; i++)
		ok |= !strcmp(r->severity, severities[i]);
	if (!ok)
		return bad_field(&w, "severity",
				 "must be critical, high, medium or low");
	if (!r->nkeywords)
		return bad_field(&w, "keywords", "at least one is needed");
	ent = cJSON_GetObjectItemCaseSensitive(obj, "min_entropy");
	if (ent) {
		if (!cJSON_IsNumber(ent) || ent->valuedouble < 0 ||
		    ent->valuedouble > 8)
			return bad_field(&w, "min_entropy",
					 "must be a number from 0 to 8");
		r->min_entropy = ent->valuedouble;
	}
	allow = cJSON_GetObjectItemCaseSensitive(obj, "allow");
	if (allow) {
		if (!cJSON_IsObject(allow))
			return bad_field(&w, "allow", "must be an object");
		if ((err = check_keys(allow, allow_keys, "allow.", &w)) ||
		    (err = get_strv(&r->allow_paths, &r->nallow_paths, allow,
				    "paths", "allow.paths", &w)) ||
		    (err = get_strv(&r->allow_values, &r->nallow_values, allow,
				    "values", "allow.values", &w)))
			return err;
	}
	ex = cJSON_GetObjectItemCaseSensitive(obj, "examples");
	if (ex) {
		if (!cJSON_IsObject(ex))
			return bad_field(&w, "examples", "must be an object");
		if ((err = check_keys(ex, example_keys, "examples.", &w)) ||
		    (err = get_strv(&r->match_examples, &r->nmatch_examples, ex,
				    "match", "examples.match", &w)) ||
		    (err = get_strv(&r->nomatch_examples, &r->nnomatch_examples,
				    ex, "no_match", "examples.no_match", &w)))
			return err;
	}
	r->origin = strdup(origin);
	return r->origin ? 0 : error_nomem();
}

int rules_parse(struct rule_specs *out, const char *text, size_t len,
		const char *origin)
{
	static const char *const top_keys[] = {"version", "rules", NULL};
	struct where w = {origin, NULL};
	const cJSON *rules, *ver, *it;
	struct rule_spec *v;
	cJSON *root;
	size_t n;
	int err = 0;

	if (!(root = config_json_parse(text, len, origin)))
		return NFG_EINVAL;
	if (!cJSON_IsObject(root)) {
		err = bad_field(&w, "rules", "the file must hold an object");
		goto done;
	}
	if ((err = check_keys(root, top_keys, "", &w)))
		goto done;
	ver = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (ver && (!cJSON_IsNumber(ver) || ver->valuedouble != 1)) {
		err = bad_field(&w, "version", "only version 1 is known");
		goto done;
	}
	rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
	if (!cJSON_IsArray(rules) || !cJSON_GetArraySize(rules)) {
		err = bad_field(&w, "rules", "must be a non-empty array");
		goto done;
	}
	n = (size_t)cJSON_GetArraySize(rules);
	v = realloc(out->v, (out->n + n) * sizeof(*v));
	if (!v) {
		err = error_nomem();
		goto done;
	}
	out->v = v;
	cJSON_ArrayForEach(it, rules)
	{
		memset(&out->v[out->n], 0, sizeof(out->v[0]));
		err = parse_rule(&out->v[out->n], it, origin);
		out->n++;
		if (err)
			goto done;
	}
done:
	cJSON_Delete(root);
	return err;
}

static int load_file(struct rule_specs *out, const char *path)
{
	struct buf b;
	int err;

	buf_init(&b, RULE_FILE_MAX);
	if (!(err = file_read_all(&b, path, NULL)))
		err = rules_parse(out, b.ptr, b.len, path);
	buf_release(&b);
	return err;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_json_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".json");
}

static int load_dir(struct rule_specs *out, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct buf full;
	int err = 0;

	if (!d)
		return error_set_errno(NFG_EIO, errno, "cannot open '%s'",
				       path);
	while ((e = readdir(d)))
		if (is_json_name(e->d_name)) {
			if ((err = ARRAY_GROW(names, n, cap)))
				break;
			if (!(names[n] = strdup(e->d_name))) {
				err = error_nomem();
				break;
			}
			n++;
		}
	closedir(d);
	if (!err && !n)
		err = error_set(NFG_EINVAL, "%s: no rule files (*.json) here",
				path);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	buf_init(&full, 4096);
	for (i = 0; !err && i < n; i++) {
		buf_reset(&full);
		if (!(err = buf_printf(&full, "%s/%s", path, names[i])))
			err = load_file(out, full.ptr);
	}
	buf_release(&full);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

int rules_load_path(struct rule_specs *out, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return error_set_errno(NFG_EIO, errno, "cannot open '%s'",
				       path);
	return S_ISDIR(st.st_mode) ? load_dir(out, path) : load_file(out, path);
}

int rules_load_default(struct rule_specs *out)
{
	return rules_parse(out, default_rules_json, default_rules_json_len,
			   "built-in rules");
}

int rules_open_extra(struct ruleset **out, const char *path,
		     const char *const *extra, size_t nextra)
{
	struct rule_specs specs = {NULL, 0};
	size_t i;
	int err;

	*out = NULL;
	err = path ? rules_load_path(&specs, path) : rules_load_default(&specs);
	for (i = 0; !err && i < nextra; i++)
		err = rules_load_path(&specs, extra[i]);
	if (!err)
		err = ruleset_new(out, specs.v, specs.n);
	rule_specs_release(&specs);
	return err;
}

int rules_open(struct ruleset **out, const char *path)
{
	return rules_open_extra(out, path, NULL, 0);
}

/*
 * Expands {{random:N}} into N random base62 characters. The result is a
 * token, so the buffer is a wiping one.
 */
static int expand_example(struct buf *out, const char *ex)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz0123456789";
	const char *p = ex;
	int err;

	while (*p) {
		const char *open = strstr(p, "{{random:");
		const char *close;
		unsigned char rnd[64];
		size_t n = 0, i;

		if (!open)
			return buf_puts(out, p);
		if ((err = buf_add(out, p, (size_t)(open - p))))
			return err;
		close = strstr(open, "}}");
		for (p = open + 9; close && p < close; p++) {
			if (*p < '0' || *p > '9' || n > 100000)
				return error_set(NFG_EINVAL,
						 "bad {{random:N}} in example");
			n = n * 10 + (size_t)(*p - '0');
		}
		if (!close || !n)
			return error_set(NFG_EINVAL,
					 "bad {{random:N}} in example");
		while (n) {
			size_t k = n < sizeof(rnd) ? n : sizeof(rnd);

			if (getrandom(rnd, k, 0) != (ssize_t)k)
				return error_set(NFG_ERR,
						 "no random bytes available");
			for (i = 0; i < k; i++)
				if ((err = buf_putc(out,
						    alphabet[rnd[i] % 62])))
					return err;
			n -= k;
		}
		p = close + 2;
	}
	return 0;
}

struct count_ctx {
	size_t rule;
	size_t hits; /* hits of that rule */
};

static int count_hit(void *ctx, const struct hit *h)
{
	struct count_ctx *c = ctx;

	c->hits += h->rule == c->rule && !h->allowed;
	return 0;
}

static int run_example(struct scanner *sc, const struct rule_spec *spec,
		       size_t ri, const char *ex, size_t want, const char *kind,
		       size_t num)
{
	struct count_ctx c = {ri, 0};
	struct buf b;
	int err;

	buf_init(&b, BUF_DEFAULT_MAX);
	b.wipe = 1;
	err = expand_example(&b, ex);
	if (!err)
		err = scanner_scan_mem(sc, NULL, b.ptr, b.len, count_hit, &c);
	buf_release(&b);
	if (err) {
		char why[512];

		snprintf(why, sizeof(why), "%s", error_last());
		return error_set(err, "%s: rule '%s': %s example %zu: %s",
				 spec->origin, spec->id, kind, num, why);
	}
	if (c.hits != want)
		return error_set(NFG_EINVAL,
				 "%s: rule '%s': %s example %zu gave %zu "
				 "findings, expected %zu",
				 spec->origin, spec->id, kind, num, c.hits,
				 want);
	return 0;
}

/* Counts a failed example, keeping the first one's code and message. */
static void note_failure(struct rules_check_result *res, int err, int *first,
			 char *msg, size_t msgsize)
{
	if (!err)
		return;
	if (!res->failed++) {
		*first = err;
		snprintf(msg, msgsize, "%s", error_last());
	}
}

int rules_check_examples(const struct ruleset *rs,
			 struct rules_check_result *res)
{
	struct scanner *sc;
	char first_msg[1024] = "";
	size_t ri, i;
	int err, first = 0;

	res->examples = 0;
	res->failed = 0;
	if ((err = scanner_new(&sc, rs)))
		return err;
	for (ri = 0; ri < ruleset_count(rs); ri++) {
		const struct rule_spec *spec = ruleset_rule(rs, ri);

		for (i = 0; i < spec->nmatch_examples; i++) {
			res->examples++;
			err = run_example(sc, spec, ri, spec->match_examples[i],
					  1, "match", i + 1);
			note_failure(res, err, &first, first_msg,
				     sizeof(first_msg));
		}
		for (i = 0; i < spec->nnomatch_examples; i++) {
			res->examples++;
			err = run_example(sc, spec, ri,
					  spec->nomatch_examples[i], 0,
					  "no_match", i + 1);
			note_failure(res, err, &first, first_msg,
				     sizeof(first_msg));
		}
	}
	scanner_free(sc);
	if (first)
		error_set(first, "%s", first_msg);
	return first;
}

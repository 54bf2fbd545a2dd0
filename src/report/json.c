/*
 * The json and jsonl writers, and the cJSON helpers every JSON-based
 * writer shares. The json document is streamed one finding per line, so
 * memory does not grow with the number of findings.
 */
#include "util/common.h"
#include "util/clock.h"

#include <inttypes.h>
#include <limits.h>
#include <time.h>

#include "report/writers.h"
#include "util/error.h"
#include "util/escape.h"

static int nomem(void)
{
	return error_set(NFG_ENOMEM, "out of memory");
}

/* escape_utf8, with NUL bytes (valid UTF-8, but not in a C string) as text. */
static int escape_json_text(struct buf *b, const char *p, size_t n)
{
	const char *nul;
	int err = 0;

	while (!err && n && (nul = memchr(p, '\0', n)) != NULL) {
		err = escape_utf8(b, p, (size_t)(nul - p));
		if (!err)
			err = buf_puts(b, "\\x00");
		n -= (size_t)(nul - p) + 1;
		p = nul + 1;
	}
	return err ? err : escape_utf8(b, p, n);
}

static int add_item(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return nomem();
	if (!(key ? cJSON_AddItemToObject(obj, key, item)
		  : cJSON_AddItemToArray(obj, item))) {
		cJSON_Delete(item);
		return nomem();
	}
	return 0;
}

int json_add_text(cJSON *obj, const char *key, const char *p, size_t n)
{
	struct buf b;
	int err;

	buf_init(&b, BUF_DEFAULT_MAX);
	err = escape_json_text(&b, p, n);
	if (!err)
		err = add_item(obj, key, cJSON_CreateString(b.ptr));
	buf_release(&b);
	return err;
}

int json_add_str(cJSON *obj, const char *key, const char *s)
{
	return json_add_text(obj, key, s ? s : "", s ? strlen(s) : 0);
}

int json_append_str(cJSON *arr, const char *s)
{
	return json_add_text(arr, NULL, s ? s : "", s ? strlen(s) : 0);
}

int json_add_u64(cJSON *obj, const char *key, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	return add_item(obj, key, cJSON_CreateRaw(num));
}

int json_add_bool(cJSON *obj, const char *key, int v)
{
	return add_item(obj, key, cJSON_CreateBool(v ? 1 : 0));
}

int json_add_object(cJSON *obj, const char *key, cJSON **made)
{
	*made = cJSON_CreateObject();
	return add_item(obj, key, *made);
}

int json_add_array(cJSON *obj, const char *key, cJSON **made)
{
	*made = cJSON_CreateArray();
	return add_item(obj, key, *made);
}

int json_print(FILE *out, cJSON *item, int pretty, size_t size_hint)
{
	size_t cap = size_hint < 1024 ? 1024 : size_hint;
	char *p;

	/*
	 * cJSON_Print grows its buffer with realloc, which would leave
	 * unwiped copies of a secret behind; a buffer we own does not.
	 */
	for (;;) {
		if (cap > INT_MAX)
			return error_set(NFG_ELIMIT,
					 "report larger than %d bytes",
					 INT_MAX);
		p = malloc(cap);
		if (!p)
			return nomem();
		if (cJSON_PrintPreallocated(item, p, (int)cap, pretty))
			break;
		explicit_bzero(p, cap);
		free(p);
		cap *= 2;
	}
	fputs(p, out);
	explicit_bzero(p, cap);
	free(p);
	return 0;
}

/* The git fields: each only when it applies to this finding. */
static int add_git_fields(cJSON *o, const struct finding *f)
{
	const struct {
		const char *key, *value;
	} strs[] = {
		{"repository", f->repository},
		{"commit", f->commit},
		{"ref", f->ref},
		{"author_name", f->author_name},
		{"author_email", f->author_email},
		{"date", f->date},
		{"blob", f->blob},
		{"location", f->location},
	};
	size_t i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(strs) && !err; i++)
		if (strs[i].value)
			err = json_add_str(o, strs[i].key, strs[i].value);
	if (!err && f->reachable != -1)
		err = json_add_bool(o, "reachable", f->reachable);
	if (!err && f->occurrences != 0)
		err = json_add_u64(o, "occurrences", f->occurrences);
	return err;
}

int report_finding_json(cJSON **out, const struct finding *f, int show_secret,
			struct buf *secret_text)
{
	cJSON *o = cJSON_CreateObject();
	int err = 0;

	*out = NULL;
	if (!o)
		return nomem();
	err = json_add_str(o, "rule_id", f->rule ? f->rule->id : NULL);
	if (!err)
		err = json_add_str(o, "secret_redacted", f->redacted);
	if (!err)
		err = json_add_str(o, "fingerprint", f->fingerprint);
	if (!err && show_secret) {
		buf_reset(secret_text);
		err = escape_json_text(secret_text, f->secret ? f->secret : "",
				       f->secret ? f->secret_len : 0);
		if (!err)
			err = add_item(
				o, "secret",
				cJSON_CreateStringReference(secret_text->ptr));
	}
	if (!err)
		err = json_add_str(o, "path", f->path);
	if (!err)
		err = json_add_u64(o, "line", f->line);
	if (!err)
		err = json_add_u64(o, "column", f->column);
	if (!err)
		err = json_add_u64(o, "end_column", f->end_column);
	if (!err)
		err = add_git_fields(o, f);
	if (!err)
		err = report_verification_json(o, "verification", f);
	if (!err)
		err = report_revocation_json(o, "revocation", f);
	if (err) {
		cJSON_Delete(o);
		return err;
	}
	*out = o;
	return 0;
}

/*
 * "errors", "skipped", and "problems": [{"kind", "message", "count"}], the
 * distinct ones; "problems_unlisted" when some could not be listed.
 */
static int add_problems(cJSON *o, const struct scan_info *scan)
{
	static const char *const kinds[] = {"error", "skipped", "warning"};
	cJSON *arr, *p;
	size_t i;
	int err;

	err = json_add_u64(o, "errors", scan->errors);
	if (!err)
		err = json_add_u64(o, "skipped", scan->skipped);
	if (!err)
		err = json_add_array(o, "problems", &arr);
	for (i = 0; !err && i < scan->nproblems; i++) {
		const struct scan_problem *sp = &scan->problems[i];

		err = json_add_object(arr, NULL, &p);
		if (!err)
			err = json_add_str(p, "kind", kinds[sp->kind]);
		if (!err)
			err = json_add_str(p, "message", sp->message);
		if (!err)
			err = json_add_u64(p, "count", sp->count);
	}
	if (!err && scan->problems_unlisted)
		err = json_add_u64(o, "problems_unlisted",
				   scan->problems_unlisted);
	return err;
}

static int scan_object(cJSON **out, const struct scan_info *scan,
		       const struct findings *l)
{
	cJSON *o = cJSON_CreateObject(), *targets = NULL;
	char when[32];
	size_t i;
	int err;

	*out = NULL;
	if (!o)
		return nomem();
	clock_format_ms(scan->started_at_ms, when);
	err = json_add_str(o, "command", scan->command);
	if (!err)
		err = json_add_array(o, "targets", &targets);
	for (i = 0; !err && i < scan->ntargets; i++)
		err = json_append_str(targets, scan->targets[i]);
	if (!err)
		err = json_add_str(o, "started_at", when);
	if (!err)
		err = json_add_u64(o, "duration_ms", scan->duration_ms);
	if (!err)
		err = json_add_u64(o, "files_scanned", scan->files_scanned);
	if (!err)
		err = json_add_u64(o, "bytes_scanned", scan->bytes_scanned);
	if (!err)
		err = json_add_u64(o, "findings", l->n);
	if (!err && scan->has_git) {
		err = json_add_u64(o, "commits", scan->commits);
		if (!err)
			err = json_add_u64(o, "blobs_scanned",
					   scan->blobs_scanned);
		if (!err)
			err = json_add_u64(o, "refs", scan->refs);
		if (!err)
			err = json_add_u64(o, "submodules", scan->submodules);
		if (!err)
			err = json_add_bool(o, "shallow", scan->shallow);
		if (!err && scan->repository)
			err = json_add_str(o, "repository", scan->repository);
	}
	if (!err && scan->has_git_dirs) {
		err = json_add_u64(o, "git_dirs_scanned", scan->git_dirs);
		if (!err)
			err = json_add_u64(o, "git_dirs_skipped",
					   scan->git_dirs_skipped);
		if (!err && scan->git_dirs)
			err = json_add_u64(o, "commits", scan->commits);
		if (!err && scan->git_dirs)
			err = json_add_u64(o, "blobs_scanned",
					   scan->blobs_scanned);
	}
	if (!err && scan->has_suppressed) {
		cJSON *sup;

		err = json_add_object(o, "suppressed", &sup);
		if (!err)
			err = json_add_u64(sup, "ignored",
					   scan->suppressed_ignored);
		if (!err)
			err = json_add_u64(sup, "baseline",
					   scan->suppressed_baseline);
		if (!err)
			err = json_add_u64(sup, "allowed_paths",
					   scan->suppressed_paths);
		if (!err)
			err = json_add_u64(sup, "inline",
					   scan->suppressed_inline);
	}
	if (!err && scan->has_verification)
		err = report_verification_counts_json(o, scan);
	if (!err)
		err = add_problems(o, scan);
	if (err) {
		cJSON_Delete(o);
		return err;
	}
	*out = o;
	return 0;
}

/* Prints one finding on one line; the secret's copy is wiped after. */
static int print_finding(FILE *out, const struct finding *f, int show_secret)
{
	struct buf secret_text;
	cJSON *o = NULL;
	int err;

	buf_init(&secret_text, BUF_DEFAULT_MAX);
	secret_text.wipe = 1;
	err = report_finding_json(&o, f, show_secret, &secret_text);
	if (!err)
		err = json_print(out, o, 0, 1024);
	cJSON_Delete(o);
	buf_release(&secret_text);
	return err;
}

/*
 * {"tool":{...},
 * "scan":{...},
 * "findings":[
 * {...},
 * {...}
 * ]}
 */
int report_write_json(FILE *out, const struct report_opts *opts,
		      const struct scan_info *scan, const struct findings *l)
{
	cJSON *tool = cJSON_CreateObject(), *so = NULL;
	size_t i;
	int err;

	if (!tool)
		return nomem();
	err = json_add_str(tool, "name", "nfguard");
	if (!err)
		err = json_add_str(tool, "version", NFG_VERSION);
	if (!err)
		err = scan_object(&so, scan, l);
	if (err)
		goto done;
	fputs("{\"tool\":", out);
	err = json_print(out, tool, 0, 256);
	if (err)
		goto done;
	fputs(",\n\"scan\":", out);
	err = json_print(out, so, 0, 1024);
	if (err)
		goto done;
	fputs(",\n\"findings\":[", out);
	for (i = 0; i < l->n && !err; i++) {
		fputs(i ? ",\n" : "\n", out);
		err = print_finding(out, &l->v[i], opts->show_secret);
	}
	if (!err)
		fputs(l->n ? "\n]}\n" : "]}\n", out);
done:
	cJSON_Delete(so);
	cJSON_Delete(tool);
	return err;
}

int report_write_jsonl(FILE *out, const struct report_opts *opts,
		       const struct scan_info *scan, const struct findings *l)
{
	size_t i;
	int err = 0;

	(void)scan;
	for (i = 0; i < l->n && !err; i++) {
		err = print_finding(out, &l->v[i], opts->show_secret);
		if (!err)
			fputc('\n', out);
	}
	return err;
}

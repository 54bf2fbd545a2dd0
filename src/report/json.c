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

#include "decode/decode.h"
#include "report/writers.h"
#include "util/error.h"
#include "util/escape.h"

/* Keeps err as j's failure unless j has one already; returns j's. */
static int keep(struct json_build *j, int err)
{
	if (!j->err)
		j->err = err;
	return j->err;
}

/* escape_utf8, with NUL bytes (valid UTF-8, but not in a C string) as text. */
static void escape_json_text(struct buf *b, const char *p, size_t n)
{
	const char *nul;

	while (n && (nul = memchr(p, '\0', n)) != NULL) {
		escape_utf8(b, p, (size_t)(nul - p));
		buf_puts(b, "\\x00");
		n -= (size_t)(nul - p) + 1;
		p = nul + 1;
	}
	escape_utf8(b, p, n);
}

/* Adds item (taken) to obj, or deletes it when j failed or fails here. */
static cJSON *add_item(struct json_build *j, cJSON *obj, const char *key,
		       cJSON *item)
{
	if (j->err || !obj) {
		cJSON_Delete(item);
		return NULL;
	}
	if (!item || !(key ? cJSON_AddItemToObject(obj, key, item)
			   : cJSON_AddItemToArray(obj, item))) {
		cJSON_Delete(item);
		keep(j, error_nomem());
		return NULL;
	}
	return item;
}

cJSON *json_new_object(struct json_build *j)
{
	cJSON *o;

	if (j->err)
		return NULL;
	o = cJSON_CreateObject();
	if (!o)
		keep(j, error_nomem());
	return o;
}

void json_add_text(struct json_build *j, cJSON *obj, const char *key,
		   const char *p, size_t n)
{
	struct buf b;

	if (j->err || !obj)
		return;
	buf_init(&b, BUF_DEFAULT_MAX);
	escape_json_text(&b, p, n);
	if (!keep(j, buf_failed(&b)))
		add_item(j, obj, key, cJSON_CreateString(b.ptr));
	buf_release(&b);
}

void json_add_str(struct json_build *j, cJSON *obj, const char *key,
		  const char *s)
{
	json_add_text(j, obj, key, s ? s : "", s ? strlen(s) : 0);
}

void json_add_opt_str(struct json_build *j, cJSON *obj, const char *key,
		      const char *s)
{
	if (s)
		json_add_str(j, obj, key, s);
}

void json_add_buf(struct json_build *j, cJSON *obj, const char *key,
		  const struct buf *b)
{
	if (!keep(j, buf_failed(b)))
		json_add_text(j, obj, key, b->ptr, b->len);
}

void json_add_u64(struct json_build *j, cJSON *obj, const char *key, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	add_item(j, obj, key, cJSON_CreateRaw(num));
}

void json_add_bool(struct json_build *j, cJSON *obj, const char *key, int v)
{
	add_item(j, obj, key, cJSON_CreateBool(v ? 1 : 0));
}

cJSON *json_add_object(struct json_build *j, cJSON *obj, const char *key)
{
	return add_item(j, obj, key, cJSON_CreateObject());
}

cJSON *json_add_array(struct json_build *j, cJSON *obj, const char *key)
{
	return add_item(j, obj, key, cJSON_CreateArray());
}

void json_print(struct json_build *j, FILE *out, cJSON *item, int pretty,
		size_t size_hint)
{
	size_t cap = size_hint < 1024 ? 1024 : size_hint;
	char *p;

	if (j->err)
		return;
	/*
	 * cJSON_Print grows its buffer with realloc, which would leave
	 * unwiped copies of a secret behind; a buffer we own does not.
	 */
	for (;;) {
		if (cap > INT_MAX) {
			keep(j,
			     error_set(NFG_ELIMIT,
				       "report larger than %d bytes", INT_MAX));
			return;
		}
		p = malloc(cap);
		if (!p) {
			keep(j, error_nomem());
			return;
		}
		if (cJSON_PrintPreallocated(item, p, (int)cap, pretty))
			break;
		explicit_bzero(p, cap);
		free(p);
		cap *= 2;
	}
	fputs(p, out);
	explicit_bzero(p, cap);
	free(p);
}

void json_puts(struct json_build *j, FILE *out, const char *s)
{
	if (!j->err)
		fputs(s, out);
}

/* The git fields: each only when it applies to this finding. */
static void add_git_fields(struct json_build *j, cJSON *o,
			   const struct finding *f)
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

	for (i = 0; i < ARRAY_SIZE(strs); i++)
		json_add_opt_str(j, o, strs[i].key, strs[i].value);
	if (f->reachable != -1)
		json_add_bool(j, o, "reachable", f->reachable);
	if (f->occurrences != 0)
		json_add_u64(j, o, "occurrences", f->occurrences);
}

void report_encoding_json(struct json_build *j, cJSON *o,
			  const struct finding *f)
{
	cJSON *arr;
	size_t i;

	if (!f->nencoding)
		return;
	arr = json_add_array(j, o, "encoding");
	for (i = 0; i < f->nencoding; i++)
		json_add_str(j, arr, NULL, f->encoding[i]);
}

cJSON *report_finding_json(struct json_build *j, const struct finding *f,
			   int show_secret, struct buf *secret_text)
{
	cJSON *o = json_new_object(j);

	json_add_str(j, o, "rule_id", f->rule ? f->rule->id : NULL);
	json_add_str(j, o, "secret_redacted", f->redacted);
	json_add_str(j, o, "fingerprint", f->fingerprint);
	if (show_secret && !j->err) {
		buf_reset(secret_text);
		escape_json_text(secret_text, f->secret ? f->secret : "",
				 f->secret ? f->secret_len : 0);
		if (!keep(j, buf_failed(secret_text)))
			add_item(j, o, "secret",
				 cJSON_CreateStringReference(secret_text->ptr));
	}
	json_add_str(j, o, "path", f->path);
	json_add_u64(j, o, "line", f->line);
	json_add_u64(j, o, "column", f->column);
	json_add_u64(j, o, "end_column", f->end_column);
	/* Only where the location spans lines (a wrapped base64 run). */
	if (f->end_line > f->line)
		json_add_u64(j, o, "end_line", f->end_line);
	report_encoding_json(j, o, f);
	add_git_fields(j, o, f);
	report_verification_json(j, o, "verification", f);
	report_revocation_json(j, o, "revocation", f);
	if (j->err) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* "decoders" (the names of those that ran), "decode_limited", and
 * "decode_failed". */
static void add_decode(struct json_build *j, cJSON *o,
		       const struct scan_info *scan)
{
	cJSON *arr = json_add_array(j, o, "decoders");
	unsigned bit;

	for (bit = 1; bit & DECODE_ALL; bit <<= 1)
		if (scan->decoders & bit)
			json_add_str(j, arr, NULL, decoder_name(bit));
	json_add_u64(j, o, "decode_limited", scan->decode_limited);
	json_add_u64(j, o, "decode_failed", scan->decode_failed);
}

/*
 * "errors", "skipped", and "problems": [{"kind", "message", "count"}], the
 * distinct ones; "problems_unlisted" when some could not be listed.
 */
static void add_problems(struct json_build *j, cJSON *o,
			 const struct scan_info *scan)
{
	static const char *const kinds[] = {"error", "skipped", "warning"};
	cJSON *arr, *p;
	size_t i;

	json_add_u64(j, o, "errors", scan->errors);
	json_add_u64(j, o, "skipped", scan->skipped);
	arr = json_add_array(j, o, "problems");
	for (i = 0; !j->err && i < scan->nproblems; i++) {
		const struct scan_problem *sp = &scan->problems[i];

		p = json_add_object(j, arr, NULL);
		json_add_str(j, p, "kind", kinds[sp->kind]);
		json_add_str(j, p, "message", sp->message);
		json_add_u64(j, p, "count", sp->count);
	}
	if (scan->problems_unlisted)
		json_add_u64(j, o, "problems_unlisted",
			     scan->problems_unlisted);
}

/* "seconds": a duration in milliseconds as seconds, three decimals. */
static void add_seconds(struct json_build *j, cJSON *o, uint64_t ms)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRIu64 ".%03u", ms / 1000,
		 (unsigned)(ms % 1000));
	add_item(j, o, "seconds", cJSON_CreateRaw(num));
}

/* A sweep's "repositories": one object per repository, in its order. */
static void add_repositories(struct json_build *j, cJSON *o,
			     const struct scan_info *scan)
{
	cJSON *arr = json_add_array(j, o, "repositories"), *r;
	size_t i;

	for (i = 0; !j->err && i < scan->nrepositories; i++) {
		const struct scan_repository *sr = &scan->repositories[i];

		r = json_add_object(j, arr, NULL);
		json_add_str(j, r, "repository", sr->repository);
		json_add_str(j, r, "status", report_repo_status(sr->status));
		if (sr->error)
			json_add_str(j, r, "error", sr->error);
		else
			add_item(j, r, "error", cJSON_CreateNull());
		json_add_u64(j, r, "refs", sr->refs);
		json_add_u64(j, r, "commits", sr->commits);
		json_add_u64(j, r, "blobs", sr->blobs);
		json_add_u64(j, r, "bytes", sr->bytes);
		json_add_u64(j, r, "findings", sr->findings);
		add_seconds(j, r, sr->duration_ms);
		if (sr->incremental)
			json_add_str(j, r, "incremental", sr->incremental);
		json_add_opt_str(j, r, "uri", sr->uri);
		json_add_opt_str(j, r, "revision", sr->revision);
		if (sr->transfer)
			json_add_str(j, r, "transfer", sr->transfer);
	}
}

/* key: s, or null. */
static void add_str_or_null(struct json_build *j, cJSON *o, const char *key,
			    const char *s)
{
	if (s)
		json_add_str(j, o, key, s);
	else
		add_item(j, o, key, cJSON_CreateNull());
}

/*
 * One incident: {"fingerprint", "secret_redacted", "repositories": [...],
 * "first_seen": {"repository", "commit", "date", "author"}}, author as
 * "Name <email>" (null when unknown).
 */
static cJSON *incident_json(struct json_build *j, const struct incident *in)
{
	const struct finding *f = in->first;
	cJSON *o = json_new_object(j), *repos, *first;
	struct buf author;
	size_t i;

	json_add_str(j, o, "fingerprint", f->fingerprint);
	json_add_str(j, o, "secret_redacted", f->redacted);
	repos = json_add_array(j, o, "repositories");
	for (i = 0; i < in->nrepos; i++)
		json_add_str(j, repos, NULL, in->repos[i]);
	first = json_add_object(j, o, "first_seen");
	json_add_str(j, first, "repository", f->repository);
	add_str_or_null(j, first, "commit", f->commit);
	add_str_or_null(j, first, "date", f->date);
	buf_init(&author, BUF_DEFAULT_MAX);
	if (f->author_name || f->author_email) {
		buf_puts(&author, f->author_name ? f->author_name : "");
		if (f->author_email)
			buf_printf(&author, "%s<%s>", f->author_name ? " " : "",
				   f->author_email);
		json_add_buf(j, first, "author", &author);
	} else {
		add_item(j, first, "author", cJSON_CreateNull());
	}
	buf_release(&author);
	if (j->err) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* ",\n\"incidents\":[\n{...},\n{...}\n]": a sweep's, one a line. */
static void print_incidents(struct json_build *j, FILE *out,
			    const struct scan_info *scan,
			    const struct findings *l)
{
	struct incidents in;
	cJSON *o;
	size_t i;

	if (j->err || keep(j, incidents_build(&in, scan, l)))
		return;
	json_puts(j, out, ",\n\"incidents\":[");
	for (i = 0; i < in.n && !j->err; i++) {
		json_puts(j, out, i ? ",\n" : "\n");
		o = incident_json(j, &in.v[i]);
		json_print(j, out, o, 0, 512);
		cJSON_Delete(o);
	}
	json_puts(j, out, in.n ? "\n]" : "]");
	incidents_release(&in);
}

/* The "scan" object; NULL when j failed. Caller deletes it. */
static cJSON *scan_object(struct json_build *j, const struct scan_info *scan,
			  const struct findings *l)
{
	cJSON *o = json_new_object(j), *targets, *sup, *sh;
	char when[32];
	size_t i;

	clock_format_ms(scan->started_at_ms, when);
	json_add_str(j, o, "command", scan->command);
	targets = json_add_array(j, o, "targets");
	for (i = 0; !j->err && i < scan->ntargets; i++)
		json_add_str(j, targets, NULL, scan->targets[i]);
	json_add_str(j, o, "started_at", when);
	json_add_u64(j, o, "duration_ms", scan->duration_ms);
	json_add_u64(j, o, "files_scanned", scan->files_scanned);
	json_add_u64(j, o, "bytes_scanned", scan->bytes_scanned);
	json_add_u64(j, o, "findings", l->n);
	if (scan->has_git) {
		json_add_u64(j, o, "commits", scan->commits);
		json_add_u64(j, o, "blobs_scanned", scan->blobs_scanned);
		json_add_u64(j, o, "refs", scan->refs);
		json_add_u64(j, o, "submodules", scan->submodules);
		json_add_bool(j, o, "shallow", scan->shallow);
		json_add_opt_str(j, o, "repository", scan->repository);
		json_add_u64(j, o, "git_dir_files", scan->git_dir_files);
	}
	if (scan->has_git_dirs) {
		json_add_u64(j, o, "git_dirs_scanned", scan->git_dirs);
		json_add_u64(j, o, "git_dirs_skipped", scan->git_dirs_skipped);
		if (scan->git_dirs) {
			json_add_u64(j, o, "commits", scan->commits);
			json_add_u64(j, o, "blobs_scanned",
				     scan->blobs_scanned);
			json_add_u64(j, o, "git_dir_files",
				     scan->git_dir_files);
		}
	}
	if (scan->has_lfs) {
		json_add_u64(j, o, "lfs_pointers", scan->lfs_pointers);
		json_add_u64(j, o, "lfs_missing", scan->lfs_missing);
		json_add_u64(j, o, "lfs_malformed", scan->lfs_malformed);
	}
	if (scan->has_objects)
		json_add_u64(j, o, "objects_corrupt", scan->objects_corrupt);
	if (scan->has_decode)
		add_decode(j, o, scan);
	if (scan->has_changed)
		json_add_u64(j, o, "changed_during_scan",
			     scan->changed_during_scan);
	if (scan->has_skips) {
		json_add_u64(j, o, "excluded", scan->excluded);
		json_add_u64(j, o, "too_large", scan->too_large);
	}
	if (scan->has_suppressed) {
		sup = json_add_object(j, o, "suppressed");
		json_add_u64(j, sup, "ignored", scan->suppressed_ignored);
		json_add_u64(j, sup, "baseline", scan->suppressed_baseline);
		json_add_u64(j, sup, "allowed_paths", scan->suppressed_paths);
		json_add_u64(j, sup, "inline", scan->suppressed_inline);
		if (scan->has_state)
			json_add_u64(j, sup, "state", scan->suppressed_state);
	}
	if (scan->has_verification)
		report_verification_counts_json(j, o, scan);
	add_problems(j, o, scan);
	if (scan->has_repositories)
		add_repositories(j, o, scan);
	if (scan->shard_count) {
		sh = json_add_object(j, o, "shard");
		json_add_u64(j, sh, "index", scan->shard_index);
		json_add_u64(j, sh, "count", scan->shard_count);
	}
	if (j->err) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Prints one finding on one line; the secret's copy is wiped after. */
static void print_finding(struct json_build *j, FILE *out,
			  const struct finding *f, int show_secret)
{
	struct buf secret_text;
	cJSON *o;

	buf_init(&secret_text, BUF_DEFAULT_MAX);
	secret_text.wipe = 1;
	o = report_finding_json(j, f, show_secret, &secret_text);
	json_print(j, out, o, 0, 1024);
	cJSON_Delete(o);
	buf_release(&secret_text);
}

/*
 * {"tool":{...},
 * "scan":{...},
 * "findings":[
 * {...},
 * {...}
 * ]}
 * A sweep adds ",\n\"incidents\":[...]" before the last brace.
 */
int report_write_json(FILE *out, const struct report_opts *opts,
		      const struct scan_info *scan, const struct findings *l)
{
	struct json_build j = {0};
	cJSON *tool = json_new_object(&j), *so;
	size_t i;

	json_add_str(&j, tool, "name", "nfguard");
	json_add_str(&j, tool, "version", NFG_VERSION);
	if (opts->rules) {
		char digest[FINGERPRINT_LEN + 1];

		report_rules_digest(opts->rules, digest);
		json_add_str(&j, tool, "rules_digest", digest);
	}
	so = scan_object(&j, scan, l);
	json_puts(&j, out, "{\"tool\":");
	json_print(&j, out, tool, 0, 256);
	json_puts(&j, out, ",\n\"scan\":");
	json_print(&j, out, so, 0, 1024);
	json_puts(&j, out, ",\n\"findings\":[");
	for (i = 0; i < l->n && !j.err; i++) {
		json_puts(&j, out, i ? ",\n" : "\n");
		print_finding(&j, out, &l->v[i], opts->show_secret);
	}
	json_puts(&j, out, l->n ? "\n]" : "]");
	if (scan->has_repositories)
		print_incidents(&j, out, scan, l);
	json_puts(&j, out, "}\n");
	cJSON_Delete(so);
	cJSON_Delete(tool);
	return j.err;
}

int report_write_jsonl(FILE *out, const struct report_opts *opts,
		       const struct scan_info *scan, const struct findings *l)
{
	struct json_build j = {0};
	size_t i;

	(void)scan;
	for (i = 0; i < l->n && !j.err; i++) {
		print_finding(&j, out, &l->v[i], opts->show_secret);
		json_puts(&j, out, "\n");
	}
	return j.err;
}

/*
 * nfguard's JSON and JSONL reports read back for merge: one cJSON tree
 * per document (or per JSONL line), each field looked up by name with
 * its type checked, the counts taken as exact integers, every string
 * bounded and copied, each finding rebuilt against the loaded rules.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/escape.h"
#include "util/sha256.h"
#include "config/config.h"
#include "decode/decode.h"
#include "report/read.h"

#include <cjson/cJSON.h>

/* Where a field is, for messages: "ORIGIN: KEY: why". */
struct rd {
	struct report_doc *d;
	const char *origin;
	const struct ruleset *rs;
};

static int bad(const struct rd *r, const char *key, const char *why)
{
	return error_set(NFG_EINVAL, "%s: %s: %s", r->origin, key, why);
}

/* Notes key (as "where.key") once as a key this reader does not know. */
static int note_unknown(struct rd *r, const char *where, const char *key)
{
	struct report_doc *d = r->d;
	char name[128];
	size_t i;

	snprintf(name, sizeof(name), "%s%s%.64s", where, *where ? "." : "",
		 key);
	for (i = 0; i < d->nunknown; i++)
		if (!strcmp(d->unknown[i], name))
			return 0;
	if (d->nunknown == REPORT_READ_MAX_UNKNOWN)
		return 0;
	if (!(d->unknown[d->nunknown] = strdup(name)))
		return error_nomem();
	d->nunknown++;
	return 0;
}

/* Notes every key of obj that is not in the NULL-terminated list. */
static int check_keys(struct rd *r, const cJSON *obj, const char *where,
		      const char *const *keys)
{
	const cJSON *it;
	size_t i;
	int err = 0;

	cJSON_ArrayForEach(it, obj)
	{
		for (i = 0; keys[i] && strcmp(keys[i], it->string); i++)
			;
		if (!keys[i] && (err = note_unknown(r, where, it->string)))
			break;
	}
	return err;
}

/*
 * 1 if s is valid UTF-8, as every string nfguard writes is: escape_utf8
 * copies valid text unchanged. -1 when out of memory.
 */
static int utf8_ok(const char *s)
{
	size_t n = strlen(s);
	struct buf b;
	int ok;

	buf_init(&b, REPORT_READ_MAX_STRING * 4 + 16);
	if (escape_utf8(&b, s, n)) {
		buf_release(&b);
		return -1;
	}
	ok = b.len == n && !memcmp(b.ptr, s, n);
	buf_release(&b);
	return ok;
}

/* A string field's text: bounded, valid UTF-8. */
static int check_text(struct rd *r, const char *key, const char *s)
{
	int ok;

	if (strlen(s) > REPORT_READ_MAX_STRING)
		return error_set(NFG_ELIMIT, "%s: %s: longer than %zu bytes",
				 r->origin, key, REPORT_READ_MAX_STRING);
	if ((ok = utf8_ok(s)) < 0)
		return error_nomem();
	return ok ? 0 : bad(r, key, "not valid UTF-8");
}

/* A string of the document kept until the doc is released. */
static int keep(struct rd *r, char **out, const char *s)
{
	struct report_doc *d = r->d;
	int err;

	if ((err = ARRAY_GROW(d->strs, d->nstrs, d->capstrs)))
		return err;
	if (!(d->strs[d->nstrs] = strdup(s)))
		return error_nomem();
	*out = d->strs[d->nstrs++];
	return 0;
}

/*
 * The string at key: *out NULL when absent (an error when required) or
 * null; a copy owned by the caller (str_out) or kept by the doc.
 */
static int get_str(struct rd *r, const cJSON *obj, const char *key,
		   int required, char **out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	int err;

	*out = NULL;
	if (!it || cJSON_IsNull(it))
		return required ? bad(r, key, "missing") : 0;
	if (!cJSON_IsString(it) || !it->valuestring)
		return bad(r, key, "must be a string");
	if ((err = check_text(r, key, it->valuestring)))
		return err;
	if (!(*out = strdup(it->valuestring)))
		return error_nomem();
	return 0;
}

/* The same, kept by the doc (freed with it). */
static int get_kept(struct rd *r, const cJSON *obj, const char *key,
		    int required, const char **out)
{
	char *s = NULL, *k = NULL;
	int err = get_str(r, obj, key, required, &s);

	if (!err && s)
		err = keep(r, &k, s);
	free(s);
	*out = k;
	return err;
}

/* A count: an integer from 0 to 2^53 (exact in a double). */
static int get_u64(struct rd *r, const cJSON *obj, const char *key,
		   int required, uint64_t *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	double v;

	*out = 0;
	if (!it)
		return required ? bad(r, key, "missing") : 0;
	v = it->valuedouble;
	if (!cJSON_IsNumber(it) || !(v >= 0 && v <= 9007199254740992.0) ||
	    v != (double)(uint64_t)v)
		return bad(r, key, "must be a whole number from 0 to 2^53");
	*out = (uint64_t)v;
	return 0;
}

/* An object or array at key (NULL when absent), of the type asked. */
static int get_node(struct rd *r, const cJSON *obj, const char *key, int array,
		    int required, const cJSON **out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!it)
		return required ? bad(r, key, "missing") : 0;
	if (array ? !cJSON_IsArray(it) : !cJSON_IsObject(it))
		return bad(r, key,
			   array ? "must be an array"
				 : "must be an "
				   "object");
	if (array && cJSON_GetArraySize(it) > REPORT_READ_MAX_ITEMS)
		return error_set(NFG_ELIMIT, "%s: %s: more than %d items",
				 r->origin, key, REPORT_READ_MAX_ITEMS);
	*out = it;
	return 0;
}

/* The counts of the scan object, where struct scan_info keeps them. */
static const struct {
	const char *key;
	size_t off;
	size_t flag; /* the has_ flag set when the key is there, or 0 */
} counts[] = {
#define AT(f) offsetof(struct scan_info, f)
	{"files_scanned", AT(files_scanned), 0},
	{"bytes_scanned", AT(bytes_scanned), 0},
	{"commits", AT(commits), AT(has_git)},
	{"blobs_scanned", AT(blobs_scanned), AT(has_git)},
	{"refs", AT(refs), AT(has_git)},
	{"submodules", AT(submodules), AT(has_git)},
	{"git_dir_files", AT(git_dir_files), AT(has_git)},
	{"lfs_pointers", AT(lfs_pointers), AT(has_lfs)},
	{"lfs_missing", AT(lfs_missing), AT(has_lfs)},
	{"lfs_malformed", AT(lfs_malformed), AT(has_lfs)},
	{"objects_corrupt", AT(objects_corrupt), AT(has_objects)},
	{"decode_limited", AT(decode_limited), AT(has_decode)},
	{"decode_failed", AT(decode_failed), AT(has_decode)},
	{"excluded", AT(excluded), AT(has_skips)},
	{"too_large", AT(too_large), AT(has_skips)},
	{"errors", AT(errors), 0},
	{"skipped", AT(skipped), 0},
	{"problems_unlisted", AT(problems_unlisted), 0},
#undef AT
};

/* scan.decoders: the names of the decoders that ran. */
static int read_decoders(struct rd *r, const cJSON *so)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(so, "decoders");
	const cJSON *it;
	unsigned bit;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return bad(r, "decoders", "must be an array of decoder names");
	r->d->scan.has_decode = 1;
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it) || !it->valuestring ||
		    !(bit = decoder_bit(it->valuestring)))
			return bad(r, "decoders", "holds an unknown decoder");
		r->d->scan.decoders |= bit;
	}
	return 0;
}

static int read_counts(struct rd *r, const cJSON *so)
{
	struct scan_info *s = &r->d->scan;
	const cJSON *b;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < ARRAY_SIZE(counts); i++) {
		if (!cJSON_GetObjectItemCaseSensitive(so, counts[i].key))
			continue;
		err = get_u64(r, so, counts[i].key, 1,
			      (uint64_t *)((char *)s + counts[i].off));
		if (counts[i].flag)
			*(int *)((char *)s + counts[i].flag) = 1;
	}
	b = cJSON_GetObjectItemCaseSensitive(so, "shallow");
	if (!err && b && !cJSON_IsBool(b))
		err = bad(r, "shallow", "must be true or false");
	s->shallow = cJSON_IsTrue(b);
	if (!err)
		err = read_decoders(r, so);
	return err;
}

/* scan.suppressed: {"ignored", "baseline", "allowed_paths", "inline"}. */
static int read_suppressed(struct rd *r, const cJSON *so)
{
	static const char *const keys[] = {"ignored",	    "baseline",
					   "allowed_paths", "inline",
					   "state",	    NULL};
	struct scan_info *s = &r->d->scan;
	const cJSON *o;
	int err;

	if ((err = get_node(r, so, "suppressed", 0, 0, &o)) || !o)
		return err;
	s->has_suppressed = 1;
	s->has_state = cJSON_GetObjectItemCaseSensitive(o, "state") != NULL;
	if ((err = check_keys(r, o, "scan.suppressed", keys)) ||
	    (err = get_u64(r, o, "ignored", 1, &s->suppressed_ignored)) ||
	    (err = get_u64(r, o, "baseline", 1, &s->suppressed_baseline)) ||
	    (err = get_u64(r, o, "allowed_paths", 1, &s->suppressed_paths)) ||
	    (err = get_u64(r, o, "state", 0, &s->suppressed_state)))
		return err;
	return get_u64(r, o, "inline", 1, &s->suppressed_inline);
}

/* scan.problems: [{"kind": error|skipped|warning, "message", "count"}]. */
static int read_problems(struct rd *r, const cJSON *so)
{
	static const char *const kinds[] = {"error", "skipped", "warning"};
	static const char *const keys[] = {"kind", "message", "count", NULL};
	struct report_doc *d = r->d;
	const cJSON *arr, *it;
	const char *kind;
	size_t n = 0, k;
	int err;

	if ((err = get_node(r, so, "problems", 1, 1, &arr)))
		return err;
	d->problems = calloc((size_t)cJSON_GetArraySize(arr) + 1,
			     sizeof(*d->problems));
	if (!d->problems)
		return error_nomem();
	cJSON_ArrayForEach(it, arr)
	{
		struct scan_problem *p = &d->problems[n];

		if (!cJSON_IsObject(it))
			return bad(r, "problems", "each must be an object");
		if ((err = check_keys(r, it, "scan.problems[]", keys)) ||
		    (err = get_kept(r, it, "kind", 1, &kind)) ||
		    (err = get_kept(r, it, "message", 1, &p->message)) ||
		    (err = get_u64(r, it, "count", 1, &p->count)))
			return err;
		for (k = 0;
		     k < ARRAY_SIZE(kinds) && (!kind || strcmp(kinds[k], kind));
		     k++)
			;
		if (k == ARRAY_SIZE(kinds))
			return bad(r, "kind", "not error, skipped or warning");
		p->kind = (enum scan_problem_kind)k;
		n++;
	}
	d->scan.problems = d->problems;
	d->scan.nproblems = n;
	return 0;
}

/*
 * An optional string field that must be one of words (NULL-terminated):
 * *out points at the word, static, or stays NULL when absent.
 */
static int get_word(struct rd *r, const cJSON *o, const char *key,
		    const char *const *words, const char **out)
{
	const char *v;
	size_t i;
	int err;

	if ((err = get_kept(r, o, key, 0, &v)) || !v)
		return err;
	for (i = 0; words[i]; i++)
		if (!strcmp(words[i], v)) {
			*out = words[i];
			return 0;
		}
	return bad(r, key, "not a value nfguard writes");
}

/* One entry of scan.repositories. */
static int read_repo(struct rd *r, const cJSON *it, struct scan_repository *e)
{
	static const char *const keys[] = {
		"repository", "status",	     "error",	 "refs",    "commits",
		"blobs",      "bytes",	     "findings", "seconds", "uri",
		"revision",   "incremental", "transfer", NULL};
	static const char *const incremental[] = {"full", "incremental",
						  "fallback", NULL};
	static const char *const transfer[] = {"local", "clone", "fetch", NULL};
	const cJSON *sec;
	const char *status;
	int err;

	if (!cJSON_IsObject(it))
		return bad(r, "repositories", "each must be an object");
	if ((err = check_keys(r, it, "scan.repositories[]", keys)) ||
	    (err = get_kept(r, it, "repository", 1, &e->repository)) ||
	    (err = get_kept(r, it, "status", 1, &status)) ||
	    (err = get_kept(r, it, "error", 0, &e->error)) ||
	    (err = get_kept(r, it, "uri", 0, &e->uri)) ||
	    (err = get_kept(r, it, "revision", 0, &e->revision)) ||
	    (err = get_word(r, it, "incremental", incremental,
			    &e->incremental)) ||
	    (err = get_word(r, it, "transfer", transfer, &e->transfer)) ||
	    (err = get_u64(r, it, "refs", 1, &e->refs)) ||
	    (err = get_u64(r, it, "commits", 1, &e->commits)) ||
	    (err = get_u64(r, it, "blobs", 1, &e->blobs)) ||
	    (err = get_u64(r, it, "bytes", 1, &e->bytes)) ||
	    (err = get_u64(r, it, "findings", 1, &e->findings)))
		return err;
	if (!strcmp(status, report_repo_status(REPO_SCANNED)))
		e->status = REPO_SCANNED;
	else if (!strcmp(status, report_repo_status(REPO_EMPTY)))
		e->status = REPO_EMPTY;
	else if (!strcmp(status, report_repo_status(REPO_FAILED)))
		e->status = REPO_FAILED;
	else
		return bad(r, "status", "not scanned, failed or empty");
	if (e->status == REPO_FAILED && !e->error)
		return bad(r, "error", "a failed repository must say why");
	sec = cJSON_GetObjectItemCaseSensitive(it, "seconds");
	if (!cJSON_IsNumber(sec) ||
	    !(sec->valuedouble >= 0 && sec->valuedouble < 1e12))
		return bad(r, "seconds", "must be a number of seconds");
	e->duration_ms = (uint64_t)(sec->valuedouble * 1000 + 0.5);
	return 0;
}

static int read_repos(struct rd *r, const cJSON *so)
{
	struct report_doc *d = r->d;
	const cJSON *arr, *it;
	size_t n = 0;
	int err;

	if ((err = get_node(r, so, "repositories", 1, 0, &arr)))
		return err;
	if (!arr)
		return bad(r, "scan",
			   "not the report of a sweep (no "
			   "repositories): merge joins sweeps' "
			   "reports");
	d->repos =
		calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*d->repos));
	if (!d->repos)
		return error_nomem();
	cJSON_ArrayForEach(it, arr)
	{
		if ((err = read_repo(r, it, &d->repos[n])))
			return err;
		n++;
	}
	d->scan.has_repositories = 1;
	d->scan.repositories = d->repos;
	d->scan.nrepositories = n;
	return 0;
}

static int read_targets(struct rd *r, const cJSON *so)
{
	struct report_doc *d = r->d;
	const cJSON *arr, *it;
	size_t n = 0;
	int err;

	if ((err = get_node(r, so, "targets", 1, 1, &arr)))
		return err;
	d->targets = calloc((size_t)cJSON_GetArraySize(arr) + 1,
			    sizeof(*d->targets));
	if (!d->targets)
		return error_nomem();
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it) || !it->valuestring)
			return bad(r, "targets", "each must be a string");
		if ((err = check_text(r, "targets", it->valuestring)) ||
		    (err = keep(r, &d->targets[n], it->valuestring)))
			return err;
		n++;
	}
	d->scan.targets = (const char *const *)d->targets;
	d->scan.ntargets = n;
	return 0;
}

/* scan.shard: {"index": I, "count": N}, 1 <= I <= N. */
static int read_shard(struct rd *r, const cJSON *so)
{
	static const char *const keys[] = {"index", "count", NULL};
	const cJSON *o;
	uint64_t i, n;
	int err;

	if ((err = get_node(r, so, "shard", 0, 0, &o)) || !o)
		return err;
	if ((err = check_keys(r, o, "scan.shard", keys)) ||
	    (err = get_u64(r, o, "index", 1, &i)) ||
	    (err = get_u64(r, o, "count", 1, &n)))
		return err;
	if (i < 1 || i > n || n > UINT32_MAX)
		return bad(r, "shard", "index must be from 1 to count");
	r->d->scan.shard_index = (unsigned)i;
	r->d->scan.shard_count = (unsigned)n;
	return 0;
}

static int read_scan(struct rd *r, const cJSON *so)
{
	static const char *const keys[] = {"command",
					   "targets",
					   "started_at",
					   "duration_ms",
					   "files_scanned",
					   "bytes_scanned",
					   "findings",
					   "commits",
					   "blobs_scanned",
					   "refs",
					   "submodules",
					   "shallow",
					   "repository",
					   "git_dir_files",
					   "lfs_pointers",
					   "lfs_missing",
					   "lfs_malformed",
					   "objects_corrupt",
					   "decoders",
					   "decode_limited",
					   "decode_failed",
					   "suppressed",
					   "errors",
					   "skipped",
					   "problems",
					   "problems_unlisted",
					   "repositories",
					   "shard",
					   "excluded",
					   "too_large",
					   NULL};
	const char *command, *when;
	uint64_t ms, nf;
	int err;

	if (!cJSON_IsObject(so))
		return bad(r, "scan", "missing or not an object");
	if (cJSON_GetObjectItemCaseSensitive(so, "verification"))
		return bad(r, "scan.verification",
			   "a verified report cannot be merged: merge the "
			   "shards' reports made without --verify, then "
			   "merge --verify");
	if ((err = check_keys(r, so, "scan", keys)) ||
	    (err = get_kept(r, so, "command", 1, &command)) ||
	    (err = get_kept(r, so, "started_at", 1, &when)) ||
	    (err = get_u64(r, so, "duration_ms", 1, &ms)) ||
	    (err = get_u64(r, so, "findings", 1, &nf)) ||
	    (err = read_counts(r, so)) || (err = read_suppressed(r, so)) ||
	    (err = read_targets(r, so)) || (err = read_problems(r, so)) ||
	    (err = read_repos(r, so)) || (err = read_shard(r, so)))
		return err;
	if (!command || strcmp(command, "git"))
		return bad(r, "command", "not the report of nfguard git");
	r->d->scan.command = command;
	r->d->scan.duration_ms = ms;
	return 0;
}

/* "secret", when there: the whole token, checked against the digest. */
static int read_secret(struct rd *r, const cJSON *o, struct finding *f)
{
	unsigned char d[FINGERPRINT_DIGEST_LEN];
	struct sha256 c;
	int err;

	if ((err = get_str(r, o, "secret", 0, &f->secret)) || !f->secret)
		return err;
	f->secret_len = strlen(f->secret);
	sha256_init(&c);
	sha256_update(&c, f->secret, f->secret_len);
	sha256_final(&c, d);
	err = memcmp(d, f->digest, sizeof(d)) ? bad(r, "secret",
						    "does not match the "
						    "fingerprint")
					      : 0;
	explicit_bzero(d, sizeof(d));
	return err;
}

/* "encoding": an array of strings, outside in, when present. */
static int read_encoding(struct rd *r, const cJSON *o, struct finding *f)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "encoding");
	const cJSON *it;
	size_t n = 0;
	int err;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr) || !cJSON_GetArraySize(arr) ||
	    cJSON_GetArraySize(arr) > HIT_MAX_ENCODING * 2)
		return bad(r, "encoding",
			   "must be an array of 1 to 16 strings");
	if (!(f->encoding = calloc((size_t)cJSON_GetArraySize(arr),
				   sizeof(*f->encoding))))
		return error_nomem();
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it) || !it->valuestring)
			return bad(r, "encoding", "must hold strings");
		if ((err = check_text(r, "encoding", it->valuestring)))
			return err;
		if (!(f->encoding[n] = strdup(it->valuestring)))
			return error_nomem();
		f->nencoding = ++n;
	}
	return 0;
}

static int read_finding_fields(struct rd *r, const cJSON *o, struct finding *f)
{
	static const char *const keys[] = {"rule_id",	  "secret_redacted",
					   "fingerprint", "secret",
					   "path",	  "line",
					   "column",	  "end_column",
					   "encoding",	  "repository",
					   "commit",	  "ref",
					   "author_name", "author_email",
					   "date",	  "blob",
					   "location",	  "reachable",
					   "occurrences", "end_line",
					   NULL};
	const cJSON *reach;
	char *id = NULL, *fp = NULL;
	size_t i, n = ruleset_count(r->rs);
	int err;

	if (!cJSON_IsObject(o))
		return bad(r, "findings", "each must be an object");
	if (cJSON_GetObjectItemCaseSensitive(o, "verification") ||
	    cJSON_GetObjectItemCaseSensitive(o, "revocation"))
		return bad(r, "verification",
			   "a verified report cannot be merged: merge the "
			   "shards' reports made without --verify, then "
			   "merge --verify");
	if ((err = check_keys(r, o, "findings[]", keys)) ||
	    (err = get_str(r, o, "rule_id", 1, &id)) ||
	    (err = get_str(r, o, "fingerprint", 1, &fp)))
		goto done;
	for (i = 0; i < n && strcmp(ruleset_rule(r->rs, i)->id, id); i++)
		;
	if (i == n) {
		err = error_set(NFG_EINVAL,
				"%s: rule_id: '%.64s' is not a rule of the "
				"rules loaded",
				r->origin, id);
		goto done;
	}
	f->rule = ruleset_rule(r->rs, i);
	if (fingerprint_decode(fp, f->digest)) {
		err = bad(r, "fingerprint", "not sha256: and 64 hex digits");
		goto done;
	}
	memcpy(f->fingerprint, fp, sizeof(f->fingerprint));
	if ((err = read_secret(r, o, f)) ||
	    (err = get_str(r, o, "secret_redacted", 1, &f->redacted)) ||
	    (err = get_str(r, o, "path", 1, &f->path)) ||
	    (err = get_u64(r, o, "line", 1, &f->line)) ||
	    (err = get_u64(r, o, "column", 1, &f->column)) ||
	    (err = get_u64(r, o, "end_column", 1, &f->end_column)) ||
	    (err = get_str(r, o, "repository", 1, &f->repository)) ||
	    (err = get_str(r, o, "commit", 0, &f->commit)) ||
	    (err = get_str(r, o, "ref", 0, &f->ref)) ||
	    (err = get_str(r, o, "author_name", 0, &f->author_name)) ||
	    (err = get_str(r, o, "author_email", 0, &f->author_email)) ||
	    (err = get_str(r, o, "date", 0, &f->date)) ||
	    (err = get_str(r, o, "blob", 0, &f->blob)) ||
	    (err = get_str(r, o, "location", 0, &f->location)) ||
	    (err = get_u64(r, o, "occurrences", 0, &f->occurrences)) ||
	    (err = get_u64(r, o, "end_line", 0, &f->end_line)) ||
	    (err = read_encoding(r, o, f)))
		goto done;
	reach = cJSON_GetObjectItemCaseSensitive(o, "reachable");
	f->reachable = reach ? cJSON_IsTrue(reach) : -1;
	if (reach && !cJSON_IsBool(reach))
		err = bad(r, "reachable", "must be true or false");
done:
	free(id);
	free(fp);
	return err;
}

/* One finding object appended to the doc's findings. */
static int read_finding(struct rd *r, const cJSON *o)
{
	struct finding f;
	int err;

	memset(&f, 0, sizeof(f));
	f.reachable = -1;
	if (r->d->findings.n >= REPORT_READ_MAX_ITEMS)
		return error_set(NFG_ELIMIT, "%s: more than %d findings",
				 r->origin, REPORT_READ_MAX_ITEMS);
	err = read_finding_fields(r, o, &f);
	if (!err)
		err = findings_push(&r->d->findings, &f);
	finding_release(&f);
	return err;
}

static int read_json(struct rd *r, const cJSON *root)
{
	static const char *const top[] = {"tool", "scan", "findings",
					  "incidents", NULL};
	static const char *const tool_keys[] = {"name", "version",
						"rules_digest", NULL};
	const cJSON *tool, *arr, *it;
	unsigned char raw[FINGERPRINT_DIGEST_LEN];
	char own[FINGERPRINT_LEN + 1];
	const char *name, *digest;
	int err;

	if ((err = check_keys(r, root, "", top)) ||
	    (err = get_node(r, root, "tool", 0, 1, &tool)) ||
	    (err = check_keys(r, tool, "tool", tool_keys)) ||
	    (err = get_kept(r, tool, "name", 1, &name)) ||
	    (err = get_str(r, tool, "version", 1, &r->d->version)) ||
	    (err = get_kept(r, tool, "rules_digest", 0, &digest)))
		return err;
	if (!name || strcmp(name, "nfguard"))
		return bad(r, "tool.name", "not an nfguard report");
	if (!digest)
		return bad(r, "tool.rules_digest",
			   "missing: the report does not say which rules "
			   "made it");
	if (fingerprint_decode(digest, raw))
		return bad(r, "tool.rules_digest",
			   "not sha256: and 64 hex digits");
	memcpy(r->d->rules_digest, digest, FINGERPRINT_LEN + 1);
	report_rules_digest(r->rs, own);
	if (strcmp(digest, own))
		return error_set(NFG_EINVAL,
				 "%s: made with other rules (%s) than those "
				 "loaded (%s)",
				 r->origin, digest, own);
	if ((err = read_scan(r,
			     cJSON_GetObjectItemCaseSensitive(root, "scan"))) ||
	    (err = get_node(r, root, "findings", 1, 1, &arr)))
		return err;
	cJSON_ArrayForEach(it, arr)
	{
		if ((err = read_finding(r, it)))
			return err;
	}
	return 0;
}

/* 1 if p[0..n) is only white space. */
static int blank(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	return n == 0;
}

/* JSONL: each non-blank line one finding, read in turn. */
static int read_jsonl(struct rd *r, const char *data, size_t len)
{
	struct rd line = *r;
	const char *p = data, *end = data + len, *nl;
	char where[4096];
	size_t no = 0;
	cJSON *o;
	int err = 0;

	r->d->jsonl = 1;
	line.origin = where;
	for (; p < end && !err; p = nl + 1) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		n = (size_t)(nl - p);
		no++;
		snprintf(where, sizeof(where), "%s:%zu", r->origin, no);
		if (blank(p, n))
			continue;
		if (!(o = config_json_parse(p, n, where)))
			return NFG_EINVAL;
		err = read_finding(&line, o);
		cJSON_Delete(o);
	}
	return err;
}

int report_read(struct report_doc *d, const char *data, size_t len,
		const char *origin, const struct ruleset *rs)
{
	struct rd r = {d, origin, rs};
	cJSON *root = NULL;
	const char *end = NULL;
	int err;

	memset(d, 0, sizeof(*d));
	findings_init(&d->findings);
	if (len > REPORT_READ_MAX_SIZE) {
		err = error_set(NFG_ELIMIT, "%s: larger than %zu bytes", origin,
				REPORT_READ_MAX_SIZE);
		goto done;
	}
	if (memchr(data, '\0', len)) {
		err = error_set(NFG_EINVAL, "%s: holds a NUL byte", origin);
		goto done;
	}
	/* One object naming its tool is a JSON report; else JSONL. */
	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (root && cJSON_IsObject(root) &&
	    cJSON_GetObjectItemCaseSensitive(root, "tool") &&
	    blank(end, (size_t)(data + len - end)))
		err = read_json(&r, root);
	else
		err = read_jsonl(&r, data, len);
done:
	cJSON_Delete(root);
	if (err)
		report_doc_release(d);
	return err;
}

void report_doc_release(struct report_doc *d)
{
	size_t i;

	if (!d)
		return;
	findings_release(&d->findings);
	for (i = 0; i < d->nunknown; i++)
		free(d->unknown[i]);
	for (i = 0; i < d->nstrs; i++)
		free(d->strs[i]);
	free(d->strs);
	free(d->version);
	free(d->problems);
	free(d->repos);
	free(d->targets);
	memset(d, 0, sizeof(*d));
}

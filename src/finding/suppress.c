/*
 * Suppression: ignore-file entries and baseline fingerprints in hash sets
 * keyed by the fingerprint's digest, path allow globs, and the one pass
 * that drops covered findings. Lookups compare the whole digest, so a
 * shared 20-byte prefix can never hide a different token.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/glob.h"
#include "finding/suppress.h"

#include <cjson/cJSON.h>
#include <unistd.h>

#define IGNORE_FILE_MAX	  ((size_t)16 << 20)
#define BASELINE_FILE_MAX BUF_DEFAULT_MAX
#define NO_NEXT		  SIZE_MAX
#define PATH_MAX_LEN	  ((size_t)1 << 16) /* a finding's path, made whole */

void suppress_init(struct suppress *s)
{
	memset(s, 0, sizeof(*s));
	idmap_init(&s->ignore_ids);
	idmap_init(&s->baseline_ids);
}

void suppress_release(struct suppress *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nentries; i++) {
		free(s->entries[i].origin);
		free(s->entries[i].comment);
	}
	free(s->entries);
	idmap_release(&s->ignore_ids);
	free(s->baseline);
	free(s->baseline_next);
	idmap_release(&s->baseline_ids);
	for (i = 0; i < s->nallow_paths; i++)
		free(s->allow_paths[i]);
	free(s->allow_paths);
	free(s->anchor);
	free(s->base);
	suppress_init(s);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Adds one entry, chaining it after earlier ones with the same digest. */
static int add_entry(struct suppress *s, const char *fp,
		     const unsigned char digest[32], const char *origin,
		     size_t line, const char *comment, size_t comment_len)
{
	struct suppress_entry *e;
	uint32_t *first;
	int err, existed;

	if (s->nentries >= UINT32_MAX)
		return error_set(NFG_ELIMIT, "%s:%zu: too many ignore entries",
				 origin, line);
	if ((err = ARRAY_GROW(s->entries, s->nentries, s->entries_cap)))
		return error_set(err, "out of memory");
	e = &s->entries[s->nentries];
	memset(e, 0, sizeof(*e));
	memcpy(e->fingerprint, fp, FINGERPRINT_LEN);
	e->fingerprint[FINGERPRINT_LEN] = '\0';
	e->line = line;
	e->next = NO_NEXT;
	e->origin = strdup(origin);
	if (comment)
		e->comment = strndup(comment, comment_len);
	if (!e->origin || (comment && !e->comment)) {
		free(e->origin);
		free(e->comment);
		return error_nomem();
	}
	if ((err = idmap_put(&s->ignore_ids, digest, (uint32_t)s->nentries,
			     &existed, &first))) {
		free(e->origin);
		free(e->comment);
		return error_set(err, "out of memory");
	}
	if (existed) {
		size_t i = *first;

		while (s->entries[i].next != NO_NEXT)
			i = s->entries[i].next;
		s->entries[i].next = s->nentries;
	}
	s->nentries++;
	return 0;
}

static int parse_ignore_line(struct suppress *s, const char *p, const char *le,
			     const char *origin, size_t line)
{
	char fp[FINGERPRINT_LEN + 1];
	unsigned char digest[32];
	const char *r, *c = NULL, *ce = NULL;

	while (p < le && is_blank(*p))
		p++;
	if (p == le || *p == '#')
		return 0;
	if ((size_t)(le - p) < FINGERPRINT_LEN)
		goto bad;
	memcpy(fp, p, FINGERPRINT_LEN);
	fp[FINGERPRINT_LEN] = '\0';
	r = p + FINGERPRINT_LEN;
	if (fingerprint_decode(fp, digest) || (r < le && !is_blank(*r)))
		goto bad;
	while (r < le && is_blank(*r))
		r++;
	if (r < le) {
		if (*r != '#')
			return error_set(NFG_EINVAL,
					 "%s:%zu: text after the fingerprint "
					 "must be a '# comment'",
					 origin, line);
		c = r + 1;
		ce = le;
		while (c < ce && is_blank(*c))
			c++;
		while (ce > c && is_blank(ce[-1]))
			ce--;
	}
	return add_entry(s, fp, digest, origin, line, c, (size_t)(ce - c));
bad:
	return error_set(NFG_EINVAL,
			 "%s:%zu: expected a fingerprint ('sha256:' and 64 "
			 "lowercase hex digits) or a '#' comment",
			 origin, line);
}

/* The 1-based line of text holding p. */
int suppress_parse_ignore(struct suppress *s, const char *text, size_t len,
			  const char *origin)
{
	const char *p = text, *end = text + len, *nul;
	size_t line = 0;
	int err;

	if ((nul = memchr(text, '\0', len)))
		return error_set(NFG_EINVAL, "%s:%zu: NUL byte", origin,
				 str_line_of(text, (size_t)(nul - text), nul));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		line++;
		if (le > p && le[-1] == '\r')
			le--;
		if ((err = parse_ignore_line(s, p, le, origin, line)))
			return err;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int suppress_load_ignore(struct suppress *s, const char *path, int missing_ok)
{
	struct buf b;
	int err, missing = 0;

	buf_init(&b, IGNORE_FILE_MAX);
	err = file_read_all(&b, path, missing_ok ? &missing : NULL);
	if (!err && !missing)
		err = suppress_parse_ignore(s, b.ptr, b.len, path);
	buf_release(&b);
	return err;
}

/*
 * The index of digest in the baseline, or UINT32_MAX. The index is keyed
 * by the first 20 bytes: digests sharing them are chained.
 */
static uint32_t baseline_find(const struct suppress *s,
			      const unsigned char digest[32])
{
	const uint32_t *first = idmap_get(&s->baseline_ids, digest);
	uint32_t i;

	for (i = first ? *first : UINT32_MAX; i != UINT32_MAX;
	     i = s->baseline_next[i])
		if (!memcmp(s->baseline[i], digest, 32))
			return i;
	return UINT32_MAX;
}

static int baseline_add(struct suppress *s, const unsigned char digest[32])
{
	uint32_t *first, i, n = (uint32_t)s->nbaseline;
	int err, existed;

	if (baseline_find(s, digest) != UINT32_MAX)
		return 0;
	if (s->nbaseline >= UINT32_MAX - 1)
		return error_set(NFG_ELIMIT, "too many baseline fingerprints");
	if ((err = ARRAY_GROW(s->baseline, s->nbaseline, s->baseline_cap)) ||
	    (err = ARRAY_GROW(s->baseline_next, s->nbaseline,
			      s->baseline_next_cap)))
		return error_set(err, "out of memory");
	if ((err = idmap_put(&s->baseline_ids, digest, n, &existed, &first)))
		return error_set(err, "out of memory");
	if (existed) {
		for (i = *first; s->baseline_next[i] != UINT32_MAX;
		     i = s->baseline_next[i])
			;
		s->baseline_next[i] = n;
	}
	memcpy(s->baseline[n], digest, 32);
	s->baseline_next[n] = UINT32_MAX;
	s->nbaseline++;
	return 0;
}

/* The digest of obj's "fingerprint", or NFG_EINVAL (no message). */
static int finding_digest(const cJSON *obj, unsigned char digest[32])
{
	const cJSON *fp;

	if (!cJSON_IsObject(obj))
		return NFG_EINVAL;
	fp = cJSON_GetObjectItemCaseSensitive(obj, "fingerprint");
	if (!cJSON_IsString(fp))
		return NFG_EINVAL;
	return fingerprint_decode(fp->valuestring, digest);
}

static int only_space(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return 0;
	return 1;
}

/*
 * Parses [p, end) as exactly one JSON value followed only by white space.
 * NULL when it is not; *stop (may be NULL) is where cJSON stopped.
 */
static cJSON *parse_one(const char *p, const char *end, const char **stop)
{
	const char *at = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &at, 0);

	if (stop)
		*stop = at;
	if (v && (!at || !only_space(at, end))) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

static int baseline_report(struct suppress *s, const cJSON *findings,
			   const char *origin)
{
	unsigned char digest[32];
	const cJSON *it;
	size_t i = 0;
	int err;

	if (!cJSON_IsArray(findings))
		return error_set(NFG_EINVAL,
				 "%s: not an nfguard report (no \"findings\" "
				 "array)",
				 origin);
	cJSON_ArrayForEach(it, findings)
	{
		if (finding_digest(it, digest))
			return error_set(NFG_EINVAL,
					 "%s: findings[%zu]: no valid "
					 "\"fingerprint\"",
					 origin, i);
		if ((err = baseline_add(s, digest)))
			return err;
		i++;
	}
	return 0;
}

static int baseline_jsonl(struct suppress *s, const char *text, size_t len,
			  const char *origin)
{
	const char *p = text, *end = text + len;
	unsigned char digest[32];
	size_t line = 0;
	int err = 0;

	while (!err && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		cJSON *v;

		line++;
		if (!only_space(p, le)) {
			v = parse_one(p, le, NULL);
			if (!v)
				err = error_set(NFG_EINVAL,
						"%s:%zu: malformed JSON",
						origin, line);
			else if (finding_digest(v, digest))
				err = error_set(NFG_EINVAL,
						"%s:%zu: no valid "
						"\"fingerprint\"",
						origin, line);
			else
				err = baseline_add(s, digest);
			cJSON_Delete(v);
		}
		p = nl ? nl + 1 : end;
	}
	return err;
}

int suppress_parse_baseline(struct suppress *s, const char *text, size_t len,
			    const char *origin)
{
	const char *p = text, *end = text + len, *stop = NULL, *nul, *nl;
	const cJSON *findings = NULL;
	cJSON *root = NULL, *first;
	int err, is_report;

	if ((nul = memchr(text, '\0', len)))
		return error_set(NFG_EINVAL, "%s:%zu: NUL byte", origin,
				 str_line_of(text, (size_t)(nul - text), nul));
	if (only_space(text, end))
		return 0;
	/*
	 * A report is one object with "findings"; anything else is read as
	 * JSONL. A broken report is told apart from broken JSONL by its
	 * first line, which holds no whole object in a report.
	 */
	root = parse_one(text, end, &stop);
	if (root) {
		unsigned char digest[32];

		if (cJSON_IsObject(root))
			findings = cJSON_GetObjectItemCaseSensitive(root,
								    "findings");
		if (findings)
			err = baseline_report(s, findings, origin);
		else if (!cJSON_IsObject(root) ||
			 !cJSON_GetObjectItemCaseSensitive(root, "fingerprint"))
			err = error_set(NFG_EINVAL,
					"%s: not an nfguard report (no "
					"\"findings\" array)",
					origin);
		else if (finding_digest(root, digest))
			err = error_set(NFG_EINVAL,
					"%s: no valid \"fingerprint\"", origin);
		else
			err = baseline_add(s, digest); /* JSONL, one line */
		goto done;
	}
	while (p < end && only_space(p, p + 1))
		p++;
	nl = memchr(p, '\n', (size_t)(end - p));
	first = parse_one(p, nl ? nl : end, NULL);
	is_report = cJSON_IsObject(first) &&
		    cJSON_GetObjectItemCaseSensitive(first, "findings");
	cJSON_Delete(first);
	if (!first || is_report) {
		/* a broken report, or one followed by more text */
		if (!stop || stop < text || stop > end)
			stop = text;
		while (stop < end && only_space(stop, stop + 1))
			stop++;
		err = error_set(NFG_EINVAL, "%s: malformed JSON near line %zu",
				origin,
				str_line_of(text, (size_t)(stop - text), stop));
		goto done;
	}
	err = baseline_jsonl(s, text, len, origin);
done:
	cJSON_Delete(root);
	return err;
}

int suppress_load_baseline(struct suppress *s, const char *path)
{
	struct buf b;
	int err;

	buf_init(&b, BASELINE_FILE_MAX);
	if (!(err = file_read_all(&b, path, NULL)))
		err = suppress_parse_baseline(s, b.ptr, b.len, path);
	buf_release(&b);
	return err;
}

int suppress_add_allow_path(struct suppress *s, const char *glob)
{
	char *copy;
	int err;

	if ((err = glob_check(glob, NULL)))
		return err;
	if ((err = ARRAY_GROW(s->allow_paths, s->nallow_paths, s->allow_cap)))
		return error_set(err, "out of memory");
	if (!(copy = strdup(glob)))
		return error_nomem();
	s->allow_paths[s->nallow_paths++] = copy;
	return 0;
}

/* Marks every entry for the finding's fingerprint used; 1 if any. */
static int use_ignore(struct suppress *s, const struct finding *f)
{
	const uint32_t *first = idmap_get(&s->ignore_ids, f->digest);
	size_t i;
	int hit = 0;

	for (i = first ? *first : NO_NEXT; i != NO_NEXT; i = s->entries[i].next)
		if (!strcmp(s->entries[i].fingerprint, f->fingerprint)) {
			s->entries[i].uses++;
			hit = 1;
		}
	return hit;
}

static int in_baseline(const struct suppress *s, const unsigned char digest[32])
{
	return baseline_find(s, digest) != UINT32_MAX;
}

static int resolve_dir(char **out, const char *dir)
{
	free(*out);
	if (!(*out = realpath(dir, NULL)))
		return errno == ENOMEM
			       ? error_nomem()
			       : error_set_errno(NFG_EIO, errno,
						 "cannot open '%s'", dir);
	return 0;
}

int suppress_set_anchor(struct suppress *s, const char *dir, const char *base)
{
	int err = resolve_dir(&s->anchor, dir);

	free(s->base);
	s->base = NULL;
	if (!err && base)
		err = resolve_dir(&s->base, base);
	return err;
}

/*
 * Appends the '/'-separated segments of p to the absolute path in b,
 * dropping empty and "." segments and taking ".." back one segment.
 */
static int append_segments(struct buf *b, const char *p)
{
	int err = 0;

	while (*p && !err) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (b->len > 0 && b->ptr[b->len - 1] != '/')
				b->len--;
			if (b->len > 1) /* its '/' too, unless it is the root */
				b->len--;
			b->ptr[b->len] = '\0';
		} else if (n && !(n == 1 && *p == '.')) {
			if (b->len > 1 || (b->len == 1 && b->ptr[0] != '/'))
				err = buf_putc(b, '/');
			if (!err)
				err = buf_add(b, p, n);
		}
		p += n + (e != NULL);
	}
	return err;
}

/*
 * The path of a finding relative to the anchor, in out: 1 when it lies
 * inside the anchor, 0 when not (or when it is too long to), <0 on error.
 */
static int anchored(const struct suppress *s, const char *path, struct buf *out)
{
	size_t alen = strcmp(s->anchor, "/") ? strlen(s->anchor) : 0;
	struct buf full, real;
	char *cwd = NULL, *dir = NULL, *slash;
	int err, inside = 0;

	buf_init(&full, PATH_MAX_LEN);
	buf_init(&real, PATH_MAX_LEN);
	if (*path == '/')
		err = buf_putc(&full, '/');
	else if (s->base)
		err = buf_puts(&full, s->base);
	else if ((cwd = getcwd(NULL, 0)))
		err = buf_puts(&full, cwd);
	else
		err = error_set_errno(NFG_EIO, errno,
				      "cannot find the current folder");
	if (!err)
		err = append_segments(&full, path);
	if (err)
		goto done;
	/* A path named on this machine: its folder's links are resolved. */
	slash = strrchr(full.ptr, '/');
	if (!s->base && slash != full.ptr) {
		*slash = '\0';
		dir = realpath(full.ptr, NULL);
		*slash = '/';
		if (dir && !(err = buf_puts(&real, dir)) &&
		    !(err = append_segments(&real, slash + 1))) {
			struct buf t = full;

			full = real;
			real = t;
		}
		if (err)
			goto done;
	}
	inside = !strncmp(full.ptr, s->anchor, alen) && full.ptr[alen] == '/';
	buf_reset(out);
	if (inside)
		err = buf_puts(out, full.ptr + alen + 1);
done:
	free(cwd);
	free(dir);
	buf_release(&full);
	buf_release(&real);
	if (err == NFG_ELIMIT)
		return 0; /* longer than any path: never under the anchor */
	return err ? err : inside;
}

static int allowed_path(const struct suppress *s, const char *path)
{
	struct buf rel;
	size_t i;
	int found = 0, in;

	if (!path || !s->nallow_paths)
		return 0;
	buf_init(&rel, PATH_MAX_LEN);
	in = s->anchor ? anchored(s, path, &rel) : 1;
	if (in < 0) {
		buf_release(&rel);
		return in;
	}
	for (i = 0; in && i < s->nallow_paths && !found; i++)
		found = glob_match(s->allow_paths[i],
				   s->anchor ? rel.ptr : path);
	buf_release(&rel);
	return found;
}

int suppress_apply(struct suppress *s, struct findings *l,
		   struct suppress_counts *out)
{
	struct suppress_counts c = {0, 0, 0, 0};
	size_t i, kept = 0;
	int err = 0, ap;

	for (i = 0; i < l->n; i++) {
		struct finding *f = &l->v[i];
		size_t *count = NULL;

		ap = 0;
		if (use_ignore(s, f))
			count = &c.ignored;
		else if (in_baseline(s, f->digest))
			count = &c.baselined;
		else if ((ap = err ? 0 : allowed_path(s, f->path)) > 0)
			count = &c.allowed_path;
		else if (f->inline_allowed)
			count = &c.inline_allowed;
		if (ap < 0)
			err = ap;
		if (count) {
			(*count)++;
			finding_release(f);
			continue;
		}
		if (kept != i) {
			l->v[kept] = *f;
			memset(f, 0, sizeof(*f));
		}
		kept++;
	}
	l->n = kept;
	if (out)
		*out = c;
	return err;
}

void suppress_each_unused(const struct suppress *s,
			  void (*fn)(void *ctx, const char *origin, size_t line,
				     const char *fingerprint,
				     const char *comment),
			  void *ctx)
{
	size_t i;

	for (i = 0; i < s->nentries; i++)
		if (!s->entries[i].uses)
			fn(ctx, s->entries[i].origin, s->entries[i].line,
			   s->entries[i].fingerprint, s->entries[i].comment);
}

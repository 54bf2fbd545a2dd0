/*
 * The state file of incremental sweeps: parsed strictly with cJSON from a
 * memory buffer (it is hostile input like any other), written whole to a
 * new file renamed over the old one, and the few operations a run needs
 * on it (settling what an interrupted run left, recording a repository).
 */
#include "util/common.h"
#include "util/array.h"
#include "util/error.h"
#include "util/file.h"
#include "util/parse.h"
#include "util/sha256.h"
#include "util/str.h"
#include "finding/finding.h"
#include "sweep/state.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/file.h>
#include <stdio.h>
#include <unistd.h>

static const char hexdigits[] = "0123456789abcdef";

void state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
	idmap_init(&s->keys);
}

static void repo_release(struct state_repo *r)
{
	free(r->key);
	free(r->tips);
	free(r->reported);
	free(r->pending_tips);
	free(r->pending_found);
	memset(r, 0, sizeof(*r));
}

void state_release(struct state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		repo_release(&s->v[i]);
	free(s->v);
	idmap_release(&s->keys);
	memset(s, 0, sizeof(*s));
}

static void digest_of(const void *data, size_t len, unsigned char out[32])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

static void key_id(const char *key, unsigned char id[32])
{
	digest_of(key, strlen(key), id);
}

struct state_repo *state_find(const struct state *s, const char *key)
{
	unsigned char id[32];
	const uint32_t *at;

	key_id(key, id);
	at = idmap_get(&s->keys, id);
	return at && !strcmp(s->v[*at].key, key) ? &s->v[*at] : NULL;
}

int state_add(struct state *s, const char *key, struct state_repo **out)
{
	unsigned char id[32];
	char *copy;
	int err, existed;

	if ((*out = state_find(s, key)))
		return 0;
	if (s->n >= STATE_MAX_REPOS)
		return error_set(NFG_ELIMIT, "more than %d repositories",
				 STATE_MAX_REPOS);
	key_id(key, id);
	if ((err = ARRAY_GROW(s->v, s->n, s->cap)))
		return err;
	if (!(copy = strdup(key)))
		return error_nomem();
	if ((err = idmap_put(&s->keys, id, (uint32_t)s->n, &existed, NULL))) {
		free(copy);
		return err;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	s->v[s->n].key = copy;
	*out = &s->v[s->n++];
	return 0;
}

/* --- Parsing ----------------------------------------------------------- */

/* A member's place, for messages: "repositories[2].tips[0]". */
static int bad(const char *where, size_t i, const char *member, size_t j,
	       const char *why)
{
	if (member && j != SIZE_MAX)
		return error_set(NFG_EINVAL, "%s[%zu].%s[%zu]: %s", where, i,
				 member, j, why);
	if (member)
		return error_set(NFG_EINVAL, "%s[%zu].%s: %s", where, i, member,
				 why);
	return error_set(NFG_EINVAL, "%s[%zu]: %s", where, i, why);
}

static int hex_value(char c)
{
	const char *p = c ? strchr(hexdigits, c) : NULL;

	return p ? (int)(p - hexdigits) : -1;
}

/* s as exactly n bytes in lowercase hex: 0, or -1. */
static int unhex(const char *s, unsigned char *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/*
 * A list of ids (width STATE_TIP_LEN) or fingerprints: strictly ascending
 * (sorted, no repeats), into *out (allocated; NULL when empty).
 */
static int parse_list(const cJSON *arr, size_t width, const char *where,
		      size_t i, const char *member, unsigned char **out,
		      size_t *n)
{
	const cJSON *it;
	unsigned char *v = NULL;
	size_t k = 0, count;
	int err = 0;

	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(arr))
		return bad(where, i, member, SIZE_MAX, "not an array");
	count = (size_t)cJSON_GetArraySize(arr);
	if (!count)
		return 0;
	if (!(v = malloc(count * width)))
		return error_nomem();
	cJSON_ArrayForEach(it, arr)
	{
		unsigned char *at = v + k * width;
		int ok = cJSON_IsString(it) && it->valuestring;

		if (ok && width == STATE_TIP_LEN)
			ok = !unhex(it->valuestring, at, width);
		else if (ok)
			ok = !fingerprint_decode(it->valuestring, at);
		if (!ok) {
			err = bad(where, i, member, k,
				  width == STATE_TIP_LEN ? "not a commit id"
							 : "not a fingerprint");
			break;
		}
		if (k && memcmp(at - width, at, width) >= 0) {
			err = bad(where, i, member, k,
				  "not after the one before (sorted, no "
				  "repeats)");
			break;
		}
		k++;
	}
	if (err) {
		free(v);
		return err;
	}
	*out = v;
	*n = k;
	return 0;
}

enum { M_KEY, M_TIPS, M_REPORTED, M_PENDING_TIPS, M_PENDING, M_COUNT };
static const char *const repo_members[M_COUNT] = {"key", "tips", "reported",
						  "pending_tips", "pending"};

/*
 * One repository's object, added to s; where names the list it is in, for
 * messages ("repositories", or a journal's "record").
 */
static int parse_repo(struct state *s, const cJSON *o, const char *where,
		      size_t i)
{
	const cJSON *m[M_COUNT] = {NULL}, *it;
	struct state_repo *r;
	const char *key;
	size_t k;
	int err;

	if (!cJSON_IsObject(o))
		return bad(where, i, NULL, SIZE_MAX, "not an object");
	cJSON_ArrayForEach(it, o)
	{
		for (k = 0; k < M_COUNT; k++)
			if (it->string && !strcmp(it->string, repo_members[k]))
				break;
		if (k == M_COUNT)
			return bad(where, i, it->string ? it->string : "?",
				   SIZE_MAX, "unknown member");
		if (m[k])
			return bad(where, i, repo_members[k], SIZE_MAX,
				   "given twice");
		m[k] = it;
	}
	for (k = 0; k < M_PENDING_TIPS; k++)
		if (!m[k])
			return bad(where, i, repo_members[k], SIZE_MAX,
				   "missing");
	if (!m[M_PENDING_TIPS] != !m[M_PENDING])
		return bad(where, i, "pending", SIZE_MAX,
			   "pending and pending_tips go together");
	key = cJSON_IsString(m[M_KEY]) ? m[M_KEY]->valuestring : NULL;
	if (!key || !*key || strlen(key) > STATE_MAX_KEY ||
	    str_has_control(key, strlen(key)))
		return bad(where, i, "key", SIZE_MAX, "not a repository's key");
	if (state_find(s, key))
		return bad(where, i, "key", SIZE_MAX,
			   "a repository listed twice");
	if ((err = state_add(s, key, &r)) ||
	    (err = parse_list(m[M_TIPS], STATE_TIP_LEN, where, i, "tips",
			      &r->tips, &r->ntips)) ||
	    (err = parse_list(m[M_REPORTED], STATE_DIGEST_LEN, where, i,
			      "reported", &r->reported, &r->nreported)))
		return err;
	if (!m[M_PENDING])
		return 0;
	r->pending = 1;
	if ((err = parse_list(m[M_PENDING_TIPS], STATE_TIP_LEN, where, i,
			      "pending_tips", &r->pending_tips,
			      &r->npending_tips)))
		return err;
	return parse_list(m[M_PENDING], STATE_DIGEST_LEN, where, i, "pending",
			  &r->pending_found, &r->npending_found);
}

enum { T_VERSION, T_RULES, T_REPOS, T_COUNT };
static const char *const top_members[T_COUNT] = {"version", "rules",
						 "repositories"};

static int parse_root(struct state *s, const cJSON *root)
{
	const cJSON *m[T_COUNT] = {NULL}, *it;
	size_t k, i = 0;
	int err;

	if (!cJSON_IsObject(root))
		return error_set(NFG_EINVAL, "not a JSON object");
	/* The version first: a later one may have members of its own. */
	it = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(it))
		return error_set(NFG_EINVAL, "no version");
	if (it->valuedouble != STATE_VERSION)
		return error_set(NFG_EINVAL,
				 "unsupported version %.17g (this nfguard "
				 "reads %d)",
				 it->valuedouble, STATE_VERSION);
	cJSON_ArrayForEach(it, root)
	{
		for (k = 0; k < T_COUNT; k++)
			if (it->string && !strcmp(it->string, top_members[k]))
				break;
		if (k == T_COUNT)
			return error_set(NFG_EINVAL, "unknown member '%s'",
					 it->string ? it->string : "?");
		if (m[k])
			return error_set(NFG_EINVAL, "'%s' given twice",
					 top_members[k]);
		m[k] = it;
	}
	if (!m[T_RULES] || !cJSON_IsString(m[T_RULES]) ||
	    !m[T_RULES]->valuestring ||
	    fingerprint_decode(m[T_RULES]->valuestring, s->rules))
		return error_set(NFG_EINVAL, "rules: not a digest");
	s->has_rules = 1;
	if (!cJSON_IsArray(m[T_REPOS]))
		return error_set(NFG_EINVAL, "repositories: not an array");
	cJSON_ArrayForEach(it, m[T_REPOS])
	{
		if ((err = parse_repo(s, it, "repositories", i++)))
			return err;
	}
	return 0;
}

int state_parse(struct state *s, const char *data, size_t len)
{
	const char *end = NULL;
	cJSON *root;
	int err;

	if (len > STATE_MAX_SIZE)
		return error_set(NFG_ELIMIT, "larger than %zu bytes",
				 STATE_MAX_SIZE);
	if (memchr(data, '\0', len))
		return error_set(NFG_EINVAL, "holds a NUL byte");
	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (!root) {
		/* cJSON cannot tell a failed allocation from bad text. */
		return error_set(NFG_EINVAL, "not valid JSON (at byte %zu)",
				 end && end >= data ? (size_t)(end - data)
						    : (size_t)0);
	}
	for (; end && end < data + len && strchr(" \t\r\n", *end); end++)
		;
	if (end != data + len)
		err = error_set(NFG_EINVAL, "text after the JSON value");
	else
		err = parse_root(s, root);
	cJSON_Delete(root);
	if (err) {
		state_release(s);
		state_init(s);
	} else {
		digest_of(data, len, s->text);
	}
	return err;
}

/* Prefixes the last error with "'PATH': "; returns err. */
static int at_path(int err, const char *path)
{
	char why[1024];

	snprintf(why, sizeof(why), "%s", error_last());
	return error_set(err, "'%s': %s", path, why);
}

int state_read(struct state *s, const char *path, int *missing)
{
	struct buf b;
	int err;

	*missing = 0;
	buf_init(&b, STATE_MAX_SIZE);
	err = file_read_all(&b, path, missing);
	if (!err && !*missing && (err = state_parse(s, b.ptr, b.len)))
		err = at_path(err, path);
	buf_release(&b);
	return err;
}

/* --- Writing ----------------------------------------------------------- */

/* An id (width STATE_TIP_LEN) in hex, or a digest as "sha256:HEX". */
static void item_text(const unsigned char *v, size_t width,
		      char text[8 + 2 * STATE_DIGEST_LEN])
{
	size_t k, at = 0;

	if (width == STATE_DIGEST_LEN) {
		memcpy(text, "sha256:", 7);
		at = 7;
	}
	for (k = 0; k < width; k++) {
		text[at++] = hexdigits[v[k] >> 4];
		text[at++] = hexdigits[v[k] & 15];
	}
	text[at] = '\0';
}

/* Adds item to o (an object: as name; an array: name NULL); takes it. */
static int put(cJSON *o, const char *name, cJSON *item)
{
	if (item && (name ? cJSON_AddItemToObject(o, name, item)
			  : cJSON_AddItemToArray(o, item)))
		return 0;
	cJSON_Delete(item);
	return -1;
}

static cJSON *list_json(const unsigned char *v, size_t n, size_t width)
{
	cJSON *arr = cJSON_CreateArray();
	char text[8 + 2 * STATE_DIGEST_LEN];
	size_t i;

	for (i = 0; arr && i < n; i++) {
		item_text(v + i * width, width, text);
		if (put(arr, NULL, cJSON_CreateString(text))) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static cJSON *repo_json(const struct state_repo *r)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || put(o, "key", cJSON_CreateString(r->key)) ||
	    put(o, "tips", list_json(r->tips, r->ntips, STATE_TIP_LEN)) ||
	    put(o, "reported",
		list_json(r->reported, r->nreported, STATE_DIGEST_LEN)) ||
	    (r->pending && (put(o, "pending_tips",
				list_json(r->pending_tips, r->npending_tips,
					  STATE_TIP_LEN)) ||
			    put(o, "pending",
				list_json(r->pending_found, r->npending_found,
					  STATE_DIGEST_LEN))))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int state_format(const struct state *s, struct buf *out)
{
	cJSON *root = cJSON_CreateObject(), *repos = cJSON_CreateArray();
	char rules[8 + 2 * STATE_DIGEST_LEN], *text = NULL;
	size_t i;
	int err;

	item_text(s->rules, STATE_DIGEST_LEN, rules);
	if (!root || !repos ||
	    put(root, "version", cJSON_CreateNumber(STATE_VERSION)) ||
	    put(root, "rules", cJSON_CreateString(rules))) {
		cJSON_Delete(repos);
		goto nomem;
	}
	if (put(root, "repositories", repos))
		goto nomem;
	for (i = 0; i < s->n; i++)
		if (put(repos, NULL, repo_json(&s->v[i])))
			goto nomem;
	if (!(text = cJSON_Print(root)))
		goto nomem;
	cJSON_Delete(root);
	if (strlen(text) >= STATE_MAX_SIZE)
		err = error_set(NFG_ELIMIT,
				"the state would be larger than %zu bytes",
				STATE_MAX_SIZE);
	else
		err = buf_puts(out, text) ? buf_failed(out)
					  : buf_putc(out, '\n');
	free(text);
	return err;
nomem:
	cJSON_Delete(root);
	return error_nomem();
}

/* Writes all of data to fd: 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Flushes the folder that holds path: the rename is then on disk. */
static int sync_folder(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = -1;

	if (!copy)
		return -1;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/*
 * Replaces the file at path with data[0..len) atomically: written to a
 * new file beside it (mkstemp: mode 0600, never one that was there),
 * flushed, renamed over path, the folder flushed.
 */
static int write_atomic(const char *path, const char *data, size_t len)
{
	struct buf tmp;
	int fd = -1, err = 0;

	buf_init(&tmp, BUF_DEFAULT_MAX);
	if (buf_printf(&tmp, "%s.XXXXXX", path)) {
		buf_release(&tmp);
		return error_nomem();
	}
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		err = error_set_errno(NFG_EIO, errno, "cannot create '%s'",
				      tmp.ptr);
		buf_reset(&tmp);
		goto done;
	}
	if (write_all(fd, data, len) || fsync(fd)) {
		err = error_set_errno(NFG_EIO, errno, "cannot write '%s'",
				      tmp.ptr);
		goto done;
	}
	if (close(fd)) {
		fd = -1;
		err = error_set_errno(NFG_EIO, errno, "cannot write '%s'",
				      tmp.ptr);
		goto done;
	}
	fd = -1;
	if (rename(tmp.ptr, path) || sync_folder(path)) {
		err = error_set_errno(NFG_EIO, errno, "cannot replace '%s'",
				      path);
		goto done;
	}
	buf_reset(&tmp);
done:
	if (fd >= 0)
		close(fd);
	if (err && tmp.len)
		unlink(tmp.ptr);
	buf_release(&tmp);
	return err;
}

/* path with suffix appended, into b. 0 or NFG_ENOMEM. */
static int beside(struct buf *b, const char *path, const char *suffix)
{
	buf_init(b, BUF_DEFAULT_MAX);
	if (!buf_printf(b, "%s%s", path, suffix))
		return 0;
	buf_release(b);
	return error_nomem();
}

/* A new journal at jpath following the text of digest, opened in j. */
static int journal_start(struct state_journal *j, struct buf *jpath,
			 const unsigned char digest[STATE_DIGEST_LEN])
{
	char base[8 + 2 * STATE_DIGEST_LEN], line[128];
	int n;

	item_text(digest, STATE_DIGEST_LEN, base);
	n = snprintf(line, sizeof(line), "{\"journal\":1,\"base\":\"%s\"}\n",
		     base);
	if (write_atomic(jpath->ptr, line, (size_t)n))
		return NFG_EIO;
	j->fd = open(jpath->ptr, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (j->fd < 0)
		return error_set_errno(NFG_EIO, errno, "cannot open '%s'",
				       jpath->ptr);
	j->path = buf_detach(jpath, NULL);
	j->size = (size_t)n;
	return j->path ? 0 : error_nomem();
}

int state_save(struct state *s, const char *path, struct state_journal *j)
{
	unsigned char digest[STATE_DIGEST_LEN];
	struct buf text, jpath;
	int err;

	buf_init(&text, STATE_MAX_SIZE);
	if ((err = beside(&jpath, path, ".journal")) ||
	    (err = state_format(s, &text))) {
		err = at_path(err, path);
		goto done;
	}
	if ((err = write_atomic(path, text.ptr, text.len)))
		goto done;
	digest_of(text.ptr, text.len, digest);
	memcpy(s->text, digest, sizeof(digest));
	if (j) {
		state_journal_close(j);
		err = journal_start(j, &jpath, digest);
	} else if ((unlink(jpath.ptr) && errno != ENOENT) ||
		   sync_folder(jpath.ptr)) {
		err = error_set_errno(NFG_EIO, errno, "cannot remove '%s'",
				      jpath.ptr);
	}
done:
	buf_release(&jpath);
	buf_release(&text);
	return err;
}

int state_journal_add(struct state_journal *j, const struct state_repo *r)
{
	cJSON *o = repo_json(r);
	char *line = o ? cJSON_PrintUnformatted(o) : NULL;
	size_t len = line ? strlen(line) : 0;
	int err = 0;

	cJSON_Delete(o);
	if (!line)
		return error_nomem();
	/* The newline ends the record: a line without one was cut short. */
	line[len++] = '\n';
	if (len > STATE_MAX_SIZE - j->size)
		err = error_set(NFG_ELIMIT,
				"'%s': the journal would be larger than %zu "
				"bytes",
				j->path, STATE_MAX_SIZE);
	else if (write_all(j->fd, line, len) || fdatasync(j->fd))
		err = error_set_errno(NFG_EIO, errno, "cannot write '%s'",
				      j->path);
	else
		j->size += len;
	free(line);
	return err;
}

void state_journal_close(struct state_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	free(j->path);
	j->fd = -1;
	j->path = NULL;
	j->size = 0;
}

int state_lock(const char *path, int *fd)
{
	struct buf lpath;
	int err;

	*fd = -1;
	if ((err = beside(&lpath, path, ".lock")))
		return err;
	*fd = open(lpath.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0)
		err = error_set_errno(NFG_EIO, errno, "cannot open '%s'",
				      lpath.ptr);
	else if (flock(*fd, LOCK_EX | LOCK_NB))
		err = errno == EWOULDBLOCK
			      ? error_set(NFG_EIO,
					  "'%s' is in use by another nfguard "
					  "run (it holds '%s')",
					  path, lpath.ptr)
			      : error_set_errno(NFG_EIO, errno,
						"cannot lock '%s'", lpath.ptr);
	if (err && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	buf_release(&lpath);
	return err;
}

/* --- The journal read back --------------------------------------------- */

/* Moves from (a parsed entry) into s as its key's entry, replacing it. */
static int take_repo(struct state *s, struct state_repo *from)
{
	struct state_repo *e;
	char *key;
	int err = state_add(s, from->key, &e);

	if (err)
		return err;
	key = e->key;
	e->key = NULL;
	repo_release(e);
	*e = *from;
	e->key = key;
	free(from->key);
	memset(from, 0, sizeof(*from));
	return 0;
}

/* One line (no newline) parsed as a JSON value; NULL: not valid JSON. */
static cJSON *line_json(const char *line, size_t len)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(line, len, &end, 0);

	if (v && end != line + len) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

/* The header: 0 and *stale, or NFG_EINVAL. */
static int journal_header(const struct state *s, const char *line, size_t len,
			  int *stale)
{
	unsigned char base[STATE_DIGEST_LEN];
	cJSON *h = line_json(line, len);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, "journal");
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(h, "base");
	int ok = cJSON_IsObject(h) && cJSON_GetArraySize(h) == 2 &&
		 cJSON_IsNumber(v) && v->valuedouble == 1 &&
		 cJSON_IsString(b) && b->valuestring &&
		 !fingerprint_decode(b->valuestring, base);

	cJSON_Delete(h);
	if (!ok)
		return error_set(NFG_EINVAL, "header: not a journal of "
					     "version 1");
	*stale = memcmp(base, s->text, STATE_DIGEST_LEN) != 0;
	return 0;
}

int state_journal_parse(struct state *s, const char *data, size_t len,
			struct state_replay *out)
{
	const char *at = data, *end = data + len, *nl;
	size_t k = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if (len > STATE_MAX_SIZE)
		return error_set(NFG_ELIMIT, "larger than %zu bytes",
				 STATE_MAX_SIZE);
	if (memchr(data, '\0', len))
		return error_set(NFG_EINVAL, "holds a NUL byte");
	if (!(nl = memchr(at, '\n', len)))
		return error_set(NFG_EINVAL, "header: cut short");
	if ((err = journal_header(s, at, (size_t)(nl - at), &out->stale)) ||
	    out->stale)
		return err;
	for (at = nl + 1; !err && at < end; at = nl + 1, k++) {
		struct state one;
		cJSON *o;

		if (!(nl = memchr(at, '\n', (size_t)(end - at)))) {
			out->torn = 1;
			break;
		}
		if (!(o = line_json(at, (size_t)(nl - at))))
			return error_set(NFG_EINVAL,
					 "record[%zu]: not valid JSON", k);
		state_init(&one);
		if (!(err = parse_repo(&one, o, "record", k)) &&
		    !(err = take_repo(s, &one.v[0])))
			out->records++;
		state_release(&one);
		cJSON_Delete(o);
	}
	return err;
}

int state_replay(struct state *s, const char *path, struct state_replay *out)
{
	struct buf jpath, b;
	int err, missing = 0;

	memset(out, 0, sizeof(*out));
	if ((err = beside(&jpath, path, ".journal")))
		return err;
	buf_init(&b, STATE_MAX_SIZE);
	err = file_read_all(&b, jpath.ptr, &missing);
	if (!err && !missing &&
	    (err = state_journal_parse(s, b.ptr, b.len, out)))
		err = at_path(err, jpath.ptr);
	buf_release(&b);
	buf_release(&jpath);
	return err;
}

/* --- A run's operations ------------------------------------------------ */

int state_target_key(const struct sweep_target *t, char **out)
{
	char *cwd;
	struct buf b;

	*out = NULL;
	if (t->kind == TARGET_URL)
		return str_dup(out, t->key);
	if ((*out = realpath(t->key, NULL)))
		return 0;
	if (t->key[0] == '/')
		return str_dup(out, t->key);
	if (!(cwd = getcwd(NULL, 0)))
		return error_set_errno(NFG_EIO, errno,
				       "cannot name the current folder");
	buf_init(&b, BUF_DEFAULT_MAX);
	buf_printf(&b, "%s/%s", cwd, t->key);
	free(cwd);
	if (buf_failed(&b)) {
		buf_release(&b);
		return error_nomem();
	}
	*out = buf_detach(&b, NULL);
	return *out ? 0 : error_nomem();
}

void state_rules_digest(const struct ruleset *rs, int inline_allow,
			unsigned char out[STATE_DIGEST_LEN])
{
	unsigned char rules[RULESET_DIGEST_LEN];
	unsigned char allow = inline_allow ? 1 : 0;
	struct sha256 c;

	ruleset_digest(rs, rules);
	sha256_init(&c);
	sha256_update(&c, rules, sizeof(rules));
	sha256_update(&c, &allow, 1);
	sha256_final(&c, out);
}

static void drop_pending(struct state_repo *r)
{
	free(r->pending_tips);
	free(r->pending_found);
	r->pending_tips = r->pending_found = NULL;
	r->npending_tips = r->npending_found = 0;
	r->pending = 0;
}

int state_reported(const struct state_repo *r, const unsigned char *digest)
{
	size_t lo = 0, hi = r->nreported;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(r->reported + mid * STATE_DIGEST_LEN, digest,
			       STATE_DIGEST_LEN);

		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int by_bytes(const void *a, const void *b, void *width)
{
	return memcmp(a, b, *(const size_t *)width);
}

/*
 * The union of a[0..na) and b[0..nb) (items of width bytes, any order),
 * sorted and distinct, into *out (allocated; NULL when empty).
 */
static int sorted_union(const unsigned char *a, size_t na,
			const unsigned char *b, size_t nb, size_t width,
			unsigned char **out, size_t *n)
{
	unsigned char *v;
	size_t total, bytes, i, k = 0;

	*out = NULL;
	*n = 0;
	if (size_add(na, nb, &total) || size_mul(total, width, &bytes))
		return error_nomem();
	if (!total)
		return 0;
	if (!(v = malloc(bytes)))
		return error_nomem();
	if (na)
		memcpy(v, a, na * width);
	if (nb)
		memcpy(v + na * width, b, nb * width);
	qsort_r(v, total, width, by_bytes, &width);
	for (i = 0; i < total; i++)
		if (!k || memcmp(v + (k - 1) * width, v + i * width, width))
			memmove(v + k++ * width, v + i * width, width);
	*out = v;
	*n = k;
	return 0;
}

static int confirm(struct state_repo *r)
{
	unsigned char *reported;
	size_t n;
	int err = sorted_union(r->reported, r->nreported, r->pending_found,
			       r->npending_found, STATE_DIGEST_LEN, &reported,
			       &n);

	if (err)
		return err;
	free(r->reported);
	r->reported = reported;
	r->nreported = n;
	free(r->tips);
	r->tips = r->pending_tips;
	r->ntips = r->npending_tips;
	r->pending_tips = NULL;
	r->npending_tips = 0;
	drop_pending(r);
	return 0;
}

void state_begin(struct state *s, const unsigned char rules[STATE_DIGEST_LEN],
		 int *rules_changed, size_t *rescanned)
{
	size_t i;

	*rules_changed =
		s->has_rules && memcmp(s->rules, rules, STATE_DIGEST_LEN);
	*rescanned = 0;
	memcpy(s->rules, rules, STATE_DIGEST_LEN);
	s->has_rules = 1;
	for (i = 0; i < s->n; i++) {
		struct state_repo *r = &s->v[i];

		if (*rules_changed) {
			free(r->tips);
			free(r->reported);
			r->tips = r->reported = NULL;
			r->ntips = r->nreported = 0;
			drop_pending(r);
		}
		/* Found nothing: nothing waits to be reported. */
		if (r->pending && !r->npending_found && !confirm(r))
			continue;
		if (r->pending) {
			drop_pending(r);
			++*rescanned;
		}
	}
}

int state_record(struct state_repo *r, const unsigned char *tips, size_t ntips,
		 const unsigned char *found, size_t nfound, int confirmed)
{
	unsigned char *t, *f;
	size_t nt, nf;
	int err;

	if ((err = sorted_union(tips, ntips, NULL, 0, STATE_TIP_LEN, &t, &nt)))
		return err;
	if ((err = sorted_union(found, nfound, NULL, 0, STATE_DIGEST_LEN, &f,
				&nf))) {
		free(t);
		return err;
	}
	drop_pending(r);
	r->pending = 1;
	r->pending_tips = t;
	r->npending_tips = nt;
	r->pending_found = f;
	r->npending_found = nf;
	return confirmed ? confirm(r) : 0;
}

int state_confirm(struct state *s)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < s->n; i++)
		if (s->v[i].pending)
			err = confirm(&s->v[i]);
	return err;
}

/*
 * Sweep targets: telling a URL from a local path as git does, removing
 * URL userinfo before anything is shown, the normalised key, and the
 * --repos-from list parser (on a memory buffer) and reader.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/sha256.h"
#include "sweep/target.h"

#include <ctype.h>
#include <strings.h>

/* The schemes a URL target may have (the remote layer fetches them). */
static const char *const schemes[] = {"https",	 "http", "ssh", "git+ssh",
				      "ssh+git", "git",	 "file"};

/* Length of the scheme when s starts with "scheme://", else 0. */
static size_t scheme_len(const char *s, size_t len)
{
	size_t i = 0;

	if (!len || !isalpha((unsigned char)s[0]))
		return 0;
	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '+' ||
			   s[i] == '-' || s[i] == '.'))
		i++;
	if (i + 3 > len || memcmp(s + i, "://", 3))
		return 0;
	return i;
}

static int known_scheme(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(schemes); i++)
		if (strlen(schemes[i]) == n && !strncasecmp(s, schemes[i], n))
			return 1;
	return 0;
}

static const char *find_last(const char *s, size_t n, char c)
{
	while (n--)
		if (s[n] == c)
			return s + n;
	return NULL;
}

/*
 * Appends p[0..n) to b as a path: empty and "." segments dropped, a
 * leading '/' kept; with drop_git, a last segment ".git" dropped too.
 */
static void put_norm_path(struct buf *b, const char *p, size_t n, int drop_git)
{
	size_t i = 0, j, start = b->len;

	if (n && p[0] == '/')
		buf_putc(b, '/');
	while (i < n) {
		for (j = i; j < n && p[j] != '/'; j++)
			;
		if (j > i && !(j - i == 1 && p[i] == '.') &&
		    !(drop_git && j == n && j - i == 4 &&
		      !memcmp(p + i, ".git", 4))) {
			if (b->len > start && b->ptr[b->len - 1] != '/')
				buf_putc(b, '/');
			buf_add(b, p + i, j - i);
		}
		i = j + 1;
	}
	if (b->len == start)
		buf_putc(b, '.');
}

/* A network key: "host/path", host lowercased, no trailing ".git". */
static void put_net_key(struct buf *b, const char *host, size_t hn,
			const char *path, size_t pn)
{
	size_t i;

	for (i = 0; i < hn; i++)
		buf_putc(b, (char)tolower((unsigned char)host[i]));
	buf_putc(b, '/');
	while (pn && path[0] == '/') {
		path++;
		pn--;
	}
	while (pn && path[pn - 1] == '/')
		pn--;
	if (pn > 4 && !memcmp(path + pn - 4, ".git", 4))
		pn -= 4;
	put_norm_path(b, path, pn, 0);
}

/*
 * The scp-like form [user@]host:path: the host part is what follows the
 * last '@' that a ':' follows before the first '/'; a bracketed host
 * ([::1]:path) holds colons. 1 with the parts, or 0: a local path.
 */
static int split_scp(const char *s, size_t len, size_t *host, size_t *colon)
{
	const char *slash = memchr(s, '/', len), *c;
	size_t plen = slash ? (size_t)(slash - s) : len, h = 0, i;

	for (i = plen; i-- > 0;) {
		if (s[i] == '@' && memchr(s + i + 1, ':', plen - i - 1)) {
			h = i + 1;
			break;
		}
	}
	if (h < plen && s[h] == '[') {
		c = memchr(s + h, ']', plen - h);
		if (!c || (size_t)(c - s) + 1 >= plen || c[1] != ':')
			return 0;
		c++;
	} else {
		c = memchr(s + h, ':', plen - h);
	}
	if (!c || (size_t)(c - s) == h)
		return 0;
	*host = h;
	*colon = (size_t)(c - s);
	return 1;
}

/* scheme://[userinfo@]host/path: shown and key into sb and kb. */
static int parse_scheme_url(const char *s, size_t len, size_t sl,
			    struct buf *sb, struct buf *kb)
{
	const char *auth = s + sl + 3, *end = s + len, *rest, *at, *q;
	size_t alen;
	int file = sl == 4 && !strncasecmp(s, "file", 4);

	for (rest = auth;
	     rest < end && *rest != '/' && *rest != '?' && *rest != '#'; rest++)
		;
	alen = (size_t)(rest - auth);
	at = find_last(auth, alen, '@');
	buf_add(sb, s, sl + 3);
	if (at) {
		alen -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	buf_add(sb, auth, alen);
	buf_add(sb, rest, (size_t)(end - rest));
	if (buf_failed(sb))
		return buf_failed(sb);
	if (!known_scheme(s, sl))
		return error_set(NFG_EINVAL,
				 "'%s': unsupported URL scheme "
				 "'%.*s' (https, http, ssh, git, file, or "
				 "[user@]host:path)",
				 sb->ptr, (int)sl, s);
	if (!alen && !file)
		return error_set(NFG_EINVAL, "'%s': a URL without a host",
				 sb->ptr);
	for (q = rest; q < end && *q != '?' && *q != '#'; q++)
		;
	if (file)
		put_norm_path(kb, rest, (size_t)(q - rest), 1);
	else
		/* the authority is the host part, the rest the path */
		/* NOLINTNEXTLINE(readability-suspicious-call-argument) */
		put_net_key(kb, auth, alen, rest, (size_t)(q - rest));
	return buf_failed(kb);
}

/* Fills t's shown and key from its given text; sets t->kind. */
static int classify(struct sweep_target *t, size_t len, struct buf *sb,
		    struct buf *kb)
{
	const char *s = t->given;
	size_t sl = scheme_len(s, len), host, colon;

	if (sl) {
		t->kind = TARGET_URL;
		if (str_has_control(s, len))
			return error_set(NFG_EINVAL, "a repository URL holds a "
						     "control character");
		return parse_scheme_url(s, len, sl, sb, kb);
	}
	if (split_scp(s, len, &host, &colon)) {
		t->kind = TARGET_URL;
		if (str_has_control(s, len))
			return error_set(NFG_EINVAL, "a repository URL holds a "
						     "control character");
		buf_add(sb, s + host, len - host);
		put_net_key(kb, s + host, colon - host, s + colon + 1,
			    len - colon - 1);
		return buf_failed(sb) ? buf_failed(sb) : buf_failed(kb);
	}
	t->kind = TARGET_LOCAL;
	buf_add(sb, s, len);
	put_norm_path(kb, s, len, 1);
	return buf_failed(sb) ? buf_failed(sb) : buf_failed(kb);
}

int target_parse(struct sweep_target *t, const char *s, size_t len)
{
	struct buf sb, kb;
	int err;

	memset(t, 0, sizeof(*t));
	if (!len)
		return error_set(NFG_EINVAL, "empty repository name");
	if (memchr(s, '\0', len))
		return error_set(NFG_EINVAL,
				 "repository name holds a NUL byte");
	buf_init(&sb, TARGET_LINE_MAX * 2);
	buf_init(&kb, TARGET_LINE_MAX * 2);
	if (!(t->given = strndup(s, len))) {
		err = error_nomem();
		goto done;
	}
	if ((err = classify(t, len, &sb, &kb)))
		goto done;
	t->shown = buf_detach(&sb, NULL);
	t->key = buf_detach(&kb, NULL);
	if (!t->shown || !t->key)
		err = error_nomem();
done:
	buf_release(&sb);
	buf_release(&kb);
	if (err)
		target_release(t);
	return err;
}

void target_release(struct sweep_target *t)
{
	if (!t)
		return;
	if (t->given)
		explicit_bzero(t->given, strlen(t->given));
	free(t->given);
	free(t->shown);
	free(t->key);
	memset(t, 0, sizeof(*t));
}

void target_list_init(struct target_list *l)
{
	memset(l, 0, sizeof(*l));
	idmap_init(&l->keys);
}

void target_list_release(struct target_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		target_release(&l->v[i]);
	free(l->v);
	idmap_release(&l->keys);
	memset(l, 0, sizeof(*l));
}

int target_list_add(struct target_list *l, const char *s, size_t len)
{
	unsigned char id[32];
	struct sha256 c;
	struct sweep_target t;
	int err, existed;

	if ((err = target_parse(&t, s, len)))
		return err;
	sha256_init(&c);
	sha256_update(&c, t.key, strlen(t.key));
	sha256_final(&c, id);
	if (idmap_get(&l->keys, id)) {
		l->duplicates++;
		target_release(&t);
		return 0;
	}
	if (l->n >= TARGET_MAX)
		err = error_set(NFG_ELIMIT, "more than %d repositories",
				TARGET_MAX);
	else if (!(err = ARRAY_GROW(l->v, l->n, l->cap)))
		err = idmap_put(&l->keys, id, (uint32_t)l->n, &existed, NULL);
	if (err) {
		target_release(&t);
		return err;
	}
	l->v[l->n++] = t;
	return 0;
}

/* Prefixes the last error with "ORIGIN:LINE: "; returns err. */
static int at_line(int err, const char *origin, size_t line)
{
	char why[1024];

	snprintf(why, sizeof(why), "%s", error_last());
	return error_set(err, "%s:%zu: %s", origin, line, why);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int target_list_parse(struct target_list *l, const char *origin,
		      const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl, *a, *b;
	size_t line = 0;
	int err;

	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		b = nl ? nl : end;
		if ((size_t)(b - p) > TARGET_LINE_MAX)
			return error_set(NFG_EINVAL,
					 "%s:%zu: longer than %d bytes", origin,
					 line, TARGET_LINE_MAX);
		a = p;
		p = nl ? nl + 1 : end;
		if (b > a && b[-1] == '\r')
			b--;
		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if (a == b || *a == '#')
			continue;
		if ((err = target_list_add(l, a, (size_t)(b - a))))
			return err == NFG_ENOMEM ? err
						 : at_line(err, origin, line);
	}
	return 0;
}

/* Standard input, whole, into b (bounded by its maximum). */
static int read_stdin(struct buf *b)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (buf_add(b, chunk, n))
			return error_set(
				NFG_ELIMIT,
				"standard input: larger than %zu bytes",
				b->max);
	if (ferror(stdin))
		return error_set_errno(NFG_EIO, errno,
				       "cannot read standard input");
	return 0;
}

int target_list_read(struct target_list *l, const char *path)
{
	int std = !strcmp(path, "-");
	struct buf b;
	int err;

	buf_init(&b, TARGET_LIST_MAX_SIZE);
	err = std ? read_stdin(&b) : file_read_all(&b, path, NULL);
	if (!err)
		err = target_list_parse(l, std ? "standard input" : path, b.ptr,
					b.len);
	buf_release(&b);
	return err;
}

unsigned target_shard(const char *key, unsigned n)
{
	struct sha256 c;
	unsigned char d[32];
	uint64_t v = 0;
	size_t i;

	sha256_init(&c);
	sha256_update(&c, key, strlen(key));
	sha256_final(&c, d);
	for (i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return n ? (unsigned)(v % n) + 1 : 1;
}

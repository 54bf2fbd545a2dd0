/*
 * Cloning and fetching URL targets with libgit2: an anonymous remote (the
 * URL, which may hold a password, never reaches the repository's config
 * or FETCH_HEAD) fetching every refs/ name onto itself, pruning into a bare
 * repository, credentials from one callback that gives up after the first
 * refusal, and the temporary or cached folder the scan reads.
 */
#include "util/common.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/tmpdir.h"
#include "util/sha256.h"
#include "net/http.h"
#include "source/git/lib.h"
#include "sweep/credential.h"
#include "sweep/fetch.h"
#include "sweep/knownhosts.h"

#include <ctype.h>
#include <fcntl.h>
#include <git2.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The config key that marks a cache entry as nfguard's, with its key. */
#define CACHE_MARK "nfguard.target"

/* What one transfer's credential callback knows and did. */
struct cred_state {
	const struct fetch_ctx *c;
	const struct sweep_target *t;
	int offered; /* credentials given: a second call means refused */
	int refused;
	int none;	/* asked, and nothing to give */
	int helper_err; /* the credential helper could not be run */
	int agent;	/* a key from the ssh agent was asked for */
	/* The ssh host key refused, described, and why it was. */
	char hostkey[320];
	const char *hostkey_why;
};

static void wipe_dup(char **s)
{
	credential_wipe(*s);
	*s = NULL;
}

void fetch_release(struct fetch_ctx *c)
{
	size_t i;

	free(c->cache);
	free(c->tmpdir);
	free(c->known_hosts);
	wipe_dup(&c->token);
	wipe_dup(&c->username);
	wipe_dup(&c->password);
	for (i = 0; c->locks && i < c->ntargets; i++)
		if (c->locks[i] >= 0)
			close(c->locks[i]);
	free(c->locks);
	memset(c, 0, sizeof(*c));
}

static int copy_opt(char **dst, const char *src)
{
	if (src && !(*dst = strdup(src)))
		return error_nomem();
	return 0;
}

int fetch_init(struct fetch_ctx *c, const struct fetch_opts *o)
{
	struct stat st;
	size_t i;
	int err;

	memset(c, 0, sizeof(*c));
	if ((err = gs_lib_init()))
		return err;
	c->targets = o->targets;
	c->ntargets = o->ntargets;
	if (copy_opt(&c->cache, o->cache) ||
	    copy_opt(&c->tmpdir, o->tmpdir ? o->tmpdir : "/tmp") ||
	    copy_opt(&c->token, o->token) ||
	    copy_opt(&c->username, o->username) ||
	    copy_opt(&c->password, o->password) ||
	    copy_opt(&c->known_hosts, o->known_hosts) ||
	    !(c->locks = calloc(o->ntargets ? o->ntargets : 1, sizeof(int))))
		return error_nomem();
	for (i = 0; i < o->ntargets; i++)
		c->locks[i] = -1;
	if (o->cacert &&
	    git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, o->cacert, NULL))
		return error_set(NFG_EINVAL, "--cacert: '%s': %s", o->cacert,
				 git_error_last() ? git_error_last()->message
						  : "cannot be read");
	if (!c->cache)
		return 0;
	if (mkdir(c->cache, 0700) && errno != EEXIST)
		return error_set_errno(NFG_EIO, errno,
				       "--cache: cannot create '%s'", c->cache);
	if (stat(c->cache, &st) || !S_ISDIR(st.st_mode))
		return error_set(NFG_EINVAL, "--cache: '%s' is not a folder",
				 c->cache);
	return 0;
}

char *fetch_cache_name(const char *key)
{
	char hex[65];
	struct buf b;
	size_t i;

	sha256_hex(key, strlen(key), hex);
	buf_init(&b, 256);
	for (i = 0; i < 64 && key[i]; i++) {
		unsigned char ch = (unsigned char)key[i];

		buf_putc(&b, isalnum(ch) || ch == '.' || ch == '-' || ch == '_'
				     ? (char)ch
				     : '_');
	}
	/* "." and ".." are not names a folder can be given. */
	if (b.len && b.ptr[0] == '.')
		b.ptr[0] = '_';
	buf_printf(&b, "-%.16s.git", hex);
	return buf_detach(&b, NULL);
}

int fetch_url_has_password(const char *url)
{
	struct url_parts u;
	int has;

	if (url_parts_split(&u, url, strlen(url)))
		return 0;
	has = u.password != NULL;
	url_parts_release(&u);
	return has;
}

/*
 * https user name and password: the environment's, the URL's own, then
 * git's helpers. 0 with both set, or with none (*pass NULL); an error.
 */
static int find_userpass(struct cred_state *st, const char *url,
			 const char *url_user, char **user, char **pass)
{
	const struct fetch_ctx *c = st->c;
	struct url_parts u;
	int err;

	*user = *pass = NULL;
	if (c->token) {
		*user = strdup(c->username ? c->username : "x-access-token");
		*pass = strdup(c->token);
	} else if (c->username && c->password) {
		*user = strdup(c->username);
		*pass = strdup(c->password);
	} else {
		if (!url_parts_split(&u, st->t->given, strlen(st->t->given))) {
			if (u.user && u.password) {
				*user = u.user;
				*pass = u.password;
				u.user = u.password = NULL;
			}
			url_parts_release(&u);
		}
		if (*pass)
			return 0;
		if ((err = url_parts_split(&u, url, strlen(url))))
			return err;
		err = credential_fill(u.scheme, u.host, u.path,
				      url_user ? url_user : u.user,
				      FETCH_HELPER_TIMEOUT_MS, user, pass);
		url_parts_release(&u);
		if (err)
			st->helper_err = 1;
		if (err || !*pass)
			wipe_dup(user);
		return err;
	}
	if (!*user || !*pass) {
		wipe_dup(user);
		wipe_dup(pass);
		return error_nomem();
	}
	return 0;
}

static int acquire(git_credential **out, const char *url, const char *url_user,
		   unsigned int allowed, void *payload)
{
	struct cred_state *st = payload;
	char *user = NULL, *pass = NULL;
	int err;

	/* Asked again after offering: the server refused them. */
	if (st->offered) {
		st->refused = 1;
		return GIT_EUSER;
	}
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		if (find_userpass(st, url, url_user, &user, &pass))
			return GIT_EUSER;
		if (!pass) {
			st->none = 1;
			return GIT_EUSER;
		}
		err = git_credential_userpass_plaintext_new(out, user, pass);
		credential_wipe(user);
		credential_wipe(pass);
		st->offered = !err;
		return err ? GIT_EUSER : 0;
	}
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		st->offered = 1;
		st->agent = 1;
		return git_credential_ssh_key_from_agent(
			out, url_user ? url_user : "git");
	}
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out,
						   url_user ? url_user : "git");
	st->none = 1;
	return GIT_EUSER;
}

/* 1 when msg holds a credential: one nfguard was given, or the URL's. */
static int holds_secret(const struct cred_state *st, const char *msg)
{
	const struct fetch_ctx *c = st->c;
	struct url_parts u;
	int in_url = 0;

	if (!url_parts_split(&u, st->t->given, strlen(st->t->given))) {
		/* A token is often given as the user name: token@host. */
		in_url = (u.password && *u.password &&
			  strstr(msg, u.password)) ||
			 (u.user && *u.user && strstr(msg, u.user) &&
			  strchr(msg, '@'));
		url_parts_release(&u);
	}
	return in_url || (c->token && strstr(msg, c->token)) ||
	       (c->password && strstr(msg, c->password));
}

/* libgit2's last error message, or a stand-in. */
static const char *lg2_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

/* OpenSSH's name of an ssh host key's type, or "unknown type". */
static const char *hostkey_type(const git_cert_hostkey *k)
{
	static const char *const names[] = {"unknown type",
					    "ssh-rsa",
					    "ssh-dss",
					    "ecdsa-sha2-nistp256",
					    "ecdsa-sha2-nistp384",
					    "ecdsa-sha2-nistp521",
					    "ssh-ed25519"};

	if (!(k->type & GIT_CERT_SSH_RAW) ||
	    (size_t)k->raw_type >= sizeof(names) / sizeof(*names))
		return names[0];
	return names[k->raw_type];
}

/*
 * 0 when no @revoked line of known_hosts names key k; else why it is
 * refused (revoked, or known_hosts or the key that cannot be read).
 */
static const char *revoked(const struct fetch_ctx *c, const git_cert_hostkey *k)
{
	const char *why = NULL;
	struct buf b;
	int missing = 0, r;

	if (!c->known_hosts)
		return NULL;
	if (!(k->type & GIT_CERT_SSH_RAW))
		return "cannot be read to check ~/.ssh/known_hosts' @revoked "
		       "lines";
	buf_init(&b, KNOWNHOSTS_MAX_SIZE);
	if (file_read_all(&b, c->known_hosts, &missing))
		why = "is not checked: ~/.ssh/known_hosts cannot be read";
	else if ((r = knownhosts_revoked(b.ptr ? b.ptr : "", b.len,
					 (const unsigned char *)k->hostkey,
					 k->hostkey_len)))
		why = r > 0 ? "is marked @revoked in ~/.ssh/known_hosts"
			    : "is not checked: out of memory";
	buf_release(&b);
	return why;
}

/*
 * libgit2 1.5.1 checks an ssh host key against ~/.ssh/known_hosts before
 * any credential is sent, but libssh2 reads no @revoked line: those are
 * checked here. Any other verdict stays libgit2's (GIT_PASSTHROUGH), so an
 * unknown or changed host key, or an invalid TLS certificate, still fails;
 * the refused key is recorded for a clear error.
 */
static int check_cert(git_cert *cert, int valid, const char *host,
		      void *payload)
{
	struct cred_state *st = payload;
	const git_cert_hostkey *k = (const git_cert_hostkey *)cert;
	char b64[45], fp[52] = "";

	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2)
		return GIT_PASSTHROUGH;
	if (valid && !(st->hostkey_why = revoked(st->c, k)))
		return GIT_PASSTHROUGH;
	if (!valid)
		st->hostkey_why = "is not one ~/.ssh/known_hosts lists for it";
	if (k->type & GIT_CERT_SSH_SHA256 &&
	    base64_encode(k->hash_sha256, 32, 0, b64, sizeof(b64)))
		snprintf(fp, sizeof(fp), "SHA256:%s", b64);
	snprintf(st->hostkey, sizeof(st->hostkey), "%.200s (%s%s%s)", host,
		 hostkey_type(k), *fp ? " " : "", fp);
	return valid ? GIT_ECERTIFICATE : GIT_PASSTHROUGH;
}

/* libgit2's reason an ssh agent could not be used, or NULL. */
static const char *agent_failure(const struct cred_state *st, const char *msg)
{
	static const char prefix[] = "error authenticating: ";

	if (!st->agent || strncmp(msg, prefix, sizeof(prefix) - 1))
		return NULL;
	return msg + sizeof(prefix) - 1;
}

/* The reason a transfer failed, as the error: one line, no secret. */
static int transfer_error(const struct cred_state *st, const char *what)
{
	const char *msg = lg2_msg(), *why;

	if (st->hostkey[0])
		return error_set(NFG_EIO,
				 "cannot %s: the ssh host key of %s %s", what,
				 st->hostkey, st->hostkey_why);
	if (st->refused && st->agent)
		return error_set(NFG_EIO,
				 "cannot %s: authentication failed: the "
				 "server refused every key of the ssh agent",
				 what);
	if (st->refused)
		return error_set(NFG_EIO, "cannot %s: authentication failed",
				 what);
	if ((why = agent_failure(st, msg)))
		return error_set(NFG_EIO,
				 "cannot %s: authentication failed: no ssh "
				 "agent to ask for a key (%.*s)",
				 what, (int)strcspn(why, "\r\n"), why);
	if (st->none)
		return error_set(NFG_EIO,
				 "cannot %s: authentication failed: no "
				 "credentials (NFGUARD_GIT_TOKEN, or a git "
				 "credential helper)",
				 what);
	if (st->helper_err)
		return error_set(NFG_EIO,
				 "cannot %s: authentication failed: the git "
				 "credential helper failed",
				 what);
	if (holds_secret(st, msg))
		msg = "the transfer failed (its message named a credential)";
	return error_set(NFG_EIO, "cannot %s: %.*s", what,
			 (int)strcspn(msg, "\r\n"), msg);
}

/* Points HEAD at the server's default branch, when it said one. */
static void set_head(git_repository *repo, git_remote *remote)
{
	git_buf b = GIT_BUF_INIT;

	if (!git_remote_default_branch(&b, remote))
		git_repository_set_head(repo, b.ptr);
	git_buf_dispose(&b);
	git_error_clear();
}

/* Fetches every ref of t into repo (a bare repository): 0 or the error. */
static int mirror(const struct fetch_ctx *c, const struct sweep_target *t,
		  git_repository *repo, const char *what)
{
	static char spec[] = "+refs/*:refs/*";
	char *specs[] = {spec};
	git_strarray refspecs = {specs, 1};
	git_remote_create_options ro;
	git_fetch_options fo;
	struct cred_state st;
	git_remote *remote = NULL;
	int err;

	memset(&st, 0, sizeof(st));
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	st.c = c;
	st.t = t;
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	/*
	 * The URL as given, not as a config's url.*.insteadOf rewrites it
	 * (reports name the URL given); libgit2 1.5 also leaks a PCRE2
	 * match for each config entry that insteadOf lookup reads.
	 */
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
		   GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, t->given, &ro))
		return transfer_error(&st, what);
	fo.callbacks.credentials = acquire;
	fo.callbacks.certificate_check = check_cert;
	fo.callbacks.payload = &st;
	fo.prune = GIT_FETCH_PRUNE;
	fo.update_fetchhead = 0;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
	/* A redirect could carry the credentials to another host. */
	fo.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
	if (git_remote_fetch(remote, &refspecs, &fo, NULL))
		err = transfer_error(&st, what);
	else
		err = 0;
	if (!err)
		set_head(repo, remote);
	git_remote_free(remote);
	return err;
}

/* Refuses an http:// URL to a host that is not loopback. */
static int check_url(const struct sweep_target *t)
{
	struct url_parts u;
	int err = 0;

	if (url_parts_split(&u, t->given, strlen(t->given)))
		return 0; /* scp-like: ssh */
	if (!strcmp(u.scheme, "http") && !http_host_is_loopback(u.hostname))
		err = error_set(NFG_EINVAL,
				"plain http is allowed only to a loopback "
				"address: use https");
	url_parts_release(&u);
	return err;
}

static int mirror_remote(git_remote **out, git_repository *repo,
			 const char *name, const char *url, void *payload)
{
	git_remote_create_options ro;

	(void)payload;
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	ro.name = name;
	ro.fetchspec = "+refs/*:refs/*";
	/* as mirror(): the URL as given, and no leaked insteadOf match */
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
	return git_remote_create_with_opts(out, url, &ro);
}

/*
 * A file:// URL: libgit2's local transport would build a whole new pack,
 * delta search included, on one thread (curl's history: about 150 s a
 * clone). The object files are copied instead, as git does for a local
 * clone (copies, not hard links: the cache shares nothing with the
 * source), into the empty folder dir; mirror() then sets the refs
 * without a transfer. The remote git_clone records is taken out again.
 */
static int copy_local(const struct sweep_target *t, const char *dir,
		      git_repository **repo)
{
	git_clone_options o;
	git_config *cfg = NULL;
	int err = 0, r;

	git_clone_options_init(&o, GIT_CLONE_OPTIONS_VERSION);
	o.bare = 1;
	o.local = GIT_CLONE_LOCAL_NO_LINKS;
	o.remote_cb = mirror_remote;
	/* refs/remotes/origin/HEAD is git_clone's own: mirror() makes it
	 * again if the source has it. */
	if (git_clone(repo, t->given, dir, &o) ||
	    git_repository_config(&cfg, *repo) ||
	    git_config_delete_multivar(cfg, "remote.origin.fetch", ".*") ||
	    git_config_delete_entry(cfg, "remote.origin.url") ||
	    ((r = git_reference_remove(*repo, "refs/remotes/origin/HEAD")) &&
	     r != GIT_ENOTFOUND))
		err = error_set(NFG_EIO, "cannot clone: %s", lg2_msg());
	git_config_free(cfg);
	return err;
}

/*
 * A file:// URL to a repository whose objects a copy holds whole: not
 * one that borrows objects through objects/info/alternates (a copy would
 * lack them, or name a relative path that no longer leads there), nor a
 * path written with %-escapes (left to libgit2's transport to read).
 */
static int copyable(const struct sweep_target *t)
{
	static const char *const alt[] = {"/objects/info/alternates",
					  "/.git/objects/info/alternates"};
	const char *path = t->given + 7;
	char p[4096];
	struct stat st;
	size_t i;

	if (t->kind != TARGET_URL || strncasecmp(t->given, "file://", 7) ||
	    *path != '/' || strchr(path, '%'))
		return 0;
	for (i = 0; i < sizeof(alt) / sizeof(alt[0]); i++)
		if ((size_t)snprintf(p, sizeof(p), "%s%s", path, alt[i]) >=
			    sizeof(p) ||
		    !lstat(p, &st) || errno != ENOENT)
			return 0;
	return 1;
}

/* A new bare repository in the empty folder dir, t's refs fetched in. */
static int clone_into(const struct fetch_ctx *c, const struct sweep_target *t,
		      const char *dir, int mark)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	int err;

	if (copyable(t)) {
		if ((err = copy_local(t, dir, &repo)))
			goto done;
	} else if (git_repository_init(&repo, dir, 1))
		return error_set(NFG_EIO, "cannot clone: %s", lg2_msg());
	if (mark && (git_repository_config(&cfg, repo) ||
		     git_config_set_string(cfg, CACHE_MARK, t->key))) {
		err = error_set(NFG_EIO, "cannot clone: %s", lg2_msg());
		goto done;
	}
	err = mirror(c, t, repo, "clone");
done:
	git_config_free(cfg);
	git_repository_free(repo);
	return err;
}

/* A temporary clone: *path the new folder, removed on failure. */
static int resolve_temporary(const struct fetch_ctx *c,
			     const struct sweep_target *t, char **path)
{
	char *dir;
	int err;

	if ((err = tmpdir_make(c->tmpdir, "nfguard-clone", &dir))) {
		char why[512];

		snprintf(why, sizeof(why), "%s", error_last());
		return error_set(err, "cannot clone: %s", why);
	}
	if ((err = clone_into(c, t, dir, 0))) {
		tmpdir_remove(dir);
		return err;
	}
	*path = dir;
	return 0;
}

/* Checks that the cache entry at dir is ours, for t: 0 or the error. */
static int check_entry(const struct sweep_target *t, const char *dir,
		       const char *name, git_repository **repo)
{
	git_config *cfg = NULL, *snap = NULL;
	const char *mark = NULL;
	struct stat st;
	int err = 0;

	if (lstat(dir, &st) || !S_ISDIR(st.st_mode))
		return error_set(NFG_EINVAL,
				 "the cache entry '%s' is not a folder", name);
	if (git_repository_open_ext(repo, dir,
				    GIT_REPOSITORY_OPEN_NO_SEARCH |
					    GIT_REPOSITORY_OPEN_BARE,
				    NULL))
		return error_set(NFG_ECORRUPT,
				 "the cache entry '%s' is not a repository: "
				 "%s",
				 name, lg2_msg());
	if (!git_repository_is_bare(*repo))
		return error_set(NFG_EINVAL,
				 "the cache entry '%s' is not a bare "
				 "repository",
				 name);
	if (git_repository_config(&cfg, *repo) ||
	    git_config_snapshot(&snap, cfg) ||
	    git_config_get_string(&mark, snap, CACHE_MARK) ||
	    strcmp(mark, t->key))
		err = error_set(NFG_EINVAL,
				"the cache entry '%s' is not nfguard's "
				"copy of this repository",
				name);
	git_config_free(snap);
	git_config_free(cfg);
	git_error_clear();
	return err;
}

/* Locks the entry of target i (another sweep may share the cache). */
static int lock_entry(struct fetch_ctx *c, const struct sweep_target *t,
		      const char *lockpath, const char *name)
{
	size_t i = (size_t)(t - c->targets);
	int fd;

	if (i >= c->ntargets)
		return 0;
	fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return error_set_errno(NFG_EIO, errno,
				       "cannot lock the cache entry '%s'",
				       name);
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		return error_set(NFG_EIO,
				 "the cache entry '%s' is in use by another "
				 "sweep",
				 name);
	}
	c->locks[i] = fd;
	return 0;
}

/* A cached copy: fetched into when it exists, else cloned and kept. */
static int resolve_cached(struct fetch_ctx *c, const struct sweep_target *t,
			  char **path, const char **transfer)
{
	git_repository *repo = NULL;
	char *name = fetch_cache_name(t->key);
	size_t i = (size_t)(t - c->targets);
	struct stat st;
	struct buf dir, lock;
	char *tmp = NULL;
	int err;

	buf_init(&dir, 8192);
	buf_init(&lock, 8192);
	if (!name)
		return error_nomem();
	buf_printf(&dir, "%s/%s", c->cache, name);
	buf_printf(&lock, "%s/%s.lock", c->cache, name);
	if ((err = buf_failed(&dir) ? buf_failed(&dir) : buf_failed(&lock)))
		goto done;
	if ((err = lock_entry(c, t, lock.ptr, name)))
		goto done;
	if (lstat(dir.ptr, &st) && errno == ENOENT) {
		*transfer = "clone";
		/* Renamed into place whole: a failed clone leaves nothing. */
		if ((err = tmpdir_make(c->cache, ".new", &tmp))) {
			char why[512];

			snprintf(why, sizeof(why), "%s", error_last());
			err = error_set(err, "cannot clone: %s", why);
			goto done;
		}
		if ((err = clone_into(c, t, tmp, 1)) ||
		    (rename(tmp, dir.ptr) &&
		     (err = error_set_errno(NFG_EIO, errno,
					    "cannot clone: cannot rename "
					    "into '%s'",
					    name)))) {
			tmpdir_remove(tmp);
			goto done;
		}
		tmpdir_keep(tmp);
	} else {
		*transfer = "fetch";
		if ((err = check_entry(t, dir.ptr, name, &repo)) ||
		    (err = mirror(c, t, repo, "fetch")))
			goto done;
	}
	*path = buf_detach(&dir, NULL);
done:
	if (err && i < c->ntargets && c->locks[i] >= 0) {
		close(c->locks[i]);
		c->locks[i] = -1;
	}
	git_repository_free(repo);
	free(name);
	buf_release(&dir);
	buf_release(&lock);
	return err;
}

int fetch_resolve(void *ctx, const struct sweep_target *t, char **path,
		  const char **transfer)
{
	struct fetch_ctx *c = ctx;
	int err;

	*path = NULL;
	*transfer = NULL;
	if (t->kind == TARGET_LOCAL)
		return sweep_resolve_local(NULL, t, path, transfer);
	*transfer = "clone";
	if ((err = check_url(t)))
		return err;
	return c->cache ? resolve_cached(c, t, path, transfer)
			: resolve_temporary(c, t, path);
}

void fetch_path_release(void *ctx, const struct sweep_target *t, char *path)
{
	struct fetch_ctx *c = ctx;
	size_t i = (size_t)(t - c->targets);

	if (i < c->ntargets && c->locks[i] >= 0) {
		close(c->locks[i]);
		c->locks[i] = -1;
	}
	if (t->kind == TARGET_URL && !c->cache)
		tmpdir_remove(path);
	else
		free(path);
}

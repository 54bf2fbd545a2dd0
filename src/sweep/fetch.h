/*
 * Remote repositories as sweep targets: a URL target is cloned with
 * libgit2 as a bare mirror of every ref the server advertises (each
 * refs/ name onto itself: pull and merge request refs, tags) into a private
 * temporary folder that release removes, or into a --cache folder where
 * the next sweep only fetches what is new (deleted refs pruned). Local
 * targets are scanned where they are.
 *
 * Ownership: struct fetch_ctx owns copies of its strings and wipes the
 * credentials on release. resolve and release (struct sweep_fetch) run on
 * several worker threads at once; fetch_init and fetch_release on one.
 */
#ifndef NFG_SWEEP_FETCH_H
#define NFG_SWEEP_FETCH_H

#include <stddef.h>

#include "sweep/sweep.h"
#include "sweep/target.h"

/* How long a git credential helper may take to answer, in ms. */
#define FETCH_HELPER_TIMEOUT_MS 60000

struct fetch_opts {
	const char *cache;  /* --cache DIR, or NULL: temporary clones */
	const char *tmpdir; /* where temporary clones go (NULL: /tmp) */
	const char *cacert; /* CA file for https, or NULL: the system's */
	/*
	 * https credentials (copied): token (sent as the password of user
	 * name username, else "x-access-token"), or username + password.
	 * Without them, a URL's own user:password, then git's credential
	 * helpers. SSH takes its keys from the agent.
	 */
	const char *token, *username, *password;
	/*
	 * The known_hosts file whose @revoked lines refuse an ssh host key
	 * (libgit2 checks the rest of ~/.ssh/known_hosts), or NULL.
	 */
	const char *known_hosts;
	const struct sweep_target *targets; /* the sweep's, borrowed */
	size_t ntargets;
};

struct fetch_ctx {
	char *cache, *tmpdir;
	char *token, *username, *password;
	char *known_hosts;
	const struct sweep_target *targets;
	size_t ntargets;
	int *locks; /* per target: its cache entry's locked descriptor */
};

/*
 * Makes c ready: trusts o->cacert for https (libgit2's process-wide
 * setting, so before any thread fetches), creates the cache folder
 * (0700) when it does not exist. 0, or NFG_EIO / NFG_EINVAL ("--cache:
 * cannot create 'DIR': why", "--cacert: 'FILE': why"), NFG_ENOMEM.
 * Release with fetch_release (also after a failure).
 */
int fetch_init(struct fetch_ctx *c, const struct fetch_opts *o);
void fetch_release(struct fetch_ctx *c);

/*
 * The sweep_fetch hooks (ctx is a struct fetch_ctx). resolve: a local
 * target's path as given; a URL's repository cloned or fetched, *transfer
 * "clone" or "fetch" (NULL for a local target; set before a failure too).
 * Fails, with the reason as the error (one line, without the URL), on an
 * http:// URL to a host that is not loopback, a cache entry that is not
 * this repository's (never replaced), a transfer that failed ("cannot
 * clone: authentication failed", "cannot fetch: REASON"). release removes
 * a temporary clone, unlocks a cache entry and frees path.
 */
int fetch_resolve(void *ctx, const struct sweep_target *t, char **path,
		  const char **transfer);
void fetch_path_release(void *ctx, const struct sweep_target *t, char *path);

/*
 * The name of a target's cache entry, from its normalised key: the key's
 * letters, digits, '.', '-' and '_' (others as '_', at most 64), '-',
 * 16 hex digits of the key's SHA-256, ".git". NULL when out of memory.
 */
char *fetch_cache_name(const char *key);

/* 1 when url (a target as given) holds a password in its userinfo. */
int fetch_url_has_password(const char *url);

#endif

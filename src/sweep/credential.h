/*
 * Credentials for fetching a remote repository: the parts of a URL a
 * credential is asked for, and git's credential helpers (`git credential
 * fill`, the request on its standard input, never in argv), whose answer
 * is parsed on a memory buffer.
 *
 * Ownership: every string returned is the caller's; credential_wipe
 * zeroes a secret and frees it. Nothing here prints or logs.
 */
#ifndef NFG_SWEEP_CREDENTIAL_H
#define NFG_SWEEP_CREDENTIAL_H

#include <stddef.h>

/* The most bytes of a helper's answer that are read. */
#define CREDENTIAL_ANSWER_MAX 65536

/* The parts of scheme://[user[:password]@]host[:port][/path]. */
struct url_parts {
	char *scheme;	/* lowercased */
	char *user;	/* NULL if none */
	char *password; /* NULL if none (wipe with credential_wipe) */
	char *host;	/* host[:port] as written, "[::1]:8080" included */
	char *hostname; /* host without port or brackets' port */
	char *path;	/* without the leading '/', NULL if none */
};

/*
 * Splits url[0..len) (scheme://...; an scp-like form is not a URL here).
 * 0; NFG_EINVAL ("not a URL") when there is no "scheme://" or no host
 * (file:// URLs have none: hostname is then ""); NFG_ENOMEM. Release
 * with url_parts_release (it wipes the password; accepts a zeroed one).
 */
int url_parts_split(struct url_parts *u, const char *url, size_t len);
void url_parts_release(struct url_parts *u);

/*
 * Parses a credential helper's answer data[0..len): "key=value" lines;
 * *user and *password get the values of "username" and "password" (NULL
 * when absent; the last line of a key wins). 0; NFG_EINVAL for a line
 * without '=' or a NUL byte; NFG_ENOMEM. On failure both are NULL.
 */
int credential_parse(const char *data, size_t len, char **user,
		     char **password);

/*
 * Asks git's credential helpers (`git credential fill`, with
 * GIT_TERMINAL_PROMPT=0 so that nothing is asked on a terminal, its
 * stderr discarded) for a user name and password for protocol, host and
 * path (path may be NULL); user (may be NULL) is passed as a hint. A
 * helper that gives nothing (git exits non-zero, no password) is not an
 * error: 0 with *password NULL. A helper still silent after timeout_ms
 * is killed. NFG_ERR when git cannot be run, NFG_ENOMEM. Thread-safe.
 */
int credential_fill(const char *protocol, const char *host, const char *path,
		    const char *user, int timeout_ms, char **out_user,
		    char **out_password);

/* Zeroes the string s (explicit_bzero) and frees it; accepts NULL. */
void credential_wipe(char *s);

#endif

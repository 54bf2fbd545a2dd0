/*
 * URL parts and git's credential helpers: the request written to `git
 * credential fill` on a pipe, its answer read (bounded, with a deadline)
 * into a wiped buffer and parsed; every copy of a secret wiped when freed.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"
#include "sweep/credential.h"

#include <ctype.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void credential_wipe(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A percent-decoded copy of s[0..n) (userinfo), or NULL. */
static char *decode(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t i, j = 0;
	int hi, lo;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			out[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
	return out;
}

void url_parts_release(struct url_parts *u)
{
	free(u->scheme);
	free(u->user);
	credential_wipe(u->password);
	free(u->host);
	free(u->hostname);
	free(u->path);
	memset(u, 0, sizeof(*u));
}

int url_parts_split(struct url_parts *u, const char *url, size_t len)
{
	const char *p = url, *end = url + len, *auth, *rest, *at = NULL, *c;
	const char *h, *colon;
	size_t i, sl = 0;

	memset(u, 0, sizeof(*u));
	while (sl < len && (isalnum((unsigned char)url[sl]) || url[sl] == '+' ||
			    url[sl] == '-' || url[sl] == '.'))
		sl++;
	if (!sl || sl + 3 > len || memcmp(url + sl, "://", 3) ||
	    memchr(url, '\0', len))
		return error_set(NFG_EINVAL, "not a URL");
	auth = p + sl + 3;
	for (rest = auth;
	     rest < end && *rest != '/' && *rest != '?' && *rest != '#'; rest++)
		if (*rest == '@')
			at = rest;
	if (!(u->scheme = strndup(url, sl)))
		goto nomem;
	for (i = 0; i < sl; i++)
		u->scheme[i] = (char)tolower((unsigned char)u->scheme[i]);
	h = auth;
	if (at) {
		c = memchr(auth, ':', (size_t)(at - auth));
		if (!(u->user = decode(auth, (size_t)((c ? c : at) - auth))))
			goto nomem;
		if (c && !(u->password = decode(c + 1, (size_t)(at - c - 1))))
			goto nomem;
		h = at + 1;
	}
	if (!(u->host = strndup(h, (size_t)(rest - h))))
		goto nomem;
	if (h < rest && *h == '[')
		c = memchr(h, ']', (size_t)(rest - h));
	else
		c = NULL;
	colon = memchr(c ? c : h, ':', (size_t)(rest - (c ? c : h)));
	if (!(u->hostname = strndup(h, (size_t)((colon ? colon : rest) - h))))
		goto nomem;
	if (!*u->hostname && strcmp(u->scheme, "file")) {
		url_parts_release(u);
		return error_set(NFG_EINVAL, "not a URL");
	}
	if (rest < end && *rest == '/') {
		for (c = rest + 1; c < end && *c != '?' && *c != '#'; c++)
			;
		if (!(u->path = strndup(rest + 1, (size_t)(c - rest - 1))))
			goto nomem;
	}
	return 0;
nomem:
	url_parts_release(u);
	return error_nomem();
}

int credential_parse(const char *data, size_t len, char **user, char **password)
{
	const char *p = data, *end = data + len, *nl, *eq;
	char **slot, *v;

	*user = *password = NULL;
	if (memchr(data, '\0', len))
		goto bad;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl == p) {
			p++;
			continue;
		}
		if (!(eq = memchr(p, '=', (size_t)(nl - p))))
			goto bad;
		slot = NULL;
		if (eq - p == 8 && !memcmp(p, "username", 8))
			slot = user;
		else if (eq - p == 8 && !memcmp(p, "password", 8))
			slot = password;
		if (slot) {
			if (!(v = strndup(eq + 1, (size_t)(nl - eq - 1)))) {
				credential_wipe(*user);
				credential_wipe(*password);
				*user = *password = NULL;
				return error_nomem();
			}
			credential_wipe(*slot);
			*slot = v;
		}
		p = nl + 1;
	}
	return 0;
bad:
	credential_wipe(*user);
	credential_wipe(*password);
	*user = *password = NULL;
	return error_set(NFG_EINVAL, "a credential helper's answer is not "
				     "key=value lines");
}

/* environ with GIT_TERMINAL_PROMPT=0 in place of any other value. */
static char **child_env(void)
{
	static char prompt[] = "GIT_TERMINAL_PROMPT=0";
	size_t n = 0, i, j = 0;
	char **env;

	while (environ[n])
		n++;
	if (!(env = calloc(n + 2, sizeof(*env))))
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "GIT_TERMINAL_PROMPT=", 20))
			env[j++] = environ[i];
	env[j] = prompt;
	return env;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Runs `git credential fill` with req on its stdin; its stdout into out
 * (bounded). 0 with *status git's wait status; NFG_ERR, NFG_ELIMIT.
 */
static int run_fill(const struct buf *req, struct buf *out, int timeout_ms,
		    int *status)
{
	static char *const argv[] = {"git", "credential", "fill", NULL};
	posix_spawn_file_actions_t fa;
	int in[2] = {-1, -1}, outp[2] = {-1, -1}, err = 0, spawned = 0;
	int64_t deadline = now_ms() + timeout_ms;
	char **env = child_env();
	struct pollfd pfd;
	char chunk[4096];
	size_t off = 0;
	ssize_t n;
	pid_t pid;

	*status = -1;
	if (!env)
		return error_nomem();
	if (pipe2(in, O_CLOEXEC) || pipe2(outp, O_CLOEXEC)) {
		err = error_set_errno(NFG_ERR, errno, "cannot make a pipe");
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if ((errno = posix_spawnp(&pid, "git", &fa, NULL, argv, env)))
		err = error_set_errno(NFG_ERR, errno, "cannot run git");
	else
		spawned = 1;
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(outp[1]);
	in[0] = outp[1] = -1;
	if (err)
		goto done;
	/* The request is far smaller than a pipe's buffer. */
	while (off < req->len) {
		n = write(in[1], req->ptr + off, req->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(in[1]);
	in[1] = -1;
	pfd.fd = outp[0];
	pfd.events = POLLIN;
	for (;;) {
		int64_t left = deadline - now_ms();

		if (left <= 0) {
			err = error_set(NFG_ERR, "the git credential helper "
						 "did not answer in time");
			break;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
			err = error_set_errno(NFG_ERR, errno, "poll");
			break;
		}
		if (!pfd.revents)
			continue;
		n = read(outp[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf_add(out, chunk, (size_t)n)) {
			err = error_set(NFG_ELIMIT, "the git credential "
						    "helper's answer is too "
						    "long");
			break;
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
done:
	if (spawned) {
		if (err)
			kill(pid, SIGKILL);
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
	}
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	free(env);
	return err;
}

int credential_fill(const char *protocol, const char *host, const char *path,
		    const char *user, int timeout_ms, char **out_user,
		    char **out_password)
{
	struct buf req, out;
	int status, err;

	*out_user = *out_password = NULL;
	buf_init(&req, 16384);
	buf_init(&out, CREDENTIAL_ANSWER_MAX);
	out.wipe = 1;
	/* A newline in a value would forge a line of the request. */
	if (str_has_control(protocol, strlen(protocol)) ||
	    str_has_control(host, strlen(host)) ||
	    (path && str_has_control(path, strlen(path))) ||
	    (user && str_has_control(user, strlen(user)))) {
		err = error_set(NFG_EINVAL, "a control character in a "
					    "credential request");
		goto done;
	}
	buf_printf(&req, "protocol=%s\nhost=%s\n", protocol, host);
	if (path && *path)
		buf_printf(&req, "path=%s\n", path);
	if (user && *user)
		buf_printf(&req, "username=%s\n", user);
	buf_putc(&req, '\n');
	if ((err = buf_failed(&req)))
		goto done;
	if ((err = run_fill(&req, &out, timeout_ms, &status)))
		goto done;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		goto done;
	err = credential_parse(out.ptr ? out.ptr : "", out.len, out_user,
			       out_password);
done:
	buf_release(&req);
	buf_release(&out);
	return err;
}

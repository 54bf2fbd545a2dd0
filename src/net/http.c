/*
 * The HTTP client under verification and revocation: libcurl easy handles
 * with safe defaults on one multi handle, a small scheduler for
 * concurrency, retries and the deadline, and the pure helpers (URL checks,
 * Retry-After, retry delays) that decide what is safe and when to retry.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/array.h"
#include "util/clock.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "util/error.h"
#include "net/http.h"
#include "net/http_parse.h"
#include "net/curl_load.h"

/* libcurl, only once need_curl succeeded (each entry point calls it). */
#define CF (curl_fns())

static int need_curl(void)
{
	const struct curl_fns *c;

	return curl_load(&c);
}

enum { ST_NEW, ST_WAITING, ST_ACTIVE, ST_DONE };

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static int global_ready; /* libcurl was set up by global_init */

static void global_init(void)
{
	global_rc = CF->global_init(CURL_GLOBAL_DEFAULT);
	global_ready = global_rc == CURLE_OK;
}

void http_global_cleanup(void)
{
	/* Only what was set up: a run that sent no request set up nothing. */
	if (global_ready)
		CF->global_cleanup();
	global_ready = 0;
}

int http_library_version(char *ver, char *tls, size_t cap)
{
	const curl_version_info_data *v;
	int err;

	if ((err = need_curl()))
		return err;
	v = CF->version_info(CURLVERSION_NOW);
	snprintf(ver, cap, "%s", v->version);
	snprintf(tls, cap, "%s", v->ssl_version ? v->ssl_version : "none");
	return 0;
}

void http_opts_default(struct http_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->concurrency = 8;
	o->streams = 100;
	o->connect_timeout_ms = 5000;
	o->timeout_ms = 10000;
	o->max_retries = HTTP_MAX_RETRIES;
	o->backoff_ms = 500;
	o->backoff_max_ms = 8000;
	o->retry_after_max_ms = 60000;
	o->deadline_ms = 300000;
}

int http_host_is_loopback(const char *host)
{
	unsigned char a6[16];
	struct in_addr a4;
	char tmp[64];
	size_t n;

	if (!host)
		return 0;
	if (!strcasecmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	n = strlen(host);
	if (n < 3 || n >= sizeof(tmp) || host[0] != '[' || host[n - 1] != ']')
		return 0;
	memcpy(tmp, host + 1, n - 2);
	tmp[n - 2] = '\0';
	if (inet_pton(AF_INET6, tmp, a6) != 1)
		return 0;
	{
		static const unsigned char loop[16] = {0, 0, 0, 0, 0, 0, 0, 0,
						       0, 0, 0, 0, 0, 0, 0, 1};
		static const unsigned char mapped[12] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

		if (!memcmp(a6, loop, 16))
			return 1;
		return !memcmp(a6, mapped, 12) && a6[12] == 127;
	}
}

/* Parses url; *loopback (may be NULL) says whether its host is loopback. */
static int check_url(const char *url, const char *what, int *loopback,
		     int allow_query)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *part = NULL;
	int err, loop;

	if ((err = need_curl()))
		return err;
	if (!(u = CF->url()))
		return error_nomem();
	if (CF->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		err = error_set(NFG_EINVAL, "%s: not a valid URL", what);
		goto done;
	}
	if (CF->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    CF->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
		err = error_set(NFG_EINVAL, "%s: the URL has no host", what);
		goto done;
	}
	if (CF->url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
	    CF->url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK) {
		err = error_set(NFG_EINVAL,
				"%s: the URL must not hold a user name or "
				"password",
				what);
		goto done;
	}
	if ((!allow_query &&
	     CF->url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK) ||
	    CF->url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK) {
		err = error_set(NFG_EINVAL,
				"%s: the URL must not hold a query or fragment",
				what);
		goto done;
	}
	loop = http_host_is_loopback(host);
	if (!strcasecmp(scheme, "http")) {
		if (!loop) {
			err = error_set(NFG_EINVAL,
					"%s: plain http is allowed only to a "
					"loopback address (127.0.0.1, ::1, "
					"localhost); use https",
					what);
			goto done;
		}
	} else if (strcasecmp(scheme, "https")) {
		err = error_set(NFG_EINVAL, "%s: the URL must be https", what);
		goto done;
	}
	if (loopback)
		*loopback = loop;
done:
	CF->free(part);
	CF->free(host);
	CF->free(scheme);
	CF->url_cleanup(u);
	return err;
}

int http_check_url(const char *url, const char *what)
{
	return check_url(url, what, NULL, 0);
}

int http_parse_retry_after(const char *value, time_t now, int64_t *ms)
{
	const int64_t day = 86400;
	char tmp[64];
	const char *p = value;
	size_t n;
	int64_t s = 0;
	time_t t;

	while (*p == ' ' || *p == '\t')
		p++;
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (!n || n >= sizeof(tmp))
		return error_set(NFG_EINVAL, "bad Retry-After");
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	if (isdigit((unsigned char)tmp[0])) {
		size_t i;

		for (i = 0; i < n; i++) {
			if (!isdigit((unsigned char)tmp[i]))
				return error_set(NFG_EINVAL, "bad Retry-After");
			if (s < day)
				s = s * 10 + (tmp[i] - '0');
		}
	} else {
		if (need_curl())
			return NFG_ERR;
		t = CF->getdate(tmp, NULL);
		if (t == (time_t)-1)
			return error_set(NFG_EINVAL, "bad Retry-After");
		s = t <= now ? 0 : (int64_t)(t - now);
	}
	*ms = (s > day ? day : s) * 1000;
	return 0;
}

static int retryable(const struct http_result *r)
{
	switch (r->outcome) {
	case HTTP_TIMEOUT:
	case HTTP_DNS:
	case HTTP_CONNECT:
	case HTTP_NETWORK:
		return 1;
	case HTTP_RESPONSE:
		return r->status == 429 ||
		       (r->status >= 500 && r->status <= 599);
	default:
		return 0;
	}
}

int64_t http_retry_delay_ms(const struct http_result *r, unsigned attempt,
			    int64_t retry_after_ms, const struct http_opts *o,
			    uint64_t rnd)
{
	int64_t backoff = o->backoff_ms, delay;
	unsigned i;

	if (!retryable(r) || attempt == 0 || attempt > o->max_retries)
		return -1;
	for (i = 1; i < attempt && backoff < o->backoff_max_ms; i++)
		backoff *= 2;
	if (backoff > o->backoff_max_ms)
		backoff = o->backoff_max_ms;
	/* "Equal jitter": half fixed, half random, so clients spread out. */
	delay = backoff / 2 + (int64_t)(rnd % (uint64_t)(backoff / 2 + 1));
	if (retry_after_ms >= 0) {
		if (retry_after_ms > o->retry_after_max_ms)
			retry_after_ms = o->retry_after_max_ms;
		if (retry_after_ms > delay)
			delay = retry_after_ms;
	}
	return delay;
}

const char *http_outcome_text(enum http_outcome o)
{
	switch (o) {
	case HTTP_RESPONSE:
		return "response";
	case HTTP_TIMEOUT:
		return "timeout";
	case HTTP_DNS:
		return "dns: cannot resolve the host";
	case HTTP_CONNECT:
		return "connect: cannot connect";
	case HTTP_NETWORK:
		return "network: connection lost";
	case HTTP_TLS_CERT:
		return "tls: certificate not trusted or not for this host";
	case HTTP_TLS:
		return "tls: handshake failed";
	case HTTP_CA_FILE:
		return "tls: cannot use the CA file";
	case HTTP_TOO_BIG:
		return "response body larger than 64 KiB";
	case HTTP_DEADLINE:
		return "deadline reached";
	case HTTP_PROTOCOL:
		return "scheme not allowed";
	default:
		return "request failed";
	}
}

static const char *attempts_text(unsigned n)
{
	return n == 1 ? "attempt" : "attempts";
}

void http_result_reason(const struct http_result *r, long deadline_ms,
			char *out, size_t cap)
{
	long st = r->status;

	switch (r->outcome) {
	case HTTP_RESPONSE:
		if (st == 429)
			snprintf(out, cap, "rate limited (429) after %u %s",
				 r->attempts, attempts_text(r->attempts));
		else if (st >= 500 && st <= 599)
			snprintf(out, cap, "server error %ld after %u %s", st,
				 r->attempts, attempts_text(r->attempts));
		else if (st >= 300 && st <= 399)
			snprintf(out, cap, "redirect %ld not followed", st);
		else
			snprintf(out, cap, "unexpected status %ld", st);
		break;
	case HTTP_TIMEOUT:
	case HTTP_DNS:
	case HTTP_CONNECT:
	case HTTP_NETWORK:
		snprintf(out, cap, "%s after %u %s",
			 http_outcome_text(r->outcome), r->attempts,
			 attempts_text(r->attempts));
		break;
	case HTTP_DEADLINE:
		snprintf(out, cap, "deadline of %ld s reached",
			 deadline_ms / 1000);
		break;
	case HTTP_FAILED:
		snprintf(out, cap, "request failed (curl error %d)",
			 r->curl_code);
		break;
	default:
		snprintf(out, cap, "%s", http_outcome_text(r->outcome));
		break;
	}
}

int http_request_init(struct http_request *r, const char *method,
		      const char *url)
{
	int err;

	memset(r, 0, sizeof(*r));
	buf_init(&r->result.body, HTTP_BODY_MAX);
	r->result.body.wipe = 1;
	buf_init(&r->result.headers, HTTP_HEADERS_MAX);
	r->result.headers.wipe = 1;
	r->method = method;
	if ((err = check_url(url, "api url", NULL, 1)))
		return err;
	r->url = strdup(url);
	if (!r->url)
		return error_nomem();
	return 0;
}

int http_request_add_header(struct http_request *r, const char *name,
			    const char *value, size_t value_len)
{
	struct curl_slist *l;
	struct buf line;
	size_t i;
	int err;

	for (i = 0; name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return error_set(NFG_EINVAL, "bad header name");
	if (!i || str_has_control(value, value_len))
		return error_set(NFG_EINVAL,
				 "header '%s': the value holds control bytes",
				 name);
	if ((err = need_curl()))
		return err;
	buf_init(&line, HTTP_HEADER_MAX);
	line.wipe = 1;
	err = buf_puts(&line, name);
	if (!err)
		err = buf_puts(&line, ": ");
	if (!err)
		err = buf_add(&line, value, value_len);
	if (!err) {
		/* curl_slist_append copies the line; release wipes the copy. */
		l = CF->slist_append(r->headers, line.ptr);
		if (!l)
			err = error_nomem();
		else
			r->headers = l;
	}
	buf_release(&line);
	return err;
}

static void wipe_slist(struct curl_slist *l)
{
	struct curl_slist *p;

	for (p = l; p; p = p->next)
		if (p->data)
			explicit_bzero(p->data, strlen(p->data));
	CF->slist_free_all(l);
}

void http_request_set_body_max(struct http_request *r, size_t max)
{
	r->result.body.max = max;
}

void http_request_release(struct http_request *r)
{
	if (!r)
		return;
	if (r->easy)
		CF->easy_cleanup(r->easy);
	wipe_slist(r->headers);
	free(r->url);
	buf_release(&r->result.body);
	buf_release(&r->result.headers);
	memset(r, 0, sizeof(*r));
}

void http_response_reset(struct http_request *r)
{
	buf_reset(&r->result.body);
	buf_reset(&r->result.headers);
	r->result.headers_cut = 0;
	r->result.request_id[0] = '\0';
	r->retry_after[0] = '\0';
	r->too_big = 0;
}

int http_response_body(struct http_request *r, const char *p, size_t len)
{
	int err = buf_add(&r->result.body, p, len);

	if (err == NFG_ELIMIT)
		r->too_big = 1;
	return err;
}

/*
 * Copies a header value, trimmed, into dst, cut to fit and at a NUL.
 * Returns 1 when the whole value is in dst, 0 when it was cut.
 */
static int copy_value(char *dst, size_t cap, const char *p, size_t n)
{
	const char *nul;
	int whole = 1;

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	if ((nul = memchr(p, '\0', n))) {
		n = (size_t)(nul - p);
		whole = 0;
	}
	if (n >= cap) {
		n = cap - 1;
		whole = 0;
	}
	memcpy(dst, p, n);
	dst[n] = '\0';
	return whole;
}

void http_response_header(struct http_request *r, const char *p, size_t len)
{
	static const char rid[] = "x-request-id:", ra[] = "retry-after:";

	/* A new status line starts a new response (e.g. after a 100). */
	if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
		r->result.request_id[0] = '\0';
		r->retry_after[0] = '\0';
		buf_reset(&r->result.headers);
		r->result.headers_cut = 0;
		return;
	}
	if (buf_add(&r->result.headers, p, len))
		r->result.headers_cut = 1;
	if (len > sizeof(rid) - 1 && !strncasecmp(p, rid, sizeof(rid) - 1)) {
		copy_value(r->result.request_id, sizeof(r->result.request_id),
			   p + sizeof(rid) - 1, len - (sizeof(rid) - 1));
	} else if (len > sizeof(ra) - 1 &&
		   !strncasecmp(p, ra, sizeof(ra) - 1) &&
		   !copy_value(r->retry_after, sizeof(r->retry_after),
			       p + sizeof(ra) - 1, len - (sizeof(ra) - 1))) {
		/* Cut, it could read as another delay: no hint at all. */
		r->retry_after[0] = '\0';
	}
}

int64_t http_response_retry_after_ms(const struct http_request *r, time_t now,
				     const struct http_opts *o)
{
	int64_t hint = -1;

	if (r->retry_after[0])
		http_parse_retry_after(r->retry_after, now, &hint);
	if (hint < 0 && !r->too_big && o->body_retry_after_ms)
		hint = o->body_retry_after_ms(r->result.body.ptr,
					      r->result.body.len);
	return hint;
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	size_t len = size * n;

	/* 0 aborts the transfer. */
	return http_response_body(ctx, p, len) ? 0 : len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	size_t len = size * n;

	http_response_header(ctx, p, len);
	return len;
}

#define SETOPT(h, opt, val)                                                    \
	do {                                                                   \
		if (CF->easy_setopt(h, opt, val) != CURLE_OK)                  \
			goto fail;                                             \
	} while (0)

/* A new easy handle for r with every safety setting in place. */
static int make_easy(struct http_request *r, const struct http_opts *o)
{
	CURL *h;
	int loop = 0, err;

	if ((err = check_url(r->url, "api url", &loop, 1)))
		return err;
	h = CF->easy_init();
	if (!h)
		return error_nomem();
	SETOPT(h, CURLOPT_URL, r->url);
	SETOPT(h, CURLOPT_PROTOCOLS_STR, loop ? "https,http" : "https");
	SETOPT(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(h, CURLOPT_MAXREDIRS, 0L);
	SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
	SETOPT(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (o->cacert)
		SETOPT(h, CURLOPT_CAINFO, o->cacert);
	/* The token must never go to a proxy in the clear. */
	if (loop)
		SETOPT(h, CURLOPT_NOPROXY, "*");
	SETOPT(h, CURLOPT_VERBOSE, 0L);
	SETOPT(h, CURLOPT_NOSIGNAL, 1L);
	SETOPT(h, CURLOPT_USERAGENT, "nfguard/" NFG_VERSION);
	SETOPT(h, CURLOPT_HTTPHEADER, (struct curl_slist *)r->headers);
	SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	SETOPT(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->result.body.max);
	SETOPT(h, CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(h, CURLOPT_WRITEDATA, r);
	SETOPT(h, CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(h, CURLOPT_HEADERDATA, r);
	SETOPT(h, CURLOPT_PRIVATE, r);
	/*
	 * HTTP/2 when the server offers it (ALPN, https only); a request
	 * waits for a connection still in its TLS handshake rather than open
	 * one more, so that over HTTP/2 they all share it. Plain http (a
	 * loopback test server) is HTTP/1.1, known only from a first answer:
	 * no wait there, or one slow answer would hold up the others.
	 */
	SETOPT(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	if (!strncasecmp(r->url, "https:", 6))
		SETOPT(h, CURLOPT_PIPEWAIT, 1L);
	if (!strcmp(r->method, "HEAD"))
		SETOPT(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(r->method, "GET"))
		SETOPT(h, CURLOPT_CUSTOMREQUEST, r->method);
	r->easy = h;
	return 0;
fail:
	CF->easy_cleanup(h);
	return error_set(NFG_ERR, "cannot set up an HTTP request");
}

static enum http_outcome classify(struct http_request *r, CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_RESPONSE;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_DNS;
	case CURLE_COULDNT_CONNECT:
		return HTTP_CONNECT;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return HTTP_NETWORK;
	case CURLE_PEER_FAILED_VERIFICATION:
		return HTTP_TLS_CERT;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CRL_BADFILE:
		return HTTP_CA_FILE;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		return HTTP_TLS;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_TOO_BIG;
	case CURLE_WRITE_ERROR:
		return r->too_big ? HTTP_TOO_BIG : HTTP_FAILED;
	case CURLE_UNSUPPORTED_PROTOCOL:
		return HTTP_PROTOCOL;
	default:
		return HTTP_FAILED;
	}
}

/* A fresh random number for jitter (xorshift; quality does not matter). */
static uint64_t jitter_rand(void)
{
	static uint64_t s;

	if (!s)
		s = ((uint64_t)clock_now_ms() << 20) ^ (uint64_t)getpid() ^
		    (uint64_t)(uintptr_t)&s;
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

struct sched {
	CURLM *multi;
	const struct http_opts *o;
	int64_t deadline;
	size_t active;
	int multiplexed; /* the last answer came over HTTP/2: 1, 0, -1 none */
};

/*
 * Requests in flight at most: the fewer of the two limits until an answer
 * tells whether the server multiplexes (HTTP/2), then that one's.
 */
static size_t in_flight_max(const struct sched *s)
{
	unsigned c = s->o->concurrency, m = s->o->streams, n;

	if (s->multiplexed < 0)
		n = c < m ? c : m;
	else
		n = s->multiplexed ? m : c;
	return n ? n : 1;
}

static int start(struct sched *s, struct http_request *r, int64_t now)
{
	long left = (long)(s->deadline - now);
	long t = s->o->timeout_ms < left ? s->o->timeout_ms : left;
	int err;

	if (!r->easy && (err = make_easy(r, s->o)))
		return err;
	if (t < 1)
		t = 1;
	if (s->o->before_send &&
	    (err = s->o->before_send(s->o->before_send_ctx, r,
				     r->result.attempts + 1)))
		return err;
	http_response_reset(r);
	r->result.attempts++;
	if (CF->easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, t) != CURLE_OK ||
	    CF->multi_add_handle(s->multi, r->easy) != CURLM_OK)
		return error_set(NFG_ERR, "cannot start an HTTP request");
	r->state = ST_ACTIVE;
	s->active++;
	return 0;
}

static void finish(struct http_request *r)
{
	r->state = ST_DONE;
	r->result.ended_at_ms = clock_now_ms();
	if (r->easy) {
		CF->easy_cleanup(r->easy);
		r->easy = NULL;
	}
}

/* An attempt ended: done, or waiting for the next attempt. */
static void attempt_done(struct sched *s, struct http_request *r, CURLcode rc,
			 int64_t now)
{
	int64_t hint = -1, delay;
	long status = 0, version = 0;

	CF->multi_remove_handle(s->multi, r->easy);
	s->active--;
	r->result.curl_code = (int)rc;
	r->result.outcome = classify(r, rc);
	if (CF->easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status) ==
		    CURLE_OK &&
	    status)
		r->result.status = status;
	/* 0 when no answer came: what the server speaks is as it was. */
	if (CF->easy_getinfo(r->easy, CURLINFO_HTTP_VERSION, &version) ==
		    CURLE_OK &&
	    version)
		s->multiplexed = version == CURL_HTTP_VERSION_2_0;
	if (r->result.outcome == HTTP_RESPONSE && s->o->rate_limit_ms &&
	    (hint = s->o->rate_limit_ms(r, time(NULL))) >= 0) {
		/* A rate limit: its whole wait, or none (final) when long. */
		delay = hint <= s->o->retry_after_max_ms &&
					r->result.attempts <= s->o->max_retries
				? hint
				: -1;
	} else {
		if (r->result.outcome == HTTP_RESPONSE)
			hint = http_response_retry_after_ms(r, time(NULL),
							    s->o);
		delay = http_retry_delay_ms(&r->result, r->result.attempts,
					    hint, s->o, jitter_rand());
	}
	if (delay < 0 || now + delay >= s->deadline) {
		finish(r);
		return;
	}
	r->state = ST_WAITING;
	r->ready_at_ms = now + delay;
}

/*
 * The requests of a run: the caller's, then the follow-ups on_done adds.
 * Each ended request is handed to on_done once, unless the run failed.
 */
struct run_list {
	struct http_request **v;
	size_t n, cap;
	size_t done;
};

static int request_ended(struct run_list *q, struct http_request *r,
			 const struct http_opts *o)
{
	struct http_request *next = NULL;
	int err;

	q->done++;
	if (o->on_done) {
		if ((err = o->on_done(o->on_done_ctx, r, &next)))
			return err;
		if (next) {
			if (ARRAY_GROW(q->v, q->n, q->cap))
				return error_nomem();
			next->state = ST_NEW;
			q->v[q->n++] = next;
		}
	}
	if (o->progress)
		o->progress(o->progress_ctx, q->done, q->n);
	return 0;
}

int http_run(struct http_request **reqs, size_t n, const struct http_opts *o)
{
	struct sched s = {.o = o, .multiplexed = -1};
	struct run_list q = {NULL, 0, 0, 0};
	size_t next = 0, i, nwaiting = 0;
	long conc = o->concurrency ? (long)o->concurrency : 1;
	long streams = o->streams ? (long)o->streams : 1;
	int err = 0;

	if (!n)
		return 0;
	if ((err = need_curl()))
		return err;
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return error_set(NFG_ERR, "cannot initialise libcurl");
	if (array_reserve(&q.v, &q.cap, n, sizeof(*q.v)))
		return error_nomem();
	memcpy(q.v, reqs, n * sizeof(*reqs));
	q.n = n;
	s.multi = CF->multi_init();
	if (!s.multi) {
		free(q.v);
		return error_nomem();
	}
	CF->multi_setopt(s.multi, CURLMOPT_MAX_HOST_CONNECTIONS, conc);
	CF->multi_setopt(s.multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	CF->multi_setopt(s.multi, CURLMOPT_MAX_CONCURRENT_STREAMS, streams);
	s.deadline = clock_now_ms() + o->deadline_ms;
	for (i = 0; i < n; i++)
		reqs[i]->state = ST_NEW;
	while (q.done < q.n && !err) {
		int64_t now = clock_now_ms(), wake = now + 1000;
		int running;
		CURLMsg *msg;
		int left;

		if (now >= s.deadline)
			break;
		/* Retries first: they have waited already. */
		for (i = 0; nwaiting && i < next &&
			    s.active < in_flight_max(&s) && !err;
		     i++) {
			if (q.v[i]->state == ST_WAITING &&
			    q.v[i]->ready_at_ms <= now) {
				nwaiting--;
				err = start(&s, q.v[i], now);
			}
		}
		while (next < q.n && s.active < in_flight_max(&s) && !err)
			err = start(&s, q.v[next++], now);
		if (err)
			break;
		CF->multi_perform(s.multi, &running);
		while (!err && (msg = CF->multi_info_read(s.multi, &left))) {
			struct http_request *r = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			CF->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					 (char **)&r);
			attempt_done(&s, r, msg->data.result, clock_now_ms());
			if (r->state == ST_DONE)
				err = request_ended(&q, r, o);
			else
				nwaiting++;
		}
		if (q.done == q.n || err)
			break;
		/* A slot is free and a request waits for it: no sleep. */
		if (next < q.n && s.active < in_flight_max(&s))
			continue;
		for (i = 0; nwaiting && i < next; i++)
			if (q.v[i]->state == ST_WAITING &&
			    q.v[i]->ready_at_ms < wake)
				wake = q.v[i]->ready_at_ms;
		if (wake > s.deadline)
			wake = s.deadline;
		now = clock_now_ms();
		CF->multi_poll(s.multi, NULL, 0,
			       wake > now ? (int)(wake - now) : 0, NULL);
	}
	/*
	 * What is left ran out of time (or the client failed); a follow-up
	 * given now is never sent and ends here too.
	 */
	for (i = 0; i < q.n; i++) {
		struct http_request *r = q.v[i];

		if (r->state == ST_DONE)
			continue;
		if (r->state == ST_ACTIVE)
			CF->multi_remove_handle(s.multi, r->easy);
		r->result.outcome = HTTP_DEADLINE;
		finish(r);
		if (!err)
			err = request_ended(&q, r, o);
	}
	CF->multi_cleanup(s.multi);
	free(q.v);
	return err;
}

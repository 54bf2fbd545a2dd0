/*
 * A small HTTP client over libcurl with safe defaults, below every layer
 * that talks to the API (verify/ today, sweeps next): https only (plain
 * http only to a loopback address), certificate verification always on,
 * redirects never followed, connect and total timeouts, response bodies
 * capped, no verbose logging, and headers that may hold a secret wiped
 * before they are freed. Many requests run concurrently on one curl multi
 * handle, each with bounded retries (exponential backoff with jitter,
 * Retry-After honoured) under one overall deadline.
 *
 * Ownership: struct http_request is caller-owned (http_request_init /
 * http_request_release); its result is valid until it is released. The
 * pure helpers (URL checks, Retry-After, retry delays) are exposed for
 * tests. Every int function returns 0 or a negative NFG_* code with the
 * last error set; messages never hold a header value or a secret.
 */
#ifndef NFG_NET_HTTP_H
#define NFG_NET_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"

#define HTTP_BODY_MAX	    ((size_t)64 * 1024) /* larger bodies abort */
#define HTTP_REQUEST_ID_MAX 128			/* longer ids are cut */
#define HTTP_MAX_RETRIES    3			/* after the first attempt */
#define HTTP_HEADER_MAX	    16384 /* "name: value" of a request header */
#define HTTP_HEADERS_MAX    ((size_t)32 * 1024) /* response headers kept */

/* Why a request ended; HTTP_RESPONSE when a response was received. */
enum http_outcome {
	HTTP_RESPONSE = 0, /* see status and body */
	HTTP_TIMEOUT,	   /* connect or total timeout */
	HTTP_DNS,	   /* the host name does not resolve */
	HTTP_CONNECT,	   /* connection refused or unreachable */
	HTTP_NETWORK,	   /* connection lost while talking */
	HTTP_TLS_CERT,	   /* certificate not trusted or not for the host */
	HTTP_TLS,	   /* other TLS failure (handshake) */
	HTTP_CA_FILE,	   /* the --cacert file cannot be used */
	HTTP_TOO_BIG,	   /* the body passed HTTP_BODY_MAX */
	HTTP_DEADLINE,	   /* the overall deadline passed first */
	HTTP_PROTOCOL,	   /* refused scheme (never sent) */
	HTTP_FAILED	   /* anything else (see curl_code) */
};

/* The result of a request: its last attempt. */
struct http_result {
	enum http_outcome outcome;
	long status;	 /* last HTTP status seen, 0 when none */
	struct buf body; /* last response body, at most HTTP_BODY_MAX */
	char request_id[HTTP_REQUEST_ID_MAX + 1]; /* x-request-id or "" */
	unsigned attempts;			  /* attempts made */
	int curl_code;				  /* last CURLcode */
	int64_t ended_at_ms; /* Unix ms when the request ended */
	/*
	 * The last response's header lines as received ("Name: value\r\n",
	 * status line left out), at most HTTP_HEADERS_MAX bytes; headers_cut
	 * is set when a line did not fit (it is missing).
	 */
	struct buf headers;
	int headers_cut;
};

/* A header whose value may hold a secret: kept in a wiping buffer. */
struct http_request {
	const char *method; /* GET, HEAD, POST, PUT, PATCH, DELETE; borrowed */
	char *url;	    /* owned */
	void *user;	    /* the caller's; http.c never touches it */
	void *headers;	    /* struct curl_slist *, owned, wiped on release */
	struct http_result result;
	/* private to http.c */
	void *easy;
	int state;
	int64_t ready_at_ms;
	int too_big;
	char retry_after[64]; /* the last Retry-After header, or "" */
};

/*
 * libcurl itself is loaded (dlopen) on first use, by any function below
 * that needs it: each then fails with NFG_ERR "cannot load libcurl
 * (...)" when it is missing. Its version and TLS library, into ver and
 * tls (cap bytes each, NUL-terminated); 0 or that NFG_ERR.
 */
int http_library_version(char *ver, char *tls, size_t cap);

/*
 * libcurl's process-wide state is set up once, on the first http_run;
 * main.c releases it at exit with http_global_cleanup (a no-op when no
 * request was ever made). Not thread-safe: call it once, at the end.
 */
void http_global_cleanup(void);

/* Client settings for one http_run. */
struct http_opts {
	const char *cacert; /* CA file instead of the system store */
	/*
	 * Connections at most, >= 1; over HTTP/1.1 one request at a time on
	 * each, so also the requests in flight.
	 */
	unsigned concurrency;
	/*
	 * Requests in flight once an answer came over HTTP/2 (offered by
	 * ALPN on https), >= 1: multiplexed on one connection, or on up to
	 * `concurrency` when the server allows fewer streams on one.
	 */
	unsigned streams;
	long connect_timeout_ms; /* per attempt */
	long timeout_ms;	 /* per attempt, whole transfer */
	unsigned max_retries;	 /* after the first attempt */
	long backoff_ms;	 /* first retry delay (doubled each time) */
	long backoff_max_ms;	 /* cap on one backoff delay */
	long retry_after_max_ms; /* cap on an honoured Retry-After */
	long deadline_ms;	 /* for the whole run, from its start */
	/*
	 * Optional: a Retry-After hint found in a response body (e.g. the
	 * API's error.details.retry_after), in ms, or -1 when none.
	 */
	int64_t (*body_retry_after_ms)(const char *body, size_t len);
	/*
	 * Optional: called just before each attempt of a request goes out
	 * (attempt is 1-based), e.g. to record it durably first. A non-zero
	 * return stops the run before that attempt is sent: http_run
	 * returns it, and the requests not done end as HTTP_DEADLINE.
	 */
	int (*before_send)(void *ctx, const struct http_request *r,
			   unsigned attempt);
	void *before_send_ctx;
	/*
	 * Optional: called once for each request as soon as its result is
	 * final (after its retries, or at the deadline), e.g. to record a
	 * decision at once rather than when the whole run is over. It may
	 * set *next to a request (initialised, never run, still the
	 * caller's) that the same run then sends: a check that depends on
	 * this answer; its end is reported here too. A non-zero return
	 * stops the run as before_send's does; no call follows it.
	 */
	int (*on_done)(void *ctx, struct http_request *r,
		       struct http_request **next);
	void *on_done_ctx;
	/*
	 * Optional: called as each request ends, after on_done: done of
	 * total requests so far (total grows with on_done's follow-ups).
	 */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
	/*
	 * Optional: the wait (ms) a rate-limit answer asks for (a host's
	 * reset headers), or -1 when r's response is not one. Such an
	 * answer is retried after that wait when it is at most
	 * retry_after_max_ms (and retries are left), else it is final;
	 * -1 leaves the usual retry rules.
	 */
	int64_t (*rate_limit_ms)(const struct http_request *r, time_t now);
};

/*
 * Fills o with the defaults: 8 connections, 100 streams over HTTP/2, 5 s
 * connect, 10 s total, ...
 */
void http_opts_default(struct http_opts *o);

/*
 * Initialises r for method and url (copied). The URL must pass
 * http_check_url, but may hold a query. The body is capped at
 * HTTP_BODY_MAX (http_request_set_body_max changes it). NFG_EINVAL or
 * NFG_ENOMEM; r is then released.
 */
int http_request_init(struct http_request *r, const char *method,
		      const char *url);

/*
 * Adds the header "name: value". value may hold a secret: it is built in
 * a wiping buffer and the copy the request keeps is wiped on release.
 * Names and values with control bytes are refused (NFG_EINVAL), a line
 * longer than HTTP_HEADER_MAX too (NFG_ELIMIT).
 */
int http_request_add_header(struct http_request *r, const char *name,
			    const char *value, size_t value_len);

/*
 * Sets the cap on r's response body to max bytes (a larger body ends as
 * HTTP_TOO_BIG), before r is run.
 */
void http_request_set_body_max(struct http_request *r, size_t max);

/* Wipes the headers and frees everything r owns. Accepts NULL. */
void http_request_release(struct http_request *r);

/*
 * Runs every request, and each follow-up o->on_done gives, at most
 * o->concurrency at once (o->streams once the server answered over
 * HTTP/2), each retried up to o->max_retries times on 429,
 * 5xx, timeouts and connection errors, with backoff and jitter, waiting
 * at least what Retry-After asks (capped). TLS failures, other statuses
 * and redirects (never followed) are final. Requests still running at the
 * deadline end as HTTP_DEADLINE. Returns 0 when every request has a
 * result (which may be a failure), NFG_ENOMEM / NFG_ERR when the client
 * itself could not run, or what before_send or on_done returned.
 */
int http_run(struct http_request **reqs, size_t n, const struct http_opts *o);

/*
 * Checks a URL that requests may be sent to: http or https, a host, no
 * user name or password, no query or fragment; http only when the host is
 * a loopback address. NFG_EINVAL with a message that does not repeat the
 * URL (what (e.g. "--api-url") names it instead).
 */
int http_check_url(const char *url, const char *what);

/*
 * 1 if host (as in a URL: "127.0.0.1", "[::1]", "localhost") is a loopback
 * address: 127.0.0.0/8, ::1 (or ::ffff:127.x.x.x), or localhost.
 */
int http_host_is_loopback(const char *host);

/*
 * Parses a Retry-After value: delay-seconds or an HTTP date (relative to
 * now). *ms gets the delay (0 for a date in the past, at most one day).
 * 0, or NFG_EINVAL for anything else (NFG_ERR for a date when libcurl,
 * which parses it, cannot be loaded).
 */
int http_parse_retry_after(const char *value, time_t now, int64_t *ms);

/*
 * The delay before the next attempt of a request whose attempt number
 * `attempt` (1-based) ended in r, or -1 when it must not be retried.
 * retry_after_ms is the server's hint (-1 when none); rnd is a random
 * number for the jitter.
 */
int64_t http_retry_delay_ms(const struct http_result *r, unsigned attempt,
			    int64_t retry_after_ms, const struct http_opts *o,
			    uint64_t rnd);

/* A fixed description of an outcome ("timeout", "tls: ..."). */
const char *http_outcome_text(enum http_outcome o);

/*
 * Why a result is not an answer the caller expected, into out (cap
 * bytes, always NUL-terminated): "rate limited (429) after 4 attempts",
 * "server error 500 after 4 attempts", "redirect 302 not followed",
 * "unexpected status 418", "timeout after 4 attempts", "deadline of
 * 300 s reached", "tls: ...". deadline_ms is the run's deadline.
 */
void http_result_reason(const struct http_result *r, long deadline_ms,
			char *out, size_t cap);

#endif

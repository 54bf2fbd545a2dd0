/*
 * The parts of an HTTP response that libcurl hands http.c, parsed from
 * memory: body chunks under the HTTP_BODY_MAX cap and header lines
 * (x-request-id, Retry-After), and the retry hint they give. Internal to
 * net/: http.c's callbacks are these, and tests and fuzz targets call
 * them without a server.
 *
 * Ownership: every function works on a request made by http_request_init
 * (the caller's); nothing is allocated but the body.
 */
#ifndef NFG_NET_HTTP_PARSE_H
#define NFG_NET_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/http.h"

/* Forgets the last response: body, request id, Retry-After, too_big. */
void http_response_reset(struct http_request *r);

/*
 * Appends a chunk of the body (any size, as libcurl splits it). 0, or
 * NFG_ELIMIT when the body would pass HTTP_BODY_MAX (r->too_big is set,
 * the body keeps the earlier chunks: the transfer must stop) or
 * NFG_ENOMEM.
 */
int http_response_body(struct http_request *r, const char *p, size_t len);

/*
 * Reads one header line as libcurl passes it: whole, CRLF included, not
 * NUL-terminated. A status line ("HTTP/...") starts a new response. The
 * value of x-request-id is kept trimmed and cut to HTTP_REQUEST_ID_MAX
 * bytes (and at a NUL); a Retry-After value that does not fit its buffer
 * or holds a NUL is kept as none, never cut into another value.
 */
void http_response_header(struct http_request *r, const char *p, size_t len);

/*
 * The server's retry hint for the response r holds, in ms: its
 * Retry-After header (see http_parse_retry_after), else
 * o->body_retry_after_ms over a body that was not cut, else -1.
 */
int64_t http_response_retry_after_ms(const struct http_request *r, time_t now,
				     const struct http_opts *o);

#endif

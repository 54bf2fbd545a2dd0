/*
 * Fuzzes the response parsers under the HTTP client (src/net/http_parse.h):
 * input is 1 byte of chunking seed, 2 of padding (big-endian: that many
 * spaces start the body, so bodies around the 64 KiB cap are reached),
 * then header lines ('\n'-ended, as libcurl passes them) NUL body. The
 * body goes in whole, in random chunks and byte by byte; the oracle: the
 * cap holds to the byte, and request id and retry hint equal a naive
 * reference's whatever the chunks.
 */
#include "fuzz.h"
#include "net/http_parse.h"
#include "util/error.h"
#include "verify/spec.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NOW ((time_t)1700000000)

struct input {
	const char *head, *body;
	size_t head_len, body_len;
};

/* The value of header line p if it is named name (with ':'), trimmed. */
static int header_value(const char *p, size_t n, const char *name,
			const char **v, size_t *vlen)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(p, name, k))
		return 0;
	p += k;
	n -= k;
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && strchr(" \t\r\n\v\f", p[n - 1]) && p[n - 1])
		n--;
	*v = p;
	*vlen = n;
	return 1;
}

/*
 * The reference: the request id and the Retry-After value of the last
 * response in the header lines, each the whole last value (none: NULL).
 */
static void reference_headers(const struct input *in, const char **rid,
			      size_t *rid_len, const char **ra, size_t *ra_len)
{
	const char *p = in->head, *end = in->head + in->head_len, *nl;

	*rid = *ra = NULL;
	*rid_len = *ra_len = 0;
	for (; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		if (nl - p >= 5 && !memcmp(p, "HTTP/", 5)) {
			*rid = *ra = NULL;
			*rid_len = *ra_len = 0;
		} else if (!header_value(p, (size_t)(nl - p),
					 "x-request-id:", rid, rid_len)) {
			header_value(p, (size_t)(nl - p), "retry-after:", ra,
				     ra_len);
		}
	}
}

/* The hint a whole, unchunked response gives: Retry-After, else body. */
static int64_t reference_hint(const struct input *in, size_t pad,
			      const char *body)
{
	const char *rid, *ra;
	size_t rid_len, ra_len;
	int64_t ms = -1;

	reference_headers(in, &rid, &rid_len, &ra, &ra_len);
	if (ra && ra_len && !memchr(ra, 0, ra_len)) {
		char *v = strndup(ra, ra_len);

		if (!v)
			abort();
		if (http_parse_retry_after(v, NOW, &ms))
			ms = -1;
		free(v);
	}
	if (ms < 0 && pad + in->body_len <= HTTP_BODY_MAX)
		ms = verify_body_retry_after_ms(body, pad + in->body_len);
	return ms;
}

/* Next chunk size for mode: 0 whole, 1 random, 2 one byte. */
static size_t chunk_size(int mode, uint32_t *rnd, size_t left)
{
	size_t n;

	if (mode == 0)
		return left;
	if (mode == 2)
		return 1;
	*rnd ^= *rnd << 13;
	*rnd ^= *rnd >> 17;
	*rnd ^= *rnd << 5;
	/* Mostly small chunks, now and then one of up to 32 KiB. */
	n = (*rnd & 7) ? 1 + (*rnd >> 8) % 512 : 1 + (*rnd >> 8) % 32768;
	return n < left ? n : left;
}

static void run(const struct input *in, const char *body, size_t total,
		int mode, uint32_t seed, int64_t want_hint)
{
	struct http_request r;
	struct http_opts o;
	const char *p, *end, *nl, *rid, *ra;
	size_t done = 0, n = 0, rid_len, ra_len;
	uint32_t rnd = seed | 1;
	int rc = 0;

	FUZZ_CHECK(http_request_init(&r, "GET", "https://api.invalid/") == 0);
	http_opts_default(&o);
	o.body_retry_after_ms = verify_body_retry_after_ms;
	http_response_reset(&r);
	end = in->head + in->head_len;
	for (p = in->head; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		http_response_header(&r, p, (size_t)(nl - p));
	}
	while (done < total) {
		n = chunk_size(mode, &rnd, total - done);
		if ((rc = http_response_body(&r, body + done, n)) != 0)
			break;
		done += n;
	}
	/* The cap, to the byte: refused only the chunk that passes it. */
	if (total <= HTTP_BODY_MAX) {
		FUZZ_CHECK(rc == 0 && !r.too_big);
		FUZZ_CHECK(r.result.body.len == total);
	} else {
		FUZZ_CHECK(rc == NFG_ELIMIT && r.too_big);
		FUZZ_CHECK(r.result.body.len == done);
		FUZZ_CHECK(done <= HTTP_BODY_MAX && done + n > HTTP_BODY_MAX);
	}
	FUZZ_CHECK(!memcmp(r.result.body.ptr, body, r.result.body.len));
	/* The request id: the last one, cut to fit and at a NUL. */
	reference_headers(in, &rid, &rid_len, &ra, &ra_len);
	if (rid_len > HTTP_REQUEST_ID_MAX)
		rid_len = HTTP_REQUEST_ID_MAX;
	if (rid && memchr(rid, 0, rid_len))
		rid_len = (size_t)((const char *)memchr(rid, 0, rid_len) - rid);
	FUZZ_CHECK(strlen(r.result.request_id) == rid_len);
	FUZZ_CHECK(!rid_len || !memcmp(r.result.request_id, rid, rid_len));
	FUZZ_CHECK(http_response_retry_after_ms(&r, NOW, &o) == want_hint);
	FUZZ_CHECK(want_hint >= -1 && want_hint <= 86400000);
	http_request_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in;
	const char *nul;
	size_t pad, total;
	char *body;
	int64_t hint;

	if (size < 3)
		return 0;
	pad = (size_t)data[1] << 8 | data[2];
	in.head = (const char *)data + 3;
	nul = memchr(in.head, 0, size - 3);
	in.head_len = nul ? (size_t)(nul - in.head) : size - 3;
	in.body = nul ? nul + 1 : in.head + in.head_len;
	in.body_len = size - 3 - in.head_len - (nul ? 1 : 0);
	total = pad + in.body_len;
	body = malloc(total ? total : 1);
	if (!body)
		abort();
	memset(body, ' ', pad);
	memcpy(body + pad, in.body, in.body_len);
	hint = reference_hint(&in, pad, body);
	run(&in, body, total, 0, 0, hint);
	run(&in, body, total, 1, data[0] * 2654435761u, hint);
	if (total <= 4096)
		run(&in, body, total, 2, 0, hint);
	free(body);
	return 0;
}

/*
 * Fuzzes the parser of one page of a host listing (src/sweep/hosts.h).
 * Input: 1 byte of flags (kind, skip forks, skip archived), header lines
 * ('\n'-ended, as libcurl passes them) NUL body. The oracle: a naive
 * reading agrees on what is counted, every URL kept is in the body as
 * written, a next link lies below the API base and comes from a Link or
 * X-Next-Page header, the same input parses the same twice, and the
 * rate-limit reading stays in its bounds.
 */
#include "fuzz.h"
#include "sweep/hosts.h"
#include "util/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#define API   "https://h.example/api/v3"
#define FIRST API "/groups/g/projects?per_page=100"
#define NOW   ((time_t)1700000000)

/* 1 if some header line starts with name (any case) and holds word. */
static int header_holds(const char *h, size_t n, const char *name,
			const char *word)
{
	const char *p = h, *end = h + n, *nl;
	size_t k = strlen(name), w = strlen(word), i, j;

	for (; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		if ((size_t)(nl - p) < k || strncasecmp(p, name, k))
			continue;
		for (i = k; i + w <= (size_t)(nl - p); i++) {
			for (j = 0; j < w; j++)
				if (tolower((unsigned char)p[i + j]) != word[j])
					break;
			if (j == w)
				return 1;
		}
	}
	return 0;
}

static int no_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hosts_query q;
	struct hosts_page a, b;
	const char *h, *body, *nul;
	size_t hlen, blen, i;
	int ra, rb;

	if (size < 1)
		return 0;
	q.kind = (enum hosts_kind)(data[0] % 3);
	q.api = API;
	q.first_url = FIRST;
	q.skip_forks = (data[0] >> 2) & 1;
	q.skip_archived = (data[0] >> 3) & 1;
	h = (const char *)data + 1;
	nul = memchr(h, 0, size - 1);
	hlen = nul ? (size_t)(nul - h) : size - 1;
	body = nul ? nul + 1 : h + hlen;
	blen = size - 1 - hlen - (nul ? 1 : 0);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ra = hosts_parse_page(&a, &q, body, blen, h, hlen);
	rb = hosts_parse_page(&b, &q, body, blen, h, hlen);
	FUZZ_CHECK(ra == rb);
	FUZZ_CHECK(ra == 0 || ra == NFG_EINVAL || ra == NFG_ENOMEM);
	if (ra) {
		FUZZ_CHECK(!a.urls && !a.n && !a.next && !a.listed);
	} else {
		FUZZ_CHECK(a.n + a.forks + a.archived == a.listed);
		FUZZ_CHECK(q.skip_forks || !a.forks);
		FUZZ_CHECK(q.skip_archived || !a.archived);
		FUZZ_CHECK(a.n == b.n && a.listed == b.listed);
		for (i = 0; i < a.n; i++) {
			FUZZ_CHECK(a.urls[i][0] && no_control(a.urls[i]));
			FUZZ_CHECK(!strcmp(a.urls[i], b.urls[i]));
			/* without escapes the URL is written as it is */
			FUZZ_CHECK(memchr(body, '\\', blen) ||
				   fuzz_mem_holds(body, blen, a.urls[i]));
		}
		FUZZ_CHECK(!a.next == !b.next);
		if (a.next) {
			FUZZ_CHECK(!strcmp(a.next, b.next));
			FUZZ_CHECK(no_control(a.next));
			FUZZ_CHECK(!strncmp(a.next, API "/", strlen(API) + 1));
			FUZZ_CHECK((header_holds(h, hlen, "link:", "next") &&
				    fuzz_mem_holds(h, hlen, a.next)) ||
				   (header_holds(h, hlen, "x-next-page:", "") &&
				    !strncmp(a.next, FIRST "&page=",
					     strlen(FIRST) + 6)));
		}
	}
	hosts_page_release(&a);
	hosts_page_release(&b);
	FUZZ_CHECK(hosts_rate_limit_ms(200, h, hlen, NOW) == -1);
	for (i = 0; i < 2; i++) {
		long st = i ? 429 : 403;
		int64_t ms = hosts_rate_limit_ms(st, h, hlen, NOW);

		FUZZ_CHECK(ms >= -1 && ms <= 86400000);
		FUZZ_CHECK(
			st == 429 || ms < 0 ||
			header_holds(h, hlen, "retry-after:", "") ||
			header_holds(h, hlen, "x-ratelimit-remaining:", "0") ||
			header_holds(h, hlen, "ratelimit-remaining:", "0"));
	}
	return 0;
}

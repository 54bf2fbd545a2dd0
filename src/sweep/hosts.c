/*
 * Listing a GitHub organisation or user, or a GitLab group, page by page:
 * the endpoint URLs, the parser of one page (JSON body, Link and
 * X-Next-Page headers), the rate-limit reading of an answer, and the loop
 * that requests the pages over net/http and adds the clone URLs found.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/array.h"
#include "util/error.h"
#include "util/parse.h"
#include "net/http.h"
#include "sweep/hosts.h"

#include <ctype.h>
#include <strings.h>

#include <cjson/cJSON.h>

#define DAY_MS ((int64_t)86400 * 1000)

const char *hosts_kind_name(enum hosts_kind k)
{
	switch (k) {
	case HOSTS_GITHUB_ORG:
		return "github org";
	case HOSTS_GITHUB_USER:
		return "github user";
	default:
		return "gitlab group";
	}
}

/* The length of api without its trailing slashes. */
static size_t base_len(const char *api)
{
	size_t n = strlen(api);

	while (n && api[n - 1] == '/')
		n--;
	return n;
}

int hosts_first_url(struct buf *out, const char *api, enum hosts_kind k,
		    const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *path, *query;
	size_t i;

	if (!*name || str_has_control(name, strlen(name)))
		return error_set(NFG_EINVAL, "%s: a name without control bytes",
				 hosts_kind_name(k));
	switch (k) {
	case HOSTS_GITHUB_ORG:
		path = "/orgs/";
		query = "/repos?per_page=100&type=all";
		break;
	case HOSTS_GITHUB_USER:
		path = "/users/";
		query = "/repos?per_page=100&type=owner";
		break;
	default:
		path = "/groups/";
		query = "/projects?include_subgroups=true&per_page=100";
		break;
	}
	buf_reset(out);
	buf_add(out, api, base_len(api));
	buf_puts(out, path);
	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (isalnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			buf_putc(out, (char)c);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		}
	}
	buf_puts(out, query);
	return buf_failed(out);
}

/*
 * Finds the next header line named name (without ':') at or after *at in
 * h[0..hlen): its value trimmed in *v, *vlen. 1 when found, else 0.
 */
static int next_header(const char *h, size_t hlen, size_t *at, const char *name,
		       const char **v, size_t *vlen)
{
	size_t k = strlen(name);

	while (*at < hlen) {
		const char *p = h + *at, *nl = memchr(p, '\n', hlen - *at);
		size_t n = nl ? (size_t)(nl - p) + 1 : hlen - *at;

		*at += n;
		if (n <= k || strncasecmp(p, name, k) || p[k] != ':')
			continue;
		p += k + 1;
		n -= k + 1;
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && isspace((unsigned char)p[n - 1]))
			n--;
		*v = p;
		*vlen = n;
		return 1;
	}
	return 0;
}

/* The last header named name, as next_header. */
static int last_header(const char *h, size_t hlen, const char *name,
		       const char **v, size_t *vlen)
{
	const char *cv;
	size_t at = 0, cn;
	int found = 0;

	while (next_header(h, hlen, &at, name, &cv, &cn)) {
		*v = cv;
		*vlen = cn;
		found = 1;
	}
	return found;
}

/* A whole decimal value v[0..n) into *out (at most max): 0, or -1. */
static int header_u64(const char *v, size_t n, uint64_t max, uint64_t *out)
{
	char tmp[24];

	if (!n || n >= sizeof(tmp) || memchr(v, '\0', n))
		return -1;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	return parse_u64(tmp, 0, max, out) ? -1 : 0;
}

int64_t hosts_rate_limit_ms(long status, const char *headers, size_t hlen,
			    time_t now)
{
	const char *v = NULL;
	size_t n = 0;
	uint64_t u;
	int64_t wait = -1, ms;
	int limited = status == 429;

	if (status != 403 && status != 429)
		return -1;
	if (last_header(headers, hlen, "retry-after", &v, &n) && n < 64 &&
	    !memchr(v, '\0', n)) {
		char tmp[64];

		memcpy(tmp, v, n);
		tmp[n] = '\0';
		if (!http_parse_retry_after(tmp, now, &ms)) {
			limited = 1;
			wait = ms;
		}
	}
	if ((last_header(headers, hlen, "x-ratelimit-remaining", &v, &n) ||
	     last_header(headers, hlen, "ratelimit-remaining", &v, &n)) &&
	    !header_u64(v, n, UINT64_MAX, &u) && u == 0)
		limited = 1;
	if (!limited)
		return -1;
	if ((last_header(headers, hlen, "x-ratelimit-reset", &v, &n) ||
	     last_header(headers, hlen, "ratelimit-reset", &v, &n)) &&
	    !header_u64(v, n, UINT64_MAX, &u)) {
		if (u < 1000000000u)
			ms = u > 86400 ? DAY_MS : (int64_t)u * 1000;
		else if (u <= (uint64_t)now)
			ms = 1000;
		else
			ms = u - (uint64_t)now >= 86400
				     ? DAY_MS
				     : ((int64_t)(u - (uint64_t)now) + 1) *
					       1000;
		if (ms > wait)
			wait = ms;
	}
	if (wait < 0 && status == 403)
		wait = DAY_MS;
	return wait > DAY_MS ? DAY_MS : wait;
}

/* One character class of a Link header: optional whitespace. */
static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* 1 when the rel value v[0..n) (space-separated types) holds "next". */
static int rel_is_next(const char *v, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		while (i < n && v[i] == ' ')
			i++;
		for (j = i; j < n && v[j] != ' '; j++)
			;
		if (j - i == 4 && !strncasecmp(v + i, "next", 4))
			return 1;
		i = j;
	}
	return 0;
}

/*
 * Reads one Link header value p[0..end): <url>; param=value; ..., ...
 * The rel="next" URL goes to *next / *nlen (two different ones are an
 * error). 0 or NFG_EINVAL.
 */
static int parse_link(const char *p, const char *end, const char **next,
		      size_t *nlen)
{
	while (p < end) {
		const char *url, *close;
		size_t ulen;
		int is_next = 0;

		p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p == end)
			break;
		if (*p != '<' || !(close = memchr(p, '>', (size_t)(end - p))))
			return error_set(NFG_EINVAL,
					 "a Link header that cannot be read");
		url = p + 1;
		ulen = (size_t)(close - url);
		p = skip_ws(close + 1, end);
		while (p < end && *p == ';') {
			const char *name, *val;
			size_t namelen, vlen;

			p = skip_ws(p + 1, end);
			name = p;
			while (p < end && *p != '=' && *p != ';' && *p != ',' &&
			       *p != ' ' && *p != '\t')
				p++;
			namelen = (size_t)(p - name);
			p = skip_ws(p, end);
			if (p == end || *p != '=')
				continue;
			p = skip_ws(p + 1, end);
			if (p < end && *p == '"') {
				val = ++p;
				while (p < end && *p != '"')
					p++;
				if (p == end)
					return error_set(
						NFG_EINVAL,
						"a Link header that cannot be "
						"read");
				vlen = (size_t)(p++ - val);
			} else {
				val = p;
				while (p < end && *p != ';' && *p != ',' &&
				       *p != ' ' && *p != '\t')
					p++;
				vlen = (size_t)(p - val);
			}
			if (namelen == 3 && !strncasecmp(name, "rel", 3) &&
			    rel_is_next(val, vlen))
				is_next = 1;
			p = skip_ws(p, end);
		}
		if (p < end && *p != ',')
			return error_set(NFG_EINVAL,
					 "a Link header that cannot be read");
		if (is_next) {
			if (*next &&
			    (*nlen != ulen || memcmp(*next, url, ulen)))
				return error_set(NFG_EINVAL,
						 "two different next links");
			*next = url;
			*nlen = ulen;
		}
	}
	return 0;
}

/* The next page's URL from the headers into pg->next (NULL: none). */
static int find_next(struct hosts_page *pg, const struct hosts_query *q,
		     const char *h, size_t hlen)
{
	const char *v, *next = NULL;
	size_t n, nlen = 0, at = 0, blen = base_len(q->api);
	struct buf b;
	uint64_t page;
	int err = 0;

	while (next_header(h, hlen, &at, "link", &v, &n))
		if ((err = parse_link(v, v + n, &next, &nlen)))
			return err;
	buf_init(&b, TARGET_LINE_MAX);
	if (next) {
		if (nlen <= blen || memcmp(next, q->api, blen) ||
		    next[blen] != '/' || str_has_control(next, nlen))
			return error_set(NFG_EINVAL,
					 "the next page's link points outside "
					 "the API base; the token is not sent "
					 "there");
		buf_add(&b, next, nlen);
	} else if (last_header(h, hlen, "x-next-page", &v, &n) && n) {
		if (header_u64(v, n, UINT32_MAX, &page) || !page)
			return error_set(NFG_EINVAL,
					 "an X-Next-Page header that is not a "
					 "page number");
		buf_printf(&b, "%s&page=%llu", q->first_url,
			   (unsigned long long)page);
	} else {
		return 0;
	}
	if ((err = buf_failed(&b))) {
		buf_release(&b);
		return err == NFG_ELIMIT ? error_set(NFG_EINVAL,
						     "the next page's link is "
						     "too long")
					 : err;
	}
	if (!(pg->next = buf_detach(&b, NULL)))
		return error_nomem();
	return 0;
}

/* A boolean member, false when absent: 0, or NFG_EINVAL when not one. */
static int member_bool(const cJSON *o, const char *key, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return error_set(NFG_EINVAL, "'%s' is not true or false", key);
	*out = cJSON_IsTrue(v);
	return 0;
}

/*
 * 1 when a listed URL reaches the network (https, ssh, git, scp-like):
 * a local path or file:// URL in an API's answer would sweep this
 * machine's own repositories into the report.
 */
static int network_url(const char *u)
{
	struct sweep_target t;
	int ok;

	if (target_parse(&t, u, strlen(u)))
		return 0;
	ok = t.kind == TARGET_URL && strncasecmp(u, "file:", 5);
	target_release(&t);
	return ok;
}

/* One repository object of a page: its URL kept or counted as skipped. */
static int parse_repo(struct hosts_page *pg, const struct hosts_query *q,
		      const cJSON *o)
{
	const char *key = q->kind == HOSTS_GITLAB_GROUP ? "http_url_to_repo"
							: "clone_url";
	const cJSON *url = cJSON_GetObjectItemCaseSensitive(o, key);
	const cJSON *from;
	int fork = 0, archived = 0, err;
	char *copy;

	if (!cJSON_IsObject(o))
		return error_set(NFG_EINVAL, "an entry that is not an object");
	if (!cJSON_IsString(url) || !*url->valuestring)
		return error_set(NFG_EINVAL, "an entry without %s", key);
	if (strlen(url->valuestring) > TARGET_LINE_MAX ||
	    str_has_control(url->valuestring, strlen(url->valuestring)))
		return error_set(NFG_EINVAL,
				 "%s too long or with a control byte", key);
	if (!network_url(url->valuestring))
		return error_set(NFG_EINVAL,
				 "a %s that is not a network URL (https, ssh, "
				 "git): the API may not name a local "
				 "repository",
				 key);
	if ((err = member_bool(o, "archived", &archived)))
		return err;
	if (q->kind == HOSTS_GITLAB_GROUP) {
		from = cJSON_GetObjectItemCaseSensitive(o,
							"forked_from_project");
		fork = from && !cJSON_IsNull(from);
	} else if ((err = member_bool(o, "fork", &fork))) {
		return err;
	}
	pg->listed++;
	if (fork && q->skip_forks) {
		pg->forks++;
		return 0;
	}
	if (archived && q->skip_archived) {
		pg->archived++;
		return 0;
	}
	if (ARRAY_GROW(pg->urls, pg->n, pg->cap) ||
	    !(copy = strdup(url->valuestring)))
		return error_nomem();
	pg->urls[pg->n++] = copy;
	return 0;
}

int hosts_parse_page(struct hosts_page *pg, const struct hosts_query *q,
		     const char *body, size_t len, const char *headers,
		     size_t hlen)
{
	const char *end = NULL;
	cJSON *root = NULL;
	const cJSON *e;
	int err = 0;

	root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	while (root && end < body + len && isspace((unsigned char)*end))
		end++;
	if (!root || end != body + len) {
		err = error_set(NFG_EINVAL, "the answer is not JSON");
		goto done;
	}
	if (!cJSON_IsArray(root)) {
		err = error_set(NFG_EINVAL,
				"the answer is not a list of repositories");
		goto done;
	}
	cJSON_ArrayForEach(e, root)
	{
		if ((err = parse_repo(pg, q, e))) {
			char why[256];

			snprintf(why, sizeof(why), "%s", error_last());
			err = error_set(err, "repository %zu: %s",
					pg->listed + 1, why);
			goto done;
		}
	}
	err = find_next(pg, q, headers, hlen);
done:
	cJSON_Delete(root);
	if (err)
		hosts_page_release(pg);
	return err;
}

void hosts_page_release(struct hosts_page *pg)
{
	if (!pg)
		return;
	strv_free(pg->urls, pg->n);
	free(pg->next);
	memset(pg, 0, sizeof(*pg));
}

/* The client's rate-limit hook: the answer's wait, from its headers. */
static int64_t rate_limit_of(const struct http_request *r, time_t now)
{
	return hosts_rate_limit_ms(r->result.status, r->result.headers.ptr,
				   r->result.headers.len, now);
}

/* Why a page's request did not give a page, into why[0..cap). */
static void page_failure(const struct http_request *r,
			 const struct http_opts *ho, char *why, size_t cap)
{
	const struct http_result *res = &r->result;
	int64_t wait = -1;

	if (res->outcome == HTTP_RESPONSE)
		wait = hosts_rate_limit_ms(res->status, res->headers.ptr,
					   res->headers.len, time(NULL));
	if (wait > ho->retry_after_max_ms)
		snprintf(why, cap,
			 "rate limited (%ld) for %lld s more, longer than the "
			 "%ld s nfguard waits; try again later",
			 res->status, (long long)(wait / 1000),
			 ho->retry_after_max_ms / 1000);
	else if (wait >= 0)
		snprintf(why, cap, "rate limited (%ld) after %u attempts",
			 res->status, res->attempts);
	else if (res->outcome == HTTP_RESPONSE && res->status == 401)
		snprintf(why, cap, "authentication failed (401)");
	else if (res->outcome == HTTP_RESPONSE && res->status == 403)
		snprintf(why, cap, "access refused (403)");
	else if (res->outcome == HTTP_RESPONSE && res->status == 404)
		snprintf(why, cap, "not found (404)");
	else if (res->outcome == HTTP_TOO_BIG)
		snprintf(why, cap, "a page larger than %zu MiB",
			 HOSTS_PAGE_MAX >> 20);
	else
		http_result_reason(res, ho->deadline_ms, why, cap);
}

/*
 * Fetches the page at url into pg: 0, or NFG_ERR / the parser's code
 * with the reason set (without the listing's name).
 */
static int fetch_page(struct hosts_page *pg, const struct hosts_query *q,
		      const struct hosts_opts *o, const struct http_opts *ho,
		      const char *url)
{
	struct http_request r, *rp = &r;
	const char *token = q->kind == HOSTS_GITLAB_GROUP ? o->gitlab_token
							  : o->github_token;
	char why[256];
	int err;

	if ((err = http_request_init(&r, "GET", url)))
		return err;
	http_request_set_body_max(&r, HOSTS_PAGE_MAX);
	if (q->kind == HOSTS_GITLAB_GROUP) {
		if (token && *token)
			err = http_request_add_header(&r, "PRIVATE-TOKEN",
						      token, strlen(token));
	} else {
		err = http_request_add_header(
			&r, "Accept", "application/vnd.github+json", 27);
		if (!err)
			err = http_request_add_header(
				&r, "X-GitHub-Api-Version", "2022-11-28", 10);
		if (!err && token && *token) {
			struct buf bearer;

			buf_init(&bearer, HTTP_HEADER_MAX);
			bearer.wipe = 1;
			buf_puts(&bearer, "Bearer ");
			buf_puts(&bearer, token);
			err = buf_failed(&bearer);
			if (!err)
				err = http_request_add_header(
					&r, "Authorization", bearer.ptr,
					bearer.len);
			buf_release(&bearer);
		}
	}
	if (!err)
		err = http_run(&rp, 1, ho);
	if (err)
		goto done;
	if (r.result.outcome != HTTP_RESPONSE || r.result.status != 200) {
		page_failure(&r, ho, why, sizeof(why));
		err = error_set(NFG_ERR, "%s", why);
	} else if (r.result.headers_cut) {
		err = error_set(NFG_ERR, "response headers larger than %zu KiB",
				HTTP_HEADERS_MAX >> 10);
	} else {
		err = hosts_parse_page(pg, q, r.result.body.ptr,
				       r.result.body.len, r.result.headers.ptr,
				       r.result.headers.len);
	}
done:
	http_request_release(&r);
	return err;
}

/* 1 when two pages list the same non-empty URLs in the same order. */
static int same_urls(const struct hosts_page *a, const struct hosts_page *b)
{
	size_t i;

	if (!a->n || a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->urls[i], b->urls[i]))
			return 0;
	return 1;
}

int hosts_list(struct target_list *l, const struct hosts_opts *o,
	       enum hosts_kind k, const char *name, struct hosts_counts *c)
{
	struct hosts_page pg, prev;
	struct hosts_query q;
	struct hosts_counts cnt = {0, 0, 0, 0};
	struct http_opts ho;
	struct buf first;
	char **seen = NULL, *url = NULL, why[512];
	size_t nseen = 0, cap = 0, i;
	int err;

	memset(&pg, 0, sizeof(pg));
	memset(&prev, 0, sizeof(prev));
	buf_init(&first, TARGET_LINE_MAX);
	q.kind = k;
	q.api = k == HOSTS_GITLAB_GROUP
			? (o->gitlab_api ? o->gitlab_api : HOSTS_GITLAB_API)
			: (o->github_api ? o->github_api : HOSTS_GITHUB_API);
	q.skip_forks = o->skip_forks;
	q.skip_archived = o->skip_archived;
	http_opts_default(&ho);
	ho.cacert = o->cacert;
	ho.concurrency = 1;
	ho.timeout_ms = 60000;
	ho.deadline_ms = 600000;
	ho.retry_after_max_ms = HOSTS_WAIT_MAX_MS;
	ho.rate_limit_ms = rate_limit_of;
	if ((err = hosts_first_url(&first, q.api, k, name)))
		goto fail;
	q.first_url = first.ptr;
	if (!(url = strdup(first.ptr))) {
		err = error_nomem();
		goto fail;
	}
	while (url) {
		if (cnt.pages == HOSTS_MAX_PAGES) {
			err = error_set(NFG_ELIMIT, "more than %d pages",
					HOSTS_MAX_PAGES);
			goto fail;
		}
		for (i = 0; i < nseen; i++)
			if (!strcmp(seen[i], url))
				break;
		if (i < nseen) {
			err = error_set(NFG_EINVAL,
					"page %zu links back to page %zu (a "
					"loop)",
					cnt.pages, i + 1);
			goto fail;
		}
		if (ARRAY_GROW(seen, nseen, cap)) {
			err = error_nomem();
			goto fail;
		}
		seen[nseen++] = url;
		url = NULL;
		cnt.pages++;
		if ((err = fetch_page(&pg, &q, o, &ho, seen[nseen - 1])))
			goto page_fail;
		if (same_urls(&pg, &prev)) {
			err = error_set(NFG_EINVAL,
					"the answer repeats the page before "
					"(a loop)");
			goto page_fail;
		}
		cnt.listed += pg.listed;
		cnt.forks += pg.forks;
		cnt.archived += pg.archived;
		for (i = 0; i < pg.n; i++)
			if ((err = target_list_add(l, pg.urls[i],
						   strlen(pg.urls[i]))))
				goto page_fail;
		url = pg.next;
		pg.next = NULL;
		hosts_page_release(&prev);
		prev = pg;
		memset(&pg, 0, sizeof(pg));
	}
	if (!cnt.listed) {
		/* Empty, or hidden from this token: never a clean sweep. */
		err = error_set(NFG_ERR, "the API listed no repository");
		goto fail;
	}
	if (c)
		*c = cnt;
	goto done;
page_fail:
	snprintf(why, sizeof(why), "page %zu: %s", cnt.pages, error_last());
	error_set(err, "%s", why);
fail:
	snprintf(why, sizeof(why), "%s", error_last());
	err = error_set(err == NFG_ENOMEM || err == NFG_ELIMIT ? err : NFG_ERR,
			"cannot list %s '%s': %s", hosts_kind_name(k), name,
			why);
done:
	hosts_page_release(&pg);
	hosts_page_release(&prev);
	strv_free(seen, nseen);
	free(url);
	buf_release(&first);
	return err;
}

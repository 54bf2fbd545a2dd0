/*
 * Whole organisations as sweep targets: the repositories of a GitHub
 * organisation or user, or of a GitLab group and its subgroups, listed
 * through the host's REST API page after page, each repository's https
 * clone URL added to a target list. A listing is complete or it fails.
 *
 * Ownership: options and names are borrowed; a parsed page owns its
 * strings (hosts_page_release). The parsers work on memory buffers and
 * never print; the tokens are sent only to the API base given and never
 * appear in an error.
 */
#ifndef NFG_SWEEP_HOSTS_H
#define NFG_SWEEP_HOSTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"
#include "sweep/target.h"

#define HOSTS_PAGE_MAX	  ((size_t)8 << 20) /* the body of one page */
#define HOSTS_MAX_PAGES	  1000		    /* of one listing */
#define HOSTS_WAIT_MAX_MS 60000		    /* longest rate-limit wait taken */

#define HOSTS_GITHUB_API "https://api.github.com"
#define HOSTS_GITLAB_API "https://gitlab.com/api/v4"

/* What a listing names. */
enum hosts_kind {
	HOSTS_GITHUB_ORG,  /* /orgs/NAME/repos?per_page=100&type=all */
	HOSTS_GITHUB_USER, /* /users/NAME/repos?per_page=100&type=owner */
	HOSTS_GITLAB_GROUP /* /groups/NAME/projects?include_subgroups=... */
};

/* "github org", "github user" or "gitlab group", for messages. */
const char *hosts_kind_name(enum hosts_kind k);

/*
 * The first page's URL of listing name at api (the base as the host
 * prints it, e.g. https://host/api/v3; a trailing '/' is dropped) into
 * out: api, the endpoint path with name percent-encoded (a GitLab
 * group's "a/b" becomes "a%2Fb"), and the query. NFG_EINVAL for an
 * empty name or one with a control byte; buf's errors.
 */
int hosts_first_url(struct buf *out, const char *api, enum hosts_kind k,
		    const char *name);

/* How one page is read. Strings borrowed. */
struct hosts_query {
	enum hosts_kind kind;
	const char *api;       /* the base: a next link must lie below it */
	const char *first_url; /* hosts_first_url's: X-Next-Page adds &page= */
	int skip_forks, skip_archived;
};

/* One page of a listing. */
struct hosts_page {
	char **urls; /* clone URLs kept, in the page's order (owned) */
	size_t n, cap;
	size_t listed;		/* repositories on the page */
	size_t forks, archived; /* left out by skip_forks / skip_archived */
	char *next;		/* the next page's URL, or NULL: the last */
};

/*
 * Parses one page: body[0..len) must be a JSON array of repository
 * objects, each with a non-empty string clone URL (GitHub clone_url,
 * GitLab http_url_to_repo) and, when present, boolean fork / archived
 * (GitLab: a fork has forked_from_project). headers[0..hlen) are the
 * response's header lines: the next page is the Link header's rel="next"
 * URL, else (GitLab) X-Next-Page's number added to q->first_url. A next
 * URL that does not start with q->api + "/" or holds a control byte is
 * refused. 0 or NFG_EINVAL with the error set (no header value or body
 * byte in it), NFG_ENOMEM; pg is then released. pg must be zeroed.
 */
int hosts_parse_page(struct hosts_page *pg, const struct hosts_query *q,
		     const char *body, size_t len, const char *headers,
		     size_t hlen);
void hosts_page_release(struct hosts_page *pg);

/*
 * The wait in ms that a rate-limit answer asks for, or -1 when the answer
 * (status, header lines headers[0..hlen)) is not one. A 429, or a 403
 * with Retry-After or x-ratelimit-remaining / ratelimit-remaining 0, is
 * one; its wait is the longest of Retry-After and the reset
 * (x-ratelimit-reset / ratelimit-reset: Unix seconds, plus one second
 * as they are whole seconds; a value below 10^9 is a delay in seconds),
 * at most a day. A 403 rate limit naming no time waits a day; a 429
 * naming none gives -1 (the usual backoff).
 */
int64_t hosts_rate_limit_ms(long status, const char *headers, size_t hlen,
			    time_t now);

struct hosts_opts {
	const char *github_api, *gitlab_api;	 /* NULL: the defaults above */
	const char *github_token, *gitlab_token; /* NULL or "": none sent */
	const char *cacert; /* CA file instead of the system's, or NULL */
	int skip_forks, skip_archived;
};

/* What a listing found. */
struct hosts_counts {
	size_t pages, listed, forks, archived;
};

/*
 * Lists name's repositories, every page, and adds each clone URL kept to
 * l (target_list_add: duplicates counted there). Each page is one
 * request over net/http (its retries; a rate limit waited when at most
 * HOSTS_WAIT_MAX_MS, else final), at most HOSTS_MAX_PAGES pages, a next
 * link already read refused as a loop, a listing of no repository at
 * all refused (an empty organisation, or one the token cannot see, is
 * never a clean sweep). c (may be NULL) gets the counts.
 * 0; any failure sets "cannot list KIND 'NAME': [page N: ]why" and
 * returns NFG_ERR (the listing is incomplete), NFG_EINVAL, NFG_ELIMIT or
 * NFG_ENOMEM. Targets added before a failure stay in l.
 */
int hosts_list(struct target_list *l, const struct hosts_opts *o,
	       enum hosts_kind k, const char *name, struct hosts_counts *c);

#endif

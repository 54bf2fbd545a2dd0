/*
 * Verification of found tokens against the Notiflows Management API: the
 * request is declared in the rule file ("verify": method, path, headers
 * with a {{secret}} placeholder, which statuses mean live and invalid),
 * each distinct token is asked once, concurrently, and every finding gets
 * a struct verification (live / invalid / unknown with a reason).
 *
 * Ownership: struct api_spec is caller-owned (api_spec_release). Findings
 * are updated in place. Int functions return 0 or a negative NFG_* code
 * with the last error set; no message ever holds a token.
 */
#ifndef NFG_VERIFY_VERIFY_H
#define NFG_VERIFY_VERIFY_H

#include <stddef.h>

#include "engine/engine.h"
#include "finding/finding.h"
#include "net/http.h"

#define VERIFY_DEFAULT_BASE_URL "https://api.notiflows.com"
#define API_SPEC_MAX_SETS	2

/* A list of HTTP statuses (100..599). */
struct status_set {
	long *v;
	size_t n;
};

/*
 * A request declared in a rule ("verify" or "revoke"): method, path, the
 * headers (values may hold {{secret}}) and named sets of statuses.
 */
struct api_spec {
	char *method; /* GET, HEAD, POST, PUT, PATCH, DELETE */
	char *path;   /* begins with '/', no placeholder */
	char **header_names;
	char **header_values;
	size_t nheaders;
	struct status_set sets[API_SPEC_MAX_SETS];
};

/*
 * Parses a rule's request object (json, the text of its "verify" or
 * "revoke" object) with the status sets named in set_keys (at most
 * API_SPEC_MAX_SETS, NULL-terminated, each required and non-empty).
 * Unknown keys, bad methods, a path that does not start with '/', header
 * names that are not tokens, control bytes, placeholders other than
 * {{secret}}, no {{secret}} in any header, and statuses outside 100..599
 * are errors naming origin, rule id and field ("verify.live[1]").
 */
int api_spec_parse(struct api_spec *out, const char *json, const char *what,
		   const char *const *set_keys, const struct rule_spec *rule);
void api_spec_release(struct api_spec *s);
/* 1 if status is in set i of s. */
int api_spec_has(const struct api_spec *s, size_t i, long status);

/* The verify request of a rule: sets "live" (0) and "invalid" (1). */
enum { VERIFY_SET_LIVE = 0, VERIFY_SET_INVALID = 1 };
int verify_spec_parse(struct api_spec *out, const struct rule_spec *rule);

/*
 * Validates the verify request of every rule that has one (for `rules
 * check` and before a --verify scan starts).
 */
int verify_check_rules(const struct ruleset *rs);

struct verify_opts {
	const char *base_url; /* e.g. https://api.notiflows.com; checked */
	struct http_opts http;
};

/* What a run did: distinct tokens by status, and requests sent. */
struct verify_counts {
	size_t tokens, live, invalid, unknown;
	size_t attempts; /* HTTP attempts, retries included */
};

/*
 * Verifies every finding of l: each distinct (rule, token) is requested
 * once and its result copied to each of its findings. A finding whose
 * rule has no verify request is unknown ("the rule has no verify
 * request"). Returns 0 when every finding has a status, or an error when
 * verification could not run at all (bad base URL, bad spec, no memory).
 */
int verify_findings(struct findings *l, const struct verify_opts *o,
		    struct verify_counts *counts);

/*
 * What verification left in l, counting distinct (rule, token) pairs as
 * verify_findings does: tokens by status, and the unknown ones by reason
 * (the reasons verify_map_result and verify_findings give), most tokens
 * first, then by text. A token never verified counts as unknown with
 * reason "not verified". Reasons are borrowed from l's findings, which
 * must outlive the summary. Caller-owned (verify_summary_build /
 * verify_summary_release, which accepts a zeroed summary); 0 or
 * NFG_ENOMEM.
 */
struct verify_reason_count {
	const char *reason;
	size_t tokens;
};
struct verify_summary {
	size_t tokens, live, invalid, unknown;
	struct verify_reason_count *reasons;
	size_t nreasons;
};
int verify_summary_build(struct verify_summary *s, const struct findings *l);
void verify_summary_release(struct verify_summary *s);

/*
 * Builds the request for one secret: spec's method, base_url + path, and
 * its headers with every {{secret}} replaced (in a wiping buffer).
 */
int verify_request_init(struct http_request *r, const struct api_spec *spec,
			const char *base_url, const char *secret,
			size_t secret_len);

/*
 * Maps the result of a verify request to a verification (pure; checked_at
 * is left to the caller): live when the status is in spec's live set and
 * the body is {"project":{"id","name","slug"}} (strings), invalid when it
 * is in the invalid set, unknown with a reason otherwise.
 */
int verify_map_result(struct verification *v, const struct api_spec *spec,
		      const struct http_result *r, long deadline_ms);

/* error.details.retry_after (seconds) of an API error body, in ms, or -1. */
int64_t verify_body_retry_after_ms(const char *body, size_t len);

/*
 * The request id of a result: its x-request-id header, else the error
 * body's request_id. *out gets a new string (caller frees) or NULL when
 * there is none. 0 or NFG_ENOMEM.
 */
int api_result_request_id(const struct http_result *r, char **out);

/*
 * The verify or revoke spec of each rule, parsed once: a cache for at
 * most max rules (caller-owned, api_spec_cache_release). get gives the
 * rule's spec (borrowed from the cache), or NULL when the rule has none;
 * a spec that does not parse is an error.
 */
enum { API_SPEC_VERIFY = 0, API_SPEC_REVOKE = 1 };
struct api_spec_cache {
	int (*parse)(struct api_spec *out, const struct rule_spec *rule);
	int which; /* API_SPEC_* */
	const struct rule_spec **rules;
	struct api_spec *specs;
	int *have;
	size_t n, max;
};
int api_spec_cache_init(struct api_spec_cache *c, size_t max,
			int (*parse)(struct api_spec *out,
				     const struct rule_spec *rule),
			int which);
int api_spec_cache_get(struct api_spec_cache *c, const struct rule_spec *rule,
		       const struct api_spec **out);
void api_spec_cache_release(struct api_spec_cache *c);

#endif

/*
 * The API request a rule declares ("verify" or "revoke": method, path,
 * headers with a {{secret}} placeholder, named sets of statuses), shared
 * by verification and revocation: parsed and validated, cached per rule,
 * built into the request for one secret; and what any answer of the API
 * carries (its request id, a retry hint in an error body).
 *
 * Ownership: struct api_spec and struct api_spec_cache are caller-owned
 * (api_spec_release, api_spec_cache_release; both accept zeroed structs).
 * Int functions return 0 or a negative NFG_* code with the last error
 * set; no message ever holds a token.
 */
#ifndef NFG_VERIFY_SPEC_H
#define NFG_VERIFY_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "net/http.h"

#define API_SPEC_MAX_SETS 2
#define API_SPEC_PATH_MAX 2048 /* bytes of a request's path */

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
 * are errors naming origin, rule id and field ("verify.live[1]"); so are
 * a path longer than API_SPEC_PATH_MAX and a header longer than
 * HTTP_HEADER_MAX once each {{secret}} is the longest secret of the rule
 * (its longest keyword and max_length), so that every spec parsed builds
 * a request for every secret of its rule.
 */
int api_spec_parse(struct api_spec *out, const char *json, const char *what,
		   const char *const *set_keys, const struct rule_spec *rule);
void api_spec_release(struct api_spec *s);

/* A rule's request parser: verify_spec_parse or revoke_spec_parse. */
typedef int (*api_spec_parse_fn)(struct api_spec *out,
				 const struct rule_spec *rule);
/*
 * Validates with parse the request of every rule that has one: the rules
 * whose text at json_off (offsetof(struct rule_spec, verify_json) or
 * revoke_json) is set. 0, or parse's error.
 */
int api_spec_check_rules(const struct ruleset *rs, api_spec_parse_fn parse,
			 size_t json_off);
/* 1 if status is in set i of s. */
int api_spec_has(const struct api_spec *s, size_t i, long status);

/*
 * Builds the request for one secret (a verify or a revoke request):
 * spec's method, base_url + path, and its headers with every {{secret}}
 * replaced (in a wiping buffer). NFG_EINVAL when the secret cannot go in
 * a header, NFG_ENOMEM; r is then released.
 */
int verify_request_init(struct http_request *r, const struct api_spec *spec,
			const char *base_url, const char *secret,
			size_t secret_len);

/*
 * error.details.retry_after (seconds) of an API error body, in ms, or -1:
 * the http_opts.body_retry_after_ms of verify and revoke runs.
 */
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

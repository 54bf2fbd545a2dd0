/*
 * Verification of found tokens against the Notiflows Management API: the
 * request is declared in the rule file ("verify": method, path, headers
 * with a {{secret}} placeholder, which statuses mean live and invalid),
 * each distinct token is asked once, concurrently, and every finding gets
 * a struct verification (live / invalid / unknown with a reason). The
 * request spec itself (parse, cache, build) is in verify/spec.h.
 *
 * Ownership: findings are updated in place. Int functions return 0 or a
 * negative NFG_* code with the last error set; no message ever holds a
 * token.
 */
#ifndef NFG_VERIFY_VERIFY_H
#define NFG_VERIFY_VERIFY_H

#include <stddef.h>

#include "engine/engine.h"
#include "finding/finding.h"
#include "net/http.h"
#include "verify/spec.h"

/* The verify request of a rule: sets "live" (0) and "invalid" (1). */
enum { VERIFY_SET_LIVE = 0, VERIFY_SET_INVALID = 1 };
int verify_spec_parse(struct api_spec *out, const struct rule_spec *rule);

/*
 * Validates the verify request of every rule that has one (for `rules
 * check` and before a --verify scan starts).
 */
int verify_check_rules(const struct ruleset *rs);

struct verify_opts {
	const char *base_url; /* e.g. PRODUCT_API_URL; checked */
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
 * request"); so is one without its token, a finding read back from a
 * report made without --show-secret ("the report does not hold the token
 * (--show-secret)"): a group's first finding holds the token or none
 * does. Returns 0 when every finding has a status, or an error when
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
 * Maps the result of a verify request to a verification (pure; checked_at
 * is left to the caller): live when the status is in spec's live set and
 * the body is {"project":{"id","name","slug"}} (strings), invalid when it
 * is in the invalid set, unknown with a reason otherwise.
 */
int verify_map_result(struct verification *v, const struct api_spec *spec,
		      const struct http_result *r, long deadline_ms);

#endif

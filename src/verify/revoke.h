/*
 * Revocation of leaked tokens that verification found live: the request
 * is declared in the rule file ("revoke": method, path, headers with a
 * {{secret}} placeholder, which statuses mean revoked and unsupported).
 * Each distinct live token is revoked at most once, only with the
 * caller's consent, and counts as revoked only when whoami (the verify
 * request) answers "invalid" afterwards. Every decision, and every
 * request before it is sent, is written to the audit log.
 *
 * The caller (cli/) asks for consent: revoke_plan_build lists what would
 * be revoked, the caller decides, revoke_findings acts on the decision.
 *
 * Ownership: struct revoke_plan is caller-owned (revoke_plan_build /
 * revoke_plan_release) and borrows the findings it was built from, which
 * must not change until it is released. Int functions return 0 or a
 * negative NFG_* code with the last error set; no message holds a token.
 */
#ifndef NFG_VERIFY_REVOKE_H
#define NFG_VERIFY_REVOKE_H

#include <stddef.h>

#include "finding/finding.h"
#include "finding/group.h"
#include "verify/audit.h"
#include "verify/spec.h"

/* The revoke request of a rule: sets "revoked" (0), "unsupported" (1). */
enum { REVOKE_SET_REVOKED = 0, REVOKE_SET_UNSUPPORTED = 1 };
int revoke_spec_parse(struct api_spec *out, const struct rule_spec *rule);

/* Validates the revoke request of every rule that has one. */
int revoke_check_rules(const struct ruleset *rs);

/* A distinct live token that would be revoked (for the confirmation). */
struct revoke_target {
	const struct finding *f; /* its first finding; borrowed */
	size_t nfindings;	 /* findings of the token */
};

struct revoke_plan {
	struct revoke_target *v;
	size_t n;
	/* private to revoke.c */
	struct token_groups tg;
	struct api_spec_cache revoke_specs, verify_specs;
	int *is_target; /* per group */
};

/*
 * The targets among l's (verified) findings: each distinct token that is
 * live and whose rule has a revoke request. A spec that does not parse is
 * an error. 0, NFG_EINVAL or NFG_ENOMEM.
 */
int revoke_plan_build(struct revoke_plan *p, const struct findings *l);
void revoke_plan_release(struct revoke_plan *p);

/* What the caller decided about the plan. */
enum revoke_consent {
	REVOKE_CONFIRMED, /* revoke every target */
	REVOKE_DRY_RUN,	  /* report dry_run, send no revoke request */
	REVOKE_DECLINED	  /* report skipped with declined_reason */
};

struct revoke_opts {
	const char *base_url; /* as for verification; checked */
	struct http_opts http;
	enum revoke_consent consent;
	const char *declined_reason;
	struct audit_log *audit; /* required: opened before any request */
};

/* What a run did, counting distinct tokens. */
struct revoke_counts {
	size_t tokens, revoked, failed, unsupported, skipped, dry_run;
	size_t attempts; /* revoke requests sent, retries included */
};

/*
 * Gives every finding of l (the list p was built from) a revocation:
 * targets are revoked (or dry_run / skipped as o->consent says), other
 * tokens skipped with the reason. One audit line per distinct token,
 * written (and fsynced) the moment its decision is made, plus a
 * "revoke_requested" line before each revoke attempt is sent. Returns 0
 * when every finding has a status, or an error (the audit log cannot be
 * written, no memory): then nothing more is sent.
 */
int revoke_findings(struct findings *l, struct revoke_plan *p,
		    const struct revoke_opts *o, struct revoke_counts *counts);

/*
 * Maps the result of a revoke request (pure; `at` left to the caller).
 * *recheck is set when the status is in the revoked set: the answer is
 * only known after whoami (revoke_map_recheck); http_status and
 * request_id are then filled. A status in the unsupported set gives
 * revoke_unsupported with the dashboard guidance (naming v's project),
 * anything else revoke_failed with the reason.
 */
int revoke_map_result(struct revocation *rv, const struct api_spec *spec,
		      const struct http_result *r, const struct verification *v,
		      long deadline_ms, int *recheck);

/*
 * The answer after whoami: revoked when `after` is invalid (rv keeps the
 * revoke response's status and id); else revoke_failed with whoami's
 * status, request id and why (still live, or could not be confirmed).
 */
int revoke_map_recheck(struct revocation *rv, const struct verification *after);

/* The skip reason for a token that verification did not find live. */
void revoke_skip_reason(const struct verification *v, char *out, size_t cap);

#endif

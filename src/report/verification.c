/*
 * The "verification" and "revocation" objects of a finding, and the run's
 * verification counts, shared by the json, jsonl and sarif writers. Every
 * string in them came from the network (project names, request ids) and
 * goes through json_add_str like any untrusted text.
 */
#include "util/common.h"

#include "report/writers.h"

/* key: {"status", at_key: at (when known), "http_status" (when one came)}. */
static cJSON *add_status(struct json_build *j, cJSON *o, const char *key,
			 const char *status, const char *at_key, const char *at,
			 long http_status)
{
	cJSON *so = json_add_object(j, o, key);

	json_add_str(j, so, "status", status);
	json_add_opt_str(j, so, at_key, at);
	if (http_status > 0)
		json_add_u64(j, so, "http_status", (uint64_t)http_status);
	return so;
}

void report_verification_json(struct json_build *j, cJSON *o, const char *key,
			      const struct finding *f)
{
	const struct verification *v = &f->verification;
	const char *status = verification_status_name(v->status);
	cJSON *vo, *po;

	if (!status)
		return;
	vo = add_status(j, o, key, status, "checked_at", v->checked_at,
			v->http_status);
	if (v->status == VERIFICATION_LIVE) {
		po = json_add_object(j, vo, "project");
		json_add_str(j, po, "id", v->project_id);
		json_add_str(j, po, "name", v->project_name);
		json_add_str(j, po, "slug", v->project_slug);
	}
	json_add_opt_str(j, vo, "reason", v->reason);
	json_add_opt_str(j, vo, "request_id", v->request_id);
}

void report_revocation_json(struct json_build *j, cJSON *o, const char *key,
			    const struct finding *f)
{
	const struct revocation *r = &f->revocation;
	const char *status = revocation_status_name(r->status);
	cJSON *ro;

	if (!status)
		return;
	ro = add_status(j, o, key, status, "at", r->at, r->http_status);
	json_add_opt_str(j, ro, "request_id", r->request_id);
	json_add_opt_str(j, ro, "reason", r->reason);
}

void report_verification_counts_json(struct json_build *j, cJSON *o,
				     const struct scan_info *scan)
{
	cJSON *vo = json_add_object(j, o, "verification");

	json_add_u64(j, vo, "tokens", scan->verify_tokens);
	json_add_u64(j, vo, "live", scan->verify_live);
	json_add_u64(j, vo, "invalid", scan->verify_invalid);
	json_add_u64(j, vo, "unknown", scan->verify_unknown);
}

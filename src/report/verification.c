/*
 * The "verification" and "revocation" objects of a finding, and the run's
 * verification counts, shared by the json, jsonl and sarif writers. Every
 * string in them came from the network (project names, request ids) and
 * goes through json_add_str like any untrusted text.
 */
#include "util/common.h"

#include "report/writers.h"

int report_verification_json(cJSON *o, const char *key, const struct finding *f)
{
	const struct verification *v = &f->verification;
	const char *status = verification_status_name(v->status);
	cJSON *vo = NULL, *po = NULL;
	int err;

	if (!status)
		return 0;
	err = json_add_object(o, key, &vo);
	if (!err)
		err = json_add_str(vo, "status", status);
	if (!err && v->checked_at)
		err = json_add_str(vo, "checked_at", v->checked_at);
	if (!err && v->http_status > 0)
		err = json_add_u64(vo, "http_status", (uint64_t)v->http_status);
	if (!err && v->status == VERIFICATION_LIVE) {
		err = json_add_object(vo, "project", &po);
		if (!err)
			err = json_add_str(po, "id", v->project_id);
		if (!err)
			err = json_add_str(po, "name", v->project_name);
		if (!err)
			err = json_add_str(po, "slug", v->project_slug);
	}
	if (!err && v->reason)
		err = json_add_str(vo, "reason", v->reason);
	if (!err && v->request_id)
		err = json_add_str(vo, "request_id", v->request_id);
	return err;
}

int report_revocation_json(cJSON *o, const char *key, const struct finding *f)
{
	const struct revocation *r = &f->revocation;
	const char *status = revocation_status_name(r->status);
	cJSON *ro = NULL;
	int err;

	if (!status)
		return 0;
	err = json_add_object(o, key, &ro);
	if (!err)
		err = json_add_str(ro, "status", status);
	if (!err && r->at)
		err = json_add_str(ro, "at", r->at);
	if (!err && r->http_status > 0)
		err = json_add_u64(ro, "http_status", (uint64_t)r->http_status);
	if (!err && r->request_id)
		err = json_add_str(ro, "request_id", r->request_id);
	if (!err && r->reason)
		err = json_add_str(ro, "reason", r->reason);
	return err;
}

int report_verification_counts_json(cJSON *o, const struct scan_info *scan)
{
	cJSON *vo = NULL;
	int err;

	err = json_add_object(o, "verification", &vo);
	if (!err)
		err = json_add_u64(vo, "tokens", scan->verify_tokens);
	if (!err)
		err = json_add_u64(vo, "live", scan->verify_live);
	if (!err)
		err = json_add_u64(vo, "invalid", scan->verify_invalid);
	if (!err)
		err = json_add_u64(vo, "unknown", scan->verify_unknown);
	return err;
}

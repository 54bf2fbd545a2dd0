/*
 * The verification part of a finding: what the API said about its token,
 * owned strings that are released and copied with the finding.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/error.h"
#include "finding/finding.h"

void verification_release(struct verification *v)
{
	if (!v)
		return;
	free(v->checked_at);
	free(v->project_id);
	free(v->project_name);
	free(v->project_slug);
	free(v->reason);
	free(v->request_id);
	memset(v, 0, sizeof(*v));
}

int verification_copy(struct verification *dst, const struct verification *src)
{
	*dst = *src;
	/* Every pointer is replaced before anything can fail half-way. */
	if (str_dup(&dst->checked_at, src->checked_at) |
	    str_dup(&dst->project_id, src->project_id) |
	    str_dup(&dst->project_name, src->project_name) |
	    str_dup(&dst->project_slug, src->project_slug) |
	    str_dup(&dst->reason, src->reason) |
	    str_dup(&dst->request_id, src->request_id)) {
		verification_release(dst);
		return error_nomem();
	}
	return 0;
}

const char *verification_status_name(enum verification_status s)
{
	switch (s) {
	case VERIFICATION_LIVE:
		return "live";
	case VERIFICATION_INVALID:
		return "invalid";
	case VERIFICATION_UNKNOWN:
		return "unknown";
	default:
		return NULL;
	}
}

/*
 * The revocation part of a finding: what --revoke did about its token,
 * owned strings that are released and copied with the finding.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/error.h"
#include "finding/finding.h"

void revocation_release(struct revocation *r)
{
	if (!r)
		return;
	free(r->at);
	free(r->request_id);
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

int revocation_copy(struct revocation *dst, const struct revocation *src)
{
	*dst = *src;
	/* Every pointer is replaced before anything can fail half-way. */
	if (str_dup(&dst->at, src->at) |
	    str_dup(&dst->request_id, src->request_id) |
	    str_dup(&dst->reason, src->reason)) {
		revocation_release(dst);
		return error_nomem();
	}
	return 0;
}

const char *revocation_status_name(enum revocation_status s)
{
	switch (s) {
	case REVOCATION_REVOKED:
		return "revoked";
	case REVOCATION_FAILED:
		return "revoke_failed";
	case REVOCATION_UNSUPPORTED:
		return "revoke_unsupported";
	case REVOCATION_SKIPPED:
		return "skipped";
	case REVOCATION_DRY_RUN:
		return "dry_run";
	default:
		return NULL;
	}
}

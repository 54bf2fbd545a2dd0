/*
 * The revocation part of a finding: what --revoke did about its token,
 * owned strings that are released and copied with the finding.
 */
#include "util/common.h"
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

static int dup_str(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst;
}

int revocation_copy(struct revocation *dst, const struct revocation *src)
{
	*dst = *src;
	/* Every pointer is replaced before anything can fail half-way. */
	if (dup_str(&dst->at, src->at) |
	    dup_str(&dst->request_id, src->request_id) |
	    dup_str(&dst->reason, src->reason)) {
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

/*
 * What to do about a rule's tokens, as the human report's "fix" lines and
 * the HTML report's cards both say it: one text, chosen from how the
 * tokens stand after verification and revocation.
 */
#include "util/common.h"

#include "report/writers.h"

void fix_tally_add(struct fix_tally *t, const struct finding *f)
{
	if (f->revocation.status == REVOCATION_REVOKED ||
	    f->verification.status == VERIFICATION_INVALID)
		t->dead++;
	else if (f->verification.status == VERIFICATION_LIVE)
		t->live++;
	else
		t->other++;
}

void fix_advice(const struct rule_spec *r, const struct fix_tally *t,
		void (*put)(void *ctx, enum fix_piece piece, const char *text,
			    size_t n),
		void *ctx)
{
	static const char dead[] =
		"no token found works any more (verified invalid or revoked): "
		"nothing\n"
		"    to revoke. Take them out of the files, and out of git "
		"history where\n"
		"    they were committed.\n";
	static const char revoke[] =
		"    Live tokens: revoke them with 'nfguard revoke' (the "
		"tokens "
		"on its standard\n"
		"    input), or scan again with --revoke.\n";
	const char *p, *nl = NULL;

	if (!t->live && !t->other) {
		put(ctx, FIX_DEAD, dead, sizeof(dead) - 1);
		return;
	}
	for (p = r->remediation ? r->remediation : ""; *p;
	     p = nl ? nl + 1 : "") {
		nl = strchr(p, '\n');
		put(ctx, FIX_REMEDIATION_LINE, p,
		    nl ? (size_t)(nl - p) : strlen(p));
	}
	if (t->live && r->revoke_json)
		put(ctx, FIX_REVOKE_LIVE, revoke, sizeof(revoke) - 1);
}

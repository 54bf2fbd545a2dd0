/*
 * The history scan's problems: counted in the totals and handed to the
 * caller's callback one at a time, under the scan's own lock, since the
 * blob scan's workers report too.
 */
#include "util/common.h"
#include "source/collect.h"
#include "source/git/internal.h"

#include <pthread.h>

void gs_problem(struct gitscan *gs, enum problem_kind kind, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	source_problem(&gs->problem_lock, gs->totals, gs->problem, gs->pctx,
		       kind, fmt, ap);
	va_end(ap);
}

void gs_object_error(struct gitscan *gs, const char *what, const git_oid *id)
{
	const git_error *e = git_error_last();
	char hex[GIT_OID_HEXSZ + 1];

	/*
	 * A bundle with prerequisites holds none of the objects they hold:
	 * counted, and said once at the end, like a shallow clone's cut.
	 */
	if (gs->prereqs.n && e && e->klass == GIT_ERROR_ODB && e->message &&
	    !strncmp(e->message, "object not found", 16)) {
		pthread_mutex_lock(&gs->problem_lock);
		gs->absent++;
		pthread_mutex_unlock(&gs->problem_lock);
		return;
	}
	git_oid_tostr(hex, sizeof(hex), id);
	gs_problem(gs, PROBLEM_ERROR, "cannot read %s %s: %s", what, hex,
		   gs_git_error());
}

/*
 * The history scan's problems: counted in the totals and handed to the
 * caller's callback one at a time, under the scan's own lock, since the
 * blob scan's workers report too.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/git/internal.h"
#include "source/git/odb_check.h"

#include <pthread.h>

int gs_collector_new(struct gitscan *gs, struct collector **out)
{
	struct collect_env env = {gs->rs,     gs->decode,  &gs->problem_lock,
				  gs->totals, gs->problem, gs->pctx};

	return collector_new(out, &env);
}

void gs_problem(struct gitscan *gs, enum problem_kind kind, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	source_problem(&gs->problem_lock, gs->totals, gs->problem, gs->pctx,
		       kind, fmt, ap);
	va_end(ap);
}

void gs_corrupt(struct gitscan *gs, const unsigned char *id, const char *why)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid oid;
	int existed, err;

	pthread_mutex_lock(&gs->problem_lock);
	err = idmap_put(&gs->corrupt_ids, id, 0, &existed, NULL);
	if (err || !existed)
		gs->totals->objects_corrupt++;
	pthread_mutex_unlock(&gs->problem_lock);
	/* Out of memory, it may be said twice: never not at all. */
	if (!err && existed)
		return;
	memcpy(oid.id, id, GIT_OID_RAWSZ);
	git_oid_tostr(hex, sizeof(hex), &oid);
	gs_problem(gs, PROBLEM_ERROR, "object %s is corrupt: %s", hex, why);
}

int gs_pack_failed(struct gitscan *gs, const struct pack_map *pk,
		   const git_oid *id, int err)
{
	char why[1024];

	if (err == NFG_ELIMIT) {
		git_error_set_str(GIT_ERROR_ODB, error_last());
		return err;
	}
	if (err != NFG_ECORRUPT)
		return NFG_ENOTFOUND;
	snprintf(why, sizeof(why), "%s in '%s'", error_last(), pk->name);
	gs_corrupt(gs, id->id, why);
	return err;
}

void gs_object_error(struct gitscan *gs, const char *what, const git_oid *id)
{
	const git_error *e;
	char hex[GIT_OID_HEXSZ + 1];
	struct buf why;
	git_oid bad;
	int rc;

	buf_init(&why, 4096);
	rc = gs_odb_corrupt(gs->repo, &bad, &why);
	if (rc == 1)
		gs_corrupt(gs, bad.id, why.ptr);
	buf_release(&why);
	if (rc == 1)
		return;
	/* Reported corrupt already (gs_corrupt): that is why it failed. */
	pthread_mutex_lock(&gs->problem_lock);
	rc = idmap_get(&gs->corrupt_ids, id->id) != NULL;
	pthread_mutex_unlock(&gs->problem_lock);
	if (rc)
		return;
	e = git_error_last();

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

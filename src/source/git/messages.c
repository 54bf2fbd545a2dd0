/*
 * Commit and tag messages: each is scanned once, as its own finding
 * location ("commit-message", "tag-message"), and the commit fields every
 * finding of history carries (id, author, date) are filled here.
 */
#include "util/common.h"
#include "util/clock.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/git/internal.h"

/* An ISO 8601 UTC date of a git time, as a new string. */
static char *iso_date(git_time_t t)
{
	char out[32];

	clock_format_s((int64_t)t, out);
	return strdup(out);
}

char *gs_oid_str(const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	return strdup(hex);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

int gs_set_commit_fields(struct finding *f, const git_commit *c)
{
	const git_signature *a = git_commit_author(c);

	f->commit = gs_oid_str(git_commit_id(c));
	f->author_name = dup_or_empty(a ? a->name : NULL);
	f->author_email = dup_or_empty(a ? a->email : NULL);
	f->date = iso_date(a ? a->when.time : git_commit_time(c));
	if (!f->commit || !f->author_name || !f->author_email || !f->date)
		return error_nomem();
	return 0;
}

static int scan_message(struct gitscan *gs, const char *msg,
			struct findings *found)
{
	if (!msg)
		return 0;
	gs->totals->bytes += strlen(msg);
	return source_scan_mem(gs->sc, gs->rs, "", msg, strlen(msg), found);
}

/* Moves message findings to the output, filling the fields they share. */
static int emit_message_findings(struct gitscan *gs, struct findings *found,
				 const char *location, int reachable)
{
	size_t i;
	int err = 0;

	for (i = 0; i < found->n; i++) {
		struct finding *f = &found->v[i];

		f->location = strdup(location);
		f->repository = strdup(gs->gt->repository);
		f->reachable = reachable;
		f->occurrences = 1;
		if (!f->location || !f->repository)
			err = error_nomem();
	}
	if (!err)
		err = findings_merge(gs->out, found);
	findings_release(found);
	return err;
}

int gs_scan_commit_message(struct gitscan *gs, const git_commit *c,
			   int reachable)
{
	struct findings found;
	size_t i;
	int err;

	findings_init(&found);
	err = scan_message(gs, git_commit_message_raw(c), &found);
	for (i = 0; !err && i < found.n; i++)
		err = gs_set_commit_fields(&found.v[i], c);
	if (!err)
		return emit_message_findings(gs, &found, "commit-message",
					     reachable);
	findings_release(&found);
	return err;
}

int gs_scan_tag(struct gitscan *gs, git_tag *tag, int reachable)
{
	const git_signature *t = git_tag_tagger(tag);
	struct findings found;
	int existed, err;
	size_t i;

	if ((err = idmap_put(&gs->tag_ids, git_tag_id(tag)->id, 0, &existed,
			     NULL)) ||
	    existed)
		return err;
	findings_init(&found);
	err = scan_message(gs, git_tag_message(tag), &found);
	for (i = 0; !err && i < found.n; i++) {
		struct finding *f = &found.v[i];

		f->commit = gs_oid_str(git_tag_id(tag));
		f->ref = dup_or_empty(git_tag_name(tag));
		f->author_name = dup_or_empty(t ? t->name : NULL);
		f->author_email = dup_or_empty(t ? t->email : NULL);
		f->date = iso_date(t ? t->when.time : 0);
		if (!f->commit || !f->ref || !f->author_name ||
		    !f->author_email || !f->date)
			err = error_nomem();
	}
	if (!err)
		return emit_message_findings(gs, &found, "tag-message",
					     reachable);
	findings_release(&found);
	return err;
}

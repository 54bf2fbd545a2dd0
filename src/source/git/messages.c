/*
 * Commit and tag objects, scanned whole (headers, and the message past
 * any NUL byte), once each; each token is placed in the part that holds
 * it: the message ("commit-message", "tag-message"), an identity, a
 * tag's name ("ref-name"), or another header ("commit-header",
 * "tag-header"). The commit fields every finding of history carries (id,
 * author, date) are filled here.
 */
#include "util/common.h"
#include "util/clock.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/git/internal.h"
#include "source/git/object_text.h"

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

/* What one object's findings share: its kind, and where they go. */
struct object_scan {
	int is_tag;
	const git_oid *id;
	const git_commit *commit; /* NULL for a tag */
	git_tag *tag;		  /* NULL for a commit */
	int reachable;
};

static const char *const part_location[2][4] = {
	[0] = {[OBJTEXT_HEADER] = "commit-header",
	       [OBJTEXT_IDENTITY] = "identity",
	       [OBJTEXT_TAG_NAME] = "commit-header",
	       [OBJTEXT_MESSAGE] = "commit-message"},
	[1] = {[OBJTEXT_HEADER] = "tag-header",
	       [OBJTEXT_IDENTITY] = "identity",
	       [OBJTEXT_TAG_NAME] = "ref-name",
	       [OBJTEXT_MESSAGE] = "tag-message"},
};

/* Fills the fields a tag's findings carry: the tag object, its name, the
 * tagger. */
static int set_tag_fields(struct finding *f, git_tag *tag)
{
	const git_signature *t = git_tag_tagger(tag);

	f->commit = gs_oid_str(git_tag_id(tag));
	f->ref = dup_or_empty(git_tag_name(tag));
	f->author_name = dup_or_empty(t ? t->name : NULL);
	f->author_email = dup_or_empty(t ? t->email : NULL);
	f->date = iso_date(t ? t->when.time : 0);
	if (!f->commit || !f->ref || !f->author_name || !f->author_email ||
	    !f->date)
		return error_nomem();
	return 0;
}

/*
 * Whether a header finding is new: once per object and location for
 * each token (an author who is also the committer is one finding), and
 * a tag's name once per scan among ref names. 1 new, 0 seen, <0 error.
 */
static int header_is_new(struct gitscan *gs, struct idmap *seen,
			 const struct finding *f, enum objtext_part part)
{
	unsigned char key[ID_LEN];
	int existed, err;

	if (part == OBJTEXT_TAG_NAME)
		return gs_ref_token_new(gs, f);
	memcpy(key, f->digest, ID_LEN);
	key[0] ^= (unsigned char)part;
	if ((err = idmap_put(seen, key, 0, &existed, NULL)))
		return err;
	return !existed;
}

/*
 * Places each finding of an object in its part (message findings count
 * their lines from the message's first, as before headers were read),
 * drops repeats, fills the shared fields and moves them to the output.
 */
static int place_findings(struct gitscan *gs, const struct object_scan *o,
			  const char *data, size_t len, struct findings *found)
{
	struct objtext t;
	struct idmap seen;
	size_t i, kept = 0;
	int err = 0;

	objtext_parse(&t, data, len);
	idmap_init(&seen);
	for (i = 0; i < found->n; i++) {
		struct finding *f = &found->v[i];
		size_t off = (size_t)f->offset;
		enum objtext_part part = objtext_part_at(
			&t, o->is_tag, data, len,
			f->column > off ? 0 : off - (size_t)(f->column - 1),
			off);
		int keep = 1;

		if (part == OBJTEXT_MESSAGE) {
			f->line -= t.msg_line;
			if (f->end_line)
				f->end_line -= t.msg_line;
			f->offset -= t.msg;
		} else if ((keep = header_is_new(gs, &seen, f, part)) < 0) {
			err = keep;
		}
		if (!err && keep) {
			f->location = strdup(part_location[o->is_tag][part]);
			f->repository = strdup(gs->gt->repository);
			f->reachable = o->reachable;
			f->occurrences = 1;
			if (!f->location || !f->repository)
				err = error_nomem();
			else
				err = o->tag ? set_tag_fields(f, o->tag)
					     : gs_set_commit_fields(f,
								    o->commit);
		}
		if (err || !keep)
			finding_release(f);
		else
			found->v[kept++] = *f;
		if (err)
			break;
	}
	for (i++; err && i < found->n; i++)
		finding_release(&found->v[i]);
	found->n = kept;
	idmap_release(&seen);
	if (!err)
		err = findings_merge(gs->out, found);
	findings_release(found);
	return err;
}

/* Reads an object's raw bytes and scans them whole. */
static int scan_object(struct gitscan *gs, const struct object_scan *o)
{
	git_odb_object *obj = NULL;
	struct findings found;
	const char *data;
	size_t len;
	int err;

	if (!gs->odb && git_repository_odb(&gs->odb, gs->repo)) {
		gs_object_error(gs, o->is_tag ? "tag" : "commit", o->id);
		return 0;
	}
	if (git_odb_read(&obj, gs->odb, o->id)) {
		gs_object_error(gs, o->is_tag ? "tag" : "commit", o->id);
		return 0;
	}
	data = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	gs->totals->bytes += len;
	findings_init(&found);
	err = source_scan_mem(gs->sc, "", data, len, &found);
	if (!err)
		err = place_findings(gs, o, data, len, &found);
	findings_release(&found);
	git_odb_object_free(obj);
	return err;
}

int gs_scan_commit_object(struct gitscan *gs, const git_commit *c,
			  int reachable)
{
	struct object_scan o = {0, git_commit_id(c), c, NULL, reachable};

	return scan_object(gs, &o);
}

int gs_scan_tag(struct gitscan *gs, git_tag *tag, int reachable)
{
	struct object_scan o = {1, git_tag_id(tag), NULL, tag, reachable};
	int existed, err;

	if ((err = idmap_put(&gs->tag_ids, git_tag_id(tag)->id, 0, &existed,
			     NULL)) ||
	    existed)
		return err;
	return scan_object(gs, &o);
}

/*
 * Tokens in names: tree entries ("path-name", each (path, token) once, at
 * the commit whose walk met the entry first) and refs ("ref-name", each
 * token once among ref names and tags' "tag NAME" headers). A name's
 * position is line 1 and the byte column in the whole path or ref name.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/sha256.h"
#include "source/collect.h"
#include "source/git/internal.h"
#include "source/git/tree_entry.h"

int gs_ref_token_new(struct gitscan *gs, const struct finding *f)
{
	int existed, err;

	if ((err = idmap_put(&gs->ref_tokens, f->digest, 0, &existed, NULL)))
		return err;
	return !existed;
}

/* 1 if (path, token) is new to the scan, 0 if seen, <0 on error. */
static int path_token_new(struct gitscan *gs, const struct finding *f)
{
	unsigned char key[32];
	struct sha256 c;
	int existed, err;

	sha256_init(&c);
	sha256_update(&c, f->path, strlen(f->path) + 1);
	sha256_update(&c, f->digest, sizeof(f->digest));
	sha256_final(&c, key);
	if ((err = idmap_put(&gs->name_keys, key, 0, &existed, NULL)))
		return err;
	return !existed;
}

int gs_scan_name(struct collector *sc, const char *origin, const char *name,
		 struct findings *found)
{
	size_t i, len = strlen(name);
	char *line = malloc(len + 1);
	int err;

	if (!line)
		return error_nomem();
	for (i = 0; i <= len; i++)
		line[i] = (char)(name[i] == '\n' ? ' ' : name[i]);
	err = source_scan_mem(sc, origin, line, len, found);
	free(line);
	return err;
}

/*
 * Gives a hit in name (a whole path, or a ref's name when is_ref) its
 * location, ref and the commit fields of c (may be NULL). A name holds no
 * comment: the inline allow marker never applies to it.
 */
static int set_name_fields(struct gitscan *gs, struct finding *f,
			   const char *name, int is_ref, const git_commit *c,
			   int reachable)
{
	f->inline_allowed = 0;
	f->location = strdup(is_ref ? "ref-name" : "path-name");
	f->repository = strdup(gs->gt->repository);
	f->reachable = reachable;
	f->occurrences = 1;
	if (is_ref && !(f->ref = strdup(name)))
		return error_nomem();
	if (!f->location || !f->repository)
		return error_nomem();
	return c ? gs_set_commit_fields(f, c) : 0;
}

/*
 * Keeps the findings of found that are new (from name_off on: a token in
 * a folder's name is reported at that folder), each given its place in
 * name, and moves them to the output. c may be NULL.
 */
static int emit_names(struct gitscan *gs, struct findings *found,
		      const char *name, size_t name_off, int is_ref,
		      const git_commit *c, int reachable)
{
	size_t i, kept = 0;
	int err = 0, keep;

	for (i = 0; i < found->n; i++) {
		struct finding *f = &found->v[i];

		keep = 0;
		if (!err && f->offset >= name_off)
			keep = is_ref ? gs_ref_token_new(gs, f)
				      : path_token_new(gs, f);
		if (keep < 0)
			err = keep;
		if (!err && keep)
			err = set_name_fields(gs, f, name, is_ref, c,
					      reachable);
		if (!err && keep)
			found->v[kept++] = *f;
		else
			finding_release(f);
	}
	found->n = kept;
	if (!err)
		err = findings_merge(gs->out, found);
	findings_release(found);
	return err;
}

int gs_scan_path_name(struct gitscan *gs, const char *path, size_t name_off,
		      int reachable)
{
	struct findings found;
	git_commit *c = NULL;
	uint32_t ci = gs->cur_commit;
	int err;

	findings_init(&found);
	/*
	 * A token in the name lies within it ('/' ends one): the whole path,
	 * for the columns, is scanned only when the name hits, so a walk
	 * down deep folders costs the names, not the square of the depth.
	 */
	if ((err = gs_scan_name(gs->sc, path, path + name_off, &found)) ||
	    !found.n) {
		findings_release(&found);
		return err;
	}
	findings_release(&found);
	findings_init(&found);
	if ((err = gs_scan_name(gs->sc, path, path, &found)) || !found.n) {
		findings_release(&found);
		return err;
	}
	if (ci != UINT32_MAX &&
	    git_commit_lookup(&c, gs->repo, &gs->commits[ci].oid))
		gs_object_error(gs, "commit", &gs->commits[ci].oid);
	err = emit_names(gs, &found, path, name_off, 0, c, reachable);
	git_commit_free(c);
	return err;
}

int gs_scan_tree_names(struct gitscan *gs, const unsigned char *data,
		       size_t len, struct buf *path, int reachable)
{
	const unsigned char *p = data, *end = data + len;
	struct findings found;
	struct tree_entry e;
	size_t k = 0, mark = path->len, at;
	int err;

	findings_init(&found);
	/* One pass over the tree's bytes finds the names worth a look. */
	err = source_scan_mem(gs->sc, NULL, (const char *)data, len, &found);
	while (!err && k < found.n && tree_entry_next(&e, &p, end) > 0) {
		at = (size_t)((const unsigned char *)e.name - data);
		while (k < found.n && found.v[k].offset < at)
			k++;
		if (k == found.n || found.v[k].offset >= at + e.name_len)
			continue;
		if (path->len)
			err = buf_putc(path, '/');
		if (!err && !(err = buf_puts(path, e.name)))
			err = gs_scan_path_name(gs, path->ptr,
						mark + (mark != 0), reachable);
		path->len = mark;
		if (path->ptr)
			path->ptr[mark] = '\0';
	}
	/* A malformed rest is reported by the walk that reads the tree. */
	findings_release(&found);
	return err;
}

/* The refs' names, sorted: the report is the same whatever their order. */
static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Scans one ref's name; its finding names the commit it points at. */
static int scan_ref_name(struct gitscan *gs, const char *name)
{
	struct findings found;
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int err;

	findings_init(&found);
	if ((err = gs_scan_name(gs->sc, NULL, name, &found)) || !found.n) {
		findings_release(&found);
		return err;
	}
	/* A ref to no commit (a tree, a blob, a broken one) names none. */
	if (!git_reference_lookup(&ref, gs->repo, name))
		git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT);
	err = emit_names(gs, &found, name, 0, 1, (const git_commit *)obj, 1);
	git_object_free(obj);
	git_reference_free(ref);
	return err;
}

int gs_scan_ref_names(struct gitscan *gs)
{
	git_reference_iterator *it = NULL;
	const char *name;
	char **v = NULL;
	size_t n = 0, cap = 0, i;
	int err = 0;

	if (git_reference_iterator_new(&it, gs->repo))
		return error_set(NFG_EIO, "cannot list refs: %s",
				 gs_git_error());
	while (!err && !git_reference_next_name(&name, it))
		if (!(err = ARRAY_GROW(v, n, cap)) && !(v[n++] = strdup(name)))
			err = error_nomem();
	git_reference_iterator_free(it);
	if (!err && n)
		qsort(v, n, sizeof(*v), cmp_names);
	for (i = 0; !err && i < n; i++)
		err = scan_ref_name(gs, v[i]);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return err;
}

/*
 * Reading the alternates chain the way git does: every relative path
 * against the objects folder of the file that names it, breadth first
 * with git's depth bound, each folder once, and what cannot be followed
 * said rather than skipped in silence.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "source/git/alternates.h"
#include "source/git/open.h"

/* An alternates file larger than this is not read. */
#define ALTERNATES_FILE_MAX ((size_t)1 << 20)

int alternates_next(const char **path, size_t *len, const char **p,
		    const char *end)
{
	while (*p < end) {
		const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;

		*p = nl ? nl + 1 : end;
		if (e == s || *s == '#')
			continue;
		if (*s == '"')
			return error_set(NFG_EINVAL,
					 "quoted paths are not read");
		if (memchr(s, '\0', (size_t)(e - s)))
			return error_set(NFG_EINVAL, "a path holds a NUL byte");
		while (e - s > 1 && e[-1] == '/')
			e--;
		*path = s;
		*len = (size_t)(e - s);
		return 1;
	}
	return 0;
}

struct alt {
	char *dir;  /* absolute, links resolved */
	int parent; /* the folder whose file named it; -1: the repository */
	int depth;
};

struct walk {
	struct alt *v;
	int n;
	git_odb *odb;
	problem_fn report;
	void *ctx;
};

static void warn(struct walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct walk *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!w->report)
		return;
	va_start(ap, fmt);
	error_vformat(msg, sizeof(msg), "", fmt, ap);
	va_end(ap);
	w->report(w->ctx, PROBLEM_WARNING, msg);
}

/* 1 if folder a led to folder b (a is b or one of its parents). */
static int leads_to(const struct walk *w, int a, int b)
{
	for (; b >= 0; b = w->v[b].parent)
		if (a == b)
			return 1;
	return 0;
}

/* Adds the folder entry[0..len), named in file by folder at, once. */
static int add(struct walk *w, int at, const char *file, const char *entry,
	       size_t len)
{
	struct buf path;
	char *real;
	int i, err;

	buf_init(&path, 8192);
	if (*entry != '/')
		buf_printf(&path, "%s/", w->v[at].dir);
	if ((err = buf_add(&path, entry, len))) {
		buf_release(&path);
		if (err == NFG_ENOMEM)
			return err;
		warn(w, "'%s' names an object folder whose path is too long",
		     file);
		return 0;
	}
	real = realpath(path.ptr, NULL);
	if (!real) {
		err = errno;
		if (err == ENOMEM) {
			buf_release(&path);
			return error_nomem();
		}
		warn(w, "'%s' names the object folder '%.*s': %s", file,
		     (int)len, entry, strerror(err));
		buf_release(&path);
		return 0;
	}
	buf_release(&path);
	for (i = 0; i < w->n && strcmp(w->v[i].dir, real); i++)
		;
	if (i < w->n) {
		/* A folder met twice by two ways is no loop: read once. */
		if (leads_to(w, i, at))
			warn(w,
			     "'%s' names '%s', which leads back to it: "
			     "a loop, read once",
			     file, real);
		free(real);
		return 0;
	}
	if (w->n > ALTERNATES_MAX) {
		warn(w,
		     "'%s': more than %d alternate object folders, '%s' "
		     "and later ones are not read",
		     file, ALTERNATES_MAX, real);
		free(real);
		return 0;
	}
	w->v[w->n].dir = real;
	w->v[w->n].parent = at;
	w->v[w->n].depth = w->v[at].depth + 1;
	w->n++;
	if (git_odb_add_disk_alternate(w->odb, real))
		warn(w, "cannot read the object folder '%s': %s", real,
		     gs_git_error());
	return 0;
}

/* Reads the alternates file of folder at and adds what it names. */
static int read_alternates(struct walk *w, int at)
{
	struct buf file, text;
	const char *p, *end, *entry;
	size_t len;
	int rc, missing = 0, err = 0;

	buf_init(&file, 8192);
	buf_init(&text, ALTERNATES_FILE_MAX);
	if ((err = buf_printf(&file, "%s/info/alternates", w->v[at].dir)))
		goto done;
	if ((rc = file_read_all(&text, file.ptr, &missing))) {
		if (rc == NFG_ENOMEM)
			err = rc;
		else
			warn(w, "%s", error_last());
		goto done;
	}
	p = text.ptr ? text.ptr : "";
	end = p + text.len;
	while (!err && (rc = alternates_next(&entry, &len, &p, end))) {
		if (rc < 0) {
			warn(w, "'%s': %s", file.ptr, error_last());
			continue;
		}
		if (w->v[at].depth > ALTERNATES_DEPTH_MAX) {
			warn(w,
			     "'%s': alternates nested more than %d deep are "
			     "not read",
			     file.ptr, ALTERNATES_DEPTH_MAX);
			break;
		}
		err = add(w, at, file.ptr, entry, len);
	}
done:
	buf_release(&file);
	buf_release(&text);
	return err;
}

int gs_link_alternates(git_repository *repo, problem_fn report, void *ctx)
{
	struct walk w = {NULL, 0, NULL, report, ctx};
	struct buf objects;
	int i, err = 0;

	buf_init(&objects, 8192);
	if (buf_printf(&objects, "%sobjects", git_repository_commondir(repo)))
		goto done;
	if (!(w.v = calloc(ALTERNATES_MAX + 1, sizeof(*w.v)))) {
		err = error_nomem();
		goto done;
	}
	/* Without its own objects folder, libgit2 has refused it already. */
	if (!(w.v[0].dir = realpath(objects.ptr, NULL)) ||
	    git_repository_odb(&w.odb, repo))
		goto done;
	w.v[0].parent = -1;
	w.n = 1;
	for (i = 0; !err && i < w.n; i++)
		err = read_alternates(&w, i);
done:
	for (i = 0; w.v && i <= ALTERNATES_MAX; i++)
		free(w.v[i].dir);
	free(w.v);
	git_odb_free(w.odb);
	buf_release(&objects);
	return err;
}

/*
 * The index a staged scan compares with HEAD, read by nfguard itself
 * (source/git/index_file.h) so that every index git writes is read: a
 * split index is joined to its shared index and a sparse index's
 * directories are expanded from their trees, into a libgit2 index in
 * memory for the diff.
 */
#include "util/common.h"

#include <git2/sys/repository.h>

#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "source/git/index_file.h"
#include "source/git/internal.h"
#include "source/git/tree_entry.h"

/* Entries once sparse directories are expanded: bounds a tree bomb. */
#define MAX_ENTRIES ((size_t)1 << 22)

/* One tree being expanded: its object, the next entry, its path length. */
struct frame {
	git_odb_object *obj;
	const unsigned char *p, *end;
	size_t plen;
};

struct loader {
	git_repository *repo;
	git_odb *odb; /* opened for the first sparse directory */
	git_index *index;
	size_t added;
	const char *name; /* "cannot read the index '<path>'" */
};

/* The mode git_index_add takes for an index or tree entry's mode. */
static int entry_mode(unsigned mode, unsigned *out)
{
	switch (mode & 0170000) {
	case 0100000:
		*out = mode & 0100 ? GIT_FILEMODE_BLOB_EXECUTABLE
				   : GIT_FILEMODE_BLOB;
		return 0;
	case 0120000:
	case 0160000:
		*out = mode & 0170000;
		return 0;
	default:
		return -1;
	}
}

static int add(struct loader *l, git_index_entry *ie, unsigned mode)
{
	if (entry_mode(mode, &ie->mode))
		return error_set(NFG_EINVAL, "%s: '%s' has mode %o", l->name,
				 ie->path, mode);
	if (++l->added > MAX_ENTRIES)
		return error_set(NFG_ELIMIT,
				 "%s: more than %zu entries once sparse "
				 "directories are expanded",
				 l->name, MAX_ENTRIES);
	if (git_index_add(l->index, ie))
		return error_set(NFG_EINVAL, "%s: '%s': %s", l->name, ie->path,
				 gs_git_error());
	return 0;
}

static int push_tree(struct loader *l, struct frame **st, size_t *n,
		     size_t *cap, const unsigned char *raw, const char *path,
		     size_t plen)
{
	git_odb_object *obj;
	git_oid id;
	int err;

	git_oid_fromraw(&id, raw);
	if (git_odb_read(&obj, l->odb, &id))
		return error_set(NFG_EIO,
				 "%s: cannot read the tree of '%.*s': %s",
				 l->name, (int)plen, path, gs_git_error());
	if (git_odb_object_type(obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(obj);
		return error_set(NFG_EINVAL, "%s: '%.*s' names no tree",
				 l->name, (int)plen, path);
	}
	if ((err = ARRAY_GROW(*st, *n, *cap))) {
		git_odb_object_free(obj);
		return err;
	}
	(*st)[*n].obj = obj;
	(*st)[*n].p = git_odb_object_data(obj);
	(*st)[*n].end = (*st)[*n].p + git_odb_object_size(obj);
	(*st)[(*n)++].plen = plen;
	return 0;
}

/*
 * A sparse directory entry as the entries of its tree, depth first (the
 * index's order), with an explicit stack: the tree's depth is the input's.
 */
static int expand(struct loader *l, const struct index_entry *e)
{
	struct frame *st = NULL;
	size_t n = 0, cap = 0, pcap = 0;
	char *path = NULL;
	int err;

	if (!l->odb && git_repository_odb(&l->odb, l->repo))
		return error_set(NFG_EIO, "%s: %s", l->name, gs_git_error());
	if ((err = array_reserve(&path, &pcap, e->path_len + 1, 1)))
		return err;
	memcpy(path, e->path, e->path_len);
	err = push_tree(l, &st, &n, &cap, e->id, path, e->path_len);
	while (!err && n) {
		struct frame *f = &st[n - 1];
		git_index_entry ie;
		struct tree_entry te;
		size_t len;
		int r = tree_entry_next(&te, &f->p, f->end);

		if (r <= 0) {
			if (r < 0)
				err = error_set(NFG_EINVAL,
						"%s: the tree of '%.*s' is "
						"malformed",
						l->name, (int)f->plen, path);
			git_odb_object_free(f->obj);
			n--;
			continue;
		}
		len = f->plen + te.name_len;
		if ((err = array_reserve(&path, &pcap, len + 2, 1)))
			break;
		memcpy(path + f->plen, te.name, te.name_len);
		if (te.mode == INDEX_MODE_SPARSE_DIR) {
			path[len++] = '/';
			err = push_tree(l, &st, &n, &cap, te.id, path, len);
			continue;
		}
		path[len] = '\0';
		memset(&ie, 0, sizeof(ie));
		ie.path = path;
		ie.flags = GIT_INDEX_ENTRY_EXTENDED;
		ie.flags_extended = GIT_INDEX_ENTRY_SKIP_WORKTREE;
		git_oid_fromraw(&ie.id, te.id);
		err = add(l, &ie, te.mode);
	}
	while (n)
		git_odb_object_free(st[--n].obj);
	free(st);
	free(path);
	return err;
}

static int add_entry(struct loader *l, const struct index_entry *e)
{
	git_index_entry ie;

	if (e->mode == INDEX_MODE_SPARSE_DIR && e->path_len &&
	    e->path[e->path_len - 1] == '/' && !INDEX_STAGE(e))
		return expand(l, e);
	memset(&ie, 0, sizeof(ie));
	ie.ctime.seconds = (int32_t)e->ctime_s;
	ie.ctime.nanoseconds = e->ctime_ns;
	ie.mtime.seconds = (int32_t)e->mtime_s;
	ie.mtime.nanoseconds = e->mtime_ns;
	ie.dev = e->dev;
	ie.ino = e->ino;
	ie.uid = e->uid;
	ie.gid = e->gid;
	ie.file_size = e->size;
	git_oid_fromraw(&ie.id, e->id);
	ie.flags = e->flags;
	ie.flags_extended = e->flags_ext;
	ie.path = e->path;
	return add(l, &ie, e->mode);
}

/*
 * Reads the index file at path into x. A missing file sets *missing, or
 * reads as an empty index when missing is NULL.
 */
static int read_file(struct index_file *x, const char *path, const char *name,
		     int *missing)
{
	struct buf b;
	int miss = 0, err;

	buf_init(&b, BUF_DEFAULT_MAX);
	if (!(err = file_read_all(&b, path, &miss)) && !miss)
		err = index_file_parse(x, (const unsigned char *)b.ptr, b.len,
				       name);
	buf_release(&b);
	if (missing)
		*missing = miss;
	return err;
}

/* Reads <dir>sharedindex.<hex> (dir: its first dirlen bytes) into shared. */
static int read_shared(struct index_file *shared, const char *dir, int dirlen,
		       const char *hex, int *missing)
{
	char *where, *what;
	int err;

	if (asprintf(&where, "%.*ssharedindex.%s", dirlen, dir, hex) < 0)
		return error_nomem();
	if (asprintf(&what, "cannot read the shared index '%s'", where) < 0) {
		free(where);
		return error_nomem();
	}
	err = read_file(shared, where, what, missing);
	free(what);
	free(where);
	return err;
}

/*
 * The shared index of x (in the git dir, else beside the index, as git
 * looks for it) applied to x.
 */
static int join_shared(struct index_file *x, const char *gitdir,
		       const char *path, const char *name)
{
	struct index_file shared;
	char hex[2 * INDEX_ID_LEN + 1];
	const char *slash = strrchr(path, '/');
	int missing = 0, err;
	size_t i;

	index_file_init(&shared);
	for (i = 0; i < INDEX_ID_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", x->shared_id[i]);
	err = read_shared(&shared, gitdir, (int)strlen(gitdir), hex, &missing);
	if (!err && missing)
		err = read_shared(&shared, path,
				  slash ? (int)(slash + 1 - path) : 0, hex,
				  &missing);
	if (!err && missing)
		err = error_set(NFG_ENOTFOUND,
				"%s: its shared index 'sharedindex.%s' is "
				"missing",
				name, hex);
	if (!err)
		err = index_file_merge(x, &shared, name);
	index_file_release(&shared);
	return err;
}

/* 1 if the repository's core.ignorecase is true, as libgit2 would read it. */
static int ignore_case(git_repository *repo)
{
	git_config *cfg;
	int v = 0;

	if (git_repository_config_snapshot(&cfg, repo))
		return 0;
	if (git_config_get_bool(&v, cfg, "core.ignorecase"))
		v = 0;
	git_config_free(cfg);
	return v;
}

int gs_staged_index(git_repository *repo, const char *index_file,
		    git_index **out)
{
	const char *gitdir = git_repository_path(repo);
	struct loader l = {repo, NULL, NULL, 0, NULL};
	struct index_file x;
	char *path = NULL, *name = NULL;
	size_t i;
	int err;

	*out = NULL;
	index_file_init(&x);
	if (!index_file) {
		if (asprintf(&path, "%sindex", gitdir) < 0)
			return error_nomem();
		index_file = path;
	}
	if (asprintf(&name, "cannot read the index '%s'", index_file) < 0) {
		free(path);
		return error_nomem();
	}
	l.name = name;
	if ((err = read_file(&x, index_file, name, NULL)) ||
	    (index_file_needs_shared(&x) &&
	     (err = join_shared(&x, gitdir, index_file, name))))
		goto done;
	if (git_index_new(&l.index) ||
	    (ignore_case(repo) &&
	     git_index_set_caps(l.index, GIT_INDEX_CAPABILITY_IGNORE_CASE))) {
		err = error_set(NFG_EIO, "%s: %s", name, gs_git_error());
		goto done;
	}
	for (i = 0; !err && i < x.n; i++)
		err = add_entry(&l, &x.v[i]);
	/* libgit2 reads .gitattributes from the repository's index */
	if (!err && git_repository_set_index(repo, l.index))
		err = error_set(NFG_EIO, "%s: %s", name, gs_git_error());
done:
	if (err)
		git_index_free(l.index);
	else
		*out = l.index;
	git_odb_free(l.odb);
	index_file_release(&x);
	free(name);
	free(path);
	return err;
}

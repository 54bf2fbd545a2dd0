/*
 * nfguard git FILE.bundle: the bundle's pack is indexed by libgit2 into a
 * private temporary bare repository (mode 0700, removed at the end and on
 * SIGINT/SIGTERM), its refs written as packed-refs, and that repository
 * scanned as any other, named by the bundle's path.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/tmpdir.h"
#include "source/git/bundle_header.h"
#include "source/git/internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)1 << 20)

void source_git_signal_cleanup(void)
{
	tmpdir_signal_cleanup();
}

void gs_bundle_release(struct gitscan *gs)
{
	tmpdir_remove(gs->bundle_dir);
	gs->bundle_dir = NULL;
}

int gs_is_bundle(const char *path)
{
	unsigned char sig[BUNDLE_SIG_LEN];
	struct stat st;
	int fd, yes;

	/* O_NONBLOCK: a FIFO named as REPO must not block the scan. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	yes = !fstat(fd, &st) && S_ISREG(st.st_mode) &&
	      read(fd, sig, sizeof(sig)) == (ssize_t)sizeof(sig) &&
	      bundle_is_signature(sig, sizeof(sig));
	close(fd);
	return yes;
}

/*
 * libgit2's reason, unless it names the temporary repository: no output
 * of nfguard names it.
 */
static const char *reason(const struct gitscan *gs)
{
	const char *msg = gs_git_error();

	return strstr(msg, gs->bundle_dir) ? "unknown error" : msg;
}

/* Reads the header from fd into b (the pack's first bytes may follow). */
static int read_header(int fd, const char *path, struct buf *b)
{
	ssize_t n;

	for (;;) {
		size_t from = b->len ? b->len - 1 : 0;

		if (buf_grow(b, 65536))
			return error_set(NFG_ELIMIT,
					 "'%s': the bundle's header is larger "
					 "than %zu MiB",
					 path, BUNDLE_MAX_HEADER >> 20);
		n = read(fd, b->ptr + b->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_set_errno(NFG_EIO, errno,
					       "cannot read '%s'", path);
		b->len += (size_t)n;
		b->ptr[b->len] = '\0';
		if (!n || memmem(b->ptr + from, b->len - from, "\n\n", 2))
			return 0;
	}
}

/* Writes a new file dir/name holding b. */
static int write_file(const char *dir, const char *name, const struct buf *b)
{
	struct buf path;
	size_t off = 0;
	int fd, err = 0;

	buf_init(&path, 8192);
	if (buf_printf(&path, "%s/%s", dir, name)) {
		buf_release(&path);
		return error_nomem();
	}
	fd = open(path.ptr,
		  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	while (fd >= 0 && off < b->len) {
		ssize_t n = write(fd, b->ptr + off, b->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (fd < 0 || off < b->len || close(fd))
		err = error_set_errno(NFG_EIO, errno,
				      "cannot write the bundle's %s", name);
	else
		fd = -1;
	if (fd >= 0)
		close(fd);
	buf_release(&path);
	return err;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct bundle_ref *)a)->name,
		      ((const struct bundle_ref *)b)->name);
}

/*
 * HEAD (the bundle's, detached, or an unborn branch) and packed-refs:
 * each name valid and under refs/, a name listed twice only with the
 * same object. Names are never quoted: they come from a stranger.
 */
static int write_refs(struct gitscan *gs, struct bundle_header *h)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct buf head, packed;
	size_t i;
	int err = 0;

	buf_init(&head, 256);
	buf_init(&packed, BUF_DEFAULT_MAX);
	buf_puts(&head, "ref: refs/heads/main\n");
	qsort(h->refs, h->nrefs, sizeof(h->refs[0]), by_name);
	for (i = 0; i < h->nrefs && !err; i++) {
		const struct bundle_ref *r = &h->refs[i];
		int valid = 0;

		git_oid_tostr(hex, sizeof(hex), (const git_oid *)r->id);
		if (i && !strcmp(r->name, h->refs[i - 1].name)) {
			if (memcmp(r->id, h->refs[i - 1].id, BUNDLE_ID_LEN))
				err = error_set(NFG_EINVAL,
						"'%s': the bundle lists a ref "
						"twice, with different objects",
						gs->opts->repo);
			continue;
		}
		if (git_reference_name_is_valid(&valid, r->name) || !valid ||
		    (strcmp(r->name, "HEAD") && strncmp(r->name, "refs/", 5))) {
			err = error_set(
				NFG_EINVAL,
				"'%s': ref %zu of the bundle has a name "
				"that is not valid",
				gs->opts->repo, i + 1);
			break;
		}
		if (!strcmp(r->name, "HEAD")) {
			buf_reset(&head);
			buf_printf(&head, "%s\n", hex);
		} else {
			buf_printf(&packed, "%s %s\n", hex, r->name);
		}
	}
	if (!err && (buf_failed(&head) || buf_failed(&packed)))
		err = error_nomem();
	if (!err && !(err = write_file(gs->bundle_dir, "HEAD", &head)))
		err = write_file(gs->bundle_dir, "packed-refs", &packed);
	buf_release(&head);
	buf_release(&packed);
	return err;
}

/*
 * Feeds the pack (its first bytes in b after the header, the rest in fd)
 * to libgit2's indexer. A thin pack (deltas against objects of the
 * prerequisites, as git bundle create writes) cannot be indexed without
 * them: refused, and said so.
 */
static int index_pack(struct gitscan *gs, int fd, const struct buf *b,
		      size_t header_len, size_t prereqs)
{
	git_indexer_options io;
	git_indexer_progress stats;
	git_indexer *idx = NULL;
	unsigned char *chunk = NULL;
	unsigned unresolved;
	struct buf dir;
	ssize_t n;
	int err = 0;

	memset(&stats, 0, sizeof(stats));
	git_indexer_options_init(&io, GIT_INDEXER_OPTIONS_VERSION);
	buf_init(&dir, 8192);
	if (buf_printf(&dir, "%s/objects/pack", gs->bundle_dir) ||
	    !(chunk = malloc(READ_CHUNK))) {
		err = error_nomem();
		goto done;
	}
	if (git_indexer_new(&idx, dir.ptr, 0, NULL, &io) ||
	    git_indexer_append(idx, b->ptr + header_len, b->len - header_len,
			       &stats))
		goto bad;
	while ((n = read(fd, chunk, READ_CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = error_set_errno(NFG_EIO, errno,
					      "cannot read '%s'",
					      gs->opts->repo);
			goto done;
		}
		if (git_indexer_append(idx, chunk, (size_t)n, &stats))
			goto bad;
	}
	if (!git_indexer_commit(idx, &stats))
		goto done;
bad:
	if (stats.received_objects < stats.total_objects)
		err = error_set(NFG_EINVAL,
				"'%s': the bundle's pack is truncated (%u of "
				"%u objects)",
				gs->opts->repo, stats.received_objects,
				stats.total_objects);
	else if ((unresolved = stats.total_deltas - stats.indexed_deltas) &&
		 prereqs)
		err = error_set(
			NFG_EINVAL,
			"'%s': the bundle stores %u object%s as changes "
			"to objects of its prerequisites, which it does "
			"not hold: nfguard cannot read such a bundle yet",
			gs->opts->repo, unresolved, unresolved == 1 ? "" : "s");
	else
		err = error_set(NFG_EINVAL,
				"'%s': the bundle's pack is corrupt: %s",
				gs->opts->repo, reason(gs));
done:
	git_indexer_free(idx);
	free(chunk);
	buf_release(&dir);
	return err;
}

/* A temporary folder, and the folders a repository needs. */
static int make_repo(struct gitscan *gs)
{
	static const char *const subdirs[] = {"objects", "objects/pack",
					      "refs"};
	struct buf path;
	size_t i;
	int err;

	if ((err = tmpdir_make(gs->opts->tmp_dir, "nfguard-bundle",
			       &gs->bundle_dir)))
		return err;
	for (i = 0; i < ARRAY_SIZE(subdirs) && !err; i++) {
		buf_init(&path, TMPDIR_PATH_MAX + 64);
		if (buf_printf(&path, "%s/%s", gs->bundle_dir, subdirs[i]))
			err = error_nomem();
		else if (mkdir(path.ptr, 0700))
			err = error_set_errno(NFG_EIO, errno,
					      "cannot make the bundle's "
					      "temporary repository");
		buf_release(&path);
	}
	return err;
}

/* The prerequisites: commits the bundle names but does not hold. */
static int note_prereqs(struct gitscan *gs, const struct bundle_header *h)
{
	size_t i;
	int err;

	for (i = 0; i < h->nprereqs; i++)
		if ((err = idmap_put(&gs->prereqs, h->prereqs[i], 0, NULL,
				     NULL)))
			return err;
	return 0;
}

int gs_open_bundle(struct gitscan *gs)
{
	const char *path = gs->opts->repo;
	struct bundle_header h;
	struct stat st;
	struct buf b;
	git_oid head;
	int fd, err;

	memset(&h, 0, sizeof(h));
	buf_init(&b, BUNDLE_MAX_HEADER);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		err = error_set_errno(NFG_EIO, fd < 0 ? errno : EINVAL,
				      "cannot open '%s'", path);
		goto done;
	}
	if ((err = read_header(fd, path, &b)))
		goto done;
	if ((err = bundle_header_parse(&h, (const unsigned char *)b.ptr,
				       b.len))) {
		char why[512];

		snprintf(why, sizeof(why), "%s", error_last());
		err = error_set(err, "'%s': %s", path, why);
		goto done;
	}
	if ((err = make_repo(gs)) ||
	    (err = index_pack(gs, fd, &b, h.len, h.nprereqs)) ||
	    (err = write_refs(gs, &h)) || (err = note_prereqs(gs, &h)))
		goto done;
	if (git_repository_open_bare(&gs->repo, gs->bundle_dir)) {
		err = error_set(NFG_EIO,
				"'%s': cannot open the bundle's objects: %s",
				path, reason(gs));
		goto done;
	}
	if (!(gs->gt->repository = strdup(path))) {
		err = error_nomem();
		goto done;
	}
	gs->gitdir = git_repository_path(gs->repo);
	if (!git_reference_name_to_id(&head, gs->repo, "HEAD"))
		git_oid_tostr(gs->gt->revision, sizeof(gs->gt->revision),
			      &head);
done:
	if (fd >= 0)
		close(fd);
	bundle_header_release(&h);
	buf_release(&b);
	return err;
}

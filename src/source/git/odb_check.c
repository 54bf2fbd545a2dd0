/*
 * libgit2's own hash check (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION) covers
 * every read or none, and costs a quarter more CPU on a whole-history
 * scan, where nearly all it reads is packed commits. Wrapping the read
 * functions of the backends checks only what they hand out: loose objects
 * by default, packed ones too with --strict-objects.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/git/internal.h"
#include "source/git/odb_check.h"

#include <git2/sys/odb_backend.h>
#include <sys/stat.h>

typedef int (*backend_read_fn)(void **, size_t *, git_object_t *,
			       git_odb_backend *, const git_oid *);
typedef int (*backend_read_prefix_fn)(git_oid *, void **, size_t *,
				      git_object_t *, git_odb_backend *,
				      const git_oid *, size_t);

/* libgit2's own read functions, the same for every backend of a kind. */
enum { LOOSE, PACKED, NKINDS };
static struct {
	backend_read_fn read;
	backend_read_prefix_fn read_prefix;
} orig[NKINDS];
static pthread_once_t learned = PTHREAD_ONCE_INIT;

/* The last failed check of this thread, until claimed. */
struct failed_check {
	int set;
	int packed;
	git_oid id;
	char msg[96];
};
static _Thread_local struct failed_check last;

/* Learns libgit2's read functions from a backend of each kind. */
static void learn(void)
{
	git_odb_backend *b;

	/* "/dev/null/pack" is no folder: neither backend reads anything. */
	if (!git_odb_backend_loose(&b, "/dev/null", -1, 0, 0, 0)) {
		orig[LOOSE].read = b->read;
		orig[LOOSE].read_prefix = b->read_prefix;
		b->free(b);
	}
	if (!git_odb_backend_pack(&b, "/dev/null")) {
		orig[PACKED].read = b->read;
		orig[PACKED].read_prefix = b->read_prefix;
		b->free(b);
	}
}

/*
 * 0 when data[0..len) of type hashes to id; else frees data, notes the
 * failure and returns GIT_EMISMATCH with libgit2's error set.
 */
static int check(git_odb_backend *b, int kind, const git_oid *id, void *data,
		 size_t len, git_object_t type)
{
	unsigned char got[GIT_OID_RAWSZ];
	char hex[GIT_OID_HEXSZ + 1];

	if (!pack_object_id(got, (int)type, data, len) &&
	    !memcmp(got, id->id, GIT_OID_RAWSZ))
		return 0;
	git_odb_backend_data_free(b, data);
	git_oid_tostr(hex, sizeof(hex), id);
	last.set = 1;
	last.packed = kind == PACKED;
	git_oid_cpy(&last.id, id);
	snprintf(last.msg, sizeof(last.msg), "object %s is corrupt: %s", hex,
		 kind == PACKED ? "hash mismatch in a pack"
				: "hash mismatch in a loose object");
	git_error_set_str(GIT_ERROR_ODB, last.msg);
	return GIT_EMISMATCH;
}

static int read_checked(int kind, void **data, size_t *len, git_object_t *type,
			git_odb_backend *b, const git_oid *id)
{
	int err = orig[kind].read(data, len, type, b, id);

	return err ? err : check(b, kind, id, *data, *len, *type);
}

static int read_loose(void **data, size_t *len, git_object_t *type,
		      git_odb_backend *b, const git_oid *id)
{
	return read_checked(LOOSE, data, len, type, b, id);
}

static int read_packed(void **data, size_t *len, git_object_t *type,
		       git_odb_backend *b, const git_oid *id)
{
	return read_checked(PACKED, data, len, type, b, id);
}

static int read_prefix_checked(int kind, git_oid *out, void **data, size_t *len,
			       git_object_t *type, git_odb_backend *b,
			       const git_oid *short_id, size_t n)
{
	int err = orig[kind].read_prefix(out, data, len, type, b, short_id, n);

	return err ? err : check(b, kind, out, *data, *len, *type);
}

static int read_prefix_loose(git_oid *out, void **data, size_t *len,
			     git_object_t *type, git_odb_backend *b,
			     const git_oid *short_id, size_t n)
{
	return read_prefix_checked(LOOSE, out, data, len, type, b, short_id, n);
}

static int read_prefix_packed(git_oid *out, void **data, size_t *len,
			      git_object_t *type, git_odb_backend *b,
			      const git_oid *short_id, size_t n)
{
	return read_prefix_checked(PACKED, out, data, len, type, b, short_id,
				   n);
}

int gs_odb_check(git_repository *repo, int packs)
{
	git_odb_backend *b;
	git_odb *odb;
	size_t i, n;

	pthread_once(&learned, learn);
	if (!orig[LOOSE].read || !orig[PACKED].read)
		return error_set(NFG_EIO, "cannot check objects: libgit2's "
					  "object backends are unknown");
	if (git_repository_odb(&odb, repo))
		return error_set(NFG_EIO, "cannot open the object database: %s",
				 gs_git_error());
	n = git_odb_num_backends(odb);
	for (i = 0; i < n; i++) {
		if (git_odb_get_backend(&b, odb, i))
			continue;
		if (b->read == orig[LOOSE].read) {
			b->read = read_loose;
			if (b->read_prefix == orig[LOOSE].read_prefix)
				b->read_prefix = read_prefix_loose;
		} else if (packs && b->read == orig[PACKED].read) {
			b->read = read_packed;
			if (b->read_prefix == orig[PACKED].read_prefix)
				b->read_prefix = read_prefix_packed;
		}
	}
	git_odb_free(odb);
	return 0;
}

int gs_odb_corrupt(git_repository *repo, git_oid *id, struct buf *why)
{
	const git_error *e = git_error_last();
	const char *common = git_repository_commondir(repo);
	char hex[GIT_OID_HEXSZ + 1];
	struct buf path;
	struct stat st;
	int err;

	if (!last.set || !e || e->klass != GIT_ERROR_ODB || !e->message ||
	    strcmp(e->message, last.msg))
		return 0;
	last.set = 0;
	git_oid_cpy(id, &last.id);
	git_oid_tostr(hex, sizeof(hex), id);
	buf_reset(why);
	if (last.packed) {
		buf_init(&path, 8192);
		err = gs_pack_of(common, id->id, &path);
		if (!err && path.len)
			buf_printf(why, "hash mismatch in '%s'", path.ptr);
		else if (!err)
			buf_puts(why, "hash mismatch in a pack outside "
				      "objects/pack");
		buf_release(&path);
		return err ? err : buf_failed(why) ? buf_failed(why) : 1;
	}
	/* Loose objects of alternates (or a hook's quarantine) are
	 * elsewhere: named as what they are. */
	buf_init(&path, 8192);
	buf_printf(&path, "%sobjects/%.2s/%s", common, hex, hex + 2);
	if (!buf_failed(&path) && !stat(path.ptr, &st))
		buf_printf(why, "hash mismatch in '%s'",
			   path.ptr + strlen(common));
	else
		buf_puts(why, "hash mismatch in a loose object outside "
			      "objects/");
	buf_release(&path);
	return buf_failed(why) ? buf_failed(why) : 1;
}

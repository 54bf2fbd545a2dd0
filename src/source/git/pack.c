/*
 * Pack order: where each blob sits in the repository's pack files, read
 * from the pack indexes (.idx version 2). Reading blobs in that order
 * keeps delta bases warm in libgit2's cache and reads the packs forward,
 * which is several times faster than reading them in id or walk order.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git/internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <git2/sys/odb_backend.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file at path mapped read-only, *size its size; NULL: unreadable. */
static void *map_file(const char *path, size_t *size)
{
	struct stat st;
	void *map = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && st.st_size) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			   0);
		*size = (size_t)st.st_size;
	}
	close(fd);
	return map == MAP_FAILED ? NULL : map;
}

/*
 * Maps the index at path of a pack of pack_len bytes and validates it.
 * 0 when usable; 1 when it is left to libgit2 (unreadable, or an older
 * format); NFG_EINVAL for a corrupt one (last error set, path named).
 */
static int idx_open(struct pack_map *pk, const char *path, uint64_t pack_len)
{
	char why[256];
	void *map;
	int err;

	if (!(map = map_file(path, &pk->idx_size)))
		return 1;
	pk->idx_map = map;
	err = pack_index_parse(&pk->idx, map, pk->idx_size, pack_len);
	if (!err)
		return 0;
	munmap(map, pk->idx_size);
	pk->idx_map = NULL;
	if (err == NFG_ENOTFOUND)
		return 1;
	/* error_set writes where error_last points: copy the reason first. */
	snprintf(why, sizeof(why), "%s", error_last());
	return error_set(NFG_EINVAL, "corrupt pack index '%s': %s", path, why);
}

struct place {
	uint64_t key; /* pack number << 40 | offset; 0 for loose objects */
	uint32_t blob;
};

static int cmp_place(const void *a, const void *b)
{
	const struct place *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->blob < y->blob ? -1 : x->blob > y->blob;
}

/*
 * Where the objects are: the common git dir, which a linked worktree's
 * own git dir is not.
 */
static const char *common_dir(const struct gitscan *gs)
{
	return git_repository_commondir(gs->repo);
}

/*
 * Calls fn for each usable pack index of the git folder gitdir (ending in
 * '/'), numbered from 1, with the pack's path. A corrupt index is
 * reported to gs (when not NULL) and its pack left to libgit2; an index
 * without its pack is ignored, as git ignores it.
 */
static int each_idx(const char *gitdir, struct gitscan *gs,
		    int (*fn)(void *ctx, struct pack_map *pk,
			      const char *pack_path, uint64_t packno),
		    void *ctx)
{
	struct buf dir, idx, pack;
	struct dirent *e;
	uint64_t packno = 0;
	int err = 0;
	DIR *d;

	buf_init(&dir, 8192);
	buf_init(&idx, 8192);
	buf_init(&pack, 8192);
	if (buf_printf(&dir, "%sobjects/pack", gitdir) ||
	    !(d = opendir(dir.ptr))) {
		buf_release(&dir);
		return 0; /* no packs: every object is loose */
	}
	while (!err && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct pack_map pk;
		struct stat st;

		if (len < 5 || strcmp(e->d_name + len - 4, ".idx"))
			continue;
		memset(&pk, 0, sizeof(pk));
		/* Fresh each time: a failed append fails all later ones. */
		buf_reset(&idx);
		buf_reset(&pack);
		buf_printf(&idx, "%s/%s", dir.ptr, e->d_name);
		buf_add(&pack, idx.ptr, idx.len - 4);
		if (buf_puts(&pack, ".pack")) {
			if (gs)
				gs_problem(gs, PROBLEM_ERROR,
					   "'%s/%s': path too long", dir.ptr,
					   e->d_name);
			continue;
		}
		if (!stat(pack.ptr, &st)) {
			int rc = idx_open(&pk, idx.ptr, (uint64_t)st.st_size);

			if (rc < 0 && gs)
				gs_problem(gs, PROBLEM_ERROR, "%s",
					   error_last());
			else if (!rc)
				err = fn(ctx, &pk, pack.ptr, ++packno);
			if (pk.idx_map)
				munmap((void *)pk.idx_map, pk.idx_size);
		}
	}
	closedir(d);
	buf_release(&dir);
	buf_release(&idx);
	buf_release(&pack);
	return err;
}

int gs_pack_order(struct gitscan *gs, uint32_t *order)
{
	struct place *pl = calloc(gs->nblobs ? gs->nblobs : 1, sizeof(*pl));
	uint32_t i;

	if (!pl)
		return error_nomem();
	for (i = 0; i < gs->nblobs; i++) {
		struct gblob *b = &gs->blobs[i];

		if (!b->pack)
			b->pack = gs_pack_find(gs, b->oid.id, &b->off);
		pl[i].key = b->pack ? (uint64_t)b->pack << 40 | b->off : 0;
		pl[i].blob = i;
	}
	qsort(pl, gs->nblobs, sizeof(*pl), cmp_place);
	for (i = 0; i < gs->nblobs; i++)
		order[i] = pl[i].blob;
	free(pl);
	return 0;
}

struct holder {
	const char *gitdir;
	const unsigned char *id;
	struct buf *out;
};

static int find_holder(void *ctx, struct pack_map *pk, const char *pack_path,
		       uint64_t packno)
{
	struct holder *h = ctx;

	(void)packno;
	if (h->out->len || pack_index_find(&pk->idx, h->id) == UINT64_MAX)
		return 0;
	return buf_puts(h->out, pack_path + strlen(h->gitdir));
}

int gs_pack_of(const char *gitdir, const unsigned char *id, struct buf *out)
{
	struct holder h = {gitdir, id, out};

	buf_reset(out);
	return each_idx(gitdir, NULL, find_holder, &h);
}

/* An object of a pack: where it starts, its id's index, its type. */
struct entry {
	uint64_t off;
	uint32_t pos;
	int type;
};

/* The entry at offset off (entries sorted by offset), or NULL. */
static struct entry *entry_at(struct entry *v, size_t n, uint64_t off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].off == off)
			return &v[mid];
		if (v[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * The type of the object at v[k] of the pack p (len bytes): its own, or
 * for a delta that of its base, followed down the chain by a loop and
 * given to every delta on the way (bases come first in a pack, so most
 * are known already). -1 when unreadable, too deep or looping.
 */
static int entry_type(struct entry *v, size_t n, size_t k,
		      const unsigned char *p, size_t len,
		      const struct pack_index *x, size_t *chain)
{
	struct pack_entry e;
	size_t depth = 0;
	uint64_t off;
	struct entry *b;
	int type;

	while (!(type = v[k].type)) {
		if (depth == PACK_CHAIN_MAX ||
		    pack_entry_header(&e, p, len, v[k].off)) {
			type = -1;
			break;
		}
		if (e.type != PACK_OFS_DELTA && e.type != PACK_REF_DELTA) {
			type = e.type;
			break;
		}
		/* Marked before moving on: a loop ends on a known type. */
		v[k].type = -1;
		chain[depth++] = k;
		off = e.type == PACK_OFS_DELTA ? e.base_off
					       : pack_index_find(x, e.base_id);
		if (!(b = entry_at(v, n, off))) {
			type = -1;
			break;
		}
		k = (size_t)(b - v);
	}
	v[k].type = type;
	while (depth)
		v[chain[--depth]].type = type;
	return type;
}

struct blobs_ctx {
	struct gitscan *gs;
	int list; /* list the blobs, or only map the packs */
	struct gblob *v;
	size_t n, cap;
	struct pack_map *packs;
	size_t npacks, cappacks;
};

/*
 * Maps the pack at pack_path whose index idx holds, as c->packs' next
 * entry, with its objects in offset order: 1 when it cannot be read here
 * (its blobs are then read the usual way), 0, or NFG_ENOMEM.
 */
static int map_pack(struct blobs_ctx *c, struct pack_map *idx,
		    const char *pack_path)
{
	struct gitscan *gs = c->gs;
	struct pack_map *pk;
	struct pack_place *by_off;
	struct pack_budget *budget;
	char *name;
	size_t size;
	void *map;
	int err;

	if (ARRAY_GROW(c->packs, c->npacks, c->cappacks))
		return error_nomem();
	if (!(map = map_file(pack_path, &size)))
		return 1;
	/* libgit2 refuses such a pack too: its objects cannot be read. */
	if (pack_header_check(map, size, idx->idx.n)) {
		gs_problem(gs, PROBLEM_ERROR, "corrupt pack '%s': %s",
			   pack_path + strlen(common_dir(gs)), error_last());
		munmap(map, size);
		return 1;
	}
	if ((err = pack_index_by_offset(&idx->idx, &by_off))) {
		munmap(map, size);
		if (err == NFG_ENOMEM)
			return err;
		gs_problem(gs, PROBLEM_ERROR, "corrupt pack index '%s': %s",
			   pack_path, error_last());
		return 1;
	}
	name = strdup(pack_path + strlen(common_dir(gs)));
	budget = calloc(1, sizeof(*budget));
	if (!name || !budget) {
		free(budget);
		free(name);
		free(by_off);
		munmap(map, size);
		return error_nomem();
	}
	/* The pack and its index stay mapped for the scan's readers. */
	pk = &c->packs[c->npacks++];
	*pk = *idx;
	pk->map = map;
	pk->len = size;
	pk->by_off = by_off;
	pk->name = name;
	pk->check_ids = gs->opts->strict_objects;
	/* size is at most a few TiB: the product fits in 64 bits. */
	budget->max = PACK_WORK_MAX + (uint64_t)size * PACK_SCAN_FACTOR;
	pk->budget = budget;
	idx->idx_map = NULL; /* now pk's to unmap */
	return 0;
}

static int list_pack_blobs(void *ctx, struct pack_map *idx,
			   const char *pack_path, uint64_t packno)
{
	struct blobs_ctx *c = ctx;
	const struct pack_index *x = &idx->idx;
	struct entry *v = NULL;
	size_t *chain = NULL;
	struct pack_map *pk;
	size_t i;
	int err;

	(void)packno;
	if ((err = map_pack(c, idx, pack_path)) || !c->list)
		goto done;
	pk = &c->packs[c->npacks - 1];
	v = calloc(x->n ? x->n : 1, sizeof(*v));
	chain = malloc(PACK_CHAIN_MAX * sizeof(*chain));
	if (!v || !chain) {
		err = error_nomem();
		goto done;
	}
	/* In pack order already: no sort. */
	for (i = 0; i < x->n; i++) {
		v[i].pos = pk->by_off[i].pos;
		v[i].off = pk->by_off[i].off;
	}
	for (i = 0; !err && i < x->n; i++) {
		if (entry_type(v, x->n, i, pk->map, pk->len, x, chain) !=
		    PACK_BLOB)
			continue;
		if ((err = ARRAY_GROW(c->v, c->n, c->cap)))
			break;
		memset(&c->v[c->n], 0, sizeof(c->v[0]));
		memcpy(c->v[c->n].oid.id, pack_index_id(x, v[i].pos), 20);
		c->v[c->n].pack = (uint32_t)c->npacks;
		c->v[c->n].off = v[i].off;
		findings_init(&c->v[c->n].hits);
		c->n++;
	}
done:
	free(chain);
	free(v);
	return err < 0 ? err : 0;
}

/* Maps the packs into gs; lists their blobs into c->v when c->list. */
static int map_packs(struct gitscan *gs, struct blobs_ctx *c)
{
	int err;

	c->gs = gs;
	err = each_idx(common_dir(gs), gs, list_pack_blobs, c);

	gs->packs = c->packs;
	gs->npacks = c->npacks;
	gs->tree_readers =
		calloc(c->npacks ? c->npacks : 1, sizeof(*gs->tree_readers));
	if (!err && !gs->tree_readers)
		err = error_nomem();
	if (!err)
		err = gs_guard_odb(gs, gs->repo, &gs->tree_readers);
	return err;
}

int gs_pack_map(struct gitscan *gs)
{
	struct blobs_ctx c;

	memset(&c, 0, sizeof(c));
	return map_packs(gs, &c);
}

int gs_pack_blobs(struct gitscan *gs, struct gblob **out, uint32_t *n)
{
	struct blobs_ctx c;
	int err;

	memset(&c, 0, sizeof(c));
	c.list = 1;
	err = map_packs(gs, &c);
	*out = c.v;
	*n = (uint32_t)c.n;
	return err;
}

uint32_t gs_pack_find(const struct gitscan *gs, const unsigned char *id,
		      uint64_t *off)
{
	size_t k;

	for (k = 0; k < gs->npacks; k++)
		if ((*off = pack_index_find(&gs->packs[k].idx, id)) !=
		    UINT64_MAX)
			return (uint32_t)k + 1;
	return 0;
}

/*
 * The reader of the mapped pack that holds id among readers (one slot
 * per mapped pack, made when first needed), *pk that pack and *off the
 * object's place; NULL when no mapped pack holds it or memory runs out.
 */
static struct pack_reader *reader_of(struct gitscan *gs,
				     struct pack_reader **readers,
				     const git_oid *id,
				     const struct pack_map **pk, uint64_t *off)
{
	uint32_t k = readers ? gs_pack_find(gs, id->id, off) : 0;

	if (!k)
		return NULL;
	*pk = &gs->packs[k - 1];
	if (!readers[k - 1] && pack_reader_new(&readers[k - 1], *pk))
		return NULL;
	return readers[k - 1];
}

int gs_pack_read(struct gitscan *gs, const git_oid *id, unsigned char **out,
		 size_t *len)
{
	const struct pack_map *pk;
	struct pack_reader *r;
	uint64_t off;
	int type, err;

	*out = NULL;
	if (!(r = reader_of(gs, gs->tree_readers, id, &pk, &off)))
		return NFG_ENOTFOUND;
	if (!(err = pack_reader_read(r, off, out, len, &type)))
		return 0;
	return gs_pack_failed(gs, pk, id, err);
}

/* gs_chain_check with the given readers (one slot per mapped pack). */
static int chain_check(struct gitscan *gs, struct pack_reader **readers,
		       const git_oid *id)
{
	const struct pack_map *pk;
	struct pack_reader *r;
	uint64_t off;
	int type, err;

	if (!(r = reader_of(gs, readers, id, &pk, &off)))
		return 0;
	if (!(err = pack_reader_type(r, off, &type)))
		return type;
	err = gs_pack_failed(gs, pk, id, err);
	return err == NFG_ENOTFOUND ? 0 : err;
}

int gs_chain_check(struct gitscan *gs, const git_oid *id)
{
	return chain_check(gs, gs->tree_readers, id);
}

/*
 * The guard: a backend of the highest priority that reads nothing, so
 * libgit2 asks it first for every object it reads, by whatever call
 * (revision parsing, a range's walk, peeling): it checks the object's
 * chain (chain_check) and passes the read on to the real backends, or
 * fails it.
 */
struct guard {
	git_odb_backend parent;
	struct gitscan *gs;
	struct pack_reader ***readers; /* the caller's, one per mapped pack */
};

static int guard_check(git_odb_backend *b, const git_oid *id)
{
	const struct guard *g = (const struct guard *)b;
	char hex[GIT_OID_HEXSZ + 1], msg[64];
	int err = chain_check(g->gs, *g->readers, id);

	if (err >= 0)
		return GIT_PASSTHROUGH;
	/* NFG_ELIMIT set libgit2's error; a corrupt object is reported. */
	if (err == NFG_ECORRUPT) {
		git_oid_tostr(hex, sizeof(hex), id);
		snprintf(msg, sizeof(msg), "object %s is corrupt", hex);
		git_error_set_str(GIT_ERROR_ODB, msg);
	}
	return GIT_ERROR;
}

static int guard_read(void **data, size_t *len, git_object_t *type,
		      git_odb_backend *b, const git_oid *id)
{
	(void)data;
	(void)len;
	(void)type;
	return guard_check(b, id);
}

static int guard_read_prefix(git_oid *out, void **data, size_t *len,
			     git_object_t *type, git_odb_backend *b,
			     const git_oid *short_id, size_t n)
{
	(void)out;
	(void)data;
	(void)len;
	(void)type;
	/* An abbreviated id names no object yet: the user's own revision. */
	return n < GIT_OID_HEXSZ ? GIT_PASSTHROUGH : guard_check(b, short_id);
}

static int guard_read_header(size_t *len, git_object_t *type,
			     git_odb_backend *b, const git_oid *id)
{
	(void)len;
	(void)type;
	return guard_check(b, id);
}

/* libgit2 lists every backend's objects, and retries reads after a
 * refresh only with backends that refresh: the guard is one. */
static int guard_foreach(git_odb_backend *b, git_odb_foreach_cb cb,
			 void *payload)
{
	(void)b;
	(void)cb;
	(void)payload;
	return 0;
}

static int guard_refresh(git_odb_backend *b)
{
	(void)b;
	return 0;
}

static void guard_free(git_odb_backend *b)
{
	free(b);
}

int gs_guard_odb(struct gitscan *gs, git_repository *repo,
		 struct pack_reader ***readers)
{
	struct guard *g = calloc(1, sizeof(*g));
	git_odb *odb = NULL;

	if (!g)
		return error_nomem();
	git_odb_init_backend(&g->parent, GIT_ODB_BACKEND_VERSION);
	g->parent.read = guard_read;
	g->parent.read_prefix = guard_read_prefix;
	g->parent.read_header = guard_read_header;
	g->parent.foreach = guard_foreach;
	g->parent.refresh = guard_refresh;
	g->parent.free = guard_free;
	g->gs = gs;
	g->readers = readers;
	if (git_repository_odb(&odb, repo) ||
	    git_odb_add_backend(odb, &g->parent, INT_MAX)) {
		git_odb_free(odb);
		free(g);
		return error_set(NFG_EIO,
				 "cannot guard the object database: %s",
				 gs_git_error());
	}
	git_odb_free(odb);
	return 0;
}

void gs_packs_release(struct gitscan *gs)
{
	size_t i;

	for (i = 0; i < gs->npacks; i++) {
		if (gs->tree_readers)
			pack_reader_free(gs->tree_readers[i]);
		munmap((void *)gs->packs[i].map, gs->packs[i].len);
		munmap((void *)gs->packs[i].idx_map, gs->packs[i].idx_size);
		free((void *)gs->packs[i].by_off);
		free((void *)gs->packs[i].name);
		free(gs->packs[i].budget);
	}
	free(gs->tree_readers);
	gs->tree_readers = NULL;
	free(gs->packs);
	gs->packs = NULL;
	gs->npacks = 0;
}

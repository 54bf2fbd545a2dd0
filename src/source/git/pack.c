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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Maps the index at path of a pack of pack_len bytes and validates it.
 * 0 when usable; 1 when it is left to libgit2 (unreadable, or an older
 * format); NFG_EINVAL for a corrupt one (last error set, path named).
 */
static int idx_open(struct pack_map *pk, const char *path, uint64_t pack_len)
{
	struct stat st;
	char why[256];
	void *map;
	int err, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 1;
	if (fstat(fd, &st) || !st.st_size) {
		close(fd);
		return 1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 1;
	pk->idx_map = map;
	pk->idx_size = (size_t)st.st_size;
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
 * Calls fn for each usable pack index of the repository, numbered from 1,
 * with the pack's path. A corrupt index is reported and its pack left to
 * libgit2; an index without its pack is ignored, as git ignores it.
 */
static int each_idx(struct gitscan *gs,
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
	if (buf_printf(&dir, "%sobjects/pack", gs->gitdir) ||
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
			gs_problem(gs, PROBLEM_ERROR, "'%s/%s': path too long",
				   dir.ptr, e->d_name);
			continue;
		}
		if (!stat(pack.ptr, &st)) {
			int rc = idx_open(&pk, idx.ptr, (uint64_t)st.st_size);

			if (rc < 0)
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

struct order_ctx {
	struct gitscan *gs;
	struct place *pl;
};

static int place_blobs(void *ctx, struct pack_map *pk, const char *pack_path,
		       uint64_t packno)
{
	struct order_ctx *c = ctx;
	uint32_t i;

	(void)pack_path;
	for (i = 0; i < c->gs->nblobs; i++) {
		uint64_t off;

		if (c->pl[i].key)
			continue;
		off = pack_index_find(&pk->idx, c->gs->blobs[i].oid.id);
		if (off != UINT64_MAX)
			c->pl[i].key = packno << 40 | off;
	}
	return 0;
}

int gs_pack_order(struct gitscan *gs, uint32_t *order)
{
	struct place *pl = calloc(gs->nblobs ? gs->nblobs : 1, sizeof(*pl));
	struct order_ctx c = {gs, pl};
	uint32_t i;

	if (!pl)
		return error_nomem();
	for (i = 0; i < gs->nblobs; i++)
		pl[i].blob = i;
	each_idx(gs, place_blobs, &c);
	qsort(pl, gs->nblobs, sizeof(*pl), cmp_place);
	for (i = 0; i < gs->nblobs; i++)
		order[i] = pl[i].blob;
	free(pl);
	return 0;
}

/* An object of a pack: where it starts, its id's index, its type. */
struct entry {
	uint64_t off;
	uint32_t pos;
	int type;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

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
	int list; /* list the blobs, or only map the packs */
	struct gblob *v;
	size_t n, cap;
	struct pack_map *packs;
	size_t npacks, cappacks;
};

static int list_pack_blobs(void *ctx, struct pack_map *idx,
			   const char *pack_path, uint64_t packno)
{
	struct blobs_ctx *c = ctx;
	const struct pack_index *x = &idx->idx;
	struct entry *v = NULL;
	size_t *chain = NULL;
	struct pack_map *pk;
	struct stat st;
	void *map;
	size_t i;
	int fd = -1, err;

	(void)packno;
	if ((err = ARRAY_GROW(c->packs, c->npacks, c->cappacks)))
		goto done;
	fd = open(pack_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !st.st_size)
		goto done; /* unreadable: its blobs are read the usual way */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		goto done;
	/* The pack and its index stay mapped for the scan's readers. */
	pk = &c->packs[c->npacks++];
	*pk = *idx;
	pk->map = map;
	pk->len = (size_t)st.st_size;
	idx->idx_map = NULL; /* now pk's to unmap */
	if (!c->list)
		goto done;
	v = calloc(x->n ? x->n : 1, sizeof(*v));
	chain = malloc(PACK_CHAIN_MAX * sizeof(*chain));
	if (!v || !chain) {
		err = error_nomem();
		goto done;
	}
	for (i = 0; i < x->n; i++) {
		v[i].off = pack_index_offset(x, (uint32_t)i);
		v[i].pos = (uint32_t)i;
	}
	qsort(v, x->n, sizeof(*v), cmp_entry);
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
	if (fd >= 0)
		close(fd);
	free(chain);
	free(v);
	return err;
}

/* Maps the packs into gs; lists their blobs into c->v when c->list. */
static int map_packs(struct gitscan *gs, struct blobs_ctx *c)
{
	int err = each_idx(gs, list_pack_blobs, c);

	gs->packs = c->packs;
	gs->npacks = c->npacks;
	gs->tree_readers =
		calloc(c->npacks ? c->npacks : 1, sizeof(*gs->tree_readers));
	if (!err && !gs->tree_readers)
		err = error_nomem();
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

struct pack_reader *gs_pack_reader(struct gitscan *gs, const git_oid *id,
				   uint64_t *off)
{
	size_t k;

	for (k = 0; k < gs->npacks; k++) {
		*off = pack_index_find(&gs->packs[k].idx, id->id);
		if (*off == UINT64_MAX)
			continue;
		if (!gs->tree_readers[k] &&
		    pack_reader_new(&gs->tree_readers[k], &gs->packs[k]))
			return NULL;
		return gs->tree_readers[k];
	}
	return NULL;
}

int gs_chain_check(struct gitscan *gs, const git_oid *id)
{
	struct pack_reader *r;
	uint64_t off;
	int type, err;

	if (!(r = gs_pack_reader(gs, id, &off)))
		return 0;
	err = pack_reader_type(r, off, &type);
	if (err == NFG_ELIMIT) {
		git_error_set_str(GIT_ERROR_ODB, error_last());
		return err;
	}
	return err ? 0 : type;
}

void gs_packs_release(struct gitscan *gs)
{
	size_t i;

	for (i = 0; i < gs->npacks; i++) {
		if (gs->tree_readers)
			pack_reader_free(gs->tree_readers[i]);
		munmap((void *)gs->packs[i].map, gs->packs[i].len);
		munmap((void *)gs->packs[i].idx_map, gs->packs[i].idx_size);
	}
	free(gs->tree_readers);
	gs->tree_readers = NULL;
	free(gs->packs);
	gs->packs = NULL;
	gs->npacks = 0;
}

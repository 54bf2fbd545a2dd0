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
#include "source/git_internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Maps and checks one .idx file; 0 when it is usable. */
static int idx_open(struct pack_idx *x, const char *path)
{
	struct stat st;
	size_t need;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(x, 0, sizeof(*x));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_size < 8 + 1024 + 40) {
		close(fd);
		return -1;
	}
	x->size = (size_t)st.st_size;
	x->map = mmap(NULL, x->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (x->map == MAP_FAILED) {
		x->map = NULL;
		return -1;
	}
	if (memcmp(x->map, "\377tOc", 4) || be32(x->map + 4) != 2)
		goto bad;
	x->n = be32(x->map + 8 + 255 * 4);
	/* header, fanout, ids, crcs, offsets, trailer */
	need = 8 + 1024 + (size_t)x->n * (20 + 4 + 4) + 40;
	if (need > x->size)
		goto bad;
	x->ids = x->map + 8 + 1024;
	x->offsets = x->ids + (size_t)x->n * 24;
	x->big_offsets = x->offsets + (size_t)x->n * 4;
	return 0;
bad:
	munmap((void *)x->map, x->size);
	x->map = NULL;
	return -1;
}

/* The offset of the object at position pos of the index. */
static uint64_t idx_offset(const struct pack_idx *x, uint32_t pos)
{
	uint32_t off = be32(x->offsets + (size_t)pos * 4);
	const unsigned char *b;

	if (!(off & 0x80000000u))
		return off;
	b = x->big_offsets + (size_t)(off & 0x7fffffffu) * 8;
	if (b + 8 > x->map + x->size - 40)
		return UINT64_MAX;
	return (uint64_t)be32(b) << 32 | be32(b + 4);
}

/* The offset of id in this pack, or UINT64_MAX when absent. */
static uint64_t idx_find(const struct pack_idx *x, const unsigned char *id)
{
	uint32_t lo = id[0] ? be32(x->map + 8 + (id[0] - 1) * 4) : 0;
	uint32_t hi = be32(x->map + 8 + id[0] * 4);

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(x->ids + (size_t)mid * 20, id, 20);

		if (!c)
			return idx_offset(x, mid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return UINT64_MAX;
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

/* Calls fn for each usable pack index of the repository, numbered from 1. */
static int each_idx(struct gitscan *gs,
		    int (*fn)(void *ctx, const struct pack_idx *x,
			      const char *idx_path, uint64_t packno),
		    void *ctx)
{
	struct buf dir;
	struct dirent *e;
	uint64_t packno = 0;
	int err = 0;
	DIR *d;

	buf_init(&dir, 8192);
	if (buf_printf(&dir, "%sobjects/pack", gs->gitdir) ||
	    !(d = opendir(dir.ptr))) {
		buf_release(&dir);
		return 0; /* no packs: every object is loose */
	}
	while (!err && (e = readdir(d))) {
		size_t len = strlen(e->d_name), mark = dir.len;
		struct pack_idx x;

		if (len < 5 || strcmp(e->d_name + len - 4, ".idx"))
			continue;
		if (!buf_printf(&dir, "/%s", e->d_name) &&
		    !idx_open(&x, dir.ptr)) {
			err = fn(ctx, &x, dir.ptr, ++packno);
			munmap((void *)x.map, x.size);
		}
		dir.len = mark;
		dir.ptr[mark] = '\0';
	}
	closedir(d);
	buf_release(&dir);
	return err;
}

struct order_ctx {
	struct gitscan *gs;
	struct place *pl;
};

static int place_blobs(void *ctx, const struct pack_idx *x,
		       const char *idx_path, uint64_t packno)
{
	struct order_ctx *c = ctx;
	uint32_t i;

	(void)idx_path;
	for (i = 0; i < c->gs->nblobs; i++) {
		uint64_t off;

		if (c->pl[i].key)
			continue;
		off = idx_find(x, c->gs->blobs[i].oid.id);
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
		return error_set(NFG_ENOMEM, "out of memory");
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

enum { OBJ_BLOB = 3, OBJ_OFS_DELTA = 6, OBJ_REF_DELTA = 7 };

/*
 * The type of the object at v[k] in the pack p (size len): its own, or
 * for a delta that of its base, followed through the chain (bases come
 * first in a pack, so most are known already). -1 when unreadable.
 */
static int entry_type(struct entry *v, size_t n, size_t k,
		      const unsigned char *p, size_t len,
		      const struct pack_idx *x, int depth)
{
	uint64_t off = v[k].off, base;
	const unsigned char *q;
	struct entry *b;
	int type;

	if (v[k].type)
		return v[k].type;
	if (off >= len || depth > 10000)
		return -1;
	q = p + off;
	type = (*q >> 4) & 7;
	while (*q & 0x80)
		if (++q >= p + len)
			return -1;
	q++;
	if (type == OBJ_OFS_DELTA) {
		if (q >= p + len)
			return -1;
		base = *q & 0x7f;
		while (*q & 0x80) {
			if (++q >= p + len)
				return -1;
			base = ((base + 1) << 7) | (*q & 0x7f);
		}
		if (base > off || !(b = entry_at(v, n, off - base)))
			return -1;
		type = entry_type(v, n, (size_t)(b - v), p, len, x, depth + 1);
	} else if (type == OBJ_REF_DELTA) {
		uint64_t boff;

		if (q + 20 > p + len || (boff = idx_find(x, q)) == UINT64_MAX ||
		    !(b = entry_at(v, n, boff)))
			return -1;
		type = entry_type(v, n, (size_t)(b - v), p, len, x, depth + 1);
	}
	v[k].type = type;
	return type;
}

struct blobs_ctx {
	struct gblob *v;
	size_t n, cap;
	struct pack_map *packs;
	size_t npacks, cappacks;
};

static int list_pack_blobs(void *ctx, const struct pack_idx *x,
			   const char *idx_path, uint64_t packno)
{
	struct blobs_ctx *c = ctx;
	struct entry *v = calloc(x->n ? x->n : 1, sizeof(*v));
	struct pack_map *pk;
	struct buf pack;
	struct stat st;
	void *map;
	size_t i;
	int fd = -1, err = 0;

	(void)packno;
	buf_init(&pack, 8192);
	if (!v || buf_add(&pack, idx_path, strlen(idx_path) - 4) ||
	    buf_puts(&pack, ".pack") ||
	    (err = ARRAY_GROW(c->packs, c->npacks, c->cappacks))) {
		err = error_set(NFG_ENOMEM, "out of memory");
		goto done;
	}
	fd = open(pack.ptr, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !st.st_size)
		goto done; /* unreadable: its blobs are read the usual way */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		goto done;
	/* The pack and its index stay mapped for the scan's readers. */
	pk = &c->packs[c->npacks++];
	pk->map = map;
	pk->len = (size_t)st.st_size;
	/* Its own mapping of the index: each_idx unmaps the one it lent. */
	if (idx_open(&pk->idx, idx_path)) {
		c->npacks--;
		munmap(map, pk->len);
		goto done;
	}
	for (i = 0; i < x->n; i++) {
		v[i].off = idx_offset(x, (uint32_t)i);
		v[i].pos = (uint32_t)i;
	}
	qsort(v, x->n, sizeof(*v), cmp_entry);
	for (i = 0; !err && i < x->n; i++) {
		if (entry_type(v, x->n, i, pk->map, pk->len, x, 0) != OBJ_BLOB)
			continue;
		if ((err = ARRAY_GROW(c->v, c->n, c->cap)))
			break;
		memset(&c->v[c->n], 0, sizeof(c->v[0]));
		memcpy(c->v[c->n].oid.id, x->ids + (size_t)v[i].pos * 20, 20);
		c->v[c->n].pack = (uint32_t)c->npacks;
		c->v[c->n].off = v[i].off;
		findings_init(&c->v[c->n].hits);
		c->n++;
	}
done:
	if (fd >= 0)
		close(fd);
	buf_release(&pack);
	free(v);
	return err;
}

int gs_pack_blobs(struct gitscan *gs, struct gblob **out, uint32_t *n)
{
	struct blobs_ctx c;
	int err;

	memset(&c, 0, sizeof(c));
	err = each_idx(gs, list_pack_blobs, &c);
	*out = c.v;
	*n = (uint32_t)c.n;
	gs->packs = c.packs;
	gs->npacks = c.npacks;
	gs->tree_readers =
		calloc(c.npacks ? c.npacks : 1, sizeof(*gs->tree_readers));
	if (!err && !gs->tree_readers)
		err = error_set(NFG_ENOMEM, "out of memory");
	return err;
}

void gs_packs_release(struct gitscan *gs)
{
	size_t i;

	for (i = 0; i < gs->npacks; i++) {
		if (gs->tree_readers)
			pack_reader_free(gs->tree_readers[i]);
		munmap((void *)gs->packs[i].map, gs->packs[i].len);
		munmap((void *)gs->packs[i].idx.map, gs->packs[i].idx.size);
	}
	free(gs->tree_readers);
	gs->tree_readers = NULL;
	free(gs->packs);
	gs->packs = NULL;
	gs->npacks = 0;
}

uint64_t pack_idx_find(const struct pack_map *pk, const unsigned char *id)
{
	return idx_find(&pk->idx, id);
}

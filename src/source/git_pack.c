/*
 * Pack order: where each blob sits in the repository's pack files, read
 * from the pack indexes (.idx version 2). Reading blobs in that order
 * keeps delta bases warm in libgit2's cache and reads the packs forward,
 * which is several times faster than reading them in id or walk order.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "source/git_internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct pack_idx {
	const unsigned char *map;
	size_t size;
	uint32_t n;
	const unsigned char *ids, *offsets, *big_offsets;
};

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

/* The offset of id in this pack, or UINT64_MAX when absent. */
static uint64_t idx_find(const struct pack_idx *x, const unsigned char *id)
{
	uint32_t lo = id[0] ? be32(x->map + 8 + (id[0] - 1) * 4) : 0;
	uint32_t hi = be32(x->map + 8 + id[0] * 4);

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(x->ids + (size_t)mid * 20, id, 20);

		if (!c) {
			uint32_t off = be32(x->offsets + (size_t)mid * 4);
			const unsigned char *b;

			if (!(off & 0x80000000u))
				return off;
			b = x->big_offsets + (size_t)(off & 0x7fffffffu) * 8;
			if (b + 8 > x->map + x->size - 40)
				return UINT64_MAX;
			return (uint64_t)be32(b) << 32 | be32(b + 4);
		}
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

int gs_pack_order(struct gitscan *gs, uint32_t *order)
{
	struct place *pl = calloc(gs->nblobs ? gs->nblobs : 1, sizeof(*pl));
	struct buf dir;
	struct dirent *e;
	uint64_t packno = 0;
	uint32_t i;
	DIR *d;

	if (!pl)
		return error_set(NFG_ENOMEM, "out of memory");
	for (i = 0; i < gs->nblobs; i++)
		pl[i].blob = i;
	buf_init(&dir, 8192);
	if (!buf_printf(&dir, "%sobjects/pack", gs->gitdir) &&
	    (d = opendir(dir.ptr))) {
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name), mark = dir.len;
			struct pack_idx x;

			if (len < 5 || strcmp(e->d_name + len - 4, ".idx"))
				continue;
			if (buf_printf(&dir, "/%s", e->d_name) ||
			    idx_open(&x, dir.ptr)) {
				dir.len = mark;
				dir.ptr[mark] = '\0';
				continue;
			}
			dir.len = mark;
			dir.ptr[mark] = '\0';
			packno++;
			for (i = 0; i < gs->nblobs; i++) {
				uint64_t off;

				if (pl[i].key)
					continue;
				off = idx_find(&x, gs->blobs[i].oid.id);
				if (off != UINT64_MAX)
					pl[i].key = packno << 40 | off;
			}
			munmap((void *)x.map, x.size);
		}
		closedir(d);
	}
	buf_release(&dir);
	qsort(pl, gs->nblobs, sizeof(*pl), cmp_place);
	for (i = 0; i < gs->nblobs; i++)
		order[i] = pl[i].blob;
	free(pl);
	return 0;
}

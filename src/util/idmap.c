/*
 * Open-addressing map keyed by object ids. The ids are already hashes, so
 * their first bytes serve as the hash; the table doubles at 50% load.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/idmap.h"

void idmap_init(struct idmap *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->n = 0;
}

void idmap_release(struct idmap *m)
{
	free(m->slots);
	idmap_init(m);
}

static size_t hash_id(const unsigned char *id)
{
	uint64_t h;

	memcpy(&h, id, sizeof(h));
	return (size_t)h;
}

static struct idmap_slot *find(const struct idmap *m, const unsigned char *id)
{
	size_t mask = m->cap - 1, i = hash_id(id) & mask;

	while (m->slots[i].used && memcmp(m->slots[i].id, id, ID_LEN))
		i = (i + 1) & mask;
	return &m->slots[i];
}

uint32_t *idmap_get(const struct idmap *m, const unsigned char *id)
{
	struct idmap_slot *s;

	if (!m->cap)
		return NULL;
	s = find(m, id);
	return s->used ? &s->value : NULL;
}

static int grow(struct idmap *m)
{
	struct idmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 1024;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return error_nomem();
	}
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].used)
			*find(m, old.slots[i].id) = old.slots[i];
	free(old.slots);
	return 0;
}

int idmap_put(struct idmap *m, const unsigned char *id, uint32_t value,
	      int *existed, uint32_t **slot)
{
	struct idmap_slot *s;
	int err;

	if ((m->n + 1) * 2 > m->cap && (err = grow(m)))
		return err;
	s = find(m, id);
	if (existed)
		*existed = s->used != 0;
	if (!s->used) {
		memcpy(s->id, id, ID_LEN);
		s->value = value;
		s->used = 1;
		m->n++;
	}
	if (slot)
		*slot = &s->value;
	return 0;
}

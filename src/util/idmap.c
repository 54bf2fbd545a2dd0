/*
 * Open-addressing map keyed by object ids: 32-byte slots, none across
 * two cache lines, a keyed hash of the whole id, linear probing, doubling at
 * 50% load.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/idmap.h"

#include <pthread.h>
#include <sys/random.h>

static uint64_t hash_key[3];
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

static void hash_key_init(void)
{
	/* Without entropy the map still works; only its guard is weaker. */
	if (getrandom(hash_key, sizeof(hash_key), 0) != sizeof(hash_key)) {
		hash_key[0] = 0x243F6A8885A308D3ull;
		hash_key[1] = 0x13198A2E03707344ull;
		hash_key[2] = 0xA4093822299F31D0ull;
	}
}

void idmap_init(struct idmap *m)
{
	m->slots = NULL;
	m->mem = NULL;
	m->cap = 0;
	m->n = 0;
}

void idmap_release(struct idmap *m)
{
	free(m->mem);
	idmap_init(m);
}

static size_t hash_id(const unsigned char *id)
{
	uint64_t w[3] = {0, 0, 0}, h;

	memcpy(&w[0], id, 8);
	memcpy(&w[1], id + 8, 8);
	memcpy(&w[2], id + 16, 4);
	h = (w[0] ^ hash_key[0]) * 0x9E3779B97F4A7C15ull;
	h = ((h ^ (h >> 32)) ^ w[1] ^ hash_key[1]) * 0xBF58476D1CE4E5B9ull;
	h = ((h ^ (h >> 29)) ^ w[2] ^ hash_key[2]) * 0x94D049BB133111EBull;
	return (size_t)(h ^ (h >> 32));
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

	/* Before any id is hashed: a map hashes only once it has slots. */
	pthread_once(&hash_once, hash_key_init);
	m->cap = old.cap ? old.cap * 2 : 1024;
	/* calloc's pages come zeroed for free; one slot more to align. */
	if (!(m->mem = calloc(m->cap + 1, sizeof(*m->slots)))) {
		*m = old;
		return error_nomem();
	}
	m->slots = (struct idmap_slot *)(((uintptr_t)m->mem + 31) &
					 ~(uintptr_t)31);
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].used)
			*find(m, old.slots[i].id) = old.slots[i];
	free(old.mem);
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

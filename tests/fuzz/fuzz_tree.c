/*
 * Fuzzes the tree object parser: tree_entry_next (tree_entry.c) and the
 * cursor the history walk reads trees with (gs_tree_next, tree.c), on the
 * input as a tree's bytes. The oracle: each entry lies inside the input
 * and, written back out, is exactly the bytes it was parsed from; the two
 * readers see the same entries; a refusal says why and a naive reader
 * agrees that the bytes left are no entry.
 */
#include "fuzz.h"
#include "util/error.h"
#include "source/git/internal.h"
#include "source/git/tree_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gs_tree_next sets libgit2's error on a malformed tree: set up once. */
static int git_ready;

/* 1 when at[0..len) starts with a whole entry, as git writes them. */
static int naive_entry(const uint8_t *at, size_t len)
{
	size_t i = 0, digits;

	while (i < len && at[i] >= '0' && at[i] <= '7')
		i++;
	digits = i;
	if (digits < 1 || digits > 7 || i == len || at[i++] != ' ')
		return 0;
	while (i < len && at[i])
		i++;
	return i < len && len - i - 1 >= 20;
}

/* The entry e, parsed from at[0..len), written back out equals it. */
static void check_entry(const struct tree_entry *e, const uint8_t *at,
			size_t len, const uint8_t *end)
{
	const uint8_t *name = (const uint8_t *)e->name;
	char mode[16];
	int digits;

	FUZZ_CHECK(name > at && name + e->name_len < end);
	FUZZ_CHECK(e->id == name + e->name_len + 1 && e->id + 20 <= end);
	FUZZ_CHECK(strlen(e->name) == e->name_len);
	FUZZ_CHECK(len == (size_t)(name - at) + e->name_len + 1 + 20);
	digits = (int)(name - at) - 1;
	FUZZ_CHECK(digits >= 1 && digits <= 7);
	snprintf(mode, sizeof(mode), "%0*o ", digits, e->mode);
	FUZZ_CHECK(strlen(mode) == (size_t)digits + 1);
	FUZZ_CHECK(!memcmp(mode, at, (size_t)digits + 1));
	FUZZ_CHECK(!memcmp(e->name, name, e->name_len + 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *at;
	struct tree_cursor cur;
	struct tree_entry e;
	const char *name;
	unsigned mode;
	git_oid id;
	int rc, crc;

	if (!git_ready && git_libgit2_init() > 0)
		git_ready = 1;
	memset(&cur, 0, sizeof(cur));
	cur.p = data;
	cur.end = end;
	for (;;) {
		at = p;
		error_clear();
		rc = tree_entry_next(&e, &p, end);
		crc = gs_tree_next(&cur, &mode, &name, &id);
		if (rc <= 0)
			break;
		FUZZ_CHECK(naive_entry(at, (size_t)(end - at)));
		FUZZ_CHECK(p > at && p <= end);
		check_entry(&e, at, (size_t)(p - at), end);
		FUZZ_CHECK(crc == 1 && cur.p == p && mode == e.mode);
		FUZZ_CHECK(name == e.name && !memcmp(id.id, e.id, 20));
	}
	if (rc == 0) {
		FUZZ_CHECK(p == end && crc == 0);
		return 0;
	}
	FUZZ_CHECK(rc == NFG_EINVAL && p == at);
	FUZZ_CHECK(!strcmp(error_last(), "malformed tree"));
	FUZZ_CHECK(!naive_entry(at, (size_t)(end - at)));
	FUZZ_CHECK(crc < 0 && cur.p == end);
	return 0;
}

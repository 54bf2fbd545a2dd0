/*
 * Token groups: the findings of a list grouped by distinct (rule, token),
 * the one model of "one token" that verification, revocation and the
 * reports' per-token summaries share. Groups are ordered by the token's
 * digest, then rule, so the groups of one token (under several rules) are
 * adjacent.
 *
 * Ownership: struct token_groups is caller-owned (token_groups_build /
 * token_groups_release) and holds indexes into the list it was built
 * from, which must not be reordered, grown or shrunk while it is used.
 */
#ifndef NFG_FINDING_GROUP_H
#define NFG_FINDING_GROUP_H

#include <stddef.h>

#include "finding/finding.h"

/* Group i is order[v[i].first .. v[i].first + v[i].n). */
struct token_group {
	size_t first; /* index into order */
	size_t n;     /* findings in the group, >= 1 */
};
struct token_groups {
	size_t *order; /* finding indexes by digest, rule, then index */
	struct token_group *v;
	size_t n;
};

/*
 * Groups l's findings by their digest and rule (compared by address).
 * Within a group, findings keep their order in l. 0 or NFG_ENOMEM (t is
 * then zeroed).
 */
int token_groups_build(struct token_groups *t, const struct findings *l);
/* Frees and zeroes t. Accepts NULL and a zeroed struct. */
void token_groups_release(struct token_groups *t);

/* The index in the list of finding k (0-based) of group i. */
static inline size_t token_groups_at(const struct token_groups *t, size_t i,
				     size_t k)
{
	return t->order[t->v[i].first + k];
}

#endif

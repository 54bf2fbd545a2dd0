/*
 * What verification left in a list of findings: distinct tokens by
 * status and the unknown ones by reason, for the report's counts and the
 * one line on standard error that says why tokens could not be verified.
 */
#include "util/common.h"
#include "util/error.h"
#include "finding/group.h"
#include "verify/verify.h"

#define NOT_VERIFIED "not verified"

void verify_summary_release(struct verify_summary *s)
{
	if (!s)
		return;
	free(s->reasons);
	memset(s, 0, sizeof(*s));
}

static int cmp_reason(const void *a, const void *b)
{
	const struct verify_reason_count *x = a, *y = b;

	if (x->tokens != y->tokens)
		return x->tokens > y->tokens ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

/* Counts one more unknown token for reason (at most one entry each). */
static void add_reason(struct verify_summary *s, const char *reason)
{
	size_t i;

	for (i = 0; i < s->nreasons; i++)
		/* the first nreasons are set (build zeroes nreasons) */
		/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
		if (!strcmp(s->reasons[i].reason, reason))
			break;
	if (i == s->nreasons) {
		s->reasons[i].reason = reason;
		s->reasons[i].tokens = 0;
		s->nreasons++;
	}
	s->reasons[i].tokens++;
}

int verify_summary_build(struct verify_summary *s, const struct findings *l)
{
	struct token_groups tg;
	size_t i;
	int err;

	memset(s, 0, sizeof(*s));
	if ((err = token_groups_build(&tg, l)))
		return err;
	/* One entry per unknown token at most. */
	s->reasons = calloc(tg.n ? tg.n : 1, sizeof(*s->reasons));
	if (!s->reasons) {
		token_groups_release(&tg);
		return error_nomem();
	}
	for (i = 0; i < tg.n; i++) {
		const struct verification *v =
			&l->v[token_groups_at(&tg, i, 0)].verification;

		s->tokens++;
		if (v->status == VERIFICATION_LIVE) {
			s->live++;
		} else if (v->status == VERIFICATION_INVALID) {
			s->invalid++;
		} else {
			s->unknown++;
			add_reason(s, v->status == VERIFICATION_UNKNOWN &&
						      v->reason && *v->reason
					      ? v->reason
					      : NOT_VERIFIED);
		}
	}
	qsort(s->reasons, s->nreasons, sizeof(*s->reasons), cmp_reason);
	token_groups_release(&tg);
	return 0;
}

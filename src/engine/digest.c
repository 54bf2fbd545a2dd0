/*
 * The identity of a rule set: a SHA-256 over the fields of each rule
 * that decide what is found and how it is checked, so that reports
 * (merge) and state files (--state) made with other rules are told apart.
 */
#include "util/common.h"
#include "util/sha256.h"
#include "engine/engine.h"

/* A length, 8 bytes big-endian; UINT64_MAX stands for a missing string. */
static void put_len(struct sha256 *c, uint64_t n)
{
	unsigned char b[8];
	size_t i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(n >> (56 - 8 * i));
	sha256_update(c, b, sizeof(b));
}

static void put_str(struct sha256 *c, const char *s)
{
	if (!s) {
		put_len(c, UINT64_MAX);
		return;
	}
	put_len(c, strlen(s));
	sha256_update(c, s, strlen(s));
}

static void put_strv(struct sha256 *c, char *const *v, size_t n)
{
	size_t i;

	put_len(c, n);
	for (i = 0; i < n; i++)
		put_str(c, v[i]);
}

void ruleset_digest(const struct ruleset *rs,
		    unsigned char out[RULESET_DIGEST_LEN])
{
	struct sha256 c;
	char entropy[40];
	size_t i, n = ruleset_count(rs);

	sha256_init(&c);
	put_len(&c, n);
	for (i = 0; i < n; i++) {
		const struct rule_spec *r = ruleset_rule(rs, i);

		put_str(&c, r->id);
		put_str(&c, r->severity);
		put_str(&c, r->pattern);
		put_strv(&c, r->keywords, r->nkeywords);
		put_len(&c, r->min_length);
		put_len(&c, r->max_length);
		snprintf(entropy, sizeof(entropy), "%.17g", r->min_entropy);
		put_str(&c, entropy);
		put_strv(&c, r->stopwords, r->nstopwords);
		put_strv(&c, r->allow_paths, r->nallow_paths);
		put_strv(&c, r->allow_values, r->nallow_values);
		put_str(&c, r->verify_json);
		put_str(&c, r->revoke_json);
	}
	sha256_final(&c, out);
}

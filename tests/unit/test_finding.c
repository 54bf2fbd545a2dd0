/*
 * Unit tests of the finding model: redaction, fingerprints, copies that
 * own their strings, the sort order reports rely on, and token groups.
 */
#include "util/common.h"
#include "util/sha256.h"
#include "finding/finding.h"
#include "finding/group.h"

#include <setjmp.h>
#include <cmocka.h>

static char *keywords[] = {"nf_"
			   "at_"};
static struct rule_spec rule = {
	.id = "r", .keywords = keywords, .nkeywords = 1};

/* A token with a fixed, obviously fake body, built at run time. */
static void make_token(char *out, size_t body)
{
	size_t i;

	memcpy(out, keywords[0], 6);
	for (i = 0; i < body; i++)
		out[6 + i] = (char)('a' + i % 26);
	out[6 + body] = '\0';
}

static void test_redact(void **state)
{
	/*
	 * Body length -> the head and tail shown around U+2026: R = min(8,
	 * floor(B / 4), B - 13) characters, none when R <= 0, the head
	 * taking the odd one. Bodies are "abc...z" repeated; 16 and 256
	 * are the built-in rule's min_length and max_length.
	 */
	static const struct {
		size_t body;
		const char *head, *tail;
	} cases[] = {
		{0, "", ""},	      {8, "", ""},
		{13, "", ""},	      {14, "a", ""},
		{15, "a", "o"},	      {16, "ab", "p"},
		{17, "ab", "pq"},     {20, "abc", "st"},
		{21, "abc", "tu"},    {24, "abc", "vwx"},
		{28, "abcd", "zab"},  {31, "abcd", "cde"},
		{32, "abcd", "cdef"}, {43, "abcd", "nopq"},
		{44, "abcd", "opqr"}, {256, "abcd", "stuv"},
	};
	char tok[6 + 256 + 1], want[64];
	char *r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_token(tok, cases[i].body);
		r = redact_secret(tok, strlen(tok), 6);
		snprintf(want, sizeof(want), "nf_at_%s\xe2\x80\xa6%s",
			 cases[i].head, cases[i].tail);
		assert_non_null(r);
		assert_string_equal(r, want);
		free(r);
	}
}

static void test_init_from_hit(void **state)
{
	char tok[64], hex[65], want[80];
	unsigned char d[FINGERPRINT_DIGEST_LEN];
	struct hit h;
	struct finding f;

	(void)state;
	make_token(tok, 30);
	memset(&h, 0, sizeof(h));
	h.rule = 0;
	h.secret = tok;
	h.len = strlen(tok);
	h.offset = 100;
	h.line = 3;
	h.column = 7;
	h.end_column = 7 + h.len;
	assert_int_equal(finding_init_hit(&f, &rule, &h, "a/b.env"), 0);
	sha256_hex(tok, strlen(tok), hex);
	snprintf(want, sizeof(want), "sha256:%s", hex);
	assert_string_equal(f.fingerprint, want);
	assert_int_equal(strlen(f.fingerprint), FINGERPRINT_LEN);
	/* the raw digest is the one the text spells */
	assert_int_equal(fingerprint_decode(f.fingerprint, d), 0);
	assert_memory_equal(f.digest, d, sizeof(d));
	assert_string_equal(f.secret, tok);
	assert_string_equal(f.path, "a/b.env");
	/* a 30-byte body shows 4 + 3 (a quarter of it, rounded down) */
	assert_string_equal(f.redacted, "nf_at_abcd\xe2\x80\xa6"
					"bcd");
	assert_int_equal(f.line, 3);
	assert_int_equal(f.column, 7);
	assert_int_equal(f.end_column, 7 + 36);
	assert_int_equal(f.reachable, -1);
	assert_null(f.commit);
	finding_release(&f);
	assert_null(f.secret);
}

static void test_clone_owns_strings(void **state)
{
	char tok[64];
	struct hit h = {0};
	struct finding a, b;

	(void)state;
	make_token(tok, 24);
	h.secret = tok;
	h.len = strlen(tok);
	assert_int_equal(finding_init_hit(&a, &rule, &h, "x"), 0);
	a.commit = strdup("c0ffee");
	assert_int_equal(finding_clone(&b, &a), 0);
	assert_ptr_not_equal(a.secret, b.secret);
	assert_ptr_not_equal(a.commit, b.commit);
	assert_string_equal(b.commit, "c0ffee");
	assert_string_equal(b.secret, tok);
	assert_string_equal(b.fingerprint, a.fingerprint);
	assert_memory_equal(b.digest, a.digest, sizeof(a.digest));
	finding_release(&a);
	assert_string_equal(b.secret, tok);
	finding_release(&b);
}

/* Copies of the secret in an API's answer become its redacted form. */
static void test_scrub_answers(void **state)
{
	char tok[64], text[256], want[256];
	struct hit h = {0};
	struct finding f;
	struct verification v = {0};
	struct revocation rv = {0};

	(void)state;
	make_token(tok, 32);
	h.secret = tok;
	h.len = strlen(tok);
	assert_int_equal(finding_init_hit(&f, &rule, &h, "x"), 0);
	snprintf(text, sizeof(text), "a%s%s-b %s", tok, tok, tok);
	v.request_id = strdup(text);
	v.project_name = strdup("plain");
	rv.reason = strdup(tok);
	finding_scrub_answers(&f, &v, &rv);
	snprintf(want, sizeof(want), "a%s%s-b %s", f.redacted, f.redacted,
		 f.redacted);
	assert_string_equal(v.request_id, want);
	assert_string_equal(v.project_name, "plain");
	assert_string_equal(rv.reason, f.redacted);
	finding_scrub_answers(&f, NULL, NULL);
	verification_release(&v);
	revocation_release(&rv);
	finding_release(&f);
}

static void test_sort_and_merge(void **state)
{
	static const char *const paths[] = {"b", "a", "a", "\xff", "A"};
	static const uint64_t offsets[] = {5, 9, 2, 0, 7};
	struct findings l, m;
	char tok[64];
	size_t i;

	(void)state;
	findings_init(&l);
	findings_init(&m);
	make_token(tok, 20);
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		struct hit h = {0};
		struct finding f;

		h.secret = tok;
		h.len = strlen(tok);
		h.offset = offsets[i];
		assert_int_equal(finding_init_hit(&f, &rule, &h, paths[i]), 0);
		assert_int_equal(findings_push(i < 2 ? &l : &m, &f), 0);
	}
	assert_int_equal(findings_merge(&l, &m), 0);
	assert_int_equal(m.n, 0);
	assert_int_equal(l.n, 5);
	findings_sort(&l);
	/* bytewise path order, then offset */
	assert_string_equal(l.v[0].path, "A");
	assert_string_equal(l.v[1].path, "a");
	assert_int_equal(l.v[1].offset, 2);
	assert_string_equal(l.v[2].path, "a");
	assert_int_equal(l.v[2].offset, 9);
	assert_string_equal(l.v[3].path, "b");
	assert_string_equal(l.v[4].path, "\xff");
	findings_release(&l);
	assert_int_equal(l.n, 0);
}

/* Pushes a finding of a token with a body of `body` bytes under r. */
static void push_token(struct findings *l, const struct rule_spec *r,
		       size_t body)
{
	char tok[64];
	struct hit h = {0};
	struct finding f;

	make_token(tok, body);
	h.secret = tok;
	h.len = strlen(tok);
	assert_int_equal(finding_init_hit(&f, r, &h, "x"), 0);
	assert_int_equal(findings_push(l, &f), 0);
}

static void test_token_groups(void **state)
{
	struct rule_spec other = rule;
	struct findings l;
	struct token_groups t;
	size_t i, k, seen = 0;

	(void)state;
	findings_init(&l);
	assert_int_equal(token_groups_build(&t, &l), 0);
	assert_int_equal(t.n, 0);
	token_groups_release(&t);
	/* token 20 twice under rule, once under other; token 24 once */
	push_token(&l, &rule, 20);
	push_token(&l, &rule, 24);
	push_token(&l, &other, 20);
	push_token(&l, &rule, 20);
	assert_int_equal(token_groups_build(&t, &l), 0);
	assert_int_equal(t.n, 3);
	for (i = 0; i < t.n; i++) {
		const struct finding *first = &l.v[token_groups_at(&t, i, 0)];

		for (k = 0; k < t.v[i].n; k++) {
			const struct finding *f =
				&l.v[token_groups_at(&t, i, k)];

			assert_ptr_equal(f->rule, first->rule);
			assert_memory_equal(f->digest, first->digest,
					    sizeof(f->digest));
			/* within a group, findings keep the list's order */
			if (k)
				assert_true(token_groups_at(&t, i, k) >
					    token_groups_at(&t, i, k - 1));
		}
		/* groups ordered by fingerprint */
		if (i)
			assert_true(strcmp(l.v[token_groups_at(&t, i - 1, 0)]
						   .fingerprint,
					   first->fingerprint) <= 0);
		seen += t.v[i].n;
	}
	assert_int_equal(seen, 4);
	token_groups_release(&t);
	token_groups_release(&t);
	token_groups_release(NULL);
	findings_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_init_from_hit),
		cmocka_unit_test(test_clone_owns_strings),
		cmocka_unit_test(test_scrub_answers),
		cmocka_unit_test(test_sort_and_merge),
		cmocka_unit_test(test_token_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the sweep state: the strict parser on memory buffers
 * (what it refuses and why), the text it writes reading back as itself,
 * and a run's operations: recording, confirming, settling what an
 * interrupted run left, and forgetting all when the rules changed.
 */
#include "util/common.h"
#include "util/error.h"
#include "sweep/state.h"

#include <setjmp.h>
#include <cmocka.h>

#define TIP_A "1111111111111111111111111111111111111111"
#define TIP_B "2222222222222222222222222222222222222222"
#define FP_A                                                                   \
	"sha256:"                                                              \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_B                                                                   \
	"sha256:"                                                              \
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HEAD "{\"version\": 1, \"rules\": \"" FP_A "\", "

static int parse(struct state *s, const char *text)
{
	state_init(s);
	return state_parse(s, text, strlen(text));
}

/* text is refused with code and the message why. */
static void refused(const char *text, int code, const char *why)
{
	struct state s;

	assert_int_equal(parse(&s, text), code);
	assert_string_equal(error_last(), why);
	assert_int_equal(s.n, 0);
	state_release(&s);
}

static void test_parse(void **unused)
{
	struct state s;
	const struct state_repo *r;

	(void)unused;
	assert_int_equal(parse(&s, HEAD
			       "\"repositories\": [{\"key\": \"/srv/a\", "
			       "\"tips\": [\"" TIP_A "\", \"" TIP_B "\"], "
			       "\"reported\": [\"" FP_B "\"]}, "
			       "{\"key\": \"host/b\", \"tips\": [], "
			       "\"reported\": [], \"pending_tips\": [\"" TIP_A
			       "\"], \"pending\": [\"" FP_A "\"]}]}\n"),
			 0);
	assert_int_equal(s.has_rules, 1);
	assert_int_equal(s.rules[0], 0xaa);
	assert_int_equal(s.n, 2);
	r = state_find(&s, "/srv/a");
	assert_non_null(r);
	assert_int_equal(r->ntips, 2);
	assert_int_equal(r->tips[20], 0x22);
	assert_int_equal(r->nreported, 1);
	assert_int_equal(r->pending, 0);
	r = state_find(&s, "host/b");
	assert_non_null(r);
	assert_int_equal(r->pending, 1);
	assert_int_equal(r->npending_tips, 1);
	assert_int_equal(r->npending_found, 1);
	assert_null(state_find(&s, "host/c"));
	state_release(&s);
}

static void test_refused(void **unused)
{
	(void)unused;
	refused("", NFG_EINVAL, "not valid JSON (at byte 0)");
	refused("[]", NFG_EINVAL, "not a JSON object");
	refused("{\"version\": 2, \"future\": 1}", NFG_EINVAL,
		"unsupported version 2 (this nfguard reads 1)");
	refused("{\"rules\": \"" FP_A "\"}", NFG_EINVAL, "no version");
	refused(HEAD "\"repositories\": [], \"x\": 1}", NFG_EINVAL,
		"unknown member 'x'");
	refused(HEAD "\"repositories\": [], \"rules\": \"" FP_A "\"}",
		NFG_EINVAL, "'rules' given twice");
	refused("{\"version\": 1, \"rules\": \"sha256:x\", "
		"\"repositories\": []}",
		NFG_EINVAL, "rules: not a digest");
	refused(HEAD "\"repositories\": {}}", NFG_EINVAL,
		"repositories: not an array");
	refused(HEAD "\"repositories\": []} x", NFG_EINVAL,
		"text after the JSON value");
	refused(HEAD "\"repositories\": [1]}", NFG_EINVAL,
		"repositories[0]: not an object");
	refused(HEAD "\"repositories\": [{\"key\": \"a\", \"tips\": [], "
		     "\"reported\": [], \"extra\": 1}]}",
		NFG_EINVAL, "repositories[0].extra: unknown member");
	refused(HEAD "\"repositories\": [{\"key\": \"a\", \"tips\": []}]}",
		NFG_EINVAL, "repositories[0].reported: missing");
	refused(HEAD "\"repositories\": [{\"key\": \"a\", \"tips\": [], "
		     "\"reported\": [], \"pending\": []}]}",
		NFG_EINVAL,
		"repositories[0].pending: pending and pending_tips go "
		"together");
	refused(HEAD "\"repositories\": [{\"key\": \"\", \"tips\": [], "
		     "\"reported\": []}]}",
		NFG_EINVAL, "repositories[0].key: not a repository's key");
	refused(HEAD "\"repositories\": [{\"key\": \"a\\nb\", \"tips\": [], "
		     "\"reported\": []}]}",
		NFG_EINVAL, "repositories[0].key: not a repository's key");
	refused(HEAD "\"repositories\": [{\"key\": \"a\", \"tips\": [], "
		     "\"reported\": []}, {\"key\": \"a\", \"tips\": [], "
		     "\"reported\": []}]}",
		NFG_EINVAL, "repositories[1].key: a repository listed twice");
	refused(HEAD "\"repositories\": [{\"key\": \"a\", \"tips\": "
		     "[\"" TIP_A "\", \"ABC\"], \"reported\": []}]}",
		NFG_EINVAL, "repositories[0].tips[1]: not a commit id");
	refused(HEAD "\"repositories\": [{\"key\": \"a\", \"tips\": "
		     "[\"" TIP_B "\", \"" TIP_A "\"], \"reported\": []}]}",
		NFG_EINVAL,
		"repositories[0].tips[1]: not after the one before (sorted, "
		"no repeats)");
	refused(HEAD "\"repositories\": [{\"key\": \"a\", \"tips\": [], "
		     "\"reported\": [\"" FP_A "\", \"" FP_A "\"]}]}",
		NFG_EINVAL,
		"repositories[0].reported[1]: not after the one before "
		"(sorted, no repeats)");
	refused(HEAD "\"repositories\": [{\"key\": \"a\", \"tips\": [], "
		     "\"reported\": [\"" TIP_A "\"]}]}",
		NFG_EINVAL, "repositories[0].reported[0]: not a fingerprint");
}

static void test_nul_and_size(void **unused)
{
	static const char text[] = "{\"version\": 1}\0";
	struct state s;

	(void)unused;
	state_init(&s);
	assert_int_equal(state_parse(&s, text, sizeof(text) - 1), NFG_EINVAL);
	assert_string_equal(error_last(), "holds a NUL byte");
	assert_int_equal(state_parse(&s, text, STATE_MAX_SIZE + 1), NFG_ELIMIT);
	state_release(&s);
}

/* What state_format writes parses back to the same state. */
static void round_trip(const struct state *s)
{
	struct state again;
	struct buf a, b;

	buf_init(&a, STATE_MAX_SIZE);
	buf_init(&b, STATE_MAX_SIZE);
	assert_int_equal(state_format(s, &a), 0);
	state_init(&again);
	assert_int_equal(state_parse(&again, a.ptr, a.len), 0);
	assert_int_equal(state_format(&again, &b), 0);
	assert_string_equal(a.ptr, b.ptr);
	state_release(&again);
	buf_release(&a);
	buf_release(&b);
}

static void test_record_confirm(void **unused)
{
	unsigned char rules[32], tips[3 * 20], found[2 * 32];
	struct state s;
	struct state_repo *r;
	int changed;
	size_t rescanned;

	(void)unused;
	memset(rules, 7, sizeof(rules));
	memset(tips, 0x33, sizeof(tips));
	memset(tips + 20, 0x11, 20); /* 33.., 11.., 33..: two distinct */
	memset(found, 0xbb, sizeof(found));
	state_init(&s);
	state_begin(&s, rules, &changed, &rescanned);
	assert_int_equal(changed, 0);
	assert_int_equal(rescanned, 0);
	assert_int_equal(state_add(&s, "/srv/a", &r), 0);
	assert_int_equal(state_record(r, tips, 3, found, 2, 0), 0);
	/* pending: nothing is reported yet */
	assert_int_equal(r->pending, 1);
	assert_int_equal(r->npending_tips, 2);
	assert_int_equal(r->pending_tips[0], 0x11);
	assert_int_equal(r->npending_found, 1);
	assert_int_equal(r->ntips, 0);
	assert_int_equal(state_reported(r, found), 0);
	round_trip(&s);
	/* the report is out: confirmed */
	assert_int_equal(state_confirm(&s), 0);
	r = state_find(&s, "/srv/a");
	assert_int_equal(r->pending, 0);
	assert_int_equal(r->ntips, 2);
	assert_int_equal(state_reported(r, found), 1);
	round_trip(&s);
	/* written at once (a stream): confirmed, fingerprints joined */
	found[0] = 0xaa;
	assert_int_equal(state_record(r, tips + 20, 1, found, 1, 1), 0);
	assert_int_equal(r->pending, 0);
	assert_int_equal(r->ntips, 1);
	assert_int_equal(r->nreported, 2);
	assert_int_equal(state_reported(r, found), 1);
	state_release(&s);
}

static void test_begin(void **unused)
{
	unsigned char rules[32], other[32], tip[20], fp[32];
	struct state s;
	struct state_repo *a, *b;
	int changed;
	size_t rescanned;

	(void)unused;
	memset(rules, 1, sizeof(rules));
	memset(other, 2, sizeof(other));
	memset(tip, 0x44, sizeof(tip));
	memset(fp, 0x55, sizeof(fp));
	state_init(&s);
	state_begin(&s, rules, &changed, &rescanned);
	assert_int_equal(state_add(&s, "a", &a), 0);
	assert_int_equal(state_record(a, tip, 1, NULL, 0, 1), 0);
	assert_int_equal(state_add(&s, "b", &b), 0);
	assert_int_equal(state_add(&s, "c", &a), 0);
	/* b found nothing: confirmed at once; c found a token: again */
	assert_int_equal(state_record(state_find(&s, "b"), tip, 1, NULL, 0, 0),
			 0);
	assert_int_equal(state_record(state_find(&s, "c"), tip, 1, fp, 1, 0),
			 0);
	state_begin(&s, rules, &changed, &rescanned);
	assert_int_equal(changed, 0);
	assert_int_equal(rescanned, 1);
	b = state_find(&s, "b");
	assert_int_equal(b->pending, 0);
	assert_int_equal(b->ntips, 1);
	a = state_find(&s, "c");
	assert_int_equal(a->pending, 0);
	assert_int_equal(a->ntips, 0);
	assert_int_equal(state_reported(a, fp), 0);
	/* other rules: every repository forgotten */
	assert_int_equal(state_record(a, tip, 1, fp, 1, 1), 0);
	state_begin(&s, other, &changed, &rescanned);
	assert_int_equal(changed, 1);
	assert_int_equal(memcmp(s.rules, other, 32), 0);
	assert_int_equal(state_find(&s, "a")->ntips, 0);
	assert_int_equal(state_find(&s, "c")->nreported, 0);
	state_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_nul_and_size),
		cmocka_unit_test(test_record_confirm),
		cmocka_unit_test(test_begin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

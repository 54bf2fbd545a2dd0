/*
 * Unit tests of the sweep state: the strict parser on memory buffers
 * (what it refuses and why), the text it writes reading back as itself,
 * and a run's operations: recording, confirming, settling what an
 * interrupted run left, and forgetting all when the rules changed; the
 * journal (parsed from memory, and written, replayed and folded in files)
 * and the lock.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/sha256.h"
#include "sweep/state.h"

#include <setjmp.h>
#include <stdio.h>
#include <unistd.h>
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

#define STATE_TEXT                                                             \
	HEAD "\"repositories\": [{\"key\": \"/srv/a\", \"tips\": [\"" TIP_A    \
	     "\"], \"reported\": [\"" FP_B "\"]}]}\n"

/* A journal header following the text STATE_TEXT (base NULL) or base. */
static void header(char *out, size_t size, const char *base)
{
	char hex[65];

	sha256_hex(STATE_TEXT, strlen(STATE_TEXT), hex);
	snprintf(out, size, "{\"journal\": 1, \"base\": \"sha256:%s\"}\n",
		 base ? base : hex);
}

/* STATE_TEXT parsed, then the journal head + records applied. */
static int replay(struct state *s, const char *head, const char *records,
		  struct state_replay *out)
{
	char text[4096];

	assert_int_equal(parse(s, STATE_TEXT), 0);
	snprintf(text, sizeof(text), "%s%s", head, records);
	return state_journal_parse(s, text, strlen(text), out);
}

static void test_journal_parse(void **unused)
{
	struct state s;
	struct state_replay rp;
	const struct state_repo *r;
	char head[256];

	(void)unused;
	header(head, sizeof(head), NULL);
	/* the latest line of a key wins; a new key is added; a torn tail */
	assert_int_equal(
		replay(&s, head,
		       "{\"key\": \"/srv/a\", \"tips\": [], \"reported\": []}\n"
		       "{\"key\": \"host/c\", \"tips\": [\"" TIP_A "\"], "
		       "\"reported\": [], \"pending_tips\": [\"" TIP_B "\"], "
		       "\"pending\": [\"" FP_A "\"]}\n"
		       "{\"key\": \"/srv/a\", \"tips\": [\"" TIP_B "\"], "
		       "\"reported\": [\"" FP_A "\", \"" FP_B "\"]}\n"
		       "{\"key\": \"/srv/",
		       &rp),
		0);
	assert_int_equal(rp.records, 3);
	assert_int_equal(rp.torn, 1);
	assert_int_equal(rp.stale, 0);
	assert_int_equal(s.n, 2);
	r = state_find(&s, "/srv/a");
	assert_int_equal(r->ntips, 1);
	assert_int_equal(r->tips[0], 0x22);
	assert_int_equal(r->nreported, 2);
	r = state_find(&s, "host/c");
	assert_int_equal(r->pending, 1);
	assert_int_equal(r->npending_found, 1);
	state_release(&s);
	/* a header alone; then one that follows another text: stale */
	assert_int_equal(replay(&s, head, "", &rp), 0);
	assert_int_equal(rp.records + rp.torn + rp.stale, 0);
	state_release(&s);
	header(head, sizeof(head),
	       "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
	       "c");
	assert_int_equal(replay(&s, head,
				"{\"key\": \"/srv/a\", \"tips\": [], "
				"\"reported\": []}\n",
				&rp),
			 0);
	assert_int_equal(rp.stale, 1);
	assert_int_equal(rp.records, 0);
	assert_int_equal(state_find(&s, "/srv/a")->ntips, 1);
	state_release(&s);
}

/* A journal refused with why. */
static void journal_refused(const char *head, const char *records,
			    const char *why)
{
	struct state s;
	struct state_replay rp;

	assert_int_equal(replay(&s, head, records, &rp), NFG_EINVAL);
	assert_string_equal(error_last(), why);
	state_release(&s);
}

static void test_journal_refused(void **unused)
{
	struct state s;
	struct state_replay rp;
	char head[256];

	(void)unused;
	header(head, sizeof(head), NULL);
	journal_refused("", "", "header: cut short");
	journal_refused("{\"journal\": 1}\n", "",
			"header: not a journal of version 1");
	journal_refused("{\"journal\": 2, \"base\": \"" FP_A "\"}\n", "",
			"header: not a journal of version 1");
	journal_refused(head, "\n", "record[0]: not valid JSON");
	journal_refused(
		head,
		"{\"key\": \"k\", \"tips\": [], \"reported\": []}\n"
		"{\"key\": \"k\", \"tips\": [\"x\"], \"reported\": []}\n",
		"record[1].tips[0]: not a commit id");
	journal_refused(head,
			"{\"key\": \"k\", \"tips\": [], \"reported\": [], "
			"\"more\": 1}\n",
			"record[0].more: unknown member");
	journal_refused(head, "[]\n", "record[0]: not an object");
	assert_int_equal(parse(&s, STATE_TEXT), 0);
	assert_int_equal(state_journal_parse(&s, "{}\n\0", 4, &rp), NFG_EINVAL);
	assert_string_equal(error_last(), "holds a NUL byte");
	state_release(&s);
}

/* A temporary folder's file: path gets DIR/name. */
static void temp_path(char *path, size_t size, char *dir, const char *name)
{
	snprintf(path, size, "%s/%s", dir, name);
}

/*
 * Saved with a journal, records added, read back and replayed as a
 * resumed run does; folded (no journal left); the lock taken once only.
 */
static void test_journal_files(void **unused)
{
	const char *t = getenv("TMPDIR");
	unsigned char tip[20];
	char dir[512], path[600], jpath[700], lpath[700];
	struct state s, back;
	struct state_journal j = {-1, NULL, 0};
	struct state_replay rp;
	struct state_repo *r;
	int missing, fd, fd2;

	(void)unused;
	snprintf(dir, sizeof(dir), "%s/nfg-state-XXXXXX", t && *t ? t : "/tmp");
	assert_non_null(mkdtemp(dir));
	temp_path(path, sizeof(path), dir, "state.json");
	snprintf(jpath, sizeof(jpath), "%s.journal", path);
	snprintf(lpath, sizeof(lpath), "%s.lock", path);
	assert_int_equal(state_lock(path, &fd), 0);
	assert_int_equal(state_lock(path, &fd2), NFG_EIO);
	assert_int_equal(fd2, -1);
	assert_non_null(
		strstr(error_last(), "is in use by another nfguard run"));
	memset(tip, 0x44, sizeof(tip));
	assert_int_equal(parse(&s, STATE_TEXT), 0);
	assert_int_equal(state_save(&s, path, &j), 0);
	assert_int_equal(state_add(&s, "b", &r), 0);
	assert_int_equal(state_record(r, tip, 1, NULL, 0, 1), 0);
	assert_int_equal(state_journal_add(&j, r), 0);
	state_journal_close(&j);
	assert_int_equal(access(jpath, F_OK), 0);
	/* the resumed run: the file, then its journal */
	state_init(&back);
	assert_int_equal(state_read(&back, path, &missing), 0);
	assert_int_equal(back.n, 1);
	assert_int_equal(state_replay(&back, path, &rp), 0);
	assert_int_equal(rp.records, 1);
	assert_int_equal(back.n, 2);
	assert_int_equal(state_find(&back, "b")->tips[0], 0x44);
	/* folded: the journal is gone, the file holds both */
	assert_int_equal(state_save(&back, path, NULL), 0);
	assert_int_equal(access(jpath, F_OK), -1);
	state_release(&back);
	state_init(&back);
	assert_int_equal(state_read(&back, path, &missing), 0);
	assert_int_equal(back.n, 2);
	state_release(&back);
	state_release(&s);
	close(fd);
	/* released: the next run takes it */
	assert_int_equal(state_lock(path, &fd), 0);
	close(fd);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(unlink(lpath), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_nul_and_size),
		cmocka_unit_test(test_record_confirm),
		cmocka_unit_test(test_begin),
		cmocka_unit_test(test_journal_parse),
		cmocka_unit_test(test_journal_refused),
		cmocka_unit_test(test_journal_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

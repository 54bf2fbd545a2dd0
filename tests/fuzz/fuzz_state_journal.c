/*
 * Fuzzes the sweep state's journal parser (state_journal_parse) on top of
 * a fixed state. An input starting with '+' gets the header that follows
 * that state prepended, so mutations reach the records. Oracle: a refused
 * journal has a message; a stale one changes nothing; otherwise each whole
 * line is one record, valid as a state file's repository, a tail without
 * its newline is torn, and the state still writes text that reads back
 * as itself.
 */
#include "fuzz.h"
#include "sweep/state.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD                                                                   \
	"{\"version\": 1, \"rules\": \"sha256:"                                \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", "
#define BASE                                                                   \
	HEAD "\"repositories\": [{\"key\": \"/srv/a\", \"tips\": "             \
	     "[\"1111111111111111111111111111111111111111\"], \"reported\": "  \
	     "[]}]}\n"

/* The state's text as state_format writes it, into out. */
static void formatted(const struct state *s, struct buf *out)
{
	buf_init(out, STATE_MAX_SIZE);
	FUZZ_CHECK(state_format(s, out) == 0);
}

/* A record line is valid as a state file's only repository. */
static void check_record(const char *line, size_t len)
{
	struct buf text;
	struct state one;

	buf_init(&text, STATE_MAX_SIZE);
	FUZZ_CHECK(!buf_puts(&text, HEAD "\"repositories\": [") &&
		   !buf_add(&text, line, len) && !buf_puts(&text, "]}"));
	state_init(&one);
	FUZZ_CHECK(state_parse(&one, text.ptr, text.len) == 0);
	state_release(&one);
	buf_release(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf in, before, after, again;
	struct state s, back;
	struct state_replay rp;
	const char *body, *end, *nl;
	char hex[65];
	size_t lines = 0;
	int err;

	buf_init(&in, STATE_MAX_SIZE + 200);
	if (size && data[0] == '+') {
		sha256_hex(BASE, strlen(BASE), hex);
		FUZZ_CHECK(!buf_printf(
			&in, "{\"journal\":1,\"base\":\"sha256:%s\"}\n", hex));
		data++;
		size--;
	}
	FUZZ_CHECK(!buf_add(&in, data, size));
	state_init(&s);
	FUZZ_CHECK(state_parse(&s, BASE, strlen(BASE)) == 0);
	formatted(&s, &before);
	error_clear();
	err = state_journal_parse(&s, in.len ? in.ptr : "", in.len, &rp);
	if (err) {
		FUZZ_CHECK(error_last()[0] != '\0');
		goto done;
	}
	formatted(&s, &after);
	if (rp.stale) {
		FUZZ_CHECK(rp.records == 0 && before.len == after.len &&
			   !memcmp(before.ptr, after.ptr, after.len));
		buf_release(&after);
		goto done;
	}
	body = (const char *)memchr(in.ptr, '\n', in.len) + 1;
	end = in.ptr + in.len;
	for (; (nl = memchr(body, '\n', (size_t)(end - body))); body = nl + 1) {
		check_record(body, (size_t)(nl - body));
		lines++;
	}
	FUZZ_CHECK(rp.records == lines && rp.torn == (body < end));
	state_init(&back);
	FUZZ_CHECK(state_parse(&back, after.ptr, after.len) == 0);
	formatted(&back, &again);
	FUZZ_CHECK(again.len == after.len &&
		   !memcmp(again.ptr, after.ptr, after.len));
	state_release(&back);
	buf_release(&again);
	buf_release(&after);
done:
	buf_release(&before);
	state_release(&s);
	buf_release(&in);
	return 0;
}

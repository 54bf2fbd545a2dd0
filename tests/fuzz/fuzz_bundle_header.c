/*
 * Fuzzes the git bundle header parser (src/source/git/bundle_header.c).
 * Input: a bundle file's bytes. The oracle: a naive line-by-line reading
 * of git's bundle format accepts exactly what the parser accepts, with the
 * same prerequisites and refs in the same order and the pack just after
 * the first blank line; a refused header leaves a message and nothing.
 */
#include "fuzz.h"
#include "util/error.h"
#include "source/git/bundle_header.h"

#include <ctype.h>
#include <string.h>

static int hex_id(unsigned char *id, const uint8_t *p)
{
	size_t i;

	for (i = 0; i < 2 * BUNDLE_ID_LEN; i++) {
		int c = tolower(p[i]);

		if (!isxdigit(p[i]))
			return 0;
		c = c <= '9' ? c - '0' : c - 'a' + 10;
		if (i % 2)
			id[i / 2] |= (unsigned char)c;
		else
			id[i / 2] = (unsigned char)(c << 4);
	}
	return 1;
}

/*
 * Reads the header again, line by line: 1 when the naive reading accepts
 * it, 0 when it refuses it. *same: what it read is what h holds.
 */
static int naive(const struct bundle_header *h, const uint8_t *p, size_t len,
		 int *same)
{
	static const char sha1[] = "@object-format=sha1";
	size_t at = BUNDLE_SIG_LEN, refs = 0, prereqs = 0;
	int caps = p[3] == '3', ok = 1;

	for (;;) {
		const uint8_t *l = p + at, *nl = memchr(l, '\n', len - at);
		size_t n = nl ? (size_t)(nl - l) : 0;
		unsigned char id[BUNDLE_ID_LEN];

		if (!nl || n > BUNDLE_MAX_LINE)
			return 0;
		if (!n) {
			if (!refs)
				return 0;
			*same = ok && h->len == at + 1 && refs == h->nrefs &&
				prereqs == h->nprereqs;
			return 1;
		}
		at += n + 1;
		if (caps && l[0] == '@') {
			if (n != sizeof(sha1) - 1 || memcmp(l, sha1, n))
				return 0;
			continue;
		}
		caps = 0;
		if (l[0] == '-') {
			if (n < 41 || !hex_id(id, l + 1) ||
			    (n > 41 && l[41] != ' '))
				return 0;
			ok = ok && prereqs < h->nprereqs &&
			     !memcmp(h->prereqs[prereqs], id, BUNDLE_ID_LEN);
			prereqs++;
			continue;
		}
		if (n < 42 || !hex_id(id, l) || l[40] != ' ' ||
		    memchr(l + 41, '\0', n - 41))
			return 0;
		ok = ok && refs < h->nrefs &&
		     !memcmp(h->refs[refs].id, id, BUNDLE_ID_LEN) &&
		     strlen(h->refs[refs].name) == n - 41 &&
		     !memcmp(h->refs[refs].name, l + 41, n - 41);
		refs++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_header h;
	int rc = bundle_header_parse(&h, data, size), same = 0;

	FUZZ_CHECK(rc == 0 || rc == NFG_EINVAL);
	if (rc) {
		static const struct bundle_header zero;

		FUZZ_CHECK(!memcmp(&h, &zero, sizeof(h)));
		FUZZ_CHECK(*error_last());
	} else {
		FUZZ_CHECK(bundle_is_signature(data, size));
		FUZZ_CHECK(h.version == data[3] - '0');
		FUZZ_CHECK(h.len <= size && data[h.len - 1] == '\n' &&
			   data[h.len - 2] == '\n');
	}
	if (!bundle_is_signature(data, size))
		FUZZ_CHECK(rc != 0);
	else
		FUZZ_CHECK(naive(&h, data, size, &same) == (rc == 0));
	FUZZ_CHECK(rc || same);
	bundle_header_release(&h);
	return 0;
}

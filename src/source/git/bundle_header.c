/*
 * The git bundle header parser (bundle_header.h): line by line, each line
 * bounded, every id checked as 40 hex digits, counts and total size
 * capped before anything is allocated for them.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/error.h"
#include "util/str.h"
#include "source/git/bundle_header.h"

int bundle_is_signature(const unsigned char *p, size_t len)
{
	return len >= BUNDLE_SIG_LEN &&
	       (!memcmp(p, "# v2 git bundle\n", BUNDLE_SIG_LEN) ||
		!memcmp(p, "# v3 git bundle\n", BUNDLE_SIG_LEN));
}

/* 40 hex digits at p (n bytes available) into id; 0 or -1. */
static int parse_id(unsigned char *id, const unsigned char *p, size_t n)
{
	size_t i;

	if (n < 2 * BUNDLE_ID_LEN)
		return -1;
	for (i = 0; i < BUNDLE_ID_LEN; i++) {
		int hi = str_hex_digit(p[2 * i]),
		    lo = str_hex_digit(p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		id[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* A v3 capability line (without '@' and newline): sha1 only. */
static int check_capability(const unsigned char *p, size_t n)
{
	static const char sha1[] = "object-format=sha1";
	static const char format[] = "object-format=";

	if (n == sizeof(sha1) - 1 && !memcmp(p, sha1, n))
		return 0;
	if (n > sizeof(format) - 1 && !memcmp(p, format, sizeof(format) - 1))
		return error_set(NFG_EINVAL,
				 "the bundle uses an object format other "
				 "than sha1, which nfguard does not support "
				 "yet");
	return error_set(NFG_EINVAL,
			 "the bundle needs a capability nfguard does not "
			 "know (only @object-format=sha1 is supported)");
}

/* The parse's state besides the header: capacities, capabilities seen. */
struct parse {
	struct bundle_header *h;
	size_t refcap, prereqcap;
	int caps_done;
};

/* Room for one more of n items (refs or prerequisites), within the bound. */
static int reserve(void *v, size_t n, size_t *cap, size_t elem,
		   const char *what)
{
	if (n >= BUNDLE_MAX_REFS)
		return error_set(NFG_ELIMIT,
				 "the bundle lists more than %zu %s",
				 BUNDLE_MAX_REFS, what);
	return array_reserve(v, cap, n + 1, elem);
}

static int add_prereq(struct parse *ps, const unsigned char *id)
{
	struct bundle_header *h = ps->h;
	int err = reserve(&h->prereqs, h->nprereqs, &ps->prereqcap,
			  sizeof(*h->prereqs), "prerequisites");

	if (!err)
		memcpy(h->prereqs[h->nprereqs++], id, BUNDLE_ID_LEN);
	return err;
}

static int add_ref(struct parse *ps, const unsigned char *id,
		   const unsigned char *name, size_t n)
{
	struct bundle_header *h = ps->h;
	int err;

	if (!n || memchr(name, '\0', n))
		return error_set(NFG_EINVAL,
				 "a ref of the bundle has an empty name or one "
				 "holding a NUL byte");
	if ((err = reserve(&h->refs, h->nrefs, &ps->refcap, sizeof(*h->refs),
			   "refs")))
		return err;
	if (!(h->refs[h->nrefs].name = strndup((const char *)name, n)))
		return error_nomem();
	memcpy(h->refs[h->nrefs++].id, id, BUNDLE_ID_LEN);
	return 0;
}

/* One line (without its newline) after the signature. */
static int parse_line(struct parse *ps, const unsigned char *p, size_t n)
{
	unsigned char id[BUNDLE_ID_LEN];

	if (n && p[0] == '@' && ps->h->version == 3 && !ps->caps_done)
		return check_capability(p + 1, n - 1);
	ps->caps_done = 1;
	if (n && p[0] == '-') {
		if (parse_id(id, p + 1, n - 1) ||
		    (n > 1 + 2 * BUNDLE_ID_LEN &&
		     p[1 + 2 * BUNDLE_ID_LEN] != ' '))
			return error_set(NFG_EINVAL,
					 "a prerequisite of the bundle is not "
					 "an object id");
		return add_prereq(ps, id);
	}
	if (parse_id(id, p, n) || n < 2 * BUNDLE_ID_LEN + 2 ||
	    p[2 * BUNDLE_ID_LEN] != ' ')
		return error_set(NFG_EINVAL,
				 "a ref line of the bundle is not an object "
				 "id and a name");
	return add_ref(ps, id, p + 2 * BUNDLE_ID_LEN + 1,
		       n - 2 * BUNDLE_ID_LEN - 1);
}

int bundle_header_parse(struct bundle_header *h, const unsigned char *p,
			size_t len)
{
	struct parse ps = {h, 0, 0, 0};
	size_t at = BUNDLE_SIG_LEN;
	int err = 0;

	memset(h, 0, sizeof(*h));
	if (!bundle_is_signature(p, len))
		return error_set(NFG_EINVAL, "not a git bundle (v2 or v3)");
	h->version = p[3] - '0';
	if (len > BUNDLE_MAX_HEADER)
		len = BUNDLE_MAX_HEADER;
	for (;;) {
		const unsigned char *nl;
		size_t room = len - at;

		if (room > BUNDLE_MAX_LINE + 1)
			room = BUNDLE_MAX_LINE + 1;
		nl = memchr(p + at, '\n', room);
		if (!nl) {
			if (room > BUNDLE_MAX_LINE)
				err = error_set(NFG_EINVAL,
						"a line of the bundle's header "
						"is longer than %d bytes",
						BUNDLE_MAX_LINE);
			else if (len == BUNDLE_MAX_HEADER)
				err = error_set(NFG_ELIMIT,
						"the bundle's header is larger "
						"than %zu MiB",
						BUNDLE_MAX_HEADER >> 20);
			else
				err = error_set(
					NFG_EINVAL,
					"the bundle's header has no end "
					"(no blank line before its pack)");
			break;
		}
		if (nl == p + at) {
			if (!h->nrefs)
				err = error_set(NFG_EINVAL,
						"the bundle lists no refs");
			h->len = at + 1;
			break;
		}
		if ((err = parse_line(&ps, p + at, (size_t)(nl - (p + at)))))
			break;
		at = (size_t)(nl - p) + 1;
	}
	if (err)
		bundle_header_release(h);
	return err;
}

void bundle_header_release(struct bundle_header *h)
{
	size_t i;

	for (i = 0; i < h->nrefs; i++)
		free(h->refs[i].name);
	free(h->refs);
	free(h->prereqs);
	memset(h, 0, sizeof(*h));
}

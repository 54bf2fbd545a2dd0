/*
 * Fuzzes the container walk (src/decode/container.c). Input: one input's
 * bytes. The oracle: sniffing names one enabled decoder or none; a walk
 * stays within its limits (layers, bytes, entries), hands out only
 * well-formed leaves (chain elements of known layers, clean paths) and
 * one-line problems, and returns 0.
 */
#include "fuzz.h"
#include "util/common.h"
#include "decode/container.h"

#define MAX_BYTES   ((uint64_t)4 << 20)
#define MAX_ENTRIES 64
#define DEPTH	    4

struct input {
	const uint8_t *p;
	size_t n, at;
};

static long input_read(void *ctx, char *dst, size_t len)
{
	struct input *in = ctx;
	size_t k = in->n - in->at;

	/* odd pieces, so every layer sees short reads */
	if (k > len)
		k = len;
	if (k > 1000)
		k = 1000;
	memcpy(dst, in->p + in->at, k);
	in->at += k;
	return (long)k;
}

static int clean(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* "gzip", "zlib", "bzip2", "xz", or "zip:NAME" / "tar:NAME" */
static int known_element(const char *e)
{
	static const char *const bare[] = {"gzip", "zlib", "bzip2", "xz"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bare); i++)
		if (!strcmp(e, bare[i]))
			return 1;
	return (!strncmp(e, "zip:", 4) || !strncmp(e, "tar:", 4)) && e[4] &&
	       strlen(e + 4) <= CONTAINER_NAME_MAX && clean(e + 4);
}

struct seen {
	uint64_t bytes, leaves;
	int limits;
};

static int on_entry(void *ctx, const struct container_entry *e)
{
	struct seen *s = ctx;
	char buf[4096];
	size_t i;
	long n;

	FUZZ_CHECK(e->nchain >= 1 && e->nchain <= DEPTH);
	for (i = 0; i < e->nchain; i++)
		FUZZ_CHECK(known_element(e->chain[i]));
	FUZZ_CHECK(clean(e->path));
	s->leaves++;
	while ((n = e->read(e->rctx, buf, sizeof(buf))) > 0) {
		FUZZ_CHECK((size_t)n <= sizeof(buf));
		s->bytes += (uint64_t)n;
	}
	FUZZ_CHECK(n == 0);
	return 0;
}

static void on_problem(void *ctx, int is_limit, const char *msg)
{
	struct seen *s = ctx;

	FUZZ_CHECK(*msg && clean(msg));
	s->limits += is_limit;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decode_limits lim = {DEPTH, MAX_BYTES, MAX_ENTRIES,
				    (uint64_t)64 << 20};
	struct input in = {data, size, 0};
	struct seen s = {0};
	uint64_t total = 0;
	unsigned f = container_sniff(data, size, DECODE_ALL);

	FUZZ_CHECK(!(f & (f - 1)) && !(f & ~(unsigned)DECODE_ALL));
	FUZZ_CHECK(!(f & (DECODE_BASE64 | DECODE_UTF16)));
	if (!f)
		return 0;
	/* the decoder alone says the same: no other check hid it */
	FUZZ_CHECK(container_sniff(data, size, f) == f);
	FUZZ_CHECK(container_walk(f, DECODE_ALL, &lim, &total, input_read, &in,
				  on_entry, &s, on_problem, &s) == 0);
	/* every layer's bytes are counted, so the leaves' stay within */
	FUZZ_CHECK(s.bytes <= total && total <= MAX_BYTES);
	/* a leaf is an archive entry (counted) or the input's stream */
	FUZZ_CHECK(s.leaves <= MAX_ENTRIES + 1);
	return 0;
}

/*
 * Tokens one per line, matched with the rules so that each becomes a
 * proper finding (rule, redacted form, fingerprint) and a line that is not
 * a token is refused instead of being sent to the API.
 */
#include "util/common.h"
#include "util/error.h"
#include "verify/tokens.h"

struct line_ctx {
	const struct ruleset *rs;
	const char *label;
	size_t hits;
	size_t len; /* of the line */
	struct finding f;
	int have;
};

static int on_hit(void *p, const struct hit *h)
{
	struct line_ctx *c = p;
	int err;

	if (h->allowed || c->hits++ || h->offset != 0 || h->len != c->len)
		return 0;
	err = finding_init_hit(&c->f, ruleset_rule(c->rs, h->rule), h,
			       c->label);
	if (!err)
		c->have = 1;
	return err;
}

int tokens_parse(const struct ruleset *rs, const char *text, size_t len,
		 const char *label, struct findings *out, bad_line_fn bad,
		 void *ctx, size_t *nbad)
{
	struct scanner *sc = NULL;
	const char *p = text, *end = text + len, *nl, *e;
	uint64_t lineno = 0;
	int err;

	*nbad = 0;
	if ((err = scanner_new(&sc, rs)))
		return err;
	for (; p < end && !err; p = nl ? nl + 1 : end) {
		struct line_ctx c = {.rs = rs, .label = label};

		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl ? nl : end;
		lineno++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (e > p &&
		       (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (p == e)
			continue;
		c.len = (size_t)(e - p);
		c.f.reachable = -1;
		err = scanner_scan_mem(sc, label, p, c.len, on_hit, &c);
		if (!err && c.have && c.hits == 1) {
			c.f.line = lineno;
			err = findings_push(out, &c.f);
		} else if (!err) {
			(*nbad)++;
			if (bad)
				bad(ctx, lineno, c.hits > 0);
		}
		finding_release(&c.f);
	}
	scanner_free(sc);
	return err;
}

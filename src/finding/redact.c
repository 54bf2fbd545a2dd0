/*
 * Redacting tokens inside other text: the text is scanned with the rules
 * like any input, and each token found is replaced by the redacted form
 * its own finding would carry.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "finding/redact.h"

struct redact_ctx {
	const struct ruleset *rs;
	const char *text;
	struct buf out;
	size_t done; /* bytes of text already copied or replaced */
	size_t hits;
};

static int on_hit(void *ctx, const struct hit *h)
{
	struct redact_ctx *c = ctx;
	const struct rule_spec *rule = ruleset_rule(c->rs, h->rule);
	size_t at = (size_t)h->offset;
	char *r;

	if (at < c->done)
		return 0; /* overlaps a token replaced already */
	r = redact_secret(h->secret, h->len,
			  rule_body_offset(rule, h->secret, h->len));
	if (!r)
		return error_nomem();
	buf_add(&c->out, c->text + c->done, at - c->done);
	buf_puts(&c->out, r);
	free(r);
	c->done = at + h->len;
	c->hits++;
	return buf_failed(&c->out);
}

int redact_text(struct scanner *sc, const struct ruleset *rs, char **s)
{
	struct redact_ctx c;
	size_t len;
	int err;

	if (!*s || !**s)
		return 0;
	len = strlen(*s);
	memset(&c, 0, sizeof(c));
	c.rs = rs;
	c.text = *s;
	buf_init(&c.out, BUF_DEFAULT_MAX);
	c.out.wipe = 1;
	err = scanner_scan_mem(sc, NULL, *s, len, on_hit, &c);
	if (!err && c.hits) {
		buf_add(&c.out, *s + c.done, len - c.done);
		if (!(err = buf_failed(&c.out))) {
			explicit_bzero(*s, len);
			free(*s);
			*s = buf_detach(&c.out, NULL);
		}
	}
	buf_release(&c.out);
	return err;
}

int redact_texts(const struct ruleset *rs, char **v, size_t n)
{
	struct scanner *sc;
	size_t i;
	int err;

	if (!n)
		return 0;
	if ((err = scanner_new(&sc, rs)))
		return err;
	for (i = 0; !err && i < n; i++)
		err = redact_text(sc, rs, &v[i]);
	scanner_free(sc);
	return err;
}

int findings_redact_fields(struct findings *l, const struct ruleset *rs)
{
	struct scanner *sc;
	size_t i;
	int err;

	if (!l->n)
		return 0;
	if ((err = scanner_new(&sc, rs)))
		return err;
	for (i = 0; !err && i < l->n; i++) {
		struct finding *f = &l->v[i];

		char **text[] = {
			&f->path,
			&f->repository,
			&f->ref,
			&f->author_name,
			&f->author_email,
			/* What an API answered: a server may echo a token. */
			&f->verification.project_id,
			&f->verification.project_name,
			&f->verification.project_slug,
			&f->verification.reason,
			&f->verification.request_id,
			&f->revocation.request_id,
			&f->revocation.reason,
		};
		size_t k;

		for (k = 0; !err && k < ARRAY_SIZE(text); k++)
			err = redact_text(sc, rs, text[k]);
		/* An archive entry's name is a name like any other. */
		for (k = 0; !err && k < f->nencoding; k++)
			err = redact_text(sc, rs, &f->encoding[k]);
	}
	scanner_free(sc);
	return err;
}

/*
 * Findings: built from engine hits, owning their strings, wiping the
 * secret on release; and the list type that sources fill and reports read.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/array.h"
#include "util/error.h"
#include "util/sha256.h"
#include "finding/finding.h"

/*
 * Characters of a body never shown, and the most shown: 13 characters at
 * 5 bits each (counted low, as for a 32-symbol alphabet) leave 2^65
 * candidates for an offline search against the unsalted fingerprint.
 */
enum { REDACT_HIDDEN_MIN = 13, REDACT_SHOWN_MAX = 8 };

char *redact_secret(const char *secret, size_t len, size_t prefix_len)
{
	static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
	size_t body = len - prefix_len, shown = 0, head, tail, n;
	char *out;

	/* At most a quarter of the body, and never below the hidden floor. */
	if (body > REDACT_HIDDEN_MIN) {
		shown = body - REDACT_HIDDEN_MIN;
		if (shown > body / 4)
			shown = body / 4;
		if (shown > REDACT_SHOWN_MAX)
			shown = REDACT_SHOWN_MAX;
	}
	head = (shown + 1) / 2;
	tail = shown / 2;
	n = prefix_len + head + (sizeof(ellipsis) - 1) + tail;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	memcpy(out, secret, prefix_len + head);
	memcpy(out + prefix_len + head, ellipsis, sizeof(ellipsis) - 1);
	memcpy(out + n - tail, secret + len - tail, tail);
	out[n] = '\0';
	return out;
}

void fingerprint_format(char out[FINGERPRINT_LEN + 1],
			const unsigned char d[FINGERPRINT_DIGEST_LEN])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	memcpy(out, "sha256:", 7);
	for (i = 0; i < FINGERPRINT_DIGEST_LEN; i++) {
		out[7 + 2 * i] = digits[d[i] >> 4];
		out[8 + 2 * i] = digits[d[i] & 0xf];
	}
	out[FINGERPRINT_LEN] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int fingerprint_decode(const char *fp,
		       unsigned char out[FINGERPRINT_DIGEST_LEN])
{
	size_t i;

	if (!fp || strncmp(fp, "sha256:", 7) || strlen(fp) != FINGERPRINT_LEN)
		return NFG_EINVAL;
	for (i = 0; i < FINGERPRINT_DIGEST_LEN; i++) {
		int hi = hex_value(fp[7 + 2 * i]),
		    lo = hex_value(fp[8 + 2 * i]);

		if (hi < 0 || lo < 0)
			return NFG_EINVAL;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int finding_init_hit(struct finding *f, const struct rule_spec *rule,
		     const struct hit *h, const char *path)
{
	struct sha256 c;

	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->reachable = -1;
	f->secret = malloc(h->len + 1);
	f->redacted = redact_secret(h->secret, h->len,
				    rule_body_offset(rule, h->secret, h->len));
	f->path = strdup(path ? path : "");
	if (!f->secret || !f->redacted || !f->path) {
		finding_release(f);
		return error_nomem();
	}
	memcpy(f->secret, h->secret, h->len);
	f->secret[h->len] = '\0';
	f->secret_len = h->len;
	sha256_init(&c);
	sha256_update(&c, h->secret, h->len);
	sha256_final(&c, f->digest);
	fingerprint_format(f->fingerprint, f->digest);
	f->offset = h->offset;
	f->inline_allowed = h->allowed;
	f->line = h->line;
	f->column = h->column;
	f->end_column = h->end_column;
	f->char_column = h->char_column;
	f->char_end_column = h->char_end_column;
	f->end_line = h->end_line;
	if (h->nencoding)
		return finding_wrap_encoding(f, h->encoding, h->nencoding);
	return 0;
}

/* Frees v[0..n) and v. */
static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int finding_wrap_encoding(struct finding *f, const char *const *outer, size_t n)
{
	size_t total = n + f->nencoding, i;
	char **v;

	if (!n)
		return 0;
	if (!(v = calloc(total, sizeof(*v))))
		return error_nomem();
	for (i = 0; i < n; i++)
		if (!(v[i] = strdup(outer[i]))) {
			free_strv(v, i);
			return error_nomem();
		}
	for (i = 0; i < f->nencoding; i++)
		v[n + i] = f->encoding[i];
	free(f->encoding);
	f->encoding = v;
	f->nencoding = total;
	return 0;
}

const char *encoding_entry(const char *layer)
{
	if (!strncmp(layer, "zip:", 4) || !strncmp(layer, "tar:", 4))
		return layer + 4;
	return NULL;
}

int finding_set_path(struct finding *f, const char *path)
{
	struct buf b;
	size_t i;

	buf_init(&b, BUF_DEFAULT_MAX);
	buf_puts(&b, path ? path : "");
	for (i = 0; i < f->nencoding; i++) {
		const char *name = encoding_entry(f->encoding[i]);

		if (name) {
			buf_putc(&b, '!');
			buf_puts(&b, name);
		}
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		return error_nomem();
	}
	free(f->path);
	f->path = buf_detach(&b, NULL);
	return f->path ? 0 : error_nomem();
}

void finding_release(struct finding *f)
{
	if (!f)
		return;
	if (f->secret) {
		explicit_bzero(f->secret, f->secret_len);
		free(f->secret);
	}
	free(f->redacted);
	free(f->path);
	free_strv(f->encoding, f->nencoding);
	free(f->repository);
	free(f->commit);
	free(f->ref);
	free(f->author_name);
	free(f->author_email);
	free(f->date);
	free(f->blob);
	free(f->location);
	verification_release(&f->verification);
	revocation_release(&f->revocation);
	memset(f, 0, sizeof(*f));
	f->reachable = -1;
}

static int clone_str(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst;
}

int finding_clone(struct finding *dst, const struct finding *src)
{
	*dst = *src;
	memset(&dst->verification, 0, sizeof(dst->verification));
	memset(&dst->revocation, 0, sizeof(dst->revocation));
	dst->secret = malloc(src->secret_len + 1);
	if (dst->secret) {
		memcpy(dst->secret, src->secret, src->secret_len + 1);
	}
	dst->encoding = NULL;
	dst->nencoding = 0;
	/* Every pointer is replaced before anything can fail half-way. */
	if (clone_str(&dst->redacted, src->redacted) |
		    clone_str(&dst->path, src->path) |
		    clone_str(&dst->repository, src->repository) |
		    clone_str(&dst->commit, src->commit) |
		    clone_str(&dst->ref, src->ref) |
		    clone_str(&dst->author_name, src->author_name) |
		    clone_str(&dst->author_email, src->author_email) |
		    clone_str(&dst->date, src->date) |
		    clone_str(&dst->blob, src->blob) |
		    clone_str(&dst->location, src->location) ||
	    !dst->secret ||
	    finding_wrap_encoding(dst, (const char *const *)src->encoding,
				  src->nencoding) ||
	    verification_copy(&dst->verification, &src->verification) ||
	    revocation_copy(&dst->revocation, &src->revocation)) {
		finding_release(dst);
		return error_nomem();
	}
	return 0;
}

/* One string of finding_scrub_answers; n strictly falls each round. */
static void scrub(char *s, const struct finding *f)
{
	size_t n, rl;
	char *at;

	if (!s || !f->secret || !f->secret_len)
		return;
	rl = f->redacted ? strlen(f->redacted) : 0;
	n = strlen(s);
	while ((at = memmem(s, n, f->secret, f->secret_len))) {
		if (!f->redacted || rl >= f->secret_len) {
			/* Never by finding_redact's rule; still, hide it all.
			 */
			s[0] = '\0';
			return;
		}
		memcpy(at, f->redacted, rl);
		memmove(at + rl, at + f->secret_len,
			n - (size_t)(at - s) - f->secret_len + 1);
		n -= f->secret_len - rl;
	}
}

void finding_scrub_answers(const struct finding *f, struct verification *v,
			   struct revocation *rv)
{
	if (v) {
		scrub(v->project_id, f);
		scrub(v->project_name, f);
		scrub(v->project_slug, f);
		scrub(v->reason, f);
		scrub(v->request_id, f);
	}
	if (rv) {
		scrub(rv->request_id, f);
		scrub(rv->reason, f);
	}
}

void findings_init(struct findings *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void findings_release(struct findings *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		finding_release(&l->v[i]);
	free(l->v);
	findings_init(l);
}

static int reserve(struct findings *l, size_t more)
{
	return array_reserve(&l->v, &l->cap, l->n + more, sizeof(*l->v));
}

int findings_push(struct findings *l, struct finding *f)
{
	int err = reserve(l, 1);

	if (err)
		return err;
	l->v[l->n++] = *f;
	memset(f, 0, sizeof(*f));
	f->reachable = -1;
	return 0;
}

int findings_merge(struct findings *dst, struct findings *src)
{
	int err = reserve(dst, src->n);

	if (err)
		return err;
	if (src->n)
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	free(src->v);
	findings_init(src);
	return 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->path, b->path)) ||
	    (c = cmp_u64(a->offset, b->offset)) ||
	    (c = cmp_str(a->rule->id, b->rule->id)) ||
	    (c = cmp_str(a->commit, b->commit)) ||
	    (c = cmp_str(a->location, b->location)))
		return c;
	return 0;
}

void findings_sort(struct findings *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_finding);
}

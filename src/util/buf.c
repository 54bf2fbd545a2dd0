/*
 * struct buf: a bounded, binary-safe byte buffer. Growth doubles, capped
 * at the buffer's maximum; wiping buffers zero what they leave behind.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"

static char empty_buf[1];

void buf_init(struct buf *b, size_t max)
{
	b->ptr = empty_buf;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->wipe = 0;
	b->err = 0;
}

void buf_release(struct buf *b)
{
	int wipe = b->wipe;

	if (b->cap) {
		if (wipe)
			explicit_bzero(b->ptr, b->cap);
		free(b->ptr);
	}
	buf_init(b, b->max);
	b->wipe = wipe;
}

int buf_grow(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->err)
		return b->err;
	if (n > b->max || b->len > b->max - n)
		return b->err = error_set(NFG_ELIMIT,
					  "buffer limit of %zu bytes reached",
					  b->max);
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if (b->wipe && b->cap) {
		p = malloc(cap);
		if (p) {
			memcpy(p, b->ptr, b->len + 1);
			explicit_bzero(b->ptr, b->cap);
			free(b->ptr);
		}
	} else {
		p = realloc(b->cap ? b->ptr : NULL, cap);
	}
	if (!p)
		return b->err = error_nomem();
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	int err = buf_grow(b, n);

	if (err)
		return err;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, err;

	if (b->err)
		return b->err;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return b->err = error_set(NFG_EINVAL, "bad format string");
	err = buf_grow(b, (size_t)n);
	if (err)
		return err;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int buf_failed(const struct buf *b)
{
	return b->err;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len)
		n = b->len;
	if (!b->cap)
		return;
	memmove(b->ptr, b->ptr + n, b->len - n);
	b->len -= n;
	b->ptr[b->len] = '\0';
}

void buf_truncate(struct buf *b, size_t n)
{
	if (n >= b->len)
		return;
	b->len = n;
	b->ptr[n] = '\0';
}

char *buf_detach(struct buf *b, size_t *len_out)
{
	char *p = b->cap ? b->ptr : strdup("");

	if (len_out)
		*len_out = b->cap ? b->len : 0;
	buf_init(b, b->max);
	return p;
}

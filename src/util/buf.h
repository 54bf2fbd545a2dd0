/*
 * The one growable byte buffer: binary-safe, always NUL-terminated, with a
 * maximum size. An append that would pass the maximum fails with
 * NFG_ELIMIT and leaves the buffer as it was.
 *
 * Failure is sticky: after the first failed append (or grow) every later
 * one does nothing and returns that same code, so a writer may append a
 * whole document and check buf_failed once at the end. buf_reset,
 * buf_release and buf_detach start afresh.
 *
 * Ownership: struct buf is caller-owned (buf_init/buf_release); the bytes
 * belong to the buffer until buf_detach hands them over.
 */
#ifndef NFG_UTIL_BUF_H
#define NFG_UTIL_BUF_H

#include <stddef.h>

struct buf {
	char *ptr;  /* NUL-terminated when cap > 0; "" before the first add */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* largest len allowed */
	int wipe;   /* zero old memory on grow and release (secrets) */
	int err;    /* the first failure (NFG_*), 0 while there is none */
};

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

/* Initialises an empty buffer that may hold up to max bytes. */
void buf_init(struct buf *b, size_t max);

/* Frees the bytes (wiping them first if b->wipe) and re-initialises. */
void buf_release(struct buf *b);

/*
 * Makes room for n more bytes. 0, NFG_ENOMEM or NFG_ELIMIT (or the
 * buffer's earlier failure).
 */
int buf_grow(struct buf *b, size_t n);

/* Appends n bytes. 0, NFG_ENOMEM or NFG_ELIMIT. */
int buf_add(struct buf *b, const void *data, size_t n);

/* Appends a NUL-terminated string. */
int buf_puts(struct buf *b, const char *s);

/* Appends one byte. */
int buf_putc(struct buf *b, char c);

/* Appends printf-formatted text. */
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The buffer's first failure since it was last started afresh, 0 if none;
 * the last error still holds its message.
 */
int buf_failed(const struct buf *b);

/* Sets len to 0 and forgets a failure (keeps the allocation). */
void buf_reset(struct buf *b);

/* Drops the first n bytes, moving the rest to the front. */
void buf_consume(struct buf *b, size_t n);

/*
 * Drops the bytes past the first n (nothing when n >= len), keeping the
 * allocation and any failure.
 */
void buf_truncate(struct buf *b, size_t n);

/*
 * Returns the bytes (NUL-terminated, caller frees) and re-initialises the
 * buffer. Never NULL: an empty buffer detaches as a fresh "" allocation,
 * or NULL only when that allocation fails.
 */
char *buf_detach(struct buf *b, size_t *len_out);

#endif

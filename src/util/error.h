/*
 * Error codes and the thread-local "last error" message. A failing function
 * sets the message once, at the lowest level that knows why, and returns the
 * negative code; callers above it only pass the code up.
 */
#ifndef NFG_UTIL_ERROR_H
#define NFG_UTIL_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum {
	NFG_OK = 0,
	NFG_ERR = -1,	    /* generic failure */
	NFG_ENOMEM = -2,    /* allocation failed */
	NFG_EIO = -3,	    /* read/write/open failed */
	NFG_EINVAL = -4,    /* bad input: usage, rule file, data */
	NFG_ELIMIT = -5,    /* a size limit was reached */
	NFG_ENOTFOUND = -6, /* a named thing does not exist */
	NFG_ECORRUPT = -7   /* stored data fails its checksum or id */
};

/*
 * Sets the calling thread's last error message (printf format; a message
 * longer than 1 KiB loses its middle, never inside a word and never the
 * errno reason) and returns code, so that callers can write
 * `return error_set(NFG_EIO, "cannot open '%s': %s", ...)`.
 * Messages must never contain a secret.
 */
int error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like error_set, with strerror(errnum) appended after ": ". */
int error_set_errno(int code, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* error_set(NFG_ENOMEM, "out of memory"): the one out-of-memory error. */
int error_nomem(void);

/*
 * Formats a message into dst (size > 16) the way error_set does: one
 * that does not fit loses its middle, never inside a word (a token is
 * whole, for redaction to find, or gone) and never suffix, which ends
 * it ("" for none). For every fixed buffer a message that quotes a path
 * or name is formatted into. Never fails (may allocate; without memory
 * the end is cut instead, at a word's edge).
 */
void error_vformat(char *dst, size_t size, const char *suffix, const char *fmt,
		   va_list ap) __attribute__((format(printf, 4, 0)));

/* error_vformat with arguments and no suffix. */
void error_format(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Returns the last message of this thread ("" when none); borrowed. */
const char *error_last(void);

/* Forgets the last message of this thread. */
void error_clear(void);

/*
 * For clang-tidy's analyzer, which reads one file at a time: the three
 * that set an error return the code they are given, so a path on which
 * one failed is not taken for a success. error.c defines the functions.
 */
#ifdef __clang_analyzer__
#define error_set(code, ...)	   (error_set(code, __VA_ARGS__), (code))
#define error_set_errno(code, ...) (error_set_errno(code, __VA_ARGS__), (code))
#define error_nomem()		   (error_nomem(), NFG_ENOMEM)
#endif

#endif

/*
 * Thread-local last-error storage: one fixed buffer per thread, so setting
 * an error never allocates and never fails.
 */
#include "util/common.h"
#include "util/error.h"

#include <ctype.h>

/* error.h's models for the analyzer are for callers: these are the real. */
#undef error_set
#undef error_set_errno
#undef error_nomem

static _Thread_local char last_error[1024];

/* A byte that may be part of a token or a word: never cut next to one. */
static int word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c >= 0x80;
}

/*
 * Stores msg (n bytes) and suffix in dst. What does not fit loses its
 * middle, not its end, so that a long path never hides the reason after
 * it; the cut never falls inside a word, so a token in msg is either
 * whole (and the caller's redaction finds it) or gone.
 */
static void store(char *dst, size_t size, const char *msg, size_t n,
		  const char *suffix)
{
	static const char gap[] = " ... ";
	size_t sl = strlen(suffix), room = size - 1, head, tail, at;

	if (sl > room / 2)
		sl = 0;
	if (n + sl <= room) {
		memmove(dst, msg, n);
		memcpy(dst + n, suffix, sl);
		dst[n + sl] = '\0';
		return;
	}
	room -= sl + sizeof(gap) - 1;
	head = room / 2;
	tail = n - (room - head);
	while (head && word_byte((unsigned char)msg[head - 1]) &&
	       word_byte((unsigned char)msg[head]))
		head--;
	while (tail < n && word_byte((unsigned char)msg[tail - 1]) &&
	       word_byte((unsigned char)msg[tail]))
		tail++;
	memmove(dst, msg, head);
	memcpy(dst + head, gap, sizeof(gap) - 1);
	at = head + sizeof(gap) - 1;
	memmove(dst + at, msg + tail, n - tail);
	memcpy(dst + at + n - tail, suffix, sl);
	dst[at + n - tail + sl] = '\0';
}

void error_vformat(char *dst, size_t size, const char *suffix, const char *fmt,
		   va_list ap)
{
	char *whole;
	va_list again;
	size_t end;
	int n;

	va_copy(again, ap);
	n = vsnprintf(dst, size, fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < size) {
		store(dst, size, dst, (size_t)n, suffix);
	} else if ((whole = malloc((size_t)n + 1))) {
		vsnprintf(whole, (size_t)n + 1, fmt, again);
		store(dst, size, whole, (size_t)n, suffix);
		free(whole);
	} else {
		/* No memory: the end goes instead, still at a word's edge. */
		end = strlen(suffix) + 4 < size / 2 ? size - 5 - strlen(suffix)
						    : size - 5;
		while (end && word_byte((unsigned char)dst[end - 1]) &&
		       word_byte((unsigned char)dst[end]))
			end--;
		snprintf(dst + end, size - end, " ...%s",
			 size - end > strlen(suffix) + 4 ? suffix : "");
	}
	va_end(again);
}

void error_format(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vformat(dst, size, "", fmt, ap);
	va_end(ap);
}

static void set_msg(const char *fmt, va_list ap, int errnum)
	__attribute__((format(printf, 1, 0)));

static void set_msg(const char *fmt, va_list ap, int errnum)
{
	char reason[160] = "";

	if (errnum)
		snprintf(reason, sizeof(reason), ": %s", strerror(errnum));
	error_vformat(last_error, sizeof(last_error), reason, fmt, ap);
}

int error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(fmt, ap, 0);
	va_end(ap);
	return code;
}

int error_set_errno(int code, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(fmt, ap, errnum);
	va_end(ap);
	return code;
}

const char *error_last(void)
{
	return last_error;
}

void error_clear(void)
{
	last_error[0] = '\0';
}

int error_nomem(void)
{
	return error_set(NFG_ENOMEM, "out of memory");
}

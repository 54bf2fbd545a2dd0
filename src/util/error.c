/*
 * Thread-local last-error storage: one fixed buffer per thread, so setting
 * an error never allocates and never fails.
 */
#include "util/common.h"
#include "util/error.h"

/* error.h's models for the analyzer are for callers: these are the real. */
#undef error_set
#undef error_set_errno
#undef error_nomem

static _Thread_local char last_error[1024];

static void set_msg(const char *fmt, va_list ap, int errnum)
	__attribute__((format(printf, 1, 0)));

static void set_msg(const char *fmt, va_list ap, int errnum)
{
	int n = vsnprintf(last_error, sizeof(last_error), fmt, ap);

	if (errnum && n >= 0 && (size_t)n < sizeof(last_error))
		snprintf(last_error + n, sizeof(last_error) - (size_t)n, ": %s",
			 strerror(errnum));
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

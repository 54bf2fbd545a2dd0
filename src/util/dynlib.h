/*
 * A shared library loaded at run time (dlopen) into a table of function
 * pointers, once per process: libcurl (net/) and libarchive (decode/)
 * are mapped only by the runs that use them, so the pre-commit hook and
 * most scans never pay for loading them and what they pull in.
 *
 * Ownership: a struct dynlib is a static object of its user; the table
 * it fills lives as long as the process (a library is never unloaded).
 */
#ifndef NFG_UTIL_DYNLIB_H
#define NFG_UTIL_DYNLIB_H

#include <pthread.h>
#include <stddef.h>

/* One function: its name in the library, its field's place in the table. */
struct dynlib_sym {
	const char *name;
	size_t off;
};
#define DYNLIB_SYM(type, field, name)                                          \
	{                                                                      \
		name, offsetof(type, field)                                    \
	}

/* What to load and where, and (private) how the first load went. */
struct dynlib {
	const char *soname; /* e.g. "libcurl.so.4" */
	const char *lib;    /* the library's name in messages: "libcurl" */
	const char *need;   /* what needs it: "verification needs it" */
	const struct dynlib_sym *syms;
	size_t nsyms;
	void *table; /* nsyms function pointers at syms' offsets */
	size_t size; /* sizeof(*table) */
	pthread_mutex_t lock;
	int state; /* 0 not tried, 1 loaded, <0 the failure */
	char msg[512];
};
#define DYNLIB_INIT(soname, lib, need, syms, tablep)                           \
	{                                                                      \
		soname, lib, need, syms, sizeof(syms) / sizeof((syms)[0]),     \
			(tablep), sizeof(*(tablep)),                           \
			PTHREAD_MUTEX_INITIALIZER, 0,                          \
		{                                                              \
			0                                                      \
		}                                                              \
	}

/*
 * Loads d->soname (dlopen) and every function of d->syms into d->table,
 * on the first call; later calls (from any thread) give the same result.
 * 0, or NFG_ERR with "cannot load LIB (REASON); NEED", REASON being
 * dlerror's text or "SONAME has no NAME" (the first function missing).
 */
int dynlib_get(struct dynlib *d);

/*
 * dynlib_get's loading itself, uncached, from any soname (tests name one
 * that does not exist, or a library without the functions): on failure
 * the library is closed and d->table zeroed.
 */
int dynlib_load_from(struct dynlib *d, const char *soname);

#endif

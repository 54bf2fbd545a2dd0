/*
 * Loading a library at run time: dlopen of its soname and dlsym of each
 * function of its table, once per process (dynlib.h).
 */
#include "util/common.h"

#include <dlfcn.h>

#include "util/dynlib.h"
#include "util/error.h"

int dynlib_load_from(struct dynlib *d, const char *soname)
{
	void *lib, *sym;
	size_t i;

	memset(d->table, 0, d->size);
	lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return error_set(NFG_ERR, "cannot load %s (%s); %s", d->lib,
				 dlerror(), d->need);
	for (i = 0; i < d->nsyms; i++) {
		sym = dlsym(lib, d->syms[i].name);
		if (!sym) {
			dlclose(lib);
			memset(d->table, 0, d->size);
			return error_set(
				NFG_ERR, "cannot load %s (%s has no %s); %s",
				d->lib, soname, d->syms[i].name, d->need);
		}
		/* POSIX: a function's address as dlsym gives it. */
		memcpy((char *)d->table + d->syms[i].off, &sym, sizeof(sym));
	}
	return 0;
}

int dynlib_get(struct dynlib *d)
{
	int err;

	pthread_mutex_lock(&d->lock);
	if (!d->state) {
		err = dynlib_load_from(d, d->soname);
		d->state = err ? err : 1;
		if (err)
			snprintf(d->msg, sizeof(d->msg), "%s", error_last());
	}
	err = d->state < 0 ? error_set(d->state, "%s", d->msg) : 0;
	pthread_mutex_unlock(&d->lock);
	return err;
}

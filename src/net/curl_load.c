/*
 * Loading libcurl at run time: dlopen of its soname and dlsym of each
 * function of struct curl_fns, once per process.
 */
#include "util/common.h"

#include <dlfcn.h>
#include <pthread.h>

#include "util/error.h"
#include "net/curl_load.h"

/* Each function's name in libcurl and its field in struct curl_fns. */
#define FN(field, name)                                                        \
	{                                                                      \
		name, offsetof(struct curl_fns, field)                         \
	}
static const struct {
	const char *name;
	size_t off;
} fns[] = {
	FN(global_init, "curl_global_init"),
	FN(global_cleanup, "curl_global_cleanup"),
	FN(version_info, "curl_version_info"),
	FN(url, "curl_url"),
	FN(url_set, "curl_url_set"),
	FN(url_get, "curl_url_get"),
	FN(url_cleanup, "curl_url_cleanup"),
	FN(free, "curl_free"),
	FN(getdate, "curl_getdate"),
	FN(easy_init, "curl_easy_init"),
	FN(easy_setopt, "curl_easy_setopt"),
	FN(easy_getinfo, "curl_easy_getinfo"),
	FN(easy_cleanup, "curl_easy_cleanup"),
	FN(slist_append, "curl_slist_append"),
	FN(slist_free_all, "curl_slist_free_all"),
	FN(multi_init, "curl_multi_init"),
	FN(multi_setopt, "curl_multi_setopt"),
	FN(multi_add_handle, "curl_multi_add_handle"),
	FN(multi_remove_handle, "curl_multi_remove_handle"),
	FN(multi_perform, "curl_multi_perform"),
	FN(multi_info_read, "curl_multi_info_read"),
	FN(multi_poll, "curl_multi_poll"),
	FN(multi_cleanup, "curl_multi_cleanup"),
};

int curl_load_from(const char *soname, struct curl_fns *out)
{
	void *lib, *sym;
	size_t i;

	memset(out, 0, sizeof(*out));
	lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return error_set(NFG_ERR,
				 "cannot load libcurl (%s); verification "
				 "needs it",
				 dlerror());
	for (i = 0; i < ARRAY_SIZE(fns); i++) {
		sym = dlsym(lib, fns[i].name);
		if (!sym) {
			dlclose(lib);
			memset(out, 0, sizeof(*out));
			return error_set(NFG_ERR,
					 "cannot load libcurl (%s has no %s); "
					 "verification needs it",
					 soname, fns[i].name);
		}
		/* POSIX: a function's address as dlsym gives it. */
		memcpy((char *)out + fns[i].off, &sym, sizeof(sym));
	}
	return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct curl_fns table;
static int load_err;
static char load_msg[512];

static void load_once(void)
{
	load_err = curl_load_from(CURL_LOAD_SONAME, &table);
	if (load_err)
		snprintf(load_msg, sizeof(load_msg), "%s", error_last());
}

int curl_load(const struct curl_fns **out)
{
	pthread_once(&once, load_once);
	if (load_err)
		return error_set(load_err, "%s", load_msg);
	*out = &table;
	return 0;
}

const struct curl_fns *curl_fns(void)
{
	return &table;
}

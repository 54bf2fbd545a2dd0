/*
 * Loading libcurl at run time (util/dynlib.h): the functions of struct
 * curl_fns, once per process.
 */
#include "util/common.h"

#include "util/dynlib.h"
#include "util/error.h"
#include "net/curl_load.h"

#define FN(field, name) DYNLIB_SYM(struct curl_fns, field, name)
static const struct dynlib_sym fns[] = {
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

#define LIBCURL(tablep)                                                        \
	DYNLIB_INIT(CURL_LOAD_SONAME, "libcurl", "verification needs it", fns, \
		    tablep)
static struct curl_fns table;
static struct dynlib lib = LIBCURL(&table);

int curl_load_from(const char *soname, struct curl_fns *out)
{
	struct dynlib d = LIBCURL(out);

	return dynlib_load_from(&d, soname);
}

int curl_load(const struct curl_fns **out)
{
	int err = dynlib_get(&lib);

	if (!err)
		*out = &table;
	return err;
}

const struct curl_fns *curl_fns(void)
{
	return &table;
}

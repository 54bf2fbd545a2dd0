/*
 * libcurl, loaded at run time on the first request (dlopen), so that a
 * scan without --verify, such as the pre-commit hook, never maps libcurl
 * and the two dozen libraries it pulls in: loading them was most of the
 * hook's start-up. Internal to net/: http.c calls libcurl only through
 * this table.
 *
 * Ownership: the table lives as long as the process (libcurl is never
 * unloaded). Errors: NFG_ERR with a message naming the library.
 */
#ifndef NFG_NET_CURL_LOAD_H
#define NFG_NET_CURL_LOAD_H

#include <stddef.h>
#include <time.h>

#include <curl/curl.h>

/* libcurl's soname on Linux since 7.16. */
#define CURL_LOAD_SONAME "libcurl.so.4"

/* The libcurl functions nfguard calls. */
struct curl_fns {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	curl_version_info_data *(*version_info)(CURLversion v);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *content,
			     unsigned int flags);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart part, char **content,
			     unsigned int flags);
	void (*url_cleanup)(CURLU *u);
	void (*free)(void *p);
	time_t (*getdate)(const char *p, const time_t *unused);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *m, CURLMoption opt, ...);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *h);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *h);
	CURLMcode (*multi_perform)(CURLM *m, int *running);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
	CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd extra[],
				unsigned int n, int timeout_ms, int *ret);
	CURLMcode (*multi_cleanup)(CURLM *m);
};

/*
 * Loads CURL_LOAD_SONAME once per process (thread-safe) and sets *out to
 * its table; later calls give the same table, or the same failure:
 * NFG_ERR "cannot load libcurl (REASON); verification needs it".
 */
int curl_load(const struct curl_fns **out);

/* The table, once curl_load succeeded (only then). */
const struct curl_fns *curl_fns(void);

/*
 * Loads the library soname into *out, every function found, or fails
 * with NFG_ERR naming what is missing (the library is then closed). For
 * curl_load, and for tests with a name that does not exist.
 */
int curl_load_from(const char *soname, struct curl_fns *out);

#endif

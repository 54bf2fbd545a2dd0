/*
 * Fuzzes the request specs of rules (src/verify/spec.c): the first byte
 * picks verify or revoke (their status sets), the rest is the JSON ("$K"
 * a token). The oracle: a spec that parses is valid (method, path,
 * headers, a {{secret}}, statuses in range), parses the same again and
 * from its own JSON, and builds a request for the longest secret the
 * built-in rule takes, to the https base's host or to a loopback one;
 * one that does not parse has a message naming the rule.
 */
#include "fuzz.h"
#include "util/error.h"
#include "verify/revoke.h"
#include "verify/verify.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

/* The longest token the built-in rule takes: prefix and 256 bytes. */
#define SECRET_MAX (6 + 256)

static const char *const verify_keys[] = {"live", "invalid", NULL};
static const char *const revoke_keys[] = {"revoked", "unsupported", NULL};

static int printable(const char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

/* What api_spec_parse promises of a spec it accepted. */
static void check_valid(const struct api_spec *s, size_t nkeys)
{
	static const char *const methods[] = {"GET", "HEAD",  "POST",
					      "PUT", "PATCH", "DELETE"};
	size_t i, j, secrets = 0;
	int known = 0;

	for (i = 0; i < 6; i++)
		known |= !strcmp(s->method, methods[i]);
	FUZZ_CHECK(known);
	FUZZ_CHECK(s->path[0] == '/' && printable(s->path));
	FUZZ_CHECK(!strpbrk(s->path, " ?#") && !strstr(s->path, "{{"));
	FUZZ_CHECK(s->nheaders >= 1);
	for (i = 0; i < s->nheaders; i++) {
		const char *v = s->header_values[i], *q;

		FUZZ_CHECK(s->header_names[i][0] &&
			   strspn(s->header_names[i],
				  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
				  "QRSTUVWXYZ0123456789-_") ==
				   strlen(s->header_names[i]));
		FUZZ_CHECK(printable(v));
		for (q = v; (q = strstr(q, "{{")) != NULL; q += 10) {
			FUZZ_CHECK(!strncmp(q, "{{secret}}", 10));
			secrets++;
		}
	}
	FUZZ_CHECK(secrets >= 1);
	for (i = 0; i < API_SPEC_MAX_SETS; i++) {
		FUZZ_CHECK(i < nkeys ? s->sets[i].n >= 1 : s->sets[i].n == 0);
		for (j = 0; j < s->sets[i].n; j++)
			FUZZ_CHECK(s->sets[i].v[j] >= 100 &&
				   s->sets[i].v[j] <= 599);
	}
}

static int same_spec(const struct api_spec *a, const struct api_spec *b)
{
	size_t i;

	if (strcmp(a->method, b->method) || strcmp(a->path, b->path) ||
	    a->nheaders != b->nheaders)
		return 0;
	for (i = 0; i < a->nheaders; i++)
		if (strcmp(a->header_names[i], b->header_names[i]) ||
		    strcmp(a->header_values[i], b->header_values[i]))
			return 0;
	for (i = 0; i < API_SPEC_MAX_SETS; i++)
		if (a->sets[i].n != b->sets[i].n ||
		    (a->sets[i].n && memcmp(a->sets[i].v, b->sets[i].v,
					    a->sets[i].n * sizeof(long))))
			return 0;
	return 1;
}

/* The spec as JSON again (caller frees). */
static char *to_json(const struct api_spec *s, const char *const *keys)
{
	cJSON *o = cJSON_CreateObject(), *h = cJSON_CreateObject(), *a;
	char *text;
	size_t i, j;

	if (!o || !h)
		abort();
	cJSON_AddStringToObject(o, "method", s->method);
	cJSON_AddStringToObject(o, "path", s->path);
	for (i = 0; i < s->nheaders; i++)
		cJSON_AddStringToObject(h, s->header_names[i],
					s->header_values[i]);
	cJSON_AddItemToObject(o, "headers", h);
	for (i = 0; keys[i]; i++) {
		a = cJSON_AddArrayToObject(o, keys[i]);
		for (j = 0; a && j < s->sets[i].n; j++)
			cJSON_AddItemToArray(
				a, cJSON_CreateNumber((double)s->sets[i].v[j]));
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		abort();
	return text;
}

/* The request for the longest secret goes to base's host, as base. */
static void check_request(const struct api_spec *s, const char *base,
			  const char *scheme, const char *host)
{
	struct http_request r;
	char secret[SECRET_MAX], *got = NULL;
	CURLU *u = curl_url();
	int err;

	memset(secret, 'a', sizeof(secret));
	memcpy(secret,
	       "nf_"
	       "at_",
	       6);
	err = verify_request_init(&r, s, base, secret, sizeof(secret));
	FUZZ_CHECK(err == 0);
	FUZZ_CHECK(u && curl_url_set(u, CURLUPART_URL, r.url, 0) == CURLUE_OK);
	FUZZ_CHECK(curl_url_get(u, CURLUPART_SCHEME, &got, 0) == CURLUE_OK &&
		   !strcmp(got, scheme));
	curl_free(got);
	FUZZ_CHECK(curl_url_get(u, CURLUPART_HOST, &got, 0) == CURLUE_OK &&
		   !strcmp(got, host));
	curl_free(got);
	curl_url_cleanup(u);
	http_request_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *keywords[] = {"nf_"
				   "at_"};
	struct rule_spec rule = {.id = "fuzz-rule",
				 .origin = "fuzz.json",
				 .keywords = keywords,
				 .nkeywords = 1,
				 .max_length = 256};
	const char *const *keys;
	struct api_spec s, again;
	size_t len;
	char *json, *round;
	int err;

	if (!size)
		return 0;
	keys = data[0] & 1 ? revoke_keys : verify_keys;
	json = fuzz_expand_tokens(data + 1, size - 1, &len);
	error_clear();
	err = api_spec_parse(&s, json, "verify", keys, &rule);
	if (err) {
		FUZZ_CHECK(err == NFG_EINVAL || err == NFG_ENOMEM);
		FUZZ_CHECK(err == NFG_ENOMEM ||
			   strstr(error_last(), "rule 'fuzz-rule'"));
		free(json);
		return 0;
	}
	check_valid(&s, 2);
	FUZZ_CHECK(api_spec_parse(&again, json, "verify", keys, &rule) == 0);
	FUZZ_CHECK(same_spec(&s, &again));
	api_spec_release(&again);
	round = to_json(&s, keys);
	FUZZ_CHECK(api_spec_parse(&again, round, "verify", keys, &rule) == 0);
	FUZZ_CHECK(same_spec(&s, &again));
	api_spec_release(&again);
	check_request(&s, "https://api.example.com/", "https",
		      "api.example.com");
	check_request(&s, "http://127.0.0.1:8080", "http", "127.0.0.1");
	free(round);
	api_spec_release(&s);
	free(json);
	return 0;
}

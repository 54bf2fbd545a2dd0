/*
 * Fuzzes .nfguard.json (config_parse). Oracle: what cJSON cannot read as
 * one object of known, distinct keys is rejected with a message naming the
 * file and only defaults left; what is accepted holds every key's value
 * as written (paths joined with the file's folder) within its documented
 * bounds, and written back as JSON it loads to the same settings.
 */
#include "fuzz.h"
#include "config/config.h"
#include "decode/decode.h"
#include "util/error.h"
#include "util/glob.h"
#include "util/parse.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH "sub/.nfguard.json"

/* The parser's own list: a key it learns is fuzzed at once. */
static int known(const char *k)
{
	size_t i, n;
	const char *const *keys = config_keys(&n);

	for (i = 0; i < n; i++)
		if (!strcmp(k, keys[i]))
			return 1;
	return 0;
}

/* A path from the file as config_parse must hold it. */
static void check_path(const char *got, const cJSON *raw)
{
	FUZZ_CHECK(cJSON_IsString(raw) && raw->valuestring &&
		   *raw->valuestring && got);
	if (raw->valuestring[0] == '/')
		FUZZ_CHECK(!strcmp(got, raw->valuestring));
	else
		FUZZ_CHECK(!strncmp(got, "sub/", 4) &&
			   !strcmp(got + 4, raw->valuestring));
}

static void check_list(char **got, size_t n, const cJSON *raw, int globs)
{
	const cJSON *e;
	size_t i = 0;

	FUZZ_CHECK(cJSON_IsArray(raw) && (size_t)cJSON_GetArraySize(raw) == n);
	cJSON_ArrayForEach(e, raw)
	{
		if (globs) {
			FUZZ_CHECK(!strcmp(got[i], e->valuestring));
			FUZZ_CHECK(glob_check(got[i], NULL) == 0);
		} else {
			check_path(got[i], e);
		}
		i++;
	}
}

/* A size as config_parse must hold it: the string's, or the number. */
static void check_size(uint64_t got, const cJSON *raw)
{
	uint64_t want;

	if (cJSON_IsString(raw))
		FUZZ_CHECK(parse_size(raw->valuestring, &want) == 0 &&
			   got == want);
	else
		FUZZ_CHECK(cJSON_IsNumber(raw) &&
			   raw->valuedouble == (double)got);
}

/* A decode list as config_parse must hold it: the decoders it names. */
static void check_decode(unsigned got, const cJSON *raw)
{
	unsigned want = 0;

	FUZZ_CHECK(cJSON_IsString(raw) &&
		   decode_parse_list(raw->valuestring, &want) == 0 &&
		   got == want && !(got & ~(unsigned)DECODE_ALL));
}

/* Every field of c says what the object root says, within bounds. */
static void check_fields(const struct config *c, const cJSON *root)
{
	const cJSON *it;

	FUZZ_CHECK(!strcmp(c->path, PATH) && !strcmp(c->dir, "sub"));
	FUZZ_CHECK(c->has_rules == !!cJSON_GetObjectItem(root, "rules"));
	FUZZ_CHECK(c->has_jobs == !!cJSON_GetObjectItem(root, "jobs"));
	FUZZ_CHECK(c->has_decode == !!cJSON_GetObjectItem(root, "decode"));
	FUZZ_CHECK(c->has_decode || c->decode == 0);
	FUZZ_CHECK(c->has_jobs ? c->jobs >= 1 && c->jobs <= 256 : c->jobs == 0);
	FUZZ_CHECK(c->has_format == !!c->format);
	FUZZ_CHECK(c->has_baseline == !!c->baseline);
	FUZZ_CHECK(c->has_ignore_file == !!c->ignore_file);
	FUZZ_CHECK(c->has_exit_code || c->exit_code == 1);
	FUZZ_CHECK(c->fail_on == CONFIG_FAIL_ON_ANY ||
		   (c->has_fail_on && c->fail_on == CONFIG_FAIL_ON_LIVE));
	FUZZ_CHECK(c->skip_unreadable == 0 || c->skip_unreadable == 1);
	FUZZ_CHECK(c->report_unused_ignores == 0 ||
		   c->report_unused_ignores == 1);
	cJSON_ArrayForEach(it, root)
	{
		const char *k = it->string;

		if (!strcmp(k, "rules"))
			check_list(c->rules, c->nrules, it, 0);
		else if (!strcmp(k, "allow_paths"))
			check_list(c->allow_paths, c->nallow_paths, it, 1);
		else if (!strcmp(k, "exit_code"))
			FUZZ_CHECK(cJSON_IsNumber(it) &&
				   it->valuedouble == (double)c->exit_code);
		else if (!strcmp(k, "jobs"))
			FUZZ_CHECK(it->valuedouble == (double)c->jobs);
		else if (!strcmp(k, "format"))
			FUZZ_CHECK(!strcmp(it->valuestring, c->format));
		else if (!strcmp(k, "baseline"))
			check_path(c->baseline, it);
		else if (!strcmp(k, "ignore_file"))
			check_path(c->ignore_file, it);
		else if (!strcmp(k, "fail_on"))
			FUZZ_CHECK(c->fail_on ==
				   (!strcmp(it->valuestring, "live")
					    ? CONFIG_FAIL_ON_LIVE
					    : CONFIG_FAIL_ON_ANY));
		else if (!strcmp(k, "skip_unreadable"))
			FUZZ_CHECK(c->skip_unreadable == cJSON_IsTrue(it));
		else if (!strcmp(k, "report_unused_ignores"))
			FUZZ_CHECK(c->report_unused_ignores ==
				   cJSON_IsTrue(it));
		else if (!strcmp(k, "exclude_paths"))
			check_list(c->exclude_paths, c->nexclude_paths, it, 1);
		else if (!strcmp(k, "max_file_size"))
			check_size(c->max_file_size, it);
		else if (!strcmp(k, "decode"))
			check_decode(c->decode, it);
	}
}

static void add_strv(cJSON *o, const char *key, char **v, size_t n, int has)
{
	cJSON *a;
	size_t i;

	if (!has)
		return;
	a = cJSON_AddArrayToObject(o, key);
	for (i = 0; a && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
}

/* A decode list written back: "none", or each decoder's name. */
static void add_decode(cJSON *o, unsigned decode)
{
	char list[256] = "none";
	size_t len = 0;
	unsigned bit;

	for (bit = 1; bit & DECODE_ALL; bit <<= 1)
		if ((decode & bit) && decoder_name(bit))
			len += (size_t)snprintf(list + len, sizeof(list) - len,
						"%s%s", len ? "," : "",
						decoder_name(bit));
	cJSON_AddStringToObject(o, "decode", list);
}

/* c written back as JSON, loaded from a folder-less name, is c again. */
static void check_round_trip(const struct config *c)
{
	cJSON *o = cJSON_CreateObject();
	struct config d;
	char *text, size[24];
	size_t i;

	if (!o)
		abort();
	add_strv(o, "rules", c->rules, c->nrules, c->has_rules);
	add_strv(o, "allow_paths", c->allow_paths, c->nallow_paths,
		 c->has_allow_paths);
	if (c->has_exit_code)
		cJSON_AddNumberToObject(o, "exit_code", c->exit_code);
	if (c->has_format)
		cJSON_AddStringToObject(o, "format", c->format);
	if (c->has_baseline)
		cJSON_AddStringToObject(o, "baseline", c->baseline);
	if (c->has_ignore_file)
		cJSON_AddStringToObject(o, "ignore_file", c->ignore_file);
	if (c->has_fail_on)
		cJSON_AddStringToObject(
			o, "fail_on",
			c->fail_on == CONFIG_FAIL_ON_LIVE ? "live" : "any");
	if (c->has_skip_unreadable)
		cJSON_AddBoolToObject(o, "skip_unreadable", c->skip_unreadable);
	if (c->has_jobs)
		cJSON_AddNumberToObject(o, "jobs", c->jobs);
	if (c->has_report_unused_ignores)
		cJSON_AddBoolToObject(o, "report_unused_ignores",
				      c->report_unused_ignores);
	add_strv(o, "exclude_paths", c->exclude_paths, c->nexclude_paths,
		 c->has_exclude_paths);
	if (c->has_max_file_size) {
		snprintf(size, sizeof(size), "%" PRIu64, c->max_file_size);
		cJSON_AddStringToObject(o, "max_file_size", size);
	}
	if (c->has_decode)
		add_decode(o, c->decode);
	text = cJSON_PrintUnformatted(o);
	if (!text)
		abort();
	FUZZ_CHECK(config_parse(&d, text, strlen(text), "x.json") == 0);
	FUZZ_CHECK(d.nrules == c->nrules && d.has_rules == c->has_rules);
	for (i = 0; i < d.nrules; i++)
		FUZZ_CHECK(!strcmp(d.rules[i], c->rules[i]));
	FUZZ_CHECK(d.nallow_paths == c->nallow_paths);
	for (i = 0; i < d.nallow_paths; i++)
		FUZZ_CHECK(!strcmp(d.allow_paths[i], c->allow_paths[i]));
	FUZZ_CHECK(d.exit_code == c->exit_code && d.format == c->format &&
		   d.fail_on == c->fail_on && d.jobs == c->jobs &&
		   d.skip_unreadable == c->skip_unreadable &&
		   d.report_unused_ignores == c->report_unused_ignores);
	FUZZ_CHECK(!d.baseline == !c->baseline &&
		   (!d.baseline || !strcmp(d.baseline, c->baseline)));
	FUZZ_CHECK(!d.ignore_file == !c->ignore_file &&
		   (!d.ignore_file || !strcmp(d.ignore_file, c->ignore_file)));
	FUZZ_CHECK(d.nexclude_paths == c->nexclude_paths &&
		   d.max_file_size == c->max_file_size);
	FUZZ_CHECK(d.has_decode == c->has_decode && d.decode == c->decode);
	for (i = 0; i < d.nexclude_paths; i++)
		FUZZ_CHECK(!strcmp(d.exclude_paths[i], c->exclude_paths[i]));
	config_release(&d);
	free(text);
	cJSON_Delete(o);
}

/* 1 when text is one JSON object of known keys, each once. */
static int plausible(const char *text, size_t size, cJSON **root)
{
	const char *end = NULL;
	const cJSON *it, *jt;

	*root = NULL;
	if (memchr(text, '\0', size))
		return 0;
	*root = cJSON_ParseWithLengthOpts(text, size, &end, 0);
	if (!*root || !cJSON_IsObject(*root))
		return 0;
	for (; end && end < text + size; end++)
		if (!strchr(" \t\r\n", *end))
			return 0;
	cJSON_ArrayForEach(it, *root)
	{
		if (!known(it->string))
			return 0;
		for (jt = (*root)->child; jt != it; jt = jt->next)
			if (!strcmp(jt->string, it->string))
				return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct config c, again;
	cJSON *root;
	int err, ok;

	error_clear();
	err = config_parse(&c, text, size, PATH);
	ok = plausible(text, size, &root);
	if (err) {
		FUZZ_CHECK(!strncmp(error_last(), PATH ": ", strlen(PATH) + 2));
		FUZZ_CHECK(!c.path && !c.rules && !c.allow_paths &&
			   !c.baseline && !c.format && c.exit_code == 1 &&
			   !c.has_rules && !c.has_jobs);
	} else {
		FUZZ_CHECK(ok);
		check_fields(&c, root);
		check_round_trip(&c);
		/* loading is deterministic */
		FUZZ_CHECK(config_parse(&again, text, size, PATH) == 0);
		FUZZ_CHECK(again.nrules == c.nrules &&
			   again.exit_code == c.exit_code &&
			   again.jobs == c.jobs);
		config_release(&again);
	}
	cJSON_Delete(root);
	config_release(&c);
	return 0;
}

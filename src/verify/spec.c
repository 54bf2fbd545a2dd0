/*
 * The API request a rule declares ("verify" or "revoke"), shared by
 * verification and revocation: the spec parsed and validated, parsed once
 * per rule in a cache, built into a request for one secret, and what any
 * answer of the API carries (its request id, a retry hint in the body).
 */
#include "util/common.h"

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/parse.h"
#include "verify/spec.h"

#define PLACEHOLDER "{{secret}}"

static const char *const methods[] = {"GET", "HEAD",  "POST",
				      "PUT", "PATCH", "DELETE"};

static int bad(const struct rule_spec *rule, const char *what,
	       const char *field, const char *why)
{
	return error_set(NFG_EINVAL, "%s: rule '%s': field '%s%s%s': %s",
			 rule->origin ? rule->origin : "rules",
			 rule->id ? rule->id : "?", what, *field ? "." : "",
			 field, why);
}

int api_spec_check_rules(const struct ruleset *rs, api_spec_parse_fn parse,
			 size_t json_off)
{
	struct api_spec s;
	size_t i;
	int err;

	for (i = 0; i < ruleset_count(rs); i++) {
		const struct rule_spec *r = ruleset_rule(rs, i);

		if (!*(const char *const *)(const void *)((const char *)r +
							  json_off))
			continue;
		if ((err = parse(&s, r)))
			return err;
		api_spec_release(&s);
	}
	return 0;
}

void api_spec_release(struct api_spec *s)
{
	size_t i;

	if (!s)
		return;
	free(s->method);
	free(s->path);
	for (i = 0; i < s->nheaders; i++) {
		free(s->header_names[i]);
		free(s->header_values[i]);
	}
	free(s->header_names);
	free(s->header_values);
	for (i = 0; i < API_SPEC_MAX_SETS; i++)
		free(s->sets[i].v);
	memset(s, 0, sizeof(*s));
}

int api_spec_has(const struct api_spec *s, size_t i, long status)
{
	size_t j;

	if (i >= API_SPEC_MAX_SETS)
		return 0;
	for (j = 0; j < s->sets[i].n; j++)
		if (s->sets[i].v[j] == status)
			return 1;
	return 0;
}

/* Printable ASCII only: what may go in a path or a header. */
static int printable(const char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

/* Every "{{" in p starts {{secret}}; *count gets how many there are. */
static int placeholders_ok(const char *p, size_t *count)
{
	const char *q;

	*count = 0;
	while ((q = strstr(p, "{{")) != NULL) {
		if (strncmp(q, PLACEHOLDER, sizeof(PLACEHOLDER) - 1))
			return 0;
		(*count)++;
		p = q + sizeof(PLACEHOLDER) - 1;
	}
	return 1;
}

static int header_name_ok(const char *p)
{
	if (!*p)
		return 0;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

/* 1 if "name: value" fits HTTP_HEADER_MAX with n secrets of the rule in. */
static int header_fits(const struct rule_spec *rule, const char *name,
		       const char *value, size_t n)
{
	size_t secret = 0, i, len;

	for (i = 0; i < rule->nkeywords; i++)
		if (strlen(rule->keywords[i]) > secret)
			secret = strlen(rule->keywords[i]);
	/* Each of the n placeholders in value gives way to a secret. */
	return !size_add(secret, rule->max_length, &secret) &&
	       !size_mul(secret, n, &len) &&
	       !size_add(len,
			 strlen(name) + 2 + strlen(value) -
				 n * (sizeof(PLACEHOLDER) - 1),
			 &len) &&
	       len <= HTTP_HEADER_MAX;
}

static int parse_headers(struct api_spec *s, const cJSON *h, const char *what,
			 const struct rule_spec *rule)
{
	const cJSON *e;
	size_t n = 0, total = 0, c;
	char field[160], why[128];

	if (!cJSON_IsObject(h))
		return bad(rule, what, "headers",
			   "must be an object of strings");
	n = (size_t)cJSON_GetArraySize(h);
	s->header_names = calloc(n + 1, sizeof(char *));
	s->header_values = calloc(n + 1, sizeof(char *));
	if (!s->header_names || !s->header_values)
		return error_nomem();
	cJSON_ArrayForEach(e, h)
	{
		snprintf(field, sizeof(field), "headers.%.100s", e->string);
		if (!header_name_ok(e->string))
			return bad(rule, what, field,
				   "not a valid header name");
		if (!cJSON_IsString(e) || !e->valuestring)
			return bad(rule, what, field, "must be a string");
		if (!printable(e->valuestring))
			return bad(rule, what, field,
				   "must be printable ASCII");
		if (!placeholders_ok(e->valuestring, &c))
			return bad(rule, what, field,
				   "the only placeholder is " PLACEHOLDER);
		if (!header_fits(rule, e->string, e->valuestring, c)) {
			snprintf(why, sizeof(why),
				 "too long: with the rule's longest secret in, "
				 "the header must fit %d bytes",
				 HTTP_HEADER_MAX);
			return bad(rule, what, field, why);
		}
		total += c;
		s->header_names[s->nheaders] = strdup(e->string);
		s->header_values[s->nheaders] = strdup(e->valuestring);
		if (!s->header_names[s->nheaders] ||
		    !s->header_values[s->nheaders])
			return error_nomem();
		s->nheaders++;
	}
	if (!total)
		return bad(rule, what, "headers",
			   "no header holds " PLACEHOLDER);
	return 0;
}

static int parse_set(struct status_set *set, const cJSON *a, const char *what,
		     const char *key, const struct rule_spec *rule)
{
	const cJSON *e;
	char field[64];
	size_t i = 0;

	if (!a)
		return bad(rule, what, key, "missing");
	if (!cJSON_IsArray(a) || !cJSON_GetArraySize(a))
		return bad(rule, what, key,
			   "must be a non-empty array of HTTP statuses");
	set->v = calloc((size_t)cJSON_GetArraySize(a), sizeof(long));
	if (!set->v)
		return error_nomem();
	cJSON_ArrayForEach(e, a)
	{
		snprintf(field, sizeof(field), "%s[%zu]", key, i);
		if (!cJSON_IsNumber(e) || e->valuedouble < 100 ||
		    e->valuedouble > 599 ||
		    e->valuedouble != (double)(long)e->valuedouble)
			return bad(rule, what, field,
				   "must be an HTTP status (100..599)");
		set->v[i++] = (long)e->valuedouble;
		set->n = i;
	}
	return 0;
}

static int parse_spec(struct api_spec *s, const cJSON *o, const char *what,
		      const char *const *set_keys, const struct rule_spec *rule)
{
	const cJSON *e;
	size_t i, j;
	char why[64];
	int err, known;

	if (!cJSON_IsObject(o))
		return bad(rule, what, "", "must be an object");
	cJSON_ArrayForEach(e, o)
	{
		known = !strcmp(e->string, "method") ||
			!strcmp(e->string, "path") ||
			!strcmp(e->string, "headers");
		for (j = 0; set_keys[j]; j++)
			known |= !strcmp(e->string, set_keys[j]);
		if (!known)
			return bad(rule, what, e->string, "unknown field");
	}
	e = cJSON_GetObjectItemCaseSensitive(o, "method");
	if (!e)
		return bad(rule, what, "method", "missing");
	for (i = 0; cJSON_IsString(e) && i < ARRAY_SIZE(methods); i++)
		if (!strcmp(e->valuestring, methods[i]))
			break;
	if (!cJSON_IsString(e) || i == ARRAY_SIZE(methods))
		return bad(rule, what, "method",
			   "must be GET, HEAD, POST, PUT, PATCH or DELETE");
	if (!(s->method = strdup(e->valuestring)))
		return error_nomem();
	e = cJSON_GetObjectItemCaseSensitive(o, "path");
	if (!e)
		return bad(rule, what, "path", "missing");
	if (!cJSON_IsString(e) || e->valuestring[0] != '/')
		return bad(rule, what, "path",
			   "must be a string starting "
			   "with '/'");
	if (!printable(e->valuestring) || strpbrk(e->valuestring, " ?#"))
		return bad(rule, what, "path",
			   "must be printable ASCII without spaces, '?' or "
			   "'#'");
	if (strlen(e->valuestring) > API_SPEC_PATH_MAX) {
		snprintf(why, sizeof(why), "longer than %d bytes",
			 API_SPEC_PATH_MAX);
		return bad(rule, what, "path", why);
	}
	if (strstr(e->valuestring, "{{"))
		return bad(rule, what, "path",
			   "must not hold a placeholder: the secret goes in "
			   "a header only");
	if (!(s->path = strdup(e->valuestring)))
		return error_nomem();
	e = cJSON_GetObjectItemCaseSensitive(o, "headers");
	if (!e)
		return bad(rule, what, "headers", "missing");
	if ((err = parse_headers(s, e, what, rule)))
		return err;
	for (j = 0; set_keys[j]; j++) {
		if (j == API_SPEC_MAX_SETS)
			return error_set(NFG_EINVAL, "too many status sets");
		err = parse_set(
			&s->sets[j],
			cJSON_GetObjectItemCaseSensitive(o, set_keys[j]), what,
			set_keys[j], rule);
		if (err)
			return err;
	}
	return 0;
}

int api_spec_parse(struct api_spec *out, const char *json, const char *what,
		   const char *const *set_keys, const struct rule_spec *rule)
{
	cJSON *o;
	int err;

	memset(out, 0, sizeof(*out));
	if (!json)
		return bad(rule, what, "", "missing");
	o = cJSON_Parse(json);
	if (!o)
		return bad(rule, what, "", "not valid JSON");
	err = parse_spec(out, o, what, set_keys, rule);
	cJSON_Delete(o);
	if (err)
		api_spec_release(out);
	return err;
}

int verify_request_init(struct http_request *r, const struct api_spec *spec,
			const char *base_url, const char *secret,
			size_t secret_len)
{
	struct buf url, val;
	size_t blen = strlen(base_url), i;
	const char *p, *q;
	int err;

	/* "https://host/" + "/path" must not give "//path". */
	while (blen && base_url[blen - 1] == '/')
		blen--;
	buf_init(&url, 8192);
	err = buf_add(&url, base_url, blen);
	if (!err)
		err = buf_puts(&url, spec->path);
	if (!err)
		err = http_request_init(r, spec->method, url.ptr);
	buf_release(&url);
	if (err)
		return err;
	buf_init(&val, HTTP_HEADER_MAX);
	val.wipe = 1;
	for (i = 0; i < spec->nheaders && !err; i++) {
		buf_reset(&val);
		for (p = spec->header_values[i];
		     !err && (q = strstr(p, PLACEHOLDER)) != NULL;
		     p = q + sizeof(PLACEHOLDER) - 1) {
			err = buf_add(&val, p, (size_t)(q - p));
			if (!err)
				err = buf_add(&val, secret, secret_len);
		}
		if (!err)
			err = buf_puts(&val, p);
		if (!err)
			err = http_request_add_header(r, spec->header_names[i],
						      val.ptr, val.len);
	}
	buf_release(&val);
	if (err)
		http_request_release(r);
	return err;
}

int64_t verify_body_retry_after_ms(const char *body, size_t len)
{
	cJSON *o = len ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *e;
	int64_t ms = -1;

	e = cJSON_GetObjectItemCaseSensitive(o, "error");
	e = cJSON_GetObjectItemCaseSensitive(e, "details");
	e = cJSON_GetObjectItemCaseSensitive(e, "retry_after");
	if (cJSON_IsNumber(e) && e->valuedouble >= 0 && e->valuedouble <= 86400)
		ms = (int64_t)(e->valuedouble * 1000);
	cJSON_Delete(o);
	return ms;
}

int api_result_request_id(const struct http_result *r, char **out)
{
	cJSON *body = NULL;
	const cJSON *e;
	const char *rid;
	int err = 0;

	*out = NULL;
	/* x-request-id, else the error body's request_id. */
	rid = r->request_id[0] ? r->request_id : NULL;
	if (!rid && r->outcome == HTTP_RESPONSE && r->body.len) {
		body = cJSON_ParseWithLength(r->body.ptr, r->body.len);
		e = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(body, "error"),
			"request_id");
		rid = cJSON_IsString(e) ? e->valuestring : NULL;
	}
	if (rid && *rid && !(*out = strdup(rid)))
		err = error_nomem();
	cJSON_Delete(body);
	return err;
}

void api_spec_cache_release(struct api_spec_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		/* n is 0 until have is allocated (init zeroes c) */
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
		if (c->have[i])
			api_spec_release(&c->specs[i]);
	free(c->rules);
	free(c->specs);
	free(c->have);
	memset(c, 0, sizeof(*c));
}

int api_spec_cache_init(struct api_spec_cache *c, size_t max,
			int (*parse)(struct api_spec *out,
				     const struct rule_spec *rule),
			int which)
{
	memset(c, 0, sizeof(*c));
	c->parse = parse;
	c->which = which;
	c->rules = calloc(max + 1, sizeof(*c->rules));
	c->specs = calloc(max + 1, sizeof(*c->specs));
	c->have = calloc(max + 1, sizeof(*c->have));
	c->max = max + 1;
	if (!c->rules || !c->specs || !c->have) {
		api_spec_cache_release(c);
		return error_nomem();
	}
	return 0;
}

int api_spec_cache_get(struct api_spec_cache *c, const struct rule_spec *rule,
		       const struct api_spec **out)
{
	const char *json;
	size_t i;
	int err;

	*out = NULL;
	for (i = 0; i < c->n && c->rules[i] != rule; i++)
		;
	if (i == c->n) {
		if (c->n == c->max)
			return error_set(NFG_ERR, "too many rules");
		c->rules[i] = rule;
		c->have[i] = 0;
		c->n++;
		json = !rule			     ? NULL
		       : c->which == API_SPEC_VERIFY ? rule->verify_json
						     : rule->revoke_json;
		if (json) {
			if ((err = c->parse(&c->specs[i], rule)))
				return err;
			c->have[i] = 1;
		}
	}
	if (c->have[i])
		*out = &c->specs[i];
	return 0;
}

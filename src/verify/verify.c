/*
 * Verifying tokens: one whoami request per distinct (rule, token) run
 * through the HTTP client, and each result mapped to live / invalid /
 * unknown on every finding of that token.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/clock.h"

#include <cjson/cJSON.h>

#include "util/error.h"
#include "finding/group.h"
#include "verify/verify.h"

int verify_spec_parse(struct api_spec *out, const struct rule_spec *rule)
{
	static const char *const keys[] = {"live", "invalid", NULL};

	return api_spec_parse(out, rule->verify_json, "verify", keys, rule);
}

int verify_check_rules(const struct ruleset *rs)
{
	return api_spec_check_rules(rs, verify_spec_parse,
				    offsetof(struct rule_spec, verify_json));
}

/* A string member of obj, or NULL. */
static const char *member_str(const cJSON *obj, const char *key)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(e) ? e->valuestring : NULL;
}

/* The body as JSON, or NULL (not JSON, or empty). */
static cJSON *parse_body(const struct http_result *r)
{
	if (!r->body.len)
		return NULL;
	return cJSON_ParseWithLength(r->body.ptr, r->body.len);
}

static int set_reason(struct verification *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int set_reason(struct verification *v, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	error_vformat(text, sizeof(text), "", fmt, ap);
	va_end(ap);
	v->status = VERIFICATION_UNKNOWN;
	return str_set(&v->reason, text);
}

static int map_live(struct verification *v, const cJSON *body)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(body, "project");
	const char *id = member_str(p, "id"), *name = member_str(p, "name"),
		   *slug = member_str(p, "slug");
	int err;

	if (!cJSON_IsObject(p) || !id || !*id || !name || !slug)
		return set_reason(v, "body is not the documented JSON");
	v->status = VERIFICATION_LIVE;
	if ((err = str_set(&v->project_id, id)) ||
	    (err = str_set(&v->project_name, name)) ||
	    (err = str_set(&v->project_slug, slug)))
		return err;
	return 0;
}

int verify_map_result(struct verification *v, const struct api_spec *spec,
		      const struct http_result *r, long deadline_ms)
{
	cJSON *body = NULL;
	char why[256];
	int err;

	verification_release(v);
	v->http_status = r->status;
	if ((err = api_result_request_id(r, &v->request_id)))
		return err;
	if (r->outcome == HTTP_RESPONSE &&
	    api_spec_has(spec, VERIFY_SET_LIVE, r->status)) {
		body = parse_body(r);
		err = map_live(v, body);
	} else if (r->outcome == HTTP_RESPONSE &&
		   api_spec_has(spec, VERIFY_SET_INVALID, r->status)) {
		v->status = VERIFICATION_INVALID;
	} else {
		http_result_reason(r, deadline_ms, why, sizeof(why));
		err = set_reason(v, "%s", why);
	}
	cJSON_Delete(body);
	return err;
}

/* One distinct (rule, token) and its whoami request. */
struct check {
	const struct api_spec *spec;
	struct http_request req;
	int has_req;
	struct verification v;
};

static void count(struct verify_counts *c, const struct verification *v)
{
	c->tokens++;
	if (v->status == VERIFICATION_LIVE)
		c->live++;
	else if (v->status == VERIFICATION_INVALID)
		c->invalid++;
	else
		c->unknown++;
}

int verify_findings(struct findings *l, const struct verify_opts *o,
		    struct verify_counts *counts)
{
	struct api_spec_cache cache = {0};
	struct token_groups tg = {0};
	struct check *checks = NULL;
	struct http_request **reqs = NULL;
	size_t nreqs = 0, i, j;
	struct http_opts hopts = o->http;
	int err = 0;

	memset(counts, 0, sizeof(*counts));
	if (!l->n)
		return 0;
	if ((err = http_check_url(o->base_url, "api url")))
		return err;
	if ((err = token_groups_build(&tg, l)) ||
	    (err = api_spec_cache_init(&cache, tg.n, verify_spec_parse,
				       API_SPEC_VERIFY)))
		goto done;
	checks = calloc(tg.n, sizeof(*checks));
	reqs = calloc(tg.n, sizeof(*reqs));
	if (!checks || !reqs) {
		err = error_nomem();
		goto done;
	}
	for (i = 0; i < tg.n && !err; i++) {
		struct check *g = &checks[i];
		const struct finding *f = &l->v[token_groups_at(&tg, i, 0)];

		if ((err = api_spec_cache_get(&cache, f->rule, &g->spec)))
			break;
		if (!g->spec) {
			err = set_reason(&g->v,
					 "the rule has no verify request");
			continue;
		}
		/* A report read back without --show-secret: no token. */
		if (!f->secret) {
			err = set_reason(&g->v, "the report does not hold the "
						"token (--show-secret)");
			continue;
		}
		err = verify_request_init(&g->req, g->spec, o->base_url,
					  f->secret, f->secret_len);
		if (err == NFG_EINVAL) {
			err = set_reason(&g->v, "the token cannot be sent in "
						"a header");
			continue;
		}
		if (!err) {
			g->has_req = 1;
			reqs[nreqs++] = &g->req;
		}
	}
	if (err)
		goto done;
	if (!hopts.body_retry_after_ms)
		hopts.body_retry_after_ms = verify_body_retry_after_ms;
	if ((err = http_run(reqs, nreqs, &hopts)))
		goto done;
	for (i = 0; i < tg.n && !err; i++) {
		struct check *g = &checks[i];
		char when[32];

		if (g->has_req) {
			counts->attempts += g->req.result.attempts;
			err = verify_map_result(&g->v, g->spec, &g->req.result,
						hopts.deadline_ms);
			clock_format_ms(g->req.result.ended_at_ms, when);
		} else {
			clock_format_ms(clock_now_ms(), when);
		}
		if (!err)
			err = str_set(&g->v.checked_at, when);
		finding_scrub_answers(&l->v[token_groups_at(&tg, i, 0)], &g->v,
				      NULL);
		for (j = 0; j < tg.v[i].n && !err; j++) {
			struct finding *f = &l->v[token_groups_at(&tg, i, j)];

			verification_release(&f->verification);
			err = verification_copy(&f->verification, &g->v);
		}
		if (!err)
			count(counts, &g->v);
	}
done:
	for (i = 0; checks && i < tg.n; i++) {
		if (checks[i].has_req)
			http_request_release(&checks[i].req);
		verification_release(&checks[i].v);
	}
	api_spec_cache_release(&cache);
	token_groups_release(&tg);
	free(reqs);
	free(checks);
	return err;
}

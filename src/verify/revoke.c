/*
 * Revoking live tokens: the rule's revoke spec, the plan the caller
 * confirms, one revoke request per distinct live token through the HTTP
 * client (each attempt written to the audit log before it is sent), a
 * whoami re-check of every token the API said it revoked, sent as soon as
 * it said so, and each decision written to the audit log the moment it
 * is made, then to every finding of the token.
 */
#include "util/common.h"
#include "util/str.h"
#include "util/clock.h"

#include "util/buf.h"
#include "util/error.h"
#include "finding/product.h"
#include "verify/revoke.h"
#include "verify/verify.h"

int revoke_spec_parse(struct api_spec *out, const struct rule_spec *rule)
{
	static const char *const keys[] = {"revoked", "unsupported", NULL};

	return api_spec_parse(out, rule->revoke_json, "revoke", keys, rule);
}

int revoke_check_rules(const struct ruleset *rs)
{
	return api_spec_check_rules(rs, revoke_spec_parse,
				    offsetof(struct rule_spec, revoke_json));
}

void revoke_plan_release(struct revoke_plan *p)
{
	if (!p)
		return;
	free(p->v);
	free(p->is_target);
	token_groups_release(&p->tg);
	api_spec_cache_release(&p->revoke_specs);
	api_spec_cache_release(&p->verify_specs);
	memset(p, 0, sizeof(*p));
}

int revoke_plan_build(struct revoke_plan *p, const struct findings *l)
{
	const struct api_spec *spec;
	size_t i;
	int err;

	memset(p, 0, sizeof(*p));
	if ((err = token_groups_build(&p->tg, l)) ||
	    (err = api_spec_cache_init(&p->revoke_specs, p->tg.n,
				       revoke_spec_parse, API_SPEC_REVOKE)) ||
	    (err = api_spec_cache_init(&p->verify_specs, p->tg.n,
				       verify_spec_parse, API_SPEC_VERIFY)))
		goto done;
	p->v = calloc(p->tg.n + 1, sizeof(*p->v));
	p->is_target = calloc(p->tg.n + 1, sizeof(*p->is_target));
	if (!p->v || !p->is_target) {
		err = error_nomem();
		goto done;
	}
	for (i = 0; i < p->tg.n && !err; i++) {
		const struct finding *f = &l->v[token_groups_at(&p->tg, i, 0)];

		if (f->verification.status != VERIFICATION_LIVE)
			continue;
		if ((err = api_spec_cache_get(&p->revoke_specs, f->rule,
					      &spec)) ||
		    !spec)
			continue;
		p->is_target[i] = 1;
		p->v[p->n].f = f;
		p->v[p->n].nfindings = p->tg.v[i].n;
		p->n++;
	}
done:
	if (err)
		revoke_plan_release(p);
	return err;
}

void revoke_skip_reason(const struct verification *v, char *out, size_t cap)
{
	switch (v->status) {
	case VERIFICATION_INVALID:
		snprintf(out, cap, "not live: the API rejected the token (%ld)",
			 v->http_status);
		break;
	case VERIFICATION_UNKNOWN:
		snprintf(out, cap, "not known to be live: %s",
			 v->reason ? v->reason : "verification failed");
		break;
	case VERIFICATION_LIVE:
		snprintf(out, cap, "the rule has no revoke request");
		break;
	default:
		snprintf(out, cap, "not verified");
		break;
	}
}

/* The revoke_unsupported reason: what to do instead, and where. */
static int unsupported_reason(struct revocation *rv, long status,
			      const struct verification *v)
{
	struct buf b;
	int err;

	buf_init(&b, 4096);
	err = buf_printf(&b,
			 "the API cannot revoke tokens (%ld): delete the token "
			 "in the Notiflows dashboard, " PRODUCT_DASHBOARD_URL,
			 status);
	if (!err && v && v->project_name)
		err = buf_printf(&b, ", in project %s (slug %s, id %s)",
				 v->project_name,
				 v->project_slug ? v->project_slug : "",
				 v->project_id ? v->project_id : "");
	if (!err)
		err = buf_puts(&b, ", named after the system that used it; "
				   "then give that system a new token");
	if (!err)
		err = str_set(&rv->reason, b.ptr);
	buf_release(&b);
	return err == NFG_ELIMIT ? str_set(&rv->reason, "unsupported") : err;
}

int revoke_map_result(struct revocation *rv, const struct api_spec *spec,
		      const struct http_result *r, const struct verification *v,
		      long deadline_ms, int *recheck)
{
	char why[256];
	int err;

	*recheck = 0;
	revocation_release(rv);
	rv->http_status = r->status;
	if ((err = api_result_request_id(r, &rv->request_id)))
		return err;
	if (r->outcome == HTTP_RESPONSE &&
	    api_spec_has(spec, REVOKE_SET_REVOKED, r->status)) {
		*recheck = 1;
		return 0;
	}
	if (r->outcome == HTTP_RESPONSE &&
	    api_spec_has(spec, REVOKE_SET_UNSUPPORTED, r->status)) {
		rv->status = REVOCATION_UNSUPPORTED;
		return unsupported_reason(rv, r->status, v);
	}
	rv->status = REVOCATION_FAILED;
	http_result_reason(r, deadline_ms, why, sizeof(why));
	return str_set(&rv->reason, why);
}

int revoke_map_recheck(struct revocation *rv, const struct verification *after)
{
	char why[512];
	long accepted = rv->http_status;
	int err;

	if (after->status == VERIFICATION_INVALID) {
		rv->status = REVOCATION_REVOKED;
		return str_set(&rv->reason, NULL);
	}
	rv->status = REVOCATION_FAILED;
	rv->http_status = after->http_status;
	if ((err = str_set(&rv->request_id, after->request_id)))
		return err;
	if (after->status == VERIFICATION_LIVE)
		snprintf(why, sizeof(why),
			 "the API accepted the revoke request (%ld) but the "
			 "token still works (whoami %ld)",
			 accepted, after->http_status);
	else
		snprintf(why, sizeof(why),
			 "the API accepted the revoke request (%ld) but whoami "
			 "could not confirm it: %s",
			 accepted, after->reason ? after->reason : "unknown");
	return str_set(&rv->reason, why);
}

/* One distinct token during a run. */
struct job {
	const struct finding *f; /* first finding */
	const struct api_spec *spec, *vspec;
	struct revocation rv;
	struct http_request del, who;
	int has_del, has_who;
};

struct run {
	const struct revoke_opts *o;
	long deadline_ms;
	struct job *jobs;
};

static int audit(const struct run *run, const struct job *j, const char *action,
		 unsigned attempt, const char *request)
{
	struct audit_entry e = {
		.time_ms = clock_now_ms(),
		.action = action,
		.f = j->f,
		.http_status = attempt ? 0 : j->rv.http_status,
		.request_id = attempt ? NULL : j->rv.request_id,
		.reason = attempt ? NULL : j->rv.reason,
		.attempt = attempt,
		.request = request,
	};

	return audit_write(run->o->audit, &e);
}

/* http_opts.before_send: the attempt is on disk before it goes out. */
static int before_send(void *ctx, const struct http_request *r,
		       unsigned attempt)
{
	const struct run *run = ctx;
	const struct job *j = r->user;
	struct buf req;
	int err;

	if (r != &j->del)
		return 0; /* the whoami re-check */
	buf_init(&req, 16384);
	err = buf_printf(&req, "%s %s", r->method, r->url);
	if (!err)
		err = audit(run, j, "revoke_requested", attempt, req.ptr);
	buf_release(&req);
	return err;
}

/*
 * The token's decision is made: stamped and on disk at once, so a kill
 * later in the run loses none made before it.
 */
static int decided(const struct run *run, struct job *j)
{
	char when[32];
	int err;

	clock_format_ms(clock_now_ms(), when);
	if ((err = str_set(&j->rv.at, when)))
		return err;
	finding_scrub_answers(j->f, NULL, &j->rv);
	return audit(run, j, revocation_status_name(j->rv.status), 0, NULL);
}

static int decide_now(const struct run *run, struct job *j,
		      enum revocation_status st, const char *reason)
{
	int err;

	j->rv.status = st;
	if ((err = str_set(&j->rv.reason, reason)))
		return err;
	return decided(run, j);
}

static void count(struct revoke_counts *c, const struct revocation *rv)
{
	c->tokens++;
	switch (rv->status) {
	case REVOCATION_REVOKED:
		c->revoked++;
		break;
	case REVOCATION_UNSUPPORTED:
		c->unsupported++;
		break;
	case REVOCATION_DRY_RUN:
		c->dry_run++;
		break;
	case REVOCATION_SKIPPED:
		c->skipped++;
		break;
	default:
		c->failed++;
		break;
	}
}

/*
 * Plans every job: a request to send, or a decision made (and written to
 * the audit log) now, before any request.
 */
static int plan_jobs(struct run *run, struct revoke_plan *p,
		     const struct findings *l, struct http_request **dels,
		     size_t *ndels)
{
	const struct revoke_opts *o = run->o;
	char why[512];
	size_t i;
	int err = 0;

	for (i = 0; i < p->tg.n && !err; i++) {
		struct job *j = &run->jobs[i];

		j->f = &l->v[token_groups_at(&p->tg, i, 0)];
		if (!p->is_target[i]) {
			revoke_skip_reason(&j->f->verification, why,
					   sizeof(why));
			err = decide_now(run, j, REVOCATION_SKIPPED, why);
			continue;
		}
		if (o->consent == REVOKE_DRY_RUN) {
			err = decide_now(run, j, REVOCATION_DRY_RUN,
					 "dry run: no revoke request sent");
			continue;
		}
		if (o->consent != REVOKE_CONFIRMED) {
			err = decide_now(run, j, REVOCATION_SKIPPED,
					 o->declined_reason ? o->declined_reason
							    : "not confirmed");
			continue;
		}
		if ((err = api_spec_cache_get(&p->revoke_specs, j->f->rule,
					      &j->spec)) ||
		    (err = api_spec_cache_get(&p->verify_specs, j->f->rule,
					      &j->vspec)))
			break;
		err = verify_request_init(&j->del, j->spec, o->base_url,
					  j->f->secret, j->f->secret_len);
		if (err == NFG_EINVAL) {
			err = decide_now(run, j, REVOCATION_SKIPPED,
					 "the token cannot be sent in a "
					 "header");
			continue;
		}
		if (err)
			break;
		j->del.user = j;
		j->has_del = 1;
		dels[(*ndels)++] = &j->del;
	}
	return err;
}

/*
 * The revoke answer of a token: a decision, or (the API says revoked)
 * the whoami re-check that decides, as a follow-up in the same run.
 */
static int revoke_answered(const struct run *run, struct job *j,
			   struct http_request **next)
{
	int err, again;

	err = revoke_map_result(&j->rv, j->spec, &j->del.result,
				&j->f->verification, run->deadline_ms, &again);
	if (err || !again)
		return err ? err : decided(run, j);
	if (!j->vspec) {
		j->rv.status = REVOCATION_FAILED;
		if ((err = str_set(&j->rv.reason,
				   "the API accepted the revoke request but "
				   "the rule has no verify request to "
				   "confirm it")))
			return err;
		return decided(run, j);
	}
	if ((err = verify_request_init(&j->who, j->vspec, run->o->base_url,
				       j->f->secret, j->f->secret_len)))
		return err;
	j->has_who = 1;
	j->who.user = j;
	*next = &j->who;
	return 0;
}

/* http_opts.on_done: each token's decision as soon as it is known. */
static int on_done(void *ctx, struct http_request *r,
		   struct http_request **next)
{
	const struct run *run = ctx;
	struct job *j = r->user;
	struct verification after = {0};
	int err;

	if (r == &j->del)
		return revoke_answered(run, j, next);
	err = verify_map_result(&after, j->vspec, &r->result, run->deadline_ms);
	if (!err)
		err = revoke_map_recheck(&j->rv, &after);
	verification_release(&after);
	return err ? err : decided(run, j);
}

int revoke_findings(struct findings *l, struct revoke_plan *p,
		    const struct revoke_opts *o, struct revoke_counts *counts)
{
	struct run run = {.o = o, .deadline_ms = o->http.deadline_ms};
	struct http_request **reqs = NULL;
	struct http_opts hopts = o->http;
	size_t ndels = 0, i, k;
	int err = 0;

	memset(counts, 0, sizeof(*counts));
	if (!p->tg.n)
		return 0;
	if (!o->audit)
		return error_set(NFG_EINVAL, "revocation needs an audit log");
	if ((err = http_check_url(o->base_url, "api url")))
		return err;
	run.jobs = calloc(p->tg.n, sizeof(*run.jobs));
	reqs = calloc(p->tg.n, sizeof(*reqs));
	if (!run.jobs || !reqs) {
		err = error_nomem();
		goto done;
	}
	if ((err = plan_jobs(&run, p, l, reqs, &ndels)))
		goto done;
	if (!hopts.body_retry_after_ms)
		hopts.body_retry_after_ms = verify_body_retry_after_ms;
	hopts.before_send = before_send;
	hopts.before_send_ctx = &run;
	hopts.on_done = on_done;
	hopts.on_done_ctx = &run;
	if ((err = http_run(reqs, ndels, &hopts)))
		goto done;
	/* Every token is decided and logged: now its findings. */
	for (i = 0; i < p->tg.n && !err; i++) {
		struct job *j = &run.jobs[i];

		if (j->has_del)
			counts->attempts += j->del.result.attempts;
		for (k = 0; k < p->tg.v[i].n && !err; k++) {
			struct finding *f =
				&l->v[token_groups_at(&p->tg, i, k)];

			revocation_release(&f->revocation);
			err = revocation_copy(&f->revocation, &j->rv);
		}
		if (!err)
			count(counts, &j->rv);
	}
done:
	for (i = 0; run.jobs && i < p->tg.n; i++) {
		if (run.jobs[i].has_del)
			http_request_release(&run.jobs[i].del);
		if (run.jobs[i].has_who)
			http_request_release(&run.jobs[i].who);
		revocation_release(&run.jobs[i].rv);
	}
	free(run.jobs);
	free(reqs);
	return err;
}

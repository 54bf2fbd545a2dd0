/*
 * Compiling rule specs into a ruleset: PCRE2 patterns (JIT when the
 * platform has it), allow-lists, and the de-duplicated keyword table that
 * drives the prefilter.
 */
#include "util/common.h"

#include <limits.h>
#include "util/str.h"
#include "util/array.h"
#include "util/error.h"
#include "engine/internal.h"
#include "engine/multilit.h"

/* A rule may not ask for windows larger than this. */
#define RULE_MAX_LENGTH 65536

void rule_spec_release(struct rule_spec *s)
{
	if (!s)
		return;
	free(s->id);
	free(s->description);
	free(s->severity);
	free(s->remediation);
	free(s->pattern);
	strv_free(s->keywords, s->nkeywords);
	strv_free(s->stopwords, s->nstopwords);
	strv_free(s->allow_paths, s->nallow_paths);
	strv_free(s->allow_values, s->nallow_values);
	strv_free(s->match_examples, s->nmatch_examples);
	strv_free(s->nomatch_examples, s->nnomatch_examples);
	free(s->verify_json);
	free(s->revoke_json);
	free(s->origin);
	memset(s, 0, sizeof(*s));
}

static int dup_strv(char ***dst, char *const *src, size_t n)
{
	size_t i;

	*dst = NULL;
	if (!n)
		return 0;
	*dst = calloc(n, sizeof(char *));
	if (!*dst)
		return error_nomem();
	for (i = 0; i < n; i++)
		if (str_dup(&(*dst)[i], src[i]))
			return NFG_ENOMEM;
	return 0;
}

static int spec_copy(struct rule_spec *d, const struct rule_spec *s)
{
	memset(d, 0, sizeof(*d));
	d->nkeywords = s->nkeywords;
	d->nstopwords = s->nstopwords;
	d->nallow_paths = s->nallow_paths;
	d->nallow_values = s->nallow_values;
	d->nmatch_examples = s->nmatch_examples;
	d->nnomatch_examples = s->nnomatch_examples;
	d->min_length = s->min_length;
	d->max_length = s->max_length;
	d->min_entropy = s->min_entropy;
	if (str_dup(&d->id, s->id) ||
	    str_dup(&d->description, s->description) ||
	    str_dup(&d->severity, s->severity) ||
	    str_dup(&d->remediation, s->remediation) ||
	    str_dup(&d->pattern, s->pattern) ||
	    str_dup(&d->verify_json, s->verify_json) ||
	    str_dup(&d->revoke_json, s->revoke_json) ||
	    str_dup(&d->origin, s->origin) ||
	    dup_strv(&d->keywords, s->keywords, s->nkeywords) ||
	    dup_strv(&d->stopwords, s->stopwords, s->nstopwords) ||
	    dup_strv(&d->allow_paths, s->allow_paths, s->nallow_paths) ||
	    dup_strv(&d->allow_values, s->allow_values, s->nallow_values) ||
	    dup_strv(&d->match_examples, s->match_examples,
		     s->nmatch_examples) ||
	    dup_strv(&d->nomatch_examples, s->nomatch_examples,
		     s->nnomatch_examples))
		return NFG_ENOMEM;
	return 0;
}

/*
 * Compiles one regex of a rule; the message names the rule file, the rule
 * and the field, and PCRE2's reason with the offset.
 */
static int compile_regex(pcre2_code **out, const struct rule_spec *s,
			 const char *field, const char *re)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	int errcode;

	*out = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &errcode,
			     &erroff, NULL);
	if (!*out) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		return error_set(NFG_EINVAL,
				 "%s: rule '%s': field '%s': %s at offset %zu",
				 s->origin ? s->origin : "rules", s->id, field,
				 (const char *)msg, (size_t)erroff);
	}
	/* Without JIT support PCRE2's interpreter still gives right answers. */
	(void)pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

static int compile_list(pcre2_code ***out, const struct rule_spec *s,
			const char *field, char *const *res, size_t n)
{
	size_t i;
	int err;

	*out = NULL;
	if (!n)
		return 0;
	*out = calloc(n, sizeof(pcre2_code *));
	if (!*out)
		return error_nomem();
	for (i = 0; i < n; i++)
		if ((err = compile_regex(&(*out)[i], s, field, res[i])))
			return err;
	return 0;
}

static void free_codes(pcre2_code **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		pcre2_code_free(v[i]);
	free(v);
}

static int compile_rule(struct compiled_rule *r, const struct rule_spec *s)
{
	const char *origin = s->origin ? s->origin : "rules";
	size_t i, kwmax = 0;
	int err, group;

	if ((err = spec_copy(&r->spec, s)))
		return err;
	if (!s->nkeywords)
		return error_set(NFG_EINVAL,
				 "%s: rule '%s': field 'keywords': at least "
				 "one keyword is needed",
				 origin, s->id);
	for (i = 0; i < s->nkeywords; i++) {
		size_t kl = strlen(s->keywords[i]);

		if (!kl)
			return error_set(NFG_EINVAL,
					 "%s: rule '%s': field 'keywords': "
					 "empty keyword",
					 origin, s->id);
		if (kl > kwmax)
			kwmax = kl;
	}
	if (s->max_length < s->min_length || s->max_length > RULE_MAX_LENGTH ||
	    !s->max_length)
		return error_set(NFG_EINVAL,
				 "%s: rule '%s': field 'max_length': must be "
				 "1 to %d and not below min_length",
				 origin, s->id, RULE_MAX_LENGTH);
	if ((err = compile_regex(&r->code, s, "pattern", s->pattern)))
		return err;
	group = pcre2_substring_number_from_name(r->code,
						 (PCRE2_SPTR) "secret");
	if (group < 0)
		return error_set(NFG_EINVAL,
				 "%s: rule '%s': field 'pattern': no named "
				 "group 'secret'",
				 origin, s->id);
	r->secret_group = (uint32_t)group;
	if ((err = compile_list(&r->allow_paths, s, "allow.paths",
				s->allow_paths, s->nallow_paths)) ||
	    (err = compile_list(&r->allow_values, s, "allow.values",
				s->allow_values, s->nallow_values)))
		return err;
	r->after = kwmax + s->max_length + ENGINE_CONTEXT;
	return 0;
}

static void release_rule(struct compiled_rule *r)
{
	pcre2_code_free(r->code);
	free_codes(r->allow_paths, r->spec.nallow_paths);
	free_codes(r->allow_values, r->spec.nallow_values);
	rule_spec_release(&r->spec);
}

/*
 * The one-pass prefilter over every keyword and trigger, rebuilt when one
 * is added; a set it cannot hold (more than MULTILIT_MAX literals, or one
 * longer than MULTILIT_MAXLEN) is searched literal by literal instead.
 */
static int build_prefilter(struct ruleset *rs)
{
	const char *lits[MULTILIT_MAX];
	size_t lens[MULTILIT_MAX], i;

	multilit_free(rs->ml);
	rs->ml = NULL;
	if (rs->nkeywords > MULTILIT_MAX)
		return 0;
	for (i = 0; i < rs->nkeywords; i++) {
		if (rs->keywords[i].len > MULTILIT_MAXLEN)
			return 0;
		lits[i] = rs->keywords[i].text;
		lens[i] = rs->keywords[i].len;
	}
	return multilit_new(&rs->ml, lits, lens, rs->nkeywords);
}

/* Adds rule index ri under keyword text, creating the keyword if new. */
static int add_keyword(struct ruleset *rs, const char *text, size_t ri)
{
	struct keyword *k = NULL;
	size_t i;
	int err;

	for (i = 0; i < rs->nkeywords; i++)
		if (!rs->keywords[i].trigger &&
		    !strcmp(rs->keywords[i].text, text))
			k = &rs->keywords[i];
	if (!k) {
		if ((err = ARRAY_GROW(rs->keywords, rs->nkeywords,
				      rs->capkeywords)))
			return err;
		k = &rs->keywords[rs->nkeywords];
		memset(k, 0, sizeof(*k));
		k->text = strdup(text);
		if (!k->text)
			return error_nomem();
		k->len = strlen(text);
		rs->nkeywords++;
	}
	for (i = 0; i < k->nrules; i++)
		if (k->rules[i] == ri)
			return 0;
	if ((err = ARRAY_GROW(k->rules, k->nrules, k->caprules)))
		return err;
	k->rules[k->nrules++] = ri;
	return 0;
}

int ruleset_new(struct ruleset **out, const struct rule_spec *specs,
		size_t nspecs)
{
	struct ruleset *rs;
	size_t i, j;
	int err = NFG_ENOMEM;

	*out = NULL;
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return error_nomem();
	rs->rules = calloc(nspecs ? nspecs : 1, sizeof(*rs->rules));
	rs->mctx = pcre2_match_context_create(NULL);
	if (!rs->rules || !rs->mctx) {
		error_nomem();
		goto fail;
	}
	/* Bound the work one window may cost, whatever the pattern. */
	pcre2_set_match_limit(rs->mctx, 1000000);
	pcre2_set_depth_limit(rs->mctx, 10000);
	rs->before = ENGINE_CONTEXT;
	rs->inline_allow = 1;
	for (i = 0; i < nspecs; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(specs[i].id, specs[j].id)) {
				err = error_set(NFG_EINVAL,
						"%s: rule '%s': field 'id': "
						"defined twice",
						specs[i].origin
							? specs[i].origin
							: "rules",
						specs[i].id);
				goto fail;
			}
		err = compile_rule(&rs->rules[i], &specs[i]);
		rs->nrules++;
		if (err)
			goto fail;
		if (rs->rules[i].after > rs->after)
			rs->after = rs->rules[i].after;
		for (j = 0; j < specs[i].nkeywords; j++)
			if ((err = add_keyword(rs, specs[i].keywords[j], i)))
				goto fail;
	}
	if ((err = build_prefilter(rs)))
		goto fail;
	*out = rs;
	return 0;
fail:
	ruleset_free(rs);
	return err;
}

void ruleset_free(struct ruleset *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->nrules; i++)
		release_rule(&rs->rules[i]);
	multilit_free(rs->ml);
	for (i = 0; i < rs->nkeywords; i++) {
		free(rs->keywords[i].text);
		free(rs->keywords[i].rules);
	}
	free(rs->rules);
	free(rs->keywords);
	pcre2_match_context_free(rs->mctx);
	free(rs);
}

size_t ruleset_count(const struct ruleset *rs)
{
	return rs->nrules;
}

const struct rule_spec *ruleset_rule(const struct ruleset *rs, size_t i)
{
	return &rs->rules[i].spec;
}

size_t ruleset_span(const struct ruleset *rs)
{
	return rs->before + rs->after + 2 * ALLOW_REACH;
}

void ruleset_set_inline_allow(struct ruleset *rs, int on)
{
	rs->inline_allow = on;
}

size_t ruleset_keyword_count(const struct ruleset *rs)
{
	return rs->nkeywords;
}

const char *ruleset_keyword(const struct ruleset *rs, size_t i, size_t *len,
			    unsigned *trigger)
{
	*len = rs->keywords[i].len;
	*trigger = rs->keywords[i].trigger;
	return rs->keywords[i].text;
}

int ruleset_add_trigger(struct ruleset *rs, const char *lit, size_t len,
			unsigned tag, size_t before, size_t after)
{
	struct keyword *k;
	int err;

	if (!len || tag >= UINT_MAX)
		return error_set(NFG_EINVAL, "empty trigger literal");
	if ((err = ARRAY_GROW(rs->keywords, rs->nkeywords, rs->capkeywords)))
		return err;
	k = &rs->keywords[rs->nkeywords];
	memset(k, 0, sizeof(*k));
	if (!(k->text = malloc(len)))
		return error_nomem();
	memcpy(k->text, lit, len);
	k->len = len;
	k->trigger = tag + 1;
	rs->nkeywords++;
	if (before > rs->before)
		rs->before = before;
	if (after > rs->after)
		rs->after = after;
	return build_prefilter(rs);
}

/*
 * Fuzzes the sweep state parser (state_parse). Oracle: a naive reading of
 * the contract in sweep/state.h accepts the same inputs and finds the same
 * repositories, tips and fingerprints; a rejected input has a message and
 * leaves the state empty; and what state_format writes parses back to a
 * state that writes the same text.
 */
#include "fuzz.h"
#include "finding/finding.h"
#include "sweep/state.h"
#include "util/buf.h"
#include "util/error.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static int space_only(const char *p, const char *e)
{
	for (; p < e; p++)
		if (!strchr(" \t\r\n", *p))
			return 0;
	return 1;
}

/* Whether o's members are all among names[0..n), each at most once. */
static int members_ok(const cJSON *o, const char *const *names, size_t n)
{
	const cJSON *a, *b;
	size_t k;

	for (a = o->child; a; a = a->next) {
		for (k = 0; k < n && strcmp(a->string, names[k]); k++)
			;
		if (k == n)
			return 0;
		for (b = a->next; b; b = b->next)
			if (!strcmp(a->string, b->string))
				return 0;
	}
	return 1;
}

static int hex_id(const char *s, unsigned char out[20])
{
	size_t i;

	if (strlen(s) != 40)
		return 0;
	for (i = 0; i < 40; i++) {
		const char *d = strchr("0123456789abcdef", s[i]);

		if (!s[i] || !d)
			return 0;
		if (i % 2)
			out[i / 2] |= (unsigned char)(d - "0123456789abcdef");
		else
			out[i / 2] =
				(unsigned char)((d - "0123456789abcdef") << 4);
	}
	return 1;
}

/*
 * The list arr (tips: width 20, else fingerprints) is valid and equals
 * got[0..n); got NULL: only valid.
 */
static int list_ok(const cJSON *arr, size_t width, const unsigned char *got,
		   size_t n)
{
	unsigned char prev[32], cur[32];
	const cJSON *it;
	size_t k = 0;

	if (!cJSON_IsArray(arr))
		return 0;
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it))
			return 0;
		if (width == 20 ? !hex_id(it->valuestring, cur)
				: fingerprint_decode(it->valuestring, cur) != 0)
			return 0;
		if (k && memcmp(prev, cur, width) >= 0)
			return 0;
		if (got && (k >= n || memcmp(got + k * width, cur, width)))
			return 0;
		memcpy(prev, cur, width);
		k++;
	}
	return !got || k == n;
}

/* One repository object is valid (and, with s, is in s as read). */
static int repo_ok(const cJSON *o, const struct state *s)
{
	static const char *const names[] = {"key", "tips", "reported",
					    "pending_tips", "pending"};
	const cJSON *key, *pt, *pf;
	const struct state_repo *r = NULL;
	size_t i, len;

	if (!cJSON_IsObject(o) || !members_ok(o, names, 5))
		return 0;
	key = cJSON_GetObjectItemCaseSensitive(o, "key");
	pt = cJSON_GetObjectItemCaseSensitive(o, "pending_tips");
	pf = cJSON_GetObjectItemCaseSensitive(o, "pending");
	if (!cJSON_IsString(key) || (pt == NULL) != (pf == NULL))
		return 0;
	if (!cJSON_GetObjectItemCaseSensitive(o, "tips") ||
	    !cJSON_GetObjectItemCaseSensitive(o, "reported"))
		return 0;
	len = strlen(key->valuestring);
	if (!len || len > STATE_MAX_KEY)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)key->valuestring[i] < 0x20 ||
		    key->valuestring[i] == 0x7f)
			return 0;
	if (s && (!(r = state_find(s, key->valuestring)) ||
		  r->pending != (pt != NULL)))
		return 0;
	return list_ok(cJSON_GetObjectItemCaseSensitive(o, "tips"), 20,
		       r ? r->tips : NULL, r ? r->ntips : 0) &&
	       list_ok(cJSON_GetObjectItemCaseSensitive(o, "reported"), 32,
		       r ? r->reported : NULL, r ? r->nreported : 0) &&
	       (!pt || list_ok(pt, 20, r ? r->pending_tips : NULL,
			       r ? r->npending_tips : 0)) &&
	       (!pf || list_ok(pf, 32, r ? r->pending_found : NULL,
			       r ? r->npending_found : 0));
}

/* 1 when text is a valid state (and, with s, the one s holds). */
static int ref_valid(const char *text, size_t len, const struct state *s)
{
	static const char *const names[] = {"version", "rules", "repositories"};
	unsigned char rules[32];
	const char *end = NULL;
	const cJSON *v, *repos, *a, *b;
	cJSON *root;
	size_t n = 0;
	int ok = 0;

	if (memchr(text, '\0', len))
		return 0;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root)
		return 0;
	if (!space_only(end, text + len) || !cJSON_IsObject(root))
		goto done;
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(v) || v->valuedouble != 1 ||
	    !members_ok(root, names, 3))
		goto done;
	v = cJSON_GetObjectItemCaseSensitive(root, "rules");
	repos = cJSON_GetObjectItemCaseSensitive(root, "repositories");
	if (!cJSON_IsString(v) || fingerprint_decode(v->valuestring, rules) ||
	    !cJSON_IsArray(repos))
		goto done;
	if (s && memcmp(rules, s->rules, 32))
		goto done;
	for (a = repos->child; a; a = a->next, n++) {
		if (!repo_ok(a, s))
			goto done;
		for (b = repos->child; b != a; b = b->next)
			if (!strcmp(cJSON_GetObjectItemCaseSensitive(a, "key")
					    ->valuestring,
				    cJSON_GetObjectItemCaseSensitive(b, "key")
					    ->valuestring))
				goto done;
	}
	ok = !s || s->n == n;
done:
	cJSON_Delete(root);
	return ok;
}

/* state_format's text parses to a state that formats the same. */
static void check_written(const struct state *s)
{
	struct state again;
	struct buf a, b;

	buf_init(&a, STATE_MAX_SIZE);
	buf_init(&b, STATE_MAX_SIZE);
	FUZZ_CHECK(state_format(s, &a) == 0);
	state_init(&again);
	FUZZ_CHECK(state_parse(&again, a.ptr, a.len) == 0);
	FUZZ_CHECK(ref_valid(a.ptr, a.len, &again));
	FUZZ_CHECK(state_format(&again, &b) == 0);
	FUZZ_CHECK(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	state_release(&again);
	buf_release(&a);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct state s;
	int err, want;

	state_init(&s);
	error_clear();
	err = state_parse(&s, text, size);
	want = ref_valid(text, size, NULL);
	FUZZ_CHECK((err == 0) == want);
	if (err) {
		FUZZ_CHECK(error_last()[0] != '\0');
		FUZZ_CHECK(s.n == 0 && !s.has_rules);
	} else {
		FUZZ_CHECK(ref_valid(text, size, &s));
		check_written(&s);
	}
	state_release(&s);
	return 0;
}

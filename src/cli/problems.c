/*
 * The problems a scan meets, one log per process: each distinct message is
 * kept once with the number of times it was met, printed once on stderr
 * when the scan ends ("(N times)" when repeated) and handed to the report.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/idmap.h"
#include "util/sha256.h"
#include "config/rules.h"
#include "finding/redact.h"
#include "cli/msgs.h"
#include "cli/options.h"

#include <inttypes.h>

/* Beyond this many distinct problems, new ones are printed at once only. */
#define MAX_DISTINCT 1000

static struct {
	struct scan_problem *v;
	size_t n, cap;
	struct idmap ids; /* hash of kind and message -> index in v */
	size_t printed;	  /* v[0..printed) are on stderr already */
	uint64_t unlisted;
} log_;

static void print_one(enum scan_problem_kind kind, const char *msg,
		      uint64_t count)
{
	const char *warn = kind == SCAN_PROBLEM_ERROR ? "" : "warning: ";

	if (count > 1)
		cli_error("%s%s (%" PRIu64 " times)", warn, msg, count);
	else
		cli_error("%s%s", warn, msg);
}

static void key_of(unsigned char key[32], enum scan_problem_kind kind,
		   const char *msg)
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, &kind, sizeof(kind));
	sha256_update(&c, msg, strlen(msg));
	sha256_final(&c, key);
}

/* Adds one occurrence; 0, or -1 when it could not be kept (printed now). */
static int record(enum scan_problem_kind kind, const char *msg)
{
	unsigned char key[32];
	uint32_t *at;
	int existed;
	char *copy;

	key_of(key, kind, msg);
	if ((at = idmap_get(&log_.ids, key))) {
		log_.v[*at].count++;
		return 0;
	}
	if (log_.n >= MAX_DISTINCT || ARRAY_GROW(log_.v, log_.n, log_.cap) ||
	    !(copy = strdup(msg)))
		goto unlisted;
	if (idmap_put(&log_.ids, key, (uint32_t)log_.n, &existed, NULL)) {
		free(copy);
		goto unlisted;
	}
	log_.v[log_.n].kind = kind;
	log_.v[log_.n].message = copy;
	log_.v[log_.n].count = 1;
	log_.n++;
	return 0;
unlisted:
	log_.unlisted++;
	return -1;
}

/*
 * The rules whose tokens a message may not show (NULL: none yet), and one
 * scanner of them for every message: problems come one at a time.
 */
static const struct ruleset *redact_rules;
static struct scanner *redact_sc;
static int redact_off; /* --show-secret: the run shows tokens */
/* Before a run has its rules: the built-in ones, loaded on the first error. */
static struct ruleset *builtin_rules;

void problems_redact_release(void)
{
	scanner_free(redact_sc);
	redact_sc = NULL;
	ruleset_free(builtin_rules);
	builtin_rules = NULL;
	redact_rules = NULL;
	redact_off = 0;
}

void problems_redact_with(const struct ruleset *rs)
{
	problems_redact_release();
	redact_off = !rs;
	redact_rules = rs && !scanner_new(&redact_sc, rs) ? rs : NULL;
}

int problems_redact(char **msg)
{
	/*
	 * An error met before the run's rules are loaded (a target that does
	 * not exist, a config file that cannot be read) may still quote a
	 * token: the built-in rules redact it. The cost is paid only then.
	 */
	if (!redact_rules && !redact_off) {
		if (rules_open(&builtin_rules, NULL) ||
		    scanner_new(&redact_sc, builtin_rules))
			return -1;
		redact_rules = builtin_rules;
	}
	if (!redact_rules)
		return 0;
	return redact_text(redact_sc, redact_rules, msg) ? -1 : 0;
}

void cli_problem(void *ctx, enum problem_kind kind, const char *msg)
{
	const struct cli_opts *o = ctx;
	enum scan_problem_kind k = SCAN_PROBLEM_ERROR;
	char *clean = NULL;

	if (kind == PROBLEM_WARNING)
		k = SCAN_PROBLEM_WARNING;
	else if (kind == PROBLEM_UNREADABLE && o->skip_unreadable)
		k = SCAN_PROBLEM_SKIPPED;
	/* A path or name in the message may hold a token: redacted. */
	if ((clean = strdup(msg)) && !problems_redact(&clean))
		msg = clean;
	if (record(k, msg)) {
		cli_progress_done();
		print_one(k, msg, 1);
	}
	free(clean);
}

void problems_note(enum scan_problem_kind kind, const char *msg)
{
	if (!record(kind, msg) && log_.printed == log_.n - 1)
		log_.printed = log_.n;
}

void problems_add(enum scan_problem_kind kind, const char *msg, uint64_t count)
{
	unsigned char key[32];
	uint32_t *at;

	if (!count)
		return;
	if (!msg || record(kind, msg)) {
		log_.unlisted += count - (msg != NULL);
		return;
	}
	key_of(key, kind, msg);
	if ((at = idmap_get(&log_.ids, key)))
		log_.v[*at].count += count - 1;
}

/* Errors first, then skipped inputs, then warnings; by message in each. */
static int cmp_problem(const void *a, const void *b)
{
	const struct scan_problem *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->message, y->message);
}

void problems_flush(void)
{
	unsigned char key[32];
	uint32_t *at;
	size_t i;

	cli_progress_done();
	/*
	 * Worker threads meet problems in any order: sort what is new, so
	 * the output does not depend on timing, and re-index it.
	 */
	if (log_.n > log_.printed)
		qsort(log_.v + log_.printed, log_.n - log_.printed,
		      sizeof(*log_.v), cmp_problem);
	for (i = log_.printed; i < log_.n; i++) {
		key_of(key, log_.v[i].kind, log_.v[i].message);
		if ((at = idmap_get(&log_.ids, key)))
			*at = (uint32_t)i;
	}
	for (; log_.printed < log_.n; log_.printed++)
		print_one(log_.v[log_.printed].kind,
			  log_.v[log_.printed].message,
			  log_.v[log_.printed].count);
}

void problems_fill(struct scan_info *info)
{
	info->problems = log_.v;
	info->nproblems = log_.n;
	info->problems_unlisted = log_.unlisted;
}

void problems_release(void)
{
	size_t i;

	for (i = 0; i < log_.n; i++)
		free((char *)log_.v[i].message);
	free(log_.v);
	idmap_release(&log_.ids);
	memset(&log_, 0, sizeof(log_));
}

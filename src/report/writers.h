/*
 * Private to src/report: the writers behind report_write and the cJSON
 * helpers they share. Every string that came from input goes through
 * json_add_text (escape_utf8 first), so documents are always valid UTF-8.
 *
 * Ownership: helpers that add to a cJSON object copy what they are given;
 * the caller owns the tree and deletes it. Writers return 0 or a negative
 * NFG_* code with the last error set; the JSON helpers keep theirs in a
 * struct json_build.
 */
#ifndef NFG_REPORT_WRITERS_H
#define NFG_REPORT_WRITERS_H

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "report/report.h"
#include "util/buf.h"

int report_write_human(FILE *out, const struct report_opts *opts,
		       const struct scan_info *scan, const struct findings *l);
int report_write_json(FILE *out, const struct report_opts *opts,
		      const struct scan_info *scan, const struct findings *l);
int report_write_jsonl(FILE *out, const struct report_opts *opts,
		       const struct scan_info *scan, const struct findings *l);
int report_write_sarif(FILE *out, const struct report_opts *opts,
		       const struct scan_info *scan, const struct findings *l);
int report_write_html(FILE *out, const struct report_opts *opts,
		      const struct scan_info *scan, const struct findings *l);

/*
 * A JSON document being built or printed. The first failure sticks in
 * err: every later call given the same json_build does nothing, and so
 * does an add to a NULL parent (what a failed object or array add
 * returns), so a writer adds a whole document and checks err once.
 * Start with {0}.
 */
struct json_build {
	int err; /* 0, or the first NFG_* failure (its message is the last) */
};

/*
 * A new empty object (the caller deletes it), or NULL: out of memory, or
 * j had failed.
 */
cJSON *json_new_object(struct json_build *j);

/*
 * Adds key: the bytes p[0..n) as a JSON string, made valid UTF-8 by
 * escape_utf8 (a NUL byte, which a cJSON string cannot hold, becomes the
 * text \x00). With key NULL, obj is an array and the string is appended.
 * json_add_str does the same for a NUL-terminated s; s NULL adds "".
 * json_add_opt_str adds nothing when s is NULL. json_add_buf adds the
 * text of b, or takes b's failure as j's.
 */
void json_add_text(struct json_build *j, cJSON *obj, const char *key,
		   const char *p, size_t n);
void json_add_str(struct json_build *j, cJSON *obj, const char *key,
		  const char *s);
void json_add_opt_str(struct json_build *j, cJSON *obj, const char *key,
		      const char *s);
void json_add_buf(struct json_build *j, cJSON *obj, const char *key,
		  const struct buf *b);
/* Adds key: v as an exact JSON integer (not rounded through a double). */
void json_add_u64(struct json_build *j, cJSON *obj, const char *key,
		  uint64_t v);
/* Adds key: true or false. */
void json_add_bool(struct json_build *j, cJSON *obj, const char *key, int v);
/* Adds key: a new object or array and returns it (borrowed), or NULL. */
cJSON *json_add_object(struct json_build *j, cJSON *obj, const char *key);
cJSON *json_add_array(struct json_build *j, cJSON *obj, const char *key);

/*
 * "encoding": the finding's decoding layers, outside in, when it has
 * any (a token in plain text has no such key).
 */
void report_encoding_json(struct json_build *j, cJSON *o,
			  const struct finding *f);

/*
 * Returns the object of one finding (keys as in the contract; "secret"
 * only when show_secret), or NULL when j failed. The secret is not copied
 * into the tree: it is escaped into secret_text (a buffer with wipe set,
 * owned by the caller) and referenced, so the caller must keep
 * secret_text until the object is printed and then release it. Caller
 * deletes the object.
 */
cJSON *report_finding_json(struct json_build *j, const struct finding *f,
			   int show_secret, struct buf *secret_text);

/*
 * Adds key "verification" to o when f was verified: status, checked_at,
 * http_status (when a response came), project {id, name, slug} (live),
 * reason (unknown) and request_id (when known). Nothing otherwise.
 */
void report_verification_json(struct json_build *j, cJSON *o, const char *key,
			      const struct finding *f);

/*
 * Adds key "revocation" to o when --revoke decided about f: status, at,
 * http_status (when one applies), request_id and reason (when known).
 */
void report_revocation_json(struct json_build *j, cJSON *o, const char *key,
			    const struct finding *f);

/*
 * Adds key "verification" to o, the run's counts of distinct tokens:
 * {"tokens": N, "live": N, "invalid": N, "unknown": N} (the JSON scan
 * object and SARIF run properties).
 */
void report_verification_counts_json(struct json_build *j, cJSON *o,
				     const struct scan_info *scan);

/*
 * Prints item (pretty or on one line) to out, without a trailing newline.
 * The printed text is held in memory this function owns and is wiped
 * before it is freed, since it may hold a secret. Write errors are left
 * for report_write to find with ferror.
 */
void json_print(struct json_build *j, FILE *out, cJSON *item, int pretty,
		size_t size_hint);

/* Writes s to out, unless j has failed. */
void json_puts(struct json_build *j, FILE *out, const char *s);

/*
 * A sweep's incidents (report/incident.c): each token (by digest) found
 * in two or more of scan's repositories, in digest order; first is its
 * finding with the oldest date (the sweep's order breaks ties), repos
 * the names of the repositories holding it, in the sweep's order. All
 * borrowed from scan and the findings, which must outlive the incidents.
 */
struct incident {
	const struct finding *first;
	const char **repos;
	size_t nrepos;
};
struct incidents {
	struct incident *v;
	size_t n;
	const char **repos; /* storage of every incident's repos */
};

/* The index in scan's repositories of the one named name, or SIZE_MAX. */
size_t report_repo_index(const struct scan_info *scan, const char *name);

/*
 * Builds the incidents of l (none unless scan->has_repositories).
 * 0 or NFG_ENOMEM (out zeroed). incidents_release accepts a zeroed one.
 */
int incidents_build(struct incidents *out, const struct scan_info *scan,
		    const struct findings *l);
void incidents_release(struct incidents *in);

/* How a rule's findings stand after verification and revocation. */
struct fix_tally {
	size_t live;  /* live and not revoked: still works */
	size_t dead;  /* verified invalid, or revoked by this run */
	size_t other; /* not verified, unknown, or a revocation that failed */
};

/* Counts f in t (start t zeroed). */
void fix_tally_add(struct fix_tally *t, const struct finding *f);

/* The pieces of fix_advice's text. */
enum fix_piece {
	FIX_DEAD,	      /* every token is dead: nothing to revoke */
	FIX_REMEDIATION_LINE, /* one line of the rule's remediation */
	FIX_REVOKE_LIVE	      /* how to revoke the live tokens */
};

/*
 * What to do about rule r's tokens as t tallies them, given to put one
 * piece at a time (text[0..n), not NUL-terminated): FIX_DEAD alone when
 * every token is known dead (verified invalid or revoked), since revoking
 * would be wrong advice; else each line of r's remediation (rule file
 * text: untrusted, without its newline), then FIX_REVOKE_LIVE when some
 * are live and r can revoke. The fixed texts are laid out for a terminal
 * (ending in a newline, lines after the first indented by 4).
 */
void fix_advice(const struct rule_spec *r, const struct fix_tally *t,
		void (*put)(void *ctx, enum fix_piece piece, const char *text,
			    size_t n),
		void *ctx);

/* "critical" | "high" | "medium" | "low" as 3..0; anything else is 1. */
int severity_rank(const char *severity);

#endif

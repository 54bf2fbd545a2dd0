/*
 * Private to src/report: the writers behind report_write and the cJSON
 * helpers they share. Every string that came from input goes through
 * json_add_text (escape_utf8 first), so documents are always valid UTF-8.
 *
 * Ownership: helpers that add to a cJSON object copy what they are given;
 * the caller owns the tree and deletes it. All int functions return 0 or a
 * negative NFG_* code with the last error set.
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

/*
 * Adds key: the bytes p[0..n) as a JSON string, made valid UTF-8 by
 * escape_utf8 (a NUL byte, which a cJSON string cannot hold, becomes the
 * text \x00). With key NULL, obj is an array and the string is appended.
 * json_add_str does the same for a NUL-terminated s; s NULL adds "".
 */
int json_add_text(cJSON *obj, const char *key, const char *p, size_t n);
int json_add_str(cJSON *obj, const char *key, const char *s);
/* Appends s (escaped as above) to the array arr. */
int json_append_str(cJSON *arr, const char *s);
/* Adds key: v as an exact JSON integer (not rounded through a double). */
int json_add_u64(cJSON *obj, const char *key, uint64_t v);
/* Adds key: true or false. */
int json_add_bool(cJSON *obj, const char *key, int v);
/* Adds key: an object or array made here; *made is borrowed by obj. */
int json_add_object(cJSON *obj, const char *key, cJSON **made);
int json_add_array(cJSON *obj, const char *key, cJSON **made);

/*
 * Builds the object of one finding (keys as in the contract; "secret" only
 * when show_secret). The secret is not copied into the tree: it is escaped
 * into secret_text (a buffer with wipe set, owned by the caller) and
 * referenced, so the caller must keep secret_text until the object is
 * printed and then release it. Caller deletes *out.
 */
int report_finding_json(cJSON **out, const struct finding *f, int show_secret,
			struct buf *secret_text);

/*
 * Adds key "verification" to o when f was verified: status, checked_at,
 * http_status (when a response came), project {id, name, slug} (live),
 * reason (unknown) and request_id (when known). Nothing otherwise.
 */
int report_verification_json(cJSON *o, const char *key,
			     const struct finding *f);

/*
 * Adds key "revocation" to o when --revoke decided about f: status, at,
 * http_status (when one applies), request_id and reason (when known).
 */
int report_revocation_json(cJSON *o, const char *key, const struct finding *f);

/*
 * Adds key "verification" to o, the run's counts of distinct tokens:
 * {"tokens": N, "live": N, "invalid": N, "unknown": N} (the JSON scan
 * object and SARIF run properties).
 */
int report_verification_counts_json(cJSON *o, const struct scan_info *scan);

/*
 * Prints item (pretty or on one line) to out, without a trailing newline.
 * The printed text is held in memory this function owns and is wiped
 * before it is freed, since it may hold a secret. Write errors are left
 * for report_write to find with ferror.
 */
int json_print(FILE *out, cJSON *item, int pretty, size_t size_hint);

/* "critical" | "high" | "medium" | "low" as 3..0; anything else is 1. */
int severity_rank(const char *severity);

#endif

/*
 * The revocation audit log: one JSON line per decision (and one per
 * revoke request about to be sent), appended to a file opened with
 * O_APPEND before the first request and written with write(2) and fsync
 * per line, so that a crash loses no record of a request that went out.
 * A line names the token by fingerprint and redacted form, never by
 * value.
 *
 * Ownership: struct audit_log is a heap object (audit_open/audit_close);
 * struct audit_entry borrows everything it points to. Int functions
 * return 0 or a negative NFG_* code with the last error set.
 */
#ifndef NFG_VERIFY_AUDIT_H
#define NFG_VERIFY_AUDIT_H

#include <stdint.h>

#include "finding/finding.h"
#include "util/buf.h"

struct audit_log;

/* One line: a decision about a token, or a request about to be sent. */
struct audit_entry {
	int64_t time_ms;	 /* Unix ms, written as ISO 8601 UTC */
	const char *action;	 /* revoke_requested, revoked, skipped, ... */
	const struct finding *f; /* the token's first finding */
	long http_status;	 /* 0: left out */
	const char *request_id;	 /* NULL: left out */
	const char *reason;	 /* NULL: left out */
	unsigned attempt;	 /* revoke_requested: 1-based; 0: left out */
	const char *request;	 /* revoke_requested: "DELETE URL" */
};

/*
 * Opens (creating with mode 0600) path for appending. NFG_EIO with a
 * message naming path.
 */
int audit_open(struct audit_log **out, const char *path);
/* Closes the log. Accepts NULL. */
void audit_close(struct audit_log *a);

/*
 * Appends to out the JSON line of e (keys: time, action, rule_id,
 * fingerprint, secret_redacted, project {id, name, slug} when the token
 * was live, location {path, line, commit}, then http_status, request_id,
 * reason, attempt, request when set) and a newline. Strings are made
 * valid UTF-8 first. Pure: no I/O.
 */
int audit_format(struct buf *out, const struct audit_entry *e);

/* Formats e and writes its line with one write(2), then fsyncs. */
int audit_write(struct audit_log *a, const struct audit_entry *e);

#endif

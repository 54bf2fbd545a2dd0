/*
 * Reading nfguard's own reports back (nfguard merge): a JSON report of a
 * sweep, or JSONL (one finding a line), parsed from a memory buffer into
 * findings and the scan object's counts, every field's type checked.
 * Reports are hostile input: sizes are bounded and nothing is trusted.
 *
 * Ownership: a struct report_doc owns everything it holds, the strings
 * its scan object points to included (report_doc_release).
 */
#ifndef NFG_REPORT_READ_H
#define NFG_REPORT_READ_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "finding/finding.h"
#include "report/report.h"

/* The largest report read, and the most findings and repositories. */
#define REPORT_READ_MAX_SIZE  ((size_t)256 << 20)
#define REPORT_READ_MAX_ITEMS 1000000
/* The longest string field, and the most unknown keys noted. */
#define REPORT_READ_MAX_STRING	((size_t)64 << 10)
#define REPORT_READ_MAX_UNKNOWN 32

struct report_doc {
	int jsonl; /* a JSONL report: no tool or scan object */
	char rules_digest[FINGERPRINT_LEN + 1]; /* tool.rules_digest */
	char *version;				/* tool.version */
	/*
	 * The scan object: counts, flags, targets, problems and
	 * repositories as the report has them (has_repositories set). Its
	 * files_scanned, bytes_scanned, errors and skipped are the report's.
	 */
	struct scan_info scan;
	struct findings findings; /* in the report's order */
	/* keys this reader does not know ("scan.x", "findings[].y") */
	char *unknown[REPORT_READ_MAX_UNKNOWN];
	size_t nunknown;
	/* storage of scan's strings and arrays */
	char **strs;
	size_t nstrs, capstrs;
	struct scan_problem *problems;
	struct scan_repository *repos;
	char **targets;
};

/*
 * Reads the report data[0..len) into d (zeroed first). A JSON report is
 * one object {"tool", "scan", "findings", "incidents"} whose scan has
 * repositories (a sweep's) and whose tool.rules_digest is rs's
 * (report_rules_digest; else "ORIGIN: made with other rules (X) than
 * those loaded (Y)"); anything else whose lines are each one finding
 * object is JSONL. Each finding's rule_id must be a rule of rs
 * (its spec is borrowed from rs); a "secret" must match the
 * fingerprint; findings carrying verification or revocation are refused
 * (merge verifies after joining). Keys not known are noted in
 * d->unknown, never fatal; a known key of the wrong type is, and so is
 * a string that is not valid UTF-8 (nfguard writes none).
 * Returns 0, or NFG_EINVAL with "ORIGIN: why" (ORIGIN:LINE for JSONL),
 * NFG_ELIMIT (a bound above), NFG_ENOMEM. On failure d is released.
 */
int report_read(struct report_doc *d, const char *data, size_t len,
		const char *origin, const struct ruleset *rs);
void report_doc_release(struct report_doc *d);

#endif

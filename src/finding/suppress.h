/*
 * Suppression that follows the token, not the line: fingerprints from
 * .nfguardignore files, fingerprints from a baseline (a previous JSON or
 * JSONL report), path allow globs anchored at their config file's folder,
 * and findings the engine flagged next to the inline allow marker.
 * suppress_apply drops the findings they cover and counts why; unused
 * ignore entries can be listed.
 *
 * Ownership: struct suppress is caller-owned (suppress_init /
 * suppress_release) and copies every string it is given; its fields are
 * read-only to callers. Not thread-safe: suppress_apply updates use
 * counters, so call it once the findings of all threads are merged.
 */
#ifndef NFG_FINDING_SUPPRESS_H
#define NFG_FINDING_SUPPRESS_H

#include <stddef.h>

#include "finding/finding.h"
#include "util/idmap.h"

/* One fingerprint line of an ignore file. */
struct suppress_entry {
	char fingerprint[FINGERPRINT_LEN + 1]; /* sha256:<64 lowercase hex> */
	char *origin;  /* the ignore file, as named to suppress_load_ignore */
	size_t line;   /* 1-based */
	char *comment; /* text after '#', trimmed; NULL when none */
	size_t uses;   /* findings it removed, over all suppress_apply calls */
	size_t next;   /* next entry whose digest shares the first 20 bytes
			  (the index's key), or SIZE_MAX */
};

struct suppress {
	struct suppress_entry *entries; /* in file and line order */
	size_t nentries, entries_cap;
	struct idmap ignore_ids; /* first 20 digest bytes -> first entry */

	unsigned char (*baseline)[32]; /* distinct digests of the baseline */
	size_t nbaseline, baseline_cap;
	struct idmap baseline_ids; /* first 20 digest bytes -> first index */
	/* per digest: the next one sharing its first 20 bytes, or UINT32_MAX */
	uint32_t *baseline_next;
	size_t baseline_next_cap;

	char **allow_paths; /* globs, see util/glob.h */
	size_t nallow_paths, allow_cap;
	char *anchor; /* absolute folder the globs are relative to, or NULL */
	char *base;   /* absolute folder finding paths are relative to */
};

/* What suppress_apply removed, by reason (each finding counted once). */
struct suppress_counts {
	size_t ignored;	       /* fingerprint in an ignore file */
	size_t baselined;      /* fingerprint in the baseline */
	size_t allowed_path;   /* path matched an allow glob */
	size_t inline_allowed; /* the engine saw the inline allow marker */
};

void suppress_init(struct suppress *s);
/* Frees everything and re-initialises; accepts NULL and zeroed structs. */
void suppress_release(struct suppress *s);

/*
 * Parses the text of an ignore file named origin (used in messages and
 * kept in each entry). Format, line by line ('\n' or "\r\n"):
 *   blank (only spaces/tabs)          ignored
 *   [spaces] # anything               ignored
 *   [spaces] sha256:<64 lowercase hex> [spaces/tabs [# comment]]
 * Anything else, or a NUL byte, is NFG_EINVAL with the message
 * "ORIGIN:LINE: ..." (the line's text is never quoted: it may hold a
 * token). A fingerprint listed twice is kept twice; both count a use.
 * On error the entries parsed before the bad line stay.
 */
int suppress_parse_ignore(struct suppress *s, const char *text, size_t len,
			  const char *origin);

/*
 * Reads and parses the ignore file at path (at most 16 MiB). When
 * missing_ok is set, a file that does not exist (ENOENT) adds nothing and
 * is not an error. Errors: NFG_EIO "cannot open 'PATH': REASON",
 * NFG_ELIMIT, NFG_EINVAL as for suppress_parse_ignore.
 */
int suppress_load_ignore(struct suppress *s, const char *path, int missing_ok);

/*
 * Parses a baseline named origin: either a JSON report, an object whose
 * "findings" array holds objects with a "fingerprint" string (other keys
 * are ignored), or JSONL, one such finding object per non-blank line; an
 * empty file (a JSONL report of a clean scan) is a valid, empty baseline.
 * Every finding must carry a valid fingerprint. Errors are NFG_EINVAL:
 *   "ORIGIN: malformed JSON near line N"        (a broken JSON report)
 *   "ORIGIN: not an nfguard report (no \"findings\" array)"
 *   "ORIGIN: findings[I]: no valid \"fingerprint\""  (I counts from 0)
 *   "ORIGIN:LINE: malformed JSON"                (JSONL)
 *   "ORIGIN:LINE: no valid \"fingerprint\""       (JSONL)
 *   "ORIGIN:LINE: NUL byte"
 * Several baselines may be added; duplicates are kept once.
 */
int suppress_parse_baseline(struct suppress *s, const char *text, size_t len,
			    const char *origin);

/* Reads path (at most 1 GiB) and parses it as a baseline. */
int suppress_load_baseline(struct suppress *s, const char *path);

/*
 * Adds a path allow glob (copied). NFG_EINVAL with "bad glob 'G': REASON"
 * when it is invalid (see glob_check), NFG_ENOMEM.
 */
int suppress_add_allow_path(struct suppress *s, const char *glob);

/*
 * Anchors the allow globs at dir, as .gitignore patterns are anchored at
 * their file's folder: a finding matches by its path relative to dir, and
 * one outside dir never does. base is the folder finding paths are
 * relative to (an absolute path in a finding stands as it is); NULL: the
 * current folder, and the paths name files on this machine, so the folder
 * part of each is resolved through symbolic links when it exists. Both
 * folders are made absolute, symbolic links resolved. Without an anchor
 * (the default) globs match the paths as they are. Errors: NFG_EIO
 * "cannot open 'DIR': REASON", NFG_ENOMEM.
 */
int suppress_set_anchor(struct suppress *s, const char *dir, const char *base);

/*
 * Removes from l every finding whose fingerprint is in an ignore file (the
 * entries' uses grow), else in the baseline, else whose path matches an
 * allow glob, else that the engine flagged as inline allowed (that order
 * decides which count a finding lands in). Removed findings are released
 * (their secrets wiped); the rest keep their order.
 * *out (may be NULL) is set to this call's counts. Returns 0, or an error
 * placing a path under the anchor (NFG_EIO, NFG_ENOMEM): from then on no
 * path glob matches, so findings are kept (reported), never dropped.
 */
int suppress_apply(struct suppress *s, struct findings *l,
		   struct suppress_counts *out);

/*
 * Calls fn for every ignore entry that has removed nothing so far, in file
 * and line order. The strings are borrowed for the call; comment may be
 * NULL.
 */
void suppress_each_unused(const struct suppress *s,
			  void (*fn)(void *ctx, const char *origin, size_t line,
				     const char *fingerprint,
				     const char *comment),
			  void *ctx);

#endif

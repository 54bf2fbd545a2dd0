/*
 * The finding model: one secret at one place, with its redacted form and
 * fingerprint, plus the optional git fields. A finding owns all its
 * strings; finding_release wipes the secret before freeing it.
 *
 * A list of findings is caller-owned (findings_init/findings_release) and
 * not thread-safe: scanning threads collect their own and merge.
 */
#ifndef NFG_FINDING_FINDING_H
#define NFG_FINDING_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

#define FINGERPRINT_LEN	       71 /* "sha256:" + 64 hex */
#define FINGERPRINT_DIGEST_LEN 32 /* the SHA-256 the text spells */

/* What the API said about a finding's token (--verify); see verify/. */
enum verification_status {
	VERIFICATION_NONE = 0, /* not verified */
	VERIFICATION_LIVE,     /* the token works */
	VERIFICATION_INVALID,  /* the API rejected it (401) */
	VERIFICATION_UNKNOWN   /* no answer we can trust: see reason */
};

/* All strings owned; NULL when they do not apply. */
struct verification {
	enum verification_status status;
	char *checked_at; /* ISO 8601 UTC, e.g. 2026-11-28T09:14:03.271Z */
	long http_status; /* the last HTTP status, 0 when none */
	char *project_id, *project_name, *project_slug; /* live only */
	char *reason;					/* unknown only */
	char *request_id; /* x-request-id or error.request_id */
};

/* What --revoke did about a finding's token; see verify/revoke.h. */
enum revocation_status {
	REVOCATION_NONE = 0,	/* --revoke not given */
	REVOCATION_REVOKED,	/* revoked, and whoami now answers 401 */
	REVOCATION_FAILED,	/* the token may still work: see reason */
	REVOCATION_UNSUPPORTED, /* the API has no revoke endpoint (404) */
	REVOCATION_SKIPPED,	/* not attempted: see reason */
	REVOCATION_DRY_RUN	/* --dry-run: would have been revoked */
};

/* All strings owned; NULL when they do not apply. */
struct revocation {
	enum revocation_status status;
	char *at;	  /* ISO 8601 UTC: when it was decided */
	long http_status; /* the status the reason is about, 0 when none */
	char *request_id; /* of that response */
	char *reason;	  /* every status but revoked */
};

struct finding {
	const struct rule_spec *rule; /* borrowed from the ruleset */
	char *secret;		      /* the whole token, wiped on release */
	size_t secret_len;
	char *redacted;			       /* e.g. nf_at_AbCd…WxYz */
	char fingerprint[FINGERPRINT_LEN + 1]; /* sha256:<hex> */
	/* The same fingerprint, raw: compare and hash this, never the text. */
	unsigned char digest[FINGERPRINT_DIGEST_LEN];
	char *path; /* raw bytes, '/'-separated; "" for messages */
	/*
	 * The decoding that revealed it, from the outside in ("gzip",
	 * "tar:conf/app.env", "base64"); none for a token in plain text.
	 * An archive entry's layer is "zip:NAME" or "tar:NAME", and path
	 * then ends "!NAME" (finding_set_path).
	 */
	char **encoding;
	size_t nencoding;
	uint64_t offset; /* byte offset in its file or blob */
	uint64_t line, column, end_column;
	uint64_t char_column, char_end_column; /* in code points, for SARIF */
	/* the line end_column counts on: after line for a decoded token's
	 * base64 run wrapped over lines; line, or 0 when unknown, else */
	uint64_t end_line;
	int inline_allowed; /* the hit's allowed: suppression removes it */

	/* git sources only; NULL / 0 / -1 when they do not apply */
	char *repository;
	char *commit;
	char *ref;
	char *author_name;
	char *author_email;
	char *date; /* ISO 8601 UTC */
	char *blob;
	char *location;	      /* "file", "commit-message", "tag-message" */
	int reachable;	      /* 1, 0, or -1 when not applicable */
	uint64_t occurrences; /* 0 when not applicable */

	struct verification verification; /* status NONE unless verified */
	struct revocation revocation;	  /* status NONE unless --revoke */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

/*
 * Fills f from a hit: copies the secret, builds the redacted form and
 * fingerprint (text and digest), copies path. Other fields are zero / -1.
 * Caller releases.
 */
int finding_init_hit(struct finding *f, const struct rule_spec *rule,
		     const struct hit *h, const char *path);
void finding_release(struct finding *f);

/*
 * Puts the layers outer[0..n) in front of f's encoding (copies). 0 or
 * NFG_ENOMEM (f unchanged).
 */
int finding_wrap_encoding(struct finding *f, const char *const *outer,
			  size_t n);

/*
 * Sets f->path to path followed by "!NAME" for each archive entry of its
 * encoding ("a.tar.gz!inner.zip!conf/app.env"). 0 or NFG_ENOMEM.
 */
int finding_set_path(struct finding *f, const char *path);

/* The entry name of an encoding layer "zip:NAME" / "tar:NAME", or NULL. */
const char *encoding_entry(const char *layer);

/*
 * Decodes a fingerprint's text, "sha256:" + 64 lowercase hex digits
 * (exactly, NUL-terminated), into its digest: for fingerprints read from
 * files (ignore files, baselines); a finding has its digest already.
 * 0, or NFG_EINVAL without setting the last error.
 */
int fingerprint_decode(const char *fp,
		       unsigned char out[FINGERPRINT_DIGEST_LEN]);

/* The text of a digest: "sha256:" and 64 lowercase hex digits. */
void fingerprint_format(char out[FINGERPRINT_LEN + 1],
			const unsigned char d[FINGERPRINT_DIGEST_LEN]);

/* Deep-copies src into dst (caller releases dst). 0 or NFG_ENOMEM. */
int finding_clone(struct finding *dst, const struct finding *src);

/* Frees what v owns and zeroes it (status NONE). Accepts NULL. */
void verification_release(struct verification *v);
/* Deep-copies src into dst (dst is overwritten). 0 or NFG_ENOMEM. */
int verification_copy(struct verification *dst, const struct verification *src);
/* "live", "invalid", "unknown"; NULL for VERIFICATION_NONE. */
const char *verification_status_name(enum verification_status s);

/* The same for a revocation: release accepts NULL; copy overwrites dst. */
void revocation_release(struct revocation *r);
int revocation_copy(struct revocation *dst, const struct revocation *src);
/*
 * "revoked", "revoke_failed", "revoke_unsupported", "skipped", "dry_run";
 * NULL for REVOCATION_NONE.
 */
const char *revocation_status_name(enum revocation_status s);

/*
 * Replaces, in place, every copy of f's secret in what an API answered
 * about it (v's project fields, reason and request id; rv's request id
 * and reason; either may be NULL) with f's redacted form: a server may
 * echo the token it was sent, and these strings reach the report and the
 * audit log. Other tokens in them are redacted with the report.
 */
void finding_scrub_answers(const struct finding *f, struct verification *v,
			   struct revocation *rv);

/*
 * The redacted form of a secret whose body (B bytes) starts after
 * prefix_len bytes: prefix + the first H + "…" (U+2026) + the last T bytes
 * of the body, where R = H + T = min(8, floor(B / 4), B - 13), none when
 * R <= 0, and H = ceil(R / 2), T = floor(R / 2). At least 13 characters
 * stay hidden: counted at 5 bits each (a 32-symbol alphabet; the built-in
 * rule's body alphabet [A-Za-z0-9_-] has 64), that leaves at least 2^65
 * candidates next to the unsalted fingerprint. A 32-byte or longer body
 * shows 4 + 4; 16 shows 2 + 1. Returns a new string or NULL.
 */
char *redact_secret(const char *secret, size_t len, size_t prefix_len);

void findings_init(struct findings *l);
void findings_release(struct findings *l);
/* Moves *f into the list (f is zeroed). 0 or NFG_ENOMEM. */
int findings_push(struct findings *l, struct finding *f);
/* Moves every finding of src to the end of dst; src is left empty. */
int findings_merge(struct findings *dst, struct findings *src);
/* Sorts by path (bytewise), then offset, then rule id: stable output. */
void findings_sort(struct findings *l);

#endif

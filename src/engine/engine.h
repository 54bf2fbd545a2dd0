/*
 * The detection engine: rule specs compiled into a read-only ruleset
 * (literal keyword prefilter + PCRE2 JIT patterns + filters), and a
 * per-thread scanner that finds secrets in bytes.
 *
 * Ownership: a ruleset is immutable once built and may be shared by any
 * number of threads; each thread uses its own scanner. Hits hand out
 * pointers into the caller's bytes, valid only during the callback.
 */
#ifndef NFG_ENGINE_ENGINE_H
#define NFG_ENGINE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

/* A rule as written in a rule file, before compilation. All strings owned. */
struct rule_spec {
	char *id;
	char *description;
	char *severity; /* critical | high | medium | low */
	char *remediation;
	char *pattern; /* PCRE2, with a named group "secret" */
	char **keywords;
	size_t nkeywords;
	size_t min_length; /* of the secret's body (secret minus keyword) */
	size_t max_length;
	double min_entropy; /* Shannon bits per byte of the body */
	char **stopwords;   /* whole words of the body, case-insensitive */
	size_t nstopwords;
	char **allow_paths; /* PCRE2, over the finding's path */
	size_t nallow_paths;
	char **allow_values; /* PCRE2, over the whole secret */
	size_t nallow_values;
	char **match_examples; /* may hold {{random:N}} */
	size_t nmatch_examples;
	char **nomatch_examples;
	size_t nnomatch_examples;
	char *verify_json; /* the rule's "verify" object, or NULL */
	char *revoke_json; /* the rule's "revoke" object, or NULL */
	char *origin;	   /* file it came from, for messages */
};

/* Frees what a spec owns (not the struct itself). Accepts NULL. */
void rule_spec_release(struct rule_spec *spec);

struct ruleset;
struct scanner;

/*
 * Compiles specs into a new ruleset. The specs are copied; the caller keeps
 * them. Fails with NFG_EINVAL and a message naming origin, rule id and
 * field for a pattern that does not compile, a pattern without a "secret"
 * group, or out-of-range lengths.
 */
int ruleset_new(struct ruleset **out, const struct rule_spec *specs,
		size_t nspecs);
void ruleset_free(struct ruleset *rs);

size_t ruleset_count(const struct ruleset *rs);
/* The spec of rule i (0 <= i < count); borrowed from the ruleset. */
const struct rule_spec *ruleset_rule(const struct ruleset *rs, size_t i);

/*
 * The identity of a rule set, into out: the SHA-256 of every rule's
 * fields that decide what is found, verified and revoked (id, severity,
 * pattern, keywords, lengths, entropy, stopwords, allow lists, verify and
 * revoke requests), each length-prefixed, in the ruleset's order; not
 * its origin, description, remediation or examples. Two rule files that
 * differ only in layout or white space agree.
 */
#define RULESET_DIGEST_LEN 32
void ruleset_digest(const struct ruleset *rs,
		    unsigned char out[RULESET_DIGEST_LEN]);

/*
 * Bytes a match, and the inline allow marker near it, may reach before
 * or after a keyword hit. Streaming keeps this many bytes between chunks
 * so nothing is missed and nothing decided differently.
 */
size_t ruleset_span(const struct ruleset *rs);

/*
 * Whether hits near ALLOW_MARKER are flagged (struct hit's allowed): on
 * when a ruleset is made. Set it before any scanner uses the ruleset.
 */
void ruleset_set_inline_allow(struct ruleset *rs, int on);

/* Layers of decoding a hit may carry (struct hit's encoding). */
#define HIT_MAX_ENCODING 8

/* One secret found. Offsets are from the start of the scanned stream. */
struct hit {
	size_t rule;	    /* index into the ruleset */
	const char *secret; /* the secret's bytes (not NUL-terminated) */
	size_t len;
	uint64_t offset;     /* of the secret's first byte */
	uint64_t line;	     /* 1-based */
	uint64_t column;     /* 1-based, in bytes */
	uint64_t end_column; /* column just past the secret's last byte */
	/* the same two counted in Unicode code points (as SARIF wants) */
	uint64_t char_column, char_end_column;
	/* the line of the last byte; end_column counts on it (a decoded
	 * hit's raw bytes may be a base64 run wrapped over lines) */
	uint64_t end_line;
	int allowed; /* ALLOW_MARKER stands next to it (inline allow is on) */
	/*
	 * A secret found in decoded bytes (scanner_add_decoded): secret and
	 * len are the decoded token, offset, line and the columns those of
	 * the raw bytes that encode it, span how many raw bytes that is;
	 * encoding names the layers from the outside in (static strings).
	 * A plain hit has span == len and nencoding 0.
	 */
	uint64_t span;
	const char *encoding[HIT_MAX_ENCODING];
	unsigned nencoding;
};

/*
 * The inline way to mark a false positive: a secret is allowed when this
 * text stands on its line with at most ALLOW_DISTANCE bytes between the
 * secret and the marker, after the secret's end ("TOKEN  # nfguard:allow")
 * or before its start ("<!-- nfguard:allow --> TOKEN"). No more of the
 * line is looked at, however long it is (minified files, bundles,
 * binaries), so the answer is the same in every source and chunking.
 */
#define ALLOW_MARKER   "nfguard:allow"
#define ALLOW_DISTANCE 64

/*
 * Triggers: literals (binary, may hold NUL bytes) that the prefilter looks
 * for beside the rules' keywords; where one stands, the scanner calls its
 * trigger function (scanner_set_trigger) with the trigger's tag instead of
 * running a rule. That is how decoders (src/decode/) reach the few places
 * where an encoded keyword stands and leave every other byte alone.
 * before/after: bytes around the literal the trigger function may read
 * (streams keep them across chunks). Add them before any scanner uses
 * the ruleset. 0 or NFG_ENOMEM.
 */
int ruleset_add_trigger(struct ruleset *rs, const char *lit, size_t len,
			unsigned tag, size_t before, size_t after);

/*
 * The prefilter's literals, rule keywords and triggers: i < count; *len
 * its length, *trigger 0 for a keyword, else the trigger's tag plus one.
 */
size_t ruleset_keyword_count(const struct ruleset *rs);
const char *ruleset_keyword(const struct ruleset *rs, size_t i, size_t *len,
			    unsigned *trigger);

/*
 * Escapes at the left boundary: when no match covers a keyword hit and an
 * escape sequence ends right before it, the rule runs once more with the
 * character the escape stands for in place of the escape, so the rule's
 * own left boundary judges it: "\u003dnf_at_..." is found ('='),
 * "\u0041nf_at_..." is not ('A'). The escapes: \uXXXX, \UXXXXXXXX,
 * \xXX, \NNN (octal), a backslash and one of n r t b f v a e 0 " ' \ / ?
 * (not itself escaped: the backslashes before it are even in number), %XX,
 * &#NN;, &#xNN; and the named references listed in engine/escape.c. Only
 * the few bytes before the hit are read (fewer than ENGINE_CONTEXT, which
 * the stream keeps); a backslash run reaching past them counts as an
 * escape. A hit reports the token's first raw byte, after the escape.
 */

/* Called for each hit; a non-zero return stops the scan and is returned. */
typedef int (*hit_fn)(void *ctx, const struct hit *h);

/* Reads up to len bytes into dst: bytes read, 0 at the end, <0 error. */
typedef long (*read_fn)(void *ctx, char *dst, size_t len);

int scanner_new(struct scanner **out, const struct ruleset *rs);
void scanner_free(struct scanner *s);

/*
 * Called where a trigger literal stands: data[0..len) is what the stream
 * holds (at least the trigger's before/after around p, fewer only at the
 * stream's ends), data[p] the literal's first byte, base the stream
 * offset of data[0]. It may call scanner_add_decoded on s; a non-zero
 * return stops the scan and is returned.
 */
typedef int (*trigger_fn)(void *ctx, struct scanner *s, unsigned tag,
			  const char *data, size_t len, uint64_t base,
			  size_t p);

/* Sets s's trigger function (NULL: triggers are ignored). */
void scanner_set_trigger(struct scanner *s, trigger_fn fn, void *ctx);

/*
 * From a trigger function: adds a hit of rule whose token secret[0..len)
 * was decoded from the raw stream bytes [start, end) (absolute; both
 * within the data the trigger function was given, over lines or not),
 * with its encoding layers (static strings,
 * outside in, at most HIT_MAX_ENCODING). It reaches the hit callback in
 * offset order like any other; the secret is copied, and wiped once
 * handed over. 0 or NFG_ENOMEM.
 */
int scanner_add_decoded(struct scanner *s, size_t rule, uint64_t start,
			uint64_t end, const char *secret, size_t len,
			const char *const *encoding, unsigned nencoding);

/*
 * Scans one whole buffer. path is the origin (for path allow rules; may be
 * NULL). Hits arrive in order of offset, each secret exactly once; one
 * next to ALLOW_MARKER arrives too, with allowed set: the caller decides.
 */
int scanner_scan_mem(struct scanner *s, const char *path, const char *data,
		     size_t len, hit_fn cb, void *ctx);

/*
 * Scans a stream of any size in bounded chunks, with enough overlap that a
 * secret crossing a chunk boundary is found once. *bytes_out (may be NULL)
 * gets the number of bytes read. Read errors are returned as they are.
 * rd reads into the scanner's own buffer: when a rule matched in the
 * stream (or no rule applies to path, so it was not looked at), every
 * byte read into it is zeroed before this returns.
 */
int scanner_scan_stream(struct scanner *s, const char *path, read_fn rd,
			void *rctx, hit_fn cb, void *ctx, uint64_t *bytes_out);

/*
 * The same scan with the bytes handed in rather than read: a caller that
 * reads the stream for another purpose (a decoder pulling an input) feeds
 * a copy of each piece, in order. scanner_feed_begin starts the stream
 * (path as above; cb gets the hits, in offset order, while pieces are fed
 * and at the end), scanner_feed hands the next len bytes (copied: data is
 * not kept), scanner_feed_end scans what is left, emits the last hits and
 * wipes what scanner_scan_stream would. A scanner scans one stream at a
 * time, fed or read. The first error (NFG_ENOMEM, or cb's non-zero
 * return) is kept: later calls return it and do nothing more, but
 * scanner_feed_end must still be called to wipe.
 */
int scanner_feed_begin(struct scanner *s, const char *path, hit_fn cb,
		       void *ctx);
int scanner_feed(struct scanner *s, const char *data, size_t len);
int scanner_feed_end(struct scanner *s);

/* Chunk size used by scanner_scan_stream (exposed for tests). */
#define SCANNER_CHUNK ((size_t)1 << 20)

/*
 * 1 if spec (a rule of rs, as ruleset_rule gives it) has an allow.paths
 * pattern matching path: its findings there are not reported.
 */
int ruleset_allows_path(const struct ruleset *rs, const struct rule_spec *spec,
			const char *path);

/*
 * Where the body of a secret starts: after the longest keyword of the rule
 * that the secret begins with (0 when it begins with none).
 */
size_t rule_body_offset(const struct rule_spec *spec, const char *p, size_t n);

/* Filters, exposed for tests. */
double shannon_entropy(const char *p, size_t n);
/* 1 if every letter and digit of p is the same character. */
int is_repeated_char(const char *p, size_t n);
/* 1 if a whole word of p (split at _ - .) equals a stopword, any case. */
int has_stopword(const char *p, size_t n, char *const *words, size_t nwords);

#endif

/*
 * The state of incremental sweeps (--state FILE): per repository, the
 * commits its last complete scan started from and the fingerprints
 * already reported, and what a run that has not written its report yet
 * found (pending). Read from and written to a JSON file; never a secret.
 *
 * Ownership: struct state is caller-owned (state_init/state_release) and
 * owns its repositories. The parser works on a memory buffer.
 */
#ifndef NFG_SWEEP_STATE_H
#define NFG_SWEEP_STATE_H

#include <stddef.h>

#include "engine/engine.h"
#include "util/buf.h"
#include "util/idmap.h"
#include "sweep/target.h"

#define STATE_VERSION	 1
#define STATE_MAX_SIZE	 ((size_t)256 << 20) /* the file, read or written */
#define STATE_MAX_KEY	 TARGET_LINE_MAX     /* bytes of a repository's key */
#define STATE_MAX_REPOS	 1000000
#define STATE_TIP_LEN	 20 /* a commit id */
#define STATE_DIGEST_LEN 32 /* a fingerprint's digest, or the rules' */

/*
 * One repository. Ids and digests are arrays of STATE_TIP_LEN and
 * STATE_DIGEST_LEN bytes, sorted and distinct.
 */
struct state_repo {
	char *key; /* state_target_key's */
	/* confirmed: scanned from these, and what they found reported */
	unsigned char *tips, *reported;
	size_t ntips, nreported;
	/* scanned by a run whose report is not written yet */
	int pending;
	unsigned char *pending_tips, *pending_found;
	size_t npending_tips, npending_found;
};

struct state {
	unsigned char rules[STATE_DIGEST_LEN]; /* state_rules_digest's */
	int has_rules;			       /* 0: a new state */
	/* SHA-256 of the text last parsed or saved; zeros: neither */
	unsigned char text[STATE_DIGEST_LEN];
	struct state_repo *v;
	size_t n, cap;
	struct idmap keys; /* first bytes of the key's SHA-256 -> index */
};

void state_init(struct state *s);
void state_release(struct state *s);

/*
 * Parses a state file's text data[0..len) into an empty state:
 * {"version": 1, "rules": "sha256:HEX", "repositories": [{"key": K,
 * "tips": [ID...], "reported": [FINGERPRINT...], and together or not at
 * all "pending_tips": [ID...], "pending": [FINGERPRINT...]}...]}: ids 40
 * lowercase hex digits, fingerprints as reports write them, each list
 * sorted and without repeats, keys distinct, 1 to STATE_MAX_KEY bytes
 * without control characters; no other member, none twice. 0, or
 * NFG_EINVAL (why, naming the member: "repositories[2].tips[0]: not a
 * commit id", "unsupported version 2 (this nfguard reads 1)"),
 * NFG_ELIMIT (larger than STATE_MAX_SIZE, more than STATE_MAX_REPOS
 * repositories), NFG_ENOMEM; on failure s is left empty.
 */
int state_parse(struct state *s, const char *data, size_t len);

/*
 * Reads the file at path whole (at most STATE_MAX_SIZE bytes) and parses
 * it. A file that does not exist is a new state (*missing set to 1).
 * 0, or NFG_EIO / state_parse's codes with "'PATH': why".
 */
int state_read(struct state *s, const char *path, int *missing);

/* The file's text, as state_parse reads it, appended to out. */
int state_format(const struct state *s, struct buf *out);

/*
 * The journal beside a state file (PATH.journal): a header line naming
 * the state text it follows, {"journal": 1, "base": "sha256:HEX"} (HEX:
 * SHA-256 of that text), then one line per repository recorded since, its
 * entry whole as the state file writes it (the latest line of a key wins).
 * A sweep appends a line per repository and folds the journal into the
 * file once, at its end: not the whole file rewritten per repository.
 */
struct state_journal {
	int fd; /* -1: none open */
	char *path;
	size_t size; /* bytes written, at most STATE_MAX_SIZE */
};

/* What state_journal_parse made of a journal. */
struct state_replay {
	size_t records; /* lines applied */
	int stale;	/* it follows another state text: nothing applied */
	int torn;	/* its last line has no newline: left out */
};

/*
 * Applies the journal text data[0..len) to s, read from the state text
 * whose SHA-256 is s->text: each record replaces its repository's entry
 * (added when absent). A journal that follows another text is stale and
 * applies nothing; a last line without its newline (a run killed as it
 * wrote) is left out. 0, or NFG_EINVAL ("record[2].tips[0]: not a commit
 * id", "header: not a journal"), NFG_ELIMIT (larger than STATE_MAX_SIZE,
 * too many repositories), NFG_ENOMEM; on failure s is as it was but for
 * the entries of the records before the bad one.
 */
int state_journal_parse(struct state *s, const char *data, size_t len,
			struct state_replay *out);

/*
 * Reads path's journal (path.journal) when there is one and applies it
 * (state_journal_parse). 0, or NFG_EIO / state_journal_parse's codes with
 * "'PATH.journal': why".
 */
int state_replay(struct state *s, const char *path, struct state_replay *out);

/*
 * Replaces the file at path atomically: the text written to a new file
 * beside it (mode 0600), flushed to disk, renamed over path, the folder
 * flushed; s->text then names it. With j: a new journal following it
 * replaces path's (opened in j, to state_journal_add to; its old one is
 * stale from the rename on); without: path's journal is removed. 0, or
 * NFG_EIO / NFG_ELIMIT / NFG_ENOMEM with "'PATH': why"; path is then as
 * it was, or written and its journal stale.
 */
int state_save(struct state *s, const char *path, struct state_journal *j);

/*
 * Appends r's entry to the journal as one line, flushed to disk. 0, or
 * NFG_EIO / NFG_ENOMEM with "'PATH.journal': why".
 */
int state_journal_add(struct state_journal *j, const struct state_repo *r);

/* Closes the journal (the file stays). Accepts a closed one. */
void state_journal_close(struct state_journal *j);

/*
 * Takes the lock of the state file path: PATH.lock (made 0600 when
 * absent, and left there), locked with flock; *fd holds it until closed.
 * 0, or NFG_EIO: "'PATH' is in use by another nfguard run (it holds
 * 'PATH.lock')", or why the lock could not be taken.
 */
int state_lock(const char *path, int *fd);

/* The repository of key, or NULL. Borrowed until the next state_add. */
struct state_repo *state_find(const struct state *s, const char *key);
/* The repository of key, added (empty) when absent. 0, NFG_ELIMIT, NOMEM. */
int state_add(struct state *s, const char *key, struct state_repo **out);

/*
 * The key a target is recorded under: a URL's normalised key; a local
 * path's real path (of its normalised key), or the key joined to the
 * current folder when it cannot be resolved. *out allocated. 0 or NOMEM.
 */
int state_target_key(const struct sweep_target *t, char **out);

/*
 * What decides what the scan finds: the rules (ruleset_digest) and
 * whether nfguard:allow is honoured, hashed. Never fails.
 */
void state_rules_digest(const struct ruleset *rs, int inline_allow,
			unsigned char out[STATE_DIGEST_LEN]);

/*
 * Before a run with rules: when the state was written with other rules,
 * forgets every repository's tips and fingerprints (*rules_changed set to
 * 1: every repository is scanned whole and reports all it finds); then
 * each pending repository is settled: one that found nothing is
 * confirmed, the others' pending part dropped (they are scanned again
 * from their confirmed tips, so that what they found is reported), and
 * *rescanned counts them. Never fails.
 */
void state_begin(struct state *s, const unsigned char rules[STATE_DIGEST_LEN],
		 int *rules_changed, size_t *rescanned);

/* 1 when r's confirmed fingerprints hold digest, else 0. */
int state_reported(const struct state_repo *r, const unsigned char *digest);

/*
 * Records a complete scan of r: it started from tips (ntips ids, any
 * order, repeats allowed) and reported found (nfound digests, likewise).
 * confirmed: the report holding them is written (the tips replace r's,
 * the fingerprints join r's); else they are r's pending part until
 * state_confirm. 0 or NFG_ENOMEM (r unchanged).
 */
int state_record(struct state_repo *r, const unsigned char *tips, size_t ntips,
		 const unsigned char *found, size_t nfound, int confirmed);

/* Confirms every pending repository: their report is written. 0, NOMEM. */
int state_confirm(struct state *s);

#endif

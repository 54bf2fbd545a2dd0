/*
 * Report writers: human, json, jsonl, sarif and html behind one entry point,
 * chosen from one table of formats.
 * A writer only reads what it is given; the caller owns everything.
 */
#ifndef NFG_REPORT_REPORT_H
#define NFG_REPORT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"
#include "finding/finding.h"
#include "util/buf.h"

/* Each value has its row in report.c's table; REPORT_NFORMATS counts them. */
enum report_format {
	REPORT_HUMAN,
	REPORT_JSON,
	REPORT_JSONL,
	REPORT_SARIF,
	REPORT_HTML,
	REPORT_NFORMATS
};

/* What a problem met during a scan did to it. */
enum scan_problem_kind {
	SCAN_PROBLEM_ERROR,   /* the scan is incomplete */
	SCAN_PROBLEM_SKIPPED, /* an unreadable input skipped on request */
	SCAN_PROBLEM_WARNING  /* worth saying; the scan is still complete */
};

/* One distinct problem: its message and how many times it was met. */
struct scan_problem {
	enum scan_problem_kind kind;
	const char *message; /* one line, without "nfguard: " */
	uint64_t count;
};

/* What became of one repository of a sweep (nfguard git with several). */
enum repo_status {
	REPO_SCANNED, /* its history was scanned whole */
	REPO_FAILED,  /* not scanned, or only in part: see error */
	REPO_EMPTY    /* no ref and no commit */
};

struct scan_repository {
	const char *repository; /* as shown: URL userinfo removed */
	const char *uri;	/* absolute path or URL (SARIF), or NULL */
	const char *revision;	/* HEAD's commit id, or NULL */
	enum repo_status status;
	const char *error; /* failed: one line, why; else NULL */
	uint64_t refs, commits, blobs, bytes, findings;
	uint64_t duration_ms;
	/* --state: "full", "incremental" or "fallback"; NULL without */
	const char *incremental;
	/* how it was obtained: "local", "clone", "fetch", or NULL */
	const char *transfer;
};

/* What was scanned, for the "scan" object and the human summary. */
struct scan_info {
	const char *command;	    /* "dir", "stdin", "git", ... */
	const char *const *targets; /* as the user named them */
	size_t ntargets;
	int64_t started_at_ms; /* Unix time in milliseconds */
	uint64_t duration_ms;
	uint64_t files_scanned;
	uint64_t bytes_scanned;
	/* git sources only (has_git set) */
	int has_git;
	uint64_t commits, blobs_scanned, refs;
	uint64_t submodules;	/* gitlink entries skipped */
	int shallow;		/* history is cut (shallow clone) */
	const char *repository; /* absolute path of the repository */
	const char *revision;	/* HEAD's commit id, or NULL */
	uint64_t git_dir_files; /* files of git folders (also with git_dirs) */
	/*
	 * dir only (has_git_dirs set): git directories whose history was
	 * scanned (their commits and blobs in the fields above) and .git
	 * folders of work trees skipped. Findings carry their repository.
	 */
	int has_git_dirs;
	uint64_t git_dirs, git_dirs_skipped;
	/* dir only (has_changed set): files that changed while read */
	int has_changed;
	uint64_t changed_during_scan;
	/* human output: what to do next, printed when there are findings */
	const char *advice;
	/* findings suppressed, by reason; in the report when has_suppressed */
	int has_suppressed;
	uint64_t suppressed_ignored, suppressed_baseline, suppressed_paths;
	uint64_t suppressed_inline; /* next to the nfguard:allow marker */
	/* --state (has_state set): reported by an earlier run */
	int has_state;
	uint64_t suppressed_state;
	/* --verify: distinct tokens by status; in the report when verified */
	int has_verification;
	uint64_t verify_tokens, verify_live, verify_invalid, verify_unknown;
	/*
	 * Problems: errors (the scan is incomplete when there is one) and
	 * unreadable inputs skipped, counted each time; the distinct ones in
	 * the order first met, and how many more were not listed.
	 */
	uint64_t errors, skipped;
	const struct scan_problem *problems;
	size_t nproblems;
	uint64_t problems_unlisted;
	/*
	 * Absolute directory that relative paths are relative to (SARIF
	 * originalUriBaseIds); NULL when paths are not relative to one root.
	 */
	const char *root;
	/*
	 * git, staged and dir with git folders (has_lfs set): Git LFS
	 * pointers met, those whose object is not local (not scanned), and
	 * blobs that start like a pointer but are not one (scanned as text).
	 */
	int has_lfs;
	uint64_t lfs_pointers, lfs_missing, lfs_malformed;
	/*
	 * git, staged and dir with git folders (has_objects set): objects
	 * that failed a check (id, CRC-32) and were not scanned.
	 */
	int has_objects;
	uint64_t objects_corrupt;
	/*
	 * Commands that scan (has_decode set): the decoders that ran
	 * (enum decoder bits), inputs a decoding bound cut short, and
	 * encoded inputs that could not be decoded (each also an error).
	 */
	int has_decode;
	unsigned decoders;
	uint64_t decode_limited, decode_failed;
	/*
	 * A sweep (has_repositories set): one entry per repository, in the
	 * order given. Findings carry their repository's shown name, and
	 * the reports add each token found in several repositories as one
	 * incident (report/incident.c).
	 */
	int has_repositories;
	const struct scan_repository *repositories;
	size_t nrepositories;
	/*
	 * A sweep with --shard I/N (shard_count set): its share of the
	 * targets, which still lists every target of the sweep.
	 */
	unsigned shard_index, shard_count;
};

struct report_opts {
	enum report_format format;
	int show_secret; /* include "secret" / print the whole token */
	int color;	 /* human: ANSI colour */
	const struct ruleset *rules;
};

/*
 * Parses a format name ("human", "json", "jsonl", "sarif", "html"). 0, or
 * NFG_EINVAL with "unknown format 'NAME' (human, json, jsonl, sarif or
 * html)".
 */
int report_format_parse(const char *name, enum report_format *out);

/*
 * Appends the format names in table order to out: for help (help set)
 * "human (default), json, jsonl, sarif, html", else "human, json, jsonl,
 * sarif or html". 0, or the buffer's failure.
 */
int report_format_names(struct buf *out, int help);
/* The name of format f ("json"), or NULL past the last format. */
const char *report_format_name(unsigned f);

/*
 * Writes the whole report to out. Returns 0, or NFG_EIO when a write
 * fails (checked with ferror after fflush), NFG_ENOMEM.
 */
/* A repository's status as reports name it: "scanned", "failed", "empty". */
const char *report_repo_status(enum repo_status s);

int report_write(FILE *out, const struct report_opts *opts,
		 const struct scan_info *scan, const struct findings *l);

/*
 * The identity of a rule set as reports carry it (tool.rules_digest, which
 * merge compares): "sha256:" + the hex of ruleset_digest.
 */
void report_rules_digest(const struct ruleset *rs,
			 char out[FINGERPRINT_LEN + 1]);

#endif

/*
 * Where bytes come from: folders and files, git history, the index, and
 * file descriptors (stdin). A source feeds the engine and turns its hits
 * into findings; it never prints: problems go to the caller's callback,
 * one message per problem.
 *
 * Ownership: findings are appended to the caller's list; the ruleset is
 * borrowed and must outlive the call.
 */
#ifndef NFG_SOURCE_SOURCE_H
#define NFG_SOURCE_SOURCE_H

#include <stdint.h>

#include "decode/decode.h"
#include "engine/engine.h"
#include "finding/finding.h"

enum problem_kind {
	PROBLEM_UNREADABLE, /* a file that could not be opened or read */
	PROBLEM_ERROR,	    /* anything else that makes the scan incomplete */
	PROBLEM_WARNING	    /* worth saying; the scan is still complete */
};

/*
 * Called for each problem, never concurrently; msg is one line without
 * "nfguard: " and never holds a secret.
 */
typedef void (*problem_fn)(void *ctx, enum problem_kind kind, const char *msg);

struct scan_totals {
	uint64_t files;		   /* files (or streams) read */
	uint64_t bytes;		   /* bytes read */
	uint64_t unreadable;	   /* PROBLEM_UNREADABLE reported */
	uint64_t errors;	   /* PROBLEM_ERROR reported */
	uint64_t git_dirs_skipped; /* dir: .git folders of work trees */
	uint64_t lfs_pointers;	   /* git, staged: LFS pointers met */
	uint64_t lfs_missing;	   /* of those, objects not local */
	uint64_t lfs_malformed;	   /* blobs that start like a pointer */
	uint64_t changed;	   /* dir: files that changed while read */
	uint64_t objects_corrupt;  /* git, staged: objects failing a check */
	uint64_t decode_limited;   /* inputs a decoding bound cut short */
	uint64_t decode_failed; /* encoded inputs that could not be decoded */
	uint64_t excluded;	/* dir: files and folders an exclude matched */
	uint64_t too_large;	/* dir: files over the size limit, not read */
};

/* Adds every count of src to dst. */
void scan_totals_add(struct scan_totals *dst, const struct scan_totals *src);

/*
 * A git directory the walk was given or met: full is where to open it,
 * display how findings name it (the same rules as findings' paths). Called
 * from the walking thread, never concurrently; the strings are borrowed
 * for the call. Returns 0, or a negative code to stop the walk.
 */
typedef int (*git_dir_fn)(void *ctx, const char *full, const char *display);

/*
 * What every source is given: the rules, where its problems and findings
 * go, and the totals it counts into. All borrowed; the ruleset must
 * outlive the scan.
 */
struct source_ctx {
	const struct ruleset *rs;
	const struct decode_opts *decode; /* NULL: nothing is decoded */
	problem_fn problem;
	void *pctx;
	struct findings *out;
	struct scan_totals *totals;
};

/*
 * Scan progress, called now and then (at most ten times a second) from
 * any thread, never concurrently: done of total objects, bytes read;
 * total 0 when it is not known in advance (dir: done counts files).
 */
typedef void (*progress_fn)(void *ctx, uint64_t done, uint64_t total,
			    uint64_t bytes);

/* Why the folder source left a file or folder out. */
enum dir_skip { DIR_SKIP_EXCLUDED, DIR_SKIP_TOO_LARGE };

/*
 * A file or folder left out, called under the walk's lock (never
 * concurrently, in no set order): display names it as findings would
 * (a folder with a trailing '/'); EXCLUDED: glob is the pattern that
 * matched, anchored set when it is one of dir_opts.anchored; TOO_LARGE:
 * size is the file's. Strings are borrowed for the call.
 */
typedef void (*dir_skip_fn)(void *ctx, enum dir_skip why, const char *display,
			    const char *glob, int anchored, uint64_t size);

struct dir_opts {
	const char *const *targets; /* files or folders; at least one */
	size_t ntargets;
	unsigned jobs;	      /* worker threads, >= 1 */
	progress_fn progress; /* files and bytes as read, with pctx; or NULL */
	/* Git directories: handed here, or reported as errors when NULL. */
	git_dir_fn git_dir;
	void *git_ctx;
	/*
	 * The one target is a git directory whose files are walked (the
	 * history scan's own read of them): nothing is handed to git_dir
	 * and no .git folder is skipped; only object databases are left
	 * out (see source_dir_scan).
	 */
	int git_folder;
	/*
	 * With git_folder: a folder left out too, by its device and inode
	 * (the LFS store that lfs.storage names), when skip_set.
	 */
	int skip_set;
	uint64_t skip_dev, skip_ino;
	/*
	 * Left out, each counted in totals (excluded, too_large) and handed
	 * to skipped when set. excludes: globs (util/glob.h) matched against
	 * the path below each folder target (a file target: its path as
	 * given, without a leading "./"); anchored: globs matched against
	 * the path below anchor (an absolute path without symbolic links),
	 * for what lies below it only. A folder that matches is not walked.
	 * max_file_size: files larger than this are not read (0: no limit).
	 */
	const char *const *excludes;
	size_t nexcludes;
	const char *const *anchored;
	size_t nanchored;
	const char *anchor;
	uint64_t max_file_size;
	dir_skip_fn skipped;
	void *skip_ctx;
};

/*
 * Scans every regular file under the targets, never following symbolic
 * links, except a target named directly. A git directory (HEAD, objects/
 * and refs/, as git tests it) given as a target or met in the walk, other
 * than a folder named .git inside a walked folder, is not read as files:
 * it goes to opts->git_dir (compressed objects hide every token), whose
 * history scan reads its files; without git_dir, an error is reported and
 * its files are walked. A git directory's objects/ and lfs/objects/ are
 * never walked. Folders
 * named .git inside a walked folder (work trees' repositories) are skipped
 * and counted in totals->git_dirs_skipped. A file target inside a git
 * directory's objects/, or a git pack file anywhere, is an error (its
 * bytes are compressed). Paths in findings: relative to the target when
 * there is one folder target, else the target as given joined with the
 * relative path. Findings are appended in sorted order. Returns 0, or a
 * negative code only for failures that stopped the scan (out of memory,
 * or git_dir's); per-file problems are reported through problem and
 * counted in totals. A file whose size or modification time moved while
 * it was read is counted in totals->changed and reported: a warning when
 * it only grew and was read to its new end, else an error (part of it may
 * not have been scanned). What opts leaves out (excludes, max_file_size)
 * is counted and handed to opts->skipped, never an error; a folder
 * excluded is not opened.
 */
int source_dir_scan(const struct source_ctx *ctx, const struct dir_opts *opts);

/* Scans everything readable from fd, with label as the findings' path. */
int source_fd_scan(const struct source_ctx *ctx, int fd, const char *label);

struct gitscan_opts {
	const char *repo;	 /* NULL: discovered from the current folder */
	const char *const *refs; /* --ref: starting points, or none */
	size_t nrefs;
	const char *range;	     /* "A..B" or a single tip "B", or NULL */
	const char *const *excludes; /* with range: hide these revisions */
	size_t nexcludes;
	const char *const *exclude_globs; /* with range: hide these refs */
	size_t nexclude_globs;
	int from_env;	       /* open the repository git's environment names */
	const char *work_tree; /* with from_env: GIT_WORK_TREE, or NULL */
	int no_search;	       /* open repo itself, never a folder above it */
	int unreachable;       /* also every object of the object database */
	int all_occurrences;
	unsigned jobs;
	progress_fn progress; /* may be NULL */
	const char *tmp_dir;  /* a bundle's temporary repository: NULL, /tmp */
	int strict_objects;   /* check every object's id, packed ones too */
	/*
	 * Without range, refs or unreachable: every ref as by default, less
	 * what these commits (nexclude_ids ids of 20 bytes, the tips of an
	 * earlier scan) reach; each commit is then walked as in a range
	 * (only what it brought), the git folder is still read. When one
	 * of them is not in the repository (history rewritten), none is
	 * left out: a warning, and gt->excludes_missing counts them.
	 */
	const unsigned char *exclude_ids;
	size_t nexclude_ids;
};

struct gitscan_totals {
	uint64_t commits;    /* commits considered */
	uint64_t blobs;	     /* unique blobs scanned */
	uint64_t refs;	     /* starting points */
	uint64_t submodules; /* gitlink entries skipped */
	int shallow;	     /* the repository is a shallow clone */
	char *repository;    /* absolute path of the work tree or git dir */
	char revision[41];   /* HEAD's commit id, or "" when unborn */
	/* files of the git folder scanned (source/git/gitdir.c) */
	uint64_t git_dir_files;
	/*
	 * The commits the starting points name (every ref, --ref): ntips
	 * ids of 20 bytes, in the order met, repeats kept (allocated).
	 */
	unsigned char *tips;
	size_t ntips;
	size_t excludes_missing; /* exclude_ids not in the repository */
};

/*
 * Scans a repository's history: every unique blob once, commit and tag
 * messages, then attributes each token to the commit that introduced it.
 * Without a range or refs, the git folder's files too (source/git/gitdir.c):
 * findings with location "git-dir", their path inside the folder.
 * Problems (missing objects, shallow history) go to problem; what was found
 * before a problem is still appended to out. Objects that fail a check
 * (a loose object's id, a packed entry's CRC-32 when nfguard's own pack
 * reader reads it, every object's id with strict_objects) are errors,
 * each object once, counted in totals->objects_corrupt; never scanned. Returns
 * 0, or a negative code when the repository cannot be opened or memory runs
 * out, or NFG_EINVAL for exclude_ids with a range, refs or unreachable.
 * gt->repository and gt->tips are allocated: release with
 * gitscan_totals_release.
 * Sets libgit2 up on first use (source/git/lib.h).
 */
int source_git_scan(const struct source_ctx *ctx,
		    const struct gitscan_opts *opts, struct gitscan_totals *gt);
void gitscan_totals_release(struct gitscan_totals *gt);

/*
 * From a signal handler: removes the temporary repository of a bundle
 * being scanned, if any. Async-signal-safe.
 */
void source_git_signal_cleanup(void);

/*
 * Scans what the next commit would add: the index against HEAD (the whole
 * index before the first commit), reading staged blobs, never the work
 * tree. Only tokens on added or changed lines are reported (in binary
 * files: tokens the HEAD version did not hold), with the staged path and
 * line. repo NULL: the repository git's environment or the current folder
 * names, with work_tree (GIT_WORK_TREE as git passed it; may be NULL).
 * index_file is GIT_INDEX_FILE as git passed it (NULL: the git dir's
 * index); nfguard reads it itself, in every format git writes.
 * *repository gets its work tree's absolute path (caller frees).
 * Loose objects' ids are checked, and with strict_objects packed ones'
 * too: a corrupt object is counted in totals->objects_corrupt and fails
 * the scan.
 */
int source_staged_scan(const struct source_ctx *ctx, const char *repo,
		       const char *work_tree, const char *index_file,
		       int strict_objects, char **repository);

#endif

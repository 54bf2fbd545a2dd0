/*
 * The history scan's shared state, private to src/source/git/: the commit
 * graph in topological order, the unique blobs with the hits found in
 * them, and each phase's entry points, grouped by the file that holds
 * them (the order of the phases is in git.c).
 */
#ifndef NFG_SOURCE_GIT_INTERNAL_H
#define NFG_SOURCE_GIT_INTERNAL_H

#include <git2.h>
#include <pthread.h>

#include "util/buf.h"
#include "util/idmap.h"
#include "source/collect.h"
#include "source/source.h"
#include "source/git/open.h"
#include "source/git/pack_object.h"
#include "source/git/lfs_pointer.h"

/* What a blob is to Git LFS, and what became of its object. */
enum gs_lfs {
	GS_LFS_NONE,	  /* not a pointer */
	GS_LFS_MALFORMED, /* starts like a pointer, is not one */
	GS_LFS_LATER,	/* a pointer read ahead: its object waits for a path */
	GS_LFS_SCANNED, /* a pointer whose object was scanned */
	GS_LFS_MISSING, /* a pointer whose object is not local */
	GS_LFS_FAILED	/* a pointer whose object could not be scanned */
};

struct gcommit {
	git_oid oid;
	git_oid tree;
	int64_t time;	   /* committer time, for ordering */
	uint32_t parent0;  /* index of the first parent in gs->parents */
	uint32_t nparents; /* parents present in the graph */
	unsigned reachable : 1;
	unsigned loaded : 1;
	unsigned walked : 1; /* its tree's new entries were walked */
	unsigned notes : 1;  /* a notes ref reaches it */
};

struct gblob {
	git_oid oid;
	uint32_t pack; /* 1 + index in gs->packs when known, else 0 */
	uint64_t off;  /* offset in that pack */
	char *path;    /* first path it was seen at ("" for loose ones) */
	unsigned reachable : 1;
	unsigned unreadable : 1; /* the scan could not read it */
	unsigned lfs : 3;	 /* enum gs_lfs */
	struct findings hits;	 /* filled by the scan phase */
};

struct gitscan {
	const struct ruleset *rs;
	const struct gitscan_opts *opts;
	problem_fn problem;
	void *pctx;
	pthread_mutex_t problem_lock; /* one problem reported at a time */
	git_repository *repo;
	const char *gitdir; /* borrowed from repo */
	char *lfs_objects;  /* the LFS store's objects folder */
	struct findings *out;
	struct scan_totals *totals;
	struct gitscan_totals *gt;
	struct collector *sc;		  /* the main thread's, for messages */
	const struct decode_opts *decode; /* NULL: nothing decoded */
	/*
	 * Only what the commits walked brought: a range, or every ref less
	 * opts->exclude_ids (then the starting points wait in gt->tips for
	 * gs_add_since).
	 */
	int closed;
	struct idmap recorded; /* opts->exclude_ids, when closed by them */
	size_t captips;	       /* gt->tips' room */

	struct gcommit *commits; /* topologically sorted once walked */
	uint32_t ncommits;
	size_t capcommits;
	uint32_t *parents; /* parent indices, by gcommit.parent0 */
	uint32_t nparents;
	size_t capparents;
	struct idmap commit_ids; /* oid -> index in commits */

	struct gblob *blobs;
	uint32_t nblobs;
	size_t capblobs;
	struct idmap blob_ids;
	struct idmap tree_ids;	 /* trees already walked */
	struct idmap tag_ids;	 /* tag objects already scanned */
	struct idmap name_keys;	 /* (path, token) of path-name findings */
	struct idmap ref_tokens; /* tokens of ref-name findings */

	struct idmap shallow;	/* commits whose parents are cut */
	struct pack_map *packs; /* mapped by gs_pack_blobs */
	size_t npacks;
	struct pack_reader **tree_readers; /* the main thread's, per pack */
	git_odb *odb;			   /* the main thread's */

	/* range walks: which commit brought which blob at which path */
	struct intro {
		uint32_t commit, blob;
		char *path;
	} * intros;
	size_t nintros, capintros;
	uint32_t cur_commit; /* the commit being walked; UINT32_MAX: none */
	int failed;	     /* a fatal error stopped the scan */

	char *bundle_dir;	  /* a bundle's temporary repository, or NULL */
	struct idmap prereqs;	  /* a bundle's prerequisites: commits absent */
	uint64_t absent;	  /* objects not found that they may hold */
	struct idmap corrupt_ids; /* objects reported corrupt (problem_lock) */
};

/* open.c: opens opts->repo into gs->repo, gs->gitdir and gt's fields. */
int gs_open_scan(struct gitscan *gs);

/*
 * A collector (source/collect.h) for one of gs's threads: its rules,
 * decoding, and problems reported as gs_problem reports them.
 */
int gs_collector_new(struct gitscan *gs, struct collector **out);

/* problem.c: reports a problem; the message is printf-formatted. */
void gs_problem(struct gitscan *gs, enum problem_kind kind, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));
/*
 * Reports libgit2's last error about an object: "cannot read <what> <id>",
 * or when a check failed (source/git/odb_check.h), the object as corrupt;
 * nothing for an object reported corrupt already (gs_corrupt).
 */
void gs_object_error(struct gitscan *gs, const char *what, const git_oid *id);
/*
 * Reports object id as corrupt, once per object however often it is met:
 * an error "object <id> is corrupt: <why>", counted in objects_corrupt.
 */
void gs_corrupt(struct gitscan *gs, const unsigned char *id, const char *why);
/*
 * Takes the code err of a pack reader (pack_object.h) that failed on
 * object id of pack pk, and returns what the caller does: NFG_ECORRUPT
 * (reported as corrupt with gs_corrupt) or NFG_ELIMIT (libgit2's last
 * error set, for gs_object_error): the object must not be read another
 * way; NFG_ENOTFOUND for any other code: libgit2 may read it.
 */
int gs_pack_failed(struct gitscan *gs, const struct pack_map *pk,
		   const git_oid *id, int err);

/*
 * starts.c: adds the starting points opts names (a range, --ref, or every
 * ref) to the graph, tags' messages scanned on the way. 0, or a negative
 * code for a bad range or revision (error set) or out of memory.
 */
int gs_add_starts(struct gitscan *gs);
/*
 * Before the starts: with opts->exclude_ids, sets gs->closed and fills
 * gs->recorded when every one of them is in the object database; else
 * warns, counts them in gt->excludes_missing and leaves the scan whole.
 * 0, NFG_EINVAL (with a range, refs or unreachable), NFG_ENOMEM.
 */
int gs_check_excludes(struct gitscan *gs);

/*
 * since.c: adds to the graph the commits the starting points (gt->tips)
 * reach that opts->exclude_ids do not: a search that stops at those, or
 * when it cannot close, libgit2's walk that hides them. Unreadable
 * commits are reported. 0, NFG_EIO (no walk), NFG_ENOMEM.
 */
int gs_add_since(struct gitscan *gs);

/*
 * graph.c: adds a commit to the graph (not loaded yet) unless known;
 * *index (may be NULL) gets its index. 0 or NFG_ENOMEM.
 */
int gs_add_commit(struct gitscan *gs, const git_oid *id, int reachable,
		  uint32_t *index);
/*
 * Loads every commit from index from on, adding parents as they are found
 * (breadth first) and scanning each message, until no commit is left
 * unloaded. In a closed graph (a range) parents outside it are not added.
 * Unreadable commits are reported; 0 or a negative code.
 */
int gs_load_commits(struct gitscan *gs, uint32_t from, int closed);
/* Reads the shallow file into gs->shallow: commits whose parents are cut. */
int gs_read_shallow(struct gitscan *gs);
/*
 * Sorts the commits so that parents come before children, the oldest
 * first among those ready (Kahn's algorithm), and renumbers the parents.
 */
int gs_topo_sort(struct gitscan *gs);

/*
 * messages.c: scans a commit object whole, read raw (headers, and the
 * message past any NUL); findings go to gs->out with the commit's fields,
 * each at its part (source/git/object_text.h). An object that cannot be
 * read raw is reported. 0, or the engine's or NFG_ENOMEM's code.
 */
int gs_scan_commit_object(struct gitscan *gs, const git_commit *c,
			  int reachable);
/* The same for an annotated tag (once per tag object). */
int gs_scan_tag(struct gitscan *gs, git_tag *tag, int reachable);
/* Fills a finding's commit fields (commit id, author, date) from c. */
int gs_set_commit_fields(struct finding *f, const git_commit *c);
/* An object id in hex, as a new string (NULL: out of memory). */
char *gs_oid_str(const git_oid *id);

/*
 * names.c: tokens in names. gs_scan_path_name scans a tree entry's whole
 * path, whose own name starts at byte name_off (hits before it are in a
 * folder's name: reported there): each (path, token) once per scan, at
 * the commit being walked (gs->cur_commit). gs_scan_tree_names finds the
 * entries of a tree's raw bytes whose names hold a token, in one pass,
 * and scans each at path (the tree's, restored on return).
 * gs_scan_ref_names scans every ref's name, in name order. All: 0, or the
 * engine's or NFG_ENOMEM's code.
 */
int gs_scan_path_name(struct gitscan *gs, const char *path, size_t name_off,
		      int reachable);
int gs_scan_tree_names(struct gitscan *gs, const unsigned char *data,
		       size_t len, struct buf *path, int reachable);
int gs_scan_ref_names(struct gitscan *gs);
/*
 * Scans a name (origin: its path, for path allow rules, or NULL) with sc
 * as one line: a newline in it is read as a space, so each finding's line
 * is 1 and its columns (bytes and code points) count from the name's
 * start. 0, or the engine's or NFG_ENOMEM's code.
 */
int gs_scan_name(struct collector *sc, const char *origin, const char *name,
		 struct findings *found);
/*
 * Whether a ref-name finding's token is new to the scan (each token is
 * reported once among ref names): 1 new, 0 seen, NFG_ENOMEM.
 */
int gs_ref_token_new(struct gitscan *gs, const struct finding *f);

/*
 * unreachable.c: adds what only the object database knows, after the
 * reachable history is walked so that reachable copies keep their place.
 */
int gs_add_unreachable(struct gitscan *gs);

/*
 * tree.c: adds a blob unless known (then it only becomes reachable if it
 * is); *index (may be NULL) gets its index. 0 or NFG_ENOMEM.
 */
int gs_add_blob(struct gitscan *gs, const git_oid *id, const char *path,
		int reachable, uint32_t *index);

/*
 * Walks the trees of the commits not walked yet, oldest first, each
 * unique tree once; in a range, only what each commit brought (the
 * entries none of its parents' trees has).
 */
int gs_walk_trees(struct gitscan *gs);
/*
 * A tree's entries, read with the main thread's own pack readers when a
 * mapped pack holds it (gs_pack_read), else through libgit2 — and parsed
 * here (source/git/tree_entry.h): libgit2's tree objects cost more than
 * the walk itself, and its pack reads are serialised with the workers'.
 * gs_tree_open: 0, NFG_ENOTFOUND (libgit2's last error set) when the tree
 * cannot be read, NFG_ELIMIT (libgit2's last error set) when its delta
 * chain passes a bound, or NFG_ECORRUPT when it failed a check of the own
 * reader (reported already). gs_tree_next: 1 with the next entry (name
 * borrowed until close), 0 at the end, NFG_ENOTFOUND (libgit2's last
 * error set) when the rest is malformed. gs_tree_close frees.
 */
struct tree_cursor {
	const unsigned char *p, *end;
	unsigned char *owned;
	git_odb_object *obj;
};
int gs_tree_open(struct gitscan *gs, const git_oid *id, struct tree_cursor *c);
int gs_tree_next(struct tree_cursor *c, unsigned *mode, const char **name,
		 git_oid *id);
void gs_tree_close(struct tree_cursor *c);

/* Walks a tree that no commit holds (a ref to a tree, or dangling). */
int gs_walk_loose_tree(struct gitscan *gs, const git_oid *tree, int reachable);

/*
 * pack.c: fills order[0..nblobs) with blob indices sorted by where the blobs
 * sit in the packs gs_pack_map mapped (loose objects and unmapped packs
 * first: the order only affects speed), and notes each blob's pack and
 * offset. The indexes are not read again. 0 or NFG_ENOMEM.
 */
int gs_pack_order(struct gitscan *gs, uint32_t *order);

/*
 * Every blob of the repository's packs, reachable or not, in pack order
 * (path NULL, nothing scanned yet): what a full scan reads while the
 * commit walk still runs. Types of deltas are read from their bases'
 * headers; an unreadable pack contributes nothing. Caller frees *out.
 */
int gs_pack_blobs(struct gitscan *gs, struct gblob **out, uint32_t *n);
/*
 * Maps the packs as gs_pack_blobs does, listing nothing: scans that do
 * not read ahead still read trees and blobs with the pack readers, whose
 * chains are bounded (libgit2's are not). 0 or NFG_ENOMEM.
 */
int gs_pack_map(struct gitscan *gs);
/*
 * The mapped pack that holds object id: its number (gs->packs' index + 1)
 * with *off the object's place, or 0 when none does.
 */
uint32_t gs_pack_find(const struct gitscan *gs, const unsigned char *id,
		      uint64_t *off);
/*
 * Object id read from the mapped pack that holds it with the main
 * thread's reader: 0 with *out a new buffer (caller frees) of *len bytes
 * plus a NUL; NFG_ENOTFOUND when no mapped pack holds it or it cannot be
 * read there (libgit2 may read it); else gs_pack_failed's NFG_ECORRUPT
 * (reported) or NFG_ELIMIT (libgit2's last error set). Main thread.
 */
int gs_pack_read(struct gitscan *gs, const git_oid *id, unsigned char **out,
		 size_t *len);
/*
 * Before libgit2 reads object id: its type (enum pack_type, > 0) when it
 * lies in a mapped pack, found from its chain's headers with the main
 * thread's readers (each entry's CRC-32 checked, nothing inflated); 0
 * when unknown here (libgit2 may read it); NFG_ELIMIT with libgit2's last
 * error set (for gs_object_error) when its chain loops or is too deep:
 * libgit2 would follow it without end; NFG_ECORRUPT (reported) when an
 * entry of its chain fails its CRC-32: libgit2 would read it unchecked.
 * Main thread.
 */
int gs_chain_check(struct gitscan *gs, const git_oid *id);
/*
 * Adds the guard to repo's object database: from then on every object
 * libgit2 reads there, by whatever call (a revision's parsing, a range's
 * walk, peeling a tag), first passes gs_chain_check's check with readers
 * (*readers: one slot per mapped pack, read at each call, so it may be
 * filled or emptied later), and fails when it does not: NFG_ELIMIT's
 * reason as libgit2's last error, a corrupt object reported. gs_pack_map
 * and gs_pack_blobs guard gs->repo; each blob worker its own handle. 0,
 * NFG_ENOMEM, or NFG_EIO (error set).
 */
struct pack_reader;
int gs_guard_odb(struct gitscan *gs, git_repository *repo,
		 struct pack_reader ***readers);
/* Unmaps what gs_pack_blobs or gs_pack_map mapped. */
void gs_packs_release(struct gitscan *gs);
/*
 * The pack of the git folder gitdir (ending in '/') whose index holds
 * object id: its path inside gitdir in out ("objects/pack/pack-....pack"),
 * or out left empty when none does. 0 or NFG_ENOMEM.
 */
int gs_pack_of(const char *gitdir, const unsigned char *id, struct buf *out);

/* scan.c: reads and scans every blob of gs->blobs, on opts->jobs threads. */
int gs_scan_blobs(struct gitscan *gs);

/*
 * The same for blobs v[0..n) in the given order (taken), in the
 * background: gs_scan_start returns once the threads run, gs_scan_wait
 * joins them. Meanwhile the caller may use gs, but not v.
 */
struct blob_scan;
int gs_scan_start(struct gitscan *gs, struct gblob *v, uint32_t n,
		  uint32_t *order, struct blob_scan **out);
int gs_scan_wait(struct blob_scan *w);

/* ahead.c: reading every pack blob ahead of the walk. */
struct read_ahead {
	struct gblob *v; /* the packs' blobs, in pack order */
	uint32_t n;
	struct blob_scan *scan; /* running until gs_ahead_finish */
};

/* Lists the packs' blobs and starts scanning them in the background. */
int gs_ahead_start(struct gitscan *gs, struct read_ahead *ra);
/*
 * After the walk: waits for the scan, gives each blob of gs->blobs the
 * hits read ahead for it, and scans the blobs no pack held.
 */
int gs_ahead_finish(struct gitscan *gs, struct read_ahead *ra);
/* Waits for a scan still running (error paths) and frees. */
void gs_ahead_release(struct read_ahead *ra);

/*
 * lfs.c: the LFS store's objects folder of repo: lfs.storage (absolute,
 * or relative to the common git folder) or lfs/ of the common git folder,
 * then objects. *out is allocated. 0 or NFG_ENOMEM.
 */
int gs_lfs_objects_dir(git_repository *repo, char **out);
/*
 * When data[0..len) (a blob at path) is an LFS pointer, streams its
 * object from the objects folder through the engine into out as path's
 * content, adding the bytes read to *bytes; *state says what the blob
 * was and what became of its object. path NULL (not known yet): nothing
 * is read, a pointer is GS_LFS_LATER. 0; NFG_EIO (error set, naming the
 * object file; *state GS_LFS_FAILED) when the object is there but is not
 * a regular file, not the pointer's size or cannot be read; the engine's
 * codes. The object's sha256 is not checked: what is scanned is what the
 * store holds, and git lfs fsck checks it.
 */
int gs_lfs_scan(const char *objects, struct collector *sc, const char *path,
		const char *data, size_t len, struct findings *out,
		uint64_t *bytes, enum gs_lfs *state);
/* Counts a blob of that state into t's lfs_* counters. */
void gs_lfs_count(struct scan_totals *t, enum gs_lfs state);
/*
 * Says (warnings through source_problem, under lock) how many pointers
 * had no local object and how many blobs were malformed pointers.
 */
void gs_lfs_warn(pthread_mutex_t *lock, struct scan_totals *t, problem_fn fn,
		 void *ctx, uint64_t missing, uint64_t malformed);

/* attribute.c: turns blob hits into attributed findings in gs->out. */
int gs_attribute(struct gitscan *gs);

/*
 * staged_index.c: the index a staged scan reads (index_file, or the git
 * dir's "index"; a missing one is empty) as a libgit2 index in memory,
 * read by nfguard's own parser: split indexes joined to their shared
 * index, sparse directories expanded from their trees, every format git
 * 2.39 writes. *out is the caller's (git_index_free). 0, or a negative
 * code with the error set ("cannot read the index '<path>': why").
 */
int gs_staged_index(git_repository *repo, const char *index_file,
		    git_index **out);

/*
 * bundle.c: gs_is_bundle: 1 if path is a regular file that starts with a
 * git bundle's signature. gs_open_bundle opens the bundle opts->repo as
 * gs_open_scan opens a repository: its pack indexed by libgit2 into a
 * temporary bare repository (gs->bundle_dir, under opts->tmp_dir) with
 * its refs; gt->repository is the bundle's path as given; its
 * prerequisites go to gs->prereqs. 0, or NFG_EINVAL (not a valid bundle,
 * a truncated or corrupt pack), NFG_ELIMIT, NFG_EIO or NFG_ENOMEM with the
 * error set; no message names the temporary repository.
 * gs_bundle_release removes that repository (after gs->repo is freed).
 */
int gs_is_bundle(const char *path);
int gs_open_bundle(struct gitscan *gs);
void gs_bundle_release(struct gitscan *gs);

/*
 * gitdir.c: scans every file of the git folder (the common one, which
 * holds each linked worktree's, and the opened worktree's own when it is
 * elsewhere) but the object databases (objects/, lfs/objects/, nested
 * repositories' too: modules/), symbolic links not followed. Findings go
 * to gs->out with location "git-dir" and their path inside the folder;
 * files read are counted in gt->git_dir_files, problems reported
 * ("git folder: ...") and counted. 0 or NFG_ENOMEM.
 */
int gs_scan_git_dir(struct gitscan *gs);

#endif

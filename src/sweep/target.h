/*
 * The targets of a sweep: each repository named on the command line or
 * in a --repos-from list, as a local path or a URL, with the name reports
 * and errors show (URL userinfo removed) and a normalised key that names
 * the same repository however it was written (for splitting a sweep).
 *
 * Ownership: a target owns its strings; a target list owns its targets.
 * Parsers work on memory buffers and never print.
 */
#ifndef NFG_SWEEP_TARGET_H
#define NFG_SWEEP_TARGET_H

#include <stddef.h>

#include "util/idmap.h"

/* The most targets one sweep takes, and the longest line of a list. */
#define TARGET_MAX	     100000
#define TARGET_LINE_MAX	     4096
#define TARGET_LIST_MAX_SIZE ((size_t)16 << 20)

enum target_kind {
	TARGET_LOCAL, /* a work tree, bare repository, mirror or bundle */
	TARGET_URL    /* scheme://... or scp-like [user@]host:path */
};

struct sweep_target {
	enum target_kind kind;
	char *given; /* as given: may hold a password, never printed */
	char *shown; /* as given, less any URL userinfo */
	/*
	 * The same repository whatever its spelling: for URLs the host
	 * lowercased and the path, without scheme, userinfo, trailing '/'
	 * or ".git" (https://Host/a/b.git and git@host:a/b agree); for
	 * local paths and file:// URLs the path with "//", "/./" and a
	 * trailing "/" or "/.git" removed.
	 */
	char *key;
};

/*
 * Parses one target s[0..len). URLs: https://, http://, ssh://,
 * git+ssh://, git://, file://, and git's scp-like form [user@]host:path
 * (a colon before any slash, as git reads it: write ./a:b for a local
 * path). Anything else is a local path. 0; NFG_EINVAL with the error set
 * ("empty repository name", "'SHOWN': unsupported URL scheme 'x'",
 * "'SHOWN': a URL without a host", "repository name holds a NUL byte" or
 * "... a control character" for a URL); NFG_ENOMEM. On failure t is
 * zeroed. Release with target_release (accepts a zeroed target).
 */
int target_parse(struct sweep_target *t, const char *s, size_t len);
void target_release(struct sweep_target *t);

struct target_list {
	struct sweep_target *v;
	size_t n, cap;
	size_t duplicates; /* targets not added: their key was listed */
	struct idmap keys; /* hash of key -> index in v */
};

void target_list_init(struct target_list *l);
void target_list_release(struct target_list *l);

/*
 * Parses s[0..len) and appends it unless a target with the same key is
 * listed (then counts it in l->duplicates). 0, or target_parse's errors,
 * NFG_ELIMIT ("more than TARGET_MAX repositories"), NFG_ENOMEM.
 */
int target_list_add(struct target_list *l, const char *s, size_t len);

/*
 * Adds every target of a list's text data[0..len): one a line ("\n" or
 * "\r\n"), blanks (spaces, tabs) around it ignored, blank lines and lines
 * whose first non-blank byte is '#' skipped. origin names the list in
 * errors: "ORIGIN:LINE: why" (a line longer than TARGET_LINE_MAX, a NUL
 * byte, target_parse's reasons). 0, NFG_EINVAL, NFG_ELIMIT, NFG_ENOMEM.
 */
int target_list_parse(struct target_list *l, const char *origin,
		      const char *data, size_t len);

/*
 * Reads the list at path ("-": standard input) whole, at most
 * TARGET_LIST_MAX_SIZE bytes, and adds its targets (target_list_parse).
 * Errors: those, and NFG_EIO ("cannot read 'PATH': why").
 */
int target_list_read(struct target_list *l, const char *path);

/* The most shards a sweep is split into (--shard I/N). */
#define TARGET_SHARD_MAX 10000

/*
 * The shard (1..n) a target with this key falls in: the first 8 bytes of
 * SHA-256(key), big-endian, modulo n, plus one. The same on every
 * machine and in every process, so workers split a list alike without
 * talking to each other. n is 1..TARGET_SHARD_MAX.
 */
unsigned target_shard(const char *key, unsigned n);

#endif

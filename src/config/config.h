/*
 * .nfguard.json: per-repository defaults for the scan options, found by
 * walking up from a folder to the repository root and validated strictly
 * (unknown keys, wrong types and out-of-range values are errors naming
 * the file and the key; how values combine with the flags, and the range
 * of exit_code, the command line checks with its own flags). Command-line
 * flags win over what is set here.
 *
 * Ownership: struct config is caller-owned (config_init / config_release)
 * and owns every string in it.
 */
#ifndef NFG_CONFIG_CONFIG_H
#define NFG_CONFIG_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_FILE_NAME ".nfguard.json"

enum config_fail_on { CONFIG_FAIL_ON_ANY, CONFIG_FAIL_ON_LIVE };

/*
 * Each value holds the default until the file sets it; has_<key> tells
 * whether it did. Paths are usable as they are: a relative path in the
 * file is joined with the config file's folder (so it is relative to the
 * current directory when the config path was).
 */
struct config {
	char *path; /* the file loaded, as named to config_load; NULL if none */
	char *dir;  /* its folder: "." when path has no '/' */

	char **rules; /* extra rule files or folders, added to the built-in */
	size_t nrules;
	char **allow_paths; /* globs (util/glob.h), kept as written */
	size_t nallow_paths;
	int exit_code; /* any int (the caller checks 0..125); default 1 */
	const char *
		format; /* a static "human", "json", "jsonl" or "sarif"; NULL */
	char *baseline; /* default NULL */
	char *ignore_file;	     /* default NULL: the caller picks one */
	enum config_fail_on fail_on; /* default CONFIG_FAIL_ON_ANY */
	int skip_unreadable;	     /* default 0 */
	unsigned jobs;		     /* 1..256; default 0 (the caller's) */
	int report_unused_ignores;   /* default 0 */
	unsigned decode;	     /* enum decoder bits; 0 unless set */
	char **exclude_paths; /* dir: globs (util/glob.h), kept as written */
	size_t nexclude_paths;
	uint64_t max_file_size; /* dir: 0 (default) for no limit */

	int has_rules, has_allow_paths, has_exit_code, has_format, has_baseline,
		has_ignore_file, has_fail_on, has_skip_unreadable, has_jobs,
		has_report_unused_ignores, has_decode;
	int has_exclude_paths, has_max_file_size;
};

/*
 * The keys config_parse knows (those listed at config_load), *n of them;
 * static strings. A fuzzer or a completion list takes them from here.
 */
const char *const *config_keys(size_t *n);

/* Sets the defaults (nothing set, no file). */
void config_init(struct config *c);

/* Frees everything and re-initialises; accepts NULL and zeroed structs. */
void config_release(struct config *c);

/*
 * Finds the config that applies to start_dir: looks for .nfguard.json in
 * start_dir (made absolute, symlinks resolved), then, only when start_dir
 * is inside a git repository, in each parent up to the first folder that
 * holds a ".git" (folder or file: a repository or worktree root); outside
 * a repository no parent is searched (a file planted in /tmp or $HOME by
 * someone else must not silence a scan). *out_path is set to a new
 * absolute path (caller frees), or NULL when there is none. Errors:
 * NFG_EIO "cannot open 'START_DIR': REASON" when start_dir cannot be
 * resolved, "cannot access 'PATH': REASON" for a stat failure other than
 * a missing file; NFG_ENOMEM.
 */
int config_find(char **out_path, const char *start_dir);

/* config_find for any file name (.nfguardignore is found the same way). */
int config_find_name(char **out_path, const char *start_dir, const char *name);

/*
 * Reads and validates the config file at path into *c (which need not be
 * initialised; it is on return, and holds only defaults on failure).
 * The file must hold one JSON object (at most 1 MiB); every key is
 * optional:
 *   rules                  array of non-empty strings (paths)
 *   allow_paths            array of valid globs
 *   exit_code              integer (its range is the caller's to check)
 *   format                 "human" | "json" | "jsonl" | "sarif"
 *   baseline, ignore_file  non-empty string (path)
 *   fail_on                "live" | "any"
 *   skip_unreadable, report_unused_ignores   true | false
 *   jobs                   integer 1..256
 *   decode                 "all" | "none" | decoder names, comma-joined
 *   exclude_paths          array of valid globs (dir)
 *   max_file_size          a size as util/parse.h's parse_size takes it
 *                          ("10M"), or a whole number 0..2^53 (dir)
 * Errors, all NFG_EINVAL but the first:
 *   "cannot open 'PATH': REASON" (NFG_EIO)
 *   "PATH: malformed JSON near line N"
 *   "PATH: the file must hold a JSON object"
 *   "PATH: unknown key 'K'"
 *   "PATH: key 'K': REASON", e.g. "must be an integer from 1 to 256",
 *       "given twice", "bad glob '[x': unterminated '['"
 */
int config_load(struct config *c, const char *path);

/*
 * config_load on the file's text already in memory (len bytes, NUL bytes
 * refused): the same checks and messages, path naming the file in them
 * and giving the folder relative paths are joined with. The text is
 * limited only by the caller.
 */
int config_parse(struct config *c, const char *text, size_t len,
		 const char *path);

/*
 * Parses text (len bytes) as one JSON value followed by nothing but white
 * space, as .nfguard.json and rule files must be: a second value after
 * the first is an error, not silently dropped. Returns the tree (the
 * caller deletes it), or NULL with the last error set to "ORIGIN:
 * malformed JSON near line N" (the line where reading stopped).
 */
struct cJSON *config_json_parse(const char *text, size_t len,
				const char *origin);

#endif

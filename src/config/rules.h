/*
 * Rule files: JSON ({"version":1,"rules":[...]}) read with cJSON into rule
 * specs, validated field by field, and compiled into a ruleset. Messages
 * name the file, the rule id and the bad field.
 *
 * Ownership: struct rule_specs is caller-owned (rule_specs_release).
 */
#ifndef NFG_CONFIG_RULES_H
#define NFG_CONFIG_RULES_H

#include <stddef.h>

#include "engine/engine.h"

struct rule_specs {
	struct rule_spec *v;
	size_t n;
};

void rule_specs_release(struct rule_specs *l);

/* Parses one rule file's text, appending its rules to *out. */
int rules_parse(struct rule_specs *out, const char *text, size_t len,
		const char *origin);

/*
 * Loads path: a rule file, or a folder whose *.json files are read in name
 * order. An empty folder is an error.
 */
int rules_load_path(struct rule_specs *out, const char *path);

/* Loads the rules compiled into the binary (rules/notiflows.json). */
int rules_load_default(struct rule_specs *out);

/*
 * Loads path (or the built-in rules when path is NULL) and compiles them.
 */
int rules_open(struct ruleset **out, const char *path);

/*
 * Like rules_open, then adds the rules of each of the nextra extra paths
 * (rule files or folders, as for rules_load_path, in order) before
 * compiling. A rule id defined twice across all of them is an error
 * (from ruleset_new); so is an extra path that cannot be read.
 */
int rules_open_extra(struct ruleset **out, const char *path,
		     const char *const *extra, size_t nextra);

/* The outcome of running a ruleset's self-test examples. */
struct rules_check_result {
	size_t examples; /* examples run */
	size_t failed;	 /* examples that did not behave */
};

/*
 * Runs every rule's examples: each "match" example, its {{random:N}}
 * replaced by N random base62 characters, must give exactly one hit of that
 * rule; each "no_match" example must give none. The first failure is
 * described in the last error (rule id and example number, never the
 * generated token). Returns 0 when all pass, NFG_EINVAL otherwise.
 */
int rules_check_examples(const struct ruleset *rs,
			 struct rules_check_result *res);

#endif

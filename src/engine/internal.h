/*
 * The engine's private structures, shared by its files only: a compiled
 * rule, the keyword table of the prefilter, and the ruleset holding both.
 */
#ifndef NFG_ENGINE_INTERNAL_H
#define NFG_ENGINE_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "engine/engine.h"

/* Bytes of context kept on each side of a keyword hit's window. */
#define ENGINE_CONTEXT 256

/* Bytes on each side of a secret where ALLOW_MARKER counts. */
#define ALLOW_REACH (ALLOW_DISTANCE + sizeof(ALLOW_MARKER) - 1)

/* Bytes before a keyword hit that escape_before may read. */
#define ESCAPE_REACH 32

/*
 * If an escape sequence ends at data[p] (its last byte is data[p - 1]),
 * writes the UTF-8 form of the character it stands for into out and
 * returns its length (1 to 4); else returns 0. Reads only
 * data[max(p - ESCAPE_REACH, 0) .. p): a caller that holds fewer bytes
 * before p than that must hold the input's start.
 */
size_t escape_before(const char *data, size_t p, char out[4]);

struct compiled_rule {
	struct rule_spec spec;
	pcre2_code *code;
	uint32_t secret_group;
	pcre2_code **allow_paths;
	pcre2_code **allow_values;
	size_t after; /* bytes a match may reach past its keyword hit */
};

/*
 * A literal of the prefilter: a rule keyword, whose hits run the rules it
 * names, or a decoder's trigger (trigger > 0: the tag plus one), whose
 * hits go to the scanner's trigger function. Binary: may hold NUL bytes.
 */
struct keyword {
	char *text;
	size_t len;
	size_t *rules; /* indices of the rules this keyword triggers */
	size_t nrules, caprules;
	unsigned trigger;
};

struct ruleset {
	struct compiled_rule *rules;
	size_t nrules;
	struct keyword *keywords;
	size_t nkeywords, capkeywords;
	size_t before, after; /* the largest windows of all rules */
	int inline_allow;     /* flag hits near ALLOW_MARKER */
	/* every keyword in one prefilter pass; NULL: more than it holds */
	struct multilit *ml;
	pcre2_match_context *mctx;
};

#endif

/*
 * Tokens given one per line (nfguard verify): each non-blank line must be
 * exactly one secret of a rule, and becomes a finding whose path is the
 * given label and whose line is the line's number.
 *
 * Ownership: the text stays the caller's (wipe it after); findings are
 * appended to the caller's list.
 */
#ifndef NFG_VERIFY_TOKENS_H
#define NFG_VERIFY_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "finding/finding.h"

/*
 * Called for a line that is not one whole token (never with its text);
 * holds_token is 1 when a token is in it among other text ("NAME=token").
 */
typedef void (*bad_line_fn)(void *ctx, uint64_t line, int holds_token);

/*
 * Splits text at '\n'; a line's trailing '\r' and surrounding spaces and
 * tabs are ignored, blank lines skipped. A line that the rules do not
 * match exactly once and whole is passed to bad (and counted in *nbad).
 * 0, or NFG_ENOMEM.
 */
int tokens_parse(const struct ruleset *rs, const char *text, size_t len,
		 const char *label, struct findings *out, bad_line_fn bad,
		 void *ctx, size_t *nbad);

#endif

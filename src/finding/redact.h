/*
 * Tokens inside text that is not itself a finding's secret: a file name,
 * an author's name or email, a ref, a repository path or a problem's
 * message. Every such text is redacted before it reaches a report or
 * stderr, so that nothing nfguard prints holds a whole token unless the
 * user asks (--show-secret).
 *
 * Ownership: strings passed by address are replaced (the old one wiped
 * and freed) only when they held a token.
 */
#ifndef NFG_FINDING_REDACT_H
#define NFG_FINDING_REDACT_H

#include "engine/engine.h"
#include "finding/finding.h"

/*
 * Replaces every token of rs in *s (NULL: nothing) by its redacted form,
 * scanning with sc (a scanner of rs). 0 or NFG_ENOMEM (*s unchanged).
 */
int redact_text(struct scanner *sc, const struct ruleset *rs, char **s);

/* redact_text over strings v[0..n) with a scanner of its own. */
int redact_texts(const struct ruleset *rs, char **v, size_t n);

/*
 * redact_text over every text field of every finding of l that is not the
 * secret itself: path, repository, ref, author name and email, and what an
 * API answered (verification and revocation texts). 0, or the
 * engine's or NFG_ENOMEM's code.
 */
int findings_redact_fields(struct findings *l, const struct ruleset *rs);

#endif

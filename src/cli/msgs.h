/*
 * What the commands say on stderr: one-line messages (cli_error), the
 * scan's problems, each distinct one printed once (problems.c), and the
 * progress line (msgs.c). Every untrusted byte is escaped before it
 * reaches the terminal.
 */
#ifndef NFG_CLI_MSGS_H
#define NFG_CLI_MSGS_H

#include <stdint.h>

#include "report/report.h"
#include "source/source.h"

/*
 * Prints "nfguard: <fmt>" and a newline to stderr, control bytes escaped
 * (a fixed line instead when escaping fails). At most 2047 bytes of the
 * formatted text are kept.
 */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The scan's problems (cli/problems.c), one log per process. cli_problem,
 * the problem_fn of every scan command (ctx: struct cli_opts), records a
 * problem by its distinct message and counts it: PROBLEM_UNREADABLE is an
 * error, or skipped under --skip-unreadable. problems_flush prints each
 * distinct problem not printed yet once on stderr, "(N times)" when it was
 * met more than once. problems_note records one without printing it (a
 * step that printed its own reason). problems_fill lends the list to the
 * report until problems_release. At most 1000 distinct problems are kept;
 * later new ones are printed at once and counted as unlisted.
 */
void cli_problem(void *ctx, enum problem_kind kind, const char *msg);
/*
 * Problems and cli_error's messages are redacted with rs's rules from
 * now on, so that a path or name holding a token never reaches stderr or
 * a report whole; rs NULL (--show-secret): not redacted.
 * problems_redact_release (at the end of a run) frees what it set up and
 * returns to the start: messages redacted with the built-in rules, loaded
 * on the first message. problems_redact replaces *msg (heap) with its
 * redacted copy; 0, or -1 when it could not be redacted (*msg unchanged).
 */
struct ruleset;
void problems_redact_with(const struct ruleset *rs);
void problems_redact_release(void);
int problems_redact(char **msg);
void problems_note(enum scan_problem_kind kind, const char *msg);
/*
 * problems_add records count occurrences of msg at once, printed at the
 * next flush (merge: the problems its reports list); msg NULL adds count
 * to the problems not listed.
 */
void problems_add(enum scan_problem_kind kind, const char *msg, uint64_t count);
void problems_flush(void);
void problems_fill(struct scan_info *info);
void problems_release(void);

/*
 * The progress_fn of the scan commands: one self-erasing line on stderr
 * when it is a terminal and --no-progress was not given. ctx: struct
 * cli_opts. cli_progress_done erases the line.
 */
void cli_progress(void *ctx, uint64_t done, uint64_t total, uint64_t bytes);
void cli_progress_done(void);
/*
 * The progress of verification and revocation (http_opts.progress; ctx:
 * struct cli_opts): "nfguard: verifying: 12/100 requests", the same way.
 */
void cli_progress_verify(void *ctx, size_t done, size_t total);
void cli_progress_revoke(void *ctx, size_t done, size_t total);
/*
 * The progress line of a sweep: "nfguard: 2/6 repositories, 3 findings,
 * scanning a, b", the same way (ctx: struct cli_opts).
 */
struct sweep_progress;
void cli_progress_sweep(void *ctx, const struct sweep_progress *p);

#endif

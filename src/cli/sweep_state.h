/*
 * --state for sweeps (cli/sweep_state.c): the state file read before the
 * sweep, each repository's scan limited to what is new since its recorded
 * tips, the findings reported before dropped, each repository's entry
 * appended to the file's journal as it ends, and the journal folded into
 * the file once the report is out.
 *
 * Ownership: a struct sweep_state is the caller's (sweep_state_free); it
 * borrows the run and the target list until freed.
 */
#ifndef NFG_CLI_SWEEP_STATE_H
#define NFG_CLI_SWEEP_STATE_H

#include "cli/run.h"
#include "sweep/sweep.h"

struct sweep_state;

/*
 * After scan_begin (the rules are loaded): takes the file's lock (held
 * until sweep_state_free; another run holding it is an error), reads
 * run->opts.state (a file that does not exist is a first run) and the
 * journal a killed run left, settles what an interrupted run left
 * (sweep/state.h: state_begin), says on stderr when the rules changed,
 * repositories are scanned again or the journal was stale or cut short,
 * then writes the file and starts its journal. *since gets what each of
 * l's targets' scan leaves out (borrowed from *out). 0, or a negative
 * code with the error set ("--state: 'FILE': why"): nothing is written
 * unless the failure is in the writing.
 */
int sweep_state_open(struct sweep_state **out, struct scan_run *run,
		     const struct target_list *l,
		     const struct sweep_since **since);

/*
 * In the sweep's done hook, after suppression: drops r's findings whose
 * token the state says this repository reported before (counted in
 * run->info.suppressed_state) and names how r was scanned
 * (r->rep.incremental). Never fails.
 */
void sweep_state_filter(struct sweep_state *ss, struct sweep_repo *r);

/*
 * In the done hook, last: records r when its scan was complete (its
 * tips, and the tokens it reports: reported already when written, else
 * pending until sweep_state_reported) and appends its entry to the
 * journal. 0, or EXIT_ERROR with the problem said (an error).
 */
int sweep_state_record(struct sweep_state *ss, struct sweep_repo *r,
		       int written);

/*
 * run->reported's hook (ctx: the struct sweep_state): the report is out,
 * every pending repository is confirmed, the file rewritten and its
 * journal removed. 0, or EXIT_ERROR (message printed).
 */
int sweep_state_reported(void *ctx);

void sweep_state_free(struct sweep_state *ss);

#endif
